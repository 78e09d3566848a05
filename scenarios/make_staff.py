#!/usr/bin/env python3
"""Regenerate the bundled named-staff month (deterministic: the same files on every run).

    python scenarios/make_staff.py            # write into scenarios/ and load the result
    python scenarios/make_staff.py --out DIR  # write elsewhere (e.g. to diff)

Writes named_month.yaml with named_month_demand.csv, named_month_staff.csv and
named_month_requests.csv: four weeks from Monday 28 September 2026 through China's
National Day holidays (holidays: CN: 1-7 October off, Saturday 10 October a make-up
working day), 86 named people (70 full-time, 16 part-time, a joiner and a leaver among
them), leave on 5% of the person-days and two wishes each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scheduler.datasets import people, synth  # noqa: E402
from scheduler.scenario.schema import SCHEMA_FILE  # noqa: E402

HERE = Path(__file__).resolve().parent
SCHEMA = Path(os.path.relpath(SCHEMA_FILE, HERE)).as_posix()
START = dt.date(2026, 9, 28)
DAYS = 28
PEAK = 24
FULL, PART = 70, 16


def build(out: Path, full: int = FULL, part: int = PART, peak: int = PEAK,
          name: str = "named_month") -> Path:
    """Write the scenario and its files into `out`; the defaults give the bundled month,
    other sizes the benchmark's (benchmarks/staff.py: hires capped in proportion)."""
    demand = synth.make_demand(START, DAYS, 30, peak=peak, seed=28)
    shift_types = synth.standard_shift_types((8,), prefix="ft") \
        + synth.standard_shift_types((4,), prefix="pt")
    staff = people.make_staff(full, part, START, DAYS, seed=7)
    requests = people.make_requests(staff, START, DAYS, seed=8)
    (out / f"{name}_staff.csv").write_text(
        people.csv_text(staff, people.STAFF_COLUMNS), encoding="utf-8")
    (out / f"{name}_requests.csv").write_text(
        people.csv_text(requests, people.REQUEST_COLUMNS), encoding="utf-8")
    description = (
        f"A month of a 24/7 service team rostered by name: {full} full-time and {part} part-time "
        "people with leave, wishes, no-night and no-weekend contracts and evening-only "
        "students, through the National Day holidays.")
    comment = (
        f"{name}: four weeks of a 24/7 service team rostered by name.\n\n"
        "Horizon 28 September - 25 October 2026 with China's calendar (holidays: CN: "
        f"National Day 1-7 October, make-up working day Saturday 10 October). Peak {peak} "
        "agents on duty.\n\n"
        f"Staff ({name}_staff.csv, scheduler/datasets/people.py, seed 7): {full} "
        f"full-time (ft-8h, five-day-week rules) and {part} part-time (pt-4h, at most 24 h a week; a third are "
        "students from 16:00 on, no nights, at most 20 h). One full-timer joins on 5 "
        f"October, one leaves after 18 October. Up to {round(20 * full / FULL)} full-time and "
        f"{round(10 * part / PART)} part-time hires "
        "beyond them.\n\n"
        f"Requests ({name}_requests.csv, seed 8): leave on 5% of the person-days in "
        "blocks of 1-5 days; two wishes per person (a day off, a morning shift, no late "
        "shift).\n\n"
        "Variant livable: full-timers' starts within 120 minutes in a week and two days "
        "off in a row every week (what these cost: docs/staff.md).")
    pools = [
        {"name": "full-time", "shift_types": ["ft-8h"], "max_hire": round(20 * full / FULL)},
        {"name": "part-time", "shift_types": ["pt-4h"], "max_hire": round(10 * part / PART),
         "rules": {"max_weekly_paid_hours": 24, "max_days_per_week": 6}},
    ]
    return synth.write_scenario(
        out / f"{name}.yaml", name, START, DAYS, 30, demand, shift_types,
        {"preset": "five-day-week"}, description=description, floor=2,
        solver={"time_limit_seconds": 60, "workers": 2}, comment=comment, schema=SCHEMA,
        extra={"holidays": "CN", "pools": pools,
               "staff": {"file": f"{name}_staff.csv"},
               "requests": {"file": f"{name}_requests.csv"},
               "variants": {"livable": {
                   "pools.full-time.max_start_variation_minutes": 120,
                   "pools.full-time.days_off_in_pairs": True}}},
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: scenarios/)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    path = build(args.out)
    from scheduler.workload.loaded import load_scenario

    loaded = load_scenario(path)
    sc = loaded.scenario
    print(f"{path.name}: {sc.horizon.days} days, peak {max(loaded.required)}, "
          f"{len(sc.staff.people)} people, {len(sc.requests.items)} requests")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
