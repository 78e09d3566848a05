"""The staffing loop (scheduler/engine/pooling.py, issue 16 point 4): Koole's two-queue
case against dedicated teams, raising a requirement where a queue misses its goal,
lowering where it beats it, the iteration limit, the key that turns it off, and the same
seed giving the same roster."""

from __future__ import annotations

import numpy as np
import pytest

from scheduler.engine.pooling import (
    Measured, adjust, applies, dedicated_variant, net_of_shrinkage, solve_staffed,
)
from scheduler.engine.solve import solve
from scheduler.workload.loaded import load_scenario, with_queue_required
from scheduler.workload.sim import AgentGroup, Centre, Shift, SimQueue
from tests.engine.pooling_cases import koole_scenario


def on_duty(result) -> int:
    return max(c.scheduled for c in result.coverage)


def test_koole_the_loop_finds_39_or_fewer_for_both_goals_against_41_dedicated(write_scenario):
    """Koole, "Multi-skill arithmetics" (webinar, 16 April 2024): 39 agents serving both
    queues reach 85% / 85% where dedicated teams need 18 + 23 = 41 for 80% each."""
    loaded = load_scenario(write_scenario(koole_scenario()))
    assert applies(loaded)
    assert {q: v[0] for q, v in loaded.queue_required.items()} == {"queue1": 18, "queue2": 23}
    result = solve_staffed(loaded)
    pooling = result.summary.pooling
    assert pooling is not None and pooling.meets_goals
    assert on_duty(result) <= 39
    assert pooling.fluid_headcount == 3 * 41  # 8-hour shifts on a cyclic day of 41 on duty
    assert pooling.dedicated_headcount == 3 * 41
    assert result.summary.headcount <= 3 * 39
    assert all(d.simulated_service_level >= 0.8 for d in pooling.queues)
    # the records carry the adjusted requirement beside the Erlang one
    q = result.coverage[5].queues
    assert [x.erlang_required for x in q] == [18, 23]
    assert sum(x.required for x in q) <= 39 and all(x.simulated_service_level for x in q)
    assert "fewer (pooled)" in result.summary.answer
    from scheduler.i18n import translator

    zh = translator("zh")  # the loop's phrases said in Chinese, dates as runs
    text = zh.sentence(result.summary.answer_phrases)
    assert not zh.missing and "人力配置循环" in text and "因共享人员最多可少" in text
    assert translator("en").sentence(result.summary.answer_phrases) == result.summary.answer


def test_the_dedicated_variant_is_koole_s_two_teams(write_scenario):
    loaded = load_scenario(write_scenario(koole_scenario()))
    variant = dedicated_variant(loaded)
    assert [(p.name, p.serves) for p in variant.scenario.pools] == [
        ("both-queue1", ["queue1"]), ("both-queue2", ["queue2"])]
    assert not variant.scenario.runs_pooling_loop


def test_a_queue_missing_its_goal_gets_its_requirement_raised(write_scenario):
    """Started 4 agents under Erlang on queue 2, the roster misses its goal there in
    simulation: the loop raises queue 2's requirement until it meets it."""
    base = load_scenario(write_scenario(koole_scenario(max_iterations=4)))
    low = with_queue_required(base, {"queue1": (18,) * 24, "queue2": (19,) * 24})
    result = solve_staffed(low)
    history = result.summary.pooling.history
    assert history[0]["slots_below_goal"] > 0 and history[0]["slots_raised"] > 0
    assert on_duty(result) > 18 + 19
    q2 = [c.queues[1] for c in result.coverage]
    assert all(x.erlang_required == 19 for x in q2) and max(x.required for x in q2) > 19


def _measured(mean, low, high, goal=0.8):
    arr = lambda v: np.array(v, dtype=float)  # noqa: E731
    return Measured({"q": arr(mean)}, {"q": arr(low)}, {"q": arr(high)},
                    {"q": arr([10, 10, 10, 0])}, {"q": goal}, 0.0)


def test_adjust_raises_by_the_miss_lowers_by_one_and_respects_floors():
    current = {"q": [10, 10, 10, 10]}
    learned = {"q": [5, 10, 5, 5]}
    m = _measured(mean=[0.55, 0.95, 0.95, 0.99], low=[0.5, 0.9, 0.78, 0.9],
                  high=[0.6, 1.0, 1.0, 1.0])
    new, raised, lowered = adjust(current, learned, m, margin=0.05)
    # slot 0 misses by 25 points: 1 + 2 agents, and 10 is never tried again; slot 1 beats
    # the goal but sits on its floor; slot 2's interval reaches below the goal; slot 3 has
    # no contacts
    assert new == {"q": [13, 10, 10, 10]} and (raised, lowered) == (1, 0)
    assert learned["q"][0] == 11
    m = _measured(mean=[0.9, 0.86, 0.84, 0.9], low=[0.85, 0.81, 0.81, 0.9],
                  high=[0.95, 0.9, 0.9, 0.9])
    new, raised, lowered = adjust(current, {"q": [5, 5, 5, 5]}, m, margin=0.05)
    assert new == {"q": [9, 9, 10, 10]} and (raised, lowered) == (0, 2)


def test_the_loop_stops_at_its_iteration_limit(write_scenario):
    loaded = load_scenario(write_scenario(koole_scenario(max_iterations=2)))
    pooling = solve_staffed(loaded).summary.pooling
    assert pooling.iterations == 2 and pooling.stopped == "iteration limit"
    assert len(pooling.history) == 2


def test_the_key_turns_the_loop_off_for_the_fluid_plan(write_scenario):
    data = koole_scenario(loop=False)
    loaded = load_scenario(write_scenario(data))
    assert not applies(loaded) and not loaded.scenario.splits_queues
    result = solve_staffed(loaded)
    assert result.summary.pooling is None
    assert on_duty(result) == 41
    assert [s.start for s in result.shifts] == [s.start for s in solve(loaded).shifts]


def test_the_same_seed_gives_the_same_roster(write_scenario):
    rosters = []
    for name in ("a.yaml", "b.yaml"):
        data = koole_scenario(max_iterations=3, runs=5, time_limit_seconds=8)
        result = solve_staffed(load_scenario(write_scenario(data, name=name)))
        history = [{k: v for k, v in h.items() if k != "simulation_seconds"}
                   for h in result.summary.pooling.history]
        rosters.append(([(s.agent, s.start, s.end) for s in result.shifts], history))
    assert rosters[0] == rosters[1]


def test_shrinkage_thins_each_pool_evenly_keeping_chat_seats_together(write_scenario):
    data = koole_scenario()
    for c in data["channels"]:
        c["shrinkage"] = 0.25
    loaded = load_scenario(write_scenario(data))
    shifts = [Shift(60.0 * i, 60.0 * i + 480) for i in range(8)]
    seats = [s for s in shifts for _ in range(2)]  # a chat person: two seats
    centre = Centre([SimQueue("queue1", [1.0] * 24, 180.0), SimQueue("queue2", [1.0] * 24, 300.0)],
                    [AgentGroup("both", ["queue1", "queue2"], shifts=seats)], slot_minutes=60)
    kept = net_of_shrinkage(centre, loaded).groups[0].shifts
    assert len(kept) == 12 and all(kept[i] is kept[i + 1] for i in range(0, 12, 2))
    assert [s.start_minute for s in kept[::2]] == [60, 120, 180, 300, 360, 420]


@pytest.mark.parametrize("serves", [["queue1"], None])
def test_no_loop_without_a_pool_serving_two_live_queues(write_scenario, serves):
    data = koole_scenario()
    if serves is None:
        data.pop("pools")
        for st in data["shift_types"]:
            st.pop("pool", None)
    else:
        data["pools"] = [{"name": "one", "shift_types": ["d8"], "serves": ["queue1"]},
                         {"name": "two", "shift_types": ["d8"], "serves": ["queue2"]}]
    assert not applies(load_scenario(write_scenario(data)))


def test_deferred_work_is_raised_on_a_miss_inside_the_horizon_and_never_lowered():
    """Mail (goal: everything within its deadline) behind live queues of higher priority:
    a miss raises it, a slot whose deadline ends past the horizon is not judged, and
    however well it does it is not lowered."""
    m = _measured(mean=[0.9, 1.0, 0.9, 1.0], low=[0.85, 1.0, 0.85, 1.0],
                  high=[0.95, 1.0, 0.95, 1.0], goal=1.0)
    m.raise_only.add("q")
    m.judged["q"] = np.array([True, True, False, False])
    new, raised, lowered = adjust({"q": [4, 4, 4, 4]}, {"q": [1, 1, 1, 1]}, m, margin=0.05)
    assert new == {"q": [6, 4, 4, 4]} and (raised, lowered) == (1, 0)
