"""The checker's own per-slot transportation problem for scenarios whose pools serve only
some queues or handle some faster (issue 16; docs/skills.md).

In slot t, the people of pool p on duty (on shift, not on a break) can each be given to
ONE queue q that p serves, where they are worth 1/f agents of q (f: the pool's
handle-time factor for q, default 1), or to the scenario's own `demand` (other work, any
pool, factor 1). The least total shortfall over queues and demand is a linear programme:

    minimise   sum_q s_q + s_d
    subject to sum_q x_pq + y_p              <= n_p     for every pool p
               sum_p x_pq / f_pq + s_q       >= r_q     for every queue q
               sum_p y_p + s_d               >= d
               x, y, s >= 0

It is solved exactly as an LP (HiGHS through scipy.optimize.linprog): no rounding of 1/f,
so 4 people at f = 0.8 cover 5 agents of a queue and not 5.01. Slots with the same
headcounts and requirements are solved once, and all distinct slots together in one
block-diagonal LP (its optimum is the sum of the slots' optima).

The shortfall of each queue is that of one optimal allocation: when several queues
compete for the same short pool, the total is exact and the LP decides which of them is
named short. This module knows nothing of the solver's model (scheduler/engine)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

from scheduler import models

SHORT_TOL = 1e-6
"""[agents] Shortfalls at or below this are the LP's rounding, not a short queue."""


@dataclass(frozen=True)
class Skills:
    """Who can serve what: per pool, the queues it serves as (queue index, factor)."""

    pools: tuple[str, ...]
    queues: tuple[str, ...]
    serves: tuple[tuple[tuple[int, float], ...], ...]

    own: tuple[tuple[str, int], ...] = ()
    """Named people who serve only part of their pool's queues (staff.people[].serves):
    (staff id, index of their own group). Such a group follows the pools, one per pool
    and serves-list, named '<pool> (serving <queues>)'; its people count there, never in
    their pool, so the LP gives their time only to the queues they serve."""

    @classmethod
    def of(cls, scenario: models.Scenario) -> Skills:
        queues = tuple(c.name for c in scenario.channels)
        index = {q: i for i, q in enumerate(queues)}
        names = [p.name for p in scenario.pools]
        serves = [
            tuple((index[q], float(p.handle_time_factor.get(q, 1.0)))
                  for q in scenario.queues_served(p))
            for p in scenario.pools
        ]
        pools = {p.name: p for p in scenario.pools}
        own: list[tuple[str, int]] = []
        groups: dict[tuple, int] = {}
        for person in scenario.staff.people if scenario.staff is not None else []:
            pool = pools.get(person.pool)
            if pool is None or person.serves is None:
                continue
            served = scenario.queues_served(pool)
            mine = tuple(q for q in served if q in person.serves)
            if set(mine) == set(served):
                continue
            key = (pool.name, mine)
            if key not in groups:
                groups[key] = len(names)
                names.append(f"{pool.name} (serving {', '.join(mine) or 'none'})")
                serves.append(tuple((index[q], float(pool.handle_time_factor.get(q, 1.0)))
                                    for q in mine))
            own.append((person.id, groups[key]))
        return cls(tuple(names), queues, tuple(serves), tuple(own))


@dataclass(frozen=True)
class SlotShortfall:
    """One slot's least shortfall (agents) and how one optimal allocation splits it."""

    total: float
    queues: tuple[float, ...]
    """Shortfall per queue, in Skills.queues order (0 below SHORT_TOL)."""
    demand: float
    """Shortfall of the scenario's own demand (other work)."""

    def short_queues(self, names: Sequence[str]) -> dict[str, float]:
        return {q: s for q, s in zip(names, self.queues) if s > 0}


def shortfalls(
    skills: Skills,
    on_duty: Sequence[Sequence[int]],
    queue_required: Sequence[Sequence[float]],
    demand_required: Sequence[float] | None = None,
) -> list[SlotShortfall]:
    """Per slot: `on_duty[t][p]` people of pool p on duty, `queue_required[t][q]` agents
    queue q needs, `demand_required[t]` agents of other work (None: none)."""
    n = len(on_duty)
    if len(queue_required) != n or (demand_required is not None and len(demand_required) != n):
        raise ValueError("on_duty, queue_required and demand_required differ in length")
    keys = [
        (tuple(int(v) for v in on_duty[t]), tuple(float(v) for v in queue_required[t]),
         float(demand_required[t]) if demand_required is not None else 0.0)
        for t in range(n)
    ]
    distinct = list(dict.fromkeys(keys))
    # a slot that needs nothing is short of nothing: no LP for it
    need = [k for k in distinct if any(v > 0 for v in k[1]) or k[2] > 0]
    solved = dict(zip(need, _solve(skills, need))) if need else {}
    zero = SlotShortfall(0.0, (0.0,) * len(skills.queues), 0.0)
    return [solved.get(k, zero) for k in keys]


def _solve(skills: Skills, problems: list[tuple]) -> list[SlotShortfall]:
    """All `problems` (headcounts, queue requirements, demand) in one block-diagonal LP."""
    num_pools, num_queues = len(skills.pools), len(skills.queues)
    arcs = [(p, q, f) for p, served in enumerate(skills.serves) for q, f in served]
    # per block, variables: x per arc, y per pool, s per queue, s_d
    width = len(arcs) + num_pools + num_queues + 1
    height = num_pools + num_queues + 1  # pools' supply, queues' cover, demand's cover
    rows, cols, vals = [], [], []
    for a, (p, q, f) in enumerate(arcs):
        rows += [p, num_pools + q]
        cols += [a, a]
        vals += [1.0, -1.0 / f]  # covers written as <=: -(sum x/f) - s <= -r
    for p in range(num_pools):
        rows += [p, num_pools + num_queues]
        cols += [len(arcs) + p] * 2
        vals += [1.0, -1.0]
    for q in range(num_queues):
        rows.append(num_pools + q)
        cols.append(len(arcs) + num_pools + q)
        vals.append(-1.0)
    rows.append(num_pools + num_queues)
    cols.append(width - 1)
    vals.append(-1.0)
    block_rows, block_cols = np.array(rows), np.array(cols)
    k = len(problems)
    all_rows = (block_rows[None, :] + height * np.arange(k)[:, None]).ravel()
    all_cols = (block_cols[None, :] + width * np.arange(k)[:, None]).ravel()
    matrix = coo_matrix((np.tile(vals, k), (all_rows, all_cols)),
                        shape=(height * k, width * k)).tocsr()
    rhs = np.concatenate([
        np.concatenate([np.asarray(heads, dtype=float), -np.asarray(req, dtype=float), [-dem]])
        for heads, req, dem in problems
    ])
    cost = np.tile(np.concatenate([np.zeros(len(arcs) + num_pools), np.ones(num_queues + 1)]), k)
    result = linprog(cost, A_ub=matrix, b_ub=rhs, bounds=(0, None), method="highs")
    if result.status != 0:  # cannot happen: s = r, x = y = 0 is always feasible
        raise RuntimeError(f"the transportation LP failed: {result.message}")
    out = []
    for b in range(k):
        short = result.x[b * width + len(arcs) + num_pools: (b + 1) * width]
        short = np.where(short > SHORT_TOL, short, 0.0)
        out.append(SlotShortfall(float(short.sum()), tuple(float(v) for v in short[:-1]),
                                 float(short[-1])))
    return out
