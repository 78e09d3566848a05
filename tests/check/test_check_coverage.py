"""The requirement per slot (demand values or file, floor, events, channels) and the
coverage rule: agents on duty per slot against it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from scheduler import models
from scheduler.check import check_roster
from tests.check.check_cases import (
    DAY_TYPE,
    LUNCH_TYPE,
    NIGHT_TYPE,
    brk,
    check,
    hourly,
    make,
    rules_of,
    shift,
)


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


def event_scenario(**event) -> models.Scenario:
    return models.Scenario.model_validate({
        "name": "t",
        "horizon": {"start_date": "2024-01-01", "days": 2, "slot_minutes": 60},
        "demand": {"required": hourly({9: 2, 10: 2, 24 + 9: 2, 24 + 10: 2}, days=2)},
        "shift_types": [DAY_TYPE],
        "events": [{"name": "promo", "start_date": "2024-01-01", "end_date": "2024-01-01"}
                   | event],
    })


def test_event_day_and_peak_factors_raise_the_requirement_rounded_up():
    peak = {"date": "2024-01-01", "start": "10:30", "end": "11:00", "multiplier": 2}
    sc = event_scenario(multiplier=1.25, peaks=[peak])
    # 2 x 1.25 = 2.5 -> 3 agents at 09:00; the peak touches the 10:00 slot: 2 x 1.25 x 2 = 5
    five_agents = [shift(a, "2024-01-01T08:00", "2024-01-01T16:00") for a in "abcde"]
    second_day = [shift(a, "2024-01-02T08:00", "2024-01-02T16:00") for a in "ab"]
    five = check(sc, five_agents + second_day)
    assert five.ok, five.violations
    assert five.required[9:11] == [3, 5]
    assert five.required[24 + 9:24 + 11] == [2, 2]  # the event is over on the second day
    four = check(sc, five_agents[:4] + second_day)
    assert rules_of(four) == {"coverage": 1}
    assert four.violations[0].time == datetime(2024, 1, 1, 10, 0)


def test_event_multiplier_per_day():
    sc = event_scenario(end_date="2024-01-02", multiplier=[1, 1.5])
    first_day = [shift(a, "2024-01-01T08:00", "2024-01-01T16:00") for a in "ab"]
    three = check(sc, first_day + [shift(a, "2024-01-02T08:00", "2024-01-02T16:00")
                                   for a in "abc"])
    assert three.ok, three.violations
    assert three.required[9:11] == [2, 2] and three.required[24 + 9:24 + 11] == [3, 3]
    two = check(sc, first_day + [shift(a, "2024-01-02T08:00", "2024-01-02T16:00") for a in "ab"])
    assert rules_of(two) == {"coverage": 2}  # the second day's 1.5 x 2 = 3 agents
    assert {v.time.day for v in two.violations} == {2}


VOICE = {"name": "voice", "kind": "voice", "aht_seconds": 180, "service_level": 0.8,
         "answer_within_seconds": 20, "hours": "08:00-16:00"}


def channel_scenario(channel: dict) -> models.Scenario:
    return models.Scenario.model_validate({
        "name": "t",
        "horizon": {"start_date": "2024-01-01", "days": 1, "slot_minutes": 60},
        "demand": {"required": hourly({h: 1 for h in range(8, 16)})},
        "channels": [channel],
        "shift_types": [DAY_TYPE],
    })


def test_channel_requirement_is_added_to_demand():
    from scheduler.workload.staffing import channel_requirement

    sc = channel_scenario(VOICE | {"volume": [0] * 8 + [100] * 8 + [0] * 8})
    per_slot = channel_requirement(sc, Path("."))
    agents = per_slot[8]
    assert agents > 1 and set(per_slot[8:16]) == {agents} and per_slot[16] == 0
    names = [f"a{i}" for i in range(agents + 1)]  # one more for the demand
    enough = check(sc, [shift(a, "2024-01-01T08:00", "2024-01-01T16:00") for a in names])
    assert enough.ok, enough.violations
    assert enough.required[8:16] == [agents + 1] * 8 and enough.required[16] == 0
    short = check(sc, [shift(a, "2024-01-01T08:00", "2024-01-01T16:00") for a in names[1:]])
    assert rules_of(short) == {"coverage": 8}


def test_channel_volume_file_that_cannot_be_read_is_a_file_violation(tmp_path):
    sc = channel_scenario(VOICE | {"volume_file": "volumes.csv"})
    report = check_roster(sc, tmp_path, [], [])
    assert rules_of(report)["file"] == 1
    assert "volumes.csv" in report.by_rule("file")[0].message
    assert report.required == hourly({h: 1 for h in range(8, 16)})  # the demand still counts
