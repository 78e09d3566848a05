"""Requirements per queue (issue 16 point 2, the part before the plan): bot containment
lowers the contacts reaching people, escalations add work to their target in escalation
order, and LoadedScenario exposes each queue's requirement beside their sum."""

from __future__ import annotations

import numpy as np
import pytest

from scheduler.workload import erlang
from scheduler.workload.loaded import load_scenario

SLOTS = 24


def live(name: str, volume: float, aht: float = 180, **extra) -> dict:
    data = {"name": name, "kind": "voice", "volume": [float(volume)] * SLOTS,
            "aht_seconds": aht, "service_level": 0.8, "answer_within_seconds": 20}
    data.update(extra)
    return data


def scenario(*channels, **extra) -> dict:
    data = {
        "name": "queues",
        "horizon": {"start_date": "2026-11-16", "days": 1, "slot_minutes": 60},
        "channels": list(channels),
        "shift_types": [{"name": "d8", "paid_hours": [8], "earliest_start": "00:00",
                         "latest_start": "23:00"}],
    }
    data.update(extra)
    return data


def erlang_c_agents(contacts_per_hour: float, aht: float = 180) -> int:
    traffic = np.array([contacts_per_hour * aht / 3600])
    goal = erlang.Goal(service_level=0.8, answer_within_seconds=20, asa_seconds=np.inf,
                       max_occupancy=1.0, max_abandon_rate=1.0)
    return int(erlang.fewest_servers(traffic, aht, goal, None)[0])


def test_containment_lowers_the_requirement_as_erlang_on_the_reduced_volume(write_scenario):
    """400 calls an hour, 30% answered by a bot: Erlang C on 280 calls."""
    contained = load_scenario(write_scenario(scenario(live("presale", 400, bot_containment=0.3))))
    reduced = load_scenario(write_scenario(scenario(live("presale", 280)), name="r.yaml"))
    ch = contained.staffing.channels[0]
    assert np.allclose(ch.forecast, 400) and np.allclose(ch.volume, 280)
    assert contained.queue_required["presale"] == reduced.queue_required["presale"]
    assert contained.required == reduced.required
    assert set(contained.required) == {erlang_c_agents(280)}
    assert erlang_c_agents(280) < erlang_c_agents(400)


def test_an_escalation_adds_its_share_of_handled_contacts_to_the_target(write_scenario):
    """Pre-sale (200 an hour, 30% contained) escalates 10% of what people handle to
    after-sale (100 an hour), which escalates 5% of its own to complaints (20 an hour):
    after-sale gets 14 an hour, complaints 5% of 114. Erlang C: nobody abandons, so
    everything offered while open is handled."""
    data = scenario(
        live("complaints", 20, aht=600),
        live("aftersale", 100, aht=300, escalation={"to": "complaints", "share": 0.05}),
        live("presale", 200, bot_containment=0.3, escalation={"to": "aftersale", "share": 0.1}),
    )
    loaded = load_scenario(write_scenario(data))
    by_name = {c.channel.name: c for c in loaded.staffing.channels}
    assert [c.channel.name for c in loaded.staffing.channels] == ["complaints", "aftersale",
                                                                   "presale"]
    assert np.allclose(by_name["presale"].volume, 140)
    assert np.allclose(by_name["aftersale"].escalated_in, 14)
    assert np.allclose(by_name["aftersale"].volume, 114)
    assert np.allclose(by_name["complaints"].escalated_in, 0.05 * 114)
    assert np.allclose(by_name["complaints"].volume, 20 + 5.7)
    assert set(loaded.queue_required["aftersale"]) == {erlang_c_agents(114, 300)}
    assert set(loaded.queue_required["complaints"]) == {erlang_c_agents(25.7, 600)}
    # the total is the sum of the queues, as before queues
    total = np.sum([loaded.queue_required[q] for q in loaded.queues], axis=0)
    assert loaded.required == tuple(int(v) for v in total)
    assert loaded.queues == ("complaints", "aftersale", "presale")
    assert loaded.demand_required == (0,) * SLOTS


def test_escalated_contacts_are_not_contained_and_abandoned_ones_do_not_escalate(write_scenario):
    """The target's bot sees only its own forecast; with Erlang A a source hands on its
    share of the answered contacts, not of the abandoned ones."""
    data = scenario(
        live("source", 300, patience_seconds=60, escalation={"to": "target", "share": 0.2}),
        live("target", 50, bot_containment=0.5),
    )
    loaded = load_scenario(write_scenario(data))
    source, target = loaded.staffing.channels
    answered = 300 * (1 - source.abandon_rate)
    assert np.all(source.abandon_rate > 0)
    assert np.allclose(target.escalated_in, 0.2 * answered)
    assert np.allclose(target.volume, 25 + 0.2 * answered)


def test_closed_source_slots_escalate_nothing_and_deferred_sources_escalate_as_handled(write_scenario):
    """A live source escalates only what people handle while it is open; a deferred one
    escalates as the fluid model handles its work (over the whole day: share x volume)."""
    mail = {"name": "mail", "kind": "deferred", "volume": [6.0] * SLOTS, "aht_seconds": 600,
            "response_deadline_minutes": 900, "hours": "08:00-20:00",
            "escalation": {"to": "voice", "share": 0.5}}
    chat = live("chat", 40, hours="10:00-12:00", escalation={"to": "voice", "share": 0.25})
    data = scenario(live("voice", 10), mail, chat)
    data["horizon"]["cyclic"] = True  # the evening's mail is handled the next morning
    loaded = load_scenario(write_scenario(data))
    voice = loaded.staffing.channels[0]
    inflow = voice.escalated_in
    from_chat = np.zeros(SLOTS)
    from_chat[10:12] = 0.25 * 40
    from_mail = inflow - from_chat
    assert np.allclose(from_mail[:8], 0) and np.allclose(from_mail[20:], 0)
    assert from_mail[8:20].sum() == pytest.approx(0.5 * 6 * SLOTS)
    assert np.allclose(voice.volume, 10 + inflow)


def test_single_queue_scenarios_are_unchanged(write_scenario):
    """No containment, no escalation: the queue's requirement is the channel's as before,
    and the demand adds to it."""
    data = scenario(live("voice", 200, shrinkage=0.3))
    data["demand"] = {"required": [2] * SLOTS, "floor": 25}
    loaded = load_scenario(write_scenario(data))
    assert loaded.queue_required == {"voice": (20,) * SLOTS}
    assert loaded.demand_required == (2,) * SLOTS
    assert loaded.required == (25,) * SLOTS  # max(2 + 20, floor 25)
    ch = loaded.staffing.channels[0]
    assert np.allclose(ch.forecast, ch.volume) and np.allclose(ch.escalated_in, 0)


def test_a_scenario_without_channels_has_no_queues(write_scenario):
    from tests.conftest import small_scenario

    loaded = load_scenario(write_scenario(small_scenario()))
    assert loaded.queues == () and loaded.queue_required == {}
    assert loaded.demand_required == loaded.required


def test_the_plan_splits_queues_only_when_some_pool_serves_part_of_them(write_scenario):
    """Pools that all serve every queue alike add the queues up as before when the
    staffing loop is off; with the loop (on by default) the plan splits them, the loop
    adjusting each queue apart. A pool that serves one queue only, or handles a queue at
    another speed, makes the plan split."""
    pool = {"name": "all", "shift_types": ["d8"]}
    shared = scenario(live("presale", 100), live("aftersale", 50),
                      pools=[pool, {**pool, "name": "also"}], pooling={"loop": False})
    assert not load_scenario(write_scenario(shared)).scenario.splits_queues
    shared["pooling"] = {"loop": True}
    looped = load_scenario(write_scenario(shared, name="l.yaml")).scenario
    assert looped.runs_pooling_loop and looped.splits_queues
    only = scenario(live("presale", 100), live("aftersale", 50),
                    pools=[pool, {**pool, "name": "pre", "serves": ["presale"]}])
    assert load_scenario(write_scenario(only, name="o.yaml")).scenario.splits_queues
    faster = scenario(live("presale", 100), live("aftersale", 50),
                      pools=[{**pool, "handle_time_factor": {"aftersale": 0.8}}])
    assert load_scenario(write_scenario(faster, name="f.yaml")).scenario.splits_queues


def test_new_queue_requirements_recompute_the_total_with_the_floor(write_scenario):
    from scheduler.workload.loaded import with_queue_required
    data = scenario(live("presale", 100), live("aftersale", 50),
                    demand={"floor": 3})
    loaded = load_scenario(write_scenario(data))
    changed = {"presale": (1,) * SLOTS, "aftersale": (0,) * 12 + (5,) * 12}
    moved = with_queue_required(loaded, changed)
    assert moved.required == (3,) * 12 + (6,) * 12
    assert moved.queue_required == changed
    assert with_queue_required(loaded, loaded.queue_required).required == loaded.required
