"""The contact-centre simulation (scheduler/workload/sim): agreement with Erlang C and A,
the published multi-skill cases (Koole's two queues, ContactCenters' SimpleMSK), routing,
breaks and shift ends, determinism, conservation and bad input."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.errors import InputError, InputErrors
from scheduler.workload import erlang
from scheduler.workload.sim import (
    AgentGroup, Busyness, Centre, Shift, SimQueue, simulate, simulate_run,
)
from scheduler.workload.sim import cases
from scheduler.workload.sim.measure import _slot_time

MULTISKILL = Path(__file__).parents[2] / ".." / "shared" / "benchmarks" / "multiskill" / "README.md"


def one_queue(patience=None, agents=10, erlangs=8.0, aht=300.0, slots=20, slot_minutes=30):
    per_slot = erlangs / aht * slot_minutes * 60
    return Centre([SimQueue("q", [per_slot] * slots, aht, patience_seconds=patience,
                            answer_within_seconds=20.0)],
                  [AgentGroup("g", ["q"], staffing=[agents] * slots)], slot_minutes=slot_minutes)


WARMUP = slice(2, None)  # the first hour: the centre starts empty, Erlang is the steady state


# ---------------------------------------------------------------- Erlang C and A


def test_one_queue_without_patience_agrees_with_erlang_c():
    res = simulate(one_queue(), runs=100, seed=3)
    got = res.by_queue(slots=WARMUP)
    want = erlang.erlang_c(10, 8.0, 300.0, 20.0)
    sl, asa = got["service_level"], got["asa_seconds"]
    assert sl.half_width[0] < 0.03          # a meaningful interval: a few points wide
    assert sl.low[0] <= want.service_level <= sl.high[0]
    assert asa.low[0] <= want.asa_seconds <= asa.high[0]
    assert got["abandoned"].mean[0] == 0
    occ = res.by_group(slots=WARMUP)["occupancy"]
    assert occ.low[0] <= 0.8 <= occ.high[0]


def test_one_queue_with_patience_agrees_with_erlang_a():
    res = simulate(one_queue(patience=180.0), runs=100, seed=4)
    got = res.by_queue(slots=WARMUP)
    want = erlang.erlang_a(10, 8.0, 300.0, 180.0, 20.0)
    assert got["service_level"].half_width[0] < 0.03
    for measure, value in (("service_level", want.service_level),
                           ("abandon_rate", want.abandon_rate),
                           # erlang_a's ASA is the mean wait of all offered contacts
                           ("mean_wait_seconds", want.asa_seconds)):
        e = got[measure]
        assert e.low[0] <= value <= e.high[0], (measure, e, value)


# ---------------------------------------------------------------- published cases


def test_published_figures_are_those_of_the_shared_readme():
    """cases.py copies the figures of ../shared/benchmarks/multiskill/README.md so that the
    reproductions below need nothing outside the repository; this checks the copy."""
    if not MULTISKILL.is_file():
        pytest.skip(f"{MULTISKILL} is absent (../shared/benchmarks is not beside this checkout)")
    text = MULTISKILL.read_text(encoding="utf-8")
    koole = re.findall(r"^\| (\d+[^|]*?) \| (\d+)%(?: / (\d+)%)? \|$", text, re.M)
    published = [tuple(int(x) / 100 for x in row[1:] if x) for row in koole]
    assert published == list(cases.KOOLE_PUBLISHED.values())
    for figure, (mean, low, high) in cases.SIMPLEMSK_PUBLISHED.items():
        row = re.search(rf"^\| {re.escape(figure)}.*$", text, re.M).group(0)
        numbers = [float(x.replace(",", "")) for x in re.findall(r"[\d,]+\.\d+", row)]
        assert numbers == pytest.approx([mean, low, high], abs=0.06), figure


@pytest.mark.parametrize("staffing", list(cases.KOOLE_PUBLISHED))
def test_koole_two_queue_case_lands_within_a_point(staffing):
    """Koole, "Multi-skill arithmetics" (webinar, 16 April 2024), as summarised in
    ../shared/benchmarks/multiskill/README.md: service level (answered within 20 s over all
    offered) of 18 agents on queue 1, 23 on queue 2, 39 serving both, and 13 + 18
    single-skill with 8 serving both; published to the whole percent."""
    res = simulate(cases.koole_centre(staffing), runs=100, seed=2024, processes=2)
    sl = res.by_queue(slots=slice(cases.KOOLE_WARMUP_SLOTS, None))["service_level"]
    assert np.all(sl.half_width < 0.01)
    np.testing.assert_allclose(sl.mean, cases.KOOLE_PUBLISHED[staffing], atol=0.01)


def test_contactcenters_simple_msk_lands_in_the_published_intervals():
    """ContactCenters' SimpleMSK example (Universite de Montreal, umontreal-simul/
    contactcenters, doc/examples/SimpleMSK.res: 1,000 days), as summarised in
    ../shared/benchmarks/multiskill/README.md: served and abandoned per day, service level
    in ContactCenters' definition and group 0's occupancy over the day (up to the last
    real event) inside the published 95% intervals. 2,000 simulated days, twice the
    published run, so that our own noise is smaller than the published interval."""
    res = simulate(cases.simple_msk(), runs=2000, seed=2007, processes=2)
    total = res.overall()
    got = {"served per day": total["answered"], "abandoned per day": total["abandoned"],
           "service level": total["service_level_cc"],
           "occupancy, group 0": res.by_group()["occupancy"]}
    for figure, (_, low, high) in cases.SIMPLEMSK_PUBLISHED.items():
        mean = np.ravel(got[figure].mean)[0]
        assert low <= mean <= high, (figure, mean, (low, high))
    # served within 20 s per type and period: the two estimates agree within their
    # combined 95% margin (the published half-widths are those of SimpleMSK.res)
    published_half = np.array([[5.816, 5.175, 1.708], [8.339, 5.372, 3.427],
                               [9.628, 6.146, 2.751]])
    good = res.by_queue_and_slot()["answered_within"]
    margin = np.hypot(good.half_width, published_half)
    assert np.all(np.abs(good.mean - np.array(cases.SIMPLEMSK_GOOD_SL)) <= margin)


# ---------------------------------------------------------------- rules


def test_same_seed_same_figures_whatever_the_processes():
    c = cases.simple_msk()
    a = simulate(c, runs=4, seed=11)
    b = simulate(c, runs=4, seed=11, processes=2)
    other = simulate(c, runs=4, seed=12)
    for field in a.queue_data:
        np.testing.assert_array_equal(a.queue_data[field], b.queue_data[field])
    for field in a.group_data:
        np.testing.assert_array_equal(a.group_data[field], b.group_data[field])
    assert not np.array_equal(a.queue_data["offered"], other.queue_data["offered"])
    _, r1 = simulate_run(c, seed=11, run=2)
    _, r2 = simulate_run(c, seed=11, run=2)
    np.testing.assert_array_equal(r1.start, r2.start)
    assert r1.contacts.arrival.size == a.contacts[2]


def shift_centre():
    """Two agents with breaks and an early end, busy enough to be busy at those times."""
    shifts = [Shift(0, 240, breaks=[(60, 75), (150, 180)]), Shift(30, 200, breaks=[(90, 120)]),
              Shift(0, None)]
    return Centre([SimQueue("q", [40.0] * 8, 240.0, patience_seconds=600.0)],
                  [AgentGroup("a", ["q"], shifts=shifts[:2]),
                   AgentGroup("b", ["q"], shifts=shifts[2:])], slot_minutes=30)


def test_no_contact_starts_during_a_break_or_off_duty_and_a_busy_agent_finishes_first():
    centre = shift_centre()
    plan, rec = simulate_run(centre, seed=5)
    served = rec.agent >= 0
    on = {0: [(0, 60), (75, 150), (180, 240)], 1: [(30, 90), (120, 200)]}
    for agent, stretches in on.items():
        starts = rec.start[served & (rec.agent == agent)] / 60
        assert starts.size > 10
        inside = np.zeros(starts.size, dtype=bool)
        for a, b in stretches:
            inside |= (starts >= a) & (starts < b)
        assert inside.all(), starts[~inside]
        # the agent leaves when the contact in hand ends: each stretch ends at its planned
        # end or at the end of a service running over it, never earlier
        ends = rec.start[served & (rec.agent == agent)] + rec.service[served & (rec.agent == agent)]
        mine = rec.presence_agent == agent
        for (a, b), on_s, off_s in zip(stretches, rec.presence_on[mine], rec.presence_off[mine]):
            assert on_s == pytest.approx(a * 60) or on_s > a * 60  # a late break shortens it
            assert off_s >= b * 60
            if off_s > b * 60:
                assert np.any(np.isclose(ends, off_s))


def test_contacts_go_only_to_groups_serving_their_queue_and_overflow_waits_for_rank_0():
    centre = Centre(
        [SimQueue("x", [300.0] * 6, 300.0, patience_seconds=120.0),
         SimQueue("y", [200.0] * 6, 300.0, patience_seconds=120.0)],
        [AgentGroup("xs", ["x"], staffing=[40] * 6),
         AgentGroup("ys", ["y"], staffing=[25] * 6),
         AgentGroup("flex", ["x", "y"], staffing=[12] * 6, overflow_rank={"x": 1, "y": 1},
                    handle_time_factor={"y": 0.5})], slot_minutes=30)
    plan, rec = simulate_run(centre, seed=8)
    served = rec.agent >= 0
    group = np.asarray(plan.agent_group)[rec.agent[served]]
    queue = rec.contacts.queue[served]
    assert set(group[queue == 0]) <= {0, 2} and set(group[queue == 1]) <= {1, 2}
    assert np.sum(group == 2) > 50
    # the handle-time factor applies to the group that has it only
    base = rec.contacts.handle[served]
    np.testing.assert_allclose(rec.service[served][(group == 2) & (queue == 1)],
                               0.5 * base[(group == 2) & (queue == 1)])
    np.testing.assert_allclose(rec.service[served][group != 2], base[group != 2])
    # a contact answered on arrival by the flexible group found every specialist busy
    start, end = rec.start[served], rec.start[served] + rec.service[served]
    immediate = (group == 2) & (start == rec.contacts.arrival[served])
    for t, q in zip(start[immediate][:200], queue[immediate][:200]):
        busy = np.sum((group == q) & (start < t) & (end > t))
        assert busy == (40, 25)[q]


def test_a_freed_agent_serves_the_higher_priority_queue_first_then_the_longest_waiting():
    centre = Centre(
        [SimQueue("low", [120.0] * 4, 300.0, patience_seconds=900.0),
         SimQueue("high", [60.0] * 4, 300.0, patience_seconds=900.0, priority=1),
         SimQueue("low2", [60.0] * 4, 300.0, patience_seconds=900.0)],
        [AgentGroup("g", ["low", "high", "low2"], staffing=[19] * 4)], slot_minutes=30)
    _, rec = simulate_run(centre, seed=2)
    c = rec.contacts
    served = rec.agent >= 0
    gone = np.where(served, rec.start, c.arrival + c.patience)   # when each left the line
    from_line = np.flatnonzero(served & (rec.start > c.arrival))
    assert from_line.size > 100
    for i in from_line:
        t = rec.start[i]
        waiting = (c.arrival < t) & (gone > t)
        if c.queue[i] != 1:
            assert not np.any(waiting & (c.queue == 1))      # nothing of priority 1 waits
            same_tier = waiting & (c.queue != 1)
            assert not np.any(c.arrival[same_tier] < c.arrival[i])  # the longest waiting


def test_an_arriving_contact_goes_to_the_longest_idle_agent():
    centre = one_queue(agents=12, erlangs=8.0, slots=4)
    _, rec = simulate_run(centre, seed=6)
    served = rec.agent >= 0
    start, end, agent = rec.start[served], rec.start[served] + rec.service[served], rec.agent[served]
    immediate = np.flatnonzero(start == rec.contacts.arrival[served])
    checked = 0
    for i in immediate[:300]:
        t = start[i]
        idle_since = []
        for a in range(12):
            mine = agent == a
            if np.any(mine & (start < t) & (end > t)) or a == agent[i]:
                continue                                    # busy, or the one chosen
            before = end[mine & (end <= t)]
            idle_since.append(before.max() if before.size else 0.0)
        chosen = end[(agent == agent[i]) & (end <= t)]
        if idle_since:
            assert (chosen.max() if chosen.size else 0.0) <= min(idle_since)
            checked += 1
    assert checked > 100


def test_service_level_definitions_from_one_run():
    centre = one_queue(patience=60.0, agents=9, slots=4)
    plan, rec = simulate_run(centre, seed=1)
    res = simulate(centre, runs=1, seed=1)
    c = rec.contacts
    served = rec.agent >= 0
    wait = rec.start - c.arrival
    within = np.sum(served & (wait <= 20))
    abandoned = ~served
    late = np.sum(abandoned & (c.patience > 20))
    got = res.overall()
    assert got["service_level"].mean == pytest.approx(within / c.arrival.size)
    assert got["service_level_cc"].mean == pytest.approx(within / (served.sum() + late))
    assert got["asa_seconds"].mean == pytest.approx(wait[served].mean())
    assert np.isnan(got["service_level"].low)  # one run: no interval


def test_slot_time_splits_intervals_over_slots_and_outside():
    bounds = np.array([0.0, 10.0, 20.0])
    out = _slot_time(np.array([5.0, -3.0, 12.0]), np.array([25.0, 2.0, 14.0]),
                     np.array([0, 0, 1]), 2, bounds)
    np.testing.assert_allclose(out, [[7.0, 10.0, 8.0], [0.0, 2.0, 0.0]])


def test_the_closing_period_counts_until_the_last_real_event():
    res = simulate(cases.simple_msk(), runs=3, seed=1)
    present = res.group_data["present_seconds"]
    # after 360 minutes group 0 keeps 9 agents until the last call ends or abandons
    closing = present[:, 0, -1]
    np.testing.assert_allclose(closing, 9 * (res.end_seconds - 360 * 60))
    assert np.all(res.end_seconds > 360 * 60)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(volumes=st.lists(st.floats(0, 30), min_size=2, max_size=4),
       agents=st.integers(0, 4), patience=st.sampled_from([None, 30.0, 600.0]),
       open_end=st.booleans(), seed=st.integers(0, 2**32 - 1))
def test_every_offered_contact_is_answered_abandoned_or_still_waiting(volumes, agents, patience,
                                                                      open_end, seed):
    n = len(volumes)
    shifts = [Shift(0, None if open_end else 30 * n - 15, breaks=[(20, 25)])] * agents
    groups = [AgentGroup("s", ["q"], shifts=shifts) if agents else
              AgentGroup("s", ["q"], staffing=[0] * n)]
    centre = Centre([SimQueue("q", volumes, 200.0, patience_seconds=patience)], groups,
                    slot_minutes=30)
    res = simulate(centre, runs=2, seed=seed)
    d = res.queue_data
    np.testing.assert_array_equal(d["offered"], d["answered"] + d["abandoned"] + d["waiting_at_end"])
    assert np.all(d["answered_within"] <= d["answered"])
    if patience is not None:
        assert d["waiting_at_end"].sum() == 0
    busy, present = res.group_data["busy_seconds"], res.group_data["present_seconds"]
    assert np.all(busy.sum(axis=2) <= present.sum(axis=2) + 1e-6)


# ---------------------------------------------------------------- bad input


def key_paths(excinfo) -> set[str]:
    return {e.key_path for e in excinfo.value.errors}


def test_bad_input_names_every_key_path():
    q = SimQueue("q", [10.0, -1.0], 0.0, patience_seconds=-5.0, service_level=80)
    groups = [AgentGroup("g", ["q", "nope"], staffing=[1, 1],
                          handle_time_factor={"q": 0.0}, overflow_rank={"other": 1}),
              AgentGroup("h", ["q"]),
              AgentGroup("i", ["q"], shifts=[Shift(60, 30), Shift(0, 60, breaks=[(50, 70)])])]
    with pytest.raises(InputErrors) as excinfo:
        simulate(Centre([q, SimQueue("lonely", [1.0, 1.0], 60.0)], groups), runs=1)
    assert key_paths(excinfo) == {
        "queues[0].volume[1]", "queues[0].aht_seconds", "queues[0].patience_seconds",
        "queues[0].service_level", "groups[0].serves[1]", "groups[0].overflow_rank.other",
        "groups[0].handle_time_factor.q", "groups[1]", "groups[2].shifts[0].end_minute",
        "groups[2].shifts[1].breaks[0]", "queues[1]"}
    assert "no group serves queue 'lonely'" in str(excinfo.value)
    assert excinfo.value.exit_code == 2


def test_bad_run_settings_and_lengths():
    with pytest.raises(InputError, match="runs"):
        simulate(one_queue(), runs=0)
    with pytest.raises(InputError, match="processes"):
        simulate(one_queue(), processes=0)
    bad = Centre([SimQueue("q", [1.0, 2.0], [60.0]), SimQueue("r", [1.0], 60.0)],
                 [AgentGroup("g", ["q", "r"], staffing=[1, 1, 1])], busyness=Busyness(0, 1))
    with pytest.raises(InputErrors) as excinfo:
        simulate(bad)
    assert key_paths(excinfo) == {"queues[0].aht_seconds", "queues[1].volume",
                                  "groups[0].staffing", "busyness.shape"}
