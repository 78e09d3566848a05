"""The re-plan's revert pass (engine/replan.py: _revert): a change the local repair made
that the roster does not need is undone, and a roster whose every change is needed is
left as it is."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from ortools.sat.python import cp_model

from scheduler.engine.instance import Instance
from scheduler.engine.replan import CHANGE_WEIGHT, _first_solve, _revert
from scheduler.engine.replan_model import (
    PoolRoster,
    ReplanModel,
    offered_days,
    previous_roster,
)
from scheduler.engine.solve import solve
from scheduler.engine.staff_stage import uncapped
from scheduler.workload.loaded import load_scenario

from conftest import named_fortnight

START = dt.date(2026, 11, 16)
DAYS = 14
PARAMS = {"num_workers": 2}


def index_of(view, previous, day: int) -> int:
    """The re-plan model's day index of horizon day `day` (a lead-in day may come first)."""
    return next(i for i, dc in enumerate(offered_days(view, previous, False)) if dc.day == day)


@pytest.fixture(scope="module")
def repair(tmp_path_factory):
    """A roster, one of its people sick on a day of the second week, and the local
    repair's model of that day with its best roster."""
    folder = tmp_path_factory.mktemp("revert")
    path = folder / "fortnight.yaml"
    path.write_text(yaml.safe_dump(named_fortnight([]), sort_keys=False), encoding="utf-8")
    result = solve(load_scenario(path))
    day = START + dt.timedelta(days=9)
    agent = next(s.agent for s in result.shifts if s.day == day and "-hire-" not in s.agent)
    sick = [{"id": agent, "kind": "leave", "date": day.isoformat()}]
    path.write_text(yaml.safe_dump(named_fortnight(sick), sort_keys=False), encoding="utf-8")
    loaded = load_scenario(path)
    inst = Instance(uncapped(loaded))
    view = inst.pool_views()[0]
    members = loaded.scenario.staff.people
    previous, hires = previous_roster(view, members, result.shifts, result.breaks)
    pool = PoolRoster(view, members, previous, hires)
    start = dt.datetime.combine(START + dt.timedelta(days=7), dt.time())
    r = ReplanModel(pool, loaded, start, list(inst.required), False, 2, previous,
                    {index_of(view, previous, 9)}, False).build()
    (status, solver), changes = _first_solve(r, 10, PARAMS, None, previous)
    assert status == cp_model.OPTIMAL
    return r, solver, changes


def test_a_needless_change_is_undone(repair):
    r, solver, changes = repair
    needed = round(solver.value(changes))
    # the repair's roster with one more shift: someone off on a free day made to work
    for extra, var in r.m.x.items():
        p, i, _ = extra
        if r.before(p, i) is not None or solver.value(r.m.works[(p, i)]):
            continue
        worse_model = r.m.model.clone()
        for key, other in r.m.x.items():
            worse_model.add(worse_model.get_bool_var_from_proto_index(other.index)
                            == (1 if key == extra else solver.value(other)))
        worse = cp_model.CpSolver()
        worse.parameters.num_workers = 2
        worse.parameters.max_time_in_seconds = 10
        if worse.solve(worse_model) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
    else:
        pytest.fail("no one off on the free day can be made to work")
    assert round(worse.value(changes)) == needed + 1
    again = _revert(r, worse, changes, 10, PARAMS, None)
    assert again is not None
    assert round(again.value(changes)) == needed
    assert again.objective_value <= worse.objective_value - CHANGE_WEIGHT


def test_a_roster_whose_changes_are_all_needed_is_kept(repair):
    r, solver, changes = repair
    assert _revert(r, solver, changes, 10, PARAMS, None) is None


def round_the_clock() -> dict:
    """One agent at every hour, covered exactly by a day (04:00-12:00), an evening
    (12:00-20:00) and a night (20:00-04:00) shift."""
    start = {"day": "04:00", "evening": "12:00", "night": "20:00"}
    return {
        "name": "round_the_clock",
        "horizon": {"start_date": START.isoformat(), "days": DAYS, "slot_minutes": 60},
        "demand": {"required": [1] * 24 * DAYS},
        "shift_types": [{"name": n, "paid_hours": [8], "earliest_start": t,
                         "latest_start": t} for n, t in start.items()],
        "rules": {"max_days_per_week": 5, "min_rest_hours": 12, "max_weekly_paid_hours": 40},
        "pools": [{"name": "ft", "shift_types": list(start), "max_hire": 4}],
        "staff": {"people": [{"id": f"E{i:02d}", "name": f"Person {i}", "pool": "ft"}
                             for i in range(7)]},
        "requests": {"items": []},
        "solver": {"time_limit_seconds": 8, "workers": 2},
    }


def test_a_night_shift_lost_on_a_free_day_is_covered_past_midnight(tmp_path):
    path = tmp_path / "clock.yaml"
    data = round_the_clock()
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = solve(load_scenario(path))
    day = START + dt.timedelta(days=9)
    night = next(s for s in result.shifts if s.day == day and s.shift_type == "night")
    data["requests"]["items"] = [{"id": night.agent, "kind": "leave", "date": day.isoformat()}]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    loaded = load_scenario(path)
    inst = Instance(uncapped(loaded))
    view = inst.pool_views()[0]
    members = loaded.scenario.staff.people
    previous, hires = previous_roster(view, members, result.shifts, result.breaks)
    start = dt.datetime.combine(START + dt.timedelta(days=7), dt.time())
    r = ReplanModel(PoolRoster(view, members, previous, hires), loaded, start,
                    list(inst.required), False, 2, previous, {index_of(view, previous, 9)},
                    False)
    cover = r._inputs[3]
    after_midnight = range(10 * 24, 10 * 24 + 4)  # day 10 is held
    assert [cover[t] for t in after_midnight] == [1, 1, 1, 1]
    # and the re-planned roster puts someone there
    r.build()
    (status, solver), _ = _first_solve(r, 10, PARAMS, None, previous)
    assert status == cp_model.OPTIMAL
    on_duty = [0] * len(inst.required)
    for days in r.assignment(solver).values():
        for d, k in days:
            for t in view.covered(d, view.options[k]):
                on_duty[t] += 1
    assert all(on_duty[t] >= 1 for t in after_midnight)
