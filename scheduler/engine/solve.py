"""solve(loaded scenario) -> Result: the shift plan, then the roster, then the records."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
import math
import platform
import time
from dataclasses import dataclass
from typing import Callable

import ortools
from ortools.sat.python import cp_model

from scheduler.models import (
    BreakRecord,
    CoverageRecord,
    DaySummary,
    PoolSummary,
    Result,
    ShiftRecord,
    Summary,
)
from scheduler._version import __version__
from scheduler.engine import shiftdesign
from scheduler.engine.highs import solve_with_highs
from scheduler.engine.explain import explain_infeasible, unreachable_slots
from scheduler.engine.instance import Instance
from scheduler.workload.loaded import LoadedScenario
from scheduler.engine.patterns import pattern_roster
from scheduler.engine.plan import PlanModel, PlanStep, build_plan_model
from scheduler.engine.stopping import StopSignal, apply_parameters, watched
from scheduler.engine.roster import RosterResult, days_first_roster, greedy_roster, solve_roster

log = logging.getLogger(__name__)

SCALE = 100  # objective weights are scaled to integers (hundredths)
ROSTER_MAX_BOOLEANS = 400_000  # above this, building the roster model takes too long


@dataclass
class Progress:
    """What a progress display shows; sent to the `on_progress` callback."""

    phase: str
    headcount: int | None = None
    headcount_bound: int | None = None
    objective: float | None = None
    bound: float | None = None
    elapsed: float = 0.0


ProgressFn = Callable[[Progress], None]


class _Reporter(cp_model.CpSolverSolutionCallback):
    def __init__(self, phase: str, on_progress: ProgressFn | None, t0: float,
                 stop: StopSignal | None, agents=None, base: Progress | None = None):
        super().__init__()
        self.phase = phase
        self.on_progress = on_progress
        self.t0 = t0
        self.stop = stop
        self.agents = agents
        self.base = base or Progress(phase)

    def on_solution_callback(self) -> None:
        if self.stop is not None and self.stop.is_set():
            self.stop_search()
        if self.on_progress is None:
            return
        p = Progress(
            self.phase,
            headcount=self.value(self.agents) if self.agents is not None else self.base.headcount,
            headcount_bound=self.base.headcount_bound,
            objective=self.objective_value,
            bound=self.best_objective_bound,
            elapsed=time.monotonic() - self.t0,
        )
        self.on_progress(p)


def solver_parameters(loaded: LoadedScenario, time_limit: float | None) -> dict:
    s = loaded.scenario.solver
    params = {
        "num_workers": s.workers,
        "random_seed": s.seed,
        "max_time_in_seconds": time_limit if time_limit is not None else s.time_limit_seconds,
        # Ctrl-C is Python's to handle (the CLI stops the search and keeps the best roster)
        "catch_sigint_signal": False,
    }
    if s.deterministic:
        params["interleave_search"] = True
        params["deterministic"] = True
    return params


def _run(model: cp_model.CpModel, params: dict, seconds: float, callback=None,
         stop: StopSignal | None = None):
    solver = cp_model.CpSolver()
    apply_parameters(solver, params, seconds)
    solver.parameters.log_search_progress = log.isEnabledFor(logging.DEBUG)
    solver.log_callback = log.debug
    with watched(stop, solver):
        if stop is not None and stop.is_set():
            return solver, cp_model.UNKNOWN
        status = solver.solve(model, callback) if callback is not None else solver.solve(model)
    return solver, status


def _status_name(status) -> str:
    return {
        cp_model.OPTIMAL: "optimal",
        cp_model.FEASIBLE: "feasible",
        cp_model.INFEASIBLE: "infeasible",
        cp_model.MODEL_INVALID: "invalid",
    }.get(status, "unknown")


def _versions() -> dict[str, str]:
    return {
        "scheduler": __version__,
        "ortools": ortools.__version__,
        "python": platform.python_version(),
    }


def solve(
    loaded: LoadedScenario,
    time_limit: float | None = None,
    on_progress: ProgressFn | None = None,
    stop: StopSignal | None = None,
    _repair: _Repair | None = None,
) -> Result:
    """Solve a loaded scenario within the time limit (the scenario's unless given)."""
    t0 = time.monotonic() if _repair is None else _repair.t0
    sc = loaded.scenario
    params = solver_parameters(loaded, time_limit)
    limit = params["max_time_in_seconds"]
    if _repair is not None:
        # the clock keeps running from the first attempt: budgets count from t0
        elapsed = 0.0 if loaded.scenario.solver.deterministic else time.monotonic() - t0
        limit = elapsed + _repair.seconds
    inst = Instance(loaded)

    def summary(status: str, **kw) -> Summary:
        return Summary(
            scenario=sc.name,
            status=status,
            objective=sc.objective.kind,
            solve_seconds=round(time.monotonic() - t0, 3),
            versions=_versions(),
            scenario_sha256=loaded.sha256,
            solver_parameters=params,
            variant=loaded.variant,
            overrides=list(loaded.overrides),
            **kw,
        )

    # The deterministic profile charges each phase its full budget, so that no decision
    # depends on the wall clock; otherwise the budget is wall time.
    deterministic = bool(params.get("deterministic"))
    charged = 0.0

    def left() -> float:
        return limit - (charged if deterministic else time.monotonic() - t0)

    def charge(seconds: float) -> None:
        nonlocal charged
        charged += seconds

    def stopped() -> bool:
        return stop is not None and stop.is_set()

    def report(p: Progress) -> None:
        if on_progress is not None:
            on_progress(p)

    if not sc.coverage.allow_understaffing:
        gaps = unreachable_slots(inst)
        if gaps:
            return Result(summary=summary("infeasible", message=gaps))

    # ---- stage 1: the plan, primary objective
    pm = build_plan_model(inst)
    if _repair is not None:
        for p, cap in _repair.caps.items():
            pm.model.add(pm.pool_agents[p] <= cap)
    soft = sc.coverage.allow_understaffing
    penalty = round(sc.coverage.understaffing_penalty * SCALE) * pm.short_expr if soft else 0
    penalty += round(sc.coverage.overstaffing_penalty * SCALE) * pm.over_expr
    penalty += round(sc.objective.distinct_shift_penalty * SCALE) * pm.distinct_expr
    kind = sc.objective.kind
    cost = pm.cost_expr + round(sc.objective.cost_per_agent * SCALE) * pm.agents
    if kind in ("headcount", "headcount_then_cost"):
        primary = pm.agents * SCALE + penalty
    elif kind == "paid_hours":
        # centi-hours: paid minutes * 100 / 60; every length is a multiple of 15 minutes
        primary = pm.paid_centi_expr + penalty
    elif kind == "cost":
        primary = cost + penalty
    elif kind == "added_headcount":
        primary = sum(pm.hires) * SCALE + penalty
    else:  # penalties only
        primary = penalty + 0 * pm.agents
    if kind in ("headcount", "penalties"):
        secondary = pm.paid_expr
    elif kind in ("added_headcount", "headcount_then_cost"):
        secondary = cost
    else:
        secondary = pm.agents
    # the roster's headcount matters to these kinds; to the others any valid roster will do
    headcount_matters = kind in ("headcount", "added_headcount", "headcount_then_cost")

    # Stage 1a, the primary objective: HiGHS's MIP first (its LP bound is tight on this
    # covering model), CP-SAT when HiGHS cannot answer.
    pm.model.minimize(primary)
    report(Progress("plan", elapsed=time.monotonic() - t0))
    lp_bound = None
    if not deterministic:  # a proven bound even when the MIP below runs out of time
        try:
            # a large or pooled plan needs the LP for its first solution (see _plan_step)
            large = len(pm.pools) > 1 or len(pm.count_vars()) > LARGE_PLAN
            lp_values = None
            lp_status, lp_values, lp_value, _ = solve_with_highs(
                pm.model, max(0.5, (0.4 if large else 0.2) * limit), relax=True)
            if lp_status == "optimal":
                lp_bound = lp_value
            elif lp_status == "infeasible":
                message = explain_infeasible(inst, params, max(1.0, min(10.0, left())))
                return Result(summary=summary("infeasible", message=message))
        except (ValueError, RuntimeError) as exc:
            log.debug("no LP bound: %s", exc)
    standing = None
    if sc.pools and sc.events and not stopped():
        budget = min(8.0, max(4.0, 0.08 * limit))  # about 2 s on double11 when idle
        standing = _standing_capacity(inst, params, budget)
        charge(budget)
    # With headcount the roster needs time of its own; with the other kinds the plan is the
    # objective and the roster only has to be valid.
    share = 0.25 if headcount_matters else 0.7
    budget = max(0.5, share * limit - (time.monotonic() - t0 if not deterministic else 0))
    plan = None
    if not deterministic and shiftdesign.applies(pm, kind, sc.objective.distinct_shift_penalty):
        # the plan is the whole objective here: it gets a larger share of the time
        plan = shiftdesign.plan(pm, params, budget + 0.1 * limit, stop, lp_bound,
                                lambda value: report(Progress(
                                    "plan", objective=value, elapsed=time.monotonic() - t0)))
    if plan is None:
        plan = _plan_step(pm, params, budget, on_progress, t0, stop, "plan",
                          lp_values=lp_values if lp_bound is not None else None)
    charge(budget)
    if plan.status not in ("optimal", "feasible", "infeasible") and lp_bound is not None \
            and left() > 3 and not stopped():
        # no plan yet: the rest of the time, but a little for the (greedy) rosters
        budget = left() - 1.5
        plan = _plan_step(pm, params, budget, on_progress, t0, stop, "plan",
                          lp_values=lp_values)
        charge(budget)
    if plan.status == "infeasible":
        message = explain_infeasible(inst, params, max(1.0, min(10.0, left())))
        return Result(summary=summary("infeasible", message=message))
    if plan.status not in ("optimal", "feasible") and lp_bound is not None and not soft \
            and all(v.max_headcount is None for v in pm.pools):
        # Out of time: the LP solution rounded up still covers every slot.
        counts = {key: math.ceil(lp_values[v.index] - 1e-6) for key, v in pm.count_vars().items()}
        per_day: dict[tuple[int, int], int] = {}
        for key, c in counts.items():
            if len(key) == 3:
                per_day[key[:2]] = per_day.get(key[:2], 0) + c
        pool_agents = [max((c for (q, _), c in per_day.items() if q == p), default=0)
                       for p in range(len(pm.pools))]
        plan = PlanStep("feasible", counts, sum(pool_agents), math.inf, 0, pool_agents)
    if plan.status not in ("optimal", "feasible"):
        why = "the run was interrupted" if stopped() else f"no shift plan found within {limit:g} s"
        return Result(summary=summary("unknown", message=f"{why}; raise the time limit"))
    rounded_lp = plan.objective == math.inf
    primary_value = math.inf if rounded_lp else round(plan.objective)
    primary_bound = math.ceil(max(plan.bound, lp_bound if lp_bound is not None else 0) - 1e-6)
    if _repair is not None:
        # the repair caps are not implied by the rules: only the first plan's bound holds
        primary_bound = _repair.bound
    headcount_bound = None
    if kind in ("headcount", "headcount_then_cost") and not soft:
        headcount_bound = math.ceil(primary_bound / SCALE - 1e-9)
    hint = plan.counts
    pool_agents = plan.pool_agents
    plan_optimal = (plan.status == "optimal" and _repair is None) or primary_value <= primary_bound

    # Stage 1b, the secondary objective with the primary held.
    if left() > 2 and not stopped() and not rounded_lp:
        pm.model.add(primary <= primary_value)
        pm.model.minimize(secondary)
        if plan.full is not None:
            _hint_all(pm.model, plan.full)
        else:
            pm.model.clear_hints()
            for key, v in pm.count_vars().items():
                pm.model.add_hint(v, hint[key])
            for v, value in zip(pm.pool_agents, pool_agents):
                pm.model.add_hint(v, value)
        report(Progress("paid hours" if secondary is pm.paid_expr else "cost",
                        headcount=sum(pool_agents), headcount_bound=headcount_bound,
                        elapsed=time.monotonic() - t0))
        # on a large plan CP-SAT's presolve alone takes most of this: keep the roster's time
        large = len(pm.pools) > 1 or len(pm.count_vars()) > LARGE_PLAN
        budget = min(0.1 * limit, left() * 0.2) if large and headcount_matters \
            else min(0.3 * limit, left() * 0.5)
        lp2 = None
        if plan.full is not None and not deterministic and not stopped():
            # the LP of this step marks where cheaper plans lie: CP-SAT searches there,
            # from the plan in hand (the whole model stalls near its hint)
            try:
                t_lp = time.monotonic()
                lp_status, lp2, _, _ = solve_with_highs(pm.model, max(0.5, 0.1 * budget),
                                                        relax=True)
                budget -= time.monotonic() - t_lp
                if lp_status != "optimal":
                    lp2 = None
            except (ValueError, RuntimeError) as exc:
                log.debug("no LP for the secondary objective: %s", exc)
        plan2 = _plan_step(pm, params, max(0.5, budget), on_progress, t0, stop,
                           "paid hours", headcount_bound, highs_share=0.6 if lp2 else 0.0,
                           lp_values=lp2, start=plan.full if lp2 else None)
        charge(budget)
        if plan2.status in ("optimal", "feasible"):
            hint = plan2.counts
            pool_agents = plan2.pool_agents
    counts = pm.expand(hint)
    paid_minutes = sum(c * pm.pools[p].options[k].paid_minutes for (p, d, k), c in counts.items())

    # ---- stage 2: the roster, pool by pool (the pools share no agent)
    per_pool = pm.pool_counts(counts)
    single = len(pm.pools) == 1
    assignments: list[dict[int, list[tuple[int, int]]]] = []
    for p, view in enumerate(pm.pools):
        if not per_pool[p]:
            assignments.append({})
            continue
        # the time left is shared by the pools in proportion to their shifts
        later = sum(sum(c.values()) for c in per_pool[p + 1:])
        mine = sum(per_pool[p].values())
        budget = left() * mine / max(1, mine + later)
        lower = headcount_bound if single and headcount_bound is not None else 0
        # every hire costs money: then fewer agents matter even when cost is the objective
        hires_cost = view.pool is not None and view.pool.cost_per_hire > 0 and kind == "cost"
        outcome = _roster_pool(view, per_pool[p], pool_agents[p], lower, budget, params,
                               headcount_matters or hires_cost, deterministic, on_progress,
                               t0, stop, headcount_bound)
        charge(outcome.charged)
        if outcome.roster is None:
            if outcome.proven_infeasible and view.max_headcount is not None \
                    and pool_agents[p] > 0 and left() > 0.2 * limit and not stopped():
                # The plan's aggregate rules let this capped pool take shifts that its
                # agents cannot work: plan again with fewer of them and let the other
                # pools take the rest.
                caps = dict(_repair.caps) if _repair is not None else {}
                caps[p] = pool_agents[p] - 1
                log.debug("pool %s: roster infeasible at %d agents; planning again",
                          view.pool_name, pool_agents[p])
                remaining = left() if not deterministic else limit - charged
                return solve(loaded, time_limit=None, on_progress=on_progress, stop=stop,
                             _repair=_Repair(caps, primary_bound, t0, remaining))
            if outcome.proven_infeasible:
                where = f" of pool {view.pool.name!r}" if view.pool is not None else ""
                message = ("the planned shifts" + where + " cannot be placed on agents under "
                           "the labour rules (rest, consecutive days, weekly hours"
                           + (", the pool's headcount cap" if view.max_headcount is not None else "")
                           + "); relax min_rest_hours or max_consecutive_days, widen the "
                           "weekly hour range or allow more hires")
                return Result(summary=summary("infeasible", message=message))
            why = "the run was interrupted" if stopped() else f"no roster found within {limit:g} s"
            return Result(summary=summary("unknown", message=f"{why}; raise the time limit"))
        assignments.append(outcome.roster.assignment)

    headcount = sum(len(a) for a in assignments)
    proven = (
        headcount_bound is not None and headcount == headcount_bound and plan_optimal
    ) or (not headcount_matters and plan_optimal)
    status_out = "optimal" if proven else "feasible"
    note = "interrupted: the best roster found so far" if stopped() else ""
    objective = {
        "objective_value": None if rounded_lp else primary_value / SCALE,
        "objective_bound": primary_bound / SCALE,
    }
    result = _records(inst, pm.pools, assignments, status_out,
                      functools.partial(summary, **objective), headcount, headcount_bound,
                      paid_minutes, note, standing)
    if loaded.staffing is not None:  # workload scenarios: the service the roster achieves
        from scheduler.workload.service import attach_service

        result = attach_service(loaded, result)
    return result


def _event_days(inst: Instance) -> set[int]:
    """Horizon days inside some event's dates."""
    return {d for d in range(inst.days)
            if any(e.start_date <= inst.date(d) <= e.end_date for e in inst.scenario.events)}


def _standing_capacity(inst: Instance, params: dict, seconds: float) -> float | None:
    """Agent-hours the standing teams alone (no hires, no overtime) would leave short on
    the days outside the events, by the plan's rules (a relaxation of the roster: 0 means
    they have the capacity). None if the search does not finish."""
    sc = inst.scenario
    per_day = inst.slots_per_day
    event_days = _event_days(inst)
    required = tuple(0 if s // per_day in event_days else r for s, r in enumerate(inst.required))
    pools = [p.model_copy(update={"max_hire": 0, "overtime": False}) for p in sc.pools]
    normal = sc.model_copy(update={
        "pools": pools,
        "coverage": sc.coverage.model_copy(update={"allow_understaffing": True}),
    })
    loaded = dataclasses.replace(inst.loaded, scenario=normal, required=required)
    pm = build_plan_model(Instance(loaded))
    pm.model.minimize(pm.short_expr)
    solver, status = _run(pm.model, params, seconds)
    if status == cp_model.OPTIMAL or (status == cp_model.FEASIBLE and solver.objective_value == 0):
        return round(solver.objective_value * inst.slot / 60, 2)
    return None


@dataclass
class _Repair:
    """A second plan after a capped pool's roster proved impossible."""

    caps: dict[int, int]
    """pool index -> most agents the plan may give it."""
    bound: int
    """The first plan's proven bound on the primary objective."""
    t0: float
    seconds: float
    """Time left for this attempt."""


@dataclass
class _PoolOutcome:
    roster: RosterResult | None
    charged: float
    proven_infeasible: bool = False


def _roster_pool(inst: Instance, counts: dict[tuple[int, int], int], plan_agents: int,
                 lower: int, budget: float, params: dict, headcount_matters: bool,
                 deterministic: bool, on_progress, t0: float, stop: StopSignal | None,
                 headcount_bound: int | None) -> _PoolOutcome:
    """Place one pool's planned shifts on its agents within `budget` seconds: greedy,
    days-first with a few seeds, then CP-SAT over agents x days x shift classes."""
    started = time.monotonic()
    charged = 0.0

    def left() -> float:
        return budget - (charged if deterministic else time.monotonic() - started)

    def stopped() -> bool:
        return stop is not None and stop.is_set()

    cap = inst.max_headcount
    # A plan whose objective is not headcount leaves its agent count unminimised (it may
    # be thousands): start the heuristics from what the days need, they add agents.
    per_day: dict[int, int] = {}
    for (d, _), c in counts.items():
        per_day[d] = per_day.get(d, 0) + c
    k7 = inst.rules.max_days_per_week
    needed = max(per_day.values(), default=0)
    if k7 < 7:
        needed = max([needed] + [math.ceil(sum(per_day.get(d, 0) for d in w) / k7)
                                 for w in inst.day_windows(7)])
    plan_agents = min(plan_agents, max(needed, 1)) if not headcount_matters else plan_agents
    target = max(lower, plan_agents) if not lower else lower
    total_shifts = sum(counts.values())
    classes_per_agent = len({(d, inst.options[k].shape) for d, k in counts})
    greedy = greedy_roster(inst, counts, plan_agents)

    def good_enough(r) -> bool:
        return r is not None and (len(r) <= target or not headcount_matters)

    # Working-day patterns from a state network: no agent symmetry, so long horizons fit.
    if not good_enough(greedy) and not stopped() and left() > 1:
        spend = min(30.0, max(1.0, left() * 0.4))
        t_patterns = time.monotonic()
        found = pattern_roster(inst, counts, spend, params, stop, lower=lower)
        charged += spend if deterministic else time.monotonic() - t_patterns
        if found is not None and (greedy is None or len(found) < len(greedy)):
            greedy = found
    # Days-first with a few seeds (its day choice varies with the seed) while it helps.
    spend, spent, t_days = min(15.0, left() * 0.3), 0.0, time.monotonic()
    for attempt in range(8):
        if good_enough(greedy) or stopped():
            break
        remaining = spend - (spent if deterministic else time.monotonic() - t_days)
        if remaining < 0.5:
            break
        seeded = {**params, "random_seed": params.get("random_seed", 0) + attempt}
        two_step = days_first_roster(inst, counts, plan_agents, min(remaining, 5.0), seeded, stop)
        spent += min(remaining, 5.0)
        if two_step is not None and (greedy is None or len(two_step) < len(greedy)):
            greedy = two_step
    charged += spent
    if good_enough(greedy):
        status = "optimal" if len(greedy) <= lower else "feasible"
        return _PoolOutcome(RosterResult(status, greedy, len(greedy), lower), charged)
    roster = None
    proven_infeasible = False
    if greedy is not None:
        # first the plan's headcount exactly, then the heuristic's with its roster as hint
        pools = [plan_agents, len(greedy)] if plan_agents < len(greedy) else [len(greedy)]
    else:
        pools = [plan_agents, plan_agents + max(2, math.ceil(plan_agents * 0.05)), total_shifts]
    if cap is not None:
        pools = sorted({min(size, cap) for size in pools})
    for attempt, size in enumerate(pools):
        if attempt and size <= pools[attempt - 1]:
            continue
        # building the model is Python time outside CP-SAT's limit: keep it affordable
        if size * classes_per_agent > ROSTER_MAX_BOOLEANS or left() < 3 or stopped():
            continue
        if on_progress:
            on_progress(Progress("roster", headcount=len(greedy) if greedy else None,
                                 headcount_bound=headcount_bound,
                                 elapsed=time.monotonic() - t0))
        share = left() * (0.6 if attempt + 1 < len(pools) else 1.0)
        roster = solve_roster(inst, counts, size, lower, max(1.0, share), params, hint=greedy,
                              callback=_RosterReporter(on_progress, t0, stop, headcount_bound),
                              stop=stop)
        charged += max(1.0, share)
        proven_infeasible = roster.status == "infeasible" and (
            size >= total_shifts or (cap is not None and size >= cap))
        if roster.status in ("optimal", "feasible") or left() < 1:
            break
    if (roster is None or roster.status not in ("optimal", "feasible")) and greedy is None:
        # interrupted or out of time before any roster: one quick days-first pass (not
        # interruptible, a few seconds at most) so that the run still ends with a roster
        seconds = 5.0 if stopped() else max(1.0, min(5.0, left() + 2.0))
        greedy = days_first_roster(inst, counts, plan_agents, seconds, params, None)
        charged += seconds
    if (roster is None or roster.status not in ("optimal", "feasible")) and greedy is not None:
        roster = RosterResult("feasible", greedy, len(greedy), lower)
    if roster is None or roster.status not in ("optimal", "feasible"):
        return _PoolOutcome(None, charged, proven_infeasible)
    return _PoolOutcome(roster, charged)


def _hint_all(model: cp_model.CpModel, full: list[int]) -> None:
    """Hint every variable: CP-SAT completes a partial hint of the counts alone only
    slowly on the larger plan models (none in 18 s on a week at peak 200)."""
    model.clear_hints()
    hint = model.proto.solution_hint
    hint.vars.extend(range(len(full)))
    hint.values.extend(full)


LARGE_PLAN = 15_000
CONTINUE_ON_LP_SUPPORT = True
"""After a HiGHS MIP that stops short of optimal on a small plan, continue with CP-SAT on
the LP's support (see _plan_step)."""
"""Count variables above which (or with several pools) the plan starts from the LP's
support with CP-SAT: HiGHS's MIP spends its time in slow LP re-solves on such models."""


def _restricted_plan(pm: PlanModel, lp_values: list[float], params: dict, seconds: float,
                     stop: StopSignal | None, start: list[int] | None = None):
    """A first plan from the LP's support: every count the LP leaves at zero is fixed at
    zero, and CP-SAT, hinted with the LP rounded up, solves the much smaller model that
    remains. Its solution is feasible for the whole model (measured on double11: within
    1% of the LP bound in about 6 s). Returns (counts values by variable index) or None."""
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
        _hint_all(restricted, start)
    solver, status = _run(restricted, params, seconds, stop=stop)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return solver


def _plan_step(pm: PlanModel, params: dict, seconds: float, on_progress, t0, stop, phase,
               headcount_bound=None, highs_share: float = 0.7,
               lp_values: list[float] | None = None,
               start: list[int] | None = None) -> PlanStep:
    """Minimise the plan model's objective. A large or pooled plan with `lp_values` starts
    with CP-SAT on the LP's support (_restricted_plan); otherwise HiGHS's MIP runs for
    `highs_share` of the time. CP-SAT then continues on the whole model from the best
    solution (or from the model's hints when HiGHS is skipped)."""
    t_start = time.monotonic()
    deterministic = bool(params.get("deterministic"))
    status, values, objective, bound = "unknown", None, None, None
    full = None
    try:
        if highs_share > 0 and not deterministic:  # HiGHS stops on the wall clock only
            large_or_pooled = len(pm.pools) > 1 or len(pm.count_vars()) > LARGE_PLAN
            if lp_values is not None and (large_or_pooled or start is not None):
                found = _restricted_plan(pm, lp_values, params, seconds * 0.9, stop, start)
                if found is not None:
                    n_vars = len(pm.model.proto.variables)
                    start = [found.value(pm.model.get_int_var_from_proto_index(i))
                             for i in range(n_vars)]
                    status, values, objective = "feasible", start, found.objective_value
            left_for_highs = seconds * highs_share - (time.monotonic() - t_start)
            # the whole MIP only when the restricted one found nothing: on large models it
            # rarely improves the restricted plan in the time left
            halted = stop is not None and stop.is_set()  # HiGHS cannot be interrupted
            if left_for_highs > 0.5 and (start is None or not large_or_pooled) and not halted:
                f_status, f_values, f_objective, f_bound = solve_with_highs(
                    pm.model, left_for_highs, start=start)
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
        _hint_all(pm.model, full)
        remaining = seconds - (time.monotonic() - t_start)
        if CONTINUE_ON_LP_SUPPORT and lp_values is not None and remaining > 0.5 \
                and not (len(pm.pools) > 1 or len(pm.count_vars()) > LARGE_PLAN):
            # HiGHS's MIP stalled: CP-SAT on the LP's support and the plan's own, from the
            # plan (the whole model mostly stays at its hint in the time left)
            found = _restricted_plan(pm, lp_values, params, remaining, stop, full)
            if found is not None and found.objective_value <= objective + 1e-9:
                full = list(found.response_proto.solution)
                counts = {key: full[v.index] for key, v in pm.count_vars().items()}
                pool_agents = [full[v.index] for v in pm.pool_agents]
                objective = found.objective_value
                return PlanStep("optimal" if objective <= bound + 1e-9 else "feasible",
                                 counts, full[pm.agents.index], objective, bound, pool_agents,
                                 full)
            return PlanStep("feasible", counts, agents, objective, bound, pool_agents, full)
    base = Progress(phase, headcount_bound=headcount_bound)
    remaining = max(0.5, seconds if deterministic else seconds - (time.monotonic() - t_start))
    solver, cp_status = _run(pm.model, params, remaining,
                             _Reporter(phase, on_progress, t0, stop, pm.agents, base), stop)
    name = _status_name(cp_status)
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


class _RosterReporter(cp_model.CpSolverSolutionCallback):
    def __init__(self, on_progress, t0, stop, bound):
        super().__init__()
        self.on_progress, self.t0, self.stop, self.bound = on_progress, t0, stop, bound

    def on_solution_callback(self) -> None:
        if self.stop is not None and self.stop.is_set():
            self.stop_search()
        if self.on_progress:
            self.on_progress(Progress("roster", headcount=round(self.objective_value),
                                      headcount_bound=self.bound,
                                      elapsed=time.monotonic() - self.t0))


def agent_name(index: int, width: int) -> str:
    return f"A{index + 1:0{width}d}"


def _records(inst: Instance, pools: list[Instance], assignments, status, summary, headcount,
             bound, paid_minutes, message: str = "", standing_short: float | None = None) -> Result:
    start = inst.loaded.start
    slot = inst.slot
    sc = inst.scenario
    shifts: list[ShiftRecord] = []
    breaks: list[BreakRecord] = []
    scheduled = [0] * inst.num_slots
    pool_rows: list[PoolSummary] = []
    total_cost_cents = 0.0
    hired_on: dict[int, int] = {}  # day -> shifts worked by hired agents
    overtime_on: dict[int, int] = {}  # day -> overtime minutes
    for view, assignment in zip(pools, assignments):
        pool = view.pool
        # standing agents first: the busiest agents of a pool are its standing team
        order = sorted(assignment.values(),
                       key=lambda items: -sum(view.options[k].contract_minutes for _, k in items))
        standing = pool.standing if pool is not None else 0
        width = max(3, len(str(max(len(order), standing))))
        cost_cents = 0.0
        pool_paid = pool_ot = 0
        for a, items in enumerate(order):
            agent = agent_name(a, width) if pool is None else f"{pool.name}-{a + 1:0{width}d}"
            worked = 0
            for d, k in sorted(items):
                o = view.options[k]
                begin = start + dt.timedelta(days=d, minutes=o.start_minute)
                shifts.append(ShiftRecord(
                    agent=agent, shift_type=o.type_name, start=begin,
                    end=begin + dt.timedelta(minutes=o.length_minutes),
                    paid_minutes=o.paid_minutes, day=(start + dt.timedelta(days=d)).date(),
                    pool=view.pool_name, overtime_minutes=o.overtime_minutes))
                for offset, duration, paid in o.breaks:
                    b0 = begin + dt.timedelta(minutes=offset)
                    breaks.append(BreakRecord(agent=agent, start=b0,
                                              end=b0 + dt.timedelta(minutes=duration), paid=paid))
                for s_ in view.covered(d, o):
                    scheduled[s_] += 1
                cost_cents += view.cost_cents(d, k)
                worked += o.contract_minutes
                pool_paid += o.paid_minutes
                pool_ot += o.overtime_minutes
                if o.overtime_minutes:
                    overtime_on[d] = overtime_on.get(d, 0) + o.overtime_minutes
                if a >= standing:
                    hired_on[d] = hired_on.get(d, 0) + 1
            if pool is not None and a < standing and pool.contract_weekly_hours > 0:
                due = pool.contract_weekly_hours * 60 * inst.days / 7
                cost_cents += pool.cost_per_paid_hour * 100 * max(0, due - worked) / 60
        hired = max(0, len(order) - standing)
        if pool is not None:
            idle = max(0, standing - len(order))
            if pool.contract_weekly_hours > 0:
                due = pool.contract_weekly_hours * 60 * inst.days / 7
                cost_cents += pool.cost_per_paid_hour * 100 * due * idle / 60
            cost_cents += pool.cost_per_hire * 100 * hired
        total_cost_cents += cost_cents
        pool_rows.append(PoolSummary(
            name=view.pool_name or "all", standing=standing, rostered=len(order), hired=hired,
            paid_hours=round(pool_paid / 60, 2), overtime_hours=round(pool_ot / 60, 2),
            cost=round(cost_cents / 100, 2)))
    total_cost_cents += sc.objective.cost_per_agent * 100 * headcount
    coverage = [
        CoverageRecord(start=start + dt.timedelta(minutes=slot * s), required=r, scheduled=c)
        for s, (r, c) in enumerate(zip(inst.required, scheduled))
    ]
    short = [max(0, r - c) for r, c in zip(inst.required, scheduled)]
    over = [max(0, c - r) for r, c in zip(inst.required, scheduled)]
    per_day = inst.slots_per_day
    hours = slot / 60
    days = []
    for d in range(inst.days):
        part = slice(d * per_day, (d + 1) * per_day)
        days.append(DaySummary(
            date=inst.date(d),
            required_agent_hours=sum(inst.required[part]) * hours,
            scheduled_agent_hours=sum(scheduled[part]) * hours,
            short_agent_hours=sum(short[part]) * hours,
            over_agent_hours=sum(over[part]) * hours,
            short_slots=sum(1 for v in short[part] if v > 0)))
    gap = None
    if bound is not None and headcount:
        gap = round((headcount - bound) / headcount, 6)
    overtime_hours = round(sum(r.overtime_hours for r in pool_rows), 2)
    answer = _answer(inst, pool_rows, days, hired_on, overtime_on, total_cost_cents / 100,
                     standing_short) if sc.pools else ""
    shifts.sort(key=lambda r: (r.start, r.agent))
    breaks.sort(key=lambda r: (r.start, r.agent))
    return Result(
        summary=summary(
            status,
            headcount=headcount,
            headcount_lower_bound=bound,
            headcount_gap=gap,
            paid_hours=round(paid_minutes / 60, 2),
            shifts=len(shifts),
            short_agent_slots=sum(short),
            over_agent_slots=sum(over),
            short_slots=[c.start for c, s in zip(coverage, short) if s > 0],
            message=message,
            cost=round(total_cost_cents / 100, 2),
            cost_gap=_cost_gap(sc, total_cost_cents / 100, summary),
            overtime_hours=overtime_hours,
            pools=pool_rows if sc.pools else [],
            days=days,
            answer=answer,
        ),
        shifts=shifts,
        breaks=breaks,
        coverage=coverage,
    )


def _cost_gap(sc, cost: float, summary) -> float | None:
    """(cost - the plan's proven cost bound) / cost when cost is the objective."""
    bound = summary.keywords.get("objective_bound") if isinstance(summary, functools.partial) else None
    if sc.objective.kind != "cost" or bound is None or cost <= 0 or sc.coverage.allow_understaffing:
        return None
    return round(max(0.0, cost - bound) / cost, 6)


def _answer(inst: Instance, pools: list[PoolSummary], days: list[DaySummary],
            hired_on: dict[int, int], overtime_on: dict[int, int], cost: float,
            standing_short: float | None = None) -> str:
    """The planner's question answered from the roster: does the standing team cover the
    days outside the events, and what do the events need?"""
    sc = inst.scenario
    event_days = _event_days(inst)
    normal = [d for d in range(inst.days) if d not in event_days]
    standing = sum(p.standing for p in pools)
    team = ", ".join(f"{p.name} {p.standing}" for p in pools if p.standing)
    parts = [f"the standing team of {standing}" + (f" ({team})" if team else "")]
    if normal and standing_short is not None:
        if standing_short == 0:
            parts.append(f"can cover the {len(normal)} days outside the events alone, "
                         "without overtime")
        else:
            parts.append(f"would leave {standing_short:g} agent-hours short on the "
                         f"{len(normal)} days outside the events without hires or overtime")
    if normal:
        extra = sum(hired_on.get(d, 0) for d in normal)
        ot = sum(overtime_on.get(d, 0) for d in normal) / 60
        short = sum(days[d].short_agent_hours for d in normal)
        if not extra and not ot and not short:
            parts.append(f"in this roster it covers the {len(normal)} days outside the events "
                         "alone")
        else:
            bits = []
            if extra:
                bits.append(f"{extra} shifts by hired agents")
            if ot:
                bits.append(f"{ot:g} overtime hours")
            if short:
                bits.append(f"{short:g} agent-hours short")
            parts.append(f"in this roster the days outside the events also use "
                         f"{', '.join(bits)}")
    names = ", ".join(e.name for e in sc.events) or "the horizon"
    hires = ", ".join(f"{p.hired} {p.name}" for p in pools if p.hired)
    hired = sum(p.hired for p in pools)
    ot_event = sum(overtime_on.get(d, 0) for d in event_days) / 60 if sc.events else \
        sum(overtime_on.values()) / 60
    need = f"{names} needs {hired} hired agents" + (f" ({hires})" if hires else "")
    need += f" and {ot_event:g} overtime hours, at a total cost of {cost:,.2f}"
    return "; ".join(parts) + "; " + need


