"""Staff pools, overtime and promotion events: solved rosters pass the independent checker,
and the planner's questions (how many temps, how much overtime, at what cost) move the
right way when the pools change."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from scheduler.check import check_output_dir, check_roster, load_scenario_for_check
from scheduler.cli import app

runner = CliRunner()


def promo_week(**over) -> dict:
    """A week of 60-minute slots (not cyclic) from Monday 2026-11-09: 2 agents on duty
    08:00-20:00, 1 at night; an event on the 11th (x2) with a 00:00-02:00 peak (x3 on top).
    Full-time standing team on 8 h shifts, part-time on 4 h, temporary agents during the
    event only."""
    required = []
    for _ in range(7):
        required += [1] * 8 + [2] * 12 + [1] * 4
    data = {
        "name": "promo",
        "horizon": {"start_date": "2026-11-09", "days": 7, "slot_minutes": 60},
        "demand": {"required": required},
        "shift_types": [
            {"name": "full-8h", "paid_hours": [8], "earliest_start": "00:00",
             "latest_start": "23:00"},
            {"name": "part-4h", "paid_hours": [4], "earliest_start": "00:00",
             "latest_start": "23:00"},
            {"name": "temp-4h", "paid_hours": [4], "earliest_start": "00:00",
             "latest_start": "23:00"},
        ],
        "rules": {"max_days_per_week": 5, "min_rest_hours": 11},
        "pools": [
            {"name": "full", "shift_types": ["full-8h"], "standing": 6, "max_hire": 0,
             "cost_per_paid_hour": 30, "contract_weekly_hours": 40, "overtime": True},
            {"name": "part", "shift_types": ["part-4h"], "standing": 0, "max_hire": 2,
             "cost_per_paid_hour": 25, "rules": {"max_weekly_paid_hours": 24}},
            {"name": "temp", "shift_types": ["temp-4h"], "max_hire": 10,
             "available_from": "2026-11-11", "available_until": "2026-11-12",
             "cost_per_paid_hour": 35, "cost_per_hire": 50},
        ],
        "holidays": [],
        "events": [
            {"name": "Double 11", "start_date": "2026-11-11", "end_date": "2026-11-11",
             "multiplier": 2,
             "peaks": [{"date": "2026-11-11", "start": "00:00", "end": "02:00",
                        "multiplier": 3}]},
        ],
        "objective": {"kind": "cost"},
        "solver": {"time_limit_seconds": 20, "workers": 2},
    }
    data.update(over)
    return data


def _solve(path, out, *extra):
    return runner.invoke(app, ["solve", str(path), "--out", str(out), "-q", *extra])


def _summary(out):
    return json.loads((out / "summary.json").read_text())


def _shifts(out):
    with open(out / "shifts.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_pools_roster_passes_the_checker_and_answers_the_question(write_scenario, tmp_path):
    path = write_scenario(promo_week())
    out = tmp_path / "out"
    result = _solve(path, out)
    assert result.exit_code == 0, result.output
    report = check_output_dir(path, out)
    assert report.ok, [v.message for v in report.violations]
    summary = _summary(out)
    # the terminal shows the pools, the cost and the answer
    text = " ".join(result.output.split())
    assert "pool temp" in text and "The standing team of 6" in text
    pools = {p["name"]: p for p in summary["pools"]}
    assert set(pools) == {"full", "part", "temp"}
    assert pools["full"]["rostered"] <= 6 and pools["full"]["hired"] == 0
    # the cost in summary.json is the checker's own figure for this roster
    assert summary["cost"] == pytest.approx(report.cost, abs=0.01 * (summary["shifts"] + 1))
    assert sum(p["cost"] for p in summary["pools"]) == pytest.approx(summary["cost"], abs=0.05)
    assert summary["answer"].startswith("the standing team of 6")
    assert "Double 11 needs" in summary["answer"]
    # the answer's phrases: the English sentence, and every phrase said in Chinese
    from scheduler.i18n import translator

    phrases = [(p["text"], p["values"]) for p in summary["answer_phrases"]]
    assert translator("en").sentence(phrases) == summary["answer"]
    zh = translator("zh")
    text = zh.sentence(phrases)
    assert not zh.missing and text.startswith("常备团队 6 人") and "Double 11 需要招聘" in text
    rows = _shifts(out)
    assert {"pool", "overtime_minutes"} <= set(rows[0])
    temp_days = {r["day"] for r in rows if r["pool"] == "temp"}
    assert temp_days <= {"2026-11-11", "2026-11-12"}
    # each pool with hires is named with its count and the days most of them work,
    # recounted here from shifts.csv (hired agents: beyond the pool's standing team)
    for name, pool in pools.items():
        if not pool["hired"]:
            assert f"{name} needs" not in summary["answer"]
            continue
        hired = sorted({r["agent"] for r in rows if r["pool"] == name})[pool["standing"]:]
        per_day = {}
        for r in rows:
            if r["agent"] in hired:
                per_day.setdefault(r["day"], set()).add(r["agent"])
        busiest = max(len(a) for a in per_day.values())
        assert f"{name} needs {pool['hired']} more, {busiest} of them at work on" \
            in summary["answer"]
    # the peak (2 x 3 = 6 agents at 00:00-02:00 on the 11th) is in the requirement
    assert report.required[2 * 24] == 6 and report.required[2 * 24 + 2] == 2
    assert len(summary["days"]) == 7


def test_removing_the_temporary_pool_costs_more_or_is_explained(write_scenario, tmp_path):
    base = promo_week()
    out_a = tmp_path / "a"
    assert _solve(write_scenario(base, "a.yaml"), out_a).exit_code == 0
    no_temp = promo_week(pools=base["pools"][:2])
    result = _solve(write_scenario(no_temp, "b.yaml"), tmp_path / "b")
    if result.exit_code == 0:
        assert _summary(tmp_path / "b")["cost"] > _summary(out_a)["cost"]
        assert check_output_dir(tmp_path / "b.yaml", tmp_path / "b").ok
    else:
        assert result.exit_code == 1
        assert "max_hire" in result.output and "pool" in result.output


def test_removing_temps_and_overtime_makes_the_peak_infeasible_with_reasons(write_scenario, tmp_path):
    base = promo_week()
    pools = [dict(base["pools"][0], overtime=False), base["pools"][1]]
    result = _solve(write_scenario(promo_week(pools=pools)), tmp_path / "out")
    assert result.exit_code == 1, result.output
    text = " ".join(result.output.split())
    assert "standing + max_hire" in text
    assert "raise pool 'part''s max_hire" in text or "raise pool 'full''s max_hire" in text
    assert not (tmp_path / "out").exists()


def test_a_larger_standing_team_lowers_temporary_hires(write_scenario, tmp_path):
    def temps(standing: int, name: str) -> int:
        data = promo_week(objective={"kind": "added_headcount"})
        data["pools"][0] = dict(data["pools"][0], standing=standing, overtime=False,
                                contract_weekly_hours=0)
        out = tmp_path / name
        result = _solve(write_scenario(data, f"{name}.yaml"), out)
        assert result.exit_code == 0, result.output
        assert check_output_dir(tmp_path / f"{name}.yaml", out).ok
        return sum(p["hired"] for p in _summary(out)["pools"] if p["name"] == "temp")

    small, large = temps(6, "six"), temps(9, "nine")
    assert large < small


def test_overtime_fills_a_gap_no_hire_can(write_scenario, tmp_path):
    # one agent, 8 h shifts, 10 h of demand a day: 2 h of overtime every working day
    data = promo_week(
        demand={"required": ([0] * 8 + [1] * 10 + [0] * 6) * 7},
        events=[],
        rules={"max_days_per_week": 7},
        pools=[{"name": "full", "shift_types": ["full-8h"], "standing": 1, "max_hire": 0,
                "cost_per_paid_hour": 10, "overtime": True}],
        overtime={"max_monthly_hours": 36, "step_minutes": 60},
        holidays=["2026-11-09"],
    )
    path = write_scenario(data)
    out = tmp_path / "out"
    result = _solve(path, out)
    assert result.exit_code == 0, result.output
    report = check_output_dir(path, out)
    assert report.ok, [v.message for v in report.violations]
    rows = _shifts(out)
    assert len(rows) == 7 and all(r["overtime_minutes"] == "120" for r in rows)
    # Monday is a holiday (300%), Sat/Sun rest days (200%), the rest 150%
    expected = 7 * 8 * 10 + 2 * 10 * (3.0 + 4 * 1.5 + 2 * 2.0)
    assert _summary(out)["cost"] == pytest.approx(expected)
    assert _summary(out)["overtime_hours"] == 14


def test_monthly_overtime_cap_breaks_the_overtime_plan(write_scenario, tmp_path):
    data = promo_week(
        demand={"required": ([0] * 8 + [1] * 10 + [0] * 6) * 7},
        events=[], rules={"max_days_per_week": 7},
        pools=[{"name": "full", "shift_types": ["full-8h"], "standing": 1, "max_hire": 0,
                "cost_per_paid_hour": 10, "overtime": True}],
        overtime={"max_monthly_hours": 12},
    )
    result = _solve(write_scenario(data), tmp_path / "out")
    assert result.exit_code == 1
    assert "overtime.max_monthly_hours" in " ".join(result.output.split())


# ---------------------------------------------------------------- the checker on hand-made rows


def _rows(*shifts):
    return [dict(zip(("agent", "shift_type", "start", "end", "paid_minutes", "pool",
                      "overtime_minutes"), s)) for s in shifts]


@pytest.fixture
def ot_scenario(write_scenario):
    data = promo_week(
        demand={"required": [0] * 24 * 7}, events=[], rules={"max_days_per_week": 7},
        overtime={"max_monthly_hours": 6, "max_daily_hours": 3, "step_minutes": 60},
    )
    data["demand"] = {"floor": 0, "required": [0] * 24 * 7}
    path = write_scenario(data)
    return load_scenario_for_check(path), path.parent


def test_checker_monthly_overtime_just_meets_and_breaks(ot_scenario):
    scenario, folder = ot_scenario
    two_days = _rows(
        ("full-1", "full-8h", "2026-11-09T08:00", "2026-11-09T19:00", 660, "full", 180),
        ("full-1", "full-8h", "2026-11-10T08:00", "2026-11-10T19:00", 660, "full", 180),
    )
    assert check_roster(scenario, folder, two_days, []).ok  # 6 h: exactly the cap
    three_days = two_days + _rows(
        ("full-1", "full-8h", "2026-11-11T08:00", "2026-11-11T17:00", 540, "full", 60))
    report = check_roster(scenario, folder, three_days, [])
    assert [v.rule for v in report.violations] == ["overtime"]
    assert "7 h overtime in 2026-11" in report.violations[0].message


def test_checker_daily_overtime_and_pools_without_overtime(ot_scenario):
    scenario, folder = ot_scenario
    too_long = _rows(("full-1", "full-8h", "2026-11-09T08:00", "2026-11-09T20:00", 720, "full", 240))
    assert "at most 3 h a day" in check_roster(scenario, folder, too_long, []).violations[0].message
    part = _rows(("part-1", "part-4h", "2026-11-09T08:00", "2026-11-09T13:00", 300, "part", 60))
    assert "works none" in check_roster(scenario, folder, part, []).violations[0].message


def test_checker_pool_window_type_and_membership(ot_scenario):
    scenario, folder = ot_scenario
    ok = _rows(("temp-1", "temp-4h", "2026-11-12T20:00", "2026-11-13T00:00", 240, "temp", 0))
    assert check_roster(scenario, folder, ok, []).ok  # last day of the window, ends 00:00
    late = _rows(("temp-1", "temp-4h", "2026-11-13T08:00", "2026-11-13T12:00", 240, "temp", 0))
    assert "is available" in check_roster(scenario, folder, late, []).violations[0].message
    wrong_type = _rows(("part-1", "full-8h", "2026-11-09T08:00", "2026-11-09T16:00", 480, "part", 0))
    assert "does not work" in check_roster(scenario, folder, wrong_type, []).violations[0].message
    two_pools = _rows(
        ("x", "part-4h", "2026-11-09T08:00", "2026-11-09T12:00", 240, "part", 0),
        ("x", "full-8h", "2026-11-10T08:00", "2026-11-10T16:00", 480, "full", 0),
    )
    assert any("works for pool" in v.message for v in check_roster(scenario, folder, two_pools, []).violations)


def test_checker_pool_rules_and_caps(ot_scenario):
    scenario, folder = ot_scenario
    # part-time: at most 24 h a week (pool rule); 6 x 4 h = 24 h just meets it
    week = [("p", "part-4h", f"2026-11-{9 + d:02d}T08:00", f"2026-11-{9 + d:02d}T12:00", 240, "part", 0)
            for d in range(6)]
    assert check_roster(scenario, folder, _rows(*week), []).ok
    over = week + [("p", "part-4h", "2026-11-15T08:00", "2026-11-15T12:00", 240, "part", 0)]
    assert [v.rule for v in check_roster(scenario, folder, _rows(*over), []).violations] == ["max_weekly_hours"]
    # part-time may hire 2: three part-time agents break the cap
    three = [(f"p{i}", "part-4h", "2026-11-09T08:00", "2026-11-09T12:00", 240, "part", 0)
             for i in range(3)]
    assert [v.rule for v in check_roster(scenario, folder, _rows(*three), []).violations] == ["max_headcount"]


def test_days_are_written_as_compact_runs():
    from scheduler.i18n import translator

    en, zh = translator("en"), translator("zh")
    assert en.day_runs(["2026-11-11", "2026-11-12"]) == "11-12 November"
    assert en.day_runs(["2026-11-09"]) == "9 November"
    days = ["2026-11-15", "2026-11-09", "2026-11-10", "2026-11-12"]
    assert en.day_runs(days) == "9-10 November, 12 November, 15 November"
    assert zh.day_runs(days) == "11月9-10日、11月12日、11月15日"
    assert en.day_runs(["2026-10-31", "2026-11-01"]) == "31 October-1 November"
