"""Improve a plan a few days at a time (fix and optimise).

A plan's days are tied together only by its pools' agents, hires and weekly limits; each
day's shifts mostly answer that day's demand. So with every shift count outside a window
of a few days fixed at the plan in hand, CP-SAT solves the window's model (its counts,
and the agents, hires and overtime that stay free) to optimality or close in a second or
two, where the whole model stalls near its hint. Windows are visited the costliest first
(the plan's cost on their days above the LP's), then shifted by a day, and so on
until neither placement of the windows improves anything or time runs out.

Measured on double11 (24 days, 3 pools; 2-day windows, at most 3 s each, load 3): the
LP's support searched by one worker gave a plan 0.55% above the LP bound; the windows
took it to 0.25% in 27 s and 0.21% in 50 s. CP-SAT with both workers on the LP's support
for 25-35 s reached 0.44-0.46%, HiGHS's MIP from the same plan nothing in 40 s.
"""

from __future__ import annotations

import logging
import time

from scheduler.engine.sat import cp_model

from scheduler.engine.cpsat import run_cp_sat
from scheduler.engine.plan import PlanModel, hint_all
from scheduler.engine.stopping import StopSignal

log = logging.getLogger(__name__)

WINDOW_DAYS = 2
"""Days searched together (1-day windows leave the night shifts that cross midnight and
the rest between days fixed on one side; 4-day ones rarely finish in their time)."""
WINDOW_SECONDS = 3.0
"""The most one window's search may take (the busiest double11 days use it all)."""


def improve_by_days(pm: PlanModel, start: list[int], objective: float, seconds: float,
                    params: dict, stop: StopSignal | None,
                    lp_values: list[float] | None = None) -> tuple[list[int], float] | None:
    """A better plan than `start` (every model variable's value, of objective value
    `objective`) within `seconds`, found by re-optimising windows of days with every
    other day's counts fixed: (values, objective), or None when none is better."""
    deadline = time.monotonic() + seconds
    by_day = _counts_by_day(pm)
    if len(by_day) < 2:
        return None  # one window would be the whole model
    model = pm.model.clone()
    domains = {v.index: list(model.proto.variables[v.index].domain)
               for v in pm.count_vars().values()}
    best, value = list(start), objective
    improved_once = False
    idle_sweeps, sweep = 0, 0
    while idle_sweeps < WINDOW_DAYS:  # until every placement of the windows stays put
        shift, sweep = sweep % WINDOW_DAYS, sweep + 1
        improved = False
        for days in _windows(by_day, shift, best, lp_values, model):
            left = deadline - time.monotonic()
            if left < 0.3 or (stop is not None and stop.is_set()):
                return (best, value) if improved_once else None
            _fix_outside(model, by_day, days, best, domains)
            hint_all(model, best)
            solver, status = run_cp_sat(model, params, min(WINDOW_SECONDS, left), stop=stop)
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) \
                    and solver.objective_value < value - 1e-9:
                log.debug("days %s: %.6g -> %.6g", days, value, solver.objective_value)
                best, value = list(solver.response_proto.solution), solver.objective_value
                improved = improved_once = True
        idle_sweeps = 0 if improved else idle_sweeps + 1
    return (best, value) if improved_once else None


def _counts_by_day(pm: PlanModel) -> dict[int, list[int]]:
    """Day -> the indices of its count variables (shifts and their overtime extensions)."""
    out: dict[int, list[int]] = {}
    for key, v in pm.count_vars().items():
        out.setdefault(key[1], []).append(v.index)
    return out


def _windows(by_day: dict[int, list[int]], shift: int, values: list[int],
             lp_values: list[float] | None, model: cp_model.CpModel) -> list[list[int]]:
    """Windows of WINDOW_DAYS consecutive days (the first `shift` days short), the ones
    whose counts cost most above the LP's first (in day order without the LP)."""
    days = sorted(by_day)
    windows = [[d for d in days if s <= d < s + WINDOW_DAYS]
               for s in range(days[0] - shift, days[-1] + 1, WINDOW_DAYS)]
    windows = [w for w in windows if w]
    if lp_values is None:
        return windows
    coeff = dict(zip(model.proto.objective.vars, model.proto.objective.coeffs))

    def excess(window: list[int]) -> float:
        return sum(coeff.get(i, 0) * (values[i] - lp_values[i])
                   for d in window for i in by_day[d])

    return sorted(windows, key=excess, reverse=True)


def _fix_outside(model: cp_model.CpModel, by_day: dict[int, list[int]], window: list[int],
                 values: list[int], domains: dict[int, list[int]]) -> None:
    """Every count of a day outside `window` fixed at its value; the window's free again
    (a count whose domain has holes is left free: the neighbourhood is only larger)."""
    inside = set(window)
    for d, indices in by_day.items():
        for i in indices:
            if len(domains[i]) == 2:  # an interval (a count's domain always is)
                domain = model.proto.variables[i].domain
                domain[0], domain[1] = domains[i] if d in inside else (values[i], values[i])
