"""Small hand-made scenarios and rosters shared by the checker's tests (tests/check)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from scheduler import models
from scheduler.check import CheckReport, check_roster

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
    """scenario.yaml (SCENARIO_YAML) with its demand.csv, and an output folder `out` as the
    solver writes it for a one-day roster: one agent 09:00-18:00 with lunch 12:00-13:00."""
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
