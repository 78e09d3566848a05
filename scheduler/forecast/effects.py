"""Day effects: public holidays, make-up working days and promotion events.

Special days (holidays, make-up working days, past event days) are learnt against a
baseline: the median day of the same weekday in the four weeks before and after that
are not special. A holiday's effect is the median ratio of its contacts to that
baseline over the history's holidays (make-up working days likewise); an event's is,
per day of the event counted back from its last day, the ratio of the day's contacts to
the baseline and the day's own intraday shape (the midnight spike of Double 11), averaged
over its past occurrences. The methods forecast a history with every special day
replaced by its baseline; the effects are then applied to the coming days."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Calendar:
    holidays: set[dt.date] = field(default_factory=set)
    makeup: set[dt.date] = field(default_factory=set)


@dataclass
class EventSpec:
    """An event: past occurrences (first, last day) and the coming one."""

    name: str
    past: list[tuple[dt.date, dt.date]]
    start: dt.date
    end: dt.date
    multiplier: float = 1.0
    channels: list[str] | None = None


@dataclass
class Learnt:
    """One channel's learnt effects."""

    holiday: float | None = None
    makeup: float | None = None
    events: dict[str, list[tuple[float, np.ndarray]]] = field(default_factory=dict)
    """Per event, per day counted back from the last (index 0 = last day): the day's
    ratio to baseline and its intraday shape (shares summing to 1)."""


def _baseline(days: np.ndarray, special: np.ndarray, d: int, reach: int = 4) -> np.ndarray | None:
    """The median day (per slot) of the same weekday within `reach` weeks of day d that
    is not special; None when there is none."""
    near = [d + 7 * k for k in range(-reach, reach + 1)
            if k and 0 <= d + 7 * k < len(days) and not special[d + 7 * k]]
    if not near:
        return None
    return np.median(days[near], axis=0)


def special_days(dates: list[dt.date], calendar: Calendar, events: list[EventSpec],
                 channel: str) -> dict[int, tuple[str, object]]:
    """Day index -> (kind, detail): ("event", (name, days before its last day)),
    ("holiday", None) or ("makeup", None). Events take precedence."""
    out: dict[int, tuple[str, object]] = {}
    index = {d: i for i, d in enumerate(dates)}
    for d, i in index.items():
        if d in calendar.holidays:
            out[i] = ("holiday", None)
        elif d in calendar.makeup:
            out[i] = ("makeup", None)
    for ev in events:
        if ev.channels is not None and channel not in ev.channels:
            continue
        for first, last in ev.past:
            day = first
            while day <= last:
                if day in index:
                    out[index[day]] = ("event", (ev.name, (last - day).days))
                day += dt.timedelta(days=1)
    return out


def learn(days: np.ndarray, dates: list[dt.date], calendar: Calendar,
          events: list[EventSpec], channel: str) -> tuple[np.ndarray, Learnt, list[str]]:
    """From a channel's history as whole days (days x slots of the day): the history
    with its special days replaced by their baselines, the effects learnt, and notes."""
    marks = special_days(dates, calendar, events, channel)
    special = np.zeros(len(days), bool)
    special[list(marks)] = True
    clean = days.copy()
    learnt = Learnt()
    ratios: dict[str, list[float]] = {"holiday": [], "makeup": []}
    per_event: dict[str, dict[int, list[tuple[float, np.ndarray]]]] = {}
    notes: list[str] = []
    for d, (kind, detail) in sorted(marks.items()):
        base = _baseline(days, special, d)
        if base is None:
            continue
        clean[d] = base
        total_base, total = float(base.sum()), float(days[d].sum())
        if total_base <= 0:
            continue
        ratio = total / total_base
        if kind == "event":
            name, back = detail
            shape = days[d] / total if total > 0 else base / total_base
            per_event.setdefault(name, {}).setdefault(back, []).append((ratio, shape))
        else:
            ratios[kind].append(ratio)
    if ratios["holiday"]:
        learnt.holiday = float(np.median(ratios["holiday"]))
    if ratios["makeup"]:
        learnt.makeup = float(np.median(ratios["makeup"]))
    for ev in events:
        if ev.channels is not None and channel not in ev.channels:
            continue
        seen = per_event.get(ev.name)
        if not seen:
            notes.append(f"column {channel}: event {ev.name}: none of its past days is in "
                         "the history (with weeks around it for a baseline): no uplift learnt")
            continue
        length = max(seen) + 1
        learnt.events[ev.name] = [
            (float(np.mean([r for r, _ in seen[b]])), np.mean([s for _, s in seen[b]], axis=0))
            if b in seen else (1.0, None) for b in range(length)]
    return clean, learnt, notes


def apply(base: np.ndarray, dates: list[dt.date], calendar: Calendar, events: list[EventSpec],
          learnt: Learnt, channel: str) -> tuple[np.ndarray, list[str]]:
    """The coming days' forecast (days x slots) with the effects applied, and notes on
    the effects that could not be applied."""
    out = base.copy()
    notes: list[str] = []
    done = set()
    for ev in events:
        if ev.channels is not None and channel not in ev.channels:
            continue
        table = learnt.events.get(ev.name)
        if table is None:
            continue
        for i, d in enumerate(dates):
            if not ev.start <= d <= ev.end:
                continue
            back = (ev.end - d).days
            if back >= len(table):
                notes.append(f"column {channel}: event {ev.name}: {d} is {back} days before "
                             f"its last day, past occurrences had only {len(table)}: no uplift")
                continue
            ratio, shape = table[back]
            total = float(base[i].sum()) * ratio * ev.multiplier
            out[i] = total * shape if shape is not None else base[i] * ratio * ev.multiplier
            done.add(i)
    for i, d in enumerate(dates):
        if i in done:
            continue
        if d in calendar.holidays:
            if learnt.holiday is None:
                notes.append(f"column {channel}: holiday {d}: no holiday in the history to "
                             "learn from: forecast as an ordinary day")
            else:
                out[i] = base[i] * learnt.holiday
        elif d in calendar.makeup:
            if learnt.makeup is None:
                notes.append(f"column {channel}: make-up working day {d}: none in the "
                             "history to learn from: forecast as an ordinary day")
            else:
                out[i] = base[i] * learnt.makeup
    return out, notes
