"""Contact history: a CSV in the volume-file format (`start`, ISO local date-times, one row
per slot, sorted; one column of contacts per channel), read and checked.

Bad input is an InputError naming the file, the line and the column: a duplicated or
unsorted slot, a slot length that changes, a negative or non-numeric count, a local time
that a daylight-saving change makes missing or ambiguous, an unknown channel. The one
safe repair, a missing slot (no row, or an empty cell), is filled with the same slot a
week earlier (a week later where there is none; 0 when neither exists) and reported in
a warning that says which slots were filled and how."""

from __future__ import annotations

import csv
import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from scheduler.errors import InputError
from scheduler.scenario.files import read_text

MAX_HISTORY_BYTES = 200_000_000
ISO = "%Y-%m-%dT%H:%M"


@dataclass
class History:
    """Contacts per slot of each channel, slot 0 starting at `start`."""

    start: dt.datetime
    slot_minutes: int
    channels: list[str]
    values: np.ndarray
    """Shape (channels, slots), float, no NaN (missing slots filled)."""
    path: Path | None = None
    warnings: list[str] = field(default_factory=list)
    filled: np.ndarray | None = None
    """Shape (slots,), True where a slot was missing and filled."""

    @property
    def slots_per_day(self) -> int:
        return 1440 // self.slot_minutes

    @property
    def num_slots(self) -> int:
        return int(self.values.shape[1])

    @property
    def end(self) -> dt.datetime:
        """The end of the last slot."""
        return self.start + dt.timedelta(minutes=self.slot_minutes * self.num_slots)

    def series(self, channel: str) -> np.ndarray:
        return self.values[self.channels.index(channel)]

    def days_covered(self) -> float:
        return self.num_slots / self.slots_per_day

    def until(self, when: dt.datetime) -> History:
        """The history before `when` (all of it when it ends earlier)."""
        n = int((when - self.start) / dt.timedelta(minutes=self.slot_minutes))
        n = max(0, min(n, self.num_slots))
        filled = None if self.filled is None else self.filled[:n]
        return History(self.start, self.slot_minutes, list(self.channels),
                       self.values[:, :n], self.path, list(self.warnings), filled)

    def line_of_slot(self, index: int) -> int | None:
        """The file line of a slot (header is line 1), when no slot before it was filled."""
        if self.filled is None or self.filled[:index + 1].any():
            return None
        return index + 2


def _zone_problem(when: dt.datetime, zone: ZoneInfo | None) -> str | None:
    """'missing' when a DST change skips this local time, 'ambiguous' when it occurs
    twice, else None."""
    if zone is None:
        return None
    first = when.replace(tzinfo=zone, fold=0)
    second = when.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return None
    back = first.astimezone(dt.timezone.utc).astimezone(zone).replace(tzinfo=None)
    return "missing" if back != when else "ambiguous"


def _dst_error(path, line, when, zone_name, problem) -> InputError:
    what = ("does not exist (the clocks jump forward over it)" if problem == "missing"
            else "occurs twice (the clocks go back over it)")
    return InputError(
        f"local time {when:{ISO}} {what} in {zone_name}: a daylight-saving change in the "
        "history; write it in a time zone without DST (standard time or UTC) so every slot "
        "is one row", file=path, key_path="column start", line=line)


def read_history(path: Path | str, channels: list[str] | None = None,
                 time_zone: str | None = None, key_path: str | None = None) -> History:
    """Read a history file. `channels`: the columns wanted (each must be there; None: every
    column but start). `time_zone`: the IANA zone of the local times, to detect DST
    changes (None: not checked)."""
    path = Path(path)
    text = read_text(path, key_path=key_path, limit=MAX_HISTORY_BYTES)
    reader = csv.reader(text.splitlines())
    header = next(reader, None)
    if header is None or not any(h.strip() for h in header):
        raise InputError("the history file is empty", file=path, key_path=key_path)
    header = [h.strip().lstrip("\ufeff") for h in header]
    if "start" not in header:
        raise InputError(f"line 1 needs a column named start, got {','.join(header)}",
                         file=path, key_path="column start", line=1)
    present = [h for h in header if h != "start" and h]
    if len(set(present)) != len(present):
        twice = next(h for h in present if present.count(h) > 1)
        raise InputError(f"the column {twice} appears twice", file=path,
                         key_path=f"column {twice}", line=1)
    wanted = present if channels is None else list(channels)
    for name in wanted:
        if name not in header:
            raise InputError(f"no column for channel {name!r} (the history has: "
                             f"{', '.join(present) or 'none'})", file=path,
                             key_path=f"column {name}", line=1)
    if not wanted:
        raise InputError("no channel columns besides start", file=path, line=1)
    i_start = header.index("start")
    cols = [header.index(n) for n in wanted]
    zone = ZoneInfo(time_zone) if time_zone else None

    times: list[dt.datetime] = []
    rows: list[list[float]] = []
    lines: list[int] = []
    slot: dt.timedelta | None = None
    for line_no, row in enumerate(reader, start=2):
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) <= i_start:
            raise InputError("the row has no start", file=path, key_path="column start",
                             line=line_no)
        cell = row[i_start].strip()
        try:
            when = dt.datetime.fromisoformat(cell)
        except ValueError:
            raise InputError(f"start {cell!r} is not an ISO date-time (YYYY-MM-DDTHH:MM)",
                             file=path, key_path="column start", line=line_no) from None
        if when.tzinfo is not None:
            when = when.replace(tzinfo=None)
        problem = _zone_problem(when, zone)
        if problem is not None:
            raise _dst_error(path, line_no, when, time_zone, problem)
        if times:
            step = when - times[-1]
            if step <= dt.timedelta(0):
                what = "appears twice" if step == dt.timedelta(0) else (
                    f"comes after {times[-1]:{ISO}} (line {lines[-1]}): the rows are not sorted")
                raise InputError(f"slot {when:{ISO}} {what}", file=path,
                                 key_path="column start", line=line_no)
            if slot is None:
                slot = step
                minutes = step.total_seconds() / 60
                if minutes != int(minutes) or 1440 % int(minutes):
                    raise InputError(
                        f"slot length {minutes:g} minutes (from line {lines[-1]} to "
                        f"{line_no}) does not divide a day", file=path,
                        key_path="column start", line=line_no)
            elif step % slot:
                raise InputError(
                    f"the slot length changes: {step.total_seconds() / 60:g} minutes after "
                    f"{times[-1]:{ISO}} (line {lines[-1]}), {slot.total_seconds() / 60:g} "
                    "minutes before", file=path, key_path="column start", line=line_no)
            elif step > slot and zone is not None:
                t = times[-1] + slot
                while t < when:
                    if _zone_problem(t, zone) == "missing":
                        raise _dst_error(path, line_no, t, time_zone, "missing")
                    t += slot
        values = []
        for name, c in zip(wanted, cols):
            raw = row[c].strip() if c < len(row) else ""
            if raw == "":
                values.append(math.nan)
                continue
            try:
                v = float(raw)
            except ValueError:
                v = math.nan
            if not math.isfinite(v):
                raise InputError(f"{raw!r} is not a number of contacts", file=path,
                                 key_path=f"column {name}", line=line_no)
            if v < 0:
                raise InputError(f"negative count ({v:g} contacts)", file=path,
                                 key_path=f"column {name}", line=line_no)
            values.append(v)
        times.append(when)
        rows.append(values)
        lines.append(line_no)
    if len(times) < 2:
        raise InputError("the history needs at least two rows (one per slot)", file=path)
    slot_minutes = int(slot.total_seconds() // 60)
    start = times[0]
    n = int((times[-1] - start) / slot) + 1
    grid = np.full((len(wanted), n), np.nan)
    index = np.array([int((t - start) / slot) for t in times])
    grid[:, index] = np.array(rows, dtype=float).T
    history = History(start, slot_minutes, wanted, grid, path)
    _fill(history)
    return history


def _fill(history: History) -> None:
    """Missing values: the same slot a week earlier, else a week later, else 0; one
    warning per channel with filled slots."""
    values = history.values
    week = 7 * history.slots_per_day
    missing_any = np.isnan(values).any(axis=0)
    for c, name in enumerate(history.channels):
        row = values[c]
        missing = np.flatnonzero(np.isnan(row))
        if not missing.size:
            continue
        how = {"a week earlier": 0, "a week later": 0, "0 (no week before or after)": 0}
        for i in missing:  # ascending: a filled slot may feed the one a week later
            if i >= week and not math.isnan(row[i - week]):
                row[i] = row[i - week]
                how["a week earlier"] += 1
        for i in missing[::-1]:
            if math.isnan(row[i]):
                if i + week < row.size and not math.isnan(row[i + week]):
                    row[i] = row[i + week]
                    how["a week later"] += 1
        for i in missing:
            if math.isnan(row[i]):
                row[i] = 0.0
                how["0 (no week before or after)"] += 1
        first = history.start + dt.timedelta(minutes=history.slot_minutes * int(missing[0]))
        last = history.start + dt.timedelta(minutes=history.slot_minutes * int(missing[-1]))
        ways = "; ".join(f"{k}: {v}" for k, v in how.items() if v)
        history.warnings.append(
            f"{history.path}: column {name}: {missing.size} missing slots filled with the "
            f"same slot {ways} (first {first:{ISO}}, last {last:{ISO}})")
    history.filled = missing_any


def aggregate(history: History, slot_minutes: int) -> History:
    """The history summed into longer slots (e.g. 15-minute counts into 30-minute
    ones); the history's start must be on the longer slot's grid."""
    if slot_minutes == history.slot_minutes:
        return history
    if slot_minutes % history.slot_minutes:
        raise InputError(
            f"the history has {history.slot_minutes}-minute slots; {slot_minutes}-minute "
            "slots are not made of whole ones", file=history.path)
    k = slot_minutes // history.slot_minutes
    offset_minutes = history.start.hour * 60 + history.start.minute
    skip = (-(offset_minutes // history.slot_minutes)) % k
    n = (history.num_slots - skip) // k
    values = history.values[:, skip:skip + n * k].reshape(len(history.channels), n, k).sum(2)
    filled = None
    if history.filled is not None:
        filled = history.filled[skip:skip + n * k].reshape(n, k).any(1)
    start = history.start + dt.timedelta(minutes=history.slot_minutes * skip)
    return History(start, slot_minutes, list(history.channels), values, history.path,
                   list(history.warnings), filled)


def write_history(path: Path | str, start: dt.datetime, slot_minutes: int,
                  columns: dict[str, np.ndarray], decimals: int = 0) -> str:
    """The text of a volume file (start plus one column per channel); returned, not
    written (callers write it atomically)."""
    names = list(columns)
    n = len(next(iter(columns.values()))) if columns else 0
    step = dt.timedelta(minutes=slot_minutes)
    out = ["start," + ",".join(names)]
    fmt = f"{{:.{decimals}f}}"
    for i in range(n):
        cells = [fmt.format(float(columns[c][i])) for c in names]
        out.append(f"{start + step * i:{ISO}}," + ",".join(cells))
    return "\n".join(out) + "\n"
