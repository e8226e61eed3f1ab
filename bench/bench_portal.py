#!/usr/bin/env python3
"""P5 portal: an adviser's /my/referrals page with 100, then 10,000 referrals.

Creates a throw-away database with jecree_project and jecree_referral and their demo
data, seeds referrals for the structure of the demo adviser
(conseiller.cma.arras@example.com) in SQL, serves Odoo on 127.0.0.1 and fetches the
first page of /my/referrals REPEAT times as that adviser. Server time and SQL queries
come from Odoo's own request log line (query count, query time, other time). The
baseline is the same page with 100 referrals (what grows with the volume) and the
stock portal home /my (reference).

    python3 bench/bench_portal.py [--referrals 10000] [--repeat 15]

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

from common import ADDONS, bench_database, odoo_env, report
from load_jsonrpc import free_port, wait_up

ADVISER = "conseiller.cma.arras@example.com"
LOG_LINE = re.compile(r'"GET (\S+) HTTP/1.1" 200 - (\d+) ([\d.]+) ([\d.]+)')


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


def fetch(base, dbname, paths, repeat):
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
    for _ in range(repeat):
        for path in paths:
            opener.open(base + path).read()


def parse(log_path, path):
    """(server ms, queries) of every logged GET of `path`, warm-up excluded."""
    rows = []
    with open(log_path, encoding="utf-8", errors="replace") as f:
        for line in f:
            match = LOG_LINE.search(line)
            if match and match.group(1) == path:
                queries, qtime, other = match.groups()[1:]
                rows.append(((float(qtime) + float(other)) * 1000, int(queries)))
    return rows[2:]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--referrals", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    results = {}
    with bench_database(["jecree_project", "jecree_referral"], demo=True) as dbname:
        for volume in (100, args.referrals):
            seed(dbname, volume)
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            log = tempfile.NamedTemporaryFile(suffix=".log", delete=False).name
            server = subprocess.Popen(
                ["odoo", "-d", dbname, f"--addons-path={ADDONS}", "--workers=0"]
                + ["--max-cron-threads=0", "--http-interface=127.0.0.1"]
                + [f"--http-port={port}", f"--db-filter=^{dbname}$"]
                + ["--log-level=info", f"--logfile={log}"],
            )
            try:
                wait_up(base)
                fetch(base, dbname, ["/my/referrals", "/my"], args.repeat)
                time.sleep(1)
            finally:
                server.terminate()
                server.wait(30)
            results[volume] = (parse(log, "/my/referrals"), parse(log, "/my"))
            os.unlink(log)
    small, big = results[100][0], results[args.referrals][0]
    home = results[args.referrals][1]

    def med(rows, i):
        return statistics.median(r[i] for r in rows)

    report(
        f"P5 portal: /my/referrals, first page, {args.repeat} requests each",
        [
            (
                f"server time, {args.referrals:,} referrals",
                f"{med(big, 0):.1f} ms",
                f"{med(small, 0):.1f} ms (100 referrals)",
                f"{med(big, 0) / med(small, 0):.2f}x",
                "< 300 ms",
                "OK" if med(big, 0) < 300 else "MISSED",
            ),
            (
                "SQL queries per page",
                int(med(big, 1)),
                f"{int(med(small, 1))} (100 referrals)",
                "",
                "constant",
                "OK" if med(big, 1) == med(small, 1) else "GROWS",
            ),
            ("stock portal home /my", f"{med(home, 0):.1f} ms", "", "", "", ""),
        ],
    )


if __name__ == "__main__":
    main()
