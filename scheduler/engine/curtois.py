"""CP-SAT model of the Curtois and Qu (2014) rostering instances.

One Boolean per (employee, day, shift type) the employee may work that day (no variable
on a day off or for a type whose cap is 0), and one "works that day" literal per
(employee, day). Each hard rule is one function that adds its constraints; each soft
term is one function that returns its penalty terms (integer coefficients). The model is
symmetry-free in the sense that matters here: employees are named and differ in their
requests, so there is nothing to break.

The search (scheduler.engine.curtois_search) builds the model once and solves it with
hints and large neighbourhoods."""

from __future__ import annotations

from dataclasses import dataclass, field

from scheduler.engine.sat import cp_model

from scheduler.datasets.curtois import CurtoisInstance

Var = cp_model.IntVar


@dataclass
class CurtoisVars:
    """The decision variables: x[e, d, s] (employee index, day, shift index) and
    works[e, d]."""

    model: cp_model.CpModel
    inst: CurtoisInstance
    x: dict[tuple[int, int, int], Var] = field(default_factory=dict)
    works: dict[tuple[int, int], Var] = field(default_factory=dict)
    constant: int = 0
    """Objective constant (the weight of every on-request, given back when granted)."""

    def shifts_of(self, e: int, d: int) -> list[Var]:
        return [self.x[e, d, s] for s in range(len(self.inst.shifts)) if (e, d, s) in self.x]

    def worked(self, e: int, d: int):
        """The 'works on day d' literal, or None outside the horizon / on a fixed day off
        (both count as off)."""
        return self.works.get((e, d))


def add_variables(model: cp_model.CpModel, inst: CurtoisInstance) -> CurtoisVars:
    v = CurtoisVars(model, inst)
    for e, person in enumerate(inst.staff):
        caps = dict(person.max_shifts)
        for d in range(inst.days):
            if d in person.days_off:
                continue
            for s, shift in enumerate(inst.shifts):
                if caps[shift.id] > 0:
                    v.x[e, d, s] = model.new_bool_var(f"x_{person.id}_{d}_{shift.id}")
            day = v.shifts_of(e, d)
            if day:
                w = model.new_bool_var(f"w_{person.id}_{d}")
                model.add(sum(day) == w)  # rule 1: at most one shift a day
                v.works[e, d] = w
    return v


# ---------------------------------------------------------------- hard rules, one each


def add_cannot_follow(v: CurtoisVars) -> None:
    index = {s.id: i for i, s in enumerate(v.inst.shifts)}
    for e in range(len(v.inst.staff)):
        for d in range(v.inst.days - 1):
            for s, shift in enumerate(v.inst.shifts):
                if (e, d, s) not in v.x:
                    continue
                banned = [v.x[e, d + 1, index[t]] for t in shift.cannot_follow
                          if (e, d + 1, index[t]) in v.x]
                if banned:
                    v.model.add(v.x[e, d, s] + sum(banned) <= 1)


def add_max_shifts(v: CurtoisVars) -> None:
    for e, person in enumerate(v.inst.staff):
        for s, (sid, cap) in enumerate(person.max_shifts):
            terms = [v.x[e, d, s] for d in range(v.inst.days) if (e, d, s) in v.x]
            if len(terms) > cap:
                v.model.add(sum(terms) <= cap)


def add_total_minutes(v: CurtoisVars) -> None:
    lengths = [s.length_minutes for s in v.inst.shifts]
    for e, person in enumerate(v.inst.staff):
        total = sum(lengths[s] * var for (e2, _, s), var in v.x.items() if e2 == e)
        v.model.add_linear_constraint(total, person.min_total_minutes,
                                      person.max_total_minutes)


def _window(v: CurtoisVars, e: int, days: range) -> list[Var]:
    return [w for d in days if (w := v.worked(e, d)) is not None]


def add_max_consecutive_shifts(v: CurtoisVars) -> None:
    for e, person in enumerate(v.inst.staff):
        k = person.max_consecutive_shifts
        for start in range(v.inst.days - k):
            terms = _window(v, e, range(start, start + k + 1))
            if len(terms) > k:
                v.model.add(sum(terms) <= k)


def _min_runs(v: CurtoisVars, e: int, k: int, working: bool) -> None:
    """Forbid a run of working days (or of days off) shorter than k that touches neither
    border: for every length 1..k-1 and every place the pattern off/on^len/off (or its
    opposite) fits inside the horizon, one clause."""
    days = v.inst.days

    def lit(d: int, on: bool):
        """A literal true when day d is (on ? worked : off); None when it cannot be."""
        w = v.worked(e, d)
        if w is None:
            return None if on else True
        return w if on else w.Not()

    for length in range(1, k):
        for first in range(1, days - length):
            # forbidden: before and after are the opposite of `working`, the run is `working`
            clause = []
            trivially_true = False
            for d, on in [(first - 1, not working), (first + length, not working)] + [
                    (d, working) for d in range(first, first + length)]:
                literal = lit(d, on)
                if literal is None:  # the pattern cannot occur
                    trivially_true = True
                    break
                if literal is True:
                    continue
                clause.append(literal.Not())
            if not trivially_true:
                if not clause:
                    raise ValueError("fixed days off force a too-short run")
                v.model.add_bool_or(clause)


def add_min_consecutive_shifts(v: CurtoisVars) -> None:
    for e, person in enumerate(v.inst.staff):
        _min_runs(v, e, person.min_consecutive_shifts, working=True)


def add_min_consecutive_days_off(v: CurtoisVars) -> None:
    for e, person in enumerate(v.inst.staff):
        _min_runs(v, e, person.min_consecutive_days_off, working=False)


def add_max_weekends(v: CurtoisVars) -> None:
    for e, person in enumerate(v.inst.staff):
        worked = []
        for sat, sun in v.inst.weekends:
            days = _window(v, e, range(sat, sun + 1))
            if not days:
                continue
            wk = v.model.new_bool_var(f"wk_{person.id}_{sat}")
            v.model.add_max_equality(wk, days)
            worked.append(wk)
        if len(worked) > person.max_weekends:
            v.model.add(sum(worked) <= person.max_weekends)


HARD_RULES = (add_cannot_follow, add_max_shifts, add_total_minutes, add_max_consecutive_shifts,
              add_min_consecutive_shifts, add_min_consecutive_days_off, add_max_weekends)


# ---------------------------------------------------------------- soft terms


def request_terms(v: CurtoisVars) -> list:
    staff = {p.id: e for e, p in enumerate(v.inst.staff)}
    shift = {s.id: i for i, s in enumerate(v.inst.shifts)}
    terms = []
    for r in v.inst.on_requests:
        v.constant += r.weight
        key = (staff[r.employee], r.day, shift[r.shift])
        if key in v.x:
            terms.append(-r.weight * v.x[key])
    for r in v.inst.off_requests:
        key = (staff[r.employee], r.day, shift[r.shift])
        if key in v.x:
            terms.append(r.weight * v.x[key])
    return terms


def cover_terms(v: CurtoisVars) -> list:
    shift = {s.id: i for i, s in enumerate(v.inst.shifts)}
    terms = []
    for c in v.inst.cover:
        s = shift[c.shift]
        people = [v.x[e, c.day, s] for e in range(len(v.inst.staff)) if (e, c.day, s) in v.x]
        n = len(people)
        under = v.model.new_int_var(0, c.requirement, f"under_{c.day}_{c.shift}")
        over = v.model.new_int_var(0, max(0, n - c.requirement), f"over_{c.day}_{c.shift}")
        v.model.add(sum(people) - c.requirement == over - under)
        terms += [c.weight_under * under, c.weight_over * over]
    return terms


def build(inst: CurtoisInstance) -> CurtoisVars:
    """The whole model, objective included (minimise; add `v.constant` for the value)."""
    model = cp_model.CpModel()
    v = add_variables(model, inst)
    for rule in HARD_RULES:
        rule(v)
    model.minimize(sum(request_terms(v)) + sum(cover_terms(v)))
    return v

