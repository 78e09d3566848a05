"""Shift design: the plan when each distinct shift is penalised (objective.kind penalties
with objective.distinct_shift_penalty), for planners who want few shift start times.

In the plan model every distinct shift (start time of day + paid length) has an indicator
y linked to its counts by n <= ub * y. The LP relaxation of those links is weak (y = n / ub
pays a fraction of the penalty), so branch and bound over every shift the shift types
allow stops at the time limit with far more distinct shifts than needed.

Most shifts can be set aside by looking at the demand. In a plan that covers the demand
exactly, a shift starts at a time when the demand of the days it is worked rises, unless
another shift ends at that very time (and ends where it falls, unless another starts);
the demand generated from a few shifts, or shaped by planners' shifts, changes at few times
of day. So the stage first searches among the shifts whose start and end are change points
of the demand (a heuristic restriction: every other indicator is fixed at 0), in rings:

1. narrow: shifts starting where the demand of some day rises and ending where the demand
   of some day falls; a small model that CP-SAT solves in seconds, a first plan;
   exact: the wide ring (below) with every slot covered exactly, no short or over; where
   such a plan exists the equalities prune so hard that CP-SAT finds its fewest shifts in
   seconds (DBAI DataSet2 RandomExample27: 20 shifts in 3 s, where the wide ring with
   its deviations took 30 s);
2. the whole model with HiGHS from that plan, briefly, when CP-SAT closed the narrow ring:
   on easy scenarios it proves the plan optimal (or finds better) and the stage ends there;
3. wide: shifts starting and ending at any change point, with CP-SAT from the best plan so
   far, for the rest of the time (it stops early if it reaches the proven bound).

Every plan it returns is feasible for the whole plan model. Measured on the DBAI minimum
shift design instances (benchmarks/msd.py; docs/benchmarks.md, "Minimum Shift Design (literature)").
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from scheduler.engine.sat import cp_model

from scheduler.engine.highs import highs_model, run_highs
from scheduler.engine.plan import PlanModel, PlanStep
from scheduler.engine.stopping import StopSignal, apply_parameters, watched

log = logging.getLogger(__name__)

Shift = tuple[int, int]
"""(start minute of the day, paid minutes): what counts as one distinct shift."""


def applies(pm: PlanModel, kind: str, distinct_shift_penalty: float) -> bool:
    """The stage runs when the objective is penalties only and distinct shifts cost."""
    return kind == "penalties" and distinct_shift_penalty > 0 and len(pm.shift_used) > 1


@dataclass
class DesignPlan(PlanStep):
    """The stage's plan (`full` is not kept: the next step hints the counts)."""

    shifts: list[Shift] = field(default_factory=list)
    """The distinct shifts in use."""
    steps: list[tuple[str, float, float]] = field(default_factory=list)
    """(step, objective after it, seconds since the start), for the log and the tests."""


def change_points(required: tuple[int, ...], slot_minutes: int, slots_per_day: int,
                  cyclic: bool) -> tuple[set[int], set[int]]:
    """Minutes of the day at which the demand of some day rises, and at which it falls
    (slot boundaries; a horizon that is not cyclic starts from and ends at 0)."""
    rises: set[int] = set()
    falls: set[int] = set()
    n = len(required)
    for s in range(n + (0 if cyclic else 1)):
        before = required[s - 1] if (s > 0 or cyclic) else 0
        now = required[s] if s < n else 0
        minute = (s % slots_per_day) * slot_minutes
        if now > before:
            rises.add(minute)
        elif now < before:
            falls.add(minute)
    return rises, falls


def candidate_rings(pm: PlanModel) -> tuple[set[Shift], set[Shift]]:
    """(narrow, wide) sets of distinct shifts: narrow start where the demand of some day
    rises and end where it falls; wide start and end at any change."""
    view = pm.pools[0]
    rises, falls = change_points(view.required, view.slot, view.slots_per_day, view.cyclic)
    changes = rises | falls
    narrow: set[Shift] = set()
    wide: set[Shift] = set()
    for p, d, k in pm.n:
        o = pm.pools[p].options[k]
        key = (o.start_minute % 1440, o.paid_minutes)
        if key not in pm.shift_used:
            continue
        start, end = o.start_minute % 1440, o.end_minute % 1440
        if start in rises and end in falls:
            narrow.add(key)
        if start in changes and end in changes:
            wide.add(key)
    return narrow, wide


class _Mip:
    """The plan model as a HiGHS MIP, built once; each run allows a set of distinct shifts
    by the bounds of their indicators."""

    def __init__(self, pm: PlanModel, stop: StopSignal | None = None):
        self.stop = stop
        h, offset = highs_model(pm.model)
        h.setOptionValue("mip_rel_gap", 1e-6)
        self.h = h
        self.offset = offset
        self.keys = sorted(pm.shift_used)
        self.columns = np.array([pm.shift_used[k].index for k in self.keys], dtype=np.int32)

    def run(self, allowed: set[Shift] | None, seconds: float, start: list[int] | None = None
            ) -> tuple[str, float, float, list[float]] | None:
        """(status, objective, bound, values) of the model with only `allowed` shifts (all
        if None), or None without a solution. `start` must use allowed shifts only."""
        h = self.h
        upper = np.array([1.0 if allowed is None or k in allowed else 0.0 for k in self.keys])
        h.changeColsBounds(len(self.keys), self.columns, np.zeros(len(self.keys)), upper)
        status, values, value, bound = run_highs(h, self.offset, seconds, start=start,
                                                 stop=self.stop)
        h.clearSolver()
        if values is None:
            return None
        return status, value, bound, values


def _restricted_cp_sat(pm: PlanModel, allowed: set[Shift], hint: list[int] | None, params: dict,
                       seconds: float, target: float, stop: StopSignal | None,
                       report: Callable[[float], None] | None, exact: bool = False,
                       ) -> tuple[float, list[int], bool] | None:
    """CP-SAT on the plan model with the indicators of the shifts outside `allowed` fixed
    at 0, from `hint` if given (which must use allowed shifts only); with `exact`, no slot
    short or over its demand. Returns (objective, values, whether optimal among the
    allowed shifts) or None."""
    model = pm.model.clone()
    model.clear_hints()
    if exact:
        for expr in (pm.short_expr, pm.over_expr):
            if not isinstance(expr, int):
                model.add(expr == 0)
    for key, y in pm.shift_used.items():
        if key not in allowed:
            domain = model.proto.variables[y.index].domain
            domain[0] = 0
            domain[1] = 0
    for i, value in enumerate(hint or ()):
        model.add_hint(model.get_int_var_from_proto_index(i), value)
    from scheduler.engine.callbacks import Target

    solver = cp_model.CpSolver()
    apply_parameters(solver, params, seconds)
    with watched(stop, solver):
        if stop is not None and stop.is_set():
            return None
        status = solver.solve(model, Target(target, stop, report))
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return (solver.objective_value, list(solver.response_proto.solution),
            status == cp_model.OPTIMAL)


def _objective(pm: PlanModel, values: list[int]) -> float:
    obj = pm.model.proto.objective
    return obj.offset + sum(c * values[v] for v, c in zip(obj.vars, obj.coeffs))


def plan(pm: PlanModel, params: dict, seconds: float, stop: StopSignal | None = None,
         lp_bound: float | None = None, report: Callable[[float], None] | None = None,
         ) -> DesignPlan | None:
    """The plan of a model whose objective is set, within `seconds` (wall time); None when
    the stage cannot run (a model HiGHS cannot take) or finds nothing, and the caller's
    usual plan step runs instead. `lp_bound` is a proven bound on the objective."""
    t0 = time.monotonic()

    def left() -> float:
        return seconds - (time.monotonic() - t0)

    def stopped() -> bool:
        return stop is not None and stop.is_set()

    try:
        mip = _Mip(pm, stop)
    except ValueError as exc:
        log.debug("shift design skipped: %s", exc)
        return None
    narrow, wide = candidate_rings(pm)
    bound = -math.inf if lp_bound is None else lp_bound
    steps: list[tuple[str, float, float]] = []
    best: tuple[float, list[int]] | None = None
    proven = False

    def target() -> float:
        """CP-SAT stops at the proven bound (as it stands when the step starts)."""
        return math.ceil(bound - 1e-6) if bound > -math.inf else -math.inf

    def keep(name: str, value: float, values: list[float]) -> None:
        nonlocal best
        if best is None or value < best[0] - 1e-9:
            best = (value, [round(v) for v in values])
            if report is not None:
                report(value)
        steps.append((name, best[0], round(time.monotonic() - t0, 3)))

    # 1. narrow ring, CP-SAT (it usually proves the ring's optimum in seconds)
    ring_solved = False
    if narrow and not stopped():
        found = _restricted_cp_sat(pm, narrow, None, params, min(left() * 0.2, 8.0), -math.inf,
                                   stop, None)
        if found is not None:
            keep("narrow", found[0], found[1])
            ring_solved = found[2]
    # 1b. the wide ring with every slot covered exactly: demand built from a few shifts
    # (as planners' forecasts often are, shaped by the shifts they run) has such a plan,
    # and the equalities prune so hard that CP-SAT finds the fewest shifts in seconds
    # where the wide ring with its deviations takes tens of seconds
    if wide and not stopped() and left() > 1.0:
        found = _restricted_cp_sat(pm, wide, None, params, min(left() * 0.25, 12.0), target(),
                                   stop, None, exact=True)
        if found is not None:
            keep("exact", found[0], found[1])
    # 2. the whole model with HiGHS from the best plan so far: a proof on easy scenarios.
    # When even the narrow ring was too hard to close, the time goes to the wide ring.
    if (ring_solved or not narrow) and not stopped() and left() > 0.5:
        found = mip.run(None, min(left() * 0.25, 10.0), start=best[1] if best else None)
        if found is not None:
            status, value, mip_bound, values = found
            keep("whole", value, values)
            bound = max(bound, mip_bound)
            proven = status == "optimal"
    # 3. wide ring with CP-SAT (the best plan is inside it unless it came from step 2)
    if not proven and not stopped() and left() > 1.0:
        in_use = {k for k in mip.keys if best and best[1][pm.shift_used[k].index] > 0}
        found = _restricted_cp_sat(pm, wide | in_use, best[1] if best else None, params,
                                   left(), target(), stop, report)
        if found is not None:
            keep("wide", found[0], found[1])
    if best is None:
        return None
    value, values = best
    if value <= bound + 1e-6:
        proven = True
    counts = {key: values[v.index] for key, v in pm.count_vars().items()}
    shifts = sorted(k for k, y in pm.shift_used.items() if values[y.index] > 0)
    log.debug("shift design: %s", steps)
    return DesignPlan(
        "optimal" if proven else "feasible", counts, values[pm.agents.index], value,
        value if proven else bound, [values[v.index] for v in pm.pool_agents],
        shifts=shifts, steps=steps)
