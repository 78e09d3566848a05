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

import dataclasses
import logging
import math
from dataclasses import dataclass

from scheduler.engine.sat import cp_model

from scheduler.engine.instance import Instance
from scheduler.engine.plan_named import named_cuts
from scheduler.engine.queue_split import (QueueSplit, add_queue_split, people_per_agent,
                                          total_floor)

log = logging.getLogger(__name__)


@dataclass
class PlanStep:
    """The outcome of one plan search: what the pipeline reads from any plan step."""

    status: str
    counts: dict
    """Count-variable key -> shifts."""
    agents: int
    objective: float
    bound: float
    pool_agents: list[int]
    full: list[int] | None = None
    """Every model variable's value (a complete hint for the next step), when kept."""


@dataclass
class PlanModel:
    """The CP-SAT model of the plan with handles to its variables.

    Shift counts are keyed (pool, day, option); with no pools in the scenario there is one
    pool, index 0, of every shift type."""

    model: cp_model.CpModel
    n: dict[tuple[int, int, int], cp_model.IntVar]
    agents: cp_model.IntVar
    """All agents of all pools."""
    short: list[cp_model.IntVar | None]
    paid_expr: cp_model.LinearExpr
    cost_expr: cp_model.LinearExpr
    """Pay for shifts with overtime premiums, standing agents' idle contract hours and
    hiring costs, in hundredths (a valid lower bound of the roster's cost)."""
    short_expr: cp_model.LinearExpr
    over_expr: cp_model.LinearExpr
    """Agent-slots above the requirement (0 unless overstaffing is penalised)."""
    distinct_expr: cp_model.LinearExpr
    """Distinct shifts (start time of day + paid length) used (0 unless penalised)."""
    assumptions: dict[str, cp_model.IntVar]
    """Named rule literals, for explaining infeasibility."""
    pools: list[Instance]
    pool_agents: list[cp_model.IntVar]
    hires: list[cp_model.IntVar]
    """Agents beyond each pool's standing team."""
    overtime_expr: cp_model.LinearExpr
    """Overtime minutes."""
    ext: dict[tuple[int, int, int, int], cp_model.IntVar]
    """(pool, day, base end minute, overtime minutes) -> how many of the shifts ending at
    that minute are extended by that much overtime (at most as many as end there)."""
    paid_centi_expr: cp_model.LinearExpr
    """Paid hours in hundredths."""
    shift_used: dict[tuple[int, int], cp_model.IntVar] = dataclasses.field(default_factory=dict)
    """(start minute of the day, paid minutes) -> its distinct-shift indicator (only when
    distinct shifts are penalised)."""
    split: QueueSplit | None = None
    """The people given to the queues, when the scenario splits queues (queue_split.py)."""

    def count_vars(self) -> dict[tuple, cp_model.IntVar]:
        """Every count variable: shift counts (3-tuple keys) and extensions (4-tuples)."""
        return {**self.n, **self.ext}

    def pool_counts(self, counts: dict[tuple[int, int, int], int]) -> list[dict[tuple[int, int], int]]:
        """Counts keyed (pool, day, option) split into one (day, option) dict per pool."""
        out: list[dict[tuple[int, int], int]] = [{} for _ in self.pools]
        for (p, d, k), c in counts.items():
            if c > 0:
                out[p][(d, k)] = c
        return out

    def expand(self, counts: dict[tuple, int]) -> dict[tuple[int, int, int], int]:
        """Counts of count_vars() turned into shift counts keyed (pool, day, option), the
        extended shifts as their overtime options (the cheapest shifts ending there are
        the ones extended)."""
        out = {key: c for key, c in counts.items() if len(key) == 3 and c > 0}
        for (p, d, end, extra), c in sorted((k, c) for k, c in counts.items() if len(k) == 4):
            view = self.pools[p]
            ending = sorted(
                (view.options[key[2]].cost_cents / view.options[key[2]].paid_minutes, key)
                for key in out
                if key[0] == p and key[1] == d and view.options[key[2]].overtime_minutes == 0
                and view.options[key[2]].end_minute == end
            )
            for _, key in ending:
                if c <= 0:
                    break
                take = min(c, out[key])
                target = (p, d, view.extended(key[2], extra))
                out[key] -= take
                out[target] = out.get(target, 0) + take
                c -= take
                if out[key] == 0:
                    del out[key]
        return out


def _rest_cuts(inst: Instance, model: cp_model.CpModel, n: dict, agents, guard, cap: int,
               ext: dict | None = None) -> None:
    """Rest between shifts as a valid cut on headcount: for days d, e = d + 1 and any time
    tau, no agent can both work a shift of day d ending after tau and a shift of day e
    starting before tau + min rest, so those shifts together number at most W."""
    rest = round(inst.rules.min_rest_hours * 60)
    if rest <= 0:
        return
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

    end_tot = {d: totals(g, f"ends_{d}") for d, g in ends.items()}
    start_tot = {d: totals(g, f"starts_{d}") for d, g in starts.items()}
    for d, e in pairs:
        if d not in end_tot or e not in start_tot:
            continue
        shift = inst.days * 1440 if e < d else 0
        e_items = sorted(end_tot[d].items())
        s_items = sorted((t + shift, v) for t, v in start_tot[e].items())
        stretched = [(d * 1440 + end, extra, v) for (dd, end, extra), v in (ext or {}).items()
                     if dd == d]
        # a shift ending at E or later and one starting before E + rest cannot share an
        # agent; one cut per distinct end time E (the strongest of its kind). Overtime
        # moves an end later: x extensions of shifts ending before E to E or later count.
        seen = None
        ends_at = sorted({t for t, _ in e_items} | {t + x for t, x, _ in stretched})
        for end in ends_at:
            late = [v for t, v in e_items if t >= end]
            late += [v for t, x, v in stretched if t < end <= t + x]
            early = [v for t, v in s_items if t < end + rest]
            key = (tuple(id(v) for v in late), len(early))
            if late and early and key != seen:
                seen = key
                guard("min_rest_hours", model.add(sum(late) + sum(early) <= agents))


def max_headcount_needed(inst: Instance) -> int:
    """An upper bound on useful agents: one agent per required agent-slot is always enough
    (a bound on a peak alone is not: five one-slot spikes four hours apart need five
    four-hour shifts however low the peak)."""
    return max(1, sum(inst.required) * people_per_agent(inst))


def build_plan_model(
    inst: Instance, with_assumptions: bool = False, skip: frozenset[str] = frozenset()
) -> PlanModel:
    """The plan model. `with_assumptions` guards each rule group with a named literal;
    `skip` leaves rule groups out (both serve to explain infeasibility). Rule groups of a
    pool are named "<rule>@<pool>"; `skip` may name a rule for all pools."""
    sc = inst.scenario
    model = cp_model.CpModel()
    soft = sc.coverage.allow_understaffing
    slow = people_per_agent(inst)  # 1 unless queues are split
    peak = max(inst.required, default=0) * slow
    pools = inst.pool_views()
    useful = max_headcount_needed(inst)

    assumptions: dict[str, cp_model.IntVar] = {}
    off = model.new_bool_var("rule_left_out")
    model.add(off == 0)

    def guard(name: str, constraint) -> None:
        if name in skip or name.split("@")[0] in skip:
            constraint.only_enforce_if(off)
            return
        if with_assumptions:
            lit = assumptions.get(name)
            if lit is None:
                lit = assumptions[name] = model.new_bool_var(name)
            constraint.only_enforce_if(lit)

    covers: list[list[cp_model.IntVar]] = [[] for _ in range(inst.num_slots)]
    pool_covers = [[[] for _ in range(inst.num_slots)] for _ in pools]
    n: dict[tuple[int, int, int], cp_model.IntVar] = {}
    ext: dict[tuple[int, int, int, int], cp_model.IntVar] = {}
    centi_terms: list = []
    pool_agents: list[cp_model.IntVar] = []
    hires: list[cp_model.IntVar] = []
    paid_terms: list = []
    cost_terms: list = []
    overtime_terms: list = []
    for p, view in enumerate(pools):
        suffix = "" if view.pool is None else f"@{view.pool.name}"
        rules = view.rules
        standing = view.pool.standing if view.pool is not None else 0
        cap = view.max_headcount
        upper = max(useful, standing)
        w = model.new_int_var(0, max(upper, 0), f"agents{suffix}")
        pool_agents.append(w)
        if cap is not None:
            guard("max_headcount" + suffix, model.add(w <= cap))
        hire = model.new_int_var(0, max(upper, 0), f"hires{suffix}")
        model.add(hire >= w - standing)
        hires.append(hire)
        if view.pool is not None and view.pool.cost_per_hire > 0:
            cost_terms.append(hire * round(view.pool.cost_per_hire * 100))

        own: dict[tuple[int, int], cp_model.IntVar] = {}
        own_ext: dict[tuple[int, int, int], cp_model.IntVar] = {}
        for d, k in view.instances:
            option = view.options[k]
            if option.overtime_minutes:
                continue  # extensions are counted apart, per end time (below)
            slots = view.covered(d, option)
            if not slots:
                continue
            local_peak = max(inst.required[s] for s in slots) * slow
            ub = local_peak if rules.min_weekly_paid_hours == 0 else max(local_peak, peak)
            if ub == 0:
                continue
            var = model.new_int_var(0, ub, f"n{suffix}_d{d}_o{k}")
            own[(d, k)] = var
            n[(p, d, k)] = var
            for s in slots:
                covers[s].append(var)
                pool_covers[p][s].append(var)
            paid_terms.append(var * option.paid_minutes)
            centi_terms.append(var * (option.paid_minutes * 100 // 60))
            cost_terms.append(var * view.cost_cents(d, k))
        # Overtime: x of the shifts that end at minute E are extended by `extra` minutes,
        # covering [E, E + extra); far fewer variables than one per extended option.
        extras = view.overtime_extensions()
        if extras:
            ending: dict[tuple[int, int], list] = {}
            rate_at: dict[tuple[int, int], float] = {}
            for (d, k), var in own.items():
                o = view.options[k]
                ending.setdefault((d, o.end_minute), []).append(var)
                rate_at[(d, o.end_minute)] = min(rate_at.get((d, o.end_minute), math.inf),
                                                 o.cost_cents / o.paid_minutes)
            for (d, end), vs in sorted(ending.items()):
                total = sum(int(list(v.proto.domain)[-1]) for v in vs)
                made = []
                for extra in extras:
                    slots = view.covered_minutes(d, end, end + extra)
                    if not slots:
                        continue
                    x = model.new_int_var(0, total, f"ot{suffix}_d{d}_e{end}_x{extra}")
                    own_ext[(d, end, extra)] = x
                    ext[(p, d, end, extra)] = x
                    made.append(x)
                    for s_ in slots:
                        covers[s_].append(x)
                        pool_covers[p][s_].append(x)
                    paid_terms.append(x * extra)
                    centi_terms.append(x * (extra * 100 // 60))
                    overtime_terms.append(x * extra)
                    # at the cheapest rate of the shifts ending here (expand() extends
                    # those first), so the plan's cost stays a lower bound
                    cost_terms.append(x * math.floor(rate_at[(d, end)] * extra * view.premium(d) + 1e-9))
                if made:
                    model.add(sum(made) <= sum(vs))
        _pool_rules(view, model, own, w, guard, suffix, useful, own_ext, hire)
        contract = 0.0 if view.pool is None else view.pool.contract_weekly_hours
        if contract > 0 and standing > 0:
            # Standing agents are paid their contract hours whether rostered or not: at least
            # (standing x contract - hours the pool works) idle hours are paid.
            rate = round(view.pool.cost_per_paid_hour * 100)
            due = round(contract * 60 * inst.days / 7) * standing
            idle = model.new_int_var(0, due, f"idle{suffix}")
            model.add(idle >= due - sum(v * view.options[k].contract_minutes for (d, k), v in own.items()))
            # hundredths per minute need not be whole: scale by 60 and divide at the end
            cost_terms.append(_per_minute(model, idle, rate, due, f"idle_cost{suffix}"))

    agents = model.new_int_var(0, sum(int(list(w.proto.domain)[-1]) for w in pool_agents), "agents")
    model.add(agents == sum(pool_agents))

    on_duty = running_totals(model, covers, inst.cyclic, "on_duty")
    short: list[cp_model.IntVar | None] = [None] * inst.num_slots
    # with queues split, the queues and the demand are covered by the allocation below:
    # only the floor stays on the total on duty
    floor = total_floor(inst) if sc.splits_queues else None
    for s, req in enumerate(inst.required):
        if req == 0:
            continue
        need = req if floor is None else min(req, floor)
        if soft:
            short[s] = model.new_int_var(0, req, f"short_{s}")
            model.add(on_duty[s] + short[s] >= need)
        elif need > 0:
            guard("coverage", model.add(on_duty[s] >= need))
    split = add_queue_split(model, inst, pools, pool_covers, short, guard) \
        if sc.splits_queues else None

    paid_expr = sum(paid_terms)
    cost_expr = sum(cost_terms)
    short_expr = sum(v for v in short if v is not None)
    over_expr = 0
    if sc.coverage.overstaffing_penalty > 0:
        over = []
        for s, req in enumerate(inst.required):
            if covers[s]:
                ub = sum(int(list(v.proto.domain)[-1]) for v in covers[s])
                if ub > req:
                    o = model.new_int_var(0, ub - req, f"over_{s}")
                    model.add(o >= on_duty[s] - req)
                    over.append(o)
        over_expr = sum(over)
    distinct_expr = 0
    shift_used: dict[tuple[int, int], cp_model.IntVar] = {}
    if sc.objective.distinct_shift_penalty > 0:
        groups: dict[tuple[int, int], list] = {}
        for (p, d, k), var in n.items():
            o = pools[p].options[k]
            groups.setdefault((o.start_minute % 1440, o.paid_minutes), []).append(var)
        for (start, paid), vs in sorted(groups.items()):
            y = model.new_bool_var(f"shift_{start}_{paid}")
            for var in vs:
                model.add(var <= int(list(var.proto.domain)[-1]) * y)
            shift_used[(start, paid)] = y
        distinct_expr = sum(shift_used.values())
    return PlanModel(model, n, agents, short, paid_expr, cost_expr, short_expr, over_expr,
                     distinct_expr, assumptions, pools, pool_agents, hires, sum(overtime_terms),
                     ext, sum(centi_terms), shift_used, split)


def running_totals(model: cp_model.CpModel, covers: list[list[cp_model.IntVar]],
                   cyclic: bool, name: str) -> list[cp_model.IntVar]:
    """Per slot a variable equal to the sum of the count variables that cover it, held by
    a running total: the first slot's sum, then each slot the previous one's plus the
    shifts whose stretch on duty starts there, minus those whose stretch ended (a shift
    with a break has two stretches). Each count enters a few rows instead of one per
    slot it covers: double11's plan had 265,000 coverage non-zeros this way summed
    directly and its LP took 12 s."""
    n = len(covers)
    delta: list[list] = [[] for _ in range(n)]
    where: dict[int, tuple[cp_model.IntVar, list[int]]] = {}
    for s, vs in enumerate(covers):
        for v in vs:
            where.setdefault(v.index, (v, []))[1].append(s)
    ub = [0] * n
    for v, slots in where.values():
        top = int(list(v.proto.domain)[-1])
        for s in slots:
            ub[s] += top
        for a, b in _stretches(sorted(set(slots)), n, cyclic):
            delta[a].append(v)
            if b < n or cyclic:
                delta[b % n].append(-v)
    totals = [model.new_int_var(0, ub[s], f"{name}_{s}") for s in range(n)]
    if n:
        model.add(totals[0] == sum(covers[0]))
    for s in range(1, n):
        model.add(totals[s] == totals[s - 1] + sum(delta[s]))
    return totals


def _stretches(slots: list[int], n: int, cyclic: bool) -> list[tuple[int, int]]:
    """Sorted slots as [a, b) runs of consecutive slots; when cyclic, a run through the
    last slot and on at slot 0 is one run ending past n."""
    runs: list[list[int]] = []
    for s in slots:
        if runs and runs[-1][1] == s:
            runs[-1][1] = s + 1
        else:
            runs.append([s, s + 1])
    if cyclic and len(runs) > 1 and runs[0][0] == 0 and runs[-1][1] == n:
        first = runs.pop(0)
        runs[-1][1] = n + first[1]
    return [(a, b) for a, b in runs]


def _per_minute(model: cp_model.CpModel, minutes, rate_per_hour: int, ub: int, name: str):
    """rate_per_hour x minutes / 60 as an integer variable (rounded up)."""
    v = model.new_int_var(0, -(-rate_per_hour * ub // 60), name)
    model.add(60 * v >= rate_per_hour * minutes)
    return v


def _pool_rules(view: Instance, model: cp_model.CpModel, n: dict, agents, guard, suffix: str,
                useful: int, ext: dict, hire=None) -> None:
    """The per-agent rules of one pool as cuts on its headcount W (and, with named
    staff, on its hires: engine/plan_named.py)."""
    rules = view.rules
    by_day: dict[int, list] = {}
    paid_by_day: dict[int, list] = {}
    paid_top: dict[int, int] = {}  # the most paid minutes a day's counts can reach
    ot_by_day: dict[int, list] = {}
    for (d, k), var in n.items():
        minutes = view.options[k].contract_minutes
        by_day.setdefault(d, []).append(var)
        paid_by_day.setdefault(d, []).append(var * minutes)
        paid_top[d] = paid_top.get(d, 0) + int(list(var.proto.domain)[-1]) * minutes
    for (d, end, extra), var in ext.items():
        ot_by_day.setdefault(d, []).append(var * extra)

    # One variable per day for the pool's shifts that day: the rules below sum days, and
    # summing each day's hundreds of counts once keeps the model sparse (double11's LP
    # took 12 s with every window summing the counts themselves).
    total: dict[int, cp_model.IntVar] = {}
    for d in sorted(by_day):
        total[d] = model.new_int_var(0, len(by_day[d]) * useful, f"shifts{suffix}_d{d}")
        model.add(total[d] == sum(by_day[d]))

    def day_sum(days: list[int]):
        return sum(total[d] for d in days if d in total)

    for d in view.shift_days:
        if d in total:
            guard("one_shift_per_day" + suffix, model.add(total[d] <= agents))
    _rest_cuts(view, model, n, agents, lambda name, c: guard(name + suffix, c), useful, ext)
    k7 = rules.max_days_per_week
    if k7 < 7:
        for window in view.day_windows(7):
            guard("max_days_per_week" + suffix, model.add(day_sum(window) <= k7 * agents))
    m = rules.max_consecutive_days
    if m is not None and m < len(view.shift_days) + (7 if view.cyclic else 0):
        for window in view.day_windows(m + 1):
            guard("max_consecutive_days" + suffix, model.add(day_sum(window) <= m * agents))
    block_paid = []
    for days, horizon_days in view.week_blocks():
        terms = [t for d in days for t in paid_by_day.get(d, [])]
        paid = 0
        if terms:  # one variable per block, summed once (see `total` above)
            paid = model.new_int_var(0, sum(paid_top.get(d, 0) for d in days), f"paid{suffix}")
            model.add(paid == sum(terms))
        block_paid.append(paid)
        hi = view.max_weekly_paid_minutes(horizon_days)
        if hi is not None:
            guard("max_weekly_paid_hours" + suffix, model.add(paid <= hi * agents))
            # whole shifts: an agent works at most hi // (shortest shift) shifts in a block
            shortest = min((view.options[k].contract_minutes for (d, k) in n if d in days),
                           default=0)
            if shortest and hi // shortest < len(days):
                guard("max_weekly_paid_hours" + suffix,
                      model.add(day_sum(days) <= (hi // shortest) * agents))
        lo = view.min_weekly_paid_minutes(horizon_days)
        if lo > 0:
            guard("min_weekly_paid_hours" + suffix, model.add(paid >= lo * agents))
    if hire is not None:
        named_cuts(view, model, n, total, block_paid, hire,
                   lambda name, c: guard(name + suffix, c))
    cap = view.max_monthly_overtime_minutes
    if cap is not None:
        for days in view.month_blocks():
            extra = [t for d in days for t in ot_by_day.get(d, [])]
            if extra:
                guard("max_monthly_overtime" + suffix, model.add(sum(extra) <= cap * agents))


def hint_all(model: cp_model.CpModel, full: list[int]) -> None:
    """Hint every variable: CP-SAT completes a partial hint of the counts alone only
    slowly on the larger plan models (none in 18 s on a week at peak 200)."""
    model.clear_hints()
    hint = model.proto.solution_hint
    hint.vars.extend(range(len(full)))
    hint.values.extend(full)
