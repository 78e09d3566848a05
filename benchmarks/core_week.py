"""Issue 2's performance figure: one cyclic week, 24/7, 30-minute slots, peak 200 agents,
shift types of 4, 6, 8 and 9 paid hours with meal breaks, 5 days in any 7, 12 h rest.

Runs `scheduler solve` in-process several times (different seeds) and prints a Markdown
table: headcount, its proven lower bound, the gap, paid hours and seconds, with medians.

    python benchmarks/core_week.py [--runs 3] [--time-limit 60] [--peak 200]
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import tempfile
import time
from pathlib import Path

import ortools

from scheduler.io import load_scenario
from scheduler.solve import solve
from scheduler.synth import make_demand, standard_shift_types, write_scenario


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
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            path = make(Path(tmp), args.peak, args.time_limit, seed=run)
            t0 = time.monotonic()
            result = solve(load_scenario(path))
            seconds = time.monotonic() - t0
            s = result.summary
            rows.append((run, s.status, s.headcount, s.headcount_lower_bound, s.headcount_gap,
                         s.paid_hours, seconds))
    print(f"machine: {platform.machine()}, {platform.python_version()}, OR-Tools "
          f"{ortools.__version__}, 2 workers, {dt.date.today()}")
    print("| run | status | headcount | lower bound | gap | paid hours | seconds |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        gap = f"{r[4]:.2%}" if r[4] is not None else "-"
        print(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} | {gap} | {r[5]} | {r[6]:.1f} |")
    med = lambda i: statistics.median(r[i] for r in rows if r[i] is not None)  # noqa: E731
    print(f"| median | | {med(2)} | {med(3)} | {med(4):.2%} | {med(5)} | {med(6):.1f} |")


if __name__ == "__main__":
    main()
