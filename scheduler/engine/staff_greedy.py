"""A first named roster built shift by shift, handed to CP-SAT as its hint: each planned
shift, day by day, goes to the person who may take it under the rules and needs hours
most (named people before open hires, wishes respected where there is a choice); then
people below their weekly minimum take extra shifts of the day's classes where the rules
allow. It may leave rules it does not track (two days off in a row) to the model."""

from __future__ import annotations

from scheduler.engine.roster import rest_conflicts
from scheduler.engine.staff_model import StaffModel, periods


class _Person:
    def __init__(self, m: StaffModel, p: int):
        self.p = p
        self.data = m.people[p]
        self.shifts: dict[int, int] = {}  # day index -> class
        self.block_minutes = [0] * len(m.view.week_blocks())
        self.period_minutes: dict[int, int] = {}
        self.month_overtime: dict[int, int] = {}


class Greedy:
    def __init__(self, m: StaffModel):
        self.m = m
        view = m.view
        self.rules = view.rules
        self.block_of = {}
        for b, (block_days, _) in enumerate(view.week_blocks()):
            for d in block_days:
                self.block_of[m.index_of(d)] = b
        self.month_of = {}
        for n, month_days in enumerate(view.month_blocks()):
            for d in month_days:
                self.month_of[m.index_of(d)] = n
        pool = view.pool
        self.comprehensive = pool.comprehensive_hours_system if pool is not None else None
        self.period_of: dict[int, int] = {}
        self.period_cap: dict[int, int] = {}
        if self.comprehensive is not None:
            for n, days in enumerate(periods(view, self.comprehensive.period)):
                self.period_cap[n] = int(self.comprehensive.max_average_weekly_hours * 60
                                         * len(days) // 7)
                for d in days:
                    self.period_of[m.index_of(d)] = n
        self.forward = pool is not None and pool.forward_rotation
        self.pairs: dict[int, list[int]] = {}  # day index -> its full week's day indices
        if pool is not None and pool.days_off_in_pairs:
            for block_days, horizon_days in view.week_blocks():
                if horizon_days == 7:
                    idx = [m.index_of(d) for d in block_days if d >= 0]
                    for i in idx:
                        self.pairs[i] = idx
        self.ot_cap = view.max_monthly_overtime_minutes
        self.conflicts: dict[tuple[int, int], set[tuple[int, int]]] = {}
        for i, c, j, bad in rest_conflicts(view, m.days):
            for c2 in bad:
                self.conflicts.setdefault((i, c), set()).add((j, c2))
                self.conflicts.setdefault((j, c2), set()).add((i, c))
        self.windows: list[tuple[list[int], int]] = []
        if self.rules.max_days_per_week < 7:
            for w in view.day_windows(7):
                self.windows.append(([m.index_of(d) for d in w], self.rules.max_days_per_week))
        mc = self.rules.max_consecutive_days
        if mc is not None:
            for w in view.day_windows(mc + 1):
                if len(w) == mc + 1:
                    self.windows.append(([m.index_of(d) for d in w], mc))
        self.windows_of: dict[int, list[tuple[list[int], int]]] = {}
        for w, most in self.windows:
            for i in w:
                self.windows_of.setdefault(i, []).append((w, most))
        self.people = [_Person(m, p) for p in range(len(m.people))]
        self.off = self._days_off_patterns()
        self.patterns = True
        """Whether fits() keeps each named person's days-off pattern (a heuristic, not a
        rule: the pass that places what the patterns left drops it)."""
        self.band = self._start_bands()
        self.wish_cost: dict[tuple[int, int, int], int] = {}
        for p, person in enumerate(m.people):
            for req, covered in person.wishes:
                for i, classes in covered:
                    if req.kind == "day_off":
                        for c in person.eligible[i]:
                            self._wish(p, i, c, 1)
                    elif req.kind == "not_shift":
                        for c in classes:
                            self._wish(p, i, c, 1)
                    else:
                        for c in person.eligible[i]:
                            self._wish(p, i, c, 0 if c in classes else 1)

    def _days_off_patterns(self) -> dict[int, set[int]]:
        """Named person -> positions in the week (day % 7) kept off: 7 - max_days_per_week
        consecutive days each, the starts spread so that the people left on each day of
        the week follow the shifts planned on it (a greedy that fills days in order would
        otherwise use everyone up early in the week)."""
        m = self.m
        off_days = 7 - self.rules.max_days_per_week
        if off_days <= 0 or m.view.days < 7:
            return {}
        need = [0] * 7
        for dc in m.days:
            need[dc.day % 7] += sum(dc.counts)
        named = [w.p for w in self.people if not w.data.hire]
        working = [0.0] * 7
        out: dict[int, set[int]] = {}
        total = sum(need) or 1
        for p in named:
            def surplus(start: int) -> float:
                days = {(start + j) % 7 for j in range(off_days)}
                # the days this person would work: how far above their share of need
                return sum((working[d] + 1) / len(named) - need[d] / total * 7 / 7
                           for d in range(7) if d not in days)
            best = min(range(7), key=lambda start: (surplus(start), start))
            days = {(best + j) % 7 for j in range(off_days)}
            out[p] = days
            for d in range(7):
                if d not in days:
                    working[d] += 1
        return out

    def _start_bands(self) -> dict[int, tuple[int, int]]:
        """Named person with a start-variation limit -> the window their starts keep to:
        the people spread over the planned starts (person j of n centred on the (j +
        1/2) / n quantile), so that early, middle and late shifts each have their crew
        (a greedy that lets the first shift set each window leaves some times unmanned)."""
        m = self.m
        starts = sorted(info.start_minute for i, dc in enumerate(m.days)
                        for c, info in enumerate(m.infos[i]) for _ in range(dc.counts[c]))
        limited = [w for w in self.people
                   if not w.data.hire and w.data.start_variation_minutes is not None]
        out: dict[int, tuple[int, int]] = {}
        if not starts:
            return out
        for j, who in enumerate(limited):
            v = who.data.start_variation_minutes
            own = sorted({m.infos[i][c].start_minute for i, classes in
                          enumerate(who.data.eligible) for c in classes})
            if not own:
                continue
            centre = starts[min(len(starts) - 1, int((j + 0.5) / len(limited) * len(starts)))]
            # the window within the person's own starts nearest the centre
            near = min(own, key=lambda t: abs(t - centre))
            low = max(own[0], min(near - v // 2, own[-1] - v))
            out[who.p] = (low, low + v)
        return out

    def _wish(self, p: int, i: int, c: int, cost: int) -> None:
        self.wish_cost[(p, i, c)] = self.wish_cost.get((p, i, c), 0) + cost

    def fits(self, who: _Person, i: int, c: int) -> bool:
        m = self.m
        if i in who.shifts or c not in who.data.eligible[i]:
            return False
        if self.patterns and m.days[i].day % 7 in self.off.get(who.p, ()):
            return False
        band = self.band.get(who.p)
        if band is not None and not band[0] <= m.infos[i][c].start_minute <= band[1]:
            return False
        for other in self.conflicts.get((i, c), ()):
            if who.shifts.get(other[0]) == other[1]:
                return False
        for w, most in self.windows_of.get(i, ()):
            if sum(1 for j in w if j in who.shifts) + 1 > most:
                return False
        info = m.infos[i][c]
        b = self.block_of[i]
        hi = who.data.week_max_minutes[b]
        if hi is not None and who.block_minutes[b] + info.contract_minutes > hi:
            return False
        if not who.data.hire and self.comprehensive is not None:
            n = self.period_of.get(i)
            if n is not None and who.period_minutes.get(n, 0) + info.contract_minutes \
                    > self.period_cap[n]:
                return False
        if self.ot_cap is not None and info.overtime_minutes:
            n = self.month_of[i]
            if who.month_overtime.get(n, 0) + info.overtime_minutes > self.ot_cap:
                return False
        v = who.data.start_variation_minutes
        if v is not None and not who.data.hire:
            starts = [m.infos[j][k].start_minute for j, k in who.shifts.items()
                      if self.block_of[j] == b] + [info.start_minute]
            if max(starts) - min(starts) > v:
                return False
        week = self.pairs.get(i)
        if week is not None and not who.data.hire:
            after = set(who.shifts) | {i}
            if not any(a not in after and b not in after for a, b in zip(week, week[1:])):
                return False
        if self.forward and not who.data.hire:
            day = m.days[i].day
            for j, k in who.shifts.items():
                other = m.infos[j][k]
                if m.days[j].day == day - 1 and other.start_minute > info.start_minute:
                    return False
                if m.days[j].day == day + 1 and other.start_minute < info.start_minute:
                    return False
        return True

    def take(self, who: _Person, i: int, c: int) -> None:
        info = self.m.infos[i][c]
        who.shifts[i] = c
        who.block_minutes[self.block_of[i]] += info.contract_minutes
        n = self.period_of.get(i)
        if n is not None:
            who.period_minutes[n] = who.period_minutes.get(n, 0) + info.contract_minutes
        if info.overtime_minutes:
            n = self.month_of[i]
            who.month_overtime[n] = who.month_overtime.get(n, 0) + info.overtime_minutes

    def _need(self, who: _Person, i: int) -> int:
        b = self.block_of[i]
        return who.data.week_min_minutes[b] - who.block_minutes[b]

    def run(self) -> dict[int, dict[int, int]]:
        """person -> {day index: class}: every planned shift placed where anyone may
        take it (with slot cover, a shift whose slots are all covered already is left
        out), then extra shifts for people below their weekly minimum."""
        m = self.m
        view = m.view
        cover_slots = bool(m.placements)
        covered = [0] * len(m.required)
        self.option_of: dict[tuple[int, int], list[int]] = {}  # (day, class) -> options
        named = [w for w in self.people if not w.data.hire]
        hires = [w for w in self.people if w.data.hire]
        opened = 0
        placed: dict[tuple[int, int], int] = {}  # (day, class) -> planned shifts placed
        # first the named people alone, then hires for what is still uncovered (a hire
        # taken early would do work the named people could do later in the day); the
        # named people first within their days-off patterns, then on any day they may
        # work (leave and windows leave some with days the patterns keep off: a month of
        # 500 people gave 132 shifts to 25 hires without this pass)
        for with_hires, patterns in ((False, True), (False, False), (True, False)):
            self.patterns = patterns
            for i, dc in enumerate(m.days):
                order = sorted(range(len(dc.shapes)), key=lambda c: m.infos[i][c].start_minute)
                for c in order:
                    stack = [k for k, n in dc.options[c] for _ in range(n)]
                    for k in stack[placed.get((i, c), 0):]:
                        slots = view.covered(dc.day, view.options[k])
                        if cover_slots and all(covered[t] >= m.required[t] for t in slots):
                            continue
                        fit = [w for w in named if self.fits(w, i, c)]
                        if fit:
                            who = min(fit, key=lambda w: (self.wish_cost.get((w.p, i, c), 0),
                                                          -self._need(w, i), len(w.shifts)))
                        elif not with_hires:
                            continue
                        else:
                            who = next((w for w in hires[:opened] if self.fits(w, i, c)), None)
                            if who is None and opened < len(hires) \
                                    and self.fits(hires[opened], i, c):
                                who = hires[opened]
                                opened += 1
                            if who is None:
                                continue  # left to the model
                        self.take(who, i, c)
                        placed[(i, c)] = placed.get((i, c), 0) + 1
                        self.option_of.setdefault((i, c), []).append(k)
                        for t in slots:
                            covered[t] += 1
        self.uncovered = sum(max(0, r - v) for r, v in zip(m.required, covered)) \
            if cover_slots else 0
        for who in named:
            for i in range(len(m.days)):
                if self._need(who, i) <= 0 or i in who.shifts:
                    continue
                options = [c for c in who.data.eligible[i] if self.fits(who, i, c)
                           and not self.wish_cost.get((who.p, i, c), 0)]
                if options:
                    c = max(options, key=lambda c: m.infos[i][c].contract_minutes)
                    self.take(who, i, c)
                    self.option_of.setdefault((i, c), []).append(m.days[i].options[c][0][0])
        return {w.p: w.shifts for w in self.people if w.shifts}


def hint_greedy(m: StaffModel) -> int:
    """Set the model's hint to the greedy roster; returns what it leaves undone: planned
    shifts not placed, or with slot cover, agent-slots not covered (0: a whole roster)."""
    greedy = Greedy(m)
    roster = greedy.run()
    m.model.clear_hints()
    taken: dict[tuple[int, int], int] = {}
    for (p, i, c), var in m.x.items():
        on = roster.get(p, {}).get(i) == c
        taken[(i, c)] = taken.get((i, c), 0) + on
        m.model.add_hint(var, on)
    for (p, i), var in m.works.items():
        m.model.add_hint(var, i in roster.get(p, {}))
    for p, var in m.used.items():
        m.model.add_hint(var, p in roster)
    if m.placements:
        for (i, c, k), var in m.placements.items():
            m.model.add_hint(var, greedy.option_of.get((i, c), []).count(k))
        return greedy.uncovered
    return sum(max(0, count - taken.get((i, c), 0))
               for i, dc in enumerate(m.days) for c, count in enumerate(dc.counts))
