"""activities.csv: the roster in long format, one row per agent and activity (a shift,
then each of its breaks), with ISO 8601 timestamps that carry the scenario's UTC offset,
UTF-8. Workforce-management tools and pandas read it without knowing the scenario."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from scheduler.report.common import ReportData, overtime_minutes_of, pool_of

ACTIVITY_COLUMNS = ["agent", "pool", "day", "activity", "shift_type", "start", "end",
                    "start_utc", "end_utc", "minutes", "paid", "overtime_minutes"]


def _minutes(a: dt.datetime, b: dt.datetime) -> int:
    return int((b - a).total_seconds() // 60)


def write_activities(data: ReportData, path: Path) -> None:
    zone = data.zone
    utc = dt.timezone.utc
    cache: dict[dt.datetime, tuple[str, str]] = {}

    def stamps(value: dt.datetime) -> tuple[str, str]:
        # Many shifts share start times: format each distinct instant once.
        got = cache.get(value)
        if got is None:
            if zone is None:
                got = (value.isoformat(timespec="seconds"), "")
            else:
                aware = value.replace(tzinfo=zone)
                got = (aware.isoformat(timespec="seconds"),
                       aware.astimezone(utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
            cache[value] = got
        return got

    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        shifts = sorted(data.result.shifts, key=lambda s: (s.agent, s.start))
        named = any(s.name for s in shifts)  # named staff: a last column, the name
        w.writerow(ACTIVITY_COLUMNS + (["name"] if named else []))
        for s in shifts:
            tail = [s.name or ""] if named else []
            day = data.day_of(s).isoformat()
            pool = pool_of(s)
            start, start_utc = stamps(s.start)
            end, end_utc = stamps(s.end)
            w.writerow([s.agent, pool, day, "shift", s.shift_type, start, end, start_utc,
                        end_utc, _minutes(s.start, s.end), s.paid_minutes,
                        overtime_minutes_of(s)] + tail)
            for b in data.breaks_in(s):
                start, start_utc = stamps(b.start)
                end, end_utc = stamps(b.end)
                minutes = _minutes(b.start, b.end)
                w.writerow([s.agent, pool, day, "break", s.shift_type, start, end, start_utc,
                            end_utc, minutes, minutes if b.paid else 0, 0] + tail)
