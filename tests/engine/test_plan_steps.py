"""The plan's steps (engine/plan_steps.py): on a pooled plan, CP-SAT on the LP's support,
then the polish of its plan (CP-SAT with all its workers); without `polish` (named staff)
the one-worker search keeps the LP's support for the whole step."""

from __future__ import annotations

import math
import time

import pytest

from scheduler.engine import plan_steps
from scheduler.engine.highs import solve_with_highs
from scheduler.engine.instance import Instance
from scheduler.engine.plan import build_plan_model
from scheduler.workload.loaded import load_scenario
from conftest import small_scenario

PARAMS = {"num_workers": 2, "random_seed": 0}


def pooled_plan(write_scenario):
    """The small day as two pools (days, nights): a pooled plan with its LP solution."""
    data = small_scenario(pools=[{"name": "days", "shift_types": ["day"]},
                                 {"name": "nights", "shift_types": ["night"]}])
    pm = build_plan_model(Instance(load_scenario(write_scenario(data))))
    pm.model.minimize(pm.agents)
    status, lp_values, _, _ = solve_with_highs(pm.model, 10, relax=True)
    assert status == "optimal"
    return pm, lp_values


@pytest.mark.parametrize("polish", [True, False])
def test_the_improvement_runs_only_when_asked(write_scenario, monkeypatch, polish):
    pm, lp_values = pooled_plan(write_scenario)
    calls = []
    monkeypatch.setattr(plan_steps, "_improve", lambda pm, r, start, objective, seconds,
                        params, stop, lp: (calls.append(seconds), (start, objective))[1])
    monkeypatch.setattr(plan_steps, "lp_floor", lambda model, lp: None)  # not proven early
    step = plan_steps.plan_step(pm, PARAMS, 5.0, None, time.monotonic(), None, "plan",
                                lp_values=lp_values, polish=polish)
    assert step.status in ("optimal", "feasible")
    assert bool(calls) == polish
    # the LP's 4.4 agents rounded up: 5 (3 day, 2 night), proven
    assert (step.status, step.agents, step.bound) == ("optimal", 5, 5)


def test_a_plan_at_the_lp_bound_is_proven_without_improving_it(write_scenario, monkeypatch):
    pm, lp_values = pooled_plan(write_scenario)
    assert plan_steps.lp_floor(pm.model, lp_values) == 5  # 4.4 agents rounded up
    calls = []
    monkeypatch.setattr(plan_steps, "_improve", lambda *args: calls.append(args))
    t0 = time.monotonic()
    step = plan_steps.plan_step(pm, PARAMS, 30.0, None, t0, None, "plan", lp_values=lp_values)
    assert (step.status, step.agents, step.bound) == ("optimal", 5, 5)
    assert not calls
    # a fractional objective has no integral floor
    pm.model.proto.objective.scaling_factor = 0.5
    assert plan_steps.lp_floor(pm.model, lp_values) is None


def test_the_polish_improves_a_worse_plan_within_the_restricted_model(write_scenario):
    pm, lp_values = pooled_plan(write_scenario)
    found = plan_steps.restricted_plan(pm, lp_values, PARAMS, 5.0, None)
    assert found is not None
    solver, restricted = found
    best = solver.objective_value
    # the same plan with one agent more in the first pool: feasible (the counts only bound
    # the agents from below) and worse by one (the objective is the agents)
    worse = list(solver.response_proto.solution)
    for v in (pm.agents, pm.pool_agents[0]):
        worse[v.index] += 1
    worse_value = best + 1
    polished = plan_steps._polish(restricted, worse, worse_value, 5.0, PARAMS, None)
    assert polished is not None
    values, value = polished
    assert value == best < worse_value
    assert values[pm.agents.index] == sum(values[v.index] for v in pm.pool_agents) == best
    # nothing better than the optimum: no polish
    assert plan_steps._polish(restricted, values, value, 5.0, PARAMS, None) is None


def test_a_small_plan_starts_from_the_lp_support_and_hands_highs_that_plan(write_scenario,
                                                                          monkeypatch):
    # one pool, a few hundred counts: HiGHS's MIP polishes the plan CP-SAT finds on the
    # LP's support; here HiGHS stalls (finds nothing), and the support's plan stands
    pm = build_plan_model(Instance(load_scenario(write_scenario(small_scenario()))))
    pm.model.minimize(pm.agents)
    status, lp_values, lp_value, _ = solve_with_highs(pm.model, 10, relax=True)
    assert status == "optimal" and len(pm.pools) == 1
    starts = []

    def stalled(model, seconds, start=None, stop=None, **kw):
        starts.append(start)
        return "unknown", None, None, None

    monkeypatch.setattr(plan_steps, "solve_with_highs", stalled)
    monkeypatch.setattr(plan_steps, "lp_floor", lambda model, lp: None)  # not proven early
    step = plan_steps.plan_step(pm, PARAMS, 5.0, None, time.monotonic(), None, "plan",
                                lp_values=lp_values)
    assert step.status in ("optimal", "feasible") and step.agents == math.ceil(lp_value - 1e-6)
    assert starts and starts[0] is not None and starts[0][pm.agents.index] >= step.agents
