"""A headcount plan from the plan's LP, rounded a day or two at a time.

The plan's headcount W is a maximum over the whole horizon: of each day's shifts, of the
shifts in any 7 days over the days an agent may work in them, of the shifts in any run of
consecutive days, and of the rest cuts between two days (plan.py). Rounding the LP up
count by count adds about half a shift per count the LP uses, so on 13 cyclic weeks at
peak 200 (about 1,000 counts a day, 20 used) its plan has 516 agents where the LP has
504.6; fix and optimise windows of two days (plan_days.py) cannot lower a maximum over
91 days, and CP-SAT's search of the LP's support stayed at 516.

Here each day's counts are chosen again, with the other days' fixed, by a small MIP
(HiGHS) over the counts the LP uses that day: the fewest shifts that cover the day's
slots, under the rules' limits at the headcount held (W's cuts that involve the day, the
other days' shifts being constants). A sweep over the days takes W to within an agent or
so of the LP; then the headcount held is lowered by one and the days (and pairs of days)
of each cut over it are solved again under the lower limit, until a cut cannot be
brought under it or the LP's bound is reached. The counts are then completed into a
solution of the whole plan model by CP-SAT with them fixed, which also checks the rules
not modelled here (weekly hours): None when they fail.

Measured on 13 cyclic weeks at peak 200 (LP 504.6, so at least 505 agents): the sweep
gave 506 agents in 1.1-1.4 s, the lowering 505 in 0.1 s more, 2 s in all with the
completion (the LP itself takes 24 s); the plan had been 516 after 75 s. On a seeded
fortnight (tests/engine/test_plan_round.py) the LP's 68.1 agents rounded up need 71, the
sweep 69.
"""

from __future__ import annotations

import logging
import math
import time
from collections import defaultdict

import highspy
import numpy as np
from scheduler.engine.sat import cp_model

from scheduler.engine.cpsat import run_cp_sat
from scheduler.engine.highs import _quiet_highs
from scheduler.engine.plan import PlanModel
from scheduler.engine.stopping import StopSignal

log = logging.getLogger(__name__)

SWEEPS = 1
"""Sweeps over every day before the headcount held is lowered (on 13 cyclic weeks a
second one gained nothing)."""
DAY_SECONDS = 2.0
"""The most one day's (or pair's) MIP may take."""


def applies(pm: PlanModel) -> bool:
    """Whether the plan is one pool's headcount with every slot covered: the objective is
    the agents alone, no overtime extensions, no queue split, no understaffing."""
    objective = pm.model.proto.objective
    heads = {pm.agents.index, *(v.index for v in pm.pool_agents)}
    return (len(pm.pools) == 1 and not pm.ext and pm.split is None
            and all(s is None for s in pm.short) and len(objective.vars) > 0
            and set(objective.vars) <= heads and all(c > 0 for c in objective.coeffs)
            and pm.pools[0].rules.min_weekly_paid_hours == 0)


class _Days:
    """The plan's counts by day, with what the headcount's cuts need of them."""

    def __init__(self, pm: PlanModel, lp_values: list[float]):
        view = pm.pools[0]
        self.view = view
        self.days = list(view.shift_days)
        self.required = np.array(view.required, dtype=float)
        self.lp = np.asarray(lp_values, dtype=float)
        self.count = np.zeros(len(lp_values), dtype=np.int64)
        rows: dict[int, list] = defaultdict(list)
        for (_, d, k), var in pm.n.items():
            if self.lp[var.index] > 1e-6:  # no other count is ever raised
                rows[d].append((var.index, k))
        options = view.options
        self.index: dict[int, np.ndarray] = {}  # day -> its count variables
        self.slots: dict[int, list[np.ndarray]] = {}
        self.ends: dict[int, np.ndarray] = {}  # minutes from the horizon's start
        self.starts: dict[int, np.ndarray] = {}
        for d in self.days:
            items = rows.get(d, [])
            self.index[d] = np.array([i for i, _ in items], dtype=np.int64)
            self.slots[d] = [np.array(view.covered(d, options[k]), dtype=np.int64)
                             for _, k in items]
            self.ends[d] = np.array([d * 1440 + options[k].end_minute for _, k in items],
                                    dtype=np.int64)
            self.starts[d] = np.array([d * 1440 + options[k].start_minute for _, k in items],
                                      dtype=np.int64)
            self.count[self.index[d]] = np.ceil(self.lp[self.index[d]] - 1e-6)
        self.covered = sum((self._cover(d) for d in self.days), np.zeros(len(self.required)))
        rules = view.rules
        self.windows: list[tuple[list[int], int]] = []  # (days, shifts per agent in them)
        if rules.max_days_per_week < 7:
            self.windows += [(w, rules.max_days_per_week) for w in view.day_windows(7)]
        m = rules.max_consecutive_days
        if m is not None and m < len(self.days) + (7 if view.cyclic else 0):
            self.windows += [(w, m) for w in view.day_windows(m + 1)]
        self.in_windows: dict[int, list[int]] = defaultdict(list)
        for w, (days, _) in enumerate(self.windows):
            for d in set(days):
                self.in_windows[d].append(w)
        self.rest = round(rules.min_rest_hours * 60)
        self.pairs = list(zip(self.days, self.days[1:]))
        if view.cyclic and len(self.days) > 1:
            self.pairs.append((self.days[-1], self.days[0]))

    def total(self, d: int) -> int:
        return int(self.count[self.index[d]].sum())

    def _cover(self, d: int) -> np.ndarray:
        """The agents on duty per slot from day d's shifts."""
        covered = np.zeros(len(self.required))
        counts = self.count[self.index[d]]
        for p in np.nonzero(counts)[0]:
            covered[self.slots[d][p]] += counts[p]
        return covered

    def _early_starts(self, d: int, e: int) -> np.ndarray:
        """Day e's start minutes on day d's clock (the wrap's day after the last)."""
        return self.starts[e] + (self.view.days * 1440 if e < d else 0)

    def rest_values(self, d: int, e: int) -> np.ndarray:
        """Per end time E of day d's options, the shifts of d ending at E or later plus
        those of e starting before E + rest (each a rest cut of the plan)."""
        if self.rest <= 0 or not len(self.ends[d]):
            return np.zeros(0, dtype=np.int64)
        ends, late_c = self.ends[d], self.count[self.index[d]]
        order = np.argsort(ends)
        ends_sorted, late_sorted = ends[order], late_c[order]
        cuts = np.unique(ends)
        # shifts ending at E or later: a suffix sum
        suffix = np.concatenate([np.cumsum(late_sorted[::-1])[::-1], [0]])
        late = suffix[np.searchsorted(ends_sorted, cuts, side="left")]
        starts = self._early_starts(d, e)
        order = np.argsort(starts)
        starts_sorted, early_c = starts[order], self.count[self.index[e]][order]
        prefix = np.concatenate([[0], np.cumsum(early_c)])
        early = prefix[np.searchsorted(starts_sorted, cuts + self.rest, side="left")]
        return late + early

    def headcount(self) -> int:
        """The least W the plan's cuts allow for the counts in hand."""
        totals = {d: self.total(d) for d in self.days}
        w = max(totals.values(), default=0)
        for days, per in self.windows:
            w = max(w, math.ceil(sum(totals[d] for d in days) / per))
        for d, e in self.pairs:
            values = self.rest_values(d, e)
            if len(values):
                w = max(w, int(values.max()))
        return w

    def over(self, held: int) -> list[tuple[int, ...]]:
        """The days of each cut above `held` agents: single days, windows, rest pairs."""
        totals = {d: self.total(d) for d in self.days}
        out = [(d,) for d in self.days if totals[d] > held]
        out += [tuple(sorted(set(days))) for days, per in self.windows
                if sum(totals[d] for d in days) > per * held]
        for d, e in self.pairs:
            values = self.rest_values(d, e)
            if len(values) and values.max() > held:
                out.append((d, e))
        return list(dict.fromkeys(out))

    def solve(self, free: list[int], held: int, seconds: float) -> bool:
        """The fewest shifts on the days `free` (the others fixed) that cover their slots
        under every cut at `held` agents; the counts are replaced when found."""
        free_set = set(free)
        covered = self.covered - sum(self._cover(d) for d in free)
        use: list[tuple[int, int, int]] = []  # (variable, day, position in the day)
        for d in free:
            for p, i in enumerate(self.index[d]):
                use.append((int(i), d, p))
        m = len(use)
        if not m:
            return False
        h = _quiet_highs()
        h.setOptionValue("threads", 1)
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue("time_limit", max(0.05, seconds))
        h.addVars(m, np.zeros(m), np.full(m, highspy.kHighsInf))
        h.changeColsCost(m, np.arange(m, dtype=np.int32), np.ones(m))
        h.changeColsIntegrality(m, np.arange(m, dtype=np.int32),
                                np.full(m, highspy.HighsVarType.kInteger))
        inf = highspy.kHighsInf

        def row(lo: float, hi: float, cols) -> None:
            cols = np.asarray(cols, dtype=np.int32)
            h.addRow(lo, hi, len(cols), cols, np.ones(len(cols)))

        by_slot: dict[int, list[int]] = defaultdict(list)
        for j, (_, d, p) in enumerate(use):
            for s in self.slots[d][p]:
                by_slot[int(s)].append(j)
        for s, cols in by_slot.items():
            need = self.required[s] - covered[s]
            if need > 0:
                row(float(need), inf, cols)
        day_cols = {d: [j for j, u in enumerate(use) if u[1] == d] for d in free}
        totals = {d: self.total(d) for d in self.days}
        for d in free:
            row(-inf, float(held), day_cols[d])
        for w in sorted({w for d in free for w in self.in_windows[d]}):
            days, per = self.windows[w]
            fixed = sum(totals[d] for d in days if d not in free_set)
            row(-inf, float(per * held - fixed), [j for d in set(days) & free_set
                                                   for j in day_cols[d]])
        if self.rest > 0:
            for d, e in self.pairs:
                if d in free_set or e in free_set:
                    self._rest_rows(d, e, free_set, use, held, row)
        h.run()
        if h.getInfo().primal_solution_status != 2:  # no feasible solution
            return False
        x = np.round(np.asarray(h.getSolution().col_value)).astype(np.int64)
        for d in free:
            self.count[self.index[d]] = 0
        for j, (i, _, _) in enumerate(use):
            self.count[i] = x[j]
        self.covered = covered + sum(self._cover(d) for d in free)
        return True

    def _rest_rows(self, d: int, e: int, free: set[int], use, held: int, row) -> None:
        """The rest cuts of days d, e with a free day among them, at `held` agents."""
        inf = highspy.kHighsInf
        late_cols = [(j, self.ends[d][p]) for j, (_, day, p) in enumerate(use) if day == d]
        starts = self._early_starts(d, e)
        early_cols = [(j, starts[p]) for j, (_, day, p) in enumerate(use) if day == e]
        late_fixed = early_fixed = None
        if d not in free:
            late_fixed = (self.ends[d], self.count[self.index[d]])
        if e not in free:
            early_fixed = (starts, self.count[self.index[e]])
        for cut in np.unique(self.ends[d]):
            cols = [j for j, t in late_cols if t >= cut]
            cols += [j for j, t in early_cols if t < cut + self.rest]
            fixed = 0
            if late_fixed is not None:
                fixed += int(late_fixed[1][late_fixed[0] >= cut].sum())
            if early_fixed is not None:
                fixed += int(early_fixed[1][early_fixed[0] < cut + self.rest].sum())
            if cols:
                row(-inf, float(held - fixed), cols)


def rounded_plan(pm: PlanModel, lp_values: list[float], floor: float, seconds: float,
                 params: dict, stop: StopSignal | None = None) -> tuple[list[int], float] | None:
    """(every model variable's value, objective) of a plan rounded from the LP's values
    day by day (see the module's docstring), or None. `floor` is the least objective an
    integer plan can have (the LP's rounded up): the search ends there."""
    deadline = time.monotonic() + seconds
    started = time.monotonic()
    plan = _Days(pm, lp_values)
    weight = sum(pm.model.proto.objective.coeffs)  # the objective per agent
    lowest = math.ceil(floor / weight - 1e-9) if weight > 0 else 0

    def left() -> float:
        return deadline - time.monotonic()

    def halted() -> bool:
        return left() < 0.2 or (stop is not None and stop.is_set())

    held = plan.headcount()
    for _ in range(SWEEPS):
        for d in plan.days:
            if halted():
                return None
            plan.solve([d], held, min(DAY_SECONDS, left()))
        held = plan.headcount()
    log.debug("rounded plan: %d agents after %d sweeps in %.1f s", held, SWEEPS,
              time.monotonic() - started)
    best = plan.count.copy()
    while held > lowest and not halted():
        target = held - 1
        for cut in plan.over(target):
            # each day of the cut alone, then pairs of neighbours, until it is under
            for free in [[d] for d in cut] + [list(cut[j: j + 2]) for j in range(len(cut) - 1)]:
                if halted() or cut not in plan.over(target):
                    break
                plan.solve(free, target, min(DAY_SECONDS, left()))
            if cut in plan.over(target):
                break
        if halted() or plan.headcount() > target:
            break
        held = target
        best = plan.count.copy()
        log.debug("rounded plan: %d agents after %.1f s", held, time.monotonic() - started)
    return _complete(pm, best, max(0.5, left()), params, stop)


def _complete(pm: PlanModel, counts: np.ndarray, seconds: float, params: dict,
              stop: StopSignal | None) -> tuple[list[int], float] | None:
    """Every variable of the plan model with the counts fixed (CP-SAT's presolve settles
    the rest), or None when the rules not modelled here fail."""
    model = pm.model.clone()
    model.clear_hints()
    for var in pm.n.values():
        c = int(counts[var.index])
        domain = model.proto.variables[var.index].domain
        if len(domain) != 2 or not domain[0] <= c <= domain[1]:
            return None
        domain[0], domain[1] = c, c
    solver, status = run_cp_sat(model, params, seconds, stop=stop)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        log.debug("rounded plan: not completed (%s)", solver.status_name(status))
        return None
    return list(solver.response_proto.solution), float(solver.objective_value)
