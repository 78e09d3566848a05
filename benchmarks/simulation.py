#!/usr/bin/env python3
"""Time the contact-centre simulation (scheduler/workload/sim) on issue 16's scale case and
reproduce the published multi-skill cases (a benchmark, not a test).

Scale case: a week of 30-minute slots, 5 queues (pre-sale chat, order chat, after-sale
voice and chat, complaints voice), 4 agent groups with serves-lists and overflow ranks, a
roster of individual 8.5-hour shifts with a 30-minute break each that follows a day/night
profile with a peak of `--peak` agents on duty (several values: one row each); each
queue's volume is `--load` times the agent time its groups give it in each slot (0.88
measures about 85% occupancy: overflow and abandonment leave some of it unused). `--runs`
simulation runs in `--processes` processes; the median of `--repeats` timings, with the
1-minute load average before and after each.

Published cases: Koole's two-queue staffings and ContactCenters' SimpleMSK, published
figure against the simulated one with its 95% interval.

CSV columns: `simulated` with `low` and `high`: for the published cases the simulated
figure and its 95% interval; for the week rows the median, fastest and slowest seconds.

    python benchmarks/simulation.py [--peak 300 [500]] [--load 0.88] [--runs 10]
                                    [--processes 2] [--repeats 3]
                                    [--koole-runs 400] [--msk-days 4000]
                                    [--csv benchmarks/results/simulation.csv]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
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

from scheduler.datasets import synth  # noqa: E402
from scheduler.workload.sim import AgentGroup, Centre, Shift, SimQueue, simulate  # noqa: E402
from scheduler.workload.sim import cases  # noqa: E402

DAYS, SLOT = 7, 30
START = dt.date(2026, 11, 2)
SHIFT_SLOTS = 17  # 8.5 hours, one 30-minute break

# queue: (mean handle time s, mean patience s, goal, within s)
QUEUES = {
    "presale-chat": (240.0, 600.0, 0.8, 60.0),
    "order-chat": (300.0, 600.0, 0.8, 60.0),
    "aftersale-voice": (360.0, 180.0, 0.8, 20.0),
    "aftersale-chat": (420.0, 600.0, 0.8, 60.0),
    "complaints-voice": (540.0, 240.0, 0.8, 20.0),
}
# group: (share of the agents, {queue: share of the group's time}, overflow ranks)
GROUPS = {
    "junior": (0.35, {"presale-chat": 0.6, "order-chat": 0.4}, {}),
    "mid": (0.30, {"order-chat": 0.4, "aftersale-chat": 0.4, "presale-chat": 0.2},
            {"presale-chat": 1}),
    "senior": (0.25, {"aftersale-voice": 0.5, "complaints-voice": 0.4, "aftersale-chat": 0.1},
               {}),
    "temp": (0.10, {"presale-chat": 1.0}, {}),
}


def roster(target: np.ndarray, rng: np.random.Generator) -> list[Shift]:
    """Greedy shifts that cover `target` agents on duty per slot: walk the slots, start
    8.5-hour shifts wherever the cover falls short; each shift's break is 30 minutes
    somewhere in its middle hour."""
    n = target.size
    cover = np.zeros(n + SHIFT_SLOTS)
    shifts = []
    for k in range(n):
        while cover[k] < target[k]:
            brk = k + 8 + int(rng.integers(0, 2))
            cover[k:k + SHIFT_SLOTS] += 1
            cover[brk] -= 1
            shifts.append(Shift(k * SLOT, (k + SHIFT_SLOTS) * SLOT,
                                breaks=[(brk * SLOT, (brk + 1) * SLOT)]))
    return shifts


def week_centre(peak: int = 300, load: float = 0.88, seed: int = 0) -> Centre:
    rng = np.random.default_rng(seed)
    shape = synth.relative_demand(START, DAYS, SLOT, seed=seed, noise=0.05)
    shape = np.maximum(shape / shape.max(), 0.08)
    n_slots = shape.size
    groups, capacity = [], {q: np.zeros(n_slots) for q in QUEUES}
    for name, (share, split, ranks) in GROUPS.items():
        shifts = roster(np.ceil(shape * peak * share), rng)
        on_duty = np.zeros(n_slots)
        for s in shifts:
            a, b = int(s.start_minute // SLOT), int(s.end_minute // SLOT)
            on_duty[a:min(b, n_slots)] += 1
            for b0, _ in s.breaks:
                if b0 // SLOT < n_slots:
                    on_duty[int(b0 // SLOT)] -= 1
        for q, frac in split.items():
            capacity[q] += frac * on_duty
        groups.append(AgentGroup(name, list(split), shifts=shifts, overflow_rank=ranks))
    queues = [SimQueue(q, list(load * capacity[q] * SLOT * 60 / aht), aht,
                       patience_seconds=pat, service_level=goal, answer_within_seconds=within)
              for q, (aht, pat, goal, within) in QUEUES.items()]
    return Centre(queues, groups, slot_minutes=SLOT)


def time_week(args, peak: int) -> dict:
    centre = week_centre(peak, args.load)
    times, loads = [], []
    result = None
    for _ in range(args.repeats):
        loads.append(os.getloadavg()[0])
        t0 = time.perf_counter()
        result = simulate(centre, runs=args.runs, seed=1, processes=args.processes)
        times.append(time.perf_counter() - t0)
        loads.append(os.getloadavg()[0])
    overall = result.overall()
    occ = result.by_group()["occupancy"]
    busy = result.group_data["busy_seconds"].sum(axis=(1, 2)).mean()
    present = result.group_data["present_seconds"].sum(axis=(1, 2)).mean()
    shifts = sum(len(g.shifts) for g in centre.groups)
    print(f"week: {shifts} shifts, peak {peak} on duty, {result.contacts.mean():,.0f} "
          f"contacts a run, {args.runs} runs in {args.processes} processes: median "
          f"{statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f}); "
          f"service level {float(overall['service_level'].mean):.3f}, occupancy "
          f"{busy / present:.3f} (by group {np.round(occ.mean, 3).tolist()}); "
          f"load {min(loads):.2f}-{max(loads):.2f}")
    return {"case": "week", "figure": "seconds for all runs", "published": "",
            "simulated": round(statistics.median(times), 3), "low": round(min(times), 3),
            "high": round(max(times), 3), "runs": args.runs, "processes": args.processes,
            "repeats": args.repeats, "contacts_per_run": round(float(result.contacts.mean())),
            "shifts": shifts, "peak_on_duty": peak,
            "occupancy": round(busy / present, 4),
            "service_level": round(float(overall["service_level"].mean), 4),
            "load_avg_1min": round(max(loads), 2)}


def reproductions(args) -> list[dict]:
    rows = []
    for staffing, published in cases.KOOLE_PUBLISHED.items():
        t0 = time.perf_counter()
        res = simulate(cases.koole_centre(staffing), runs=args.koole_runs, seed=2024,
                       processes=args.processes)
        sl = res.by_queue(slots=slice(cases.KOOLE_WARMUP_SLOTS, None))["service_level"]
        secs = time.perf_counter() - t0
        for qi, pub in enumerate(published):
            rows.append({"case": "Koole", "figure": f"{staffing}: service level "
                         f"{res.queue_names[qi]}", "published": pub,
                         "simulated": round(float(sl.mean[qi]), 4),
                         "low": round(float(sl.low[qi]), 4), "high": round(float(sl.high[qi]), 4),
                         "runs": args.koole_runs, "processes": args.processes,
                         "seconds": round(secs, 2)})
    t0 = time.perf_counter()
    res = simulate(cases.simple_msk(), runs=args.msk_days, seed=2007, processes=args.processes)
    secs = time.perf_counter() - t0
    total = res.overall()
    occ = res.by_group()["occupancy"]
    got = {"served per day": total["answered"], "abandoned per day": total["abandoned"],
           "service level": total["service_level_cc"]}
    for figure, (mean, low, high) in cases.SIMPLEMSK_PUBLISHED.items():
        if figure in got:
            e = got[figure]
            m, lo, hi = float(e.mean), float(e.low), float(e.high)
        else:
            m, lo, hi = float(occ.mean[0]), float(occ.low[0]), float(occ.high[0])
        rows.append({"case": "SimpleMSK", "figure": figure,
                     "published": f"{mean:g} [{low:g}, {high:g}]", "simulated": round(m, 4),
                     "low": round(lo, 4), "high": round(hi, 4), "runs": args.msk_days,
                     "processes": args.processes, "seconds": round(secs, 2)})
    good = res.by_queue_and_slot()["answered_within"]
    for k, row in enumerate(cases.SIMPLEMSK_GOOD_SL):
        for p, pub in enumerate(row):
            rows.append({"case": "SimpleMSK",
                         "figure": f"served within 20 s, type {k}, period {p}",
                         "published": pub, "simulated": round(float(good.mean[k, p]), 2),
                         "low": round(float(good.low[k, p]), 2),
                         "high": round(float(good.high[k, p]), 2), "runs": args.msk_days,
                         "processes": args.processes, "seconds": round(secs, 2)})
    print("| case | figure | published | simulated (95% interval) |")
    print("|---|---|---|---|")
    for r in rows:
        print(f"| {r['case']} | {r['figure']} | {r['published']} | {r['simulated']:g} "
              f"({r['low']:g} - {r['high']:g}) |")
    return rows


FIELDS = ["case", "figure", "published", "simulated", "low", "high", "runs", "processes",
          "repeats", "seconds", "contacts_per_run", "shifts", "peak_on_duty", "occupancy",
          "service_level", "load_avg_1min"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peak", type=int, nargs="+", default=[300],
                        help="agents on duty at the peak")
    parser.add_argument("--load", type=float, default=0.88)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--koole-runs", type=int, default=400, help="24-hour runs per staffing")
    parser.add_argument("--msk-days", type=int, default=4000,
                        help="simulated days (the published run has 1,000)")
    parser.add_argument("--skip-cases", action="store_true", help="time the week only")
    parser.add_argument("--csv", type=Path, default=None, help="also write the rows here")
    args = parser.parse_args()
    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"numpy {np.__version__}")
    rows = [time_week(args, peak) for peak in args.peak]
    if not args.skip_cases:
        rows += reproductions(args)
    if args.csv:
        write_rows(args.csv, [{f: r.get(f, "") for f in FIELDS} for r in rows], FIELDS)


if __name__ == "__main__":
    main()
