"""The named roster stage (engine/staff_stage.py): a plan that is only the greedy roster's
shifts proves nothing when the named people cannot work them."""

from __future__ import annotations

import scheduler.engine.solve as solve_module
from scheduler.workload.loaded import load_scenario

from conftest import serves_pair


def test_a_greedy_plan_the_people_cannot_work_is_no_proof_of_infeasibility(
        write_scenario, monkeypatch):
    """With no plan in time the greedy roster's shifts are the plan; here it gives queue
    A's work to the pool's own group, whose only person is a hire (P1 and P2 serve only
    A): one hire cannot take two shifts a day. A plan would have put A on P1 and P2."""
    loaded = load_scenario(write_scenario(serves_pair(["A"], max_hire=1)))
    monkeypatch.setattr(solve_module, "primary_plan",
                        lambda run, pm, objective: run.unfinished("shift plan"))
    s = solve_module.solve(loaded).summary
    assert s.status != "infeasible"
    if s.status == "unknown":
        assert "no shift plan found" in s.message


def test_with_a_searched_plan_too_few_people_stay_infeasible(write_scenario):
    """No hire and both people serving only A: B cannot be covered, whatever the plan."""
    result = solve_module.solve(load_scenario(write_scenario(serves_pair(["A"]))))
    assert result.summary.status == "infeasible"
