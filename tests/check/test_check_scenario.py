"""The checker's own reading of a scenario file with its presets."""

from __future__ import annotations

from scheduler.check import load_scenario_for_check
from tests.check.check_cases import write_output


def test_load_scenario_merges_preset_with_overrides(tmp_path):
    scenario, _ = write_output(tmp_path)
    sc = load_scenario_for_check(scenario)
    assert sc.rules.preset == "five-day-week"
    assert sc.rules.max_days_per_week == 6  # the scenario overrides the preset
    assert sc.rules.min_rest_hours == 12 and sc.rules.max_consecutive_days == 6
    assert sc.rules.max_weekly_paid_hours == 56
