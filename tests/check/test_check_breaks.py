"""Break rules: inside a shift, each required break present once, in its window, paid as
the type says, not overlapping."""

from __future__ import annotations

from tests.check.check_cases import (
    LUNCH,
    LUNCH_TYPE,
    NIGHT_TYPE,
    brk,
    check,
    make,
    rules_of,
    shift,
)


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


def test_break_paid_flag_as_the_type_says():
    coffee = {"name": "coffee", "duration_minutes": 30, "earliest_start_minutes": 60,
              "latest_start_minutes": 120, "paid": True}
    kind = dict(LUNCH_TYPE, breaks=[LUNCH, coffee])
    sc = make(slot=30, shift_types=[kind])
    day = [shift("a", "2024-01-01T09:00", "2024-01-01T18:00")]
    lunch = brk("a", "2024-01-01T12:00", "2024-01-01T13:00", paid=False)
    paid_coffee = brk("a", "2024-01-01T10:00", "2024-01-01T10:30", paid=True)
    assert check(sc, day, [lunch, paid_coffee]).ok
    unpaid_coffee = check(sc, day, [lunch, dict(paid_coffee, paid=False)])
    assert rules_of(unpaid_coffee) == {"break_paid": 1}
    assert "marked unpaid, the shift type says paid" in unpaid_coffee.violations[0].message
