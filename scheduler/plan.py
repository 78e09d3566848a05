"""Stage 1, the shift plan: how many shifts of each option start on each day.

Integer counts per (day, option) cover the requirement of every slot. Headcount enters
through a valid relaxation of the per-agent rules: with one shift per agent per day,
at most k working days in any 7, at most m consecutive days and weekly paid-hour limits,
the number of agents W satisfies

    shifts on a day <= W,   shifts in any 7 days <= k W,   shifts in any m+1 days <= m W,
    paid minutes in a week block <= max_weekly W,  >= min_weekly W.

So the plan's optimal W is a proven lower bound on the roster's headcount; stage 2
(roster.py) then places the planned shifts on agents.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.instance import Instance

log = logging.getLogger(__name__)


@dataclass
class PlanModel:
    """The CP-SAT model of the plan with handles to its variables."""

    model: cp_model.CpModel
    n: dict[tuple[int, int], cp_model.IntVar]
    agents: cp_model.IntVar
    short: list[cp_model.IntVar | None]
    paid_expr: cp_model.LinearExpr
    cost_expr: cp_model.LinearExpr
    short_expr: cp_model.LinearExpr
    over_expr: cp_model.LinearExpr
    """Agent-slots above the requirement (0 unless overstaffing is penalised)."""
    distinct_expr: cp_model.LinearExpr
    """Distinct shifts (start time of day + paid length) used (0 unless penalised)."""
    assumptions: dict[str, cp_model.IntVar]
    """Named rule literals, for explaining infeasibility."""


def _rest_cuts(inst: Instance, model: cp_model.CpModel, n: dict, agents, guard) -> None:
    """Rest between shifts as a valid cut on headcount: for days d, e = d + 1 and any time
    tau, no agent can both work a shift of day d ending after tau and a shift of day e
    starting before tau + min rest, so those shifts together number at most W."""
    rest = round(inst.scenario.rules.min_rest_hours * 60)
    if rest <= 0:
        return
    slot = inst.slot
    ends: dict[int, dict[int, list]] = {}
    starts: dict[int, dict[int, list]] = {}
    for (d, k), var in n.items():
        o = inst.options[k]
        ends.setdefault(d, {}).setdefault(d * 1440 + o.end_minute, []).append(var)
        starts.setdefault(d, {}).setdefault(d * 1440 + o.start_minute, []).append(var)
    days = list(inst.shift_days)
    pairs = list(zip(days, days[1:]))
    if inst.cyclic and len(days) > 1:
        pairs.append((days[-1], days[0]))

    def totals(groups: dict[int, list], name: str) -> dict[int, cp_model.IntVar]:
        out = {}
        for t, vs in groups.items():
            v = model.new_int_var(0, cap, name)
            model.add(v == sum(vs))
            out[t] = v
        return out

    cap = max_headcount_needed(inst)
    end_tot = {d: totals(g, f"ends_{d}") for d, g in ends.items()}
    start_tot = {d: totals(g, f"starts_{d}") for d, g in starts.items()}
    for d, e in pairs:
        if d not in end_tot or e not in start_tot:
            continue
        shift = inst.days * 1440 if e < d else 0
        e_items = sorted(end_tot[d].items())
        s_items = sorted((t + shift, v) for t, v in start_tot[e].items())
        lo, hi = e_items[0][0] - slot, e_items[-1][0]
        for tau in range(lo, hi, slot):
            late = [v for t, v in e_items if t > tau]
            early = [v for t, v in s_items if t < tau + rest]
            if late and early:
                guard("min_rest_hours", model.add(sum(late) + sum(early) <= agents))


def max_headcount_needed(inst: Instance) -> int:
    """An upper bound on useful agents: one agent per required agent-slot is always enough
    (a bound on a peak alone is not: five one-slot spikes four hours apart need five
    four-hour shifts however low the peak)."""
    return max(1, sum(inst.required))


def build_plan_model(
    inst: Instance, with_assumptions: bool = False, skip: frozenset[str] = frozenset()
) -> PlanModel:
    """The plan model. `with_assumptions` guards each rule group with a named literal;
    `skip` leaves rule groups out (both serve to explain infeasibility)."""
    sc = inst.scenario
    rules = sc.rules
    model = cp_model.CpModel()
    soft = sc.coverage.allow_understaffing
    peak = max(inst.required, default=0)

    covers: list[list[cp_model.IntVar]] = [[] for _ in range(inst.num_slots)]
    n: dict[tuple[int, int], cp_model.IntVar] = {}
    slots_of: dict[tuple[int, int], list[int]] = {}
    for d, k in inst.instances:
        option = inst.options[k]
        slots = inst.covered(d, option)
        if not slots:
            continue
        local_peak = max(inst.required[s] for s in slots)
        ub = local_peak if rules.min_weekly_paid_hours == 0 else max(local_peak, peak)
        if ub == 0:
            continue
        var = model.new_int_var(0, ub, f"n_d{d}_o{k}")
        n[(d, k)] = var
        slots_of[(d, k)] = slots
        for s in slots:
            covers[s].append(var)

    assumptions: dict[str, cp_model.IntVar] = {}
    off = model.new_bool_var("rule_left_out")
    model.add(off == 0)

    def guard(name: str, constraint) -> None:
        if name in skip:
            constraint.only_enforce_if(off)
            return
        if with_assumptions:
            lit = assumptions.get(name)
            if lit is None:
                lit = assumptions[name] = model.new_bool_var(name)
            constraint.only_enforce_if(lit)

    cap = rules.max_headcount
    agents = model.new_int_var(0, max_headcount_needed(inst), "agents")
    if cap is not None:
        guard("max_headcount", model.add(agents <= cap))

    short: list[cp_model.IntVar | None] = [None] * inst.num_slots
    for s, req in enumerate(inst.required):
        if req == 0:
            continue
        if soft:
            short[s] = model.new_int_var(0, req, f"short_{s}")
            model.add(sum(covers[s]) + short[s] >= req)
        else:
            guard("coverage", model.add(sum(covers[s]) >= req))

    by_day: dict[int, list] = {}
    paid_by_day: dict[int, list] = {}
    for (d, k), var in n.items():
        by_day.setdefault(d, []).append(var)
        paid_by_day.setdefault(d, []).append(var * inst.options[k].paid_minutes)

    def day_sum(days: list[int]):
        return sum(v for d in days for v in by_day.get(d, []))

    for d in inst.shift_days:
        if by_day.get(d):
            guard("one_shift_per_day", model.add(sum(by_day[d]) <= agents))
    _rest_cuts(inst, model, n, agents, guard)
    k7 = rules.max_days_per_week
    if k7 < 7:
        for window in inst.day_windows(7):
            guard("max_days_per_week", model.add(day_sum(window) <= k7 * agents))
    m = rules.max_consecutive_days
    if m is not None and m < len(inst.shift_days) + (7 if inst.cyclic else 0):
        for window in inst.day_windows(m + 1):
            guard("max_consecutive_days", model.add(day_sum(window) <= m * agents))
    for days, horizon_days in inst.week_blocks():
        paid = sum(t for d in days for t in paid_by_day.get(d, []))
        hi = inst.max_weekly_paid_minutes(horizon_days)
        if hi is not None:
            guard("max_weekly_paid_hours", model.add(paid <= hi * agents))
        lo = inst.min_weekly_paid_minutes(horizon_days)
        if lo > 0:
            guard("min_weekly_paid_hours", model.add(paid >= lo * agents))

    paid_expr = sum(var * inst.options[k].paid_minutes for (d, k), var in n.items())
    cost_expr = sum(var * inst.options[k].cost_cents for (d, k), var in n.items())
    short_expr = sum(v for v in short if v is not None)
    over_expr = 0
    if sc.coverage.overstaffing_penalty > 0:
        over = []
        for s, req in enumerate(inst.required):
            if covers[s]:
                ub = sum(int(list(v.proto.domain)[-1]) for v in covers[s])
                if ub > req:
                    o = model.new_int_var(0, ub - req, f"over_{s}")
                    model.add(o >= sum(covers[s]) - req)
                    over.append(o)
        over_expr = sum(over)
    distinct_expr = 0
    if sc.objective.distinct_shift_penalty > 0:
        groups: dict[tuple[int, int], list] = {}
        for (d, k), var in n.items():
            o = inst.options[k]
            groups.setdefault((o.start_minute % 1440, o.paid_minutes), []).append(var)
        used = []
        for (start, paid), vs in sorted(groups.items()):
            y = model.new_bool_var(f"shift_{start}_{paid}")
            for var in vs:
                model.add(var <= int(list(var.proto.domain)[-1]) * y)
            used.append(y)
        distinct_expr = sum(used)
    return PlanModel(model, n, agents, short, paid_expr, cost_expr, short_expr, over_expr,
                     distinct_expr, assumptions)
