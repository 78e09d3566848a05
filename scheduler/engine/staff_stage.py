"""The roster stage for scenarios with named staff: each pool's planned shifts placed on
its people (engine/staffed.py), the records with their ids and names, and what the roster
gives the people (engine/staff_figures.py) in the summary."""

from __future__ import annotations

import dataclasses

from scheduler.engine.records import records
from scheduler.engine.staff_figures import (
    fairness_figures,
    hire_needs,
    pattern_figures,
    request_figures,
)
from scheduler.engine.staffed import staffed_roster
from scheduler.models import Result
from scheduler.workload.loaded import LoadedScenario


def uncapped(loaded: LoadedScenario) -> LoadedScenario:
    """Named staff: the pools without their hiring caps, for the plan (a capped plan is a
    much harder search; the named roster holds the caps when it offers hires)."""
    # the groups of people serving part of a pool's queues (engine/serves.py) stay capped:
    # the plan must not give them work for hires they cannot have
    pools = [p if p.name in loaded.capped_pools else p.model_copy(update={"max_hire": None})
             for p in loaded.scenario.pools]
    return dataclasses.replace(loaded, scenario=loaded.scenario.model_copy(
        update={"pools": pools}))


def on_duty(view, shifts) -> list[int]:
    """People on duty per horizon slot for ((day, option), count) pairs."""
    out = [0] * view.num_slots
    for (d, k), count in shifts:
        for t in view.covered(d, view.options[k]):
            out[t] += count
    return out


def named_result(run, pm, plan, shifts: dict[tuple[int, int, int], int], scale: int) -> Result:
    """The named roster of the planned `shifts` ((pool, day, option) -> count), the time
    left shared by the pools in proportion to their shifts. `run` is the solve's run
    context (engine/solve.py), `scale` its objective scale."""
    sc = run.sc
    per_pool = pm.pool_counts(shifts)
    if run.reserve is not None and not run.deterministic:
        run.limit = max(run.elapsed(), run.limit - run.reserve(
            sum(shifts.values()), len(sc.staff.people)))
    assignments, labels, hires = [], [], {}
    hard = "optimal"
    # each pool covers what the others leave: the planned shifts of the pools still to
    # roster, the rosters of the pools done
    duty = [on_duty(view, per_pool[p].items()) for p, view in enumerate(pm.pools)]
    for p, view in enumerate(pm.pools):
        members = [m for m in sc.staff.people if m.pool == view.pool_name]
        later = sum(sum(c.values()) for c in per_pool[p + 1:])
        mine = sum(per_pool[p].values())
        budget = run.left() * mine / max(1, mine + later)
        if not mine:
            assignments.append({})
            labels.append([(m.id, m.label) for m in members])
            hires[view.pool_name] = 0
            continue
        others = [sum(col) for col in zip(*(duty[q] for q in range(len(pm.pools)) if q != p))] \
            if len(pm.pools) > 1 else [0] * len(run.inst.required)
        required = [max(0, r - o) for r, o in zip(run.inst.required, others)]
        out = staffed_roster(view, per_pool[p], members, sc.requests.items, sc.staff.weights,
                             plan.pool_agents[p], budget, run.params, required,
                             sc.pools[p].max_hire, run.stop)
        run.charge(out.charged)
        if out.status == "infeasible" and plan.rounded_lp:
            # the plan is the greedy roster's (no plan in time), which may load a pool
            # whose people cannot take its shifts where a plan would not: no proof
            return run.unfinished("shift plan")
        if out.status in ("infeasible", "unknown"):
            return run.ends(out.status, out.message)
        if out.status != "optimal":
            hard = "feasible"
        assignments.append(out.assignment)
        duty[p] = on_duty(view, [((d, k), 1) for items in out.assignment.values()
                                     for d, k in items])
        labels.append(out.labels)
        hires[view.pool_name] = out.hires
    headcount = len(sc.staff.people) + sum(hires.values())
    # the roster's own shifts: the slot cover may work fewer than the plan had
    paid_minutes = sum(pm.pools[p].options[k].paid_minutes for p, a in enumerate(assignments)
                       for items in a.values() for _, k in items)
    proven = plan.optimal and hard == "optimal" and plan.headcount_bound is not None \
        and headcount == plan.headcount_bound
    note = "interrupted: the best roster found so far" if run.stopped() else ""
    result = records(run.inst, pm.pools, assignments, "optimal" if proven else "feasible",
                     run.summary, headcount, plan.headcount_bound, paid_minutes,
                     # the plan's primary weighs hires and hours: the headcount here
                     objective_value=headcount, objective_bound=plan.headcount_bound,
                     message=note,
                     standing_short=plan.standing_short, labels=labels)
    if run.loaded.staffing is not None:
        from scheduler.workload.service import attach_service

        result = attach_service(run.loaded, result)
    return with_staff_figures(sc, result, hires)


def with_staff_figures(sc, result: Result, hires: dict[str, int]) -> Result:
    """The result with what the roster gives the named people in its summary: requests
    honoured, fairness, patterns and the hires needed (`hires`: pool -> hires used)."""
    required = [c.required for c in result.coverage]
    scheduled = [c.scheduled for c in result.coverage]
    figures = {
        "requests": request_figures(sc, result.shifts),
        "fairness": fairness_figures(sc, result.shifts),
        "patterns": pattern_figures(sc, result.shifts),
        "hires_needed": hire_needs(sc, result.shifts, required, scheduled,
                                   sc.horizon.slot_minutes, hires),
    }
    return result.model_copy(update={"summary": result.summary.model_copy(update=figures)})
