#!/usr/bin/env python3
"""P3 monthly XLSX pack: a year of raw calls, then the pack of one month.

Generates CALLS calls a year (default 30,000; 1,000,000 for the national scale) with
data/generate_calls.py (the article's shares, 12 months), then renders the monthly
XLSX pack (OCA report_xlsx) of June REPEAT times, and measures the peak memory of the
rendering (tracemalloc). Baseline: a hand-written SQL GROUP BY on the same month's rows
giving the figures of the pack's activity table (calls, requests, errors and pranks,
sector split).

    python3 bench/bench_pack.py [--calls 30000] [--repeat 5]

Goal (issue 5): under 3 s for 30,000 calls; under 60 s and 512 MB for 1,000,000; the
aggregation at most 2x the hand-written GROUP BY.
"""

import argparse
import os
import sys
import time
import tracemalloc

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "data"))

from common import QueryCounter, bench_database, median, ms, odoo_env, report, timed

MONTH = 6
YEAR = 2026
SQL_BASELINE = """
    SELECT c.qualification, c.nature, l.sector, count(*)
      FROM crm_phonecall c
 LEFT JOIN crm_lead l ON l.id = c.opportunity_id
     WHERE c.direction = 'in'
       AND c.date >= %s AND c.date < %s
  GROUP BY c.qualification, c.nature, l.sector
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=30000, help="calls a year")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from generate_calls import generate_month, scaled_figures

    modules = ["jecree_project", "jecree_referral", "jecree_followup"]
    with bench_database(modules) as dbname:
        with odoo_env(dbname) as env:
            t0 = time.perf_counter()
            per_month = args.calls // 12
            for month in range(1, 13):
                generate_month(
                    env, YEAR, month, seed=month, figures=scaled_figures(per_month)
                )
                env.cr.commit()
            env.cr.execute("ANALYZE")
            env.cr.commit()
            print(
                f"[bench] {per_month * 12:,} calls generated in "
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

            start = f"{YEAR}-{MONTH:02d}-01"
            stop = f"{YEAR}-{MONTH + 1:02d}-01"

            def baseline(i):
                env.cr.execute(SQL_BASELINE, [start, stop])
                env.cr.fetchall()

            render(0)  # warm-up
            ours = timed(render, args.repeat)
            tracemalloc.start()
            render(0)
            __, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            base = timed(baseline, args.repeat)
            env.cr.execute(
                "SELECT count(*) FROM crm_phonecall WHERE date >= %s AND date < %s",
                [start, stop],
            )
            month_calls = env.cr.fetchone()[0]
            ratio = median(ours) / median(base)
            goal_s = 3 if args.calls <= 30000 else 60
            report(
                f"P3 monthly pack: {per_month * 12:,} calls a year, the pack of "
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
                    ("SQL queries per pack", median(counts), "1", "", "", ""),
                    (
                        "peak Python memory (tracemalloc)",
                        f"{peak / 2**20:.1f} MB",
                        "",
                        "",
                        "< 512 MB",
                        "OK" if peak < 512 * 2**20 else "MISSED",
                    ),
                ],
            )


if __name__ == "__main__":
    main()
