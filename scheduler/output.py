"""Writing results: summary.json, shifts.csv, breaks.csv, coverage.csv, roster.xlsx.

Every file is first written to a temporary folder beside the output folder and moved
into place only when all of them are complete, so a failed or interrupted run never
leaves a half-written file and keeps the earlier results."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
import tempfile
from pathlib import Path

import xlsxwriter

from models import Result

ISO = "%Y-%m-%dT%H:%M"
FILES = ("summary.json", "shifts.csv", "breaks.csv", "coverage.csv", "roster.xlsx")


def _iso(value: dt.datetime) -> str:
    return value.strftime(ISO)


SERVICE_COLUMNS = ("agents", "service_level", "asa_seconds", "occupancy", "abandon_rate",
                   "meets_goal")


def _blank(value) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def write_summary(result: Result, path: Path) -> None:
    data = result.summary.model_dump(mode="json")
    data["short_slots"] = [_iso(t) for t in result.summary.short_slots]
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_csvs(result: Result, folder: Path) -> None:
    with open(folder / "shifts.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["agent", "shift_type", "start", "end", "paid_minutes", "day", "pool",
                    "overtime_minutes"])
        for r in result.shifts:
            day = r.day.isoformat() if r.day else ""
            w.writerow([r.agent, r.shift_type, _iso(r.start), _iso(r.end), r.paid_minutes, day,
                        r.pool or "", r.overtime_minutes])
    with open(folder / "breaks.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["agent", "start", "end", "paid"])
        for b in result.breaks:
            w.writerow([b.agent, _iso(b.start), _iso(b.end), "true" if b.paid else "false"])
    with open(folder / "coverage.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        # workload scenarios append, per channel, the service the roster achieves
        names = [ch.channel for ch in result.coverage[0].channels] if result.coverage else []
        w.writerow(["start", "required", "scheduled"]
                   + [f"{n}_{k}" for n in names for k in SERVICE_COLUMNS])
        for c in result.coverage:
            w.writerow([_iso(c.start), c.required, c.scheduled]
                       + [_blank(getattr(ch, k)) for ch in c.channels for k in SERVICE_COLUMNS])


def write_workbook(result: Result, path: Path, start_date: dt.date, days: int) -> None:
    wb = xlsxwriter.Workbook(str(path))
    bold = wb.add_format({"bold": True})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    cell = wb.add_format({"border": 1, "align": "center"})

    grid = wb.add_worksheet("Roster")
    dates = [start_date + dt.timedelta(days=i) for i in range(days)]
    lead_in = any((r.day or r.start.date()) < start_date for r in result.shifts)
    if lead_in:
        dates = [start_date - dt.timedelta(days=1)] + dates
    col_of = {d: i + 1 for i, d in enumerate(dates)}
    grid.write(0, 0, "agent", head)
    for d, c in col_of.items():
        grid.write(0, c, d.strftime("%a %m-%d"), head)
    grid.write(0, len(dates) + 1, "paid hours", head)
    agents = sorted({r.agent for r in result.shifts})
    row_of = {a: i + 1 for i, a in enumerate(agents)}
    paid: dict[str, int] = {}
    for a, r in row_of.items():
        grid.write(r, 0, a, bold)
    for s in result.shifts:
        label = f"{s.start:%H:%M}-{s.end:%H:%M}"
        grid.write(row_of[s.agent], col_of[s.day or s.start.date()], label, cell)
        paid[s.agent] = paid.get(s.agent, 0) + s.paid_minutes
    for a, r in row_of.items():
        grid.write_number(r, len(dates) + 1, round(paid.get(a, 0) / 60, 2))
    grid.freeze_panes(1, 1)
    grid.set_column(0, 0, 8)
    grid.set_column(1, len(dates), 12)

    cov = wb.add_worksheet("Coverage")
    cov.write_row(0, 0, ["start", "required", "scheduled", "short", "over"], head)
    for i, c in enumerate(result.coverage, start=1):
        cov.write_string(i, 0, _iso(c.start))
        cov.write_row(i, 1, [c.required, c.scheduled, max(0, c.required - c.scheduled),
                             max(0, c.scheduled - c.required)])
    names = [ch.channel for ch in result.coverage[0].channels] if result.coverage else []
    if names:  # workload scenarios: the service each channel achieves, as in coverage.csv
        cov.write_row(0, 5, [f"{n}_{k}" for n in names for k in SERVICE_COLUMNS], head)
        for i, c in enumerate(result.coverage, start=1):
            cov.write_row(i, 5, [_blank(getattr(ch, k)) for ch in c.channels
                                 for k in SERVICE_COLUMNS])
    cov.freeze_panes(1, 0)
    cov.set_column(0, 0, 18)

    summ = wb.add_worksheet("Summary")
    data = result.summary.model_dump(mode="json")
    data["short_slots"] = len(result.summary.short_slots)
    if data.get("service"):  # per channel and day figures are in summary.json
        data["service"] = {"share_meeting_goal": data["service"]["share_meeting_goal"]}
    row = 0
    for key, value in data.items():
        if isinstance(value, dict):
            for k2, v2 in value.items():
                summ.write_string(row, 0, f"{key}.{k2}", bold)
                summ.write(row, 1, v2 if isinstance(v2, (int, float, str)) else str(v2))
                row += 1
            continue
        summ.write_string(row, 0, key, bold)
        summ.write(row, 1, value if isinstance(value, (int, float, str)) or value is None else str(value))
        row += 1
    summ.set_column(0, 0, 32)
    summ.set_column(1, 1, 40)

    # Long-format sheets: what `scheduler check` reads back, also after edits in Excel.
    sh = wb.add_worksheet("Shifts")
    sh.write_row(0, 0, ["agent", "shift_type", "start", "end", "paid_minutes", "day"], head)
    for i, r in enumerate(result.shifts, start=1):
        sh.write_row(i, 0, [r.agent, r.shift_type, _iso(r.start), _iso(r.end), r.paid_minutes,
                            r.day.isoformat() if r.day else ""])
    sh.freeze_panes(1, 0)
    sh.set_column(0, 5, 17)
    br = wb.add_worksheet("Breaks")
    br.write_row(0, 0, ["agent", "start", "end", "paid"], head)
    for i, b in enumerate(result.breaks, start=1):
        br.write_row(i, 0, [b.agent, _iso(b.start), _iso(b.end), "true" if b.paid else "false"])
    br.freeze_panes(1, 0)
    br.set_column(0, 3, 17)
    wb.close()


def write_result(result: Result, out_dir: Path, start_date: dt.date, days: int) -> list[Path]:
    """Write every output file atomically into out_dir; return their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=out_dir))
    try:
        write_summary(result, tmp / "summary.json")
        write_csvs(result, tmp)
        write_workbook(result, tmp / "roster.xlsx", start_date, days)
        written = []
        for name in FILES:
            target = out_dir / name
            os.replace(tmp / name, target)
            written.append(target)
        return written
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
