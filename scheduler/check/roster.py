"""The roster as typed records: one ShiftRecord per shifts row, one BreakRecord per breaks
row, in minutes from the horizon start. A row with a bad value becomes a "file" violation
and is left out; the checks then fill in each shift's type, day and breaks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from scheduler import models
from scheduler.check.files import (
    BREAK_COLUMNS,
    SHIFT_COLUMNS,
    parse_int,
    parse_row,
    parse_text,
    row_place,
)
from scheduler.check.grid import Grid
from scheduler.check.report import Violation, fmt_moment


@dataclass
class BreakRecord:
    agent: str
    start: datetime
    end: datetime
    paid: bool
    where: str
    s: int
    e: int

    @property
    def duration(self) -> int:
        return self.e - self.s


@dataclass
class ShiftRecord:
    agent: str
    type_name: str
    start: datetime
    end: datetime
    paid: int
    where: str
    s: int
    e: int
    stype: models.ShiftType | None = None
    day: int = 0
    """Shift day index from the horizon start (cyclic: normalised into 0..days-1)."""
    ns: int = 0
    """Start in minutes, moved by whole horizons so that its day lies in the horizon."""
    breaks: list[tuple[BreakRecord, int]] = field(default_factory=list)
    """The breaks inside this shift with their offset from the shift start."""
    pool: str = ""
    overtime: int = 0
    """Overtime minutes (part of `paid`)."""

    @property
    def contract(self) -> int:
        """Paid minutes without overtime: what the shift type and weekly limits see."""
        return self.paid - self.overtime

    @property
    def ne(self) -> int:
        return self.ns + (self.e - self.s)

    @property
    def label(self) -> str:
        return (
            f"{self.agent}'s {self.type_name!r} shift {fmt_moment(self.start)} to "
            f"{fmt_moment(self.end)}"
        )


def build_shifts(rows: list[dict], grid: Grid, out: list[Violation]) -> list[ShiftRecord]:
    shifts = []
    for index, row in enumerate(rows):
        where = row_place(row, "shifts", index)
        try:
            v = parse_row(row, SHIFT_COLUMNS, grid)
        except ValueError as exc:
            out.append(Violation("file", f"{where}: {exc}"))
            continue
        try:
            pool = parse_text(row["pool"]) if str(row.get("pool") or "").strip() else ""
            raw = row.get("overtime_minutes")
            overtime = parse_int(raw) if str(raw if raw is not None else "").strip() else 0
        except ValueError as exc:
            out.append(Violation("file", f"{where}: column pool/overtime_minutes: {exc}"))
            continue
        if overtime < 0 or overtime > v["paid_minutes"]:
            out.append(Violation("file", f"{where}: overtime_minutes {overtime} is not between "
                                         f"0 and paid_minutes"))
            continue
        shifts.append(
            ShiftRecord(
                v["agent"], v["shift_type"], v["start"], v["end"], v["paid_minutes"], where,
                grid.minute(v["start"]), grid.minute(v["end"]), pool=pool, overtime=overtime,
            )
        )
    return shifts


def build_breaks(rows: list[dict], grid: Grid, out: list[Violation]) -> list[BreakRecord]:
    breaks = []
    for index, row in enumerate(rows):
        where = row_place(row, "breaks", index)
        try:
            v = parse_row(row, BREAK_COLUMNS, grid)
        except ValueError as exc:
            out.append(Violation("file", f"{where}: {exc}"))
            continue
        breaks.append(
            BreakRecord(
                v["agent"], v["start"], v["end"], v["paid"], where,
                grid.minute(v["start"]), grid.minute(v["end"]),
            )
        )
    return breaks
