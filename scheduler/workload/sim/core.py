"""One simulated run: the contacts are drawn up front with numpy (Poisson arrivals per queue
and slot, handle times, patience), then a tight event loop in plain Python routes them.

Why this shape: every random number is drawn before the loop, so the loop only compares
times, moves agent and contact numbers between deques and a heap of service
completions, and writes each contact's start and agent into lists; the figures are
computed afterwards with numpy (measure.py). Abandonment is lazy: a waiting contact whose
patience has run out stays in its queue's deque until an agent looks at the front of that
deque, and is then dropped; it counts as abandoned at arrival + patience, which is exact
because an abandoning contact changes nothing else. Drawing every number regardless of
the staffing also gives common random numbers: the same seed gives the same contacts
whatever the agents.

Routing (docs/simulation.md):
* an arriving contact goes to the longest-idle free agent among the groups of the lowest
  `overflow_rank` that have a free agent serving its queue (ties in idle time: the group
  listed first);
* a freed agent takes, among the queues its group serves, from the highest `priority`
  first, the contact that has waited longest;
* an agent whose break or shift end comes while busy finishes the contact in hand and
  then leaves: a break starts late and still ends at its planned time (shortened, or
  skipped when the contact outlasts it); a shift end is delayed. In a `staffing` group a
  fall in the number of agents first sends idle agents home (the most recently idle
  first); the rest leave as the group's next services end, whoever's they are
  (ContactCenters' "ghost agents"); a rise first cancels such pending departures.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from heapq import heappop, heappush

import numpy as np

from scheduler.workload.sim.model import Centre

INF = math.inf
OFF, ON, COUNT = 0, 1, 2  # schedule event kinds (at equal times: departures first)


@dataclass(frozen=True)
class Plan:
    """A validated Centre in the loop's terms: numbers for names, times in seconds."""

    queue_names: tuple[str, ...]
    group_names: tuple[str, ...]
    slot_seconds: float
    n_slots: int
    volume: np.ndarray            # (queues, slots) expected contacts
    aht: np.ndarray               # (queues, slots) seconds
    patience: np.ndarray          # (queues, slots) seconds, inf: never abandons
    log_sigma: np.ndarray         # (queues,) lognormal sigma, nan: exponential
    within_seconds: np.ndarray    # (queues,)
    goal: np.ndarray              # (queues,) service-level goal
    factor: tuple[tuple[float, ...], ...]        # [group][queue] handle-time factor
    queue_tiers: tuple[tuple[tuple[int, ...], ...], ...]  # [queue] groups by overflow rank
    group_tiers: tuple[tuple[tuple[int, ...], ...], ...]  # [group] queues by priority
    agent_group: tuple[int, ...]
    counted: tuple[bool, ...]     # [group] given by staffing (counts), not shifts
    members: tuple[tuple[int, ...], ...]          # [group] its agent numbers
    schedule: tuple[tuple[float, int, int, int], ...]  # (seconds, kind, agent|group, count)
    busyness: tuple[float, float] | None

    @property
    def horizon_seconds(self) -> float:
        return self.n_slots * self.slot_seconds


def _per_slot(value, n_slots: int, missing: float) -> np.ndarray:
    if value is None:
        return np.full(n_slots, missing)
    arr = np.asarray(value, dtype=float)
    return np.broadcast_to(arr, (n_slots,)).copy()


def compile_centre(centre: Centre) -> Plan:
    """The loop's view of a Centre that `model.validate` accepted."""
    queues = list(centre.queues)
    q_index = {q.name: i for i, q in enumerate(queues)}
    n_slots = centre.n_slots
    slot_s = float(centre.slot_minutes) * 60.0
    volume = np.array([np.asarray(q.volume, dtype=float) for q in queues]).reshape(len(queues), n_slots)
    aht = np.array([_per_slot(q.aht_seconds, n_slots, np.nan) for q in queues])
    patience = np.array([_per_slot(q.patience_seconds, n_slots, INF) for q in queues])
    sigma = np.array([np.sqrt(np.log1p(q.handle_cv ** 2)) if q.handle_cv else np.nan
                      for q in queues])
    factor = []
    ranks: list[dict[int, list[int]]] = [{} for _ in queues]
    group_tiers = []
    agent_group: list[int] = []
    members = []
    counted = []
    schedule: list[tuple[float, int, int, int]] = []
    for g, grp in enumerate(centre.groups):
        factor.append(tuple(float(grp.handle_time_factor.get(q.name, 1.0)) for q in queues))
        for name in grp.serves:
            ranks[q_index[name]].setdefault(int(grp.overflow_rank.get(name, 0)), []).append(g)
        by_priority: dict[int, list[int]] = {}
        for name in grp.serves:
            by_priority.setdefault(-queues[q_index[name]].priority, []).append(q_index[name])
        group_tiers.append(tuple(tuple(by_priority[p]) for p in sorted(by_priority)))
        first = len(agent_group)
        if grp.staffing is not None:
            counts = [int(n) for n in grp.staffing]
            n_agents = max(counts, default=0)
            previous = 0
            for k, n in enumerate(counts):
                if n != previous:
                    schedule.append((k * slot_s, COUNT, g, n))
                previous = n
            counted.append(True)
        else:
            n_agents = len(grp.shifts)
            for j, s in enumerate(grp.shifts):
                a = first + j
                on = float(s.start_minute)
                stretches = []
                for b0, b1 in s.breaks:
                    stretches.append((on, float(b0)))
                    on = float(b1)
                stretches.append((on, INF if s.end_minute is None else float(s.end_minute)))
                for on, off in stretches:
                    if off > on:  # a break ending with the shift leaves nothing after it
                        schedule.append((on * 60.0, ON, a, 0))
                        if off < INF:
                            schedule.append((off * 60.0, OFF, a, 0))
            counted.append(False)
        agent_group.extend([g] * n_agents)
        members.append(tuple(range(first, first + n_agents)))
    schedule.sort(key=lambda e: (e[0], e[1]))
    queue_tiers = tuple(tuple(tuple(r[k]) for k in sorted(r)) for r in ranks)
    b = centre.busyness
    return Plan(
        queue_names=tuple(q.name for q in queues),
        group_names=tuple(g.name for g in centre.groups),
        slot_seconds=slot_s, n_slots=n_slots, volume=volume, aht=aht, patience=patience,
        log_sigma=sigma,
        within_seconds=np.array([float(q.answer_within_seconds) for q in queues]),
        goal=np.array([float(q.service_level) for q in queues]),
        factor=tuple(factor), queue_tiers=queue_tiers, group_tiers=tuple(group_tiers),
        agent_group=tuple(agent_group), counted=tuple(counted), members=tuple(members),
        schedule=tuple(schedule),
        busyness=None if b is None else (float(b.shape), float(b.rate)),
    )


@dataclass(frozen=True)
class Contacts:
    """The contacts of one run, in order of arrival."""

    arrival: np.ndarray   # seconds
    queue: np.ndarray     # queue number
    slot: np.ndarray      # slot of arrival
    handle: np.ndarray    # seconds, before the serving group's factor
    patience: np.ndarray  # seconds, inf: never abandons
    busyness: float


def draw_contacts(plan: Plan, rng: np.random.Generator) -> Contacts:
    """Poisson arrivals per queue and slot (uniform times within the slot), handle times
    and patience by the slot of arrival. The number of draws does not depend on the
    staffing, so two centres with the same queues see the same contacts for a seed."""
    busy = 1.0 if plan.busyness is None else float(rng.gamma(plan.busyness[0], 1.0 / plan.busyness[1]))
    n_q, n_k = plan.volume.shape
    counts = rng.poisson(plan.volume * busy)                # (queues, slots)
    flat = counts.ravel()
    cell = np.repeat(np.arange(n_q * n_k), flat)
    queue, slot = np.divmod(cell, n_k)
    arrival = (slot + rng.random(cell.size)) * plan.slot_seconds
    order = np.argsort(arrival, kind="stable")
    arrival, queue, slot = arrival[order], queue[order], slot[order]
    mean = plan.aht[queue, slot]
    sigma = plan.log_sigma[queue]
    if np.isnan(plan.log_sigma).all():
        handle = rng.standard_exponential(arrival.size) * mean
    else:
        z = rng.standard_normal(arrival.size)
        e = rng.standard_exponential(arrival.size)
        logn = np.exp(np.log(mean) - np.nan_to_num(sigma) ** 2 / 2 + np.nan_to_num(sigma) * z)
        handle = np.where(np.isnan(sigma), e * mean, logn)
    mean_p = plan.patience[queue, slot]
    e = rng.standard_exponential(arrival.size)
    patience = np.where(np.isinf(mean_p), INF, e * np.where(np.isinf(mean_p), 1.0, mean_p))
    return Contacts(arrival, queue, slot, handle, patience, busy)


@dataclass(frozen=True)
class RunRecord:
    """What happened to each contact and agent in one run."""

    contacts: Contacts
    start: np.ndarray         # service start, seconds; nan: never served
    agent: np.ndarray         # serving agent, -1: never served
    service: np.ndarray       # actual handle time (after the group's factor), seconds
    presence_group: np.ndarray  # one row per stretch of presence of an agent
    presence_agent: np.ndarray
    presence_on: np.ndarray
    presence_off: np.ndarray
    end: float                # last real event (at least the horizon's end)


def run_loop(plan: Plan, contacts: Contacts) -> RunRecord:  # noqa: C901 (one tight loop)
    arr_t = contacts.arrival.tolist()
    arr_q = contacts.queue.tolist()
    base = contacts.handle.tolist()
    deadline = (contacts.arrival + contacts.patience).tolist()
    n = len(arr_t)
    group_of = plan.agent_group
    factor = plan.factor
    group_tiers = plan.group_tiers
    queue_tiers = plan.queue_tiers
    # fast path: a queue served by one group alone
    single = [t[0][0] if len(t) == 1 and len(t[0]) == 1 else -1 for t in queue_tiers]
    n_agents = len(group_of)
    start = [math.nan] * n
    who = [-1] * n
    svc = [0.0] * n
    state = [0] * n_agents          # 0 off, 1 idle, 2 busy
    leaving = [False] * n_agents
    on_since = [0.0] * n_agents
    idle_since = [0.0] * n_agents
    idle = [deque() for _ in plan.group_names]
    waiting = [deque() for _ in plan.queue_names]
    ghosts = [0] * len(plan.group_names)    # counted groups: departures pending
    offpool = [list(reversed(m)) for m in plan.members]
    present = [0] * len(plan.group_names)   # counted groups: on duty and not leaving
    p_agent: list[int] = []
    p_on: list[float] = []
    p_off: list[float] = []
    heap: list[tuple[float, int]] = []
    sched = plan.schedule
    n_sched = len(sched)
    si = 0
    next_s = sched[0][0] if n_sched else INF
    i = 0
    next_a = arr_t[0] if n else INF

    def take_work(a: int, g: int, t: float) -> None:
        """Agent a of group g is free at t: start the best waiting contact or go idle."""
        for tier in group_tiers[g]:
            best = -1
            best_t = INF
            best_q = -1
            for q in tier:
                dq = waiting[q]
                while dq:
                    c = dq[0]
                    if deadline[c] < t:
                        dq.popleft()      # abandoned earlier
                        continue
                    if arr_t[c] < best_t:
                        best_t, best, best_q = arr_t[c], c, q
                    break
            if best >= 0:
                waiting[best_q].popleft()
                d = base[best] * factor[g][best_q]
                start[best] = t
                who[best] = a
                svc[best] = d
                state[a] = 2
                heappush(heap, (t + d, a))
                return
        state[a] = 1
        idle_since[a] = t
        idle[g].append(a)

    def go_off(a: int, g: int, t: float) -> None:
        state[a] = 0
        p_agent.append(a)
        p_on.append(on_since[a])
        p_off.append(t)
        if plan.counted[g]:
            offpool[g].append(a)

    def come_on(a: int, g: int, t: float) -> None:
        on_since[a] = t
        take_work(a, g, t)

    while True:
        ht = heap[0][0] if heap else INF
        if next_a < ht and next_a < next_s:
            # ------------------------------------------------ an arrival
            t = next_a
            c = i
            q = arr_q[c]
            i += 1
            next_a = arr_t[i] if i < n else INF
            a = -1
            g = single[q]
            if g >= 0:
                dq = idle[g]
                if dq:
                    a = dq.popleft()
            else:
                for tier in queue_tiers[q]:
                    best_since = INF
                    for g2 in tier:
                        dq = idle[g2]
                        if dq and idle_since[dq[0]] < best_since:
                            best_since = idle_since[dq[0]]
                            g = g2
                    if g >= 0:
                        a = idle[g].popleft()
                        break
            if a < 0:
                waiting[q].append(c)
                continue
            g = group_of[a]
            d = base[c] * factor[g][q]
            start[c] = t
            who[c] = a
            svc[c] = d
            state[a] = 2
            heappush(heap, (t + d, a))
        elif ht <= next_s:
            if ht == INF:
                break
            # ------------------------------------------------ a service completion
            t, a = heappop(heap)
            g = group_of[a]
            if leaving[a]:
                leaving[a] = False
                go_off(a, g, t)
            elif ghosts[g]:
                ghosts[g] -= 1
                go_off(a, g, t)
            else:
                take_work(a, g, t)
        else:
            # ------------------------------------------------ a break, shift or staffing change
            t, kind, x, count = sched[si]
            si += 1
            next_s = sched[si][0] if si < n_sched else INF
            if kind == COUNT:
                g = x
                change = count - present[g]
                present[g] = count
                cancel = min(change, ghosts[g]) if change > 0 else 0
                ghosts[g] -= cancel
                change -= cancel
                while change > 0:
                    come_on(offpool[g].pop(), g, t)
                    change -= 1
                while change < 0 and idle[g]:
                    go_off(idle[g].pop(), g, t)
                    change += 1
                ghosts[g] -= change  # the rest leave as services end
            else:
                a = x
                g = group_of[a]
                if kind == OFF:
                    if state[a] == 1:
                        idle[g].remove(a)
                        go_off(a, g, t)
                    elif state[a] == 2:
                        leaving[a] = True
                elif state[a] == 2:
                    leaving[a] = False   # back before the contact in hand ended: no break
                elif state[a] == 0:
                    come_on(a, g, t)

    start_a = np.array(start)
    svc_a = np.array(svc)
    served = ~np.isnan(start_a)
    gave_up = ~served & np.isfinite(contacts.patience)
    end = max(plan.horizon_seconds,
              float(np.max(start_a[served] + svc_a[served], initial=0.0)),
              float(np.max((contacts.arrival + contacts.patience)[gave_up], initial=0.0)))
    for a in range(n_agents):          # still on duty: open-ended shifts, staffing groups
        if state[a] != 0:
            p_agent.append(a)
            p_on.append(on_since[a])
            p_off.append(max(end, on_since[a]))
    p_agent_a = np.array(p_agent, dtype=np.int64)
    return RunRecord(
        contacts=contacts, start=start_a, agent=np.array(who, dtype=np.int64), service=svc_a,
        presence_group=np.asarray(plan.agent_group, dtype=np.int64)[p_agent_a]
        if p_agent_a.size else p_agent_a,
        presence_agent=p_agent_a, presence_on=np.array(p_on, dtype=float),
        presence_off=np.array(p_off, dtype=float), end=end)
