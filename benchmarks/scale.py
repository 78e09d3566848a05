"""Issue 3's scale grid and the LP bound: horizon x peak at two levels.

Cases: 1 day, 1 week and 4 weeks (cyclic, from Mon 2026-11-16) x peak 50, 200 and 1000
agents, 24/7, 30-minute slots, shift types of 4, 6, 8, 9 and 10 paid hours starting on
any half hour, meal breaks in windows (scheduler.datasets.synth.standard_shift_types), demand from
scheduler.datasets.synth.make_demand (seed 1); a horizon written "28o" is the same 28 days
not cyclic (open ends, as a planner rosters a month). The horizon token `promo` is the Double 11 week
(8-14 Nov 2026, scheduler.datasets.synth.double11_events: pre-sale ramp, the 10 Nov evening
build-up and the 11 Nov midnight spike, after-sale days; not cyclic), scaled so the
midnight spike is 4 x the given peak.

Horizon tokens: a number of days from START (any number: "91" is a 13-week quarter), then
an optional "v", then an optional "o":

* ``28`` / ``91`` -- cyclic; ``28o`` / ``91o`` -- the same days open (not cyclic);
* ``28v`` / ``28vo`` -- a 4-week month whose weeks differ, as real months do (issue 15):
  week 2 (from Mon 2026-11-23) 12% busier and week 4 (from Mon 2026-12-07) 6% quieter
  than weeks 1 and 3 (MONTH_WEEK_FACTORS, applied as day multipliers, i.e.
  scheduler.datasets.synth Events, before make_demand scales the month, with the same
  noise seed 1). The month is scaled as every grid case: its busiest slot (in the busy
  week) is the given peak, so weeks 1 and 3 peak at about peak / 1.12. "v" needs 28 days;
  ``28v`` is cyclic, ``28vo`` open;
* ``promo`` -- the promotion week above.

Any peak is accepted (issue 15's big centre is peak 2,000 at ``28``); the roster level
gives 300 s instead of 120 s to a 13-week horizon and to peaks of 2,000 and more (the
issue's limit for those cases).

Levels:

* ``plan`` -- the shift plan alone, `objective: paid_hours`, no labour rules. The plan
  model (scheduler.engine.plan.build_plan_model) is built and timed; HiGHS (via highspy,
  scheduler.engine.highs.solve_with_highs) solves its LP relaxation for the bound, then the MIP
  for the plan in the time left. Gap = (plan - LP bound) / plan.
  With ``--plan-method cpsat`` CP-SAT (2 workers) solves the same model instead of
  HiGHS's MIP. With ``--plan-method engine`` the plan comes from scheduler.engine.solve.solve instead (its
  LP, restricted-support CP-SAT and MIP steps, plus a roster), and the gap is taken
  against the LP bound computed here.
* ``roster`` -- full rosters with labour rules (5 days in any 7, 12 h rest), default
  headcount objective, scheduler.engine.solve.solve: headcount against its proven lower bound
  (the plan's: HiGHS LP bound and the MIP / CP-SAT bound), time of the first progress
  report carrying a headcount, time of the first roster-phase report, total seconds.
* ``first`` -- the ``roster`` case with a short limit (10 s unless --time-limit): the
  time to a first roster is the wall time of a whole run that returns one, with its
  headcount and gap. (Progress reports do not show it: the plan phase reports nothing
  while HiGHS runs, and a greedy roster that is good enough is returned without a
  report.)

Each case runs in its own subprocess, so the peak resident memory (ru_maxrss, column
max_rss_mb) is the case's own: the larger of that process's and of any process it
started and waited for.

    python benchmarks/scale.py [--levels plan,roster] [--horizons 1,7,28,promo]
        [--peaks 50,200,1000] [--time-limit S] [--csv benchmarks/results/scale.csv]

Without --time-limit the issue's limits apply: plan 10 s up to a week and 60 s for
longer horizons; roster 120 s (300 s for 13 weeks or a peak of 2,000 or more); first 10 s.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib.metadata as md
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import re
import time
from pathlib import Path
from typing import NamedTuple

from results_csv import write_rows

START = dt.date(2026, 11, 16)
PROMO_START = dt.date(2026, 11, 8)
SLOT = 30
LENGTHS = (4, 6, 8, 9, 10)
LABOUR_RULES = {"max_days_per_week": 5, "min_rest_hours": 12}
HIGHS_MARGIN_S = 0.5
FIELDS = [
    "level", "horizon", "peak", "demand_peak", "required_agent_hours", "time_limit", "method",
    "variables", "constraints", "build_s", "lp_s", "lp_bound", "status", "value", "bound",
    "gap", "first_solution_s", "first_roster_s", "seconds", "max_rss_mb", "load_avg_1min",
    "message",
]


MONTH_WEEK_FACTORS = (1.0, 1.12, 1.0, 0.94)
"""The weeks of a "v" month, first week first: week 2 12% busier, week 4 6% quieter."""
BIG_PEAK = 2000
"""From this peak on, a roster case gets the big centres' limit (issue 15 point 4)."""
HORIZON = re.compile(r"(\d+)(v?)(o?)")


class Horizon(NamedTuple):
    """A horizon token read: days, cyclic or open, each week's demand factor (empty: all 1)."""

    days: int
    cyclic: bool
    week_factors: tuple[float, ...] = ()


def parse_horizon(token: str) -> Horizon:
    """`28`, `28o`, `28v`, `28vo`, `91`, ... (see the module docstring); not `promo`."""
    found = HORIZON.fullmatch(token)
    if not found or int(found.group(1)) < 1:
        raise ValueError(f"unknown horizon {token!r} (expected e.g. 7, 28o, 28v, 28vo, 91, promo)")
    days = int(found.group(1))
    factors: tuple[float, ...] = ()
    if found.group(2):
        if days != 7 * len(MONTH_WEEK_FACTORS):
            raise ValueError(f"horizon {token!r}: weeks that differ ('v') need "
                             f"{7 * len(MONTH_WEEK_FACTORS)} days")
        factors = MONTH_WEEK_FACTORS
    return Horizon(days, not found.group(3), factors)


def week_events(start: dt.date, factors: tuple[float, ...]):
    """One day-multiplier Event per day of each week whose factor is not 1."""
    from scheduler.datasets.synth import Event

    return [Event(start + dt.timedelta(days=7 * week + d), day_multiplier=factor)
            for week, factor in enumerate(factors) if factor != 1.0 for d in range(7)]


def default_limit(level: str, horizon: str, peak: int | None = None) -> float:
    if level == "roster":
        big = peak is not None and peak >= BIG_PEAK
        return 300.0 if big or (horizon != "promo" and parse_horizon(horizon).days > 28) \
            else 120.0
    if level == "first":
        return 10.0
    days = 7 if horizon == "promo" else parse_horizon(horizon).days
    return 60.0 if days > 7 else 10.0


def make_case(folder: Path, level: str, horizon: str, peak: int, time_limit: float) -> Path:
    from scheduler.datasets.synth import double11_events, make_demand, standard_shift_types, write_scenario

    if horizon == "promo":
        start, days, cyclic = PROMO_START, 7, False
        demand = make_demand(start, days, SLOT, 4 * peak, seed=1, events=double11_events(2026))
    else:  # "28": 28 days, cyclic; "28o": open (not cyclic); "28v": weeks differ
        h = parse_horizon(horizon)
        start, days, cyclic = START, h.days, h.cyclic
        demand = make_demand(start, days, SLOT, peak, seed=1,
                             events=week_events(start, h.week_factors))
    rules = LABOUR_RULES if level in ("roster", "first") else None
    objective = {"kind": "paid_hours"} if level == "plan" else None
    name = f"scale_{level}_{horizon}_p{peak}"
    return write_scenario(
        folder / f"{name}.yaml", name, start, days, SLOT, demand, standard_shift_types(LENGTHS),
        rules, cyclic=cyclic, objective=objective,
        solver={"time_limit_seconds": time_limit, "workers": 2, "seed": 0},
    )


def _max_rss_mb() -> float:
    """The case's peak resident memory: this process's, or a process it started and waited
    for if that was larger (ru_maxrss is in KiB on Linux)."""
    return round(max(resource.getrusage(who).ru_maxrss
                     for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024, 1)


def _plan_model(loaded):
    from scheduler.engine.instance import Instance
    from scheduler.engine.plan import build_plan_model

    t0 = time.monotonic()
    pm = build_plan_model(Instance(loaded))
    build_s = time.monotonic() - t0
    return pm, build_s


def run_plan(path: Path, time_limit: float, method: str) -> dict:
    from scheduler.engine.highs import solve_with_highs
    from scheduler.workload.loaded import load_scenario

    t0 = time.monotonic()
    loaded = load_scenario(path)
    pm, build_s = _plan_model(loaded)
    pm.model.minimize(pm.paid_centi_expr)
    proto = pm.model.proto
    out = {"variables": len(proto.variables), "constraints": len(proto.constraints),
           "build_s": round(build_s, 2)}
    t_lp = time.monotonic()
    lp_status, _, lp_value, _ = solve_with_highs(pm.model, time_limit, relax=True)
    out["lp_s"] = round(time.monotonic() - t_lp, 2)
    lp_bound = lp_value / 100 if lp_status == "optimal" else None
    out["lp_bound"] = None if lp_bound is None else round(lp_bound, 2)
    if method == "highs":
        # HiGHS overshoots its time limit by a few tenths of a second: stop it early
        # enough that the whole case (build, LP, MIP) ends within the limit
        left = time_limit - (time.monotonic() - t0) - HIGHS_MARGIN_S
        status, _, value, _ = solve_with_highs(pm.model, max(0.5, left))
        seconds = time.monotonic() - t0
        value = None if value is None else value / 100
        bound = lp_bound
    elif method == "cpsat":  # CP-SAT alone on the same model, 2 workers, the time left
        from ortools.sat.python import cp_model

        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 2
        solver.parameters.max_time_in_seconds = max(0.5, time_limit - (time.monotonic() - t0))
        code = solver.solve(pm.model)
        seconds = time.monotonic() - t0
        status = solver.status_name(code).lower()
        found = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        value = solver.objective_value / 100 if found else None
        bound = lp_bound
    else:  # the engine's whole pipeline, timed on its own
        from scheduler.engine.solve import solve

        t1 = time.monotonic()
        result = solve(loaded, time_limit=time_limit)
        seconds = time.monotonic() - t1
        status = result.summary.status
        value = result.summary.objective_value
        bound = max(b for b in (lp_bound, result.summary.objective_bound) if b is not None) \
            if (lp_bound is not None or result.summary.objective_bound is not None) else None
    gap = None
    if value and bound is not None:
        gap = round(max(0.0, value - bound) / value, 6)
    out.update(status=status, value=None if value is None else round(value, 2),
               bound=None if bound is None else round(bound, 2), gap=gap,
               first_solution_s=None, first_roster_s=None, seconds=round(seconds, 2))
    return out


def run_roster(path: Path, time_limit: float) -> dict:
    from scheduler.workload.loaded import load_scenario
    from scheduler.engine.solve import solve

    loaded = load_scenario(path)
    pm, build_s = _plan_model(loaded)
    proto = pm.model.proto
    out = {"variables": len(proto.variables), "constraints": len(proto.constraints),
           "build_s": round(build_s, 2), "lp_s": None, "lp_bound": None}
    del pm
    first: dict[str, float] = {}
    t0 = time.monotonic()

    def on_progress(p) -> None:
        if p.headcount is not None:
            first.setdefault("any", time.monotonic() - t0)
            if p.phase == "roster":
                first.setdefault("roster", time.monotonic() - t0)

    result = solve(loaded, time_limit=time_limit, on_progress=on_progress)
    seconds = time.monotonic() - t0
    s = result.summary
    out.update(status=s.status, value=s.headcount, bound=s.headcount_lower_bound,
               gap=s.headcount_gap, first_solution_s=_r(first.get("any")),
               first_roster_s=_r(first.get("roster")), seconds=round(seconds, 2),
               message=s.message[:300])
    return out


def _r(v: float | None) -> float | None:
    return None if v is None else round(v, 2)


def run_case(spec: dict) -> dict:
    """One case in this process (the child side)."""
    from scheduler.workload.loaded import load_scenario

    with tempfile.TemporaryDirectory() as tmp:
        path = make_case(Path(tmp), spec["level"], spec["horizon"], spec["peak"],
                         spec["time_limit"])
        required = load_scenario(path).required
        row = {k: spec[k] for k in ("level", "horizon", "peak", "time_limit")}
        row.update(demand_peak=max(required), required_agent_hours=sum(required) * SLOT / 60)
        if spec["level"] == "plan":
            row["method"] = spec["method"]
            row.update(run_plan(path, spec["time_limit"], spec["method"]))
        else:
            row["method"] = "solve"
            row.update(run_roster(path, spec["time_limit"]))
    row["max_rss_mb"] = _max_rss_mb()
    return row


def run_in_child(spec: dict) -> dict:
    load = os.getloadavg()[0]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    proc = subprocess.run([sys.executable, __file__, "--case", json.dumps(spec)],
                          capture_output=True, text=True, env=env,
                          timeout=spec["time_limit"] * 4 + 300)
    if proc.returncode != 0:
        raise RuntimeError(f"case {spec} failed:\n{proc.stderr[-3000:]}")
    row = json.loads(proc.stdout.strip().splitlines()[-1])
    row["load_avg_1min"] = round(max(load, os.getloadavg()[0]), 2)
    return row


def versions() -> str:
    return ", ".join(f"{n} {md.version(n)}" for n in ("ortools", "highspy"))


def _fmt(v, spec: str = "{}") -> str:
    return "-" if v is None or v == "" else spec.format(v)


def _amount(v) -> str:
    """1,277 for whole numbers, 15,128.5 otherwise."""
    if v is None or v == "":
        return "-"
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"


def _typed(row: dict) -> dict:
    """A CSV row with its numbers back as numbers (empty cells as None)."""
    out = {}
    for k, v in row.items():
        if v in ("", None, "None"):
            out[k] = None
            continue
        try:
            out[k] = int(v) if k in ("peak", "demand_peak", "variables", "constraints") \
                else float(v) if k not in ("level", "horizon", "status", "method") else v
        except ValueError:
            out[k] = v
    return out


def horizon_label(token: str) -> str:
    """"promo week", "28 d", "28 d open", "28 d, weeks differ", "28 d open, weeks differ"."""
    if token == "promo":
        return "promo week"
    h = parse_horizon(token)
    return f"{h.days} d" + ("" if h.cyclic else " open") + (", weeks differ" if h.week_factors else "")


def table(rows: list[dict]) -> str:
    lines = ["| level | horizon | peak | vars / cons | build s | LP s | status | bound | value "
             "| gap | first s | roster s | total s | limit s | MB |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        horizon = horizon_label(r["horizon"])
        peak = f"{r['peak']}" + (f" (x4: {r['demand_peak']})" if r["horizon"] == "promo" else "")
        level = r["level"] + (f" ({r['method']})" if r["level"] == "plan" and r["method"] != "highs" else "")
        bound = r["lp_bound"] if r["level"] == "plan" else r["bound"]
        lines.append(
            f"| {level} | {horizon} | {peak} | {r['variables']:,} / {r['constraints']:,} | "
            f"{_fmt(r['build_s'], '{:.1f}')} | {_fmt(r['lp_s'], '{:.1f}')} | {r['status']} | {_amount(bound)} | {_amount(r['value'])} | "
            f"{_fmt(r['gap'], '{:.3%}')} | {_fmt(r['first_solution_s'], '{:.1f}')} | "
            f"{_fmt(r['first_roster_s'], '{:.1f}')} | {r['seconds']:.1f} | {r['time_limit']:g} | "
            f"{r['max_rss_mb']:.0f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--levels", default="plan,roster")
    ap.add_argument("--horizons", default="1,7,28,promo")
    ap.add_argument("--peaks", default="50,200,1000")
    ap.add_argument("--time-limit", type=float, default=None,
                    help="seconds per case (default: the issue's 10/60 s plan, 120 s roster)")
    ap.add_argument("--plan-method", choices=("highs", "cpsat", "engine"), default="highs")
    ap.add_argument("--csv", type=Path, default=None)
    ap.add_argument("--append", action="store_true", help="add rows to an existing --csv")
    ap.add_argument("--table", type=Path, default=None,
                    help="only print the Markdown table of a results CSV")
    ap.add_argument("--case", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.case:
        print(json.dumps(run_case(json.loads(args.case))))
        return
    if args.table:
        with open(args.table, newline="") as f:
            print(table([_typed(r) for r in csv.DictReader(f)]))
        return
    rows = []
    for level in args.levels.split(","):
        for horizon in args.horizons.split(","):
            for peak in (int(p) for p in args.peaks.split(",")):
                limit = args.time_limit or default_limit(level, horizon, peak)
                spec = {"level": level, "horizon": horizon, "peak": peak, "time_limit": limit,
                        "method": args.plan_method}
                row = run_in_child(spec)
                rows.append(row)
                print(f"{level} {horizon} p{peak}: {row['status']} value {row['value']} bound "
                      f"{row['bound']} gap {row['gap']} {row['seconds']} s "
                      f"{row['max_rss_mb']} MB (load {row['load_avg_1min']})", flush=True)
    if args.csv:
        existing = []
        if args.append and args.csv.exists():
            with open(args.csv, newline="") as f:
                existing = list(csv.DictReader(f))
        write_rows(args.csv, existing + rows, FIELDS)
    print(f"\nmachine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, {versions()}, 2 workers, {dt.date.today()}")
    print(table(rows))


if __name__ == "__main__":
    main()
