"""Shared cases for the report tests: a small solved scenario with overnight shifts,
breaks and short slots, and hand-built results with known times."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from scheduler.models import BreakRecord, CoverageRecord, Result, Scenario, ShiftRecord, Summary
from scheduler.workload.loaded import load_scenario
from scheduler.report.output import write_result
from scheduler.engine.solve import solve


def report_scenario() -> dict:
    """Two days of 60-minute slots in Shanghai, not cyclic: a day type with a meal and a
    night type across midnight with a paid break; no shift reaches 05:00-06:00, so those
    slots are short (understaffing allowed)."""
    required = ([1] * 7 + [3] * 10 + [2] * 7) * 2
    return {
        "name": "reports",
        "horizon": {"start_date": "2026-11-16", "days": 2, "slot_minutes": 60,
                    "time_zone": "Asia/Shanghai"},
        "demand": {"required": required, "floor": 1},
        "shift_types": [
            {"name": "day", "paid_hours": [8], "earliest_start": "06:00", "latest_start": "12:00",
             "breaks": [{"name": "meal", "duration_minutes": 60, "earliest_start_minutes": 180,
                         "latest_start_minutes": 300}]},
            {"name": "night", "paid_hours": [8], "earliest_start": "16:00", "latest_start": "20:00",
             "breaks": [{"name": "rest", "duration_minutes": 60, "earliest_start_minutes": 180,
                         "latest_start_minutes": 300, "paid": True}]},
        ],
        "rules": {"min_rest_hours": 11, "max_days_per_week": 6},
        "coverage": {"allow_understaffing": True},
        "solver": {"time_limit_seconds": 10, "workers": 2},
    }


def solve_into(folder: Path, data: dict | None = None):
    """Write the scenario, solve it and write every output; (scenario path, out, result)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "reports.yaml"
    path.write_text(yaml.safe_dump(data or report_scenario(), sort_keys=False), encoding="utf-8")
    loaded = load_scenario(path)
    result = solve(loaded)
    assert result.feasible, result.summary.message
    out = folder / "out"
    h = loaded.scenario.horizon
    write_result(result, out, h.start_date, h.days, loaded)
    return path, out, result


def night_result(agents: list[str] | None = None, pool: str | None = None) -> Result:
    """One night shift per agent, 22:00 on 2026-10-31 to 07:00 next day, a 60-minute
    unpaid break at 02:00, and an evening shift 18:00-22:00 on 2026-11-01. Coverage rows for the
    two days in 60-minute slots (requirement 1, scheduled as counted)."""
    agents = agents or ["N1"]
    shifts, breaks = [], []
    for a in agents:
        night = dict(agent=a, shift_type="night", start=dt.datetime(2026, 10, 31, 22),
                     end=dt.datetime(2026, 11, 1, 7), paid_minutes=480, day=dt.date(2026, 10, 31))
        day = dict(agent=a, shift_type="day", start=dt.datetime(2026, 11, 1, 18),
                   end=dt.datetime(2026, 11, 1, 22), paid_minutes=240, day=dt.date(2026, 11, 1))
        if pool is not None:
            shifts += [ShiftRecord(**night, pool=pool, overtime_minutes=30), ShiftRecord(**day, pool=pool)]
        else:
            shifts += [ShiftRecord(**night), ShiftRecord(**day)]
        breaks.append(BreakRecord(agent=a, start=dt.datetime(2026, 11, 1, 2),
                                  end=dt.datetime(2026, 11, 1, 3), paid=False))
    coverage = []
    for k in range(48):
        t = dt.datetime(2026, 10, 31) + dt.timedelta(hours=k)
        on = sum(1 for s in shifts if s.start <= t < s.end) - sum(
            1 for b in breaks if b.start <= t < b.end)
        coverage.append(CoverageRecord(start=t, required=1, scheduled=on))
    short = [c.start for c in coverage if c.scheduled < c.required]
    summary = Summary(scenario="night", status="feasible", objective="headcount",
                      headcount=len(agents), shifts=len(shifts), short_slots=short,
                      short_agent_slots=len(short))
    return Result(summary=summary, shifts=shifts, breaks=breaks, coverage=coverage)


def night_scenario(time_zone: str = "Asia/Shanghai") -> Scenario:
    """The scenario night_result belongs to (2026-10-31, two days, 60-minute slots)."""
    return Scenario.model_validate({
        "name": "night",
        "horizon": {"start_date": "2026-10-31", "days": 2, "slot_minutes": 60,
                    "time_zone": time_zone},
        "demand": {"floor": 1},
        "shift_types": [
            {"name": "night", "paid_hours": [8], "earliest_start": "22:00", "latest_start": "22:00",
             "breaks": [{"duration_minutes": 60, "earliest_start_minutes": 240,
                         "latest_start_minutes": 240}]},
            {"name": "day", "paid_hours": [4], "earliest_start": "18:00", "latest_start": "18:00"},
        ],
    })
