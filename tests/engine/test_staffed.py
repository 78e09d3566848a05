"""Rosters for named staff: the planned shifts placed on the people with their leave,
limits and wishes, hires where they fall short, infeasibility explained; every roster
passes the independent checker."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.check import check_roster
from scheduler.engine.solve import solve
from scheduler.workload.loaded import load_scenario

from conftest import untranslated

START = dt.date(2026, 11, 16)


def week(people: list[dict], requests: list[dict] = (), max_hire: int = 6, days: int = 7,
         **pool) -> dict:
    return {
        "name": "named",
        "horizon": {"start_date": START.isoformat(), "days": days, "slot_minutes": 60},
        "demand": {"required": ([1] * 7 + [2] * 15 + [1] * 2) * days},
        "shift_types": [{"name": "day", "paid_hours": [8], "earliest_start": "00:00",
                         "latest_start": "23:00", "start_step_minutes": 60}],
        "rules": {"max_days_per_week": 5, "min_rest_hours": 12, "max_weekly_paid_hours": 40},
        "pools": [{"name": "ft", "shift_types": ["day"], "max_hire": max_hire, **pool}],
        "staff": {"people": [{"pool": "ft", **p} for p in people]},
        "requests": {"items": list(requests)},
        "solver": {"time_limit_seconds": 8, "workers": 2},
    }


def solved(write_scenario, data, tmp_path):
    path = write_scenario(data)
    loaded = load_scenario(path)
    result = solve(loaded)
    rows = [r.model_dump() for r in result.shifts]
    for r in rows:
        r["pool"] = r["pool"] or ""
    breaks = [b.model_dump() for b in result.breaks]
    report = check_roster(loaded.scenario, path.parent, rows, breaks)
    return result, report


def test_named_people_work_the_roster_and_leave_is_kept(write_scenario, tmp_path):
    people = [{"id": f"E{i}", "name": f"Person {i}"} for i in range(10)]
    people[0]["nights"] = False
    people[1]["weekends"] = False
    requests = [{"id": "E2", "kind": "leave", "start_date": "2026-11-17",
                 "end_date": "2026-11-19"},
                {"id": "E3", "kind": "day_off", "date": "2026-11-18", "weight": 2}]
    result, report = solved(write_scenario, week(people, requests), tmp_path)
    assert result.feasible, result.summary.message
    assert report.ok, report.violations[:5]
    named = {r.agent: r.name for r in result.shifts if not r.agent.startswith("ft-hire")}
    assert named and all(name == f"Person {a[1:]}" for a, name in named.items())
    e2_days = {r.day for r in result.shifts if r.agent == "E2"}
    assert not e2_days & {START + dt.timedelta(days=d) for d in (1, 2, 3)}
    figures = result.summary.requests
    assert figures.by_kind["leave"].honoured == 1 and figures.total == 2
    assert result.summary.headcount == 10 + sum(h.hires for h in result.summary.hires_needed)
    assert {f.figure for f in result.summary.fairness} == {
        "nights", "weekends", "holidays", "late_finishes"}


def test_too_few_people_are_helped_by_hires_named_in_the_summary(write_scenario, tmp_path):
    result, report = solved(write_scenario, week([{"id": "E1"}, {"id": "E2"}]), tmp_path)
    assert result.feasible and report.ok, report.violations[:5]
    need = result.summary.hires_needed
    assert need and need[0].pool == "ft" and need[0].hires >= 1
    assert need[0].short_slots_without > 0
    hires = {r.agent for r in result.shifts if r.agent.startswith("ft-hire")}
    assert len(hires) == need[0].hires


def test_too_few_people_and_no_hires_is_infeasible_and_says_why(write_scenario, tmp_path):
    data = week([{"id": "E1"}, {"id": "E2"}], max_hire=0)
    result, _ = solved(write_scenario, data, tmp_path)
    assert result.summary.status == "infeasible"
    assert "named staff are available" in result.summary.message
    assert "max_hire" in result.summary.message
    assert untranslated(result.summary.message) == set()


def test_start_variation_holds_for_every_named_person(write_scenario, tmp_path):
    people = [{"id": f"E{i}"} for i in range(10)]
    result, report = solved(write_scenario, week(people, max_start_variation_minutes=180),
                            tmp_path)
    assert result.feasible and report.ok, report.violations[:5]
    starts: dict[str, list[int]] = {}
    for r in result.shifts:
        if r.agent.startswith("E"):
            starts.setdefault(r.agent, []).append(
                round((r.start - dt.datetime.combine(r.day, dt.time())).total_seconds() / 60))
    assert all(max(s) - min(s) <= 180 for s in starts.values())


@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(st.booleans(), st.booleans(), st.integers(0, 2)),
                min_size=3, max_size=6),
       st.booleans())
def test_every_named_roster_passes_the_checker(write_scenario, tmp_path, staff, rotation):
    people, requests = [], []
    for i, (nights, weekends, leave_day) in enumerate(staff):
        people.append({"id": f"P{i}", "nights": nights, "weekends": weekends})
        requests.append({"id": f"P{i}", "kind": "leave",
                         "date": (START + dt.timedelta(days=leave_day)).isoformat()})
    data = week(people, requests, days=3, forward_rotation=rotation)
    data["solver"]["time_limit_seconds"] = 4
    result, report = solved(write_scenario, data, tmp_path)
    if result.feasible:
        assert report.ok, report.violations[:5]
    else:
        assert result.summary.status == "infeasible" and result.summary.message
        assert untranslated(result.summary.message) == set()


def two_pools(named_in_short_pool: int) -> dict:
    """Two agents 08:00-14:00 every day; pool `long` works 8-hour shifts, pool `short`
    6-hour ones (fewer paid hours for the same cover); three named people in `long` and
    `named_in_short_pool` in `short`."""
    people = [{"id": f"L{i}", "name": f"L{i}", "pool": "long"} for i in range(3)] + [
        {"id": f"S{i}", "name": f"S{i}", "pool": "short"} for i in range(named_in_short_pool)]
    return {
        "name": "two_pools",
        "horizon": {"start_date": START.isoformat(), "days": 7, "slot_minutes": 60},
        "demand": {"required": ([0] * 8 + [2] * 6 + [0] * 10) * 7},
        "shift_types": [
            {"name": "eight", "paid_hours": [8], "earliest_start": "06:00",
             "latest_start": "08:00"},
            {"name": "six", "paid_hours": [6], "earliest_start": "08:00",
             "latest_start": "08:00"}],
        "rules": {"max_days_per_week": 5, "min_rest_hours": 12},
        "pools": [{"name": "long", "shift_types": ["eight"], "max_hire": 4},
                  {"name": "short", "shift_types": ["six"], "max_hire": 4}],
        "staff": {"people": people},
        "solver": {"time_limit_seconds": 8, "workers": 2},
    }


def test_the_plan_gives_the_work_to_the_pool_whose_people_are_employed(write_scenario,
                                                                        tmp_path):
    # the fewest agents with the fewest paid hours would be two hires of pool `short`
    result, report = solved(write_scenario, two_pools(0), tmp_path)
    assert report.ok, report.violations[:3]
    assert result.summary.headcount == 3
    assert sum(h.hires for h in result.summary.hires_needed or []) == 0
    assert {s.pool for s in result.shifts} == {"long"}


def test_with_people_in_both_pools_the_cheaper_shifts_are_worked(write_scenario, tmp_path):
    result, report = solved(write_scenario, two_pools(3), tmp_path)
    assert report.ok, report.violations[:3]
    assert result.summary.headcount == 6
    assert {s.pool for s in result.shifts} == {"short"}


def test_a_named_roster_comes_back_when_the_time_is_gone(write_scenario, tmp_path,
                                                        monkeypatch):
    # the staff stage called with its time already spent still answers with a roster: the
    # greedy's, completed in a time of its own (GREEDY_COMPLETION_SECONDS), or what the
    # searches' half-second floors find
    import scheduler.engine.staff_stage as stage

    real = stage.staffed_roster

    def late(*args, **kwargs):
        args = list(args)
        args[6] = -1.0  # budget
        return real(*args, **kwargs)

    monkeypatch.setattr(stage, "staffed_roster", late)
    people = [{"id": f"E{i:02d}", "name": f"Person {i}"} for i in range(10)]
    result, report = solved(write_scenario, week(people), tmp_path)
    assert result.summary.status in ("optimal", "feasible")
    assert report.ok, report.violations[:5]
    assert {s.agent for s in result.shifts} & {p["id"] for p in people}
