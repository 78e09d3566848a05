"""Channels that state each queue's agents per slot as solved (channels[].required, the
form of an output folder's scenario.yaml for a scenario that splits queues): read without
sizing, splitting queues, no staffing loop; bad forms exit 2 naming the key."""

from __future__ import annotations

import pytest
import yaml

from scheduler.errors import InputError, InputErrors
from scheduler.workload.loaded import load_scenario

from conftest import serves_pair

HOURS = [1 if 8 <= h < 16 else 0 for h in range(24)]


def as_solved(**changes) -> dict:
    data = serves_pair(None)
    for channel in data["channels"]:
        channel.pop("volume")
        channel["required"] = list(HOURS)
    for index, update in changes.items():
        data["channels"][int(index[1:])].update(update)
    return data


def load(tmp_path, data: dict):
    path = tmp_path / "solved.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return load_scenario(path)


def test_the_agents_as_stated_are_each_queues_requirement(tmp_path):
    loaded = load(tmp_path, as_solved())
    sc = loaded.scenario
    assert loaded.queue_required == {"A": tuple(HOURS), "B": tuple(HOURS)}
    assert loaded.required == tuple(2 * h for h in HOURS)
    assert loaded.staffing is None
    assert sc.channels_as_solved and sc.splits_queues and not sc.runs_pooling_loop


@pytest.mark.parametrize("data,key_path,needle", [
    pytest.param(as_solved(c1={"required": None, "volume": [1.0] * 24}), "channels.0.required",
                 "for every channel or for none", id="one channel of two"),
    pytest.param(as_solved(c0={"required": HOURS[:23]}), "channels.0.required",
                 "23 values, the horizon has 24 slots", id="a slot missing"),
    pytest.param(as_solved(c0={"volume": [1.0] * 24}), "channels.0.required",
                 "give either 'required'", id="agents and contacts"),
    pytest.param(as_solved(c0={"required": [-1] + HOURS[1:]}), "channels.0.required.0",
                 "greater than or equal to 0", id="negative agents"),
])
def test_a_bad_form_names_the_key(tmp_path, data, key_path, needle):
    with pytest.raises((InputError, InputErrors)) as info:
        load(tmp_path, data)
    text = str(info.value)
    assert f"{key_path}: " in text and needle in text, text


def test_a_forecast_has_nothing_to_forecast(tmp_path):
    data = as_solved()
    data["forecast"] = {"history": "history.csv"}
    with pytest.raises((InputError, InputErrors)) as info:
        load(tmp_path, data)
    assert "forecast: " in str(info.value) and "no contacts to forecast" in str(info.value)
