"""Stage 2, the roster: put the planned shifts on agents so that every agent's sequence of
shifts obeys the labour rules, with as few agents as possible.

Shifts that look the same to the rules (type, start, paid and on-site length) form a class
per day; a boolean x[a, d, c] says agent a works class c on day d. Break placements do
not matter to the rules and are handed out after the solve.
"""

from __future__ import annotations

import heapq
import logging
import time

import numpy as np
from dataclasses import dataclass

from scheduler.engine.sat import cp_model

from scheduler.engine.instance import Instance
from scheduler.engine.stopping import StopSignal, apply_parameters, watched

log = logging.getLogger(__name__)

Shape = tuple[int, int, int, int]


@dataclass
class RosterResult:
    status: str  # optimal | feasible | infeasible | unknown
    assignment: dict[int, list[tuple[int, int]]]
    """agent index -> [(day, option index), ...] sorted by day."""
    headcount: int | None
    bound: int


@dataclass
class DayClasses:
    day: int
    shapes: list[Shape]
    counts: list[int]
    options: list[list[tuple[int, int]]]
    """Per class: [(option index, count), ...] that make up the count."""


def group_plan(inst: Instance, counts: dict[tuple[int, int], int]) -> list[DayClasses]:
    per_day: dict[int, dict[Shape, list[tuple[int, int]]]] = {}
    for (d, k), c in sorted(counts.items()):
        if c <= 0:
            continue
        shape = inst.options[k].shape
        per_day.setdefault(d, {}).setdefault(shape, []).append((k, c))
    out = []
    for d in inst.shift_days:
        shapes = per_day.get(d, {})
        keys = sorted(shapes)
        out.append(
            DayClasses(d, keys, [sum(c for _, c in shapes[s]) for s in keys], [shapes[s] for s in keys])
        )
    return out


def rest_conflicts(inst: Instance, days: list[DayClasses]) -> list[tuple[int, int, int, list[int]]]:
    """(day index i, class c, later day index j, classes on j that start too soon after c ends)."""
    rest = round(inst.rules.min_rest_hours * 60)
    horizon = inst.days * 1440
    index_of = {dc.day: i for i, dc in enumerate(days)}
    longest = max((s[1] + s[3] for dc in days for s in dc.shapes), default=0)
    reach = (longest + rest) // 1440 + 1
    out = []
    for i, dc in enumerate(days):
        for c, shape in enumerate(dc.shapes):
            end = dc.day * 1440 + shape[1] + shape[3]
            for step in range(1, reach + 1):
                e = dc.day + step
                shift = 0
                if inst.cyclic:
                    if step >= inst.days:
                        break
                    shift, e = divmod(e, inst.days)
                    shift *= horizon
                if e not in index_of:
                    continue
                later = days[index_of[e]]
                bad = [
                    c2
                    for c2, s2 in enumerate(later.shapes)
                    if shift + later.day * 1440 + s2[1] - end < rest
                ]
                if bad:
                    out.append((i, c, index_of[e], bad))
    return out


def greedy_roster(inst: Instance, counts: dict[tuple[int, int], int], agents: int,
                  unplaced: list[tuple[int, int]] | None = None,
                  ) -> dict[int, list[tuple[int, int]]] | None:
    """Place the plan's shifts day by day on `agents` agents, adding agents when no one can
    take a shift. Earliest starts first (they clash with yesterday's late shifts); among
    the agents allowed to take a shift, the one who worked least recently goes first.
    Returns agent -> [(day, option)] or None when the rules cannot be met this way (a
    cyclic wrap or a weekly minimum it does not look ahead for). With `unplaced` given
    and the pool capped, a shift that would need an agent beyond the cap is appended to
    it instead of placed."""
    rules = inst.rules
    rest = round(rules.min_rest_hours * 60)
    k7 = rules.max_days_per_week
    m = rules.max_consecutive_days
    blocks = {d: b for b, (days, _) in enumerate(inst.week_blocks()) for d in days}
    block_max = [inst.max_weekly_paid_minutes(h) for _, h in inst.week_blocks()]
    months = {d: i for i, days in enumerate(inst.month_blocks()) for d in days}
    ot_cap = inst.max_monthly_overtime_minutes
    last_end: list[int] = []
    worked: list[list[int]] = []
    paid: list[dict[int, int]] = []
    overtime: list[dict[int, int]] = []
    shifts: list[list[tuple[int, int]]] = []

    def add_agent() -> int:
        last_end.append(-(10**9))
        worked.append([])
        paid.append({})
        overtime.append({})
        shifts.append([])
        return len(shifts) - 1

    for _ in range(agents):
        add_agent()
    horizon_days = inst.days
    wrap_from = horizon_days - 7 if inst.cyclic else horizon_days

    def wrap_days_ok(a: int, d: int) -> bool:
        """On a cyclic horizon, whether working day d fits the agent's first days, which
        follow the last ones: 7-day windows and runs of consecutive days across the wrap."""
        days = set(worked[a])
        days.add(d)
        for start in range(d - 6, d + 1):
            if sum(1 for i in range(7) if (start + i) % horizon_days in days) > k7:
                return False
        if m is not None:
            run = 1 + _run_length(days, d - 1, -1) + _run_length(days, d + 1, 1)
            if run > m:
                return False
        return True

    def _run_length(days: set[int], x: int, step: int) -> int:
        run = 0
        while x % horizon_days in days and run <= m:
            run += 1
            x += step
        return run

    def wrap_rest_ok(a: int, end: int) -> bool:
        """Rest before the agent's first shift, which follows the last one."""
        if not shifts[a]:
            return True
        first_day, first_k = shifts[a][0]
        return (first_day + horizon_days) * 1440 + inst.options[first_k].start_minute - end >= rest

    per_day: dict[int, list[tuple[int, int]]] = {}
    for (dd, k), c in counts.items():
        per_day.setdefault(dd, []).extend([(inst.options[k].start_minute, k)] * c)
    for d in inst.shift_days:
        todays = sorted(per_day.get(d, ()))
        b = blocks[d]
        waiting = []  # (the minute the agent may start again, priority): rest not over yet
        for a in range(len(shifts)):
            recent = sum(1 for x in worked[a][-7:] if x > d - 7)
            if recent >= k7:
                continue
            if m is not None:
                run = 0
                while run < len(worked[a]) and worked[a][-1 - run] == d - 1 - run:
                    run += 1
                if run >= m:
                    continue
            if d >= wrap_from and not wrap_days_ok(a, d):
                continue
            waiting.append((last_end[a] + rest, (recent, paid[a].get(b, 0), a)))
        # The agents whose rest is over, in the day's order of priority; an agent joins
        # when the shifts' starts (earliest first) pass the end of its rest, so each
        # shift goes to the first agent of that order who may take it.
        heapq.heapify(waiting)
        ready: list[tuple[int, int, int]] = []
        for start, k in todays:
            option = inst.options[k]
            begin = d * 1440 + start
            while waiting and waiting[0][0] <= begin:
                heapq.heappush(ready, heapq.heappop(waiting)[1])
            hi = block_max[b]
            chosen = None
            passed = []
            while ready:
                a = ready[0][2]
                if (d >= wrap_from and not wrap_rest_ok(a, begin + option.length_minutes)) \
                        or (hi is not None
                            and paid[a].get(b, 0) + option.contract_minutes > hi) \
                        or (ot_cap is not None and overtime[a].get(months[d], 0)
                            + option.overtime_minutes > ot_cap):
                    passed.append(heapq.heappop(ready))
                    continue
                chosen = heapq.heappop(ready)[2]
                break
            for entry in passed:
                heapq.heappush(ready, entry)
            if chosen is None:
                if unplaced is not None and inst.max_headcount is not None \
                        and len(shifts) >= inst.max_headcount:
                    unplaced.append((d, k))
                    continue
                chosen = add_agent()
            last_end[chosen] = begin + option.length_minutes
            worked[chosen].append(d)
            paid[chosen][b] = paid[chosen].get(b, 0) + option.contract_minutes
            overtime[chosen][months[d]] = overtime[chosen].get(months[d], 0) + option.overtime_minutes
            shifts[chosen].append((d, k))
    out = {i: s for i, s in enumerate(s for s in shifts if s)}
    return out if roster_ok(inst, out) else None


def days_first_roster(
    inst: Instance, counts: dict[tuple[int, int], int], agents: int, time_limit: float, params: dict,
    stop: StopSignal | None = None,
) -> dict[int, list[tuple[int, int]]] | None:
    """Two steps: CP-SAT chooses each agent's working days (as many agents on each day as
    the plan has shifts, under the day rules), then each day's shifts go to that day's
    agents, earliest start first to the agent who ended latest yesterday and may still
    start it (best fit). A shift nobody may take goes to an extra agent."""
    rules = inst.rules
    days = list(inst.shift_days)
    need = {d: 0 for d in days}
    for (d, _), c in counts.items():
        need[d] += c
    model = cp_model.CpModel()
    w = {(a, d): model.new_bool_var(f"w{a}_{d}") for a in range(agents) for d in days}
    for d in days:
        model.add(sum(w[(a, d)] for a in range(agents)) == need[d])
    k7 = rules.max_days_per_week
    m = rules.max_consecutive_days
    for a in range(agents):
        if k7 < 7:
            for window in inst.day_windows(7):
                model.add(sum(w[(a, d)] for d in window) <= k7)
        if m is not None:
            for window in inst.day_windows(m + 1):
                if len(window) == m + 1:
                    model.add(sum(w[(a, d)] for d in window) <= m)
    # Weekly paid hours per block: each working day costs at least its shortest shift.
    shortest: dict[int, int] = {}
    for (d, k), c in counts.items():
        if c > 0:
            m0 = inst.options[k].contract_minutes
            shortest[d] = min(shortest.get(d, m0), m0)
    for block_days, horizon_days in inst.week_blocks():
        hi = inst.max_weekly_paid_minutes(horizon_days)
        if hi is None:
            continue
        for a in range(agents):
            terms = [w[(a, d)] * shortest[d] for d in block_days if d in shortest]
            if terms and sum(shortest[d] for d in block_days if d in shortest) > hi:
                model.add(sum(terms) <= hi)
    # Agents who work two days in a row need a rest-compatible pair of shifts: for any time
    # t, shifts of day d ending after t and of day d+1 starting before t + rest go to
    # different agents, which caps how many agents may work both days (Hall's condition).
    for d, e, cap in _both_days_caps(inst, counts, need):
        both = []
        for a in range(agents):
            b = model.new_bool_var(f"both{a}_{d}")
            model.add(b >= w[(a, d)] + w[(a, e)] - 1)
            both.append(b)
        model.add(sum(both) <= cap)
    solver = cp_model.CpSolver()
    apply_parameters(solver, params, time_limit)
    solver.log_callback = log.debug
    with watched(stop, solver):
        status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None

    rest = round(rules.min_rest_hours * 60)
    horizon = inst.days * 1440
    blocks = {d: b for b, (bdays, _) in enumerate(inst.week_blocks()) for d in bdays}
    block_max = [inst.max_weekly_paid_minutes(h) for _, h in inst.week_blocks()]
    months = {d: i for i, mdays in enumerate(inst.month_blocks()) for d in mdays}
    ot_cap = inst.max_monthly_overtime_minutes
    on_day: list[dict[int, tuple[int, int]]] = [{} for _ in range(agents)]
    """agent -> day -> (start, end) in minutes from the horizon start."""
    paid: list[dict[int, int]] = [{} for _ in range(agents)]
    overtime: list[dict[int, int]] = [{} for _ in range(agents)]
    shifts: list[list[tuple[int, int]]] = [[] for _ in range(agents)]

    def neighbour(a: int, d: int, step: int) -> tuple[int, int] | None:
        e, offset = d + step, 0
        if inst.cyclic:
            offset, e = divmod(e, inst.days)
            offset *= horizon
        got = on_day[a].get(e)
        return None if got is None else (got[0] + offset, got[1] + offset)

    def rest_ok(a: int, d: int, begin: int, end: int) -> bool:
        before = neighbour(a, d, -1)
        after = neighbour(a, d, 1)
        return (before is None or begin - before[1] >= rest) and (
            after is None or after[0] - end >= rest
        )

    extra_first = agents
    for d in days:
        todays = sorted((inst.options[k].start_minute, k) for (dd, k), c in counts.items() if dd == d for _ in range(c))
        crew = [a for a in range(agents) if solver.value(w[(a, d)])]
        crew += [a for a in range(extra_first, len(shifts)) if _may_work(inst, shifts[a], d)]
        b = blocks[d]
        hi = block_max[b]

        def fits(a: int, k: int, begin: int, end: int) -> bool:
            if not rest_ok(a, d, begin, end):
                return False
            extra = inst.options[k].overtime_minutes
            if extra and ot_cap is not None and overtime[a].get(months[d], 0) + extra > ot_cap:
                return False
            return hi is None or paid[a].get(b, 0) + inst.options[k].contract_minutes <= hi

        spans = [(d * 1440 + start, d * 1440 + start + inst.options[k].length_minutes, k)
                 for start, k in todays]
        chosen: list[int | None] = []
        taken: set[int] = set()
        for begin, end, k in spans:
            # best fit: the agent who ended latest yesterday and may still start this one
            best, best_end = None, None
            for a in crew:
                if a in taken or not fits(a, k, begin, end):
                    continue
                before = neighbour(a, d, -1)
                prev_end = before[1] if before else -(10**9)
                if best is None or prev_end > best_end:
                    best, best_end = a, prev_end
            chosen.append(best)
            if best is not None:
                taken.add(best)
        if None in chosen:
            chosen = _max_matching(crew, spans, fits)
        for (begin, end, k), a in zip(spans, chosen):
            if a is None:
                log.debug("days-first: extra agent for day %d at minute %d", d, begin)
                on_day.append({})
                paid.append({})
                overtime.append({})
                shifts.append([])
                a = len(shifts) - 1
            on_day[a][d] = (begin, end)
            paid[a][b] = paid[a].get(b, 0) + inst.options[k].contract_minutes
            overtime[a][months[d]] = overtime[a].get(months[d], 0) + inst.options[k].overtime_minutes
            shifts[a].append((d, k))
    out = {i: s for i, s in enumerate(s for s in shifts if s)}
    return out if roster_ok(inst, out) else None


def _max_matching(crew: list[int], spans: list[tuple[int, int, int]], fits) -> list[int | None]:
    """A maximum matching of shifts to agents (scipy's Hopcroft-Karp); None where a shift
    stays unmatched."""
    rows, cols = [], []
    for i, (begin, end, k) in enumerate(spans):
        for j, a in enumerate(crew):
            if fits(a, k, begin, end):
                rows.append(i)
                cols.append(j)
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import maximum_bipartite_matching

    graph = csr_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)),
                       shape=(len(spans), len(crew)))
    match = maximum_bipartite_matching(graph, perm_type="column")
    return [crew[j] if j >= 0 else None for j in match]


def _both_days_caps(inst: Instance, counts: dict[tuple[int, int], int], need: dict[int, int]):
    """(d, e, cap): at most `cap` agents may work both day d and the day e after it."""
    rest = round(inst.rules.min_rest_hours * 60)
    if rest <= 0:
        return []
    days = list(inst.shift_days)
    pairs = list(zip(days, days[1:]))
    if inst.cyclic and len(days) > 1:
        pairs.append((days[-1], days[0]))
    ends: dict[int, list[tuple[int, int]]] = {}
    starts: dict[int, list[tuple[int, int]]] = {}
    for (d, k), c in counts.items():
        o = inst.options[k]
        ends.setdefault(d, []).append((d * 1440 + o.end_minute, c))
        starts.setdefault(d, []).append((d * 1440 + o.start_minute, c))
    out = []
    for d, e in pairs:
        if d not in ends or e not in starts:
            continue
        shift = inst.days * 1440 if e < d else 0
        worst = 0
        for tau, _ in ends[d]:
            tau -= 1  # shifts ending at or after this end time
            late = sum(c for t, c in ends[d] if t > tau)
            early = sum(c for t, c in starts[e] if t + shift < tau + rest)
            worst = max(worst, late + early)
        cap = need[d] + need[e] - worst
        if cap < min(need[d], need[e]):
            out.append((d, e, max(cap, 0)))
    return out


def _may_work(inst: Instance, shifts: list[tuple[int, int]], d: int) -> bool:
    """Whether an agent with these shifts may also work day d under the day rules."""
    rules = inst.rules
    worked = [x for x, _ in shifts]
    if sum(1 for x in worked if x > d - 7) >= rules.max_days_per_week:
        return False
    m = rules.max_consecutive_days
    if m is not None:
        run = 0
        while run < len(worked) and worked[-1 - run] == d - 1 - run:
            run += 1
        if run >= m:
            return False
    return True


def roster_ok(inst: Instance, roster: dict[int, list[tuple[int, int]]]) -> bool:
    """Whether a roster built by a heuristic holds every rule, the cyclic wrap included
    (the heuristics look back only, so they confirm their work here)."""
    rules = inst.rules
    rest = round(rules.min_rest_hours * 60)
    horizon = inst.days * 1440
    weeks = [(set(days), inst.max_weekly_paid_minutes(h), inst.min_weekly_paid_minutes(h))
             for days, h in inst.week_blocks()]
    sevens = inst.day_windows(7)
    m = rules.max_consecutive_days
    runs = [w for w in inst.day_windows(m + 1) if len(w) == m + 1] if m is not None else []
    cap = inst.max_monthly_overtime_minutes
    months = [set(days) for days in inst.month_blocks()] if cap is not None else []
    options = inst.options
    for items in roster.values():
        days = {d for d, _ in items}
        if len(days) != len(items):
            return False
        if any(sum(1 for d in window if d in days) > rules.max_days_per_week
               for window in sevens):
            return False
        if any(all(d in days for d in window) for window in runs):
            return False
        spans = sorted(
            (d * 1440 + options[k].start_minute, d * 1440 + options[k].end_minute)
            for d, k in items
        )
        pairs = list(zip(spans, spans[1:]))
        if inst.cyclic:
            first = spans[0]
            pairs.append((spans[-1], (first[0] + horizon, first[1] + horizon)))
        if any(nxt[0] - prev[1] < rest for prev, nxt in pairs):
            return False
        for block_days, hi, lo in weeks:
            total = sum(options[k].contract_minutes for d, k in items if d in block_days)
            if (hi is not None and total > hi) or total < lo:
                return False
        for month_days in months:
            if sum(options[k].overtime_minutes for d, k in items if d in month_days) > cap:
                return False
    if inst.max_headcount is not None and len(roster) > inst.max_headcount:
        return False
    return True


def solve_roster(
    inst: Instance,
    counts: dict[tuple[int, int], int],
    pool: int,
    lower_bound: int,
    time_limit: float,
    params: dict,
    hint: dict[int, list[tuple[int, int]]] | None = None,
    callback=None,
    stop: StopSignal | None = None,
) -> RosterResult:
    """Time spent building the model counts against `time_limit`."""
    started = time.monotonic()
    rules = inst.rules
    days = group_plan(inst, counts)
    model = cp_model.CpModel()
    agents = range(pool)
    x: dict[tuple[int, int, int], cp_model.IntVar] = {}
    work: dict[tuple[int, int], list] = {}
    paid: dict[tuple[int, int], list] = {}
    for a in agents:
        for i, dc in enumerate(days):
            row = []
            for c in range(len(dc.shapes)):
                var = model.new_bool_var(f"x_a{a}_d{dc.day}_c{c}")
                x[(a, i, c)] = var
                row.append(var)
            paid[(a, i)] = [var * shape[2] for var, shape in zip(row, dc.shapes)]
            work[(a, i)] = row
            if len(row) > 1:
                model.add_at_most_one(row)
    for i, dc in enumerate(days):
        for c, count in enumerate(dc.counts):
            model.add(sum(x[(a, i, c)] for a in agents) == count)

    used = [model.new_bool_var(f"used_{a}") for a in agents]
    for a in agents:
        for i in range(len(days)):
            for var in work[(a, i)]:
                model.add_implication(var, used[a])
        if a + 1 < pool:
            model.add_implication(used[a + 1], used[a])

    for i, c, j, bad in rest_conflicts(inst, days):
        for a in agents:
            model.add(x[(a, i, c)] + sum(x[(a, j, c2)] for c2 in bad) <= 1)

    index_of = {dc.day: i for i, dc in enumerate(days)}

    def worked(a: int, window: list[int]):
        return sum(v for d in window for v in work[(a, index_of[d])])

    k7 = rules.max_days_per_week
    if k7 < 7:
        for window in inst.day_windows(7):
            for a in agents:
                model.add(worked(a, window) <= k7)
    m = rules.max_consecutive_days
    if m is not None:
        windows = inst.day_windows(m + 1)
        if len(windows[0]) == m + 1:
            for window in windows:
                for a in agents:
                    model.add(worked(a, window) <= m)
    for block_days, horizon_days in inst.week_blocks():
        hi = inst.max_weekly_paid_minutes(horizon_days)
        lo = inst.min_weekly_paid_minutes(horizon_days)
        for a in agents:
            total = sum(t for d in block_days for t in paid[(a, index_of[d])])
            if hi is not None:
                model.add(total <= hi)
            if lo > 0:
                model.add(total >= lo * used[a])

    cap = inst.max_monthly_overtime_minutes
    if cap is not None:
        for month_days in inst.month_blocks():
            for a in agents:
                extra = [var * shape[4] for d in month_days if d in index_of
                         for var, shape in zip(work[(a, index_of[d])], days[index_of[d]].shapes)
                         if shape[4]]
                if extra:
                    model.add(sum(extra) <= cap)

    model.add(sum(used) >= min(lower_bound, pool))
    model.minimize(sum(used))

    if hint:
        for a, items in hint.items():
            if a >= pool:
                continue
            chosen = {(index_of[d], c) for d, c in items}
            for i, dc in enumerate(days):
                for c in range(len(dc.shapes)):
                    model.add_hint(x[(a, i, c)], (i, c) in chosen)

    solver = cp_model.CpSolver()
    building = 0.0 if params.get("deterministic") else time.monotonic() - started + 1.0
    apply_parameters(solver, params, max(0.5, time_limit - building))
    solver.parameters.log_search_progress = log.isEnabledFor(logging.DEBUG)
    solver.log_callback = log.debug
    with watched(stop, solver):
        status = solver.solve(model, callback) if callback else solver.solve(model)
    name = {
        cp_model.OPTIMAL: "optimal",
        cp_model.FEASIBLE: "feasible",
        cp_model.INFEASIBLE: "infeasible",
    }.get(status, "unknown")
    if name not in ("optimal", "feasible"):
        return RosterResult(name, {}, None, lower_bound)

    assignment: dict[int, list[tuple[int, int]]] = {}
    remaining = {(i, c): list(dc.options[c]) for i, dc in enumerate(days) for c in range(len(dc.shapes))}
    next_agent = 0
    for a in agents:
        if not solver.value(used[a]):
            continue
        shifts = []
        for i, dc in enumerate(days):
            for c in range(len(dc.shapes)):
                if solver.value(x[(a, i, c)]):
                    stack = remaining[(i, c)]
                    k, left = stack[-1]
                    stack[-1] = (k, left - 1)
                    if left == 1:
                        stack.pop()
                    shifts.append((dc.day, k))
        if shifts:
            assignment[next_agent] = shifts
            next_agent += 1
    return RosterResult(name, assignment, len(assignment), int(solver.best_objective_bound))
