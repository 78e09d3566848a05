"""Wrapping working-day patterns by column generation (scheduler/engine/cyclic_columns.py).

Patterns are checked here by plain counting (working days in every 7-day window read
around the wrap), not by the engine's own rule automaton."""

from __future__ import annotations

import itertools
import math
import time

import numpy as np
import pytest

from scheduler.engine import cyclic_columns
from scheduler.engine.cyclic_columns import (_Network, _price, cyclic_patterns, loosest_pair,
                                             trim)
from scheduler.engine.patterns import _reachable_states, _Rules

ROTATION = [1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 0]


def most_in_any_week(bits: list[int]) -> int:
    """The most working days in 7 consecutive days, reading the cycle around."""
    n = len(bits)
    return max(sum(bits[(s + k) % n] for k in range(7)) for s in range(n))


def solve(need: list[int], caps: dict[int, int] | None = None, k7: int = 5):
    rules = _Rules(k7, None)
    return cyclic_patterns(rules.step, _reachable_states(rules), need, caps or {},
                           time.monotonic() + 30)


def test_patterns_wrap_and_meet_every_day_exactly_with_the_bound():
    n = len(ROTATION)
    need = [2 * sum(ROTATION[(d - r) % n] for r in range(n)) for d in range(n)]
    found = solve(need)
    assert found is not None
    patterns, bound = found
    assert all(most_in_any_week(p) <= 5 for p in patterns)
    assert [sum(p[d] for p in patterns) for d in range(n)] == need
    # 5 days in 7 at most: 10 in 14, so at least sum(need) / 10 agents
    assert bound >= math.ceil(sum(need) / 10)
    assert len(patterns) == bound  # the rotations use 28; fewer agents suffice
    assert len(patterns) < 2 * n


def test_uneven_weeks_still_wrap():
    need = [9, 8, 8, 7, 7, 4, 4, 11, 10, 9, 9, 8, 5, 5, 9, 9, 8, 8, 7, 3, 4, 8, 8, 8, 7, 7, 5, 4]
    patterns, bound = solve(need)
    assert all(most_in_any_week(p) <= 5 for p in patterns)
    assert [sum(p[d] for p in patterns) for d in range(len(need))] == need
    assert bound >= math.ceil(max(sum(need[(s + k) % 28] for k in range(7)) for s in range(28)) / 5)
    assert len(patterns) >= bound


@pytest.mark.parametrize("cap", [0, 3])
def test_a_cap_on_a_pair_of_days_is_met_exactly_or_under(cap):
    n = len(ROTATION)
    need = [2 * sum(ROTATION[(d - r) % n] for r in range(n)) for d in range(n)]
    plain, _ = solve(need)
    assert sum(1 for p in plain if p[13] and p[0]) > cap  # the cap binds
    patterns, _ = solve(need, {13: cap})  # day 13 and the day after it: day 0, over the wrap
    assert sum(1 for p in patterns if p[13] and p[0]) <= cap
    assert [sum(p[d] for p in patterns) for d in range(n)] == need


def test_pricing_finds_the_cheapest_wrapping_pattern_of_every_start():
    """Against brute force over all 2**8 patterns of an 8-day cycle."""
    n, rules = 8, _Rules(5, None)
    states = _reachable_states(rules)
    net = _Network(rules.step, states)
    rng = np.random.default_rng(3)
    for _ in range(5):
        duals = rng.uniform(0, 0.5, n)
        pairs = {2: -rng.uniform(0, 0.3), 7: -rng.uniform(0, 0.3)}
        found = _price(net, duals, pairs, 1.0, 0.0)

        def reduced(bits) -> float:
            value = 1.0 - sum(duals[d] for d in range(n) if bits[d])
            return value - sum(v for j, v in pairs.items() if bits[j] and bits[(j + 1) % n])

        legal = [b for b in itertools.product((0, 1), repeat=n) if most_in_any_week(list(b)) <= 5]
        best = min(reduced(b) for b in legal)
        if best < -1e-6:
            assert found and min(rc for rc, _ in found) == pytest.approx(best)
            for rc, bits in found:
                assert most_in_any_week(list(bits)) <= 5
                assert rc == pytest.approx(reduced(bits))
        else:
            assert not found


def test_too_many_states_are_left_to_the_day_flow():
    rules = _Rules(7, 9)  # runs of up to 9 days remembered: 2**9 states
    assert cyclic_patterns(rules.step, _reachable_states(rules), [3] * 14, {},
                           time.monotonic() + 5) is None


def test_placing_shifts_starts_after_the_pair_of_days_with_most_room():
    patterns = [[1, 1, 0, 1], [1, 1, 1, 0], [0, 1, 1, 1]]
    need = [2, 3, 2, 2]
    # pairs (0,1): 2 both of min(2,3)=2; (1,2): 2 of 2; (2,3): 1 of 2; (3,0): 1 of 2 but capped at 1
    assert loosest_pair(patterns, {3: 1}, need) == 2
    assert loosest_pair(patterns, {}, need) in (2, 3)
    assert loosest_pair(patterns, {2: 1}, need) == 3



def test_days_worked_by_more_agents_than_needed_are_dropped_capped_pairs_first():
    patterns = [[1, 1, 0, 0], [1, 0, 0, 1], [0, 1, 1, 0], [1, 0, 0, 0]]
    # day 0 is worked by 3 where 1 is needed; the pair (0, 1) is capped
    trimmed = trim([list(p) for p in patterns], [1, 2, 1, 1], {0: 5})
    assert [sum(p[d] for p in trimmed) for d in range(4)] == [1, 2, 1, 1]
    # the pattern working the capped pair (0, 1) loses day 0 first, then the one working
    # fewest days: [1, 0, 0, 0], left with none, is no agent
    assert trimmed == [[0, 1, 0, 0], [1, 0, 0, 1], [0, 1, 1, 0]]
    assert trim([list(p) for p in patterns], [3, 2, 1, 1], {}) == patterns  # none extra


def test_a_dive_priced_only_a_little_still_meets_every_day_exactly(monkeypatch):
    """Each day asks for at least its need, so the dive may round any column up and stop
    pricing early: the patterns are trimmed to the need."""
    need = [9, 8, 8, 7, 7, 4, 4, 11, 10, 9, 9, 8, 5, 5, 9, 9, 8, 8, 7, 3, 4, 8, 8, 8, 7, 7, 5, 4]
    monkeypatch.setattr(cyclic_columns, "DIVE_ROUNDS", 0)
    monkeypatch.setattr(cyclic_columns, "SPREAD_ROUNDS", 0)
    patterns, bound = solve(need, {3: 4, 10: 5})
    assert all(most_in_any_week(p) <= 5 for p in patterns)
    assert [sum(p[d] for p in patterns) for d in range(len(need))] == need
    assert sum(1 for p in patterns if p[3] and p[4]) <= 4
    assert sum(1 for p in patterns if p[10] and p[11]) <= 5
    assert len(patterns) >= bound
