"""The plan's LP rounded a day or two at a time (engine/plan_round.py)."""

from __future__ import annotations

import random
import time

from ortools.sat.python import cp_model

from scheduler.engine import plan_round, plan_steps
from scheduler.engine.cpsat import run_cp_sat
from scheduler.engine.highs import solve_with_highs
from scheduler.engine.instance import Instance
from scheduler.engine.plan import build_plan_model
from scheduler.workload.loaded import load_scenario

PARAMS = {"num_workers": 2, "random_seed": 0}


def fortnight(write_scenario, objective: str = "headcount", **rules) -> dict:
    """Two cyclic weeks of hourly slots, seeded demand, 4- to 8-hour shifts starting on
    any hour; 5 days in 7 and 12 hours' rest. Its LP (68.1 agents) rounded up count by
    count needs 71 agents; the least plan has 69."""
    rng = random.Random(2)
    shape = [1, 1, 1, 1, 1, 2, 4, 6, 8, 9, 9, 8, 8, 9, 9, 8, 7, 6, 5, 4, 3, 2, 2, 1]
    required = [max(0, round(2 * v * (1.0 + 0.6 * (d % 7 < 5))) + rng.randint(-2, 3))
                for d in range(14) for v in shape]
    data = {
        "name": "fortnight",
        "horizon": {"start_date": "2026-11-16", "days": 14, "slot_minutes": 60, "cyclic": True},
        "demand": {"required": required},
        "shift_types": [{"name": "any", "paid_hours": [4, 6, 8], "earliest_start": "00:00",
                         "latest_start": "23:00"}],
        "rules": {"max_days_per_week": 5, "min_rest_hours": 12, **rules},
        "objective": {"kind": objective},
        "solver": {"time_limit_seconds": 20, "workers": 2},
    }
    return data


def lp_of(write_scenario, data, scale: int = 100):
    pm = build_plan_model(Instance(load_scenario(write_scenario(data))))
    pm.model.minimize(pm.agents * scale)
    status, lp_values, _, _ = solve_with_highs(pm.model, 20, relax=True)
    assert status == "optimal"
    return pm, lp_values


def test_the_rounded_plan_covers_every_slot_with_fewer_agents_than_the_lp_rounded_up(
        write_scenario):
    pm, lp_values = lp_of(write_scenario, fortnight(write_scenario))
    assert plan_round.applies(pm)
    ceiled = plan_round._Days(pm, lp_values)
    floor = plan_steps.lp_floor(pm.model, lp_values)
    found = plan_round.rounded_plan(pm, lp_values, floor, 20.0, PARAMS)
    assert found is not None
    values, objective = found
    agents = values[pm.agents.index]
    assert objective == 100 * agents
    assert floor <= objective
    assert agents < ceiled.headcount()
    # every slot covered, counted here from the counts themselves
    inst = pm.pools[0]
    on_duty = [0] * inst.num_slots
    for (_, d, k), var in pm.n.items():
        for s in inst.covered(d, inst.options[k]):
            on_duty[s] += values[var.index]
    assert all(have >= need for have, need in zip(on_duty, inst.required))
    # the cuts as counted by the rounding are the model's: its agents are the least the
    # model allows for these counts
    fixed = pm.model.clone()
    for var in pm.n.values():
        fixed.add(fixed.get_int_var_from_proto_index(var.index) == values[var.index])
    solver, status = run_cp_sat(fixed, PARAMS, 10.0)
    assert status == cp_model.OPTIMAL
    assert solver.value(pm.agents) == agents
    days = plan_round._Days(pm, lp_values)
    days.count[:] = 0
    for var in pm.n.values():
        days.count[var.index] = values[var.index]
    assert days.headcount() == agents


def test_the_cuts_over_a_lower_headcount_are_solved_again_down_to_the_floor(
        write_scenario, monkeypatch):
    pm, lp_values = lp_of(write_scenario, fortnight(write_scenario))
    floor = plan_steps.lp_floor(pm.model, lp_values)
    days = plan_round._Days(pm, lp_values)
    assert days.headcount() > floor // 100
    assert days.over(days.headcount()) == []
    assert days.over(days.headcount() - 1)
    before = days.count.copy()
    assert not days.solve([0], 1, 5.0)  # a headcount no day can meet: nothing changes
    assert (days.count == before).all()
    # without the first sweep, lowering the headcount one agent at a time from the LP
    # rounded up (71) gains an agent (the sweep, minimising every day's shifts, finds 69)
    monkeypatch.setattr(plan_round, "SWEEPS", 0)
    found = plan_round.rounded_plan(pm, lp_values, floor, 20.0, PARAMS)
    assert found is not None and found[1] == 7000


def test_only_a_single_pools_headcount_with_every_slot_covered_is_rounded(write_scenario):
    pm, _ = lp_of(write_scenario, fortnight(write_scenario))
    assert plan_round.applies(pm)
    pm.model.minimize(pm.paid_expr)  # another objective: the counts' own costs
    assert not plan_round.applies(pm)
    soft = fortnight(write_scenario)
    soft["coverage"] = {"allow_understaffing": True, "understaffing_penalty": 10}
    pm, _ = lp_of(write_scenario, soft)
    assert not plan_round.applies(pm)


def test_the_lp_floor_is_a_whole_number_of_agents(write_scenario):
    pm, lp_values = lp_of(write_scenario, fortnight(write_scenario))
    lp = lp_values[pm.agents.index]
    assert lp != int(lp)  # a fractional LP (the test would say nothing otherwise)
    assert plan_steps.lp_floor(pm.model, lp_values) == 100 * -(-lp // 1)


def test_a_large_plan_step_at_the_lp_floor_is_the_rounded_plan(write_scenario, monkeypatch):
    pm, lp_values = lp_of(write_scenario, fortnight(write_scenario))
    monkeypatch.setattr(plan_steps, "LARGE_PLAN", 0)  # this small plan counts as large
    floor = plan_steps.lp_floor(pm.model, lp_values)
    rounded = plan_round.rounded_plan(pm, lp_values, floor, 20.0, PARAMS)
    assert rounded is not None and rounded[1] == floor  # (a case the rounding solves)
    monkeypatch.setattr(plan_steps, "restricted_plan",
                        lambda *a, **k: (_ for _ in ()).throw(AssertionError("searched")))
    step = plan_steps.plan_step(pm, PARAMS, 20.0, None, time.monotonic(), None, "plan",
                                lp_values=lp_values)
    assert (step.status, step.objective, step.bound) == ("optimal", floor, floor)
    assert step.agents == floor // 100


def test_a_rounded_plan_above_the_floor_is_searched_from_the_lp_too(write_scenario,
                                                                    monkeypatch):
    pm, lp_values = lp_of(write_scenario, fortnight(write_scenario))
    monkeypatch.setattr(plan_steps, "LARGE_PLAN", 0)
    monkeypatch.setattr(plan_round, "SWEEPS", 0)  # the rounding stops at 70 agents
    calls = []
    searched = plan_steps.restricted_plan
    monkeypatch.setattr(plan_steps, "restricted_plan",
                        lambda *a, **k: (calls.append(a[5]), searched(*a, **k))[1])
    step = plan_steps.plan_step(pm, PARAMS, 20.0, None, time.monotonic(), None, "plan",
                                lp_values=lp_values)
    assert calls == [None]  # from the LP rounded up, not from the rounded plan
    assert step.status in ("optimal", "feasible")
    assert step.objective <= 7000  # the better of the two stands
