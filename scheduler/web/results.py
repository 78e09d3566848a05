"""A finished run's outputs as the page shows them: KPIs from summary.json, the roster
from shifts.csv a page at a time, CSV tables (staffing.csv, comparison.csv), the files to
download and the calendars as one zip."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROWS_PER_PAGE = 50
DOWNLOADS = ("roster.xlsx", "report.html", "shifts.csv", "breaks.csv", "coverage.csv",
             "activities.csv", "summary.json", "scenario.yaml", "staffing.csv",
             "comparison.csv", "comparison.xlsx", "forecast.html", "forecast.csv",
             "forecast_intervals.csv", "simulation.csv")
KPI_LABELS = {
    "status": "Status", "headcount": "Headcount", "headcount_lower_bound": "Lower bound",
    "headcount_gap": "Gap to the bound", "paid_hours": "Paid hours", "shifts": "Shifts",
    "short_agent_slots": "Short agent-slots", "over_agent_slots": "Over agent-slots",
    "cost": "Cost", "cost_gap": "Cost above its bound", "overtime_hours": "Overtime hours",
    "solve_seconds": "Solve seconds",
}
"""summary.json keys shown as KPI cards, in this order, when present and not null."""


@dataclass
class Page:
    header: list[str]
    rows: list[list[str]]
    page: int
    pages: int
    total: int


def summary(folder: Path) -> dict | None:
    try:
        return json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def kpis(data: dict) -> list[tuple[str, str, object]]:
    """(key, English label, value) of each KPI present."""
    return [(k, name, data[k]) for k, name in KPI_LABELS.items() if data.get(k) is not None]


def table_page(path: Path, page: int = 1, per_page: int = ROWS_PER_PAGE,
               strip: str | None = None) -> Page | None:
    """One page of a CSV file's rows (pages from 1; a page past the end shows the last);
    `strip`: a folder path taken out of the cells (the server's own paths)."""
    try:
        f = open(path, newline="", encoding="utf-8")
    except OSError:
        return None
    with f:
        reader = csv.reader(f)
        header = next(reader, [])
        rows = list(reader)
    pages = max(1, -(-len(rows) // per_page))
    page = min(max(1, page), pages)
    start = (page - 1) * per_page
    shown = rows[start:start + per_page]
    if strip:
        shown = [[c.replace(strip, "") for c in row] for row in shown]
    return Page(header, shown, page, pages, len(rows))


def downloads(folder: Path) -> list[str]:
    """The output files present, in a fixed order."""
    return [name for name in DOWNLOADS if (folder / name).is_file()]


def calendars(folder: Path) -> int:
    cal = folder / "calendar"
    return len(list(cal.glob("*.ics"))) if cal.is_dir() else 0


def calendars_zip(folder: Path) -> bytes:
    """Every calendar/<agent>.ics in one zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted((folder / "calendar").glob("*.ics")):
            z.write(path, f"calendar/{path.name}")
    return buffer.getvalue()


def parts(out: Path) -> list[str]:
    """The folders under a run's output folder that hold a roster (summary.json): '' for
    a solve, one per scenario and variant for a comparison."""
    if not out.is_dir():
        return []
    found = sorted(p.parent.relative_to(out).as_posix() for p in out.rglob("summary.json")
                   if not any(s.startswith(".") for s in p.relative_to(out).parts))
    return ["" if f == "." else f for f in found]


def comparison(out: Path) -> Path | None:
    found = sorted(out.rglob("comparison.csv")) if out.is_dir() else []
    return found[0] if found else None
