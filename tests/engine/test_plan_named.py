"""The shift plan's cuts from the named people (engine/plan_named.py): a day's shifts at
most the people available that day (leave, dates, weekends) plus the hires, the shifts
some people may not take at most those who may, and each week's shifts and paid minutes
at most what the people can give; each cut broken (the plan must hire) and just met (no
hire)."""

from __future__ import annotations

import datetime as dt

from ortools.sat.python import cp_model

from scheduler.engine.instance import Instance
from scheduler.engine.plan import build_plan_model
from scheduler.engine.staff_stage import uncapped
from scheduler.workload.loaded import load_scenario

START = dt.date(2026, 11, 16)  # a Monday


def scenario(people: list[dict], requests: list[dict] = (), required: list[int] | None = None,
             days: int = 7, rules: dict | None = None) -> dict:
    return {
        "name": "named_plan",
        "horizon": {"start_date": START.isoformat(), "days": days, "slot_minutes": 60},
        "demand": {"required": required or ([0] * 8 + [2] * 8 + [0] * 8) * days},
        "shift_types": [{"name": "day", "paid_hours": [8], "earliest_start": "00:00",
                         "latest_start": "23:00", "start_step_minutes": 60}],
        "rules": rules or {"max_days_per_week": 7, "min_rest_hours": 8},
        "pools": [{"name": "ft", "shift_types": ["day"]}],
        "staff": {"people": [{"pool": "ft", "name": p["id"], **p} for p in people]},
        "requests": {"items": list(requests)},
    }


def fewest_hires(write_scenario, data: dict) -> int:
    """The plan model's fewest hires beyond the named people."""
    inst = Instance(uncapped(load_scenario(write_scenario(data))))
    pm = build_plan_model(inst)
    pm.model.minimize(sum(pm.hires))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 20
    solver.parameters.num_workers = 2
    assert solver.solve(pm.model) == cp_model.OPTIMAL
    return round(solver.objective_value)


def test_leave_on_a_busy_day_needs_a_hire(write_scenario):
    people = [{"id": "A"}, {"id": "B"}]
    leave = [{"id": "B", "kind": "leave", "date": "2026-11-18"}]
    assert fewest_hires(write_scenario, scenario(people, leave)) == 1


def test_leave_on_a_day_that_needs_fewer_people_needs_no_hire(write_scenario):
    people = [{"id": "A"}, {"id": "B"}]
    leave = [{"id": "B", "kind": "leave", "date": "2026-11-18"}]
    required = ([0] * 8 + [2] * 8 + [0] * 8) * 2 + [0] * 8 + [1] * 8 + [0] * 8 \
        + ([0] * 8 + [2] * 8 + [0] * 8) * 4
    assert fewest_hires(write_scenario, scenario(people, leave, required)) == 0


def test_without_leave_the_two_people_need_no_hire(write_scenario):
    assert fewest_hires(write_scenario, scenario([{"id": "A"}, {"id": "B"}])) == 0


def test_a_person_who_works_no_weekends_needs_a_hire_on_them(write_scenario):
    people = [{"id": "A"}, {"id": "B", "weekends": False}]
    assert fewest_hires(write_scenario, scenario(people)) == 1


def test_an_evening_only_person_needs_a_hire_for_day_shifts(write_scenario):
    people = [{"id": "A"}, {"id": "B", "earliest_start": "16:00"}]
    assert fewest_hires(write_scenario, scenario(people)) == 1


def test_an_evening_only_person_takes_evening_shifts_without_a_hire(write_scenario):
    people = [{"id": "A"}, {"id": "B", "earliest_start": "16:00"}]
    evenings = ([0] * 16 + [2] * 8) * 7
    assert fewest_hires(write_scenario, scenario(people, required=evenings)) == 0


def test_a_person_with_fewer_weekly_hours_needs_a_hire(write_scenario):
    rules = {"max_days_per_week": 7, "min_rest_hours": 8, "max_weekly_paid_hours": 56}
    people = [{"id": "A"}, {"id": "B", "max_weekly_hours": 48}]
    assert fewest_hires(write_scenario, scenario(people, rules=rules)) == 1
    people[1]["max_weekly_hours"] = 56
    assert fewest_hires(write_scenario, scenario(people, rules=rules)) == 0


def test_a_joiner_counts_from_their_first_day(write_scenario):
    people = [{"id": "A"}, {"id": "B", "start_date": "2026-11-17"}]
    assert fewest_hires(write_scenario, scenario(people)) == 1
    people[1]["start_date"] = START.isoformat()
    assert fewest_hires(write_scenario, scenario(people)) == 0


def test_day_shifts_a_week_beyond_what_the_day_people_can_work_need_a_hire(write_scenario):
    # two day people at five days a week work 10 day shifts; the evening-only third cannot
    # take them: 14 a week need a hire though each day's 2 are within the day people
    rules = {"max_days_per_week": 5, "min_rest_hours": 8}
    people = [{"id": "A"}, {"id": "B"}, {"id": "C", "earliest_start": "16:00"}]
    assert fewest_hires(write_scenario, scenario(people, rules=rules)) == 1


def test_day_shifts_a_week_that_the_day_people_can_work_need_no_hire(write_scenario):
    rules = {"max_days_per_week": 5, "min_rest_hours": 8}
    people = [{"id": "A"}, {"id": "B"}, {"id": "C", "earliest_start": "16:00"}]
    weekdays = ([0] * 8 + [2] * 8 + [0] * 8) * 5 + [0] * 48  # 10 day shifts a week
    assert fewest_hires(write_scenario, scenario(people, required=weekdays, rules=rules)) == 0
