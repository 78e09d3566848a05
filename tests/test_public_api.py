"""The package's front door: the public names import from `scheduler`, both ways of running
the command work, and reading the schema does not load the solver."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest


def test_public_names_import_from_the_package():
    from scheduler import LoadedScenario, __version__, check_output_dir, load_scenario, solve, write_result
    from scheduler.check import check_output_dir as checker
    from scheduler.engine.solve import solve as engine_solve
    from scheduler.workload.loaded import load_scenario as loader

    assert solve is engine_solve and load_scenario is loader and check_output_dir is checker
    assert callable(write_result) and LoadedScenario.__name__ == "LoadedScenario"
    assert __version__.count(".") == 2


def test_an_unknown_name_is_an_attribute_error():
    import scheduler

    with pytest.raises(AttributeError, match="no attribute 'solver'"):
        scheduler.solver  # noqa: B018


def test_the_models_load_without_the_solver():
    code = ("import sys, scheduler.models, scheduler.scenario.read; "
            "print(any(m.startswith('ortools') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("command", [[sys.executable, "-m", "scheduler"], ["scheduler"]],
                         ids=["python -m scheduler", "scheduler"])
def test_both_ways_of_running_the_command_work(command):
    if command[0] == "scheduler" and shutil.which("scheduler") is None:
        pytest.skip("the console script is not installed")
    out = subprocess.run([*command, "--help"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    for name in ("solve", "compare", "check", "staffing", "report"):
        assert name in out.stdout
