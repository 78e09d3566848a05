"""solve(loaded scenario) -> Result, a short pipeline of named stages: the slots no shift
can reach, the objectives, the plan for the primary objective, the plan for the secondary
one with the primary held, the roster pool by pool (which may plan again with a pool
capped), and the records. The run context (_Run) keeps the clock, the budgets, the stop
signal, the progress reports and the summary every stage ends with."""

from __future__ import annotations

import dataclasses
import logging
import math
import time
from dataclasses import dataclass
from typing import Callable

from scheduler.engine.sat import cp_model

from scheduler.engine import shiftdesign
from scheduler.engine.cpsat import Progress, ProgressFn, solver_parameters, versions
from scheduler.engine.explain import (explain_infeasible, short_cycle,
                                      unreachable_queue_slots, unreachable_slots)
from scheduler.engine.first import first_roster, quick_headcount_bound
from scheduler.engine.highs import solve_with_highs
from scheduler.engine.incumbent import better
from scheduler.engine.instance import Instance
from scheduler.engine.plan import PlanModel, PlanStep, build_plan_model, hint_all
from scheduler.engine.plan_steps import LARGE_PLAN, plan_share, plan_step, rounded_up_plan
from scheduler.engine.records import agent_name, records
from scheduler.engine.roster_stage import ROSTER_MAX_BOOLEANS, roster_pool
from scheduler.engine.serves import solve_split, split_by_serves
from scheduler.engine.staff_stage import named_result, uncapped
from scheduler.engine.standing import standing_capacity
from scheduler.engine.stopping import StopSignal
from scheduler.models import Result, Summary
from scheduler.workload.loaded import LoadedScenario

__all__ = [
    "ROSTER_MAX_BOOLEANS",
    "SCALE",
    "Progress",
    "ProgressFn",
    "agent_name",
    "solve",
    "solver_parameters",
]

log = logging.getLogger(__name__)

SCALE = 100  # objective weights are scaled to integers (hundredths)
NAMED_PLAN_SHARE = 0.45  # with named staff, the plan's share of the limit (then theirs)
NAMED_HIRE_HOURS = 50
"""Named staff: the plan minimises hires beyond them (each weighing this many paid hours
a week) plus paid hours (see docs/staff.md: how it is solved)."""


def solve(
    loaded: LoadedScenario,
    time_limit: float | None = None,
    on_progress: ProgressFn | None = None,
    stop: StopSignal | None = None,
    reserve: Callable[[int, int], float] | None = None,
    _repair: _Repair | None = None,
) -> Result:
    """Solve a loaded scenario within the time limit (the scenario's unless given).
    `reserve(shifts, agents)` is the time to keep at the end for what the caller does
    with a roster that size (writing the outputs): the search ends that much earlier."""
    if _repair is None and (split := split_by_serves(loaded)) is not None:
        return solve_split(split, solve, time_limit=time_limit, on_progress=on_progress,
                           stop=stop, reserve=reserve)  # people serving part of a pool's queues
    run = _Run(loaded, time_limit, on_progress, stop, _repair)
    run.reserve = reserve
    if (gaps := unreachable(run)) is not None:
        return gaps
    first = quick_roster(run)
    if not model_fits(run, first):
        return run.with_first(None)
    full_limit = run.limit
    if run.sc.staff is not None:  # the named roster is a search of its own
        run.limit = NAMED_PLAN_SHARE * full_limit
    pm = plan_model(run)
    objective = objectives(run, pm)
    plan = primary_plan(run, pm, objective)
    if isinstance(plan, Result) and run.sc.staff is not None and run.first is not None \
            and plan.summary.status == "unknown":
        plan = first_as_plan(run)  # named staff: the first roster's shifts as the plan
    if isinstance(plan, Result):
        return run.with_first(None, plan)
    plan = secondary_plan(run, pm, objective, plan)
    shifts = pm.expand(plan.counts)
    if run.sc.staff is not None:
        run.limit = full_limit
        return named_result(run, pm, plan, shifts, SCALE)
    rosters = roster_pools(run, pm, objective, plan, shifts)
    if isinstance(rosters, _Repair):
        # a capped pool cannot work its planned shifts: plan again, on the same clock
        return solve(loaded, time_limit=None, on_progress=on_progress, stop=stop,
                     reserve=reserve, _repair=rosters)
    if isinstance(rosters, Result):
        return run.with_first(plan, rosters)
    return run.with_first(plan, roster_result(run, pm, objective, plan, shifts, rosters))


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
    first: _First | None = None
    """The first attempt's greedy roster."""


@dataclass
class _First:
    """The greedy roster made before any model (engine/first.py)."""

    assignments: list
    seconds: float
    """When it was ready, from the start of the run."""
    nonzeros: int
    bound: int | None = None
    """A quick headcount bound (first.quick_headcount_bound) for when no plan gives one."""


class _Run:
    """One attempt at a scenario: its parameters and time limit, the clock, the seconds
    charged, the stop signal, the progress callback and the summary its result carries.

    The deterministic profile charges each phase its full budget, so that no decision
    depends on the wall clock; otherwise the budget is wall time."""

    def __init__(self, loaded: LoadedScenario, time_limit: float | None,
                 on_progress: ProgressFn | None, stop: StopSignal | None,
                 repair: _Repair | None):
        self.t0 = time.monotonic() if repair is None else repair.t0
        self.loaded = loaded
        self.sc = loaded.scenario
        self.params = solver_parameters(loaded, time_limit)
        self.limit = self.params["max_time_in_seconds"]
        if repair is not None:
            # the clock keeps running from the first attempt: budgets count from t0
            elapsed = 0.0 if loaded.scenario.solver.deterministic else time.monotonic() - self.t0
            self.limit = elapsed + repair.seconds
        self.inst = Instance(uncapped(loaded) if loaded.scenario.staff is not None else loaded)
        self.on_progress = on_progress
        self.stop = stop
        self.repair = repair
        self.deterministic = bool(self.params.get("deterministic"))
        self.charged = 0.0
        self.first: _First | None = repair.first if repair is not None else None
        self.reserve: Callable[[int, int], float] | None = None

    def elapsed(self) -> float:
        """Wall seconds since the first attempt started."""
        return time.monotonic() - self.t0

    def left(self) -> float:
        return self.limit - (self.charged if self.deterministic else time.monotonic() - self.t0)

    def charge(self, seconds: float) -> None:
        self.charged += seconds

    def stopped(self) -> bool:
        return self.stop is not None and self.stop.is_set()

    def report(self, p: Progress) -> None:
        if self.on_progress is not None:
            self.on_progress(p)

    def with_first(self, plan: _Plan | None, result: Result | None = None) -> Result:
        """The better of `result` and the first (greedy) roster, with the plan's bounds;
        `result` itself when there is no first roster or the plan proved it infeasible."""
        # with named staff the first roster is only a plan: its agents are no one's
        if self.first is None or self.sc.staff is not None \
                or (result is not None and result.summary.status == "infeasible"):
            return result if result is not None else self.unfinished("roster")
        pools = self.inst.pool_views()
        assignments = self.first.assignments
        paid = sum(view.options[k].paid_minutes
                   for view, a in zip(pools, assignments) for items in a.values()
                   for _, k in items)
        note = "interrupted: the best roster found so far" if self.stopped() else ""
        mine = records(self.inst, pools, assignments, "feasible", self.summary,
                       sum(len(a) for a in assignments),
                       plan.headcount_bound if plan is not None else self.first.bound, paid,
                       objective_value=None,
                       objective_bound=plan.primary_bound / SCALE if plan is not None else None,
                       message=note, standing_short=plan.standing_short if plan else None)
        if self.loaded.staffing is not None:
            from scheduler.workload.service import attach_service

            mine = attach_service(self.loaded, mine)
        best = better(mine, result, self.sc)
        return best.model_copy(update={"summary": best.summary.model_copy(
            update={"first_roster_seconds": round(self.first.seconds, 3)})})

    def summary(self, status: str, **kw) -> Summary:
        sc = self.sc
        return Summary(
            scenario=sc.name,
            status=status,
            objective=sc.objective.kind,
            solve_seconds=round(time.monotonic() - self.t0, 3),
            versions=versions(),
            scenario_sha256=self.loaded.sha256,
            solver_parameters=self.params,
            variant=self.loaded.variant,
            overrides=list(self.loaded.overrides),
            **kw,
        )

    def ends(self, status: str, message: str) -> Result:
        """A result with no roster: the status and why."""
        return Result(summary=self.summary(status, message=message))

    def unfinished(self, what: str) -> Result:
        """The result when a stage found no `what` (interrupted or out of time)."""
        why = "the run was interrupted" if self.stopped() \
            else f"no {what} found within {self.limit:g} s"
        return self.ends("unknown", f"{why}; raise the time limit")

    def infeasible(self) -> Result:
        """The result of a plan proven infeasible, with the rules that conflict."""
        return self.ends("infeasible", explain_infeasible(
            self.inst, self.params, max(1.0, min(10.0, self.left()))))


@dataclass
class _Objective:
    """The plan's objectives as model expressions, by the scenario's objective kind."""

    kind: str
    primary: cp_model.LinearExpr
    secondary: cp_model.LinearExpr
    """Minimised with the primary held at its value."""
    headcount_matters: bool
    """The roster's headcount matters to this kind; to the others any valid roster will do."""


@dataclass
class _Plan:
    """The shift plan the rosters work, with what the records say of the primary search."""

    step: PlanStep
    """The primary objective's plan search."""
    counts: dict
    """Count-variable key -> shifts (the secondary plan's when it found one)."""
    pool_agents: list[int]
    primary_value: float
    """In objective units x SCALE; math.inf when the plan is the LP rounded up."""
    primary_bound: int
    headcount_bound: int | None
    optimal: bool
    """The primary objective's value is proven optimal."""
    standing_short: float | None
    """See standing.standing_capacity."""

    @property
    def rounded_lp(self) -> bool:
        return self.primary_value == math.inf


def unreachable(run: _Run) -> Result | None:
    """An infeasible result when some required slot has no shift to cover it and the
    scenario does not allow understaffing; None otherwise."""
    if not run.sc.coverage.allow_understaffing:
        gaps = unreachable_slots(run.inst) or unreachable_queue_slots(run.inst) \
            or short_cycle(run.inst)
        if gaps:
            return run.ends("infeasible", gaps)
    return None


def quick_roster(run: _Run) -> _First | None:
    """The greedy roster (engine/first.py), made before any model so that the run has a
    roster to return however short its time; kept on the run context."""
    if run.first is not None or run.stopped():
        return run.first
    sc = run.sc
    # most of a short limit: the model may not even be built in it (the greedy steps end
    # as soon as they are done; only a failing one uses all of this)
    seconds = min(10.0, max(0.5, 0.8 * run.limit))
    if run.deterministic:
        seconds *= 10.0  # the wall clock decides nothing
    found = first_roster(run.inst, sc.objective.kind == "cost", seconds, run.params, run.stop)
    if run.deterministic:
        run.charge(min(1.0, 0.05 * run.limit))  # a fixed share: the greedy is quick
    if found is None:
        return None
    assignments, cover = found
    if cover.short and not sc.coverage.allow_understaffing:
        return None
    bound = None
    if sc.objective.kind in ("headcount", "headcount_then_cost") \
            and not sc.coverage.allow_understaffing:
        bound = quick_headcount_bound(run.inst)
    run.first = _First(assignments, run.elapsed(), cover.nonzeros, bound)
    if run.reserve is not None and not run.deterministic and run.repair is None:
        shifts = sum(len(items) for a in assignments for items in a.values())
        agents = sum(len(a) for a in assignments)
        run.limit = max(run.elapsed(), run.limit - run.reserve(shifts, agents)
                        - RECORDS_SECONDS_PER_SHIFT * shifts)
    run.report(Progress("first roster", headcount=sum(len(a) for a in assignments),
                        headcount_bound=bound, elapsed=run.elapsed()))
    return run.first


RECORDS_SECONDS_PER_SHIFT = 2.5e-5
"""The result's records (engine/records.py: shifts, breaks, coverage, summary) take about
this long per shift after the search, with a margin: 1.1 s for the 55,486 shifts of 4
weeks at peak 1,000 (one core, 2026-12-02). Kept back with the caller's reserve."""


BUILD_SECONDS_PER_NONZERO = 8e-6
"""The plan model's build time per slot-shift incidence, with a margin (about 5 us
measured on double11 and the scale grid, one core)."""


def model_fits(run: _Run, first: _First | None) -> bool:
    """Whether building the plan model (estimated from the slot-shift incidences: the
    greedy cover's, or all options' when there is no first roster) and a second of
    search fit the time left."""
    if run.deterministic:
        return True
    nonzeros = first.nonzeros if first is not None else estimated_nonzeros(run.inst)
    return not run.stopped() and run.left() > BUILD_SECONDS_PER_NONZERO * nonzeros + 1.0


def estimated_nonzeros(inst: Instance) -> int:
    """Slot-shift incidences of the plan's shifts, from the options' on-duty slots."""
    total = 0
    for view in inst.pool_views():
        per_option = [len(o.on_duty_slots(view.slot)) for o in view.options]
        total += sum(per_option[k] for _, k in view.instances)
    return total


def plan_model(run: _Run) -> PlanModel:
    """The plan model, with the repair's caps on pools' agents when planning again."""
    pm = build_plan_model(run.inst)
    if run.repair is not None:
        for p, cap in run.repair.caps.items():
            pm.model.add(pm.pool_agents[p] <= cap)
    return pm


def objectives(run: _Run, pm: PlanModel) -> _Objective:
    """The primary and secondary objective expressions of the scenario's objective kind,
    with the coverage and distinct-shift penalties in the primary."""
    sc = run.sc
    soft = sc.coverage.allow_understaffing
    penalty = round(sc.coverage.understaffing_penalty * SCALE) * pm.short_expr if soft else 0
    penalty += round(sc.coverage.overstaffing_penalty * SCALE) * pm.over_expr
    penalty += round(sc.objective.distinct_shift_penalty * SCALE) * pm.distinct_expr
    kind = sc.objective.kind
    cost = pm.cost_expr + round(sc.objective.cost_per_agent * SCALE) * pm.agents
    if kind in ("headcount", "headcount_then_cost"):
        primary = pm.agents * SCALE + penalty
        if sc.staff is not None:  # see NAMED_HIRE_HOURS
            primary = sum(pm.hires) * round(NAMED_HIRE_HOURS * 100 * run.inst.days / 7) \
                + pm.paid_centi_expr + penalty
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
    headcount_matters = kind in ("headcount", "added_headcount", "headcount_then_cost")
    return _Objective(kind, primary, secondary, headcount_matters)


def primary_plan(run: _Run, pm: PlanModel, objective: _Objective) -> _Plan | Result:
    """The plan for the primary objective: HiGHS's MIP first (its LP bound is tight on
    this covering model), CP-SAT when HiGHS cannot answer, the shift-design MIP where it
    applies, and the LP rounded up when time runs out. With pools and events, the standing
    teams' capacity is measured first."""
    sc, limit = run.sc, run.limit
    soft = sc.coverage.allow_understaffing
    pm.model.minimize(objective.primary)
    run.report(Progress("plan", elapsed=run.elapsed()))
    lp_bound = lp_values = None
    if not run.deterministic:  # a proven bound even when the MIP below runs out of time
        try:
            # a large or pooled plan needs the LP for its first solution (see plan_step)
            large = len(pm.pools) > 1 or len(pm.count_vars()) > LARGE_PLAN
            lp_status, lp_values, lp_value, _ = solve_with_highs(
                # a large plan has no first plan without the LP: it may take most of
                # the time (double11: 10 s idle, 22 s with another process busy)
                pm.model, min(run.left(), max(0.5, (0.6 if large else 0.2) * limit)),
                relax=True, stop=run.stop)
            if lp_status == "optimal":
                lp_bound = lp_value
            elif lp_status == "infeasible":
                return run.infeasible()
        except (ValueError, RuntimeError) as exc:
            log.debug("no LP bound: %s", exc)
    standing = None
    if run.first is not None and run.left() < 1.5:
        return run.unfinished("shift plan")  # the first roster stands
    if sc.pools and sc.events and not run.stopped() and run.left() > 3:
        budget = min(8.0, max(2.0, 0.05 * limit), 0.2 * run.left())  # 2 s on double11
        standing = standing_capacity(run.inst, run.params, budget)
        run.charge(budget)
    # headcount: the roster needs time of its own; other kinds: the plan is the objective
    share = 0.25 if objective.headcount_matters and sc.staff is None else plan_share(limit)
    budget = max(0.5, share * limit - (run.elapsed() if not run.deterministic else 0))
    if not run.deterministic:
        budget = min(budget, max(0.2, run.left()))
    plan = None
    if not run.deterministic and shiftdesign.applies(pm, objective.kind,
                                                     sc.objective.distinct_shift_penalty):
        # the plan is the whole objective here: it gets a larger share of the time
        plan = shiftdesign.plan(pm, run.params, budget + 0.1 * limit, run.stop, lp_bound,
                                lambda value: run.report(Progress(
                                    "plan", objective=value, elapsed=run.elapsed())))
    if plan is None:
        # named staff: HiGHS finds no better plan than CP-SAT on the LP's support (the named
        # month: 38,892,400 in 60 s, CP-SAT 950,000 in 15 s: 1.6% above the LP)
        plan = plan_step(pm, run.params, budget, run.on_progress, run.t0, run.stop, "plan",
                         lp_values=lp_values if lp_bound is not None else None,
                         polish=sc.staff is None)
    run.charge(budget)
    if plan.status not in ("optimal", "feasible", "infeasible") and lp_bound is not None \
            and run.left() > 3 and not run.stopped():
        # no plan yet: the rest of the time, but a little for the (greedy) rosters
        budget = run.left() - 1.5
        plan = plan_step(pm, run.params, budget, run.on_progress, run.t0, run.stop, "plan",
                         lp_values=lp_values)
        run.charge(budget)
    if plan.status == "infeasible":
        return run.infeasible()
    if plan.status not in ("optimal", "feasible") and lp_bound is not None and not soft \
            and all(v.max_headcount is None for v in pm.pools):
        plan = rounded_up_plan(pm, lp_values)
    if plan.status not in ("optimal", "feasible"):
        return run.unfinished("shift plan")
    primary_value = math.inf if plan.objective == math.inf else round(plan.objective)
    primary_bound = math.ceil(max(plan.bound, lp_bound if lp_bound is not None else 0) - 1e-6)
    if run.repair is not None:
        # the repair caps are not implied by the rules: only the first plan's bound holds
        primary_bound = run.repair.bound
    headcount_bound = None
    if objective.kind in ("headcount", "headcount_then_cost") and not soft:
        headcount_bound = math.ceil(primary_bound / SCALE - 1e-9)
        if sc.staff is not None:  # the primary is hires and hours: the anonymous bound
            quick = run.first.bound if run.first is not None else None
            headcount_bound = max(len(sc.staff.people), quick or 0)
    optimal = (plan.status == "optimal" and run.repair is None) or primary_value <= primary_bound
    return _Plan(plan, plan.counts, plan.pool_agents, primary_value, primary_bound,
                 headcount_bound, optimal, standing)


def first_as_plan(run: _Run) -> _Plan:
    """The first (greedy) roster's shifts as the plan, when no plan was found in time: a
    cover the pools' agents can work, with the quick headcount bound."""
    counts: dict[tuple[int, int, int], int] = {}
    for p, assignment in enumerate(run.first.assignments):
        for items in assignment.values():
            for d, k in items:
                counts[(p, d, k)] = counts.get((p, d, k), 0) + 1
    pool_agents = [len(a) for a in run.first.assignments]
    bound = max(run.first.bound or 0, len(run.sc.staff.people))
    step = PlanStep("feasible", counts, sum(pool_agents), math.inf, 0, pool_agents)
    return _Plan(step, counts, pool_agents, math.inf, 0, bound, False, None)


def secondary_plan(run: _Run, pm: PlanModel, objective: _Objective, plan: _Plan) -> _Plan:
    """The plan for the secondary objective (paid hours or cost) with the primary held at
    its value, from the primary's plan; that plan when time is short or nothing better is
    found."""
    if not (run.left() > 2 and not run.stopped() and not plan.rounded_lp):
        return plan
    limit = run.limit
    pm.model.add(objective.primary <= plan.primary_value)
    pm.model.minimize(objective.secondary)
    if plan.step.full is not None:
        hint_all(pm.model, plan.step.full)
    else:
        pm.model.clear_hints()
        for key, v in pm.count_vars().items():
            pm.model.add_hint(v, plan.counts[key])
        for v, value in zip(pm.pool_agents, plan.pool_agents):
            pm.model.add_hint(v, value)
    run.report(Progress("paid hours" if objective.secondary is pm.paid_expr else "cost",
                        headcount=sum(plan.pool_agents), headcount_bound=plan.headcount_bound,
                        elapsed=run.elapsed()))
    # on a large plan CP-SAT's presolve alone takes most of this: keep the roster's time
    large = len(pm.pools) > 1 or len(pm.count_vars()) > LARGE_PLAN
    budget = min(0.1 * limit, run.left() * 0.2) if large else min(0.3 * limit, run.left() * 0.5)
    lp2 = None
    if plan.step.full is not None and not run.deterministic and not run.stopped():
        # the LP of this step marks where cheaper plans lie: CP-SAT searches there,
        # from the plan in hand (the whole model stalls near its hint)
        try:
            t_lp = time.monotonic()
            lp_status, lp2, _, _ = solve_with_highs(pm.model, max(0.5, 0.25 * budget),
                                                    relax=True, stop=run.stop)
            budget -= time.monotonic() - t_lp
            if lp_status != "optimal":
                lp2 = None
        except (ValueError, RuntimeError) as exc:
            log.debug("no LP for the secondary objective: %s", exc)
    # a small plan: from this LP's support, not the primary's plan (CP-SAT's first on the
    # first LP's: a cyclic week at peak 200, 30 s, kept 22,879 paid hours; this 19,705)
    found = plan_step(pm, run.params, max(0.5, budget), run.on_progress, run.t0, run.stop,
                      "paid hours", plan.headcount_bound, highs_share=0.6 if lp2 else 0.0,
                      lp_values=lp2, start=plan.step.full if lp2 and large else None)
    run.charge(budget)
    if found.status in ("optimal", "feasible"):
        return dataclasses.replace(plan, counts=found.counts, pool_agents=found.pool_agents)
    return plan


def roster_pools(run: _Run, pm: PlanModel, objective: _Objective, plan: _Plan,
                 shifts: dict[tuple[int, int, int], int]
                 ) -> list[dict[int, list[tuple[int, int]]]] | Result | _Repair:
    """Each pool's roster of its planned `shifts` (the pools share no agent), the time
    left shared by their shifts. When a capped pool cannot work its shifts, a _Repair to
    plan again with that pool capped one agent lower; a Result when there is no roster."""
    per_pool = pm.pool_counts(shifts)
    single = len(pm.pools) == 1
    assignments: list[dict[int, list[tuple[int, int]]]] = []
    for p, view in enumerate(pm.pools):
        if not per_pool[p]:
            assignments.append({})
            continue
        # the time left is shared by the pools in proportion to their shifts
        later = sum(sum(c.values()) for c in per_pool[p + 1:])
        mine = sum(per_pool[p].values())
        budget = run.left() * mine / max(1, mine + later)
        lower = plan.headcount_bound if single and plan.headcount_bound is not None else 0
        # every hire costs money: then fewer agents matter even when cost is the objective
        hires_cost = view.pool is not None and view.pool.cost_per_hire > 0 \
            and objective.kind == "cost"
        outcome = roster_pool(view, per_pool[p], plan.pool_agents[p], lower, budget, run.params,
                              objective.headcount_matters or hires_cost, run.deterministic,
                              run.on_progress, run.t0, run.stop, plan.headcount_bound,
                              last_resort=run.first is None)
        run.charge(outcome.charged)
        if outcome.roster is None:
            if outcome.proven_infeasible and view.max_headcount is not None \
                    and plan.pool_agents[p] > 0 and run.left() > 0.2 * run.limit \
                    and not run.stopped():
                # The plan's aggregate rules let this capped pool take shifts that its
                # agents cannot work: plan again with fewer of them and let the other
                # pools take the rest.
                caps = dict(run.repair.caps) if run.repair is not None else {}
                caps[p] = plan.pool_agents[p] - 1
                log.debug("pool %s: roster infeasible at %d agents; planning again",
                          view.pool_name, plan.pool_agents[p])
                return _Repair(caps, plan.primary_bound, run.t0, run.left(), run.first)
            if outcome.proven_infeasible:
                where = f" of pool {view.pool.name!r}" if view.pool is not None else ""
                return run.ends("infeasible", (
                    "the planned shifts" + where + " cannot be placed on agents under "
                    "the labour rules (rest, consecutive days, weekly hours"
                    + (", the pool's headcount cap" if view.max_headcount is not None else "")
                    + "); relax min_rest_hours or max_consecutive_days, widen the "
                    "weekly hour range or allow more hires"))
            return run.unfinished("roster")
        assignments.append(outcome.roster.assignment)
    return assignments


def roster_result(run: _Run, pm: PlanModel, objective: _Objective, plan: _Plan,
                  shifts: dict[tuple[int, int, int], int],
                  assignments: list[dict[int, list[tuple[int, int]]]]) -> Result:
    """The records of the rosters, with the status the plan's bounds prove; for workload
    scenarios, the service the roster achieves."""
    paid_minutes = sum(c * pm.pools[p].options[k].paid_minutes for (p, d, k), c in shifts.items())
    headcount = sum(len(a) for a in assignments)
    proven = (
        plan.headcount_bound is not None and headcount == plan.headcount_bound and plan.optimal
    ) or (not objective.headcount_matters and plan.optimal)
    status = "optimal" if proven else "feasible"
    note = "interrupted: the best roster found so far" if run.stopped() else ""
    result = records(run.inst, pm.pools, assignments, status, run.summary, headcount,
                     plan.headcount_bound, paid_minutes,
                     objective_value=None if plan.rounded_lp else plan.primary_value / SCALE,
                     objective_bound=plan.primary_bound / SCALE,
                     message=note, standing_short=plan.standing_short)
    if run.loaded.staffing is not None:  # workload scenarios: the service the roster achieves
        from scheduler.workload.service import attach_service

        result = attach_service(run.loaded, result)
    return result
