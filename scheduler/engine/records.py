"""The result records of a roster: shifts, breaks and coverage by slot, the summary with
its per-pool and per-day rows, and the planner's answer for scenarios with pools."""

from __future__ import annotations

import datetime as dt
from typing import Callable

import math

import numpy as np

from scheduler.engine.instance import Instance
from scheduler.engine.queue_cover import QueueOutputs, queue_outputs
from scheduler.engine.queue_split import total_floor
from scheduler.engine.standing import event_days
from scheduler.models import (
    BreakRecord,
    CoverageRecord,
    DaySummary,
    PoolSummary,
    QueueDay,
    QueueSlot,
    Result,
    ShiftRecord,
    Summary,
)


def agent_name(index: int, width: int) -> str:
    return f"A{index + 1:0{width}d}"


def records(inst: Instance, pools: list[Instance], assignments, status: str,
            summary: Callable[..., Summary], headcount: int, bound: int | None,
            paid_minutes: int, objective_value: float | None, objective_bound: float,
            message: str = "", standing_short: float | None = None,
            labels: list[list[tuple[str, str]]] | None = None) -> Result:
    """The records of the roster `assignments` (pool by pool: agent -> (day, option index)
    shifts); `summary(status, **fields)` makes the summary, `bound` is the headcount's
    lower bound and the objective's value and bound are in the objective's own units.
    With `labels` (named staff: per pool, agent key -> (staff id, name)), agents keep
    their keys: the pool's first `standing` keys are its named people."""
    start = inst.loaded.start
    slot = inst.slot
    sc = inst.scenario
    shifts: list[ShiftRecord] = []
    breaks: list[BreakRecord] = []
    scheduled = [0] * inst.num_slots
    splits = sc.splits_queues
    people = [[0] * inst.num_slots for _ in pools]  # pool x slot on duty (queues split)
    pool_rows: list[PoolSummary] = []
    total_cost_cents = 0.0
    hired_on: dict[int, int] = {}  # day -> shifts worked by hired agents
    hires_on: dict[str, dict[int, set]] = {}  # pool -> day -> hired agents working
    overtime_on: dict[int, int] = {}  # day -> overtime minutes
    for p, (view, assignment) in enumerate(zip(pools, assignments)):
        pool = view.pool
        standing = pool.standing if pool is not None else 0
        if labels is not None:
            keys = sorted(assignment)
            order = [assignment[key] for key in keys]
        else:
            # standing agents first: the busiest agents of a pool are its standing team
            keys = list(range(len(assignment)))
            order = sorted(assignment.values(), key=lambda items: -sum(
                view.options[k].contract_minutes for _, k in items))
        width = max(3, len(str(max(len(order), standing))))
        cost_cents = 0.0
        pool_paid = pool_ot = 0
        for a, items in zip(keys, order):
            person = None
            if labels is not None:
                agent, person = labels[p][a]
            else:
                agent = agent_name(a, width) if pool is None else f"{pool.name}-{a + 1:0{width}d}"
            worked = 0
            for d, k in sorted(items):
                o = view.options[k]
                begin = start + dt.timedelta(days=d, minutes=o.start_minute)
                shifts.append(ShiftRecord(
                    agent=agent, shift_type=o.type_name, start=begin,
                    end=begin + dt.timedelta(minutes=o.length_minutes),
                    paid_minutes=o.paid_minutes, day=(start + dt.timedelta(days=d)).date(),
                    pool=view.pool_name, overtime_minutes=o.overtime_minutes, name=person))
                for offset, duration, paid in o.breaks:
                    b0 = begin + dt.timedelta(minutes=offset)
                    breaks.append(BreakRecord(agent=agent, start=b0,
                                              end=b0 + dt.timedelta(minutes=duration), paid=paid))
                mine = people[p]
                for s_ in view.covered(d, o):
                    scheduled[s_] += 1
                    if splits:
                        mine[s_] += 1
                cost_cents += view.cost_cents(d, k)
                worked += o.contract_minutes
                pool_paid += o.paid_minutes
                pool_ot += o.overtime_minutes
                if o.overtime_minutes:
                    overtime_on[d] = overtime_on.get(d, 0) + o.overtime_minutes
                if a >= standing:
                    hired_on[d] = hired_on.get(d, 0) + 1
                    hires_on.setdefault(view.pool_name or "all", {}).setdefault(
                        d, set()).add(a)
            if pool is not None and a < standing and pool.contract_weekly_hours > 0:
                due = pool.contract_weekly_hours * 60 * inst.days / 7
                cost_cents += pool.cost_per_paid_hour * 100 * max(0, due - worked) / 60
        hired = sum(1 for a in keys if a >= standing)
        if pool is not None:
            idle = max(0, standing - sum(1 for a in keys if a < standing))
            if pool.contract_weekly_hours > 0:
                due = pool.contract_weekly_hours * 60 * inst.days / 7
                cost_cents += pool.cost_per_paid_hour * 100 * due * idle / 60
            cost_cents += pool.cost_per_hire * 100 * hired
        total_cost_cents += cost_cents
        pool_rows.append(PoolSummary(
            name=view.pool_name or "all", standing=standing, rostered=len(order), hired=hired,
            paid_hours=round(pool_paid / 60, 2), overtime_hours=round(pool_ot / 60, 2),
            cost=round(cost_cents / 100, 2)))
    total_cost_cents += sc.objective.cost_per_agent * 100 * headcount
    coverage = [
        CoverageRecord(start=start + dt.timedelta(minutes=slot * s), required=r, scheduled=c)
        for s, (r, c) in enumerate(zip(inst.required, scheduled))
    ]
    short = [max(0, r - c) for r, c in zip(inst.required, scheduled)]
    queues: QueueOutputs | None = None
    if splits:
        # the queues take the people each pool has on duty (exact 1/f rule); the total
        # answers to the floor only
        queues = queue_outputs(inst, np.array(people, dtype=np.int64))
        floor = total_floor(inst)
        short = [max(max(0, min(r, floor) - c), float(q))
                 for r, c, q in zip(inst.required, scheduled, queues.short)]
        coverage = [rec.model_copy(update={"queues": [
            QueueSlot(queue=q, required=r, allocated=a) for q, r, a in row]})
            for rec, row in zip(coverage, queues.slots)]
    over = [max(0, c - r) for r, c in zip(inst.required, scheduled)]
    per_day = inst.slots_per_day
    hours = slot / 60
    days = []
    for d in range(inst.days):
        part = slice(d * per_day, (d + 1) * per_day)
        days.append(DaySummary(
            date=inst.date(d),
            required_agent_hours=sum(inst.required[part]) * hours,
            scheduled_agent_hours=sum(scheduled[part]) * hours,
            short_agent_hours=sum(short[part]) * hours,
            over_agent_hours=sum(over[part]) * hours,
            short_slots=sum(1 for v in short[part] if v > 0)))
    gap = None
    if bound is not None and headcount:
        gap = round((headcount - bound) / headcount, 6)
    overtime_hours = round(sum(r.overtime_hours for r in pool_rows), 2)
    answer = _answer(inst, pool_rows, days, hired_on, overtime_on, total_cost_cents / 100,
                     standing_short, hires_on) if sc.pools else ""
    if queues is not None and queues.tightest is not None:
        answer += "; " + _tightest(queues.tightest)
    shifts.sort(key=lambda r: (r.start, r.agent))
    breaks.sort(key=lambda r: (r.start, r.agent))
    return Result(
        summary=summary(
            status,
            objective_value=objective_value,
            objective_bound=objective_bound,
            headcount=headcount,
            headcount_lower_bound=bound,
            headcount_gap=gap,
            paid_hours=round(paid_minutes / 60, 2),
            shifts=len(shifts),
            short_agent_slots=sum(math.ceil(v - 1e-6) for v in short),
            over_agent_slots=sum(over),
            short_slots=[c.start for c, s in zip(coverage, short) if s > 0],
            message=message,
            cost=round(total_cost_cents / 100, 2),
            cost_gap=_cost_gap(sc, total_cost_cents / 100, objective_bound),
            overtime_hours=overtime_hours,
            pools=pool_rows if sc.pools else [],
            days=days,
            answer=answer,
            queues=[QueueDay(**row) for row in queues.days] if queues is not None else None,
        ),
        shifts=shifts,
        breaks=breaks,
        coverage=coverage,
    )


def _tightest(tightest: tuple[str, float, float]) -> str:
    """The queue with the least to spare, in words."""
    queue, ratio, short_hours = tightest
    if short_hours > 0:
        return (f"queue {queue} is short {short_hours:g} agent-hours: add it to more pools' "
                "serves or hire into a pool that serves it")
    return f"the tightest queue is {queue} (allocated {ratio:.0%} of its requirement)"


def _cost_gap(sc, cost: float, bound: float | None) -> float | None:
    """(cost - the plan's proven cost bound) / cost when cost is the objective."""
    if sc.objective.kind != "cost" or bound is None or cost <= 0 or sc.coverage.allow_understaffing:
        return None
    return round(max(0.0, cost - bound) / cost, 6)


def _answer(inst: Instance, pools: list[PoolSummary], days: list[DaySummary],
            hired_on: dict[int, int], overtime_on: dict[int, int], cost: float,
            standing_short: float | None = None,
            hires_on: dict[str, dict[int, set]] | None = None) -> str:
    """The planner's question answered from the roster: does the standing team cover the
    days outside the events, and what do the events need?"""
    sc = inst.scenario
    during_events = event_days(inst)
    normal = [d for d in range(inst.days) if d not in during_events]
    standing = sum(p.standing for p in pools)
    team = ", ".join(f"{p.name} {p.standing}" for p in pools if p.standing)
    parts = [f"the standing team of {standing}" + (f" ({team})" if team else "")]
    if normal and standing_short is not None:
        if standing_short == 0:
            parts.append(f"can cover the {len(normal)} days outside the events alone, "
                         "without overtime")
        else:
            parts.append(f"would leave {standing_short:g} agent-hours short on the "
                         f"{len(normal)} days outside the events without hires or overtime")
    if normal:
        extra = sum(hired_on.get(d, 0) for d in normal)
        ot = sum(overtime_on.get(d, 0) for d in normal) / 60
        short = sum(days[d].short_agent_hours for d in normal)
        if not extra and not ot and not short:
            parts.append(f"in this roster it covers the {len(normal)} days outside the events "
                         "alone")
        else:
            bits = []
            if extra:
                bits.append(f"{extra} shifts by hired agents")
            if ot:
                bits.append(f"{ot:g} overtime hours")
            if short:
                bits.append(f"{short:g} agent-hours short")
            parts.append(f"in this roster the days outside the events also use "
                         f"{', '.join(bits)}")
    names = ", ".join(e.name for e in sc.events) or "the horizon"
    hires = ", ".join(f"{p.hired} {p.name}" for p in pools if p.hired)
    hired = sum(p.hired for p in pools)
    ot_event = sum(overtime_on.get(d, 0) for d in during_events) / 60 if sc.events else \
        sum(overtime_on.values()) / 60
    need = f"{names} needs {hired} hired agents" + (f" ({hires})" if hires else "")
    need += f" and {ot_event:g} overtime hours, at a total cost of {cost:,.2f}"
    tiers = _pool_needs(inst, pools, hires_on or {}) if len(pools) > 1 else []
    return "; ".join(parts) + "; " + need + "".join(f"; {t}" for t in tiers)


def _day_runs(inst: Instance, days: list[int]) -> str:
    """Days as compact date runs: '11-12 November', '30 October-2 November, 11 November'."""
    runs: list[list[int]] = []
    for d in sorted(days):
        if runs and d == runs[-1][-1] + 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    out = []
    for run in runs:
        a, b = inst.date(run[0]), inst.date(run[-1])
        if a == b:
            out.append(f"{a.day} {a:%B}")
        elif a.month == b.month:
            out.append(f"{a.day}-{b.day} {b:%B}")
        else:
            out.append(f"{a.day} {a:%B}-{b.day} {b:%B}")
    return ", ".join(out)


def _pool_needs(inst: Instance, pools: list[PoolSummary], hires_on: dict[str, dict[int, set]]
                ) -> list[str]:
    """Per pool (tier) with hires: how many, the queues its people serve and the days
    most of them work ('senior needs 12 more (serving aftersale-voice, complaints-voice),
    most on 11-12 November')."""
    serves = {p.name: p.serves for p in inst.scenario.pools}
    out = []
    for row in pools:
        per_day = hires_on.get(row.name, {})
        if not row.hired or not per_day:
            continue
        busiest = max(len(a) for a in per_day.values())
        peak = [d for d, a in per_day.items() if len(a) >= max(1, busiest * 0.8)]
        lines = serves.get(row.name)
        serving = f" (serving {', '.join(lines)})" if lines else ""
        peak = [d for d in peak if 0 <= d < inst.days]
        when = f", {busiest} of them at work on {_day_runs(inst, peak)}" if peak else ""
        out.append(f"{row.name} needs {row.hired} more{serving}{when}")
    return out
