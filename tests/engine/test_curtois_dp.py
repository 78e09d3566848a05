"""The dynamic-programming pricer of the Curtois instances: against brute force over every
roster of a one-week employee (each hard rule binding in turn), the checker's cost of its
rows, each rule just met and never broken, the caps when priced instead of held in the
state, and the CP-SAT pricer's optimum on real employees."""

from __future__ import annotations

import dataclasses
import itertools
import random
from pathlib import Path

import pytest

from scheduler.check.curtois import check_roster
from scheduler.datasets.curtois import parse_curtois, read_instance
from scheduler.engine import curtois_dp
from scheduler.engine.curtois_columns import Pricer, _Pricer, _row
from scheduler.engine.curtois_dp import DpPricer

DATA = Path(__file__).resolve().parents[3] / "shared" / "benchmarks" / "curtois"
needs_data = pytest.mark.skipif(not (DATA / "Instance5.txt").exists(),
                                reason="benchmark data not here")

# one week (weekend on days 5-6); E 480 min, L 600 min, L may not be followed by E;
# employee A, off on day 3, with on- and off-requests
WEEK = """SECTION_HORIZON
7

SECTION_SHIFTS
E,480,
L,600,E

SECTION_STAFF
A,E=7|L=7,10000,0,7,1,1,1

SECTION_DAYS_OFF
A,3

SECTION_SHIFT_ON_REQUESTS
A,0,E,2
A,5,L,1

SECTION_SHIFT_OFF_REQUESTS
A,1,L,3
A,6,E,2

SECTION_COVER
0,E,1,100,1
"""


def week(**rules):
    inst = parse_curtois(WEEK, "week")
    person = dataclasses.replace(inst.staff[0], **rules)
    return dataclasses.replace(inst, staff=(person,), cover=())


def value(pricer, col, duals) -> float:
    return pricer.cost(col) - sum(duals.get(c, 0.0) for c in col)


def brute_force(inst, duals) -> float:
    """Least cost over every roster the checker accepts (inf when none)."""
    pricer = DpPricer(inst, 0)
    best = float("inf")
    for row in itertools.product([None, 0, 1], repeat=inst.days):
        col = frozenset((d, s) for d, s in enumerate(row) if s is not None)
        if check_roster(inst, {"A": _row(inst, col)}).violations:
            continue
        best = min(best, value(pricer, col, duals))
    return best


def random_duals(inst, rng) -> dict:
    return {(d, s): rng.choice([0.0, 1.5, 4.0, 7.25, -2.0])
            for d in range(inst.days) for s in range(len(inst.shifts))}


CASES = [
    {},
    {"max_consecutive_shifts": 2},
    {"min_consecutive_shifts": 3},
    {"min_consecutive_days_off": 2},
    {"min_consecutive_days_off": 3, "min_consecutive_shifts": 2},
    {"max_weekends": 0},
    {"max_shifts": (("E", 7), ("L", 1))},
    {"max_shifts": (("E", 2), ("L", 0))},
    {"max_total_minutes": 1560},
    {"min_total_minutes": 2400},
    {"min_total_minutes": 1500, "max_total_minutes": 1560},
    {"max_consecutive_shifts": 3, "min_consecutive_shifts": 2, "max_weekends": 0,
     "max_shifts": (("E", 3), ("L", 2)), "min_total_minutes": 1000},
]


@pytest.mark.parametrize("rules", CASES)
def test_dp_finds_the_brute_force_optimum_and_its_rows_pass_the_checker(rules):
    inst = week(**rules)
    rng = random.Random(len(str(rules)))
    for _ in range(3):
        duals = random_duals(inst, rng)
        pricer = DpPricer(inst, 0)
        found = pricer.solve(duals)
        best = brute_force(inst, duals)
        assert found, rules
        for col in found:
            check = check_roster(inst, {"A": _row(inst, col)})
            assert check.violations == ()
            assert check.objective == pricer.cost(col)  # the checker's cost of the row
        assert value(pricer, found[0], duals) == pytest.approx(best)
        assert pricer.shape.tracked or "max_shifts" not in rules
        assert pricer.last_bound == pytest.approx(best)  # every cap held: the bound is exact


def test_dp_says_none_when_no_roster_keeps_the_rules():
    inst = week(min_total_minutes=5000)  # six days open, 600 min at most each
    assert DpPricer(inst, 0).solve({}) == []


def test_each_rule_just_met_when_the_prices_push_against_it():
    """Working is worth a lot every day; each rule stops the row exactly at its limit."""
    duals = {(d, s): 50.0 for d in range(7) for s in range(2)}

    def row(**rules):
        inst = week(**rules)
        col = DpPricer(inst, 0).solve(duals)[0]
        assert check_roster(inst, {"A": _row(inst, col)}).violations == ()
        return "".join("-" if s is None else s for s in _row(inst, col))

    assert row().count("-") == 1  # only the fixed day off
    assert max(len(r) for r in row(max_consecutive_shifts=2).split("-")) == 2
    assert row(max_weekends=0)[5:] == "--"
    assert row(max_shifts=(("E", 7), ("L", 1))).count("L") == 1
    assert row(max_shifts=(("E", 2), ("L", 0))).count("E") == 2
    minutes = row(max_total_minutes=1560)
    assert 480 * minutes.count("E") + 600 * minutes.count("L") == 1560  # E, E, L
    assert "LE" not in row()


def test_priced_caps_give_a_feasible_row_and_a_bound(monkeypatch):
    """With no cap held in the state, the caps are priced: the row still keeps them and the
    bound stays below the optimum."""
    monkeypatch.setattr(curtois_dp, "MAX_LABELS", 0)
    rules = {"max_shifts": (("E", 2), ("L", 1)), "min_consecutive_shifts": 2}
    inst = week(**rules)
    rng = random.Random(5)
    for _ in range(4):
        duals = random_duals(inst, rng)
        pricer = DpPricer(inst, 0)
        assert pricer.shape.tracked == []
        found = pricer.solve(duals)
        best = brute_force(inst, duals)
        for col in found:
            assert check_roster(inst, {"A": _row(inst, col)}).violations == ()
            assert value(pricer, col, duals) >= best - 1e-9
        assert pricer.last_bound <= best + 1e-9


@needs_data
def test_dp_matches_the_cp_sat_pricer_on_instance5():
    inst = read_instance(DATA / "Instance5.txt")
    rng = random.Random(2)
    shift = {s.id: i for i, s in enumerate(inst.shifts)}
    duals = {(c.day, shift[c.shift]): rng.uniform(0, 60) for c in inst.cover}
    for e in (0, 5):
        dp = DpPricer(inst, e)
        col = dp.solve(duals)[0]
        cp = _Pricer(inst, e)
        best = min(cp.solve(duals, 10.0, 0, workers=2), key=lambda c: value(cp, c, duals))
        assert value(dp, col, duals) == pytest.approx(value(cp, best, duals), abs=1e-6)
        person = inst.staff[e]
        alone = dataclasses.replace(
            inst, staff=(person,), cover=(),
            on_requests=tuple(r for r in inst.on_requests if r.employee == person.id),
            off_requests=tuple(r for r in inst.off_requests if r.employee == person.id))
        check = check_roster(alone, {person.id: _row(inst, col)})
        assert check.violations == () and check.objective == dp.cost(col)


def test_pricer_returns_the_best_row_last_and_falls_back_without_the_dp(monkeypatch):
    inst = week(max_consecutive_shifts=3)
    duals = random_duals(inst, random.Random(9))
    rows = Pricer(inst, 0).solve(duals, 5.0, 0)
    assert value(DpPricer(inst, 0), rows[-1], duals) == pytest.approx(brute_force(inst, duals))
    monkeypatch.setattr("scheduler.engine.curtois_columns.MAX_LABELS", 0)
    plain = Pricer(inst, 0)
    assert plain.dp is None
    rows = plain.solve(duals, 5.0, 0)
    assert min(value(plain, c, duals) for c in rows) == pytest.approx(brute_force(inst, duals))
