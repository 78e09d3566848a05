"""Cuts on a pool's shift plan from its named people: what they can work, with their
leave, start and end dates, weekends, windows and weekly limits, bounds the pool's shifts
beyond what its hires add. Without them the plan loads a pool up to its headcount as if
every named person could work every shift of every day, and the named roster then needs
hires the plan did not count (a month of 500 people: 27 part-time hires for shifts the
plan gave the 93 part-timers, of whom a third are evening-only students)."""

from __future__ import annotations

from scheduler.engine.sat import cp_model

from scheduler.engine.instance import Instance
from scheduler.engine.staff_data import is_night
from scheduler.models import parse_hhmm


def _can_take(member, start: int, end: int) -> bool:
    """Whether the person's window and nights allow a shift from `start` to `end` (minutes
    from its day's 00:00)."""
    if not member.nights and is_night(start, end):
        return False
    if member.earliest_start is not None and start < parse_hhmm(member.earliest_start):
        return False
    return member.latest_end is None or end <= parse_hhmm(member.latest_end)


def available_days(view: Instance, members: list) -> list[set[int]]:
    """Per named person, the shift days they may work at all (dates, hard requests,
    weekends)."""
    sc = view.scenario
    blocked: dict[str, set] = {}
    for r in sc.requests.items if sc.requests is not None else []:
        if r.hard:
            blocked.setdefault(r.id, set()).update(r.days())
    out = []
    for member in members:
        mine = blocked.get(member.id, set())
        days = set()
        for d in view.shift_days:
            date = view.date(d)
            if member.works_on(date) and date not in mine \
                    and (member.weekends or date.isoweekday() < 6):
                days.add(d)
        out.append(days)
    return out


def named_cuts(view: Instance, model: cp_model.CpModel, n: dict, total: dict,
               block_paid: list, hire, guard) -> None:
    """With named staff in the pool: each day's shifts at most the people available that
    day plus the hires; each day's shifts that some people may not take (nights, before
    an earliest start, after a latest end) at most the available people who may take one
    of them plus the hires; each week block's shifts and paid minutes at most what the
    people can give in it (days at most max_days_per_week, minutes at most their weekly
    maximum) plus the hires'. `n`: (day, option) -> count; `total`: day -> shifts;
    `block_paid`: per week block, its paid minutes (or 0)."""
    sc = view.scenario
    if sc.staff is None:
        return
    members = [m for m in sc.staff.people if m.pool == view.pool_name]
    if not members:
        return
    days_of = available_days(view, members)
    by_day: dict[int, list[tuple[int, object]]] = {}
    for (d, k), var in n.items():
        by_day.setdefault(d, []).append((k, var))
    # who may take which option (window, nights), and one person of each kind
    takes = {k: [_can_take(m, o.start_minute, o.end_minute) for m in members]
             for k, o in enumerate(view.options)}
    probes = list({(m.nights, m.earliest_start, m.latest_end): i
                   for i, m in reversed(list(enumerate(members)))}.values())
    for d, items in sorted(by_day.items()):
        able = [i for i, days in enumerate(days_of) if d in days]
        if d in total:
            guard("named_staff", model.add(total[d] <= len(able) + hire))
        for probe in probes:
            barred = [(k, var) for k, var in items if not takes[k][probe]]
            if not barred:
                continue
            takers = sum(1 for i in able if any(takes[k][i] for k, _ in barred))
            guard("named_staff", model.add(sum(v for _, v in barred) <= takers + hire))
    k7 = view.rules.max_days_per_week
    for b, (block_days, horizon_days) in enumerate(view.week_blocks()):
        shifts = [total[d] for d in block_days if d in total]
        if not shifts:
            continue
        most = min(k7, len(block_days))
        days_cap = sum(min(most, len(days & set(block_days))) for days in days_of)
        guard("named_staff", model.add(sum(shifts) <= days_cap + most * hire))
        pool_hi = view.max_weekly_paid_minutes(horizon_days)
        if pool_hi is None or isinstance(block_paid[b], int):
            continue
        longest = max(view.options[k].contract_minutes for (d, k) in n if d in block_days)
        cap = 0
        for member, days in zip(members, days_of):
            cap += min(_week_minutes(member, pool_hi, horizon_days),
                       min(most, len(days & set(block_days))) * longest)
        guard("named_staff", model.add(block_paid[b] <= cap + pool_hi * hire))
    _profile_week_cuts(view, model, n, members, days_of, takes, probes, hire, guard)
    _rest_cuts(view, model, by_day, days_of, takes, hire, guard)


def _week_minutes(member, pool_hi: int, horizon_days: int) -> int:
    """The most paid minutes the person may work in a week block of `horizon_days`."""
    if member.max_weekly_hours is None:
        return pool_hi
    return min(pool_hi, round(member.max_weekly_hours * 60 * min(horizon_days, 7) / 7))


def _rest_cuts(view: Instance, model: cp_model.CpModel, by_day: dict,
               days_of: list[set[int]], takes: dict, hire, guard) -> None:
    """Rest between days d and d + 1 on the people: a shift of d ending at E or later and
    one of d + 1 starting before E + min rest cannot share a person, so together they
    number at most the people who may work one of them (available that day, window,
    nights) plus the hires (`by_day`: day -> [(option, count variable)]; `takes`: option
    -> whether each person may take it). The plan's own
    rest cut counts the pool's headcount, which leave and windows do not lower (the
    month's part-timers: rest was the only rule whose removal took the roster's 5
    part-time hires to none)."""
    rest = round(view.rules.min_rest_hours * 60)
    days = list(view.shift_days)
    if rest <= 0 or len(days) < 2:
        return
    pairs = list(zip(days, days[1:])) + ([(days[-1], days[0])] if view.cyclic else [])
    for d, e in pairs:
        if d not in by_day or e not in by_day:
            continue
        shift = len(days) * 1440 if e < d else 0
        late_all = [(d * 1440 + view.options[k].end_minute, k, v) for k, v in by_day[d]]
        early_all = [(e * 1440 + shift + view.options[k].start_minute, k, v)
                     for k, v in by_day[e]]
        seen = None
        for end in sorted({t for t, _, _ in late_all}):
            late = [(k, v) for t, k, v in late_all if t >= end]
            early = [(k, v) for t, k, v in early_all if t < end + rest]
            key = (len(late), len(early))
            if not early or key == seen:
                continue
            seen = key
            able = sum(1 for i, days_i in enumerate(days_of)
                       if (d in days_i and any(takes[k][i] for k, _ in late))
                       or (e in days_i and any(takes[k][i] for k, _ in early)))
            if able < len(days_of):  # else the pool's cut on its headcount holds it
                guard("named_staff", model.add(
                    sum(v for _, v in late) + sum(v for _, v in early) <= able + hire))


def _profile_week_cuts(view: Instance, model: cp_model.CpModel, n: dict, members: list,
                       days_of: list[set[int]], takes: dict, probes: list[int], hire,
                       guard) -> None:
    """Per week block and per kind of person (`probes`: one person of each window and
    nights): the shifts some people may not take at most what those who may take them
    can work in the block (days, and paid minutes under the weekly maximum) plus the
    hires'. Without them the plan gave a month's part-timers more daytime shifts a week
    than the non-students among them can work (the day's cut alone allows each day's full
    count every day), and the roster hired five part-timers for them."""
    k7 = view.rules.max_days_per_week
    for block_days, horizon_days in view.week_blocks():
        in_block = set(block_days)
        most = min(k7, len(block_days))
        pool_hi = view.max_weekly_paid_minutes(horizon_days)
        for probe in probes:
            barred = [(d, k, var) for (d, k), var in n.items()
                      if d in in_block and not takes[k][probe]]
            if not barred:
                continue
            kinds = {k for _, k, _ in barred}
            days_cap = minutes_cap = 0
            longest = max(view.options[k].contract_minutes for k in kinds)
            for i, (member, days) in enumerate(zip(members, days_of)):
                if not any(takes[k][i] for k in kinds):
                    continue
                shifts = min(most, len(days & in_block))
                days_cap += shifts
                hi = shifts * longest
                if pool_hi is not None:
                    hi = min(hi, _week_minutes(member, pool_hi, horizon_days))
                minutes_cap += hi
            guard("named_staff", model.add(sum(v for _, _, v in barred)
                                           <= days_cap + most * hire))
            if pool_hi is not None:
                guard("named_staff", model.add(
                    sum(view.options[k].contract_minutes * v for _, k, v in barred)
                    <= minutes_cap + pool_hi * hire))
