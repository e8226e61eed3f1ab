#!/usr/bin/env python3
"""P4 J+8 cron: schedule the missing call-backs among 100,000 then 1,000,000 porteurs.

Creates a throw-away database with jecree_project and jecree_followup, two agents in
the call-center team, and seeds porteurs in SQL (``crm_lead``, is_porteur): all of them
have their J+8 call-back already scheduled (``callback_scheduled``) except DUE of them
(default 4,000), spread over the table; each due porteur has one useful call of the
last ten days, and one scheduled porteur in ten has an older useful call too. The
cron's method ``crm.lead._cron_jecree_schedule_callbacks()`` is called directly (its
``ir.cron._commit_progress`` patched as in the addon's tests, so that nothing is
committed) REPEAT times, each run rolled back to a savepoint. Then the table is
brought to the second size with more scheduled porteurs (still DUE due) and the cron
timed again. The baseline of the big table is the small one: the work should grow
with what is due, not with the table. Each run is checked: DUE activities, one per
due porteur.

    python3 bench/bench_callback_cron.py [--porteurs 100000,1000000] [--due 4000]
                                         [--repeat 3]

Goal (issue 5): under 10 s, and at most 1.5x the time with 100,000 porteurs.
"""

import argparse
import os
import sys
import time
from unittest.mock import patch

sys.path.insert(0, os.path.dirname(__file__))

from common import QueryCounter, bench_database, median, odoo_env, report

MODULES = ["jecree_project", "jecree_followup"]


def seed(env, first, count, due):
    """Porteurs number first..first+count-1; `due` of them (every count/due-th)
    without call-back, each with a recent useful call; one in ten of the others with
    an older useful call."""
    cr = env.cr
    team = env.company.jecree_team_id
    agents = team.member_ids.ids
    every = count // due if due else 0
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM crm_lead")
    before = cr.fetchone()[0]
    t0 = time.perf_counter()
    cr.execute(
        """
        INSERT INTO crm_lead (name, contact_name, type, active, is_porteur,
            callback_scheduled, callback_state, callback_attempt_count, user_id,
            team_id, company_id, create_uid, create_date, write_uid, write_date,
            probability)
        SELECT 'Porteur ' || g, 'Porteur ' || g, 'opportunity', true, true, s.sched,
            CASE WHEN s.sched THEN 'reached' END, CASE WHEN s.sched THEN 1 ELSE 0 END,
            (%(agents)s::int[])[1 + g %% %(nagents)s], %(team)s, %(company)s,
            1, now(), 1, now(), 10
          FROM generate_series(%(first)s, %(last)s) g,
               LATERAL (SELECT NOT (%(every)s > 0 AND g %% GREATEST(%(every)s, 1) = 0
                                    AND g / GREATEST(%(every)s, 1) <= %(due)s)
                        AS sched) s
        """,
        {
            "agents": agents,
            "nagents": len(agents),
            "team": team.id,
            "company": env.company.id,
            "first": first,
            "last": first + count - 1,
            "every": every,
            "due": due,
        },
    )
    cr.execute(
        """
        INSERT INTO crm_phonecall (name, direction, state, priority, active, date,
            duration, nature, qualification, opportunity_id, user_id, team_id,
            company_id, create_uid, create_date, write_uid, write_date)
        SELECT 'utile information', 'in', 'done', '1', true,
            CASE WHEN l.callback_scheduled
                 THEN now() - interval '30 days' - (l.id %% 300) * interval '1 day'
                 ELSE now() - (l.id %% 10) * interval '1 day'
                      - (l.id %% 480) * interval '1 minute'
            END,
            5.0, 'information', 'utile', l.id, l.user_id, l.team_id, l.company_id,
            1, now(), 1, now()
          FROM crm_lead l
         WHERE l.id > %(before)s AND (NOT l.callback_scheduled OR l.id %% 10 = 0)
        """,
        {"before": before},
    )
    cr.execute("ANALYZE crm_lead")
    cr.execute("ANALYZE crm_phonecall")
    env.cr.commit()
    return time.perf_counter() - t0


def run_cron(env, due, repeat):
    """Time the cron `repeat` times (rolled back each time); check its result."""
    Lead = env["crm.lead"]
    cr = env.cr
    activity_type = Lead._jecree_callback_type()

    def commit_progress(cron, processed=0, *, remaining=None, deactivate=False):
        return float("inf")

    durations, queries, checks = [], [], []
    with patch.object(type(env["ir.cron"]), "_commit_progress", commit_progress):
        for __ in range(repeat):
            cr.execute("SAVEPOINT bench_cron")
            env.invalidate_all()
            t0 = time.perf_counter()
            with QueryCounter(cr) as qc:
                done = Lead._cron_jecree_schedule_callbacks()
                env.flush_all()
            durations.append(time.perf_counter() - t0)
            queries.append(qc.count)
            cr.execute(
                """
                SELECT COUNT(*), COUNT(DISTINCT res_id)
                  FROM mail_activity
                 WHERE res_model = 'crm.lead' AND activity_type_id = %s
                """,
                [activity_type.id],
            )
            activities, leads = cr.fetchone()
            cr.execute(
                "SELECT COUNT(*) FROM crm_lead"
                " WHERE is_porteur AND callback_scheduled IS NOT TRUE"
            )
            left = cr.fetchone()[0]
            checks.append((done, activities, leads, left))
            cr.execute("ROLLBACK TO SAVEPOINT bench_cron")
            env.invalidate_all()
    ok = all(c == (due, due, due, 0) for c in checks)
    return durations, queries, checks[-1], ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--porteurs",
        default="100000,1000000",
        help="table sizes, comma-separated, increasing",
    )
    parser.add_argument("--due", type=int, default=4000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(size) for size in args.porteurs.split(",")]
    results = []
    with bench_database(MODULES) as dbname:
        with odoo_env(dbname) as env:
            group = env.ref("jecree_project.group_jecree_agent")
            agents = env["res.users"].create(
                [
                    {"name": f"Bench Agent {i}", "login": f"bench_agent{i}"}
                    | {"group_ids": [(4, group.id)]}
                    for i in (1, 2)
                ]
            )
            env.company.jecree_team_id.member_ids = [(4, a.id) for a in agents]
            env.cr.commit()
        seeded = 0
        for size in sizes:
            with odoo_env(dbname) as env:
                print(f"[bench] seeding up to {size:,} porteurs…", file=sys.stderr)
                seconds = seed(
                    env, seeded + 1, size - seeded, args.due if not seeded else 0
                )
                print(f"[bench] seeded in {seconds:.0f} s", file=sys.stderr)
                seeded = size
            with odoo_env(dbname) as env:
                results.append((size, *run_cron(env, args.due, args.repeat)))
    rows = []
    first = median(results[0][1])
    for size, durations, queries, check, ok in results:
        seconds = median(durations)
        big = size != sizes[0]
        rows.append(
            (
                f"cron, {size:,} porteurs ({args.due:,} due), median of {args.repeat}",
                f"{seconds:.2f} s",
                f"{first:.2f} s ({sizes[0]:,})" if big else "",
                f"{seconds / first:.2f}x" if big else "",
                "< 10 s, <= 1.5x" if big else "< 10 s",
                "OK"
                if seconds < 10 and (not big or seconds <= 1.5 * first)
                else "MISSED",
            )
        )
        done, activities, leads, left = check
        rows.append(
            (
                "  check: done / activities / porteurs with one / still due",
                f"{done} / {activities} / {leads} / {left}",
                "",
                "",
                f"{args.due} / {args.due} / {args.due} / 0",
                "OK" if ok else "WRONG",
            )
        )
        rows.append(("  SQL queries per run (median)", median(queries), "", "", "", ""))
    report(
        "P4 J+8 cron: _cron_jecree_schedule_callbacks, "
        f"{args.due:,} due porteurs, commits patched out",
        rows,
    )


if __name__ == "__main__":
    main()
