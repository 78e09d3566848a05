#!/usr/bin/env python3
"""Regenerate the bundled scenarios (deterministic: same files on every run).

    python scenarios/make_scenarios.py            # write into scenarios/ and validate
    python scenarios/make_scenarios.py --out DIR  # write elsewhere (e.g. to diff)
    python scenarios/make_scenarios.py --check    # validate the files in scenarios/ only

Writes normal_week.yaml (+ normal_week_demand.csv), double11.yaml (+ double11_demand.csv)
and tiny.yaml (inline demand). Each file is checked after writing: the YAML is loaded,
its rules preset (configs/rules/<preset>.yaml) and solver profile are merged under the
scenario's own keys, the result is validated with models.Scenario, and the demand is
checked to hold exactly one whole, non-negative value per slot of the horizon.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from models import Scenario  # noqa: E402
from scheduler import synth  # noqa: E402

HERE = Path(__file__).resolve().parent
CONFIGS = ROOT / "configs"

NORMAL_PEAK = 60
"""Agents at the intraday peak of an ordinary Monday."""

SOLVER = {"time_limit_seconds": 60, "workers": 2}


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
        solver=SOLVER, comment=comment,
    )


def double11(out: Path) -> Path:
    start = dt.date(2026, 11, 1)
    events = synth.double11_events(2026)
    seed = 11
    rel = synth.relative_demand(start, 14, 30, seed=seed, events=events)
    peak = round(NORMAL_PEAK * float(rel.max()))  # an ordinary Monday peaks at 60
    demand = synth.make_demand(start, 14, 30, peak=peak, seed=seed, events=events)
    shift_types = (
        synth.standard_shift_types((8, 9), "05:00", "21:30", prefix="day")
        + synth.standard_shift_types((4, 6), "00:00", "23:30", prefix="short")
        + [synth.night_shift_type("night", 8, "22:00", "25:00", cost_per_paid_hour=1.2)]
    )
    description = (
        "The Double 11 (Singles' Day) fortnight, 1-14 November 2026, not cyclic: pre-sale "
        "ramp from 1.0x to 1.6x, a build-up on the evening of the 10th, a rush of about "
        f"4.4x a normal peak ({peak} agents) right after 00:00 on the 11th, the 11th at "
        "3x, and an after-sale wave on the 12th-14th. Peak-season rules: 6 days in 7, "
        "48 h a week."
    )
    comment = (
        "double11: the Double 11 (Singles' Day) fortnight, 2026-11-01 to 2026-11-14.\n\n"
        f"An ordinary Monday would peak at {NORMAL_PEAK} agents. Day multipliers: 1-10 Nov "
        "pre-sale ramp 1.0x -> 1.6x; 10 Nov evening builds up to ~2.1x a normal peak by "
        f"23:30; 11 Nov 00:00-02:00 the midnight rush at ~4.4x ({peak} agents at the "
        "top), decaying through the night, then the day at 3x; after-sale wave 12/13/14 "
        "Nov at 2.0x/1.8x/1.6x. Not cyclic: the days before 1 Nov and after 14 Nov are "
        "outside the plan.\n\n"
        "Shift types: day-8h and day-9h (start 05:00-21:30, 60 min unpaid meal 3-5 h in), "
        "short-4h (no break) and short-6h (30 min unpaid meal 2-4 h in) starting any half "
        "hour for the peaks, night (8 h paid, start 22:00 to 01:00 the next day, written "
        "25:00, 60 min meal, cost 1.2 per paid hour). Rules: five-day-week preset relaxed "
        "for the peak season: 6 working days in any 7, 48 paid hours a week (per 7-day "
        "block from 1 Nov), 12 h rest and at most 6 days in a row from the preset."
    )
    return synth.write_scenario(
        out / "double11.yaml", "double11", start, 14, 30, demand, shift_types,
        {"preset": "five-day-week", "max_days_per_week": 6, "max_weekly_paid_hours": 48},
        description=description, cyclic=False, floor=2, solver=SOLVER, comment=comment,
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
    )


BUILDERS = (normal_week, double11, tiny)
FILES = ("normal_week.yaml", "double11.yaml", "tiny.yaml")


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
