"""Labour rules per agent: one shift a shift day ("one_shift_per_day"), the minimum rest
between shifts ("min_rest"), days worked in any 7 days ("max_days_per_week"), consecutive
working days ("max_consecutive_days"), paid hours per 7-day block ("max_weekly_hours",
"min_weekly_hours") and per shift ("max_daily_hours"); and the roster's headcount
("max_headcount"). Overtime minutes do not count towards the hour limits."""

from __future__ import annotations

from collections import defaultdict

from scheduler import models
from scheduler.check.grid import HOURS_TOL, Grid
from scheduler.check.report import Violation, fmt_hours, fmt_minutes_as_hours, fmt_moment
from scheduler.check.roster import ShiftRecord


def check_labour_rules(
    shifts: list[ShiftRecord], grid: Grid, rules: models.LabourRules, out: list[Violation]
) -> None:
    """Every labour rule for every agent of `shifts`, agent by agent."""
    for agent, agent_shifts in _by_agent(shifts).items():
        _check_one_shift_per_day(agent, agent_shifts, grid, out)
        _check_min_rest(agent, agent_shifts, grid, rules.min_rest_hours, out)
        _check_max_days_per_week(agent, agent_shifts, grid, rules.max_days_per_week, out)
        if rules.max_consecutive_days is not None:
            _check_max_consecutive_days(agent, agent_shifts, grid, rules.max_consecutive_days, out)
        _check_weekly_hours(agent, agent_shifts, grid, rules, out)
    _check_max_daily_hours(shifts, rules.max_daily_paid_hours, out)


def check_max_headcount(headcount: int, limit: int | None, out: list[Violation]) -> None:
    if limit is not None and headcount > limit:
        out.append(
            Violation("max_headcount", f"{headcount} agents in the roster; at most {limit}")
        )


def _by_agent(shifts: list[ShiftRecord]) -> dict[str, list[ShiftRecord]]:
    grouped: dict[str, list[ShiftRecord]] = defaultdict(list)
    for sh in sorted(shifts, key=lambda x: (x.ns, x.e)):
        grouped[sh.agent].append(sh)
    return grouped


def _working_days(agent_shifts: list[ShiftRecord], grid: Grid) -> set[int]:
    """Days with a shift, restricted to the horizon (plus the lead-in day -1)."""
    low = 0 if grid.cyclic else -1
    return {sh.day for sh in agent_shifts if low <= sh.day < grid.days}


def _day_span(first: int, last: int, grid: Grid) -> str:
    return f"{grid.day_start(first).date()} to {grid.day_start(last).date()}"


def _check_one_shift_per_day(
    agent: str, shifts: list[ShiftRecord], grid: Grid, out: list[Violation]
) -> None:
    per_day: dict[int, list[ShiftRecord]] = defaultdict(list)
    for sh in shifts:
        per_day[sh.day].append(sh)
    for day, same_day in sorted(per_day.items()):
        if len(same_day) > 1:
            starts = ", ".join(fmt_moment(sh.start) for sh in same_day)
            out.append(
                Violation(
                    "one_shift_per_day",
                    f"{agent} has {len(same_day)} shifts on the shift day "
                    f"{grid.day_start(day).date()} (starting {starts})",
                    agent,
                    grid.day_start(day),
                )
            )


def _check_min_rest(
    agent: str, shifts: list[ShiftRecord], grid: Grid, min_rest_hours: float,
    out: list[Violation],
) -> None:
    pairs = list(zip(shifts, shifts[1:]))
    if grid.cyclic and shifts:
        pairs.append((shifts[-1], shifts[0]))
    for index, (prev, nxt) in enumerate(pairs):
        wrap = grid.length if grid.cyclic and index == len(shifts) - 1 else 0
        gap = nxt.ns + wrap - prev.ne
        again = " (the roster repeats)" if wrap else ""
        if gap < 0:
            out.append(
                Violation(
                    "min_rest",
                    f"{prev.label} and {nxt.label}{again} overlap",
                    agent,
                    nxt.start,
                )
            )
        elif gap / 60 < min_rest_hours - HOURS_TOL:
            out.append(
                Violation(
                    "min_rest",
                    f"{agent} rests {fmt_minutes_as_hours(gap)} between {prev.label} and "
                    f"{nxt.label}{again}; at least {fmt_hours(min_rest_hours)} required",
                    agent,
                    nxt.start,
                )
            )


def _week_windows(worked: set[int], grid: Grid) -> list[list[int]]:
    """The 7-day windows to check, each as its list of day indices."""
    days = grid.days
    if grid.cyclic:
        return [[(w + k) % days for k in range(7)] for w in range(days)]
    low = min(min(worked, default=0), 0)
    if days - low < 7:
        return [list(range(low, days))]
    return [list(range(w, w + 7)) for w in range(low, days - 6)]


def _check_max_days_per_week(
    agent: str, shifts: list[ShiftRecord], grid: Grid, limit: int, out: list[Violation]
) -> None:
    worked = _working_days(shifts, grid)
    for window in _week_windows(worked, grid):
        count = sum(1 for d in window if d in worked)
        if count > limit:
            first = window[0]
            last = first + len(window) - 1
            out.append(
                Violation(
                    "max_days_per_week",
                    f"{agent} works {count} days in the {len(window)} days "
                    f"{_day_span(first, last, grid)}; at most {limit}",
                    agent,
                    grid.day_start(first),
                )
            )


def _runs(worked: set[int], grid: Grid) -> list[tuple[int, int]]:
    """Runs of consecutive working days as (first day, length); cyclic runs wrap."""
    if grid.cyclic:
        days = grid.days
        if len(worked) >= days:
            return [(0, -1)]  # every day: an unbounded run
        free = next(d for d in range(days) if d not in worked)
        order = [(free + 1 + k) % days for k in range(days)]
    else:
        order = list(range(-1, grid.days))
    runs, first, length = [], None, 0
    for day in order + [None]:
        if day is not None and day in worked:
            first = day if length == 0 else first
            length += 1
        elif length:
            runs.append((first, length))
            length = 0
    return runs


def _check_max_consecutive_days(
    agent: str, shifts: list[ShiftRecord], grid: Grid, limit: int, out: list[Violation]
) -> None:
    for first, length in _runs(_working_days(shifts, grid), grid):
        if length < 0:
            message = (
                f"{agent} works every day of the cyclic horizon (an unbounded run); "
                f"at most {limit} consecutive days"
            )
        elif length > limit:
            message = (
                f"{agent} works {length} consecutive days from {grid.day_start(first).date()}; "
                f"at most {limit}"
            )
        else:
            continue
        out.append(Violation("max_consecutive_days", message, agent, grid.day_start(first)))


def _weekly_paid_minutes(shifts: list[ShiftRecord], grid: Grid) -> dict[int, int]:
    """Contract minutes per 7-day block from the horizon start (the lead-in day in block 0)."""
    totals: dict[int, int] = defaultdict(int)
    for sh in shifts:
        if (-1 if not grid.cyclic else 0) <= sh.day < grid.days:
            totals[max(sh.day, 0) // 7] += sh.contract
    return totals


def _block_days(block: int, grid: Grid) -> int:
    return min(7, grid.days - 7 * block)


def _check_weekly_hours(
    agent: str, shifts: list[ShiftRecord], grid: Grid, rules: models.LabourRules,
    out: list[Violation],
) -> None:
    """The maximum scaled to a shorter last block; the minimum in full blocks only."""
    totals = _weekly_paid_minutes(shifts, grid)
    num_blocks = -(-grid.days // 7)
    for block in range(num_blocks):
        n = _block_days(block, grid)
        hours = totals.get(block, 0) / 60
        span = _day_span(7 * block, 7 * block + n - 1, grid)
        when = grid.day_start(7 * block)
        if rules.max_weekly_paid_hours is not None:
            limit = rules.max_weekly_paid_hours * n / 7
            if hours > limit + HOURS_TOL:
                out.append(
                    Violation(
                        "max_weekly_hours",
                        f"{agent} is paid {fmt_hours(round(hours, 4))} in the week {span}; "
                        f"at most {fmt_hours(round(limit, 4))}"
                        + (f" ({n} of 7 days)" if n < 7 else ""),
                        agent,
                        when,
                    )
                )
        if n == 7 and hours < rules.min_weekly_paid_hours - HOURS_TOL:
            out.append(
                Violation(
                    "min_weekly_hours",
                    f"{agent} is paid {fmt_hours(round(hours, 4))} in the week {span}; "
                    f"at least {fmt_hours(rules.min_weekly_paid_hours)}",
                    agent,
                    when,
                )
            )


def _check_max_daily_hours(
    shifts: list[ShiftRecord], limit: float | None, out: list[Violation]
) -> None:
    if limit is None:
        return
    for sh in shifts:
        if sh.contract / 60 > limit + HOURS_TOL:
            out.append(
                Violation(
                    "max_daily_hours",
                    f"{sh.where}: {sh.label} is paid {fmt_minutes_as_hours(sh.contract)} "
                    f"besides overtime; at most {fmt_hours(limit)} a day",
                    sh.agent,
                    sh.start,
                )
            )
