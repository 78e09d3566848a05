"""One pool's roster: its planned shifts placed on its agents within a budget, by the
greedy roster, working-day patterns, days-first with a few seeds, then CP-SAT over agents x
days x shift classes."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from scheduler.engine.cpsat import Progress
from scheduler.engine.instance import Instance
from scheduler.engine.patterns import pattern_roster
from scheduler.engine.roster import RosterResult, days_first_roster, greedy_roster, solve_roster
from scheduler.engine.stopping import StopSignal

ROSTER_MAX_BOOLEANS = 400_000  # above this, building the roster model takes too long


@dataclass
class PoolOutcome:
    """A pool's roster (None when there is none), the seconds charged for it, and whether
    CP-SAT proved that none exists (with as many agents as shifts, or at the pool's cap)."""

    roster: RosterResult | None
    charged: float
    proven_infeasible: bool = False


def roster_pool(inst: Instance, counts: dict[tuple[int, int], int], plan_agents: int,
                lower: int, budget: float, params: dict, headcount_matters: bool,
                deterministic: bool, on_progress, t0: float, stop: StopSignal | None,
                headcount_bound: int | None, last_resort: bool = True) -> PoolOutcome:
    """Place one pool's planned shifts on its agents within `budget` seconds: greedy,
    working-day patterns, days-first with a few seeds, then CP-SAT over agents x days x
    shift classes. With `last_resort`, a quick days-first pass past the budget when all
    else found nothing (a run with no other roster)."""
    started = time.monotonic()
    charged = 0.0

    def left() -> float:
        return budget - (charged if deterministic else time.monotonic() - started)

    def stopped() -> bool:
        return stop is not None and stop.is_set()

    cap = inst.max_headcount
    # A plan whose objective is not headcount leaves its agent count unminimised (it may
    # be thousands): start the heuristics from what the days need, they add agents.
    per_day: dict[int, int] = {}
    for (d, _), c in counts.items():
        per_day[d] = per_day.get(d, 0) + c
    k7 = inst.rules.max_days_per_week
    needed = max(per_day.values(), default=0)
    if k7 < 7:
        needed = max([needed] + [math.ceil(sum(per_day.get(d, 0) for d in w) / k7)
                                 for w in inst.day_windows(7)])
    plan_agents = min(plan_agents, max(needed, 1)) if not headcount_matters else plan_agents
    target = max(lower, plan_agents) if not lower else lower
    total_shifts = sum(counts.values())
    classes_per_agent = len({(d, inst.options[k].shape) for d, k in counts})
    greedy = greedy_roster(inst, counts, plan_agents)

    def too_large(size: int) -> bool:
        # building the model is Python time outside CP-SAT's limit: keep it affordable
        return size * classes_per_agent > ROSTER_MAX_BOOLEANS

    def good_enough(r) -> bool:
        return r is not None and (len(r) <= target or not headcount_matters)

    # Working-day patterns from a state network: no agent symmetry, so long horizons fit.
    if not good_enough(greedy) and not stopped() and left() > 1:
        # without the CP-SAT model (too large to build) the patterns are the best hope
        spend = max(1.0, left() * 0.7) if too_large(plan_agents) \
            else min(30.0, max(1.0, left() * 0.4))
        t_patterns = time.monotonic()
        found = pattern_roster(inst, counts, spend, params, stop, lower=lower)
        charged += spend if deterministic else time.monotonic() - t_patterns
        if found is not None and (greedy is None or len(found) < len(greedy)):
            greedy = found
    # Days-first with a few seeds (its day choice varies with the seed) while it helps.
    spend, spent, t_days = min(15.0, left() * 0.3), 0.0, time.monotonic()
    for attempt in range(8):
        if good_enough(greedy) or stopped():
            break
        remaining = spend - (spent if deterministic else time.monotonic() - t_days)
        if remaining < 0.5:
            break
        seeded = {**params, "random_seed": params.get("random_seed", 0) + attempt}
        two_step = days_first_roster(inst, counts, plan_agents, min(remaining, 5.0), seeded, stop)
        spent += min(remaining, 5.0)
        if two_step is not None and (greedy is None or len(two_step) < len(greedy)):
            greedy = two_step
    charged += spent
    if good_enough(greedy):
        status = "optimal" if len(greedy) <= lower else "feasible"
        return PoolOutcome(RosterResult(status, greedy, len(greedy), lower), charged)
    roster = None
    proven_infeasible = False
    if greedy is not None:
        # first the plan's headcount exactly, then the heuristic's with its roster as hint
        pools = [plan_agents, len(greedy)] if plan_agents < len(greedy) else [len(greedy)]
    else:
        pools = [plan_agents, plan_agents + max(2, math.ceil(plan_agents * 0.05)), total_shifts]
    if cap is not None:
        pools = sorted({min(size, cap) for size in pools})
    for attempt, size in enumerate(pools):
        if attempt and size <= pools[attempt - 1]:
            continue
        if too_large(size) or left() < 3 or stopped():
            continue
        if on_progress:
            on_progress(Progress("roster", headcount=len(greedy) if greedy else None,
                                 headcount_bound=headcount_bound,
                                 elapsed=time.monotonic() - t0))
        share = left() * (0.6 if attempt + 1 < len(pools) else 1.0)
        from scheduler.engine.callbacks import RosterReporter

        roster = solve_roster(inst, counts, size, lower, max(1.0, share), params, hint=greedy,
                              callback=RosterReporter(on_progress, t0, stop, headcount_bound),
                              stop=stop)
        charged += max(1.0, share)
        proven_infeasible = roster.status == "infeasible" and (
            size >= total_shifts or (cap is not None and size >= cap))
        if roster.status in ("optimal", "feasible") or left() < 1:
            break
    if (roster is None or roster.status not in ("optimal", "feasible")) and greedy is None \
            and last_resort:
        # interrupted or out of time before any roster: one quick days-first pass (not
        # interruptible, a few seconds at most) so that the run still ends with a roster
        seconds = 5.0 if stopped() else max(1.0, min(5.0, left() + 2.0))
        greedy = days_first_roster(inst, counts, plan_agents, seconds, params, None)
        charged += seconds
    if (roster is None or roster.status not in ("optimal", "feasible")) and greedy is not None:
        roster = RosterResult("feasible", greedy, len(greedy), lower)
    if roster is None or roster.status not in ("optimal", "feasible"):
        return PoolOutcome(None, charged, proven_infeasible)
    return PoolOutcome(roster, charged)
