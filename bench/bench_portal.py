#!/usr/bin/env python3
"""P5 portal: an adviser's /my/referrals page with 100, then 10,000 referrals.

Creates a throw-away database with jecree_project and jecree_referral and their demo
data, seeds referrals for the structure of the demo adviser
(conseiller.cma.arras@example.com) in SQL, serves Odoo on 127.0.0.1 and fetches the
first page of /my/referrals REPEAT times as that adviser. Server time and SQL queries
come from Odoo's own request log line (query count, query time, other time). The
baseline is the same page with 100 referrals (what grows with the volume), in a copy
of the database made when it had 100 referrals, served by the same Odoo process:
requests alternate between the two databases (and the stock portal home /my, for
reference).

    python3 bench/bench_portal.py [--referrals 10000] [--repeat 15]
    python3 bench/bench_portal.py --smoke [--db DB]

Goal (issue 5): under 300 ms server time, query count constant with the volume.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from http.cookiejar import CookieJar

sys.path.insert(0, os.path.dirname(__file__))

from common import (
    ADDONS,
    add_db_arguments,
    bench_database,
    drop_database,
    odoo_env,
    report,
    run,
)
from load_jsonrpc import free_port, wait_up

ADVISER = "conseiller.cma.arras@example.com"
LOG_LINE = re.compile(
    r' INFO (\S+) werkzeug: .*"GET (\S+) HTTP/1.1" 200 - (\d+) ([\d.]+) ([\d.]+)'
)


def seed(dbname, total):
    """Bring the adviser's structure to `total` referrals (SQL copies of one)."""
    with odoo_env(dbname) as env:
        adviser = env["res.users"].search([("login", "=", ADVISER)])
        antenna = adviser.partner_id.parent_id
        structure = adviser.partner_id.commercial_partner_id
        Referral = env["jecree.referral"]
        existing = Referral.search([("structure_id", "=", structure.id)])
        if not existing:
            lead = env["crm.lead"].search([("is_porteur", "=", True)], limit=1)
            existing = Referral.create(
                {
                    "lead_id": lead.id,
                    "antenna_id": antenna.id,
                    "structure_id": structure.id,
                }
            )
            env.flush_all()
        missing = total - Referral.search_count([("structure_id", "=", structure.id)])
        if missing > 0:
            env.cr.execute(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_name = 'jecree_referral'"
                " AND column_name NOT IN ('id', 'name')"
            )
            cols = ", ".join(f'"{row[0]}"' for row in env.cr.fetchall())
            env.cr.execute(
                f"""
                INSERT INTO jecree_referral (name, {cols})
                SELECT 'BENCH/' || g, {cols}
                  FROM jecree_referral, generate_series(1, %s) g
                 WHERE id = %s
                """,
                [missing, existing[0].id],
            )
            env.cr.execute(
                "UPDATE jecree_referral"
                " SET date_proposed = now() - (id || ' minutes')::interval"
                " WHERE name LIKE 'BENCH/%%'"
            )
            env.cr.execute("ANALYZE jecree_referral")
        env.cr.commit()


def login(base, dbname):
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(CookieJar())
    )
    body = json.dumps(
        {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"db": dbname, "login": ADVISER, "password": "demo"},
        }
    ).encode()
    opener.open(
        urllib.request.Request(
            base + "/web/session/authenticate",
            body,
            {"Content-Type": "application/json"},
        )
    ).read()
    return opener


def fetch(base, requests, repeat):
    """[(dbname, path)] fetched in turn, `repeat` times, one session per db."""
    openers = {db: login(base, db) for db in {db for db, __ in requests}}
    for _ in range(repeat):
        for db, path in requests:
            openers[db].open(base + path).read()


def parse(log_path, dbname, path):
    """(server ms, queries) of every logged GET of `path` on `dbname`, warm-up
    excluded."""
    rows = []
    with open(log_path, encoding="utf-8", errors="replace") as f:
        for line in f:
            match = LOG_LINE.search(line)
            if match and match.group(1) == dbname and match.group(2) == path:
                queries, qtime, other = match.groups()[2:]
                rows.append(((float(qtime) + float(other)) * 1000, int(queries)))
    return rows[2:]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--referrals", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=15)
    add_db_arguments(parser)
    args = parser.parse_args()
    if args.smoke:
        args.referrals, args.repeat = 1000, 5
    modules = ["jecree_project", "jecree_referral"]
    with bench_database(modules, demo=True, template=args.db) as dbname:
        small = f"{dbname}_100"
        seed(dbname, 100)
        from odoo.modules.registry import Registry
        from odoo.sql_db import close_db

        Registry.delete(dbname)
        close_db(dbname)
        drop_database(small)
        run(["createdb", "-T", dbname, small])
        try:
            seed(dbname, args.referrals)
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            log = tempfile.NamedTemporaryFile(suffix=".log", delete=False).name
            server = subprocess.Popen(
                ["odoo", f"--addons-path={ADDONS}", "--workers=0"]
                + ["--max-cron-threads=0", "--http-interface=127.0.0.1"]
                + [f"--http-port={port}", f"--db-filter=^({dbname}|{small})$"]
                + ["--log-level=info", f"--logfile={log}"],
            )
            try:
                wait_up(base)
                fetch(
                    base,
                    [
                        (small, "/my/referrals"),
                        (dbname, "/my/referrals"),
                        (dbname, "/my"),
                    ],
                    args.repeat,
                )
                time.sleep(1)
            finally:
                server.terminate()
                server.wait(30)
            few = parse(log, small, "/my/referrals")
            big = parse(log, dbname, "/my/referrals")
            home = parse(log, dbname, "/my")
            os.unlink(log)
        finally:
            drop_database(small, check=False)
    if not (few and big and home):
        raise AssertionError("no request of the benchmark found in Odoo's log")

    def med(rows, i):
        return statistics.median(r[i] for r in rows)

    report(
        f"P5 portal: /my/referrals, first page, {args.repeat} requests each, "
        "alternating between the two databases",
        [
            (
                f"server time, {args.referrals:,} referrals",
                f"{med(big, 0):.1f} ms",
                f"{med(few, 0):.1f} ms (100 referrals)",
                f"{med(big, 0) / med(few, 0):.2f}x",
                "< 300 ms",
                "OK" if med(big, 0) < 300 else "MISSED",
            ),
            (
                "SQL queries per page",
                int(med(big, 1)),
                f"{int(med(few, 1))} (100 referrals)",
                "",
                "constant",
                "OK" if med(big, 1) == med(few, 1) else "GROWS",
            ),
            ("stock portal home /my", f"{med(home, 0):.1f} ms", "", "", "", ""),
        ],
    )


if __name__ == "__main__":
    main()
