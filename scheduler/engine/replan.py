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
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.engine.cpsat import solver_parameters, versions
from scheduler.engine.instance import Instance
from scheduler.engine.plan_steps import hint_all
from scheduler.engine.records import records
from scheduler.engine.roster import DayClasses
from scheduler.engine.staff_data import class_infos, people_data
from scheduler.engine.staff_model import StaffModel, build, covers_slots
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
FIRST_SHARE = 0.6
"""Share of the time left that the search with every day free may take (then the goals)."""


@dataclass
class _Pool:
    """One pool's earlier roster and its re-plan model."""

    view: Instance
    members: list
    previous: dict[int, dict[int, int]]
    """person key -> {day: option index} of the earlier roster."""
    hires_before: int


def _shift_key(o) -> tuple:
    return (o.type_name, o.start_minute, o.length_minutes)


def _previous(view: Instance, members: list, shifts: list[ShiftRecord],
              breaks: list[BreakRecord]) -> tuple[dict[int, dict[int, int]], int]:
    """The pool's earlier roster as option indices per person key and day, and how many
    hires it had. A shift the scenario no longer offers is an error."""
    start = view.loaded.start.date()
    keys = {m.id: i for i, m in enumerate(members)}
    exact: dict[tuple, int] = {}
    loose: dict[tuple, int] = {}
    for k, o in enumerate(view.options):
        placed = tuple((a, b) for a, b, _ in o.breaks)
        exact.setdefault((*_shift_key(o), placed), k)
        loose.setdefault(_shift_key(o), k)
    by_agent: dict[str, list[BreakRecord]] = {}
    for b in breaks:
        by_agent.setdefault(b.agent, []).append(b)
    out: dict[int, dict[int, int]] = {}
    hires = 0
    for rec in shifts:
        if rec.agent in keys:
            key = keys[rec.agent]
        elif "-hire-" in rec.agent and rec.agent.rsplit("-", 1)[-1].isdigit():
            number = int(rec.agent.rsplit("-", 1)[-1])
            key = len(members) + number - 1
            hires = max(hires, number)
        else:
            raise InputError(f"the roster's agent {rec.agent!r} is neither a person of pool "
                             f"{view.pool_name!r} nor one of its hires",
                             key_path="shifts.csv: column agent")
        day = (rec.day - start).days
        base = dt.datetime.combine(start + dt.timedelta(days=day), dt.time())
        minute = round((rec.start - base).total_seconds() / 60)
        length = round((rec.end - rec.start).total_seconds() / 60)
        placed = tuple(sorted(
            (round((b.start - rec.start).total_seconds() / 60),
             round((b.end - b.start).total_seconds() / 60))
            for b in by_agent.get(rec.agent, []) if rec.start <= b.start < rec.end))
        k = exact.get((rec.shift_type, minute, length, placed))
        if k is None:
            k = loose.get((rec.shift_type, minute, length))
        if k is None:
            raise InputError(f"{rec.agent}'s shift {rec.shift_type} {rec.start:%Y-%m-%d %H:%M}"
                             f"-{rec.end:%H:%M} is not a shift the scenario offers",
                             key_path="shifts.csv")
        out.setdefault(key, {})[day] = k
    return out, hires


def _days(view: Instance, previous: dict[int, dict[int, int]], widen: bool) -> list[DayClasses]:
    """The classes on offer each day: those the earlier roster worked that day (with
    `widen`, those it worked on any day), each with every break placement of its shape;
    counts are the earlier roster's."""
    counts = Counter((d, k) for days in previous.values() for d, k in days.items())
    by_shape: dict[tuple, list[int]] = {}
    for k, o in enumerate(view.options):
        by_shape.setdefault(o.shape, []).append(k)
    seen = {view.options[k].shape for _, k in counts}
    out = []
    for d in view.shift_days:
        shapes = seen if widen else {view.options[k].shape for dd, k in counts if dd == d}
        keys = sorted(shapes)
        options = [[(k, counts.get((d, k), 0)) for k in by_shape[s]] for s in keys]
        out.append(DayClasses(d, keys, [sum(c for _, c in o) for o in options], options))
    return out


class _Replan:
    """One pool's re-plan model: the staff model with the kept shifts fixed, the days
    outside `free_days` held as they are in `current`, and the disruption terms against
    the earlier roster.

    Held and kept person-days keep a single variable (their shift, fixed) or none (off),
    so a model with one day free is small however long the horizon."""

    def __init__(self, pool: _Pool, loaded: LoadedScenario, start: dt.datetime,
                 required: list[int], widen: bool, extra_hires: int,
                 current: dict[int, dict[int, int]], free_days: set[int] | None,
                 narrow: bool = False):
        view = self.view = pool.view
        sc = loaded.scenario
        self.pool = pool
        self.current = current
        self.local = free_days is not None
        self.days = _days(view, pool.previous, widen)
        infos = class_infos(view, self.days)
        self.offer = pool.hires_before + extra_hires
        people = people_data(view, self.days, infos, pool.members, sc.requests.items,
                             self.offer)
        self.class_of = [{k: c for c, opts in enumerate(dc.options) for k, _ in opts}
                         for dc in self.days]
        past = [[loaded.start + dt.timedelta(days=dc.day, minutes=s[1]) < start
                 for s in dc.shapes] for dc in self.days]
        self.fixed = [[True] * len(row) if free_days is not None and i not in free_days
                      else row for i, row in enumerate(past)]
        self.forced = 0
        self.forced_at: set[int] = set()
        vacated: dict[int, set[int]] = {}  # day index -> classes the current roster loses
        for person in people:
            for i in range(len(self.days)):
                base = self._class(pool.previous, person.key, i)
                if base is not None and not past[i][base] and base not in person.eligible[i]:
                    self.forced += 1  # the person may no longer work it
                    self.forced_at.add(i)
                now = self._class(current, person.key, i)
                if now is not None and not past[i][now] and now not in person.eligible[i]:
                    vacated.setdefault(i, set()).add(now)
        self.full_size = sum(len(c) for person in people for c in person.eligible)
        for p, person in enumerate(people):
            for i, dc in enumerate(self.days):
                now = self._class(current, person.key, i)
                keep = [c for c in person.eligible[i] if not self.fixed[i][c]]
                if narrow:  # a stand-in: one's own shift, or a shift someone lost
                    keep = [c for c in keep if c == now or c in vacated.get(i, ())]
                if now is not None and self.fixed[i][now]:
                    if now in person.eligible[i]:
                        keep.append(now)
                    elif past[i][now]:
                        who = person.member.id if person.member else f"hire {p}"
                        raise InputError(f"{who}'s shift on {view.date(dc.day)} started "
                                         f"before the re-plan and is kept, but the changed "
                                         f"scenario no longer lets them work it",
                                         key_path="changes")
                person.eligible[i] = sorted(keep)
        first_slot = max(0, math.ceil((start - loaded.start).total_seconds() / 60 / view.slot))
        cover = [0 if t < first_slot else r for t, r in enumerate(required)]
        if free_days is not None:
            cover = self._held_cover(cover, people, free_days)
        self._inputs = (infos, people, sc.staff.weights, cover)
        self.changed: list = []
        self.new_hires: list = []

    def build(self) -> _Replan:
        """The CP-SAT model: the rules, the fixed days, the disruption terms."""
        infos, people, weights, cover = self._inputs
        self.m = m = build(self.view, self.days, infos, people, weights, cover)
        self._fix()
        self._disruption()
        pool = self.pool
        self.new_hires = [m.used[p] for p, person in enumerate(m.people)
                          if person.hire and p - len(pool.members) >= pool.hires_before]
        return self

    def _held_cover(self, cover: list[int], people, free_days: set[int]) -> list[int]:
        """With only some days free, the slots of the held days need no more than the
        current roster gives them there (a forced change on a held day is repaired in
        its own turn): the requirement capped at the current on-duty count, the
        shifts that may no longer be worked left out. Slots of free days need it all."""
        view = self.view
        worked = [((self.days[i].day, self.current[p.key][self.days[i].day]), 1)
                  for p in people for i in range(len(self.days))
                  if self._class(self.current, p.key, i) in p.eligible[i]]
        duty = on_duty(view, worked)
        per_day = view.slots_per_day
        free = {self.days[i].day for i in free_days}
        return [need if t // per_day in free else min(need, duty[t])
                for t, need in enumerate(cover)]

    def _class(self, roster: dict[int, dict[int, int]], key: int, i: int) -> int | None:
        k = roster.get(key, {}).get(self.days[i].day)
        return None if k is None else self.class_of[i][k]

    def before(self, p: int, i: int) -> int | None:
        """The earlier roster's class of person p on day index i (None: off)."""
        return self._class(self.pool.previous, self.m.people[p].key, i)

    def now(self, p: int, i: int) -> int | None:
        """The current roster's class (the one held where the day is held)."""
        return self._class(self.current, self.m.people[p].key, i)

    def _fix(self) -> None:
        m = self.m
        for (p, i, c), var in m.x.items():
            if self.fixed[i][c]:
                m.model.add(var == 1)  # the only fixed class left to a person-day
        held: Counter = Counter()  # the fixed shifts' break placements
        for (p, i, c) in m.x:
            if self.fixed[i][c]:
                held[(i, c, self.current[m.people[p].key][self.days[i].day])] += 1
        for key, n in m.placements.items():
            if self.fixed[key[0]][key[1]]:
                m.model.add(n == held.get(key, 0))

    def _disruption(self) -> None:
        m = self.m
        for p, person in enumerate(m.people):
            for i in range(len(self.days)):
                c0 = self.before(p, i)
                if c0 is not None:
                    if (p, i, c0) in m.x:
                        self.changed.append(1 - m.x[(p, i, c0)])
                else:
                    worked = [m.x[(p, i, c)] for c in person.eligible[i]]
                    if worked:
                        self.changed.append(sum(worked))

    def hint(self, roster: dict[int, dict[int, int]]) -> None:
        """A roster (person key -> {day: option}) as the search's hint, where its shifts
        may still be worked."""
        m = self.m
        m.model.clear_hints()
        chosen: dict[tuple[int, int], int] = {}
        placed: Counter = Counter()
        for p, person in enumerate(m.people):
            for i in range(len(self.days)):
                c = self._class(roster, person.key, i)
                if c is not None and (p, i, c) in m.x:
                    chosen[(p, i)] = c
                    placed[(i, c, roster[person.key][self.days[i].day])] += 1
        for (p, i, c), var in m.x.items():
            m.model.add_hint(var, int(chosen.get((p, i)) == c))
        for (p, i), var in m.works.items():
            m.model.add_hint(var, int((p, i) in chosen))
        working = {p for p, _ in chosen}
        for p, var in m.used.items():
            m.model.add_hint(var, int(p in working))
        for key, var in m.placements.items():
            m.model.add_hint(var, placed.get(key, 0))

    def assignment(self, solver: cp_model.CpSolver) -> dict[int, list[tuple[int, int]]]:
        """Each person's shifts; within a class, people keep their earlier break
        placement where the solution has it."""
        m = self.m
        takers: dict[tuple[int, int], list[int]] = {}
        for (p, i, c), var in sorted(m.x.items()):
            if solver.value(var):
                takers.setdefault((i, c), []).append(p)
        out: dict[int, list[tuple[int, int]]] = {}
        for (i, c), people in takers.items():
            opts = self.days[i].options[c]
            if m.placements:
                pool = Counter({k: solver.value(m.placements[(i, c, k)]) for k, _ in opts
                                if (i, c, k) in m.placements})
            else:
                pool = Counter(dict(opts))
            chosen: dict[int, int] = {}
            for p in people:  # first pass: the earlier placement
                k0 = self.pool.previous.get(m.people[p].key, {}).get(self.days[i].day)
                if k0 is not None and pool[k0] > 0:
                    chosen[p] = k0
                    pool[k0] -= 1
            for p in people:
                if p not in chosen:
                    left = [k for k, n in pool.items() if n > 0]
                    k = left[0] if left else opts[0][0]
                    if left:
                        pool[k] -= 1
                    chosen[p] = k
            for p, k in chosen.items():
                out.setdefault(m.people[p].key, []).append((self.days[i].day, k))
        return {key: sorted(items) for key, items in out.items()}


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


def _first_solve(r: _Replan, seconds: float, params: dict, stop: StopSignal | None,
                 hint: dict[int, dict[int, int]]):
    """The fewest new hires and changes on `r`'s model, from the roster `hint` (made a
    whole-model hint first when it is a whole roster of this model)."""
    m = r.m
    changes = sum(r.changed) if r.changed else 0
    m.model.minimize(NEW_HIRE_WEIGHT * sum(r.new_hires) + CHANGE_WEIGHT * changes)
    r.hint(hint)
    t0 = time.monotonic()
    whole = _complete(m.model, min(2.0, 0.2 * seconds), stop)
    if whole is not None:
        hint_all(m.model, whole)
    seconds -= time.monotonic() - t0
    return _solve(m.model, seconds, params, stop), changes


def _windows(r: _Replan, i: int) -> list[tuple[set[int], bool]]:
    """The days freed in turn to repair a forced change on day index i, and whether
    narrowly (a person keeps their shift or takes one someone lost): the day narrowly,
    the day, then its week (people may then swap days within their weekly limits)."""
    index = {dc.day: j for j, dc in enumerate(r.days)}
    week = next(({index[d] for d in block if d in index} for block, _ in r.view.week_blocks()
                 if r.days[i].day in block), set())
    return [({i}, True), ({i}, False), (week | {i}, False)]


def _replan_pool(pool: _Pool, make, seconds: float, params: dict, stop: StopSignal | None,
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
        hint_all(m.model, list(solver.response_proto.solution))
        m.model.minimize(sum(coef * expr for coef, expr in m.goal_terms))
        status2, solver2 = _solve(m.model, left(), params, stop)
        if status2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            assignment = r.assignment(solver2)
            proven = proven and status2 == cp_model.OPTIMAL
    return ("optimal" if proven else "feasible"), assignment, new, r


def _extra_hires(pool: _Pool, absent_days: int, short_minutes: int, days_left: int,
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


def _change_records(pool: _Pool, assignment: dict[int, list[tuple[int, int]]],
                    labels: list[tuple[str, str]], start: dt.datetime,
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
    every shift the earlier roster used."""
    t0 = time.monotonic()
    sc = loaded.scenario
    if sc.staff is None:
        raise InputError("only a roster of named staff can be re-planned (the scenario has "
                         "no staff:)", key_path="staff")
    params = solver_parameters(loaded, time_limit)
    limit = params["max_time_in_seconds"]
    inst = Instance(uncapped(loaded))
    views = inst.pool_views()
    reasons = reasons or {}
    pools = []
    for p, view in enumerate(views):
        members = [m for m in sc.staff.people if m.pool == view.pool_name]
        mine = [s for s in shifts if (s.pool or None) == view.pool_name]
        previous, hires = _previous(view, members, mine, breaks)
        pools.append(_Pool(view, members, previous, hires))
    duty = [on_duty(pool.view, [((d, k), 1) for days in pool.previous.values()
                                for d, k in days.items()]) for pool in pools]
    assignments, labels, hires_used = [], [], {}
    statuses, figures = [], Counter()
    records_out: list[ChangeRecord] = []
    for p, pool in enumerate(pools):
        view = pool.view
        others = [sum(col) for col in zip(*(duty[q] for q in range(len(pools)) if q != p))] \
            if len(pools) > 1 else [0] * inst.num_slots
        required = [max(0, r - o) for r, o in zip(inst.required, others)]
        ids = {m.id for m in pool.members}
        absent = sum(1 for who, _ in reasons if who in ids)
        first_slot = max(0, math.ceil((start - loaded.start).total_seconds() / 60 / inst.slot))
        short = inst.slot * sum(max(0, r - d) for r, d in zip(required[first_slot:],
                                                              duty[p][first_slot:]))
        days_left = max(1, (loaded.start + dt.timedelta(days=sc.horizon.days) - start).days)
        extra = _extra_hires(pool, absent, short, days_left,
                             sc.pools[p].max_hire if sc.pools else None)

        def make(current, free_days, narrow=False, pool=pool, required=required,
                 extra=extra):
            return _Replan(pool, loaded, start, required, demand_changed, extra, current,
                           free_days, narrow)
        # the time left shared by the pools still to re-plan, by their shifts
        sizes = [sum(len(days) for days in q.previous.values()) for q in pools[p:]]
        share = (limit - (time.monotonic() - t0)) * sizes[0] / max(1, sum(sizes))
        status, assignment, new, r = _replan_pool(pool, make, share, params, stop,
                                                  local_first=not demand_changed)
        if status in ("infeasible", "unknown"):
            why = (f"pool {view.pool_name!r}: the roster cannot cover the requirement after "
                   f"{start:%Y-%m-%d %H:%M} with its people, the shifts kept and "
                   f"{r.offer} hires under the rules"
                   if status == "infeasible" else
                   f"pool {view.pool_name!r}: no re-planned roster found within the time limit")
            relax = ("; allow more hires (pools[].max_hire), move --from later, or relax "
                     "min_rest_hours, max_consecutive_days or the weekly hours"
                     if status == "infeasible" else "; raise --time-limit")
            return Result(summary=_summary(loaded, params, t0, status, message=why + relax))
        statuses.append(status)
        width = max(2, len(str(r.offer)))
        mine = [(m.id, m.label) for m in pool.members] + [
            (f"{view.pool_name or 'all'}-hire-{h + 1:0{width}d}", "") for h in range(r.offer)]
        assignments.append(assignment)
        labels.append(mine)
        duty[p] = on_duty(view, [((d, k), 1) for items in assignment.values()
                                 for d, k in items])
        hires_used[view.pool_name] = len({key for key in assignment if key >= len(pool.members)})
        changed = _change_records(pool, assignment, mine, start, reasons, demand_changed)
        records_out += changed
        figures["forced"] += r.forced
        figures["new"] += new
    headcount = len(sc.staff.people) + sum(hires_used.values())
    paid = sum(pools[p].view.options[k].paid_minutes for p, a in enumerate(assignments)
               for items in a.values() for _, k in items)
    status = "optimal" if all(s == "optimal" for s in statuses) else "feasible"
    forced = figures["forced"]
    replan_figures = ReplanFigures(
        replan_from=start, changed_shifts=len(records_out), forced_changes=forced,
        other_changes=len(records_out) - forced,
        people_affected=len({c.agent for c in records_out}), new_hires=figures["new"])
    note = (f"re-planned from {start:%Y-%m-%d %H:%M}: {len(records_out)} shifts changed "
            f"({forced} had to), {replan_figures.people_affected} people affected, "
            f"{figures['new']} new hires")
    result = records(inst, views, assignments, status,
                     lambda st, **kw: _summary(loaded, params, t0, st, **kw), headcount, None,
                     paid, objective_value=None, objective_bound=None, message=note,
                     labels=labels)
    if loaded.staffing is not None:
        from scheduler.workload.service import attach_service

        result = attach_service(loaded, result)
    result = with_staff_figures(sc, result, hires_used)
    return result.model_copy(update={
        "changes": records_out,
        "summary": result.summary.model_copy(update={"replan": replan_figures})})


def _summary(loaded: LoadedScenario, params: dict, t0: float, status: str, **kw) -> Summary:
    sc = loaded.scenario
    return Summary(scenario=sc.name, status=status, objective=sc.objective.kind,
                   solve_seconds=round(time.monotonic() - t0, 3), versions=versions(),
                   scenario_sha256=loaded.sha256, solver_parameters=params,
                   variant=loaded.variant, overrides=list(loaded.overrides), **kw)
