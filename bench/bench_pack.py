#!/usr/bin/env python3
"""P3 monthly XLSX pack: a year of raw calls, then the pack of one month.

Generates CALLS calls a year (default 30,000; 1,000,000 for the national scale) with
data/generate_calls.py (the article's shares, 12 months; above 100,000 calls, June is
generated and the eleven other months are copied from it in SQL, dates shifted, to
keep the seeding within a minute), then renders the monthly XLSX pack (OCA
report_xlsx) of June REPEAT times, and measures the peak memory of the rendering
(tracemalloc) and of the process (peak RSS, seeding included).

Baselines: the whole pack is compared with a hand-written SQL GROUP BY giving the
figures of its activity table (calls, requests, errors and pranks, sector split); the
like-for-like comparison times the pack's own aggregation of those figures
(``_activity_figures``: ORM ``_read_group`` on the ``jecree.call.report`` view plus
Python) against that GROUP BY on the same rows.

    python3 bench/bench_pack.py [--calls 30000] [--repeat 5]

Goal (issue 5): under 3 s for 30,000 calls; under 60 s and 512 MB for 1,000,000; the
aggregation at most 2x the hand-written GROUP BY.
"""

import argparse
import os
import resource
import sys
import time
import tracemalloc

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "data"))

from common import QueryCounter, bench_database, median, ms, odoo_env, report, timed

MONTH = 6
YEAR = 2026
SQL_BASELINE = """
    SELECT c.qualification,
           c.qualification = 'utile'
               AND c.nature IN ('information', 'orientation', 'financement'),
           l.sector, count(*)
      FROM crm_phonecall c
 LEFT JOIN crm_lead l ON l.id = c.opportunity_id
     WHERE c.direction = 'in' AND c.active
       AND c.date >= %s AND c.date < %s
  GROUP BY 1, 2, 3
"""
COPY_MONTHS = """
    INSERT INTO crm_phonecall (name, direction, state, priority, active, date,
        duration, nature, qualification, opportunity_id, user_id, team_id,
        company_id, create_uid, create_date, write_uid, write_date)
    SELECT name, direction, state, priority, active,
           date + make_interval(months => shift), duration, nature, qualification,
           opportunity_id, user_id, team_id, company_id, create_uid, create_date,
           write_uid, write_date
      FROM crm_phonecall, generate_series(%s, %s) shift
     WHERE shift <> 0 AND date >= %s AND date < %s
"""
SCALE_SEED = 100000  # above: one month generated, the others copied in SQL


def seed_calls(env, calls):
    """A year of calls, committed."""
    from generate_calls import generate_month, scaled_figures

    per_month = calls // 12
    months = range(1, 13) if calls <= SCALE_SEED else [MONTH]
    for month in months:
        generate_month(env, YEAR, month, seed=month, figures=scaled_figures(per_month))
        env.cr.commit()
    if calls > SCALE_SEED:
        june = [f"{YEAR}-{MONTH:02d}-01", f"{YEAR}-{MONTH + 1:02d}-01"]
        env.cr.execute(COPY_MONTHS, [1 - MONTH, 12 - MONTH, *june])
        env.cr.commit()
    env.cr.execute("ANALYZE")
    env.cr.commit()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=30000, help="calls a year")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    modules = ["jecree_project", "jecree_referral", "jecree_followup"]
    with bench_database(modules) as dbname:
        with odoo_env(dbname) as env:
            t0 = time.perf_counter()
            seed_calls(env, args.calls)
            env.cr.execute("SELECT count(*) FROM crm_phonecall")
            total_calls = env.cr.fetchone()[0]
            print(
                f"[bench] {total_calls:,} calls in the database, seeded in "
                f"{time.perf_counter() - t0:.0f} s",
                file=sys.stderr,
            )
        with odoo_env(dbname) as env:
            wizard = env["jecree.monthly.pack.wizard"].create(
                {"year": YEAR, "month": str(MONTH)}
            )
            Report = env["ir.actions.report"]
            name = "jecree_followup.monthly_pack_xlsx_report"
            counts = []

            def render(i):
                env.invalidate_all()
                with QueryCounter(env.cr) as qc:
                    content, __ = Report._render(name, wizard.ids)
                counts.append(qc.count)
                assert content[:2] == b"PK"

            pack = env["report.jecree_followup.monthly_pack_xlsx"]
            month_domain = pack._month_domain(YEAR, MONTH)
            start, stop = month_domain[0][2], month_domain[1][2]  # UTC bounds

            def baseline(i):
                env.cr.execute(SQL_BASELINE, [start, stop])
                env.cr.fetchall()

            def aggregation(i):
                env.invalidate_all()
                pack._activity_figures(YEAR, MONTH)

            render(0)  # warm-up
            ours = timed(render, args.repeat)
            tracemalloc.start()
            render(0)
            __, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            base = timed(baseline, args.repeat)
            aggregations = timed(aggregation, args.repeat)
            env.cr.execute(
                "SELECT count(*) FROM crm_phonecall WHERE date >= %s AND date < %s",
                [start, stop],
            )
            month_calls = env.cr.fetchone()[0]
            ratio = median(ours) / median(base)
            agg_ratio = median(aggregations) / median(base)
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # MB
            goal_s = 3 if args.calls <= 30000 else 60
            report(
                f"P3 monthly pack: {total_calls:,} calls a year, the pack of "
                f"{MONTH:02d}/{YEAR} ({month_calls:,} calls)",
                [
                    (
                        "pack render (whole XLSX)",
                        ms(median(ours)),
                        f"{ms(median(base))} (SQL GROUP BY, activity figures only)",
                        f"{ratio:.1f}x",
                        f"< {goal_s} s",
                        "OK" if median(ours) < goal_s else "MISSED",
                    ),
                    (
                        "activity aggregation (like for like)",
                        ms(median(aggregations)),
                        f"{ms(median(base))} (SQL GROUP BY)",
                        f"{agg_ratio:.2f}x",
                        "<= 2x",
                        "OK" if agg_ratio <= 2 else "MISSED",
                    ),
                    ("SQL queries per pack", median(counts), "1", "", "", ""),
                    (
                        "peak Python memory (tracemalloc)",
                        f"{peak / 2**20:.1f} MB",
                        "",
                        "",
                        "< 512 MB",
                        "OK" if peak < 512 * 2**20 else "MISSED",
                    ),
                    (
                        "peak RSS of the process (seeding included)",
                        f"{rss:.0f} MB",
                        "",
                        "",
                        "< 512 MB",
                        "OK" if rss < 512 else "MISSED",
                    ),
                ],
            )


if __name__ == "__main__":
    main()
