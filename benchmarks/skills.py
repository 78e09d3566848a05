"""Issue 16's skills benchmarks: cross-training, and the staffing loop at scale.

cross: the queues and forecast of scenarios/double11_skills.yaml (five queues; --days of
it) staffed three ways for the same goals, one pool per queue at the same pay: dedicated
teams (each pool serves its queue), chained cross-training (pool i serves queues i and
i+1, the last and the first: Wallace and Whitt (2005), "A staffing algorithm for call
centers with skill-based routing", M&SOM 7(4): two skills in good combinations do almost
as well as all skills), and everyone serving all. Each is solved with `scheduler solve`'s
engine (the staffing loop where a pool serves two queues or more) and its roster then
simulated afresh (--sim-runs runs, seed 1, people net of shrinkage): headcount, cost, the
contact-weighted simulated service level over the live queues and the slots below goal.

scale: 4 weeks, 6 queues (three chat, three voice), 4 pools each serving two or three
queues, volumes scaled so that the Erlang requirement peaks at --peak agents on duty;
solved with --time-limit (staffing loop included); the gap of the returned roster to its
plan's proven bound, and the time to simulate the roster (10 runs, as `scheduler
simulate` does). --repeats runs give medians; the 1-minute load average is recorded.

    python benchmarks/skills.py [--parts cross,scale] [--time-limit 60] [--scale-limit 120]
                                [--repeats 3] [--peak 500] [--csv benchmarks/results/skills.csv]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

from scheduler.check import check_output_dir
from scheduler.engine.pooling import measure, solve_staffed
from scheduler.report.output import write_result
from scheduler.workload.loaded import load_scenario

from results_csv import write_rows

ROOT = Path(__file__).resolve().parents[1]
SKILLS = ROOT / "scenarios" / "double11_skills.yaml"
FIELDS = ["part", "case", "repeat", "status", "headcount", "cost", "cost_bound", "gap",
          "plans", "fluid_headcount", "service_level", "slots_below_goal", "queue_slots",
          "solve_s", "sim_s", "sim_runs", "checked", "load_1min", "peak", "days"]


def _base(days: int) -> dict:
    data = yaml.safe_load(SKILLS.read_text(encoding="utf-8"))
    data["horizon"]["days"] = days
    return data


def _cut_volumes(folder: Path, days: int) -> None:
    """The bundled volume file cut to the first `days` days, beside the scenario."""
    with open(SKILLS.parent / "double11_skills_volume.csv", newline="") as f:
        rows = list(csv.reader(f))
    with open(folder / "double11_skills_volume.csv", "w", newline="") as f:
        csv.writer(f).writerows(rows[:1 + days * 48])


def cross_scenarios(folder: Path, days: int, time_limit: float) -> dict[str, Path]:
    """The three staffings of the same queues, as scenario files in `folder`."""
    _cut_volumes(folder, days)
    out = {}
    for case in ("dedicated", "chained", "all"):
        data = _base(days)
        queues = [c["name"] for c in data["channels"]]
        n = len(queues)
        serves = {"dedicated": lambda i: [queues[i]],
                  "chained": lambda i: [queues[i], queues[(i + 1) % n]],
                  "all": lambda i: list(queues)}[case]
        data["pools"] = [{"name": f"team{i}", "shift_types": ["day-8h", "short-4h", "night"],
                          "cost_per_paid_hour": 36, "serves": serves(i)} for i in range(n)]
        data["solver"] = {"time_limit_seconds": time_limit, "workers": 2}
        data["name"] = f"skills_{case}"
        path = folder / f"skills_{case}.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        out[case] = path
    return out


def scale_scenario(folder: Path, peak: int, time_limit: float) -> Path:
    """4 weeks, 6 queues, 4 pools, the requirement peaking at about `peak` agents."""
    days, per_day = 28, 48
    t = np.arange(days * per_day)
    hour = (t % per_day) / 2.0
    # the e-commerce day: low at night, a morning rise, an evening peak; weekends busier
    shape = 0.15 + np.exp(-((hour - 11) / 3.0) ** 2) + 1.2 * np.exp(-((hour - 21) / 2.0) ** 2)
    shape *= 1.0 + 0.15 * (((t // per_day) % 7) >= 5)
    kinds = ["chat", "chat", "voice", "chat", "voice", "voice"]
    base = [400, 300, 120, 200, 80, 60]

    def write(factor: float) -> Path:
        channels = []
        for i, (kind, v) in enumerate(zip(kinds, base)):
            ch = {"name": f"q{i}", "kind": kind,
                  "volume": [round(float(x), 1) for x in v * factor * shape],
                  "aht_seconds": 360 if kind == "chat" else 420,
                  "service_level": 0.8, "answer_within_seconds": 60 if kind == "chat" else 20,
                  "shrinkage": 0.1}
            if kind == "chat":
                ch["concurrency"] = 2
            else:
                ch["patience_seconds"] = 180
            channels.append(ch)
        shift_types = [{"name": "d8", "paid_hours": [8], "earliest_start": "06:00",
                        "latest_start": "16:00", "start_step_minutes": 60},
                       {"name": "e8", "paid_hours": [8], "earliest_start": "16:00",
                        "latest_start": "23:00", "start_step_minutes": 60}]
        serves = [["q0", "q1"], ["q1", "q2", "q3"], ["q3", "q4"], ["q4", "q5", "q0"]]
        data = {"name": "skills_scale",
                "horizon": {"start_date": "2026-11-02", "days": days, "slot_minutes": 30},
                "channels": channels, "shift_types": shift_types,
                "pools": [{"name": f"pool{i}", "shift_types": ["d8", "e8"],
                           "cost_per_paid_hour": 30 + 3 * i, "serves": s}
                          for i, s in enumerate(serves)],
                "rules": {"preset": "five-day-week"},
                "objective": {"kind": "cost"},
                "solver": {"time_limit_seconds": time_limit, "workers": 2}}
        path = folder / "skills_scale.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        return path

    factor = 1.0
    for _ in range(4):
        path = write(factor)
        top = max(load_scenario(path).required)
        if abs(top - peak) <= max(2, 0.01 * peak):
            break
        factor *= peak / top
    return path


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def run_case(part: str, case: str, path: Path, repeat: int, folder: Path,
             sim_runs: int) -> dict:
    load = _load()
    loaded = load_scenario(path)
    t0 = time.monotonic()
    result = solve_staffed(loaded)
    solve_s = time.monotonic() - t0
    s = result.summary
    row = {"part": part, "case": case, "repeat": repeat, "status": s.status,
           "headcount": s.headcount, "cost": s.cost, "cost_bound": s.objective_bound,
           "gap": s.cost_gap, "plans": s.pooling.iterations if s.pooling else 1,
           "fluid_headcount": s.pooling.fluid_headcount if s.pooling else s.headcount,
           "solve_s": round(solve_s, 1), "sim_runs": sim_runs, "load_1min": load,
           "peak": max(loaded.required), "days": loaded.scenario.horizon.days}
    if not result.feasible:
        return row
    out = folder / f"out-{case}-{repeat}"
    write_result(result, out, loaded.scenario.horizon.start_date,
                 loaded.scenario.horizon.days, loaded)
    row["checked"] = check_output_dir(path, out).ok
    # the roster simulated afresh, with a seed the loop did not use; its adjusted
    # requirement does not change the centre (volumes, people)
    t1 = time.monotonic()
    m = measure(loaded, result, sim_runs, seed=1)
    row["sim_s"] = round(time.monotonic() - t1, 1)
    live = [q for q in m.goal if m.goal[q] is not None and q not in m.raise_only]
    offered = sum(float(m.offered[q].sum()) for q in live)
    within = sum(float(np.nansum(m.mean[q] * m.offered[q])) for q in live)
    row["service_level"] = round(within / offered, 4) if offered else None
    row["slots_below_goal"] = m.slots_below
    row["queue_slots"] = int(sum((m.offered[q] > 0).sum() for q in live))
    return row


def table(rows: list[dict]) -> str:
    """Medians over the repeats of each (part, case)."""
    def med(group, key):
        values = [float(r[key]) for r in group if r.get(key) not in (None, "")]
        return statistics.median(values) if values else None

    def f(value, spec):
        return "-" if value is None else spec.format(value)

    cases: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        cases.setdefault((r["part"], r["case"]), []).append(r)
    lines = ["| part | staffing | runs | headcount | cost | gap to bound | plans | "
             "simulated service level | slots below goal | solve s | simulation s | load |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    labels = {"dedicated": "dedicated teams", "chained": "chained, 2 queues each",
              "all": "everyone serves all", "loop": "4 weeks, 6 queues, 4 pools"}
    for (part, case), group in cases.items():
        below, slots = med(group, "slots_below_goal"), med(group, "queue_slots")
        loads = [float(r["load_1min"]) for r in group if r.get("load_1min") not in (None, "")]
        load = f"{min(loads):.1f}-{max(loads):.1f}" if loads else "-"
        lines.append(
            f"| {part} | {labels.get(case, case)} (peak {f(med(group, 'peak'), '{:,.0f}')}) | "
            f"{len(group)} | {f(med(group, 'headcount'), '{:,.0f}')} | "
            f"{f(med(group, 'cost'), '{:,.0f}')} | {f(med(group, 'gap'), '{:.2%}')} | "
            f"{f(med(group, 'plans'), '{:g}')} | {f(med(group, 'service_level'), '{:.1%}')} | "
            f"{f(below, '{:g}')} of {f(slots, '{:g}')} | {f(med(group, 'solve_s'), '{:.0f}')} | "
            f"{f(med(group, 'sim_s'), '{:.1f}')} (runs {group[0].get('sim_runs')}) | "
            f"{load} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--parts", default="cross,scale")
    ap.add_argument("--days", type=int, default=3, help="cross: days of the Double 11 week")
    ap.add_argument("--time-limit", type=float, default=60.0, help="cross: seconds a solve")
    ap.add_argument("--scale-limit", type=float, default=120.0, help="scale: seconds a solve")
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--peak", type=int, default=500)
    ap.add_argument("--sim-runs", type=int, default=10)
    ap.add_argument("--csv", type=Path, default=None)
    ap.add_argument("--append", action="store_true")
    args = ap.parse_args()
    parts = args.parts.split(",")
    rows: list[dict] = []
    if args.append and args.csv and args.csv.exists():
        with open(args.csv, newline="") as f:
            rows = list(csv.DictReader(f))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for repeat in range(args.repeats):
            if "cross" in parts:
                for case, path in cross_scenarios(folder, args.days, args.time_limit).items():
                    rows.append(run_case("cross", case, path, repeat, folder, args.sim_runs))
                    print(rows[-1], flush=True)
            if "scale" in parts:
                path = scale_scenario(folder, args.peak, args.scale_limit)
                rows.append(run_case("scale", "loop", path, repeat, folder, args.sim_runs))
                print(rows[-1], flush=True)
    print()
    print(f"{dt.date.today()}: medians over the runs")
    print(table(rows))
    if args.csv:
        write_rows(args.csv, rows, FIELDS)


if __name__ == "__main__":
    main()
