"""The best roster so far: the first (greedy) roster and the rosters of later plans are
compared on the scenario's own objective, as the plan states it (engine/solve.objectives),
read back from each result's summary."""

from __future__ import annotations

from scheduler.models import Result, Scenario


def roster_value(result: Result, sc: Scenario) -> tuple[float, float]:
    """(primary, secondary) objective of a result's roster in the objective's units,
    penalties included; lower is better."""
    s = result.summary
    cov = sc.coverage
    penalty = cov.overstaffing_penalty * s.over_agent_slots
    if cov.allow_understaffing:
        penalty += cov.understaffing_penalty * s.short_agent_slots
    if sc.objective.distinct_shift_penalty > 0:
        distinct = {(r.start.time(), r.paid_minutes) for r in result.shifts}
        penalty += sc.objective.distinct_shift_penalty * len(distinct)
    headcount = s.headcount or 0
    cost = s.cost or 0.0
    paid = s.paid_hours or 0.0
    kind = sc.objective.kind
    if kind in ("headcount", "headcount_then_cost"):
        return headcount + penalty, cost if kind == "headcount_then_cost" else paid
    if kind == "paid_hours":
        return paid + penalty, headcount
    if kind == "cost":
        return cost + penalty, headcount
    if kind == "added_headcount":
        return sum(p.hired for p in s.pools) + penalty, cost
    return penalty, paid


def better(first: Result | None, other: Result | None, sc: Scenario) -> Result | None:
    """The better of two results with rosters (either may be None or have none); `other`
    on a tie, since it carries the later plan's status and bounds."""
    if first is None or not first.feasible:
        return other
    if other is None or not other.feasible:
        return first
    return first if roster_value(first, sc) < roster_value(other, sc) else other
