"""Issue 2's performance figure: one cyclic week, 24/7, 30-minute slots, peak 200 agents,
shift types of 4, 6, 8 and 9 paid hours with meal breaks, 5 days in any 7, 12 h rest.

Runs `scheduler solve` in-process several times (different seeds) and prints a Markdown
table: headcount, its proven lower bound, the gap, paid hours and seconds, with medians.

    python benchmarks/core_week.py [--runs 3] [--time-limit 60] [--peak 200]
                                   [--csv benchmarks/results/core_week.csv]

With --csv one row per run is written (docs/benchmarks.md's table is rendered from it by
benchmarks/run_all.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import tempfile
import time
from pathlib import Path

import ortools

from scheduler.workload.loaded import load_scenario
from scheduler.engine.solve import solve
from scheduler.datasets.synth import make_demand, standard_shift_types, write_scenario

from results_csv import write_rows


def make(folder: Path, peak: int, time_limit: float, seed: int) -> Path:
    start = dt.date(2026, 11, 16)
    demand = make_demand(start, 7, 30, peak, seed=1)
    return write_scenario(
        folder / f"week_p{peak}.yaml", f"week_p{peak}", start, 7, 30, demand,
        standard_shift_types((4, 6, 8, 9)),
        {"max_days_per_week": 5, "min_rest_hours": 12},
        cyclic=True,
        solver={"time_limit_seconds": time_limit, "workers": 2, "seed": seed},
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--peak", type=int, default=200)
    ap.add_argument("--csv", type=Path, default=None, help="also write one row per run here")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            path = make(Path(tmp), args.peak, args.time_limit, seed=run)
            before = os.getloadavg()[0]
            t0 = time.monotonic()
            result = solve(load_scenario(path))
            seconds = time.monotonic() - t0
            s = result.summary
            rows.append({"run": run, "seed": run, "peak": args.peak,
                         "time_limit": args.time_limit, "status": s.status,
                         "headcount": s.headcount,
                         "headcount_lower_bound": s.headcount_lower_bound,
                         "gap": s.headcount_gap, "paid_hours": s.paid_hours,
                         "seconds": round(seconds, 2),
                         "load_avg_1min": round(max(before, os.getloadavg()[0]), 2)})
            print(rows[-1], flush=True)
    if args.csv:
        write_rows(args.csv, rows)
    print(f"machine: {platform.machine()}, {platform.python_version()}, OR-Tools "
          f"{ortools.__version__}, 2 workers, {dt.date.today()}")
    from bench_tables import render_core_week  # benchmarks/ is on sys.path as a script
    print(render_core_week([{k: "" if v is None else str(v) for k, v in r.items()}
                            for r in rows]))


if __name__ == "__main__":
    main()
