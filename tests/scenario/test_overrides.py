"""Overrides (--set), variants and extends: applied to the YAML tree, validated as if
written in the file, and every error names where the bad value came from."""

from __future__ import annotations

import pytest
import yaml

from scheduler.errors import InputError, InputErrors
from scheduler.workload.loaded import load_scenario
from scheduler.scenario.tree import read_variants
from scheduler.scenario.overrides import (
    Override,
    apply_override,
    deep_merge,
    known_keys,
    parse_override,
    parse_sweep,
    safe_name,
    sweep_grid,
)
from scheduler.models import Scenario
from tests.conftest import SCENARIOS, small_scenario


def _error(path, *args, **kw) -> str:
    with pytest.raises((InputError, InputErrors)) as info:
        load_scenario(path, *args, **kw)
    assert info.value.exit_code == 2
    return str(info.value)


# ---------------------------------------------------------------- values and paths


@pytest.mark.parametrize(
    "text, value",
    [
        ("6", 6), ("0.8", 0.8), ("[4, 6]", [4, 6]), ("true", True), ("null", None),
        ("21:30", "21:30"), ("05:00", "05:00"), ("early", "early"), ("'6'", "6"),
    ],
)
def test_values_are_read_as_yaml_scalars_and_flow(text, value):
    ov = parse_override(f"rules.x={text}")
    assert ov.key == "rules.x" and ov.value == value and type(ov.value) is type(value)


@pytest.mark.parametrize("text", ["rules.max_days_per_week", "=6", "rules..x=1", ".x=1"])
def test_malformed_assignment(text):
    with pytest.raises(InputError) as info:
        parse_override(text)
    assert str(info.value).startswith(f"--set {text}") and "KEY=VALUE" in str(info.value)


def test_unreadable_value():
    with pytest.raises(InputError) as info:
        parse_override("rules.x=[1, 2")
    assert "--set rules.x=[1, 2" in str(info.value) and "cannot read the value" in str(info.value)


def test_paths_descend_mappings_named_list_items_and_indices():
    data = {
        "rules": {"max_days_per_week": 5},
        "channels": [{"name": "voice", "aht_seconds": 300}, {"name": "chat", "aht_seconds": 200}],
        "pools": {"voice": {"aht_seconds": 1}},
    }
    assert apply_override(data, parse_override("rules.max_days_per_week=6")) == ("rules", "max_days_per_week")
    assert apply_override(data, parse_override("channels.chat.aht_seconds=330")) == ("channels", 1, "aht_seconds")
    assert apply_override(data, parse_override("channels.0.aht_seconds=270")) == ("channels", 0, "aht_seconds")
    assert apply_override(data, parse_override("pools.voice.aht_seconds=2")) == ("pools", "voice", "aht_seconds")
    assert apply_override(data, parse_override("coverage.allow_understaffing=true")) == ("coverage", "allow_understaffing")
    assert data["rules"]["max_days_per_week"] == 6
    assert [c["aht_seconds"] for c in data["channels"]] == [270, 330]
    assert data["pools"]["voice"]["aht_seconds"] == 2
    assert data["coverage"] == {"allow_understaffing": True}


def test_a_name_wins_over_an_index_and_a_missing_item_is_named():
    data = {"items": [{"name": "1"}, {"name": "0"}]}
    assert apply_override(data, parse_override("items.0.x=1")) == ("items", 1, "x")
    with pytest.raises(InputError) as info:
        apply_override(data, parse_override("items.late.x=1"))
    assert "no item named 'late' in items (items: 1, 0)" in str(info.value)
    with pytest.raises(InputError) as info:
        apply_override({"items": [1, 2]}, parse_override("items.2=3"))
    assert "no item named '2'" in str(info.value) and "index 0-1" in str(info.value)


def test_no_key_under_a_single_value():
    with pytest.raises(InputError) as info:
        apply_override({"rules": {"max_days_per_week": 5}}, parse_override("rules.max_days_per_week.x=1"))
    assert "rules.max_days_per_week is a single value (5)" in str(info.value)


def test_deep_merge_merges_mappings_replaces_lists_and_keeps_origins():
    base = {"a": {"x": 1, "y": 2}, "l": [{"name": "p", "v": 1}], "k": 1}
    child = {"a": {"y": 3}, "l": [{"name": "q"}]}
    bo = {("a",): ("b", 1), ("a", "x"): ("b", 2), ("a", "y"): ("b", 3), ("l",): ("b", 4),
          ("l", 0): ("b", 5), ("l", 0, "v"): ("b", 6), ("k",): ("b", 7)}
    co = {("a",): ("c", 1), ("a", "y"): ("c", 2), ("l",): ("c", 3), ("l", 0): ("c", 4)}
    merged, origins = deep_merge(base, bo, child, co)
    assert merged == {"a": {"x": 1, "y": 3}, "l": [{"name": "q"}], "k": 1}
    assert origins[("a", "x")] == ("b", 2) and origins[("a", "y")] == ("c", 2)
    assert origins[("k",)] == ("b", 7) and ("l", 0, "v") not in origins


def test_known_keys_walk_the_schema():
    assert "max_days_per_week" in known_keys(Scenario, ("rules",))
    assert "paid_hours" in known_keys(Scenario, ("shift_types", 0))
    assert "duration_minutes" in known_keys(Scenario, ("shift_types", 0, "breaks", 3))
    assert "horizon" in known_keys(Scenario, ())
    assert known_keys(Scenario, ("name",)) == []


# ---------------------------------------------------------------- load_scenario --set


def test_set_is_applied_and_wins_over_the_file_and_the_preset(write_scenario):
    data = small_scenario()
    data["rules"] = {"preset": "china-standard", "max_weekly_paid_hours": 40}
    path = write_scenario(data)
    plain = load_scenario(path)
    loaded = load_scenario(path, ["rules.max_days_per_week=5", "rules.max_weekly_paid_hours=42",
                                  "shift_types.night.paid_hours=[7, 8]"])
    assert plain.scenario.rules.max_days_per_week == 6  # from the preset
    assert loaded.scenario.rules.max_days_per_week == 5
    assert loaded.scenario.rules.max_weekly_paid_hours == 42
    assert loaded.scenario.shift_types[1].paid_hours == [7, 8]
    assert loaded.overrides == ("rules.max_days_per_week=5", "rules.max_weekly_paid_hours=42",
                                "shift_types.night.paid_hours=[7, 8]")
    assert loaded.sha256 != plain.sha256
    assert load_scenario(path).sha256 == plain.sha256


def test_set_equals_writing_it_in_the_file(write_scenario, tmp_path):
    path = write_scenario(small_scenario())
    by_set = load_scenario(path, ["coverage.allow_understaffing=true", "shift_types.day.latest_start=09:00"])
    written = write_scenario(small_scenario(**{"coverage.allow_understaffing": True,
                                               "shift_types.0.latest_start": "09:00"}), "b.yaml")
    assert by_set.scenario == load_scenario(written).scenario


def test_unknown_key_one_clear_message_with_a_suggestion(write_scenario):
    path = write_scenario(small_scenario())
    message = _error(path, ["rules.max_day_per_week=6"])
    assert message == ("--set rules.max_day_per_week=6: unknown key 'max_day_per_week' under "
                       "rules (did you mean max_days_per_week?)")


def test_unknown_key_at_the_top_and_in_a_new_mapping(write_scenario):
    path = write_scenario(small_scenario())
    assert _error(path, ["rulez.max_days_per_week=6"]) == (
        "--set rulez.max_days_per_week=6: unknown key 'rulez' at the top level (did you mean rules?)")
    assert "unknown key 'paid_hour' under shift_types.day (did you mean paid_hours?)" in _error(
        path, ["shift_types.day.paid_hour=[8]"])


def test_bad_value_names_the_key_path_and_set_without_a_line(write_scenario):
    path = write_scenario(small_scenario())
    message = _error(path, ["rules.max_days_per_week=9"])
    assert message.startswith("--set rules.max_days_per_week=9: ")
    assert "less than or equal to 7" in message and "scenario.yaml" not in message
    # a value just inside the limit loads
    assert load_scenario(path, ["rules.max_days_per_week=7"]).scenario.rules.max_days_per_week == 7
    deeper = _error(path, ["shift_types.day.paid_hours=[0]"])
    assert deeper.startswith("--set shift_types.day.paid_hours=[0]: shift_types.0.paid_hours.0:")


def test_a_rule_across_keys_names_the_file_line_and_the_override(write_scenario):
    data = small_scenario()
    data["rules"] = {"min_weekly_paid_hours": 30}
    path = write_scenario(data)
    message = _error(path, ["rules.max_weekly_paid_hours=20"])
    assert "scenario.yaml:" in message and "rules:" in message
    assert "min_weekly_paid_hours is above max_weekly_paid_hours" in message
    assert "(with --set rules.max_weekly_paid_hours=20)" in message
    assert load_scenario(path, ["rules.max_weekly_paid_hours=30"]).scenario.rules.max_weekly_paid_hours == 30


def test_file_errors_still_name_the_line_and_suggest(write_scenario):
    data = small_scenario()
    data["rules"] = {"max_day_per_week": 5}
    message = _error(write_scenario(data))
    assert "scenario.yaml:" in message and "rules.max_day_per_week: unknown key" in message
    assert "did you mean max_days_per_week?" in message


def test_unknown_preset_by_set(write_scenario):
    message = _error(write_scenario(small_scenario()), ["rules.preset=martian"])
    assert message.startswith("--set rules.preset=martian: unknown preset 'martian'")


# ---------------------------------------------------------------- extends


def _write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False) if not isinstance(data, str) else data)
    return path


def test_extends_merges_mappings_and_replaces_lists(tmp_path):
    base = _write(tmp_path / "base.yaml", small_scenario(**{"rules": {"max_days_per_week": 5, "min_rest_hours": 11}}))
    child = _write(tmp_path / "child.yaml", {
        "extends": "base.yaml",
        "name": "child",
        "rules": {"max_days_per_week": 6},
        "shift_types": [small_scenario()["shift_types"][1]],
    })
    loaded = load_scenario(child)
    sc = loaded.scenario
    assert sc.name == "child" and sc.rules.max_days_per_week == 6 and sc.rules.min_rest_hours == 11
    assert [t.name for t in sc.shift_types] == ["night"]
    assert sc.horizon == load_scenario(base).scenario.horizon
    base.write_text(base.read_text().replace("min_rest_hours: 11", "min_rest_hours: 10"))
    assert load_scenario(child).sha256 != loaded.sha256  # the base file is part of the hash


def test_extends_demand_file_is_relative_to_the_file_naming_it(tmp_path):
    child = _write(tmp_path / "what-ifs" / "nw6.yaml", (
        f"extends: {SCENARIOS / 'normal_week.yaml'}\nname: nw6\nrules:\n  max_days_per_week: 6\n"
    ))
    loaded = load_scenario(child)
    original = load_scenario(SCENARIOS / "normal_week.yaml")
    assert loaded.required == original.required
    assert (child.parent / loaded.scenario.demand.file).resolve() == (SCENARIOS / "normal_week_demand.csv").resolve()


def test_extends_errors_name_the_file_and_line_each_key_came_from(tmp_path):
    _write(tmp_path / "base.yaml", small_scenario(**{"rules": {"max_days_per_week": 9}}))
    child = _write(tmp_path / "child.yaml", "extends: base.yaml\nname: child\nhorizon:\n  days: 0\n")
    message = _error(child)
    assert "child.yaml:4: horizon.days" in message
    line = next(i for i, t in enumerate((tmp_path / "base.yaml").read_text().splitlines(), 1)
                if "max_days_per_week" in t)
    assert f"base.yaml:{line}: rules.max_days_per_week" in message


def test_extends_cycle_and_missing_base(tmp_path):
    _write(tmp_path / "a.yaml", "extends: b.yaml\nname: a\n")
    _write(tmp_path / "b.yaml", "extends: a.yaml\n")
    message = _error(tmp_path / "a.yaml")
    assert "b.yaml:1: extends: extends makes a cycle" in message and message.count("a.yaml") >= 2
    _write(tmp_path / "self.yaml", "extends: self.yaml\n")
    assert "cycle" in _error(tmp_path / "self.yaml")
    _write(tmp_path / "c.yaml", "extends: nowhere.yaml\n")
    assert "c.yaml:1: extends: the base scenario 'nowhere.yaml' was not found" in _error(tmp_path / "c.yaml")
    _write(tmp_path / "d.yaml", "extends: [1]\n")
    assert "d.yaml:1: extends" in _error(tmp_path / "d.yaml")


# ---------------------------------------------------------------- variants


def test_variants_dotted_and_nested(write_scenario):
    data = small_scenario()
    data["variants"] = {
        "six": {"rules.max_days_per_week": 6},
        "nested": {"rules": {"min_rest_hours": 11}, "shift_types.night.paid_hours": [7]},
        "empty": None,
    }
    path = write_scenario(data)
    assert list(read_variants(path)) == ["six", "nested", "empty"]
    assert load_scenario(path).scenario.rules.max_days_per_week == 7  # no variant: ignored
    six = load_scenario(path, variant="six")
    assert six.variant == "six" and six.scenario.rules.max_days_per_week == 6
    nested = load_scenario(path, variant="nested")
    assert nested.scenario.rules.min_rest_hours == 11 and nested.scenario.shift_types[1].paid_hours == [7]
    assert load_scenario(path, variant="empty").scenario == load_scenario(path).scenario
    # --set is applied after the variant
    assert load_scenario(path, ["rules.max_days_per_week=5"], "six").scenario.rules.max_days_per_week == 5


def test_bad_variant_names_its_file_line(write_scenario):
    data = small_scenario()
    data["variants"] = {"bad": {"rules.max_day_per_week": 5}, "worse": {"rules": {"max_days_per_week": 8}}}
    path = write_scenario(data)
    text = path.read_text().splitlines()
    bad_line = next(i for i, t in enumerate(text, 1) if "max_day_per_week" in t)
    message = _error(path, variant="bad")
    assert message == (f"{path}:{bad_line}: variant bad: rules.max_day_per_week: unknown key "
                       "'max_day_per_week' under rules (did you mean max_days_per_week?)")
    worse_line = next(i for i, t in enumerate(text, 1) if "max_days_per_week: 8" in t)
    assert f"{path}:{worse_line}: variant worse: rules.max_days_per_week:" in _error(path, variant="worse")
    assert "no variant named 'nope' (the file has: bad, worse)" in _error(path, variant="nope")


@pytest.mark.parametrize("variants", [[1, 2], {"base": {"rules.max_days_per_week": 6}},
                                      {"a b": {"x": 1}}, {"v": [1]}])
def test_malformed_variants(write_scenario, variants):
    data = small_scenario()
    data["variants"] = variants
    path = write_scenario(data)
    with pytest.raises(InputError) as info:
        read_variants(path)
    assert "variants" in str(info.value) and "scenario.yaml:" in str(info.value)


# ---------------------------------------------------------------- sweeps


def test_sweep_range_includes_stop_and_decimal_steps():
    assert parse_sweep("channels.voice.aht_seconds=270:360:30") == (
        "channels.voice.aht_seconds", [270, 300, 330, 360])
    assert parse_sweep("x=270:350:30")[1] == [270, 300, 330]
    assert parse_sweep("x=0.8:0.9:0.05")[1] == [0.8, 0.85, 0.9]
    assert parse_sweep("x=6:4:-1")[1] == [6, 5, 4]
    assert parse_sweep("x=5,6")[1] == [5, 6]
    assert parse_sweep("x=06:00,21:30")[1] == ["06:00", "21:30"]
    assert parse_sweep("x=[4],[4, 6]")[1] == [[4], [4, 6]]


@pytest.mark.parametrize("text", ["x=1:5:0", "x=5:1:1", "x=", "x", "x=1:1000000:1"])
def test_bad_sweeps(text):
    with pytest.raises(InputError) as info:
        parse_sweep(text)
    assert str(info.value).startswith(f"--sweep {text}")


def test_sweep_grid_is_the_product_with_short_unique_labels():
    grid = sweep_grid([("channels.voice.aht_seconds", [270, 300]), ("channels.chat.aht_seconds", [100]),
                       ("rules.max_days_per_week", [5, 6])])
    assert len(grid) == 4
    labels = [label for label, _ in grid]
    assert labels[0] == "voice.aht_seconds=270,chat.aht_seconds=100,max_days_per_week=5"
    assert len(set(labels)) == 4
    assert [o.value for o in grid[3][1]] == [300, 100, 6]
    assert all(isinstance(o, Override) and o.source == "--sweep" for o in grid[0][1])


def test_safe_names():
    assert safe_name("aht_seconds=270") == "aht_seconds=270"
    assert safe_name("paid_hours=[4, 6]") == "paid_hours=_4,_6_"
    assert safe_name("../x/y") == "_x_y"
    long = safe_name("k=" + "9" * 300)
    assert len(long) == 100 and long != safe_name("k=" + "9" * 299)


def test_the_bundled_what_if_example_loads_every_variant():
    path = SCENARIOS / "what-ifs" / "normal_week.yaml"
    base = load_scenario(path)
    original = load_scenario(SCENARIOS / "normal_week.yaml")
    assert base.required == original.required
    assert base.scenario.shift_types == original.scenario.shift_types
    variants = read_variants(path)
    assert len(variants) >= 3
    for name in variants:
        loaded = load_scenario(path, variant=name)
        assert loaded.scenario != base.scenario and loaded.variant == name
