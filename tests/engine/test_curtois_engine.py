"""The CP-SAT search for the Curtois and Qu (2014) instances: Instance1 solved to a roster the
independent checker accepts (with the checker's objective equal to the solver's), and a
property test: on tiny random instances every roster returned passes the checker, and no
roster is returned only when one employee's own rules leave them no roster at all."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from scheduler.check.curtois import check_roster
from scheduler.datasets.curtois import (
    CurtoisCover, CurtoisInstance, CurtoisRequest, CurtoisShift, CurtoisStaff, read_instance,
)
from scheduler.engine.curtois import HARD_RULES, add_variables
from scheduler.engine.curtois_search import solve_curtois

DATA = Path(__file__).resolve().parents[3] / "shared" / "benchmarks" / "curtois"


@pytest.mark.skipif(not (DATA / "Instance1.txt").exists(), reason="benchmark data not here")
@pytest.mark.parametrize("columns", [True, False])
def test_instance1_roster_passes_the_checker(columns):
    inst = read_instance(DATA / "Instance1.txt")
    result = solve_curtois(inst, time_limit_seconds=3, workers=1, columns=columns)
    assert result.roster is not None
    check = check_roster(inst, result.roster)
    assert check.violations == ()
    assert check.objective == result.objective
    assert check.objective >= 607  # the proven optimum: nothing below it can be right


@st.composite
def tiny_instances(draw) -> CurtoisInstance:
    days = 7 * draw(st.integers(1, 2))
    shifts = [CurtoisShift("E", 480, ()), CurtoisShift("L", 600, ())]
    if draw(st.booleans()):
        shifts[1] = CurtoisShift("L", 600, ("E",))
    staff = []
    for e in range(draw(st.integers(1, 3))):
        max_run = draw(st.integers(2, 6))
        staff.append(CurtoisStaff(
            id=f"P{e}",
            max_shifts=(("E", draw(st.integers(0, days))), ("L", draw(st.integers(0, days)))),
            max_total_minutes=draw(st.integers(480 * days // 3, 600 * days)),
            min_total_minutes=draw(st.integers(0, 480 * days // 4)),
            max_consecutive_shifts=max_run,
            min_consecutive_shifts=draw(st.integers(1, max_run)),
            min_consecutive_days_off=draw(st.integers(1, 3)),
            max_weekends=draw(st.integers(0, days // 7)),
            days_off=frozenset(draw(st.sets(st.integers(0, days - 1), max_size=3)))))
    ids = [p.id for p in staff]
    req = st.builds(CurtoisRequest, st.sampled_from(ids), st.integers(0, days - 1),
                    st.sampled_from(["E", "L"]), st.integers(1, 3))
    cover = tuple(CurtoisCover(d, s.id, draw(st.integers(0, 2)), 100, 1)
                  for d in range(days) for s in shifts)
    return CurtoisInstance("tiny", days, tuple(shifts), tuple(staff),
                           tuple(draw(st.lists(req, max_size=4))),
                           tuple(draw(st.lists(req, max_size=4))), cover)


def someone_has_no_roster(inst: CurtoisInstance) -> bool:
    """Each employee's rules alone, solved by CP-SAT: is one of them infeasible? (The
    rules bind employees one by one; cover is soft.)"""
    for person in inst.staff:
        alone = CurtoisInstance(inst.name, inst.days, inst.shifts, (person,), (), (), ())
        model = cp_model.CpModel()
        v = add_variables(model, alone)
        for rule in HARD_RULES:
            rule(v)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        if solver.solve(model) == cp_model.INFEASIBLE:
            return True
    return False


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_instances(), st.booleans())
def test_every_returned_roster_passes_the_checker(inst, columns):
    result = solve_curtois(inst, time_limit_seconds=1.0, workers=1, columns=columns,
                           step_seconds=0.2)
    if result.roster is None:
        assert someone_has_no_roster(inst)
        return
    check = check_roster(inst, result.roster)
    assert check.violations == ()
    assert check.objective == result.objective
