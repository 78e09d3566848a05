"""Independent checker of rosters for the Curtois and Qu (2014) instances.

Given an instance (scheduler.datasets.curtois) and a roster (employee id -> per day a
shift id or None), `check_roster` lists every broken hard rule and recomputes the
objective exactly as shared/benchmarks/curtois/FORMAT.md defines it:

    sum over on-requests  w * [the shift is not worked that day]
  + sum over off-requests w * [the shift is worked that day]
  + sum over cover lines  wu * max(0, r - n) + wo * max(0, n - r)

Border conventions (FORMAT.md): the days before and after the horizon count as days off
for the maximum run of shifts; runs of shifts or of days off that touch day 0 or the last
day are exempt from the minimum run lengths; "cannot follow" applies inside the horizon
only. This module imports nothing from the engine: it is written from the definition."""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.datasets.curtois import CurtoisInstance, Roster


@dataclass(frozen=True)
class CurtoisViolation:
    rule: str
    """One of: shape, unknown_shift, days_off, cannot_follow, max_shifts, max_minutes,
    min_minutes, max_consecutive_shifts, min_consecutive_shifts,
    min_consecutive_days_off, max_weekends."""
    employee: str
    day: int | None
    message: str


@dataclass(frozen=True)
class CurtoisCheck:
    violations: tuple[CurtoisViolation, ...]
    objective: int
    under_cover: int
    """Weighted penalty of missing people (sum of wu * shortfall)."""
    over_cover: int
    on_requests: int
    """Weight of shift-on requests not granted."""
    off_requests: int
    """Weight of shift-off requests not granted (the shift was worked)."""

    @property
    def feasible(self) -> bool:
        return not self.violations


def _runs(worked: list[bool]) -> list[tuple[bool, int, int]]:
    """Maximal runs as (working?, first day, length)."""
    runs = []
    start = 0
    for d in range(1, len(worked) + 1):
        if d == len(worked) or worked[d] != worked[start]:
            runs.append((worked[start], start, d - start))
            start = d
    return runs


def check_roster(inst: CurtoisInstance, roster: Roster) -> CurtoisCheck:
    shifts = {s.id: s for s in inst.shifts}
    out: list[CurtoisViolation] = []
    grid: dict[str, list[str | None]] = {}
    for person in inst.staff:
        row = list(roster.get(person.id, ()))
        if person.id not in roster or len(row) != inst.days:
            out.append(CurtoisViolation("shape", person.id, None,
                                        f"{person.id}: roster has {len(row)} days, "
                                        f"the horizon {inst.days}"))
            row = (row + [None] * inst.days)[: inst.days]
        for d, s in enumerate(row):
            if s is not None and s not in shifts:
                out.append(CurtoisViolation("unknown_shift", person.id, d,
                                            f"{person.id} day {d}: unknown shift '{s}'"))
                row[d] = None
        grid[person.id] = row
    for eid in roster:
        if eid not in grid:
            out.append(CurtoisViolation("shape", eid, None, f"unknown employee '{eid}'"))

    for person in inst.staff:
        row = grid[person.id]
        e = person.id
        for d in sorted(person.days_off):
            if row[d] is not None:
                out.append(CurtoisViolation("days_off", e, d,
                                            f"{e} works {row[d]} on day {d}, a day off"))
        for d in range(inst.days - 1):
            a, b = row[d], row[d + 1]
            if a is not None and b is not None and b in shifts[a].cannot_follow:
                out.append(CurtoisViolation("cannot_follow", e, d + 1,
                                            f"{e}: {b} on day {d + 1} follows {a}"))
        for sid, cap in person.max_shifts:
            count = sum(1 for s in row if s == sid)
            if count > cap:
                out.append(CurtoisViolation("max_shifts", e, None,
                                            f"{e} works {count} x {sid}, at most {cap}"))
        minutes = sum(shifts[s].length_minutes for s in row if s is not None)
        if minutes > person.max_total_minutes:
            out.append(CurtoisViolation("max_minutes", e, None, f"{e} works {minutes} min, "
                                        f"at most {person.max_total_minutes}"))
        if minutes < person.min_total_minutes:
            out.append(CurtoisViolation("min_minutes", e, None, f"{e} works {minutes} min, "
                                        f"at least {person.min_total_minutes}"))
        worked = [s is not None for s in row]
        for working, first, length in _runs(worked):
            inner = first > 0 and first + length < inst.days
            if working and length > person.max_consecutive_shifts:
                out.append(CurtoisViolation(
                    "max_consecutive_shifts", e, first,
                    f"{e} works {length} days in a row from day {first}, at most "
                    f"{person.max_consecutive_shifts}"))
            if working and inner and length < person.min_consecutive_shifts:
                out.append(CurtoisViolation(
                    "min_consecutive_shifts", e, first,
                    f"{e} works {length} days in a row from day {first}, at least "
                    f"{person.min_consecutive_shifts}"))
            if not working and inner and length < person.min_consecutive_days_off:
                out.append(CurtoisViolation(
                    "min_consecutive_days_off", e, first,
                    f"{e} has {length} days off in a row from day {first}, at least "
                    f"{person.min_consecutive_days_off}"))
        weekends = sum(1 for sat, sun in inst.weekends if worked[sat] or worked[sun])
        if weekends > person.max_weekends:
            out.append(CurtoisViolation("max_weekends", e, None, f"{e} works {weekends} "
                                        f"weekends, at most {person.max_weekends}"))

    on = sum(r.weight for r in inst.on_requests if grid[r.employee][r.day] != r.shift)
    off = sum(r.weight for r in inst.off_requests if grid[r.employee][r.day] == r.shift)
    count: dict[tuple[int, str], int] = {}
    for row in grid.values():
        for d, s in enumerate(row):
            if s is not None:
                count[(d, s)] = count.get((d, s), 0) + 1
    under = over = 0
    for c in inst.cover:
        n = count.get((c.day, c.shift), 0)
        under += c.weight_under * max(0, c.requirement - n)
        over += c.weight_over * max(0, n - c.requirement)
    return CurtoisCheck(tuple(out), under + over + on + off, under, over, on, off)
