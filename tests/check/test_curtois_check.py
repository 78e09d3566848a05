"""The independent checker of Curtois rosters: every hard rule broken and just met on a tiny
hand-made instance, the border conventions, and the objective recomputed by hand."""

from __future__ import annotations

import dataclasses

import pytest

from scheduler.check.curtois import check_roster
from scheduler.datasets.curtois import CurtoisStaff, parse_curtois

# 14 days (two weeks, weekends on days 5-6 and 12-13), shifts E (480 min) and L (600 min);
# L may not be followed by E. One employee A; rules loose unless a test tightens them.
BASE = """SECTION_HORIZON
14

SECTION_SHIFTS
E,480,
L,600,E

SECTION_STAFF
A,E=14|L=14,10000,0,14,1,1,2

SECTION_DAYS_OFF
A,3

SECTION_SHIFT_ON_REQUESTS
A,0,E,2

SECTION_SHIFT_OFF_REQUESTS
A,1,L,3

SECTION_COVER
0,E,1,100,1
1,L,2,100,1
5,E,0,100,1
"""


def instance(**rules):
    inst = parse_curtois(BASE, "tiny")
    person: CurtoisStaff = dataclasses.replace(inst.staff[0], **rules)
    return dataclasses.replace(inst, staff=(person,))


def roster(pattern: str) -> dict:
    """'EL-E...' one character a day, '-' off."""
    assert len(pattern) == 14
    return {"A": tuple(None if c == "-" else c for c in pattern)}


def rules_broken(inst, pattern: str) -> set[str]:
    return {v.rule for v in check_roster(inst, roster(pattern)).violations}


OK = "EE---EE--EEE--"
"""Runs of 2, 2 and 3 shifts, 7 x E = 3,360 minutes, off on day 3, one weekend worked."""


def test_base_roster_is_feasible():
    assert rules_broken(instance(), OK) == set()


def test_days_off():
    assert rules_broken(instance(), OK) == set()
    assert rules_broken(instance(), "EEEE-EE--EEE--") == {"days_off"}


def test_cannot_follow():
    assert rules_broken(instance(), "LL---EE--EEE--") == set()  # L then L is allowed
    assert rules_broken(instance(), "EL---EE--EEE--") == set()  # E then L is allowed
    assert rules_broken(instance(), "LE---EE--EEE--") == {"cannot_follow"}


def test_max_shifts_per_type():
    assert rules_broken(instance(max_shifts=(("E", 7), ("L", 14))), OK) == set()
    assert rules_broken(instance(max_shifts=(("E", 6), ("L", 14))), OK) == {"max_shifts"}


def test_cap_zero_is_a_skill_restriction():
    no_l = instance(max_shifts=(("E", 14), ("L", 0)))
    assert rules_broken(no_l, OK) == set()
    assert rules_broken(no_l, "EL---EE--EEE--") == {"max_shifts"}


def test_total_minutes():
    assert rules_broken(instance(max_total_minutes=3360, min_total_minutes=3360), OK) == set()
    assert rules_broken(instance(max_total_minutes=3359), OK) == {"max_minutes"}
    assert rules_broken(instance(min_total_minutes=3361), OK) == {"min_minutes"}


def test_max_consecutive_shifts():
    inst = instance(max_consecutive_shifts=3)
    assert rules_broken(inst, OK) == set()
    assert rules_broken(inst, "EE---EE-EEEE--") == {"max_consecutive_shifts"}
    # a run touching the last day is capped too: the day after the horizon is off
    assert rules_broken(inst, "EE---EE--EEEEE") == {"max_consecutive_shifts"}


def test_min_consecutive_shifts_exempt_at_the_borders():
    inst = instance(min_consecutive_shifts=3)
    assert rules_broken(inst, "----EEE--EEE--") == set()  # inner runs of exactly 3
    assert rules_broken(inst, "E----EEE-EEE--") == set()  # run of 1 touching day 0
    assert rules_broken(inst, "E---EEE--EEE-E") == set()  # run of 1 touching day 13
    assert rules_broken(inst, OK) == {"min_consecutive_shifts"}  # inner run of 2


def test_min_consecutive_days_off_exempt_at_the_borders():
    inst = instance(min_consecutive_days_off=2)
    assert rules_broken(inst, OK) == set()  # inner runs of 3 and exactly 2 days off
    assert rules_broken(inst, "-EE---EE--EEE-") == set()  # single days off at the borders
    assert rules_broken(inst, "EE---EE-EEEE--") == {"min_consecutive_days_off"}


def test_max_weekends():
    inst = instance(max_weekends=1)
    assert rules_broken(inst, OK) == set()  # Saturday and Sunday of one weekend: 1
    assert rules_broken(inst, "EE---EE--EEE-E") == {"max_weekends"}  # a Sunday alone counts


def test_unknown_shift_and_wrong_length_are_reported():
    inst = instance()
    bad = {"A": tuple(None if c == "-" else c for c in "EE---EE--EEX--")}
    assert {v.rule for v in check_roster(inst, bad).violations} == {"unknown_shift"}
    assert {v.rule for v in check_roster(inst, {"A": ("E",) * 13}).violations} >= {"shape"}
    assert {v.rule for v in check_roster(inst, {**roster(OK), "Z": (None,) * 14}
                                         ).violations} == {"shape"}


def test_objective_by_hand():
    inst = instance()
    # OK: on-request (day 0 E) granted, off-request (day 1 L) granted, day 0 E covered,
    # day 1 L short of 2 (2 x 100), day 5 E one over its 0 (1 x 1): 201
    c = check_roster(inst, roster(OK))
    assert (c.objective, c.under_cover, c.over_cover, c.on_requests, c.off_requests) == (
        201, 200, 1, 0, 0)
    # L on days 0 and 1: on-request missed (2), off-request broken (3), day 0 E short
    # (100), day 1 L short of one (100), day 5 E over (1): 206
    c = check_roster(inst, roster("LL---EE--EEE--"))
    assert (c.objective, c.under_cover, c.over_cover, c.on_requests, c.off_requests) == (
        206, 200, 1, 2, 3)
    assert c.feasible


def test_saved_benchmark_rosters_recheck_to_the_committed_figures():
    """Each roster kept by benchmarks/curtois.py passes the checker with the objective its
    results row states."""
    import csv
    from pathlib import Path

    from scheduler.datasets.curtois import parse_roster, read_instance

    project = Path(__file__).resolve().parents[2]
    data = project.parent / "shared" / "benchmarks" / "curtois"
    results = project / "benchmarks" / "results"
    if not data.exists() or not (results / "curtois.csv").exists():
        pytest.skip("benchmark data or results not here")
    with open(results / "curtois.csv", newline="") as f:
        found = {r["instance"]: r["found"] for r in csv.DictReader(f)}
    rosters = sorted((results / "curtois").glob("*.roster.csv"))
    assert rosters
    for path in rosters:
        name = path.name.split(".")[0]
        check = check_roster(read_instance(data / f"{name}.txt"),
                             parse_roster(path.read_text(), str(path)))
        assert check.violations == ()
        assert str(check.objective) == found[name]
