"""The measurements behind scheduler.report.output.output_seconds: how long write_result
takes for rosters of every size, and the linear model fitted to them.

A synthetic result (scheduler/report/synthetic.py: five days in seven, one break a shift
as in the solved rosters of the scale grid; --rest-breaks: two) of each AGENTS x DAYS
size is written RUNS times with `write_result` as `scheduler solve` writes it (the
workbook and activities.csv in a forked child from FORK_MIN_SHIFTS shifts on,
report/writing.py). Each run records the wall time and the CPU seconds of this process
(summary, CSVs, report, calendars, scenario) and of the child (the workbook and
activities.csv), from os.times. The CPU seconds depend on what else runs on the machine
much less than the wall time does (see the load columns).

Then, per process, least squares fits cpu = a + b x shifts + c x agents over the medians
and prints the coefficients, and each row gets the model's prediction of the writers'
critical path (the larger of the two processes' CPU seconds when the child ran, else
their sum), which output_seconds uses with a margin and the machine's contention.

    python benchmarks/output_model.py [--agents 100,500,1500,3000,6000] [--days 7,28]
        [--runs 3] [--csv benchmarks/results/output_model.csv]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from results_csv import write_rows

from scheduler.report.output import output_cpu_seconds, write_result
from scheduler.report.synthetic import synthetic_result, synthetic_scenario
from scheduler.report.writing import child_writes

FIELDS = ["agents", "days", "shifts", "breaks", "runs", "child", "wall_s", "parent_cpu_s",
          "child_cpu_s", "critical_cpu_s", "model_cpu_s", "load_avg_1min",
          "load_avg_1min_after"]


def measure(agents: int, days: int, runs: int, rest_breaks: bool = False) -> dict:
    result = synthetic_result(agents, days, rest_breaks=rest_breaks)
    scenario = synthetic_scenario(days)
    load = os.getloadavg()[0]
    walls, parents, children = [], [], []
    for _ in range(runs):
        folder = Path(tempfile.mkdtemp(prefix="output-model-"))
        try:
            t0, c0 = time.perf_counter(), os.times()
            write_result(result, folder / "out", scenario.horizon.start_date, days, scenario)
            walls.append(time.perf_counter() - t0)
            c1 = os.times()
            parents.append(c1.user + c1.system - c0.user - c0.system)
            children.append(c1.children_user + c1.children_system
                            - c0.children_user - c0.children_system)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    shifts = len(result.shifts)
    child = child_writes(shifts)
    parent_cpu, child_cpu = statistics.median(parents), statistics.median(children)
    return {"agents": agents, "days": days, "shifts": shifts, "breaks": len(result.breaks),
            "runs": runs, "child": child, "wall_s": round(statistics.median(walls), 3),
            "parent_cpu_s": round(parent_cpu, 3), "child_cpu_s": round(child_cpu, 3),
            "critical_cpu_s": round(max(parent_cpu, child_cpu) if child
                                    else parent_cpu + child_cpu, 3),
            "model_cpu_s": round(output_cpu_seconds(shifts, agents), 3),
            "load_avg_1min": round(load, 2), "load_avg_1min_after": round(os.getloadavg()[0], 2)}


def fit(rows: list[dict], column: str, where) -> tuple[float, float, float]:
    """Least squares a + b x shifts + c x agents over the rows `where` picks."""
    chosen = [r for r in rows if where(r)]
    x = np.array([[1.0, r["shifts"], r["agents"]] for r in chosen])
    y = np.array([r[column] for r in chosen])
    coef, *_ = np.linalg.lstsq(x, y, rcond=None)
    return tuple(float(v) for v in coef)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--agents", default="100,500,1500,3000,6000")
    ap.add_argument("--days", default="7,28")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--rest-breaks", action="store_true",
                    help="two breaks a shift (the meal and a paid rest) instead of one")
    ap.add_argument("--csv", type=Path, default=None)
    args = ap.parse_args(argv)
    rows = []
    for days in (int(v) for v in args.days.split(",")):
        for agents in (int(v) for v in args.agents.split(",")):
            row = measure(agents, days, args.runs, args.rest_breaks)
            rows.append(row)
            print(", ".join(f"{k} {row[k]}" for k in FIELDS), flush=True)
            if args.csv:
                write_rows(args.csv, rows, FIELDS)
    forked = [r for r in rows if r["child"]]
    if len(forked) >= 3:
        print("parent cpu (forked) = %.4g + %.4g x shifts + %.4g x agents"
              % fit(rows, "parent_cpu_s", lambda r: r["child"]))
        print("child cpu (workbook, activities) = %.4g + %.4g x shifts + %.4g x agents"
              % fit(rows, "child_cpu_s", lambda r: r["child"]))
    if len(rows) - len(forked) >= 3:
        print("one process = %.4g + %.4g x shifts + %.4g x agents"
              % fit(rows, "critical_cpu_s", lambda r: not r["child"]))
    return 0


if __name__ == "__main__":
    if str(Path(__file__).resolve().parent) not in sys.path:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
