"""Improving a plan a few days at a time (engine/plan_days.py)."""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.engine import plan_days
from scheduler.engine.cpsat import run_cp_sat
from scheduler.engine.instance import Instance
from scheduler.engine.plan import build_plan_model
from scheduler.workload.loaded import load_scenario
from conftest import small_scenario

PARAMS = {"num_workers": 2, "random_seed": 0}


def four_day_plan(write_scenario):
    """Four days of 60-minute slots, busier on the middle two; least paid hours."""
    day = [1] * 8 + [2] * 8 + [1] * 8
    busy = [1] * 8 + [3] * 8 + [2] * 8
    data = small_scenario(**{"horizon.days": 4, "horizon.cyclic": False,
                             "demand.required": day + busy + busy + day})
    pm = build_plan_model(Instance(load_scenario(write_scenario(data))))
    pm.model.minimize(pm.paid_expr)
    return pm


def solve_fixed(model: cp_model.CpModel, values: list[int]) -> bool:
    """Whether `values` satisfy every constraint of `model`."""
    fixed = model.clone()
    for i, x in enumerate(values):
        fixed.add(fixed.get_int_var_from_proto_index(i) == x)
    _, status = run_cp_sat(fixed, PARAMS, 5.0)
    return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def test_windows_of_days_bring_a_worse_plan_back_to_the_optimum(write_scenario):
    pm = four_day_plan(write_scenario)
    solver, status = run_cp_sat(pm.model, PARAMS, 10.0)
    assert status == cp_model.OPTIMAL
    best = solver.objective_value
    # a plan with one 8-hour shift too many, found by asking for it
    worse_model = pm.model.clone()
    worse_model.add(pm.paid_expr >= round(best) + 8 * 60)
    worse_solver, status = run_cp_sat(worse_model, PARAMS, 10.0)
    assert status == cp_model.OPTIMAL
    worse = list(worse_solver.response_proto.solution)
    worse_value = worse_solver.objective_value
    assert worse_value > best

    improved = plan_days.improve_by_days(pm, worse, worse_value, 10.0, PARAMS, None)
    assert improved is not None
    values, value = improved
    assert value == best
    assert solve_fixed(pm.model, values)  # a plan of the whole model
    # the optimum itself cannot be improved
    assert plan_days.improve_by_days(pm, values, value, 5.0, PARAMS, None) is None


def test_the_counts_outside_the_window_are_fixed_and_freed_again(write_scenario):
    pm = four_day_plan(write_scenario)
    by_day = plan_days._counts_by_day(pm)
    # the four days, and the evening before (a night shift started then reaches day 0)
    assert sorted(by_day) in ([0, 1, 2, 3], [-1, 0, 1, 2, 3])
    model = pm.model.clone()
    domains = {i: list(model.proto.variables[i].domain) for ix in by_day.values() for i in ix}
    values = [3] * len(model.proto.variables)
    plan_days._fix_outside(model, by_day, [1, 2], values, domains)
    for d, indices in by_day.items():
        for i in indices:
            got = list(model.proto.variables[i].domain)
            assert got == (domains[i] if d in (1, 2) else [3, 3])
    plan_days._fix_outside(model, by_day, sorted(by_day), values, domains)
    assert all(list(model.proto.variables[i].domain) == domains[i] for i in domains)


def test_windows_cover_every_day_once_and_the_costliest_come_first(write_scenario):
    pm = four_day_plan(write_scenario)
    by_day = plan_days._counts_by_day(pm)
    days = sorted(by_day)
    for shift in (0, 1):
        windows = plan_days._windows(by_day, shift, [], None, pm.model)
        assert sorted(d for w in windows for d in w) == days
        assert all(w == list(range(w[0], w[0] + len(w))) for w in windows)
        # windows of two days; shifted by one, the first has one
        assert [len(w) for w in windows[:-1]] == [2 - shift] + [2] * (len(windows) - 2)
    # a plan above the LP on days 2-3 only: that window first
    lp = [0.0] * len(pm.model.proto.variables)
    values = [0] * len(lp)
    paid = set(pm.model.proto.objective.vars)
    for i in by_day[3]:
        if i in paid:
            values[i] = 1
            break
    windows = plan_days._windows(by_day, 0, values, lp, pm.model)
    assert 3 in windows[0] and all(3 not in w for w in windows[1:])
