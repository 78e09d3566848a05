"""Tests of the independent roster checker with small hand-made rosters.

For every rule there is a roster that breaks it and one that just meets it."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from scheduler import models
from scheduler.check import (
    CheckReport,
    check_output_dir,
    check_roster,
    load_scenario_for_check,
    read_breaks_csv,
    read_shifts_csv,
)

# --------------------------------------------------------------------------- helpers

DAY_TYPE = {"name": "day", "paid_hours": [8], "earliest_start": "08:00", "latest_start": "10:00"}
NIGHT_TYPE = {
    "name": "night",
    "paid_hours": [8],
    "earliest_start": "22:00",
    "latest_start": "25:00",  # up to 01:00 of the next day
}
LUNCH = {
    "name": "lunch",
    "duration_minutes": 60,
    "earliest_start_minutes": 180,
    "latest_start_minutes": 300,
    "min_shift_hours": 6,
}
LUNCH_TYPE = {
    "name": "day",
    "paid_hours": [4, 8],
    "earliest_start": "08:00",
    "latest_start": "10:00",
    "breaks": [LUNCH],
}


def make(
    days: int = 1,
    slot: int = 60,
    required: list[int] | None = None,
    shift_types: list[dict] | None = None,
    rules: dict | None = None,
    cyclic: bool = False,
    allow_understaffing: bool = False,
    floor: int = 0,
) -> models.Scenario:
    n = days * 1440 // slot
    return models.Scenario.model_validate(
        {
            "name": "test",
            "horizon": {
                "start_date": "2024-01-01",
                "days": days,
                "slot_minutes": slot,
                "cyclic": cyclic,
            },
            "demand": {"required": required if required is not None else [0] * n, "floor": floor},
            "shift_types": shift_types or [DAY_TYPE],
            "rules": rules or {},
            "coverage": {"allow_understaffing": allow_understaffing},
        }
    )


def shift(agent: str, start: str, end: str, paid: int = 480, kind: str = "day") -> dict:
    return {"agent": agent, "shift_type": kind, "start": start, "end": end, "paid_minutes": paid}


def brk(agent: str, start: str, end: str, paid: bool = False) -> dict:
    return {"agent": agent, "start": start, "end": end, "paid": paid}


def day_shift(agent: str, day: int, hour: int = 8) -> dict:
    """An 8-hour 'day' shift on 2024-01-(1+day) (day may be up to 30)."""
    d = f"2024-01-{1 + day:02d}"
    return shift(agent, f"{d}T{hour:02d}:00", f"{d}T{hour + 8:02d}:00")


def check(
    scenario: models.Scenario, shifts: list[dict], breaks: list[dict] | None = None
) -> CheckReport:
    return check_roster(scenario, Path("."), shifts, breaks or [])


def rules_of(report: CheckReport) -> Counter:
    return Counter(v.rule for v in report.violations)


def hourly(day_values: dict[int, int], days: int = 1) -> list[int]:
    values = [0] * (24 * days)
    for hour, value in day_values.items():
        values[hour] = value
    return values


# --------------------------------------------------------------------------- coverage


def test_clean_roster_meets_demand_exactly():
    sc = make(required=hourly({h: 1 for h in range(8, 16)}))
    report = check(sc, [shift("a", "2024-01-01T08:00", "2024-01-01T16:00")])
    assert report.ok, report.violations
    assert report.scheduled[7:17] == [0] + [1] * 8 + [0]
    assert (report.headcount, report.paid_minutes) == (1, 480)
    assert (report.short_agent_slots, report.over_agent_slots) == (0, 0)


def test_coverage_short_slot_is_reported_with_time():
    sc = make(required=hourly({9: 2, 10: 1}))
    report = check(sc, [shift("a", "2024-01-01T08:00", "2024-01-01T16:00")])
    assert rules_of(report) == {"coverage": 1}
    (v,) = report.violations
    assert v.time == datetime(2024, 1, 1, 9, 0)
    assert "2024-01-01 09:00" in v.message
    assert report.short_agent_slots == 1
    assert report.over_agent_slots == 6  # hours 8, 11..15 over by one


def test_allow_understaffing_counts_but_does_not_report():
    sc = make(required=hourly({9: 3}), allow_understaffing=True)
    report = check(sc, [shift("a", "2024-01-01T08:00", "2024-01-01T16:00")])
    assert report.ok
    assert report.short_agent_slots == 2


def test_demand_floor_applies_to_every_slot():
    sc = make(required=hourly({9: 2}), floor=1, allow_understaffing=True)
    assert sc.demand.floor == 1
    report = check(sc, [])
    assert report.required[0] == 1 and report.required[9] == 2
    assert report.short_agent_slots == 23 + 2


def test_break_removes_agent_from_overlapped_slots():
    sc = make(slot=30, shift_types=[LUNCH_TYPE], allow_understaffing=True)
    # Lunch 12:15-13:15 on a 30-minute grid touches the slots 12:00, 12:30, 13:00.
    report = check(
        sc,
        [shift("a", "2024-01-01T09:00", "2024-01-01T18:00")],
        [brk("a", "2024-01-01T12:15", "2024-01-01T13:15")],
    )
    on_duty = [i for i, s in enumerate(report.scheduled) if s]
    assert on_duty == list(range(18, 24)) + list(range(27, 36))
    assert not rules_of(report)["coverage"]


def test_two_overlapping_shifts_of_one_agent_count_once():
    sc = make(required=hourly({10: 2}), allow_understaffing=True)
    report = check(
        sc,
        [
            shift("a", "2024-01-01T08:00", "2024-01-01T16:00"),
            shift("a", "2024-01-01T10:00", "2024-01-01T18:00"),
        ],
    )
    assert report.scheduled[10] == 1
    assert rules_of(report)["min_rest"] == 1  # the shifts overlap
    assert rules_of(report)["one_shift_per_day"] == 1


def test_cyclic_coverage_wraps_past_horizon_end():
    required = hourly({h: 1 for h in (22, 23, 0, 5)})
    sc = make(shift_types=[NIGHT_TYPE], cyclic=True, required=required)
    report = check(sc, [shift("a", "2024-01-01T22:00", "2024-01-02T06:00", kind="night")])
    assert report.ok, report.violations
    assert report.scheduled[:6] == [1] * 6 and report.scheduled[22:] == [1, 1]


def test_non_cyclic_shift_past_horizon_end_covers_nothing_outside():
    sc = make(shift_types=[NIGHT_TYPE], required=hourly({0: 1}))
    report = check(sc, [shift("a", "2024-01-01T22:00", "2024-01-02T06:00", kind="night")])
    assert rules_of(report) == {"coverage": 1}
    assert report.scheduled[22:] == [1, 1] and report.scheduled[0] == 0


def test_demand_file_in_any_order(tmp_path):
    rows = ["start,required"]
    rows += [f"2024-01-01T{h:02d}:00,{1 if h == 3 else 0}" for h in range(23, -1, -1)]
    (tmp_path / "demand.csv").write_text("\n".join(rows) + "\n")
    sc = models.Scenario.model_validate(
        {
            "name": "t",
            "horizon": {"start_date": "2024-01-01", "days": 1, "slot_minutes": 60},
            "demand": {"file": "demand.csv"},
            "shift_types": [DAY_TYPE],
            "coverage": {"allow_understaffing": True},
        }
    )
    report = check_roster(sc, tmp_path, [], [])
    assert report.ok
    assert report.required == hourly({3: 1})


def test_demand_file_missing_slot_and_bad_value(tmp_path):
    rows = ["start,required"] + [f"2024-01-01T{h:02d}:00,0" for h in range(22)]
    rows.append("2024-01-01T22:00,x")  # line 24; 22:00 and 23:00 are then missing
    (tmp_path / "demand.csv").write_text("\n".join(rows) + "\n")
    sc = models.Scenario.model_validate(
        {
            "name": "t",
            "horizon": {"start_date": "2024-01-01", "days": 1, "slot_minutes": 60},
            "demand": {"file": "demand.csv"},
            "shift_types": [DAY_TYPE],
        }
    )
    report = check_roster(sc, tmp_path, [], [])
    messages = [v.message for v in report.by_rule("file")]
    assert len(messages) == 2
    assert any("demand.csv line 24" in m for m in messages)
    assert any("2 slot(s)" in m for m in messages)


# --------------------------------------------------------------------------- shift types and starts


def test_unknown_shift_type():
    report = check(make(), [shift("a", "2024-01-01T08:00", "2024-01-01T16:00", kind="late")])
    assert rules_of(report) == {"shift_type": 1}
    assert report.violations[0].agent == "a"


def test_shift_start_at_window_edges_and_outside():
    sc = make()
    edges = check(sc, [day_shift("a", 0, 8), day_shift("b", 0, 10)])
    assert edges.ok, edges.violations
    early = check(sc, [day_shift("a", 0, 7)])
    late = check(sc, [day_shift("a", 0, 11)])
    assert rules_of(early) == {"shift_start": 1}
    assert rules_of(late) == {"shift_start": 1}


def test_shift_start_step_and_rounded_earliest():
    kind = {
        "name": "day",
        "paid_hours": [8],
        "earliest_start": "08:10",  # rounded up to 08:30 on the 30-minute grid
        "latest_start": "10:30",
        "start_step_minutes": 60,  # 08:30, 09:30, 10:30
    }
    sc = make(slot=30, shift_types=[kind])
    ok = check(sc, [shift(a, f"2024-01-01T{h}", f"2024-01-01T{int(h[:2]) + 8:02d}:30")
                    for a, h in (("a", "08:30"), ("b", "09:30"), ("c", "10:30"))])
    assert ok.ok, ok.violations
    off_step = check(sc, [shift("a", "2024-01-01T09:00", "2024-01-01T17:00")])
    before_rounding = check(sc, [shift("a", "2024-01-01T08:00", "2024-01-01T16:00")])
    assert rules_of(off_step) == {"shift_start": 1}
    assert rules_of(before_rounding) == {"shift_start": 1}


def test_shift_ending_at_midnight_is_fine():
    late = {"name": "late", "paid_hours": [8], "earliest_start": "16:00", "latest_start": "16:00"}
    sc = make(shift_types=[late], required=hourly({23: 1}))
    report = check(sc, [shift("a", "2024-01-01T16:00", "2024-01-02T00:00", kind="late")])
    assert report.ok, report.violations
    assert report.scheduled[16:] == [1] * 8


def test_night_window_past_midnight_belongs_to_previous_day():
    sc = make(days=2, shift_types=[DAY_TYPE, NIGHT_TYPE])
    # Starts 2024-01-02 01:00 = offset 25:00 of 2024-01-01: the last allowed start.
    night = shift("a", "2024-01-02T01:00", "2024-01-02T09:00", kind="night")
    alone = check(sc, [night])
    assert alone.ok, alone.violations
    # The same agent on a day shift of 2024-01-01 now has two shifts that day.
    clash = check(sc, [day_shift("a", 0, 8), night])
    assert rules_of(clash) == {"one_shift_per_day": 1}
    assert clash.violations[0].time == datetime(2024, 1, 1, 0, 0)
    too_late = check(sc, [shift("a", "2024-01-02T01:30", "2024-01-02T09:30", kind="night")])
    assert rules_of(too_late) == {"shift_start": 1}


def test_lead_in_shift_on_day_before_horizon():
    sc = make(shift_types=[NIGHT_TYPE], required=hourly({h: 1 for h in range(6)}))
    report = check(sc, [shift("a", "2023-12-31T22:00", "2024-01-01T06:00", kind="night")])
    assert report.ok, report.violations
    # A shift two days before the horizon (not reaching into it) is not allowed.
    sc2 = make(shift_types=[DAY_TYPE], allow_understaffing=True)
    outside = check(sc2, [shift("a", "2023-12-31T08:00", "2023-12-31T16:00")])
    assert rules_of(outside) == {"shift_start": 1}
    after = check(sc2, [shift("a", "2024-01-02T08:00", "2024-01-02T16:00")])
    assert rules_of(after) == {"shift_start": 1}


# --------------------------------------------------------------------------- shift length


def test_paid_minutes_must_be_an_allowed_length():
    sc = make()
    report = check(sc, [shift("a", "2024-01-01T08:00", "2024-01-01T15:00", paid=420)])
    assert rules_of(report) == {"shift_length": 1}


def test_duration_must_match_paid_plus_unpaid_breaks():
    sc = make(shift_types=[LUNCH_TYPE])
    lunch = brk("a", "2024-01-01T12:00", "2024-01-01T13:00")
    ok = check(sc, [shift("a", "2024-01-01T09:00", "2024-01-01T18:00")], [lunch])
    assert ok.ok, ok.violations
    too_short = check(sc, [shift("a", "2024-01-01T09:00", "2024-01-01T17:00")], [lunch])
    assert rules_of(too_short) == {"shift_length": 1}


def test_paid_break_does_not_lengthen_the_shift():
    kind = dict(LUNCH_TYPE, breaks=[dict(LUNCH, paid=True)])
    sc = make(shift_types=[kind])
    report = check(
        sc,
        [shift("a", "2024-01-01T09:00", "2024-01-01T17:00")],
        [brk("a", "2024-01-01T12:00", "2024-01-01T13:00", paid=True)],
    )
    assert report.ok, report.violations


# --------------------------------------------------------------------------- breaks


def test_break_applies_only_from_min_shift_hours():
    sc = make(shift_types=[LUNCH_TYPE])
    short = check(sc, [shift("a", "2024-01-01T09:00", "2024-01-01T13:00", paid=240)])
    assert short.ok, short.violations
    missing = check(sc, [shift("a", "2024-01-01T09:00", "2024-01-01T18:00")])
    assert rules_of(missing) == {"break_missing": 1}
    extra = check(
        sc,
        [shift("a", "2024-01-01T09:00", "2024-01-01T13:00", paid=240)],
        [brk("a", "2024-01-01T10:00", "2024-01-01T11:00")],
    )
    assert rules_of(extra) == {"break_missing": 1}


def test_break_at_window_edges_and_one_slot_outside():
    sc = make(slot=30, shift_types=[LUNCH_TYPE])
    at = lambda start, end: check(  # noqa: E731
        sc, [shift("a", "2024-01-01T09:00", "2024-01-01T18:00")], [brk("a", start, end)]
    )
    assert at("2024-01-01T12:00", "2024-01-01T13:00").ok  # offset 180 = earliest
    assert at("2024-01-01T14:00", "2024-01-01T15:00").ok  # offset 300 = latest
    assert rules_of(at("2024-01-01T11:30", "2024-01-01T12:30")) == {"break_window": 1}
    assert rules_of(at("2024-01-01T14:30", "2024-01-01T15:30")) == {"break_window": 1}


def test_break_outside_every_shift():
    sc = make(shift_types=[LUNCH_TYPE])
    report = check(
        sc,
        [shift("a", "2024-01-01T09:00", "2024-01-01T13:00", paid=240)],
        [
            brk("a", "2024-01-01T13:00", "2024-01-01T14:00"),  # right after the shift
            brk("b", "2024-01-01T10:00", "2024-01-01T11:00"),  # b has no shift
        ],
    )
    assert rules_of(report) == {"break_window": 2}
    assert {v.agent for v in report.violations} == {"a", "b"}


def test_break_paid_flag_must_match():
    sc = make(shift_types=[LUNCH_TYPE])
    report = check(
        sc,
        [shift("a", "2024-01-01T09:00", "2024-01-01T18:00")],
        [brk("a", "2024-01-01T12:00", "2024-01-01T13:00", paid=True)],
    )
    assert rules_of(report) == {"break_paid": 1}


def test_cyclic_break_may_be_written_wrapped():
    night = dict(NIGHT_TYPE, breaks=[LUNCH])
    sc = make(shift_types=[night], cyclic=True, allow_understaffing=True)
    roster = [shift("a", "2024-01-01T22:00", "2024-01-02T07:00", kind="night")]
    as_is = check(sc, roster, [brk("a", "2024-01-02T02:00", "2024-01-02T03:00")])
    wrapped = check(sc, roster, [brk("a", "2024-01-01T02:00", "2024-01-01T03:00")])
    assert as_is.ok and wrapped.ok, (as_is.violations, wrapped.violations)
    assert wrapped.scheduled == as_is.scheduled
    assert wrapped.scheduled[2] == 0 and wrapped.scheduled[1] == 1
    late = check(sc, roster, [brk("a", "2024-01-01T04:00", "2024-01-01T05:00")])
    assert rules_of(late) == {"break_window": 1}  # offset 360 > 300


def test_breaks_must_not_overlap_but_may_touch():
    coffee = {"name": "coffee", "duration_minutes": 15, "earliest_start_minutes": 60,
              "latest_start_minutes": 360, "paid": True}
    kind = dict(LUNCH_TYPE, breaks=[LUNCH, coffee])
    sc = make(slot=15, shift_types=[kind])
    day = [shift("a", "2024-01-01T09:00", "2024-01-01T18:00")]
    lunch = brk("a", "2024-01-01T12:00", "2024-01-01T13:00")
    touching = check(sc, day, [lunch, brk("a", "2024-01-01T13:00", "2024-01-01T13:15", True)])
    assert touching.ok, touching.violations
    overlapping = check(sc, day, [lunch, brk("a", "2024-01-01T12:45", "2024-01-01T13:00", True)])
    assert rules_of(overlapping) == {"break_overlap": 1}


def test_breaks_of_equal_length_are_matched_to_fitting_windows():
    wide = {"name": "first", "duration_minutes": 15, "earliest_start_minutes": 60,
            "latest_start_minutes": 180, "paid": True}
    narrow = {"name": "second", "duration_minutes": 15, "earliest_start_minutes": 60,
              "latest_start_minutes": 90, "paid": True}
    kind = {"name": "day", "paid_hours": [8], "earliest_start": "08:00",
            "latest_start": "10:00", "breaks": [wide, narrow]}
    sc = make(slot=15, shift_types=[kind])
    day = [shift("a", "2024-01-01T08:00", "2024-01-01T16:00")]
    # A greedy match would give 'first' the 09:15 break and leave 10:30 outside 'second'.
    ok = check(sc, day, [brk("a", "2024-01-01T09:15", "2024-01-01T09:30", True),
                         brk("a", "2024-01-01T10:30", "2024-01-01T10:45", True)])
    assert ok.ok, ok.violations
    bad = check(sc, day, [brk("a", "2024-01-01T10:00", "2024-01-01T10:15", True),
                          brk("a", "2024-01-01T10:30", "2024-01-01T10:45", True)])
    assert rules_of(bad) == {"break_window": 1}


# --------------------------------------------------------------------------- labour rules


def test_one_shift_per_day():
    late = {"name": "late", "paid_hours": [4], "earliest_start": "18:00", "latest_start": "19:00"}
    kinds = [DAY_TYPE, late]
    sc = make(days=2, shift_types=kinds)
    evening = shift("a", "2024-01-01T18:00", "2024-01-01T22:00", 240, "late")
    two = check(sc, [day_shift("a", 0), evening])
    assert rules_of(two) == {"one_shift_per_day": 1}
    next_evening = shift("a", "2024-01-02T18:00", "2024-01-02T22:00", 240, "late")
    next_day = check(sc, [day_shift("a", 0), next_evening])
    assert next_day.ok, next_day.violations


def test_min_rest_exactly_at_minimum_is_ok():
    kinds = [DAY_TYPE, NIGHT_TYPE]
    # Night shift ends 2024-01-02 06:00, the next day shift starts 10:00: exactly 4 h.
    night = shift("a", "2024-01-01T22:00", "2024-01-02T06:00", kind="night")
    roster = [night, day_shift("a", 1, 10)]
    exact = check(make(days=2, shift_types=kinds, rules={"min_rest_hours": 4}), roster)
    assert exact.ok, exact.violations
    short = check(make(days=2, shift_types=kinds, rules={"min_rest_hours": 4.5}), roster)
    assert rules_of(short) == {"min_rest": 1}
    assert short.violations[0].time == datetime(2024, 1, 2, 10, 0)
    assert "4 h" in short.violations[0].message


def test_min_rest_wraps_in_cyclic_horizon():
    kinds = [DAY_TYPE, NIGHT_TYPE]
    roster = [day_shift("a", 0), shift("a", "2024-01-02T22:00", "2024-01-03T06:00", kind="night")]
    # The night shift ends 06:00 on day 2 = day 0 again; the day shift starts 08:00: 2 h.
    wrap = check(make(days=2, shift_types=kinds, cyclic=True, rules={"min_rest_hours": 3}), roster)
    assert rules_of(wrap) == {"min_rest": 1}
    assert "repeats" in wrap.violations[0].message
    exact = check(make(days=2, shift_types=kinds, cyclic=True, rules={"min_rest_hours": 2}), roster)
    assert exact.ok, exact.violations
    linear = check(make(days=2, shift_types=kinds, rules={"min_rest_hours": 3}), roster)
    assert linear.ok, linear.violations


def test_max_days_per_week():
    sc = make(days=7, rules={"max_days_per_week": 5})
    five = check(sc, [day_shift("a", d) for d in (0, 1, 2, 3, 4)])
    assert five.ok, five.violations
    six = check(sc, [day_shift("a", d) for d in range(6)])
    assert rules_of(six) == {"max_days_per_week": 1}


def test_max_days_per_week_sliding_and_cyclic_windows():
    days_worked = (0, 1, 4, 5, 6, 7)
    roster = [day_shift("a", d) for d in days_worked]
    # Linear 8-day horizon: windows 1-7 and 2-8 each hold 5 working days.
    linear = check(make(days=8, rules={"max_days_per_week": 5}), roster)
    assert linear.ok, linear.violations
    # Cyclic: days 4,5,6,7,0,1 are 6 days in a row; the windows starting on days 3
    # (3..7,0,1) and 4 (4..7,0..2) hold 6 working days.
    cyclic = check(make(days=8, cyclic=True, rules={"max_days_per_week": 5}), roster)
    assert rules_of(cyclic) == {"max_days_per_week": 2}
    assert [v.time.day for v in cyclic.violations] == [4, 5]


def test_max_days_per_week_short_horizon_is_one_window():
    sc = make(days=3, rules={"max_days_per_week": 2})
    assert rules_of(check(sc, [day_shift("a", d) for d in range(3)])) == {"max_days_per_week": 1}
    assert check(sc, [day_shift("a", d) for d in (0, 2)]).ok


def test_max_consecutive_days():
    sc = make(days=10, rules={"max_consecutive_days": 3})
    three = check(sc, [day_shift("a", d) for d in (0, 1, 2, 4, 5, 6)])
    assert three.ok, three.violations
    four = check(sc, [day_shift("a", d) for d in (0, 1, 2, 3, 6)])
    assert rules_of(four) == {"max_consecutive_days": 1}


def test_max_consecutive_days_cyclic_wrap_and_every_day():
    roster = [day_shift("a", d) for d in (0, 1, 4, 5)]
    assert check(make(days=6, rules={"max_consecutive_days": 2}), roster).ok
    wrapped = check(make(days=6, cyclic=True, rules={"max_consecutive_days": 3}), roster)
    assert rules_of(wrapped) == {"max_consecutive_days": 1}  # 4,5,0,1
    assert check(make(days=6, cyclic=True, rules={"max_consecutive_days": 4}), roster).ok
    every = check(make(days=3, cyclic=True, rules={"max_consecutive_days": 10}),
                  [day_shift("a", d) for d in range(3)])
    assert rules_of(every) == {"max_consecutive_days": 1}
    assert "unbounded" in every.violations[0].message


def test_max_weekly_hours_scaled_for_partial_block():
    sc = make(days=10, rules={"max_weekly_paid_hours": 40})
    # Block 0 (7 days): 40 h exactly. Block 1 (3 days): limit 40*3/7 = 17.14 h.
    ok = check(sc, [day_shift("a", d) for d in (0, 1, 2, 3, 4, 7, 8)])
    assert ok.ok, ok.violations
    over = check(sc, [day_shift("a", d) for d in (0, 1, 2, 3, 4, 5, 7, 8, 9)])
    assert rules_of(over) == {"max_weekly_hours": 2}
    assert [v.time for v in over.violations] == [datetime(2024, 1, 1), datetime(2024, 1, 8)]


def test_min_weekly_hours_full_blocks_only():
    sc = make(days=10, rules={"min_weekly_paid_hours": 16})
    # 'a': 16 h in week 1 and nothing in the 3-day block 1 (no minimum there).
    ok = check(sc, [day_shift("a", 0), day_shift("a", 3)])
    assert ok.ok, ok.violations
    short = check(sc, [day_shift("a", 0), day_shift("b", 0), day_shift("b", 1)])
    assert rules_of(short) == {"min_weekly_hours": 1}
    assert short.violations[0].agent == "a"


def test_lead_in_shift_counts_in_first_week():
    sc = make(days=7, shift_types=[DAY_TYPE, NIGHT_TYPE], rules={"max_weekly_paid_hours": 40})
    lead_in = shift("a", "2023-12-31T22:00", "2024-01-01T06:00", kind="night")
    roster = [lead_in] + [day_shift("a", d) for d in (1, 2, 3, 4)]
    assert check(sc, roster).ok
    report = check(sc, roster + [day_shift("a", 5)])
    assert rules_of(report) == {"max_weekly_hours": 1}


def test_max_daily_hours():
    kind = {"name": "day", "paid_hours": [8, 9], "earliest_start": "08:00", "latest_start": "10:00"}
    sc = make(shift_types=[kind], rules={"max_daily_paid_hours": 8})
    assert check(sc, [day_shift("a", 0)]).ok
    long = check(sc, [shift("a", "2024-01-01T08:00", "2024-01-01T17:00", paid=540)])
    assert rules_of(long) == {"max_daily_hours": 1}


def test_max_headcount():
    sc = make(rules={"max_headcount": 2})
    assert check(sc, [day_shift("a", 0), day_shift("b", 0)]).ok
    three = check(sc, [day_shift(x, 0) for x in "abc"])
    assert rules_of(three) == {"max_headcount": 1}
    assert three.headcount == 3


# --------------------------------------------------------------------------- bad input


def test_malformed_rows_give_file_violations_not_exceptions():
    sc = make(allow_understaffing=True)
    report = check(
        sc,
        [
            shift("a", "2024-01-01 08:00", "2024-01-01T25:00"),
            {"agent": "b", "shift_type": "day", "start": "2024-01-01T08:00",
             "end": "2024-01-01T16:00", "paid_minutes": "8h"},
            {"agent": "c", "shift_type": "day", "start": "2024-01-01T08:00"},
        ],
        [brk("a", "2024-01-01T12:00", "2024-01-01T12:30", paid="maybe")],  # type: ignore[arg-type]
    )
    assert rules_of(report) == {"file": 4}
    messages = " ".join(v.message for v in report.violations)
    assert "shifts row 1" in messages and "column paid_minutes" in messages
    assert "column end has no value" in messages and "breaks row 1" in messages


# --------------------------------------------------------------------------- output directories


SCENARIO_YAML = """\
name: dir-test
horizon: {start_date: 2024-01-01, days: 1, slot_minutes: 60}
demand: {file: demand.csv}
shift_types:
  - name: day
    paid_hours: [8]
    earliest_start: "08:00"
    latest_start: "10:00"
    breaks:
      - {name: lunch, duration_minutes: 60, earliest_start_minutes: 180, latest_start_minutes: 300}
rules:
  preset: five-day-week
  max_days_per_week: 6
  max_weekly_paid_hours: 56  # 8 h in a 1-day horizon (56 * 1/7)
"""


def write_output(
    tmp_path: Path, shifts: str | None = None, summary: dict | None = None
) -> tuple[Path, Path]:
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(SCENARIO_YAML)
    demand = [1 if 9 <= h < 17 and h != 12 else 0 for h in range(24)]
    (tmp_path / "demand.csv").write_text(
        "start,required\n" + "".join(f"2024-01-01T{h:02d}:00,{v}\n" for h, v in enumerate(demand))
    )
    out = tmp_path / "out"
    out.mkdir()
    (out / "shifts.csv").write_text(
        shifts
        if shifts is not None
        else "agent,shift_type,start,end,paid_minutes,cost\n"
        "a,day,2024-01-01T09:00,2024-01-01T18:00,480,8.0\n"
    )
    (out / "breaks.csv").write_text(
        "agent,start,end,paid\na,2024-01-01T12:00,2024-01-01T13:00,false\n"
    )
    scheduled = [1 if 9 <= h < 18 and h != 12 else 0 for h in range(24)]
    (out / "coverage.csv").write_text(
        "start,required,scheduled\n"
        + "".join(f"2024-01-01T{h:02d}:00,{demand[h]},{s}\n" for h, s in enumerate(scheduled))
    )
    base = {"headcount": 1, "shifts": 1, "paid_hours": 8.004, "short_agent_slots": 0,
            "over_agent_slots": 1, "status": "optimal"}
    (out / "summary.json").write_text(json.dumps(base | (summary or {})))
    return scenario, out


def test_load_scenario_merges_preset_with_overrides(tmp_path):
    scenario, _ = write_output(tmp_path)
    sc = load_scenario_for_check(scenario)
    assert sc.rules.preset == "five-day-week"
    assert sc.rules.max_days_per_week == 6  # the scenario overrides the preset
    assert sc.rules.min_rest_hours == 12 and sc.rules.max_consecutive_days == 6
    assert sc.rules.max_weekly_paid_hours == 56


def test_output_dir_consistent(tmp_path):
    scenario, out = write_output(tmp_path)
    report = check_output_dir(scenario, out)
    assert report.ok, report.violations
    assert report.over_agent_slots == 1
    assert read_breaks_csv(out / "breaks.csv")[0]["_line"] == 2
    assert read_shifts_csv(out / "shifts.csv")[0]["cost"] == "8.0"


def test_output_dir_summary_mismatch(tmp_path):
    scenario, out = write_output(tmp_path, summary={"paid_hours": 8.02, "headcount": 2})
    report = check_output_dir(scenario, out)
    assert rules_of(report) == {"summary_mismatch": 2}
    keys = {k for v in report.violations for k in ("paid_hours", "headcount") if k in v.message}
    assert keys == {"paid_hours", "headcount"}


def test_output_dir_coverage_file_mismatch(tmp_path):
    scenario, out = write_output(tmp_path)
    text = (out / "coverage.csv").read_text()
    text = text.replace("2024-01-01T12:00,0,0", "2024-01-01T12:00,0,1")
    (out / "coverage.csv").write_text(text)
    report = check_output_dir(scenario, out)
    assert rules_of(report) == {"coverage_file_mismatch": 1}
    assert report.violations[0].time == datetime(2024, 1, 1, 12, 0)


def test_output_dir_malformed_csv_names_file_and_line(tmp_path):
    shifts = (
        "agent,shift_type,start,end,paid_minutes\n"
        "a,day,2024-01-01T09:00,2024-01-01T18:00,480\n"
        "b,day,2024-01-01Tnine,2024-01-01T18:00,480\n"
    )
    scenario, out = write_output(tmp_path, shifts=shifts, summary={"shifts": 2})
    report = check_output_dir(scenario, out)
    assert rules_of(report) == {"file": 1}
    assert "shifts.csv line 3" in report.violations[0].message


def test_output_dir_missing_column_is_a_file_violation(tmp_path):
    scenario, out = write_output(tmp_path, shifts="agent,start,end,paid_minutes\n")
    report = check_output_dir(scenario, out)
    assert rules_of(report) == {"file": 1}
    assert "shifts.csv line 1" in report.violations[0].message
    assert "shift_type" in report.violations[0].message


@pytest.mark.parametrize("missing", ["shifts.csv", "breaks.csv"])
def test_output_dir_missing_file(tmp_path, missing):
    scenario, out = write_output(tmp_path)
    (out / missing).unlink()
    report = check_output_dir(scenario, out)
    assert rules_of(report) == {"file": 1}
    assert missing in report.violations[0].message
