"""Shift rules: known shift type, allowed start on a day of the horizon, paid minutes
and length."""

from __future__ import annotations

from datetime import datetime

from tests.check.check_cases import (
    DAY_TYPE,
    LUNCH,
    LUNCH_TYPE,
    NIGHT_TYPE,
    brk,
    check,
    day_shift,
    hourly,
    make,
    rules_of,
    shift,
)


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


def test_shift_type_names_match_exactly():
    sc = make(shift_types=[DAY_TYPE, NIGHT_TYPE])
    assert check(sc, [shift("a", "2024-01-01T08:00", "2024-01-01T16:00", kind="day")]).ok
    report = check(sc, [shift("a", "2024-01-01T08:00", "2024-01-01T16:00", kind="Day")])
    assert rules_of(report) == {"shift_type": 1}
    assert "unknown shift type 'Day' (known: day, night)" in report.violations[0].message


def test_every_allowed_paid_length_and_none_between():
    kind = {"name": "day", "paid_hours": [4, 5.5, 8], "earliest_start": "08:00",
            "latest_start": "10:00"}
    sc = make(slot=30, shift_types=[kind])
    for minutes in (240, 330, 480):
        end = f"2024-01-01T{8 + minutes // 60:02d}:{minutes % 60:02d}"
        report = check(sc, [shift("a", "2024-01-01T08:00", end, paid=minutes)])
        assert report.ok, (minutes, report.violations)
    between = check(sc, [shift("a", "2024-01-01T08:00", "2024-01-01T13:00", paid=300)])
    assert rules_of(between) == {"shift_length": 1}
    assert "allows 4 h, 5.5 h, 8 h" in between.violations[0].message
