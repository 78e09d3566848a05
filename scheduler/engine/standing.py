"""The standing teams on their own: which days fall inside the promotion events, and how
short the standing agents alone (no hires, no overtime) would leave the other days."""

from __future__ import annotations

import dataclasses

from scheduler.engine.sat import cp_model

from scheduler.engine.cpsat import run_cp_sat
from scheduler.engine.instance import Instance
from scheduler.engine.plan import build_plan_model


def event_days(inst: Instance) -> set[int]:
    """Horizon days inside some event's dates."""
    return {d for d in range(inst.days)
            if any(e.start_date <= inst.date(d) <= e.end_date for e in inst.scenario.events)}


def standing_capacity(inst: Instance, params: dict, seconds: float) -> float | None:
    """Agent-hours the standing teams alone (no hires, no overtime) would leave short on
    the days outside the events, by the plan's rules (a relaxation of the roster: 0 means
    they have the capacity). None if the search does not finish."""
    sc = inst.scenario
    per_day = inst.slots_per_day
    during_events = event_days(inst)
    required = tuple(0 if s // per_day in during_events else r
                     for s, r in enumerate(inst.required))
    pools = [p.model_copy(update={"max_hire": 0, "overtime": False}) for p in sc.pools]
    normal = sc.model_copy(update={
        "pools": pools,
        "coverage": sc.coverage.model_copy(update={"allow_understaffing": True}),
    })
    def outside(values):
        return tuple(0 if s // per_day in during_events else v for s, v in enumerate(values))

    loaded = dataclasses.replace(
        inst.loaded, scenario=normal, required=required,
        queue_required={q: outside(v) for q, v in inst.loaded.queue_required.items()},
        demand_required=outside(inst.loaded.demand_required))
    pm = build_plan_model(Instance(loaded))
    pm.model.minimize(pm.short_expr)
    solver, status = run_cp_sat(pm.model, params, seconds)
    if status == cp_model.OPTIMAL or (status == cp_model.FEASIBLE and solver.objective_value == 0):
        return round(solver.objective_value * inst.slot / 60, 2)
    return None
