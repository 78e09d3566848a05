"""Issue 3's peer comparison: pyworkforce's MinRequiredResources against our engine, on the
same weekly scenarios, in one process and with the same time limit.

Scenario: one cyclic week (Mon 2026-11-16), 24/7, 30-minute slots, flexible starts on
every half hour, shift types of 4, 6, 8 and 9 paid hours with the synthetic meal breaks
(scheduler.datasets.synth.standard_shift_types), demand from scheduler.datasets.synth.make_demand.

pyworkforce (tested with 0.5.1, the newest release that installs on Python 3.11) plans each
day on its own: a shift is a 0/1 coverage pattern over the day's 48 periods, and the
counts per (day, pattern) must cover that day's requirement. A shift that runs past
midnight can only be written as a pattern that wraps round to the start of the *same*
day. We give it exactly our shift options (every start x break placement, the on-duty
slots taken modulo 48, cost = paid half-hours so its objective is paid hours), then lay
its plan on the real week with our own code (a shift of day d starting 22:00 covers
00:00-06:00 of day d+1, not of day d) and count the agent-slots left short. A second
pyworkforce run gets only the shifts that end by midnight: no wrap, so no errors, but
the night must be covered by shifts starting at 00:00.

Headcount: pyworkforce returns shift counts per day, not people. For both engines the
table gives "max shifts on a day" (the fewest people who can work the plan with one
shift a day and no other rule); ours also gives the roster's headcount.

Our engine runs with `objective: {kind: paid_hours}` and no days-off or rest rule (like
for like: pyworkforce has no labour rules), then once more with the default headcount
objective under 5 days in 7 and 12 h rest, to show what labour rules cost.

With `--runs N` every case runs N times (ours with CP-SAT seed 0..N-1; pyworkforce has no
seed): the CSV keeps one row per run (column `run`), and the printed tables give the
medians over the runs and the median of the per-run ratios (ours / pyworkforce taken
within the same run, so both sides saw the same machine load).

    pip install pyworkforce==0.5.1
    python benchmarks/peer_pyworkforce.py [--peaks 50 200] [--time-limit 30] [--runs 3]
                                          [--csv benchmarks/results/peer.csv]
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata as md
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from scheduler.engine.instance import Instance
from scheduler.workload.loaded import load_scenario
from scheduler.engine.solve import solve
from scheduler.datasets.synth import make_demand, standard_shift_types, write_scenario

from results_csv import write_rows

START = dt.date(2026, 11, 16)
DAYS = 7
SLOT = 30
LENGTHS = (4, 6, 8, 9)
LIKE_FOR_LIKE_RULES = {"max_days_per_week": 7, "min_rest_hours": 0}
LABOUR_RULES = {"max_days_per_week": 5, "min_rest_hours": 12}
OURS_LIKE = "paid_hours, no labour rules"


def _import_pyworkforce():
    try:
        from pyworkforce.scheduling import MinRequiredResources
    except ImportError:
        sys.exit("pyworkforce is not installed: pip install pyworkforce==0.5.1")
    return MinRequiredResources


def make_scenario(folder: Path, peak: int, rules: dict, objective: dict | None,
                  time_limit: float, tag: str, seed: int = 0) -> Path:
    demand = make_demand(START, DAYS, SLOT, peak, seed=1)
    return write_scenario(
        folder / f"peer_{tag}_p{peak}.yaml", f"peer_{tag}_p{peak}", START, DAYS, SLOT, demand,
        standard_shift_types(LENGTHS), rules, cyclic=True, objective=objective,
        solver={"time_limit_seconds": time_limit, "workers": 2, "seed": seed},
    )


def day_patterns(inst: Instance, overnight: bool) -> dict[str, tuple[int, list[int]]]:
    """pyworkforce's shift set: name -> (option index, 0/1 coverage of one day's periods).
    On-duty slots past midnight wrap to the start of the same day, as pyworkforce's
    one-day patterns force; with `overnight=False` only shifts ending by 24:00 are kept."""
    per_day = inst.slots_per_day
    out = {}
    for k, o in enumerate(inst.options):
        if not overnight and o.end_minute > 1440:
            continue
        row = [0] * per_day
        for s in o.on_duty_slots(inst.slot):
            row[s % per_day] = 1
        breaks = "-".join(f"{b[0]}" for b in o.breaks)
        out[f"{o.type_name}@{o.start_minute}b{breaks}"] = (k, row)
    return out


def real_coverage(inst: Instance, counts: dict[tuple[int, int], int]) -> list[int]:
    """Agents on duty per slot when shifts (day, option) -> count are laid on the real,
    cyclic week (a shift past midnight covers the next day's first slots)."""
    on = [0] * inst.num_slots
    for (d, k), c in counts.items():
        if c:
            for s in inst.covered(d, inst.options[k]):
                on[s] += c
    return on


def run_pyworkforce(inst: Instance, time_limit: float, overnight: bool) -> dict:
    MinRequiredResources = _import_pyworkforce()
    patterns = day_patterns(inst, overnight)
    per_day = inst.slots_per_day
    required = [list(inst.required[d * per_day:(d + 1) * per_day]) for d in range(inst.days)]
    peak = max(inst.required)
    t0 = time.monotonic()
    scheduler = MinRequiredResources(
        num_days=inst.days, periods=per_day,
        shifts_coverage={name: row for name, (_, row) in patterns.items()},
        required_resources=required,
        max_period_concurrency=int(10 * peak), max_shift_concurrency=int(peak),
        cost_dict={name: inst.options[k].paid_minutes // SLOT for name, (k, _) in patterns.items()},
        max_search_time=float(time_limit), num_search_workers=2,
    )
    solution = scheduler.solve()
    seconds = time.monotonic() - t0
    counts: dict[tuple[int, int], int] = {}
    for row in solution["resources_shifts"]:
        if row["resources"] > 0:
            counts[(row["day"], patterns[row["shift"]][0])] = row["resources"]
    on = real_coverage(inst, counts)
    short = [max(0, r - c) for r, c in zip(inst.required, on)]
    per_day_shifts = [sum(c for (d, _), c in counts.items() if d == day) for day in range(inst.days)]
    paid = sum(c * inst.options[k].paid_minutes for (_, k), c in counts.items()) / 60
    return {
        "status": solution["status"].lower(),
        "paid_hours": round(paid, 2),
        "paid_hours_bound": None,
        "max_shifts_on_a_day": max(per_day_shifts),
        "headcount": None,
        "headcount_lower_bound": None,
        "short_agent_slots": sum(short),
        "short_slots": sum(1 for v in short if v),
        "short_after_midnight": sum(v for s, v in enumerate(short) if s % per_day < 12),
        "options": len(patterns),
        "seconds": round(seconds, 2),
    }


def run_ours(path: Path, time_limit: float) -> dict:
    loaded = load_scenario(path)
    t0 = time.monotonic()
    result = solve(loaded, time_limit=time_limit)
    seconds = time.monotonic() - t0
    s = result.summary
    per_day: dict[dt.date, int] = {}
    for shift in result.shifts:
        per_day[shift.day] = per_day.get(shift.day, 0) + 1
    per_day_slots = 1440 // SLOT
    short = [max(0, c.required - c.scheduled) for c in result.coverage]
    if not result.feasible:  # no roster: nothing to count
        return {"status": s.status, "paid_hours": None, "paid_hours_bound": None,
                "max_shifts_on_a_day": None, "headcount": None, "headcount_lower_bound": None,
                "short_agent_slots": None, "short_slots": None, "short_after_midnight": None,
                "options": len(Instance(loaded).options), "seconds": round(seconds, 2)}
    return {
        "status": s.status,
        "paid_hours": s.paid_hours,
        "paid_hours_bound": s.objective_bound if s.objective == "paid_hours" else None,
        "max_shifts_on_a_day": max(per_day.values(), default=None),
        "headcount": s.headcount,
        "headcount_lower_bound": s.headcount_lower_bound,
        "short_agent_slots": s.short_agent_slots,
        "short_slots": sum(1 for v in short if v),
        "short_after_midnight": sum(v for i, v in enumerate(short) if i % per_day_slots < 12),
        "options": len(Instance(loaded).options),
        "seconds": round(seconds, 2),
    }


def versions() -> str:
    names = ("ortools", "highspy", "pyworkforce")
    found = []
    for name in names:
        try:
            found.append(f"{name} {md.version(name)}")
        except md.PackageNotFoundError:
            found.append(f"{name} -")
    return ", ".join(found)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--peaks", type=int, nargs="+", default=[50, 200])
    ap.add_argument("--time-limit", type=float, default=30.0)
    ap.add_argument("--runs", type=int, default=1,
                    help="runs of every case (medians and median ratios are reported)")
    ap.add_argument("--csv", type=Path, default=None)
    args = ap.parse_args()
    if args.runs < 1:
        ap.error("--runs must be at least 1")
    _import_pyworkforce()
    rows = []
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for peak in args.peaks:
            for run in range(args.runs):
                like = make_scenario(folder, peak, LIKE_FOR_LIKE_RULES, {"kind": "paid_hours"},
                                     args.time_limit, "paid", seed=run)
                rules = make_scenario(folder, peak, LABOUR_RULES, None, args.time_limit,
                                      "rules", seed=run)
                inst = Instance(load_scenario(like))
                agent_hours = sum(inst.required) * SLOT / 60
                runs = [
                    ("ours", OURS_LIKE,
                     lambda: run_ours(like, args.time_limit)),
                    ("pyworkforce", "overnight shifts wrapped in the day",
                     lambda: run_pyworkforce(inst, args.time_limit, overnight=True)),
                    ("pyworkforce", "shifts ending by 24:00 only",
                     lambda: run_pyworkforce(inst, args.time_limit, overnight=False)),
                    ("ours", "headcount, 5 days in 7, 12 h rest",
                     lambda: run_ours(rules, args.time_limit)),
                ]
                for engine, setting, fn in runs:
                    before = os.getloadavg()[0]
                    r = fn()
                    row = {"case": f"week_p{peak}", "peak": peak, "run": run,
                           "required_agent_hours": agent_hours, "engine": engine,
                           "setting": setting, "time_limit": args.time_limit, **r,
                           "load_avg_1min": round(max(before, os.getloadavg()[0]), 2)}
                    rows.append(row)
                    print(f"p{peak} run {run} {engine} ({setting}): {r['paid_hours']} paid h, "
                          f"{r['short_agent_slots']} short agent-slots, {r['seconds']} s",
                          flush=True)
    if args.csv:
        write_rows(args.csv, rows)
    print(f"\nmachine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, {versions()}, {args.time_limit:g} s limit each, "
          f"{args.runs} run(s), {dt.date.today()}, load average at start {load:.2f}\n")
    from bench_tables import render_peer, render_peer_ratios  # benchmarks/ is on sys.path
    cells = [{k: ("" if v is None else str(v)) for k, v in r.items()} for r in rows]
    print(render_peer(cells))
    print(f"\nRatios ours ({OURS_LIKE}) / pyworkforce, within each run, median over runs:")
    print(render_peer_ratios(cells))


if __name__ == "__main__":
    main()
