"""Property tests: on random small scenarios every roster the solver returns passes the
independent checker, and a scenario it calls infeasible comes with a reason."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.check import check_output_dir
from scheduler.io import load_scenario
from scheduler.output import write_result
from scheduler.solve import solve


@st.composite
def scenarios(draw):
    days = draw(st.integers(1, 8))
    cyclic = draw(st.booleans())
    required = draw(st.lists(st.integers(0, 3), min_size=days * 24, max_size=days * 24))
    types = []
    for i in range(draw(st.integers(1, 2))):
        earliest = draw(st.integers(0, 23))
        latest = earliest + draw(st.integers(0, 12))
        hours = sorted(set(draw(st.lists(st.sampled_from([4, 6, 8, 9]), min_size=1, max_size=2))))
        shift = {"name": f"t{i}", "paid_hours": hours,
                 "earliest_start": f"{earliest:02d}:00", "latest_start": f"{latest:02d}:00"}
        if draw(st.booleans()) and max(hours) >= 6:
            shift["breaks"] = [{"name": "meal", "duration_minutes": 60,
                                "earliest_start_minutes": 120, "latest_start_minutes": 240,
                                "paid": draw(st.booleans()), "min_shift_hours": 6}]
        types.append(shift)
    rules = {
        "max_days_per_week": draw(st.integers(5, 7)),
        "min_rest_hours": draw(st.sampled_from([0, 11, 12])),
        "max_consecutive_days": draw(st.sampled_from([None, 3, 6])),
        "max_weekly_paid_hours": draw(st.sampled_from([None, 40, 48])),
    }
    rules = {k: v for k, v in rules.items() if v is not None}
    return {
        "name": "prop",
        "horizon": {"start_date": "2026-11-16", "days": days, "slot_minutes": 60,
                    "cyclic": cyclic},
        "demand": {"required": required, "floor": draw(st.integers(0, 1))},
        "shift_types": types,
        "rules": rules,
        "coverage": {"allow_understaffing": draw(st.booleans())},
        "solver": {"time_limit_seconds": 8, "workers": 2},
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_every_returned_roster_passes_the_checker(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "prop.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False))
        loaded = load_scenario(path)
        result = solve(loaded)
        if not result.feasible:
            assert result.summary.status in ("infeasible", "unknown")
            assert result.summary.message
            return
        out = Path(tmp) / "out"
        write_result(result, out, loaded.scenario.horizon.start_date, loaded.scenario.horizon.days)
        report = check_output_dir(path, out)
        assert report.ok, report.violations[:5]
        summary = result.summary
        assert summary.headcount_lower_bound is None or summary.headcount >= summary.headcount_lower_bound
