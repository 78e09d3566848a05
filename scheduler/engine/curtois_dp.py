"""Dynamic-programming pricer for one employee of a Curtois and Qu (2014) instance.

Column generation and the best responses (scheduler.engine.curtois_columns,
scheduler.engine.curtois_greedy) need, many times over, one employee's roster of least
cost for given per-cell prices: cost(roster) = requests missed or broken - sum of the
prices of the cells worked. A CP-SAT model per employee takes 20 ms to seconds for that;
this pricer solves it as a shortest path over the days (a resource-constrained shortest
path, label-setting with one array of labels per day, numpy over the states), 0.1 to 1
ms a day.

The state at the end of a day is

    (what was worked that day: off or a shift type,
     length of the current run of shifts (1..max) or of days off (1..min, capped),
     weekends worked so far (0..max weekends),
     minutes worked so far, in units of the gcd of the shift lengths (0..max minutes))

and, for the shift types whose cap can bind (smallest first, while the labels stay below
TRACK_LABELS), the count worked so far. That holds every hard rule exactly (days off,
cannot-follow, runs of shifts and of days off with the border exemptions of FORMAT.md,
weekends, total minutes, caps held in the state). The other caps are priced instead
(Lagrangian relaxation): the path is solved with a penalty per shift of a type, and the
penalties follow subgradient steps while a cap is broken (at most CAP_ROUNDS solves); the
rosters that keep every cap are returned. The best Lagrangian value bounds the least cost
from below (exactly when every cap is held), so a pricing round that finds nothing below
an employee's dual there proves there is no column to add for them.

Labels are kept per day so that the path is traced back from the best last state."""

from __future__ import annotations

import math

import numpy as np

from scheduler.datasets.curtois import CurtoisInstance

Column = frozenset[tuple[int, int]]

INF = math.inf

CAP_ROUNDS = 12
"""Solves with rising penalties on the broken caps before giving up (the caller then
falls back to the CP-SAT pricer)."""

TRACK_LABELS = 1_000_000
"""Caps are held in the state while the labels stay below this (beyond, a solve is slower
than the few priced rounds and the CP-SAT fallback it saves)."""

MAX_LABELS = 8_000_000
"""The pricer is built only when days x states stays below this (about 64 MB of labels);
beyond (the year-long instances with many weekends and minutes) the CP-SAT pricer is
used."""


def dp_size(inst: CurtoisInstance, e: int) -> int:
    """Labels (days x states per day) the pricer of employee e would keep."""
    return inst.days * _Shape(inst, e).states


class _Shape:
    """The employee's state space: allowed shift types, run lengths, weekend and minute
    ranges."""

    def __init__(self, inst: CurtoisInstance, e: int) -> None:
        p = inst.staff[e]
        caps = dict(p.max_shifts)
        self.types = [s for s, sh in enumerate(inst.shifts) if caps[sh.id] > 0]
        lengths = [inst.shifts[s].length_minutes for s in self.types]
        self.unit = math.gcd(*lengths) if lengths else 1
        self.lengths = [length // self.unit for length in lengths]
        self.max_units = p.max_total_minutes // self.unit
        self.min_units = -(-p.min_total_minutes // self.unit)
        self.max_run = max(1, p.max_consecutive_shifts)
        self.min_run = p.min_consecutive_shifts
        self.off_cap = max(1, p.min_consecutive_days_off)
        self.runs = max(self.max_run, self.off_cap)
        weekends = len(inst.weekends)
        self.track_weekends = p.max_weekends < weekends
        self.weekends = p.max_weekends + 1 if self.track_weekends else 1
        self.states = (len(self.types) + 1) * self.runs * self.weekends * (self.max_units + 1)
        # caps held exactly in the state: those that can bind, smallest first, while the
        # labels stay within TRACK_LABELS; the others are priced
        open_days = inst.days - len(p.days_off)
        most = min(open_days, self.max_units // min(self.lengths)) if self.lengths else 0
        self.tracked: list[int] = []  # indexes into self.types
        self.strides: list[int] = []
        self.counts = 1
        binding = sorted((caps[inst.shifts[s].id], j) for j, s in enumerate(self.types)
                         if caps[inst.shifts[s].id] < most)
        for cap, j in binding:
            if inst.days * self.states * self.counts * (cap + 1) > min(TRACK_LABELS,
                                                                          MAX_LABELS):
                break
            self.tracked.append(j)
            self.strides.append(self.counts)
            self.counts *= cap + 1
        self.states *= self.counts


class DpPricer:
    """Least-cost rosters of employee e for per-cell prices, by dynamic programming.

    `cost(col)` is the request penalty of a roster (as the CP-SAT pricer's); `solve`
    returns rosters that satisfy every hard rule of the employee, best first."""

    def __init__(self, inst: CurtoisInstance, e: int) -> None:
        self.inst = inst
        person = inst.staff[e]
        self.shape = sh = _Shape(inst, e)
        shift = {s.id: i for i, s in enumerate(inst.shifts)}
        self.request_cost: dict[tuple[int, int], int] = {}
        self.on_total = 0
        for r in inst.on_requests:
            if r.employee == person.id:
                key = (r.day, shift[r.shift])
                self.request_cost[key] = self.request_cost.get(key, 0) - r.weight
                self.on_total += r.weight
        for r in inst.off_requests:
            if r.employee == person.id:
                key = (r.day, shift[r.shift])
                self.request_cost[key] = self.request_cost.get(key, 0) + r.weight
        k = len(sh.types)
        self.caps = np.array([dict(person.max_shifts)[inst.shifts[s].id] for s in sh.types])
        self.days_off = person.days_off
        # request cost per (day, allowed type); inf on a fixed day off
        self.base = np.zeros((inst.days, k))
        for d in range(inst.days):
            if d in person.days_off:
                self.base[d, :] = INF
                continue
            for j, s in enumerate(sh.types):
                self.base[d, j] = self.request_cost.get((d, s), 0)
        # which allowed types may precede type j (cannot-follow), as index arrays
        after = [set(shift[t] for t in inst.shifts[s].cannot_follow) for s in sh.types]
        self.before: list[np.ndarray] = []
        for s in sh.types:
            ok = [i for i in range(k) if s not in after[i]]
            self.before.append(np.array(ok, dtype=np.int64))
        self.dims = (k + 1, sh.runs, sh.weekends, sh.counts, sh.max_units + 1)
        # a shift of a tracked type moves the count index by its stride (from the
        # indexes whose digit is below the cap)
        self.stride: dict[int, int] = {}
        self.moves: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        every = np.arange(sh.counts)
        for j, stride in zip(sh.tracked, sh.strides):
            cap = int(self.caps[j])
            src = every[(every // stride) % (cap + 1) < cap]
            self.stride[j] = stride
            self.moves[j] = (src, src + stride)
        self.last_bound: float | None = None
        """The last solve's best Lagrangian bound (the least cost with the caps priced,
        less the penalties of the caps): no roster of the employee costs less at those
        prices."""

    def cost(self, column: Column) -> int:
        """Request penalty of a roster (set of (day, shift) worked)."""
        return self.on_total + sum(self.request_cost.get(c, 0) for c in column)

    # ------------------------------------------------------------------ the path

    def _start(self) -> np.ndarray:
        sh = self.shape
        start = np.full(self.dims, INF)
        start[0, sh.off_cap - 1, 0, 0, 0] = 0.0  # before day 0: off, the run long enough
        return start

    def _forward(self, cell: np.ndarray) -> list[np.ndarray]:
        """Labels per day: arrays (1 + types, runs, weekends, counts, units) of least cost
        to be in that state at the end of the day (inf: unreachable). cell[d, j]: the cost
        of working allowed type j on day d."""
        sh = self.shape
        k = len(sh.types)
        shape = self.dims
        labels = []
        prev = self._start()
        for d in range(self.inst.days):
            sunday = sh.track_weekends and d % 7 == 6
            new = np.full(shape, INF)
            # off today
            off = prev[0]
            if sh.off_cap > 1:
                new[0, 1:sh.off_cap - 1] = off[0:sh.off_cap - 2]
                new[0, sh.off_cap - 1] = np.minimum(off[sh.off_cap - 2], off[sh.off_cap - 1])
            else:
                new[0, 0] = off[0]
            if k:
                # a run of shifts may end when long enough or when it started on day 0
                ends = [r for r in range(sh.max_run) if r + 1 >= sh.min_run or r + 1 == d]
                if ends:
                    worked = prev[1:, ends].min(axis=(0, 1))  # (weekends, counts, units)
                    if sunday:
                        worked = _shift_weekend(worked)
                    new[0, 0] = np.minimum(new[0, 0], worked)
            # a shift today
            rested = prev[0, sh.off_cap - 1]  # (weekends, counts, units)
            for j in range(k):
                c = cell[d, j]
                if c == INF:
                    continue
                into = np.full(shape[1:], INF)
                into[0] = rested
                if sh.max_run > 1:
                    ok = self.before[j]
                    if len(ok):
                        into[1:sh.max_run] = prev[1 + ok, :sh.max_run - 1].min(axis=0)
                if sunday:
                    into = _shift_weekend(into)
                moved = np.full(shape[1:], INF)
                length = sh.lengths[j]
                if j in self.moves:
                    src, dst = self.moves[j]
                    if length < shape[4]:
                        moved[:, :, dst, length:] = into[:, :, src, :shape[4] - length]
                elif length < shape[4]:
                    moved[..., length:] = into[..., :shape[4] - length]
                new[1 + j] = moved + c
            labels.append(new)
            prev = new
        return labels

    def _trace(self, labels: list[np.ndarray], cell: np.ndarray, state: tuple) -> Column:
        """The roster leading to `state` (an index into the last day's labels)."""
        sh = self.shape
        k = len(sh.types)
        start = self._start()
        worked: list[tuple[int, int]] = []
        kind, r, w, n, m = state
        for d in range(self.inst.days - 1, -1, -1):
            prev = labels[d - 1] if d > 0 else start
            sunday = sh.track_weekends and d % 7 == 6
            cands: list[tuple[float, tuple]] = []
            if kind == 0:
                if r > 0:
                    cands.append((prev[0, r - 1, w, n, m], (0, r - 1, w, n, m)))
                if r == sh.off_cap - 1:
                    cands.append((prev[0, r, w, n, m], (0, r, w, n, m)))
                if r == 0 and k:
                    wp = w - 1 if sunday else w
                    if wp >= 0:
                        for q in range(sh.max_run):
                            if q + 1 >= sh.min_run or q + 1 == d:
                                for i in range(k):
                                    cands.append((prev[1 + i, q, wp, n, m],
                                                  (1 + i, q, wp, n, m)))
            else:
                j = kind - 1
                worked.append((d, sh.types[j]))
                wp = w - 1 if sunday else w
                mp = m - sh.lengths[j]
                np_ = n - self.stride.get(j, 0)
                if wp >= 0 and mp >= 0 and np_ >= 0:
                    if r == 0:
                        cands.append((prev[0, sh.off_cap - 1, wp, np_, mp],
                                      (0, sh.off_cap - 1, wp, np_, mp)))
                    else:
                        for i in self.before[j]:
                            cands.append((prev[1 + i, r - 1, wp, np_, mp],
                                          (1 + i, r - 1, wp, np_, mp)))
            if not cands:
                raise AssertionError("no predecessor on the least-cost path")
            value, best = min(cands, key=lambda c: c[0])
            if value == INF:
                raise AssertionError("no predecessor on the least-cost path")
            kind, r, w, n, m = best
        return frozenset(worked)

    def _paths(self, cell: np.ndarray, count: int) -> tuple[list[Column], float]:
        """Up to `count` least-cost rosters ending in different states, and the least
        cost (inf when none)."""
        sh = self.shape
        labels = self._forward(cell)
        last = labels[-1].copy()
        last[..., :sh.min_units] = INF
        flat = last.ravel()
        order = np.argsort(flat, kind="stable")[:count]
        out = []
        best = float(flat[order[0]]) if len(order) else INF
        for idx in order:
            if flat[idx] == INF:
                break
            out.append(self._trace(labels, cell, np.unravel_index(idx, last.shape)))
        return out, best

    def solve(self, duals: dict[tuple[int, int], float], count: int = 3) -> list[Column]:
        """Rosters of least cost(col) - sum of `duals` over the cells worked that keep
        every hard rule, best first (empty when the caps could not be met by pricing)."""
        sh = self.shape
        k = len(sh.types)
        cell = self.base.copy()
        for j, s in enumerate(sh.types):
            for d in range(self.inst.days):
                price = duals.get((d, s))
                if price and cell[d, j] != INF:
                    cell[d, j] -= price
        penalty = np.zeros(k)
        found: dict[Column, float] = {}
        self.last_bound = None
        lower = -INF  # best Lagrangian bound
        scale = max(1.0, float(np.abs(cell[cell != INF]).mean())) if k else 1.0
        for round_ in range(CAP_ROUNDS):
            paths, best = self._paths(cell + penalty, count)
            if not paths:
                break
            for col in paths:
                if self._within_caps(col):
                    found[col] = self._value(col, cell)
            counts = self._counts(paths[0])
            lower = max(lower, best - float(penalty @ self.caps))
            self.last_bound = lower + self.on_total  # the labels leave out the constant
            if not self._over(paths[0]):
                break  # the relaxed path keeps the caps: nothing better under these penalties
            upper = min(found.values()) if found else lower + max(scale, 0.05 * abs(lower))
            if upper - lower <= 1e-6:
                break
            # subgradient step (Polyak) on the caps' penalties
            g = (counts - self.caps).astype(float)
            g[(g < 0) & (penalty <= 0)] = 0.0
            norm = float(g @ g)
            if norm == 0:
                break
            penalty = np.maximum(0.0, penalty + (upper - lower) / norm * g)
        return sorted(found, key=found.get)[:count]

    def _value(self, col: Column, cell: np.ndarray) -> float:
        index = {s: j for j, s in enumerate(self.shape.types)}
        return float(sum(cell[d, index[s]] for d, s in col))

    def _counts(self, col: Column) -> np.ndarray:
        index = {s: j for j, s in enumerate(self.shape.types)}
        counts = np.zeros(len(self.shape.types), dtype=np.int64)
        for _, s in col:
            counts[index[s]] += 1
        return counts

    def _within_caps(self, col: Column) -> bool:
        return bool((self._counts(col) <= self.caps).all())

    def _over(self, col: Column) -> list[int]:
        return [j for j, c in enumerate(self._counts(col)) if c > self.caps[j]]


def _shift_weekend(a: np.ndarray) -> np.ndarray:
    """One more weekend worked: labels move up one along the weekend axis (the third
    from last); those past the maximum are dropped."""
    out = np.full_like(a, INF)
    out[..., 1:, :, :] = a[..., :-1, :, :]
    return out
