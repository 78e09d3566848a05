"""Best responses over the columns of column generation, the dynamic-programming pricing in
worker processes, and the unconverged dive: the polish never makes a roster worse and
ends where no employee's column change helps, its cost is the checker's, the
process pool prices as the pricer does in this process, and a dive started at once
(before the relaxation converges) ends in a roster the checker accepts."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from scheduler.check.curtois import check_roster
from scheduler.datasets.curtois import parse_curtois, read_instance
from scheduler.engine.curtois_columns import Pricer, _row, column_generation
from scheduler.engine.curtois_dp import DpPricer
from scheduler.engine.curtois_polish import polish, roster_cost
from scheduler.engine.curtois_pool import DpPool

DATA = Path(__file__).resolve().parents[3] / "shared" / "benchmarks" / "curtois"
needs_data = pytest.mark.skipif(not (DATA / "Instance2.txt").exists(),
                                reason="benchmark data not here")

# two employees, three days, one shift type; cover wants one person a day
TINY = """SECTION_HORIZON
3

SECTION_SHIFTS
D,480,

SECTION_STAFF
A,D=3,1440,0,3,1,1,1
B,D=3,1440,0,3,1,1,1

SECTION_SHIFT_ON_REQUESTS
A,0,D,1

SECTION_COVER
0,D,1,100,1
1,D,1,100,1
2,D,1,100,1
"""


def tiny_columns():
    inst = parse_curtois(TINY, "tiny")
    cols = [(0, frozenset()), (1, frozenset()),  # the start: nobody works
            (0, frozenset({(0, 0), (1, 0)})), (1, frozenset({(2, 0)})),
            (1, frozenset({(0, 0), (1, 0), (2, 0)}))]
    pricers = [Pricer(inst, 0), Pricer(inst, 1)]
    costs = [pricers[e].cost(col) for e, col in cols]
    return inst, cols, costs


def test_polish_never_worse_and_ends_where_no_one_column_change_helps():
    inst, cols, costs = tiny_columns()
    start = {0: 0, 1: 1}
    before = roster_cost(inst, costs, cols, start)
    assert before == 1 + 300  # A's request missed, three people short
    for seed in range(4):
        chosen = polish(inst, costs, cols, start, time.monotonic() + 5, seed=seed)
        after = roster_cost(inst, costs, cols, chosen)
        assert after <= before
        for j, (e, _) in enumerate(cols):  # a best response for everyone
            assert roster_cost(inst, costs, cols, {**chosen, e: j}) >= after


def test_polish_keeps_the_fixed_and_answers_them_best():
    inst, cols, costs = tiny_columns()
    # A held on days 0-1: B's best answer is day 2 alone (all three would over-cover)
    chosen = polish(inst, costs, cols, {0: 2, 1: 1}, time.monotonic() + 5,
                    fixed=frozenset({0}))
    assert chosen == {0: 2, 1: 3}
    assert roster_cost(inst, costs, cols, chosen) == 0


def test_polished_cost_is_the_checkers_objective():
    inst, cols, costs = tiny_columns()
    for chosen in ({0: 0, 1: 1}, {0: 2, 1: 4}, {0: 2, 1: 3}):
        roster = {inst.staff[e].id: _row(inst, cols[j][1]) for e, j in chosen.items()}
        check = check_roster(inst, roster)
        assert check.feasible
        assert check.objective == roster_cost(inst, costs, cols, chosen)


@needs_data
def test_pool_prices_as_the_pricer_in_this_process():
    inst = read_instance(DATA / "Instance2.txt")
    duals = {(d, s): 30.0 + 7 * ((d * 3 + s) % 5) for d in range(inst.days)
             for s in range(len(inst.shifts))}
    employees = list(range(len(inst.staff)))
    pool = DpPool(inst, employees, 2)
    try:
        got = pool.price(duals, employees[:5])
    finally:
        pool.close()
    assert sorted(got) == employees[:5]
    for e, (found, bound) in got.items():
        here = DpPricer(inst, e)
        assert found == here.solve(duals)
        assert bound == pytest.approx(here.last_bound)


@needs_data
def test_unconverged_dive_ends_in_a_roster_the_checker_accepts():
    inst = read_instance(DATA / "Instance2.txt")
    now = time.monotonic()
    result = column_generation(inst, None, now + 20, 2.0, seed=0, workers=2,
                               dive_by=now, dive_late=True)
    assert result.roster is not None
    check = check_roster(inst, result.roster)
    assert check.feasible and check.violations == ()
    assert check.objective >= 828  # the proven optimum
