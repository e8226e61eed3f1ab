#!/usr/bin/env python3
"""Load: concurrent JSON-RPC clients doing intakes and referral suggestions.

Creates a throw-away database with our addons and demo data, starts Odoo on
127.0.0.1 with ``--workers=2``, then CLIENTS threads (default 20), each logged in as a
demo agent, loop for DURATION seconds (default 60) doing what an agent does: an intake
(``jecree.call.intake`` create + ``action_save``), then the referral suggestions for
the porteur just saved (antennas ranked with their reasons: the porteur's Refer
button, then the screen it opens). Between two actions a client waits THINK seconds on
average (exponential; 0, the default, is saturation: every client sends its next
request at once; with a think time, each client starts after a random part of it).
The clients log in first, all at once (timed apart), then the timed work starts.
Bounded in time and in count (MAX_REQUESTS); traffic stays on loopback. Prints
throughput, p50/p95 latency per operation, errors.

    python3 bench/load_jsonrpc.py [--clients 20] [--duration 60] [--think 0]
    python3 bench/load_jsonrpc.py --smoke [--db DB]

No baseline (no stock Odoo equivalent is run beside it). The run fails (exit status
1) on any error.

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

from common import ADDONS, add_db_arguments, bench_database

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
        "--think", type=float, default=0.0, help="mean pause between actions (s)"
    )
    parser.add_argument(
        "--modules",
        default="jecree_project,jecree_referral,jecree_followup",
        help="addons to install (those present)",
    )
    add_db_arguments(parser)
    args = parser.parse_args()
    if args.smoke:
        args.clients, args.duration = 2, 15
    modules = [
        m
        for m in args.modules.split(",")
        if os.path.exists(os.path.join(ADDONS, m, "__manifest__.py"))
    ]
    with bench_database(modules, demo=True, template=args.db) as db:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            ["odoo", "-d", db, f"--addons-path={ADDONS}", "--workers=2"]
            + ["--max-cron-threads=0", "--http-interface=127.0.0.1"]
            + [f"--http-port={port}", f"--db-filter=^{db}$", "--log-level=info"]
            + ["--limit-time-real=120"],
            stdout=subprocess.DEVNULL,
            stderr=open(os.environ.get("LOAD_SERVER_LOG", os.devnull), "w"),  # noqa: SIM115
        )
        try:
            wait_up(base)
            ok = run_load(base, db, args)
        finally:
            server.terminate()
            server.wait(30)
    if not ok:
        sys.exit(1)


SUGGESTION_SPEC = {
    "lead_id": {"fields": {"display_name": {}}},
    "line_ids": {"fields": {"antenna_id": {"fields": {"display_name": {}}}, "why": {}}},
}


def intake(client, n, i, rng):
    """An intake as the screen saves it; returns the porteur's id."""
    intake_id = client.call_kw(
        "jecree.call.intake",
        "create",
        [
            {
                "phone": f"09 7{n % 10} {i // 10000 % 100:02d} "
                f"{i // 100 % 100:02d} {i % 100:02d}",
                "contact_name": f"Charge {n}-{i}",
                "zip_code": rng.choice(["59000", "62100", "59100", "59200"]),
                "sector": rng.choice(["commerce", "services", "artisanat"]),
                "project_kind": "creation",
                "nature": "information",
            }
        ],
    )
    intake_id = intake_id[0] if isinstance(intake_id, list) else intake_id
    action = client.call_kw("jecree.call.intake", "action_save", [[intake_id]])
    return action["res_id"]


def suggestions(client, lead_id):
    """The Refer button on the porteur, then the wizard's screen: ranked antennas."""
    action = client.call_kw("crm.lead", "action_jecree_refer", [[lead_id]])
    records = client.call_kw(
        "jecree.referral.wizard",
        "web_read",
        [[action["res_id"]]],
        {"specification": SUGGESTION_SPEC},
    )
    if not records[0]["line_ids"]:
        raise RuntimeError(f"no suggestion for porteur {lead_id}")
    return records[0]["line_ids"]


def log_in_all(base, db, count):
    """The agents log in first, all at once (the morning's logins, timed apart: a
    login hashes the password on purpose, about a second of a worker each); the
    timed work starts when every client is in, so that no intake is counted
    waiting behind the logins. Returns the clients and the login times."""
    clients, logins = [None] * count, []
    lock = threading.Lock()

    def log_in(n):
        login = "agent" if n % 2 else "agent2"
        t0 = time.perf_counter()
        clients[n] = Client(base, db, login, login)
        with lock:
            logins.append(time.perf_counter() - t0)

    threads = [threading.Thread(target=log_in, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if None in clients:
        raise SystemExit("a client could not log in")
    return clients, sorted(logins)


def run_load(base, db, args):
    latencies = {"intake": [], "suggestions": []}
    errors = []
    lock = threading.Lock()
    deadline = None  # set once every client has logged in

    def timed_call(kind, fn, *fn_args):
        t0 = time.perf_counter()
        try:
            result = fn(*fn_args)
        except Exception as error:  # noqa: BLE001 - every failure is counted
            with lock:
                errors.append(f"{kind}: {error!r}"[:200])
            return None
        with lock:
            latencies[kind].append(time.perf_counter() - t0)
        return result

    def pause(rng):
        if args.think:
            time.sleep(min(rng.expovariate(1 / args.think), deadline - time.time(), 10))

    def worker(n, client):
        rng = random.Random(n)
        # with a think time, the agents do not all save at the same instant: each
        # starts after a random part of it (without, the saturation test, at once)
        if args.think:
            time.sleep(rng.uniform(0, args.think))
        i = 0
        while time.time() < deadline:
            with lock:
                done = sum(map(len, latencies.values())) + len(errors)
            if done >= MAX_REQUESTS:
                return
            i += 1
            lead_id = timed_call("intake", intake, client, n, i, rng)
            pause(rng)
            if lead_id and time.time() < deadline:
                timed_call("suggestions", suggestions, client, lead_id)
                pause(rng)

    # warm-up, not counted: both workers load the registry and the views
    for n in range(2):
        client = Client(base, db, "agent", "agent")
        suggestions(client, intake(client, 100 + n, 0, random.Random(n)))
    clients, logins = log_in_all(base, db, args.clients)
    threads = [
        threading.Thread(target=worker, args=(n, clients[n]))
        for n in range(args.clients)
    ]
    started = time.time()
    deadline = started + args.duration
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.time() - started
    print(
        f"\nLoad: {args.clients} JSON-RPC clients, {args.duration} s, --workers=2, "
        f"think time {args.think:g} s"
    )
    print(
        f"  logins       {len(logins):6d} at once before the timed work (not counted "
        f"below): p50 {statistics.median(logins) * 1000:.0f} ms, slowest "
        f"{logins[-1] * 1000:.0f} ms"
    )
    worst = 0.0
    for kind, values in latencies.items():
        values.sort()
        count = len(values)
        line = f"  {kind:12s} {count:6d} done ({count / wall:.1f}/s)"
        if count:
            p95 = values[int(count * 0.95)]
            worst = max(worst, p95)
            line += (
                f", p50 {statistics.median(values) * 1000:.0f} ms, "
                f"p95 {p95 * 1000:.0f} ms"
            )
        print(line)
    print(f"  errors       {len(errors)}")
    for error in sorted(set(errors))[:5]:
        print(f"    {error}")
    ok = not errors and all(latencies.values()) and worst < 0.5
    print("  goal: 0 errors, p95 < 500 ms:", "OK" if ok else "MISSED")
    print("  (no baseline: nothing stock is run beside it)")
    return not errors and all(latencies.values())


if __name__ == "__main__":
    main()
