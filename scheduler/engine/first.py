"""The first roster, before any model is built: a greedy cover of the requirement by
shifts, placed on agents by the greedy roster (or, where it cannot, the working-day
patterns and the days-first roster). It takes a second or two where the plan model alone
takes longer to build, so every run has a roster to return early; the pipeline then
improves on it while time remains (see incumbent.py).

The cover sweeps the slots in time order. At the first slot still short it adds, as many
times as that slot is short, the shift whose copies cover the most still-short
agent-slots per unit of weight (pay for the cost objectives, paid minutes otherwise; a
standing team's shifts weigh little while its contract hours are unused, since they are
paid anyway). A pool's headcount cap limits its shifts per day and per 7 days. A last pass
drops copies whose every slot stays covered without them, the heaviest first."""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix

from scheduler.engine.instance import Instance
from scheduler.engine.patterns import pattern_roster
from scheduler.engine.queue_cover import queue_cover
from scheduler.engine.queue_split import total_floor
from scheduler.engine.roster import days_first_roster, greedy_roster, roster_ok
from scheduler.engine.stopping import StopSignal

log = logging.getLogger(__name__)

STANDING_WEIGHT = 0.05
"""A standing agent's shift weighs this share of its pay while the team's contract hours
are not used up (they are paid whether worked or not)."""

Assignment = dict[int, list[tuple[int, int]]]


@dataclass
class Cover:
    """Shift counts per pool ((day, option) -> shifts) and the agent-slots left short."""

    counts: list[dict[tuple[int, int], int]]
    short: int
    nonzeros: int = 0
    """Slot-shift incidences of the candidate shifts (the plan model grows with them)."""


@dataclass
class _Candidates:
    pool: np.ndarray
    day: np.ndarray
    option: np.ndarray
    weight: np.ndarray
    standing: np.ndarray
    """Whether the candidate's pool has a standing team with contract hours."""
    minutes: np.ndarray
    """Contract minutes of one copy."""
    matrix: csr_matrix
    """Candidate x slot: 1 where the candidate is on duty."""


def _weight(view: Instance, d: int, k: int, by_cost: bool) -> float:
    """What one copy of option k on day d uses up: its pay for the cost objectives,
    otherwise the share of an agent's week it takes (a working day, or its hours against
    the weekly maximum when those bind first), plus its paid minutes to break ties."""
    o = view.options[k]
    if by_cost:
        return max(1, view.cost_cents(d, k))
    week = view.max_weekly_paid_minutes(7)
    share = 1 / view.rules.max_days_per_week
    if week:
        share = max(share, o.contract_minutes / week)
    return share + o.paid_minutes * 1e-6


def candidates(inst: Instance, by_cost: bool) -> _Candidates:
    """Every (pool, day, option) that covers some required slot, with its weight."""
    pools = inst.pool_views()
    required = np.array(inst.required, dtype=np.int64)
    n, per_day = inst.num_slots, inst.slots_per_day
    pool, day, option, weight, standing, minutes = [], [], [], [], [], []
    rows: list[np.ndarray] = []
    for p, view in enumerate(pools):
        team = view.pool is not None and view.pool.standing > 0 \
            and view.pool.contract_weekly_hours > 0
        relative = {k: np.array(o.on_duty_slots(view.slot), dtype=np.int64)
                    for k, o in enumerate(view.options) if not o.overtime_minutes}
        for d, k in view.instances:
            rel = relative.get(k)
            if rel is None:
                continue
            slots = d * per_day + rel
            slots = slots % n if inst.cyclic else slots[(slots >= 0) & (slots < n)]
            if not len(slots) or required[slots].max() == 0:
                continue
            pool.append(p)
            day.append(d)
            option.append(k)
            weight.append(_weight(view, d, k, by_cost))
            standing.append(team)
            minutes.append(view.options[k].contract_minutes)
            rows.append(slots)
    lengths = np.array([len(r) for r in rows], dtype=np.int64)
    indptr = np.concatenate(([0], np.cumsum(lengths))) if rows else np.zeros(1, dtype=np.int64)
    indices = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    matrix = csr_matrix((np.ones(len(indices), dtype=np.int64), indices, indptr),
                        shape=(len(pool), n))
    return _Candidates(np.array(pool, dtype=np.int64), np.array(day, dtype=np.int64),
                       np.array(option, dtype=np.int64), np.array(weight, dtype=float),
                       np.array(standing, dtype=bool), np.array(minutes, dtype=np.int64), matrix)


class _Capacity:
    """What a pool's headcount cap allows: shifts per day and per 7 consecutive days."""

    def __init__(self, pools: list[Instance]):
        self.pools = pools
        self.per_day = [dict.fromkeys(v.shift_days, 0) for v in pools]

    def room(self, p: int, d: int) -> float:
        view = self.pools[p]
        cap = view.max_headcount
        if cap is None:
            return math.inf
        room = cap - self.per_day[p][d]
        k7 = view.rules.max_days_per_week
        if k7 < 7:
            for window in view.day_windows(7):
                if d in window:
                    room = min(room, k7 * cap - sum(self.per_day[p].get(e, 0) for e in window))
        return max(0, room)

    def add(self, p: int, d: int, copies: int) -> None:
        self.per_day[p][d] += copies


def greedy_cover(inst: Instance, by_cost: bool, deadline: float,
                 given: dict[int, dict[tuple[int, int], int]] | None = None,
                 cand: _Candidates | None = None) -> Cover | None:
    """The greedy cover of the requirement (see the module docstring); the pools in
    `given` keep the shifts given there and take no others. None past the deadline.
    With queues split, the total covers the floor only and the queue-aware cover
    (queue_cover.py) adds the people each queue needs."""
    if inst.scenario.splits_queues:
        floor = total_floor(inst)
        cover = _greedy_cover(inst, by_cost, deadline, given, cand,
                              [min(r, floor) for r in inst.required])
        if cover is None:
            return None
        capacity = _Capacity(inst.pool_views())
        for p, counts in enumerate(cover.counts):
            for (d, _), c in counts.items():
                capacity.add(p, d, c)
        short = queue_cover(inst, cover.counts, cand if cand is not None
                            else candidates(inst, by_cost), capacity, deadline,
                            frozen=set(given or {}))
        if short is None:
            return None
        cover.short += short
        return cover
    return _greedy_cover(inst, by_cost, deadline, given, cand, inst.required)


def _greedy_cover(inst: Instance, by_cost: bool, deadline: float,
                  given: dict[int, dict[tuple[int, int], int]] | None,
                  cand: _Candidates | None, required) -> Cover | None:
    pools = inst.pool_views()
    given = given or {}
    cand = cand if cand is not None else candidates(inst, by_cost)
    n_cand = len(cand.pool)
    required = np.array(required, dtype=np.int64)
    if n_cand == 0:
        return Cover([{} for _ in pools], int(required.sum()), 0)
    by_slot = cand.matrix.tocsc()
    x = np.zeros(n_cand, dtype=np.int64)
    alive = np.ones(n_cand, dtype=bool)
    index = {(int(p), int(d), int(k)): i
             for i, (p, d, k) in enumerate(zip(cand.pool, cand.day, cand.option))}
    for p, counts in given.items():
        alive[cand.pool == p] = False
        for (d, k), c in counts.items():
            x[index[(p, d, k)]] += c
    deficit = required - cand.matrix.T @ x
    capacity = _Capacity(pools)
    # contract minutes a standing team is paid for whether it works them or not
    due = np.zeros(len(pools))
    for p, view in enumerate(pools):
        if view.pool is not None and view.pool.contract_weekly_hours > 0:
            due[p] = view.pool.standing * view.pool.contract_weekly_hours * 60 * inst.days / 7
    used = np.zeros(len(pools))
    s = 0
    n = inst.num_slots
    while s < n:
        if deficit[s] <= 0:
            s += 1
            continue
        if time.monotonic() > deadline:
            return None
        rows = by_slot.indices[by_slot.indptr[s]:by_slot.indptr[s + 1]]
        rows = rows[alive[rows]]
        if len(rows) == 0:
            s += 1  # nothing left can cover this slot: it stays short
            continue
        need = int(deficit[s])
        useful = cand.matrix[rows] @ np.clip(deficit, 0, need)
        weight = cand.weight[rows].copy()
        cheap = cand.standing[rows] & (used[cand.pool[rows]] < due[cand.pool[rows]])
        weight[cheap] *= STANDING_WEIGHT
        i = rows[int(np.argmax(useful / weight))]
        p, d = int(cand.pool[i]), int(cand.day[i])
        copies = min(need, capacity.room(p, d))
        if copies <= 0:
            alive[i] = False
            continue
        x[i] += copies
        capacity.add(p, d, copies)
        used[p] += copies * cand.minutes[i]
        row = cand.matrix.indices[cand.matrix.indptr[i]:cand.matrix.indptr[i + 1]]
        deficit[row] -= copies
    _drop_redundant(cand, x, required)
    short = int(np.clip(required - cand.matrix.T @ x, 0, None).sum())
    counts: list[dict[tuple[int, int], int]] = [{} for _ in pools]
    for i in np.flatnonzero(x):
        key = (int(cand.day[i]), int(cand.option[i]))
        counts[int(cand.pool[i])][key] = counts[int(cand.pool[i])].get(key, 0) + int(x[i])
    return Cover(counts, short, int(cand.matrix.nnz))


def _drop_redundant(cand: _Candidates, x: np.ndarray, required: np.ndarray) -> None:
    """Remove copies whose slots all stay covered without them, heaviest per slot first."""
    surplus = cand.matrix.T @ x - required
    lengths = np.diff(cand.matrix.indptr)
    for i in sorted(np.flatnonzero(x), key=lambda i: -cand.weight[i] / max(1, lengths[i])):
        row = cand.matrix.indices[cand.matrix.indptr[i]:cand.matrix.indptr[i + 1]]
        drop = min(int(x[i]), int(surplus[row].min()))
        if drop > 0:
            x[i] -= drop
            surplus[row] -= drop


def plan_agents(view: Instance, counts: dict[tuple[int, int], int]) -> int:
    """The fewest agents the day rules allow for a pool's shifts: the busiest day and the
    busiest 7 days over the days a week an agent may work."""
    per_day: dict[int, int] = {}
    for (d, _), c in counts.items():
        per_day[d] = per_day.get(d, 0) + c
    need = max(per_day.values(), default=0)
    k7 = view.rules.max_days_per_week
    if k7 < 7:
        for window in view.day_windows(7):
            need = max(need, math.ceil(sum(per_day.get(d, 0) for d in window) / k7))
    return need


def place(view: Instance, counts: dict[tuple[int, int], int], seconds: float, params: dict,
          stop: StopSignal | None) -> Assignment | None:
    """A pool's shifts on agents fast: the greedy roster, else the working-day patterns,
    else the days-first roster; None when none fits the rules (or the pool's cap)."""
    if not counts:
        return {}
    started = time.monotonic()
    cap = view.max_headcount
    agents = plan_agents(view, counts)

    def fits(roster: Assignment | None) -> bool:
        return roster is not None and (cap is None or len(roster) <= cap)

    roster = greedy_roster(view, counts, agents)
    if fits(roster):
        return roster
    left = seconds - (time.monotonic() - started)
    if left > 0.2 and not (stop is not None and stop.is_set()):
        roster = pattern_roster(view, counts, max(0.2, 0.5 * left), params, stop)
        if fits(roster) and roster_ok(view, roster):
            return roster
    left = seconds - (time.monotonic() - started)
    if left > 0.2:
        roster = days_first_roster(view, counts, agents, left, params, stop)
        if fits(roster):
            return roster
    return None


def _capped_first(view: Instance, counts: dict[tuple[int, int], int]
                  ) -> tuple[Assignment, dict[tuple[int, int], int]] | None:
    """A capped pool's greedy roster within its cap and the shifts it placed (the others
    go back to the cover); None when the greedy roster breaks a rule it cannot see."""
    unplaced: list[tuple[int, int]] = []
    roster = greedy_roster(view, counts, min(plan_agents(view, counts), view.max_headcount),
                           unplaced)
    if roster is None:
        return None
    placed = dict(counts)
    for key in unplaced:
        placed[key] -= 1
    return roster, {key: c for key, c in placed.items() if c > 0}


def first_roster(inst: Instance, by_cost: bool, seconds: float, params: dict,
                 stop: StopSignal | None) -> tuple[list[Assignment], Cover] | None:
    """A roster per pool from the greedy cover within about `seconds`, with the cover;
    None when the cover or a pool's roster cannot be had that fast. Capped pools are
    rostered first within their caps; the shifts they cannot place are covered again by
    the other pools."""
    started = time.monotonic()
    pools = inst.pool_views()
    cand = candidates(inst, by_cost)
    cover = greedy_cover(inst, by_cost, started + seconds, cand=cand)
    if cover is None:
        log.debug("first roster: no cover within %.1f s", seconds)
        return None
    fixed: dict[int, Assignment] = {}
    given: dict[int, dict[tuple[int, int], int]] = {}
    for p, view in enumerate(pools):
        if view.max_headcount is None or len(pools) == 1 or not cover.counts[p]:
            continue
        found = _capped_first(view, cover.counts[p])
        if found is None:
            continue
        fixed[p], given[p] = found
        if given[p] != cover.counts[p]:  # the pools not rostered yet cover the rest
            cover = greedy_cover(inst, by_cost, started + seconds, given, cand)
            if cover is None:
                return None
    total = max(1, sum(sum(c.values()) for p, c in enumerate(cover.counts) if p not in fixed))
    assignments: list[Assignment] = []
    for p, (view, counts) in enumerate(zip(pools, cover.counts)):
        if p in fixed:
            assignments.append(fixed[p])
            continue
        left = seconds - (time.monotonic() - started)
        roster = place(view, counts, max(0.3, left * sum(counts.values()) / total), params, stop)
        if roster is None:
            log.debug("first roster: pool %s has no quick roster", view.pool_name)
            return None
        assignments.append(roster)
    log.debug("first roster: %d agents, %d short agent-slots, %.2f s",
              sum(len(a) for a in assignments), cover.short, time.monotonic() - started)
    return assignments, cover


def quick_headcount_bound(inst: Instance) -> int | None:
    """A valid lower bound on the headcount, in milliseconds rather than the LP's
    seconds: an agent is on duty at most once in a slot, and in any 7 days at most
    min(k x the longest on-duty time of a shift, the weekly paid maximum), on-duty time
    being paid time less breaks. None with several pools (they differ in both) or queues
    split (a person may be worth more than one agent)."""
    pools = inst.pool_views()
    if len(pools) > 1 or inst.scenario.splits_queues:
        return None
    required = np.array(inst.required, dtype=np.int64)
    if not len(required) or required.max() <= 0:
        return 0
    on_duty = max((len(o.on_duty_slots(inst.slot)) for o in inst.options), default=0)
    if on_duty == 0:
        return None
    per_week = inst.rules.max_days_per_week * on_duty  # slots on duty in any 7 days
    weekly = inst.max_weekly_paid_minutes(7)
    if weekly is not None:
        per_week = min(per_week, weekly // inst.slot)
    window = 7 * inst.slots_per_day
    if len(required) >= window:
        doubled = np.concatenate([required, required]) if inst.cyclic else required
        sums = np.convolve(doubled, np.ones(window, dtype=np.int64), mode="valid")
        if inst.cyclic:
            sums = sums[:len(required)]
        week_bound = math.ceil(int(sums.max()) / per_week)
    else:
        week_bound = 0
    return max(int(required.max()), week_bound)
