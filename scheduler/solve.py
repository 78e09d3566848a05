"""solve(loaded scenario) -> Result: the shift plan, then the roster, then the records."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import math
import platform
import threading
import time
from dataclasses import dataclass
from typing import Callable

import ortools
from ortools.sat.python import cp_model

from models import BreakRecord, CoverageRecord, Result, ShiftRecord, Summary
from scheduler import __version__
from scheduler.highs import solve_with_highs
from scheduler.explain import explain_infeasible, unreachable_slots
from scheduler.instance import Instance
from scheduler.io import LoadedScenario
from scheduler.plan import PlanModel, build_plan_model, max_headcount_needed
from scheduler.stopping import StopSignal, apply_parameters, watched
from scheduler.roster import RosterResult, days_first_roster, greedy_roster, solve_roster

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
) -> Result:
    """Solve a loaded scenario within the time limit (the scenario's unless given)."""
    t0 = time.monotonic()
    sc = loaded.scenario
    params = solver_parameters(loaded, time_limit)
    limit = params["max_time_in_seconds"]
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
    soft = sc.coverage.allow_understaffing
    penalty = round(sc.coverage.understaffing_penalty * SCALE) * pm.short_expr if soft else 0
    penalty += round(sc.coverage.overstaffing_penalty * SCALE) * pm.over_expr
    penalty += round(sc.objective.distinct_shift_penalty * SCALE) * pm.distinct_expr
    kind = sc.objective.kind
    if kind == "headcount":
        primary = pm.agents * SCALE + penalty
    elif kind == "paid_hours":
        # centi-hours: paid minutes * 100 / 60; every length is a multiple of 15 minutes
        primary = sum(v * (inst.options[k].paid_minutes * SCALE // 60) for (d, k), v in pm.n.items()) + penalty
    elif kind == "cost":
        primary = pm.cost_expr + round(sc.objective.cost_per_agent * SCALE) * pm.agents + penalty
    else:  # penalties only
        primary = penalty + 0 * pm.agents
    secondary = pm.paid_expr if kind in ("headcount", "penalties") else pm.agents

    # Stage 1a, the primary objective: HiGHS's MIP first (its LP bound is tight on this
    # covering model), CP-SAT when HiGHS cannot answer.
    pm.model.minimize(primary)
    report(Progress("plan", elapsed=time.monotonic() - t0))
    lp_bound = None
    if not deterministic:  # a proven bound even when the MIP below runs out of time
        try:
            lp_status, lp_values, lp_value, _ = solve_with_highs(
                pm.model, max(0.5, 0.1 * limit), relax=True)
            if lp_status == "optimal":
                lp_bound = lp_value
            elif lp_status == "infeasible":
                message = explain_infeasible(inst, params, max(1.0, min(10.0, left())))
                return Result(summary=summary("infeasible", message=message))
        except (ValueError, RuntimeError) as exc:
            log.debug("no LP bound: %s", exc)
    # With headcount the roster needs time of its own; with the other kinds the plan is the
    # objective and the roster only has to be valid.
    share = 0.25 if kind == "headcount" else 0.7
    budget = max(0.5, share * limit - (time.monotonic() - t0 if not deterministic else 0))
    plan = _plan_step(pm, params, budget, on_progress, t0, stop, "plan")
    charge(budget)
    if plan.status == "infeasible":
        message = explain_infeasible(inst, params, max(1.0, min(10.0, left())))
        return Result(summary=summary("infeasible", message=message))
    if plan.status not in ("optimal", "feasible") and lp_bound is not None and not soft \
            and sc.rules.max_headcount is None:
        # Out of time: the LP solution rounded up still covers every slot.
        counts = {key: math.ceil(lp_values[v.index] - 1e-6) for key, v in pm.n.items()}
        per_day: dict[int, int] = {}
        for (d, _), c in counts.items():
            per_day[d] = per_day.get(d, 0) + c
        plan = _PlanStep("feasible", counts, max(per_day.values(), default=0), math.inf, 0)
    if plan.status not in ("optimal", "feasible"):
        why = "the run was interrupted" if stopped() else f"no shift plan found within {limit:g} s"
        return Result(summary=summary("unknown", message=f"{why}; raise the time limit"))
    rounded_lp = plan.objective == math.inf
    primary_value = math.inf if rounded_lp else round(plan.objective)
    primary_bound = math.ceil(max(plan.bound, lp_bound if lp_bound is not None else 0) - 1e-6)
    headcount_bound = None
    if kind == "headcount" and not soft:
        headcount_bound = math.ceil(primary_bound / SCALE - 1e-9)
    hint = plan.counts
    plan_agents = plan.agents
    plan_optimal = plan.status == "optimal" or primary_value <= primary_bound

    # Stage 1b, the secondary objective with the primary held.
    if left() > 2 and not stopped() and not rounded_lp:
        pm.model.add(primary <= primary_value)
        pm.model.minimize(secondary)
        pm.model.clear_hints()
        for key, v in pm.n.items():
            pm.model.add_hint(v, hint[key])
        pm.model.add_hint(pm.agents, plan_agents)
        report(Progress("paid hours", headcount=plan_agents, headcount_bound=headcount_bound,
                        elapsed=time.monotonic() - t0))
        budget = min(0.3 * limit, left() * 0.5)
        plan2 = _plan_step(pm, params, budget, on_progress, t0, stop,
                           "paid hours", headcount_bound, highs_share=0.0)
        charge(budget)
        if plan2.status in ("optimal", "feasible"):
            hint = plan2.counts
            plan_agents = plan2.agents
    counts = {key: c for key, c in hint.items() if c > 0}
    paid_minutes = sum(c * inst.options[k].paid_minutes for (d, k), c in counts.items())

    # ---- stage 2: the roster
    lower = headcount_bound if headcount_bound is not None else 0
    total_shifts = sum(counts.values())
    classes_per_agent = len({(d, inst.options[k].shape) for d, k in counts})
    greedy = greedy_roster(inst, counts, plan_agents)
    # Days-first with a few seeds (its day choice varies with the seed) while it helps.
    budget, spent, t_days = min(15.0, left() * 0.3), 0.0, time.monotonic()
    for attempt in range(8):
        if greedy is not None and (len(greedy) <= lower or kind != "headcount") or stopped():
            break
        remaining = budget - (spent if deterministic else time.monotonic() - t_days)
        if remaining < 0.5:
            break
        seeded = {**params, "random_seed": params.get("random_seed", 0) + attempt}
        two_step = days_first_roster(inst, counts, plan_agents, min(remaining, 5.0), seeded, stop)
        spent += min(remaining, 5.0)
        if two_step is not None and (greedy is None or len(two_step) < len(greedy)):
            greedy = two_step
    charge(spent)
    roster = None
    proven_infeasible = False
    if greedy is not None and (len(greedy) <= lower or kind != "headcount"):
        # headcount is not the objective of the other kinds: a valid roster is the answer
        roster = RosterResult("optimal" if len(greedy) <= lower else "feasible", greedy,
                              len(greedy), lower)
    else:
        if greedy is not None:
            # first the plan's headcount exactly, then the heuristic's with its roster as hint
            pools = [plan_agents, len(greedy)] if plan_agents < len(greedy) else [len(greedy)]
        else:
            pools = [plan_agents, plan_agents + max(2, math.ceil(plan_agents * 0.05)), total_shifts]
        for attempt, pool in enumerate(pools):
            if attempt and pool <= pools[attempt - 1]:
                continue
            # building the model is Python time outside CP-SAT's limit: keep it affordable
            if pool * classes_per_agent > ROSTER_MAX_BOOLEANS or left() < 3 or stopped():
                continue
            if on_progress:
                on_progress(Progress("roster", headcount=len(greedy) if greedy else None,
                                     headcount_bound=headcount_bound,
                                     elapsed=time.monotonic() - t0))
            share = left() * (0.6 if attempt + 1 < len(pools) else 1.0)
            roster = solve_roster(inst, counts, pool, lower, max(1.0, share), params, hint=greedy,
                                  callback=_RosterReporter(on_progress, t0, stop, headcount_bound),
                                  stop=stop)
            charge(max(1.0, share))
            proven_infeasible = roster.status == "infeasible" and pool >= total_shifts
            if roster.status in ("optimal", "feasible") or left() < 1:
                break
        if (roster is None or roster.status not in ("optimal", "feasible")) and greedy is not None:
            roster = RosterResult("feasible", greedy, len(greedy), lower)
    if roster is None or roster.status not in ("optimal", "feasible"):
        if proven_infeasible:
            message = ("the planned shifts cannot be placed on agents under the labour rules "
                       "(rest, consecutive days, weekly hours); relax min_rest_hours or "
                       "max_consecutive_days, or widen the weekly hour range")
            return Result(summary=summary("infeasible", message=message))
        why = "the run was interrupted" if stopped() else f"no roster found within {limit:g} s"
        return Result(summary=summary("unknown", message=f"{why}; raise the time limit"))

    headcount = roster.headcount
    proven = (
        headcount_bound is not None and headcount == headcount_bound and plan_optimal
    ) or (kind != "headcount" and plan_optimal)
    status_out = "optimal" if proven else "feasible"
    note = "interrupted: the best roster found so far" if stopped() else ""
    objective = {
        "objective_value": None if rounded_lp else primary_value / SCALE,
        "objective_bound": primary_bound / SCALE,
    }
    return _records(inst, roster.assignment, status_out, functools.partial(summary, **objective),
                    headcount, headcount_bound, paid_minutes, note)


@dataclass
class _PlanStep:
    status: str
    counts: dict
    agents: int
    objective: float
    bound: float


def _plan_step(pm: PlanModel, params: dict, seconds: float, on_progress, t0, stop, phase,
               headcount_bound=None, highs_share: float = 0.7) -> _PlanStep:
    """Minimise the plan model's objective: HiGHS MIP for `highs_share` of the time, then
    CP-SAT from its solution (or from the model's hints when HiGHS is skipped)."""
    t_start = time.monotonic()
    deterministic = bool(params.get("deterministic"))
    status, values, objective, bound = "unknown", None, None, None
    try:
        if highs_share > 0 and not deterministic:  # HiGHS stops on the wall clock only
            status, values, objective, bound = solve_with_highs(pm.model, seconds * highs_share)
    except (ValueError, RuntimeError) as exc:  # a model HiGHS cannot take
        log.debug("HiGHS skipped: %s", exc)
    if status == "infeasible":
        return _PlanStep("infeasible", {}, 0, 0, 0)
    if values is not None:
        counts = {key: round(values[v.index]) for key, v in pm.n.items()}
        agents = round(values[pm.agents.index])
        if status == "optimal":
            return _PlanStep(status, counts, agents, objective, bound)
        pm.model.clear_hints()
        for key, v in pm.n.items():
            pm.model.add_hint(v, counts[key])
        pm.model.add_hint(pm.agents, agents)
    base = Progress(phase, headcount_bound=headcount_bound)
    remaining = max(0.5, seconds if deterministic else seconds - (time.monotonic() - t_start))
    solver, cp_status = _run(pm.model, params, remaining,
                             _Reporter(phase, on_progress, t0, stop, pm.agents, base), stop)
    name = _status_name(cp_status)
    if name in ("optimal", "feasible"):
        cp_bound = solver.best_objective_bound
        if values is None or solver.objective_value <= objective + 1e-9:
            counts = {key: solver.value(v) for key, v in pm.n.items()}
            agents = solver.value(pm.agents)
            objective = solver.objective_value
        bound = max(cp_bound, bound) if bound is not None else cp_bound
        return _PlanStep("optimal" if objective <= bound + 1e-9 else "feasible",
                         counts, agents, objective, bound)
    if values is not None:
        return _PlanStep("feasible", counts, agents, objective, bound)
    return _PlanStep(name, {}, 0, 0, 0)


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


def _records(inst: Instance, assignment, status, summary, headcount, bound, paid_minutes,
             message: str = "") -> Result:
    start = inst.loaded.start
    slot = inst.slot
    width = max(3, len(str(len(assignment))))
    shifts: list[ShiftRecord] = []
    breaks: list[BreakRecord] = []
    scheduled = [0] * inst.num_slots
    for a, items in sorted(assignment.items()):
        agent = agent_name(a, width)
        for d, k in items:
            o = inst.options[k]
            begin = start + dt.timedelta(days=d, minutes=o.start_minute)
            shifts.append(ShiftRecord(
                agent=agent, shift_type=o.type_name, start=begin,
                end=begin + dt.timedelta(minutes=o.length_minutes), paid_minutes=o.paid_minutes,
                day=(start + dt.timedelta(days=d)).date()))
            for offset, duration, paid in o.breaks:
                b0 = begin + dt.timedelta(minutes=offset)
                breaks.append(BreakRecord(agent=agent, start=b0,
                                          end=b0 + dt.timedelta(minutes=duration), paid=paid))
            for s in inst.covered(d, o):
                scheduled[s] += 1
    coverage = [
        CoverageRecord(start=start + dt.timedelta(minutes=slot * s), required=r, scheduled=c)
        for s, (r, c) in enumerate(zip(inst.required, scheduled))
    ]
    short = [max(0, r - c) for r, c in zip(inst.required, scheduled)]
    over = [max(0, c - r) for r, c in zip(inst.required, scheduled)]
    gap = None
    if bound is not None and headcount:
        gap = round((headcount - bound) / headcount, 6)
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
        ),
        shifts=shifts,
        breaks=breaks,
        coverage=coverage,
    )
