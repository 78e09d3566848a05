"""Synthetic demand curves for e-commerce customer-service centres, and scenario writing.

Everything here is deterministic: the same arguments and seed give the same numbers on
every machine (numpy's PCG64 generator). Units: a "relative" demand of 1.0 is the intraday
peak of an ordinary Monday; `make_demand` turns relative demand into whole agents.

Typical use (see scenarios/make_scenarios.py)::

    demand = make_demand(dt.date(2026, 11, 16), 7, 30, peak=60, seed=1)
    write_scenario("scenarios/x.yaml", "x", dt.date(2026, 11, 16), 7, 30, demand,
                   standard_shift_types((4, 8)), {"preset": "five-day-week"}, cyclic=True)

This module imports neither ortools nor the solver; it only needs numpy and pyyaml.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import yaml

__all__ = [
    "Event",
    "daily_profile",
    "double11_events",
    "make_demand",
    "meal_breaks",
    "night_shift_type",
    "relative_demand",
    "standard_shift_types",
    "weekly_factors",
    "write_scenario",
]

SLOT_CHOICES = (15, 30, 60)

# The intraday shape as (hour, level) key points, then smoothed. Level 1.0 is the day's
# peak. E-commerce contact centres (order, payment, delivery and after-sale questions) see
# a night trough, a morning ramp from 07:00 to a first peak at 10:00-11:00, a lunch dip,
# an afternoon plateau and a second, evening peak after work (20:00-22:00) that declines
# slowly towards midnight: people shop and ask late.
_KEYPOINTS: tuple[tuple[float, float], ...] = (
    (0.0, 0.47),
    (1.0, 0.29),
    (2.0, 0.18),
    (3.0, 0.115),  # trough 03:00-06:00
    (4.0, 0.095),
    (5.0, 0.095),
    (6.0, 0.105),
    (7.0, 0.15),  # morning ramp
    (8.0, 0.38),
    (9.0, 0.70),
    (10.0, 0.95),
    (10.5, 1.00),  # first peak
    (11.0, 0.97),
    (12.0, 0.83),
    (12.75, 0.76),  # lunch dip
    (13.5, 0.80),
    (14.5, 0.85),
    (16.0, 0.86),  # afternoon plateau
    (17.5, 0.83),
    (18.5, 0.85),
    (19.5, 0.90),
    (20.5, 0.96),  # evening peak
    (21.25, 0.96),
    (22.0, 0.88),
    (23.0, 0.70),
    (24.0, 0.47),  # = 00:00 of the next day
)
_SMOOTH_SIGMA_MINUTES = 25.0

# Day-of-week multipliers, Monday first (datetime.date.weekday() order). Monday carries
# the weekend's backlog; Saturday is the quietest; Sunday evening picks up again.
_WEEKLY = (1.00, 0.97, 0.95, 0.93, 0.92, 0.86, 0.89)

NOISE = 0.03
"""Default relative noise: each slot is multiplied by a uniform factor in [0.97, 1.03]."""


def _check_slot(slot_minutes: int) -> int:
    if slot_minutes not in SLOT_CHOICES:
        raise ValueError(f"slot_minutes must be one of {SLOT_CHOICES}, got {slot_minutes!r}")
    return int(slot_minutes)


def _hhmm_minutes(value: str) -> int:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", str(value).strip())
    if not match or int(match.group(2)) >= 60 or int(match.group(1)) >= 48:
        raise ValueError(f"expected a time of day as HH:MM (HH up to 47), got {value!r}")
    return int(match.group(1)) * 60 + int(match.group(2))


# ---------------------------------------------------------------- shapes


def _minute_profile() -> np.ndarray:
    """The smoothed intraday curve at one-minute resolution (1440 values, not normalised)."""
    hours = np.array([h for h, _ in _KEYPOINTS]) * 60.0
    levels = np.array([v for _, v in _KEYPOINTS])
    minutes = np.arange(1440) + 0.5
    curve = np.interp(minutes, hours, levels)
    # Circular Gaussian smoothing: the day wraps, 23:59 is next to 00:00.
    half = int(4 * _SMOOTH_SIGMA_MINUTES)
    x = np.arange(-half, half + 1)
    kernel = np.exp(-0.5 * (x / _SMOOTH_SIGMA_MINUTES) ** 2)
    kernel /= kernel.sum()
    padded = np.concatenate([curve[-half:], curve, curve[:half]])
    return np.convolve(padded, kernel, mode="valid")


def daily_profile(slot_minutes: int = 30) -> list[float]:
    """Intraday demand shape, one value per slot from 00:00, normalised to a peak of 1.0.

    Each value is the mean of the smooth curve over its slot, so the shape is the same at
    15, 30 and 60 minutes. At 30 minutes: about 0.45 at 00:00, a trough of about 0.10
    between 03:00 and 06:00, a ramp from 07:00, the peak (1.0) at 10:30, a lunch dip to
    about 0.8 at 12:30-13:00, an afternoon plateau near 0.87 and an evening peak near 0.99
    at 20:30.
    """
    slot = _check_slot(slot_minutes)
    per_slot = _minute_profile().reshape(-1, slot).mean(axis=1)
    per_slot /= per_slot.max()
    return [float(v) for v in per_slot]


def weekly_factors() -> list[float]:
    """Day-of-week multipliers, Monday first (index = date.weekday()); Monday is 1.0."""
    return list(_WEEKLY)


# ---------------------------------------------------------------- events


SpikeShape = Literal["flat", "rise", "decay"]


@dataclass(frozen=True)
class Event:
    """A special day: a multiplier for the whole calendar day and an optional spike.

    The spike lifts demand, from `spike_start_hhmm` on `date` for `spike_hours` (it may run
    past midnight into the next day), to at least

        spike_multiplier x (that weekday's ordinary peak) x shape(t)

    so `spike_multiplier=4.5` means "4.5 times a normal peak". The spike never lowers
    demand: each slot takes the larger of the ordinary (day-multiplied) value and the
    spike. `spike_shape`:

    * ``flat``: the full height over the whole window;
    * ``rise``: grows linearly from 0 to the full height at the end of the window (a
      build-up towards a deadline such as a midnight sale start);
    * ``decay``: the full height for `spike_hold_hours`, then falls exponentially to 5 %
      of it at the end of the window.

    Several events may name the same date: their day multipliers multiply and each spike
    applies.
    """

    date: dt.date
    day_multiplier: float = 1.0
    spike_start_hhmm: str | None = None
    spike_hours: float = 0.0
    spike_multiplier: float = 1.0
    spike_shape: SpikeShape = "flat"
    spike_hold_hours: float = 0.0

    def __post_init__(self) -> None:
        if self.day_multiplier < 0 or self.spike_multiplier < 0:
            raise ValueError("multipliers must not be negative")
        if self.spike_shape not in ("flat", "rise", "decay"):
            raise ValueError(f"unknown spike_shape {self.spike_shape!r}")
        if self.spike_start_hhmm is not None:
            _hhmm_minutes(self.spike_start_hhmm)
            if self.spike_hours <= 0:
                raise ValueError("a spike needs spike_hours > 0")
            if not 0 <= self.spike_hold_hours <= self.spike_hours:
                raise ValueError("spike_hold_hours must lie between 0 and spike_hours")

    def shape(self, hours_into_spike: np.ndarray) -> np.ndarray:
        """Spike height (0..1) at the given hours after the spike start."""
        u = np.asarray(hours_into_spike, dtype=float)
        if self.spike_shape == "flat":
            return np.ones_like(u)
        if self.spike_shape == "rise":
            return np.clip(u / self.spike_hours, 0.0, 1.0)
        tail = self.spike_hours - self.spike_hold_hours
        if tail <= 0:
            return np.ones_like(u)
        past_hold = np.clip(u - self.spike_hold_hours, 0.0, None)
        return np.exp(math.log(0.05) * past_hold / tail)


def double11_events(year: int) -> list[Event]:
    """The Double 11 (Singles' Day, 11 November) fortnight, 1-14 November of `year`.

    * 1-10 Nov: pre-sale questions (deposits, coupons, price guarantees) ramp the day
      linearly from 1.0x to 1.6x;
    * 10 Nov evening: contacts build up towards the midnight sale start (a rising spike
      from 18:00 reaching about 2.2x a normal peak just before 00:00);
    * 11 Nov: right after 00:00 the rush reaches about 4.4x a normal peak (payment,
      stock and order-status questions), holds until 02:00 and decays through the night;
      the day itself runs at 3x;
    * 12-14 Nov: the after-sale wave (delivery, returns, price-protection claims) at
      2.0x, 1.8x and 1.6x.
    """
    nov = lambda day: dt.date(year, 11, day)  # noqa: E731
    events = [Event(nov(d), day_multiplier=round(1.0 + 0.6 * (d - 1) / 9, 4)) for d in range(1, 10)]
    events.append(
        Event(nov(10), day_multiplier=1.6, spike_start_hhmm="18:00", spike_hours=6,
              spike_multiplier=2.3, spike_shape="rise")
    )
    events.append(
        Event(nov(11), day_multiplier=3.0, spike_start_hhmm="00:00", spike_hours=8,
              spike_multiplier=4.6, spike_shape="decay", spike_hold_hours=2)
    )
    events += [Event(nov(12), 2.0), Event(nov(13), 1.8), Event(nov(14), 1.6)]
    return events


# ---------------------------------------------------------------- demand


def relative_demand(
    start_date: dt.date,
    days: int,
    slot_minutes: int,
    seed: int = 0,
    events: Iterable[Event] = (),
    noise: float = NOISE,
) -> np.ndarray:
    """Demand per slot in units of an ordinary Monday's peak (before scaling to agents).

    profile x weekday factor x day multipliers, raised by spikes, then multiplied by
    seeded uniform noise in [1 - noise, 1 + noise]. Events outside the horizon are ignored.
    """
    slot = _check_slot(slot_minutes)
    if days < 1:
        raise ValueError("days must be at least 1")
    if not 0 <= noise < 1:
        raise ValueError("noise must lie in [0, 1)")
    start_date = _as_date(start_date)
    events = list(events)
    per_day = 1440 // slot
    profile = np.array(daily_profile(slot))
    weekly = weekly_factors()
    dates = [start_date + dt.timedelta(days=d) for d in range(days)]

    day_mult = {date: 1.0 for date in dates}
    for ev in events:
        if ev.date in day_mult:
            day_mult[ev.date] *= ev.day_multiplier
    values = np.concatenate(
        [profile * weekly[date.weekday()] * day_mult[date] for date in dates]
    )

    slot_mid_hours = (np.arange(days * per_day) + 0.5) * slot / 60.0  # from horizon start
    for ev in events:
        if ev.spike_start_hhmm is None:
            continue
        start_h = (ev.date - start_date).days * 24 + _hhmm_minutes(ev.spike_start_hhmm) / 60
        into = slot_mid_hours - start_h
        inside = (into >= 0) & (into < ev.spike_hours)
        if not inside.any():
            continue
        height = ev.spike_multiplier * weekly[ev.date.weekday()]
        spike = height * ev.shape(into[inside])
        values[inside] = np.maximum(values[inside], spike)

    if noise:
        rng = np.random.default_rng(seed)
        values = values * (1.0 + rng.uniform(-noise, noise, size=values.shape))
    return values


def make_demand(
    start_date: dt.date,
    days: int,
    slot_minutes: int,
    peak: int,
    seed: int = 0,
    events: Iterable[Event] = (),
    noise: float = NOISE,
) -> list[int]:
    """Agents required per slot (integers >= 0) whose maximum over the horizon is exactly
    `peak`: the relative demand is scaled so that its largest slot equals `peak`, then
    rounded to the nearest integer."""
    if isinstance(peak, bool) or int(peak) != peak or peak < 0:
        raise ValueError(f"peak must be a whole number >= 0, got {peak!r}")
    rel = relative_demand(start_date, days, slot_minutes, seed, events, noise)
    scaled = np.rint(rel * (int(peak) / rel.max()))
    scaled[int(np.argmax(rel))] = peak  # guard against a float landing on x.4999...
    out = [int(v) for v in np.clip(scaled, 0, None)]
    assert max(out) == peak
    return out


# ---------------------------------------------------------------- shift types


def _num(value: float) -> int | float:
    """8.0 -> 8, 7.5 -> 7.5 (tidier YAML)."""
    value = float(value)
    return int(value) if value.is_integer() else value


def meal_breaks(paid_hours: float) -> list[dict[str, Any]]:
    """The unpaid meal break of a shift of `paid_hours`: none below 6 h; 30 min starting
    2-4 h after the shift start from 6 h; 60 min starting 3-5 h after the start from 8 h.
    `min_shift_hours` is set so the break never applies to a shorter length of the type."""
    if paid_hours >= 8:
        return [
            {"name": "meal", "duration_minutes": 60, "earliest_start_minutes": 180,
             "latest_start_minutes": 300, "paid": False, "min_shift_hours": 8}
        ]
    if paid_hours >= 6:
        return [
            {"name": "meal", "duration_minutes": 30, "earliest_start_minutes": 120,
             "latest_start_minutes": 240, "paid": False, "min_shift_hours": 6}
        ]
    return []


def standard_shift_types(
    lengths_hours: Sequence[float] = (4, 6, 8, 9),
    earliest_start: str = "00:00",
    latest_start: str = "23:30",
    start_step_minutes: int = 30,
    prefix: str = "flex",
    cost_per_paid_hour: float = 1.0,
) -> list[dict[str, Any]]:
    """One flexible shift type per paid length, named "<prefix>-<hours>h".

    By default every type may start on any half hour from 00:00 to 23:30 (24/7 coverage).
    Each length gets its own type because a break's `min_shift_hours` only sets a lower
    bound: a single type with lengths [6, 8] would give the 8 h shifts the 30-minute break
    as well as the hour. Meal breaks are as in `meal_breaks`. The dicts use exactly the
    keys of models.ShiftType.
    """
    _hhmm_minutes(earliest_start)
    _hhmm_minutes(latest_start)
    out = []
    for hours in lengths_hours:
        st: dict[str, Any] = {
            "name": f"{prefix}-{float(hours):g}h",
            "paid_hours": [_num(hours)],
            "earliest_start": earliest_start,
            "latest_start": latest_start,
            "start_step_minutes": int(start_step_minutes),
        }
        breaks = meal_breaks(float(hours))
        if breaks:
            st["breaks"] = breaks
        st["cost_per_paid_hour"] = _num(cost_per_paid_hour)
        out.append(st)
    return out


def night_shift_type(
    name: str = "night",
    paid_hours: float = 8,
    earliest_start: str = "22:00",
    latest_start: str = "25:00",
    start_step_minutes: int = 30,
    cost_per_paid_hour: float = 1.2,
) -> dict[str, Any]:
    """A night shift starting 22:00 to 01:00 (written 25:00: the next day), with the meal
    break of its length and a night premium in `cost_per_paid_hour`."""
    st: dict[str, Any] = {
        "name": name,
        "paid_hours": [_num(paid_hours)],
        "earliest_start": earliest_start,
        "latest_start": latest_start,
        "start_step_minutes": int(start_step_minutes),
    }
    breaks = meal_breaks(float(paid_hours))
    if breaks:
        st["breaks"] = breaks
    st["cost_per_paid_hour"] = _num(cost_per_paid_hour)
    return st


# ---------------------------------------------------------------- writing


class _Dumper(yaml.SafeDumper):
    """Block style, list items indented under their key, short scalar lists inline and
    times of day always quoted (YAML 1.1 readers may take 10:30 for a base-60 number)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):  # noqa: D401
        return super().increase_indent(flow, False)


def _represent_list(dumper: yaml.SafeDumper, data: list) -> yaml.Node:
    flow = bool(data) and all(
        isinstance(x, (int, float)) and not isinstance(x, bool) for x in data
    )
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = '"' if re.fullmatch(r"\d{1,2}:\d{2}", data) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(tuple, _represent_list)
_Dumper.add_representer(str, _represent_str)


def _as_date(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def demand_csv_text(start_date: dt.date, slot_minutes: int, demand: Sequence[int]) -> str:
    """The `start,required` CSV of a demand series (start as YYYY-MM-DDTHH:MM)."""
    start = dt.datetime.combine(_as_date(start_date), dt.time())
    step = dt.timedelta(minutes=_check_slot(slot_minutes))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["start", "required"])
    for i, value in enumerate(demand):
        writer.writerow([f"{start + i * step:%Y-%m-%dT%H:%M}", int(value)])
    return buf.getvalue()


def schema_comment(schema: str) -> str:
    """The first line that points editors (VS Code's YAML extension, any YAML language
    server) at the scenario JSON Schema."""
    return f"# yaml-language-server: $schema={schema}\n"


def write_scenario(
    path_yaml: str | Path,
    name: str,
    start_date: dt.date | str,
    days: int,
    slot_minutes: int,
    demand: Sequence[int],
    shift_types: Sequence[Mapping[str, Any]],
    rules: Mapping[str, Any] | None,
    description: str = "",
    cyclic: bool = False,
    floor: int = 0,
    objective: Mapping[str, Any] | None = None,
    solver: Mapping[str, Any] | None = None,
    *,
    inline: bool = False,
    comment: str | None = None,
    coverage: Mapping[str, Any] | None = None,
    time_zone: str | None = None,
    extra: Mapping[str, Any] | None = None,
    schema: str | None = None,
) -> Path:
    """Write a scenario YAML and, unless `inline`, its demand CSV `<name>_demand.csv` in
    the same folder (the YAML then says `demand: {file: <name>_demand.csv, floor: ...}`).
    With `inline=True` the values go into the YAML as `demand.required`.

    The file opens with a comment block: `comment` if given, else the description, plus
    the demand's peak and agent-hours. With `schema` (a path or URL of the scenario JSON
    Schema, as seen from where the file will live), the first line is
    `# yaml-language-server: $schema=<schema>` for editors. Returns the YAML path. Nothing is validated against
    models.Scenario here (this module does not import the schema); the caller should load
    the result.
    """
    path_yaml = Path(path_yaml)
    slot = _check_slot(slot_minutes)
    start_date = _as_date(start_date)
    values = [int(v) for v in demand]
    expected = days * (1440 // slot)
    if len(values) != expected:
        raise ValueError(
            f"{len(values)} demand values for {days} days of {slot}-minute slots "
            f"({expected} expected)"
        )
    if any(v < 0 for v in values):
        raise ValueError("demand values must be >= 0")

    doc: dict[str, Any] = {"name": name}
    if description:
        doc["description"] = description
    horizon: dict[str, Any] = {"start_date": start_date, "days": int(days), "slot_minutes": slot}
    if time_zone is not None:
        horizon["time_zone"] = time_zone
    horizon["cyclic"] = bool(cyclic)
    doc["horizon"] = horizon
    if inline:
        doc["demand"] = {"required": values, "floor": int(floor)}
    else:
        csv_name = f"{name}_demand.csv"
        doc["demand"] = {"file": csv_name, "floor": int(floor)}
    doc["shift_types"] = [dict(st) for st in shift_types]
    if rules:
        doc["rules"] = dict(rules)
    if coverage:
        doc["coverage"] = dict(coverage)
    if objective:
        doc["objective"] = dict(objective)
    if solver:
        doc["solver"] = dict(solver)
    for key, value in (extra or {}).items():
        doc[key] = value

    on_duty = [max(v, int(floor)) for v in values]
    hours = sum(on_duty) * slot / 60
    header_text = comment if comment is not None else (description or name)
    lines = []
    for para in header_text.strip().split("\n\n"):
        lines += textwrap.wrap(" ".join(para.split()), 86) or [""]
        lines.append("")
    lines += [
        f"Demand: {days} day{'s' if days != 1 else ''} of {slot}-minute slots from "
        f"{start_date:%Y-%m-%d} ({'cyclic' if cyclic else 'not cyclic'}); peak {max(values)}",
        f"agents, floor {floor}; {hours:,.1f} agent-hours on duty in all "
        f"({hours * 7 / days:,.1f} a week).",
    ]
    header = "".join(f"# {line}".rstrip() + "\n" for line in lines)
    if schema is not None:
        header = schema_comment(schema) + header

    body = yaml.dump(
        doc, Dumper=_Dumper, sort_keys=False, default_flow_style=False,
        allow_unicode=True, width=88,
    )
    path_yaml.parent.mkdir(parents=True, exist_ok=True)
    if not inline:
        (path_yaml.parent / csv_name).write_text(
            demand_csv_text(start_date, slot, values), encoding="utf-8", newline=""
        )
    path_yaml.write_text(header + "\n" + body, encoding="utf-8", newline="\n")
    return path_yaml
