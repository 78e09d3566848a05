"""CP-SAT's solution callbacks: progress reports, and the searches that end early (at a
first solution after some seconds, or at a target value). They subclass a CP-SAT class,
so this module imports CP-SAT itself: import it where a search starts (engine/sat.py)."""

from __future__ import annotations

import threading
import time
from typing import Callable

from ortools.sat.python import cp_model

from scheduler.engine.cpsat import Progress, ProgressFn
from scheduler.engine.stopping import StopSignal


class PlanReporter(cp_model.CpSolverSolutionCallback):
    """Reports each plan solution (headcount from `agents` when given) and stops the search
    once the stop signal is set."""

    def __init__(self, phase: str, on_progress: ProgressFn | None, t0: float,
                 stop: StopSignal | None, agents=None, base: Progress | None = None):
        super().__init__()
        self.phase = phase
        self.on_progress = on_progress
        self.t0 = t0
        self.stop = stop
        self.agents = agents
        self.base = base or Progress(phase)

    def on_solution_callback(self) -> None:
        if self.stop is not None and self.stop.is_set():
            self.stop_search()
        if self.on_progress is None:
            return
        p = Progress(
            self.phase,
            headcount=self.value(self.agents) if self.agents is not None else self.base.headcount,
            headcount_bound=self.base.headcount_bound,
            objective=self.objective_value,
            bound=self.best_objective_bound,
            elapsed=time.monotonic() - self.t0,
        )
        self.on_progress(p)


class RosterReporter(cp_model.CpSolverSolutionCallback):
    """Reports each roster solution (its objective is the headcount) and stops the search
    once the stop signal is set."""

    def __init__(self, on_progress, t0, stop, bound):
        super().__init__()
        self.on_progress, self.t0, self.stop, self.bound = on_progress, t0, stop, bound

    def on_solution_callback(self) -> None:
        if self.stop is not None and self.stop.is_set():
            self.stop_search()
        if self.on_progress:
            self.on_progress(Progress("roster", headcount=round(self.objective_value),
                                      headcount_bound=self.bound,
                                      elapsed=time.monotonic() - self.t0))


class Enough(cp_model.CpSolverSolutionCallback):
    """Ends a search at its first solution found after `after` seconds, or at that time
    if it has one by then (see restricted_plan)."""

    def __init__(self, after: float):
        super().__init__()
        self.after = after
        self.deadline = time.monotonic() + after
        self.found = False
        self.timer: threading.Timer | None = None
        self.solver: cp_model.CpSolver | None = None

    def begin(self, solver: cp_model.CpSolver) -> None:
        self.solver = solver
        self.deadline = time.monotonic() + self.after
        self.timer = threading.Timer(self.after, self._at_deadline)
        self.timer.daemon = True
        self.timer.start()

    def end(self) -> None:
        if self.timer is not None:
            self.timer.cancel()

    def on_solution_callback(self) -> None:
        self.found = True
        if time.monotonic() >= self.deadline:
            self.stop_search()

    def _at_deadline(self) -> None:
        if self.found and self.solver is not None:
            self.solver.stop_search()


class Target(cp_model.CpSolverSolutionCallback):
    """Stops CP-SAT at a proven target value (or on the stop signal) and reports."""

    def __init__(self, target: float, stop: StopSignal | None,
                 report: Callable[[float], None] | None):
        super().__init__()
        self.target, self.stop, self.report = target, stop, report

    def on_solution_callback(self) -> None:
        if self.report is not None:
            self.report(self.objective_value)
        if self.objective_value <= self.target + 1e-9 or (
                self.stop is not None and self.stop.is_set()):
            self.stop_search()
