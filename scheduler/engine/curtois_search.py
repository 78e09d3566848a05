"""Search for the Curtois and Qu (2014) instances: a first CP-SAT run on the whole model,
then large neighbourhood search (LNS) from the incumbent.

Each LNS step frees part of the roster -- a few employees over the whole horizon, every
employee over a window of days, or some employees over a longer window -- fixes the rest
to the incumbent (by narrowing variable domains in the one model, so nothing is rebuilt),
hints the incumbent and re-solves with a short limit. A step that does not make the roster
worse is kept. Neighbourhoods grow when their step is solved to optimality and shrink when
it runs out of time. Everything is seeded, so a run is repeatable for a given time budget
up to the solver's timing."""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.datasets.curtois import CurtoisInstance, Roster
from scheduler.engine.curtois import CurtoisVars, build
from scheduler.engine.curtois_columns import column_generation


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
        total += c.weight_under * max(0, c.requirement - n) + c.weight_over * max(0, n - c.requirement)
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
        self.size = {"staff": 0.15, "window": 0.25, "block": 0.3}
        self.whole = False
        """Whether the last step freed every variable (then an optimal step is a proof)."""

    def _free_cells(self, kind: str) -> set[tuple[int, int]]:
        rng, days, n = self.rng, self.days, self.n_staff
        frac = self.size[kind]
        if kind == "staff":
            k = max(2, round(frac * n))
            people = rng.sample(range(n), min(n, k))
            return {(e, d) for e in people for d in range(days)}
        if kind == "window":
            length = max(3, round(frac * days))
            length = min(days, length)
            start = rng.randrange(0, days - length + 1)
            return {(e, d) for e in range(n) for d in range(start, start + length)}
        k = max(2, round(frac * n))
        length = min(days, max(7, round(2 * frac * days)))
        start = rng.randrange(0, days - length + 1)
        people = rng.sample(range(n), min(n, k))
        return {(e, d) for e in people for d in range(start, start + length)}

    def step(self, values: list[int], kind: str, limit: float
             ) -> tuple[list[int] | None, int | None, bool]:
        """One LNS step from `values` (per key of self.keys): the new values and solver
        objective when it found a roster, and whether the step was solved to optimality."""
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
        top = {"staff": 0.8, "window": 0.8, "block": 0.9}[kind]
        factor = 1.15 if optimal else 0.85
        self.size[kind] = min(top, max(0.02, self.size[kind] * factor))


def solve_curtois(inst: CurtoisInstance, time_limit_seconds: float = 60.0, workers: int = 2,
                  seed: int = 0, columns_share: float = 0.8, ip_share: float = 0.1,
                  dive_share: float = 0.6,
                  step_seconds: float = 3.0, first_share: float = 0.25,
                  columns: bool = True, lns: bool = True) -> CurtoisResult:
    """Best roster found within the time limit (model building included).

    With `columns`: column generation for at most `columns_share` of the time (its integer
    master for at most `ip_share`; the dive only when the relaxation converged within
    `dive_share`), then LNS on the compact model from that roster for the rest.
    Without: one CP-SAT run on the compact model for `first_share` of the time (all of
    it without `lns`), then LNS. LNS steps take at most `step_seconds` each."""
    t0 = time.monotonic()
    deadline = t0 + time_limit_seconds
    v = build(inst)
    search = _Lns(v, workers, seed)
    bound = None
    notes: dict = {}
    if columns:
        cg_deadline = t0 + time_limit_seconds * columns_share
        cg = column_generation(inst, None, cg_deadline, time_limit_seconds * ip_share,
                               seed=seed, workers=workers,
                               dive_by=t0 + time_limit_seconds * dive_share)
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
        kinds = ("staff", "window", "block")
        while bound is None or objective + v.constant > bound:
            left = deadline - time.monotonic()
            if left < 0.2:
                break
            kind = kinds[steps % len(kinds)]
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
