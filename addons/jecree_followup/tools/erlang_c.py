# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Erlang C staffing, in pure python.

With A = arrivals per second x average handling time (the traffic in erlangs) and N
agents (N > A), the probability that a call waits is

    Pw = (A^N / N!) * N / (N - A)  /  (sum_{k<N} A^k / k!  +  A^N / N! * N / (N - A))

and the share of calls answered within t seconds (the service level) is

    SL = 1 - Pw * exp(-(N - A) * t / AHT).

The terms A^k / k! are built by recurrence, so large N neither overflows nor loses
precision.
"""

import math

MAX_AGENTS = 1000


def erlang_c(traffic, agents):
    """Probability that a call waits (Erlang C) for `traffic` erlangs, `agents`."""
    if traffic < 0 or agents < 0:
        raise ValueError("traffic and agents must be positive")
    if traffic == 0:
        return 0.0
    if agents <= traffic:
        return 1.0
    term = 1.0  # A^k / k! for k = 0
    total = 0.0
    for k in range(agents):
        total += term
        term *= traffic / (k + 1)
    # term is now A^N / N!
    waiting = term * agents / (agents - traffic)
    return waiting / (total + waiting)


def service_level(calls_per_hour, aht_seconds, agents, answer_seconds=20):
    """Share of calls answered within `answer_seconds` with `agents` agents."""
    traffic = calls_per_hour * aht_seconds / 3600.0
    if traffic == 0:
        return 1.0
    if agents <= traffic:
        return 0.0
    wait = erlang_c(traffic, agents)
    return 1.0 - wait * math.exp(-(agents - traffic) * answer_seconds / aht_seconds)


def agents_needed(
    calls_per_hour, aht_seconds, target_level=0.8, answer_seconds=20, max_agents=None
):
    """Fewest agents answering `target_level` of the calls within `answer_seconds`."""
    if calls_per_hour < 0 or aht_seconds < 0:
        raise ValueError("arrivals and handling time must be positive")
    if not 0 < target_level < 1:
        raise ValueError("the target service level must be between 0 and 1")
    if calls_per_hour == 0 or aht_seconds == 0:
        return 0
    traffic = calls_per_hour * aht_seconds / 3600.0
    agents = max(1, math.floor(traffic) + 1)
    limit = max_agents or MAX_AGENTS
    while agents <= limit:
        if service_level(calls_per_hour, aht_seconds, agents, answer_seconds) >= (
            target_level
        ):
            return agents
        agents += 1
    raise ValueError("more than %s agents would be needed" % limit)
