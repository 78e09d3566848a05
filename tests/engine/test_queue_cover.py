"""The exact split of a roster's people among queues (one LP per slot) and the
queue-aware greedy cover of the first roster."""

from __future__ import annotations

import time

import numpy as np
import pytest

from scheduler.engine.first import first_roster, greedy_cover
from scheduler.engine.instance import Instance
from scheduler.engine.queue_cover import on_duty, split
from scheduler.workload.loaded import load_scenario, with_queue_required

SLOTS = 24


def skills(write_scenario, a, b, senior_cap=None, factor=0.8, demand=None):
    chan = {"kind": "voice", "volume": [10.0] * SLOTS, "aht_seconds": 180,
            "service_level": 0.8, "answer_within_seconds": 20}
    senior = {"name": "senior", "shift_types": ["d8"], "serves": ["A", "B"],
              "handle_time_factor": {"B": factor}}
    if senior_cap is not None:
        senior["max_hire"] = senior_cap
    data = {
        "name": "skills",
        "horizon": {"start_date": "2026-11-16", "days": 1, "slot_minutes": 60, "cyclic": True},
        "channels": [{"name": "A", **chan}, {"name": "B", **chan}],
        "shift_types": [{"name": "d8", "paid_hours": [8], "earliest_start": "00:00",
                         "latest_start": "23:00"}],
        "pools": [{"name": "junior", "shift_types": ["d8"], "serves": ["A"]}, senior],
    }
    if demand is not None:
        data["demand"] = {"required": demand}
    loaded = load_scenario(write_scenario(data))
    return Instance(with_queue_required(loaded, {"A": tuple(a), "B": tuple(b)}))


def people(juniors: int, seniors: int) -> np.ndarray:
    return np.array([[juniors] * SLOTS, [seniors] * SLOTS])


@pytest.mark.parametrize("b, short_b", [(5, 0.0), (6, 1.0)])
def test_four_seniors_are_five_agents_of_b_and_no_more(write_scenario, b, short_b):
    """2 juniors take A; 4 seniors at factor 0.8 are 5 agents of B: B of 5 just met, B of
    6 one short (juniors cannot serve it)."""
    inst = skills(write_scenario, [2] * SLOTS, [b] * SLOTS)
    found = split(inst, people(2, 4))
    assert found.short["B"] == pytest.approx([short_b] * SLOTS)
    assert found.short["A"] == pytest.approx([0.0] * SLOTS)
    assert found.allocated["B"][0] == pytest.approx(5.0)


def test_a_senior_left_over_covers_a_when_juniors_are_short(write_scenario):
    """1 junior, 5 seniors; A 2, B 5: 4 seniors on B, the fifth on A (exact, 1 each)."""
    inst = skills(write_scenario, [2] * SLOTS, [5] * SLOTS)
    found = split(inst, people(1, 5))
    assert found.short_per_slot() == pytest.approx([0.0] * SLOTS)
    inst2 = skills(write_scenario, [3] * SLOTS, [5] * SLOTS)
    assert split(inst2, people(1, 5)).short["A"][0] == pytest.approx(1.0)


def test_the_demand_takes_anyone_at_factor_one(write_scenario):
    inst = skills(write_scenario, [1] * SLOTS, [0] * SLOTS, demand=[2] * SLOTS)
    assert split(inst, people(3, 0)).short_per_slot() == pytest.approx([0.0] * SLOTS)
    assert split(inst, people(2, 0)).short[""][0] == pytest.approx(1.0)


def test_the_first_roster_covers_every_queue(write_scenario):
    """The greedy total cover would give B's hours to cheap juniors; the queue-aware cover
    adds seniors until B is covered in every slot."""
    inst = skills(write_scenario, [2] * SLOTS, [0] * 8 + [5] * 8 + [0] * 8)
    assignments, cover = first_roster(inst, False, 5.0, {"num_workers": 2}, None)
    assert cover.short == 0
    found = split(inst, on_duty(inst, cover.counts))
    assert found.short_per_slot() == pytest.approx([0.0] * SLOTS)
    assert sum(len(a) for a in assignments) == 10  # the optimum, by hand (test_queue_split)


def test_a_capped_serving_pool_leaves_the_cover_short(write_scenario):
    """At most 2 seniors (2.5 agents of B): B stays 2.5 agents short in each of 8 slots,
    counted 3 agent-slots each."""
    inst = skills(write_scenario, [2] * SLOTS, [0] * 8 + [5] * 8 + [0] * 8, senior_cap=2)
    cover = greedy_cover(inst, False, time.monotonic() + 5.0)
    assert cover.short == 8 * 3
