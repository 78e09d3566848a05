"""Public holidays from a calendar: `holidays: CN` resolves China's statutory holidays and
make-up working days (the weekend days worked in exchange) with the `chinese-calendar`
package, which publishes each year's State Council arrangement once it is announced."""

from __future__ import annotations

import datetime as dt

CALENDARS = ("CN",)


def calendar_years() -> tuple[int, int]:
    """The first and last year the installed chinese-calendar covers."""
    from chinese_calendar.constants import holidays

    years = [d.year for d in holidays]
    return min(years), max(years)


def china_days(first: dt.date, last: dt.date) -> tuple[list[dt.date], list[dt.date]]:
    """China's statutory holidays (weekdays and weekend days off of the holiday periods)
    and make-up working days from `first` to `last` inclusive. Raises ValueError when a
    year of the range is not covered (the package knows only announced years)."""
    from chinese_calendar.constants import holidays, workdays

    low, high = calendar_years()
    if first.year < low or last.year > high:
        raise ValueError(
            f"chinese-calendar {_version()} covers {low}-{high}; the dates run from "
            f"{first} to {last}: list the holidays as dates instead (holidays: [YYYY-MM-DD, ...])")
    off = sorted(d for d in holidays if first <= d <= last)
    worked = sorted(d for d in workdays if first <= d <= last)
    return off, worked


def china_days_covered(first: dt.date, last: dt.date) -> tuple[list[dt.date], list[dt.date],
                                                               str | None]:
    """china_days over the part of the range the package covers, and a note saying what
    was left out (None when nothing was)."""
    low, high = calendar_years()
    a, b = max(first, dt.date(low, 1, 1)), min(last, dt.date(high, 12, 31))
    note = None
    if a > first or b < last:
        note = (f"chinese-calendar {_version()} covers {low}-{high}: no holidays known from "
                f"{first} to {last} outside those years")
    if a > b:
        return [], [], note
    off, worked = china_days(a, b)
    return off, worked, note


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("chinese-calendar")
    except Exception:  # pragma: no cover - metadata missing
        return "(unknown version)"
