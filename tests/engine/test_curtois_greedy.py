"""The best-response start and the search for large Curtois instances: the rosters pass the
independent checker with the checker's objective equal to the engine's, best responses
and the integer master over the rows seen never make a roster worse, LNS never returns
worse than the best-response roster it starts from, and column generation is kept for
the instances up to 28 days and 60 staff (up to 84 days and 60 staff with the
dynamic-programming pricer)."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pytest

from scheduler.check.curtois import check_roster
from scheduler.datasets.curtois import read_instance
from scheduler.engine.curtois_greedy import BestResponse, best_response
from scheduler.engine.curtois_search import _solve_large, columns_fit

DATA = Path(__file__).resolve().parents[3] / "shared" / "benchmarks" / "curtois"
needs_data = pytest.mark.skipif(not (DATA / "Instance2.txt").exists(),
                                reason="benchmark data not here")


@needs_data
def test_greedy_roster_passes_the_checker_and_passes_never_make_it_worse():
    inst = read_instance(DATA / "Instance2.txt")
    br = BestResponse(inst, seed=1, workers=1)
    first = best_response(inst, time.monotonic() + 30, rounds=0, state=br, workers=1)
    assert first is not None
    check = check_roster(inst, first)
    assert check.violations == ()
    assert check.objective == br.objective()
    improved = best_response(inst, time.monotonic() + 30, rounds=2, state=br, workers=1)
    after = check_roster(inst, improved)
    assert after.violations == ()
    assert after.objective == br.objective() <= check.objective
    assert after.objective >= 828  # the proven optimum
    br.master(time.monotonic() + 30, 2.0)
    mastered = check_roster(inst, br.roster())
    assert mastered.violations == ()
    assert mastered.objective == br.objective() <= after.objective


@needs_data
def test_best_response_from_a_start_is_never_worse_than_it():
    inst = read_instance(DATA / "Instance2.txt")
    start = best_response(inst, time.monotonic() + 30, rounds=0, workers=1, seed=3)
    before = check_roster(inst, start).objective
    again = best_response(inst, time.monotonic() + 30, start=start, rounds=1, workers=1)
    assert check_roster(inst, again).objective <= before


@needs_data
def test_large_search_returns_no_worse_than_its_start():
    inst = read_instance(DATA / "Instance2.txt")
    result = _solve_large(inst, time.monotonic(), 5.0, workers=1, seed=0, step_seconds=0.5)
    assert result.roster is not None
    check = check_roster(inst, result.roster)
    assert check.violations == ()
    assert check.objective == result.objective
    assert result.objective <= result.notes["greedy_objective"] <= result.notes["greedy_first"]


@needs_data
def test_columns_kept_up_to_28_days_and_60_staff_and_to_84_days_with_the_dp(monkeypatch):
    inst = read_instance(DATA / "Instance2.txt")  # 14 days, 14 staff
    assert columns_fit(inst)
    staff = inst.staff * 5  # ids repeat, but only the sizes matter here
    assert columns_fit(dataclasses.replace(inst, days=28, staff=staff[:60]))
    # beyond, only while every employee's dynamic-programming pricer fits, up to 84 days
    # and 60 staff (Instance13's 120 keep the best-response path)
    assert columns_fit(dataclasses.replace(inst, days=84, staff=staff[:60]))
    assert not columns_fit(dataclasses.replace(inst, days=35, staff=staff[:61]))
    assert not columns_fit(dataclasses.replace(inst, days=91, staff=staff[:14]))
    monkeypatch.setattr("scheduler.engine.curtois_search.MAX_LABELS", 0)
    assert columns_fit(dataclasses.replace(inst, days=28, staff=staff[:60]))
    assert not columns_fit(dataclasses.replace(inst, days=28, staff=staff[:61]))
    assert not columns_fit(dataclasses.replace(inst, days=35, staff=staff[:14]))


@needs_data
def test_a_first_row_for_the_rules_alone_passes_the_checker():
    inst = read_instance(DATA / "Instance2.txt")
    br = BestResponse(inst, seed=2, workers=1)
    for e in range(len(inst.staff)):
        assert br.respond(e, 10.0, first=True)
    check = check_roster(inst, br.roster())
    assert check.violations == ()
    assert check.objective == br.objective()
