"""engine/plan.py: the running totals of agents on duty equal the direct sums of the counts
that cover each slot (shifts with breaks, shifts over the horizon's wrap), and the sparse
plan keeps the LP of the coverage rows summed directly."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model
from scipy.optimize import linprog

from scheduler.engine.highs import solve_with_highs
from scheduler.engine.instance import Instance
from scheduler.engine.plan import _stretches, build_plan_model, running_totals
from scheduler.workload.loaded import load_scenario
from tests.conftest import small_scenario


def test_stretches_split_at_breaks_and_join_over_the_wrap():
    assert _stretches([2, 3, 5, 6], 10, cyclic=False) == [(2, 4), (5, 7)]
    assert _stretches([0, 1, 8, 9], 10, cyclic=True) == [(8, 12)]
    assert _stretches([0, 1, 8, 9], 10, cyclic=False) == [(0, 2), (8, 10)]
    assert _stretches(list(range(10)), 10, cyclic=True) == [(0, 10)]


shift = st.tuples(st.integers(0, 11), st.integers(1, 8), st.integers(0, 3), st.integers(0, 5))


@settings(max_examples=60, deadline=None)
@given(shifts=st.lists(shift, min_size=1, max_size=8), cyclic=st.booleans())
def test_running_totals_equal_the_direct_sums(shifts, cyclic):
    """Shifts of `length` slots from `start` with a one-slot break at `brk` (0: none),
    each worked `count` times, on 12 slots; off the end they wrap when cyclic and are cut
    off otherwise."""
    n = 12
    model = cp_model.CpModel()
    covers: list[list] = [[] for _ in range(n)]
    direct = [0] * n
    for i, (start, length, brk, count) in enumerate(shifts):
        var = model.new_int_var(0, 10, f"x{i}")
        model.add(var == count)
        for j in range(length):
            if brk and j == brk and length > 2:
                continue
            s = start + j
            if s >= n and not cyclic:
                continue
            covers[s % n].append(var)
            direct[s % n] += count
    totals = running_totals(model, covers, cyclic, "t")
    solver = cp_model.CpSolver()
    assert solver.solve(model) == cp_model.OPTIMAL
    assert [solver.value(t) for t in totals] == direct


@pytest.mark.parametrize("cyclic", [True, False])
def test_the_plan_lp_equals_the_coverage_lp_summed_directly(write_scenario, cyclic):
    """Fewest shifts covering the small day: the plan (running totals) and an LP whose
    rows sum every covering count directly have the same optimum."""
    data = small_scenario()
    data["horizon"]["cyclic"] = cyclic
    inst = Instance(load_scenario(write_scenario(data)))
    pm = build_plan_model(inst)
    pm.model.minimize(sum(pm.n.values()))
    status, _, value, _ = solve_with_highs(pm.model, 30, relax=True)
    keys = list(pm.n)
    rows = np.zeros((inst.num_slots, len(keys)))
    for j, (p, d, k) in enumerate(keys):
        view = pm.pools[p]
        for s in view.covered(d, view.options[k]):
            rows[s, j] += 1
    direct = linprog(np.ones(len(keys)), A_ub=-rows, b_ub=-np.array(inst.required),
                     bounds=(0, None), method="highs")
    assert status == "optimal" and direct.status == 0
    assert abs(value - direct.fun) < 1e-6
