"""Queueing formulas (scheduler/workload/erlang.py): the published Erlang C worked example, large
traffic against an independent recursion, and Erlang A against a discrete-event
simulation written here (it shares no code with the formulas)."""

from __future__ import annotations

import heapq
import json
import math
import random
from collections import deque
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.workload import erlang

# The published worked example (its source is named in the file), copied from
# ../shared/benchmarks/erlang/cases.json so that the tests need nothing outside the repo.
CASES = Path(__file__).resolve().parent / "data" / "erlang_cases.json"


def _cases():
    return json.loads(CASES.read_text(encoding="utf-8"))["cases"]


def _decimals(value: float) -> int:
    text = repr(value)
    return len(text.split(".")[1]) if "." in text else 0


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["id"])
def test_published_erlang_c_example_is_reproduced(case):
    given, published = case["inputs"], case["published"]
    traffic = given["calls"] * given["aht_seconds"] / (given["interval_minutes"] * 60)
    assert traffic == pytest.approx(published["traffic_erlangs"])
    goal = erlang.Goal(service_level=given["service_level_target"],
                       answer_within_seconds=given["answer_within_seconds"],
                       max_occupancy=given["max_occupancy"])
    agents = int(erlang.fewest_servers([traffic], given["aht_seconds"], goal)[0])
    assert agents == published["agents"]
    m = erlang.erlang_c(agents, traffic, given["aht_seconds"], given["answer_within_seconds"])
    # every figure equals the published one at the precision it is printed with
    for key, value in (("waiting_probability", m.wait_probability),
                       ("service_level", m.service_level),
                       ("average_speed_of_answer_seconds", m.asa_seconds),
                       ("occupancy", m.occupancy)):
        expected = published[key]
        assert round(float(value), _decimals(expected)) == expected, key
    assert int(erlang.gross_up(agents, given["shrinkage"])) == published["agents_after_shrinkage"]
    # one agent fewer misses the service goal
    fewer = erlang.erlang_c(agents - 1, traffic, given["aht_seconds"],
                            given["answer_within_seconds"])
    assert fewer.service_level < given["service_level_target"]


def _erlang_b_recursion(servers: int, traffic: float) -> float:
    """B(0) = 1, B(n) = A B(n-1) / (n + A B(n-1)): stable for any size, no factorials."""
    b = 1.0
    for n in range(1, servers + 1):
        b = traffic * b / (n + traffic * b)
    return b


@pytest.mark.parametrize("servers", [10_001, 10_050, 10_100, 10_200, 10_400])
def test_ten_thousand_erlangs_neither_overflow_nor_lose_precision(servers):
    traffic = 10_000.0
    # the textbook form A^n / n! overflows long before this
    with pytest.raises(OverflowError):
        traffic ** servers / math.factorial(servers)
    b = math.exp(float(erlang.log_erlang_b(servers, traffic)))
    assert b == pytest.approx(_erlang_b_recursion(servers, traffic), rel=1e-9)
    c_expected = servers * b / (servers - traffic * (1 - b))
    m = erlang.erlang_c(servers, traffic, 180, 20)
    assert float(m.wait_probability) == pytest.approx(c_expected, rel=1e-9)
    assert 0 <= float(m.service_level) <= 1 and math.isfinite(float(m.asa_seconds))


def test_fewest_servers_at_ten_thousand_erlangs_is_the_fewest():
    traffic, aht, within = 10_000.0, 180.0, 20.0
    goal = erlang.Goal(service_level=0.9, answer_within_seconds=within)
    n = int(erlang.fewest_servers([traffic], aht, goal)[0])

    def sl(servers):
        b = _erlang_b_recursion(servers, traffic)
        c = servers * b / (servers - traffic * (1 - b))
        return 1 - c * math.exp(-(servers - traffic) * within / aht)

    assert sl(n) >= 0.9 > sl(n - 1)
    # Erlang A at the same size stays finite and within [0, 1]
    a = erlang.erlang_a(n, traffic, aht, 120, within)
    for value in (a.service_level, a.abandon_rate, a.occupancy, a.wait_probability):
        assert 0 <= float(value) <= 1


def test_erlang_a_with_endless_patience_is_erlang_c():
    a = erlang.erlang_a(14, 10, 180, 1e9, 20)
    c = erlang.erlang_c(14, 10, 180, 20)
    assert float(a.service_level) == pytest.approx(float(c.service_level), abs=1e-6)
    assert float(a.wait_probability) == pytest.approx(float(c.wait_probability), abs=1e-6)


def test_occupancy_cap_and_asa_goal_are_the_fewest_that_meet_them():
    # SL 80/20 alone needs 14 at 10 Erlangs; occupancy 0.7 needs 10 / 0.7 -> 15
    assert erlang.fewest_servers([10.0], 180, erlang.Goal(0.8, 20, max_occupancy=0.7))[0] == 15
    assert erlang.fewest_servers([10.0], 180, erlang.Goal(0.8, 20, max_occupancy=10 / 14))[0] == 14
    n = int(erlang.fewest_servers([10.0], 180, erlang.Goal(asa_seconds=5.0))[0])
    assert erlang.erlang_c(n, 10, 180).asa_seconds <= 5.0 < erlang.erlang_c(n - 1, 10, 180).asa_seconds


def test_abandonment_ceiling_is_the_fewest_that_meets_it():
    goal = erlang.Goal(service_level=0.0, max_abandon_rate=0.03)
    n = int(erlang.fewest_servers([10.0], 180, goal, patience_seconds=120)[0])
    assert erlang.erlang_a(n, 10, 180, 120).abandon_rate <= 0.03
    assert erlang.erlang_a(n - 1, 10, 180, 120).abandon_rate > 0.03


def test_chat_concurrency_shares_servers_among_agents():
    goal = erlang.Goal(0.8, 30)
    servers = int(erlang.fewest_servers([25.0], 600, goal)[0])
    for concurrency in (2, 2.5, 3):
        agents = int(erlang.fewest_servers([25.0], 600, goal, servers_per_agent=concurrency)[0])
        assert math.floor(agents * concurrency + 1e-9) >= servers
        assert math.floor((agents - 1) * concurrency + 1e-9) < servers


def test_targets_no_finite_staffing_meets_are_refused():
    with pytest.raises(erlang.Unreachable):
        erlang.fewest_servers([10.0], 180, erlang.Goal(1.0, 20))
    with pytest.raises(erlang.Unreachable):
        erlang.fewest_servers([10.0], 180, erlang.Goal(0.8, 20, max_abandon_rate=0.0),
                              patience_seconds=60)
    # just below 100% is reachable
    n = erlang.fewest_servers([10.0], 180, erlang.Goal(0.9999, 20))[0]
    assert erlang.erlang_c(n, 10, 180, 20).service_level >= 0.9999


def test_shrinkage_components_combine_multiplicatively():
    assert erlang.combined_shrinkage([0.1, 0.05, 0.05]) == pytest.approx(1 - 0.9 * 0.95 * 0.95)
    assert erlang.gross_up(14, erlang.combined_shrinkage([0.1, 0.05, 0.05])) == 18


# ---------------------------------------------------------------- Erlang A by simulation


def simulate_mmn_m(servers, arrival_rate, aht, patience, within, customers, seed):
    """M/M/n+M, first come first served: returns the share answered within `within`
    seconds, the share abandoning and the mean wait of all arrivals."""
    rng = random.Random(seed)
    free = servers
    queue: deque = deque()  # (arrival time, time it gives up)
    busy_until: list[float] = []
    in_time = abandoned = 0
    waited = 0.0
    now = 0.0
    next_arrival = rng.expovariate(arrival_rate)
    arrived = 0

    def serve(t):
        nonlocal free, in_time, abandoned, waited
        while queue and free:
            came, gives_up = queue.popleft()
            if gives_up <= t:
                abandoned += 1
                waited += gives_up - came
                continue
            free -= 1
            waited += t - came
            in_time += t - came <= within
            heapq.heappush(busy_until, t + rng.expovariate(1 / aht))

    while arrived < customers:
        if busy_until and busy_until[0] < next_arrival:
            now = heapq.heappop(busy_until)
            free += 1
        else:
            now = next_arrival
            arrived += 1
            queue.append((now, now + rng.expovariate(1 / patience)))
            next_arrival = now + rng.expovariate(arrival_rate)
        serve(now)
    for came, gives_up in queue:  # still waiting at the end
        abandoned += gives_up <= now
        waited += min(gives_up, now) - came
    return in_time / arrived, abandoned / arrived, waited / arrived


# (servers, Erlangs, aht, patience, T): understaffed, near, well staffed, larger
ERLANG_A_CASES = [(8, 10.0, 180, 120, 20), (11, 10.0, 180, 120, 20), (14, 10.0, 180, 300, 20),
                  (48, 50.0, 240, 60, 30)]


@pytest.mark.parametrize("servers,traffic,aht,patience,within", ERLANG_A_CASES)
def test_erlang_a_agrees_with_a_simulation(servers, traffic, aht, patience, within):
    """200,000 simulated contacts, seeded. Stated tolerance: service level and abandonment
    within 0.01 absolute, mean wait within 5% (several standard errors of the run)."""
    sl, ab, wait = simulate_mmn_m(servers, traffic / aht, aht, patience, within, 200_000, seed=7)
    m = erlang.erlang_a(servers, traffic, aht, patience, within)
    assert float(m.service_level) == pytest.approx(sl, abs=0.01)
    assert float(m.abandon_rate) == pytest.approx(ab, abs=0.01)
    assert float(m.asa_seconds) == pytest.approx(wait, rel=0.05)


def test_erlang_a_fewest_servers_vectorised_over_slots():
    traffic = np.array([0.0, 0.5, 10.0, 80.0, 400.0])
    goal = erlang.Goal(service_level=0.8, answer_within_seconds=20, max_abandon_rate=0.05)
    n = erlang.fewest_servers(traffic, 240, goal, patience_seconds=90)
    assert n[0] == 0
    ok = erlang.erlang_a(n[1:], traffic[1:], 240, 90, 20)
    short = erlang.erlang_a(n[1:] - 1, traffic[1:], 240, 90, 20)
    assert np.all((ok.service_level >= 0.8) & (ok.abandon_rate <= 0.05))
    assert np.all((short.service_level < 0.8) | (short.abandon_rate > 0.05))


# ---------------------------------------------------------------- Erlang A, state by state


def erlang_a_by_states(servers, traffic, aht, patience, within, extra_states=150):
    """Erlang A from the birth-death chain truncated far in its tail, and, for an arrival
    that finds j waiting, the chance of reaching an agent within T before giving up from
    the matrix exponential of the pure-death chain of the contacts ahead of it."""
    from scipy.linalg import expm

    mu, theta = 1 / aht, 1 / patience
    lam = traffic * mu
    top = servers + extra_states
    pi = np.ones(top + 1)
    for k in range(1, top + 1):
        pi[k] = pi[k - 1] * lam / (min(k, servers) * mu + max(0, k - servers) * theta)
    pi /= pi.sum()
    abandon = sum((k - servers) * theta * pi[k] for k in range(servers + 1, top + 1)) / lam
    # states 0..J: contacts ahead; J+1: answered; J+2: gave up
    waiting = extra_states
    q = np.zeros((waiting + 3, waiting + 3))
    for i in range(waiting + 1):
        q[i, i - 1 if i else waiting + 1] = servers * mu + i * theta
        q[i, waiting + 2] = theta
        q[i, i] = -(servers * mu + (i + 1) * theta)
    answered = expm(q * within)[:waiting + 1, waiting + 1]
    sl = pi[:servers].sum() + sum(pi[servers + j] * answered[j] for j in range(waiting))
    return sl, abandon


@pytest.mark.parametrize("servers,traffic,aht,patience,within", [
    (3, 2.0, 180, 100, 20), (5, 4.0, 300, 60, 15), (9, 12.0, 240, 120, 30), (20, 18.0, 60, 600, 10),
])
def test_erlang_a_closed_form_equals_the_state_by_state_computation(servers, traffic, aht,
                                                                    patience, within):
    sl, abandon = erlang_a_by_states(servers, traffic, aht, patience, within)
    m = erlang.erlang_a(servers, traffic, aht, patience, within)
    assert float(m.service_level) == pytest.approx(sl, abs=1e-9)
    assert float(m.abandon_rate) == pytest.approx(abandon, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(traffic=st.floats(0.05, 800), aht=st.floats(10, 1200), within=st.floats(0, 300),
       target=st.floats(0.05, 0.99), patience=st.one_of(st.none(), st.floats(5, 900)),
       occupancy=st.floats(0.5, 1.0))
def test_fewest_servers_is_the_fewest(traffic, aht, within, target, patience, occupancy):
    goal = erlang.Goal(service_level=target, answer_within_seconds=within,
                       max_occupancy=occupancy)
    n = int(erlang.fewest_servers([traffic], aht, goal, patience_seconds=patience)[0])

    def meets(servers):
        m = erlang.metrics(servers, traffic, aht, within, patience)
        return float(m.service_level) >= target - 1e-12 and float(m.occupancy) <= occupancy + 1e-12

    assert meets(n)
    assert n == 1 or not meets(n - 1)
