#!/usr/bin/env python3
"""Time the staffing layer: agents required per slot for 4 weeks of 30-minute slots and
3 channels (voice with Erlang A, chat with concurrency and Erlang A, email with a 24 h
deadline), from forecast volumes to grossed-up agents, including each slot's service
figures. Prints the median of several runs (a benchmark, not a test).

    python benchmarks/staffing.py [--runs 7] [--peak-scale 1 [100 ...]]
                                  [--csv benchmarks/results/staffing.csv]
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import sys
import time
from pathlib import Path

from results_csv import write_rows  # noqa: E402 (benchmarks/ is on sys.path)

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import scipy  # noqa: E402

from scheduler.models import Scenario  # noqa: E402
from scheduler.workload import staffing  # noqa: E402
from scheduler.datasets import synth

DAYS, SLOT = 28, 30
START = dt.date(2026, 11, 2)


def scenario(peak_scale: float, patience: bool) -> tuple[Scenario, list[np.ndarray]]:
    volumes = []
    for i, peak in enumerate((120, 150, 40)):
        shape = synth.relative_demand(START, DAYS, SLOT, seed=i)
        volumes.append(shape / shape.max() * peak * peak_scale)
    live = {"patience_seconds": 180, "max_abandon_rate": 0.05} if patience else {}
    data = {
        "name": "bench",
        "horizon": {"start_date": START.isoformat(), "days": DAYS, "slot_minutes": SLOT},
        "channels": [
            {"name": "voice", "kind": "voice", "volume": [0.0] * (DAYS * 48), "aht_seconds": 300,
             "service_level": 0.8, "answer_within_seconds": 20, "max_occupancy": 0.85,
             "shrinkage": {"absence": 0.08, "training": 0.04}, **live},
            {"name": "chat", "kind": "chat", "volume": [0.0] * (DAYS * 48), "aht_seconds": 420,
             "concurrency": 2.5, "service_level": 0.9, "answer_within_seconds": 180,
             "hours": "08:00-24:00", **live},
            {"name": "email", "kind": "deferred", "volume": [0.0] * (DAYS * 48),
             "aht_seconds": 360, "response_deadline_minutes": 1440, "hours": "09:00-21:00"},
        ],
        "shift_types": [{"name": "d", "paid_hours": [8], "earliest_start": "00:00",
                         "latest_start": "23:30"}],
    }
    return Scenario.model_validate(data), volumes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--peak-scale", type=float, nargs="+", default=[1.0],
                        help="multiply every volume (100 gives thousands of Erlangs); "
                             "several values run one after the other")
    parser.add_argument("--csv", type=Path, default=None, help="also write the rows here")
    args = parser.parse_args()
    print(f"{platform.machine()}, Python {platform.python_version()}, numpy {np.__version__}, "
          f"scipy {scipy.__version__}; {DAYS} days x {1440 // SLOT} slots x 3 channels")
    print("| model | peak scale | peak Erlangs | peak agents | median s | min s | max s |")
    print("|---|---|---|---|---|---|---|")
    rows = []
    for peak_scale in args.peak_scale:
        for model, patience in (("A", True), ("C", False)):
            sc, volumes = scenario(peak_scale, patience)
            times = []
            for _ in range(args.runs):
                t0 = time.perf_counter()
                result = staffing.compute(sc, volumes)
                times.append(time.perf_counter() - t0)
            peak_erlangs = max(float(ch.traffic.max()) for ch in result)
            peak_agents = int(sum(ch.scheduled for ch in result).max())
            rows.append({"model": model, "peak_scale": peak_scale,
                         "peak_erlangs": round(peak_erlangs, 2), "peak_agents": peak_agents,
                         "runs": args.runs, "median_s": round(statistics.median(times), 5),
                         "min_s": round(min(times), 5), "max_s": round(max(times), 5)})
            print(f"| Erlang {model} (voice, chat) + deadline | {peak_scale:g} | "
                  f"{peak_erlangs:,.1f} | {peak_agents:,} | {statistics.median(times):.3f} | "
                  f"{min(times):.3f} | {max(times):.3f} |")
    if args.csv:
        write_rows(args.csv, rows)


if __name__ == "__main__":
    main()
