"""The checker's own reading of a scenario file with its presets."""

from __future__ import annotations

import pytest

from scheduler.check import load_scenario_for_check
from tests.check.check_cases import SCENARIO_YAML, write_output


def test_load_scenario_merges_preset_with_overrides(tmp_path):
    scenario, _ = write_output(tmp_path)
    sc = load_scenario_for_check(scenario)
    assert sc.rules.preset == "five-day-week"
    assert sc.rules.max_days_per_week == 6  # the scenario overrides the preset
    assert sc.rules.min_rest_hours == 12 and sc.rules.max_consecutive_days == 6
    assert sc.rules.max_weekly_paid_hours == 56


def test_solver_profile_merged_and_scenario_without_presets_as_written(tmp_path):
    path = tmp_path / "scenario.yaml"
    path.write_text(SCENARIO_YAML.replace("rules:\n  preset: five-day-week\n", "rules:\n")
                    + "solver: {profile: quick, workers: 1}\n")
    sc = load_scenario_for_check(path)
    assert sc.rules.max_days_per_week == 6 and sc.rules.min_rest_hours == 0  # no preset
    assert sc.solver.profile == "quick" and sc.solver.time_limit_seconds == 10  # the preset
    assert sc.solver.workers == 1  # the scenario overrides it


@pytest.mark.parametrize("preset, message", [
    ("no-such-preset", "unknown rules preset 'no-such-preset'"),
    ("../solver/quick", "is not a plain file name"),
])
def test_unknown_or_path_like_preset_is_refused(tmp_path, preset, message):
    path = tmp_path / "scenario.yaml"
    path.write_text(SCENARIO_YAML.replace("preset: five-day-week", f"preset: {preset}"))
    with pytest.raises(ValueError, match=message):
        load_scenario_for_check(path)
