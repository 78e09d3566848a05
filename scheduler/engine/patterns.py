"""Rosters from working-day patterns found on a state network (for long horizons).

Assigning agents to days one boolean per agent and day (roster.days_first_roster) has as
many symmetric copies of every solution as there are agents; on four weeks at a few
hundred agents CP-SAT finds none in 20 s. Here the agents are not named while the days are
chosen:

1. The days. A node is (day, the agent's working days over the last few days); an arc says
   whether the agent works the next day, and exists only when that keeps the day rules
   (at most `max_days_per_week` in any 7 days, at most `max_consecutive_days` in a row).
   An integer flow through this network, one unit per agent, with exactly the plan's
   number of shifts working on each day and the rest-based cap on agents working two days
   in a row (roster._both_days_caps), is solved by CP-SAT with the fewest units. Its size
   depends on the horizon, not on the number of agents.
2. The agents. On a cyclic horizon each agent's pattern must also wrap onto itself. There
   the patterns come first from column generation over wrapping patterns
   (cyclic_columns.py), which meets each day's shifts exactly with as few agents as its
   relaxation allows in the cases measured; the flow below is the fallback. The flow is
   split into paths, one per agent; when a path does not wrap, it loses the working days
   that break it, and those days go to other or extra agents; on a cyclic horizon of whole
   weeks, patterns that repeat every week (which always wrap) are tried too and the fewer
   agents win.
3. The shifts. Day by day, each day's shifts go to the agents working it by a minimum-cost
   assignment between classes of alike shifts and agents (a min-cost flow, matching.py): a pair is forbidden when it breaks the rest
   after yesterday's shift (or before tomorrow's, when already placed) or a weekly or
   monthly limit, and costs more the more of tomorrow's shifts it would rule out for an
   agent who works tomorrow; ties go either to any agent or to the one with the least rest
   to spare after yesterday (best fit), whichever needs fewer agents. A shift nobody can
   take goes to an agent free that day, or to an extra agent.

The roster is confirmed by roster.roster_ok before it is returned.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict

import numpy as np
from scheduler.engine.sat import cp_model

from scheduler.engine.cyclic_columns import cyclic_patterns, loosest_pair
from scheduler.engine.highs import highs_model, run_highs
from scheduler.engine.instance import Instance
from scheduler.engine.matching import match_by_class
from scheduler.engine.roster import _both_days_caps, roster_ok
from scheduler.engine.stopping import StopSignal, apply_parameters, watched

log = logging.getLogger(__name__)

MAX_RUN_MEMORY = 10
"""Without a weekly day limit, a consecutive-day limit above this is not tracked here."""
MAX_FLOW_ATTEMPTS = 3
"""Day flows tried in the deterministic profile."""
RETRY_MARGIN = 0.06
"""Other day flows are tried only while the shifts need at most this share of agents more
than the flow: a few percent is the flow's luck (a month at peak 200: 502-523 agents for a
502-agent flow, by seed), far more the shifts' shapes, which no flow mends (one cyclic week
at peak 200: 641 for a 520-agent flow)."""
COLUMNS_SHARE = 0.4
"""Of the time limit, the share the wrapping patterns by column generation may use (the
day flow has the rest). Four weeks need 1-5 s; 13 weeks at peak 200 15-30 s a round of
cap lowering (506 agents for a bound of 505 after 2 rounds, 43 s; weekly patterns 508)."""
MAX_CAP_ROUNDS = 12
"""Rounds of lowering caps and pricing the patterns again (ending after STALE_CAP_ROUNDS
rounds in a row without fewer agents)."""
STALE_CAP_ROUNDS = 3
SPARE_CAP_MINUTES = 2 * 1440
"""Spare rest above this counts the same (an agent off yesterday has unbounded spare)."""


class _Rules:
    """The day rules as a finite automaton over the last `memory` working-day bits."""

    def __init__(self, k7: int, max_run: int | None):
        self.k7 = k7
        self.max_run = max_run
        if k7 < 7:
            self.memory = 6
        elif max_run is not None:
            self.memory = max_run
        else:
            self.memory = 0

    def step(self, state: tuple[int, ...], work: int) -> tuple[int, ...] | None:
        if work:
            if self.k7 < 7 and sum(state[-6:]) + 1 > self.k7:
                return None
            if self.max_run is not None:
                run = 0
                while run < len(state) and state[-1 - run]:
                    run += 1
                if run + 1 > self.max_run:
                    return None
        if not self.memory:
            return ()
        return (state + (work,))[-self.memory:]

    def valid(self, bits: list[int], cyclic: bool) -> bool:
        """Whether a whole working-day pattern keeps the rules (wrapping when cyclic)."""
        n = len(bits)
        seq = bits + bits[: min(n, 7 + (self.max_run or 0))] if cyclic else bits
        if self.k7 < 7:
            for s in range(n if cyclic else max(1, n - 6)):
                if sum(seq[s: s + 7]) > self.k7:
                    return False
        if self.max_run is not None:
            if cyclic and all(bits) and n > self.max_run:
                return False
            run = 0
            for b in seq:
                run = run + 1 if b else 0
                if run > self.max_run:
                    return False
        return True


def applicable(inst: Instance) -> bool:
    """Whether the day rules fit the network (a weekly minimum of hours does not)."""
    rules = inst.rules
    if rules.min_weekly_paid_hours > 0:
        return False
    if inst.cyclic and inst.days < 7 and rules.max_days_per_week < 7:
        return False  # a cycle shorter than the window repeats days inside it
    if rules.max_days_per_week == 7 and rules.max_consecutive_days is not None \
            and rules.max_consecutive_days > MAX_RUN_MEMORY:
        return False
    return True


def pattern_roster(
    inst: Instance, counts: dict[tuple[int, int], int], time_limit: float, params: dict,
    stop: StopSignal | None = None, lower: int = 0,
) -> dict[int, list[tuple[int, int]]] | None:
    """A roster for the plan `counts` ((day, option) -> shifts), or None."""
    if not applicable(inst):
        return None
    started = time.monotonic()
    rules = _Rules(inst.rules.max_days_per_week, inst.rules.max_consecutive_days)
    days = list(inst.shift_days)
    need = {d: 0 for d in days}
    for (d, _), c in counts.items():
        need[d] += c
    # Many day flows share the fewest agents, the shifts fitting some far better: other
    # flows (next seeds) while the shifts add a few agents (RETRY_MARGIN) and time is left
    deterministic = bool(params.get("deterministic"))
    best = None
    if inst.cyclic and rules.memory and len(days) > rules.memory and not deterministic:
        # (HiGHS stops on the wall clock: not in the deterministic profile)
        best, bound = _column_roster(inst, rules, days, need, counts,
                                     started + COLUMNS_SHARE * time_limit, stop)
        if best is not None and len(best) <= max(bound, lower):
            return best
    for attempt in range(MAX_FLOW_ATTEMPTS if deterministic else 10**6):
        remaining = time_limit - (time.monotonic() - started)
        if attempt and (remaining < 1 or (stop is not None and stop.is_set())):
            break
        seeded = {**params, "random_seed": params.get("random_seed", 0) + attempt}
        found = _day_patterns(inst, rules, days, need, counts,
                              remaining if not deterministic else time_limit / MAX_FLOW_ATTEMPTS,
                              seeded, stop, lower)
        if found is None:
            break
        patterns, flow_agents = found
        if best is not None and flow_agents >= len(best):
            break  # (a flow cut short by the clock) no roster has fewer agents than its flow
        log.debug("patterns: %d agents after %.1f s", len(patterns), time.monotonic() - started)
        # two ways to break ties between agents: either can need fewer extra agents
        for best_fit in (False, True):
            roster = _place_shifts(inst, rules, days, counts, patterns, best_fit,
                                   started + time_limit if not deterministic else float("inf"))
            if roster is None or not roster_ok(inst, roster):
                continue
            if best is None or len(roster) < len(best):
                best = roster
        if best is None:
            continue
        if len(best) <= max(flow_agents, lower):
            break  # as few as the day flow: no other flow does better
        if len(best) > flow_agents + max(2, RETRY_MARGIN * flow_agents):
            break  # far above the flow the shapes clash by themselves, not by the flow
    return best


# ---- 1 and 2. the days and the agents


def _column_roster(inst, rules: _Rules, days, need, counts, deadline: float, stop):
    """(the roster with the fewest agents, the agents' lower bound for this need) from
    wrapping patterns by column generation (cyclic_columns.py). Shifts that no agent
    working their day can take (their rest after the day before rules them out, or on the
    day placed last the rest before the day after) lower the cap on agents working that
    pair of days by as many, and the patterns are priced again: a cap on a pair of days
    cannot say everything the rest rule does.
    Measured on four cyclic weeks (the grid's, peaks 50 to 1,000, weeks alike or not):
    the bound or one agent above it in 1-3 rounds."""
    n = len(days)
    index = {d: i for i, d in enumerate(days)}
    caps = {index[d]: cap for d, _, cap in _both_days_caps(inst, counts, need)}
    states = _reachable_states(rules)
    best, bound, stale = None, 0, 0
    for _ in range(MAX_CAP_ROUNDS):
        found = cyclic_patterns(rules.step, states, [need[d] for d in days], caps, deadline,
                                stop)
        if found is None:
            break
        patterns, lp_bound = found
        bound = bound or lp_bound  # from the caps as derived; later rounds tighten them
        first = loosest_pair(patterns, caps, [need[d] for d in days]) + 1
        fewest_misses = None
        for best_fit in (False, True):
            misses: dict[int, int] = {}
            roster = _place_shifts(inst, rules, days, counts, patterns, best_fit, deadline,
                                   misses, first % n)
            if roster is None or not roster_ok(inst, roster):
                continue
            if best is None or len(roster) < len(best):
                best, stale = roster, -1
            if fewest_misses is None or sum(misses.values()) < sum(fewest_misses.values()):
                fewest_misses = misses
        log.debug("patterns: %d agents from columns (bound %d), shifts unplaced %s",
                  len(best or ()), bound, fewest_misses)
        stale += 1
        if not fewest_misses or (best is not None and len(best) <= bound) \
                or stale >= STALE_CAP_ROUNDS:
            break
        for i, missed in fewest_misses.items():
            # a day's shifts are bound by the day before, the day placed last also by
            # the day after it (placed first): there it is that pair which binds (four
            # cyclic weeks at peak 1,000: 2,525 agents in 2 rounds, where lowering the
            # pair before it left 2,559 after 12)
            j = i if (i + 1) % n == first % n else (i - 1) % n
            caps[j] = max(0, caps.get(j, min(need[days[j]], need[days[(j + 1) % n]])) - missed)
    return best, bound


def _day_patterns(inst, rules: _Rules, days, need, counts, time_limit, params, stop, lower):
    n = len(days)
    cyclic = inst.cyclic
    index = {d: i for i, d in enumerate(days)}
    start_states = _reachable_states(rules) if cyclic else [tuple([0] * rules.memory)]
    model = cp_model.CpModel()
    # arcs[i][(state, work)] = flow variable leaving day i's node `state`
    states: list[set] = [set(start_states)]
    arcs: list[dict] = []
    biggest = sum(need.values())  # no agent without a working day is ever needed
    for i in range(n):
        layer = {}
        nxt = set()
        for s in states[i]:
            for work in (0, 1):
                t = rules.step(s, work)
                if t is None:
                    continue
                layer[(s, work)] = model.new_int_var(0, biggest, "")
                nxt.add(t)
        arcs.append(layer)
        states.append(nxt)
    # conservation: into (i+1, t) == out of (i+1, t); cyclic: layer n is layer 0
    for i in range(n):
        into: dict = defaultdict(list)
        for (s, work), v in arcs[i].items():
            into[rules.step(s, work)].append(v)
        j = (i + 1) % n if cyclic else i + 1
        if j == n:
            continue
        out: dict = defaultdict(list)
        for (s, work), v in arcs[j].items():
            out[s].append(v)
        for t in set(into) | set(out):
            model.add(sum(into.get(t, [])) == sum(out.get(t, [])))
    agents = sum(arcs[0].values())
    for i, d in enumerate(days):
        model.add(sum(v for (s, work), v in arcs[i].items() if work) == need[d])
    # at most `cap` agents work both day d and the next
    for d, e, cap in _both_days_caps(inst, counts, need):
        j = index[e]
        model.add(sum(v for (s, work), v in arcs[j].items() if work and s and s[-1]) <= cap)
    if lower:
        model.add(agents >= lower)
    model.minimize(agents)
    t_flow = time.monotonic()
    values = None
    if not params.get("deterministic"):
        # HiGHS's MIP: 1 s on 4 weeks at peak 200 where CP-SAT takes 3-5 s; on 13 weeks
        # 26 s where CP-SAT finds 686 agents for a 516-agent flow in 60 s (HiGHS stops on
        # the wall clock: not in the deterministic profile)
        values = _highs_flow(model, 0.7 * time_limit, params.get("random_seed", 0), stop)
    if values is None:
        solver = cp_model.CpSolver()
        apply_parameters(solver, params, time_limit - (time.monotonic() - t_flow))
        solver.log_callback = log.debug
        with watched(stop, solver):
            status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            log.debug("patterns: no day flow (%s)", solver.status_name(status))
            return None
        values = [solver.value(model.get_int_var_from_proto_index(i))
                  for i in range(len(model.proto.variables))]
    flow = [{key: round(values[v.index]) for key, v in layer.items() if round(values[v.index])}
            for layer in arcs]
    flow_agents = sum(c for (s, _), c in flow[0].items())
    seconds = time.monotonic() - t_flow
    log.debug("patterns: day flow of %d agents in %.1f s", flow_agents, seconds)
    time_limit -= seconds
    paths = _split_paths(rules, flow, n, cyclic)
    if cyclic:
        log.debug("patterns: %d paths do not wrap", sum(not rules.valid(p, True) for p in paths))
    paths = _fix_broken(rules, paths, days, need, cyclic)
    if cyclic and n % 7 == 0 and n > 7 and len(paths) > flow_agents:
        caps = {index[d]: cap for d, _, cap in _both_days_caps(inst, counts, need)}
        weekly = _weekly_patterns(rules, days, need, caps, params, max(1.0, time_limit / 4),
                                  stop)
        if weekly is not None and len(weekly) < len(paths):
            log.debug("patterns: weekly patterns need %d agents, the flow %d",
                      len(weekly), len(paths))
            paths = weekly
    return paths, flow_agents


def _highs_flow(model: cp_model.CpModel, seconds: float, seed: int,
                stop: StopSignal | None) -> list[float] | None:
    """The day flow's values by HiGHS's MIP (its seed varies it among equals), or None."""
    try:
        h, offset = highs_model(model)
    except (ValueError, RuntimeError):  # a constant constraint: a day no arc can meet
        return None
    h.setOptionValue("random_seed", int(seed) % 2**31)
    status, values, value, _ = run_highs(h, offset, seconds, stop=stop)
    log.debug("patterns: HiGHS day flow %s (%s)", status, value)
    return values if status in ("optimal", "feasible") else None


def _weekly_patterns(rules: _Rules, days, need, caps, params, seconds, stop):
    """Patterns that repeat every week (so they wrap onto themselves on a cyclic horizon
    of whole weeks): how many agents work each of the 2**7 weeks, with at least each
    day's shifts working."""
    n = len(days)
    weeks = n // 7
    shapes = []
    for code in range(128):
        week = [(code >> b) & 1 for b in range(7)]
        if any(week) and rules.valid(week * weeks, True):
            shapes.append(week)
    model = cp_model.CpModel()
    most = max(need.values(), default=0)
    y = [model.new_int_var(0, most, f"y{p}") for p in range(len(shapes))]
    crew = []
    for i, d in enumerate(days):
        crew.append(sum(y[p] for p, week in enumerate(shapes) if week[i % 7]))
        model.add(crew[i] >= need[d])
    for j, cap in caps.items():
        # agents who may work day j and the next, less those left idle on either day
        nxt = (j + 1) % n
        both = sum(y[p] for p, week in enumerate(shapes) if week[j % 7] and week[nxt % 7])
        model.add(both - (crew[j] - need[days[j]]) - (crew[nxt] - need[days[nxt]]) <= cap)
    model.minimize(sum(y))
    solver = cp_model.CpSolver()
    apply_parameters(solver, params, seconds)
    with watched(stop, solver):
        status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return [shapes[p] * weeks for p in range(len(shapes)) for _ in range(solver.value(y[p]))]


def _reachable_states(rules: _Rules) -> list[tuple[int, ...]]:
    if not rules.memory:
        return [()]
    seen = {tuple([0] * rules.memory)}
    frontier = list(seen)
    while frontier:
        s = frontier.pop()
        for work in (0, 1):
            t = rules.step(s, work)
            if t is not None and t not in seen:
                seen.add(t)
                frontier.append(t)
    return sorted(seen)


def _split_paths(rules: _Rules, flow: list[dict], n: int, cyclic: bool) -> list[list[int]]:
    """One working-day pattern per unit of flow (a list of 0/1 per day)."""
    left = [dict(layer) for layer in flow]
    starts: dict = defaultdict(int)
    for (s, _), c in flow[0].items():
        starts[s] += c
    paths = []
    for s0, count in sorted(starts.items()):
        for _ in range(count):
            s, bits = s0, []
            for i in range(n):
                # on the last days, steer towards the days the path assumed before its
                # start (so that it wraps onto itself); elsewhere any order splits the flow
                order = (1, 0)
                back = n - i
                if cyclic and rules.memory and back <= rules.memory and not s0[-back]:
                    order = (0, 1)
                for work in order:
                    if left[i].get((s, work), 0) > 0:
                        left[i][(s, work)] -= 1
                        bits.append(work)
                        s = rules.step(s, work)
                        break
                else:  # cannot happen for a valid flow
                    raise RuntimeError("flow decomposition failed")
            paths.append(bits)
    return paths


def _fix_broken(rules: _Rules, paths: list[list[int]], days, need, cyclic: bool):
    """Drop working days from paths that break the rules; extra paths take those days."""
    n = len(days)
    orphans: list[int] = []
    for bits in paths:
        while not rules.valid(bits, cyclic):
            # drop the working day that ends the first broken stretch
            for i in range(n):
                if bits[i] and not rules.valid(bits[: i + 1] + [0] * (n - i - 1), cyclic):
                    bits[i] = 0
                    orphans.append(i)
                    break
            else:
                for i in range(n - 1, -1, -1):  # the wrap: drop from the end
                    if bits[i]:
                        bits[i] = 0
                        orphans.append(i)
                        break
    if orphans:
        log.debug("patterns: %d working days moved to extra agents", len(orphans))
    for i in sorted(orphans):
        for bits in paths:
            if not bits[i] and _may_add(rules, bits, i, cyclic):
                bits[i] = 1
                break
        else:
            bits = [0] * n
            bits[i] = 1
            paths.append(bits)
    return paths


def _may_add(rules: _Rules, bits: list[int], i: int, cyclic: bool) -> bool:
    bits[i] = 1
    ok = rules.valid(bits, cyclic)
    bits[i] = 0
    return ok


# ---- 3. the shifts


def _place_shifts(inst: Instance, rules: _Rules, days, counts, patterns, best_fit: bool,
                  deadline: float = float("inf"), misses: dict[int, int] | None = None,
                  first: int = 0):
    """Give each day's shifts to the agents whose pattern works it; None past the
    deadline (a day's assignment problem grows with the square of its agents). `misses`,
    when given, counts per day index the shifts no agent working that day could take."""
    n = len(days)
    cyclic = inst.cyclic
    rest = round(inst.rules.min_rest_hours * 60)
    horizon = inst.days * 1440
    blocks = {d: b for b, (bdays, _) in enumerate(inst.week_blocks()) for d in bdays}
    block_max = [inst.max_weekly_paid_minutes(h) for _, h in inst.week_blocks()]
    months = {d: m for m, mdays in enumerate(inst.month_blocks()) for d in mdays}
    ot_cap = inst.max_monthly_overtime_minutes
    spans: dict[int, list[tuple[int, int, int]]] = {}
    for i, d in enumerate(days):
        spans[i] = sorted((d * 1440 + inst.options[k].start_minute,
                           d * 1440 + inst.options[k].end_minute, k)
                          for (dd, k), c in counts.items() if dd == d for _ in range(c))
    work = [list(p) for p in patterns]
    on_day: list[dict[int, tuple[int, int]]] = [{} for _ in work]
    paid: list[dict[int, int]] = [defaultdict(int) for _ in work]
    overtime: list[dict[int, int]] = [defaultdict(int) for _ in work]
    shifts: list[list[tuple[int, int]]] = [[] for _ in work]

    def neighbour(a: int, i: int, step: int):
        j, offset = i + step, 0
        if cyclic:
            if j < 0:
                j, offset = j + n, -horizon
            elif j >= n:
                j, offset = j - n, horizon
        got = on_day[a].get(j)
        return None if got is None else (got[0] + offset, got[1] + offset)

    def fits(a: int, i: int, begin: int, end: int, k: int) -> bool:
        before = neighbour(a, i, -1)
        if before is not None and begin - before[1] < rest:
            return False
        after = neighbour(a, i, 1)
        if after is not None and after[0] - end < rest:
            return False
        d = days[i]
        option = inst.options[k]
        hi = block_max[blocks[d]]
        if hi is not None and paid[a][blocks[d]] + option.contract_minutes > hi:
            return False
        extra = option.overtime_minutes
        return not (extra and ot_cap is not None and overtime[a][months[d]] + extra > ot_cap)

    def works(a: int, j: int) -> bool:
        if cyclic:
            j %= n
        return 0 <= j < n and bool(work[a][j])

    def give(a: int, i: int, begin: int, end: int, k: int) -> None:
        d = days[i]
        on_day[a][i] = (begin, end)
        paid[a][blocks[d]] += inst.options[k].contract_minutes
        overtime[a][months[d]] += inst.options[k].overtime_minutes
        shifts[a].append((d, k))

    def add_agent() -> int:
        work.append([0] * n)
        on_day.append({})
        paid.append(defaultdict(int))
        overtime.append(defaultdict(int))
        shifts.append([])
        return len(work) - 1

    for i in [(first + k) % n for k in range(n)]:
        if time.monotonic() > deadline:
            log.debug("patterns: out of time placing the shifts")
            return None
        todays = spans[i]
        if not todays:
            continue
        crew = [a for a in range(len(work)) if work[a][i]]
        tomorrow = spans.get((i + 1) % n if cyclic else i + 1, []) if (cyclic or i + 1 < n) else []
        t_starts = np.array(sorted(b for b, _, _ in tomorrow), dtype=np.int64)
        shift_by = horizon if cyclic and i == n - 1 else 0
        d = days[i]
        big = 10**12
        begins = np.array([b for b, _, _ in todays], dtype=np.int64)
        ends = np.array([e for _, e, _ in todays], dtype=np.int64)
        contract = np.array([inst.options[k].contract_minutes for _, _, k in todays],
                            dtype=np.int64)
        extra = np.array([inst.options[k].overtime_minutes for _, _, k in todays],
                         dtype=np.int64)
        prev_end = np.array([(neighbour(a, i, -1) or (0, -big))[1] for a in crew], dtype=np.int64)
        next_start = np.array([(neighbour(a, i, 1) or (big, 0))[0] for a in crew], dtype=np.int64)
        hi = block_max[blocks[d]]
        used_paid = np.array([paid[a][blocks[d]] for a in crew], dtype=np.int64)
        used_ot = np.array([overtime[a][months[d]] for a in crew], dtype=np.int64)
        # tomorrow's shifts a shift rules out, for an agent who works tomorrow
        ahead = np.array([works(a, i + 1) and neighbour(a, i, 1) is None for a in crew],
                         dtype=np.int64)
        ruled_out = np.searchsorted(t_starts + shift_by, ends + rest).astype(np.int64)

        def ok(r, c):
            fine = (begins[r] - prev_end[c] >= rest) & (next_start[c] - ends[r] >= rest)
            if hi is not None:
                fine &= used_paid[c] + contract[r] <= hi
            if ot_cap is not None:
                fine &= (extra[r] == 0) | (used_ot[c] + extra[r] <= ot_cap)
            return fine

        def cost(r, c):
            # then best fit: the agent whose rest after yesterday leaves the least to
            # spare (those who worked late keep the late shifts; agents off yesterday last)
            if best_fit:
                spare = np.minimum(begins[r] - rest - prev_end[c], SPARE_CAP_MINUTES)
                return ruled_out[r] * ahead[c] * (SPARE_CAP_MINUTES + 1) + spare
            return ruled_out[r] * ahead[c]

        row_keys = np.stack([begins, ends, contract, extra], axis=1)
        col_keys = np.stack([prev_end, next_start, used_paid, used_ot, ahead], axis=1)
        placed = set()
        for row, col in match_by_class(row_keys, col_keys, ok, cost):
            begin, end, k = todays[row]
            give(crew[col], i, begin, end, k)
            placed.add(row)
        for a in crew:
            if i not in on_day[a]:
                work[a][i] = 0  # works no shift that day after all
        for row, (begin, end, k) in enumerate(todays):
            if row in placed:
                continue
            if misses is not None:
                misses[i] = misses.get(i, 0) + 1
            chosen = None
            for a in range(len(work)):
                if work[a][i] or not _may_add(rules, work[a], i, cyclic):
                    continue
                if fits(a, i, begin, end, k):
                    chosen = a
                    break
            if chosen is None:
                chosen = add_agent()
            work[chosen][i] = 1
            give(chosen, i, begin, end, k)
    log.debug("patterns: %d agents after the shifts", sum(1 for s in shifts if s))
    return {a: sorted(s) for a, s in enumerate(s for s in shifts if s)}
