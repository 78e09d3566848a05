"""Shift rules: a known shift type ("shift_type"), a start the type allows on a day of the
horizon ("shift_start", which also gives every shift its day), and the paid minutes and
length the type and its unpaid breaks make ("shift_length")."""

from __future__ import annotations

from collections import defaultdict

from scheduler import models
from scheduler.check.breaks import applicable_breaks
from scheduler.check.grid import DAY, MINUTES_TOL, Grid
from scheduler.check.report import Violation, fmt_hours, fmt_moment
from scheduler.check.roster import ShiftRecord


def check_shift_types(
    shifts: list[ShiftRecord], scenario: models.Scenario, out: list[Violation]
) -> None:
    """Give every shift its type; "shift_type" where the scenario has no such type."""
    types = {t.name: t for t in scenario.shift_types}
    for sh in shifts:
        sh.stype = types.get(sh.type_name)
        if sh.stype is None:
            out.append(
                Violation(
                    "shift_type",
                    f"{sh.where}: {sh.label}: unknown shift type {sh.type_name!r} "
                    f"(known: {', '.join(types)})",
                    sh.agent,
                    sh.start,
                )
            )


# --------------------------------------------------------------------------- starts and days


def _start_allowed(stype: models.ShiftType, slot: int, offset: int) -> bool:
    first = -(-stype.earliest_start_minute // slot) * slot
    step = stype.start_step_minutes or slot
    return first <= offset <= stype.latest_start_minute and (offset - first) % step == 0


def _candidate_days(sh: ShiftRecord, grid: Grid) -> list[int]:
    """Days d (latest first) for which the start is an allowed offset from d 00:00."""
    if sh.stype is None:
        return []
    own = sh.s // DAY
    return [d for d in (own, own - 1) if _start_allowed(sh.stype, grid.slot, sh.s - d * DAY)]


def _day_in_horizon(day: int, sh: ShiftRecord, grid: Grid) -> bool:
    if grid.cyclic:
        return True
    if day == -1:
        return sh.e > 0  # a lead-in shift must reach into the horizon
    return 0 <= day < grid.days


def assign_days(shifts: list[ShiftRecord], grid: Grid, out: list[Violation]) -> None:
    """Give every shift its day; "shift_start" where no allowed start matches.

    A start can match two days only when a start window is longer than 24 h; then the
    latest day not yet used by the agent is taken. Shifts without a valid day keep the
    date of their start for the labour rules."""
    by_agent: dict[str, list[ShiftRecord]] = defaultdict(list)
    for sh in shifts:
        by_agent[sh.agent].append(sh)
    for agent_shifts in by_agent.values():
        candidates = {id(sh): _candidate_days(sh, grid) for sh in agent_shifts}
        used: set[int] = set()
        for sh in sorted(agent_shifts, key=lambda x: (len(candidates[id(x)]), x.s)):
            days = candidates[id(sh)]
            inside = [d for d in days if _day_in_horizon(d, sh, grid)]
            if sh.stype is not None and not days:
                out.append(
                    Violation(
                        "shift_start",
                        f"{sh.where}: {sh.label}: {fmt_moment(sh.start)} is not an allowed "
                        f"start of {sh.type_name!r} (window {sh.stype.earliest_start}-"
                        f"{sh.stype.latest_start}, every "
                        f"{sh.stype.start_step_minutes or grid.slot} min)",
                        sh.agent,
                        sh.start,
                    )
                )
            elif days and not inside:
                out.append(
                    Violation(
                        "shift_start",
                        f"{sh.where}: {sh.label}: its day {grid.day_start(days[0]).date()} "
                        "is outside the horizon",
                        sh.agent,
                        sh.start,
                    )
                )
            if inside:
                free = [d for d in inside if _day_key(d, grid) not in used]
                day = (free or inside)[0]
            else:
                day = days[0] if days else sh.s // DAY
            _set_day(sh, day, grid)
            used.add(sh.day)


def _day_key(day: int, grid: Grid) -> int:
    return day % grid.days if grid.cyclic else day


def _set_day(sh: ShiftRecord, day: int, grid: Grid) -> None:
    if grid.cyclic:
        wraps = day // grid.days
        sh.day = day % grid.days
        sh.ns = sh.s - wraps * grid.length
    else:
        sh.day = day
        sh.ns = sh.s


# --------------------------------------------------------------------------- length


def check_shift_length(sh: ShiftRecord, out: list[Violation]) -> None:
    """Paid minutes (besides overtime) one of the type's lengths; the shift as long as
    its paid minutes plus the unpaid breaks of that length."""
    if sh.stype is None:
        return
    allowed = [h * 60 for h in sh.stype.paid_hours]
    if not any(abs(sh.contract - a) <= MINUTES_TOL for a in allowed):
        extra = f" ({sh.overtime} min of them overtime)" if sh.overtime else ""
        out.append(
            Violation(
                "shift_length",
                f"{sh.where}: {sh.label} is paid {sh.paid} min{extra}; {sh.type_name!r} allows "
                f"{', '.join(fmt_hours(h) for h in sh.stype.paid_hours)}",
                sh.agent,
                sh.start,
            )
        )
    unpaid = sum(b.duration_minutes for b in applicable_breaks(sh.stype, sh.contract) if not b.paid)
    if sh.e - sh.s != sh.paid + unpaid:
        out.append(
            Violation(
                "shift_length",
                f"{sh.where}: {sh.label} lasts {sh.e - sh.s} min, expected {sh.paid + unpaid} "
                f"({sh.paid} min paid + {unpaid} min unpaid breaks)",
                sh.agent,
                sh.start,
            )
        )
