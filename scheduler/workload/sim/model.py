"""The inputs of the contact-centre simulation (docs/simulation.md): queues, agent groups
with their staffing or their agents' shifts, an optional daily busyness factor; and their
validation, which raises `scheduler.errors.InputErrors` naming every bad key path.

Units: volumes are expected contacts per slot (the forecast's unit, not a rate per
minute); handle times, patience and the answer-within time are in seconds; shift times
are minutes from the start of the horizon (slot 0 starts at minute 0).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from scheduler.errors import InputError, InputErrors


@dataclass(frozen=True)
class SimQueue:
    """One contact stream (a channel of one business line).

    `volume`: expected contacts arriving per slot, one value per slot (Poisson arrivals,
    constant rate within a slot). `aht_seconds`: mean handle time, one value or one per
    slot (by the contact's slot of arrival). Handle times are exponential, or lognormal
    with coefficient of variation `handle_cv` when given. `patience_seconds`: mean of the
    exponential patience, one value or one per slot; None (or inf) means contacts never
    abandon (Erlang C behaviour). `priority`: a freed agent serves the waiting contacts of
    its higher-priority queues first (larger number first). `service_level` and
    `answer_within_seconds`: the goal "X% answered within T seconds"."""

    name: str
    volume: Sequence[float]
    aht_seconds: float | Sequence[float]
    patience_seconds: float | Sequence[float] | None = None
    handle_cv: float | None = None
    priority: int = 0
    service_level: float = 0.8
    answer_within_seconds: float = 20.0


@dataclass(frozen=True)
class Shift:
    """One agent's time on duty: from `start_minute` to `end_minute` (None: until the
    centre is empty after the horizon), minus `breaks`, each a (start, end) pair in
    minutes inside the shift. An agent busy when a break or the shift end comes finishes
    the contact in hand first: the break is shortened (it still ends on time; skipped if
    the contact outlasts it), the shift end delayed."""

    start_minute: float
    end_minute: float | None
    breaks: Sequence[tuple[float, float]] = ()


@dataclass(frozen=True)
class AgentGroup:
    """Agents who serve the same queues.

    Give either `staffing` (agents on duty per slot, interchangeable; after the horizon
    the last slot's number stays until the centre is empty) or `shifts` (one per agent;
    an agent working several days has one group entry per shift, which only matters for
    the idle order). `serves`: the queues its agents take. `overflow_rank`: per served
    queue, the group's place in that queue's routing order (default 0: tried first; an
    arriving contact goes to rank 1 groups only when no agent of a rank 0 group is free).
    `handle_time_factor`: per served queue, multiplies the handle time of the contacts
    this group serves (0.8 = 20% faster)."""

    name: str
    serves: Sequence[str]
    staffing: Sequence[int] | None = None
    shifts: Sequence[Shift] | None = None
    overflow_rank: Mapping[str, int] = field(default_factory=dict)
    handle_time_factor: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Busyness:
    """A random factor B ~ Gamma(shape, rate) (mean shape/rate) drawn once per run that
    multiplies every queue's volume in that run (ContactCenters' daily busyness)."""

    shape: float
    rate: float


@dataclass(frozen=True)
class Centre:
    """What one simulated run covers: the queues, the agent groups, the slot length in
    minutes (the horizon is as many slots as the queues' volumes have) and an optional
    busyness factor."""

    queues: Sequence[SimQueue]
    groups: Sequence[AgentGroup]
    slot_minutes: float = 30.0
    busyness: Busyness | None = None

    @property
    def n_slots(self) -> int:
        first = self.queues[0].volume if self.queues else ()
        return len(first) if hasattr(first, "__len__") else 0


# ---------------------------------------------------------------- validation


def _finite(x) -> bool:
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def _per_slot(value, n_slots: int, key: str, errors: list, *, positive: bool,
              allow_inf: bool = False) -> None:
    """A scalar or one value per slot (a list, tuple or array), each > 0 (positive) or >= 0."""
    many = isinstance(value, (Sequence, np.ndarray)) and not isinstance(value, str)
    values = list(value) if many else [value]
    if many and len(values) != n_slots:
        errors.append(InputError(f"has {len(values)} values, expected one per slot ({n_slots})",
                                 key_path=key))
        return
    for i, v in enumerate(values):
        where = f"{key}[{i}]" if many else key
        try:
            v = float(v)
        except (TypeError, ValueError):
            errors.append(InputError(f"{v!r} is not a number", key_path=where))
            return
        if math.isnan(v) or (math.isinf(v) and not (allow_inf and v > 0)):
            errors.append(InputError(f"{v} is not a finite number", key_path=where))
            return
        if (v <= 0) if positive else (v < 0):
            errors.append(InputError(f"{v:g} must be {'positive' if positive else 'at least 0'}",
                                     key_path=where))
            return


def validate(centre: Centre) -> None:
    """Raise InputErrors listing every problem in `centre` (nothing when it is sound)."""
    errors: list[InputError] = []
    if not _finite(centre.slot_minutes) or centre.slot_minutes <= 0:
        errors.append(InputError(f"{centre.slot_minutes!r} must be a positive number of minutes",
                                 key_path="slot_minutes"))
    if not centre.queues:
        errors.append(InputError("at least one queue is needed", key_path="queues"))
    if not centre.groups:
        errors.append(InputError("at least one agent group is needed", key_path="groups"))
    if errors:
        raise InputErrors(errors)
    n_slots = centre.n_slots
    names: set[str] = set()
    for i, q in enumerate(centre.queues):
        key = f"queues[{i}]"
        if q.name in names:
            errors.append(InputError(f"queue {q.name!r} is named twice", key_path=f"{key}.name"))
        names.add(q.name)
        if not hasattr(q.volume, "__len__") or isinstance(q.volume, str):
            errors.append(InputError("must list the expected contacts of every slot",
                                     key_path=f"{key}.volume"))
        elif len(q.volume) != n_slots:
            errors.append(InputError(f"has {len(q.volume)} slots, the first queue {n_slots}",
                                     key_path=f"{key}.volume"))
        else:
            _per_slot(list(q.volume), n_slots, f"{key}.volume", errors, positive=False)
        _per_slot(q.aht_seconds, n_slots, f"{key}.aht_seconds", errors, positive=True)
        if q.patience_seconds is not None:
            _per_slot(q.patience_seconds, n_slots, f"{key}.patience_seconds", errors,
                      positive=True, allow_inf=True)
        if q.handle_cv is not None and (not _finite(q.handle_cv) or q.handle_cv <= 0):
            errors.append(InputError(f"{q.handle_cv!r} must be a positive coefficient of "
                                     "variation (None: exponential)", key_path=f"{key}.handle_cv"))
        if not _finite(q.service_level) or not 0 <= q.service_level <= 1:
            errors.append(InputError(f"{q.service_level!r} must lie in [0, 1] (80% is 0.8)",
                                     key_path=f"{key}.service_level"))
        if not _finite(q.answer_within_seconds) or q.answer_within_seconds < 0:
            errors.append(InputError(f"{q.answer_within_seconds!r} must be at least 0 seconds",
                                     key_path=f"{key}.answer_within_seconds"))
        if not isinstance(q.priority, int):
            errors.append(InputError(f"{q.priority!r} must be an integer",
                                     key_path=f"{key}.priority"))
    served: set[str] = set()
    group_names: set[str] = set()
    for i, g in enumerate(centre.groups):
        key = f"groups[{i}]"
        if g.name in group_names:
            errors.append(InputError(f"group {g.name!r} is named twice", key_path=f"{key}.name"))
        group_names.add(g.name)
        if isinstance(g.serves, str) or not g.serves:
            errors.append(InputError("must list the queues the group serves",
                                     key_path=f"{key}.serves"))
            continue
        for j, name in enumerate(g.serves):
            if name not in names:
                errors.append(InputError(f"unknown queue {name!r} (queues: "
                                         f"{', '.join(sorted(names))})",
                                         key_path=f"{key}.serves[{j}]"))
        if len(set(g.serves)) != len(g.serves):
            errors.append(InputError("names a queue twice", key_path=f"{key}.serves"))
        served |= set(g.serves)
        for name, rank in g.overflow_rank.items():
            if name not in g.serves:
                errors.append(InputError(f"{name!r} is not among the queues the group serves",
                                         key_path=f"{key}.overflow_rank.{name}"))
            elif not isinstance(rank, int) or rank < 0:
                errors.append(InputError(f"{rank!r} must be an integer >= 0",
                                         key_path=f"{key}.overflow_rank.{name}"))
        for name, factor in g.handle_time_factor.items():
            if name not in g.serves:
                errors.append(InputError(f"{name!r} is not among the queues the group serves",
                                         key_path=f"{key}.handle_time_factor.{name}"))
            elif not _finite(factor) or factor <= 0:
                errors.append(InputError(f"{factor!r} must be a positive factor",
                                         key_path=f"{key}.handle_time_factor.{name}"))
        if (g.staffing is None) == (g.shifts is None):
            errors.append(InputError("give either staffing (agents per slot) or shifts "
                                     "(one per agent)", key_path=key))
        elif g.staffing is not None:
            if len(g.staffing) != n_slots:
                errors.append(InputError(f"has {len(g.staffing)} values, expected one per "
                                         f"slot ({n_slots})", key_path=f"{key}.staffing"))
            for j, n in enumerate(g.staffing):
                if isinstance(n, bool) or not _finite(n) or not float(n).is_integer() or n < 0:
                    errors.append(InputError(f"{n!r} must be a whole number of agents >= 0",
                                             key_path=f"{key}.staffing[{j}]"))
                    break
        else:
            for j, s in enumerate(g.shifts):
                _check_shift(s, f"{key}.shifts[{j}]", errors)
    for name in names - served:
        errors.append(InputError(f"no group serves queue {name!r}",
                                 key_path=f"queues[{[q.name for q in centre.queues].index(name)}]"))
    if centre.busyness is not None:
        b = centre.busyness
        for attr in ("shape", "rate"):
            v = getattr(b, attr)
            if not _finite(v) or v <= 0:
                errors.append(InputError(f"{v!r} must be positive", key_path=f"busyness.{attr}"))
    if errors:
        raise InputErrors(errors)


def _check_shift(s: Shift, key: str, errors: list) -> None:
    if not _finite(s.start_minute):
        errors.append(InputError(f"{s.start_minute!r} is not a time", key_path=f"{key}.start_minute"))
        return
    end = math.inf if s.end_minute is None else s.end_minute
    if s.end_minute is not None and (not _finite(end) or end <= s.start_minute):
        errors.append(InputError(f"end {end!r} must come after the start {s.start_minute!r}",
                                 key_path=f"{key}.end_minute"))
        return
    last = s.start_minute
    for j, br in enumerate(s.breaks):
        try:
            b0, b1 = (float(x) for x in br)
        except (TypeError, ValueError):
            errors.append(InputError(f"{br!r} is not a (start, end) pair",
                                     key_path=f"{key}.breaks[{j}]"))
            return
        if not (last <= b0 < b1 <= end):
            errors.append(InputError(f"break {b0:g}-{b1:g} must lie inside the shift, after the "
                                     "previous break, and end after it starts",
                                     key_path=f"{key}.breaks[{j}]"))
            return
        last = b1
