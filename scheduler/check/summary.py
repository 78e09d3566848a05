"""The solver's own figures against the checker's: coverage.csv slot by slot
("coverage_file_mismatch") and the totals of summary.json ("summary_mismatch")."""

from __future__ import annotations

import json
from pathlib import Path

from scheduler.check.files import COVERAGE_COLUMNS, missing_slots_message, read_slot_file
from scheduler.check.grid import Grid
from scheduler.check.report import CheckReport, Violation, fmt_moment

SUMMARY_KEYS = ("headcount", "shifts", "paid_hours", "short_agent_slots", "over_agent_slots")
SUMMARY_PAID_HOURS_TOL = 0.01


def compare_coverage_file(
    path: Path, grid: Grid, report: CheckReport, out: list[Violation]
) -> None:
    by_slot = read_slot_file(path, COVERAGE_COLUMNS, grid, out)
    if by_slot is None:
        return
    missing = [i for i in range(grid.num_slots) if i not in by_slot]
    if missing:
        out.append(
            Violation(
                "coverage_file_mismatch",
                missing_slots_message(path.name, missing, grid),
                None,
                grid.slot_time(missing[0]),
            )
        )
    for i, row in sorted(by_slot.items()):
        mine = (report.required[i], report.scheduled[i])
        theirs = (row["required"], row["scheduled"])
        if mine != theirs:
            moment = grid.slot_time(i)
            out.append(
                Violation(
                    "coverage_file_mismatch",
                    f"{path.name} at {fmt_moment(moment)}: {theirs[1]} scheduled / {theirs[0]} "
                    f"required, the checker finds {mine[1]} / {mine[0]}",
                    None,
                    moment,
                )
            )


def compare_summary(
    path: Path, report: CheckReport, num_shifts: int, out: list[Violation]
) -> None:
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        out.append(Violation("file", f"{path.name}: not readable JSON ({exc})"))
        return
    if not isinstance(summary, dict):
        out.append(Violation("file", f"{path.name}: not a JSON object"))
        return
    solved = summary.get("status") in ("optimal", "feasible")
    if solved:
        _compare_cost_and_overtime(path, summary, report, num_shifts, out)
    _compare_summary_keys(path, summary, solved, report, num_shifts, out)


def _compare_cost_and_overtime(
    path: Path, summary: dict, report: CheckReport, num_shifts: int, out: list[Violation]
) -> None:
    if isinstance(summary.get("cost"), (int, float)):
        # the solver rounds each shift's cost to hundredths
        if abs(summary["cost"] - report.cost) > 0.01 * (num_shifts + 1):
            out.append(Violation(
                "summary_mismatch",
                f"{path.name}: cost is {summary['cost']!r}, the roster gives {report.cost:.2f}"))
    if isinstance(summary.get("overtime_hours"), (int, float)):
        if abs(summary["overtime_hours"] - report.overtime_minutes / 60) > SUMMARY_PAID_HOURS_TOL:
            out.append(Violation(
                "summary_mismatch",
                f"{path.name}: overtime_hours is {summary['overtime_hours']!r}, the roster "
                f"gives {report.overtime_minutes / 60:g}"))


def _compare_summary_keys(
    path: Path, summary: dict, solved: bool, report: CheckReport, num_shifts: int,
    out: list[Violation],
) -> None:
    mine: dict[str, float] = {
        "headcount": report.headcount,
        "shifts": num_shifts,
        "paid_hours": report.paid_minutes / 60,
        "short_agent_slots": report.short_agent_slots,
        "over_agent_slots": report.over_agent_slots,
    }
    for key in SUMMARY_KEYS:
        if key not in summary:
            out.append(Violation("summary_mismatch", f"{path.name}: key {key!r} is missing"))
            continue
        theirs = summary[key]
        if theirs is None and not solved:
            continue
        tolerance = SUMMARY_PAID_HOURS_TOL if key == "paid_hours" else 0
        if (
            isinstance(theirs, bool)
            or not isinstance(theirs, (int, float))
            or abs(theirs - mine[key]) > tolerance + 1e-9
        ):
            shown = round(mine[key], 4) if key == "paid_hours" else mine[key]
            out.append(
                Violation(
                    "summary_mismatch",
                    f"{path.name}: {key} is {theirs!r}, the roster gives {shown}",
                )
            )
