"""The scenario's own demand: a `start,required` CSV, and promotion events applied to it."""

from __future__ import annotations

import csv
import datetime as dt
import math
from pathlib import Path

from scheduler.errors import InputError
from scheduler.models import Scenario
from scheduler.scenario.events import event_factors
from scheduler.scenario.files import parse_start, read_text

MAX_DEMAND_BYTES = 200_000_000


def _parse_required(text: str) -> int:
    value = float(text)
    if math.isnan(value) or math.isinf(value):
        raise ValueError("not a number")
    if value < 0:
        raise ValueError("negative")
    if value > 1_000_000:
        raise ValueError("above 1,000,000 agents")
    return math.ceil(value - 1e-9)


def read_demand_csv(path: Path, start: dt.datetime, slot_minutes: int, num_slots: int,
                    key: str = "demand.file") -> list[int]:
    """Read `start,required` rows; every slot of the horizon exactly once, in any order.
    A fractional requirement is rounded up (0.2 agents still needs someone). `key`: the
    key path its errors name."""
    text = read_text(path, key_path=key, limit=MAX_DEMAND_BYTES)
    reader = csv.reader(text.splitlines())
    header = next(reader, None)
    if header is None:
        raise InputError("the demand file is empty", file=path, key_path=key)
    header = [h.strip().lower() for h in header]
    if header[:2] != ["start", "required"]:
        raise InputError(
            f"line 1: expected the columns start,required, got {','.join(header)}",
            file=path, key_path=key, line=1,
        )
    values: list[int | None] = [None] * num_slots
    step = dt.timedelta(minutes=slot_minutes)
    end = start + step * num_slots
    for line_no, row in enumerate(reader, start=2):
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) < 2:
            raise InputError("a row needs start and required", file=path, key_path=key, line=line_no)
        try:
            when = parse_start(row[0])
        except ValueError:
            raise InputError(
                f"start {row[0]!r} is not an ISO date-time (YYYY-MM-DDTHH:MM)",
                file=path, key_path=key, line=line_no,
            ) from None
        try:
            required = _parse_required(row[1])
        except ValueError as exc:
            raise InputError(
                f"required {row[1]!r} is not a valid number of agents ({exc})",
                file=path, key_path=key, line=line_no,
            ) from None
        if not (start <= when < end):
            raise InputError(
                f"start {when:%Y-%m-%dT%H:%M} is outside the horizon "
                f"{start:%Y-%m-%dT%H:%M} to {end:%Y-%m-%dT%H:%M}",
                file=path, key_path=key, line=line_no,
            )
        offset = (when - start) / step
        if offset != int(offset):
            raise InputError(
                f"start {when:%Y-%m-%dT%H:%M} is not on the {slot_minutes}-minute slot grid",
                file=path, key_path=key, line=line_no,
            )
        index = int(offset)
        if values[index] is not None:
            raise InputError(
                f"slot {when:%Y-%m-%dT%H:%M} appears twice", file=path, key_path=key, line=line_no
            )
        values[index] = required
    missing = [i for i, v in enumerate(values) if v is None]
    if missing:
        first = start + step * missing[0]
        raise InputError(
            f"{len(missing)} of {num_slots} slots have no row (first missing: "
            f"{first:%Y-%m-%dT%H:%M}); the file must hold every {slot_minutes}-minute slot "
            "of the horizon",
            file=path, key_path=key,
        )
    return [int(v) for v in values]  # type: ignore[arg-type]


def apply_events(scenario: Scenario, values: list[int]) -> list[int]:
    """Baseline requirement times the factors of the events that are not limited to some
    channels, rounded up (agents are whole)."""
    if not any(e.channels is None for e in scenario.events):
        return values
    factors = event_factors(scenario, None)
    return [math.ceil(v * f - 1e-9) if v else 0 for v, f in zip(values, factors)]
