"""Infeasibility explained in the scenario's own terms, with a suggested relaxation."""

from __future__ import annotations

import datetime as dt
import logging
import math

from scheduler.engine.sat import cp_model

from scheduler.engine.instance import Instance
from scheduler.engine.plan import build_plan_model
from scheduler.engine.queue_split import QUEUE_RULE, queue_name

log = logging.getLogger(__name__)

RULE_WORDS = {
    "coverage": "the requirement in every slot (coverage is hard)",
    "max_headcount": "rules.max_headcount",
    "one_shift_per_day": "one shift per agent per day",
    "max_days_per_week": "rules.max_days_per_week",
    "max_consecutive_days": "rules.max_consecutive_days",
    "max_weekly_paid_hours": "rules.max_weekly_paid_hours",
    "min_weekly_paid_hours": "rules.min_weekly_paid_hours",
    "named_staff": "what the named people can work (leave, dates, windows, weekly hours)",
}


def _ranges(slots: list[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s in slots:
        if out and out[-1][1] == s:
            out[-1] = (out[-1][0], s + 1)
        else:
            out.append((s, s + 1))
    return out


def unreachable_slots(inst: Instance) -> str:
    """A message naming slots with a requirement that no shift option covers, or ''."""
    reach = [False] * inst.num_slots
    per_day: dict[int, list[int]] = {}
    for d, k in inst.instances:
        per_day.setdefault(d, []).append(k)
    reached: dict[tuple[int, ...], list[int]] = {}  # options -> the day's slots they reach
    for d, ks in per_day.items():
        key = tuple(ks)
        if key not in reached:
            union: set[int] = set()
            for k in ks:
                union.update(inst.options[k].on_duty_slots(inst.slot))
            reached[key] = sorted(union)
        for s in inst.on_horizon(d, reached[key]):
            reach[s] = True
    bad = [s for s, r in enumerate(inst.required) if r > 0 and not reach[s]]
    if not bad:
        return ""
    start, slot = inst.loaded.start, inst.slot
    parts = []
    ranges = _ranges(bad)
    for a, b in ranges[:3]:
        t0 = start + dt.timedelta(minutes=a * slot)
        t1 = start + dt.timedelta(minutes=b * slot)
        need = max(inst.required[a:b])
        parts.append(
            f"no shift type can cover {t0:%H:%M}-{t1:%H:%M} on {t0:%Y-%m-%d} "
            f"({t0:%a}), where {need} agent{'s' if need != 1 else ''} "
            f"{'are' if need != 1 else 'is'} required"
        )
    more = f" (and {len(ranges) - 3} more periods)" if len(ranges) > 3 else ""
    notes = "".join(f"; {n}" for n in inst.option_notes)
    return (
        "; ".join(parts) + more + notes
        + ": widen a shift type's start window (overnight starts are written past 24:00, "
        "e.g. 25:00), add a shift type, or lower the requirement there"
    )


def short_cycle(inst: Instance) -> str:
    """A message when the horizon is a cyclic cycle of fewer than 7 days in which no pool
    can work at all: one working day of a D-day cycle repeats ceil(7 / D) times in every
    7 days (a cyclic single day: every day, without end), more than max_days_per_week
    allows (or, for a single day, than max_consecutive_days); or ''."""
    days = inst.days
    if not inst.cyclic or days >= 7 or not any(r > 0 for r in inst.required):
        return ""
    per_week = math.ceil(7 / days)
    why = set()
    for view in inst.pool_views():
        rules = view.rules
        if per_week > rules.max_days_per_week:
            why.add(f"max_days_per_week {rules.max_days_per_week}")
        elif days == 1 and rules.max_consecutive_days is not None:
            why.add(f"max_consecutive_days {rules.max_consecutive_days}")
        else:
            return ""  # this pool's people can work the cycle
    return (f"the horizon is a cyclic {days}-day cycle: a person who works one day of it "
            f"works {per_week} days in every 7 (the cycle repeats), which the labour rules "
            f"forbid ({', '.join(sorted(why))}); make the horizon a week or longer (cyclic or "
            f"not), or not cyclic")


def unreachable_queue_slots(inst: Instance) -> str:
    """With queues split: a message naming each queue with a requirement in slots that no
    shift of the pools serving it covers, those pools and what would relax it; or ''."""
    sc = inst.scenario
    if not sc.splits_queues:
        return ""
    views = inst.pool_views()
    reach = []
    for view in views:
        mine = [False] * inst.num_slots
        for d, k in view.instances:
            for s in view.covered(d, view.options[k]):
                mine[s] = True
        reach.append(mine)
    start, slot = inst.loaded.start, inst.slot
    parts = []
    for q in inst.loaded.queues:
        serving = [p for p, v in enumerate(views) if q in sc.queues_served(v.pool)]
        need = inst.loaded.queue_required.get(q, ())
        bad = [s for s, r in enumerate(need) if r > 0 and not any(reach[p][s] for p in serving)]
        if not bad:
            continue
        ranges = _ranges(bad)
        where = ", ".join(
            f"{start + dt.timedelta(minutes=a * slot):%Y-%m-%d %H:%M}-"
            f"{start + dt.timedelta(minutes=b * slot):%H:%M}" for a, b in ranges[:3])
        more = f" (and {len(ranges) - 3} more periods)" if len(ranges) > 3 else ""
        names = ", ".join(repr(views[p].pool_name) for p in serving)
        others = [repr(v.pool_name) for p, v in enumerate(views)
                  if p not in serving and any(reach[p][s] for s in bad)]
        fix = f"add {q!r} to the serves of pool {' or '.join(others)}" if others else \
            f"add {q!r} to the serves of a pool whose shifts reach those hours"
        parts.append(
            f"queue {q!r} requires agents {where}{more}, where no shift of the pools "
            f"serving it ({names}) is on duty: {fix}, or widen the start windows of "
            f"those pools' shift types")
    return "; ".join(parts)


def _solve(model: cp_model.CpModel, seconds: float, seed: int):
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.random_seed = seed
    solver.log_callback = log.debug
    solver.parameters.catch_sigint_signal = False
    return solver, solver.solve(model)


def _feasible_without(inst: Instance, skip: frozenset[str], seconds: float, seed: int) -> bool | None:
    pm = build_plan_model(inst, skip=skip)
    _, status = _solve(pm.model, seconds, seed)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return True
    if status == cp_model.INFEASIBLE:
        return False
    return None


def conflicting_rules(inst: Instance, seconds: float, seed: int = 0) -> list[str]:
    """A small set of rule groups that together make the plan infeasible.

    First CP-SAT's core of assumption literals; when that search cannot finish, a
    deletion filter: leave each rule out in turn and keep it only if the rest becomes
    feasible without it."""
    pm = build_plan_model(inst, with_assumptions=True)
    names = list(pm.assumptions)
    pm.model.add_assumptions([pm.assumptions[n] for n in names])
    solver, status = _solve(pm.model, min(seconds, 3.0), seed)
    if status == cp_model.INFEASIBLE:
        by_index = {pm.assumptions[n].index: n for n in names}
        core = [by_index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in by_index]
        if core:
            return sorted(set(core), key=names.index)
    conflict = list(names)
    per_test = max(0.5, seconds / max(1, len(names)))
    for name in names:
        if name == "coverage":
            continue
        trial = frozenset(n for n in names if n not in conflict or n == name)
        if _feasible_without(inst, trial, per_test, seed) is False:
            conflict.remove(name)
    return conflict


def _words(name: str) -> str:
    """A rule group's name in the scenario's terms ("max_headcount@temp" is pool temp's
    cap on its headcount)."""
    rule, _, pool = name.partition("@")
    if rule == QUEUE_RULE:
        return f"queue {pool!r}'s requirement (served only by the pools listing it)"
    if not pool:
        return RULE_WORDS.get(rule, rule)
    if rule == "max_headcount":
        return f"pool {pool!r}: standing + max_hire"
    if rule == "max_monthly_overtime":
        return f"pool {pool!r}: overtime.max_monthly_hours"
    return f"pool {pool!r}: " + RULE_WORDS.get(rule, rule).replace("rules.", "rules ")


def _pool_hints(inst: Instance, core: list[str]) -> list[str]:
    hints = []
    sc = inst.scenario
    for name in core:
        queue = queue_name(name)
        if queue is not None:
            serving = [v.pool_name for v in inst.pool_views()
                       if queue in sc.queues_served(v.pool)]
            others = [v.pool_name for v in inst.pool_views() if v.pool_name not in serving]
            hint = f"let more pools serve queue {queue!r} (now {', '.join(serving)})"
            if others:
                hint += f", e.g. add it to {' or '.join(repr(o) for o in others)}'s serves"
            hints.append(hint)
            continue
        rule, _, pool = name.partition("@")
        if not pool:
            continue
        if rule == "max_headcount":
            hints.append(f"raise pool {pool!r}'s max_hire")
        elif rule == "max_monthly_overtime":
            hints.append("raise overtime.max_monthly_hours")
        elif rule in ("max_days_per_week", "max_consecutive_days", "max_weekly_paid_hours",
                      "min_weekly_paid_hours", "min_rest_hours"):
            hints.append(f"relax pool {pool!r}'s {rule}")
    missing = [v.pool.name for v in inst.pool_views()
               if v.pool is not None and not v.pool.overtime]
    if any(n.startswith("max_headcount@") for n in core) and missing:
        hints.append(f"allow overtime for {', '.join(repr(m) for m in missing)}")
    return hints


def explain_infeasible(inst: Instance, params: dict, seconds: float) -> str:
    """Name the conflicting rules in the scenario's terms and say what would relax them."""
    seed = params.get("random_seed", 0)
    core = conflicting_rules(inst, seconds, seed)
    rules = inst.scenario.rules
    text = "the rules conflict: " + ", ".join(_words(n) for n in core)
    if "max_headcount" in core:
        # How many agents would the other rules need?
        relaxed = build_plan_model(inst, skip=frozenset({"max_headcount"}))
        relaxed.model.minimize(relaxed.agents)
        s2, status2 = _solve(relaxed.model, seconds, seed)
        if status2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            need = math.ceil(s2.best_objective_bound - 1e-6)
            peak = max(inst.required, default=0)
            days = rules.max_days_per_week
            text += (
                f". Covering the demand (peak {peak} agents on duty, floor "
                f"{inst.scenario.demand.floor if inst.scenario.demand else 0}) with {days}-day weeks needs at least {need} "
                f"agents; max_headcount is {rules.max_headcount}. Raise max_headcount to "
                f"{need}, allow more working days, or set coverage.allow_understaffing"
            )
            return text
    hints = {
        "max_days_per_week": "allow more working days per week",
        "max_consecutive_days": "allow more consecutive days",
        "max_weekly_paid_hours": "raise max_weekly_paid_hours",
        "min_weekly_paid_hours": "lower min_weekly_paid_hours",
        "coverage": "set coverage.allow_understaffing to staff what is possible",
    }
    relax = [hints[n] for n in core if n in hints] + _pool_hints(inst, core)
    if any(n.startswith("max_headcount@") for n in core):
        relaxed = build_plan_model(inst, skip=frozenset({"max_headcount"}))
        relaxed.model.minimize(relaxed.agents)
        s2, status2 = _solve(relaxed.model, seconds, seed)
        if status2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            allowed = sum(v.max_headcount for v in inst.pool_views() if v.max_headcount is not None)
            text += (f". Without the pools' caps the demand needs at least "
                     f"{math.ceil(s2.best_objective_bound - 1e-6)} agents in all")
            if all(v.max_headcount is not None for v in inst.pool_views()):
                text += f"; the pools allow {allowed}"
    if relax:
        text += ". To relax: " + "; or ".join(relax)
    return text
