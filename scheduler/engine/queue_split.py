"""Queues in the plan model: each slot's on-duty people of each pool given to the queues
they serve (issue 16), added to the plan model only when the scenario splits queues.

Allocation variables a[t, p, q] count hundredths of a person of pool p on duty in slot t
given to queue q (integers, for CP-SAT; HiGHS reads the same linear form). A person of
pool p is worth 1/f agents of queue q (f: the pool's handle-time factor for q), so one
hundredth of a person is worth 1/(100 f) agents, counted here in ten-thousandths of an
agent as floor(100/f): rounded down, the plan never claims more coverage than the exact
1/f rule gives (f = 0.8 is exact, 125; f = 0.85 counts 117 where 117.6 is exact). Per slot:

    sum_q a[t,p,q]                                   <= 100 x on-duty of pool p in t
    sum_p floor(100/f[p,q]) a[t,p,q] + 10000 u[t,q]   >= 10000 x queue_required[q][t]
    sum_p,q a[t,p,q] + 100 x demand_required[t]      <= 100 x on-duty of all pools + 100 ud[t]

The third line gives the scenario's own demand (other work, anyone at factor 1) the people
the queues leave, pool by pool (a per-pool share of it would be a free variable: summed,
the condition above is exactly what it allows). u and ud (agents short) exist only where
the scenario allows understaffing; they are bounded by the slot's short variable, so a
slot's penalty is the larger of its total and its queues' shortfalls. The floor stays on
the total on duty (plan.py)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

from scheduler.engine.sat import cp_model

from scheduler.engine.instance import Instance

PERSON_UNITS = 100
"""Allocation variables count hundredths of a person."""
AGENT_UNITS = 10_000
"""Queue coverage is counted in ten-thousandths of an agent."""


def factor(view: Instance, queue: str) -> Fraction:
    """The pool's handle-time factor for `queue` as the decimal the scenario states."""
    pool = view.pool
    f = 1.0 if pool is None else pool.handle_time_factor.get(queue, 1.0)
    return Fraction(repr(float(f)))


def worth(view: Instance, queue: str) -> int:
    """Ten-thousandths of an agent of `queue` one hundredth of a person of the pool
    gives: floor(100 / f), never more than the exact rule."""
    return math.floor(Fraction(AGENT_UNITS, PERSON_UNITS) / factor(view, queue))


def people_per_agent(inst: Instance) -> int:
    """How many people one agent of requirement may take at most (the slowest factor,
    rounded up; 1 unless queues are split): scales the plan's upper bounds."""
    sc = inst.scenario
    if not sc.splits_queues:
        return 1
    slowest = max((f for p in sc.pools for f in p.handle_time_factor.values()), default=1.0)
    return max(1, math.ceil(slowest))


def total_floor(inst: Instance) -> int:
    """The scenario's floor on the total on duty (0 without)."""
    demand = inst.scenario.demand
    return demand.floor if demand is not None else 0


def demand_of(inst: Instance) -> tuple[int, ...]:
    """The scenario's own demand per slot (zeros without)."""
    d = inst.loaded.demand_required
    return tuple(d) if d else (0,) * inst.num_slots


def queue_name(guard_name: str) -> str | None:
    """The queue a rule group guards ("queue_coverage@presale" -> "presale")."""
    rule, _, queue = guard_name.partition("@")
    return queue if rule == QUEUE_RULE else None


QUEUE_RULE = "queue_coverage"
"""The rule group of one queue's coverage ("queue_coverage@<queue>"), for explain.py."""


@dataclass
class QueueSplit:
    """The allocation variables and the queues' shortfall variables added to a plan."""

    alloc: dict[tuple[int, int, str], cp_model.IntVar] = field(default_factory=dict)
    """(slot, pool, queue) -> hundredths of a person."""
    short: dict[tuple[int, str], cp_model.IntVar] = field(default_factory=dict)
    """(slot, queue) -> agents short (only where understaffing is allowed); the queue
    "" is the scenario's own demand."""


def add_queue_split(model: cp_model.CpModel, inst: Instance, pools: list[Instance],
                    pool_covers: list[list[list]], short: list, guard) -> QueueSplit:
    """Add the allocation of each slot's people to the queues (see the module docstring).
    `pool_covers[p][t]` are the count variables of pool p on duty in slot t; `short[t]`
    the slot's shortfall variable (None unless understaffing is allowed and t requires
    agents); `guard(name, constraint)` names a rule group for explaining infeasibility."""
    sc = inst.scenario
    queues = list(inst.loaded.queues)
    required = inst.loaded.queue_required
    demand = demand_of(inst)
    soft = sc.coverage.allow_understaffing
    served = [set(sc.queues_served(v.pool)) for v in pools]
    worths = [{q: worth(v, q) for q in served[p]} for p, v in enumerate(pools)]
    split = QueueSplit()

    def upper(vs) -> int:
        return sum(int(list(v.proto.domain)[-1]) for v in vs)

    for t in range(inst.num_slots):
        mine: list[list] = [[] for _ in pools]  # pool -> its allocation variables in t
        shortfalls = []
        for q in queues:
            req = int(required[q][t]) if q in required else 0
            if req <= 0:
                continue
            terms = []
            for p in range(len(pools)):
                covers = pool_covers[p][t]
                if q not in served[p] or not covers or worths[p][q] <= 0:
                    continue
                # no more than the queue needs (a larger allocation can always shrink)
                ub = min(PERSON_UNITS * upper(covers), -(-AGENT_UNITS * req // worths[p][q]))
                a = model.new_int_var(0, ub, f"alloc_t{t}_p{p}_{q}")
                split.alloc[(t, p, q)] = a
                mine[p].append(a)
                terms.append(worths[p][q] * a)
            if soft and short[t] is not None:
                u = model.new_int_var(0, req, f"queue_short_t{t}_{q}")
                split.short[(t, q)] = u
                shortfalls.append(u)
                model.add(sum(terms) + AGENT_UNITS * u >= AGENT_UNITS * req)
            else:
                if not terms:  # nobody can serve it here: infeasible, named
                    terms = [model.new_constant(0)]
                guard(f"{QUEUE_RULE}@{q}", model.add(sum(terms) >= AGENT_UNITS * req))
        for p, vs in enumerate(mine):
            if vs:
                model.add(sum(vs) <= PERSON_UNITS * sum(pool_covers[p][t]))
        if demand[t] > 0 and any(mine):
            everyone = [v for p in range(len(pools)) for v in pool_covers[p][t]]
            left = PERSON_UNITS * sum(everyone) - sum(v for vs in mine for v in vs)
            if soft and short[t] is not None:
                ud = model.new_int_var(0, demand[t], f"demand_short_t{t}")
                split.short[(t, "")] = ud
                shortfalls.append(ud)
                model.add(left + PERSON_UNITS * ud >= PERSON_UNITS * demand[t])
            else:
                guard("coverage", model.add(left >= PERSON_UNITS * demand[t]))
        if shortfalls:
            model.add(sum(shortfalls) <= short[t])
    return split
