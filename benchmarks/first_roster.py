"""Issue 15's "first roster" benchmark: how soon `scheduler solve` gives a roster, how good
it is at short limits, and whether the time limit is held.

For each case, each limit (--limits, default 5, 10 and 60 s) and each run (--runs,
default 3; run i uses seed i), the real command line runs as a subprocess:

    python -m scheduler solve CASE.yaml --time-limit L --out TMP -q --seed RUN

(`sys.executable -m scheduler`, so the interpreter's start and the imports count), and one
CSV row records:

* wall_s -- wall time around the subprocess (start to exit: interpreter start, loading,
  solving and writing every output file); over_limit_s = wall_s - limit;
* exit_code and roster (summary.json and shifts.csv written); message: the last line the
  command printed on stderr when it failed;
* from summary.json (scheduler.models.result.Summary): status, objective, headcount,
  headcount_lower_bound, headcount_gap, objective_value, objective_bound, solve_seconds
  and first_roster_seconds (seconds from the solve's start to its first roster; blank
  while the engine does not write it); gap is headcount_gap for the headcount objective,
  cost_gap for cost, else (objective_value - objective_bound) / objective_value;
* checked -- whether `python -m scheduler check CASE.yaml TMP` exits 0 (blank without a
  roster; not timed);
* max_rss_mb -- the solve subprocess's peak resident memory (the rusage os.wait4 returns
  for that child, which also covers processes it started and waited for);
* load_avg_1min before the run and load_avg_1min_after it (os.getloadavg), and a note
  (--note, e.g. "smoke run").

The table (`table`, rendered into docs/benchmarks.md by bench_tables.py) gives per case
and limit the medians of the runs, the worst overrun of the limit and the checker's count.

Cases (names stable; --cases takes names or shell patterns such as 'scale_28*'):

* the bundled scenarios/*.yaml: tiny, normal_week, workload_week, double11, 618;
* the scale grid's roster cases (benchmarks/scale.py make_case, level "first": labour
  rules, headcount objective): ``scale_H_pP`` for horizons 1, 1o, 7, 28 (cyclic) and 28o
  (open) at peaks 50, 200 and 1000, and the month whose weeks differ, ``scale_28v_p200``;
* ``promotion_p1000`` -- benchmarks/promotion.py's case: the Double 11 fortnight (1-14 Nov
  2026, from scenarios/double11.yaml) with three pools, least cost, scaled to peak 1,000;
* ``double11_fortnight`` -- the same fortnight and three pools at the bundled scenario's own
  scale (promotion.make with peak None).

    python benchmarks/first_roster.py [--cases tiny,scale_28*] [--limits 5,10,60]
        [--runs 3] [--csv benchmarks/results/first_roster.csv] [--note TEXT] [--list]
    python benchmarks/first_roster.py --table benchmarks/results/first_roster.csv
"""

from __future__ import annotations

import argparse
import csv
import fnmatch
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable, NamedTuple

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LIMITS = (5.0, 10.0, 60.0)
BUNDLED = ("tiny", "normal_week", "workload_week", "double11", "618", "double11_forecast",
           "double11_skills", "named_month")
GRID = tuple((h, p) for h in ("1", "1o", "7", "28", "28o") for p in (50, 200, 1000)) \
    + (("28v", 200),)
FIELDS = [
    "case", "limit_s", "run", "seed", "wall_s", "over_limit_s", "exit_code", "roster",
    "status", "objective", "headcount", "headcount_lower_bound", "headcount_gap",
    "objective_value", "objective_bound", "gap", "first_roster_seconds", "solve_seconds",
    "checked", "max_rss_mb", "load_avg_1min", "load_avg_1min_after", "message", "note",
]
CHECK_TIMEOUT_S = 600.0

if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))  # scale.py and promotion.py import their siblings


# ---------------------------------------------------------------- cases

def _bundled(name: str) -> Callable[[Path], Path]:
    return lambda folder: ROOT / "scenarios" / f"{name}.yaml"


def _grid(horizon: str, peak: int) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        import scale

        return scale.make_case(folder, "first", horizon, peak, max(LIMITS))
    return build


def _promotion(peak: int | None) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        import promotion

        return promotion.make(folder, peak, max(LIMITS), seed=0)
    return build


def cases() -> dict[str, Callable[[Path], Path]]:
    """Every case: name -> a function that writes its scenario into a folder (bundled
    scenarios are used where they are) and returns the YAML's path."""
    out: dict[str, Callable[[Path], Path]] = {name: _bundled(name) for name in BUNDLED}
    out.update({f"scale_{h}_p{p}": _grid(h, p) for h, p in GRID})
    out["promotion_p1000"] = _promotion(1000)
    out["double11_fortnight"] = _promotion(None)
    return out


def select(patterns: str | None) -> list[str]:
    """The case names matching comma-separated names or shell patterns, in CASES order."""
    known = list(cases())
    if not patterns:
        return known
    wanted = [p.strip() for p in patterns.split(",") if p.strip()]
    unknown = [p for p in wanted if not fnmatch.filter(known, p)]
    if unknown:
        raise SystemExit(f"first_roster: unknown case(s) {', '.join(unknown)} "
                         f"(known: {', '.join(known)})")
    return [n for n in known if any(fnmatch.fnmatchcase(n, p) for p in wanted)]


# ---------------------------------------------------------------- one run

class Measured(NamedTuple):
    exit_code: int
    wall_s: float
    max_rss_mb: float
    stderr: str
    killed: bool


def run_measured(argv: list[str], timeout_s: float, env: dict | None = None) -> Measured:
    """Run `argv`, timing it from start to exit, and take that child's own rusage from
    os.wait4 (peak resident memory); kill it after `timeout_s`."""
    with tempfile.TemporaryFile() as err:
        t0 = time.monotonic()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=err, env=env, cwd=ROOT)
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            proc.kill()

        timer = threading.Timer(timeout_s, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.monotonic() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        err.seek(0)
        text = err.read()[-4000:].decode("utf-8", errors="replace")
    return Measured(proc.returncode, wall, usage.ru_maxrss / 1024, text, killed.is_set())


def _env() -> dict:
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "PYTHONPATH": path}


def _gap(s: dict) -> float | None:
    if s.get("objective") == "headcount" and s.get("headcount_gap") is not None:
        return s["headcount_gap"]
    if s.get("objective") == "cost" and s.get("cost_gap") is not None:
        return s["cost_gap"]
    value, bound = s.get("objective_value"), s.get("objective_bound")
    if value and bound is not None:
        return round(max(0.0, value - bound) / abs(value), 6)
    return None


def _last_line(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return lines[-1][:300] if lines else ""


def run_once(case: str, scenario: Path, limit: float, run: int, out: Path,
             note: str = "") -> dict:
    """One `scheduler solve` of `scenario` at `limit` (seed `run`), its check, one row."""
    env = _env()
    load = os.getloadavg()[0]
    m = run_measured([sys.executable, "-m", "scheduler", "solve", str(scenario),
                      "--time-limit", f"{limit:g}", "--out", str(out), "-q",
                      "--seed", str(run)], limit * 3 + 120, env)
    row: dict = {f: None for f in FIELDS}
    row.update(case=case, limit_s=limit, run=run, seed=run, wall_s=round(m.wall_s, 2),
               over_limit_s=round(m.wall_s - limit, 2), exit_code=m.exit_code,
               max_rss_mb=round(m.max_rss_mb, 1), load_avg_1min=round(load, 2), note=note)
    if m.killed:
        row["message"] = f"killed after {limit * 3 + 120:g} s"
    elif m.exit_code != 0:
        row["message"] = _last_line(m.stderr)
    summary_path = out / "summary.json"
    row["roster"] = summary_path.exists() and (out / "shifts.csv").exists()
    if summary_path.exists():
        s = json.loads(summary_path.read_text(encoding="utf-8"))
        for key in ("status", "objective", "headcount", "headcount_lower_bound",
                    "headcount_gap", "objective_value", "objective_bound", "solve_seconds",
                    "first_roster_seconds"):
            row[key] = s.get(key)
        row["gap"] = _gap(s)
    if row["roster"]:
        check = subprocess.run([sys.executable, "-m", "scheduler", "check", str(scenario),
                                str(out)], capture_output=True, text=True, env=env, cwd=ROOT,
                               timeout=CHECK_TIMEOUT_S)
        row["checked"] = check.returncode == 0
        if not row["checked"] and not row["message"]:
            row["message"] = "check: " + _last_line(check.stdout + check.stderr)
    row["load_avg_1min_after"] = round(os.getloadavg()[0], 2)
    return row


# ---------------------------------------------------------------- the table

def _num(value) -> float | None:
    if value is None or value in ("", "None"):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _yes(value) -> bool:
    return str(value) == "True"


def _median(values) -> float | None:
    vs = [v for v in (_num(x) for x in values) if v is not None]
    return statistics.median(vs) if vs else None


def _f(value: float | None, spec: str) -> str:
    return "-" if value is None else spec.format(value)


def _amount(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _counts(values) -> str:
    """"0" when all equal, else "0 x2, 1"."""
    seen: dict[str, int] = {}
    for v in values:
        seen[str(v)] = seen.get(str(v), 0) + 1
    if len(seen) == 1:
        return next(iter(seen))
    return ", ".join(f"{k} x{n}" if n > 1 else k for k, n in seen.items())


def groups(rows: list[dict]) -> list[tuple[tuple[str, float], list[dict]]]:
    """Rows grouped by (case, limit), cases in first-seen order, limits ascending."""
    found: dict[tuple[str, float], list[dict]] = {}
    for r in rows:
        found.setdefault((r["case"], _num(r["limit_s"])), []).append(r)
    order = {case: i for i, case in reversed(list(enumerate(r["case"] for r in rows)))}
    return sorted(found.items(), key=lambda kv: (order[kv[0][0]], kv[0][1]))


def summarise(group: list[dict]) -> dict:
    """Medians over a (case, limit)'s runs; value and bound are headcounts for the
    headcount objective, else the objective's value and bound."""
    with_roster = [r for r in group if _yes(r["roster"])]

    def med(col, among=with_roster):
        return _median(r.get(col) for r in among)

    head = all(r.get("objective") == "headcount" for r in with_roster)
    overs = [v for v in (_num(r["over_limit_s"]) for r in group) if v is not None]
    return {
        "runs": len(group), "rosters": len(with_roster),
        "first_roster_s": med("first_roster_seconds"),
        "value": med("headcount" if head else "objective_value"),
        "bound": med("headcount_lower_bound" if head else "objective_bound"),
        "objective": _counts(r.get("objective") for r in with_roster) if with_roster else "",
        "gap": med("gap"), "wall_s": med("wall_s", group),
        "over_median_s": _median(overs), "over_worst_s": max(overs) if overs else None,
        "checked": sum(1 for r in with_roster if _yes(r.get("checked"))),
        "exit": _counts(r["exit_code"] for r in group),
        "max_rss_mb": med("max_rss_mb", group),
        "load": max((v for v in (_num(r.get("load_avg_1min")) for r in group)
                     if v is not None), default=None),
    }


HEADER = ["case", "limit s", "runs with a roster", "first roster s", "objective",
          "value (bound)", "gap", "wall s", "over the limit s (worst)", "checker", "exit",
          "MB", "load"]


def table(rows: list[dict]) -> str:
    """One Markdown row per (case, limit): medians of its runs (see summarise)."""
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for (case, limit), group in groups(rows):
        s = summarise(group)
        value = _amount(s["value"])
        if s["bound"] is not None:
            value += f" ({_amount(s['bound'])})"
        over = _f(s["over_median_s"], "{:+.1f}")
        if s["over_worst_s"] is not None and s["runs"] > 1:
            over += f" ({s['over_worst_s']:+.1f})"
        checker = f"{s['checked']}/{s['rosters']} clean" if s["rosters"] else "-"
        cells = [case, f"{limit:g}", f"{s['rosters']}/{s['runs']}",
                 _f(s["first_roster_s"], "{:.1f}"), s["objective"] or "-",
                 value if s["rosters"] else "-", _f(s["gap"], "{:.2%}"),
                 _f(s["wall_s"], "{:.1f}"), over, checker, s["exit"],
                 _f(s["max_rss_mb"], "{:.0f}"), _f(s["load"], "{:.1f}")]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def progress_line(row: dict) -> str:
    """One run in a line, as it finishes."""
    head = row["objective"] == "headcount"
    value = row["headcount"] if head else row["objective_value"]
    bound = row["headcount_lower_bound"] if head else row["objective_bound"]
    found = f"roster {value} (bound {bound}, gap {row['gap']})" if row["roster"] else "no roster"
    return (f"{row['case']} {row['limit_s']:g} s run {row['run']}: exit {row['exit_code']}, "
            f"{found}, first roster {row['first_roster_seconds']} s, wall {row['wall_s']} s "
            f"({row['over_limit_s']:+} s), checked {row['checked']}, {row['max_rss_mb']} MB, "
            f"load {row['load_avg_1min']}" + (f": {row['message']}" if row["message"] else ""))


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


# ---------------------------------------------------------------- main

def _limits(text: str) -> list[float]:
    limits = [float(v) for v in text.split(",") if v.strip()]
    if not limits or any(v <= 0 for v in limits):
        raise SystemExit("first_roster: --limits wants seconds > 0, e.g. 5,10,60")
    return limits


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", default=None, help="comma-separated names or patterns "
                    "(default: every case; --list shows them)")
    ap.add_argument("--limits", default=",".join(f"{v:g}" for v in LIMITS),
                    help="comma-separated time limits in seconds (default 5,10,60)")
    ap.add_argument("--runs", type=int, default=3, help="runs per case and limit (seeds 0..)")
    ap.add_argument("--csv", type=Path, default=None, help="write the rows here (atomically)")
    ap.add_argument("--note", default="", help="text for every row's note column")
    ap.add_argument("--table", type=Path, default=None,
                    help="only print the Markdown table of a results CSV")
    ap.add_argument("--list", action="store_true", help="list the case names and exit")
    args = ap.parse_args(argv)
    if args.list:
        print("\n".join(cases()))
        return 0
    if args.table:
        print(table(read_csv(args.table)))
        return 0
    names, limits = select(args.cases), _limits(args.limits)
    if args.runs < 1:
        raise SystemExit("first_roster: --runs must be at least 1")
    from results_csv import write_rows

    builders = cases()
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="first-roster-") as tmp:
        for name in names:
            folder = Path(tmp) / name
            folder.mkdir()
            scenario = builders[name](folder)
            for limit in limits:
                for run in range(args.runs):
                    out = folder / f"out-{limit:g}-{run}"
                    row = run_once(name, scenario, limit, run, out, args.note)
                    shutil.rmtree(out, ignore_errors=True)
                    rows.append(row)
                    print(progress_line(row), flush=True)
                    if args.csv:
                        write_rows(args.csv, rows, FIELDS)
    print()
    print(table([{k: ("" if v is None else str(v)) for k, v in r.items()} for r in rows]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
