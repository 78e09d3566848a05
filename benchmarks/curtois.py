"""Curtois and Qu (2014) employee-rostering benchmark: the instances in
../shared/benchmarks/curtois/ against their best-known values.

Each instance is read (scheduler.datasets.curtois), solved by scheduler.engine.curtois_search
(column generation, then LNS on the compact CP-SAT model) and the returned roster is
checked and its objective recomputed by the independent checker (scheduler.check.curtois):
the solver's own figure is never reported. A roster the checker rejects counts as none.

    python benchmarks/curtois.py [--instances Instance1 Instance2 ...] [--time-limit 60]
                                 [--limits Instance13=300 ...] [--workers 2] [--seed 0]
                                 [--csv benchmarks/results/curtois.csv] [--append]
                                 [--save-rosters benchmarks/results/curtois]

The split (tune / report) comes from best_known.csv; name it in every table.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import platform
import re
import statistics
import sys
from pathlib import Path

import ortools

from scheduler.check.curtois import check_roster
from scheduler.datasets.curtois import format_roster, read_instance
from scheduler.engine.curtois_search import solve_curtois

from results_csv import write_rows

DATA = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "curtois"

GROUPS = ((1, 7, "1-7"), (8, 12, "8-12"), (13, 19, "13-19"), (20, 24, "20-24"))


def group_of(name: str) -> str:
    number = int(re.sub(r"\D", "", name))
    return next(label for lo, hi, label in GROUPS if lo <= number <= hi)


def best_known(data: Path) -> dict[str, dict]:
    with open(data / "best_known.csv", newline="") as f:
        return {row["instance"]: row for row in csv.DictReader(f)}


def run_one(path: Path, time_limit: float, workers: int, seed: int,
            save: Path | None) -> dict:
    inst = read_instance(path)
    result = solve_curtois(inst, time_limit, workers=workers, seed=seed)
    found = violations = None
    if result.roster is not None:
        check = check_roster(inst, result.roster)
        violations = len(check.violations)
        found = check.objective if check.feasible else None
        if save is not None and inst.days * len(inst.staff) <= 4000:
            save.mkdir(parents=True, exist_ok=True)
            (save / f"{inst.name}.roster.csv").write_text(format_roster(inst, result.roster))
    return {"status": result.status, "found": found, "violations": violations,
            "solver_objective": result.objective, "lower_bound_found": result.bound,
            "seconds": round(result.seconds, 1),
            "columns_seconds": result.notes.get("cg_seconds"),
            "columns_converged": result.notes.get("converged"),
            "lns_steps": result.lns_steps}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--instances", nargs="+", default=None)
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--limits", nargs="*", default=[],
                    help="per-instance limits as NAME=SECONDS")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--csv", type=Path, default=None)
    ap.add_argument("--append", action="store_true", help="add to the CSV's rows")
    ap.add_argument("--save-rosters", type=Path, default=None,
                    help="folder for the rosters of the small instances (28 days x 140 staff "
                         "at most)")
    args = ap.parse_args()
    known = best_known(args.data)
    limits = {k: float(v) for k, v in (item.split("=") for item in args.limits)}
    names = args.instances or sorted(
        (p.stem for p in args.data.glob("Instance*.txt")), key=lambda n: int(n[8:]))
    rows = []
    if args.append and args.csv and args.csv.exists():
        with open(args.csv, newline="") as f:
            rows = list(csv.DictReader(f))
    for name in names:
        meta = known.get(name, {})
        best = int(meta["best_known_objective"]) if meta.get("best_known_objective") else None
        limit = limits.get(name, args.time_limit)
        load = os.getloadavg()[0]
        r = run_one(args.data / f"{name}.txt", limit, args.workers, args.seed,
                    args.save_rosters)
        gap = None if best is None or r["found"] is None else (r["found"] - best) / best
        rows.append({"instance": name, "group": group_of(name), "split": meta.get("split", ""),
                     "best_known": best, "lower_bound_published": meta.get("lower_bound"),
                     **r, "gap": gap, "time_limit": limit, "workers": args.workers,
                     "load_avg_1min": round(load, 2)})
        shown = "-" if gap is None else f"{gap:.2%}"
        print(f"{name}: found {r['found']} (best {best}, gap {shown}) in {r['seconds']} s, "
              f"load {load:.2f}", flush=True)
    if args.csv:
        write_rows(args.csv, rows)
    loads = [float(r["load_avg_1min"]) for r in rows]
    print(f"\nmachine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, OR-Tools {ortools.__version__}, {args.workers} workers, "
          f"{dt.date.today()}; 1-minute load before each instance: median "
          f"{statistics.median(loads):.2f}, max {max(loads):.2f}", file=sys.stderr)


if __name__ == "__main__":
    main()
