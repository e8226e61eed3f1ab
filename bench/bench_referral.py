#!/usr/bin/env python3
"""P2 Refer: what the agent waits for when pressing Refer, demo and national.

Ours: a database with jecree_project and jecree_referral and their demo data (133
antennas, 1,534 communes). For REPEAT porteurs (default 50) whose communes are drawn at
random among the covered communes (random sector, project kind, one or two needs),
timed as an agent, caches cold: the porteur's Refer button
(``crm.lead.action_jecree_refer``: checks, the wizard created, the antennas ranked by
``jecree.referral._rank_antennas``, the wizard's suggestion lines written) then the
screen's read of the wizard with its lines (``web_read`` with the form view's
specification, as the web client does when it opens the dialog);

(a) on the demo directory;
(b) on a generated national directory seeded in SQL: DEPARTMENTS departments (default
    100) of 350 communes (35,000 ``res_city`` rows with INSEE codes; one
    arrondissement per department and 10 EPCIs of 35 communes per department), 30
    antennas per department (3,000 antennas), each the one antenna of a structure of
    its own: 3,000 structures (``--antennas-per-structure 10`` gives 300 structures of
    10 antennas; the output says which). Each structure has the type, services,
    sectors and project kinds of a demo structure, in turn. Coverage
    (``jecree_coverage``): in each department 10 antennas cover the whole department
    at level 4 (in one department out of four they also cover the next one), 20
    cover two EPCIs at level 2 and five communes of a third EPCI at level 1. A
    commune is thus covered by 14 to 26 antennas (about 590,000 coverage rows).

Baseline: stock Odoo's nearest equivalent answering the same question ("which
structures cover this commune?"), in a database of its own with only stock modules
(``crm``, ``crm_phonecall``, ``base_address_extended`` for ``res.city``; the module
list is printed) and a many2many of partners to communes that stock Odoo lacks, made
by the bench as a manual field (``x_jecree_commune_ids``, ``ir.model.fields``,
state manual). The same directory is mirrored there (structures, antennas with their
parent, the communes, one many2many row per coverage row). For the same porteurs'
communes, as a salesman: the list the web client would show,
``res.partner.web_search_read`` of the partners whose communes include the commune
(limit 80, the list's default) reading name, parent, city, phone, email. No ranking,
no project match, no load: the baseline is what a stock user could get.

Blocks of ten porteurs alternate ours and the baseline, both databases open in the one
process.

    python3 bench/bench_referral.py [--repeat 50] [--departments 100]
                                    [--antennas-per-structure 1]
    python3 bench/bench_referral.py --smoke [--db DB --base-db BASE_DB]

Goal (issue 5): median under 30 ms (demo) and under 100 ms (national); the number of
queries per suggestion does not grow with the number of structures.
"""

import argparse
import os
import random
import sys

sys.path.insert(0, os.path.dirname(__file__))

from common import (
    STOCK_BASELINE,
    QueryCounter,
    add_db_arguments,
    bench_database,
    installed_modules,
    median,
    ms,
    odoo_env,
    report,
    timed,
)

MODULES = ["jecree_project", "jecree_referral"]
BASE_MODULES = [*STOCK_BASELINE, "base_address_extended"]
COMMUNES_PER_DEPARTMENT = 350
BLOCK = 35  # communes of an EPCI-sized block
ANTENNAS_PER_DEPARTMENT = 30  # 10 on the whole department, 20 on EPCIs


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


def seed_national(env, departments, antennas_per_structure):
    """The national directory described in the module docstring; returns the
    communes."""
    per_structure = antennas_per_structure
    nstructures = departments * ANTENNAS_PER_DEPARTMENT // per_structure
    cr = env.cr
    env.flush_all()
    dept = env["res.country.department"].search([], limit=1)
    depts = copy_rows(
        cr,
        "res_country_department",
        dept.id,
        departments,
        {"name": "'Département ' || g", "code": "'X' || lpad(g::text, 2, '0')"},
    )
    arrondissements = copy_rows(
        cr,
        "jecree_arrondissement",
        env["jecree.arrondissement"].search([], limit=1).id,
        departments,
        {
            "name": "'Arrondissement ' || g",
            "code": "'X' || g",
            "department_id": "(%(depts)s::int[])[1 + g]",
        },
        {"depts": depts},
    )
    nblocks = departments * COMMUNES_PER_DEPARTMENT // BLOCK
    epcis = copy_rows(
        cr,
        "jecree_epci",
        env["jecree.epci"].search([], limit=1).id,
        nblocks,
        {"name": "'EPCI ' || g", "code": "'X' || lpad(g::text, 8, '0')"},
    )
    city = env["res.city"].search([("insee_code", "!=", False)], limit=1)
    ncities = departments * COMMUNES_PER_DEPARTMENT
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
        nstructures,
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
    sources = [demo[i % len(demo)] for i in range(nstructures)]
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
    nantennas = nstructures * per_structure
    # antenna g: department g % 100, rank k = g / 100 in its department
    structure_of = f"(%(structures)s::int[])[1 + g / {per_structure}]"
    office = (
        f"(%(cities)s::int[])[1 + (g %% {departments}) * {COMMUNES_PER_DEPARTMENT}"
        f" + (g / {departments}) * 11]"
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
                   (%(structures)s::int[])[1 + g / {per_structure}]
                       AS structure_id,
                   g %% {departments} AS d, g / {departments} AS k
              FROM generate_series(0, {nantennas - 1}) g
        ), cov AS (
            -- level 4: the whole department (and the next one, one time in four)
            SELECT a.antenna_id, a.structure_id, dd.d * {COMMUNES_PER_DEPARTMENT} + p
                       AS c, '4' AS level
              FROM a
              JOIN LATERAL (SELECT a.d AS d UNION ALL
                            SELECT (a.d + 1) %% {departments} WHERE a.d %% 4 = 0) dd
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


#: what the web client reads when it opens the Refer dialog (the form view's fields)
M2O = {"fields": {"display_name": {}}}
WIZARD_SPEC = {
    "state": {},
    "referral_ids": {},
    "lead_id": M2O,
    "commune_id": M2O,
    "line_ids": {
        "fields": {
            "selected": {},
            "sequence": {},
            "antenna_id": M2O,
            "structure_type_id": M2O,
            "level": {},
            "score": {},
            "load": {},
            "capacity": {},
            "why": {},
            "structure_id": M2O,
        },
        "limit": 40,
        "order": "sequence ASC",
    },
    "referral_id": M2O,
    "antenna_id": M2O,
    "structure_id": M2O,
    "keeps_calendar": {},
    "adviser_id": M2O,
    "duration": {},
    "slot_ids": {"fields": {"name": {}, "start": {}, "stop": {}}},
}
#: the stock list of partners: what a salesman sees
PARTNER_SPEC = {
    "name": {},
    "parent_id": M2O,
    "city": {},
    "phone": {},
    "email": {},
}
COMMUNES_FIELD = "x_jecree_commune_ids"


def setup_baseline(benv):
    """The many2many of partners to communes stock Odoo lacks, a manual field."""
    benv["ir.model.fields"].create(
        {
            "model_id": benv["ir.model"]._get_id("res.partner"),
            "name": COMMUNES_FIELD,
            "field_description": "Communes covered",
            "ttype": "many2many",
            "relation": "res.city",
            "relation_table": "x_jecree_partner_city_rel",
            "column1": "partner_id",
            "column2": "city_id",
            "state": "manual",
        }
    )
    benv["res.users"].create(
        {
            "name": "Bench Salesman",
            "login": "bench_agent",
            "group_ids": [(4, benv.ref("sales_team.group_sale_salesman").id)],
        }
    )
    benv.cr.commit()


class Mirror:
    """The directory of our database copied into the baseline's, as partners
    (structures, antennas under them) and a many2many of partners to communes."""

    def __init__(self):
        self.partners = {}  # our partner id -> baseline partner id
        self.cities = {}  # our res.city id -> baseline res.city id

    def sync(self, env, benv):
        cr, bcr = env.cr, benv.cr
        env.flush_all()
        cr.execute(
            """
            SELECT a.id, a.name, s.id, s.name
              FROM res_partner a JOIN res_partner s ON s.id = a.jecree_structure_id
             WHERE a.jecree_is_antenna AND a.active
          ORDER BY a.id
            """
        )
        antennas = [row for row in cr.fetchall() if row[0] not in self.partners]
        cr.execute(
            "SELECT c.id, c.name->>'en_US', c.zipcode FROM res_city c"
            " WHERE EXISTS (SELECT 1 FROM jecree_coverage v WHERE v.city_id = c.id)"
            " ORDER BY c.id"
        )
        cities = [row for row in cr.fetchall() if row[0] not in self.cities]
        cr.execute(
            "SELECT antenna_id, city_id FROM jecree_coverage"
            " WHERE antenna_id = ANY(%s)",
            [[row[0] for row in antennas]],
        )
        coverage = cr.fetchall()
        france = benv.ref("base.fr")
        template_city = benv["res.city"].create(
            {"name": "template", "zipcode": "00000", "country_id": france.id}
        )
        template = benv["res.partner"].create({"name": "template", "city": "Lille"})
        benv.flush_all()
        new_cities = copy_rows(
            bcr,
            "res_city",
            template_city.id,
            len(cities),
            {
                "name": "(%(names)s::text[])[1 + g]",
                "zipcode": "(%(zips)s::text[])[1 + g]",
            },
            {
                "names": [row[1] for row in cities],
                "zips": [row[2] or "" for row in cities],
            },
        )
        self.cities.update(zip((row[0] for row in cities), new_cities, strict=True))
        structures = sorted(
            {(row[2], row[3]) for row in antennas if row[2] not in self.partners}
        )
        new_structures = copy_rows(
            bcr,
            "res_partner",
            template.id,
            len(structures),
            {
                "name": "(%(names)s::text[])[1 + g]",
                "complete_name": "(%(names)s::text[])[1 + g]",
                "is_company": "true",
            },
            {"names": [name for __, name in structures]},
        )
        self.partners.update(
            zip((sid for sid, __ in structures), new_structures, strict=True)
        )
        parents = [self.partners[row[2]] for row in antennas]
        new_antennas = copy_rows(
            bcr,
            "res_partner",
            template.id,
            len(antennas),
            {
                "name": "(%(names)s::text[])[1 + g]",
                "complete_name": "(%(names)s::text[])[1 + g]",
                "parent_id": "(%(parents)s::int[])[1 + g]",
                "commercial_partner_id": "(%(parents)s::int[])[1 + g]",
                "type": "'other'",
            },
            {"names": [row[1] for row in antennas], "parents": parents},
        )
        bcr.execute(
            "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)",
            [new_structures],
        )
        self.partners.update(
            zip((row[0] for row in antennas), new_antennas, strict=True)
        )
        bcr.execute(
            """
            INSERT INTO x_jecree_partner_city_rel (partner_id, city_id)
            SELECT * FROM unnest(%s::int[], %s::int[])
            """,
            [
                [self.partners[antenna] for antenna, __ in coverage],
                [self.cities[city] for __, city in coverage],
            ],
        )
        for table in ("res_partner", "res_city", "x_jecree_partner_city_rel"):
            bcr.execute(f"ANALYZE {table}")
        template.unlink()
        template_city.unlink()
        benv.cr.commit()
        benv.invalidate_all()
        return len(coverage)


def measure(env, benv, agent, leads, mirror):
    """Alternating blocks of ours and the baseline over `leads`; returns
    (durations, queries, baseline durations, baseline queries, suggested, listed)."""
    aenv = env(user=agent)
    bagent = benv["res.users"].search([("login", "=", "bench_agent")])
    bpartner = benv(user=bagent)["res.partner"]
    lead_ids = leads.ids
    communes = {lead.id: mirror.cities[lead.commune_id.id] for lead in leads}
    queries, base_queries, found, listed = [], [], [], []

    def ours(i):
        lead = aenv["crm.lead"].browse(lead_ids[i % len(lead_ids)])
        aenv.invalidate_all()
        with QueryCounter(aenv.cr) as qc:
            action = lead.action_jecree_refer()
            wizard = aenv[action["res_model"]].browse(action["res_id"])
            values = wizard.web_read(WIZARD_SPEC)
            aenv.flush_all()
        queries.append(qc.count)
        found.append(len(values[0]["line_ids"]))

    def baseline(i):
        benv.invalidate_all()
        city = communes[lead_ids[i % len(lead_ids)]]
        with QueryCounter(benv.cr) as qc:
            result = bpartner.web_search_read(
                [(COMMUNES_FIELD, "in", [city])], PARTNER_SPEC, limit=80
            )
        base_queries.append(qc.count)
        listed.append(result["length"])

    timed(ours, 5)  # warm-up
    timed(baseline, 5)
    for values in (queries, base_queries, found, listed):
        values.clear()
    durations, base = [], []
    block = 10
    for start in range(0, len(lead_ids), block):
        size = min(block, len(lead_ids) - start)
        durations += timed(lambda i, s=start: ours(s + i), size)
        base += timed(lambda i, s=start: baseline(s + i), size)
    return durations, queries, base, base_queries, found, listed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--departments", type=int, default=100)
    parser.add_argument("--antennas-per-structure", type=int, default=1)
    add_db_arguments(parser)
    args = parser.parse_args()
    if args.smoke:
        args.repeat, args.departments = 10, 2
    random.seed(2)
    results, counts = {}, {}
    mirror = Mirror()
    with (
        bench_database(MODULES, demo=True, template=args.db) as dbname,
        bench_database(BASE_MODULES, template=args.base_db, suffix="_base") as base,
    ):
        base_modules = installed_modules(base)
        with odoo_env(base) as benv:
            setup_baseline(benv)
        with odoo_env(dbname) as env, odoo_env(base) as benv:
            agent = env["res.users"].create(
                {
                    "name": "Bench Agent",
                    "login": "bench_agent",
                    "group_ids": [(4, env.ref("jecree_project.group_jecree_agent").id)],
                }
            )

            def directory():
                env.flush_all()
                env.cr.execute(
                    "SELECT count(*) FILTER (WHERE jecree_is_antenna),"
                    " count(DISTINCT jecree_structure_id)"
                    " FILTER (WHERE jecree_is_antenna)"
                    " FROM res_partner WHERE active"
                )
                antennas, structures = env.cr.fetchone()
                env.cr.execute("SELECT count(*) FROM jecree_coverage")
                rows = env.cr.fetchone()[0]
                return {
                    "antennas": antennas,
                    "structures": structures,
                    "communes": env["res.city"].search_count(
                        [("insee_code", "!=", False)]
                    ),
                    "coverage": rows,
                }

            counts["demo"] = directory()
            mirror.sync(env, benv)
            demo_cities = env["res.city"].search([("insee_code", "!=", False)])
            leads = make_leads(env, demo_cities, args.repeat)
            results["demo"] = measure(env, benv, agent, leads, mirror)
            print("[bench] seeding the national directory…", file=sys.stderr)
            national = seed_national(env, args.departments, args.antennas_per_structure)
            counts["national"] = directory()
            mirror.sync(env, benv)
            leads = make_leads(env, national, args.repeat)
            results["national"] = measure(env, benv, agent, leads, mirror)
    rows = []
    goals = {"demo": 0.030, "national": 0.100}
    for key in ("demo", "national"):
        durations, queries, base_durations, base_queries, found, listed = results[key]
        c = counts[key]
        ours_ms, base_ms = median(durations), median(base_durations)
        rows.append(
            (
                f"{key}{' (demo + generated)' if key == 'national' else ''}: "
                f"{c['structures']:,} structures, {c['antennas']:,} antennas, "
                f"{c['communes']:,} communes, {c['coverage']:,} coverage rows; "
                "median",
                ms(ours_ms),
                ms(base_ms),
                f"{ours_ms / base_ms:.2f}x",
                f"< {goals[key] * 1000:.0f} ms",
                "OK" if ours_ms < goals[key] else "MISSED",
            )
        )
        rows.append(
            (
                f"{key}: SQL queries per opening (min-max)",
                f"{median(queries)} ({min(queries)}-{max(queries)})",
                f"{median(base_queries)}",
                "",
                "",
                "",
            )
        )
        rows.append(
            (
                f"{key}: antennas suggested / partners listed (median)",
                f"{median(found)} (limit 15)",
                f"{median(listed)} (no limit on the count)",
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
        f"P2 Refer: action_jecree_refer + web_read of the wizard as an agent, "
        f"{args.repeat} porteurs, caches cold, blocks of 10 alternating; baseline: "
        f"database {base}, res.partner web_search_read on a manual many2many to "
        "res.city, as a salesman",
        rows,
    )
    print(f"  baseline database modules ({len(base_modules)}):")
    print(f"    {', '.join(base_modules)}")


if __name__ == "__main__":
    main()
