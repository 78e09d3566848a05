"""What a named roster gives its people, read off its shift records: requests honoured by
kind, the spread of nights, weekends, holidays and late finishes per pool, start-time
spread and single days off, and the hires beyond the named staff."""

from __future__ import annotations

import datetime as dt
import statistics

from scheduler.engine.staff_data import FIGURES, is_night
from scheduler.models import (
    FairnessFigure,
    HireNeed,
    PatternFigures,
    RequestFigures,
    RequestKindFigures,
    Scenario,
    ShiftRecord,
)
from scheduler.models.staff import LATE_END_MINUTE


def _minutes(shift: ShiftRecord, day: dt.date) -> tuple[int, int]:
    base = dt.datetime.combine(day, dt.time())
    start = round((shift.start - base).total_seconds() / 60)
    return start, start + round((shift.end - shift.start).total_seconds() / 60)


def shift_figures(shift: ShiftRecord, holidays: set[dt.date],
                  makeup: set[dt.date] = frozenset()) -> set[str]:
    day = shift.day or shift.start.date()
    start, end = _minutes(shift, day)
    out = set()
    if is_night(start, end):
        out.add("nights")
    elif end > LATE_END_MINUTE:
        out.add("late_finishes")
    if day.isoweekday() >= 6 and day not in makeup:  # a make-up working day is a weekday
        out.add("weekends")
    if day in holidays:
        out.add("holidays")
    return out


def request_figures(sc: Scenario, shifts: list[ShiftRecord]) -> RequestFigures:
    by_person: dict[str, dict[dt.date, ShiftRecord]] = {}
    for s in shifts:
        by_person.setdefault(s.agent, {})[s.day or s.start.date()] = s
    kinds: dict[str, RequestKindFigures] = {}
    for req in sc.requests.items:
        worked = by_person.get(req.id, {})
        ok = True
        for day in req.days():
            s = worked.get(day)
            if req.kind in ("leave", "unavailable", "day_off"):
                ok = ok and s is None
            else:
                start = _minutes(s, day)[0] if s is not None else None
                match = s is not None and req.matches(s.shift_type, start)
                ok = ok and (match if req.kind == "shift" else not match)
        row = kinds.setdefault(req.kind, RequestKindFigures())
        weight = 0.0 if req.hard else req.weight
        kinds[req.kind] = RequestKindFigures(
            total=row.total + 1, honoured=row.honoured + ok, weight=row.weight + weight,
            honoured_weight=row.honoured_weight + (weight if ok else 0.0))
    total = RequestFigures(by_kind=dict(sorted(kinds.items())))
    return total.model_copy(update={
        "total": sum(k.total for k in kinds.values()),
        "honoured": sum(k.honoured for k in kinds.values()),
        "weight": round(sum(k.weight for k in kinds.values()), 3),
        "honoured_weight": round(sum(k.honoured_weight for k in kinds.values()), 3)})


def fairness_figures(sc: Scenario, shifts: list[ShiftRecord]) -> list[FairnessFigure]:
    holidays = set(sc.holidays)
    named = {p.id: p for p in sc.staff.people} if sc.staff is not None else {}
    counts: dict[str, dict[str, int]] = {p: {f: 0 for f in FIGURES} for p in named}
    for s in shifts:
        if s.agent in counts:
            for figure in shift_figures(s, holidays, set(sc.makeup_workdays)):
                counts[s.agent][figure] += 1
    out = []
    for pool in sc.pools:
        people = [p for p, m in named.items() if m.pool == pool.name]
        if not people:
            continue
        for figure in FIGURES:
            values = sorted(counts[p][figure] for p in people)
            out.append(FairnessFigure(pool=pool.name, figure=figure, people=len(values),
                                      min=values[0], median=statistics.median(values),
                                      max=values[-1]))
    return out


def pattern_figures(sc: Scenario, shifts: list[ShiftRecord]) -> list[PatternFigures]:
    named = {p.id: p for p in sc.staff.people} if sc.staff is not None else {}
    start = sc.horizon.start_date
    days = sc.horizon.days
    worked: dict[str, dict[int, int]] = {p: {} for p in named}  # day index -> start minute
    for s in shifts:
        if s.agent in worked:
            day = s.day or s.start.date()
            worked[s.agent][(day - start).days] = _minutes(s, day)[0]
    out = []
    for pool in sc.pools:
        people = [p for p, m in named.items() if m.pool == pool.name]
        if not people:
            continue
        spreads: list[int] = []
        singles = offs = 0
        for p in people:
            mine = worked[p]
            for week in range(0, days, 7):
                starts = [mine[d] for d in range(week, min(week + 7, days)) if d in mine]
                if starts:
                    spreads.append(max(starts) - min(starts))
            for d in range(1, days - 1):
                if d not in mine:
                    offs += 1
                    singles += (d - 1 in mine and d + 1 in mine)
        out.append(PatternFigures(
            pool=pool.name,
            median_start_spread_minutes=statistics.median(spreads) if spreads else None,
            max_start_spread_minutes=max(spreads) if spreads else None,
            single_days_off_share=round(singles / offs, 4) if offs else None))
    return out


def hire_needs(sc: Scenario, shifts: list[ShiftRecord], required: list[int],
               scheduled: list[int], slot_minutes: int, hires: dict[str, int]) -> list[HireNeed]:
    """Per pool with hires: the slots whose coverage falls below the requirement when the
    hires' shifts are taken away (their breaks counted as on duty: at worst a slot too
    many is named)."""
    start = dt.datetime.combine(sc.horizon.start_date, dt.time())
    named = {p.id for p in sc.staff.people} if sc.staff is not None else set()
    out = []
    n = len(required)
    for pool, count in hires.items():
        if not count:
            continue
        cover = [0] * n
        for s in shifts:
            if s.agent in named or s.pool != pool:
                continue
            a = int((s.start - start).total_seconds() // 60 // slot_minutes)
            b = int(-(-(s.end - start).total_seconds() // 60 // slot_minutes))
            for t in range(max(0, a), min(n, b)):
                cover[t] += 1
        short = [t for t in range(n) if cover[t] and scheduled[t] - cover[t] < required[t]]
        out.append(HireNeed(pool=pool, hires=count, short_slots_without=len(short),
                            first_short_slots=[start + dt.timedelta(minutes=slot_minutes * t)
                                               for t in short[:20]]))
    return out
