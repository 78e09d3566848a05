"""Column generation for the Curtois and Qu (2014) instances: a strong start for the search.

The compact CP-SAT model (scheduler.engine.curtois) has a weak linear relaxation: its
bound sits far below the optimum. The classic remedy for rostering is to choose, per
employee, one whole roster ("column") out of many that each satisfy every hard rule of
that employee alone: the master problem

    min  sum_e sum_p cost_ep z_ep + sum_(d,s) (wu u_ds + wo o_ds)
    s.t. sum_p z_ep = 1                                   for every employee e
         sum_e sum_p a_epds z_ep - o_ds + u_ds = r_ds     for every cover line (d, s)

whose relaxation is tight on these instances. Its linear relaxation is solved with HiGHS;
new columns come per employee from a dynamic program over the days
(scheduler.engine.curtois_dp; `Pricer`), or from one small CP-SAT model (the same rule
functions on a one-person instance; `_Pricer`) where that does not fit or its priced caps
leave a gap, minimising the reduced cost. The integer master over the
columns found is then solved with CP-SAT, and its roster seeds the LNS of
scheduler.engine.curtois_search. All rosters are per-employee feasible by construction,
so any choice of one column per employee is a feasible roster."""

from __future__ import annotations

import dataclasses
import math
import random
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from scheduler.engine.sat import cp_model

from scheduler.datasets.curtois import CurtoisInstance, Roster
from scheduler.engine.curtois import HARD_RULES, CurtoisVars, add_variables
from scheduler.engine.curtois_dp import MAX_LABELS, DpPricer, dp_size
from scheduler.engine.curtois_polish import polish, roster_cost
from scheduler.engine.curtois_pool import DpPool
from scheduler.engine.highs import _quiet_highs

DIVE_ROUNDS = 3
"""Pricing rounds between two fixings of the dive (the relaxation need not converge)."""

DIVE_SURE = 0.99
"""The dive fixes every employee whose roster the relaxation chose (at least this share)
and, of the others, the DIVE_SHARE whose likeliest roster is likeliest (more when the
time left would not allow the dive to end at the pace of its last step)."""

DIVE_SHARE = 0.05
DIVE_MOST = 0.15

SMOOTHING = 0.5
"""Dual smoothing (Wentges): pricing uses this share of the duals that gave the best
Lagrangian bound so far, the rest the relaxation's current duals; when that finds no
column the current duals are priced alone before convergence is declared."""


DUAL_SCALE = 1000
"""Duals reach CP-SAT as integers in thousandths."""

STALL = 0.005
STALL_ROUNDS = 10
"""A relaxation whose value fell by less than STALL (relative) over the last STALL_ROUNDS
full rounds has stalled: past half the time to `dive_by` the dive starts unconverged."""

PARTIAL = 0.3
PARTIAL_STAFF = 30
PARTIAL_AGE = 4
"""Partial pricing (with `dive_late`: beyond 28 days), from PARTIAL_STAFF free employees
on: a round prices the PARTIAL share
of them whose last pricing found the most negative reduced cost, and every one not priced
for PARTIAL_AGE rounds; a round that adds nothing is followed by one over everybody
(only such a round may declare convergence or give a Lagrangian bound)."""


class _Pricer:
    """One employee's rules alone; solve() returns rosters of least reduced cost."""

    def __init__(self, inst: CurtoisInstance, e: int) -> None:
        person = inst.staff[e]
        alone = dataclasses.replace(
            inst, staff=(person,), cover=(),
            on_requests=tuple(r for r in inst.on_requests if r.employee == person.id),
            off_requests=tuple(r for r in inst.off_requests if r.employee == person.id))
        model = cp_model.CpModel()
        self.v: CurtoisVars = add_variables(model, alone)
        for rule in HARD_RULES:
            rule(self.v)
        shift = {s.id: i for i, s in enumerate(inst.shifts)}
        self.request_cost: dict[tuple[int, int], int] = {}
        for r in alone.on_requests:
            key = (r.day, shift[r.shift])
            self.request_cost[key] = self.request_cost.get(key, 0) - r.weight
        for r in alone.off_requests:
            key = (r.day, shift[r.shift])
            self.request_cost[key] = self.request_cost.get(key, 0) + r.weight
        self.on_total = sum(r.weight for r in alone.on_requests)
        self.cells = [(d, s) for (_, d, s) in self.v.x]

    def cost(self, column: frozenset[tuple[int, int]]) -> int:
        """Request penalty of a roster (set of (day, shift) worked)."""
        return self.on_total + sum(self.request_cost.get(c, 0) for c in column)

    def solve(self, duals: dict[tuple[int, int], float], seconds: float, seed: int,
              first: bool = False, hint: frozenset[tuple[int, int]] | None = None,
              workers: int = 1, plain: bool = False) -> list[frozenset[tuple[int, int]]]:
        """Rosters of least reduced cost (the last ones found); with `first`, the first
        roster found. `hint`: a roster to start from (then one no worse is found unless
        time runs out first); `workers`: CP-SAT workers (from 2 on, feasibility jump runs
        too, which finds a first roster of a year where one worker finds none in 30 s);
        `plain`: no objective (any roster; with `first`, the quickest to find)."""
        terms = []
        for (d, s) in self.cells:
            coef = round(DUAL_SCALE * (self.request_cost.get((d, s), 0) - duals.get((d, s), 0.0)))
            if coef:
                terms.append(coef * self.v.x[0, d, s])
        if plain:
            self.v.model.clear_objective()
        else:
            self.v.model.minimize(sum(terms))
        self.v.model.clear_hints()
        if hint is not None:
            for (_, d, s), x in self.v.x.items():
                self.v.model.add_hint(x, (d, s) in hint)
        found: list[frozenset[tuple[int, int]]] = []
        v = self.v

        class Keep(cp_model.CpSolverSolutionCallback):
            def on_solution_callback(cb) -> None:
                found.append(frozenset((d, s) for (_, d, s), x in v.x.items() if cb.value(x)))

        solver = cp_model.CpSolver()
        solver.parameters.num_workers = workers
        solver.parameters.max_time_in_seconds = seconds
        solver.parameters.random_seed = seed
        solver.parameters.stop_after_first_solution = first
        solver.solve(self.v.model, Keep())
        return found[-3:]


class Pricer:
    """An employee's pricing: the dynamic program (scheduler.engine.curtois_dp) when its
    labels fit, else (or when its priced caps leave a gap that matters, see `solve`) the
    CP-SAT model of _Pricer, built on first use."""

    def __init__(self, inst: CurtoisInstance, e: int, dp: bool = True) -> None:
        self.inst, self.e = inst, e
        self.dp = DpPricer(inst, e) if dp and dp_size(inst, e) <= MAX_LABELS else None
        self._cp: _Pricer | None = None
        self.bound: float | None = None
        """Lower bound on the least cost of the last solve (None when unknown)."""
        self.fallbacks = 0

    @property
    def cp(self) -> _Pricer:
        if self._cp is None:
            self._cp = _Pricer(self.inst, self.e)
        return self._cp

    def cost(self, column: frozenset[tuple[int, int]]) -> int:
        return self.dp.cost(column) if self.dp is not None else self.cp.cost(column)

    def value(self, col: frozenset[tuple[int, int]], duals: dict) -> float:
        return self.cost(col) - sum(duals.get(c, 0.0) for c in col)

    def solve(self, duals: dict[tuple[int, int], float], seconds: float, seed: int,
              first: bool = False, hint: frozenset[tuple[int, int]] | None = None,
              workers: int = 1, plain: bool = False, below: float | None = None,
              pre: tuple[list, float | None] | None = None
              ) -> list[frozenset[tuple[int, int]]]:
        """As _Pricer.solve (rosters, the best last). With the dynamic program: `plain`
        prices nothing (the least request penalty); when no roster it finds costs less
        than `below` although its bound says one might (the priced caps), CP-SAT searches
        for `seconds`, hinted with its best. `pre`: the dynamic program's rosters and bound
        already found for these duals (by a DpPool)."""
        self.bound = None
        if self.dp is None:
            return self.cp.solve(duals, seconds, seed, first=first, hint=hint,
                                 workers=workers, plain=plain)
        if pre is not None:
            found, self.bound = pre
        else:
            found = self.dp.solve({} if plain else duals)
            self.bound = self.dp.last_bound
        best = min((self.value(c, duals) for c in found), default=math.inf)
        if not found or (below is not None and not plain and best >= below - 1e-6
                         and self.bound is not None and self.bound < below - 1e-6):
            self.fallbacks += 1
            more = self.cp.solve(duals, seconds, seed, first=first or not found,
                                 hint=min(found, key=lambda c: self.value(c, duals))
                                 if found else hint, workers=workers, plain=plain)
            found = list(found) + more
        return sorted(found, key=lambda c: -self.value(c, duals))


@dataclasses.dataclass
class ColumnResult:
    roster: Roster | None
    lp_bound: float | None
    """Value of the master's relaxation when pricing found no new column (`converged`).
    A lower bound only if every pricing run finished within its limit, which is not
    checked yet."""
    converged: bool
    columns: int
    iterations: int
    dive_done: bool = False
    """Whether the dive (fix the columns the relaxation chooses, price again) reached a
    whole roster; the integer master is then hinted with it."""
    converged_seconds: float | None = None
    support: dict[tuple[int, int, int], float] | None = None
    """Without the dive: the last relaxation's solution as (employee, day, shift) -> the
    share of the employee's rosters that work that shift that day (cells left out: 0)."""


def column_generation(inst: CurtoisInstance, start: Roster | None, deadline: float,
                      ip_seconds: float,
                      seed: int = 0, workers: int = 2, price_seconds: float = 2.0,
                      dive_by: float | None = None, exact: bool = True,
                      processes: bool = True, dive_late: bool = False,
                      dive: bool = True, dive_seconds: float = 0.0) -> ColumnResult:
    """Columns from `start` (a feasible roster) and from pricing until `deadline`
    less `ip_seconds`; then the integer master for `ip_seconds`, hinted with `start`.
    Without `start`, each employee's first column is their own best roster for their
    requests alone (every employee's rules are theirs alone, so that is a roster).
    The dive starts only if the relaxation converged before `dive_by` (a time.monotonic()
    instant; default: any time); otherwise the integer master starts at once. `exact`:
    when pricing by dynamic programming finds nothing where its priced caps leave a gap,
    CP-SAT searches those employees before convergence is declared; without it, the
    relaxation's value is reported as a bound only when there was no such gap.
    `dive_late`: the dive starts unconverged at `dive_by` (or earlier when the relaxation
    stalls, see STALL). Any dive may run on into two thirds of the integer master's time.
    The dive's roster (or the rounded relaxation, or the start) is improved by best
    responses over the columns (scheduler.engine.curtois_polish) before it hints the
    integer master. `processes`: with two workers or more, the dynamic programs price in
    that many processes (scheduler.engine.curtois_pool). Without `dive`, column generation
    stops where the dive would start if the relaxation converged (else all goes on as with
    `dive`) and the result carries the relaxation's `support`
    (for scheduler.engine.curtois_rins) and the polished rounding as its roster (no
    integer master); with `dive_seconds` too, the dive runs from there for at most that
    long (the support is the relaxation's before it) and its roster, when it ends, is
    polished instead."""
    shift = {s.id: i for i, s in enumerate(inst.shifts)}
    n = len(inst.staff)
    pricers = [Pricer(inst, e) for e in range(n)]
    cover_rows = {(c.day, shift[c.shift]): i for i, c in enumerate(inst.cover)}
    h = _quiet_highs()
    h.setOptionValue("threads", 1)
    inf = 1e30
    # rows: convexity (0..n-1), cover (n..)
    for _ in range(n):
        h.addRow(1.0, 1.0, 0, np.array([], dtype=np.int32), np.array([], dtype=float))
    for c in inst.cover:
        h.addRow(float(c.requirement), float(c.requirement), 0, np.array([], dtype=np.int32),
                 np.array([], dtype=float))
    for i, c in enumerate(inst.cover):  # over (-1) and under (+1) per cover line
        h.addCol(float(c.weight_over), 0.0, inf, 1, np.array([n + i], dtype=np.int32),
                 np.array([-1.0]))
        h.addCol(float(c.weight_under), 0.0, inf, 1, np.array([n + i], dtype=np.int32),
                 np.array([1.0]))
    columns: list[tuple[int, frozenset[tuple[int, int]]]] = []
    seen: set[tuple[int, frozenset]] = set()

    def add(e: int, col: frozenset[tuple[int, int]]) -> bool:
        if (e, col) in seen:
            return False
        seen.add((e, col))
        rows = [e] + sorted(n + cover_rows[c] for c in col if c in cover_rows)
        h.addCol(float(pricers[e].cost(col)), 0.0, inf, len(rows), np.array(rows, dtype=np.int32),
                 np.ones(len(rows)))
        columns.append((e, col))
        return True

    def take(e: int, found: list[frozenset[tuple[int, int]]]) -> int:
        """The columns of `found` with negative reduced cost at the relaxation's current
        duals (pi, mu) added: how many were new."""
        return sum(1 for col in found if pricers[e].value(col, mu) - pi[e] < -1e-6
                   and add(e, col))

    pool = ThreadPoolExecutor(max_workers=max(1, workers))
    if start is None:
        firsts = list(pool.map(lambda ep: ep[1].solve({}, max(5.0, deadline - time.monotonic()),
                                                      seed + ep[0], first=True),
                               enumerate(pricers)))
        if any(not found for found in firsts):
            pool.shutdown(wait=True)
            return ColumnResult(None, None, False, 0, 0)
        start = {p.id: _row(inst, found[-1]) for p, found in zip(inst.staff, firsts)}
    for e, person in enumerate(inst.staff):
        add(e, frozenset((d, shift[sid]) for d, sid in enumerate(start[person.id])
                         if sid is not None))

    lp_deadline = deadline - ip_seconds
    dive_deadline = deadline - ip_seconds / 3
    """A dive may take two thirds of the integer master's time (hinted with the dive's
    roster, the master needs little)."""
    converged = False
    lp_value = None
    iterations = 0
    first_col = 2 * len(inst.cover)
    fixed: dict[int, int] = {}  # employee -> index in `columns` fixed by the dive
    dived: Roster | None = None
    rounds = 0
    last_x: list[float] = []
    free_x: list[float] = []  # the last relaxation's solution with nothing fixed
    support: dict[tuple[int, int, int], float] | None = None
    center: dict[tuple[int, int], float] | None = None  # duals of the best Lagrangian bound
    best_lagrangian = -float("inf")
    mispriced = False
    converged_at = None
    dive_step_at = None
    dives, dived_value, dive_began = 0, None, time.monotonic()
    rng = random.Random(seed)
    started = time.monotonic()
    age = [0] * n  # rounds since each employee was priced
    gain = [-math.inf] * n  # their reduced cost then
    need_full = False
    bounds_changed = False
    history: list[float] = []  # the relaxation's values, nothing fixed
    dp_pool = None
    if workers >= 2 and processes:
        dp_pool = DpPool(inst, [e for e in range(n) if pricers[e].dp is not None], workers)
    try:
        while time.monotonic() < (dive_deadline if fixed else lp_deadline):
            if support is not None and time.monotonic() >= dive_deadline:
                break  # the short dive's time is up
            # dual simplex after the dive fixed columns (the basis stays dual feasible),
            # primal after columns came (it stays primal feasible)
            h.setOptionValue("simplex_strategy", 1 if bounds_changed else 4)
            bounds_changed = False
            h.run()
            value = h.getInfo().objective_function_value
            solution = h.getSolution()
            last_x = list(solution.col_value)[first_col:]
            if not fixed:
                free_x = last_x
            dual = list(solution.row_dual)
            pi = dual[:n]
            mu = {c: dual[n + i] for c, i in cover_rows.items()}
            iterations += 1
            left = (dive_deadline if fixed else lp_deadline) - time.monotonic()
            if left <= 0.05:
                break
            limit = min(price_seconds, max(0.05, left))
            free = [e for e in range(n) if e not in fixed]
            smoothed = center is not None and not mispriced and not fixed
            price = ({c: SMOOTHING * center[c] + (1 - SMOOTHING) * mu[c] for c in mu}
                     if smoothed else mu)
            batch = free
            if dive_late and not fixed and not need_full and len(free) >= PARTIAL_STAFF:
                # partial pricing: the employees whose last pricing gained most, and
                # every one not priced for PARTIAL_AGE rounds
                batch = sorted(free, key=lambda e: (age[e] < PARTIAL_AGE, gain[e]))[
                    :max(PARTIAL_STAFF, math.ceil(PARTIAL * len(free)))]
            partial = len(batch) < len(free)
            pre = dp_pool.price(price, batch) if dp_pool is not None else {}
            futures = [(e, pool.submit(pricers[e].solve, price, limit,
                                       seed + iterations * n + e, pre=pre.get(e)))
                       for e in batch]
            added = 0
            lagrangian = sum(c.requirement * price[(c.day, shift[c.shift])] for c in inst.cover)
            for e in free:
                age[e] += 1
            for e, fut in futures:
                found = fut.result()
                age[e] = 0
                gain[e] = min((pricers[e].value(col, mu) - pi[e] for col in found),
                              default=0.0)
                if pricers[e].bound is not None:
                    lagrangian += pricers[e].bound
                elif found:
                    lagrangian += min(pricers[e].value(col, price) for col in found)
                added += take(e, found)
            need_full = partial and not added
            if need_full:
                continue  # no convergence, no bound from part of the staff
            if not added and not smoothed and not fixed and exact:
                # the dynamic program found nothing, but where its priced caps leave a gap
                # below the employee's dual, CP-SAT searches (hinted with its best)
                gaps = [e for e in free if pricers[e].bound is not None
                        and pricers[e].bound < pi[e] - 1e-6]
                futures = [(e, pool.submit(pricers[e].solve, price, limit,
                                           seed + iterations * n + e, below=pi[e],
                                           pre=pre.get(e)))
                           for e in gaps]
                for e, fut in futures:
                    added += take(e, fut.result())
            if not fixed and not partial and lagrangian > best_lagrangian:
                best_lagrangian, center = lagrangian, price
            mispriced = smoothed and not added
            if mispriced:
                continue
            rounds += 1
            if not fixed:
                history.append(value)
            # with dive_late, past dive_by or (past half the time to it) when the relaxation
            # has all but stopped moving, the dive starts unconverged (no bound then)
            now = time.monotonic()
            stalled = dive_late and not fixed and not converged and dive_by is not None and (
                now > dive_by or (len(history) > STALL_ROUNDS and now > (started + dive_by) / 2
                                  and history[-STALL_ROUNDS - 1] - value < STALL * abs(value)))
            if added and not stalled and (not fixed or rounds < DIVE_ROUNDS):
                continue
            rounds = 0
            if not fixed and not added and not converged:
                converged = True
                # a bound only when no employee's priced caps left a gap unsearched
                lp_value = value if exact or all(
                    pricers[e].bound is None or pricers[e].bound >= pi[e] - 1e-6
                    for e in free) else None
                converged_at = time.monotonic()
                if dive_by is not None and converged_at > dive_by:
                    break  # too late to dive: the integer master gets the time
            if not dive and converged and support is None:
                support = _support(columns, free_x)
                if dive_seconds <= 0:
                    break
                dive_deadline = min(dive_deadline, time.monotonic() + dive_seconds)
            # dive: fix the employees whose roster the relaxation (nearly) chose
            x = list(solution.col_value)[first_col:]
            best: dict[int, tuple[float, int]] = {}
            for j, (e, _) in enumerate(columns):
                if e not in fixed and j < len(x) and x[j] > best.get(e, (-1.0, -1))[0]:
                    best[e] = (x[j], j)
            if not best:
                dives += 1
                if dived_value is None or value < dived_value - 1e-6:
                    dived_value = value
                    dived = {inst.staff[e].id: _row(inst, columns[j][1])
                             for e, j in fixed.items()}
                if lp_value is not None and dived_value <= math.ceil(lp_value - 1e-6) + 1e-6:
                    break  # the dive reached the bound: optimal
                if dive_deadline - time.monotonic() < (time.monotonic() - dive_began) * 1.2:
                    break  # no time for another dive
                # dive again, with other choices, from the relaxation with nothing fixed
                for j in fixed.values():
                    h.changeColBounds(first_col + j, 0.0, inf)
                    bounds_changed = True
                fixed.clear()
                dive_began, dive_step_at = time.monotonic(), None
                continue
            if not fixed:
                dive_began = time.monotonic()
            noise = (lambda: 1.0) if not dives else (lambda: rng.uniform(0.5, 1.0))
            sure = [(e, j) for e, (val, j) in best.items() if val >= DIVE_SURE]
            rest = sorted(((val * noise(), e, j) for e, (val, j) in best.items()
                           if val < DIVE_SURE), reverse=True)
            # fix enough of the rest that the dive ends in time, at the pace of its last step
            now = time.monotonic()
            pace = now - (dive_step_at or now)
            steps_left = (dive_deadline - now) * 0.7 / pace if pace > 0 else math.inf
            share = min(DIVE_MOST, max(DIVE_SHARE, 1 / max(1.0, steps_left)))
            dive_step_at = now
            sure += [(e, j) for _, e, j in rest[:max(1 if not sure else 0,
                                                     math.ceil(share * len(rest)))]]
            for e, j in sure:
                fixed[e] = j
                h.changeColBounds(first_col + j, 1.0, 1.0)
                bounds_changed = True
    finally:
        pool.shutdown(wait=True)
        if dp_pool is not None:
            dp_pool.close()
    dive_done = dived is not None
    costs = [pricers[e].cost(col) for e, col in columns]
    index = {(e, col): j for j, (e, col) in enumerate(columns)}
    if dived is not None:
        chosen = {e: index[e, _column(inst, dived[p.id])] for e, p in enumerate(inst.staff)}
    elif last_x:  # round the unfinished dive: each one's likeliest roster
        best: dict[int, tuple[float, int]] = {e: (2.0, j) for e, j in fixed.items()}
        for j, (e, _) in enumerate(columns[:len(last_x)]):
            if last_x[j] > best.get(e, (-1.0, -1))[0]:
                best[e] = (last_x[j], j)
        chosen = {e: j for e, (_, j) in best.items()}
    else:
        chosen = {e: e for e in range(n)}  # the start roster
    # best responses over the columns, from that and from the start roster
    until = time.monotonic() + (0.5 if support is not None else
                                max(0.5, min(ip_seconds, deadline - time.monotonic()) / 3))
    chosen = min((polish(inst, costs, columns, c, until, seed)
                  for c in (chosen, {e: e for e in range(n)})),
                 key=lambda c: roster_cost(inst, costs, columns, c))
    dived = {inst.staff[e].id: _row(inst, columns[j][1]) for e, j in chosen.items()}
    if support is not None:
        return ColumnResult(dived, lp_value, converged, len(columns), iterations, dive_done,
                            None if converged_at is None else round(converged_at - started, 1),
                            support)
    roster = _integer_master(inst, pricers, columns, dived, deadline, ip_seconds, seed,
                             workers)
    return ColumnResult(roster, lp_value, converged, len(columns), iterations, dive_done,
                        None if converged_at is None else round(converged_at - started, 1))


def _integer_master(inst: CurtoisInstance, pricers: list,
                    columns: list[tuple[int, frozenset[tuple[int, int]]]],
                    dived: Roster | None, deadline: float, seconds: float, seed: int,
                    workers: int) -> Roster | None:
    shift = {s.id: i for i, s in enumerate(inst.shifts)}
    model = cp_model.CpModel()
    z = [model.new_bool_var(f"z{i}") for i in range(len(columns))]
    by_employee: dict[int, list] = {}
    by_cell: dict[tuple[int, int], list] = {}
    for i, (e, col) in enumerate(columns):
        by_employee.setdefault(e, []).append(z[i])
        for c in col:
            by_cell.setdefault(c, []).append(z[i])
    for group in by_employee.values():
        model.add_exactly_one(group)
    terms = [pricers[e].cost(col) * z[i] for i, (e, col) in enumerate(columns)]
    # the dive's roster, or else columns 0..n-1 (the start roster)
    chosen = set(range(len(inst.staff)))
    if dived is not None:
        index = {(e, col): i for i, (e, col) in enumerate(columns)}
        chosen = {index[(e, frozenset((d, shift[s]) for d, s in enumerate(dived[p.id])
                                      if s is not None))]
                  for e, p in enumerate(inst.staff)}
    for i in range(len(columns)):
        model.add_hint(z[i], i in chosen)
    count: dict[tuple[int, int], int] = {}
    for i in chosen:
        for c in columns[i][1]:
            count[c] = count.get(c, 0) + 1
    for c in inst.cover:
        people = by_cell.get((c.day, shift[c.shift]), [])
        under = model.new_int_var(0, c.requirement, "")
        over = model.new_int_var(0, max(0, len(inst.staff) - c.requirement), "")
        model.add(sum(people) - c.requirement == over - under)
        terms += [c.weight_under * under, c.weight_over * over]
        n = count.get((c.day, shift[c.shift]), 0)
        model.add_hint(under, max(0, c.requirement - n))
        model.add_hint(over, max(0, n - c.requirement))
    model.minimize(sum(terms))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = max(0.1, min(seconds, deadline - time.monotonic()))
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return dived
    roster: Roster = {}
    for i, (e, col) in enumerate(columns):
        if solver.value(z[i]):
            roster[inst.staff[e].id] = _row(inst, col)
    return roster


def _support(columns: list[tuple[int, frozenset[tuple[int, int]]]], x: list[float]
             ) -> dict[tuple[int, int, int], float]:
    """Per (employee, day, shift) the relaxation's share of the employee working it."""
    out: dict[tuple[int, int, int], float] = {}
    for (e, col), val in zip(columns, x):
        if val > 1e-9:
            for d, s in col:
                out[e, d, s] = out.get((e, d, s), 0.0) + val
    return out


def _column(inst: CurtoisInstance, row: tuple[str | None, ...]) -> frozenset[tuple[int, int]]:
    shift = {s.id: i for i, s in enumerate(inst.shifts)}
    return frozenset((d, shift[sid]) for d, sid in enumerate(row) if sid is not None)


def _row(inst: CurtoisInstance, col: frozenset[tuple[int, int]]) -> tuple[str | None, ...]:
    days = dict(col)
    return tuple(inst.shifts[days[d]].id if d in days else None for d in range(inst.days))
