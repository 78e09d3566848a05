"""The checker's named-staff rules: each broken by one shift and just met, on a week of
two pools; and its own counts of requests honoured and of the fairness figures."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduler import models
from scheduler.check import check_roster
from scheduler.check.staff import fairness, honoured

START = dt.date(2026, 11, 16)  # a Monday


def scenario(people: list[dict], requests: list[dict] = (), **pool) -> models.Scenario:
    ft = {"name": "ft", "shift_types": ["day"], "max_hire": 5, **pool}
    return models.Scenario.model_validate({
        "name": "staffed",
        "horizon": {"start_date": START.isoformat(), "days": 7, "slot_minutes": 60},
        "demand": {"required": [0] * 168},
        "shift_types": [{"name": "day", "paid_hours": [8], "earliest_start": "00:00",
                         "latest_start": "23:00"}],
        "rules": {"max_days_per_week": 6, "max_weekly_paid_hours": 48},
        "pools": [ft],
        "staff": {"people": [{"pool": "ft", **p} for p in people]},
        "requests": {"items": list(requests)},
    })


def shift(agent: str, day: int, start_hour: int, hours: int = 8) -> dict:
    begin = dt.datetime.combine(START, dt.time()) + dt.timedelta(days=day, hours=start_hour)
    return {"agent": agent, "shift_type": "day", "start": begin.isoformat(timespec="minutes"),
            "end": (begin + dt.timedelta(hours=hours)).isoformat(timespec="minutes"),
            "paid_minutes": str(hours * 60), "day": (START + dt.timedelta(days=day)).isoformat(),
            "pool": "ft", "overtime_minutes": "0"}


def rules_broken(sc: models.Scenario, shifts: list[dict], tmp_path) -> set[str]:
    report = check_roster(sc, tmp_path, shifts, [])
    return {v.rule for v in report.violations}


def five_days(agent: str = "E1", start_hour: int = 9, first: int = 0) -> list[dict]:
    return [shift(agent, d, start_hour) for d in range(first, first + 5)]


def test_a_roster_that_keeps_every_rule_has_no_staff_violation(tmp_path):
    sc = scenario([{"id": "E1"}])
    assert rules_broken(sc, five_days(), tmp_path) == set()


@pytest.mark.parametrize("person, request_, bad_shift, rule", [
    ({}, {"kind": "leave", "date": "2026-11-17"}, shift("E1", 1, 9), "leave"),
    ({}, {"kind": "unavailable", "date": "2026-11-17"}, shift("E1", 1, 9), "leave"),
    ({"weekends": False}, None, shift("E1", 5, 9), "weekends"),
    ({"nights": False}, None, shift("E1", 1, 22), "nights"),
    ({"earliest_start": "10:00"}, None, shift("E1", 1, 9), "availability"),
    ({"latest_end": "18:00"}, None, shift("E1", 1, 11), "availability"),
    ({"start_date": "2026-11-18"}, None, shift("E1", 1, 9), "staff_dates"),
    ({"end_date": "2026-11-16"}, None, shift("E1", 1, 9), "staff_dates"),
])
def test_each_personal_limit_broken_and_just_met(tmp_path, person, request_, bad_shift, rule):
    requests = [{"id": "E1", **request_}] if request_ else []
    sc = scenario([{"id": "E1", **person}], requests)
    assert rule in rules_broken(sc, [bad_shift], tmp_path)
    # the same shift a day later (or at the edge of the window) keeps the rule
    day = (dt.date.fromisoformat(bad_shift["day"]) - START).days
    start = dt.datetime.fromisoformat(bad_shift["start"]).hour
    moved = {"weekends": shift("E1", 4, 9), "nights": shift("E1", 1, 16),
             "availability": shift("E1", 1, 10) if "earliest_start" in person
             else shift("E1", 1, 10), "staff_dates": shift("E1", 2, 9) if "start_date" in person
             else shift("E1", 0, 9), "leave": shift("E1", day + 1, start)}[rule]
    assert rule not in rules_broken(sc, [moved], tmp_path)


def test_weekly_hours_are_the_persons_own_scaled_by_the_days_they_can_work(tmp_path):
    sc = scenario([{"id": "E1", "min_weekly_hours": 35, "max_weekly_hours": 40}],
                  [{"id": "E1", "kind": "leave", "date": "2026-11-22"}])
    # 35 h x 6/7 = 30 h needed: four shifts (32 h) meet it, three (24 h) do not
    assert "min_weekly_hours" in rules_broken(sc, five_days()[:3], tmp_path)
    assert "min_weekly_hours" not in rules_broken(sc, five_days()[:4], tmp_path)
    six = five_days() + [shift("E1", 5, 9)]
    assert "max_weekly_hours" in rules_broken(sc, six, tmp_path)
    assert "max_weekly_hours" not in rules_broken(sc, five_days(), tmp_path)


def test_start_variation_forward_rotation_and_days_off_in_pairs(tmp_path):
    sc = scenario([{"id": "E1"}], max_start_variation_minutes=120)
    assert "start_variation" in rules_broken(sc, five_days()[:4] + [shift("E1", 4, 12)], tmp_path)
    assert "start_variation" not in rules_broken(sc, five_days()[:4] + [shift("E1", 4, 11)],
                                                 tmp_path)
    sc = scenario([{"id": "E1"}], forward_rotation=True)
    assert "forward_rotation" in rules_broken(sc, [shift("E1", 0, 10), shift("E1", 1, 9)],
                                              tmp_path)
    assert "forward_rotation" not in rules_broken(sc, [shift("E1", 0, 9), shift("E1", 1, 9)],
                                                  tmp_path)
    sc = scenario([{"id": "E1"}], days_off_in_pairs=True)
    split = [shift("E1", d, 9) for d in (0, 1, 3, 4, 6)]  # off on days 2 and 5 only
    assert "days_off_in_pairs" in rules_broken(sc, split, tmp_path)
    assert "days_off_in_pairs" not in rules_broken(sc, five_days(), tmp_path)


def test_the_comprehensive_hours_cap_is_an_average_over_the_month(tmp_path):
    # 7 days of November 2026 in the horizon: 40 h a week on average allows 40 h
    sc = scenario([{"id": "E1"}], comprehensive_hours_system={"max_average_weekly_hours": 40,
                                                              "max_weekly_hours": 48})
    assert "comprehensive_hours" in rules_broken(sc, five_days() + [shift("E1", 5, 9)], tmp_path)
    assert "comprehensive_hours" not in rules_broken(sc, five_days(), tmp_path)


def test_a_shift_in_another_pool_than_the_persons_is_named(tmp_path):
    sc = scenario([{"id": "E1"}])
    row = dict(shift("E1", 0, 9), pool="pt")
    assert "pool" in rules_broken(sc, [row], tmp_path) or \
        "staff_pool" in rules_broken(sc, [row], tmp_path)


def test_requests_honoured_and_fairness_are_counted_from_the_shifts(tmp_path):
    sc = scenario([{"id": "E1"}, {"id": "E2"}], [
        {"id": "E1", "kind": "day_off", "date": "2026-11-16"},          # broken
        {"id": "E2", "kind": "day_off", "date": "2026-11-16"},          # honoured
        {"id": "E1", "kind": "shift", "date": "2026-11-17", "start_from": "08:00",
         "start_until": "10:00"},                                        # honoured
        {"id": "E1", "kind": "not_shift", "date": "2026-11-18", "start_from": "20:00"},
    ])
    report = check_roster(sc, tmp_path, five_days() + [shift("E2", 5, 22)], [])
    got = honoured(sc.requests.items, report.shifts, START)
    assert got == {"day_off": (2, 1), "shift": (1, 1), "not_shift": (1, 1)}
    figures = fairness(sc, sc.staff.people, report.shifts)
    assert figures[("ft", "nights")] == (0, 0.5, 1)    # E2's 22:00-06:00 Saturday shift
    assert figures[("ft", "weekends")] == (0, 0.5, 1)


def test_a_make_up_working_day_is_not_a_weekend_shift(tmp_path):
    sc = scenario([{"id": "E1"}])
    saturday = [shift("E1", 5, 9)]
    report = check_roster(sc, tmp_path, saturday, [])
    assert fairness(sc, sc.staff.people, report.shifts)[("ft", "weekends")] == (1, 1, 1)
    sc = sc.model_copy(update={"makeup_workdays": [dt.date(2026, 11, 21)]})
    report = check_roster(sc, tmp_path, saturday, [])
    assert fairness(sc, sc.staff.people, report.shifts)[("ft", "weekends")] == (0, 0, 0)
