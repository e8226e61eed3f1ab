#!/usr/bin/env python3
"""P1 intake: N intakes through the intake screen's code path on top of many porteurs.

Seeds SEED porteurs (default 30,000: a year at the top of the article's sizing) in SQL,
then times N intakes (default 2,000; one in four is a returning caller found by phone)
as an agent: ``jecree.call.intake`` create (which runs the returning-caller look-up) +
``action_save`` (porteur created or updated, call logged, and whatever the installed
addons hook on it: with jecree_followup, the J+8 activity and the brochure queued,
the setting "Send the brochure automatically" on). Baseline, on the same database:
stock Odoo creating a ``crm.lead`` and logging a ``crm.phonecall`` on it, with the
same values.

    python3 bench/bench_intake.py [--seed 30000] [--n 2000]

Goal (issue 5): median at most 1.5x the baseline, and under 100 ms per intake.
"""

import argparse
import os
import random
import sys

sys.path.insert(0, os.path.dirname(__file__))

from common import QueryCounter, bench_database, median, ms, odoo_env, report, timed

MODULES = ["jecree_project", "jecree_followup", "jecree_referral"]


def installable(modules):
    from common import ADDONS

    return [
        m for m in modules if os.path.exists(os.path.join(ADDONS, m, "__manifest__.py"))
    ]


def seed_porteurs(env, count):
    """Porteurs in SQL: realistic phones (E.164 sanitized), emails, names, communes."""
    cr = env.cr
    cr.execute("SELECT id FROM res_city WHERE insee_code IS NOT NULL ORDER BY id")
    cities = [r[0] for r in cr.fetchall()]
    team = env.company.jecree_team_id.id
    cr.execute(
        """
        INSERT INTO crm_lead (name, contact_name, type, active, is_porteur, phone,
            phone_sanitized, email_from, email_normalized, commune_id, project_kind,
            sector, maturity, team_id, company_id, user_id, create_date, write_date,
            create_uid, write_uid, probability)
        SELECT 'Porteur ' || g, 'Porteur ' || g, 'opportunity', true, true,
            '+33 6 ' || lpad((10000000 + g)::text, 8, '0'),
            '+336' || lpad((10000000 + g)::text, 8, '0'),
            'porteur' || g || '@example.com', 'porteur' || g || '@example.com',
            (%(cities)s)[1 + g %% %(ncities)s],
            (ARRAY['creation', 'reprise'])[1 + g %% 2],
            (ARRAY['commerce', 'services', 'artisanat', 'industrie'])[1 + g %% 4],
            'idee', %(team)s, %(company)s, %(uid)s, now(), now(), 1, 1, 10
        FROM generate_series(1, %(count)s) g
        """,
        {
            "cities": cities,
            "ncities": len(cities),
            "team": team,
            "company": env.company.id,
            "uid": env.uid,
            "count": count,
        },
    )
    cr.execute("ANALYZE crm_lead")


def intake_values(i, returning):
    if returning:  # a returning caller typed in another format
        n = 10000000 + (i * 7919) % 30000 + 1
        return {"phone": f"06 {str(n)[0:2]} {str(n)[2:4]} {str(n)[4:6]} {str(n)[6:8]}"}
    return {
        "phone": f"09 77 {i // 10000 % 100:02d} {i // 100 % 100:02d} {i % 100:02d}",
        "contact_name": f"Nouvel Appelant {i}",
        "email": f"nouveau{i}@example.org",
        "zip_code": "59000",
        "project_kind": "creation",
        "sector": random.choice(["commerce", "services", "artisanat", "industrie"]),
        "nature": "information",
        "consent": True,
        "notes": "Appel de test",
        "duration": 4.0,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=30000)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument(
        "--modules", default=",".join(MODULES), help="addons to install (if present)"
    )
    args = parser.parse_args()
    random.seed(1)
    modules = installable(args.modules.split(","))
    with bench_database(modules) as dbname:
        with odoo_env(dbname) as env:
            env["res.users"].create(
                {
                    "name": "Bench Agent",
                    "login": "bench_agent",
                    "group_ids": [(4, env.ref("jecree_project.group_jecree_agent").id)],
                }
            )
            seed_porteurs(env, args.seed)
            if "jecree_followup" in modules:
                # all automation on: the J+8 activity and the brochure queued
                env.company.jecree_brochure_auto = True
            env.cr.commit()
        with odoo_env(dbname, login="bench_agent") as env:
            Intake = env["jecree.call.intake"]
            lille = env.ref("jecree_project.res_city_fr_59350")
            queries = []

            def intake(i):
                vals = intake_values(i, returning=(i % 4 == 3))
                with QueryCounter(env.cr) as qc:
                    Intake.create(vals).action_save()
                    env.flush_all()
                queries.append(qc.count)

            def baseline(i):
                vals = intake_values(i + args.n, returning=False)
                lead = env["crm.lead"].create(
                    {
                        "name": vals["contact_name"],
                        "contact_name": vals["contact_name"],
                        "phone": vals["phone"],
                        "email_from": vals["email"],
                        "zip": vals["zip_code"],
                        "city": lille.name,
                        "type": "opportunity",
                    }
                )
                env["crm.phonecall"].create(
                    {
                        "name": "Information",
                        "opportunity_id": lead.id,
                        "partner_phone": vals["phone"],
                        "direction": "in",
                        "duration": 4.0,
                        "state": "done",
                    }
                )
                env.flush_all()

            # warm-up (caches, prepared plans), then alternate measure blocks
            timed(intake, 20)
            timed(baseline, 20)
            ours, base = [], []
            block = max(args.n // 10, 1)
            for start in range(0, args.n, block):
                ours += timed(lambda i, s=start: intake(s + i + 100), block)
                base += timed(lambda i, s=start: baseline(s + i + 100), block)
            ratio = median(ours) / median(base)
            automation = []
            if "jecree_followup" in modules:
                sendings = env["jecree.brochure.sending"].search_count(
                    [("queued", "=", True)]
                )
                callbacks = env["mail.activity"].search_count(
                    [
                        (
                            "activity_type_id",
                            "=",
                            env.ref("jecree_followup.mail_activity_type_callback").id,
                        )
                    ]
                )
                automation = [
                    ("brochures queued / J+8 activities", f"{sendings} / {callbacks}")
                    + ("",) * 4
                ]
            report(
                f"P1 intake: {args.n} intakes on {args.seed:,} porteurs "
                f"(addons: {', '.join(modules)})",
                [
                    (
                        "median per intake",
                        ms(median(ours)),
                        ms(median(base)),
                        f"{ratio:.2f}x",
                        "<= 1.5x, < 100 ms",
                        "OK" if ratio <= 1.5 and median(ours) < 0.1 else "MISSED",
                    ),
                    (
                        "p95 per intake",
                        ms(sorted(ours)[int(len(ours) * 0.95)]),
                        ms(sorted(base)[int(len(base) * 0.95)]),
                        "",
                        "",
                        "",
                    ),
                    (
                        "SQL queries per intake (median)",
                        median(queries),
                        "",
                        "",
                        "",
                        "",
                    ),
                    *automation,
                ],
            )


if __name__ == "__main__":
    main()
