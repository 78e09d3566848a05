"""Per-person serves (engine/serves.py, issue 17 point 1): a named person who serves only
part of their pool's queues is counted only on those (the day of conftest.serves_pair:
queues A and B, one pool `team` serving both, people P1 and P2)."""

from __future__ import annotations

from scheduler.check import check_roster
from scheduler.engine.serves import split_by_serves
from scheduler.engine.solve import solve
from scheduler.workload.loaded import load_scenario

from conftest import serves_pair, untranslated


def solved(write_scenario, data: dict):
    path = write_scenario(data)
    loaded = load_scenario(path)
    return loaded, solve(loaded), path.parent


def checked(loaded, result, folder):
    """The independent checker's violations of the roster against the scenario."""
    shifts = [s.model_dump() for s in result.shifts]
    breaks = [b.model_dump() for b in result.breaks]
    return check_roster(loaded.scenario, folder, shifts, breaks).violations


def test_a_pool_splits_into_its_people_s_serves_lists(write_scenario):
    loaded = load_scenario(write_scenario(serves_pair(["A"], max_hire=3)))
    split = split_by_serves(loaded)
    pools = {p.name: p for p in split.loaded.scenario.pools}
    assert set(pools) == {"team", "team.A"}
    assert (pools["team"].standing, pools["team"].max_hire, pools["team"].serves) == (0, 3, None)
    assert (pools["team.A"].standing, pools["team.A"].max_hire) == (2, 0)
    assert pools["team.A"].serves == ["A"]
    assert {m.pool for m in split.loaded.scenario.staff.people} == {"team.A"}
    assert split.contract == {"team": "team", "team.A": "team"}


def test_people_serving_all_their_pool_s_queues_need_no_split(write_scenario):
    data = serves_pair(["A", "B"])
    data["staff"]["people"][0]["serves"] = ["B", "A"]
    assert split_by_serves(load_scenario(write_scenario(data))) is None


def test_two_people_serving_only_a_need_a_hire_for_b(write_scenario):
    """Broken if serves were ignored: P1 and P2 would cover A and B alone. Honoured, B
    needs a hire (who serves the pool's queues) and the checker passes the roster."""
    loaded, result, folder = solved(write_scenario, serves_pair(["A"], max_hire=1))
    s = result.summary
    assert s.status in ("optimal", "feasible"), s.message
    assert s.headcount == 3 and [(h.pool, h.hires) for h in s.hires_needed] == [("team", 1)]
    assert {sh.pool for sh in result.shifts} == {"team"}
    assert [(p.name, p.standing, p.hired) for p in s.pools] == [("team", 2, 1)]
    assert "team 2" in s.answer and "team.A" not in s.answer
    assert checked(loaded, result, folder) == []


def test_one_person_for_each_queue_just_meets_it(write_scenario):
    loaded, result, folder = solved(write_scenario, serves_pair(["B"], max_hire=1))
    s = result.summary
    assert s.status in ("optimal", "feasible"), s.message
    assert s.headcount == 2 and not s.hires_needed
    assert {sh.agent for sh in result.shifts} == {"P1", "P2"}
    assert checked(loaded, result, folder) == []


def test_without_hires_queue_b_is_infeasible_and_said_so(write_scenario):
    """The plan gives B's shifts to the pool's own group, which has no one: the named
    roster says so, and who of the pool's people went where."""
    _, result, _ = solved(write_scenario, serves_pair(["A"], max_hire=0))
    s = result.summary
    assert s.status == "infeasible"
    assert "pool 'team' needs 1 people on 2026-11-16" in s.message
    assert "pool 'team''s people who serve only some of its queues are rostered as " \
        "'team.A'" in s.message
    assert not untranslated(s.message)
