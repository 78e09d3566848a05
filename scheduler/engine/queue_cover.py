"""Queues without a model: the exact split of a roster's on-duty people among the queues
(a small LP per slot), and the queue-aware greedy cover of the first roster.

A person of pool p on duty in slot t serves one queue q of those p serves and is worth
1/f[p,q] agents of it (the exact rule of the checker; the plan model uses a rounded-down
version, queue_split.py); the scenario's own demand may take anyone at factor 1. Per slot
the LP

    min  sum_q u_q + u_d
    s.t. sum_p a[p,q] / f[p,q] + u_q >= queue_required[q][t]
         sum_p d_p + u_d               >= demand_required[t]
         sum_q a[p,q] + d_p            <= on-duty of pool p in t,   a, d, u >= 0

says how many agents each queue (and the demand) is short. Slots with the same people and
requirements share one LP; all of them are solved as one block-diagonal LP by HiGHS."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from scheduler.engine.instance import Instance

TOLERANCE = 1e-6
"""Agents short below this count as covered (the LP's own tolerance)."""


@dataclass
class Split:
    """Per queue and slot: agent-equivalents allocated and agents short (queue "" is the
    scenario's own demand)."""

    queues: list[str]
    allocated: dict[str, np.ndarray]
    short: dict[str, np.ndarray]

    def short_per_slot(self) -> np.ndarray:
        """Agents short per slot over the queues and the demand."""
        return sum(self.short.values())


def _served(inst: Instance) -> list[dict[str, float]]:
    """Per pool: queue -> handle-time factor, for the queues it serves."""
    sc = inst.scenario
    out = []
    for view in inst.pool_views():
        factors = view.pool.handle_time_factor if view.pool is not None else {}
        out.append({q: float(factors.get(q, 1.0)) for q in sc.queues_served(view.pool)})
    return out


def requirements(inst: Instance) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(queues, queue x slot requirement, demand per slot)."""
    queues = list(inst.loaded.queues)
    req = np.array([inst.loaded.queue_required.get(q, (0,) * inst.num_slots) for q in queues],
                   dtype=float).reshape(len(queues), inst.num_slots)
    demand = np.array(inst.loaded.demand_required or (0,) * inst.num_slots, dtype=float)
    return queues, req, demand


def split(inst: Instance, on_duty: np.ndarray, slots=None) -> Split:
    """The exact split of `on_duty` (pool x slot people) among the queues, for `slots`
    (all by default; the others read 0)."""
    queues, req, demand = requirements(inst)
    served = _served(inst)
    n = inst.num_slots
    slots = range(n) if slots is None else slots
    keys: dict[tuple, list[int]] = {}
    for t in slots:
        key = (tuple(int(v) for v in on_duty[:, t]), tuple(req[:, t]), float(demand[t]))
        keys.setdefault(key, []).append(t)
    allocated = {q: np.zeros(n) for q in queues}
    short = {q: np.zeros(n) for q in queues + [""]}
    solved = _solve(list(keys), queues, served)
    for key, (alloc, missing) in zip(keys, solved):
        for t in keys[key]:
            for i, q in enumerate(queues):
                allocated[q][t] = alloc[i]
                short[q][t] = missing[i]
            short[""][t] = missing[-1]
    return Split(queues, allocated, short)


def _solve(keys: list[tuple], queues: list[str], served: list[dict[str, float]]
           ) -> list[tuple[list[float], list[float]]]:
    """Per key (people per pool, requirement per queue, demand): the agent-equivalents
    each queue gets and the agents short per queue and demand (last)."""
    rows, cols, vals = [], [], []
    b: list[float] = []
    cost: list[float] = []
    blocks = []  # per key: (alloc columns [(queue index, col, factor)], short columns)
    col = row = 0
    for people, req, dem in keys:
        allocs = []
        pool_cols: list[list[int]] = [[] for _ in people]
        for i, q in enumerate(queues):
            if req[i] <= 0:
                continue
            for p, c in enumerate(people):
                if c > 0 and q in served[p]:
                    allocs.append((i, col, served[p][q]))
                    pool_cols[p].append(col)
                    cost.append(0.0)
                    col += 1
        demand_cols = []
        if dem > 0:
            for p, c in enumerate(people):
                if c > 0:
                    demand_cols.append(col)
                    pool_cols[p].append(col)
                    cost.append(0.0)
                    col += 1
        shorts = []
        for i, q in enumerate(queues):  # -(sum a / f) - u <= -req
            if req[i] <= 0:
                shorts.append(None)
                continue
            for j, c_, f in allocs:
                if j == i:
                    rows.append(row), cols.append(c_), vals.append(-1.0 / f)
            rows.append(row), cols.append(col), vals.append(-1.0)
            shorts.append(col)
            cost.append(1.0)
            col += 1
            b.append(-req[i])
            row += 1
        if dem > 0:
            for c_ in demand_cols:
                rows.append(row), cols.append(c_), vals.append(-1.0)
            rows.append(row), cols.append(col), vals.append(-1.0)
            shorts.append(col)
            cost.append(1.0)
            col += 1
            b.append(-dem)
            row += 1
        else:
            shorts.append(None)
        for p, cs in enumerate(pool_cols):
            if cs:
                for c_ in cs:
                    rows.append(row), cols.append(c_), vals.append(1.0)
                b.append(float(people[p]))
                row += 1
        blocks.append((allocs, shorts, pool_cols, people))
    x = np.zeros(col)
    if col and row:
        from scipy.optimize import linprog  # when first needed: a sixth of a second
        from scipy.sparse import coo_matrix

        a = coo_matrix((vals, (rows, cols)), shape=(row, col)).tocsr()
        res = linprog(np.array(cost), A_ub=a, b_ub=np.array(b), bounds=(0, None),
                      method="highs")
        if res.status != 0:
            raise RuntimeError(f"queue split LP: {res.message}")
        x = res.x
    out = []
    for (allocs, shorts, pool_cols, people), (_, req, dem) in zip(blocks, keys):
        got = [0.0] * len(queues)
        for i, c_, f in allocs:
            got[i] += x[c_] / f
        # people the queues and the demand leave idle go to the queues they serve, in
        # proportion to those queues' requirements (agent-equivalents offered)
        for p, cs in enumerate(pool_cols):
            spare = people[p] - sum(x[c_] for c_ in cs)
            mine = [(i, f) for i, c_, f in allocs if c_ in cs]
            total = sum(req[i] for i, _ in mine)
            if spare > TOLERANCE and total > 0:
                for i, f in mine:
                    got[i] += spare * req[i] / total / f
        missing = [0.0 if c_ is None or x[c_] < TOLERANCE else float(x[c_]) for c_ in shorts]
        out.append((got, missing))
    return out


def on_duty(inst: Instance, counts: list[dict[tuple[int, int], int]]) -> np.ndarray:
    """Pool x slot people on duty of per-pool shift counts ((day, option) -> shifts)."""
    views = inst.pool_views()
    out = np.zeros((len(views), inst.num_slots), dtype=np.int64)
    for p, (view, mine) in enumerate(zip(views, counts)):
        for (d, k), c in mine.items():
            for s in view.covered(d, view.options[k]):
                out[p, s] += c
    return out


def queue_cover(inst: Instance, counts: list[dict[tuple[int, int], int]], cand, capacity,
                deadline: float, frozen: set[int] = frozenset()) -> int | None:
    """Add shifts to `counts` (in place) until every slot's people can cover every
    queue: at the first slot still short, the candidate shift of a pool serving the
    shortest queue that covers the most of that queue's shortfall per unit of weight
    (`cand`: first._Candidates; `capacity`: first._Capacity, kept up to date; pools in
    `frozen` take no shifts). Returns the agent-slots still short (ceil per slot), or
    None past the deadline."""
    people = on_duty(inst, counts)
    served = _served(inst)
    current = split(inst, people)
    queues = current.queues
    n = inst.num_slots
    alive = np.array([int(p) not in frozen for p in cand.pool], dtype=bool)
    by_slot = cand.matrix.tocsc()
    t = 0
    while t < n:
        short = {q: current.short[q][t] for q in queues + [""]}
        if max(short.values()) <= TOLERANCE:
            t += 1
            continue
        if time.monotonic() > deadline:
            return None
        here = by_slot.indices[by_slot.indptr[t]:by_slot.indptr[t + 1]]
        here = here[alive[here]]
        rows, worst = here[:0], ""
        # the shortest queue that some pool can still take people to
        for worst in sorted((q for q in short if short[q] > TOLERANCE), key=lambda q: -short[q]):
            rows = here if not worst else here[np.array(
                [worst in served[int(cand.pool[i])] for i in here], dtype=bool)]
            if len(rows):
                break
        if len(rows) == 0:
            t += 1  # nobody left can serve them here: they stay short
            continue
        gap = current.short[worst]
        gain = np.array([
            float(np.minimum(gap[cand.matrix.indices[cand.matrix.indptr[i]:
                                                    cand.matrix.indptr[i + 1]]],
                             short[worst]).sum())
            / served[int(cand.pool[i])].get(worst, 1.0) / cand.weight[i]
            for i in rows])
        i = int(rows[int(np.argmax(gain))])
        p, d, k = int(cand.pool[i]), int(cand.day[i]), int(cand.option[i])
        f = served[p].get(worst, 1.0)
        copies = min(max(1, math.ceil(short[worst] * f - TOLERANCE)), capacity.room(p, d))
        if copies <= 0:
            alive[i] = False
            continue
        counts[p][(d, k)] = counts[p].get((d, k), 0) + int(copies)
        capacity.add(p, d, int(copies))
        row = cand.matrix.indices[cand.matrix.indptr[i]:cand.matrix.indptr[i + 1]]
        people[p, row] += int(copies)
        again = split(inst, people, slots=sorted(set(int(s) for s in row)))
        for q in queues + [""]:
            current.short[q][row] = again.short[q][row]
    return int(sum(math.ceil(v - TOLERANCE) for v in current.short_per_slot()))


@dataclass
class QueueOutputs:
    """What the records say of the queues: per slot each queue's requirement and
    allocation, the agents short per slot, and the per queue and day rows."""

    slots: list[list[tuple[str, int, float]]]
    """Per slot: (queue, required agents, allocated agent-equivalents)."""
    short: np.ndarray
    """Agents short per slot over the queues and the demand (exact rule)."""
    days: list[dict]
    """Per queue and day: queue, date, required_agent_hours, allocated_agent_hours,
    short_agent_hours, short_slots."""
    tightest: tuple[str, float, float] | None
    """(queue, allocated / required over the horizon, short agent-hours) of the queue
    with the least to spare."""


def queue_outputs(inst: Instance, people: np.ndarray) -> QueueOutputs:
    """The split of a roster's people (pool x slot) among the queues, for the records."""
    found = split(inst, people)
    queues, req, _ = requirements(inst)
    per_day, hours = inst.slots_per_day, inst.slot / 60
    slots = [[(q, int(req[i, t]), round(float(found.allocated[q][t]), 4))
              for i, q in enumerate(queues)] for t in range(inst.num_slots)]
    days = []
    tightest = None
    for i, q in enumerate(queues):
        short_q = np.where(found.short[q] > TOLERANCE, found.short[q], 0.0)
        for d in range(inst.days):
            part = slice(d * per_day, (d + 1) * per_day)
            days.append({
                "queue": q, "date": inst.date(d),
                "required_agent_hours": round(float(req[i, part].sum()) * hours, 4),
                "allocated_agent_hours": round(float(found.allocated[q][part].sum()) * hours, 4),
                "short_agent_hours": round(float(short_q[part].sum()) * hours, 4),
                "short_slots": int((short_q[part] > 0).sum())})
        need = float(req[i].sum())
        if need > 0:
            ratio = float(found.allocated[q].sum()) / need
            key = (float(short_q.sum()) * hours, -ratio)
            if tightest is None or key > (tightest[2], -tightest[1]):
                tightest = (q, ratio, float(short_q.sum()) * hours)
    short = np.where(found.short_per_slot() > TOLERANCE, found.short_per_slot(), 0.0)
    return QueueOutputs(slots, short, days, tightest)
