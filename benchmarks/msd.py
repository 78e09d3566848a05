"""Minimum Shift Design benchmark: the DBAI instances against their best-known values.

Each instance becomes a scenario (scheduler.datasets.msd), is solved by the full pipeline, and its
objective is recomputed from the returned roster (short and over minutes from the
coverage, distinct start time + length pairs from the shifts), then compared with
best_known.csv. The duties-per-week term is not modelled, so the comparison is with the
best-known objective without it.

    python benchmarks/msd.py [--sets DataSet1 DataSet2] [--first N] [--time-limit 60]
                             [--instances DataSet2/RandomExample23 ...]
                             [--csv benchmarks/results/msd.csv]

Split (shared/benchmarks/README.md): "tune" is DataSet1 RandomExample1-100 and DataSet2
RandomExample1-15; everything else is "test".
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib.metadata
import os
import platform
import re
import statistics
import tempfile
import time
from pathlib import Path

import ortools
import yaml

from scheduler.workload.loaded import load_scenario
from scheduler.datasets.msd import read_instance, to_scenario
from scheduler.engine.solve import solve

from results_csv import write_rows

DATA = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "msd"


def split_of(data_set: str, name: str) -> str:
    number = int(re.sub(r"\D", "", name))
    if data_set == "DataSet1" and number <= 100 or data_set == "DataSet2" and number <= 15:
        return "tune"
    return "test"


def best_known(data: Path) -> dict[tuple[str, str], int | None]:
    out = {}
    with open(data / "best_known.csv", newline="") as f:
        for row in csv.DictReader(f):
            value = row["best_known_objective_without_duties_term"]
            out[(row["set"], row["instance"])] = int(value) if value else None
    return out


def run_one(path: Path, time_limit: float) -> dict:
    inst = read_instance(path)
    with tempfile.TemporaryDirectory() as tmp:
        scenario = Path(tmp) / "msd.yaml"
        scenario.write_text(yaml.safe_dump(to_scenario(inst, time_limit), sort_keys=False))
        t0 = time.monotonic()
        result = solve(load_scenario(scenario))
        seconds = time.monotonic() - t0
    short = sum(max(0, c.required - c.scheduled) for c in result.coverage)
    over = sum(max(0, c.scheduled - c.required) for c in result.coverage)
    distinct = len({(s.start.strftime("%H:%M"), s.paid_minutes) for s in result.shifts})
    objective = inst.objective(short, over, distinct) if result.feasible else None
    return {"status": result.summary.status, "objective": objective,
            "bound": result.summary.objective_bound, "seconds": round(seconds, 2),
            "short_minutes": short * inst.slot_minutes, "over_minutes": over * inst.slot_minutes,
            "distinct_shifts": distinct}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--sets", nargs="+", default=["DataSet1", "DataSet2"])
    ap.add_argument("--first", type=int, default=None, help="only the first N of each set")
    ap.add_argument("--instances", nargs="+", default=None,
                    help="only these, as SET/NAME (e.g. DataSet2/RandomExample23)")
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--csv", type=Path, default=None)
    args = ap.parse_args()
    known = best_known(args.data)
    rows = []
    for data_set in args.sets:
        files = sorted((args.data / data_set).glob("*.txt"),
                       key=lambda p: int(re.sub(r"\D", "", p.stem)))
        if args.instances is not None:
            files = [p for p in files if f"{data_set}/{p.stem}" in args.instances]
        for path in files[: args.first]:
            load = os.getloadavg()[0]
            r = run_one(path, args.time_limit)
            best = known.get((data_set, path.stem))
            gap = None if best in (None, 0) or r["objective"] is None else (r["objective"] - best) / best
            row = {"set": data_set, "instance": path.stem, "split": split_of(data_set, path.stem),
                   "best_known": best, **r, "gap": gap, "load_1min": round(load, 2)}
            rows.append(row)
            print(f"{data_set} {path.stem}: {r['objective']} (best {best}) {r['seconds']} s",
                  flush=True)
    if args.csv:
        write_rows(args.csv, rows)
    loads = [r["load_1min"] for r in rows]
    print(f"\nmachine: {platform.machine()}, Python {platform.python_version()}, OR-Tools "
          f"{ortools.__version__}, highspy {importlib.metadata.version('highspy')}, 2 workers, "
          f"{args.time_limit:g} s limit, {dt.date.today()}; 1-minute load average before each "
          f"instance: median {statistics.median(loads):.2f}, max {max(loads):.2f}")
    print("| set | split | instances | best known reached | mean gap | max gap | median s | max s |")
    print("|---|---|---|---|---|---|---|---|")
    groups: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        groups.setdefault((row["set"], row["split"]), []).append(row)
    for (data_set, split), group in sorted(groups.items()):
        gaps = [r["gap"] for r in group if r["gap"] is not None]
        reached = sum(1 for r in group if r["gap"] is not None and r["gap"] <= 0)
        secs = [r["seconds"] for r in group]
        mean_gap = f"{statistics.mean(gaps):.2%}" if gaps else "-"
        max_gap = f"{max(gaps):.2%}" if gaps else "-"
        print(f"| {data_set} | {split} | {len(group)} | {reached} | {mean_gap} | {max_gap} | "
              f"{statistics.median(secs):.1f} | {max(secs):.1f} |")


if __name__ == "__main__":
    main()
