"""Queues and who serves them (issue 16 point 1): pools[].serves, handle-time factors,
escalations, bot containment and the pooling switch read from a scenario; bad input
exits 2 naming the file, the key path and its line."""

from __future__ import annotations

import pytest
import yaml
from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.errors import InputError, InputErrors
from scheduler.models import Pooling
from scheduler.workload.loaded import load_scenario

runner = CliRunner()

# Line numbers below refer to this text (line 1 is "name: queues").
SCENARIO = """\
name: queues
horizon: {start_date: 2026-11-16, days: 1, slot_minutes: 60}
channels:
  - name: presale-chat
    kind: chat
    volume: [12.0, 12.0, 12.0, 12.0, 12.0, 12.0, 12.0, 12.0, 12.0, 12.0, 12.0, 12.0, 12.0, 12.0, 12.0, 12.0, 12.0, 12.0, 12.0, 12.0, 12.0, 12.0, 12.0, 12.0]
    aht_seconds: 300
    concurrency: 2
    service_level: 0.8
    answer_within_seconds: 60
    bot_containment: 0.3
    escalation: {to: aftersale-voice, share: 0.08}
  - name: aftersale-voice
    kind: voice
    volume: [20.0, 20.0, 20.0, 20.0, 20.0, 20.0, 20.0, 20.0, 20.0, 20.0, 20.0, 20.0, 20.0, 20.0, 20.0, 20.0, 20.0, 20.0, 20.0, 20.0, 20.0, 20.0, 20.0, 20.0]
    aht_seconds: 360
    service_level: 0.8
    answer_within_seconds: 20
    escalation: {to: complaints-voice, share: 0.05}
  - name: complaints-voice
    kind: voice
    volume: [2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0]
    aht_seconds: 600
    service_level: 0.8
    answer_within_seconds: 30
shift_types:
  - {name: d8, paid_hours: [8], earliest_start: "00:00", latest_start: "23:00"}
pools:
  - name: junior
    shift_types: [d8]
    serves: [presale-chat]
  - name: senior
    shift_types: [d8]
    serves: [aftersale-voice, complaints-voice, presale-chat]
    handle_time_factor: {aftersale-voice: 0.8}
pooling: {loop: false, max_iterations: 3}
"""


def _write(tmp_path, old: str = "", new: str = "") -> object:
    text = SCENARIO
    if old:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "queues.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_new_keys_are_read(tmp_path):
    loaded = load_scenario(_write(tmp_path))
    sc = loaded.scenario
    junior, senior = sc.pools
    assert sc.queues_served(junior) == ["presale-chat"]
    assert sc.queues_served(senior) == ["presale-chat", "aftersale-voice", "complaints-voice"]
    assert senior.handle_time_factor == {"aftersale-voice": 0.8}
    assert sc.channels[0].bot_containment == 0.3
    assert sc.channels[0].escalation.to == "aftersale-voice"
    assert sc.pooling == Pooling(loop=False, max_iterations=3)
    assert loaded.queues == ("presale-chat", "aftersale-voice", "complaints-voice")
    assert set(loaded.queue_required) == set(loaded.queues)


def test_defaults_are_todays_behaviour(write_scenario):
    from tests.conftest import small_scenario

    data = small_scenario()
    data["pools"] = [{"name": "all", "shift_types": ["day", "night"]}]
    data["channels"] = [{"name": "voice", "kind": "voice", "volume": [10.0] * 24,
                         "aht_seconds": 300, "service_level": 0.8, "answer_within_seconds": 20}]
    sc = load_scenario(write_scenario(data)).scenario
    assert sc.queues_served(sc.pools[0]) == ["voice"] == sc.queues_served(None)
    assert sc.pools[0].serves is None and sc.pools[0].handle_time_factor == {}
    assert sc.channels[0].bot_containment == 0 and sc.channels[0].escalation is None
    assert sc.pooling.loop is True and sc.pooling.max_iterations == 8


BAD = [
    pytest.param("    serves: [presale-chat]\n", "    serves: [pre-sale]\n",
                 "pools.0.serves.0", 31, "no channel (queue) is named 'pre-sale'",
                 id="pool serves an unknown queue"),
    pytest.param("    serves: [aftersale-voice, complaints-voice, presale-chat]\n",
                 "    serves: [aftersale-voice, presale-chat]\n",
                 "channels.2", 20, "no pool serves queue 'complaints-voice'",
                 id="queue no pool serves"),
    pytest.param("    escalation: {to: complaints-voice, share: 0.05}\n",
                 "    escalation: {to: presale-chat, share: 0.05}\n",
                 "channels.0.escalation.to", 12,
                 "escalation cycle presale-chat -> aftersale-voice -> presale-chat",
                 id="escalation cycle"),
    pytest.param("    escalation: {to: complaints-voice, share: 0.05}\n",
                 "    escalation: {to: aftersale-voice, share: 0.05}\n",
                 "channels.1.escalation.to", 19, "escalation cycle aftersale-voice -> aftersale-voice",
                 id="escalation to itself"),
    pytest.param("{to: complaints-voice, share: 0.05}", "{to: nowhere, share: 0.05}",
                 "channels.1.escalation.to", 19, "no channel (queue) is named 'nowhere'",
                 id="escalation to an unknown queue"),
    pytest.param("bot_containment: 0.3", "bot_containment: 1.0",
                 "channels.0.bot_containment", 11, "outside [0, 1)", id="containment of 1"),
    pytest.param("bot_containment: 0.3", "bot_containment: -0.1",
                 "channels.0.bot_containment", 11, "outside [0, 1)", id="negative containment"),
    pytest.param("share: 0.08", "share: 1.5",
                 "channels.0.escalation.share", 12, "outside [0, 1)", id="share above 1"),
    pytest.param("share: 0.08", "share: 1",
                 "channels.0.escalation.share", 12, "outside [0, 1)", id="share of 1"),
    pytest.param("{aftersale-voice: 0.8}", "{aftersale-voice: 0}",
                 "pools.1.handle_time_factor.aftersale-voice", 35, "greater than 0",
                 id="handle-time factor of 0"),
    pytest.param("{aftersale-voice: 0.8}", "{aftersale-voice: -0.5}",
                 "pools.1.handle_time_factor.aftersale-voice", 35, "greater than 0",
                 id="negative handle-time factor"),
    pytest.param("share: 0.08", "share: -0.1",
                 "channels.0.escalation.share", 12, "outside [0, 1)", id="negative share"),
    pytest.param("    serves: [aftersale-voice, complaints-voice, presale-chat]\n"
                 "    handle_time_factor: {aftersale-voice: 0.8}\n",
                 "    handle_time_factor: {aftersale-voices: 0.8}\n",
                 "pools.1.handle_time_factor.aftersale-voices", 34,
                 "does not serve a queue named 'aftersale-voices'",
                 id="factor for an unknown queue (pool serving every queue)"),
    pytest.param("{aftersale-voice: 0.8}", "{order-chat: 0.8}",
                 "pools.1.handle_time_factor.order-chat", 35, "does not serve a queue named",
                 id="factor for a queue the pool does not serve"),
    pytest.param("    serves: [presale-chat]\n", "    serves: [presale-chat, presale-chat]\n",
                 "pools.0.serves", 31, "names a queue twice", id="a queue twice"),
    pytest.param("    serves: [presale-chat]\n", "    serves: []\n",
                 "pools.0.serves", 31, "at least 1", id="serves nothing"),
    pytest.param("max_iterations: 3", "max_iterations: 0",
                 "pooling.max_iterations", 36, "greater than or equal to 1",
                 id="no iterations"),
]


@pytest.mark.parametrize("old,new,key_path,line,needle", BAD)
def test_bad_queue_input_names_file_key_and_line(tmp_path, old, new, key_path, line, needle):
    path = _write(tmp_path, old, new)
    with pytest.raises((InputError, InputErrors)) as info:
        load_scenario(path)
    text = str(info.value)
    assert f"{path}:{line}: {key_path}: " in text, text
    assert needle in text, text
    result = runner.invoke(app, ["staffing", str(path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and key_path in result.output


def test_the_schema_knows_the_new_keys():
    """Editors check the shares too (docs/reference/scenario.schema.json)."""
    jsonschema = pytest.importorskip("jsonschema")
    from scheduler.scenario.schema import scenario_schema

    data = yaml.safe_load(SCENARIO.replace("2026-11-16", '"2026-11-16"'))
    validator = jsonschema.Draft202012Validator(scenario_schema())
    assert list(validator.iter_errors(data)) == []
    data["channels"][0]["bot_containment"] = 1
    data["channels"][0]["escalation"]["share"] = -0.1
    data["pools"][1]["handle_time_factor"] = {"aftersale-voice": 0}
    where = sorted(".".join(str(p) for p in e.absolute_path)
                   for error in validator.iter_errors(data)
                   for e in (error.context or [error]) if e.validator != "type")
    assert where == ["channels.0.bot_containment", "channels.0.escalation.share",
                     "pools.1.handle_time_factor.aftersale-voice"]
