"""Pools and overtime: membership, shift types and availability of each pool, overtime
caps and steps, each pool's own labour rules and hiring cap, and the roster's cost."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from scheduler import models
from tests.check.check_cases import check, make, rules_of, shift

# 2024-01-01 is a Monday and a holiday; the week ends on Sunday 2024-01-07.
POOLS = [
    {"name": "full", "shift_types": ["day"], "standing": 1, "max_hire": 1,
     "cost_per_paid_hour": 10, "cost_per_hire": 100, "contract_weekly_hours": 40,
     "overtime": True},
    {"name": "part", "shift_types": ["short"], "standing": 0, "max_hire": 1,
     "available_from": "2024-01-02", "available_until": "2024-01-04",
     "rules": {"max_days_per_week": 2}},
]


def pool_scenario() -> models.Scenario:
    return models.Scenario.model_validate({
        "name": "pools",
        "horizon": {"start_date": "2024-01-01", "days": 7, "slot_minutes": 60},
        "demand": {"required": [0] * 24 * 7},
        "shift_types": [
            {"name": "day", "paid_hours": [8], "earliest_start": "08:00", "latest_start": "10:00"},
            {"name": "short", "paid_hours": [4], "earliest_start": "08:00",
             "latest_start": "12:00", "cost_per_paid_hour": 2},
        ],
        "pools": POOLS,
        "overtime": {"max_daily_hours": 2, "max_monthly_hours": 3, "step_minutes": 60},
        "holidays": ["2024-01-01"],
        "objective": {"cost_per_agent": 5},
    })


def pooled(agent: str, day: int, pool: str, overtime: int = 0, kind: str = "") -> dict:
    """A shift at 08:00 on 2024-01-(1+day): 'day' for the full pool, 'short' otherwise,
    lengthened by `overtime` minutes."""
    kind = kind or ("day" if pool == "full" else "short")
    paid = (480 if kind == "day" else 240) + overtime
    start = datetime(2024, 1, 1 + day, 8, 0)
    end = start + timedelta(minutes=paid)
    return dict(shift(agent, f"{start:%Y-%m-%dT%H:%M}", f"{end:%Y-%m-%dT%H:%M}", paid, kind),
                pool=pool, overtime_minutes=str(overtime))


def test_every_agent_in_one_known_pool():
    sc = pool_scenario()
    ok = check(sc, [pooled("a", 0, "full"), pooled("p", 1, "part")])
    assert ok.ok, ok.violations
    unknown = check(sc, [pooled("a", 0, "temp", kind="day")])
    assert rules_of(unknown) == {"pool": 1}
    assert "'temp' is not one of full, part" in unknown.violations[0].message
    two = check(sc, [pooled("a", 0, "full"), pooled("a", 1, "part")])
    assert rules_of(two) == {"pool": 2}  # two pools, and 'full' does not work 'short'
    assert "works for pool 'full' and 'part'" in two.violations[0].message


def test_pool_works_only_its_shift_types():
    sc = pool_scenario()
    assert check(sc, [pooled("p", 1, "part", kind="short")]).ok
    wrong = check(sc, [pooled("p", 1, "part", kind="day")])
    assert rules_of(wrong) == {"pool": 1}
    assert "does not work 'day'" in wrong.violations[0].message


def test_pool_availability_window_edges_and_outside():
    sc = pool_scenario()
    assert check(sc, [pooled("p", 1, "part")]).ok  # available_from
    assert check(sc, [pooled("p", 3, "part")]).ok  # available_until
    for day in (0, 4):
        report = check(sc, [pooled("p", day, "part")])
        assert rules_of(report) == {"pool": 1}
        assert "is available 2024-01-02 to 2024-01-04" in report.violations[0].message


def test_scenario_without_pools_takes_no_pool_or_overtime():
    sc = make()
    plain = dict(shift("a", "2024-01-01T08:00", "2024-01-01T16:00"), pool="", overtime_minutes="0")
    assert check(sc, [plain]).ok
    named = dict(plain, pool="full")
    assert rules_of(check(sc, [named])) == {"pool": 1}
    extended = dict(shift("a", "2024-01-01T08:00", "2024-01-01T17:00", paid=540),
                    overtime_minutes="60")
    report = check(sc, [extended])
    assert rules_of(report) == {"pool": 1}
    assert "the scenario has no pools" in report.violations[0].message


def test_overtime_only_in_pools_that_work_it():
    sc = pool_scenario()
    assert check(sc, [pooled("a", 1, "full", overtime=60)]).ok
    report = check(sc, [pooled("p", 1, "part", overtime=60)])
    assert rules_of(report) == {"overtime": 1}
    assert "pool 'part' works none" in report.violations[0].message


def test_daily_overtime_cap_and_step():
    sc = pool_scenario()
    assert check(sc, [pooled("a", 1, "full", overtime=120)]).ok  # 2 h: exactly the cap
    over = check(sc, [pooled("a", 1, "full", overtime=180)])
    assert rules_of(over) == {"overtime": 1}
    assert "at most 2 h a day" in over.violations[0].message
    off_step = check(sc, [pooled("a", 1, "full", overtime=90)])
    assert rules_of(off_step) == {"overtime": 1}
    assert "not a multiple of 60 min" in off_step.violations[0].message


def test_monthly_overtime_cap():
    sc = pool_scenario()
    three = [pooled("a", 1, "full", overtime=120), pooled("a", 2, "full", overtime=60)]
    assert check(sc, three).ok  # 3 h: exactly the cap
    four = check(sc, three + [pooled("a", 3, "full", overtime=60)])
    assert rules_of(four) == {"overtime": 1}
    assert "a works 4 h overtime in 2024-01; at most 3 h a month" in four.violations[0].message


def test_pool_rules_apply_to_its_members_only():
    sc = pool_scenario()
    two = [pooled("p", 1, "part"), pooled("p", 2, "part")]
    assert check(sc, two).ok
    three = check(sc, two + [pooled("p", 3, "part")])
    assert rules_of(three) == {"max_days_per_week": 1}  # the part pool's own rule
    full_week = check(sc, [pooled("a", d, "full") for d in range(7)])
    assert full_week.ok, full_week.violations  # the scenario's rules: 7 days a week


def test_pool_hiring_cap():
    sc = pool_scenario()
    assert check(sc, [pooled(a, 1, "full") for a in "ab"]).ok  # 1 standing + 1 hired
    three = check(sc, [pooled(a, 1, "full") for a in "abc"])
    assert rules_of(three) == {"max_headcount": 1}
    assert "pool 'full' has 3 agents" in three.violations[0].message


def test_roster_cost_with_premiums_hiring_and_idle_contract_hours():
    sc = pool_scenario()
    report = check(sc, [
        pooled("a", 0, "full", overtime=60),  # Monday, a holiday: 300%
        pooled("a", 1, "full", overtime=60),  # Tuesday, a working day: 150%
        pooled("a", 5, "full", overtime=60),  # Saturday, a rest day: 200%
        pooled("b", 2, "full"),
        pooled("p", 1, "part"),
    ])
    assert report.ok, report.violations
    assert report.overtime_minutes == 180
    shifts = 3 * 8 * 10 + 8 * 10 + 4 * 2  # full at the pool's rate, part at the type's
    overtime = 10 * (3.0 + 1.5 + 2.0)
    hire = 100  # 'b' beyond the one standing agent of 'full'
    idle = 10 * (40 - 24)  # the standing agent (most hours: 'a') short of 40 contract hours
    agents = 3 * 5
    assert report.cost == pytest.approx(shifts + overtime + hire + idle + agents)
