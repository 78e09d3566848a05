"""Relaxation-induced neighbourhood (RINS) for the Curtois and Qu (2014) instances.

Column generation (scheduler.engine.curtois_columns) ends with a relaxation that is tight
on most of these instances but far from integral, and rounding it or solving the integer
master over its columns stays far above its value (Instance12: 5,900 and 7,500 against
4,040): the columns found do not combine into a good roster. The compact CP-SAT model
(scheduler.engine.curtois) restricted to what the relaxation uses does: every shift the
relaxation gives an employee on a day with weight below RINS_EPS is forbidden, every one
it gives with weight above 1 - RINS_EPS is imposed, and the rest is free. That leaves a
few thousand free variables, where CP-SAT reaches the relaxation's value or near it in
tens of seconds, with any roster the rules allow (not only the columns found).

The search stops at its limit, when its roster reaches `target` (the relaxation's bound,
rounded up), or when it has not improved for STALL_SECONDS (and STALL_SHARE of its time;
RESTARTS more runs from its best roster may follow). scheduler.engine.curtois_search then
goes on with LNS over the whole model. Two-worker CP-SAT is not repeatable: on Instance12
the same neighbourhood reached 4,041 in about half the 30 s runs and 4,140-4,341 in the
others."""

from __future__ import annotations

import threading
import time

from ortools.sat.python import cp_model

RINS_EPS = 0.01
"""Shares below this count as 0, above 1 - this as 1."""

LINEARIZATION = 2
"""CP-SAT's linearization level for this search: with 2 (every constraint in its LP), it
reached 4,041 on Instance12 in 15-20 s on three seeds where the default level reached
4,041-4,342 in 20-45 s (on Instance18, where the relaxation is not tight, it is slower:
4,965 against 4,766 in 60 s; LNS then takes both to about 4,766)."""

HINT = False
"""Whether the first run is hinted with the caller's roster (the rounding of the
relaxation, far above its value: unhinted runs did as well or better)."""

STALL_SECONDS = 6.0
STALL_SHARE = 0.5
"""A run stops when its last improvement is this many seconds old and also older than
this share of the time it has run."""

RESTARTS = 0
"""Runs after a stalled one (another seed, from the best roster). With restarts until 95%
of the time, Instance8 ended at 1,495 (bound 1,297) after about 45 s of this search, where
LNS from the dive's roster had reached 1,305; without, the LNS gets the time after a
stall."""


class _Watch(cp_model.CpSolverSolutionCallback):
    """Records when the objective last improved; stops at `target`."""

    def __init__(self, target: float | None) -> None:
        super().__init__()
        self.target = target
        self.began = self.improved = time.monotonic()

    def on_solution_callback(self) -> None:
        self.improved = time.monotonic()
        if self.target is not None and self.objective_value <= self.target + 1e-6:
            self.stop_search()


def rins(search, values: list[int], support: dict[tuple[int, int, int], float],
         limit: float, target: float | None = None, eps: float = RINS_EPS
         ) -> tuple[list[int] | None, int | None, int]:
    """One CP-SAT run on the compact model of `search` (a curtois_search._Lns) with the
    variables the relaxation `support` ((employee, day, shift) -> share) leaves at 0 or 1
    fixed, hinted with `values` (per key of search.keys). `target`: a solver objective
    (constant left out) at which to stop. Returns the new values and solver objective
    (None, None when no roster was found) and how many variables were free."""
    # fixed by constraints on a copy of the model (narrowing the domains instead reached
    # the relaxation's value on Instance12 in one run of three, the constraints in five
    # of five)
    model = search.v.model.clone()
    free = 0
    for key, idx in zip(search.keys, search.index):
        share = support.get(key, 0.0)
        if eps <= share <= 1 - eps:
            free += 1
            continue
        ct = model.proto.constraints.add().linear
        ct.vars.append(idx)
        ct.coeffs.append(1)
        ct.domain.extend([int(share > 1 - eps)] * 2)
    deadline = time.monotonic() + limit
    best: tuple[list[int] | None, int | None] = (None, None)
    for _ in range(1 + RESTARTS):
        left = deadline - time.monotonic()
        if left < 0.5:
            break
        # the first run unhinted (the rounding is far off), a restart from the best
        new, value, proved = _run(search, model, best[0] if best[0] else
                                  (values if HINT else None), left, target)
        if new is not None and (best[1] is None or value < best[1]):
            best = (new, value)
        if proved or (best[1] is not None and target is not None
                      and best[1] <= target + 1e-6):
            break
    return best[0], best[1], free


def _run(search, model: cp_model.CpModel, hint_values: list[int] | None, limit: float,
         target: float | None) -> tuple[list[int] | None, int | None, bool]:
    """One CP-SAT run on the narrowed model until `limit`, `target` or a stall: its best
    values and objective, and whether it proved them optimal (in the neighbourhood)."""
    hint = model.proto.solution_hint
    hint.vars.clear()
    hint.values.clear()
    if hint_values is not None:
        hint.vars.extend(search.index)
        hint.values.extend(hint_values)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, limit)
    solver.parameters.num_workers = search.workers
    solver.parameters.random_seed = search.rng.randrange(1 << 20)
    solver.parameters.linearization_level = LINEARIZATION
    watch = _Watch(target)
    done = threading.Event()

    def watchdog() -> None:
        while not done.wait(0.25):
            now = time.monotonic()
            if now - watch.improved > max(STALL_SECONDS, STALL_SHARE * (now - watch.began)):
                solver.stop_search()
                return

    guard = threading.Thread(target=watchdog, daemon=True)
    guard.start()
    try:
        status = solver.solve(model, watch)
    finally:
        done.set()
        guard.join()
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, None, status == cp_model.INFEASIBLE
    solution = solver.response_proto.solution
    new = [int(solution[i]) for i in search.index]
    return new, round(solver.objective_value), status == cp_model.OPTIMAL
