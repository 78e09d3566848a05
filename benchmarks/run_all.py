"""Run the benchmarks with the issue's settings and regenerate the docs' benchmark tables.

    python benchmarks/run_all.py                      # everything (hours on 2 cores)
    python benchmarks/run_all.py --only peer,staffing  # a selection (--skip msd,scale too)
    python benchmarks/run_all.py --tables-only         # re-render the tables from committed CSVs
    python benchmarks/run_all.py --quick               # smoke run: small limits, temp folder
    python benchmarks/run_all.py --list                # the benchmarks and their commands

Each benchmark script runs in its own subprocess and writes its CSV into a staging folder
inside the results folder; only when it exits cleanly is the CSV moved over the previous
one (a failed or interrupted run leaves the committed figures alone). Its metadata --
machine, versions, start and end time (UTC), 1-minute load average before and after, the
exact commands -- goes into `meta.json` next to the CSVs. Then the marker blocks
(`<!-- bench:NAME -->` ... `<!-- /bench:NAME -->`, see bench_tables.py) that use the
benchmarks that ran are rendered again from the CSVs, in docs/benchmarks.md (every table)
and README.md (the headline table); the rest of each page is left as it was, and each file
is replaced atomically once both have rendered.

--quick runs every selected benchmark with small limits into a temporary results folder
(or --results DIR) and prints the tables instead of touching the pages (unless --page
is given): it checks that the scripts, the CSVs and the renderers fit together, not
speed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata as md
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
PAGES = (ROOT / "docs" / "benchmarks.md", ROOT / "README.md")
"""The pages whose marker blocks are rendered: every table, and the README's headline."""

if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from bench_tables import (  # noqa: E402
    META_FILE, TABLES, TableError, read_meta, render_block, update_pages, write_atomic,
)

SOLVERS = ("ortools", "highspy")


@dataclass(frozen=True)
class Bench:
    script: str
    csv: str
    full: tuple[tuple[str, ...], ...]
    """The issue's settings: one or more commands (later ones append to the CSV)."""
    quick: tuple[tuple[str, ...], ...]
    packages: tuple[str, ...] = SOLVERS
    about: str = ""
    extra: dict = field(default_factory=dict)
    headline: bool = True
    """Whether the README's headline table draws on it."""


BENCHMARKS: dict[str, Bench] = {
    "core_week": Bench(
        "core_week.py", "core_week.csv",
        full=(("--runs", "3", "--time-limit", "60", "--peak", "200"),),
        quick=(("--runs", "1", "--time-limit", "5", "--peak", "20"),),
        about="one cyclic week, peak 200, labour rules, 3 seeds x 60 s (about 3 min)"),
    "msd": Bench(
        "msd.py", "msd.csv",
        full=(("--sets", "DataSet1", "DataSet2", "--time-limit", "60"),),
        quick=(("--sets", "DataSet1", "--first", "2", "--time-limit", "5"),),
        about="230 DBAI Minimum Shift Design instances x up to 60 s (about 45 min)"),
    "peer": Bench(
        "peer_pyworkforce.py", "peer.csv",
        full=(("--peaks", "50", "200", "--time-limit", "30", "--runs", "3"),),
        quick=(("--peaks", "20", "--time-limit", "3", "--runs", "1"),),
        packages=SOLVERS + ("pyworkforce",),
        about="pyworkforce 0.5.1 against ours, peaks 50 and 200, 3 runs x 30 s (about 12 min)"),
    "scale": Bench(
        "scale.py", "scale.csv",
        full=(
            ("--levels", "plan", "--horizons", "1,7,28,promo", "--peaks", "50,200,1000"),
            ("--levels", "plan", "--plan-method", "cpsat", "--horizons", "7,28",
             "--peaks", "50,200", "--append"),
            ("--levels", "roster", "--horizons", "1,1o,7", "--peaks", "50,200,1000", "--append"),
            ("--levels", "roster", "--horizons", "28,28o", "--peaks", "50,200,1000", "--append"),
            ("--levels", "roster", "--horizons", "promo", "--peaks", "200", "--append"),
            ("--levels", "first", "--horizons", "7,28,28o,promo", "--peaks", "200", "--append"),
            ("--levels", "roster", "--horizons", "28v,28vo", "--peaks", "50,200,1000",
             "--append"),
            ("--levels", "first", "--horizons", "28v,28vo", "--peaks", "200", "--append"),
            ("--levels", "roster", "--horizons", "28", "--peaks", "2000", "--append"),
            ("--levels", "roster", "--horizons", "91,91o", "--peaks", "200", "--append"),
        ),
        quick=(("--levels", "plan", "--horizons", "1", "--peaks", "50", "--time-limit", "3"),),
        about="horizon x peak grid, plan, roster and first-roster levels, months whose weeks "
              "differ, peak 2,000 and a 13-week quarter (about 75 min)"),
    "promotion": Bench(
        "promotion.py", "promotion.csv",
        full=(("--runs", "3", "--time-limit", "120", "--peak", "1000"),),
        quick=(("--runs", "1", "--time-limit", "20", "--peak", "100"),),
        about="Double 11 fortnight at peak 1,000, three pools, 3 seeds x 120 s (about 6 min)"),
    "first_roster": Bench(
        "first_roster.py", "first_roster.csv",
        full=(("--limits", "5,10,60", "--runs", "3"),),
        quick=(("--cases", "tiny,scale_1o_p50", "--limits", "5", "--runs", "1",
                "--note", "smoke run"),),
        about="`scheduler solve` as a subprocess: 23 cases x limits 5, 10 and 60 s x 3 runs, "
              "time to the first roster, gap, wall time against the limit (about 100 min)"),
    "export": Bench(
        "export.py", "export.csv",
        full=(("--runs", "5", "--agents", "1000", "--days", "28"),),
        quick=(("--runs", "1", "--agents", "20", "--days", "7"),),
        packages=("XlsxWriter",),
        about="outputs of 1,000 agents x 28 days, 5 runs (about 2 min)"),
    "output_model": Bench(
        "output_model.py", "output_model.csv",
        full=(("--runs", "3", "--agents", "20,50,100,300,500,1000,1500,3000,6000",
               "--days", "7,28"),),
        quick=(("--runs", "1", "--agents", "20,50,100", "--days", "7"),),
        packages=("XlsxWriter", "numpy"),
        about="output_seconds' measurements: synthetic rosters of 20-6,000 agents x 1 and "
              "4 weeks written 3 times each, CPU per process (about 5 min)",
        headline=False),
    "staffing": Bench(
        "staffing.py", "staffing.csv",
        full=(("--runs", "7", "--peak-scale", "1", "100"),),
        quick=(("--runs", "1", "--peak-scale", "1"),),
        packages=("numpy", "scipy"),
        about="Erlang A/C staffing of 4 weeks x 3 channels, 7 runs (seconds)"),
    "skills": Bench(
        "skills.py", "skills.csv",
        full=(("--parts", "cross", "--days", "7", "--time-limit", "60", "--repeats", "3"),
              ("--parts", "scale", "--peak", "500", "--scale-limit", "120", "--repeats", "3",
               "--append")),
        quick=(("--parts", "cross", "--days", "7", "--time-limit", "10", "--sim-runs", "2"),),
        packages=SOLVERS + ("numpy",),
        headline=False,
        about="issue 16: cross-training (dedicated, chained, all) on the Double 11 skills "
              "week, 3 x 60 s each, and the staffing loop on 4 weeks x 6 queues at peak 500, "
              "3 x 120 s (about 10 min)"),
    "curtois": Bench(
        "curtois.py", "curtois.csv",
        full=(("--instances", "Instance1", "Instance2", "Instance4", "Instance5", "Instance6",
               "Instance7", "Instance8", "Instance10", "Instance12", "--time-limit", "60",
               "--save-rosters", "benchmarks/results/curtois"),
              ("--instances", "Instance13", "Instance15", "Instance16", "Instance18",
               "Instance19", "--time-limit", "300", "--save-rosters",
               "benchmarks/results/curtois", "--append"),
              ("--instances", "Instance21", "Instance22", "Instance23", "Instance24",
               "--time-limit", "600", "--append")),
        quick=(("--instances", "Instance1", "Instance2", "--time-limit", "5"),),
        headline=False,
        about="issue 17: Curtois and Qu (2014) rostering instances, 1-12 x 60 s, 13-19 x "
              "300 s, 21-24 x 600 s (about 75 min)"),
    "forecast": Bench(
        "forecast.py", "forecast.csv",
        full=((),),
        quick=(("--quick", "--no-timing"),),
        packages=("numpy", "statsmodels"),
        headline=False,
        about="issue 18: forecast accuracy on the US bank's 2003 and the Israeli bank's "
              "1999 calls (rolling origins, tune and test periods), forecast and backtest "
              "speed on a synthetic year (about 15 min)"),
    "staff": Bench(
        "staff.py", "staff.csv",
        full=(("--people", "500", "--runs", "3"),),
        quick=(("--people", "40", "--runs", "1", "--peak", "11", "--solve-seconds", "10",
                "--bound-seconds", "5", "--replan-seconds", "15"),),
        packages=SOLVERS,
        headline=False,
        about="issue 17: a month for 500 named people (the demand sized to them) solved "
              "with and without names, the paid-hours bound without names, re-planned "
              "after 10 sick days, 3 runs (about 17 min)"),
    "patterns": Bench(
        "patterns.py", "patterns.csv",
        full=(("--runs", "3", "--time-limit", "60"),),
        quick=(("--runs", "1", "--time-limit", "10"),),
        packages=SOLVERS,
        headline=False,
        about="issue 17: the named month with and without its pattern rules (livable), "
              "3 runs x 60 s each (about 7 min)"),
    "web": Bench(
        "web.py", "web.csv",
        full=(("--repeat", "20", "--solve-seconds", "30", "--agents", "1000", "--days", "28"),),
        quick=(("--repeat", "2", "--solve-seconds", "3", "--agents", "20", "--days", "7"),),
        packages=("starlette", "uvicorn", "playwright"),
        headline=False,
        about="issue 19: pages of `scheduler serve` idle and while a solve runs, and the "
              "result page of 1,000 agents x 28 days over HTTP and in Chromium (about 3 min)"),
}


def versions(packages: tuple[str, ...]) -> dict[str, str]:
    found = {"Python": platform.python_version()}
    for name in packages:
        try:
            found[name] = md.version(name)
        except md.PackageNotFoundError:
            found[name] = "not installed"
    return found


def shown_command(bench: Bench, args: tuple[str, ...], csv_path: Path) -> str:
    """The command as a reader would type it from the project root."""
    try:
        shown_csv = csv_path.resolve().relative_to(ROOT)
    except ValueError:
        shown_csv = csv_path
    return shlex.join(["python", f"benchmarks/{bench.script}", *args, "--csv", str(shown_csv)])


def run_benchmark(name: str, bench: Bench, results: Path, quick: bool, echo: bool
                  ) -> tuple[bool, dict, str]:
    """Run one benchmark's commands in subprocesses; on success move its CSV into
    `results`. Returns (ok, metadata, last lines of output)."""
    staging = Path(tempfile.mkdtemp(prefix=f".run-{name}-", dir=results))
    target = results / bench.csv
    staged = staging / bench.csv
    env = {**os.environ,
           "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH"))
                                         if p)}
    commands = bench.quick if quick else bench.full
    started = dt.datetime.now(dt.timezone.utc)
    load_before = os.getloadavg()[0]
    tail: deque[str] = deque(maxlen=40)
    ok = True
    try:
        for args in commands:
            argv = [sys.executable, str(HERE / bench.script), *args, "--csv", str(staged)]
            proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, text=True, bufsize=1)
            assert proc.stdout is not None
            for line in proc.stdout:
                tail.append(line.rstrip("\n"))
                if echo:
                    print(f"[{name}] {line}", end="", flush=True)
            if proc.wait() != 0:
                tail.append(f"exit status {proc.returncode}")
                ok = False
                break
        if ok and not staged.exists():
            tail.append(f"{bench.script} exited cleanly but wrote no {bench.csv}")
            ok = False
        if ok:
            os.replace(staged, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    finished = dt.datetime.now(dt.timezone.utc)
    load_after = os.getloadavg()[0]
    lo, hi = (f"{v:.1f}" for v in sorted((load_before, load_after)))
    until = "" if f"{finished:%H:%M}" == f"{started:%H:%M}" else f"-{finished:%H:%M}"
    meta = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "versions": versions(bench.packages),
        "date": f"{started:%Y-%m-%d %H:%M}{until} UTC",
        "load_avg_1min": lo if lo == hi else f"{lo}-{hi}",
        "seconds": round((finished - started).total_seconds(), 1),
        "commands": [shown_command(bench, args, target) for args in commands],
    }
    if quick:
        meta["note"] = "quick smoke run: small limits, figures not comparable"
    return ok, meta, "\n".join(tail)


def write_meta(results: Path, updates: dict[str, dict]) -> None:
    meta = read_meta(results)
    meta.update(updates)
    write_atomic(results / META_FILE,
                 json.dumps(dict(sorted(meta.items())), indent=2, ensure_ascii=False) + "\n")


def _names(values: list[str] | None) -> list[str]:
    out = []
    for v in values or []:
        out += [n.strip() for n in v.split(",") if n.strip()]
    unknown = [n for n in out if n not in BENCHMARKS]
    if unknown:
        raise SystemExit(f"run_all: unknown benchmark(s) {', '.join(unknown)} "
                         f"(known: {', '.join(BENCHMARKS)})")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", action="append", metavar="NAMES",
                    help="comma-separated benchmarks to run (default: all)")
    ap.add_argument("--skip", action="append", metavar="NAMES",
                    help="comma-separated benchmarks to leave out")
    ap.add_argument("--quick", action="store_true",
                    help="smoke run with small limits into a temporary results folder")
    ap.add_argument("--tables-only", action="store_true",
                    help="run nothing: re-render the pages' tables from the results CSVs")
    ap.add_argument("--results", type=Path, default=None,
                    help="results folder (default benchmarks/results; --quick: a temp folder)")
    ap.add_argument("--page", type=Path, action="append", default=None,
                    help="page whose tables to update, repeatable (default docs/benchmarks.md "
                         "and README.md; --quick: none, tables printed)")
    ap.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    ap.add_argument("--quiet", action="store_true", help="do not echo the scripts' output")
    args = ap.parse_args(argv)

    only, skip = _names(args.only), _names(args.skip)
    selected = [n for n in BENCHMARKS if (not only or n in only) and n not in skip]
    if args.list:
        for name, bench in BENCHMARKS.items():
            print(f"{name}: {bench.about}")
            for a in bench.full:
                print(f"    {shown_command(bench, a, RESULTS / bench.csv)}")
        return 0

    if args.results is not None:
        results = args.results
    elif args.quick and not args.tables_only:
        results = Path(tempfile.mkdtemp(prefix="bench-quick-"))
    else:
        results = RESULTS
    pages = args.page or ([] if args.quick else list(PAGES))

    ran: list[str] = []
    failed: list[str] = []
    if not args.tables_only:
        results.mkdir(parents=True, exist_ok=True)
        print(f"results folder: {results}", flush=True)
        for name in selected:
            bench = BENCHMARKS[name]
            print(f"== {name}: {bench.about}", flush=True)
            t0 = time.monotonic()
            ok, meta, tail = run_benchmark(name, bench, results, args.quick, not args.quiet)
            if ok:
                write_meta(results, {name: meta})
                ran.append(name)
                print(f"== {name}: done in {time.monotonic() - t0:.0f} s -> "
                      f"{results / bench.csv}", flush=True)
            else:
                failed.append(name)
                print(f"== {name}: FAILED after {time.monotonic() - t0:.0f} s; "
                      f"{results / bench.csv} left as it was. Last output:\n{tail}",
                      file=sys.stderr, flush=True)
        tables_for = set(ran)
    else:
        tables_for = set(selected)

    try:
        if pages:
            rendered = (update_pages(pages, results, tables_for) if tables_for
                        else {page: [] for page in pages})
            for page, done in rendered.items():
                print(f"{page}: {len(done)} table(s) rendered"
                      + (f" ({', '.join(done)})" if done else ""))
        else:
            for name, table in TABLES.items():
                if set(table.benchmarks) <= tables_for:
                    print(f"\n<!-- bench:{name} -->\n{render_block(name, results)}\n"
                          f"<!-- /bench:{name} -->")
    except TableError as exc:
        print(f"run_all: {exc}", file=sys.stderr)
        return 2
    if failed:
        print(f"run_all: failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
