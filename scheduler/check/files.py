"""Reading roster files: shifts.csv and breaks.csv, the Shifts and Breaks sheets of a
roster.xlsx, and per-slot CSVs (demand, coverage) keyed by slot. A file that cannot be
read at all raises CheckFileError; a bad value in a row is the caller's "file" violation,
named by file and line (`row_place`) and by column (`parse_row`)."""

from __future__ import annotations

import csv
import numbers
import re
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from scheduler.check.grid import Grid
from scheduler.check.report import CheckFileError, Violation, fmt_moment

SHIFT_COLUMNS = ("agent", "shift_type", "start", "end", "paid_minutes")
BREAK_COLUMNS = ("agent", "start", "end", "paid")
COVERAGE_COLUMNS = ("start", "required", "scheduled")
DEMAND_COLUMNS = ("start", "required")

_DATETIME_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_INTEGER = re.compile(r"^[+-]?\d+$")


# --------------------------------------------------------------------------- values


def parse_datetime(value: Any, time_zone: str) -> datetime:
    """A naive local datetime on a whole minute; an aware one is moved into `time_zone`."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        text = value.strip()
        if not _DATETIME_PREFIX.match(text):
            raise ValueError(f"{value!r} is not a datetime YYYY-MM-DDTHH:MM")
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{value!r} is not a datetime YYYY-MM-DDTHH:MM") from None
    else:
        raise ValueError(f"{value!r} is not a datetime YYYY-MM-DDTHH:MM")
    if moment.tzinfo is not None:
        moment = moment.astimezone(ZoneInfo(time_zone)).replace(tzinfo=None)
    if moment.second or moment.microsecond:
        raise ValueError(f"{value!r} is not a whole minute")
    return moment


def parse_int(value: Any) -> int:
    """An integer from a string of digits or an integral number (numpy ints included)."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not an integer")
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, str) and _INTEGER.match(value.strip()):
        return int(value.strip())
    raise ValueError(f"{value!r} is not an integer")


def parse_bool(value: Any) -> bool:
    """true/false in any case (numpy booleans print as True/False)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "false"):
        return text == "true"
    raise ValueError(f"{value!r} is not true/false")


def parse_text(value: Any) -> str:
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{value!r} is empty")
    return value.strip()


_PARSERS = {
    "agent": lambda value, grid: parse_text(value),
    "shift_type": lambda value, grid: parse_text(value),
    "start": lambda value, grid: parse_datetime(value, grid.time_zone),
    "end": lambda value, grid: parse_datetime(value, grid.time_zone),
    "paid_minutes": lambda value, grid: parse_int(value),
    "paid": lambda value, grid: parse_bool(value),
    "required": lambda value, grid: parse_int(value),
    "scheduled": lambda value, grid: parse_int(value),
}


def parse_row(row: dict, columns: tuple[str, ...], grid: Grid) -> dict[str, Any]:
    """Typed values of `columns`; ValueError naming the first bad column."""
    values = {}
    for column in columns:
        if row.get(column) is None:
            raise ValueError(f"column {column} has no value")
        try:
            values[column] = _PARSERS[column](row[column], grid)
        except ValueError as exc:
            raise ValueError(f"column {column}: {exc}") from None
    return values


def row_place(row: dict, kind: str, index: int) -> str:
    """Where a row came from: its file and line, else its place in the list given."""
    if "_file" in row and "_line" in row:
        return f"{row['_file']} line {row['_line']}"
    return f"{kind} row {index + 1}"


# --------------------------------------------------------------------------- CSV files


def read_csv_rows(path: Path, columns: tuple[str, ...]) -> list[dict]:
    """Rows as dicts of strings plus `_file` and `_line`; CheckFileError if unusable."""
    path = Path(path)
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise CheckFileError(f"{path.name}: cannot be read ({exc.strerror or exc})") from None
    rows: list[dict] = []
    with handle:
        try:
            reader = csv.DictReader(handle)
            header = [name.strip() for name in (reader.fieldnames or [])]
            missing = [c for c in columns if c not in header]
            if missing:
                raise CheckFileError(
                    f"{path.name} line 1: missing column(s) {', '.join(missing)} "
                    f"(expected {','.join(columns)})"
                )
            reader.fieldnames = header
            for row in reader:
                record = {k: v for k, v in row.items() if k is not None}
                record["_file"] = path.name
                record["_line"] = reader.line_num
                rows.append(record)
        except (csv.Error, UnicodeDecodeError) as exc:
            raise CheckFileError(f"{path.name}: not a readable CSV file ({exc})") from None
    return rows


def read_shifts_csv(path: Path) -> list[dict]:
    """Rows of shifts.csv (values as strings, plus `_file`/`_line`).

    Raises CheckFileError if the file is missing or lacks a contract column; bad values
    in a row are reported by :func:`check_roster` as "file" violations."""
    return read_csv_rows(path, SHIFT_COLUMNS)


def read_breaks_csv(path: Path) -> list[dict]:
    """Rows of breaks.csv, like :func:`read_shifts_csv`."""
    return read_csv_rows(path, BREAK_COLUMNS)


def read_slot_file(
    path: Path, columns: tuple[str, ...], grid: Grid, out: list[Violation]
) -> dict[int, dict[str, int]] | None:
    """Rows of a per-slot CSV keyed by slot index; None if the file is unusable."""
    try:
        rows = read_csv_rows(path, columns)
    except CheckFileError as exc:
        out.append(Violation("file", str(exc)))
        return None
    by_slot: dict[int, dict[str, int]] = {}
    for row in rows:
        where = row_place(row, path.name, 0)
        try:
            values = parse_row(row, columns, grid)
        except ValueError as exc:
            out.append(Violation("file", f"{where}: {exc}"))
            continue
        start = values.pop("start")
        minute = grid.minute(start)
        if minute % grid.slot or not 0 <= minute < grid.length:
            out.append(
                Violation(
                    "file",
                    f"{where}: {fmt_moment(start)} is not the start of a slot of the horizon",
                )
            )
            continue
        if any(v < 0 for v in values.values()):
            out.append(Violation("file", f"{where}: negative value"))
            continue
        index = minute // grid.slot
        if index in by_slot:
            out.append(
                Violation("file", f"{where}: a second row for the slot {fmt_moment(start)}")
            )
            continue
        by_slot[index] = values
    return by_slot


def missing_slots_message(name: str, missing: list[int], grid: Grid) -> str:
    return (
        f"{name}: {len(missing)} slot(s) of the horizon have no row "
        f"(first {fmt_moment(grid.slot_time(missing[0]))})"
    )


# --------------------------------------------------------------------------- workbook


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def read_workbook(path: Path) -> tuple[list[dict], list[dict]]:
    """The Shifts and Breaks sheets of a roster.xlsx (possibly edited in Excel), as rows
    like :func:`read_shifts_csv` gives; CheckFileError if unusable."""
    from openpyxl import load_workbook

    path = Path(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise CheckFileError(f"{path.name}: not a readable workbook ({exc})") from None
    out = []
    for sheet, columns in (("Shifts", SHIFT_COLUMNS), ("Breaks", BREAK_COLUMNS)):
        if sheet not in book.sheetnames:
            raise CheckFileError(f"{path.name}: no sheet {sheet!r}")
        rows = book[sheet].iter_rows(values_only=True)
        header = [_cell_text(h).strip() for h in next(rows, ())]
        missing = [c for c in columns if c not in header]
        if missing:
            raise CheckFileError(
                f"{path.name} sheet {sheet} row 1: missing column(s) {', '.join(missing)}"
            )
        records = []
        for number, row in enumerate(rows, start=2):
            if row is None or all(v is None for v in row):
                continue
            record = {h: _cell_text(v) for h, v in zip(header, row) if h}
            record["_file"] = f"{path.name} sheet {sheet}"
            record["_line"] = number
            records.append(record)
        out.append(records)
    book.close()
    return out[0], out[1]
