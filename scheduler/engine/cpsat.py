"""CP-SAT as the pipeline runs it: the parameters from the scenario, one search that a
stop signal can end, its status by name, and the progress reports of the searches."""

from __future__ import annotations

import logging
import platform
import time
from dataclasses import dataclass
from typing import Callable

import ortools
from scheduler.engine.sat import cp_model

from scheduler._version import __version__
from scheduler.engine.stopping import StopSignal, apply_parameters, watched
from scheduler.workload.loaded import LoadedScenario

log = logging.getLogger(__name__)


@dataclass
class Progress:
    """What a progress display shows; sent to the `on_progress` callback."""

    phase: str
    headcount: int | None = None
    headcount_bound: int | None = None
    objective: float | None = None
    bound: float | None = None
    elapsed: float = 0.0


ProgressFn = Callable[[Progress], None]


def versions() -> dict[str, str]:
    """The versions a result records: the scheduler's, OR-Tools' and Python's."""
    return {
        "scheduler": __version__,
        "ortools": ortools.__version__,
        "python": platform.python_version(),
    }


def solver_parameters(loaded: LoadedScenario, time_limit: float | None) -> dict:
    s = loaded.scenario.solver
    params = {
        "num_workers": s.workers,
        "random_seed": s.seed,
        "max_time_in_seconds": time_limit if time_limit is not None else s.time_limit_seconds,
        # Ctrl-C is Python's to handle (the CLI stops the search and keeps the best roster)
        "catch_sigint_signal": False,
    }
    if s.deterministic:
        params["interleave_search"] = True
        params["deterministic"] = True
    return params


def run_cp_sat(model: cp_model.CpModel, params: dict, seconds: float, callback=None,
               stop: StopSignal | None = None, watch=None):
    """Solve `model` within `seconds` (see apply_parameters); returns (solver, status).
    A stop signal already set skips the search (status UNKNOWN). `watch`, when given, is
    told the solver as the search starts (`watch.begin(solver)`) and ends (`watch.end()`)."""
    solver = cp_model.CpSolver()
    apply_parameters(solver, params, seconds)
    solver.parameters.log_search_progress = log.isEnabledFor(logging.DEBUG)
    solver.log_callback = log.debug
    with watched(stop, solver):
        if stop is not None and stop.is_set():
            return solver, cp_model.UNKNOWN
        if watch is not None:
            watch.begin(solver)
        try:
            status = solver.solve(model, callback) if callback is not None \
                else solver.solve(model)
        finally:
            if watch is not None:
                watch.end()
    return solver, status


def status_name(status) -> str:
    return {
        cp_model.OPTIMAL: "optimal",
        cp_model.FEASIBLE: "feasible",
        cp_model.INFEASIBLE: "infeasible",
        cp_model.MODEL_INVALID: "invalid",
    }.get(status, "unknown")
