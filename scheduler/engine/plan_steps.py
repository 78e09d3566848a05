"""The plan searches the pipeline runs on a plan model: HiGHS's MIP, CP-SAT on the LP's
support (the restricted plan), CP-SAT on the whole model, and hints that carry one search's
solution into the next."""

from __future__ import annotations

import logging
import math
import threading
import time

from scheduler.engine.sat import cp_model

from scheduler.engine.cpsat import Progress, run_cp_sat, status_name
from scheduler.engine.highs import solve_with_highs
from scheduler.engine.plan import PlanModel, PlanStep, hint_all
from scheduler.engine.plan_days import improve_by_days
from scheduler.engine.plan_round import applies as applies_rounding
from scheduler.engine.plan_round import rounded_plan
from scheduler.engine.stopping import StopSignal

log = logging.getLogger(__name__)

LARGE_PLAN = 15_000
"""Count variables above which (or with several pools) the plan starts from the LP's
support with CP-SAT: HiGHS's MIP spends its time in slow LP re-solves on such models."""
ROUNDING_SHARE = 0.5
"""Of a large plan step, the most the LP's rounding a day at a time may take (13 cyclic
weeks at peak 200: 2 s of 75 s)."""
CONTINUE_ON_LP_SUPPORT = True
"""After a HiGHS MIP that stops short of optimal on a small plan, continue with CP-SAT on
the LP's support (see plan_step)."""


def plan_share(limit: float) -> float:
    """The plan's share of the time limit when the plan is the objective (cost, paid
    hours): the rest, 10% of the limit but at least 6 s (at most 30%), is for the
    secondary objective, the rosters and the records. On double11 at 60 s these took
    2.5 s; with the plan at 70% the run ended 8 s early, at 85% 7 s early."""
    return 1.0 - max(0.1, min(0.3, 6.0 / max(limit, 1e-9)))


def lp_floor(model: cp_model.CpModel, lp_values: list[float]) -> float | None:
    """The least objective value an integer solution of `model` can have given its LP
    solution `lp_values` (the LP value rounded up to a multiple of the objective's
    coefficients' common divisor, the objective being integral), or None when the
    objective is not an integer one."""
    objective = model.proto.objective
    if objective.scaling_factor not in (0, 1) or objective.domain:
        return None
    value = sum(c * lp_values[v] if v >= 0 else -c * lp_values[-v - 1]
                for v, c in zip(objective.vars, objective.coeffs))
    # the objective less its offset is a multiple of its coefficients' common divisor
    # (agents x 100: an LP of 504.6 agents has no plan below 505 agents, 50,500)
    step = math.gcd(*(abs(int(c)) for c in objective.coeffs)) or 1
    return float(objective.offset + step * math.ceil(value / step - 1e-6 / step))


def restricted_plan(pm: PlanModel, lp_values: list[float], params: dict, seconds: float,
                    stop: StopSignal | None, start: list[int] | None = None,
                    enough: float | None = None):
    """A first plan from the LP's support: every count the LP leaves at zero is fixed at
    zero, and CP-SAT, hinted with the LP rounded up, solves the much smaller model that
    remains. Its solution is feasible for the whole model (measured on double11: within
    1% of the LP bound in about 6 s). With `enough`, the search ends at its first
    solution after that many seconds (HiGHS polishes it better; see plan_step). Returns
    the solver holding that solution and the restricted model, or None."""
    restricted = pm.model.clone()
    restricted.clear_hints()
    for v in pm.count_vars().values():
        x = lp_values[v.index]
        if x < 1e-6 and (start is None or start[v.index] == 0):
            domain = restricted.proto.variables[v.index].domain
            domain[0] = 0
            domain[1] = 0
        elif start is None:
            restricted.add_hint(restricted.get_int_var_from_proto_index(v.index),
                                math.ceil(x - 1e-6))
    if start is not None:  # a feasible solution: the LP's support and its own stay open
        hint_all(restricted, start)
    if not params.get("deterministic"):
        params = {**params, "num_workers": RESTRICTED_WORKERS}
    if enough is None or enough >= seconds or params.get("deterministic"):
        solver, status = run_cp_sat(restricted, params, seconds, stop=stop)
    else:
        from scheduler.engine.callbacks import Enough

        watch = Enough(enough)
        solver, status = run_cp_sat(restricted, params, seconds, callback=watch, stop=stop,
                                    watch=watch)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return solver, restricted


RESTRICTED_WORKERS = 1
"""CP-SAT workers on the LP's support. One worker (the LP-guided search) finds the first
plan sooner than two on this 2-core machine, where the second worker's feasibility jump
only takes CPU from it: double11 0.48% above the LP bound after 9.9 s with one, none in
20 s with two (another process busy); 4 cyclic weeks at peak 200 and 1,000: the same plan
after 2.1 s and 1.4 s with one, 3.7 s and 2.7 s with two."""
RESTRICTED_CP_SAT_SHARE = 0.15
"""On a large or pooled plan, the share of a plan step after which CP-SAT's one-worker
search of the LP's support ends as soon as it holds a plan (it may take longer to find a
first one on a busy machine: up to 90% of the step); _improve then continues from it
(its later plans come slowly: on double11 none in the 8 s after its first, at 5 s)."""


def _improve(pm: PlanModel, restricted: cp_model.CpModel, start: list[int], objective: float,
             seconds: float, params: dict, stop: StopSignal | None,
             lp_values: list[float]) -> tuple[list[int], float]:
    """The plan `start` improved for `seconds`: windows of days first (plan_days), then,
    with time left, CP-SAT with both workers on the LP's support (or the whole model when
    the windows left it)."""
    deadline = time.monotonic() + seconds
    by_days = improve_by_days(pm, start, objective, seconds, params, stop, lp_values)
    model = restricted
    if by_days is not None:
        start, objective = by_days
        model = pm.model.clone()
    left = deadline - time.monotonic()
    if left > 1.0 and not (stop is not None and stop.is_set()):
        polished = _polish(model, start, objective, left, params, stop)
        if polished is not None:
            start, objective = polished
    return start, objective


def _polish(model: cp_model.CpModel, start: list[int], objective: float, seconds: float,
            params: dict, stop: StopSignal | None) -> tuple[list[int], float] | None:
    """CP-SAT with all its workers (one of them neighbourhood search) on `model` from the
    plan `start`: (values, objective) when it finds a better one. Measured on double11
    (load 3.8), on the LP's support: 0.48% above the LP bound -> 0.44-0.46% in 25-35 s;
    HiGHS's MIP from the same plan found nothing better in 40 s (its root cuts alone took
    17 s), and the same search on the whole model 0.47%."""
    model.clear_hints()
    hint_all(model, start)
    solver, status = run_cp_sat(model, params, seconds, stop=stop)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) \
            or solver.objective_value >= objective - 1e-9:
        return None
    log.debug("polish: %.6g -> %.6g", objective, solver.objective_value)
    return list(solver.response_proto.solution), float(solver.objective_value)


def plan_step(pm: PlanModel, params: dict, seconds: float, on_progress, t0, stop, phase,
              headcount_bound=None, highs_share: float = 0.7,
              lp_values: list[float] | None = None,
              start: list[int] | None = None, polish: bool = True) -> PlanStep:
    """Minimise the plan model's objective. A large or pooled plan with `lp_values` starts
    with CP-SAT on the LP's support (restricted_plan), which windows of days and CP-SAT
    then polish (without `polish`: CP-SAT searches the LP's support for the whole step);
    a large single pool's headcount is first rounded from the LP a day at a time
    (plan_round.py), and the better of the two plans stands. A small plan's HiGHS MIP runs
    for `highs_share` of the time; CP-SAT then continues on the whole model from the best
    solution (or from the model's hints when HiGHS is skipped).

    A small plan without `start` starts on the LP's support too, and HiGHS's MIP starts
    from that plan. Measured on one cyclic week (peak 50 and 200, 30 s, load 2.2-2.9):
    HiGHS's MIP alone found no headcount plan in 10 s (nor CP-SAT's whole model in 4 s)
    where the support gave one in 0.2 s; for the least paid hours HiGHS alone found none
    in 16 s and CP-SAT's whole model then left 5,361-5,897 paid hours at peak 50, where
    this gives 4,949 (HiGHS alone reached 4,934 on an idle machine)."""
    t_start = time.monotonic()
    deterministic = bool(params.get("deterministic"))
    status, values, objective, bound = "unknown", None, None, None
    full = None
    try:
        if highs_share > 0 and not deterministic:  # HiGHS stops on the wall clock only
            large_or_pooled = len(pm.pools) > 1 or len(pm.count_vars()) > LARGE_PLAN
            rounded = None
            if lp_values is not None and start is None and large_or_pooled and polish \
                    and applies_rounding(pm):
                # the LP rounded a day at a time (plan_round.py): at the LP's bound it is
                # the plan; else the search below runs too and the better plan stands
                floor = lp_floor(pm.model, lp_values)
                rounded = rounded_plan(pm, lp_values, floor if floor is not None else 0,
                                       seconds * ROUNDING_SHARE, params, stop)
                if rounded is not None:
                    values, objective = rounded
                    status = "feasible"
                    if floor is not None and objective <= floor + 1e-9:
                        status, bound = "optimal", floor
            # a small plan too starts on the LP's support (see above)
            small_first = lp_values is not None and start is None and not large_or_pooled
            if lp_values is not None and (large_or_pooled or start is not None or small_first) \
                    and status != "optimal":
                # (from the LP rounded up, not from the rounded plan: 4 cyclic weeks at
                # peak 1,000 reached 2,524 so, 2,525 from the rounded plan)
                found = restricted_plan(pm, lp_values, params,
                                        max(0.5, seconds * 0.9 - (time.monotonic() - t_start)),
                                        stop, start,
                                        enough=seconds * RESTRICTED_CP_SAT_SHARE
                                        if (large_or_pooled and polish) or small_first
                                        else None)
                if found is not None and (objective is None
                                          or found[0].objective_value <= objective + 1e-9):
                    solver, restricted = found
                    start = list(solver.response_proto.solution)
                    status, values, objective = "feasible", start, solver.objective_value
                    left = seconds * 0.95 - (time.monotonic() - t_start)
                    floor = lp_floor(pm.model, lp_values)
                    if floor is not None and objective <= floor + 1e-9:
                        # at the LP's bound: proven (4 weeks at peak 2,000 spent 58 s
                        # improving a plan of 5,049 agents that could not be improved)
                        status, bound = "optimal", floor
                    elif large_or_pooled and polish and left > 1.0 \
                            and not (stop is not None and stop.is_set()):
                        start, objective = _improve(pm, restricted, start, objective, left,
                                                    params, stop, lp_values)
                        values = start
            left_for_highs = seconds * highs_share - (time.monotonic() - t_start)
            # the whole MIP only when the restricted one found nothing: on large models it
            # rarely improves the restricted plan in the time left
            halted = stop is not None and stop.is_set()
            if left_for_highs > 0.5 and (start is None and values is None or not large_or_pooled) \
                    and status != "optimal" and not halted:
                f_status, f_values, f_objective, f_bound = solve_with_highs(
                    pm.model, left_for_highs, start=start, stop=stop)
                if f_status == "infeasible" or (
                        f_values is not None and (objective is None or f_objective <= objective)):
                    status, values, objective = f_status, f_values, f_objective
                if f_bound is not None and f_status in ("optimal", "feasible"):
                    bound = f_bound
            if status == "feasible" and bound is None:
                bound = -math.inf
    except (ValueError, RuntimeError) as exc:  # a model HiGHS cannot take
        log.debug("HiGHS skipped: %s", exc)
    if status == "infeasible":
        return PlanStep("infeasible", {}, 0, 0, 0, [])
    if values is not None:
        counts = {key: round(values[v.index]) for key, v in pm.count_vars().items()}
        agents = round(values[pm.agents.index])
        pool_agents = [round(values[v.index]) for v in pm.pool_agents]
        full = [round(x) for x in values]
        if status == "optimal":
            return PlanStep(status, counts, agents, objective, bound, pool_agents, full)
        hint_all(pm.model, full)
        remaining = seconds - (time.monotonic() - t_start)
        if CONTINUE_ON_LP_SUPPORT and lp_values is not None and remaining > 0.5 \
                and not (len(pm.pools) > 1 or len(pm.count_vars()) > LARGE_PLAN):
            # HiGHS's MIP stalled: CP-SAT on the LP's support and the plan's own, from the
            # plan (the whole model mostly stays at its hint in the time left)
            found = restricted_plan(pm, lp_values, params, remaining, stop, full)
            if found is not None and found[0].objective_value <= objective + 1e-9:
                full = list(found[0].response_proto.solution)
                counts = {key: full[v.index] for key, v in pm.count_vars().items()}
                pool_agents = [full[v.index] for v in pm.pool_agents]
                objective = found[0].objective_value
                return PlanStep("optimal" if objective <= bound + 1e-9 else "feasible",
                                 counts, full[pm.agents.index], objective, bound, pool_agents,
                                 full)
            return PlanStep("feasible", counts, agents, objective, bound, pool_agents, full)
    base = Progress(phase, headcount_bound=headcount_bound)
    remaining = max(0.5, seconds if deterministic else seconds - (time.monotonic() - t_start))
    from scheduler.engine.callbacks import PlanReporter

    reporter = PlanReporter(phase, on_progress, t0, stop, pm.agents, base)
    solver, cp_status = run_cp_sat(pm.model, params, remaining, reporter, stop)
    name = status_name(cp_status)
    if name in ("optimal", "feasible"):
        cp_bound = solver.best_objective_bound
        if values is None or solver.objective_value <= objective + 1e-9:
            counts = {key: solver.value(v) for key, v in pm.count_vars().items()}
            agents = solver.value(pm.agents)
            pool_agents = [solver.value(v) for v in pm.pool_agents]
            objective = solver.objective_value
            full = list(solver.response_proto.solution)
        bound = max(cp_bound, bound) if bound is not None else cp_bound
        return PlanStep("optimal" if objective <= bound + 1e-9 else "feasible",
                         counts, agents, objective, bound, pool_agents, full)
    if values is not None:
        return PlanStep("feasible", counts, agents, objective, bound, pool_agents, full)
    return PlanStep(name, {}, 0, 0, 0, [])


def rounded_up_plan(pm: PlanModel, lp_values: list[float]) -> PlanStep:
    """Out of time: the LP solution rounded up still covers every slot."""
    counts = {key: math.ceil(lp_values[v.index] - 1e-6) for key, v in pm.count_vars().items()}
    per_day: dict[tuple[int, int], int] = {}
    for key, c in counts.items():
        if len(key) == 3:
            per_day[key[:2]] = per_day.get(key[:2], 0) + c
    pool_agents = [max((c for (q, _), c in per_day.items() if q == p), default=0)
                   for p in range(len(pm.pools))]
    return PlanStep("feasible", counts, sum(pool_agents), math.inf, 0, pool_agents)
