"""Pydantic schema of named staff and their requests (part of the scenario).

A scenario may name the people it rosters: one row a person, each in a contract pool
(pools[].name), with personal limits (weekly hours, an availability window within the
day, no nights, no weekends, first and last working day). Requests are leave and
unavailability (hard: never broken) and wishes (a day off, a shift, not a shift), each
with a weight; the roster honours wishes as far as coverage and the rules allow.
This module imports neither ortools nor typer.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from scheduler.models.sections import Strict, parse_hhmm
from scheduler.models.workload import QueueName

StaffId = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")]


def _time_of_day(value: str) -> str:
    parse_hhmm(value)  # raises ValueError with the reason
    return value


TimeOfDay = Annotated[str, AfterValidator(_time_of_day)]
"""A time "HH:MM" (HH up to 47: the next day)."""

NIGHT_START_MINUTE = 0
"""Night work is any time on site between 00:00 and 06:00 (minutes after midnight)."""
NIGHT_END_MINUTE = 6 * 60
LATE_END_MINUTE = 22 * 60
"""A late finish ends after 22:00 (and is not a night shift)."""


class StaffMember(Strict):
    """One person: their contract pool and personal limits."""

    id: StaffId
    """Unique id of the person (letters, digits and . _ -), e.g. an employee number."""
    name: Annotated[str, Field(max_length=80)] = ""
    """Name shown in the roster and the calendars. Default: the id."""
    pool: str
    """The pool (pools[].name) of the person's contract: shift types, rules, pay."""
    serves: Annotated[list[QueueName], Field(min_length=1)] | None = None
    """Queues this person answers, overriding the pool's serves (a subset of them): the
    roster counts the person's time on duty only on these (docs/staff.md: who serves which
    queue). Absent: the pool's."""
    contract_weekly_hours: Annotated[float, Field(ge=0, le=84)] | None = None
    """[hours] Contract hours a week: the roster keeps each week's paid hours close to
    them (a soft goal). Absent: the pool's contract_weekly_hours, if any."""
    min_weekly_hours: Annotated[float, Field(ge=0, le=84)] | None = None
    """[hours] Paid hours in each week of the horizon, at least (a hard rule; weeks with
    leave or outside start_date..end_date are scaled down by the days available).
    Absent: the pool's rules."""
    max_weekly_hours: Annotated[float, Field(ge=0, le=84)] | None = None
    """[hours] Paid hours in each week, at most (a hard rule; part-timers, students).
    Absent: the pool's rules."""
    earliest_start: TimeOfDay | None = None
    """Earliest shift start, "HH:MM" (e.g. "16:00" for evenings only). Absent: any."""
    latest_end: TimeOfDay | None = None
    """Latest shift end, "HH:MM" (an hour of 24 or more is the next day, "26:00" is 02:00
    after midnight). Absent: any."""
    nights: bool = True
    """false: no shift with time on site between 00:00 and 06:00. Default true."""
    weekends: bool = True
    """false: no shift on a Saturday or Sunday roster day. Default true."""
    start_date: dt.date | None = None
    """First day the person may work (a joiner). Absent: the horizon's start."""
    end_date: dt.date | None = None
    """Last day the person may work, included (a leaver, a temp). Absent: the horizon's
    end."""
    max_start_variation_minutes: Annotated[int, Field(ge=0, le=1440)] | None = None
    """[minutes] Overrides the pool's max_start_variation_minutes for this person.
    Absent: the pool's."""
    tags: dict[str, str] = {}
    """Free labels (seniority, team, ...): carried to the outputs, not used by the rules.
    In a staff file, every column not named above is a tag."""

    @model_validator(mode="after")
    def _check(self) -> StaffMember:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError("end_date is before start_date")
        lo, hi = self.min_weekly_hours, self.max_weekly_hours
        if lo is not None and hi is not None and hi < lo:
            raise ValueError("max_weekly_hours is below min_weekly_hours")
        if self.serves is not None and len(set(self.serves)) != len(self.serves):
            raise ValueError("serves names a queue twice")
        return self

    @property
    def label(self) -> str:
        """The name shown: the name, or the id when there is none."""
        return self.name or self.id

    def works_on(self, day: dt.date) -> bool:
        """Whether the day is within the person's first and last working day."""
        if self.start_date is not None and day < self.start_date:
            return False
        return self.end_date is None or day <= self.end_date


RequestKind = Literal["leave", "unavailable", "day_off", "shift", "not_shift"]
HARD_KINDS = ("leave", "unavailable")


def check_day_or_range(date: dt.date | None, start_date: dt.date | None,
                       end_date: dt.date | None) -> None:
    """One day (date) or a range (start_date and end_date, in order), not both."""
    if date is not None:
        if start_date is not None or end_date is not None:
            raise ValueError("give date, or start_date and end_date, not both")
    elif start_date is None or end_date is None:
        raise ValueError("give date, or start_date and end_date")
    elif end_date < start_date:
        raise ValueError("end_date is before start_date")


class StaffRequest(Strict):
    """Leave, unavailability or a wish of one person over one day or a range of days."""

    id: StaffId
    """The person's id (staff[].id)."""
    kind: RequestKind
    """leave and unavailable are hard (no shift on those days); day_off (no shift),
    shift (a shift of shift_type, or starting within start_from..start_until) and
    not_shift (no such shift) are wishes."""
    date: dt.date | None = None
    """The day (YYYY-MM-DD); or give start_date and end_date."""
    start_date: dt.date | None = None
    """First day of a range (YYYY-MM-DD), with end_date."""
    end_date: dt.date | None = None
    """Last day of a range, included."""
    shift_type: str | None = None
    """For shift and not_shift: the shift type wished for or against."""
    start_from: TimeOfDay | None = None
    """For shift and not_shift: the start window's earliest start, "HH:MM"."""
    start_until: TimeOfDay | None = None
    """For shift and not_shift: the start window's latest start, "HH:MM"."""
    weight: Annotated[float, Field(gt=0, le=1000, allow_inf_nan=False)] = 1.0
    """How much a wish counts against others (1: an ordinary wish). Not used by hard
    kinds. Default 1."""

    @model_validator(mode="after")
    def _check(self) -> StaffRequest:
        check_day_or_range(self.date, self.start_date, self.end_date)
        about_shift = self.shift_type is not None or self.start_from is not None \
            or self.start_until is not None
        if self.kind in ("shift", "not_shift") and not about_shift:
            raise ValueError(f"a {self.kind} request needs shift_type or start_from/start_until")
        if self.kind not in ("shift", "not_shift") and about_shift:
            raise ValueError(f"shift_type and start times do not apply to {self.kind}")
        if self.start_from is not None and self.start_until is not None \
                and parse_hhmm(self.start_until) < parse_hhmm(self.start_from):
            raise ValueError("start_until is before start_from")
        return self

    @property
    def first_day(self) -> dt.date:
        return self.date if self.date is not None else self.start_date  # type: ignore[return-value]

    @property
    def last_day(self) -> dt.date:
        return self.date if self.date is not None else self.end_date  # type: ignore[return-value]

    @property
    def hard(self) -> bool:
        return self.kind in HARD_KINDS

    def days(self) -> list[dt.date]:
        n = (self.last_day - self.first_day).days + 1
        return [self.first_day + dt.timedelta(days=i) for i in range(n)]

    def matches(self, shift_type: str, start_minute: int) -> bool:
        """Whether a shift of this type starting at this minute of its day is the one the
        request is about (shift and not_shift)."""
        if self.shift_type is not None and shift_type != self.shift_type:
            return False
        if self.start_from is not None and start_minute < parse_hhmm(self.start_from):
            return False
        return self.start_until is None or start_minute <= parse_hhmm(self.start_until)


class StaffWeights(Strict):
    """How the named roster weighs its goals once the fewest hires are found (hires come
    first, see docs/staff.md): one weighted sum in points, minimised."""

    wish: Annotated[int, Field(ge=0, le=1_000_000)] = 100
    """[points per weight unit] A wish not honoured costs its weight times this.
    Default 100."""
    fairness: Annotated[int, Field(ge=0, le=1_000_000)] = 40
    """[points per shift] Each pool's largest count per person of nights, weekend
    shifts, holiday shifts and late finishes costs this per shift. Default 40."""
    contract_hours: Annotated[int, Field(ge=0, le=1_000_000)] = 5
    """[points per hour] Each hour a week's paid hours are away from the person's
    contract_weekly_hours. Default 5."""


class Staff(Strict):
    """The people rostered by name: a CSV file (one row a person, the columns named as
    the keys of people[]) or the list itself."""

    file: str | None = None
    """CSV file of the staff, relative to the scenario file. Columns: id, name, pool and
    any of the optional keys of people[]; serves as queue names separated by ; or |;
    other columns are tags."""
    people: list[StaffMember] = []
    """The people (when no file is given)."""
    weights: StaffWeights = StaffWeights()
    """How wishes, fairness and contract hours are weighed. Default: see StaffWeights."""

    @model_validator(mode="after")
    def _check(self) -> Staff:
        if self.file is not None and self.people:
            raise ValueError("give file or people, not both")
        if self.file is None and not self.people:
            raise ValueError("give file (a CSV) or people (a list)")
        ids = [p.id for p in self.people]
        if len(set(ids)) != len(ids):
            seen: set[str] = set()
            twice = next(i for i in ids if i in seen or seen.add(i))  # type: ignore[func-returns-value]
            raise ValueError(f"people: the id {twice!r} is given twice")
        return self


class Requests(Strict):
    """Leave and wishes of the named staff: a CSV file or the list itself."""

    file: str | None = None
    """CSV file of the requests, relative to the scenario file: columns id, kind and date
    (or start_date and end_date), optional shift_type, start_from, start_until, weight."""
    items: list[StaffRequest] = []
    """The requests (when no file is given)."""

    @model_validator(mode="after")
    def _check(self) -> Requests:
        if self.file is not None and self.items:
            raise ValueError("give file or items, not both")
        return self


def staff_problems(scenario, people: list[StaffMember],
                   requests: list[StaffRequest]) -> list[tuple[tuple, str]]:
    """What is wrong with the staff and requests against the rest of the scenario: a list
    of (where, message), where is ("people", i, key) or ("items", i, key). The scenario is
    the validated Scenario (duck-typed: this module does not import it)."""
    problems: list[tuple[tuple, str]] = []
    pools = {p.name: p for p in scenario.pools}
    if not pools:
        return [(("people",), "named staff need pools: give pools[] and put each person "
                 "in one")]
    types = {t.name: t for t in scenario.shift_types}
    first = scenario.horizon.start_date
    last = first + dt.timedelta(days=scenario.horizon.days - 1)
    ids: dict[str, StaffMember] = {}
    for i, person in enumerate(people):
        if person.id in ids:
            problems.append((("people", i, "id"), f"the id {person.id!r} is given twice"))
        ids[person.id] = person
        pool = pools.get(person.pool)
        if pool is None:
            problems.append((("people", i, "pool"), f"no pool is named {person.pool!r} "
                             f"(pools: {', '.join(pools)})"))
            continue
        served = scenario.queues_served(pool)
        for j, queue in enumerate(person.serves or []):
            if queue not in served:
                problems.append((("people", i, "serves"), f"{queue!r} is not a queue pool "
                                 f"{pool.name!r} serves ({', '.join(served) or 'none'})"))
        rules = scenario.rules_for(pool)
        longest = max((h for t in pool.shift_types for h in types[t].paid_hours), default=0)
        reachable = longest * rules.max_days_per_week
        if rules.max_daily_paid_hours is not None:
            reachable = min(reachable, rules.max_daily_paid_hours * rules.max_days_per_week)
        cap = rules.max_weekly_paid_hours
        if pool.comprehensive_hours_system is not None:
            cap = pool.comprehensive_hours_system.max_weekly_hours
        if cap is not None:
            reachable = min(reachable, cap)
        if person.max_weekly_hours is not None:
            reachable = min(reachable, person.max_weekly_hours)
        if person.min_weekly_hours is not None and person.min_weekly_hours > reachable + 1e-9:
            problems.append((("people", i, "min_weekly_hours"), (
                f"{person.min_weekly_hours:g} h a week cannot be met: pool {pool.name!r}'s "
                f"shifts and rules allow at most {reachable:g} h")))
        if person.earliest_start is not None or person.latest_end is not None:
            lo = parse_hhmm(person.earliest_start) if person.earliest_start else 0
            hi = parse_hhmm(person.latest_end) if person.latest_end else 48 * 60
            fits = any(
                types[t].latest_start_minute >= lo
                and max(lo, types[t].earliest_start_minute) + round(min(types[t].paid_hours) * 60) <= hi
                for t in pool.shift_types)
            if not fits:
                problems.append((("people", i, "latest_end" if person.latest_end else
                                  "earliest_start"),
                                 f"no shift of pool {pool.name!r} fits between "
                                 f"{person.earliest_start or '00:00'} and "
                                 f"{person.latest_end or '48:00'}"))
    for i, req in enumerate(requests):
        person = ids.get(req.id)
        if person is None:
            problems.append((("items", i, "id"), f"no person has the id {req.id!r}"))
            continue
        if req.first_day < first or req.last_day > last:
            problems.append((("items", i, "date" if req.date else "start_date"), (
                f"{req.first_day}..{req.last_day} is not within the horizon "
                f"{first}..{last}")))
        if req.shift_type is not None:
            pool = pools.get(person.pool)
            allowed = pool.shift_types if pool is not None else list(types)
            if req.shift_type not in allowed:
                problems.append((("items", i, "shift_type"), (
                    f"{req.shift_type!r} is not a shift type of {person.id}'s pool "
                    f"({', '.join(allowed)})")))
    return problems


ChangeKind = Literal["sick", "leave", "unavailable", "leaves", "demand", "contacts"]


class RosterChange(Strict):
    """One change a re-plan answers (`scheduler replan --changes`): a person sick, on
    leave or unavailable over days, a person leaving, a new demand file (the whole
    requirement, or one queue's) or a new forecast of contacts (a channel's volume
    file)."""

    kind: ChangeKind
    """sick, leave, unavailable: the person works no shift on those days (hard);
    leaves: the person works no shift from `date` on; demand: `file` replaces the
    scenario's demand file (the requirement per slot); contacts: `file` replaces the
    volume file of the channels the roster was sized from (a scenario with `channels`;
    the requirement is sized again from the new contacts)."""
    id: StaffId | None = None
    """The person's id (staff[].id); not for demand or contacts."""
    date: dt.date | None = None
    """The day (YYYY-MM-DD); for leaves, the first day the person is gone."""
    start_date: dt.date | None = None
    """First day of a range (YYYY-MM-DD), with end_date."""
    end_date: dt.date | None = None
    """Last day of a range, included."""
    file: str | None = None
    """For demand: the new demand file (CSV as the scenario's demand.file); for contacts:
    the new volume file (CSV as channels[].volume_file: `start` and a column of contacts
    per channel, named as the channel or its volume_column). Relative to the changes
    file."""
    queue: str | None = None
    """For demand in a folder whose scenario splits queues (channels[].required): the
    queue (channels[].name) whose agents per slot `file` replaces. Absent: `file` is the
    scenario's whole requirement. For contacts: the channel whose volume file `file`
    replaces; absent: every channel's."""
    note: str | None = None
    """Free text carried into changes.csv (e.g. "flu")."""

    @model_validator(mode="after")
    def _check(self) -> RosterChange:
        dated = self.date is not None or self.start_date is not None or self.end_date is not None
        if self.kind in ("demand", "contacts"):
            if self.file is None:
                raise ValueError(f"a {self.kind} change needs file")
            if self.id is not None or dated:
                raise ValueError(f"a {self.kind} change takes file only (no id or dates)")
            return self
        if self.queue is not None:
            raise ValueError(f"queue does not apply to {self.kind}")
        if self.id is None:
            raise ValueError(f"a {self.kind} change needs id")
        if self.file is not None:
            raise ValueError(f"file does not apply to {self.kind}")
        if self.kind == "leaves":
            if self.date is None or self.start_date is not None or self.end_date is not None:
                raise ValueError("a leaves change needs date (the first day gone) only")
        else:
            check_day_or_range(self.date, self.start_date, self.end_date)
        return self

    @property
    def first_day(self) -> dt.date | None:
        return self.date if self.date is not None else self.start_date

    @property
    def last_day(self) -> dt.date | None:
        if self.kind == "leaves":
            return None  # open-ended
        return self.date if self.date is not None else self.end_date
