"""The re-plan's cover per queue, for a scenario that splits queues (pools or named
people serving part of the queues, handle-time factors; a saved folder's scenario states
each queue's agents as solved): engine/replan.py re-plans one pool (or serves group,
engine/serves.py) at a time, the others' people on duty held, and this module adds to
the pool's model (engine/replan_model.py) what the plan's queue split says
(engine/queue_split.py) and the checker verifies (check/queues.py): in each slot the
people on duty are given to the queues they serve, a person of group g worth 1/f[g,q]
agents of queue q (counted rounded down, floor(100/f) per hundredth of a person, never
more than the exact rule), the scenario's own demand taking anyone:

    sum_q a[t,g,q]                                  <= 100 x on duty of g in t
    sum_g floor(100/f[g,q]) a[t,g,q] + 10000 u[t,q]  >= 10000 x queue_required[q][t]
    100 x on duty of all - sum_g,q a[t,g,q] + 100 ud >= 100 x demand[t]
    on duty of all + uf                              >= floor

The pool's own on duty is its model's placement counts, the other pools' are numbers;
only slots from the re-plan's start that some free person-day reaches get the rows (the
model cannot change the others: in the last pool, one of them left short makes the model
infeasible at once). The shortfalls u, ud, uf exist only in a pool re-planned
before the last one (`QueueCover.short_weight`): it covers what it can and leaves the
rest, at a price per agent-hour, to the pools after it; the last pool covers it all.

A local repair holds the days outside its window (replan_model.py): a held slot that its
free days' shifts reach (a night shift past midnight) must be covered per queue when the
current roster, less the shifts no longer worked, covers it; otherwise it keeps at least
the pool's people on duty there (the queues' counterpart of capping the requirement at
the current on-duty count)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from scheduler.engine.instance import Instance
from scheduler.engine.queue_cover import TOLERANCE, split
from scheduler.engine.queue_split import (
    AGENT_UNITS,
    PERSON_UNITS,
    demand_of,
    total_floor,
    worth,
)


@dataclass
class QueueCover:
    """What a pool's re-plan model needs of the other pools to cover the queues."""

    inst: Instance
    """The re-planned scenario's instance (its pools the serves groups, if any)."""
    views: list[Instance]
    """inst.pool_views(), in order."""
    index: int
    """This pool among `views`."""
    others: list[list[int]]
    """Per pool, its people on duty per slot as held (this pool's row is not read)."""
    short_weight: int | None = None
    """Objective points per agent-hour a queue (or the demand, or the floor) is left
    short, for a pool re-planned before the last; None: covered in full."""


def by_queue(scenario) -> bool:
    """Whether a re-plan of the scenario covers each queue (rather than the total)."""
    return scenario.splits_queues and not scenario.coverage.allow_understaffing \
        and scenario.staff is not None


def covered_slots(qc: QueueCover, duty: list[int], slots: list[int]) -> set[int]:
    """The `slots` where the other pools and `duty` of this one cover every queue, the
    demand and the floor (the exact rule, engine/queue_cover.py)."""
    heads = np.array([duty if g == qc.index else row for g, row in enumerate(qc.others)],
                     dtype=np.int64).reshape(len(qc.views), qc.inst.num_slots)
    found = split(qc.inst, heads, slots)
    floor = total_floor(qc.inst)
    short = found.short_per_slot()
    return {t for t in slots if short[t] <= TOLERANCE and heads[:, t].sum() >= floor}


def add_queue_cover(r, qc: QueueCover, held_duty: list[int] | None):
    """Add the rows of the module's docstring to the model of `r` (a built ReplanModel in
    slot-cover mode); `held_duty`: a local repair's on-duty count of the current roster
    less the shifts no longer worked (None for a model with every day free). Returns the
    shortfall's objective expression (0 when the pool covers in full)."""
    m, view = r.m, r.view
    model = m.model
    sc = qc.inst.scenario
    queues = list(qc.inst.loaded.queues)
    required = qc.inst.loaded.queue_required
    demand = demand_of(qc.inst)
    floor = total_floor(qc.inst)
    served = [{q: worth(v, q) for q in sc.queues_served(v.pool)} for v in qc.views]
    mine: dict[int, list] = defaultdict(list)
    touched: set[int] = set()
    for (i, c, k), n in m.placements.items():
        slots = view.covered(r.days[i].day, view.options[k])
        for t in slots:
            mine[t].append(n)
        if not r.fixed[i][c]:
            touched.update(slots)
    slots = sorted(t for t in touched if t >= r.first_slot)
    free = None if held_duty is None else {r.days[i].day for i in r.free_days}
    held = [t for t in slots if free is not None and t // view.slots_per_day not in free]
    soft = qc.short_weight is not None
    covered = covered_slots(qc, held_duty, held) if held and not soft else set()
    if not soft:  # the slots it cannot change: as held, are they covered?
        days = {r.days[i].day for i in r.free_days} if free is not None else None
        fixed = [t for t in range(r.first_slot, qc.inst.num_slots) if t not in touched
                 and (days is None or t // view.slots_per_day in days)]
        constant = [0] * qc.inst.num_slots
        for (i, c, k), n in r.held_placements.items():
            for t in view.covered(r.days[i].day, view.options[k]):
                constant[t] += n
        if fixed and len(covered_slots(qc, constant, fixed)) < len(fixed):
            model.add(model.new_constant(0) >= 1)  # short whatever this pool does
    shortfalls = []
    for t in slots:
        own = mine[t]
        if not soft and t in held and t not in covered:
            model.add(sum(own) >= held_duty[t])
            continue
        heads = [0 if g == qc.index else int(qc.others[g][t]) for g in range(len(qc.views))]
        upper = sum(int(list(v.proto.domain)[-1]) for v in own)
        allocs: dict[int, list] = defaultdict(list)
        for q in queues:
            req = int(required[q][t]) if q in required else 0
            if req <= 0:
                continue
            terms = []
            for g, worths in enumerate(served):
                w = worths.get(q, 0)
                cap = upper if g == qc.index else heads[g]
                if w <= 0 or cap <= 0:
                    continue
                a = model.new_int_var(0, min(PERSON_UNITS * cap, -(-AGENT_UNITS * req // w)),
                                      f"ralloc_t{t}_g{g}_{q}")
                allocs[g].append(a)
                terms.append(w * a)
            if not terms:
                terms = [model.new_constant(0)]
            if soft:
                u = model.new_int_var(0, req, f"rshort_t{t}_{q}")
                shortfalls.append(u)
                model.add(sum(terms) + AGENT_UNITS * u >= AGENT_UNITS * req)
            else:
                model.add(sum(terms) >= AGENT_UNITS * req)
        for g, vs in allocs.items():
            people = sum(own) if g == qc.index else heads[g]
            model.add(sum(vs) <= PERSON_UNITS * people)
        everyone = sum(own) + sum(heads)
        if demand[t] > 0:
            left = PERSON_UNITS * everyone - sum(v for vs in allocs.values() for v in vs)
            if soft:
                ud = model.new_int_var(0, int(demand[t]), f"rshort_t{t}_demand")
                shortfalls.append(ud)
                model.add(left + PERSON_UNITS * ud >= PERSON_UNITS * int(demand[t]))
            else:
                model.add(left >= PERSON_UNITS * int(demand[t]))
        if floor > sum(heads):
            if soft:
                uf = model.new_int_var(0, floor, f"rshort_t{t}_floor")
                shortfalls.append(uf)
                model.add(everyone + uf >= floor)
            else:
                model.add(everyone >= floor)
    if not shortfalls:
        return 0
    per_slot = max(1, round(qc.short_weight * view.slot / 60))
    return per_slot * sum(shortfalls)
