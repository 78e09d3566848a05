"""One pool's planned shifts placed on its named people (and open hires where they fall
short): check that the people can take them at all, then two CP-SAT solves on one model,
the fewest hires first, then wishes, fairness and contract hours with the hires capped."""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

from scheduler.engine.sat import cp_model

from scheduler.engine.instance import Instance
from scheduler.engine.plan import hint_all
from scheduler.engine.roster import DayClasses, group_plan
from scheduler.engine.staff_greedy import hint_greedy
from scheduler.engine.staff_data import ClassInfo, PersonData, class_infos, people_data
from scheduler.engine.staff_model import StaffModel, build
from scheduler.engine.stopping import StopSignal, apply_parameters, watched
from scheduler.models.staff import StaffMember, StaffRequest, StaffWeights

log = logging.getLogger(__name__)

HIRE_SHARE = 0.7
"""Share of the budget for the first solve (fewest hires) when hires may be needed."""
NAMED_ONLY_SHARE = 0.3
"""Share of the budget for trying the named people alone, before any hire."""


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
    return (f"pool {pool!r} needs {planned} {people} on {date:%Y-%m-%d} ({what} planned); "
            f"{able} of its named staff are available (leave, start and end dates, nights, "
            f"weekends and hours windows counted); allow hires (pools[].max_hire), move "
            f"leave, or widen the people's availability")


def _hires_to_offer(view: Instance, days: list[DayClasses], named: list[PersonData],
                    plan_agents: int, cap: int | None) -> int:
    """How many open hires the model may use: what the plan's headcount, the busiest day
    and the named people's working days (at most max_days_per_week in each week) say they
    lack, with a margin, within the pool's max_hire (`cap`)."""
    lack_day = max((sum(dc.counts) - sum(1 for p in named if p.eligible[i])
                    for i, dc in enumerate(days)), default=0)
    k7 = view.rules.max_days_per_week
    index_of = {dc.day: i for i, dc in enumerate(days)}
    blocks = [[index_of[d] for d in block] for block, _ in view.week_blocks()]
    capacity = sum(min(k7, sum(1 for i in block if p.eligible[i])) for p in named
                   for block in blocks)
    per_hire = sum(min(k7, len(block)) for block in blocks)
    total = sum(sum(dc.counts) for dc in days)
    lack_days = -(-max(0, total - capacity) // max(1, per_hire))
    need = max(0, plan_agents - len(named), lack_day, lack_days)
    # a generous offer: with slack, CP-SAT finds a first roster at once and then sheds
    # the hires it does not need (too tight an offer leaves it searching for any roster)
    offer = need + math.ceil(0.5 * need) + max(4, len(named) // 8)
    offer = min(offer, total)
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
    """Every variable hinted with the solver's solution (a partial hint of the shifts
    alone leaves CP-SAT searching for the helper variables)."""
    hint_all(m.model, list(solver.response_proto.solution))


def _named_only(m: StaffModel, seconds: float, params: dict, stop: StopSignal | None
                ) -> tuple[str, cp_model.CpSolver]:
    """The model with every hire unused (as assumptions): "optimal" when the named
    people cover alone (no hire is then the fewest), "unknown" otherwise."""
    m.model.add_assumptions([~u for u in m.used.values()])
    hint = list(m.model.proto.solution_hint.vars), list(m.model.proto.solution_hint.values)
    m.model.clear_hints()  # the greedy's roster has hires: no help here
    try:
        status, solver = _solve(m, seconds, params, stop)
    finally:
        m.model.clear_assumptions()
        m.model.proto.solution_hint.vars.extend(hint[0])
        m.model.proto.solution_hint.values.extend(hint[1])
    if status in ("optimal", "feasible"):
        return "optimal", solver
    return "unknown", solver


GREEDY_COMPLETION_SECONDS = 0.8
"""The least time the greedy roster's completion gets, its time gone or not: it is the
roster returned when the search finds none (the named month at a 5 s limit under load 6:
0.35 s to complete, none in 0.2 s, and no roster at all)."""


def _complete_hint(m: StaffModel, seconds: float, stop: StopSignal | None
                   ) -> cp_model.CpSolver | None:
    """The greedy hint made whole: the model solved with the hinted shifts fixed gives
    every helper variable (start windows, days-off pairs, fairness maxima) its value, and
    that whole solution becomes the hint (CP-SAT completes a partial hint only slowly).
    The partial hint stays when the fixed model has no solution. Returns the solver
    holding the greedy roster as a whole solution (the run's fallback), or None."""
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = max(GREEDY_COMPLETION_SECONDS, seconds)
    with watched(stop, solver):
        status = solver.solve(m.model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        hint_all(m.model, list(solver.response_proto.solution))
        return solver
    log.debug("the greedy hint is not a whole roster (%s)", solver.status_name(status))
    return None


def _assignment(m: StaffModel, solver: cp_model.CpSolver) -> dict[int, list[tuple[int, int]]]:
    """Each person's shifts, break placements handed out class by class (named people
    first, so that hires take planned placements only)."""
    if m.placements:  # slot cover: the model chose each class's break placements
        remaining = {(i, c): [(k, solver.value(m.placements[(i, c, k)]))
                              for k, _ in dc.options[c] if (i, c, k) in m.placements
                              and solver.value(m.placements[(i, c, k)]) > 0]
                     for i, dc in enumerate(m.days) for c in range(len(dc.shapes))}
    else:
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
            k = m.days[i].options[c][0][0]  # (planned counts only)
        out.setdefault(m.people[p].key, []).append((m.days[i].day, k))
    return {key: sorted(items) for key, items in out.items()}


def staffed_roster(view: Instance, counts: dict[tuple[int, int], int],
                   members: list[StaffMember], requests: list[StaffRequest],
                   weights: StaffWeights, plan_agents: int, budget: float, params: dict,
                   required: list[int], max_hire: int | None = None,
                   stop: StopSignal | None = None) -> StaffedRoster:
    """Roster the pool's named `members` and, where they fall short, open hires, within
    `budget` seconds: the pool's share of the requirement per slot (`required`) covered
    with the classes of its planned shifts (`counts`: (day, option) -> shifts), or the
    planned shifts themselves where the model cannot cover slot by slot. `max_hire`: the
    pool's hiring cap (None: none)."""
    started = time.monotonic()
    deterministic = bool(params.get("deterministic"))
    pool_name = view.pool_name or "all"
    days = group_plan(view, counts)
    infos = class_infos(view, days)
    named = people_data(view, days, infos, members, requests, 0)
    offer = _hires_to_offer(view, days, named, plan_agents, max_hire)
    short = _shortfall(view, days, infos, named)
    if short and offer == 0:
        return StaffedRoster("infeasible", {}, [], len(members),
                             message=_explain(view, days, short),
                             charged=budget if deterministic else time.monotonic() - started)
    cap = max_hire if max_hire is not None else sum(sum(dc.counts) for dc in days)
    per_hire = max(1, view.rules.max_days_per_week * len(view.week_blocks()))
    for _ in range(4):  # more hires on offer while the greedy cannot place every shift
        people = people_data(view, days, infos, members, requests, offer)
        m = build(view, days, infos, people, weights, required)
        m.model.minimize(sum(coef * expr for coef, expr in m.hire_terms))
        unplaced = hint_greedy(m)
        if not unplaced or offer >= cap:
            break
        offer = min(cap, offer + math.ceil(1.5 * unplaced / per_hire) + 2)
    log.debug("pool %s: %d hires on offer, the greedy left %d shifts", pool_name, offer,
              unplaced)
    labels = [(p.id, p.label) for p in members]
    width = max(2, len(str(offer)))
    labels += [(f"{pool_name}-hire-{h + 1:0{width}d}", "") for h in range(offer)]

    def outcome(status: str, assignment=None, hires: int = 0, message: str = "") -> StaffedRoster:
        charged = budget if deterministic else time.monotonic() - started
        return StaffedRoster(status, assignment or {}, labels, len(members), hires, message,
                             charged)

    def left() -> float:
        return budget - (time.monotonic() - started)

    greedy = _complete_hint(m, min(5.0, 0.2 * left()), stop)
    # first: the fewest hires (nothing to search when none are offered)
    first_share = HIRE_SHARE if offer else 0.15
    status, solver = "unknown", None
    if offer and len(members):
        # the named people alone first: when they suffice, no hire is the answer (a
        # search from a greedy roster with hires sheds them only slowly)
        status, solver = _named_only(m, max(0.5, left() * NAMED_ONLY_SHARE), params, stop)
    if status not in ("optimal", "feasible"):
        status, solver = _solve(m, max(0.5, left() * first_share), params, stop)
    if status == "infeasible":
        why = _explain(view, days, short) if short else (
            f"the planned shifts of pool {pool_name!r} cannot be placed on its named people "
            f"and {offer} hires under the labour rules, leave and personal limits; relax "
            f"min_rest_hours, max_consecutive_days or the weekly hours, or allow more hires")
        return outcome("infeasible", message=why)
    if status == "unknown" and greedy is not None:
        status, solver = "feasible", greedy  # the greedy roster, checked by the model
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
    # the hires with a shift in the roster returned (a hire may be marked used by the
    # model yet work nothing once the goals moved their shifts to named people)
    hires = sum(1 for key, items in best.items() if key >= len(members) and items)
    return outcome(status, best, hires)
