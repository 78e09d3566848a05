"""Workforce scheduling for customer-service centres: scenario in, minimum-headcount roster out.

The stages, each a package, depend one way only (tests/test_layers.py checks it):

    models    pydantic schemas of scenarios and results
    scenario  reading a scenario: YAML with lines, extends, variants, overrides, presets,
              demand and volume files, promotion events
    workload  contacts to agents required: Erlang C/A, chat, deferred work, shrinkage
    engine    the plan (HiGHS + CP-SAT), shift design, rosters, infeasibility explained
    check     the independent checker of written rosters (shares no code with the engine)
    report    outputs: CSVs, summary.json, roster.xlsx, report.html, calendars
    cli       the `scheduler` command and what-if comparisons
    datasets  literature readers (MSD) and synthetic scenario generators

Public entry points: `load_scenario`, `solve`, `write_result`, `check_output_dir`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scheduler._version import __version__

if TYPE_CHECKING:  # for type checkers and editors; at run time the names load on first use
    from scheduler.check import check_output_dir  # noqa: F401
    from scheduler.engine.solve import solve  # noqa: F401
    from scheduler.report.output import write_result  # noqa: F401
    from scheduler.workload.loaded import LoadedScenario, load_scenario  # noqa: F401

_PUBLIC = {
    "load_scenario": "scheduler.workload.loaded",
    "LoadedScenario": "scheduler.workload.loaded",
    "solve": "scheduler.engine.solve",
    "write_result": "scheduler.report.output",
    "check_output_dir": "scheduler.check",
}

__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str):
    # Lazy, so that `import scheduler.models` does not load OR-Tools.
    if name in _PUBLIC:
        import importlib

        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'scheduler' has no attribute {name!r}")
