"""Stopping a solve early from another thread (Ctrl-C in the CLI): the running CP-SAT
searches are told to stop and the pipeline returns the best roster it has."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:  # only named in annotations: `scheduler check` and `report` need no CP-SAT
    from scheduler.engine.sat import cp_model


class StopSignal:
    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._solvers: set[cp_model.CpSolver] = set()

    def is_set(self) -> bool:
        return self._event.is_set()

    def set(self) -> None:
        self._event.set()
        with self._lock:
            for solver in self._solvers:
                solver.stop_search()

    @contextmanager
    def watching(self, solver: cp_model.CpSolver) -> Iterator[None]:
        """While the block runs, `set()` stops this solver's search."""
        with self._lock:
            self._solvers.add(solver)
        try:
            yield
        finally:
            with self._lock:
                self._solvers.discard(solver)


@contextmanager
def watched(stop: StopSignal | None, solver: cp_model.CpSolver) -> Iterator[None]:
    if stop is None:
        yield
    else:
        with stop.watching(solver):
            yield


def apply_parameters(solver: cp_model.CpSolver, params: dict, seconds: float) -> None:
    """Set CP-SAT's parameters and a time limit of `seconds`.

    `params` holds CP-SAT parameter names, plus `deterministic`: then the limit is CP-SAT's
    deterministic time (the same search every run; wall time may differ) and the wall
    limit is only a safety net."""
    for key, value in params.items():
        if key not in ("max_time_in_seconds", "deterministic"):
            setattr(solver.parameters, key, value)
    seconds = max(0.2, seconds)
    if params.get("deterministic"):
        solver.parameters.max_deterministic_time = seconds
        solver.parameters.max_time_in_seconds = 10 * seconds + 30
    else:
        solver.parameters.max_time_in_seconds = seconds
