"""The checker's per-slot transportation LP (scheduler/check/transport.py): exact 1/f
capacities, the least total shortfall, which queue is short, batching of alike slots."""

from __future__ import annotations

import pytest

from scheduler import models
from scheduler.check.transport import Skills, shortfalls

# pools: senior serves A (factor 0.8) and B; junior serves A only
SKILLS = Skills(("senior", "junior"), ("A", "B"), (((0, 0.8), (1, 1.0)), ((0, 1.0),)))


def test_four_seniors_at_factor_0_8_cover_five_agents_exactly():
    (just,) = shortfalls(SKILLS, [(4, 0)], [(5, 0)])
    assert just.total == 0 and just.short_queues(SKILLS.queues) == {}


def test_four_seniors_at_factor_0_8_do_not_cover_six():
    (short,) = shortfalls(SKILLS, [(4, 0)], [(6, 0)])
    assert short.total == pytest.approx(1.0)
    assert short.short_queues(SKILLS.queues) == {"A": pytest.approx(1.0)}


def test_enough_people_in_total_but_nobody_who_serves_b():
    # 10 juniors on duty, 2 agents of B required: juniors cannot answer B
    (short,) = shortfalls(SKILLS, [(0, 10)], [(3, 2)])
    assert short.short_queues(SKILLS.queues) == {"B": pytest.approx(2.0)}
    (met,) = shortfalls(SKILLS, [(2, 10)], [(3, 2)])
    assert met.total == 0


def test_cross_trained_people_go_where_only_they_can_serve():
    # 3 seniors, 2 juniors; A needs 5, B needs 1: juniors take 2 of A, 2.4 seniors the
    # other 3 of A, 0.6 seniors are left for B (short 0.4)
    (slot,) = shortfalls(SKILLS, [(3, 2)], [(5, 1)])
    assert slot.total == pytest.approx(0.4)
    (met,) = shortfalls(SKILLS, [(3, 3)], [(5, 1)])
    assert met.total == 0


def test_other_work_takes_anyone_at_factor_one():
    (short,) = shortfalls(SKILLS, [(4, 0)], [(5, 0)], [1])
    assert short.total == pytest.approx(1.0)
    (met,) = shortfalls(SKILLS, [(4, 1)], [(5, 0)], [1])
    assert met.total == 0 and met.demand == 0


def test_alike_slots_give_alike_answers_and_empty_slots_need_no_lp():
    slots = [(4, 0), (0, 0), (4, 0), (3, 2), (4, 0)]
    needs = [(6, 0), (0, 0), (6, 0), (5, 1), (5, 0)]
    out = shortfalls(SKILLS, slots, needs, [0] * 5)
    assert [round(s.total, 6) for s in out] == [1.0, 0.0, 1.0, 0.4, 0.0]
    assert out[0] == out[2]


def test_lengths_must_agree():
    with pytest.raises(ValueError):
        shortfalls(SKILLS, [(1, 1)], [(1, 1), (1, 1)])


def test_skills_of_a_scenario():
    sc = models.Scenario.model_validate({
        "name": "s",
        "horizon": {"start_date": "2024-01-01", "days": 1, "slot_minutes": 60},
        "shift_types": [{"name": "d", "paid_hours": [8], "earliest_start": "08:00",
                         "latest_start": "08:00"}],
        "channels": [
            {"name": n, "kind": "voice", "volume": [1.0] * 24, "aht_seconds": 300,
             "service_level": 0.8, "answer_within_seconds": 20} for n in ("A", "B")
        ],
        "pools": [
            {"name": "senior", "shift_types": ["d"], "serves": ["B", "A"],
             "handle_time_factor": {"A": 0.8}},
            {"name": "junior", "shift_types": ["d"], "serves": ["A"]},
        ],
    })
    assert Skills.of(sc) == SKILLS
