#!/usr/bin/env python3
"""P2 referral suggestion: rank the antennas of a porteur's commune, demo and national.

Creates a throw-away database with jecree_project and jecree_referral and their demo
data (133 antennas, 1,534 communes), then times ``jecree.referral._rank_antennas(lead)``
as an agent, the cache invalidated before each call, for REPEAT porteurs (default 50)
whose communes are drawn at random among the covered communes (random sector, project
kind and one or two needs):

(a) on the demo directory;
(b) on a generated national directory seeded in SQL: 100 departments of 350 communes
    (35,000 ``res_city`` rows with INSEE codes; one arrondissement per department and
    10 EPCIs of 35 communes per department), 300 structures of 10 antennas (3,000
    antennas; each structure has the type, services, sectors and project kinds of a
    demo structure, in turn). Coverage (``jecree_coverage``): in each department 10
    antennas cover the whole department at level 4 (in one department out of four
    they also cover the next one), 20 cover two EPCIs at level 2 and five communes of
    a third EPCI at level 1. A commune is thus covered by 14 to 26 antennas (about
    590,000 coverage rows).

Baseline, on the same data and communes: stock Odoo's nearest equivalent, a
``res.partner`` search of the partners whose ``city_id`` (base_location) is the
commune, plus reading them and their parent company (name, parent, city, capacity).

    python3 bench/bench_referral.py [--repeat 50]

Goal (issue 5): median under 30 ms (demo) and under 100 ms (national); the number of
queries per suggestion does not grow with the number of structures.
"""

import argparse
import os
import random
import sys

sys.path.insert(0, os.path.dirname(__file__))

from common import QueryCounter, bench_database, median, ms, odoo_env, report, timed

MODULES = ["jecree_project", "jecree_referral"]
DEPARTMENTS = 100
COMMUNES_PER_DEPARTMENT = 350
BLOCK = 35  # communes of an EPCI-sized block
STRUCTURES = 300
ANTENNAS_PER_STRUCTURE = 10


def copy_rows(cr, table, template_id, count, overrides, params=None):
    """Insert `count` copies of row `template_id` of `table` (g = 0..count-1), the
    columns of `overrides` set to its SQL expressions; return the new ids in order."""
    cr.execute(
        "SELECT column_name, data_type FROM information_schema.columns"
        " WHERE table_name = %s AND column_name != 'id'",
        [table],
    )
    types = dict(cr.fetchall())
    cols = sorted(types)
    exprs = [
        (
            f"jsonb_build_object('en_US', {overrides[col]})"  # translated field
            if col in overrides and types[col] == "jsonb"
            else overrides.get(col, f't."{col}"')
        )
        for col in cols
    ]
    cr.execute(
        f"""
        INSERT INTO {table} ({", ".join(f'"{c}"' for c in cols)})
        SELECT {", ".join(exprs)}
          FROM {table} t, generate_series(0, %(count)s - 1) g
         WHERE t.id = %(template)s
         ORDER BY g
     RETURNING id
        """,
        {**(params or {}), "count": count, "template": template_id},
    )
    return sorted(row[0] for row in cr.fetchall())


def seed_national(env):
    """The national directory described in the module docstring; returns the
    communes."""
    cr = env.cr
    env.flush_all()
    dept = env["res.country.department"].search([], limit=1)
    depts = copy_rows(
        cr,
        "res_country_department",
        dept.id,
        DEPARTMENTS,
        {"name": "'Département ' || g", "code": "'X' || lpad(g::text, 2, '0')"},
    )
    arrondissements = copy_rows(
        cr,
        "jecree_arrondissement",
        env["jecree.arrondissement"].search([], limit=1).id,
        DEPARTMENTS,
        {
            "name": "'Arrondissement ' || g",
            "code": "'X' || g",
            "department_id": "(%(depts)s::int[])[1 + g]",
        },
        {"depts": depts},
    )
    nblocks = DEPARTMENTS * COMMUNES_PER_DEPARTMENT // BLOCK
    epcis = copy_rows(
        cr,
        "jecree_epci",
        env["jecree.epci"].search([], limit=1).id,
        nblocks,
        {"name": "'EPCI ' || g", "code": "'X' || lpad(g::text, 8, '0')"},
    )
    city = env["res.city"].search([("insee_code", "!=", False)], limit=1)
    ncities = DEPARTMENTS * COMMUNES_PER_DEPARTMENT
    cities = copy_rows(
        cr,
        "res_city",
        city.id,
        ncities,
        {
            "name": "'Commune ' || g",
            "zipcode": f"lpad((g / {COMMUNES_PER_DEPARTMENT})::text, 2, '0') || '000'",
            "insee_code": "'Z' || lpad(g::text, 5, '0')",
            "department_id": f"(%(depts)s::int[])[1 + g / {COMMUNES_PER_DEPARTMENT}]",
            "epci_id": f"(%(epcis)s::int[])[1 + g / {BLOCK}]",
            "arrondissement_id": "(%(arrs)s::int[])"
            f"[1 + g / {COMMUNES_PER_DEPARTMENT}]",
        },
        {"depts": depts, "epcis": epcis, "arrs": arrondissements},
    )
    structure = env["res.partner"].search(
        [("jecree_structure_type_id", "!=", False)], limit=1
    )
    antenna = env["res.partner"].search([("jecree_is_antenna", "=", True)], limit=1)
    structures = copy_rows(
        cr,
        "res_partner",
        structure.id,
        STRUCTURES,
        {
            "name": "'Structure ' || g",
            "complete_name": "'Structure ' || g",
            "jecree_ref": "NULL",
            "email": "'structure' || g || '@example.com'",
        },
    )
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id, jecree_structure_id = id"
        " WHERE id = ANY(%s)",
        [structures],
    )
    # each generated structure takes the type, services, sectors and project kinds
    # of a demo structure, in turn
    demo = env["res.partner"].search([("jecree_structure_type_id", "!=", False)]).ids
    sources = [demo[i % len(demo)] for i in range(STRUCTURES)]
    pairs = "unnest(%(new)s::int[], %(src)s::int[]) AS p(new_id, src_id)"
    params = {"new": structures, "src": sources}
    cr.execute(
        f"""
        UPDATE res_partner n SET jecree_structure_type_id = s.jecree_structure_type_id
          FROM {pairs}, res_partner s
         WHERE n.id = p.new_id AND s.id = p.src_id
        """,
        params,
    )
    for rel, col in (
        ("jecree_partner_service_rel", "need_id"),
        ("jecree_partner_sector_rel", "sector_id"),
        ("jecree_partner_project_kind_rel", "kind_id"),
    ):
        cr.execute(
            f"""
            INSERT INTO {rel} (partner_id, {col})
            SELECT p.new_id, r.{col}
              FROM {pairs} JOIN {rel} r ON r.partner_id = p.src_id
            """,
            params,
        )
    nantennas = STRUCTURES * ANTENNAS_PER_STRUCTURE
    # antenna g: department g % 100, rank k = g / 100 in its department
    structure_of = f"(%(structures)s::int[])[1 + g / {ANTENNAS_PER_STRUCTURE}]"
    office = (
        f"(%(cities)s::int[])[1 + (g %% {DEPARTMENTS}) * {COMMUNES_PER_DEPARTMENT}"
        f" + (g / {DEPARTMENTS}) * 11]"
    )
    antennas = copy_rows(
        cr,
        "res_partner",
        antenna.id,
        nantennas,
        {
            "name": "'Antenne ' || g",
            "complete_name": "'Antenne ' || g",
            "jecree_ref": "NULL",
            "email": "'antenne' || g || '@example.com'",
            "parent_id": structure_of,
            "commercial_partner_id": structure_of,
            "jecree_structure_id": structure_of,
            "city_id": office,
            "jecree_capacity": "(g %% 4) * 5",
        },
        {"structures": structures, "cities": cities},
    )
    params = {"antennas": antennas, "cities": cities, "structures": structures}
    cr.execute(
        f"""
        WITH a AS (
            SELECT (%(antennas)s::int[])[1 + g] AS antenna_id,
                   (%(structures)s::int[])[1 + g / {ANTENNAS_PER_STRUCTURE}]
                       AS structure_id,
                   g %% {DEPARTMENTS} AS d, g / {DEPARTMENTS} AS k
              FROM generate_series(0, {nantennas - 1}) g
        ), cov AS (
            -- level 4: the whole department (and the next one, one time in four)
            SELECT a.antenna_id, a.structure_id, dd.d * {COMMUNES_PER_DEPARTMENT} + p
                       AS c, '4' AS level
              FROM a
              JOIN LATERAL (SELECT a.d AS d UNION ALL
                            SELECT (a.d + 1) %% {DEPARTMENTS} WHERE a.d %% 4 = 0) dd
                   ON TRUE,
                   generate_series(0, {COMMUNES_PER_DEPARTMENT - 1}) p
             WHERE a.k < 10
         UNION ALL
            -- level 2: two EPCI blocks of its department
            SELECT a.antenna_id, a.structure_id,
                   a.d * {COMMUNES_PER_DEPARTMENT}
                   + ((a.k - 10 + b) %% 10) * {BLOCK} + p, '2'
              FROM a, generate_series(0, 1) b, generate_series(0, {BLOCK - 1}) p
             WHERE a.k >= 10
         UNION ALL
            -- level 1: five communes of a third block
            SELECT a.antenna_id, a.structure_id,
                   a.d * {COMMUNES_PER_DEPARTMENT}
                   + ((a.k - 10 + 2) %% 10) * {BLOCK} + (a.k %% 7) * 5 + p, '1'
              FROM a, generate_series(0, 4) p
             WHERE a.k >= 10
        )
        INSERT INTO jecree_coverage (antenna_id, structure_id, city_id, level)
        SELECT antenna_id, structure_id, (%(cities)s::int[])[1 + c], MIN(level)
          FROM cov
      GROUP BY antenna_id, structure_id, c
        """,
        params,
    )
    for table in ("res_partner", "res_city", "jecree_coverage", "jecree_epci"):
        cr.execute(f"ANALYZE {table}")
    env.invalidate_all()
    return env["res.city"].browse(cities)


def make_leads(env, communes, count):
    """`count` porteurs in random communes among `communes` (covered ones)."""
    cr = env.cr
    env.flush_all()
    cr.execute(
        "SELECT DISTINCT city_id FROM jecree_coverage WHERE city_id = ANY(%s)",
        [communes.ids],
    )
    covered = sorted(row[0] for row in cr.fetchall())
    needs = env["jecree.need"].search([])
    Lead = env["crm.lead"]
    sectors = [key for key, __ in Lead._fields["sector"].selection]
    kinds = [key for key, __ in Lead._fields["project_kind"].selection]
    leads = Lead.create(
        [
            {
                "name": f"Bench porteur {i}",
                "contact_name": f"Bench porteur {i}",
                "type": "opportunity",
                "is_porteur": True,
                "commune_id": random.choice(covered),
                "sector": random.choice(sectors),
                "project_kind": random.choice(kinds),
                "need_ids": [(6, 0, random.sample(needs.ids, random.randint(1, 2)))],
            }
            for i in range(count)
        ]
    )
    env.flush_all()
    return leads


def measure(env, agent, leads):
    """(durations, queries, baseline durations, baseline queries) over `leads`."""
    aenv = env(user=agent)
    Referral = aenv["jecree.referral"]
    Partner = aenv["res.partner"]
    fields_read = ["name", "parent_id", "city", "jecree_capacity"]
    lead_ids = leads.ids
    queries, base_queries, found = [], [], []

    def ours(i):
        lead = aenv["crm.lead"].browse(lead_ids[i % len(lead_ids)])
        aenv.invalidate_all()
        with QueryCounter(aenv.cr) as qc:
            found.append(len(Referral._rank_antennas(lead)))
        queries.append(qc.count)

    def baseline(i):
        lead = aenv["crm.lead"].browse(lead_ids[i % len(lead_ids)])
        aenv.invalidate_all()
        with QueryCounter(aenv.cr) as qc:
            partners = Partner.search([("city_id", "=", lead.commune_id.id)])
            partners.read(fields_read)
            partners.parent_id.read(fields_read)
        base_queries.append(qc.count)

    timed(ours, 5)  # warm-up
    timed(baseline, 5)
    queries.clear()
    base_queries.clear()
    found.clear()
    durations = timed(ours, len(lead_ids))
    base = timed(baseline, len(lead_ids))
    return durations, queries, base, base_queries, found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    random.seed(2)
    results = {}
    with bench_database(MODULES, demo=True) as dbname:
        with odoo_env(dbname) as env:
            agent = env["res.users"].create(
                {
                    "name": "Bench Agent",
                    "login": "bench_agent",
                    "group_ids": [(4, env.ref("jecree_project.group_jecree_agent").id)],
                }
            )
            demo_counts = (
                env["res.partner"].search_count([("jecree_is_antenna", "=", True)]),
                env["res.city"].search_count([("insee_code", "!=", False)]),
            )
            demo_cities = env["res.city"].search([("insee_code", "!=", False)])
            leads = make_leads(env, demo_cities, args.repeat)
            results["demo"] = measure(env, agent, leads)
            print("[bench] seeding the national directory…", file=sys.stderr)
            national = seed_national(env)
            nat_counts = (
                env["res.partner"].search_count([("jecree_is_antenna", "=", True)]),
                env["res.city"].search_count([("insee_code", "!=", False)]),
            )
            leads = make_leads(env, national, args.repeat)
            results["national"] = measure(env, agent, leads)
    rows = []
    goals = {"demo": 0.030, "national": 0.100}
    for key, counts in (("demo", demo_counts), ("national", nat_counts)):
        durations, queries, base, base_queries, found = results[key]
        ours_ms, base_ms = median(durations), median(base)
        rows.append(
            (
                f"{key}: {counts[0]:,} antennas, {counts[1]:,} communes, median",
                ms(ours_ms),
                ms(base_ms),
                f"{ours_ms / base_ms:.2f}x",
                f"< {goals[key] * 1000:.0f} ms",
                "OK" if ours_ms < goals[key] else "MISSED",
            )
        )
        rows.append(
            (
                f"{key}: SQL queries per suggestion (min-max)",
                f"{median(queries)} ({min(queries)}-{max(queries)})",
                f"{median(base_queries)}",
                "",
                "",
                "",
            )
        )
        rows.append(
            (
                f"{key}: antennas suggested (median, limit 15)",
                median(found),
                "",
                "",
                "",
                "",
            )
        )
    demo_q, nat_q = results["demo"][1], results["national"][1]
    rows.append(
        (
            "queries demo vs national (median)",
            f"{median(demo_q)} vs {median(nat_q)}",
            "",
            "",
            "constant",
            "OK" if max(nat_q) <= max(demo_q) else "GROWS",
        )
    )
    report(
        f"P2 referral suggestion: _rank_antennas as an agent, {args.repeat} porteurs, "
        "cache cold",
        rows,
    )


if __name__ == "__main__":
    main()
