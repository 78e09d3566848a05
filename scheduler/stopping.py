"""Stopping a solve early from another thread (Ctrl-C in the CLI): the running CP-SAT
searches are told to stop and the pipeline returns the best roster it has."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator

from ortools.sat.python import cp_model


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
