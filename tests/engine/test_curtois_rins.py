"""The relaxation-induced neighbourhood after column generation: column generation without
the dive returns the relaxation's support, the neighbourhood search from it returns a
roster the checker accepts (at the proven optimum on Instance2), a support that is
integral pins the roster it describes, and the model's domains are left as they were; the
short dive before it, when it reaches the bound, makes the neighbourhood unnecessary."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from scheduler.check.curtois import check_roster
from scheduler.datasets.curtois import parse_curtois, read_instance
from scheduler.engine.curtois import build
from scheduler.engine.curtois_columns import column_generation
from scheduler.engine.curtois_rins import rins
from scheduler.engine.curtois_search import _Lns, _objective, _roster, solve_curtois

DATA = Path(__file__).resolve().parents[3] / "shared" / "benchmarks" / "curtois"
needs_data = pytest.mark.skipif(not (DATA / "Instance2.txt").exists(),
                                reason="benchmark data not here")

# two employees, four days, two shift types; cover wants one D and one N a day
SMALL = """SECTION_HORIZON
4

SECTION_SHIFTS
D,480,
N,480,D

SECTION_STAFF
A,D=4|N=4,1920,0,4,1,1,1
B,D=4|N=4,1920,0,4,1,1,1

SECTION_COVER
0,D,1,100,1
0,N,1,100,1
1,D,1,100,1
1,N,1,100,1
2,D,1,100,1
2,N,1,100,1
3,D,1,100,1
3,N,1,100,1
"""


def _domains(search: _Lns) -> list[list[int]]:
    return [list(search.proto.variables[i].domain) for i in search.index]


def test_an_integral_support_pins_its_roster_and_the_domains_come_back():
    inst = parse_curtois(SMALL, "small")
    v = build(inst)
    search = _Lns(v, workers=1, seed=0)
    before = _domains(search)
    # A works D every day, B works N every day (N may not be followed by D, so B stays on N)
    support = {(0, d, 0): 1.0 for d in range(4)} | {(1, d, 1): 1.0 for d in range(4)}
    values = [0] * len(search.keys)
    new, value, free = rins(search, values, support, limit=5.0)
    assert free == 0
    assert new is not None
    roster = _roster(v, dict(zip(search.keys, new)))
    assert roster == {"A": ("D",) * 4, "B": ("N",) * 4}
    assert value + v.constant == _objective(v, new, search.keys)
    check = check_roster(inst, roster)
    assert check.violations == ()
    assert check.objective == 0
    assert _domains(search) == before


@needs_data
def test_support_from_column_generation_leads_to_a_checked_optimal_roster():
    inst = read_instance(DATA / "Instance2.txt")
    now = time.monotonic()
    cg = column_generation(inst, None, now + 30, 2.0, seed=0, workers=2, dive=False)
    assert cg.converged and cg.support is not None and cg.roster is not None
    assert all(0.0 < share <= 1.0 + 1e-6 for share in cg.support.values())
    v = build(inst)
    search = _Lns(v, workers=2, seed=0)
    new, value, _ = rins(search, [0] * len(search.keys), cg.support, limit=20.0,
                         target=828 - v.constant)
    assert new is not None
    check = check_roster(inst, _roster(v, dict(zip(search.keys, new))))
    assert check.violations == ()
    assert check.objective == value + v.constant
    assert check.objective >= 828  # the proven optimum
    assert check.objective <= 830  # the relaxation is tight here: its neighbourhood holds it


@needs_data
def test_solve_returns_a_checked_roster_and_skips_the_neighbourhood_at_the_bound():
    inst = read_instance(DATA / "Instance2.txt")
    result = solve_curtois(inst, time_limit_seconds=20, workers=2)
    assert result.roster is not None
    check = check_roster(inst, result.roster)
    assert check.violations == ()
    assert check.objective == result.objective
    assert check.objective >= 828
    if check.objective == result.bound:  # the short dive reached the relaxation's bound
        assert "rins_free" not in result.notes

