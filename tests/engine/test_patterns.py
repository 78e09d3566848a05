"""Rosters from working-day patterns (scheduler/engine/patterns.py).

The rosters are checked here by plain counting written for these tests (days in every
7-day window, hours between shifts), not by the roster module's own roster_ok."""

from __future__ import annotations

import math
import time

import pytest
from typer.testing import CliRunner

from scheduler.check import check_output_dir
from scheduler.cli import app
from scheduler.engine.instance import Instance
from scheduler.workload.loaded import load_scenario
import scheduler.engine.patterns as patterns_module
from scheduler.engine.patterns import _Rules, _split_paths, pattern_roster

PARAMS = {"num_workers": 2, "random_seed": 0}

# early 06:00-14:00, late 14:00-22:00, night 22:00-06:00; with 12 h rest a late shift
# cannot be followed by an early one, and a night only by another night
SHIFTS = [
    {"name": "early", "paid_hours": [8], "earliest_start": "06:00", "latest_start": "06:00"},
    {"name": "late", "paid_hours": [8], "earliest_start": "14:00", "latest_start": "14:00"},
    {"name": "night", "paid_hours": [8], "earliest_start": "22:00", "latest_start": "22:00"},
]
WEEKDAY = {"early": 4, "late": 3, "night": 2}
WEEKEND = {"early": 2, "late": 2, "night": 2}


def three_shift_scenario(days: int, cyclic: bool) -> dict:
    """Demand that the plan's weekday and weekend counts above cover exactly."""
    per_hour = []
    for d in range(days):
        c = WEEKDAY if d % 7 < 5 else WEEKEND
        # 00-06 the night before (or the wrap), 06-14 early, 14-22 late, 22-24 night
        per_hour += [c["night"]] * 6 + [c["early"]] * 8 + [c["late"]] * 8 + [c["night"]] * 2
    if not cyclic:
        per_hour[:6] = [0] * 6
    return {
        "name": "three_shifts",
        "horizon": {"start_date": "2026-11-16", "days": days, "slot_minutes": 60,
                    "cyclic": cyclic},
        "demand": {"required": per_hour},
        "shift_types": SHIFTS,
        "rules": {"max_days_per_week": 5, "min_rest_hours": 12},
        "solver": {"time_limit_seconds": 20, "workers": 2},
    }


def plan_counts(inst: Instance) -> dict[tuple[int, int], int]:
    by_name = {o.type_name: k for k, o in enumerate(inst.options)}
    counts = {}
    for d in range(inst.days):
        for name, c in (WEEKDAY if d % 7 < 5 else WEEKEND).items():
            counts[(d, by_name[name])] = c
    return counts


def assert_rules_hold(inst: Instance, roster, counts) -> None:
    placed: dict = {}
    for items in roster.values():
        for key in items:
            placed[key] = placed.get(key, 0) + 1
    assert placed == {k: c for k, c in counts.items() if c}
    n = inst.days
    for items in roster.values():
        days = sorted(d for d, _ in items)
        assert len(set(days)) == len(days)
        starts = sorted(d * 1440 + inst.options[k].start_minute for d, k in items)
        ends = sorted(d * 1440 + inst.options[k].start_minute + 480 for d, k in items)
        for s in range(n if inst.cyclic else n - 6):
            window = {(s + i) % n if inst.cyclic else s + i for i in range(7)}
            assert len(window & set(days)) <= 5
        gaps = [b - e for e, b in zip(ends, starts[1:])]
        if inst.cyclic:
            gaps.append(starts[0] + n * 1440 - ends[-1])
        assert all(gap >= 12 * 60 for gap in gaps)


def test_rules_window_just_met_and_broken():
    rules = _Rules(5, None)
    assert rules.valid([1, 1, 1, 1, 1, 0, 0] * 2, cyclic=True)  # exactly 5 in every window
    assert not rules.valid([1, 1, 1, 1, 1, 1, 0] * 2, cyclic=True)
    # open: six days of work split by the horizon's end is fine; cyclic it is not
    wrap = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1]
    assert rules.valid(wrap, cyclic=False)
    assert not rules.valid(wrap, cyclic=True)
    assert rules.step((1, 1, 1, 1, 0, 0), 1) == (1, 1, 1, 0, 0, 1)
    assert rules.step((1, 1, 1, 1, 1, 0), 1) is None


def test_rules_consecutive_days_just_met_and_broken():
    rules = _Rules(7, 3)
    assert rules.valid([1, 1, 1, 0] * 3, cyclic=True)
    assert not rules.valid([1, 1, 1, 1, 0, 0] * 2, cyclic=True)
    assert not rules.valid([1, 1, 0, 0, 0, 1, 1], cyclic=True)  # four in a row over the wrap
    assert rules.step((0, 1, 1), 1) == (1, 1, 1) and rules.step((1, 1, 1), 1) is None


@pytest.mark.parametrize("cyclic", [True, False])
def test_four_weeks_of_three_shifts_at_the_headcount_bound(write_scenario, cyclic):
    inst = Instance(load_scenario(write_scenario(three_shift_scenario(28, cyclic))))
    counts = plan_counts(inst)
    roster = pattern_roster(inst, counts, 20.0, PARAMS)
    assert roster is not None
    assert_rules_hold(inst, roster, counts)
    # 57 shifts a week, at most 5 days each: no roster has fewer than 12 agents
    assert len(roster) == math.ceil((5 * 9 + 2 * 6) / 5)



@pytest.mark.parametrize("highs_finds", [True, False])
def test_day_flow_by_highs_and_by_cpsat_when_highs_finds_none(write_scenario, monkeypatch,
                                                              highs_finds):
    inst = Instance(load_scenario(write_scenario(three_shift_scenario(28, True))))
    counts = plan_counts(inst)
    real = patterns_module._highs_flow
    calls = []

    def spy(*args):
        calls.append(args[1])
        return real(*args) if highs_finds else None

    monkeypatch.setattr(patterns_module, "_highs_flow", spy)
    # the day flow is the fallback when the wrapping patterns' columns give nothing
    monkeypatch.setattr(patterns_module, "cyclic_patterns", lambda *args: None)
    roster = pattern_roster(inst, counts, 20.0, PARAMS)
    assert calls and all(seconds > 0 for seconds in calls)
    assert_rules_hold(inst, roster, counts)
    assert len(roster) == math.ceil((5 * 9 + 2 * 6) / 5)  # either way the bound's 12


def test_a_day_flow_highs_cannot_take_is_left_to_cpsat(write_scenario, monkeypatch):
    # a day whose need no arc can meet adds a constant constraint, which has no linear
    # form for HiGHS: the flow falls back to CP-SAT instead of raising
    inst = Instance(load_scenario(write_scenario(three_shift_scenario(28, True))))

    def not_linear(model):
        raise ValueError("only plain linear constraints")

    monkeypatch.setattr(patterns_module, "highs_model", not_linear)
    roster = pattern_roster(inst, plan_counts(inst), 20.0, PARAMS)
    assert_rules_hold(inst, roster, plan_counts(inst))
    assert len(roster) == 12


def test_no_highs_day_flow_in_the_deterministic_profile(write_scenario, monkeypatch):
    inst = Instance(load_scenario(write_scenario(three_shift_scenario(28, True))))
    monkeypatch.setattr(patterns_module, "_highs_flow",
                        lambda *args: pytest.fail("HiGHS stops on the wall clock"))
    roster = pattern_roster(inst, plan_counts(inst), 20.0, {**PARAMS, "deterministic": True})
    assert len(roster) == 12

def _split_one_agent(roster):
    """The same shifts on one agent more: an agent with two or more shifts gives its first
    to a new agent."""
    roster = {a: list(items) for a, items in roster.items()}
    donor = next(a for a, items in roster.items() if len(items) > 1)
    roster[len(roster)] = [roster[donor].pop(0)]
    return roster


@pytest.mark.parametrize("deterministic", [False, True])
def test_another_day_flow_when_the_shifts_add_agents(write_scenario, monkeypatch, deterministic):
    seeds, roster = _run_with_extra_agents(write_scenario, monkeypatch, deterministic, extra=1)
    if deterministic:  # a fixed number of flows, then the best roster found
        assert seeds == list(range(patterns_module.MAX_FLOW_ATTEMPTS))
        assert len(roster) == 13
    else:  # the second flow's roster has the flow's 12 agents: the search stops there
        assert seeds == [0, 1]
        assert len(roster) == 12


def test_no_other_day_flow_when_the_shifts_add_far_more_agents(write_scenario, monkeypatch):
    # 12 agents in the flow: up to 2 more another flow may mend; 3 more it does not
    seeds, roster = _run_with_extra_agents(write_scenario, monkeypatch, False, extra=3)
    assert seeds == [0] and len(roster) == 15
    seeds, roster = _run_with_extra_agents(write_scenario, monkeypatch, False, extra=2)
    assert seeds == [0, 1] and len(roster) == 12


def _run_with_extra_agents(write_scenario, monkeypatch, deterministic: bool, extra: int):
    """pattern_roster on the three-shift month when the first flow's shifts (every flow's,
    if deterministic) need `extra` agents more: (the flow seeds tried, the roster)."""
    inst = Instance(load_scenario(write_scenario(three_shift_scenario(28, False))))
    counts = plan_counts(inst)
    seeds = []
    real_days, real_place = patterns_module._day_patterns, patterns_module._place_shifts

    def days_spy(*args):
        seeds.append(args[6]["random_seed"])
        return real_days(*args)

    def place_worse_first(*args):
        roster = real_place(*args)
        if deterministic or len(seeds) == 1:
            for _ in range(extra):
                roster = _split_one_agent(roster)
        return roster

    monkeypatch.setattr(patterns_module, "_day_patterns", days_spy)
    monkeypatch.setattr(patterns_module, "_place_shifts", place_worse_first)
    params = {**PARAMS, "deterministic": True} if deterministic else PARAMS
    roster = pattern_roster(inst, counts, 20.0, params)
    assert_rules_hold(inst, roster, counts)
    return seeds, roster


def test_a_solved_month_passes_the_independent_checker(write_scenario, tmp_path):
    path = write_scenario(three_shift_scenario(28, True))
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["solve", str(path), "--out", str(out), "-q",
                                      "--time-limit", "20"])
    assert result.exit_code == 0, result.output
    report = check_output_dir(path, out)
    assert report.ok, [v.message for v in report.violations]


def _flow_of(rules: _Rules, patterns: list[list[int]]) -> list[dict]:
    """The arc flows of working-day patterns on a cyclic horizon, each path starting in
    the node of its own last days."""
    n = len(patterns[0])
    flow: list[dict] = [{} for _ in range(n)]
    for bits in patterns:
        state = tuple(bits[n - rules.memory:])
        for i, b in enumerate(bits):
            flow[i][(state, b)] = flow[i].get((state, b), 0) + 1
            state = rules.step(state, b)
    return flow


def test_a_cyclic_flow_splits_into_one_path_per_agent_with_its_days():
    rules = _Rules(5, None)
    n = 14
    # two-week rotations: every pattern keeps 5 in 7 over the wrap
    base = [1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 0]
    patterns = [base[r:] + base[:r] for r in range(n)] * 2
    assert all(rules.valid(p, True) for p in patterns)
    paths = _split_paths(rules, _flow_of(rules, patterns), n, cyclic=True)
    assert len(paths) == len(patterns)
    for i in range(n):  # the same number of agents works each day
        assert sum(p[i] for p in paths) == sum(p[i] for p in patterns)


def test_shifts_left_unplaced_lower_their_pair_cap_and_the_patterns_are_priced_again(
        write_scenario, monkeypatch):
    inst = Instance(load_scenario(write_scenario(three_shift_scenario(28, True))))
    counts = plan_counts(inst)
    real_patterns, real_place = patterns_module.cyclic_patterns, patterns_module._place_shifts
    seen_caps, firsts = [], []

    def priced(step, states, need, caps, deadline, stop):
        seen_caps.append(dict(caps))
        patterns, bound = real_patterns(step, states, need, caps, deadline, stop)
        return patterns, bound - (len(seen_caps) == 1)  # the first round looks short

    def placed(inst_, rules, days, counts_, patterns, best_fit, deadline, misses, first):
        firsts.append(first)
        roster = real_place(inst_, rules, days, counts_, patterns, best_fit, deadline,
                            misses, first)
        if len(seen_caps) == 1:
            last = (first - 1) % len(days)
            misses[last] = misses.get(last, 0) + 2  # two shifts unplaced on the last day
            other = (last + 10) % len(days)
            misses[other] = misses.get(other, 0) + 1  # and one on a day in the middle
        return roster

    monkeypatch.setattr(patterns_module, "cyclic_patterns", priced)
    monkeypatch.setattr(patterns_module, "_place_shifts", placed)
    rules = _Rules(inst.rules.max_days_per_week, inst.rules.max_consecutive_days)
    days = list(inst.shift_days)
    need = {d: sum(c for (dd, _), c in counts.items() if dd == d) for d in days}
    roster, bound = patterns_module._column_roster(inst, rules, days, need, counts,
                                                   time.monotonic() + 30, None)
    assert len(seen_caps) >= 2
    n, first = len(days), firsts[0]
    last = (first - 1) % n

    def cap(caps, j):
        return caps.get(j, min(need[days[j]], need[days[(j + 1) % n]]))

    # the day placed last: the pair it makes with the day after it (placed first)
    assert cap(seen_caps[1], last) == cap(seen_caps[0], last) - 2
    before = (last + 9) % n  # any other day: the pair it makes with the day before
    assert cap(seen_caps[1], before) == cap(seen_caps[0], before) - 1
    assert_rules_hold(inst, roster, counts)
    assert len(roster) == math.ceil((5 * 9 + 2 * 6) / 5)
