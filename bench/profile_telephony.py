#!/usr/bin/env python3
"""Where the time of one ``ringing`` event goes, server side.

The request goes through Odoo's WSGI application in this process (``odoo.http.root``,
as a worker serves it, without the socket), one at a time, on a copy of a database
with jecree_project and PORTEURS seeded porteurs (as bench_telephony.py). Each
request is split into:

- total: the WSGI call, Odoo's dispatch included;
- handler: our controller (token, JSON, ``_jecree_process_event``, the answer);
- commit: the transaction's commit with its pre-commit (the bus.bus row) and
  post-commit (the ``NOTIFY imbus`` that wakes the websocket workers) hooks;
- dispatch: the rest (Odoo's request set-up, database and session, registry
  signalling, routing, cursors);

and the SQL queries of the request are counted. ``--profile`` prints pyinstrument's
call tree of the requests.

    python3 bench/profile_telephony.py --db TEMPLATE [--porteurs 30000] [--requests 300]
"""

import argparse
import functools
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))

from bench_telephony import TOKEN, seed
from common import bench_database, ms, odoo_env


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="copy this database instead of creating one")
    parser.add_argument("--porteurs", type=int, default=30000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--lang-header",
        action="store_true",
        help="send Accept-Language: fr-FR (else Odoo looks for the company's "
        "language at each request of a database without en_US)",
    )
    parser.add_argument(
        "--show-queries", action="store_true", help="log the queries of one request"
    )
    parser.add_argument(
        "--db-header",
        action="store_true",
        help="name the database in the X-Odoo-Database header (else --db-filter: "
        "Odoo lists the databases at each request)",
    )
    args = parser.parse_args()
    with bench_database(["jecree_project"], template=args.db, suffix="_prof") as db:
        with odoo_env(db) as env:
            seed(env, args.porteurs)
        measure(db, args)


def measure(db, args):
    import werkzeug.test

    import odoo.sql_db
    from odoo import http
    from odoo.tools import config

    from odoo.addons.jecree_project.controllers.telephony import (
        JecreeTelephonyController,
    )

    config["dbfilter"] = f"^{db}$"
    spent = {"handler": 0.0, "commit": 0.0}

    def timing(name, function):
        def timed(*a, **kw):
            t0 = time.perf_counter()
            try:
                return function(*a, **kw)
            finally:
                spent[name] += time.perf_counter() - t0

        return timed

    # before the routing map is built (first request): the route's attributes are
    # copied onto the timed method (functools.wraps)
    handler = JecreeTelephonyController.telephony_event
    JecreeTelephonyController.telephony_event = functools.wraps(handler)(
        timing("handler", handler)
    )
    odoo.sql_db.Cursor.commit = timing("commit", odoo.sql_db.Cursor.commit)
    client = werkzeug.test.Client(http.root)
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    if args.db_header:
        headers["X-Odoo-Database"] = db
    if args.lang_header:
        headers["Accept-Language"] = "fr-FR"

    def ring(n):
        response = client.post(
            "/jecree/telephony/event",
            data=json.dumps(
                {
                    "event": "ringing",
                    "call_id": f"prof-{n}",
                    "from": f"06{10000000 + 1 + (n * 7919) % args.porteurs:08d}",
                    "extension": str(300 + n % 20),
                }
            ),
            headers=headers,
        )
        assert response.status_code == 200, response.get_data()[:300]

    for n in range(30):  # warm-up: registry, routing map, caches
        ring(-1 - n)
    if args.show_queries:
        import logging

        logger = logging.getLogger("odoo.sql_db")
        logger.setLevel(logging.DEBUG)
        ring(-100)
        logger.setLevel(logging.INFO)
    rows = []
    profiler = None
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0002)
        profiler.start()
    for n in range(args.requests):
        spent.update(handler=0.0, commit=0.0)
        queries = odoo.sql_db.sql_counter
        t0 = time.perf_counter()
        ring(n)
        total = time.perf_counter() - t0
        rows.append(
            (
                total,
                spent["handler"],
                spent["commit"],
                total - spent["handler"] - spent["commit"],
                odoo.sql_db.sql_counter - queries,
            )
        )
    if profiler:
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    print(f"\nOne ringing event at a time, {args.requests} requests, in-process WSGI")
    for i, name in enumerate(("total", "handler", "commit", "dispatch")):
        values = [row[i] for row in rows]
        print(
            f"  {name:<9} p50 {ms(statistics.median(values)):>9}  "
            f"mean {ms(statistics.fmean(values)):>9}"
        )
    print(f"  SQL queries per request: {statistics.median(row[4] for row in rows):.0f}")
    print("  load average: %.1f %.1f %.1f" % os.getloadavg())


if __name__ == "__main__":
    main()
