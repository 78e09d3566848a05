"""The scenario reference (docs/reference/scenario.md): generated from the models, every key
path of the models has a row, and the committed page is what the generator writes now."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field

from scheduler.models import Horizon, Pool, Scenario
from scheduler.scenario.reference import (
    REFERENCE_FILE,
    bundled_examples,
    key_paths,
    missing_key_paths,
    reference_text,
)


def test_the_committed_reference_is_what_the_generator_writes_now():
    assert REFERENCE_FILE.read_text(encoding="utf-8") == reference_text(), (
        "docs/reference/scenario.md is stale: run "
        "`scheduler schema --markdown --out docs/reference/scenario.md`")


def test_every_key_path_of_the_models_is_in_the_committed_reference():
    text = REFERENCE_FILE.read_text(encoding="utf-8")
    assert missing_key_paths(text) == []
    paths = key_paths(Scenario)
    assert {"horizon.slot_minutes", "pools[].rules.min_rest_hours",
            "shift_types[].breaks[].duration_minutes", "events[].peaks[].multiplier",
            "channels[].shrinkage"} <= set(paths)
    assert len(paths) == len(set(paths))
    for reader_key in ("`extends`", "`variants`", "`variants.<name>`"):
        assert f"| {reader_key} |" in text


def test_an_undocumented_key_is_named():
    """The check fails on a key the page lacks: a model with one more field, and the page
    with one row dropped."""
    text = reference_text()

    class ExtraPool(Pool):
        max_night_shifts_per_week: int = 7
        """[shifts] An extra field no reference documents."""

    class Extended(Scenario):
        pools: list[ExtraPool] = []
        shift_length_hours: Annotated[float, Field(gt=0)] = 8.0

    assert missing_key_paths(text, Extended) == ["pools[].max_night_shifts_per_week",
                                                 "shift_length_hours"]
    dropped = "\n".join(line for line in text.splitlines()
                        if not line.startswith("| `pools[].rules.min_rest_hours` |"))
    assert missing_key_paths(dropped) == ["pools[].rules.min_rest_hours"]


def test_rows_carry_type_unit_default_range_and_example():
    rows = {line.split(" | ")[0].strip("| `"): line.split(" | ")
            for line in reference_text().splitlines() if line.startswith("| `")}
    assert rows["horizon.slot_minutes"][1:5] == ["integer", "minutes", "`30`", "`15`, `30`, `60`"]
    assert rows["pools[].rules.min_rest_hours"][1:5] == ["number", "hours", "`0.0`", "0 to 72"]
    assert rows["horizon.start_date"][3] == "required"
    assert rows["rules.preset"][4] == "`china-standard`, `five-day-week`"
    assert rows["shift_types[].earliest_start"][6] == '`"05:00"` |'
    assert rows["channels[].service_level"][2] == "share 0-1"
    assert rows["horizon.days"][6] == "`21` |"  # the first bundled file, 618.yaml


def test_examples_come_from_the_bundled_files(tmp_path):
    (tmp_path / "a.yaml").write_text(
        "name: a\nhorizon: {start_date: 2026-01-05, days: 3}\n"
        "pools: [{name: p, rules: {min_rest_hours: 9}}]\nvariants: {v: {rules.x: 1}}\n",
        encoding="utf-8")
    found = bundled_examples(tmp_path)
    assert found["horizon.days"] == 3 and found["horizon.start_date"] == dt.date(2026, 1, 5)
    assert found["pools[].rules.min_rest_hours"] == 9
    assert "variants.v" not in found
    assert found["rules.max_weekly_paid_hours"] == 40  # configs/rules/china-standard.yaml
    assert Horizon.model_fields["days"].description.startswith("[days]")
