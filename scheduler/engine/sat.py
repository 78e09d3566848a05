"""CP-SAT's Python module (ortools.sat.python.cp_model), imported when first used.

Importing it takes about half a second (it imports pandas), which a run that ends with its
greedy roster never needs: a big roster at a limit of a few seconds, where the limit
covers the command from the interpreter's start. Engine modules write
`from scheduler.engine.sat import cp_model` and use `cp_model.X` as usual; the first
attribute read imports the real module (under the import lock, so from any thread) and
each name, once read, is kept on the stand-in. The solution callbacks subclass a CP-SAT
class, so they live in engine/callbacks.py, imported where a search starts."""

from __future__ import annotations

from typing import Any


class _CpModel:
    """Stands for ortools.sat.python.cp_model until one of its names is read."""

    def __getattr__(self, name: str) -> Any:
        from ortools.sat.python import cp_model as module

        value = getattr(module, name)
        setattr(self, name, value)  # later reads find it here
        return value


cp_model: Any = _CpModel()
