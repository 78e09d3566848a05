"""Forecast contacts per slot for each channel: inline `volume` lists or `volume_file` CSVs,
promotion events applied."""

from __future__ import annotations

import csv
import datetime as dt
import math
from pathlib import Path

import numpy as np

from scheduler.errors import InputError
from scheduler.models import Scenario
from scheduler.scenario.events import event_factors
from scheduler.scenario.files import line_of, parse_start, read_text

MAX_FORECAST_BYTES = 200_000_000


def read_forecast_csv(path: Path, column: str, start: dt.datetime, slot_minutes: int,
                      num_slots: int, key_path: str) -> np.ndarray:
    """Contacts per slot from a CSV with a `start` column and the column `column`: every
    slot of the horizon exactly once, in any order; volumes are numbers >= 0."""
    text = read_text(path, key_path=key_path, limit=MAX_FORECAST_BYTES)
    reader = csv.reader(text.splitlines())
    header = next(reader, None)
    if header is None:
        raise InputError("the forecast file is empty", file=path, key_path=key_path)
    header = [h.strip().lstrip("\ufeff") for h in header]
    if "start" not in header or column not in header:
        raise InputError(
            f"line 1: expected the columns start and {column}, got {','.join(header)}",
            file=path, key_path=key_path, line=1)
    i_start, i_value = header.index("start"), header.index(column)
    values = np.full(num_slots, np.nan)
    step = dt.timedelta(minutes=slot_minutes)
    end = start + step * num_slots
    for line_no, row in enumerate(reader, start=2):
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) <= max(i_start, i_value):
            raise InputError(f"a row needs start and {column}", file=path, key_path=key_path,
                             line=line_no)
        try:
            when = parse_start(row[i_start])
        except ValueError:
            raise InputError(f"start {row[i_start]!r} is not an ISO date-time (YYYY-MM-DDTHH:MM)",
                             file=path, key_path=key_path, line=line_no) from None
        try:
            volume = float(row[i_value])
        except ValueError:
            volume = math.nan
        if not math.isfinite(volume):
            raise InputError(f"{column} {row[i_value]!r} is not a number of contacts",
                             file=path, key_path=key_path, line=line_no)
        if volume < 0:
            raise InputError(f"{column} is negative ({volume:g} contacts)",
                             file=path, key_path=key_path, line=line_no)
        if not (start <= when < end):
            raise InputError(
                f"start {when:%Y-%m-%dT%H:%M} is outside the horizon "
                f"{start:%Y-%m-%dT%H:%M} to {end:%Y-%m-%dT%H:%M}",
                file=path, key_path=key_path, line=line_no)
        offset = (when - start) / step
        if offset != int(offset):
            raise InputError(f"start {when:%Y-%m-%dT%H:%M} is not on the {slot_minutes}-minute "
                             "slot grid", file=path, key_path=key_path, line=line_no)
        index = int(offset)
        if not np.isnan(values[index]):
            raise InputError(f"slot {when:%Y-%m-%dT%H:%M} appears twice", file=path,
                             key_path=key_path, line=line_no)
        values[index] = volume
    missing = np.flatnonzero(np.isnan(values))
    if missing.size:
        first = start + step * int(missing[0])
        raise InputError(
            f"{missing.size} of {num_slots} slots have no row (first missing: "
            f"{first:%Y-%m-%dT%H:%M}); the file must hold every {slot_minutes}-minute slot "
            "of the horizon", file=path, key_path=key_path)
    return values


def read_volumes(scenario: Scenario, directory: Path, file: Path | None = None,
                 lines: dict | None = None,
                 forecast: dict[str, np.ndarray] | None = None) -> tuple[list[np.ndarray], list[Path]]:
    """Contacts per slot of every channel, and the forecast files read. `forecast`: the
    contacts of the channels that have neither volume nor volume_file (forecast from the
    scenario's history by scheduler.forecast)."""
    h = scenario.horizon
    start = dt.datetime.combine(h.start_date, dt.time())
    out, files = [], []
    for i, ch in enumerate(scenario.channels):
        if ch.volume is not None:
            if len(ch.volume) != h.num_slots:
                raise InputError(
                    f"{len(ch.volume)} values given, the horizon has {h.num_slots} slots "
                    f"({h.days} days of {h.slot_minutes} minutes)",
                    file=file, key_path=f"channels.{i}.volume",
                    line=line_of(lines, "channels", i, "volume"))
            out.append(np.asarray(ch.volume, dtype=float))
            continue
        if ch.volume_file is None:
            if forecast is None or ch.name not in forecast:
                raise InputError("no volume, volume_file or forecast for this channel",
                                 file=file, key_path=f"channels.{i}",
                                 line=line_of(lines, "channels", i))
            out.append(np.asarray(forecast[ch.name], dtype=float)[:h.num_slots])
            continue
        path = Path(directory) / ch.volume_file
        out.append(read_forecast_csv(path, ch.volume_column or ch.name, start, h.slot_minutes,
                                     h.num_slots, f"channels.{i}.volume_file"))
        if path not in files:
            files.append(path)
    if scenario.events:  # promotions multiply the contacts, not the agents
        out = [v * np.asarray(event_factors(scenario, ch.name))
               for v, ch in zip(out, scenario.channels)]
    return out, files

