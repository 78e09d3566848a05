"""Best-response search for the Curtois and Qu (2014) instances: a start that needs no
column generation, for the instances where that is too slow (long horizons, many staff).

Every hard rule binds one employee alone and cover is soft, so a roster is feasible as
soon as each employee's row is. Given everyone else's rows, an employee's best row is a
pricing problem with exact prices: working shift s on day d changes the cover penalty by
-wu while the others leave that cell short, else by +wo. One CP-SAT model per employee
(scheduler.engine.curtois_columns._Pricer: the same rule functions on a one-person
instance) finds it. The first pass builds the roster employee by employee, each taking the
best row given those before; later passes let each employee in turn replace their row by a
better response, hinted with the current one, so the objective never rises."""

from __future__ import annotations

import random
import time

from scheduler.datasets.curtois import CurtoisInstance, Roster
from scheduler.engine.curtois_columns import _integer_master, _Pricer, _row

Column = frozenset[tuple[int, int]]

FIRST_WORKERS = 8
"""CP-SAT workers for an employee's first row when the best-response search found none:
more portfolio workers (several feasibility-jump and local-search ones among them) find a
feasible year far sooner, even time-shared on 2 cores."""


class BestResponse:
    """The rows of a roster as columns (sets of (day, shift index) worked) and the cover
    counts they give; `respond` improves one employee's row."""

    def __init__(self, inst: CurtoisInstance, seed: int = 0, workers: int = 2) -> None:
        self.inst = inst
        self.workers = workers
        self.rng = random.Random(seed)
        self.shift = {s.id: i for i, s in enumerate(inst.shifts)}
        self.cover = {(c.day, self.shift[c.shift]): c for c in inst.cover}
        self.pricers: dict[int, _Pricer] = {}
        self.rows: list[Column | None] = [None] * len(inst.staff)
        self.count: dict[tuple[int, int], int] = {}
        self.pool: dict[tuple[int, Column], None] = {}
        """Every row seen (employee, column), in order: the integer master's columns."""

    def pricer(self, e: int) -> _Pricer:
        if e not in self.pricers:
            self.pricers[e] = _Pricer(self.inst, e)
        return self.pricers[e]

    def load(self, roster: Roster) -> None:
        for e, person in enumerate(self.inst.staff):
            self._set(e, frozenset((d, self.shift[sid]) for d, sid in
                                   enumerate(roster[person.id]) if sid is not None))

    def _set(self, e: int, col: Column | None) -> None:
        if col is not None:
            self.pool[e, col] = None
        for c in self.rows[e] or ():
            self.count[c] -= 1
        for c in col or ():
            self.count[c] = self.count.get(c, 0) + 1
        self.rows[e] = col

    def prices(self, e: int) -> dict[tuple[int, int], float]:
        """What employee e saves by working each covered cell, the others' rows given."""
        own = self.rows[e] or frozenset()
        out = {}
        for cell, c in self.cover.items():
            others = self.count.get(cell, 0) - (cell in own)
            out[cell] = float(c.weight_under if others < c.requirement else -c.weight_over)
        return out

    def value(self, e: int, col: Column, prices: dict[tuple[int, int], float]) -> float:
        """Employee e's share of the objective with row `col` (requests less savings)."""
        return self.pricer(e).cost(col) - sum(prices.get(c, 0.0) for c in col)

    def respond(self, e: int, seconds: float, first: bool = False) -> bool:
        """Give employee e their best row (within `seconds`); True when it changed; False
        when no row was found. With `first`, the first row found for the hard rules alone
        (no objective), by FIRST_WORKERS CP-SAT workers (employee 6 of Instance22: none in 30 s when optimising with 2 workers,
        10-20 s or none in 20 s stopping at the first with 2 or 4, under 1.1 s with 8)."""
        prices = self.prices(e)
        current = self.rows[e]
        found = self.pricer(e).solve(prices, seconds, self.rng.randrange(1 << 20),
                                     first=first, hint=current, plain=first,
                                     workers=FIRST_WORKERS if first else self.workers)
        if not found:
            return False
        for col in found:
            self.pool[e, col] = None
        best = min(found, key=lambda col: self.value(e, col, prices))
        if current is not None and self.value(e, best, prices) >= self.value(e, current,
                                                                             prices) - 1e-9:
            return False
        self._set(e, best)
        return True

    def objective(self) -> int:
        """The instance's objective of the current rows (all rows must be set)."""
        total = sum(self.pricer(e).cost(col) for e, col in enumerate(self.rows))
        for cell, c in self.cover.items():
            n = self.count.get(cell, 0)
            total += c.weight_under * max(0, c.requirement - n) + \
                c.weight_over * max(0, n - c.requirement)
        return total

    def master(self, deadline: float, seconds: float, seed: int = 0) -> bool:
        """CP-SAT chooses one row per employee among all rows seen (hinted with the
        current ones) for at most `seconds`; True when that improved the roster."""
        current = self.roster()
        if current is None:
            return False
        before = self.objective()
        columns = list(self.pool)
        pricers = [self.pricer(e) for e in range(len(self.inst.staff))]
        chosen = _integer_master(self.inst, pricers, columns, current, deadline, seconds,
                                 seed, self.workers)
        if chosen is None:
            return False
        rows = list(self.rows)
        self.load(chosen)
        if self.objective() < before:
            return True
        for e, col in enumerate(rows):
            self._set(e, col)
        return False

    def roster(self) -> Roster | None:
        if any(col is None for col in self.rows):
            return None
        return {p.id: _row(self.inst, col) for p, col in zip(self.inst.staff, self.rows)}


def best_response(inst: CurtoisInstance, deadline: float, start: Roster | None = None,
                  seed: int = 0, workers: int = 2, price_seconds: float = 2.0,
                  first_seconds: float = 30.0, rounds: int | None = None,
                  state: BestResponse | None = None) -> Roster | None:
    """A roster built (without `start`) and then improved by best responses, employee by
    employee in a shuffled order, until `deadline` (time.monotonic()), `rounds` full
    passes or a pass that changes nothing. None only when some employee got no first row
    (none exists, or none was found in time). The returned roster is never worse than
    `start`."""
    br = state or BestResponse(inst, seed, workers)
    if start is not None:
        br.load(start)
    n = len(inst.staff)
    order = list(range(n))
    for e in order:
        if br.rows[e] is not None:
            continue
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        if not br.respond(e, min(left, price_seconds)):  # no row yet: search longer
            left = deadline - time.monotonic()
            if left <= 0 or not br.respond(e, min(left, first_seconds), first=True):
                return None
    passes = 0
    while rounds is None or passes < rounds:
        br.rng.shuffle(order)
        changed = False
        for e in order:
            left = deadline - time.monotonic()
            if left <= 0.05:
                return br.roster()
            changed |= br.respond(e, min(left, price_seconds))
        passes += 1
        if not changed:
            break
    return br.roster()
