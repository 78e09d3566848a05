"""Labour rules: one shift a day, minimum rest, days per week, consecutive days, weekly
and daily paid hours, headcount."""

from __future__ import annotations

from datetime import datetime

from tests.check.check_cases import (
    DAY_TYPE,
    NIGHT_TYPE,
    check,
    day_shift,
    make,
    rules_of,
    shift,
)


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
