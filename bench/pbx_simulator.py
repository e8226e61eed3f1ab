#!/usr/bin/env python3
"""A phone system simulator: replays a day of the call center's traffic against the
webhook ``POST /jecree/telephony/event`` of a running Odoo, on loopback.

The day is the article's: 2,341 calls a month over 21 opening days (about 111 a
day), from 8:00 to 21:00, busier in the morning; 85 % answered (talk time
exponential, 4.5 minutes on average), the others ring out (missed calls, some
calling again); a share of the callers are returning ones (numbers drawn again).
Every call sends ``ringing`` (to one of the agents' extensions), then ``answered``
and ``hangup`` (with its duration), or ``hangup`` alone. Numbers are generated
(French fixed and mobile), never real ones.

The day is compressed into DURATION seconds of real time; the run stops at COUNT
calls or DURATION seconds, whichever comes first (hard caps: 5,000 calls, one hour).
Only loopback addresses are accepted.

    python3 bench/pbx_simulator.py --url http://127.0.0.1:8069 --token TOKEN \\
        --extensions 201,202,203 [--calls 111] [--duration 60] [--seed 1]
    python3 bench/pbx_simulator.py ... --replay-share 0.05   # some events sent twice

Prints the events sent, the answers by HTTP status, and the latency (p50, p95).
Exit status 1 if any answer is a 5xx or not JSON.
"""

import argparse
import ipaddress
import json
import random
import socket
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

MAX_CALLS = 5000
MAX_DURATION = 3600
CALLS_PER_DAY = round(2341 / 21)
ANSWER_RATE = 0.85
MEAN_TALK_SECONDS = 270
RETURNING_SHARE = 0.3
OPENING = (8, 21)
# share of the day's calls by hour (8:00 … 20:00): busier in the morning
HOURLY = [6, 11, 12, 11, 7, 8, 10, 9, 8, 6, 5, 4, 3]


def loopback_only(url):
    host = urlsplit(url).hostname or ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except socket.gaierror:
        sys.exit(f"pbx_simulator: unknown host {host}")
    if not all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses):
        sys.exit(f"pbx_simulator: {host} is not a loopback address; refusing")


def phone_number(rng):
    if rng.random() < 0.6:
        return f"06{rng.randrange(10**8):08d}"
    return f"032{rng.randrange(10**7):07d}"


def day_of_calls(rng, count, extensions):
    """[(offset in the day in seconds, call)], sorted."""
    seen, calls = [], []
    hours = [OPENING[0] + h for h in range(len(HOURLY))]
    for n in range(count):
        hour = rng.choices(hours, weights=HOURLY)[0]
        offset = (hour - OPENING[0]) * 3600 + rng.randrange(3600)
        if seen and rng.random() < RETURNING_SHARE:
            number = rng.choice(seen)
        else:
            number = phone_number(rng)
            seen.append(number)
        answered = rng.random() < ANSWER_RATE
        calls.append(
            (
                offset,
                {
                    "call_id": f"sim-{rng.randrange(10**9)}-{n}",
                    "from": number,
                    "extension": rng.choice(extensions),
                    "answered": answered,
                    "ring_seconds": rng.randint(3, 25),
                    "talk_seconds": round(rng.expovariate(1 / MEAN_TALK_SECONDS))
                    if answered
                    else 0,
                },
            )
        )
    return sorted(calls, key=lambda item: item[0])


class Sender:
    def __init__(self, url, token, timeout=10):
        self.url = url.rstrip("/") + "/jecree/telephony/event"
        self.token = token
        self.timeout = timeout
        self.lock = threading.Lock()
        self.statuses = {}
        self.latencies = []
        self.bad = 0

    def send(self, payload):
        request = urllib.request.Request(
            self.url,
            data=json.dumps(payload).encode(),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self.token}",
            },
            method="POST",
        )
        t0 = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                status, body = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read()
        except OSError:
            status, body = "no answer", b""
        elapsed = time.perf_counter() - t0
        try:
            json.loads(body)
            is_json = True
        except ValueError:
            is_json = False
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            self.latencies.append(elapsed)
            if not is_json or not isinstance(status, int) or status >= 500:
                self.bad += 1
        return status


def play_call(sender, call, scale, rng, replay_share):
    """The events of one call, spaced by its (compressed) ring and talk times."""
    base = {"call_id": call["call_id"], "from": call["from"]}
    events = [dict(base, event="ringing", extension=call["extension"])]
    if call["answered"]:
        events.append(dict(base, event="answered", extension=call["extension"]))
        events.append(dict(base, event="hangup", duration=call["talk_seconds"]))
        pauses = [call["ring_seconds"], call["talk_seconds"]]
    else:
        events.append(dict(base, event="hangup", duration=0))
        pauses = [call["ring_seconds"]]
    for n, event in enumerate(events):
        sender.send(event)
        if rng.random() < replay_share:
            sender.send(event)  # a phone system that retries
        if n < len(pauses):
            time.sleep(min(pauses[n] * scale, 5))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--token", required=True)
    parser.add_argument("--extensions", required=True, help="comma-separated")
    parser.add_argument("--calls", type=int, default=CALLS_PER_DAY)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--replay-share", type=float, default=0.0)
    args = parser.parse_args(argv)
    loopback_only(args.url)
    count = max(0, min(args.calls, MAX_CALLS))
    duration = max(1.0, min(args.duration, MAX_DURATION))
    rng = random.Random(args.seed)
    extensions = [e.strip() for e in args.extensions.split(",") if e.strip()]
    day = day_of_calls(rng, count, extensions)
    day_seconds = (OPENING[1] - OPENING[0]) * 3600
    scale = duration / day_seconds  # real seconds per simulated second
    sender = Sender(args.url, args.token)
    start = time.monotonic()
    threads = []
    for offset, call in day:
        wait = offset * scale - (time.monotonic() - start)
        if time.monotonic() - start >= duration:
            break
        if wait > 0:
            time.sleep(wait)
        thread = threading.Thread(
            target=play_call,
            args=(
                sender,
                call,
                scale,
                random.Random(call["call_id"]),
                args.replay_share,
            ),
            daemon=True,
        )
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join(timeout=max(1.0, duration - (time.monotonic() - start)) + 10)
    latencies = sorted(sender.latencies)
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else 0
    print(
        json.dumps(
            {
                "calls": len(threads),
                "events": len(latencies),
                "statuses": {str(k): v for k, v in sender.statuses.items()},
                "p50_ms": round(statistics.median(latencies) * 1000, 1)
                if latencies
                else None,
                "p95_ms": round(p95 * 1000, 1),
                "bad_answers": sender.bad,
                "seconds": round(time.monotonic() - start, 1),
            }
        )
    )
    return 1 if sender.bad else 0


if __name__ == "__main__":
    sys.exit(main())
