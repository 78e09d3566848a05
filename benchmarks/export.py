"""Issue 8's performance figure: writing the outputs of a large roster, no solving.

A synthetic result of AGENTS agents over DAYS days (30-minute slots, five days in seven,
two breaks a shift; see scheduler/report/synthetic.py) is written with `write_result`
(summary.json, the CSVs, roster.xlsx, report.html, activities.csv, scenario.yaml and a
calendar per agent) and rebuilt with `scheduler report`'s `rebuild` (reading the saved
files back); each is timed RUNS times and the median printed with a per-file breakdown.

    python benchmarks/export.py [--agents 1000] [--days 28] [--runs 5]
                                [--csv benchmarks/results/export.csv]

With --csv one row per step is written: its median, fastest and slowest seconds, the
size of what it wrote and a detail (sheets and charts in the workbook, rows in
activities.csv, calendar files), from which benchmarks/run_all.py renders the table in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import tempfile
import time
import zipfile
from pathlib import Path

import xlsxwriter

from scheduler.report.output import write_result
from scheduler.report import rebuild
from scheduler.report.common import ReportData
from scheduler.report.exports import write_activities
from scheduler.report.html_report import write_html
from scheduler.report.ical import write_calendars
from scheduler.report.synthetic import synthetic_result, synthetic_scenario
from scheduler.report.workbook import write_workbook

from results_csv import write_rows


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--agents", type=int, default=1000)
    ap.add_argument("--days", type=int, default=28)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--csv", type=Path, default=None, help="also write one row per step here")
    args = ap.parse_args()

    result = synthetic_result(args.agents, args.days, pools=("phone", "chat"))
    scenario = synthetic_scenario(args.days)
    start = scenario.horizon.start_date
    print(f"{args.agents} agents x {args.days} days: {len(result.shifts):,} shifts, "
          f"{len(result.breaks):,} breaks, {len(result.coverage):,} slots; "
          f"Python {platform.python_version()}, XlsxWriter {xlsxwriter.__version__}, "
          f"{platform.machine()}")
    rows: dict[str, list[float]] = {}
    sizes: dict[str, int] = {}
    details: dict[str, str] = {}
    for _ in range(args.runs):
        folder = Path(tempfile.mkdtemp(prefix="export-bench-"))
        try:
            out = folder / "out"
            rows.setdefault("write_result (all files)", []).append(
                timed(lambda: write_result(result, out, start, args.days, scenario)))
            rows.setdefault("scheduler report (rebuild)", []).append(timed(lambda: rebuild(out)))
            for p in out.iterdir():
                sizes[p.name] = (sum(f.stat().st_size for f in p.iterdir()) if p.is_dir()
                                 else p.stat().st_size)
            if not details:
                details = describe(out)
            data = ReportData(result, start, args.days, scenario)
            parts = folder / "parts"
            parts.mkdir()
            for name, fn in (
                ("roster.xlsx", lambda: write_workbook(data, parts / "roster.xlsx")),
                ("report.html", lambda: write_html(data, parts / "report.html")),
                ("activities.csv", lambda: write_activities(data, parts / "activities.csv")),
                ("calendar/", lambda: write_calendars(data, parts / "calendar")),
            ):
                rows.setdefault(f"  {name}", []).append(timed(fn))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    print("\n| step | median s | min s | max s | size |\n|---|---|---|---|---|")
    out_rows = []
    for name, values in rows.items():
        key = name.strip().rstrip("/")
        size = sizes.get(key)
        shown = f"{size / 1e6:.1f} MB" if size else ""
        print(f"| {name} | {statistics.median(values):.2f} | {min(values):.2f} | "
              f"{max(values):.2f} | {shown} |")
        step = STEPS.get(name, name.strip())
        out_rows.append({"step": step, "runs": len(values),
                         "median_s": round(statistics.median(values), 3),
                         "min_s": round(min(values), 3), "max_s": round(max(values), 3),
                         "size_mb": round(size / 1e6, 2) if size else None,
                         "detail": details.get(step, ""), "agents": args.agents,
                         "days": args.days})
    if args.csv:
        write_rows(args.csv, out_rows)


STEPS = {"write_result (all files)": "write_result", "scheduler report (rebuild)": "rebuild"}


def describe(out: Path) -> dict[str, str]:
    """What each output holds (for the table's labels): sheets and charts in the workbook,
    data rows in activities.csv, files in calendar/."""
    found = {}
    xlsx = out / "roster.xlsx"
    if xlsx.exists():
        with zipfile.ZipFile(xlsx) as z:
            names = z.namelist()
        sheets = sum(1 for n in names if n.startswith("xl/worksheets/sheet") and n.endswith(".xml"))
        charts = sum(1 for n in names if n.startswith("xl/charts/chart") and n.endswith(".xml"))
        found["roster.xlsx"] = f"{sheets} sheets, {charts} charts"
    activities = out / "activities.csv"
    if activities.exists():
        with open(activities, encoding="utf-8") as f:
            found["activities.csv"] = f"{sum(1 for _ in f) - 1:,} rows"
    calendar = out / "calendar"
    if calendar.is_dir():
        found["calendar/"] = f"{sum(1 for _ in calendar.iterdir()):,} files"
    return found


if __name__ == "__main__":
    main()
