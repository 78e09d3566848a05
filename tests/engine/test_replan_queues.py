"""The re-plan of a scenario that splits queues (engine/replan_queues.py): each queue is
covered again by people who serve it, a person serving both queues gives their time to
the one short, and a queue nobody left serves is infeasible (covering the total would
hand it to anyone). The scenarios state the queues' agents as solved (channels[].required),
as an output folder saves them; every roster passes the independent checker."""

from __future__ import annotations

import datetime as dt

import yaml

from scheduler.check import check_roster
from scheduler.engine.replan import replan
from scheduler.models import ShiftRecord
from scheduler.workload.loaded import load_scenario

from conftest import serves_team

START = dt.date(2026, 11, 16)


def as_solved(data: dict) -> dict:
    """The scenario with each channel's agents per slot instead of its contacts."""
    for channel in data["channels"]:
        volume = channel.pop("volume")
        channel["required"] = [int(v) for v in volume]
    return data


def loaded_with(tmp_path, people, sick: list[tuple[str, int]], days: int = 1,
                max_hire: int = 0):
    data = as_solved(serves_team(people, days, max_hire))
    data["requests"] = {"items": [{"id": pid, "kind": "leave",
                                   "date": (START + dt.timedelta(days=d)).isoformat()}
                                  for pid, d in sick]}
    path = tmp_path / "serves.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return load_scenario(path)


def shifts(working: list[list[str]]) -> list[ShiftRecord]:
    """The earlier roster: per day, who works the 08:00-16:00 shift."""
    out = []
    for d, agents in enumerate(working):
        day = START + dt.timedelta(days=d)
        begin = dt.datetime.combine(day, dt.time(8))
        out += [ShiftRecord(agent=a, shift_type="d8", start=begin,
                            end=begin + dt.timedelta(hours=8), paid_minutes=480, day=day,
                            pool="team") for a in agents]
    return out


def replanned(loaded, working, day: int = 0):
    start = dt.datetime.combine(START + dt.timedelta(days=day), dt.time())
    result = replan(loaded, shifts(working), [], start, time_limit=8)
    return result


def violations(loaded, result) -> list:
    report = check_roster(loaded.scenario, loaded.directory,
                          [s.model_dump() for s in result.shifts], [])
    return report.violations


def working(result, day: int = 0) -> set[str]:
    return {s.agent for s in result.shifts if s.day == START + dt.timedelta(days=day)}


def test_the_stand_in_serves_the_sick_persons_queue(tmp_path):
    # P1 (A only) is sick: of the people off, only P4 serves A; P5 and P6 serve B only
    loaded = loaded_with(tmp_path, [("P1", ["A"]), ("P2", ["B"]), ("P5", ["B"]),
                                    ("P6", ["B"]), ("P4", None)], [("P1", 0)])
    result = replanned(loaded, [["P1", "P2"]])
    assert result.summary.status in ("optimal", "feasible"), result.summary.message
    assert working(result) == {"P2", "P4"}
    assert violations(loaded, result) == []
    assert sorted(c.agent for c in result.changes) == ["P1", "P4"]


def test_a_person_serving_both_queues_gives_their_time_to_the_one_short(tmp_path):
    # P4 (A and B) worked for B; with P1 (A) sick, P4 takes A and P3 (B only) comes in
    loaded = loaded_with(tmp_path, [("P1", ["A"]), ("P4", None), ("P3", ["B"])],
                         [("P1", 0)])
    result = replanned(loaded, [["P1", "P4"]])
    assert result.summary.status in ("optimal", "feasible"), result.summary.message
    assert working(result) == {"P3", "P4"}
    assert violations(loaded, result) == []


def test_a_queue_nobody_left_serves_is_not_covered_by_others(tmp_path):
    # only B people are left and no hire is allowed: covering the total would take P3
    loaded = loaded_with(tmp_path, [("P1", ["A"]), ("P2", ["B"]), ("P3", ["B"])],
                         [("P1", 0)])
    result = replanned(loaded, [["P1", "P2"]])
    assert result.summary.status == "infeasible"
    assert "team" in result.summary.message


def test_a_hire_serving_the_pools_queues_covers_it_when_allowed(tmp_path):
    loaded = loaded_with(tmp_path, [("P1", ["A"]), ("P2", ["B"]), ("P3", ["B"])],
                         [("P1", 0)], max_hire=1)
    result = replanned(loaded, [["P1", "P2"]])
    assert result.summary.status in ("optimal", "feasible"), result.summary.message
    assert working(result) == {"P2", "team-hire-01"}
    assert violations(loaded, result) == []
    assert result.summary.replan.new_hires == 1


def test_a_sick_day_within_the_horizon_is_repaired_that_day_by_someone_serving_it(tmp_path):
    # three days; P1 (A) sick on the second: P3 (A) stands in, not P4 (B, off that day)
    loaded = loaded_with(tmp_path, [("P1", ["A"]), ("P2", ["B"]), ("P3", ["A"]),
                                    ("P4", ["B"])], [("P1", 1)], days=3)
    result = replanned(loaded, [["P1", "P2"], ["P1", "P2"], ["P3", "P4"]], day=1)
    assert result.summary.status in ("optimal", "feasible"), result.summary.message
    assert working(result, 0) == {"P1", "P2"}  # the past kept
    assert working(result, 1) == {"P3", "P2"}
    assert violations(loaded, result) == []


def test_a_pool_before_the_last_hires_when_the_last_cannot_serve_its_queue(tmp_path):
    # pools pa (A) and pb (B), a hire each: pa is re-planned first and would leave A to
    # pb, which cannot serve it; the second round prices A's shortfall above a hire
    data = as_solved(serves_team([("P1", None), ("P2", None)]))
    data["pools"] = [{"name": "pa", "shift_types": ["d8"], "serves": ["A"], "max_hire": 1},
                     {"name": "pb", "shift_types": ["d8"], "serves": ["B"], "max_hire": 1}]
    data["staff"]["people"][0]["pool"], data["staff"]["people"][1]["pool"] = "pa", "pb"
    data["requests"] = {"items": [{"id": "P1", "kind": "leave", "date": START.isoformat()}]}
    path = tmp_path / "pools.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    loaded = load_scenario(path)
    earlier = [s.model_copy(update={"pool": "pa" if s.agent == "P1" else "pb"})
               for s in shifts([["P1", "P2"]])]
    result = replan(loaded, earlier, [], dt.datetime.combine(START, dt.time()), time_limit=8)
    assert result.summary.status in ("optimal", "feasible"), result.summary.message
    assert working(result) == {"P2", "pa-hire-01"}
    assert violations(loaded, result) == []
