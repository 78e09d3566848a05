"""The shift design stage (objective.kind penalties with a distinct_shift_penalty): its
candidate shifts from the demand's change points, and its plans against brute force on a
day small enough to enumerate. Every roster goes through the independent checker."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import yaml

from scheduler.engine import shiftdesign
from scheduler.check import check_output_dir
from scheduler.engine.instance import Instance
from scheduler.workload.loaded import load_scenario
from scheduler.report.output import write_result
from scheduler.engine.plan import build_plan_model
from scheduler.engine.solve import SCALE, solve

# One repeating day of hourly slots: 06:00 1, 07:00 2, 08:00-09:59 3, 10:00 2, 11:00-12:59 1.
DEMAND = {6: 1, 7: 2, 8: 3, 9: 3, 10: 2, 11: 1, 12: 1}
STARTS = (6, 7, 8)
HOURS = (3, 4, 5)


def scenario(distinct_shift_penalty: float, kind: str = "penalties") -> dict:
    return {
        "name": "design",
        "horizon": {"start_date": "2026-11-16", "days": 1, "slot_minutes": 60, "cyclic": True},
        "demand": {"required": [DEMAND.get(h, 0) for h in range(24)]},
        "shift_types": [{"name": "day", "paid_hours": list(HOURS), "earliest_start": "06:00",
                         "latest_start": "08:00", "start_step_minutes": 60}],
        "coverage": {"allow_understaffing": True, "understaffing_penalty": 1,
                     "overstaffing_penalty": 1},
        "objective": {"kind": kind, "distinct_shift_penalty": distinct_shift_penalty},
        "solver": {"time_limit_seconds": 10, "workers": 2, "seed": 0},
    }


def brute_force(penalty: int) -> tuple[int, int]:
    """(best objective, fewest distinct shifts among the plans reaching it): every count
    0-3 of each of the nine shifts (3 is the peak: more never pays)."""
    shapes = [(s, h) for s in STARTS for h in HOURS]
    covers = np.zeros((len(shapes), 24), dtype=np.int64)
    for i, (s, h) in enumerate(shapes):
        for hour in range(s, s + h):
            covers[i, hour % 24] += 1
    counts = np.array(list(itertools.product(range(4), repeat=len(shapes))), dtype=np.int64)
    demand = np.array([DEMAND.get(h, 0) for h in range(24)], dtype=np.int64)
    deviation = np.abs(counts @ covers - demand).sum(axis=1)
    used = (counts > 0).sum(axis=1)
    value = deviation + penalty * used
    best = int(value.min())
    return best, int(used[value == best].min())


@pytest.fixture(scope="module")
def brute() -> dict[int, tuple[int, int]]:
    return {penalty: brute_force(penalty) for penalty in (0, 2, 3)}


def solved(tmp_path, data: dict):
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "design.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    result = solve(load_scenario(path))
    out = tmp_path / "out"
    write_result(result, out, result.coverage[0].start.date(), 1)
    report = check_output_dir(path, out)
    assert report.ok, report
    deviation = sum(abs(c.required - c.scheduled) for c in result.coverage)
    distinct = {(s.start.strftime("%H:%M"), s.paid_minutes) for s in result.shifts}
    return result, deviation, distinct


def test_change_points_of_a_cyclic_and_a_bounded_horizon():
    # two days of 4 slots of 360 minutes: [0, 2, 2, 1 | 1, 2, 0, 0]
    required = (0, 2, 2, 1, 1, 2, 0, 0)
    rises, falls = shiftdesign.change_points(required, 360, 4, cyclic=True)
    assert rises == {360}  # 06:00 on both days (0 -> 2, 1 -> 2)
    assert falls == {1080, 720}  # 18:00 (2 -> 1), 12:00 (2 -> 0); the wrap 0 -> 0 is none
    # not cyclic: the horizon starts from 0 and ends at 0, so a demand at its first or last
    # slot begins or ends there
    rises, falls = shiftdesign.change_points((3, 3, 0, 1), 360, 4, cyclic=False)
    assert rises == {0, 1080} and falls == {720, 0}


def test_the_rings_hold_shifts_that_start_at_a_rise_and_end_at_a_fall(tmp_path):
    path = tmp_path / "design.yaml"
    path.write_text(yaml.safe_dump(scenario(2), sort_keys=False))
    pm = build_plan_model(Instance(load_scenario(path)))
    narrow, wide = shiftdesign.candidate_rings(pm)
    # rises at 06, 07, 08; falls at 10, 11, 13: ends 10, 11 or 13 among the nine shifts
    expected = {(s * 60, h * 60) for s in STARTS for h in HOURS if s + h in (10, 11, 13)}
    assert narrow == expected
    assert narrow <= wide <= set(pm.shift_used)
    assert len(pm.shift_used) == 9


def test_the_stage_runs_for_penalties_with_a_distinct_shift_penalty_only(tmp_path):
    for data, expected in ((scenario(2), True), (scenario(0), False),
                           (scenario(2, kind="headcount"), False)):
        path = tmp_path / "s.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False))
        loaded = load_scenario(path)
        pm = build_plan_model(Instance(loaded))
        sc = loaded.scenario
        assert shiftdesign.applies(pm, sc.objective.kind,
                                   sc.objective.distinct_shift_penalty) is expected


def test_the_penalty_buys_fewer_distinct_shifts_at_the_brute_force_optimum(tmp_path, brute):
    # without the penalty an exact cover needs three distinct shifts (brute force) ...
    best, fewest = brute[0]
    assert (best, fewest) == (0, 3)
    result, deviation, distinct = solved(tmp_path / "free", scenario(0))
    assert deviation == 0 and len(distinct) >= 3
    # ... at 2 a shift, two shifts and 2 agent-hours off the demand are cheaper (6 < 3 x 2)
    best, fewest = brute[2]
    assert fewest == 2
    result, deviation, distinct = solved(tmp_path / "two", scenario(2))
    assert deviation + 2 * len(distinct) == best == 6
    assert len(distinct) == 2
    assert result.summary.objective_value == best
    assert result.summary.status == "optimal"


def test_a_dear_shift_leaves_one_distinct_shift(tmp_path, brute):
    best, fewest = brute[3]
    assert fewest == 1
    result, deviation, distinct = solved(tmp_path, scenario(3))
    assert deviation + 3 * len(distinct) == best
    assert len(distinct) == 1


def test_the_stage_alone_reaches_the_optimum_from_its_narrow_ring(tmp_path, brute):
    path = tmp_path / "design.yaml"
    path.write_text(yaml.safe_dump(scenario(2), sort_keys=False))
    loaded = load_scenario(path)
    pm = build_plan_model(Instance(loaded))
    pm.model.minimize(SCALE * (pm.short_expr + pm.over_expr + 2 * pm.distinct_expr))
    params = {"num_workers": 2, "random_seed": 0}
    found = shiftdesign.plan(pm, params, 5.0)
    assert found is not None
    assert found.status == "optimal"
    assert found.objective == found.bound == brute[2][0] * SCALE
    assert found.steps[0][0] == "narrow" and found.steps[0][1] == brute[2][0] * SCALE
    # the plan's counts give the objective it claims
    cover = [0] * 24
    for (p, d, k), c in found.counts.items():
        o = pm.pools[p].options[k]
        for hour in range(o.start_minute // 60, o.end_minute // 60):
            cover[hour % 24] += c
    deviation = sum(abs(cover[h] - DEMAND.get(h, 0)) for h in range(24))
    assert (deviation + 2 * len(found.shifts)) * SCALE == found.objective


def test_a_model_highs_cannot_take_leaves_the_plan_to_the_usual_step(tmp_path):
    # rule literals (as in explaining infeasibility) are enforcement literals: no MIP
    path = tmp_path / "design.yaml"
    path.write_text(yaml.safe_dump(scenario(2), sort_keys=False))
    pm = build_plan_model(Instance(load_scenario(path)), with_assumptions=True)
    pm.model.minimize(SCALE * (pm.short_expr + pm.over_expr + 2 * pm.distinct_expr))
    assert shiftdesign.plan(pm, {"num_workers": 2}, 2.0) is None


def _deviation_and_shifts(pm, values: list[int]) -> tuple[int, set]:
    cover = [0] * 24
    shifts = set()
    for (p, d, k), v in pm.count_vars().items():
        o = pm.pools[p].options[k]
        if values[v.index]:
            shifts.add((o.start_minute, o.paid_minutes))
        for hour in range(o.start_minute // 60, o.end_minute // 60):
            cover[hour % 24] += values[v.index]
    return sum(abs(cover[h] - DEMAND.get(h, 0)) for h in range(24)), shifts


def test_the_exact_step_covers_every_slot_and_the_later_steps_beat_it(tmp_path, brute):
    path = tmp_path / "design.yaml"
    path.write_text(yaml.safe_dump(scenario(3), sort_keys=False))
    pm = build_plan_model(Instance(load_scenario(path)))
    pm.model.minimize(SCALE * (pm.short_expr + pm.over_expr + 3 * pm.distinct_expr))
    params = {"num_workers": 2, "random_seed": 0}
    _, wide = shiftdesign.candidate_rings(pm)
    found = shiftdesign._restricted_cp_sat(pm, wide, None, params, 5.0, -float("inf"), None,
                                           None, exact=True)
    assert found is not None
    value, values, ring_optimal = found
    deviation, shifts = _deviation_and_shifts(pm, values)
    # no slot off its demand, with the fewest distinct shifts that allows (brute force: 3)
    assert deviation == 0 and len(shifts) == brute[0][1] == 3
    assert value == 3 * 3 * SCALE and ring_optimal
    # at 3 a shift one shift and some agent-hours off are cheaper: the stage goes on past it
    stage = shiftdesign.plan(pm, params, 5.0)
    assert [name for name, _, _ in stage.steps][:2] == ["narrow", "exact"]
    assert stage.objective == brute[3][0] * SCALE < value


def test_the_exact_step_finds_nothing_when_no_shift_fits_the_demand(tmp_path):
    data = scenario(3)
    data["demand"]["required"] = [1 if h == 6 else 0 for h in range(24)]  # one hour; shifts 3-5 h
    path = tmp_path / "design.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    pm = build_plan_model(Instance(load_scenario(path)))
    pm.model.minimize(SCALE * (pm.short_expr + pm.over_expr + 3 * pm.distinct_expr))
    params = {"num_workers": 2, "random_seed": 0}
    every = set(pm.shift_used)  # all nine shifts allowed
    assert shiftdesign._restricted_cp_sat(pm, every, None, params, 5.0, -float("inf"), None,
                                          None, exact=True) is None
    # without the equalities a plan exists (two agent-hours over, or one short)
    assert shiftdesign._restricted_cp_sat(pm, every, None, params, 5.0, -float("inf"), None,
                                          None) is not None
