"""Independent roster checker.

This module re-derives everything it needs from the scenario (slot grid, requirement per
slot, allowed shift starts, applicable breaks, labour rules) and checks a roster against
it. It deliberately shares no code with the solver: it imports only the standard
library, ``yaml`` and ``models`` (the pydantic schema, the contract).

All minute arithmetic is done in integers, in minutes from the horizon start (00:00 local
on ``horizon.start_date``). Datetimes are naive local times; the time zone is a label.

Entry points: :func:`check_roster` (rows as dicts), :func:`check_output_dir` (a solver
output directory), :func:`load_scenario_for_check` (YAML + rule/solver presets).
"""

from __future__ import annotations

import csv
import json
import numbers
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from scheduler import models

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DAY = 1440
HOURS_TOL = 1e-6
MINUTES_TOL = HOURS_TOL * 60
SUMMARY_PAID_HOURS_TOL = 0.01

SHIFT_COLUMNS = ("agent", "shift_type", "start", "end", "paid_minutes")
BREAK_COLUMNS = ("agent", "start", "end", "paid")
COVERAGE_COLUMNS = ("start", "required", "scheduled")
DEMAND_COLUMNS = ("start", "required")
SUMMARY_KEYS = ("headcount", "shifts", "paid_hours", "short_agent_slots", "over_agent_slots")

_PRESET_NAME = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*$")
_DATETIME_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_INTEGER = re.compile(r"^[+-]?\d+$")


# --------------------------------------------------------------------------- public types


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str
    agent: str | None = None
    time: datetime | None = None


@dataclass
class CheckReport:
    violations: list[Violation]
    headcount: int
    paid_minutes: int
    short_agent_slots: int
    over_agent_slots: int
    required: list[int]
    scheduled: list[int]
    cost: float = 0.0
    """What the roster costs: shifts at their pool's or type's rate with overtime
    premiums, standing agents' idle contract hours, hiring, cost per agent."""
    overtime_minutes: int = 0

    @property
    def ok(self) -> bool:
        return not self.violations

    def by_rule(self, rule: str) -> list[Violation]:
        return [v for v in self.violations if v.rule == rule]


class CheckFileError(ValueError):
    """A CSV file cannot be read at all (missing, unreadable, or missing columns)."""


# --------------------------------------------------------------------------- formatting


def _fmt(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def _fmt_hours(value: float) -> str:
    return f"{value:g} h"


def _fmt_minutes_as_hours(minutes: float) -> str:
    return _fmt_hours(round(minutes / 60, 4))


# --------------------------------------------------------------------------- scenario loading


def _load_preset(kind: str, name: Any) -> dict:
    if not isinstance(name, str) or not _PRESET_NAME.match(name):
        raise ValueError(f"{kind} preset name {name!r} is not a plain file name")
    path = PROJECT_ROOT / "configs" / kind / f"{name}.yaml"
    if not path.is_file():
        raise ValueError(f"unknown {kind} preset {name!r}: {path} does not exist")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path} does not hold a mapping")
    return data


def _merge_preset(section: Any, key: str, kind: str) -> Any:
    """Preset keys first, the scenario's own keys override them; `key` itself is kept."""
    if not isinstance(section, dict) or section.get(key) is None:
        return section
    merged = dict(_load_preset(kind, section[key]))
    merged.pop(key, None)
    merged.update(section)
    return merged


def load_scenario_for_check(path: Path) -> models.Scenario:
    """Read a scenario YAML file, merge rule/solver presets and validate it."""
    path = Path(path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a scenario file must hold a mapping")
    data = dict(data)
    if "rules" in data:
        data["rules"] = _merge_preset(data["rules"], "preset", "rules")
    if "solver" in data:
        data["solver"] = _merge_preset(data["solver"], "profile", "solver")
    return models.Scenario.model_validate(data)


# --------------------------------------------------------------------------- slot grid


@dataclass(frozen=True)
class _Grid:
    t0: datetime
    days: int
    slot: int
    cyclic: bool
    time_zone: str

    @classmethod
    def of(cls, scenario: models.Scenario) -> _Grid:
        h = scenario.horizon
        return cls(
            t0=datetime.combine(h.start_date, time(0, 0)),
            days=h.days,
            slot=h.slot_minutes,
            cyclic=h.cyclic,
            time_zone=h.time_zone,
        )

    @property
    def length(self) -> int:
        return self.days * DAY

    @property
    def num_slots(self) -> int:
        return self.length // self.slot

    def minute(self, moment: datetime) -> int:
        return (moment - self.t0) // timedelta(minutes=1)

    def at(self, minute: int) -> datetime:
        return self.t0 + timedelta(minutes=minute)

    def day_start(self, day: int) -> datetime:
        return self.at(day * DAY)

    def slot_time(self, index: int) -> datetime:
        return self.at(index * self.slot)

    def slots_within(self, start: int, end: int) -> list[int]:
        """Slots of the horizon wholly inside [start, end) (wrapped when cyclic)."""
        first = -(-start // self.slot)
        last = end // self.slot  # exclusive
        return self._on_grid(range(first, last))

    def slots_touching(self, start: int, end: int) -> list[int]:
        """Slots of the horizon overlapping [start, end) (wrapped when cyclic)."""
        first = start // self.slot
        last = -(-end // self.slot)  # exclusive
        return self._on_grid(range(first, last))

    def _on_grid(self, indices: range) -> list[int]:
        n = self.num_slots
        if self.cyclic:
            return [i % n for i in indices]
        return [i for i in indices if 0 <= i < n]


# --------------------------------------------------------------------------- value parsing


def _parse_datetime(value: Any, time_zone: str) -> datetime:
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


def _parse_int(value: Any) -> int:
    """An integer from a string of digits or an integral number (numpy ints included)."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not an integer")
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, str) and _INTEGER.match(value.strip()):
        return int(value.strip())
    raise ValueError(f"{value!r} is not an integer")


def _parse_bool(value: Any) -> bool:
    """true/false in any case (numpy booleans print as True/False)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "false"):
        return text == "true"
    raise ValueError(f"{value!r} is not true/false")


def _parse_text(value: Any) -> str:
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{value!r} is empty")
    return value.strip()


# --------------------------------------------------------------------------- CSV reading


def _read_csv(path: Path, columns: tuple[str, ...]) -> list[dict]:
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
    return _read_csv(path, SHIFT_COLUMNS)


def read_breaks_csv(path: Path) -> list[dict]:
    """Rows of breaks.csv, like :func:`read_shifts_csv`."""
    return _read_csv(path, BREAK_COLUMNS)


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


def _where(row: dict, kind: str, index: int) -> str:
    if "_file" in row and "_line" in row:
        return f"{row['_file']} line {row['_line']}"
    return f"{kind} row {index + 1}"


# --------------------------------------------------------------------------- roster records


@dataclass
class _Break:
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
class _Shift:
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
    breaks: list[tuple[_Break, int]] = field(default_factory=list)
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
            f"{self.agent}'s {self.type_name!r} shift {_fmt(self.start)} to {_fmt(self.end)}"
        )


_PARSERS = {
    "agent": lambda value, grid: _parse_text(value),
    "shift_type": lambda value, grid: _parse_text(value),
    "start": lambda value, grid: _parse_datetime(value, grid.time_zone),
    "end": lambda value, grid: _parse_datetime(value, grid.time_zone),
    "paid_minutes": lambda value, grid: _parse_int(value),
    "paid": lambda value, grid: _parse_bool(value),
    "required": lambda value, grid: _parse_int(value),
    "scheduled": lambda value, grid: _parse_int(value),
}


def _parse_row(row: dict, columns: tuple[str, ...], grid: _Grid) -> dict[str, Any]:
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


def _build_shifts(rows: list[dict], grid: _Grid, out: list[Violation]) -> list[_Shift]:
    shifts = []
    for index, row in enumerate(rows):
        where = _where(row, "shifts", index)
        try:
            v = _parse_row(row, SHIFT_COLUMNS, grid)
        except ValueError as exc:
            out.append(Violation("file", f"{where}: {exc}"))
            continue
        try:
            pool = _parse_text(row["pool"]) if str(row.get("pool") or "").strip() else ""
            raw = row.get("overtime_minutes")
            overtime = _parse_int(raw) if str(raw if raw is not None else "").strip() else 0
        except ValueError as exc:
            out.append(Violation("file", f"{where}: column pool/overtime_minutes: {exc}"))
            continue
        if overtime < 0 or overtime > v["paid_minutes"]:
            out.append(Violation("file", f"{where}: overtime_minutes {overtime} is not between "
                                         f"0 and paid_minutes"))
            continue
        shifts.append(
            _Shift(
                v["agent"], v["shift_type"], v["start"], v["end"], v["paid_minutes"], where,
                grid.minute(v["start"]), grid.minute(v["end"]), pool=pool, overtime=overtime,
            )
        )
    return shifts


def _build_breaks(rows: list[dict], grid: _Grid, out: list[Violation]) -> list[_Break]:
    breaks = []
    for index, row in enumerate(rows):
        where = _where(row, "breaks", index)
        try:
            v = _parse_row(row, BREAK_COLUMNS, grid)
        except ValueError as exc:
            out.append(Violation("file", f"{where}: {exc}"))
            continue
        breaks.append(
            _Break(
                v["agent"], v["start"], v["end"], v["paid"], where,
                grid.minute(v["start"]), grid.minute(v["end"]),
            )
        )
    return breaks


# --------------------------------------------------------------------------- requirement


def _read_slot_file(
    path: Path, columns: tuple[str, ...], grid: _Grid, out: list[Violation]
) -> dict[int, dict[str, int]] | None:
    """Rows of a per-slot CSV keyed by slot index; None if the file is unusable."""
    try:
        rows = _read_csv(path, columns)
    except CheckFileError as exc:
        out.append(Violation("file", str(exc)))
        return None
    by_slot: dict[int, dict[str, int]] = {}
    for row in rows:
        where = _where(row, path.name, 0)
        try:
            values = _parse_row(row, columns, grid)
        except ValueError as exc:
            out.append(Violation("file", f"{where}: {exc}"))
            continue
        start = values.pop("start")
        minute = grid.minute(start)
        if minute % grid.slot or not 0 <= minute < grid.length:
            out.append(
                Violation(
                    "file", f"{where}: {_fmt(start)} is not the start of a slot of the horizon"
                )
            )
            continue
        if any(v < 0 for v in values.values()):
            out.append(Violation("file", f"{where}: negative value"))
            continue
        index = minute // grid.slot
        if index in by_slot:
            out.append(Violation("file", f"{where}: a second row for the slot {_fmt(start)}"))
            continue
        by_slot[index] = values
    return by_slot


def _missing_slots_message(name: str, missing: list[int], grid: _Grid) -> str:
    return (
        f"{name}: {len(missing)} slot(s) of the horizon have no row "
        f"(first {_fmt(grid.slot_time(missing[0]))})"
    )


def _requirement(
    scenario: models.Scenario, scenario_dir: Path, grid: _Grid, out: list[Violation]
) -> list[int]:
    n = grid.num_slots
    demand = scenario.demand
    values = [0] * n
    if demand is None:
        pass
    elif demand.required is not None:
        if len(demand.required) != n:
            out.append(
                Violation(
                    "file",
                    f"demand.required has {len(demand.required)} values, the horizon has {n} slots",
                )
            )
        for i, value in enumerate(demand.required[:n]):
            values[i] = value
    elif demand.file is not None:
        path = Path(scenario_dir) / demand.file
        by_slot = _read_slot_file(path, DEMAND_COLUMNS, grid, out)
        if by_slot is not None:
            missing = [i for i in range(n) if i not in by_slot]
            if missing:
                out.append(Violation("file", _missing_slots_message(path.name, missing, grid)))
            for i, row in by_slot.items():
                values[i] = row["required"]
    if scenario.events:
        values = [_with_events(scenario, grid, i, v) for i, v in enumerate(values)]
    if scenario.channels:
        values = [v + c for v, c in zip(values, _channel_requirement(scenario, scenario_dir, out))]
    return [max(v, demand.floor if demand is not None else 0) for v in values]


def _channel_requirement(
    scenario: models.Scenario, scenario_dir: Path, out: list[Violation]
) -> list[int]:
    """Agents the workload channels need per slot. The queueing formulas are not the
    solver's model: they live in scheduler/workload/staffing.py and scheduler/workload/erlang.py (checked
    against published figures and a simulation in the tests), so the checker takes the
    per-slot figures from there rather than keeping a second copy of them."""
    from scheduler.errors import SchedulerError
    from scheduler.workload.staffing import channel_requirement

    try:
        return channel_requirement(scenario, Path(scenario_dir))
    except SchedulerError as exc:
        out.append(Violation("file", str(exc)))
        return [0] * scenario.horizon.num_slots


def _with_events(scenario: models.Scenario, grid: _Grid, index: int, value: int) -> int:
    """The slot's baseline requirement times every event's day and peak factors, rounded
    up to whole agents."""
    if value == 0:
        return 0
    moment = grid.slot_time(index)
    factor = 1.0
    for event in scenario.events:
        if event.channels is not None:
            continue  # those multiply channel volumes (in the channel requirement)
        if event.start_date <= moment.date() <= event.end_date:
            m = event.multiplier
            factor *= m[(moment.date() - event.start_date).days] if isinstance(m, list) else m
        for peak in event.peaks:
            base = datetime.combine(peak.date, time(0, 0))
            lo = base + timedelta(minutes=_hhmm_minutes(peak.start))
            hi = base + timedelta(minutes=_hhmm_minutes(peak.end))
            slot_end = moment + timedelta(minutes=grid.slot)
            if moment < hi and slot_end > lo:
                factor *= peak.multiplier
    exact = value * factor
    whole = int(exact)
    return whole if exact - whole <= 1e-9 else whole + 1


def _hhmm_minutes(text: str) -> int:
    hours, minutes = text.strip().split(":")
    return int(hours) * 60 + int(minutes)


# --------------------------------------------------------------------------- shift types and days


def _check_shift_types(
    shifts: list[_Shift], scenario: models.Scenario, out: list[Violation]
) -> None:
    types = {t.name: t for t in scenario.shift_types}
    for sh in shifts:
        sh.stype = types.get(sh.type_name)
        if sh.stype is None:
            out.append(
                Violation(
                    "shift_type",
                    f"{sh.where}: {sh.label}: unknown shift type {sh.type_name!r} "
                    f"(known: {', '.join(types)})",
                    sh.agent,
                    sh.start,
                )
            )


def _start_allowed(stype: models.ShiftType, slot: int, offset: int) -> bool:
    first = -(-stype.earliest_start_minute // slot) * slot
    step = stype.start_step_minutes or slot
    return first <= offset <= stype.latest_start_minute and (offset - first) % step == 0


def _candidate_days(sh: _Shift, grid: _Grid) -> list[int]:
    """Days d (latest first) for which the start is an allowed offset from d 00:00."""
    if sh.stype is None:
        return []
    own = sh.s // DAY
    return [d for d in (own, own - 1) if _start_allowed(sh.stype, grid.slot, sh.s - d * DAY)]


def _day_in_horizon(day: int, sh: _Shift, grid: _Grid) -> bool:
    if grid.cyclic:
        return True
    if day == -1:
        return sh.e > 0  # a lead-in shift must reach into the horizon
    return 0 <= day < grid.days


def _assign_days(shifts: list[_Shift], grid: _Grid, out: list[Violation]) -> None:
    """Give every shift its day; "shift_start" where no allowed start matches.

    A start can match two days only when a start window is longer than 24 h; then the
    latest day not yet used by the agent is taken. Shifts without a valid day keep the
    date of their start for the labour rules."""
    by_agent: dict[str, list[_Shift]] = defaultdict(list)
    for sh in shifts:
        by_agent[sh.agent].append(sh)
    for agent_shifts in by_agent.values():
        candidates = {id(sh): _candidate_days(sh, grid) for sh in agent_shifts}
        used: set[int] = set()
        for sh in sorted(agent_shifts, key=lambda x: (len(candidates[id(x)]), x.s)):
            days = candidates[id(sh)]
            inside = [d for d in days if _day_in_horizon(d, sh, grid)]
            if sh.stype is not None and not days:
                out.append(
                    Violation(
                        "shift_start",
                        f"{sh.where}: {sh.label}: {_fmt(sh.start)} is not an allowed start of "
                        f"{sh.type_name!r} (window {sh.stype.earliest_start}-"
                        f"{sh.stype.latest_start}, every "
                        f"{sh.stype.start_step_minutes or grid.slot} min)",
                        sh.agent,
                        sh.start,
                    )
                )
            elif days and not inside:
                out.append(
                    Violation(
                        "shift_start",
                        f"{sh.where}: {sh.label}: its day {grid.day_start(days[0]).date()} "
                        "is outside the horizon",
                        sh.agent,
                        sh.start,
                    )
                )
            if inside:
                free = [d for d in inside if _day_key(d, grid) not in used]
                day = (free or inside)[0]
            else:
                day = days[0] if days else sh.s // DAY
            _set_day(sh, day, grid)
            used.add(sh.day)


def _day_key(day: int, grid: _Grid) -> int:
    return day % grid.days if grid.cyclic else day


def _set_day(sh: _Shift, day: int, grid: _Grid) -> None:
    if grid.cyclic:
        wraps = day // grid.days
        sh.day = day % grid.days
        sh.ns = sh.s - wraps * grid.length
    else:
        sh.day = day
        sh.ns = sh.s


# --------------------------------------------------------------------------- shift length


def _applicable_breaks(stype: models.ShiftType, paid_minutes: int) -> list[models.Break]:
    return [b for b in stype.breaks if paid_minutes >= b.min_shift_hours * 60 - MINUTES_TOL]


def _check_shift_length(sh: _Shift, out: list[Violation]) -> None:
    if sh.stype is None:
        return
    allowed = [h * 60 for h in sh.stype.paid_hours]
    if not any(abs(sh.contract - a) <= MINUTES_TOL for a in allowed):
        extra = f" ({sh.overtime} min of them overtime)" if sh.overtime else ""
        out.append(
            Violation(
                "shift_length",
                f"{sh.where}: {sh.label} is paid {sh.paid} min{extra}; {sh.type_name!r} allows "
                f"{', '.join(_fmt_hours(h) for h in sh.stype.paid_hours)}",
                sh.agent,
                sh.start,
            )
        )
    unpaid = sum(b.duration_minutes for b in _applicable_breaks(sh.stype, sh.contract) if not b.paid)
    if sh.e - sh.s != sh.paid + unpaid:
        out.append(
            Violation(
                "shift_length",
                f"{sh.where}: {sh.label} lasts {sh.e - sh.s} min, expected {sh.paid + unpaid} "
                f"({sh.paid} min paid + {unpaid} min unpaid breaks)",
                sh.agent,
                sh.start,
            )
        )


# --------------------------------------------------------------------------- breaks


def _offset_in_shift(br: _Break, sh: _Shift, grid: _Grid) -> int | None:
    """Minutes from the shift start to the break start if the shift contains the break."""
    offset = br.s - sh.s
    if grid.cyclic:
        offset %= grid.length
    if offset >= 0 and br.e > br.s and offset + br.duration <= sh.e - sh.s:
        return offset
    return None


def _assign_breaks(
    shifts: list[_Shift], breaks: list[_Break], grid: _Grid, out: list[Violation]
) -> None:
    by_agent: dict[str, list[_Shift]] = defaultdict(list)
    for sh in sorted(shifts, key=lambda x: x.ns):
        by_agent[sh.agent].append(sh)
    for br in breaks:
        for sh in by_agent.get(br.agent, []):
            offset = _offset_in_shift(br, sh, grid)
            if offset is not None:
                sh.breaks.append((br, offset))
                break
        else:
            out.append(
                Violation(
                    "break_window",
                    f"{br.where}: {br.agent}'s break {_fmt(br.start)} to {_fmt(br.end)} "
                    "is not inside any shift of theirs",
                    br.agent,
                    br.start,
                )
            )


def _match_breaks(
    specs: list[models.Break], actual: list[tuple[_Break, int]]
) -> list[tuple[int, int]]:
    """Pairs (spec index, actual index): most pairs of equal duration, then most in their
    window, then most with the right paid flag."""

    def score(j: int, i: int) -> int:
        spec, (br, offset) = specs[j], actual[i]
        if br.duration != spec.duration_minutes:
            return 0
        in_window = spec.earliest_start_minutes <= offset <= spec.latest_start_minutes
        return 10_000 + 100 * in_window + (br.paid == spec.paid)

    if len(actual) > 12:  # not a plausible roster; a greedy match is good enough
        pairs, used = [], set()
        for j in range(len(specs)):
            options = [(score(j, i), i) for i in range(len(actual)) if i not in used]
            best = max(options, default=(0, -1))
            if best[0]:
                pairs.append((j, best[1]))
                used.add(best[1])
        return pairs

    @lru_cache(maxsize=None)
    def best(j: int, mask: int) -> tuple[int, tuple[tuple[int, int], ...]]:
        if j == len(specs):
            return 0, ()
        result = best(j + 1, mask)
        for i in range(len(actual)):
            weight = score(j, i)
            if weight and not mask & (1 << i):
                sub, pairs = best(j + 1, mask | (1 << i))
                if sub + weight > result[0]:
                    result = (sub + weight, ((j, i), *pairs))
        return result

    return list(best(0, 0)[1])


def _check_shift_breaks(sh: _Shift, out: list[Violation]) -> None:
    _check_break_overlap(sh, out)
    if sh.stype is None:
        return
    specs = _applicable_breaks(sh.stype, sh.contract)
    pairs = _match_breaks(specs, sh.breaks)
    matched_specs = {j for j, _ in pairs}
    matched_actual = {i for _, i in pairs}
    for j, spec in enumerate(specs):
        if j not in matched_specs:
            out.append(
                Violation(
                    "break_missing",
                    f"{sh.where}: {sh.label} has no {spec.name!r} break "
                    f"({spec.duration_minutes} min)",
                    sh.agent,
                    sh.start,
                )
            )
    for i, (br, _) in enumerate(sh.breaks):
        if i not in matched_actual:
            out.append(
                Violation(
                    "break_missing",
                    f"{br.where}: {sh.label} has an extra {br.duration}-min break "
                    f"{_fmt(br.start)} to {_fmt(br.end)}",
                    sh.agent,
                    br.start,
                )
            )
    for j, i in pairs:
        _check_break_window(sh, specs[j], *sh.breaks[i], out)
        _check_break_paid(sh, specs[j], sh.breaks[i][0], out)


def _check_break_window(
    sh: _Shift, spec: models.Break, br: _Break, offset: int, out: list[Violation]
) -> None:
    if not spec.earliest_start_minutes <= offset <= spec.latest_start_minutes:
        out.append(
            Violation(
                "break_window",
                f"{br.where}: {spec.name!r} break of {sh.label} starts {offset} min after the "
                f"shift start ({_fmt(br.start)}); allowed {spec.earliest_start_minutes}-"
                f"{spec.latest_start_minutes} min",
                sh.agent,
                br.start,
            )
        )


def _check_break_paid(sh: _Shift, spec: models.Break, br: _Break, out: list[Violation]) -> None:
    if br.paid != spec.paid:
        out.append(
            Violation(
                "break_paid",
                f"{br.where}: {spec.name!r} break of {sh.label} at {_fmt(br.start)} is marked "
                f"{'paid' if br.paid else 'unpaid'}, the shift type says "
                f"{'paid' if spec.paid else 'unpaid'}",
                sh.agent,
                br.start,
            )
        )


def _check_break_overlap(sh: _Shift, out: list[Violation]) -> None:
    ordered = sorted(sh.breaks, key=lambda item: item[1])
    for (prev, prev_off), (nxt, nxt_off) in zip(ordered, ordered[1:]):
        if nxt_off < prev_off + prev.duration:
            out.append(
                Violation(
                    "break_overlap",
                    f"{nxt.where}: in {sh.label} the break {_fmt(nxt.start)} to {_fmt(nxt.end)} "
                    f"overlaps the break {_fmt(prev.start)} to {_fmt(prev.end)}",
                    sh.agent,
                    nxt.start,
                )
            )


# --------------------------------------------------------------------------- coverage


def _scheduled(shifts: list[_Shift], breaks: list[_Break], grid: _Grid) -> list[int]:
    on_shift: dict[str, set[int]] = defaultdict(set)
    on_break: dict[str, set[int]] = defaultdict(set)
    for sh in shifts:
        on_shift[sh.agent].update(grid.slots_within(sh.s, sh.e))
    for br in breaks:
        on_break[br.agent].update(grid.slots_touching(br.s, br.e))
    scheduled = [0] * grid.num_slots
    for agent, slots in on_shift.items():
        for i in slots - on_break[agent]:
            scheduled[i] += 1
    return scheduled


def _check_coverage(
    scenario: models.Scenario,
    grid: _Grid,
    required: list[int],
    scheduled: list[int],
    out: list[Violation],
) -> None:
    if scenario.coverage.allow_understaffing:
        return
    for i, (req, sched) in enumerate(zip(required, scheduled)):
        if sched < req:
            moment = grid.slot_time(i)
            out.append(
                Violation(
                    "coverage",
                    f"{_fmt(moment)}: {sched} agent(s) on duty, {req} required "
                    f"(short {req - sched})",
                    None,
                    moment,
                )
            )


# --------------------------------------------------------------------------- labour rules


def _by_agent(shifts: list[_Shift]) -> dict[str, list[_Shift]]:
    grouped: dict[str, list[_Shift]] = defaultdict(list)
    for sh in sorted(shifts, key=lambda x: (x.ns, x.e)):
        grouped[sh.agent].append(sh)
    return grouped


def _working_days(agent_shifts: list[_Shift], grid: _Grid) -> set[int]:
    """Days with a shift, restricted to the horizon (plus the lead-in day -1)."""
    low = 0 if grid.cyclic else -1
    return {sh.day for sh in agent_shifts if low <= sh.day < grid.days}


def _day_span(first: int, last: int, grid: _Grid) -> str:
    return f"{grid.day_start(first).date()} to {grid.day_start(last).date()}"


def _check_one_shift_per_day(
    agent: str, shifts: list[_Shift], grid: _Grid, out: list[Violation]
) -> None:
    per_day: dict[int, list[_Shift]] = defaultdict(list)
    for sh in shifts:
        per_day[sh.day].append(sh)
    for day, same_day in sorted(per_day.items()):
        if len(same_day) > 1:
            starts = ", ".join(_fmt(sh.start) for sh in same_day)
            out.append(
                Violation(
                    "one_shift_per_day",
                    f"{agent} has {len(same_day)} shifts on the shift day "
                    f"{grid.day_start(day).date()} (starting {starts})",
                    agent,
                    grid.day_start(day),
                )
            )


def _check_min_rest(
    agent: str, shifts: list[_Shift], grid: _Grid, min_rest_hours: float, out: list[Violation]
) -> None:
    pairs = list(zip(shifts, shifts[1:]))
    if grid.cyclic and shifts:
        pairs.append((shifts[-1], shifts[0]))
    for index, (prev, nxt) in enumerate(pairs):
        wrap = grid.length if grid.cyclic and index == len(shifts) - 1 else 0
        gap = nxt.ns + wrap - prev.ne
        again = " (the roster repeats)" if wrap else ""
        if gap < 0:
            out.append(
                Violation(
                    "min_rest",
                    f"{prev.label} and {nxt.label}{again} overlap",
                    agent,
                    nxt.start,
                )
            )
        elif gap / 60 < min_rest_hours - HOURS_TOL:
            out.append(
                Violation(
                    "min_rest",
                    f"{agent} rests {_fmt_minutes_as_hours(gap)} between {prev.label} and "
                    f"{nxt.label}{again}; at least {_fmt_hours(min_rest_hours)} required",
                    agent,
                    nxt.start,
                )
            )


def _week_windows(worked: set[int], grid: _Grid) -> list[list[int]]:
    """The 7-day windows to check, each as its list of day indices."""
    days = grid.days
    if grid.cyclic:
        return [[(w + k) % days for k in range(7)] for w in range(days)]
    low = min(min(worked, default=0), 0)
    if days - low < 7:
        return [list(range(low, days))]
    return [list(range(w, w + 7)) for w in range(low, days - 6)]


def _check_max_days_per_week(
    agent: str, shifts: list[_Shift], grid: _Grid, limit: int, out: list[Violation]
) -> None:
    worked = _working_days(shifts, grid)
    for window in _week_windows(worked, grid):
        count = sum(1 for d in window if d in worked)
        if count > limit:
            first = window[0]
            last = first + len(window) - 1
            out.append(
                Violation(
                    "max_days_per_week",
                    f"{agent} works {count} days in the {len(window)} days "
                    f"{_day_span(first, last, grid)}; at most {limit}",
                    agent,
                    grid.day_start(first),
                )
            )


def _runs(worked: set[int], grid: _Grid) -> list[tuple[int, int]]:
    """Runs of consecutive working days as (first day, length); cyclic runs wrap."""
    if grid.cyclic:
        days = grid.days
        if len(worked) >= days:
            return [(0, -1)]  # every day: an unbounded run
        free = next(d for d in range(days) if d not in worked)
        order = [(free + 1 + k) % days for k in range(days)]
    else:
        order = list(range(-1, grid.days))
    runs, first, length = [], None, 0
    for day in order + [None]:
        if day is not None and day in worked:
            first = day if length == 0 else first
            length += 1
        elif length:
            runs.append((first, length))
            length = 0
    return runs


def _check_max_consecutive_days(
    agent: str, shifts: list[_Shift], grid: _Grid, limit: int, out: list[Violation]
) -> None:
    for first, length in _runs(_working_days(shifts, grid), grid):
        if length < 0:
            message = (
                f"{agent} works every day of the cyclic horizon (an unbounded run); "
                f"at most {limit} consecutive days"
            )
        elif length > limit:
            message = (
                f"{agent} works {length} consecutive days from {grid.day_start(first).date()}; "
                f"at most {limit}"
            )
        else:
            continue
        out.append(Violation("max_consecutive_days", message, agent, grid.day_start(first)))


def _weekly_paid_minutes(shifts: list[_Shift], grid: _Grid) -> dict[int, int]:
    totals: dict[int, int] = defaultdict(int)
    for sh in shifts:
        if (-1 if not grid.cyclic else 0) <= sh.day < grid.days:
            totals[max(sh.day, 0) // 7] += sh.contract
    return totals


def _block_days(block: int, grid: _Grid) -> int:
    return min(7, grid.days - 7 * block)


def _check_weekly_hours(
    agent: str, shifts: list[_Shift], grid: _Grid, rules: models.LabourRules, out: list[Violation]
) -> None:
    totals = _weekly_paid_minutes(shifts, grid)
    num_blocks = -(-grid.days // 7)
    for block in range(num_blocks):
        n = _block_days(block, grid)
        hours = totals.get(block, 0) / 60
        span = _day_span(7 * block, 7 * block + n - 1, grid)
        when = grid.day_start(7 * block)
        if rules.max_weekly_paid_hours is not None:
            limit = rules.max_weekly_paid_hours * n / 7
            if hours > limit + HOURS_TOL:
                out.append(
                    Violation(
                        "max_weekly_hours",
                        f"{agent} is paid {_fmt_hours(round(hours, 4))} in the week {span}; "
                        f"at most {_fmt_hours(round(limit, 4))}"
                        + (f" ({n} of 7 days)" if n < 7 else ""),
                        agent,
                        when,
                    )
                )
        if n == 7 and hours < rules.min_weekly_paid_hours - HOURS_TOL:
            out.append(
                Violation(
                    "min_weekly_hours",
                    f"{agent} is paid {_fmt_hours(round(hours, 4))} in the week {span}; "
                    f"at least {_fmt_hours(rules.min_weekly_paid_hours)}",
                    agent,
                    when,
                )
            )


def _check_max_daily_hours(shifts: list[_Shift], limit: float | None, out: list[Violation]) -> None:
    if limit is None:
        return
    for sh in shifts:
        if sh.contract / 60 > limit + HOURS_TOL:
            out.append(
                Violation(
                    "max_daily_hours",
                    f"{sh.where}: {sh.label} is paid {_fmt_minutes_as_hours(sh.contract)} "
                    f"besides overtime; at most {_fmt_hours(limit)} a day",
                    sh.agent,
                    sh.start,
                )
            )


def _check_max_headcount(headcount: int, limit: int | None, out: list[Violation]) -> None:
    if limit is not None and headcount > limit:
        out.append(
            Violation("max_headcount", f"{headcount} agents in the roster; at most {limit}")
        )


def _check_labour_rules(
    shifts: list[_Shift], grid: _Grid, rules: models.LabourRules, out: list[Violation]
) -> None:
    for agent, agent_shifts in _by_agent(shifts).items():
        _check_one_shift_per_day(agent, agent_shifts, grid, out)
        _check_min_rest(agent, agent_shifts, grid, rules.min_rest_hours, out)
        _check_max_days_per_week(agent, agent_shifts, grid, rules.max_days_per_week, out)
        if rules.max_consecutive_days is not None:
            _check_max_consecutive_days(agent, agent_shifts, grid, rules.max_consecutive_days, out)
        _check_weekly_hours(agent, agent_shifts, grid, rules, out)
    _check_max_daily_hours(shifts, rules.max_daily_paid_hours, out)


# --------------------------------------------------------------------------- pools and overtime


def _pool_of_agents(
    shifts: list[_Shift], scenario: models.Scenario, out: list[Violation]
) -> dict[str, models.Pool]:
    pools = {p.name: p for p in scenario.pools}
    found: dict[str, models.Pool] = {}
    for sh in shifts:
        pool = pools.get(sh.pool)
        if pool is None:
            out.append(Violation(
                "pool", f"{sh.where}: {sh.label}: pool {sh.pool!r} is not one of "
                f"{', '.join(pools)}", sh.agent, sh.start))
            continue
        before = found.setdefault(sh.agent, pool)
        if before.name != pool.name:
            out.append(Violation(
                "pool", f"{sh.where}: {sh.agent} works for pool {before.name!r} and "
                f"{pool.name!r}", sh.agent, sh.start))
    return found


def _check_pools(
    shifts: list[_Shift], scenario: models.Scenario, grid: _Grid, out: list[Violation]
) -> None:
    agents = _pool_of_agents(shifts, scenario, out)
    ot = scenario.overtime
    for sh in shifts:
        pool = agents.get(sh.agent)
        if pool is None:
            continue
        if sh.type_name not in pool.shift_types:
            out.append(Violation(
                "pool", f"{sh.where}: {sh.label}: pool {pool.name!r} does not work "
                f"{sh.type_name!r}", sh.agent, sh.start))
        date = grid.day_start(sh.day).date()
        if (pool.available_from and date < pool.available_from) or (
            pool.available_until and date > pool.available_until
        ):
            out.append(Violation(
                "pool", f"{sh.where}: {sh.label}: pool {pool.name!r} is available "
                f"{pool.available_from or '...'} to {pool.available_until or '...'}",
                sh.agent, sh.start))
        if sh.overtime:
            if not pool.overtime:
                out.append(Violation(
                    "overtime", f"{sh.where}: {sh.label} has {sh.overtime} min overtime; pool "
                    f"{pool.name!r} works none", sh.agent, sh.start))
            elif sh.overtime > ot.max_daily_hours * 60 + MINUTES_TOL:
                out.append(Violation(
                    "overtime", f"{sh.where}: {sh.label} has {sh.overtime} min overtime; at "
                    f"most {_fmt_hours(ot.max_daily_hours)} a day", sh.agent, sh.start))
            elif sh.overtime % ot.step_minutes:
                out.append(Violation(
                    "overtime", f"{sh.where}: {sh.label} has {sh.overtime} min overtime, not "
                    f"a multiple of {ot.step_minutes} min", sh.agent, sh.start))
    monthly: dict[tuple[str, int, int], int] = defaultdict(int)
    for sh in shifts:
        date = grid.day_start(sh.day).date()
        monthly[(sh.agent, date.year, date.month)] += sh.overtime
    for (agent, year, month), minutes in sorted(monthly.items()):
        if minutes > ot.max_monthly_hours * 60 + MINUTES_TOL:
            out.append(Violation(
                "overtime", f"{agent} works {_fmt_minutes_as_hours(minutes)} overtime in "
                f"{year}-{month:02d}; at most {_fmt_hours(ot.max_monthly_hours)} a month", agent))
    for pool in scenario.pools:
        members = [sh for sh in shifts if agents.get(sh.agent) is pool]
        rules = scenario.rules_for(pool)
        _check_labour_rules(members, grid, rules, out)
        count = len({sh.agent for sh in members})
        if pool.max_hire is not None and count > pool.standing + pool.max_hire:
            out.append(Violation(
                "max_headcount", f"pool {pool.name!r} has {count} agents in the roster; at "
                f"most {pool.standing} standing + {pool.max_hire} hired"))


def _premium(scenario: models.Scenario, date) -> float:
    ot = scenario.overtime
    if date in scenario.holidays:
        return ot.holiday_premium
    if date.isoweekday() in ot.rest_weekdays:
        return ot.rest_day_premium
    return ot.workday_premium


def _roster_cost(shifts: list[_Shift], scenario: models.Scenario, grid: _Grid) -> float:
    pools = {p.name: p for p in scenario.pools}
    types = {t.name: t for t in scenario.shift_types}
    total = 0.0
    worked: dict[str, int] = defaultdict(int)
    for sh in shifts:
        pool = pools.get(sh.pool)
        stype = types.get(sh.type_name)
        if stype is None:
            continue
        rate = pool.cost_per_paid_hour if pool and pool.cost_per_paid_hour is not None \
            else stype.cost_per_paid_hour
        date = grid.day_start(sh.day).date()
        total += rate * (sh.contract + sh.overtime * _premium(scenario, date)) / 60
        worked[sh.agent] += sh.contract
    for pool in scenario.pools:
        members = sorted({sh.agent for sh in shifts if sh.pool == pool.name},
                         key=lambda a: -worked[a])
        total += pool.cost_per_hire * max(0, len(members) - pool.standing)
        if pool.contract_weekly_hours > 0:
            due = pool.contract_weekly_hours * 60 * grid.days / 7
            hours = [worked[a] for a in members[: pool.standing]]
            hours += [0] * (pool.standing - len(hours))
            total += sum(pool.cost_per_paid_hour * max(0.0, due - h) / 60 for h in hours)
    total += scenario.objective.cost_per_agent * len({sh.agent for sh in shifts})
    return total


# --------------------------------------------------------------------------- entry points


def check_roster(
    scenario: models.Scenario, scenario_dir: Path, shifts: list[dict], breaks: list[dict]
) -> CheckReport:
    """Check a roster given as rows (dicts with the CSV columns; values may be strings as
    read from the files or already datetimes/ints/bools)."""
    grid = _Grid.of(scenario)
    out: list[Violation] = []
    required = _requirement(scenario, Path(scenario_dir), grid, out)
    shift_list = _build_shifts(shifts, grid, out)
    break_list = _build_breaks(breaks, grid, out)

    _check_shift_types(shift_list, scenario, out)
    _assign_days(shift_list, grid, out)
    for sh in shift_list:
        _check_shift_length(sh, out)
    _assign_breaks(shift_list, break_list, grid, out)
    for sh in shift_list:
        _check_shift_breaks(sh, out)

    scheduled = _scheduled(shift_list, break_list, grid)
    _check_coverage(scenario, grid, required, scheduled, out)
    headcount = len({sh.agent for sh in shift_list})
    if scenario.pools:
        _check_pools(shift_list, scenario, grid, out)
    else:
        for sh in shift_list:
            if sh.pool or sh.overtime:
                out.append(Violation(
                    "pool", f"{sh.where}: {sh.label} names a pool or overtime; the scenario "
                    "has no pools", sh.agent, sh.start))
        _check_labour_rules(shift_list, grid, scenario.rules, out)
        _check_max_headcount(headcount, scenario.rules.max_headcount, out)

    return CheckReport(
        violations=out,
        headcount=headcount,
        paid_minutes=sum(sh.paid for sh in shift_list),
        short_agent_slots=sum(max(0, r - s) for r, s in zip(required, scheduled)),
        over_agent_slots=sum(max(0, s - r) for r, s in zip(required, scheduled)),
        required=required,
        scheduled=scheduled,
        cost=_roster_cost(shift_list, scenario, grid),
        overtime_minutes=sum(sh.overtime for sh in shift_list),
    )


def _compare_coverage_file(
    path: Path, grid: _Grid, report: CheckReport, out: list[Violation]
) -> None:
    by_slot = _read_slot_file(path, COVERAGE_COLUMNS, grid, out)
    if by_slot is None:
        return
    missing = [i for i in range(grid.num_slots) if i not in by_slot]
    if missing:
        out.append(
            Violation(
                "coverage_file_mismatch",
                _missing_slots_message(path.name, missing, grid),
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
                    f"{path.name} at {_fmt(moment)}: {theirs[1]} scheduled / {theirs[0]} "
                    f"required, the checker finds {mine[1]} / {mine[0]}",
                    None,
                    moment,
                )
            )


def _compare_summary(
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
    mine: dict[str, float] = {
        "headcount": report.headcount,
        "shifts": num_shifts,
        "paid_hours": report.paid_minutes / 60,
        "short_agent_slots": report.short_agent_slots,
        "over_agent_slots": report.over_agent_slots,
    }
    if solved and isinstance(summary.get("cost"), (int, float)):
        # the solver rounds each shift's cost to hundredths
        if abs(summary["cost"] - report.cost) > 0.01 * (num_shifts + 1):
            out.append(Violation(
                "summary_mismatch",
                f"{path.name}: cost is {summary['cost']!r}, the roster gives {report.cost:.2f}"))
    if solved and isinstance(summary.get("overtime_hours"), (int, float)):
        if abs(summary["overtime_hours"] - report.overtime_minutes / 60) > SUMMARY_PAID_HOURS_TOL:
            out.append(Violation(
                "summary_mismatch",
                f"{path.name}: overtime_hours is {summary['overtime_hours']!r}, the roster "
                f"gives {report.overtime_minutes / 60:g}"))
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


def check_output_dir(scenario_path: Path, out_dir: Path) -> CheckReport:
    """Check a solver output directory: shifts.csv and breaks.csv against the scenario,
    and coverage.csv / summary.json (when present) against the checker's own numbers.

    If shifts.csv or breaks.csv cannot be read at all, the report holds only the "file"
    violations (and the requirement); the roster is not checked."""
    scenario_path, out_dir = Path(scenario_path), Path(out_dir)
    scenario = load_scenario_for_check(scenario_path)
    grid = _Grid.of(scenario)
    file_problems: list[Violation] = []
    rows: dict[str, list[dict]] = {}
    for name, reader in (("shifts.csv", read_shifts_csv), ("breaks.csv", read_breaks_csv)):
        try:
            rows[name] = reader(out_dir / name)
        except CheckFileError as exc:
            file_problems.append(Violation("file", str(exc)))
    if file_problems:
        required = _requirement(scenario, scenario_path.parent, grid, file_problems)
        return CheckReport(file_problems, 0, 0, sum(required), 0, required, [0] * len(required))

    report = check_roster(scenario, scenario_path.parent, rows["shifts.csv"], rows["breaks.csv"])
    if (out_dir / "coverage.csv").exists():
        _compare_coverage_file(out_dir / "coverage.csv", grid, report, report.violations)
    if (out_dir / "summary.json").exists():
        _compare_summary(
            out_dir / "summary.json", report, len(rows["shifts.csv"]), report.violations
        )
    return report


__all__ = [
    "CheckFileError",
    "CheckReport",
    "Violation",
    "check_output_dir",
    "check_roster",
    "load_scenario_for_check",
    "read_breaks_csv",
    "read_shifts_csv",
]
