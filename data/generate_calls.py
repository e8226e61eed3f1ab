#!/usr/bin/env python3
"""Generate months of raw calls (crm.phonecall) and porteurs for the reporting.

The default month is the article's first month: 2,341 calls handled, of which 1,807
information, orientation or financing requests (975 commerce, 578 services, 199
artisanat, 55 industrie: 54/32/11/3 %) and 164 errors or pranks (7 %). Rows are
inserted in SQL batches (seeded, reproducible); their J+8 call-backs are scheduled by
the cron "Je crée: schedule missing J+8 call-backs", as for imported calls.

Importable:  from odoo.addons.jecree_followup.tools.generate_calls import generate_month
             (also re-exported here as ``generate_month``)

Usage:
    python3 data/generate_calls.py -d DB --year 2026 --month 3
    python3 data/generate_calls.py -d DB --year 2026 --months 12 --calls 2500
"""

import argparse
import os
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ADDONS = os.path.abspath(os.path.join(HERE, "..", "addons"))


def generate_month(env, year, month, seed=2026, agents=None, figures=None):
    """See odoo.addons.jecree_followup.tools.generate_calls.generate_month."""
    from odoo.addons.jecree_followup.tools.generate_calls import (
        generate_month as generate,
    )

    return generate(env, year, month, seed=seed, agents=agents, figures=figures)


def scaled_figures(calls):
    """The article's month scaled to `calls` calls (same shares)."""
    from odoo.addons.jecree_followup.tools.generate_calls import ARTICLE_MONTH

    factor = calls / ARTICLE_MONTH["total"]
    figures = {
        key: round(ARTICLE_MONTH[key] * factor)
        for key in ("errors", "pranks", "off_target")
    }
    figures["sectors"] = tuple(
        (sector, round(count * factor)) for sector, count in ARTICLE_MONTH["sectors"]
    )
    figures["total"] = calls
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--year", type=int, required=True)
    parser.add_argument("--month", type=int, default=1, help="first month (1-12)")
    parser.add_argument("--months", type=int, default=1, help="number of months")
    parser.add_argument(
        "--calls", type=int, help="calls a month (default: the article's 2,341)"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--addons-path", default=ADDONS)
    args = parser.parse_args()

    import odoo
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config(["-d", args.database, f"--addons-path={args.addons_path}"])
    odoo.modules.module.initialize_sys_path()
    registry = Registry(args.database)
    figures = scaled_figures(args.calls) if args.calls else None
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        for offset in range(args.months):
            index = args.month - 1 + offset
            year, month = args.year + index // 12, index % 12 + 1
            start = time.perf_counter()
            counts = generate_month(env, year, month, seed=args.seed, figures=figures)
            elapsed = time.perf_counter() - start
            print(f"{year}-{month:02d}: {counts['calls']} calls in {elapsed:.2f} s")


if __name__ == "__main__":
    main()
