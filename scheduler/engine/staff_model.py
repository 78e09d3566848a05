"""The CP-SAT model of one pool's named roster: a boolean x[p, i, c] for each person p,
day index i and planned shift class c the person may work; one small function per rule,
each adding its constraints and returning its penalty terms (coefficient, expression).

The planned shifts are placed exactly (the plan covers the slots); open hires take what
the named people cannot. The goals are lexicographic in two solves: first the fewest
hires, then, with the hires capped there, one weighted sum in points x 6000 (so that every
term is an integer): wishes not honoured, each pool's largest count per person of nights,
weekends, holidays and late finishes, and the distance of weekly hours to contracts."""

from __future__ import annotations

from dataclasses import dataclass, field

from scheduler.engine.sat import cp_model

from scheduler.engine.instance import Instance
from scheduler.engine.roster import DayClasses, rest_conflicts
from scheduler.engine.staff_data import FIGURES, ClassInfo, PersonData
from scheduler.models.staff import StaffWeights

UNIT = 6000
"""Objective units per point (60 minutes x 100 hundredths of a weight)."""

Terms = list[tuple[int, object]]

HIRE_WEIGHT = 1000
"""A hire in the first solve, against 1 per shift a hire works."""


@dataclass
class StaffModel:
    """The model, its variables and the data they stand for."""

    view: Instance
    days: list[DayClasses]
    infos: list[list[ClassInfo]]
    people: list[PersonData]
    required: list[int]
    """Per horizon slot, what this pool's people must cover (slot cover only)."""
    model: cp_model.CpModel = field(default_factory=lambda: cp_model.CpModel())
    x: dict[tuple[int, int, int], cp_model.IntVar] = field(default_factory=dict)
    works: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    """(person, day index) -> 1 when the person works that day."""
    used: dict[int, cp_model.IntVar] = field(default_factory=dict)
    """Open hires: person -> 1 when the hire works at all."""
    placements: dict[tuple[int, int, int], cp_model.IntVar] = field(default_factory=dict)
    """(day index, class, option) -> shifts of the class worked with that option's break
    placement (slot cover only)."""
    hire_terms: Terms = field(default_factory=list)
    goal_terms: Terms = field(default_factory=list)
    """Wishes, fairness and contract hours: (coefficient, expression)."""
    slot_cover: bool | None = None
    """Whether the model covers slot by slot (placements, `required`): None as
    covers_slots decides; True for a caller that adds its own cover to the placements
    (the re-plan's per-queue cover, engine/replan_queues.py)."""

    def day_vars(self, p: int, i: int) -> list[tuple[int, cp_model.IntVar]]:
        return [(c, self.x[(p, i, c)]) for c in self.people[p].eligible[i]]

    def index_of(self, day: int) -> int:
        return self._index[day]

    def __post_init__(self) -> None:
        self._index = {dc.day: i for i, dc in enumerate(self.days)}


def variables(m: StaffModel) -> None:
    """x for each eligible (person, day, class) and `works` for each person-day."""
    for p, person in enumerate(m.people):
        for i, classes in enumerate(person.eligible):
            row = []
            for c in classes:
                var = m.model.new_bool_var(f"x_{p}_{i}_{c}")
                m.x[(p, i, c)] = var
                row.append(var)
            w = m.model.new_bool_var(f"w_{p}_{i}")
            m.model.add(sum(row) == w)  # one shift a day at most
            m.works[(p, i)] = w


def _takers(m: StaffModel, i: int, c: int) -> list:
    return [m.x[(p, i, c)] for p in range(len(m.people)) if (p, i, c) in m.x]


def covers_slots(m: StaffModel) -> bool:
    """Whether the model covers the requirement slot by slot (the plan's classes as the
    shifts on offer) rather than working the planned shifts: not when queues are split
    (the plan's allocation holds the queues) or short slots are allowed."""
    if m.slot_cover is not None:
        return m.slot_cover
    sc = m.view.scenario
    return not sc.splits_queues and not sc.coverage.allow_understaffing


def coverage(m: StaffModel) -> Terms:
    """Each slot's requirement met by the people on duty. The plan's classes are the
    shifts on offer each day; integer counts per break placement say how many of a
    class's shifts take each placement. Each shift costs a point (fewer shifts when the
    plan had more than the cover needs). Without slot cover (covers_slots), every
    planned shift is worked, named people adding more of the day's classes where they
    must reach their weekly minimum."""
    terms: Terms = []
    if not covers_slots(m):
        for i, dc in enumerate(m.days):
            for c, count in enumerate(dc.counts):
                takers = _takers(m, i, c)
                hired = [m.x[(p, i, c)] for p in range(len(m.people))
                         if (p, i, c) in m.x and m.people[p].hire]
                m.model.add(sum(takers) >= count)
                if hired:  # hires work planned shifts only
                    m.model.add(sum(hired) <= count)
                terms.append((UNIT, sum(takers) - count))
        return terms
    view = m.view
    on_duty: dict[int, list] = {}
    for i, dc in enumerate(m.days):
        for c, placements in enumerate(dc.options):
            takers = _takers(m, i, c)
            if not takers:
                continue
            counts = []
            for k, _ in placements:
                n = m.model.new_int_var(0, len(takers), f"n_{i}_{k}")
                m.placements[(i, c, k)] = n
                counts.append(n)
                for t in view.covered(dc.day, view.options[k]):
                    on_duty.setdefault(t, []).append(n)
            m.model.add(sum(counts) == sum(takers))
            terms.append((UNIT, sum(takers)))
    for t, need in enumerate(m.required):
        if need > 0:
            m.model.add(sum(on_duty.get(t, [])) >= need)
    return terms


def hires(m: StaffModel, weight: int) -> Terms:
    """Open hires are used in order (no symmetric rosters); each used one costs `weight`,
    each of their shifts one (a gradient the search can follow: a hire is shed shift by
    shift)."""
    open_ = [p for p, person in enumerate(m.people) if person.hire]
    for n, p in enumerate(open_):
        u = m.model.new_bool_var(f"used_{p}")
        m.used[p] = u
        for i in range(len(m.days)):
            m.model.add_implication(m.works[(p, i)], u)
        if n:
            m.model.add_implication(u, m.used[open_[n - 1]])
    terms: Terms = [(weight, u) for u in m.used.values()]
    terms += [(1, m.works[(p, i)]) for p in open_ for i in range(len(m.days))]
    return terms


def rest(m: StaffModel) -> Terms:
    """min_rest_hours between one shift's end and the next one's start: a shift and any
    shift of a later day that starts too soon after it are not both worked."""
    for i, c, j, bad in rest_conflicts(m.view, m.days):
        for p, person in enumerate(m.people):
            if c not in person.eligible[i]:
                continue
            later = [m.x[(p, j, c2)] for c2 in bad if (p, j, c2) in m.x]
            if later:
                m.model.add(m.x[(p, i, c)] + sum(later) <= 1)
    return []


def working_days(m: StaffModel) -> Terms:
    """max_days_per_week in every 7-day window, max_consecutive_days."""
    rules = m.view.rules
    limits = []
    if rules.max_days_per_week < 7:
        limits.append((7, rules.max_days_per_week))
    if rules.max_consecutive_days is not None:
        limits.append((rules.max_consecutive_days + 1, rules.max_consecutive_days))
    for length, most in limits:
        windows = m.view.day_windows(length)
        if len(windows[0]) != length and length != 7:
            continue
        for window in windows:
            idx = [m.index_of(d) for d in window]
            for p in range(len(m.people)):
                m.model.add(sum(m.works[(p, i)] for i in idx) <= most)
    return []


def _paid(m: StaffModel, p: int, idx: list[int], overtime: bool = False):
    key = "overtime_minutes" if overtime else "contract_minutes"
    return sum(getattr(m.infos[i][c], key) * var for i in idx for c, var in m.day_vars(p, i))


def weekly_hours(m: StaffModel) -> Terms:
    """Each week's paid minutes within the person's (or the pool's) range; hires' lower
    limit only when they work at all."""
    for b, (block_days, _) in enumerate(m.view.week_blocks()):
        idx = [m.index_of(d) for d in block_days]
        for p, person in enumerate(m.people):
            total = _paid(m, p, idx)
            hi, lo = person.week_max_minutes[b], person.week_min_minutes[b]
            if hi is not None:
                m.model.add(total <= hi)
            if lo > 0:
                m.model.add(total >= lo * m.used[p] if person.hire else total >= lo)
    return []


def periods(view: Instance, period: str) -> list[list[int]]:
    """Horizon days grouped by calendar month or quarter."""
    groups: dict[tuple[int, int], list[int]] = {}
    for d in range(view.days):
        date = view.date(d)
        part = date.month if period == "month" else (date.month - 1) // 3
        groups.setdefault((date.year, part), []).append(d)
    return [days for _, days in sorted(groups.items())]


def comprehensive_hours(m: StaffModel) -> Terms:
    """The pool's comprehensive working-hours system: average weekly paid minutes over
    each month or quarter at most the cap (days of the period in the horizon / 7)."""
    pool = m.view.pool
    rule = pool.comprehensive_hours_system if pool is not None else None
    if rule is None:
        return []
    for days in periods(m.view, rule.period):
        cap = int(rule.max_average_weekly_hours * 60 * len(days) // 7)
        idx = [m.index_of(d) for d in days]
        for p, person in enumerate(m.people):
            if not person.hire:
                m.model.add(_paid(m, p, idx) <= cap)
    return []


def monthly_overtime(m: StaffModel) -> Terms:
    cap = m.view.max_monthly_overtime_minutes
    if cap is None:
        return []
    for month_days in m.view.month_blocks():
        idx = [m.index_of(d) for d in month_days]
        for p in range(len(m.people)):
            m.model.add(_paid(m, p, idx, overtime=True) <= cap)
    return []


def _start(m: StaffModel, p: int, i: int):
    return sum(m.infos[i][c].start_minute * var for c, var in m.day_vars(p, i))


def start_variation(m: StaffModel) -> Terms:
    """Within each week block, a person's starts lie within a window of the allowed
    variation: lo <= start <= lo + variation on every day worked."""
    for b, (block_days, _) in enumerate(m.view.week_blocks()):
        idx = [m.index_of(d) for d in block_days]
        for p, person in enumerate(m.people):
            v = person.start_variation_minutes
            if v is None or person.hire:
                continue
            lo = m.model.new_int_var(-1440, 2 * 1440, f"lo_{p}_{b}")
            for i in idx:
                if not person.eligible[i]:
                    continue
                start = _start(m, p, i)
                w = m.works[(p, i)]
                m.model.add(start >= lo).only_enforce_if(w)
                m.model.add(start <= lo + v).only_enforce_if(w)
    return []


def forward_rotation(m: StaffModel) -> Terms:
    """On consecutive days worked, the second start is no earlier in the day."""
    pool = m.view.pool
    if pool is None or not pool.forward_rotation:
        return []
    for p, person in enumerate(m.people):
        if person.hire:
            continue
        for i in range(len(m.days) - 1):
            if m.days[i + 1].day != m.days[i].day + 1:
                continue
            if not person.eligible[i] or not person.eligible[i + 1]:
                continue
            m.model.add(_start(m, p, i + 1) >= _start(m, p, i)).only_enforce_if(
                [m.works[(p, i)], m.works[(p, i + 1)]])
    return []


def days_off_in_pairs(m: StaffModel) -> Terms:
    """Every full week block holds two consecutive days off."""
    pool = m.view.pool
    if pool is None or not pool.days_off_in_pairs:
        return []
    for b, (block_days, horizon_days) in enumerate(m.view.week_blocks()):
        if horizon_days < 7:
            continue
        idx = [m.index_of(d) for d in block_days if d >= 0]
        for p, person in enumerate(m.people):
            if person.hire:
                continue
            pairs = []
            for i, j in zip(idx, idx[1:]):
                both = m.model.new_bool_var(f"off2_{p}_{i}")
                m.model.add_implication(both, ~m.works[(p, i)])
                m.model.add_implication(both, ~m.works[(p, j)])
                pairs.append(both)
            m.model.add_bool_or(pairs)
    return []


def wishes(m: StaffModel, points: int) -> Terms:
    """Each wish not honoured on one of its days costs weight x points."""
    terms: Terms = []
    for p, person in enumerate(m.people):
        for req, covered in person.wishes:
            coef = round(req.weight * 100) * points * 60
            for i, classes in covered:
                matching = [m.x[(p, i, c)] for c in classes if (p, i, c) in m.x]
                if req.kind == "day_off":
                    terms.append((coef, m.works[(p, i)]))
                elif req.kind == "not_shift":
                    terms.extend((coef, var) for var in matching)
                else:  # shift: broken unless one of the matching classes is worked
                    terms.append((coef, 1 - sum(matching)))
    return terms


def fairness(m: StaffModel, points: int) -> Terms:
    """Per figure, the largest count over the named people costs points per shift."""
    if not points:
        return []
    terms: Terms = []
    named = [p for p, person in enumerate(m.people) if not person.hire]
    for figure in FIGURES:
        counts = []
        for p in named:
            vars_ = [var for i in range(len(m.days)) for c, var in m.day_vars(p, i)
                     if figure in m.infos[i][c].figures]
            if vars_:
                counts.append(sum(vars_))
        if not counts:
            continue
        top = m.model.new_int_var(0, len(m.days), f"most_{figure}")
        for count in counts:
            m.model.add(count <= top)
        terms.append((points * UNIT, top))
    return terms


def contract_hours(m: StaffModel, points: int) -> Terms:
    """Each minute a week's paid time is away from the contract costs points / 60."""
    if not points:
        return []
    terms: Terms = []
    for b, (block_days, _) in enumerate(m.view.week_blocks()):
        idx = [m.index_of(d) for d in block_days]
        for p, person in enumerate(m.people):
            if person.week_contract_minutes is None:
                continue
            target = person.week_contract_minutes[b]
            dev = m.model.new_int_var(0, 7 * 1440, f"dev_{p}_{b}")
            total = _paid(m, p, idx)
            m.model.add(dev >= total - target)
            m.model.add(dev >= target - total)
            terms.append((points * 100, dev))
    return terms


def build(view: Instance, days: list[DayClasses], infos: list[list[ClassInfo]],
          people: list[PersonData], weights: StaffWeights, required: list[int],
          slot_cover: bool | None = None) -> StaffModel:
    """The model with every rule, its hire terms and its goal terms (no objective set:
    the stage minimises the hires first, then the goals with the hires capped).
    `slot_cover`: StaffModel.slot_cover."""
    m = StaffModel(view, days, infos, people, required, slot_cover=slot_cover)
    variables(m)
    extra = coverage(m)
    m.hire_terms = hires(m, HIRE_WEIGHT)
    for rule in (rest, working_days, weekly_hours, comprehensive_hours, monthly_overtime,
                 start_variation, forward_rotation, days_off_in_pairs):
        rule(m)  # the hard rules add no penalty terms
    m.goal_terms = extra + wishes(m, weights.wish) + fairness(m, weights.fairness) \
        + contract_hours(m, weights.contract_hours)
    return m
