#!/usr/bin/env python3
"""Load: concurrent JSON-RPC clients doing intakes against Odoo with --workers=2.

Creates a throw-away database with our addons and demo data, starts Odoo on
127.0.0.1 with ``--workers=2``, then CLIENTS threads (default 20), each logged in as a
demo agent, loop for DURATION seconds (default 60) doing what an agent does: an intake
(``jecree.call.intake`` create + ``action_save``). Bounded in time and in count
(MAX_REQUESTS); traffic stays on loopback. Prints throughput, p50/p95 latency, errors.

    python3 bench/load_jsonrpc.py [--clients 20] [--duration 60]

Goal (issue 6): zero errors, p95 under 500 ms.
"""

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from http.cookiejar import CookieJar

sys.path.insert(0, os.path.dirname(__file__))

from common import ADDONS, bench_database

MAX_REQUESTS = 200_000


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    def __init__(self, base, db, login, password):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar())
        )
        self.call(
            "/web/session/authenticate",
            {"db": db, "login": login, "password": password},
        )

    def call(self, path, params):
        body = json.dumps(
            {"jsonrpc": "2.0", "method": "call", "params": params}
        ).encode()
        request = urllib.request.Request(
            self.base + path, body, {"Content-Type": "application/json"}
        )
        with self.opener.open(request, timeout=30) as response:
            payload = json.loads(response.read())
        if payload.get("error"):
            raise RuntimeError(
                payload["error"]["data"].get("message", payload["error"])
            )
        return payload["result"]

    def call_kw(self, model, method, args, kwargs=None):
        return self.call(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )


def wait_up(base, seconds=120):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(base + "/web/login", timeout=2)
            return
        except OSError:
            time.sleep(1)
    raise SystemExit("Odoo did not start")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument(
        "--modules",
        default="jecree_project,jecree_referral,jecree_followup",
        help="addons to install (those present)",
    )
    args = parser.parse_args()
    modules = [
        m
        for m in args.modules.split(",")
        if os.path.exists(os.path.join(ADDONS, m, "__manifest__.py"))
    ]
    with bench_database(modules, demo=True) as db:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            ["odoo", "-d", db, f"--addons-path={ADDONS}", "--workers=2"]
            + ["--max-cron-threads=0", "--http-interface=127.0.0.1"]
            + [f"--http-port={port}", f"--db-filter=^{db}$", "--log-level=warn"]
            + ["--limit-time-real=120"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_up(base)
            run_load(base, db, args)
        finally:
            server.terminate()
            server.wait(30)


def run_load(base, db, args):
    latencies, errors = [], []
    lock = threading.Lock()
    deadline = time.time() + args.duration

    def worker(n):
        rng = random.Random(n)
        client = Client(
            base, db, "agent" if n % 2 else "agent2", "agent" if n % 2 else "agent2"
        )
        i = 0
        while time.time() < deadline:
            with lock:
                if len(latencies) + len(errors) >= MAX_REQUESTS:
                    return
            i += 1
            t0 = time.perf_counter()
            try:
                intake = client.call_kw(
                    "jecree.call.intake",
                    "create",
                    [
                        {
                            "phone": f"09 7{n % 10} {i // 10000 % 100:02d} "
                            f"{i // 100 % 100:02d} {i % 100:02d}",
                            "contact_name": f"Charge {n}-{i}",
                            "zip_code": rng.choice(["59000", "62300", "59100"]),
                            "sector": rng.choice(["commerce", "services", "artisanat"]),
                            "project_kind": "creation",
                            "nature": "information",
                        }
                    ],
                )
                intake_id = intake[0] if isinstance(intake, list) else intake
                client.call_kw("jecree.call.intake", "action_save", [[intake_id]])
                elapsed = time.perf_counter() - t0
                with lock:
                    latencies.append(elapsed)
            except Exception as error:  # noqa: BLE001 - every failure is counted
                with lock:
                    errors.append(repr(error)[:200])

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(args.clients)]
    started = time.time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.time() - started
    latencies.sort()
    count = len(latencies)
    print(f"\nLoad: {args.clients} JSON-RPC clients, {args.duration} s, --workers=2")
    print(f"  intakes done     {count} ({count / wall:.1f}/s)")
    if count:
        print(f"  latency p50      {statistics.median(latencies) * 1000:.0f} ms")
        print(f"  latency p95      {latencies[int(count * 0.95)] * 1000:.0f} ms")
    print(f"  errors           {len(errors)}")
    for error in sorted(set(errors))[:5]:
        print(f"    {error}")
    p95 = latencies[int(count * 0.95)] if count else float("inf")
    print(
        "  goal: 0 errors, p95 < 500 ms:",
        "OK" if not errors and p95 < 0.5 else "MISSED",
    )


if __name__ == "__main__":
    main()
