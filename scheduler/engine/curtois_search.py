"""Search for the Curtois and Qu (2014) instances: a first CP-SAT run on the whole model,
then large neighbourhood search (LNS) from the incumbent.

Each LNS step frees part of the roster -- a few employees over the whole horizon, every
employee over a window of days, or some employees over a longer window, or (after column
generation) every cell where the relaxation is fractional or disagrees with the incumbent
plus such a block -- fixes the rest
to the incumbent (by narrowing variable domains in the one model, so nothing is rebuilt),
hints the incumbent and re-solves with a short limit. A step that does not make the roster
worse is kept. Windows are drawn around the days of most cover penalty. Neighbourhoods
grow when their step is solved to optimality and shrink when it runs out of time.
Everything is seeded, so a run is repeatable for a given time budget up to the solver's
timing."""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass, field

from scheduler.engine.sat import cp_model

from scheduler.datasets.curtois import CurtoisInstance, Roster
from scheduler.engine.curtois import CurtoisVars, build
from scheduler.engine.curtois_columns import column_generation
from scheduler.engine.curtois_dp import MAX_LABELS, dp_size
from scheduler.engine.curtois_greedy import BestResponse, best_response
from scheduler.engine.curtois_rins import RINS_EPS, rins

COLUMN_DAYS = 28
COLUMN_STAFF = 60
"""Column generation is used up to this horizon and staff (Instances 1-12) with any
pricer, and up to DP_DAYS with the dynamic-programming one (13-19); beyond, the CP-SAT
pricing does not converge in the time, and the best-response start is used."""

DP_DAYS = 84
"""Beyond COLUMN_DAYS/COLUMN_STAFF, column generation up to this horizon when the
dynamic-programming pricer (scheduler.engine.curtois_dp) fits every employee."""

LNS_CELLS = 150_000
"""The compact model is built for LNS only up to this many (employee, day, shift)
variables; larger instances keep improving by best responses alone."""

FOCUS = True
"""LNS windows after column generation are drawn around the days of most cover penalty."""

GREEDY_SHARE = 0.4
"""Best-response passes after the first roster stop at this share of the time (or when a
pass changes nothing); LNS has the rest."""


def columns_fit(inst: CurtoisInstance) -> bool:
    """Column generation for up to COLUMN_DAYS days and COLUMN_STAFF staff, or up to
    DP_DAYS days and COLUMN_STAFF staff when every employee's dynamic-programming pricer
    fits. Beyond COLUMN_STAFF (Instance13: 120 staff, 18 shift types) the relaxation
    comes near the optimum (1,375 at 180 s against 1,348) but no dive from it finished in
    300 s on two cores without breaking up (measured 2026-12-03: 3,961-5,423 against
    3,355-3,668 from the best-response start and its LNS), so that path is kept."""
    if inst.days <= COLUMN_DAYS and len(inst.staff) <= COLUMN_STAFF:
        return True
    return inst.days <= DP_DAYS and len(inst.staff) <= COLUMN_STAFF and all(
        dp_size(inst, e) <= MAX_LABELS for e in range(len(inst.staff)))


def _cells(inst: CurtoisInstance) -> int:
    return sum(inst.days - len(p.days_off) for p in inst.staff
               for _, cap in p.max_shifts if cap > 0)


@dataclass(frozen=True)
class CurtoisResult:
    roster: Roster | None
    """None when no roster was found in time (or none exists)."""
    objective: int | None
    """The solver's figure (callers that publish it should recompute with the checker)."""
    bound: int | None
    status: str
    """OPTIMAL, FEASIBLE, INFEASIBLE or UNKNOWN."""
    seconds: float
    lns_steps: int
    lns_improvements: int
    notes: dict = field(default_factory=dict)
    """How the time went: column generation's iterations, columns, whether it converged,
    its seconds and its roster's objective."""


def _roster(v: CurtoisVars, values: dict) -> Roster:
    inst = v.inst
    out = {}
    for e, person in enumerate(inst.staff):
        row = []
        for d in range(inst.days):
            sid = None
            for s, shift in enumerate(inst.shifts):
                if values.get((e, d, s)):
                    sid = shift.id
            row.append(sid)
        out[person.id] = tuple(row)
    return out


def _objective(v: CurtoisVars, values: list[int], keys: list) -> int:
    """The instance's objective of a roster given as 0/1 values of the x variables."""
    inst = v.inst
    on = {k for k, val in zip(keys, values) if val}
    staff = {p.id: e for e, p in enumerate(inst.staff)}
    shift = {s.id: i for i, s in enumerate(inst.shifts)}
    total = sum(r.weight for r in inst.on_requests
                if (staff[r.employee], r.day, shift[r.shift]) not in on)
    total += sum(r.weight for r in inst.off_requests
                 if (staff[r.employee], r.day, shift[r.shift]) in on)
    count: dict[tuple[int, int], int] = {}
    for (_, d, s) in on:
        count[d, s] = count.get((d, s), 0) + 1
    for c in inst.cover:
        n = count.get((c.day, shift[c.shift]), 0)
        total += (c.weight_under * max(0, c.requirement - n)
                  + c.weight_over * max(0, n - c.requirement))
    return total


class _Lns:
    def __init__(self, v: CurtoisVars, workers: int, seed: int) -> None:
        self.v = v
        self.workers = workers
        self.rng = random.Random(seed)
        self.proto = v.model.proto
        self.keys = list(v.x)
        self.index = [v.x[k].index for k in self.keys]
        self.by_cell: dict[tuple[int, int], list[int]] = {}
        for i, (e, d, _) in enumerate(self.keys):
            self.by_cell.setdefault((e, d), []).append(i)
        self.n_staff = len(v.inst.staff)
        self.days = v.inst.days
        # neighbourhood sizes (fractions adapted per kind)
        self.size = {"staff": 0.15, "window": 0.25, "block": 0.3, "rins": 0.1}
        self.whole = False
        """Whether the last step freed every variable (then an optimal step is a proof)."""
        self.focus: list[float] | None = None
        """Per day a weight (its cover penalty): windows then cover a day drawn by weight."""
        self.support: dict[tuple[int, int, int], float] | None = None
        """The relaxation's shares (scheduler.engine.curtois_rins), for the "rins" kind."""
        self.values: list[int] = []

    def _start(self, length: int) -> int:
        """First day of a window of `length` days: uniform, or around a day drawn by
        `focus`."""
        if self.focus is None or not any(self.focus):
            return self.rng.randrange(0, self.days - length + 1)
        day = self.rng.choices(range(self.days), weights=self.focus)[0]
        return min(self.days - length, max(0, day - self.rng.randrange(length)))

    def _free_cells(self, kind: str) -> set[tuple[int, int]]:
        rng, days, n = self.rng, self.days, self.n_staff
        if kind == "rins":
            # where the relaxation is fractional or disagrees with the incumbent, and a
            # block around a costly day
            return self._disagree() | self._free_cells("block")
        frac = self.size[kind]
        if kind == "staff":
            k = max(2, round(frac * n))
            people = rng.sample(range(n), min(n, k))
            return {(e, d) for e in people for d in range(days)}
        if kind == "window":
            length = max(3, round(frac * days))
            length = min(days, length)
            start = self._start(length)
            return {(e, d) for e in range(n) for d in range(start, start + length)}
        k = max(2, round(frac * n))
        length = min(days, max(7, round(2 * frac * days)))
        start = self._start(length)
        people = rng.sample(range(n), min(n, k))
        return {(e, d) for e in people for d in range(start, start + length)}

    def _disagree(self) -> set[tuple[int, int]]:
        support = self.support or {}
        out = set()
        for key, val in zip(self.keys, self.values):
            share = support.get(key, 0.0)
            if (share > RINS_EPS or val) and not (share > 1 - RINS_EPS and val):
                out.add(key[:2])
        return out

    def step(self, values: list[int], kind: str, limit: float
             ) -> tuple[list[int] | None, int | None, bool]:
        """One LNS step from `values` (per key of self.keys): the new values and solver
        objective when it found a roster, and whether the step was solved to optimality."""
        self.values = values
        free = self._free_cells(kind)
        self.whole = len(free) >= len(self.by_cell)
        variables = self.proto.variables
        fixed = []
        for cell, idxs in self.by_cell.items():
            if cell in free:
                continue
            for i in idxs:
                var = variables[self.index[i]]
                var.domain[0] = var.domain[1] = values[i]
                fixed.append(var)
        self._hint(values)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.1, limit)
        solver.parameters.num_workers = self.workers
        solver.parameters.random_seed = self.rng.randrange(1 << 20)
        try:
            status = solver.solve(self.v.model)
        finally:
            for var in fixed:
                var.domain[0], var.domain[1] = 0, 1
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None, None, False
        new = [int(solver.value(self.v.x[k])) for k in self.keys]
        return new, round(solver.objective_value), status == cp_model.OPTIMAL

    def _hint(self, values: list[int]) -> None:
        hint = self.proto.solution_hint
        hint.vars.clear()
        hint.values.clear()
        hint.vars.extend(self.index)
        hint.values.extend(values)

    def adapt(self, kind: str, optimal: bool) -> None:
        top = {"staff": 0.8, "window": 0.8, "block": 0.9, "rins": 0.9}[kind]
        factor = 1.15 if optimal else 0.85
        self.size[kind] = min(top, max(0.02, self.size[kind] * factor))


def solve_curtois(inst: CurtoisInstance, time_limit_seconds: float = 60.0, workers: int = 2,
                  seed: int = 0, columns_share: float = 0.8, ip_share: float = 0.1,
                  dive_share: float = 0.6,
                  step_seconds: float = 3.0, first_share: float = 0.25,
                  columns: bool = True, lns: bool = True, use_rins: bool = True,
                  rins_share: float = 0.95, rins_dive_share: float = 0.15) -> CurtoisResult:
    """Best roster found within the time limit (model building included).

    With `columns`: column generation for at most `columns_share` of the time (its integer
    master for at most `ip_share`; the dive only when the relaxation converged within
    `dive_share`), then LNS on the compact model from that roster for the rest.
    Without: one CP-SAT run on the compact model for `first_share` of the time (all of
    it without `lns`), then LNS. LNS steps take at most `step_seconds` each.
    With `use_rins` (and `columns`), column generation stops where its dive would start
    and CP-SAT searches the neighbourhood its relaxation induces
    (scheduler.engine.curtois_rins) for at most `rins_share` of the time left, before
    the LNS; first, the dive runs for at most `rins_dive_share` of the time (where the
    relaxation is nearly integral it reaches the bound, and the neighbourhood is skipped)."""
    t0 = time.monotonic()
    deadline = t0 + time_limit_seconds
    if columns and not columns_fit(inst):
        return _solve_large(inst, t0, time_limit_seconds, workers, seed, step_seconds)
    v = build(inst)
    search = _Lns(v, workers, seed)
    bound = None
    notes: dict = {}
    if columns:
        cg_deadline = t0 + time_limit_seconds * columns_share
        # beyond 28 days or 60 staff the relaxation converges late or not at all in the
        # time: the dive starts unconverged at dive_share (earlier when it stalls)
        late = not (inst.days <= COLUMN_DAYS and len(inst.staff) <= COLUMN_STAFF)
        cg = column_generation(inst, None, cg_deadline, time_limit_seconds * ip_share,
                               seed=seed, workers=workers,
                               dive_by=t0 + time_limit_seconds * dive_share,
                               exact=inst.days <= COLUMN_DAYS, dive_late=late,
                               dive=not use_rins,
                               dive_seconds=rins_dive_share * time_limit_seconds)
        if cg.roster is None:
            return CurtoisResult(None, None, None, "UNKNOWN", time.monotonic() - t0, 0, 0)
        if cg.converged and cg.lp_bound is not None:
            bound = math.ceil(cg.lp_bound - 1e-6)
        shift = {s.id: i for i, s in enumerate(inst.shifts)}
        cells = {(e, d, shift[sid]) for e, p in enumerate(inst.staff)
                 for d, sid in enumerate(cg.roster[p.id]) if sid is not None}
        values = [int(k in cells) for k in search.keys]
        objective = _objective(v, values, search.keys) - v.constant
        status = cp_model.FEASIBLE
        notes = {"cg_iterations": cg.iterations, "columns": cg.columns,
                 "converged": cg.converged, "lp_bound": cg.lp_bound, "dive_done": cg.dive_done,
                 "cg_seconds": round(time.monotonic() - t0, 1),
                 "cg_objective": objective + v.constant}
        search.support = cg.support
        if cg.support is not None and (bound is None or objective + v.constant > bound):
            limit = (deadline - time.monotonic()) * rins_share
            target = None if bound is None else bound - v.constant
            new, value, free = rins(search, values, cg.support, limit, target)
            if new is not None and value <= objective:
                values, objective = new, value
            notes.update(rins_free=free, rins_objective=objective + v.constant,
                         rins_seconds=round(time.monotonic() - t0, 1))
    else:
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = seed
        solver.parameters.max_time_in_seconds = max(
            0.5, (deadline - time.monotonic()) * (first_share if lns else 1.0))
        status = solver.solve(v.model)
        if status == cp_model.INFEASIBLE:
            return CurtoisResult(None, None, None, "INFEASIBLE", time.monotonic() - t0, 0, 0)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return CurtoisResult(None, None, None, "UNKNOWN", time.monotonic() - t0, 0, 0)
        bound = round(solver.best_objective_bound) + v.constant
        values = [int(solver.value(v.x[k])) for k in search.keys]
        objective = round(solver.objective_value)
    steps = improvements = 0
    if status == cp_model.FEASIBLE and lns:
        kinds = ("staff", "window", "block") + (("rins",) if search.support else ())
        while bound is None or objective + v.constant > bound:
            left = deadline - time.monotonic()
            if left < 0.2:
                break
            kind = kinds[steps % len(kinds)]
            if FOCUS:
                search.focus = _day_costs(v, values, search.keys)
            new, value, optimal = search.step(values, kind, min(step_seconds, left))
            steps += 1
            search.adapt(kind, optimal)
            if new is not None and value <= objective:
                improvements += value < objective
                values, objective = new, value
            if optimal and search.whole:  # the step freed everything: a proof
                bound = objective + v.constant
    if bound is not None and objective + v.constant <= bound:
        status = cp_model.OPTIMAL
    roster = _roster(v, dict(zip(search.keys, values)))
    return CurtoisResult(roster, objective + v.constant, bound,
                         "OPTIMAL" if status == cp_model.OPTIMAL else "FEASIBLE",
                         time.monotonic() - t0, steps, improvements, notes)


def _day_costs(v: CurtoisVars, values: list[int], keys: list) -> list[float]:
    """Per day the cover penalty of the roster given by `values`."""
    inst = v.inst
    shift = {s.id: i for i, s in enumerate(inst.shifts)}
    count: dict[tuple[int, int], int] = {}
    for (_, d, s), val in zip(keys, values):
        if val:
            count[d, s] = count.get((d, s), 0) + 1
    out = [0.0] * inst.days
    for c in inst.cover:
        n = count.get((c.day, shift[c.shift]), 0)
        out[c.day] += c.weight_under * max(0, c.requirement - n) + \
            c.weight_over * max(0, n - c.requirement)
    return out


def _solve_large(inst: CurtoisInstance, t0: float, time_limit_seconds: float, workers: int,
                 seed: int, step_seconds: float) -> CurtoisResult:
    """Best responses (scheduler.engine.curtois_greedy) build a roster and improve it until
    a pass changes nothing or GREEDY_SHARE of the time is gone; then, if the compact model
    is small enough (LNS_CELLS), LNS on it with windows around the costliest days,
    alternating with best-response passes when LNS stalls. A reserve of the time is kept
    so the best roster is always returned."""
    deadline = t0 + time_limit_seconds
    reserve = min(10.0, 0.03 * time_limit_seconds)
    price = 0.5 if inst.days <= 84 else 2.0
    br = BestResponse(inst, seed, workers)
    roster = best_response(inst, deadline - reserve, seed=seed, workers=workers,
                           price_seconds=price, rounds=0, state=br)
    if roster is None:
        return CurtoisResult(None, None, None, "UNKNOWN", time.monotonic() - t0, 0, 0)
    built = round(time.monotonic() - t0, 1)
    first = br.objective()
    roster = best_response(inst, t0 + GREEDY_SHARE * time_limit_seconds, seed=seed,
                           workers=workers, price_seconds=price, state=br)
    master = min(0.1 * time_limit_seconds, 30.0)
    br.master(deadline - reserve, master, seed)
    objective = br.objective()
    notes = {"greedy_first": first, "greedy_built_seconds": built,
             "greedy_objective": objective, "greedy_seconds": round(time.monotonic() - t0, 1)}
    steps = improvements = 0
    if _cells(inst) <= LNS_CELLS and deadline - reserve - time.monotonic() > 5:
        v = build(inst)
        search = _Lns(v, workers, seed)
        shift = {s.id: i for i, s in enumerate(inst.shifts)}
        cells = {(e, d, shift[sid]) for e, p in enumerate(inst.staff)
                 for d, sid in enumerate(roster[p.id]) if sid is not None}
        values = [int(k in cells) for k in search.keys]
        kinds = ("staff", "window", "block")
        stall = 0
        while deadline - reserve - time.monotonic() > 0.5:
            left = deadline - reserve - time.monotonic()
            kind = kinds[steps % len(kinds)]
            search.focus = _day_costs(v, values, search.keys)
            new, value, optimal = search.step(values, kind, min(step_seconds, left))
            steps += 1
            search.adapt(kind, optimal)
            if new is not None and value + v.constant <= objective:
                improvements += value + v.constant < objective
                stall = 0 if value + v.constant < objective else stall + 1
                values, objective = new, value + v.constant
            else:
                stall += 1
            if stall >= 2 * len(kinds):  # LNS stalls: one best-response pass from here
                stall = 0
                br.load(_roster(v, dict(zip(search.keys, values))))
                better = best_response(inst, deadline - reserve, seed=seed + steps,
                                       workers=workers, price_seconds=price, rounds=1,
                                       state=br)
                br.master(deadline - reserve, master, seed + steps)
                better = br.roster()
                if better is not None and br.objective() < objective:
                    objective = br.objective()
                    cells = {(e, d, shift[sid]) for e, p in enumerate(inst.staff)
                             for d, sid in enumerate(better[p.id]) if sid is not None}
                    values = [int(k in cells) for k in search.keys]
        roster = _roster(v, dict(zip(search.keys, values)))
    else:
        while deadline - reserve - time.monotonic() > 1:
            before = br.objective()
            best_response(inst, deadline - reserve, seed=seed + steps, workers=workers,
                          price_seconds=price, rounds=1, state=br)
            br.master(deadline - reserve, master, seed + steps)
            steps += 1
            if br.objective() >= before:
                break
        roster, objective = br.roster(), br.objective()
    return CurtoisResult(roster, objective, None, "FEASIBLE", time.monotonic() - t0, steps,
                         improvements, notes)
