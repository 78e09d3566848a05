"""Working-day patterns for a cyclic horizon, by column generation.

On a cyclic horizon every agent's pattern must wrap onto itself: the days it works at the
end of the horizon are the days before its start. A day flow (patterns.py) can reach the
fewest agents and still admit no split into such paths: on four cyclic weeks at peak 200
the flow needs 505 agents and no split of it wraps, so 5 more took the broken days.

Here the patterns are the columns of a linear master:

    minimise   sum_p x_p                          (agents)
    subject to sum_p works_p(d) x_p >= need(d)    every day d
               sum_p both_p(d) x_p <= cap(d)      pairs of days (d, d + 1) with a cap
               x_p >= 0

(When the fewest agents are known, a second phase prefers, among them, patterns that work
fewer pairs of capped days.) A pattern p is priced by a shortest path over (start state, state) per day: the state is
the agent's last few working days (the day rules' automaton); a path may only end in the
state it started from, so every pattern it returns wraps. Columns are added while some
pattern has a negative reduced cost; the converged value, rounded up, bounds the agents
for this `need`. The integer solution comes from a dive: columns at one or more are fixed
at their whole part, or else the largest fractions are rounded up, and the master is
re-priced (at most DIVE_ROUNDS rounds per step), until it is whole. (A MIP over the
columns found, from the dive's solution, never improved it in 5 s on the cases measured:
four weeks whose dive ended one agent above the bound.)

A day's row asks for at least its need: patterns working more agents than a day needs
are trimmed afterwards (a working day dropped never breaks the day rules), so the
patterns returned meet each day exactly. With equalities every column rounded up had to
fit the need left and the dive, re-priced to convergence after each step, slowed to
minutes on 13 weeks (about 150 pricing rounds per step at 0.1 s a round, and it stalled
with 2-3 agents left); with at least the need, any column may be rounded up and the
master stays feasible however few rounds are priced.
"""

from __future__ import annotations

import logging
import math
import time
from typing import Callable

import highspy
import numpy as np

from scheduler.engine.highs import _quiet_highs
from scheduler.engine.stopping import StopSignal

log = logging.getLogger(__name__)

Bits = tuple[int, ...]
MAX_STATES = 128
"""Above this many automaton states the pricing's (start, state) table grows too big."""
COLUMNS_PER_ROUND = 30
"""New columns added per pricing round (the most negative first)."""
SPREAD_ROUNDS = 30
"""Pricing rounds of the second phase before each dive. The shifts' placement needed no
more of them: 13 cyclic weeks at peak 200 (bound 505, the need of a 505-agent plan),
with at most 30 rounds, 506 agents placed after 2 rounds of cap lowering in 43 s; with
100, 511 in 90 s (each dive started from 250-300 rounds of pricing, 20 s)."""
DIVE_ROUNDS = 5
"""Pricing rounds after each step of the dive (the same case: 507 agents in 70 s with 5,
with 20 the second dive did not end in 90 s)."""
EPS = 1e-6
CEIL_AT = 0.5
"""When no column is at one or more, the first dive rounds up the largest fraction and
every other one at least this large that still fits the need left; when it ends above the
bound, a second dive rounds up one column at a time."""
AGENT_WEIGHT = 1000.0
"""Second phase: an agent weighs this many agent-pairs on capped days (far more than a
pattern can have), so the fewest agents still come first."""


class _Network:
    """The day rules' automaton as arrays. Arc a leads from state `source[a]` to state
    `target[a]` working `works[a]` that day; `last_worked[a]`: its source state's last day
    was worked. The arcs into each state are laid out in `into` (state x slot, -1 for
    none), so one day of the shortest path is a few whole-array steps."""

    def __init__(self, step: Callable, states: list[tuple[int, ...]]):
        index = {s: i for i, s in enumerate(states)}
        self.size = len(states)
        arcs = [(i, index[t], work) for i, s in enumerate(states) for work in (0, 1)
                if (t := step(s, work)) is not None]
        self.source = np.array([a[0] for a in arcs], dtype=np.int64)
        self.target = np.array([a[1] for a in arcs], dtype=np.int64)
        self.works = np.array([a[2] for a in arcs], dtype=np.int64)
        self.last_worked = np.array([1 if states[a[0]] and states[a[0]][-1] else 0
                                     for a in arcs], dtype=np.int64)
        slots: list[list[int]] = [[] for _ in states]
        for a, (_, t, _) in enumerate(arcs):
            slots[t].append(a)
        width = max((len(x) for x in slots), default=0)
        self.into = np.full((self.size, width), -1, dtype=np.int64)
        for t, x in enumerate(slots):
            self.into[t, : len(x)] = x


def _price(net: _Network, day_duals: np.ndarray, pair_duals: dict[int, float],
           agent_cost: float, pair_cost: float) -> list[tuple[float, Bits]]:
    """For each start state, the wrapping pattern of least reduced cost, when negative.
    `pair_duals[j]` belongs to the cap on day j and the next (day n-1 pairs with day 0); a
    pattern costs `agent_cost` plus `pair_cost` per pair of capped days it works."""
    n, size = len(day_duals), net.size
    cost = np.full((size, size), np.inf)
    np.fill_diagonal(cost, 0.0)  # cost[start, state]
    missing = net.into < 0
    into = np.where(missing, 0, net.into)
    came_by = []  # per day: the arc into each (start, state)
    for i in range(n):
        arc_cost = -day_duals[i] * net.works
        if (i - 1) % n in pair_duals:
            both = net.works * net.last_worked
            arc_cost = arc_cost + both * (pair_cost - pair_duals[(i - 1) % n])
        # value[start, state, slot] of reaching `state` by its slot-th arc
        value = cost[:, net.source[into]] + arc_cost[into]
        value[:, missing] = np.inf
        choice = np.argmin(value, axis=2)
        cost = np.take_along_axis(value, choice[:, :, None], axis=2)[:, :, 0]
        came_by.append(into[np.arange(size)[None, :], choice])
    found = []
    for start in range(size):
        reduced = agent_cost + cost[start, start]
        if reduced < -EPS * agent_cost:
            bits, state = [], start
            for i in range(n - 1, -1, -1):
                arc = came_by[i][start, state]
                bits.append(int(net.works[arc]))
                state = int(net.source[arc])
            found.append((reduced, tuple(reversed(bits))))
    return found


class _Master:
    """The restricted master LP in HiGHS (rows: each day's need, then each pair cap).
    First its columns cost 1 (agents); after `spread`, AGENT_WEIGHT plus the pairs of
    capped days they work, so that among the fewest agents the caps keep some slack (the
    shifts' rest rules are tighter than a cap on a pair of days can say)."""

    def __init__(self, need: list[int], caps: dict[int, int]):
        self.n = len(need)
        self.need = need
        self.caps = caps
        self.agent_cost, self.pair_cost = 1.0, 0.0
        self.h = _quiet_highs()
        self.h.setOptionValue("threads", 1)
        # primal simplex: columns added keep the basis primal feasible (on 13 weeks a
        # re-solve takes a third of the time of HiGHS's default choice)
        self.h.setOptionValue("simplex_strategy", 4)
        self.columns: list[Bits] = []
        self.known: set[Bits] = set()
        empty_i, empty_v = np.array([], dtype=np.int32), np.array([], dtype=float)
        for d in range(self.n):
            self.h.addRow(float(need[d]), highspy.kHighsInf, 0, empty_i, empty_v)
        self.cap_row = {}
        for j in sorted(caps):
            self.cap_row[j] = self.h.getNumRow()
            self.h.addRow(-highspy.kHighsInf, float(caps[j]), 0, empty_i, empty_v)

    def _capped_pairs(self, bits: Bits) -> list[int]:
        return [j for j in self.cap_row if bits[j] and bits[(j + 1) % self.n]]

    def _cost(self, bits: Bits) -> float:
        return self.agent_cost + self.pair_cost * len(self._capped_pairs(bits))

    def add(self, bits: Bits) -> bool:
        if bits in self.known:
            return False
        rows = [d for d in range(self.n) if bits[d]]
        rows += [self.cap_row[j] for j in self._capped_pairs(bits)]
        self.h.addCol(self._cost(bits), 0.0, highspy.kHighsInf, len(rows),
                      np.array(rows, dtype=np.int32), np.ones(len(rows)))
        self.columns.append(bits)
        self.known.add(bits)
        return True

    def spread(self) -> None:
        self.agent_cost, self.pair_cost = AGENT_WEIGHT, 1.0
        m = len(self.columns)
        self.h.changeColsCost(m, np.arange(m, dtype=np.int32),
                              np.array([self._cost(bits) for bits in self.columns]))

    def solve(self) -> tuple[float, np.ndarray, np.ndarray, dict[int, float]] | None:
        self.h.run()
        if self.h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        solution = self.h.getSolution()
        duals = np.asarray(solution.row_dual)
        x = np.asarray(solution.col_value)
        pair = {j: float(duals[r]) for j, r in self.cap_row.items()}
        return self.h.getInfo().objective_function_value, x, duals[: self.n], pair

    def price(self, net: _Network, solved) -> list[tuple[float, Bits]]:
        return _price(net, solved[2], solved[3], self.agent_cost, self.pair_cost)

    def free(self) -> None:
        """Every column's lower bound back to zero (a new dive)."""
        m = len(self.columns)
        self.h.changeColsBounds(m, np.arange(m, dtype=np.int32), np.zeros(m),
                                np.full(m, highspy.kHighsInf))

    def set_lower(self, j: int, value: float) -> None:
        self.h.changeColBounds(j, value, highspy.kHighsInf)

    def caps_left(self, lower: np.ndarray) -> dict[int, float]:
        """Each pair's cap left over by columns at `lower`."""
        both = {j: 0.0 for j in self.caps}
        for bits, count in zip(self.columns, lower):
            if count:
                for j in self._capped_pairs(bits):
                    both[j] += count
        return {j: self.caps[j] - both[j] for j in self.caps}


def cyclic_patterns(step: Callable, states: list[tuple[int, ...]], need: list[int],
                    caps: dict[int, int], deadline: float, stop: StopSignal | None = None,
                    ) -> tuple[list[list[int]], int] | None:
    """Working-day patterns (one 0/1 list per agent) that each wrap onto themselves and
    together work exactly `need[d]` agents on day d, at most `caps[j]` of them on both
    day j and day j + 1 (mod the horizon); and the lower bound on agents for this need
    (the master's relaxation rounded up). None when the automaton is too big, time runs
    out before a whole solution, or the needs cannot be met."""
    if len(states) > MAX_STATES or not need:
        return None
    started = time.monotonic()
    net = _Network(step, states)
    master = _Master(need, caps)
    n = len(need)
    for d in range(n):  # single days: the master is feasible whatever is fixed
        master.add(tuple(1 if e == d else 0 for e in range(n)))

    def out_of_time() -> bool:
        return time.monotonic() > deadline or (stop is not None and stop.is_set())

    def converge(rounds: int | None = None):
        """The master solved after pricing until no column is added (or `rounds`)."""
        done = 0
        while True:
            solved = master.solve()
            if solved is None or out_of_time() or (rounds is not None and done >= rounds):
                return solved
            found = master.price(net, solved)
            added = sum(master.add(bits) for _, bits in sorted(found)[:COLUMNS_PER_ROUND])
            if not added:
                return solved
            done += 1

    solved = converge()
    if solved is None or out_of_time():
        return None
    bound = math.ceil(solved[0] - EPS)
    log.debug("cyclic columns: relaxation %.2f (%d columns) in %.1f s", solved[0],
              len(master.columns), time.monotonic() - started)
    master.spread()
    best = None
    for ceil_at in (CEIL_AT, 1.0):  # the second, slower dive rounds one column at a time
        master.free()
        solved = converge(SPREAD_ROUNDS)
        if solved is None or out_of_time():
            break
        lower = _dive(master, solved, lambda: converge(DIVE_ROUNDS), out_of_time, ceil_at)
        if lower is not None and (best is None or lower.sum() < best.sum()):
            best = lower
        log.debug("cyclic columns: dive %s agents (bound %d) in %.1f s",
                  None if lower is None else int(lower.sum()), bound,
                  time.monotonic() - started)
        if best is not None and best.sum() <= bound:
            break
    if best is None:
        return None
    patterns = [list(bits) for bits, count in zip(master.columns, best) for _ in range(int(count))]
    return trim(patterns, need, caps), bound


def trim(patterns: list[list[int]], need: list[int], caps: dict[int, int]) -> list[list[int]]:
    """The patterns with days worked by more agents than the day needs dropped, so that
    each day is worked by exactly its need (a day dropped never breaks the day rules): on
    a day with too many, the patterns that work the most capped pairs through it lose it
    first, then the ones working fewest days (a pattern left with none is no agent)."""
    n = len(need)
    worked = np.array(patterns, dtype=np.int64).reshape(len(patterns), n)
    for d in range(n):
        extra = int(worked[:, d].sum()) - need[d]
        if extra <= 0:
            continue
        pairs = np.zeros(len(worked), dtype=np.int64)
        for j, e in (((d - 1) % n, (d - 1) % n), (d, (d + 1) % n)):
            if j in caps:
                pairs += worked[:, e]
        who = np.nonzero(worked[:, d])[0]
        order = sorted(who, key=lambda a: (-pairs[a], worked[a].sum()))
        worked[order[:extra], d] = 0
    return [list(map(int, row)) for row in worked if row.any()]


def _dive(master: _Master, solved, converge, out_of_time, ceil_at: float
          ) -> np.ndarray | None:
    """Fix columns until the master's solution is whole: each column at its whole part
    when one has any, else the largest fraction rounded up, and every other one of at
    least `ceil_at`, where they fit the caps left."""
    lower = np.zeros(len(master.columns))
    while True:
        x = solved[1]
        lower = np.concatenate([lower, np.zeros(len(x) - len(lower))])
        if np.all(np.abs(x - np.round(x)) < EPS):
            return np.round(x)
        log.debug("cyclic columns: dive at %d agents fixed, %.2f in all", lower.sum(), x.sum())
        raised = False
        for j, v in enumerate(x):
            whole = math.floor(v + EPS)
            if whole > lower[j]:
                lower[j] = whole
                master.set_lower(j, whole)
                raised = True
        if not raised:
            caps_left = master.caps_left(lower)
            fraction = x - np.floor(x + EPS)
            ceiled = 0
            for j in np.argsort(-fraction):
                if fraction[j] < EPS or (ceiled and fraction[j] < ceil_at):
                    break
                pairs = master._capped_pairs(master.columns[j])
                if all(caps_left[k] >= 1 - EPS for k in pairs):
                    lower[j] += 1
                    master.set_lower(j, lower[j])
                    ceiled += 1
                    for k in pairs:
                        caps_left[k] -= 1
            if not ceiled:
                return None
        if out_of_time():
            return None
        solved = converge()
        if solved is None:
            return None


def loosest_pair(patterns: list[list[int]], caps: dict[int, int], need: list[int]) -> int:
    """The day j whose pair (j, j + 1) has the most room under its cap (the fewest agents
    working both on a tie): placing the shifts starts after it, so the wrap, where a day's
    shifts are bound on both sides, falls where it binds least."""
    n = len(need)
    both = [sum(1 for bits in patterns if bits[j] and bits[(j + 1) % n]) for j in range(n)]
    room = [caps.get(j, min(need[j], need[(j + 1) % n])) - both[j] for j in range(n)]
    return max(range(n), key=lambda j: (room[j], -both[j]))
