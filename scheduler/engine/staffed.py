"""One pool's planned shifts placed on its named people (and open hires where they fall
short): check that the people can take them at all, then two CP-SAT solves on one model,
the fewest hires first, then wishes, fairness and contract hours with the hires capped."""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.engine.instance import Instance
from scheduler.engine.roster import DayClasses, group_plan
from scheduler.engine.staff_greedy import hint_greedy
from scheduler.engine.staff_data import ClassInfo, PersonData, class_infos, people_data
from scheduler.engine.staff_model import StaffModel, build
from scheduler.engine.stopping import StopSignal, apply_parameters, watched
from scheduler.models.staff import StaffMember, StaffRequest, StaffWeights

log = logging.getLogger(__name__)

HIRE_SHARE = 0.7
"""Share of the budget for the first solve (fewest hires) when hires may be needed."""


@dataclass
class StaffedRoster:
    """A pool's named roster, or why there is none."""

    status: str
    """optimal | feasible | infeasible | unknown"""
    assignment: dict[int, list[tuple[int, int]]]
    """person key (named people first, then hires) -> [(day, option index), ...]."""
    labels: list[tuple[str, str]]
    """Per person key: (agent id, name); hires get '<pool>-hire-NN'."""
    named: int
    hires: int = 0
    message: str = ""
    charged: float = 0.0


def _shortfall(view: Instance, days: list[DayClasses], infos: list[list[ClassInfo]],
               people: list[PersonData]) -> list[tuple[int, str, int, int]]:
    """(day index, what, shifts planned, named people who may work them) where the named
    people are too few: all shifts of the day, or its night shifts."""
    out = []
    named = [p for p in people if not p.hire]
    for i, dc in enumerate(days):
        total = sum(dc.counts)
        if not total:
            continue
        able = sum(1 for p in named if p.eligible[i])
        if able < total:
            out.append((i, "shifts", total, able))
        nights = [c for c, info in enumerate(infos[i]) if "nights" in info.figures]
        planned = sum(dc.counts[c] for c in nights)
        if planned:
            able_n = sum(1 for p in named if any(c in p.eligible[i] for c in nights))
            if able_n < planned:
                out.append((i, "night shifts", planned, able_n))
    return out


def _explain(view: Instance, days: list[DayClasses],
             short: list[tuple[int, str, int, int]]) -> str:
    pool = view.pool_name
    i, what, planned, able = max(short, key=lambda s: s[2] - s[3])
    date = view.date(days[i].day)
    people = "people who can work nights" if what == "night shifts" else "people"
    return (f"pool {pool!r} needs {planned} {people} on {date:%d %B %Y} ({what} planned); "
            f"{able} of its named staff are available (leave, start and end dates, nights, "
            f"weekends and hours windows counted); allow hires (pools[].max_hire), move "
            f"leave, or widen the people's availability")


def _hires_to_offer(view: Instance, days: list[DayClasses], named: list[PersonData],
                    plan_agents: int) -> int:
    """How many open hires the model may use: what the plan's headcount and the busiest
    day say the named people lack, with a margin, within the pool's max_hire."""
    cap = view.pool.max_hire if view.pool is not None else None
    lack_day = max((sum(dc.counts) - sum(1 for p in named if p.eligible[i])
                    for i, dc in enumerate(days)), default=0)
    need = max(0, plan_agents - len(named), lack_day)
    offer = need + math.ceil(0.15 * need) + 2 if need else 2
    offer = min(offer, sum(sum(dc.counts) for dc in days))
    return offer if cap is None else min(cap, offer)


def _solve(m: StaffModel, seconds: float, params: dict, stop: StopSignal | None
           ) -> tuple[str, cp_model.CpSolver]:
    solver = cp_model.CpSolver()
    apply_parameters(solver, params, max(0.5, seconds))
    solver.parameters.log_search_progress = log.isEnabledFor(logging.DEBUG)
    solver.log_callback = log.debug
    with watched(stop, solver):
        status = solver.solve(m.model)
    name = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible",
            cp_model.INFEASIBLE: "infeasible"}.get(status, "unknown")
    return name, solver


def _hint(m: StaffModel, solver: cp_model.CpSolver) -> None:
    m.model.clear_hints()
    for var in m.x.values():
        m.model.add_hint(var, solver.value(var))
    for var in list(m.works.values()) + list(m.used.values()):
        m.model.add_hint(var, solver.value(var))


def _assignment(m: StaffModel, solver: cp_model.CpSolver) -> dict[int, list[tuple[int, int]]]:
    """Each person's shifts, break placements handed out class by class (named people
    first, so that hires take planned placements only)."""
    remaining = {(i, c): list(dc.options[c]) for i, dc in enumerate(m.days)
                 for c in range(len(dc.shapes))}
    out: dict[int, list[tuple[int, int]]] = {}
    for (p, i, c), var in sorted(m.x.items()):
        if not solver.value(var):
            continue
        stack = remaining[(i, c)]
        if stack:
            k, left = stack[-1]
            stack[-1] = (k, left - 1)
            if left == 1:
                stack.pop()
        else:  # a shift beyond the plan: the class's first break placement
            k = m.days[i].options[c][0][0]
        out.setdefault(m.people[p].key, []).append((m.days[i].day, k))
    return {key: sorted(items) for key, items in out.items()}


def staffed_roster(view: Instance, counts: dict[tuple[int, int], int],
                   members: list[StaffMember], requests: list[StaffRequest],
                   weights: StaffWeights, plan_agents: int, budget: float, params: dict,
                   stop: StopSignal | None = None) -> StaffedRoster:
    """Place the pool's planned shifts (`counts`: (day, option) -> shifts) on its named
    `members` and, where they fall short, on open hires, within `budget` seconds."""
    started = time.monotonic()
    deterministic = bool(params.get("deterministic"))
    pool_name = view.pool_name or "all"
    days = group_plan(view, counts)
    infos = class_infos(view, days)
    named = people_data(view, days, infos, members, requests, 0)
    offer = _hires_to_offer(view, days, named, plan_agents)
    short = _shortfall(view, days, infos, named)
    people = people_data(view, days, infos, members, requests, offer)
    labels = [(p.id, p.label) for p in members]
    width = max(2, len(str(offer)))
    labels += [(f"{pool_name}-hire-{h + 1:0{width}d}", "") for h in range(offer)]

    def outcome(status: str, assignment=None, hires: int = 0, message: str = "") -> StaffedRoster:
        charged = budget if deterministic else time.monotonic() - started
        return StaffedRoster(status, assignment or {}, labels, len(members), hires, message,
                             charged)

    if short and offer == 0:
        return outcome("infeasible", message=_explain(view, days, short))
    m = build(view, days, infos, people, weights)

    def left() -> float:
        return budget - (time.monotonic() - started)

    # first: the fewest hires (nothing to search when none are offered)
    first_share = HIRE_SHARE if offer else 0.15
    m.model.minimize(sum(coef * expr for coef, expr in m.hire_terms))
    placed = hint_greedy(m)
    log.debug("pool %s: the greedy placed %d shifts", pool_name, placed)
    status, solver = _solve(m, max(0.5, left() * first_share), params, stop)
    if status == "infeasible":
        why = _explain(view, days, short) if short else (
            f"the planned shifts of pool {pool_name!r} cannot be placed on its named people "
            f"and {offer} hires under the labour rules, leave and personal limits; relax "
            f"min_rest_hours, max_consecutive_days or the weekly hours, or allow more hires")
        return outcome("infeasible", message=why)
    if status == "unknown":
        return outcome("unknown", message=f"no roster of pool {pool_name!r}'s named people "
                       f"found within the time limit; raise it")
    hires = round(sum(solver.value(u) for u in m.used.values()))
    best = _assignment(m, solver)
    hires_proven = status == "optimal"
    # then: wishes, fairness and contract hours with the hires capped
    if m.goal_terms and left() > 0.5 and not (stop is not None and stop.is_set()):
        m.model.add(sum(m.used.values()) <= hires)
        _hint(m, solver)
        m.model.minimize(sum(coef * expr for coef, expr in m.goal_terms))
        status2, solver2 = _solve(m, left(), params, stop)
        if status2 in ("optimal", "feasible"):
            best = _assignment(m, solver2)
            status = "optimal" if hires_proven and status2 == "optimal" else "feasible"
        else:
            status = "optimal" if hires_proven else "feasible"
    return outcome(status, best, hires)
