"""Named staff as integer data for one pool's roster: each planned shift class with what
the rules and wishes see in it (start, end, night, weekend), and each person (or open
hire) with the days and classes they may work, their weekly limits in minutes and their
wishes as (day index, classes) sets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from scheduler.engine.instance import Instance
from scheduler.engine.roster import DayClasses
from scheduler.models import parse_hhmm
from scheduler.models.staff import (
    LATE_END_MINUTE,
    NIGHT_END_MINUTE,
    NIGHT_START_MINUTE,
    StaffMember,
    StaffRequest,
)

FIGURES = ("nights", "weekends", "holidays", "late_finishes")
"""The counts spread evenly over a pool's people (fairness)."""


@dataclass(frozen=True)
class ClassInfo:
    """One class of planned shifts on one day, as the rules and the wishes see it."""

    day: int
    """Shift day (from the horizon start; -1 for a lead-in day)."""
    date: dt.date
    type_name: str
    start_minute: int
    """From the day's 00:00 (past 1440 for a start after midnight)."""
    end_minute: int
    contract_minutes: int
    overtime_minutes: int
    figures: frozenset[str]
    """Which of FIGURES the shift counts towards."""


def is_night(start_minute: int, end_minute: int) -> bool:
    """Time on site between 00:00 and 06:00 of the shift's day or the next one."""
    for base in (0, 1440):
        if start_minute < base + NIGHT_END_MINUTE and end_minute > base + NIGHT_START_MINUTE:
            return True
    return False


def class_infos(view: Instance, days: list[DayClasses]) -> list[list[ClassInfo]]:
    holidays = set(view.scenario.holidays)
    makeup = set(view.scenario.makeup_workdays)  # weekend days worked as weekdays
    out = []
    for dc in days:
        date = view.date(dc.day)
        row = []
        for shape in dc.shapes:
            t, start, contract, length, overtime = shape
            end = start + length
            figures = set()
            if is_night(start, end):
                figures.add("nights")
            elif end > LATE_END_MINUTE:
                figures.add("late_finishes")
            if date.isoweekday() >= 6 and date not in makeup:
                figures.add("weekends")
            if date in holidays:
                figures.add("holidays")
            row.append(ClassInfo(dc.day, date, view.scenario.shift_types[t].name, start, end,
                                 contract, overtime, frozenset(figures)))
        out.append(row)
    return out


@dataclass
class PersonData:
    """A named person, or an open hire (member None), as the roster model sees them."""

    key: int
    """The agent's index in the pool's roster (named people first, then hires)."""
    member: StaffMember | None
    eligible: list[list[int]]
    """Per day index, the classes the person may work that day."""
    week_max_minutes: list[int | None] = field(default_factory=list)
    """Per week block, paid minutes at most."""
    week_min_minutes: list[int] = field(default_factory=list)
    """Per week block, paid minutes at least (scaled by the days available)."""
    week_contract_minutes: list[int] | None = None
    """Per week block, the contract's paid minutes (scaled), or None without a contract."""
    start_variation_minutes: int | None = None
    wishes: list[tuple[StaffRequest, list[tuple[int, list[int]]]]] = field(default_factory=list)
    """Each wish with, per day index it covers, the classes it is about (shift and
    not_shift) or every class of the day (day_off)."""

    @property
    def hire(self) -> bool:
        return self.member is None


def _person_days(view: Instance, days: list[DayClasses], member: StaffMember,
                 hard: list[StaffRequest]) -> set[int]:
    """Day indices the person may work at all."""
    blocked = {d for r in hard for d in r.days()}
    ok = set()
    for i, dc in enumerate(days):
        date = view.date(dc.day)
        if not member.works_on(date) or date in blocked:
            continue
        if not member.weekends and date.isoweekday() >= 6:
            continue
        ok.add(i)
    return ok


def _class_ok(member: StaffMember, info: ClassInfo) -> bool:
    if not member.nights and "nights" in info.figures:
        return False
    if member.earliest_start is not None and info.start_minute < parse_hhmm(member.earliest_start):
        return False
    return member.latest_end is None or info.end_minute <= parse_hhmm(member.latest_end)


def people_data(view: Instance, days: list[DayClasses], infos: list[list[ClassInfo]],
                members: list[StaffMember], requests: list[StaffRequest],
                hires: int) -> list[PersonData]:
    """The pool's named people then `hires` open hires, each with what they may work."""
    pool = view.pool
    rules = view.rules
    blocks = view.week_blocks()
    index_of = {dc.day: i for i, dc in enumerate(days)}
    by_date = {view.date(dc.day): i for i, dc in enumerate(days)}
    comprehensive = pool.comprehensive_hours_system if pool is not None else None
    out: list[PersonData] = []
    for key, member in enumerate(members):
        mine = [r for r in requests if r.id == member.id]
        open_days = _person_days(view, days, member, [r for r in mine if r.hard])
        eligible = [[c for c, info in enumerate(infos[i]) if _class_ok(member, info)]
                    if i in open_days else [] for i in range(len(days))]
        person = PersonData(key, member, eligible)
        for block_days, horizon_days in blocks:
            available = sum(1 for d in block_days if d >= 0 and index_of[d] in open_days)
            if comprehensive is not None:
                hi = round(comprehensive.max_weekly_hours * 60 * min(horizon_days, 7) / 7)
            else:
                hi = view.max_weekly_paid_minutes(horizon_days)
            if member.max_weekly_hours is not None:
                own = round(member.max_weekly_hours * 60 * min(horizon_days, 7) / 7)
                hi = own if hi is None else min(hi, own)
            lo_hours = member.min_weekly_hours if member.min_weekly_hours is not None \
                else rules.min_weekly_paid_hours
            lo = round(lo_hours * 60 * available / 7) if horizon_days >= 7 else 0
            person.week_max_minutes.append(hi)
            person.week_min_minutes.append(lo)
        contract = member.contract_weekly_hours
        if contract is None and pool is not None and pool.contract_weekly_hours > 0:
            contract = pool.contract_weekly_hours
        if contract is not None:
            person.week_contract_minutes = [
                round(contract * 60 * sum(1 for d in block_days
                                          if d >= 0 and index_of[d] in open_days) / 7)
                for block_days, _ in blocks]
        person.start_variation_minutes = member.max_start_variation_minutes \
            if member.max_start_variation_minutes is not None \
            else (pool.max_start_variation_minutes if pool is not None else None)
        for req in mine:
            if req.hard:
                continue
            covered = []
            for date in req.days():
                i = by_date.get(date)
                if i is None:
                    continue
                if req.kind == "day_off":
                    covered.append((i, list(range(len(infos[i])))))
                else:
                    covered.append((i, [c for c, info in enumerate(infos[i])
                                        if req.matches(info.type_name, info.start_minute)]))
            person.wishes.append((req, covered))
        out.append(person)
    for h in range(hires):
        person = PersonData(len(members) + h, None,
                            [list(range(len(infos[i]))) for i in range(len(days))])
        for _, horizon_days in blocks:
            person.week_max_minutes.append(view.max_weekly_paid_minutes(horizon_days))
            person.week_min_minutes.append(view.min_weekly_paid_minutes(horizon_days))
        out.append(person)
    return out
