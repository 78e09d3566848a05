"""Queues in the plan (issue 16 point 2): each slot's people of each pool are given to the
queues the pool serves, a person worth 1/f agents at handle-time factor f, rounded down in
the model so that it never claims more than the exact rule. One cyclic day of hourly
slots, queues A and B, pools junior (A only) and senior (A and B)."""

from __future__ import annotations

import pytest

from scheduler.engine.instance import Instance
from scheduler.engine.plan import build_plan_model
from scheduler.engine.queue_split import AGENT_UNITS, PERSON_UNITS, worth
from scheduler.engine.solve import solve
from scheduler.workload.loaded import load_scenario, with_queue_required

from conftest import untranslated

SLOTS = 24
ANY_START = {"name": "d8", "paid_hours": [8], "earliest_start": "00:00",
             "latest_start": "23:00"}


def live(name: str) -> dict:
    # the volume only sizes the channel; the tests set each queue's requirement directly
    return {"name": name, "kind": "voice", "volume": [10.0] * SLOTS, "aht_seconds": 180,
            "service_level": 0.8, "answer_within_seconds": 20}


def skills(pools: list[dict], shift_types: list[dict] | None = None, **extra) -> dict:
    data = {
        "name": "skills",
        "horizon": {"start_date": "2026-11-16", "days": 1, "slot_minutes": 60, "cyclic": True},
        "channels": [live("A"), live("B")],
        "shift_types": shift_types or [ANY_START],
        "pools": pools,
        "objective": {"kind": "headcount"},
        "solver": {"time_limit_seconds": 8, "workers": 2},
    }
    data.update(extra)
    return data


def loaded(write_scenario, data: dict, a: list[int], b: list[int], name: str = "s.yaml"):
    base = load_scenario(write_scenario(data, name=name))
    return with_queue_required(base, {"A": tuple(a), "B": tuple(b)})


def junior_senior(senior_b_factor: float | None = 0.8, **senior) -> list[dict]:
    factors = {"B": senior_b_factor} if senior_b_factor is not None else {}
    return [{"name": "junior", "shift_types": ["d8"], "serves": ["A"]},
            {"name": "senior", "shift_types": ["d8"], "serves": ["A", "B"],
             "handle_time_factor": factors, **senior}]


def exact_per_queue(result) -> bool:
    """Every slot's queues have their requirement allocated (the exact 1/f split)."""
    return all(q.allocated >= q.required - 1e-6 for c in result.coverage for q in c.queues)


A_ALL_DAY = [2] * SLOTS
B_DAY = [0] * 8 + [5] * 8 + [0] * 8


def test_the_optimum_by_hand_uses_the_seniors_speed_on_b(write_scenario):
    """B needs 5 agents 08-16: 4 seniors (4 x 1.25 = 5) do it; A needs 2 all day: 6 shifts
    of 8 h. 08-16 needs 6 people, the other 16 hours 2 each: 80 person-hours = 10 shifts
    of 8 h, one per person on one cyclic day. Without the split the 7 agents of 08-16 are
    7 people: 88 person-hours, 11."""
    split = loaded(write_scenario, skills(junior_senior()), A_ALL_DAY, B_DAY)
    assert split.scenario.splits_queues
    result = solve(split)
    assert result.summary.status == "optimal"
    assert result.summary.headcount == 10
    assert result.summary.short_agent_slots == 0 and exact_per_queue(result)
    peak = result.coverage[10]
    assert peak.scheduled == 6 and {q.queue: q.required for q in peak.queues} == {"A": 2, "B": 5}
    assert [q.allocated for q in peak.queues] == pytest.approx([2.0, 5.0])

    everyone = [{"name": "junior", "shift_types": ["d8"]},
                {"name": "senior", "shift_types": ["d8"]}]
    summed = loaded(write_scenario, skills(everyone, pooling={"loop": False}), A_ALL_DAY,
                    B_DAY, name="t.yaml")
    assert not summed.scenario.splits_queues
    assert solve(summed).summary.headcount == 11


def test_a_total_that_suffices_is_not_enough_per_queue_and_the_headcount_rises(write_scenario):
    """A and B need 1 agent each 08-16. All serving all: 2 people on 08-16 shifts. Seniors
    alone serve B but may start only at 06:00 or 10:00: B takes two seniors (06-14 and
    10-18), and A a junior too (08-10 both seniors' hours go to B or are not there)."""
    st = [ANY_START, {"name": "senior-day", "paid_hours": [8], "earliest_start": "06:00",
                      "latest_start": "10:00", "start_step_minutes": 240}]
    pools = [{"name": "junior", "shift_types": ["d8"], "serves": ["A"]},
             {"name": "senior", "shift_types": ["senior-day"], "serves": ["A", "B"]}]
    day = [0] * 8 + [1] * 8 + [0] * 8
    result = solve(loaded(write_scenario, skills(pools, st), day, day))
    assert result.summary.headcount == 3 and exact_per_queue(result)
    assert sorted(r.pool for r in result.shifts) == ["junior", "senior", "senior"]

    pools = [{"name": "junior", "shift_types": ["d8"]},
             {"name": "senior", "shift_types": ["senior-day"]}]
    total = solve(loaded(write_scenario, skills(pools, st), day, day, name="t.yaml"))
    assert total.summary.headcount == 2


def test_without_a_split_the_plan_and_the_roster_are_those_of_the_summed_demand(write_scenario):
    """Pools that serve every queue alike (the staffing loop off, which would split the
    queues to adjust them apart): no allocation variables, no queue outputs, the
    same roster as the same requirement stated as demand (in the deterministic profile:
    otherwise two CP-SAT workers may return either of two equal optima)."""
    pools = [{"name": "junior", "shift_types": ["d8"]},
             {"name": "senior", "shift_types": ["d8"], "max_hire": 3}]
    same = {"solver": {"time_limit_seconds": 8, "workers": 2, "deterministic": True},
            "pooling": {"loop": False}}
    queues = loaded(write_scenario, skills(pools, **same), A_ALL_DAY, B_DAY)
    assert not queues.scenario.splits_queues
    assert build_plan_model(Instance(queues)).split is None
    total = [a + b for a, b in zip(A_ALL_DAY, B_DAY)]
    data = skills(pools, demand={"required": total}, **same)
    del data["channels"]
    demand = load_scenario(write_scenario(data, name="d.yaml"))
    assert demand.required == queues.required
    one, other = solve(queues), solve(demand)
    assert one.summary.queues is None and all(not c.queues for c in one.coverage)
    assert [(s.pool, s.start, s.end) for s in one.shifts] == \
        [(s.pool, s.start, s.end) for s in other.shifts]


@pytest.mark.parametrize("factor, worth_units", [(0.8, 125), (1.0, 100), (0.85, 117),
                                                 (1.5, 66), (3.0, 33)])
def test_a_persons_worth_is_rounded_down_never_above_the_exact_rule(write_scenario, factor,
                                                                    worth_units):
    data = skills(junior_senior(factor))
    view = Instance(load_scenario(write_scenario(data))).pool_views()[1]
    assert worth(view, "B") == worth_units
    assert worth_units * PERSON_UNITS / AGENT_UNITS <= 1 / factor


@pytest.mark.parametrize("factor, seniors", [(0.8, 4), (0.81, 5)])
def test_five_agents_of_b_take_four_seniors_at_factor_0_8_and_five_just_above(
        write_scenario, factor, seniors):
    """At 0.8, 4 seniors are exactly 5 agents (just meets); at 0.81 they are 4.94 (short)."""
    lo = loaded(write_scenario, skills(junior_senior(factor)), [0] * SLOTS, B_DAY)
    result = solve(lo)
    assert result.summary.headcount == seniors and exact_per_queue(result)


def test_a_capped_serving_pool_leaves_its_queue_short_when_understaffing_is_allowed(
        write_scenario):
    """B needs 5 agents 08-16 but at most 2 seniors exist (2.5 agents at factor 0.8): with
    understaffing allowed, B is short 2.5 agents in each of 8 slots, reported per queue."""
    data = skills(junior_senior(0.8, max_hire=2),
                  coverage={"allow_understaffing": True, "understaffing_penalty": 10})
    result = solve(loaded(write_scenario, data, A_ALL_DAY, B_DAY))
    rows = {row.queue: row for row in result.summary.queues}
    assert rows["B"].short_slots == 8 and rows["B"].short_agent_hours == pytest.approx(20.0)
    assert rows["A"].short_slots == 0
    assert result.summary.short_agent_slots == 8 * 3  # 2.5 agents short: 3 per slot


def test_without_understaffing_the_cap_is_infeasible_and_names_the_queue(write_scenario):
    data = skills(junior_senior(0.8, max_hire=2))
    result = solve(loaded(write_scenario, data, A_ALL_DAY, B_DAY))
    assert result.summary.status == "infeasible"
    assert "queue 'B'" in result.summary.message and "max_hire" in result.summary.message
    assert untranslated(result.summary.message) == set()


def test_a_queue_its_pools_cannot_reach_is_infeasible_before_any_model(write_scenario):
    st = [ANY_START, {"name": "day", "paid_hours": [8], "earliest_start": "08:00",
                      "latest_start": "08:00"}]
    pools = [{"name": "junior", "shift_types": ["d8"], "serves": ["A"]},
             {"name": "senior", "shift_types": ["day"], "serves": ["A", "B"]}]
    b = [0] * 8 + [2] * 10 + [0] * 6  # 08-18; seniors work 08-16 only
    result = solve(loaded(write_scenario, skills(pools, st), [1] * SLOTS, b))
    assert result.summary.status == "infeasible"
    message = result.summary.message
    assert "queue 'B'" in message and "16:00-18:00" in message
    assert "add 'B' to the serves of pool 'junior'" in message
    assert untranslated(message) == set()
