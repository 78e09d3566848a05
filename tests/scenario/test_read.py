"""Bad input: one clear message naming the file, the key path and the line."""

from __future__ import annotations

import pytest

from scheduler.errors import InputError, InputErrors
from scheduler.workload.loaded import load_scenario
from tests.conftest import small_scenario


def _error(path) -> str:
    with pytest.raises((InputError, InputErrors)) as info:
        load_scenario(path)
    return str(info.value)


def test_valid_small_scenario_loads(write_scenario):
    loaded = load_scenario(write_scenario(small_scenario()))
    assert loaded.required[:8] == (1,) * 8 and loaded.required[8:16] == (2,) * 8
    assert len(loaded.sha256) == 64


def test_missing_file(tmp_path):
    message = _error(tmp_path / "nope.yaml")
    assert "nope.yaml" in message and "file not found" in message


def test_yaml_syntax_error_names_the_line(write_scenario):
    path = write_scenario("name: x\nhorizon:\n  days: [1, 2\n  slot_minutes: 30\n")
    message = _error(path)
    assert "scenario.yaml:" in message and "YAML syntax error" in message
    assert ":4:" in message or ":3:" in message


def test_unknown_key_names_path_and_line(write_scenario):
    data = small_scenario()
    data["horizon"]["slot_minute"] = 30
    message = _error(write_scenario(data))
    assert "horizon.slot_minute" in message and "unknown key" in message
    assert "scenario.yaml:" in message


def test_wrong_type_names_path_and_line(write_scenario):
    text = (
        "name: x\n"
        "horizon:\n  start_date: 2026-11-16\n  days: seven\n"
        "demand:\n  floor: 1\n"
        "shift_types:\n  - name: a\n    paid_hours: [8]\n    earliest_start: '06:00'\n    latest_start: '08:00'\n"
    )
    message = _error(write_scenario(text))
    assert "scenario.yaml:4: horizon.days" in message


def test_break_longer_than_its_shift(write_scenario):
    data = small_scenario()
    data["shift_types"][0]["paid_hours"] = [1]
    data["shift_types"][0]["breaks"][0].update(duration_minutes=120, earliest_start_minutes=0, latest_start_minutes=0)
    message = _error(write_scenario(data))
    assert "shift_types.0" in message and "not shorter than" in message


def test_empty_start_window(write_scenario):
    data = small_scenario()
    data["shift_types"][1]["earliest_start"] = "22:00"
    data["shift_types"][1]["latest_start"] = "02:00"
    message = _error(write_scenario(data))
    assert "shift_types.1" in message and "empty start window" in message


def test_start_window_without_a_slot_boundary(write_scenario):
    data = small_scenario()
    data["shift_types"][0]["earliest_start"] = "06:10"
    data["shift_types"][0]["latest_start"] = "06:50"
    message = _error(write_scenario(data))
    assert "shift_types.0.earliest_start" in message and "empty start window" in message


def test_inline_demand_of_wrong_length(write_scenario):
    data = small_scenario()
    data["demand"]["required"] = [1] * 23
    message = _error(write_scenario(data))
    assert "demand.required" in message and "23 values" in message and "24 slots" in message


def _csv_scenario(write_scenario, rows: list[str]):
    data = small_scenario()
    data["demand"] = {"file": "demand.csv"}
    path = write_scenario(data)
    (path.parent / "demand.csv").write_text("\n".join(["start,required", *rows]) + "\n")
    return path


def _rows(n=24):
    return [f"2026-11-16T{h:02d}:00,1" for h in range(n)]


def test_demand_csv_valid(write_scenario):
    loaded = load_scenario(_csv_scenario(write_scenario, _rows()))
    assert loaded.required == (1,) * 24


def test_demand_csv_missing_slot(write_scenario):
    message = _error(_csv_scenario(write_scenario, _rows(23)))
    assert "demand.csv" in message and "1 of 24 slots have no row" in message


def test_demand_csv_duplicate_slot_names_line(write_scenario):
    rows = _rows() + ["2026-11-16T05:00,3"]
    message = _error(_csv_scenario(write_scenario, rows))
    assert "demand.csv:26" in message and "appears twice" in message


def test_demand_csv_off_grid(write_scenario):
    rows = _rows()
    rows[3] = "2026-11-16T03:30,1"
    message = _error(_csv_scenario(write_scenario, rows))
    assert "demand.csv:5" in message and "not on the 60-minute slot grid" in message


def test_demand_csv_outside_horizon(write_scenario):
    rows = _rows()
    rows[0] = "2026-11-17T00:00,1"
    message = _error(_csv_scenario(write_scenario, rows))
    assert "demand.csv:2" in message and "outside the horizon" in message


@pytest.mark.parametrize("value", ["-1", "nan", "abc", "inf"])
def test_demand_csv_bad_requirement(write_scenario, value):
    rows = _rows()
    rows[2] = f"2026-11-16T02:00,{value}"
    message = _error(_csv_scenario(write_scenario, rows))
    assert "demand.csv:4" in message and "not a valid number of agents" in message


def test_demand_csv_fraction_rounds_up(write_scenario):
    rows = _rows()
    rows[2] = "2026-11-16T02:00,2.2"
    assert load_scenario(_csv_scenario(write_scenario, rows)).required[2] == 3


def test_demand_csv_missing_file(write_scenario):
    data = small_scenario()
    data["demand"] = {"file": "absent.csv"}
    message = _error(write_scenario(data))
    assert "absent.csv" in message and "demand.file" in message and "file not found" in message


def test_demand_csv_wrong_header(write_scenario):
    data = small_scenario()
    data["demand"] = {"file": "demand.csv"}
    path = write_scenario(data)
    (path.parent / "demand.csv").write_text("when,agents\n")
    assert "expected the columns start,required" in _error(path)


def test_duplicate_yaml_key(write_scenario):
    text = "name: x\nname: y\n"
    message = _error(write_scenario(text))
    assert "scenario.yaml:2" in message and "appears twice" in message


def test_unknown_preset(write_scenario):
    data = small_scenario()
    data["rules"] = {"preset": "martian"}
    message = _error(write_scenario(data))
    assert "rules.preset" in message and "china-standard" in message


def test_preset_is_merged_and_scenario_wins(write_scenario):
    data = small_scenario()
    data["rules"] = {"preset": "china-standard", "max_weekly_paid_hours": 42}
    rules = load_scenario(write_scenario(data)).scenario.rules
    assert rules.max_daily_paid_hours == 8 and rules.max_days_per_week == 6
    assert rules.max_weekly_paid_hours == 42  # the preset says 40


def test_empty_file(write_scenario):
    assert "empty" in _error(write_scenario(""))


def test_not_a_mapping(write_scenario):
    assert "mapping" in _error(write_scenario("- 1\n- 2\n"))


def test_absurd_horizon_is_refused(write_scenario):
    data = small_scenario()
    data["horizon"]["days"] = 1_000_000
    message = _error(write_scenario(data))
    assert "horizon.days" in message and "366" in message


def test_oversized_demand_file_is_refused_before_reading(write_scenario, monkeypatch):
    import scheduler.scenario.demand as io_module

    path = _csv_scenario(write_scenario, _rows())
    monkeypatch.setattr(io_module, "MAX_DEMAND_BYTES", 100)
    message = _error(path)
    assert "demand.csv" in message and "above the limit" in message


def test_absurd_requirement_is_refused(write_scenario):
    rows = _rows()
    rows[0] = "2026-11-16T00:00,1e12"
    message = _error(_csv_scenario(write_scenario, rows))
    assert "above 1,000,000 agents" in message
