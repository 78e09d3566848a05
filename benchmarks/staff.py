"""Issue 17's scale figures: a month for N named people (the bundled named_month's
generator at N people, hiring caps scaled with N; leave on 5% of person-days, two wishes
each), solved with names and without them (the same demand, shifts and rules, no staff),
then re-planned after --sick sick days.

The demand is sized to the team: its peak is PEAK_PER_PERSON x N agents, at which the
anonymous twin needs 95% of N people (475 at N = 500): the team covers the demand and the
5% of person-days on leave. With the bundled month's peak scaled instead (24 x N / 86), 500
named people faced a demand that 378 people cover, and the named roster's headcount (every
named person is employed) could not come near the twin's bound whatever the solver did.
--peak sets another peak (185 at N = 500: the twin needs 499, the team is short by its
leave).

Per run (seeds 0, 1, ...): the anonymous twin's headcount and proven headcount bound, and
its proven paid-hours bound (the twin solved again with objective paid_hours,
--bound-seconds); the named solve's headcount (named people and hires), people at work,
hires, paid hours (= cost: one money unit per paid hour, no contract pay) and seconds, with
the gaps of its headcount and paid hours to the twin's bounds; the re-plan's changed
shifts, those forced by the sickness, the others, people affected, new hires and wall
seconds. Every roster is checked by the independent checker. Prints a Markdown table with
medians and writes benchmarks/results/staff.csv.

    python benchmarks/staff.py [--people 500] [--runs 3] [--solve-seconds 120]
                               [--bound-seconds 30] [--replan-seconds 20] [--sick 10]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scenarios"))

import make_staff  # noqa: E402

from results_csv import write_rows  # noqa: E402
from scheduler.check import check_output_dir  # noqa: E402
from scheduler.cli.replan import replan_folder  # noqa: E402
from scheduler.engine.solve import solve  # noqa: E402
from scheduler.report.output import write_result  # noqa: E402
from scheduler.workload.loaded import load_scenario  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "staff.csv"
PEAK_PER_PERSON = 0.352
"""Peak agents on duty per named person: at 176 for 500 people the anonymous twin needs
475 (its bound in 60 s), 95% of the team, so that the team is what the demand needs with
its leave (5% of the person-days) covered."""


def peak_of(people: int, peak: int | None) -> int:
    return peak or max(4, round(PEAK_PER_PERSON * people))


def scenario(folder: Path, people: int, seed: int, peak: int | None = None
             ) -> tuple[Path, Path, Path]:
    """The named month at `people`, its anonymous twin (no staff, no requests, no
    hiring caps) and the twin with objective paid_hours (for the cost bound)."""
    full = round(people * make_staff.FULL / (make_staff.FULL + make_staff.PART))
    part = people - full
    peak = peak_of(people, peak)
    named = make_staff.build(folder, full, part, peak, name=f"month_{people}")
    data = yaml.safe_load(named.read_text(encoding="utf-8"))
    data["solver"].update(seed=seed)
    named.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    for key in ("staff", "requests", "variants"):
        data.pop(key, None)
    for pool in data["pools"]:
        pool.pop("max_hire", None)
    anonymous = folder / f"month_{people}_anonymous.yaml"
    anonymous.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    data["objective"] = {"kind": "paid_hours"}
    hours = folder / f"month_{people}_anonymous_hours.yaml"
    hours.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return named, anonymous, hours


def solved(path: Path, seconds: float, out: Path):
    loaded = load_scenario(path)
    t0 = time.monotonic()
    result = solve(loaded, time_limit=seconds)
    wall = time.monotonic() - t0
    if not result.feasible:
        raise SystemExit(f"{path.name}: {result.summary.status} {result.summary.message}")
    sc = loaded.scenario
    write_result(result, out, sc.horizon.start_date, sc.horizon.days, loaded)
    report = check_output_dir(out / "scenario.yaml", out)
    for v in report.violations[:5]:
        print(f"{path.name}: {v.rule}: {v.agent} {v.time} {v.message}", file=sys.stderr)
    return result, wall, len(report.violations)


def sick_days(result, count: int, first: dt.date, seed: int) -> list[tuple[str, dt.date]]:
    """`count` (person, day) pairs with a shift on or after `first`, named people only."""
    worked = sorted({(s.agent, s.day) for s in result.shifts
                     if s.day >= first and "-hire-" not in s.agent})
    return random.Random(seed).sample(worked, count)


def one_run(people: int, seed: int, args) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-staff-") as tmp:
        folder = Path(tmp)
        named, anonymous, hours = scenario(folder, people, seed, args.peak)
        anon, anon_wall, anon_bad = solved(anonymous, args.solve_seconds, folder / "anon")
        cheap, _, cheap_bad = solved(hours, args.bound_seconds, folder / "anon_hours")
        anon_bad += cheap_bad
        result, wall, bad = solved(named, args.solve_seconds, folder / "named")
        start = result.summary.days[0].date + dt.timedelta(days=args.from_day)
        sick = sick_days(result, args.sick, start, seed)
        changes = folder / "changes.csv"
        changes.write_text("kind,id,date,note\n" + "".join(
            f"sick,{agent},{day.isoformat()},benchmark\n" for agent, day in sick),
            encoding="utf-8")
        t0 = time.monotonic()
        done = replan_folder(folder / "named", changes, start.isoformat(), folder / "replan",
                             args.replan_seconds)
        if not done.result.feasible:
            raise SystemExit(f"re-plan: {done.result.summary.status} "
                             f"{done.result.summary.message}")
        sc = done.loaded.scenario
        write_result(done.result, done.target, sc.horizon.start_date, sc.horizon.days,
                     done.loaded)
        replan_wall = time.monotonic() - t0
        violations = check_output_dir(done.target / "scenario.yaml", done.target).violations
        for v in violations[:5]:
            print(f"re-plan: {v.rule}: {v.agent} {v.time} {v.message}", file=sys.stderr)
        replan_bad = len(violations)
    working = len({s.agent for s in result.shifts})
    hires = sum(h.hires for h in result.summary.hires_needed or [])
    figures = done.result.summary.replan
    bound, hours_bound = anon.summary.headcount_lower_bound, cheap.summary.objective_bound
    headcount, paid = result.summary.headcount, result.summary.paid_hours
    return {
        "people": people, "seed": seed, "peak": peak_of(people, args.peak),
        "solve_seconds": args.solve_seconds,
        "anon_headcount": anon.summary.headcount, "anon_bound": bound,
        "anon_paid_hours": anon.summary.paid_hours, "anon_wall": round(anon_wall, 1),
        "anon_paid_hours_bound": hours_bound,
        "named_headcount": headcount, "named_working": working, "named_hires": hires,
        "named_paid_hours": paid, "named_wall": round(wall, 1),
        "headcount_gap_pct": round(100 * (headcount - bound) / bound, 2),
        "paid_hours_gap_pct": round(100 * (paid - hours_bound) / hours_bound, 2),
        "requests_honoured": result.summary.requests.honoured if result.summary.requests
        else "",
        "requests_total": result.summary.requests.total if result.summary.requests else "",
        "sick_days": args.sick, "replan_seconds": args.replan_seconds,
        "changed": figures.changed_shifts, "forced": figures.forced_changes,
        "other": figures.other_changes, "people_affected": figures.people_affected,
        "new_hires": figures.new_hires, "replan_wall": round(replan_wall, 1),
        "violations": anon_bad + bad + replan_bad,
        "violations_anon_named_replan": f"{anon_bad}/{bad}/{replan_bad}",
        "load_1min": round(os.getloadavg()[0], 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=500)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--solve-seconds", type=float, default=120.0)
    ap.add_argument("--bound-seconds", type=float, default=30.0,
                    help="the paid-hours twin's limit (its LP bound comes in seconds)")
    ap.add_argument("--peak", type=int, default=None,
                    help="peak agents on duty (default PEAK_PER_PERSON x people)")
    ap.add_argument("--replan-seconds", type=float, default=20.0)
    ap.add_argument("--sick", type=int, default=10)
    ap.add_argument("--from-day", type=int, default=14,
                    help="the re-plan starts on this day of the horizon (default 14)")
    ap.add_argument("--out", "--csv", dest="out", type=Path, default=RESULTS)
    args = ap.parse_args()
    rows = []
    for seed in range(args.runs):
        row = one_run(args.people, seed, args)
        print(row, flush=True)
        rows.append(row)
        write_rows(args.out, rows)
    keys = ["anon_headcount", "anon_bound", "named_headcount", "named_hires",
            "headcount_gap_pct", "named_paid_hours", "anon_paid_hours_bound",
            "paid_hours_gap_pct", "named_wall", "changed", "forced",
            "other", "people_affected", "replan_wall"]
    print(f"\n{args.people} people, {args.runs} runs, medians "
          f"(solves {args.solve_seconds:g} s, re-plan {args.replan_seconds:g} s):\n")
    print("| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    print("| " + " | ".join(f"{statistics.median(r[k] for r in rows):g}" for k in keys)
          + " |")


if __name__ == "__main__":
    main()
