"""The model of a re-plan (engine/replan.py runs it): the earlier roster read back into
the pool's shift options, the classes on offer each day, and the named roster model
(engine/staff_model.py) with the kept and held person-days fixed and the disruption
terms against the earlier roster."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass

from scheduler.engine.sat import cp_model

from scheduler.engine.instance import Instance
from scheduler.engine.replan_queues import QueueCover, add_queue_cover
from scheduler.engine.roster import DayClasses
from scheduler.engine.staff_data import class_infos, people_data
from scheduler.engine.staff_model import build
from scheduler.engine.staff_stage import on_duty
from scheduler.errors import InputError
from scheduler.models import BreakRecord, ShiftRecord
from scheduler.workload.loaded import LoadedScenario


@dataclass
class PoolRoster:
    """One pool's earlier roster and its re-plan model."""

    view: Instance
    members: list
    previous: dict[int, dict[int, int]]
    """person key -> {day: option index} of the earlier roster."""
    hires_before: int
    offer: dict[int, dict[int, int]] | None = None
    """The roster whose classes are on offer (offered_days), when not `previous`: a serves
    group's, its contract pool's whole roster (engine/serves.py)."""


def _shift_key(o) -> tuple:
    return (o.type_name, o.start_minute, o.length_minutes)


def previous_roster(view: Instance, members: list, shifts: list[ShiftRecord],
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


def offered_days(view: Instance, previous: dict[int, dict[int, int]], widen: bool) -> list[DayClasses]:
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


def first_free_slot(loaded: LoadedScenario, start: dt.datetime, slot_minutes: int) -> int:
    """The first slot that starts at or after the re-plan's start (the requirement the
    re-plan covers begins there)."""
    return max(0, math.ceil((start - loaded.start).total_seconds() / 60 / slot_minutes))


class ReplanModel:
    """One pool's re-plan model: the staff model with the kept shifts fixed, the days
    outside `free_days` held as they are in `current`, and the disruption terms against
    the earlier roster.

    Held and kept person-days keep a single variable (their shift, fixed) or none (off),
    so a model with one day free is small however long the horizon.

    With `queues` (a scenario that splits queues), `required` is not read: the model
    covers each queue with the other pools' people as QueueCover holds them
    (engine/replan_queues.py)."""

    def __init__(self, pool: PoolRoster, loaded: LoadedScenario, start: dt.datetime,
                 required: list[int], widen: bool, extra_hires: int,
                 current: dict[int, dict[int, int]], free_days: set[int] | None,
                 narrow: bool = False, queues: QueueCover | None = None):
        view = self.view = pool.view
        sc = loaded.scenario
        self.pool = pool
        self.current = current
        self.local = free_days is not None
        self.free_days = free_days
        self.queues = queues
        self.lost: set[tuple[int, int]] = set()
        """(person key, day) of the earlier roster's shifts the person may no longer work."""
        self.days = offered_days(view, pool.offer or pool.previous, widen)
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
                    self.lost.add((person.key, self.days[i].day))
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
        first_slot = self.first_slot = first_free_slot(loaded, start, view.slot)
        self.held_duty = None
        if queues is not None:
            cover = [0] * len(required)  # the queues' rows instead (build)
            if free_days is not None:
                self.held_duty = self._held_duty(people, free_days)
        else:
            cover = [0 if t < first_slot else r for t, r in enumerate(required)]
            if free_days is not None:
                cover = self._held_cover(cover, people, free_days)
        self._inputs = (infos, people, sc.staff.weights, cover)
        self.changed: list = []
        self.new_hires: list = []
        self.penalty = 0
        """The queues' shortfall in the objective (replan_queues.py; 0 without)."""

    def build(self) -> ReplanModel:
        """The CP-SAT model: the rules, the fixed days, the disruption terms (and the
        queues' cover)."""
        infos, people, weights, cover = self._inputs
        self.m = m = build(self.view, self.days, infos, people, weights, cover,
                           slot_cover=True if self.queues is not None else None)
        self._fix()
        self._disruption()
        if self.queues is not None:
            self.penalty = add_queue_cover(self, self.queues, self.held_duty)
        pool = self.pool
        self.new_hires = [m.used[p] for p, person in enumerate(m.people)
                          if person.hire and p - len(pool.members) >= pool.hires_before]
        return self

    def _held_cover(self, cover: list[int], people, free_days: set[int]) -> list[int]:
        """With only some days free, the slots of the held days need no more than the
        current roster gives them there (a forced change on a held day is repaired in
        its own turn): the requirement capped at the current on-duty count, the
        shifts of held days that may no longer be worked left out (those of free days
        stay in: a night shift lost on a free day is covered again past midnight too).
        Slots of free days need it all."""
        duty = self._held_duty(people, free_days)
        per_day = self.view.slots_per_day
        free = {self.days[i].day for i in free_days}
        return [need if t // per_day in free else min(need, duty[t])
                for t, need in enumerate(cover)]

    def _held_duty(self, people, free_days: set[int]) -> list[int]:
        """The current roster's people on duty per slot, less the shifts of held days
        that may no longer be worked (_held_cover)."""
        view = self.view
        worked = [((self.days[i].day, self.current[p.key][self.days[i].day]), 1)
                  for p in people for i in range(len(self.days))
                  if self._class(self.current, p.key, i) is not None
                  and (i in free_days or self._class(self.current, p.key, i) in p.eligible[i])]
        return on_duty(view, worked)

    def _class(self, roster: dict[int, dict[int, int]], key: int, i: int) -> int | None:
        k = roster.get(key, {}).get(self.days[i].day)
        return None if k is None else self.class_of[i][k]

    def before(self, p: int, i: int) -> int | None:
        """The earlier roster's class of person p on day index i (None: off)."""
        return self._class(self.pool.previous, self.m.people[p].key, i)

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
        self.held_placements = held

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
