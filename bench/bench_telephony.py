#!/usr/bin/env python3
"""Telephony: the ringing event to the agent's screen, and the caller-name look-up.

A throw-away database with jecree_project; PORTEURS porteurs (default 30,000) seeded
in SQL, each with a contact (res.partner) of the same phone for the baseline; 20
agents with extensions; a phone system with its token. Odoo is started on
127.0.0.1 with ``--workers=2``, as the deployment starts it
(docker/entrypoint-jecree.sh, docs/telephony.md): under socket activation
(``scripts/socket_activate.py``), its workers sharing a socket with the system's
connection queue. Then the same rounds on
Odoo started as usual (``odoo --workers=2``, its own socket: a queue of 8 connections
per worker), printed as an extra line.

1. Screen pop: rounds of CONCURRENT (default 20) ``ringing`` events posted at once
   to ``/jecree/telephony/event``, each from a seeded porteur's number to another
   agent's extension. The answer comes once the notification is committed on the
   agent's bus channel (``bus.bus``), so its latency is the event-to-notification
   time but the last hop (the websocket push). Baseline, in alternating rounds: the
   same number of concurrent requests doing a stock ``res.partner`` phone search
   (``/json/2/res.partner/search_read``, ``phone ilike`` the number's last nine
   digits, as OCA base_phone does) with an API key. Both requests name the
   database (``X-Odoo-Database``) and ask for French (``Accept-Language``), as a
   phone system is told to in docs/telephony.md. Then one call at a time (the
   request's own time, without the queue). Every notification is checked in
   bus.bus afterwards. ``--also-workers 4`` repeats it on a server with 4 workers,
   printed as extra lines (the goal is with 2); ``--also-evented`` repeats it on a
   server with 2 workers, both requests posted to its evented (gevent) port.
2. Caller-name look-up (``jecree.phone.common.get_name_from_phone_number``, the
   phone display's question), in one process, median of LOOKUPS numbers; baseline:
   OCA base_phone's stock search on res.partner (``phone =like %<last digits>``).

    python3 bench/bench_telephony.py [--porteurs 30000] [--rounds 10] [--also-workers 4]
        [--also-evented] [--simulate 111]
    python3 bench/bench_telephony.py --smoke [--db DB]

Goals (issue 13): screen pop p95 under 100 ms with 20 calls ringing at once; the
look-up under 5 ms median.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta

sys.path.insert(0, os.path.dirname(__file__))

import pbx_simulator
from common import ADDONS, add_db_arguments, bench_database, ms, odoo_env, report
from load_jsonrpc import free_port, wait_up

TOKEN = "bench-telephony-token-not-a-secret"
AGENTS = 20
WORKERS = 2  # the goal's
FIRST_ERRORS = []
ACTIVATE = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    "scripts",
    "socket_activate.py",
)


def seed(env, count):
    """Porteurs and their contacts (same phone), agents, a phone system, an API
    key for the baseline; committed (the server reads them)."""
    cr = env.cr
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, phone, phone_sanitized, active,
            type, is_company, create_date, write_date, create_uid, write_uid)
        SELECT 'Porteur ' || g, 'Porteur ' || g,
            '+33 6 ' || lpad((10000000 + g)::text, 8, '0'),
            '+336' || lpad((10000000 + g)::text, 8, '0'),
            true, 'contact', false, now(), now(), 1, 1
        FROM generate_series(1, %(count)s) g
        """,
        {"count": count},
    )
    cr.execute(
        """
        INSERT INTO crm_lead (name, contact_name, type, active, phone,
            phone_sanitized, company_id, user_id, team_id, is_porteur, partner_id,
            create_date, write_date, create_uid, write_uid, probability)
        SELECT p.name, p.name, 'opportunity', true, p.phone, p.phone_sanitized,
            %(company)s, 1, %(team)s, true, p.id, now(), now(), 1, 1, 10
        FROM res_partner p WHERE p.name LIKE 'Porteur %%'
        """,
        {"company": env.company.id, "team": env.company.jecree_team_id.id},
    )
    cr.execute("ANALYZE crm_lead")
    cr.execute("ANALYZE res_partner")
    Users = env["res.users"].with_context(no_reset_password=True)
    agent_group = env.ref("jecree_project.group_jecree_agent")
    for n in range(AGENTS):
        Users.create(
            {
                "name": f"Agent {n}",
                "login": f"bench_agent_{n}",
                "group_ids": [(4, agent_group.id)],
                "jecree_phone_extension": str(300 + n),
            }
        )
    system = env["jecree.telephony.system"].create({"name": "Bench PBX"})
    system.sudo().token_hash = system._jecree_hash(TOKEN)
    admin = env.ref("base.user_admin")
    key = (
        env["res.users.apikeys"]
        .with_user(admin)
        .sudo()
        ._generate(None, "bench", datetime.now() + timedelta(days=1))
    )
    cr.commit()
    return key


def post(url, payload, headers):
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", **headers},
        method="POST",
    )
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status = response.status
            response.read()
    except urllib.error.HTTPError as error:
        status = error.code
        body = error.read()[:300]
        if status != 200 and not FIRST_ERRORS:
            FIRST_ERRORS.append(body)
            print(f"[bench] {url}: {status} {body!r}", file=sys.stderr)
    return status, time.perf_counter() - t0


def concurrent(requests_):
    """Send the (url, payload, headers) all at once; [(status, seconds)]."""
    results = [None] * len(requests_)
    barrier = threading.Barrier(len(requests_))

    def run(i, request):
        barrier.wait()
        results[i] = post(*request)

    threads = [
        threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests_)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def compared(name, statistic, ours, baseline, goal=None):
    """A report row: `statistic` of our durations and of the baseline's, their
    ratio, and with `goal` (seconds) whether ours is under it."""
    ours, baseline = statistic(ours), statistic(baseline)
    return (
        name,
        ms(ours),
        ms(baseline),
        f"{ours / baseline:.2f}x",
        f"< {goal * 1000:g} ms" if goal else "",
        ("ok" if ours < goal else "MISSED") if goal else "",
    )


def p95(values):
    values = sorted(values)
    return values[int(0.95 * (len(values) - 1))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--porteurs", type=int, default=30000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--concurrent", type=int, default=AGENTS)
    parser.add_argument("--lookups", type=int, default=500)
    parser.add_argument(
        "--also-workers",
        type=int,
        default=0,
        help="then the same rounds on a server with this many workers (an extra "
        "line: the goal is with 2)",
    )
    parser.add_argument(
        "--also-evented",
        action="store_true",
        help="then the same rounds, on a server with 2 workers, posted to its "
        "evented (gevent) port instead of the workers' port: an extra line",
    )
    parser.add_argument(
        "--simulate",
        type=int,
        default=0,
        help="then replay this many calls of a day with bench/pbx_simulator.py",
    )
    add_db_arguments(parser)
    args = parser.parse_args()
    if args.smoke:
        args.porteurs, args.rounds, args.lookups = 500, 2, 50
    args.concurrent = min(args.concurrent, AGENTS)
    load_before = os.getloadavg()
    with bench_database(["jecree_project"], template=args.db) as db:
        with odoo_env(db) as env:
            key = seed(env, args.porteurs)
        # the goal's: Odoo as deployed, under socket activation
        runs = [
            serve_and_ring(
                db, key, args, WORKERS, "main", args.simulate, activated=True
            ),
            serve_and_ring(db, key, args, WORKERS, "plain", 0),
        ]
        if args.also_workers:
            runs.append(
                serve_and_ring(
                    db, key, args, args.also_workers, "extra", 0, activated=True
                )
            )
        if args.also_evented:
            runs.append(
                serve_and_ring(db, key, args, WORKERS, "evented", 0, evented=True)
            )
        with odoo_env(db) as env:
            env.cr.execute(
                "SELECT count(*) FROM bus_bus WHERE message LIKE "
                "'%%jecree_incoming_call%%'"
            )
            notified = env.cr.fetchone()[0]
            lookup, stock = lookups(env, args.porteurs, args.lookups)
    rows = []
    for run in runs:
        ours, baseline = run["ours"], run["baseline"]
        single, single_base = run["single"], run["single_base"]
        label = f"--workers={run['workers']}"
        goal = run["workers"] == WORKERS and run["activated"]
        if run["evented"]:
            label += ", posted to the evented port, extra line"
        elif not run["activated"]:
            label += ", started as usual (its own queue of 8 a worker), extra line"
        elif goal:
            label += ", socket activation as deployed"
        else:
            label += ", socket activation, extra line, not the goal's"
        rows += [
            compared(
                f"screen pop p95 ({args.concurrent} at once, {label})",
                p95,
                ours,
                baseline,
                goal=0.1 if goal else None,
            ),
            compared(f"screen pop p50 ({label})", statistics.median, ours, baseline),
            (
                # a connection refused by a full listen queue (Odoo's prefork
                # server listens with a backlog of 8 per worker: 16 for 2
                # workers, fewer than 20 at once) is retried by the client's
                # TCP after 1 s
                f"requests of 1 s or more ({label})",
                f"{sum(s >= 1 for s in ours)} of {len(ours)}",
                f"{sum(s >= 1 for s in baseline)} of {len(baseline)}",
                "",
                "",
                "",
            ),
            compared(
                f"screen pop, one call at a time, p50 ({label})",
                statistics.median,
                single,
                single_base,
            ),
        ]
    rows.append(
        compared(
            "caller-name look-up median",
            statistics.median,
            lookup,
            stock,
            goal=0.005,
        )
    )
    report(
        f"Telephony on {args.porteurs:,} porteurs, {args.rounds} rounds of "
        f"{args.concurrent} ringing calls at once, ours and the baseline alternated "
        "(baseline: stock res.partner phone search over /json/2); both send "
        "X-Odoo-Database and Accept-Language: fr-FR",
        rows,
    )
    sent = sum(run["sent"] for run in runs)
    errors = sum(run["errors"] for run in runs)
    print(f"notifications in bus.bus: {notified} for {sent} ringing events")
    print("load average before the run: %.1f %.1f %.1f" % load_before)
    for run in runs:
        print(
            f"load average after the --workers={run['workers']}"
            f"{' (evented port)' if run['evented'] else ''}"
            f"{' (socket activation)' if run['activated'] else ''} rounds: "
            "%.1f %.1f %.1f" % run["load"]
        )
    print(f"cores: {os.cpu_count()}; client: {args.concurrent} threads, same machine")
    for run in runs:
        counted = len(run["ours"]) or 1
        print(
            f"client CPU per request, --workers={run['workers']}"
            f"{' (evented port)' if run['evented'] else ''}"
            f"{' (socket activation)' if run['activated'] else ''}: "
            f"ours {ms(run['client_cpu']['ours'] / counted)}, "
            f"baseline {ms(run['client_cpu']['baseline'] / counted)}"
        )
    print(f"errors: {errors} {[run['statuses'] for run in runs]}")
    if errors or notified < sent:
        sys.exit(1)
    # a full run fails when a goal is missed (a smoke run's figures are not measures)
    missed = [row[0] for row in rows if row[5] == "MISSED"]
    if missed and not args.smoke:
        print(f"goals missed: {', '.join(missed)}", file=sys.stderr)
        sys.exit(2)


def serve_and_ring(
    db, key, args, workers, name, simulate, evented=False, activated=False
):
    """Start Odoo with `workers` workers, time the rounds (ours and the
    baseline alternated), then one call at a time; stop it. With `evented`,
    both requests go to the server's evented (gevent) port, which serves every
    route too, with a deeper listen queue, instead of the workers' port. With
    `activated`, Odoo is started under socket activation (scripts/socket_activate.py):
    its workers share a listening socket with the system's queue (SOMAXCONN)."""
    port, gevent_port = free_port(), free_port()
    base = f"http://127.0.0.1:{port}"
    launcher = []
    if activated:
        launcher = [sys.executable, ACTIVATE, f"127.0.0.1:{port}"]
    server = subprocess.Popen(
        launcher
        + ["odoo", "-d", db, f"--addons-path={ADDONS}", f"--workers={workers}"]
        + ["--max-cron-threads=0", "--http-interface=127.0.0.1"]
        + [f"--http-port={port}", f"--gevent-port={gevent_port}"]
        + [f"--db-filter=^{db}$", "--log-level=warn", "--limit-time-real=120"],
        stdout=subprocess.DEVNULL,
        stderr=open(os.environ.get("BENCH_SERVER_LOG", os.devnull), "w"),  # noqa: SIM115
    )
    # both requests name the database, as Odoo's JSON-2 documentation says (else,
    # with --db-filter, Odoo lists the databases through a new connection at each
    # request), and ask for French (else, on a database without en_US, Odoo reads
    # the company's language at each request: 3 queries)
    database = {"X-Odoo-Database": db, "Accept-Language": "fr-FR"}
    pop_headers = {"Authorization": f"Bearer {TOKEN}", **database}
    search_headers = {"Authorization": f"Bearer {key}", **database}
    try:
        wait_up(base)
        ours, baseline, errors = [], [], 0
        front = base
        if evented:
            front = f"http://127.0.0.1:{gevent_port}"
            wait_up(front)
        webhook = front + "/jecree/telephony/event"
        search = front + "/json/2/res.partner/search_read"
        sent, statuses = 0, {}
        # the benchmark's own CPU (its 20 client threads) while the rounds run: it
        # shares the 2 cores with the server and PostgreSQL
        client_cpu = {"ours": 0.0, "baseline": 0.0}
        for round_ in range(-1, args.rounds):  # round -1: warm-up, not counted
            numbers = [
                f"06{10000000 + 1 + (round_ + 1) * 997 + i * 31:08d}"
                for i in range(args.concurrent)
            ]
            pops = [
                (
                    webhook,
                    {
                        "event": "ringing",
                        "call_id": f"bench-{name}-{round_}-{i}",
                        "from": number,
                        "extension": str(300 + i),
                    },
                    pop_headers,
                )
                for i, number in enumerate(numbers)
            ]
            searches = [
                (
                    search,
                    {
                        "domain": [["phone", "ilike", number[-9:]]],
                        "fields": ["name"],
                        "limit": 8,
                    },
                    search_headers,
                )
                for number in numbers
            ]
            for kind, batch, bucket in (
                ("ours", pops, ours),
                ("baseline", searches, baseline),
            ):
                cpu = time.process_time()
                results = concurrent(batch)
                if round_ >= 0:
                    client_cpu[kind] += time.process_time() - cpu
                for status, __ in results:
                    if status != 200:
                        errors += 1
                        statuses[kind, status] = statuses.get((kind, status), 0) + 1
                if round_ >= 0:
                    bucket.extend(seconds for __, seconds in results)
                if kind == "ours":
                    sent += len(batch)
        # one call at a time: the request's own time, without the queue
        single, single_base = [], []
        for n in range(args.rounds * 2):
            number = f"06{10000000 + 1 + (n * 7919) % args.porteurs:08d}"
            status, seconds = post(
                webhook,
                {
                    "event": "ringing",
                    "call_id": f"bench-{name}-single-{n}",
                    "from": number,
                    "extension": str(300 + n % AGENTS),
                },
                pop_headers,
            )
            errors += status != 200
            sent += 1
            single.append(seconds)
            status, seconds = post(
                search,
                {"domain": [["phone", "ilike", number[-9:]]], "fields": ["name"]},
                search_headers,
            )
            errors += status != 200
            single_base.append(seconds)
        if simulate:
            simulated = pbx_simulator.main(
                [
                    f"--url={base}",
                    f"--token={TOKEN}",
                    "--extensions=" + ",".join(str(300 + n) for n in range(AGENTS)),
                    f"--calls={simulate}",
                    "--duration=30",
                    "--replay-share=0.05",
                ]
            )
            errors += simulated
        load = os.getloadavg()
    finally:
        server.terminate()
        server.wait(30)
    return {
        "workers": workers,
        "evented": evented,
        "activated": activated,
        "ours": ours,
        "baseline": baseline,
        "single": single,
        "single_base": single_base,
        "errors": errors,
        "sent": sent,
        "statuses": statuses,
        "load": load,
        "client_cpu": client_cpu,
    }


def lookups(env, porteurs, count):
    """Durations of our caller-name look-up and of base_phone's stock search."""
    Common = env["jecree.phone.common"]
    Partner = env["res.partner"]
    numbers = [f"06{10000000 + 1 + (i * 7919) % porteurs:08d}" for i in range(count)]
    ours, stock = [], []
    Common.get_name_from_phone_number(numbers[0])  # warm
    for number in numbers:
        env.invalidate_all()
        t0 = time.perf_counter()
        name = Common.get_name_from_phone_number(number)
        ours.append(time.perf_counter() - t0)
        assert name, number
        env.invalidate_all()
        t0 = time.perf_counter()
        partner = Partner.search([("phone", "=like", "%" + number[-9:])], limit=1)
        partner.display_name  # noqa: B018
        stock.append(time.perf_counter() - t0)
    return ours, stock


if __name__ == "__main__":
    main()
