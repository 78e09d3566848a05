#!/usr/bin/env python3
"""Regenerate the bundled scenarios (deterministic: same files on every run).

    python scenarios/make_scenarios.py            # write into scenarios/ and validate
    python scenarios/make_scenarios.py --out DIR  # write elsewhere (e.g. to diff)
    python scenarios/make_scenarios.py --check    # validate the files in scenarios/ only

Writes normal_week.yaml (+ normal_week_demand.csv), double11.yaml (+ double11_demand.csv),
618.yaml (+ 618_demand.csv)
and tiny.yaml (inline demand). Each file is checked after writing: the YAML is loaded,
its rules preset (configs/rules/<preset>.yaml) and solver profile are merged under the
scenario's own keys, the result is validated with models.Scenario, and the demand is
checked to hold exactly one whole, non-negative value per slot of the horizon.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from scheduler.models import Scenario  # noqa: E402
from scheduler.datasets import synth  # noqa: E402
from scheduler.scenario.schema import SCHEMA_FILE  # noqa: E402

HERE = Path(__file__).resolve().parent
CONFIGS = ROOT / "configs"
SCHEMA = Path(os.path.relpath(SCHEMA_FILE, HERE)).as_posix()
"""The scenario JSON Schema as seen from scenarios/ (written on every file's first line,
also with --out, so that the files compare equal)."""

NORMAL_PEAK = 60
"""Agents at the intraday peak of an ordinary Monday."""

SOLVER = {"time_limit_seconds": 60, "workers": 2}

STANDING_FULL = 150
"""The standing full-time team of the promotion scenarios (sized for normal weeks)."""
STANDING_PART = 20


# ---------------------------------------------------------------- the scenarios


def normal_week(out: Path) -> Path:
    start = dt.date(2026, 11, 16)  # a Monday
    demand = synth.make_demand(start, 7, 30, peak=NORMAL_PEAK, seed=16)
    shift_types = synth.standard_shift_types((8,), prefix="ft") + synth.standard_shift_types(
        (4,), prefix="pt"
    )
    description = (
        "An ordinary week of a 24/7 e-commerce customer-service centre, repeated (cyclic): "
        "peak 60 agents on Monday morning (10:00-11:00), a second peak at 20:00-22:00, a night "
        "trough of 5-6 agents. "
        "Full-time 8 h shifts with a 60-minute unpaid meal and 4 h part-time shifts, any "
        "half hour; five-day-week rules."
    )
    comment = (
        "normal_week: an ordinary week of a 24/7 e-commerce customer-service centre.\n\n"
        "The week repeats (cyclic: true): Sunday night runs into Monday morning and the "
        "rest and consecutive-day rules wrap around. Intraday shape: night trough "
        "03:00-06:00, morning ramp from 07:00, first peak 10:00-11:00, lunch dip, "
        "afternoon plateau, evening peak 20:00-22:00, decline to midnight. Day factors: "
        "Monday 1.00 ... Saturday 0.86, Sunday 0.89.\n\n"
        "Shift types: ft-8h (8 h paid + 60 min unpaid meal 3-5 h in, 9 h on site) and "
        "pt-4h (4 h, no break), both starting on any half hour. Rules: five-day-week "
        "preset (5 days in any 7, 12 h rest, at most 6 days in a row, 40 h a week)."
    )
    return synth.write_scenario(
        out / "normal_week.yaml", "normal_week", start, 7, 30, demand, shift_types,
        {"preset": "five-day-week"}, description=description, cyclic=True, floor=2,
        solver=SOLVER, comment=comment, schema=SCHEMA,
    )


def _promotion_pools(standing_full: int, standing_part: int, temp_from: str, temp_until: str,
                     max_temps: int) -> list[dict]:
    """Three pools: the standing full-time team (8 h day or night shifts, 40 h contract,
    overtime allowed), part-time agents (4-6 h shifts, at most 30 h a week; more may be
    hired), and temporary agents from an agency, available only around the promotion."""
    return [
        {"name": "full-time", "shift_types": ["day-8h", "night"], "standing": standing_full,
         "max_hire": 0, "cost_per_paid_hour": 40, "contract_weekly_hours": 40,
         "overtime": True},
        {"name": "part-time", "shift_types": ["short-4h", "short-6h"],
         "standing": standing_part, "max_hire": 300, "cost_per_paid_hour": 34,
         "cost_per_hire": 600, "rules": {"max_weekly_paid_hours": 30, "min_rest_hours": 10}},
        {"name": "temporary", "shift_types": ["short-4h", "short-6h", "day-8h"],
         "max_hire": max_temps, "available_from": temp_from, "available_until": temp_until,
         "cost_per_paid_hour": 45, "cost_per_hire": 400,
         "rules": {"max_days_per_week": 6, "max_weekly_paid_hours": 48,
                   "min_rest_hours": 11}},
    ]


def _promotion_shift_types() -> list[dict]:
    return (
        synth.standard_shift_types((8,), "05:00", "21:30", prefix="day")
        + synth.standard_shift_types((4, 6), "00:00", "23:30", prefix="short")
        + [synth.night_shift_type("night", 8, "22:00", "25:00")]
    )


def double11(out: Path) -> Path:
    start = dt.date(2026, 10, 26)  # a Monday: one normal week before the pre-sale
    days = 24  # to 18 November: the after-sale week included
    demand = synth.make_demand(start, days, 30, peak=NORMAL_PEAK, seed=11)
    ramp = [round(1.0 + 0.6 * d / 8, 3) for d in range(9)]  # 2-10 Nov
    events = [
        {"name": "pre-sale", "start_date": "2026-11-02", "end_date": "2026-11-10",
         "multiplier": ramp,
         "peaks": [{"date": "2026-11-10", "start": "20:00", "end": "24:00",
                    "multiplier": 1.4}]},
        {"name": "Double 11", "start_date": "2026-11-11", "end_date": "2026-11-11",
         "multiplier": 3.0,
         "peaks": [{"date": "2026-11-11", "start": "00:00", "end": "02:00", "multiplier": 1.5},
                   {"date": "2026-11-11", "start": "02:00", "end": "06:00",
                    "multiplier": 1.25}]},
        {"name": "after-sale", "start_date": "2026-11-12", "end_date": "2026-11-18",
         "multiplier": [2.0, 1.8, 1.6, 1.4, 1.3, 1.2, 1.1]},
    ]
    description = (
        "Double 11 (Singles' Day) 2026 with a standing team and three staff pools: 26 "
        "October to 18 November, not cyclic. One normal week, then the events over the "
        "baseline: pre-sale ramp 1.0x -> 1.6x (2-10 Nov, a 1.4x build-up after 20:00 on "
        "the 10th), the 11th at 3x with 4.5x in the first two hours after 00:00, and the "
        "after-sale wave 2.0x -> 1.1x (12-18 Nov). Which temporary and part-time agents, "
        "how much overtime, at what cost?"
    )
    comment = (
        "double11: Double 11 (Singles' Day) 2026, from Monday 26 October to 18 November.\n\n"
        f"The baseline demand is an ordinary week (an ordinary Monday peaks at {NORMAL_PEAK} "
        "agents, double11_demand.csv); the events in this file multiply it: pre-sale 2-10 "
        "Nov ramping 1.0x -> 1.6x with a 1.4x build-up 20:00-24:00 on the 10th; the 11th "
        "at 3x, times 1.5 for 00:00-02:00 (the rush right after the sale opens) and 1.25 "
        "for 02:00-06:00; after-sale 12-18 Nov at 2.0, 1.8, 1.6, 1.4, 1.3, 1.2, 1.1x.\n\n"
        "Pools: full-time (standing team, day-8h or night, 40 h contract paid whether "
        "rostered or not, 40 per hour, overtime up to 3 h a day and 36 h a month at "
        "150%/200%/300%); part-time (short-4h/short-6h, at most 30 h a week, 34 per hour, "
        "600 to hire one more, up to 300); temporary (agency, 2-18 Nov only, 45 per hour, "
        "400 per hire, up to 400, 6 days in 7, 48 h a week). Objective: least cost."
    )
    return synth.write_scenario(
        out / "double11.yaml", "double11", start, days, 30, demand, _promotion_shift_types(),
        {"preset": "five-day-week"},
        description=description, cyclic=False, floor=2, objective={"kind": "cost"},
        solver=SOLVER, comment=comment, schema=SCHEMA,
        extra={
            "pools": _promotion_pools(STANDING_FULL, STANDING_PART, "2026-11-02",
                                      "2026-11-18", 400),
            "events": events,
        },
    )


def six18(out: Path) -> Path:
    start = dt.date(2026, 6, 8)  # a Monday, ten days before 618
    days = 21  # to 28 June: the after-sale week included
    demand = synth.make_demand(start, days, 30, peak=NORMAL_PEAK, seed=618)
    events = [
        {"name": "618 pre-sale", "start_date": "2026-06-12", "end_date": "2026-06-16",
         "multiplier": [1.1, 1.2, 1.3, 1.4, 1.5]},
        {"name": "618", "start_date": "2026-06-17", "end_date": "2026-06-18",
         "multiplier": [1.8, 2.5],
         "peaks": [{"date": "2026-06-17", "start": "20:00", "end": "26:00", "multiplier": 1.8},
                   {"date": "2026-06-18", "start": "20:00", "end": "24:00", "multiplier": 1.6}]},
        {"name": "after-sale", "start_date": "2026-06-19", "end_date": "2026-06-25",
         "multiplier": [1.7, 1.5, 1.4, 1.3, 1.2, 1.1, 1.05]},
    ]
    description = (
        "618 (mid-year shopping festival) 2026 with a standing team and three staff pools: "
        "8-28 June, not cyclic. Pre-sale from the 12th, the spike after 20:00 on 17 and 18 "
        "June, an after-sale wave that meets the Dragon Boat Festival (19 June, a public "
        "holiday: overtime at 300%)."
    )
    comment = (
        "618: the mid-year shopping festival 2026, from Monday 8 June to Sunday 28 June.\n\n"
        f"Baseline: an ordinary week (peak {NORMAL_PEAK} agents, 618_demand.csv). Events: "
        "pre-sale 12-16 June 1.1x -> 1.5x; 17 June 1.8x and 18 June 2.5x, with the spike "
        "after the 20:00 opening (x1.8 until 02:00 on the 17th, x1.6 until midnight on "
        "the 18th); after-sale 19-25 June 1.7x -> 1.05x. 19 June is the Dragon Boat "
        "Festival, a public holiday: overtime that day is paid 300%.\n\n"
        "Pools as in double11.yaml; temporary agents from 12 to 25 June."
    )
    return synth.write_scenario(
        out / "618.yaml", "618", start, days, 30, demand, _promotion_shift_types(),
        {"preset": "five-day-week"},
        description=description, cyclic=False, floor=2, objective={"kind": "cost"},
        solver=SOLVER, comment=comment, schema=SCHEMA,
        extra={
            "pools": _promotion_pools(STANDING_FULL, STANDING_PART, "2026-06-12",
                                      "2026-06-25", 300),
            "holidays": ["2026-06-19"],
            "events": events,
        },
    )


def tiny(out: Path) -> Path:
    start = dt.date(2026, 11, 16)
    demand = synth.make_demand(start, 1, 60, peak=4, seed=1)
    shift_types = synth.standard_shift_types(
        (8,), "00:00", "23:00", 60, prefix="day"
    ) + synth.standard_shift_types((4,), "00:00", "23:00", 60, prefix="part")
    description = (
        "One repeating day in hourly slots, peak 4 agents, floor 1: an 8 h type with a "
        "60-minute meal and a 4 h type. For fast tests."
    )
    comment = (
        "tiny: one day of 60-minute slots, cyclic (the day repeats), peak 4 agents and a "
        "floor of 1; demand inline. Shift types: day-8h (8 h paid + 60 min unpaid meal "
        "3-5 h in) and part-4h, starting on any hour. Rules: 12 h rest only (a one-day "
        "cyclic horizon means working every day, so no days-per-week limit). Solves in "
        "well under a second; for tests."
    )
    return synth.write_scenario(
        out / "tiny.yaml", "tiny", start, 1, 60, demand, shift_types,
        {"min_rest_hours": 12}, description=description, cyclic=True, floor=1,
        solver={"time_limit_seconds": 10, "workers": 2}, inline=True, comment=comment,
        schema=SCHEMA,
    )


BUILDERS = (normal_week, double11, six18, tiny)
FILES = ("normal_week.yaml", "double11.yaml", "618.yaml", "tiny.yaml")


# ---------------------------------------------------------------- validation


def _merge_preset(data: dict, section: str, key: str, kind: str) -> None:
    block = data.get(section)
    if isinstance(block, dict) and block.get(key) is not None:
        preset_path = CONFIGS / kind / f"{block[key]}.yaml"
        base = yaml.safe_load(preset_path.read_text(encoding="utf-8")) or {}
        data[section] = {**base, **block}


def validate(path: Path) -> dict:
    """Load, merge presets, validate with models.Scenario and check the demand.

    Returns a summary: name, slots, peak, floor, agent-hours (floor applied) in all and
    per week. Raises AssertionError or pydantic.ValidationError on a problem.
    """
    path = Path(path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path}: not a mapping"
    _merge_preset(data, "rules", "preset", "rules")
    _merge_preset(data, "solver", "profile", "solver")
    scenario = Scenario.model_validate(data)
    horizon = scenario.horizon
    n = horizon.num_slots
    start = dt.datetime.combine(horizon.start_date, dt.time())
    step = dt.timedelta(minutes=horizon.slot_minutes)
    if scenario.demand.file is not None:
        csv_path = path.parent / scenario.demand.file
        with csv_path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        assert rows[0] == ["start", "required"], f"{csv_path}: header {rows[0]}"
        body = rows[1:]
        assert len(body) == n, f"{csv_path}: {len(body)} rows, the horizon has {n} slots"
        for i, (when, required) in enumerate(body):
            expected = f"{start + i * step:%Y-%m-%dT%H:%M}"
            assert when == expected, f"{csv_path} row {i + 2}: {when} != {expected}"
        values = [int(r) for _, r in body]
    else:
        values = list(scenario.demand.required or [])
        assert len(values) == n, f"{path}: {len(values)} values, {n} slots"
    assert all(v >= 0 for v in values)
    on_duty = [max(v, scenario.demand.floor) for v in values]
    hours = sum(on_duty) * horizon.slot_minutes / 60
    return {
        "name": scenario.name,
        "days": horizon.days,
        "slots": n,
        "peak": max(values),
        "floor": scenario.demand.floor,
        "agent_hours": hours,
        "agent_hours_per_week": hours * 7 / horizon.days,
        "shift_types": [t.name for t in scenario.shift_types],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: scenarios/)")
    parser.add_argument("--check", action="store_true", help="only validate existing files")
    args = parser.parse_args(argv)
    out: Path = args.out
    if args.check:
        paths = [out / f for f in FILES]
    else:
        out.mkdir(parents=True, exist_ok=True)
        paths = [build(out) for build in BUILDERS]
    for path in paths:
        s = validate(path)
        print(
            f"{path.name:18s} {s['days']:2d} d {s['slots']:4d} slots  peak {s['peak']:3d}  "
            f"floor {s['floor']}  {s['agent_hours']:8.1f} agent-h "
            f"({s['agent_hours_per_week']:.1f}/week)  types: {', '.join(s['shift_types'])}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
