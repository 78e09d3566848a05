"""Re-plan a named roster after changes, changing as little as possible.

The earlier roster's shifts are read back into the pools' shift options; a shift that
started before the re-plan's start is kept as worked (fixed in the model, so every rule
across the boundary holds: rest, consecutive days, weekly hours). After it, the named
roster model (engine/staff_model.py, the same rules and goals as a solve) covers the
requirement again with the classes the earlier roster used, and its objective puts
disruption first:

1. the fewest new hires (beyond the hires the earlier roster had) at NEW_HIRE_WEIGHT
   each, and the fewest changed person-days at CHANGE_WEIGHT each (a new hire weighs as
   much as NEW_HIRE_WEIGHT / CHANGE_WEIGHT = 50 changed days);
2. with both capped at what the first solve reached, wishes, fairness and contract
   hours as in a solve.

The search is local first (see _replan_pool): the forced changes repaired with most of
the horizon held, then, where the model is small enough to pay, every day after the
start free. The model itself is in engine/replan_model.py.

A person-day is changed when its shift is added, removed, or has another type, start or
length; a moved break is not a change. Changes the absences force (the person may no
longer work that day) are counted apart from the ones made to cover again.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import time
from collections import Counter

import numpy as np
from scheduler.engine.sat import cp_model

from scheduler.engine.cpsat import solver_parameters, versions
from scheduler.engine.instance import Instance
from scheduler.engine.plan import hint_all
from scheduler.engine.records import records
from scheduler.engine.queue_cover import split
from scheduler.engine.replan_model import (
    PoolRoster,
    ReplanModel,
    first_free_slot,
    previous_roster,
)
from scheduler.engine.replan_queues import QueueCover, by_queue
from scheduler.engine.serves import in_contract_pools, split_by_serves
from scheduler.engine.staff_stage import on_duty, uncapped, with_staff_figures
from scheduler.engine.stopping import StopSignal, apply_parameters, watched
from scheduler.errors import InputError
from scheduler.models import (
    BreakRecord,
    ChangeRecord,
    ReplanFigures,
    Result,
    ShiftRecord,
    Summary,
)
from scheduler.workload.loaded import LoadedScenario

log = logging.getLogger(__name__)

CHANGE_WEIGHT = 20
NEW_HIRE_WEIGHT = 1000
LOCAL_SHARE = 0.3
"""Share of the time for the day-by-day repairs of the forced changes."""
FULL_AFTER = 0.4
"""The search with every day free runs when this share of the time is left after them."""
FULL_MAX_VARS = 40_000
"""...and when its model would have at most this many shift variables (a month of 500
people has about 100,000: its build and search do not pay within seconds)."""
REVERT_SECONDS = 3.0
"""At most this long for undoing the local repairs' needless changes (_revert)."""
FIRST_SHARE = 0.6
"""Share of the time left that the search with every day free may take (then the goals)."""


def _complete(model: cp_model.CpModel, seconds: float, stop: StopSignal | None
              ) -> list[int] | None:
    """The hinted roster as a whole solution (every helper variable given its value), or
    None when the hint is no whole roster of this model."""
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = max(0.2, seconds)
    with watched(stop, solver):
        status = solver.solve(model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return list(solver.response_proto.solution)
    return None


def _solve(model: cp_model.CpModel, seconds: float, params: dict,
           stop: StopSignal | None) -> tuple[int, cp_model.CpSolver]:
    solver = cp_model.CpSolver()
    apply_parameters(solver, params, max(0.5, seconds))
    solver.parameters.log_search_progress = log.isEnabledFor(logging.DEBUG)
    solver.log_callback = log.debug
    with watched(stop, solver):
        status = solver.solve(model)
    return status, solver


def _first_solve(r: ReplanModel, seconds: float, params: dict, stop: StopSignal | None,
                 hint: dict[int, dict[int, int]]):
    """The fewest new hires and changes on `r`'s model, from the roster `hint` (made a
    whole-model hint first when it is a whole roster of this model)."""
    m = r.m
    changes = sum(r.changed) if r.changed else 0
    m.model.minimize(NEW_HIRE_WEIGHT * sum(r.new_hires) + CHANGE_WEIGHT * changes
                     + r.penalty)
    r.hint(hint)
    t0 = time.monotonic()
    whole = _complete(m.model, min(2.0, 0.2 * seconds), stop)
    if whole is not None:
        hint_all(m.model, whole)
    seconds -= time.monotonic() - t0
    return _solve(m.model, seconds, params, stop), changes


def _revert(r: ReplanModel, solver: cp_model.CpSolver, changes, seconds: float, params: dict,
            stop: StopSignal | None) -> cp_model.CpSolver | None:
    """The repair's changes undone where the roster stays whole: every person-day held at
    the repair's solution except the changed ones, each of which may go back to the
    earlier roster's shift (or off) or stay as repaired; a small model (a copy of the
    repair's, its objective the same), solved at once. The repair's search may leave two
    stand-ins for one lost shift (a month of 500 people: 12 to 14 changes for 7 lost
    shifts). Returns the solver with fewer changes, or None."""
    m = r.m
    model = m.model.clone()
    now = {(p, i): c for (p, i, c), var in m.x.items() if solver.value(var)}
    free = 0
    for (p, i, c), var in m.x.items():
        before, after = r.before(p, i), now.get((p, i))
        mine = model.get_bool_var_from_proto_index(var.index)
        if before == after:
            model.add(mine == solver.value(var))  # unchanged: held
        elif c not in (before, after):
            model.add(mine == 0)
        else:
            free += 1
    if not free:
        return None
    hint_all(model, list(solver.response_proto.solution))
    status, again = _solve(model, seconds, params, stop)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) \
            and again.objective_value < solver.objective_value - 0.5:
        return again
    return None


def _windows(r: ReplanModel, i: int) -> list[tuple[set[int], bool]]:
    """The days freed in turn to repair a forced change on day index i, and whether
    narrowly (a person keeps their shift or takes one someone lost): the day narrowly,
    the day, then its week (people may then swap days within their weekly limits)."""
    index = {dc.day: j for j, dc in enumerate(r.days)}
    week = next(({index[d] for d in block if d in index} for block, _ in r.view.week_blocks()
                 if r.days[i].day in block), set())
    return [({i}, True), ({i}, False), (week | {i}, False)]


def _replan_pool(pool: PoolRoster, make, seconds: float, params: dict, stop: StopSignal | None,
                 local_first: bool = True):
    """The pool's new roster: (status, assignment, new hires used, the model used).

    First day by day: each day with a forced change is repaired with only that day free
    (then the days next to it, then its week, if it must), every other day held: small
    models, solved in a moment. Then, with the time left, every day after the start free,
    from that roster. Then the goals, with new hires and changes capped."""
    started = time.monotonic()

    def left() -> float:
        return seconds - (time.monotonic() - started)

    def stopped() -> bool:
        return stop is not None and stop.is_set()

    current = {key: dict(days) for key, days in pool.previous.items()}
    best = None  # (model, solver, changes expression, status)

    def attempt(free: set[int], narrow: bool, budget: float, last: bool) -> bool:
        """One local repair; True (and the roster taken) when it found one, without a
        new hire unless it is the `last` try."""
        nonlocal current, best
        r = make(current, free, narrow).build()
        (status, solver), changes = _first_solve(r, max(0.3, budget), params, stop, current)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return False
        if not last and round(sum(solver.value(u) for u in r.new_hires)):
            return False
        current = {key: dict(items) for key, items in r.assignment(solver).items()}
        best = (r, solver, changes, status)
        return True

    probe = make(current, set())
    if local_first:
        forced = sorted(probe.forced_at)
        # every forced day at once, each person keeping their shift or taking a lost one
        if forced and not attempt(set(forced), True, 0.4 * left(), False):
            for n, i in enumerate(forced):
                windows = _windows(probe, i)
                share = 0.8 * left() / (len(forced) - n) / len(windows)
                if not any(attempt(free, narrow, share, w == len(windows) - 1)
                           for w, (free, narrow) in enumerate(windows)
                           if left() > 0 and not stopped()):
                    best = None  # some day could not be repaired locally
                    break
    if best is not None and best[0].local and left() > 1 and not stopped():
        r, solver, changes, status = best
        again = _revert(r, solver, changes, min(REVERT_SECONDS, 0.3 * left()), params, stop)
        if again is not None:
            best = (r, again, changes, status)
            current = {key: dict(items) for key, items in r.assignment(again).items()}
    if best is None or (left() > FULL_AFTER * seconds and probe.full_size <= FULL_MAX_VARS
                        and not stopped()):
        r = make(current, None).build()
        (status, solver), changes = _first_solve(r, max(0.5, left() * FIRST_SHARE), params,
                                                 stop, current)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            best = (r, solver, changes, status)
        elif best is None:
            return ("infeasible" if status == cp_model.INFEASIBLE else "unknown"), {}, 0, r
    r, solver, changes, status = best
    m = r.m
    assignment = r.assignment(solver)
    proven = status == cp_model.OPTIMAL and not r.local
    new = round(sum(solver.value(u) for u in r.new_hires))
    changed = round(solver.value(changes)) if r.changed else 0
    if m.goal_terms and left() > 0.5 and not stopped():
        m.model.add(sum(r.new_hires) <= new)
        if r.changed:
            m.model.add(changes <= changed)
        if not isinstance(r.penalty, int):  # the queues left short: no more
            m.model.add(r.penalty <= round(solver.value(r.penalty)))
        hint_all(m.model, list(solver.response_proto.solution))
        m.model.minimize(sum(coef * expr for coef, expr in m.goal_terms))
        status2, solver2 = _solve(m.model, left(), params, stop)
        if status2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            assignment = r.assignment(solver2)
            proven = proven and status2 == cp_model.OPTIMAL
    return ("optimal" if proven else "feasible"), assignment, new, r


def _extra_hires(pool: PoolRoster, absent_days: int, short_minutes: int, days_left: int,
                 cap: int | None) -> int:
    """New hires to offer, within max_hire: enough for the days the absences free and for
    the agent-minutes the earlier roster now leaves short (a hire works about five
    8-hour days a week), with a margin."""
    per_hire = max(480, days_left * 5 // 7 * 480)
    extra = math.ceil(1.5 * (absent_days / 5 + short_minutes / per_hire)) + 2
    if cap is not None:
        extra = max(0, min(extra, cap - pool.hires_before))
    return extra


def _describe(view: Instance, k: int | None) -> str:
    if k is None:
        return "off"
    o = view.options[k]
    begin, end = o.start_minute % 1440, o.end_minute % 1440
    return f"{o.type_name} {begin // 60:02d}:{begin % 60:02d}-{end // 60:02d}:{end % 60:02d}"


def _change_records(pool: PoolRoster, assignment: dict[int, list[tuple[int, int]]],
                    labels: list[tuple[str, str]],
                    reasons: dict[tuple[str, dt.date], str], demand_changed: bool
                    ) -> list[ChangeRecord]:
    view = pool.view
    out = []
    after = {key: dict(items) for key, items in assignment.items()}
    for key in sorted(set(pool.previous) | set(after)):
        agent, name = labels[key]
        hire_new = key >= len(pool.members) and key - len(pool.members) >= pool.hires_before
        for d in view.shift_days:
            k0, k1 = pool.previous.get(key, {}).get(d), after.get(key, {}).get(d)
            same = (k0 is None and k1 is None) or (
                k0 is not None and k1 is not None
                and view.options[k0].shape == view.options[k1].shape)
            if same:
                continue
            day = view.date(d)
            reason = reasons.get((agent, day)) or (
                "new hire" if hire_new else "demand" if demand_changed and k0 is None
                else "cover")
            out.append(ChangeRecord(agent=agent, name=name or None, day=day,
                                    was=_describe(view, k0), now=_describe(view, k1),
                                    reason=reason))
    return out


def replan(loaded: LoadedScenario, shifts: list[ShiftRecord], breaks: list[BreakRecord],
           start: dt.datetime, time_limit: float | None = None,
           reasons: dict[tuple[str, dt.date], str] | None = None,
           demand_changed: bool = False, stop: StopSignal | None = None) -> Result:
    """The roster `shifts` (with its `breaks`) re-planned for the changed scenario
    `loaded`: shifts starting before `start` kept as worked, the rest changed as little as
    possible (see the module's notes). `reasons` ((staff id, day) -> why) labels the
    changed days in changes.csv; `demand_changed` widens the shifts on offer each day to
    every shift the earlier roster used.

    A scenario that splits queues is re-planned per queue (engine/replan_queues.py): its
    pools split into serves groups as in a solve (engine/serves.py), each pool's model
    covers every queue with the people who serve it, the other pools' people held; the
    pools that serve fewer queues and cannot hire go first, leaving what they cannot
    cover (at SHORT_WEIGHTS[0] an agent-hour) to the last, and when the last cannot,
    again with the earlier ones paying for hires (SHORT_WEIGHTS[1])."""
    t0 = time.monotonic()
    sc = loaded.scenario
    if sc.staff is None:
        raise InputError("only a roster of named staff can be re-planned (the scenario has "
                         "no staff:)", key_path="staff")
    params = solver_parameters(loaded, time_limit)
    queued = by_queue(sc)
    split = split_by_serves(loaded) if queued else None
    work = split.loaded if split is not None else loaded
    inst = Instance(uncapped(work))
    views = inst.pool_views()
    wsc = work.scenario
    group = {m.id: m.pool for m in wsc.staff.people} if split is not None else {}
    pools = []
    for view in views:
        members = [m for m in wsc.staff.people if m.pool == view.pool_name]
        mine = [s for s in shifts if group.get(s.agent, s.pool or None) == view.pool_name]
        previous, hires = previous_roster(view, members, mine, breaks)
        pools.append(PoolRoster(view, members, previous, hires))
    if queued:  # a pool may take over another's shifts (a lost one's): theirs on offer
        for pool in pools:
            pool.offer = _offer(pool, pools)
    run = _Run(work, inst, pools, start, params, t0, reasons or {}, demand_changed, stop)
    if not queued:
        done = run.pools(list(range(len(pools))), None)
    else:
        order = sorted(range(len(pools)), key=lambda p: (
            wsc.pools[p].max_hire != 0 if wsc.pools else True,
            len(wsc.queues_served(views[p].pool)), p))
        for weight in SHORT_WEIGHTS if len(pools) > 1 else (None,):
            done = run.pools(order, weight)
            if not isinstance(done, Result) or "infeasible" != done.summary.status \
                    or weight == SHORT_WEIGHTS[-1]:
                break
    if isinstance(done, Result):
        return done
    return run.result(done, split)


def _offer(pool: PoolRoster, pools: list[PoolRoster]) -> dict:
    """The earlier rosters of every pool, in `pool`'s shift options (the same shape:
    type, start, hours), as the roster whose classes `pool` is offered each day; shifts
    of types the pool does not work are left out."""
    own = {}
    for k, o in enumerate(pool.view.options):
        own.setdefault(o.shape, k)
    out = {}
    for g, other in enumerate(pools):
        for key, days in other.previous.items():
            mine = {d: own[other.view.options[k].shape] for d, k in days.items()
                    if other.view.options[k].shape in own}
            if mine:
                out[(g, key)] = mine
    return out


SHORT_WEIGHTS = (40, 5 * NEW_HIRE_WEIGHT)
"""Objective points per agent-hour a pool re-planned before the last leaves a queue
short: first below a hire (it covers with changes what it can, the last pool the rest),
then, if the last pool cannot, above one (it hires what it must)."""


class _Run:
    """One re-plan: its scenario, pools and clock, and the pools re-planned in turn."""

    def __init__(self, loaded, inst, pools, start, params, t0, reasons, demand_changed, stop):
        self.loaded, self.inst, self.pool_list, self.start = loaded, inst, pools, start
        self.params, self.t0, self.reasons = params, t0, reasons
        self.demand_changed, self.stop = demand_changed, stop
        self.limit = params["max_time_in_seconds"]
        self.first_slot = first_free_slot(loaded, start, inst.slot)

    def _duty(self, queued: bool) -> list[list[int]]:
        """Per pool, its earlier roster's people on duty per slot; re-planning per queue,
        without the shifts the changes take away (the pools before a pool see them lost)."""
        out = []
        for pool in self.pool_list:
            roster = pool.previous
            if queued:
                probe = ReplanModel(pool, self.loaded, self.start, [0] * self.inst.num_slots,
                                    self.demand_changed, 0, pool.previous, set())
                roster = {key: {d: k for d, k in days.items() if (key, d) not in probe.lost}
                          for key, days in pool.previous.items()}
            out.append(on_duty(pool.view, [((d, k), 1) for days in roster.values()
                                           for d, k in days.items()]))
        return out

    def pools(self, order: list[int], weight: int | None):
        """Re-plan the pools in `order`, each holding the others (queues: each pool but
        the last leaving shortfalls at `weight` an agent-hour; None: the total). A
        Result when some pool fails, else the pools' outcomes by index."""
        loaded, inst, pools = self.loaded, self.inst, self.pool_list
        sc = loaded.scenario
        queued = by_queue(sc)
        duty = self._duty(queued)
        views = [pool.view for pool in pools]
        out: dict[int, tuple] = {}
        for n, p in enumerate(order):
            pool = pools[p]
            view = pool.view
            others = [sum(col) for col in zip(*(duty[q] for q in range(len(pools)) if q != p))] \
                if len(pools) > 1 else [0] * inst.num_slots
            required = [max(0, r - o) for r, o in zip(inst.required, others)]
            ids = {m.id for m in pool.members}
            absent = sum(1 for who, _ in self.reasons if who in ids)
            if queued:  # what the queues leave short now, in agents (the exact rule)
                heads = np.array(duty, dtype=np.int64).reshape(len(pools), inst.num_slots)
                gaps = split(inst, heads, range(self.first_slot, inst.num_slots))
                short = inst.slot * math.ceil(float(gaps.short_per_slot().sum()))
            else:
                short = inst.slot * sum(max(0, r - d) for r, d in zip(
                    required[self.first_slot:], duty[p][self.first_slot:]))
            days_left = max(1, (loaded.start + dt.timedelta(days=sc.horizon.days)
                                - self.start).days)
            extra = _extra_hires(pool, absent, short, days_left,
                                 sc.pools[p].max_hire if sc.pools else None)
            cover = QueueCover(inst, views, p, duty, None if n == len(order) - 1 else weight) \
                if queued else None

            def make(current, free_days, narrow=False, pool=pool, required=required,
                     extra=extra, cover=cover):
                return ReplanModel(pool, loaded, self.start, required, self.demand_changed,
                                   extra, current, free_days, narrow, cover)
            # the time left shared by the pools still to re-plan, by their shifts
            sizes = [sum(len(days) for days in pools[q].previous.values()) for q in order[n:]]
            share = (self.limit - (time.monotonic() - self.t0)) * sizes[0] / max(1, sum(sizes))
            status, assignment, new, r = _replan_pool(pool, make, share, self.params,
                                                      self.stop,
                                                      local_first=not self.demand_changed)
            if status in ("infeasible", "unknown"):
                return self._failed(view, status, r)
            out[p] = (status, assignment, new, r)
            duty[p] = on_duty(view, [((d, k), 1) for items in assignment.values()
                                     for d, k in items])
        return out

    def _failed(self, view, status: str, r) -> Result:
        why = (f"pool {view.pool_name!r}: the roster cannot cover the requirement after "
               f"{self.start:%Y-%m-%d %H:%M} with its people, the shifts kept and "
               f"{r.offer} hires under the rules"
               if status == "infeasible" else
               f"pool {view.pool_name!r}: no re-planned roster found within the time limit")
        relax = ("; allow more hires (pools[].max_hire), move --from later, or relax "
                 "min_rest_hours, max_consecutive_days or the weekly hours"
                 if status == "infeasible" else "; raise --time-limit")
        return Result(summary=_summary(self.loaded, self.params, self.t0, status,
                                       message=why + relax))

    def result(self, done: dict[int, tuple], split) -> Result:
        """The re-planned roster of the pools' outcomes, with its changes."""
        loaded, inst, pools = self.loaded, self.inst, self.pool_list
        sc = loaded.scenario
        views = [pool.view for pool in pools]
        assignments, labels, hires_used = [], [], {}
        records_out: list[ChangeRecord] = []
        figures: Counter = Counter()
        for p, pool in enumerate(pools):
            status, assignment, new, r = done[p]
            view = pool.view
            width = max(2, len(str(r.offer)))
            mine = [(m.id, m.label) for m in pool.members] + [
                (f"{view.pool_name or 'all'}-hire-{h + 1:0{width}d}", "")
                for h in range(r.offer)]
            assignments.append(assignment)
            labels.append(mine)
            hires_used[view.pool_name] = len({key for key in assignment
                                              if key >= len(pool.members)})
            records_out += _change_records(pool, assignment, mine, self.reasons,
                                           self.demand_changed)
            figures["forced"] += r.forced
            figures["new"] += new
        headcount = len(sc.staff.people) + sum(hires_used.values())
        paid = sum(views[p].options[k].paid_minutes for p, a in enumerate(assignments)
                   for items in a.values() for _, k in items)
        status = "optimal" if all(done[p][0] == "optimal" for p in done) else "feasible"
        forced = figures["forced"]
        replan_figures = ReplanFigures(
            replan_from=self.start, changed_shifts=len(records_out), forced_changes=forced,
            other_changes=len(records_out) - forced,
            people_affected=len({c.agent for c in records_out}), new_hires=figures["new"])
        note = (f"re-planned from {self.start:%Y-%m-%d %H:%M}: {len(records_out)} shifts "
                f"changed ({forced} had to), {replan_figures.people_affected} people "
                f"affected, {figures['new']} new hires")
        params, t0 = self.params, self.t0
        result = records(inst, views, assignments, status,
                         lambda st, **kw: _summary(loaded, params, t0, st, **kw), headcount,
                         None, paid, objective_value=None, objective_bound=None,
                         message=note, labels=labels)
        if loaded.staffing is not None:
            from scheduler.workload.service import attach_service

            result = attach_service(loaded, result)
        result = with_staff_figures(sc, result, hires_used)
        if split is not None:  # told in the contract pools again
            result = in_contract_pools(split, result)
        return result.model_copy(update={
            "changes": records_out,
            "summary": result.summary.model_copy(update={"replan": replan_figures})})


def _summary(loaded: LoadedScenario, params: dict, t0: float, status: str, **kw) -> Summary:
    sc = loaded.scenario
    return Summary(scenario=sc.name, status=status, objective=sc.objective.kind,
                   solve_seconds=round(time.monotonic() - t0, 3), versions=versions(),
                   scenario_sha256=loaded.sha256, solver_parameters=params,
                   variant=loaded.variant, overrides=list(loaded.overrides), **kw)
