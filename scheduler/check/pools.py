"""Pools and overtime: every agent in one of the scenario's pools, working the pool's
shift types within its availability ("pool"), the pool's labour rules and hiring cap;
overtime only where the pool works it, within the daily and monthly caps and in whole
steps ("overtime"). Also what the roster costs (`roster_cost`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from scheduler import models
from scheduler.check.grid import MINUTES_TOL, Grid
from scheduler.check.report import Violation, fmt_hours, fmt_minutes_as_hours
from scheduler.check.roster import ShiftRecord
from scheduler.check.rules import check_labour_rules


def check_no_pools(shifts: list[ShiftRecord], out: list[Violation]) -> None:
    """A scenario without pools: no shift may name a pool or overtime."""
    for sh in shifts:
        if sh.pool or sh.overtime:
            out.append(Violation(
                "pool", f"{sh.where}: {sh.label} names a pool or overtime; the scenario "
                "has no pools", sh.agent, sh.start))


def check_pools(
    shifts: list[ShiftRecord], scenario: models.Scenario, grid: Grid, out: list[Violation],
    named: frozenset[str] = frozenset(),
) -> None:
    """Pool membership, each shift's pool and overtime rules, the monthly overtime cap,
    then each pool's labour rules and hiring cap. The `named` people's weekly hours are
    their own (check/staff.py), not the pool's."""
    agents = _pool_of_agents(shifts, scenario, out)
    for sh in shifts:
        pool = agents.get(sh.agent)
        if pool is None:
            continue
        _check_pool_shift(sh, pool, grid, out)
        _check_shift_overtime(sh, pool, scenario.overtime, out)
    _check_monthly_overtime(shifts, scenario.overtime, grid, out)
    for pool in scenario.pools:
        members = [sh for sh in shifts if agents.get(sh.agent) is pool]
        rules = scenario.rules_for(pool)
        check_labour_rules([sh for sh in members if sh.agent not in named], grid, rules, out)
        own_hours = rules.model_copy(update={"min_weekly_paid_hours": 0.0,
                                             "max_weekly_paid_hours": None})
        check_labour_rules([sh for sh in members if sh.agent in named], grid, own_hours, out)
        count = len({sh.agent for sh in members})
        if pool.max_hire is not None and count > pool.standing + pool.max_hire:
            out.append(Violation(
                "max_headcount", f"pool {pool.name!r} has {count} agents in the roster; at "
                f"most {pool.standing} standing + {pool.max_hire} hired"))


def _pool_of_agents(
    shifts: list[ShiftRecord], scenario: models.Scenario, out: list[Violation]
) -> dict[str, models.Pool]:
    """Each agent's pool (that of their first shift naming a known pool)."""
    pools = {p.name: p for p in scenario.pools}
    found: dict[str, models.Pool] = {}
    for sh in shifts:
        pool = pools.get(sh.pool)
        if pool is None:
            out.append(Violation(
                "pool", f"{sh.where}: {sh.label}: pool {sh.pool!r} is not one of "
                f"{', '.join(pools)}", sh.agent, sh.start))
            continue
        before = found.setdefault(sh.agent, pool)
        if before.name != pool.name:
            out.append(Violation(
                "pool", f"{sh.where}: {sh.agent} works for pool {before.name!r} and "
                f"{pool.name!r}", sh.agent, sh.start))
    return found


def _check_pool_shift(
    sh: ShiftRecord, pool: models.Pool, grid: Grid, out: list[Violation]
) -> None:
    if sh.type_name not in pool.shift_types:
        out.append(Violation(
            "pool", f"{sh.where}: {sh.label}: pool {pool.name!r} does not work "
            f"{sh.type_name!r}", sh.agent, sh.start))
    date = grid.day_start(sh.day).date()
    if (pool.available_from and date < pool.available_from) or (
        pool.available_until and date > pool.available_until
    ):
        out.append(Violation(
            "pool", f"{sh.where}: {sh.label}: pool {pool.name!r} is available "
            f"{pool.available_from or '...'} to {pool.available_until or '...'}",
            sh.agent, sh.start))


def _check_shift_overtime(
    sh: ShiftRecord, pool: models.Pool, ot: models.Overtime, out: list[Violation]
) -> None:
    if not sh.overtime:
        return
    if not pool.overtime:
        out.append(Violation(
            "overtime", f"{sh.where}: {sh.label} has {sh.overtime} min overtime; pool "
            f"{pool.name!r} works none", sh.agent, sh.start))
    elif sh.overtime > ot.max_daily_hours * 60 + MINUTES_TOL:
        out.append(Violation(
            "overtime", f"{sh.where}: {sh.label} has {sh.overtime} min overtime; at "
            f"most {fmt_hours(ot.max_daily_hours)} a day", sh.agent, sh.start))
    elif sh.overtime % ot.step_minutes:
        out.append(Violation(
            "overtime", f"{sh.where}: {sh.label} has {sh.overtime} min overtime, not "
            f"a multiple of {ot.step_minutes} min", sh.agent, sh.start))


def _check_monthly_overtime(
    shifts: list[ShiftRecord], ot: models.Overtime, grid: Grid, out: list[Violation]
) -> None:
    """Overtime per agent and calendar month of the shift day."""
    monthly: dict[tuple[str, int, int], int] = defaultdict(int)
    for sh in shifts:
        date = grid.day_start(sh.day).date()
        monthly[(sh.agent, date.year, date.month)] += sh.overtime
    for (agent, year, month), minutes in sorted(monthly.items()):
        if minutes > ot.max_monthly_hours * 60 + MINUTES_TOL:
            out.append(Violation(
                "overtime", f"{agent} works {fmt_minutes_as_hours(minutes)} overtime in "
                f"{year}-{month:02d}; at most {fmt_hours(ot.max_monthly_hours)} a month", agent))


# --------------------------------------------------------------------------- cost


def _premium(scenario: models.Scenario, date: dt.date) -> float:
    ot = scenario.overtime
    if date in scenario.holidays:
        return ot.holiday_premium
    if date.isoweekday() in ot.rest_weekdays:
        return ot.rest_day_premium
    return ot.workday_premium


def roster_cost(shifts: list[ShiftRecord], scenario: models.Scenario, grid: Grid) -> float:
    """Shifts at their pool's or type's rate with overtime premiums, hiring beyond the
    standing agents, standing agents' idle contract hours, and the cost per agent."""
    pools = {p.name: p for p in scenario.pools}
    types = {t.name: t for t in scenario.shift_types}
    total = 0.0
    worked: dict[str, int] = defaultdict(int)
    for sh in shifts:
        pool = pools.get(sh.pool)
        stype = types.get(sh.type_name)
        if stype is None:
            continue
        rate = pool.cost_per_paid_hour if pool and pool.cost_per_paid_hour is not None \
            else stype.cost_per_paid_hour
        date = grid.day_start(sh.day).date()
        total += rate * (sh.contract + sh.overtime * _premium(scenario, date)) / 60
        worked[sh.agent] += sh.contract
    for pool in scenario.pools:
        members = sorted({sh.agent for sh in shifts if sh.pool == pool.name},
                         key=lambda a: -worked[a])
        total += pool.cost_per_hire * max(0, len(members) - pool.standing)
        if pool.contract_weekly_hours > 0:
            due = pool.contract_weekly_hours * 60 * grid.days / 7
            hours = [worked[a] for a in members[: pool.standing]]
            hours += [0] * (pool.standing - len(hours))
            total += sum(pool.cost_per_paid_hour * max(0.0, due - h) / 60 for h in hours)
    total += scenario.objective.cost_per_agent * len({sh.agent for sh in shifts})
    return total
