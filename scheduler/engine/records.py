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
from scheduler.i18n import translator
from scheduler.models import (
    AnswerPhrase,
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


ENGLISH = translator("en")
"""The answer's phrases in English (summary.answer)."""


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
        worked_as: dict[tuple[int, int], int] = {}  # (day, option) -> shifts
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
                worked_as[d, k] = worked_as.get((d, k), 0) + 1
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
        mine = people[p]
        for (d, k), n in worked_as.items():  # each kind of shift's slots once
            for s_ in view.covered(d, view.options[k]):
                scheduled[s_] += n
                if splits:
                    mine[s_] += n
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
    phrases = _answer(inst, pool_rows, days, hired_on, overtime_on, total_cost_cents / 100,
                      standing_short, hires_on) if sc.pools else []
    if phrases and queues is not None and queues.tightest is not None:
        phrases.append(_tightest(queues.tightest))
    answer = ENGLISH.sentence(phrases)
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
            answer_phrases=phrases,
            queues=[QueueDay(**row) for row in queues.days] if queues is not None else None,
        ),
        shifts=shifts,
        breaks=breaks,
        coverage=coverage,
    )


def _tightest(tightest: tuple[str, float, float]) -> AnswerPhrase:
    """The queue with the least to spare, in words."""
    queue, ratio, short_hours = tightest
    if short_hours > 0:
        return AnswerPhrase(
            text="queue {queue} is short {hours:g} agent-hours: add it to more pools' serves "
                 "or hire into a pool that serves it",
            values={"queue": queue, "hours": round(short_hours, 2)})
    return AnswerPhrase(text="the tightest queue is {queue} (allocated {share:.0%} of its "
                             "requirement)", values={"queue": queue, "share": ratio})


def _cost_gap(sc, cost: float, bound: float | None) -> float | None:
    """(cost - the plan's proven cost bound) / cost when cost is the objective."""
    if sc.objective.kind != "cost" or bound is None or cost <= 0 or sc.coverage.allow_understaffing:
        return None
    return round(max(0.0, cost - bound) / cost, 6)


def _answer(inst: Instance, pools: list[PoolSummary], days: list[DaySummary],
            hired_on: dict[int, int], overtime_on: dict[int, int], cost: float,
            standing_short: float | None = None,
            hires_on: dict[str, dict[int, set]] | None = None) -> list[AnswerPhrase]:
    """The planner's question answered from the roster, phrase by phrase: does the
    standing team cover the days outside the events, and what do the events need?"""
    def say(text: str, **values) -> AnswerPhrase:
        return AnswerPhrase(text=text, values=values)

    sc = inst.scenario
    during_events = event_days(inst)
    normal = [d for d in range(inst.days) if d not in during_events]
    standing = sum(p.standing for p in pools)
    team = ", ".join(f"{p.name} {p.standing}" for p in pools if p.standing)
    out = [say("the standing team of {n} ({team})", n=standing, team=team) if team
           else say("the standing team of {n}", n=standing)]
    if normal and standing_short is not None:
        if standing_short == 0:
            out.append(say("can cover the {n} days outside the events alone, without "
                           "overtime", n=len(normal)))
        else:
            out.append(say("would leave {hours:g} agent-hours short on the {n} days outside "
                           "the events without hires or overtime",
                           hours=standing_short, n=len(normal)))
    if normal:
        extra = sum(hired_on.get(d, 0) for d in normal)
        ot = sum(overtime_on.get(d, 0) for d in normal) / 60
        short = sum(days[d].short_agent_hours for d in normal)
        if not extra and not ot and not short:
            out.append(say("in this roster it covers the {n} days outside the events alone",
                           n=len(normal)))
        else:
            out.append(say("in this roster the days outside the events also use {shifts} "
                           "shifts by hired agents, {overtime:g} overtime hours and {short:g} "
                           "agent-hours short", shifts=extra, overtime=ot, short=short))
    names = ", ".join(e.name for e in sc.events)
    hires = ", ".join(f"{p.hired} {p.name}" for p in pools if p.hired)
    hired = sum(p.hired for p in pools)
    ot_event = sum(overtime_on.get(d, 0) for d in during_events) / 60 if sc.events else \
        sum(overtime_on.values()) / 60
    values = {"hired": hired, "overtime": ot_event, "cost": cost}
    if names:
        values["events"] = names
    if hires:
        values["pools"] = hires
    text = ("{events} needs" if names else "the horizon needs") + " {hired} hired agents" \
        + (" ({pools})" if hires else "") + " and {overtime:g} overtime hours, at a total " \
        "cost of {cost:,.2f}"
    out.append(say(text, **values))
    if len(pools) > 1:
        out += _pool_needs(inst, pools, hires_on or {})
    return out


def _pool_needs(inst: Instance, pools: list[PoolSummary], hires_on: dict[str, dict[int, set]]
                ) -> list[AnswerPhrase]:
    """Per pool (tier) with hires: how many, the queues its people serve and the days
    most of them work ('senior needs 7 more (serving aftersale-voice, complaints-voice),
    7 of them at work on 10 November, 12-14 November')."""
    serves = {p.name: p.serves for p in inst.scenario.pools}
    out = []
    for row in pools:
        per_day = hires_on.get(row.name, {})
        if not row.hired or not per_day:
            continue
        busiest = max(len(a) for a in per_day.values())
        peak = [inst.date(d).isoformat() for d, a in sorted(per_day.items())
                if len(a) >= max(1, busiest * 0.8) and 0 <= d < inst.days]
        lines = serves.get(row.name)
        values: dict = {"pool": row.name, "n": row.hired}
        text = "{pool} needs {n} more"
        if lines:
            text += " (serving {queues})"
            values["queues"] = ", ".join(lines)
        if peak:
            text += ", {busiest} of them at work on {peak_days}"
            values.update(busiest=busiest, peak_days=peak)
        out.append(AnswerPhrase(text=text, values=values))
    return out
