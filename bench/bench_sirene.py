#!/usr/bin/env python3
"""P6 SIRENE: import INSEE's establishments and legal units files, then match the
porteurs against them.

Files: ESTABLISHMENTS rows (default 1,000,000) in INSEE's published column layout
(StockEtablissement, 53 columns), generated (no network) by
``jecree_followup/tools/generate_sirene.py``: 90 % in the communes of the directory
(Nord, Pas-de-Calais), 10 % in Paris (skipped by the import); one legal unit each
(StockUniteLegale, 34 columns), 60 % sole traders. The files' writing is not timed.

Ours: ``jecree.sirene.establishment._jecree_import_file`` reads each file as a stream
(CSV reader, department filter, keys computed in Python, chunks of 20,000 rows COPYed
into a temporary table then upserted, an unchanged row not written), then links the
establishments to their units and communes; then ``jecree.sirene.match.
_jecree_find_matches()`` matches PORTEURS porteurs (default 30,000; seeded in SQL,
one useful call each, a tenth of them named as a generated sole trader of their
commune, created after the call) and creates the proposals.

Baseline ("plain SQL doing the same"): the same file COPYed as is (every column as
text) into an unlogged table, then one INSERT … SELECT of the same columns for the
departments' rows; for the units, the same with a semi-join on the establishments'
SIREN; for the matching, the three candidate joins of the matching query alone
(no scoring, no proposal written). Ours and the baseline alternate, each on its own
empty tables (ours truncated before each run). Peak memory is the process' maximum
resident size (``ru_maxrss``) after the import, all runs included.

    python3 bench/bench_sirene.py [--establishments 1000000] [--porteurs 30000]
                                  [--repeat 2]
    python3 bench/bench_sirene.py --smoke [--db DB]

Goals (issue 12): a file of 1,000,000 establishments imported in under 2 minutes and
under 1 GB of memory; matching 30,000 porteurs under 60 s.
"""

import argparse
import io
import os
import resource
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))

from common import add_db_arguments, bench_database, median, odoo_env, report

MODULES = ["jecree_project", "jecree_followup"]


def write_files(env, count, directory):
    from odoo.addons.jecree_followup.tools.generate_sirene import (
        ESTABLISHMENT_HEADER,
        UNIT_HEADER,
        random_rows,
    )

    env.cr.execute("SELECT insee_code FROM res_city WHERE insee_code IS NOT NULL")
    communes = [row[0] for row in env.cr.fetchall()]
    communes += ["75056"] * (len(communes) // 9)  # a tenth outside (Paris)
    import csv

    est_path = os.path.join(directory, "StockEtablissement.csv")
    unit_path = os.path.join(directory, "StockUniteLegale.csv")
    sole_traders = []
    with (
        open(est_path, "w", newline="") as est_file,
        open(unit_path, "w", newline="") as unit_file,
    ):
        est_writer = csv.DictWriter(est_file, ESTABLISHMENT_HEADER, lineterminator="\n")
        unit_writer = csv.DictWriter(unit_file, UNIT_HEADER, lineterminator="\n")
        est_writer.writeheader()
        unit_writer.writeheader()
        for est, unit in random_rows(count, communes):
            est_writer.writerow(est)
            unit_writer.writerow(unit)
            if (
                unit["categorieJuridiqueUniteLegale"] == "1000"
                and unit["statutDiffusionUniteLegale"] == "O"
                and est["codeCommuneEtablissement"] != "75056"
            ):
                sole_traders.append(
                    (
                        f"{unit['prenom1UniteLegale']} {unit['nomUniteLegale']}",
                        est["codeCommuneEtablissement"],
                        est["dateCreationEtablissement"],
                    )
                )
    return est_path, unit_path, sole_traders


def seed_porteurs(env, count, sole_traders):
    """`count` porteurs, a useful call each; every tenth named as a sole trader of
    the files, in their commune, called 60 days before the creation."""
    from odoo.addons.jecree_followup.tools.sirene import name_key

    cr = env.cr
    cr.execute("SELECT id, insee_code FROM res_city WHERE insee_code IS NOT NULL")
    cities = dict((code, city_id) for city_id, code in cr.fetchall())
    city_ids = list(cities.values())
    rows = []
    for number in range(count):
        if number % 10 == 0 and sole_traders:
            name, commune, created = sole_traders[(number * 7) % len(sole_traders)]
            city, called = cities[commune], f"{created} 10:00"
            called = f"({called!r}::timestamp - interval '60 days')"
        else:
            name, city = f"Porteur Sans Entreprise {number}", city_ids[number % 97]
            called = "('2024-01-01'::timestamp)"
        rows.append((name, name_key(name), city, called))
    company = env.company.id
    buffer = io.StringIO()
    for name, key, city, __ in rows:
        buffer.write(f"{name}\t{key}\t{city}\n")
    buffer.seek(0)
    cr.execute(
        "CREATE TEMP TABLE bench_porteur (name varchar, pkey varchar, city int, "
        "n serial)"
    )
    cr.copy_expert("COPY bench_porteur (name, pkey, city) FROM STDIN", buffer)
    cr.execute(
        """
        INSERT INTO crm_lead (name, contact_name, jecree_person_key, type, active,
            is_porteur, commune_id, sector, company_id, create_uid, create_date,
            write_uid, write_date, probability, jecree_created)
        SELECT name, name, pkey, 'opportunity', true, true, city, 'commerce', %s,
               1, '2024-01-01', 1, now(), 10, 'unknown'
          FROM bench_porteur ORDER BY n
        RETURNING id
        """,
        [company],
    )
    lead_ids = [row[0] for row in cr.fetchall()]
    # the call: 60 days before the business for the named ones, 2024 otherwise
    values = []
    for lead_id, (__, __, __, called) in zip(lead_ids, rows, strict=True):
        values.append(f"({lead_id}, {called})")
    cr.execute(
        f"""
        INSERT INTO crm_phonecall (name, direction, state, priority, active, date,
            nature, qualification, opportunity_id, company_id, create_uid,
            create_date, write_uid, write_date)
        SELECT 'utile', 'in', 'done', '1', true, v.called, 'information', 'utile',
               v.lead_id, %s, 1, now(), 1, now()
          FROM (VALUES {", ".join(values)}) v(lead_id, called)
        """,  # noqa: S608 (our own generated literals)
        [company],
    )
    cr.execute("ANALYZE crm_lead; ANALYZE crm_phonecall")
    return lead_ids


def ours_import(env, path):
    with open(path, "rb") as stream:
        return env["jecree.sirene.establishment"]._jecree_import_file(stream)


def baseline_import(env, path, kind, departments):
    """COPY the raw file, then one INSERT … SELECT of the rows we keep."""
    cr = env.cr
    with open(path) as stream:
        header = stream.readline().strip().split(",")
        cr.execute("DROP TABLE IF EXISTS bench_raw")
        cr.execute(
            "CREATE UNLOGGED TABLE bench_raw ("
            + ", ".join(f'"{column}" text' for column in header)
            + ")"
        )
        cr.copy_expert("COPY bench_raw FROM STDIN WITH (FORMAT csv)", stream)
    if kind == "establishments":
        cr.execute(
            """
            INSERT INTO bench_est (siret, siren, creation_date, commune_code,
                naf_code, trade_name, is_open, diffusible)
            SELECT siret, siren, "dateCreationEtablissement"::date,
                   "codeCommuneEtablissement", "activitePrincipaleEtablissement",
                   COALESCE(NULLIF("enseigne1Etablissement", ''),
                            NULLIF("denominationUsuelleEtablissement", '')),
                   "etatAdministratifEtablissement" = 'A',
                   "statutDiffusionEtablissement" = 'O'
              FROM bench_raw
             WHERE left("codeCommuneEtablissement", 2) = ANY(%s)
            ON CONFLICT (siret) DO NOTHING
            """,
            [list(departments)],
        )
    else:
        cr.execute(
            """
            INSERT INTO bench_unit (siren, creation_date, diffusible, first_name,
                last_name, company_name, legal_category)
            SELECT siren, "dateCreationUniteLegale"::date,
                   "statutDiffusionUniteLegale" = 'O', "prenom1UniteLegale",
                   "nomUniteLegale", "denominationUniteLegale",
                   "categorieJuridiqueUniteLegale"
              FROM bench_raw raw
             WHERE EXISTS (SELECT 1 FROM bench_est est WHERE est.siren = raw.siren)
            ON CONFLICT (siren) DO NOTHING
            """
        )
    cr.execute("DROP TABLE bench_raw")


def baseline_tables(env):
    env.cr.execute(
        """
        DROP TABLE IF EXISTS bench_est, bench_unit;
        CREATE TABLE bench_est (siret varchar PRIMARY KEY, siren varchar,
            creation_date date, commune_code varchar, naf_code varchar,
            trade_name varchar, is_open boolean, diffusible boolean);
        CREATE INDEX ON bench_est (siren);
        CREATE TABLE bench_unit (siren varchar PRIMARY KEY, creation_date date,
            diffusible boolean, first_name varchar, last_name varchar,
            company_name varchar, legal_category varchar);
        """
    )


def baseline_match(env):
    """The candidate joins of the matching alone: no scoring, nothing written."""
    env.cr.execute(
        """
        SELECT lead.id, est.id
          FROM crm_lead lead
          JOIN jecree_sirene_unit unit ON unit.person_key = lead.jecree_person_key
          JOIN jecree_sirene_establishment est
                        ON est.siren = unit.siren AND est.company_id = unit.company_id
         WHERE lead.is_porteur AND est.diffusible
        UNION
        SELECT lead.id, est.id
          FROM crm_lead lead
          JOIN jecree_sirene_unit unit ON unit.company_key = lead.jecree_project_key
          JOIN jecree_sirene_establishment est
                        ON est.siren = unit.siren AND est.company_id = unit.company_id
         WHERE lead.is_porteur AND est.diffusible
        UNION
        SELECT lead.id, est.id
          FROM crm_lead lead
          JOIN jecree_sirene_establishment est
            ON est.trade_key = lead.jecree_project_key
         WHERE lead.is_porteur AND est.diffusible
        """
    )
    return len(env.cr.fetchall())


def clear_ours(env):
    env.cr.execute(
        "TRUNCATE jecree_sirene_match, jecree_sirene_establishment, jecree_sirene_unit"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--establishments", type=int, default=1000000)
    parser.add_argument("--porteurs", type=int, default=30000)
    parser.add_argument("--repeat", type=int, default=2)
    add_db_arguments(parser)
    args = parser.parse_args()
    if args.smoke:
        args.establishments, args.porteurs, args.repeat = 20000, 2000, 1
    times = {key: [] for key in ("est", "unit", "est_base", "unit_base", "reimport")}
    match_times, match_base = [], []
    with bench_database(MODULES, template=args.db) as dbname:
        with tempfile.TemporaryDirectory() as directory, odoo_env(dbname) as env:
            t0 = time.perf_counter()
            est_path, unit_path, sole_traders = write_files(
                env, args.establishments, directory
            )
            print(
                f"[bench] {args.establishments:,} establishments and units written "
                f"in {time.perf_counter() - t0:.0f} s",
                file=sys.stderr,
            )
            departments = env.company._jecree_sirene_departments()
            lead_ids = seed_porteurs(env, args.porteurs, sole_traders)
            env.cr.commit()
            for __ in range(args.repeat):
                clear_ours(env)
                env.cr.commit()
                t0 = time.perf_counter()
                est = ours_import(env, est_path)
                env.cr.commit()
                times["est"].append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                unit = ours_import(env, unit_path)
                env.cr.commit()
                times["unit"].append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                again = ours_import(env, est_path)
                env.cr.commit()
                times["reimport"].append(time.perf_counter() - t0)
                assert again["inserted"] == again["updated"] == 0, again
                baseline_tables(env)
                env.cr.commit()
                t0 = time.perf_counter()
                baseline_import(env, est_path, "establishments", departments)
                env.cr.commit()
                times["est_base"].append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                baseline_import(env, unit_path, "units", departments)
                env.cr.commit()
                times["unit_base"].append(time.perf_counter() - t0)
            peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            env.cr.execute("ANALYZE jecree_sirene_establishment, jecree_sirene_unit")
            for __ in range(args.repeat):
                env.cr.execute("TRUNCATE jecree_sirene_match")
                env.cr.commit()
                t0 = time.perf_counter()
                proposed = env["jecree.sirene.match"]._jecree_find_matches()
                env.cr.commit()
                match_times.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                candidates = baseline_match(env)
                match_base.append(time.perf_counter() - t0)
            named = len(range(0, args.porteurs, 10))
            env.cr.execute(
                "SELECT count(DISTINCT lead_id) FROM jecree_sirene_match "
                "WHERE lead_id = ANY(%s)",
                [lead_ids],
            )
            matched = env.cr.fetchone()[0]
            env.cr.execute("DROP TABLE IF EXISTS bench_est, bench_unit")
            env.cr.commit()
    assert est["inserted"] > 0.85 * args.establishments, est
    assert matched >= 0.9 * named, (matched, named)
    print(
        f"\nimport: {est['inserted']:,} establishments kept of {est['read']:,} "
        f"({est['skipped']:,} outside), {unit['inserted']:,} units; matching: "
        f"{proposed:,} proposals for {matched:,} of the {named:,} porteurs named as "
        f"a business, {candidates:,} candidates in the baseline's joins; "
        f"peak memory of the process {peak_mb:.0f} MB"
    )

    def row(label, ours, base, goal, ok):
        ratio = f"{median(ours) / median(base):.2f}x" if base else "-"
        return (
            label,
            f"{median(ours):.1f} s",
            f"{median(base):.1f} s" if base else "-",
            ratio,
            goal,
            "ok" if ok else "MISSED",
        )

    total = [e + u for e, u in zip(times["est"], times["unit"], strict=True)]
    total_base = [
        e + u for e, u in zip(times["est_base"], times["unit_base"], strict=True)
    ]
    report(
        f"P6 SIRENE ({args.establishments:,} establishments, {args.porteurs:,} "
        f"porteurs, median of {args.repeat})",
        [
            row(
                "establishments file",
                times["est"],
                times["est_base"],
                "< 120 s",
                median(times["est"]) < 120,
            ),
            row("legal units file", times["unit"], times["unit_base"], "", True),
            row("both files", total, total_base, "", True),
            row("re-import (nothing written)", times["reimport"], None, "", True),
            (
                "peak memory (process)",
                f"{peak_mb:.0f} MB",
                "-",
                "-",
                "< 1 GB",
                "ok" if peak_mb < 1000 else "MISSED",
            ),
            row(
                "matching",
                match_times,
                match_base,
                "< 60 s",
                median(match_times) < 60,
            ),
        ],
    )


if __name__ == "__main__":
    main()
