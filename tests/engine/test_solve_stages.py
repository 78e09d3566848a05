"""The solve pipeline's plan stages (engine/solve.py): the paid-hours step after a
headcount plan searches from its own LP's support on a small plan (the headcount plan,
CP-SAT's first on the first LP's support, can hold far more hours than needed), and from
the plan in hand on a pooled one; the roster passes the independent checker."""

from __future__ import annotations

import pytest

from scheduler.check import check_roster
from scheduler.engine import solve as solve_module
from scheduler.workload.loaded import load_scenario
from conftest import small_scenario


@pytest.mark.parametrize("pooled", [False, True])
def test_the_paid_hours_step_starts_from_its_lp_on_a_small_plan(write_scenario, monkeypatch,
                                                                 pooled):
    steps = []
    real = solve_module.plan_step

    def spy(pm, params, seconds, on_progress, t0, stop, phase, *args, **kw):
        steps.append((phase, kw.get("lp_values") is not None, kw.get("start") is not None))
        return real(pm, params, seconds, on_progress, t0, stop, phase, *args, **kw)

    monkeypatch.setattr(solve_module, "plan_step", spy)
    data = small_scenario(**({"pools": [{"name": "days", "shift_types": ["day"]},
                                        {"name": "nights", "shift_types": ["night"]}]}
                             if pooled else {}))
    data["horizon"].update(days=7)
    data["demand"]["required"] = data["demand"]["required"] * 7
    data["rules"] = {"max_days_per_week": 5}
    loaded = load_scenario(write_scenario(data))
    result = solve_module.solve(loaded, time_limit=20)
    assert result.feasible
    paid = [(lp, start) for phase, lp, start in steps if phase == "paid hours"]
    # with the LP: from its support alone on one pool, from the plan in hand on two
    assert paid == [(True, pooled)]
    report = check_roster(loaded.scenario, loaded.directory,
                          [s.model_dump() for s in result.shifts],
                          [b.model_dump() for b in result.breaks])
    assert report.violations == []
