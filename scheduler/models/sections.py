"""The sections of a scenario: horizon, demand, shift types and breaks, labour rules,
coverage, objective and solver settings.

This module imports neither ortools nor typer. Times of day are written "HH:MM"; an hour
of 24 or more means the next day (a start window of 22:00-25:00 crosses midnight).
All durations carry their unit in the key name.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SLOT_CHOICES = (15, 30, 60)
_HHMM = re.compile(r"^(\d{1,2}):(\d{2})$")


class Strict(BaseModel):
    """Base: unknown keys are errors; instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def parse_hhmm(value: str) -> int:
    """Minutes after midnight for "HH:MM" (HH may reach 47 for the next day)."""
    match = _HHMM.match(str(value).strip())
    if not match:
        raise ValueError(f"expected a time of day as HH:MM, got {value!r}")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes >= 60 or hours >= 48:
        raise ValueError(f"{value!r} is not a time of day (HH 0-47, MM 0-59)")
    return hours * 60 + minutes


class Horizon(Strict):
    start_date: dt.date
    days: Annotated[int, Field(ge=1, le=366)]
    slot_minutes: Literal[15, 30, 60] = 30
    time_zone: str = "Asia/Shanghai"
    cyclic: bool = False

    @property
    def slots_per_day(self) -> int:
        return 1440 // self.slot_minutes

    @property
    def num_slots(self) -> int:
        return self.days * self.slots_per_day

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value


class Demand(Strict):
    """Agents required on duty per slot.

    Exactly one of `file` (a CSV next to the scenario with columns start,required) or
    `required` (an inline list, one value per slot in horizon order) is given; `floor` is
    a 24/7 minimum on duty in every slot. Workload-based demand (channels) adds to this.
    """

    file: str | None = None
    required: list[Annotated[int, Field(ge=0, le=1_000_000)]] | None = None
    floor: Annotated[int, Field(ge=0, le=1_000_000)] = 0

    @model_validator(mode="after")
    def _one_source(self) -> Demand:
        if self.file is not None and self.required is not None:
            raise ValueError("give either 'file' or 'required', not both")
        if self.file is None and self.required is None and self.floor == 0:
            raise ValueError("no demand: give 'file', 'required' or a 'floor'")
        return self


class Break(Strict):
    """A break placed by the solver inside a window measured from the shift start."""

    name: str = "break"
    duration_minutes: Annotated[int, Field(gt=0, le=600)]
    earliest_start_minutes: Annotated[int, Field(ge=0)]
    latest_start_minutes: Annotated[int, Field(ge=0)]
    paid: bool = False
    min_shift_hours: Annotated[float, Field(ge=0)] = 0.0
    """The break applies only to shifts of at least this many paid hours."""

    @model_validator(mode="after")
    def _window(self) -> Break:
        if self.latest_start_minutes < self.earliest_start_minutes:
            raise ValueError(
                "empty break window: latest_start_minutes is before earliest_start_minutes"
            )
        return self


class ShiftType(Strict):
    name: Annotated[str, Field(min_length=1, max_length=40)]
    paid_hours: Annotated[list[Annotated[float, Field(gt=0, le=16)]], Field(min_length=1)]
    """Allowed paid lengths in hours, e.g. [8] or [4, 5, 6]."""
    earliest_start: str
    latest_start: str
    start_step_minutes: Annotated[int, Field(gt=0, le=1440)] | None = None
    """Defaults to the slot length."""
    breaks: list[Break] = []
    cost_per_paid_hour: Annotated[float, Field(ge=0)] = 1.0

    @field_validator("earliest_start", "latest_start")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        parse_hhmm(value)
        return value

    @property
    def earliest_start_minute(self) -> int:
        return parse_hhmm(self.earliest_start)

    @property
    def latest_start_minute(self) -> int:
        return parse_hhmm(self.latest_start)

    @model_validator(mode="after")
    def _window(self) -> ShiftType:
        if self.latest_start_minute < self.earliest_start_minute:
            raise ValueError(
                f"empty start window: latest_start {self.latest_start} is before "
                f"earliest_start {self.earliest_start} (for a window across midnight write "
                "the later time past 24:00, e.g. 22:00-25:00)"
            )
        if len(set(self.paid_hours)) != len(self.paid_hours):
            raise ValueError("paid_hours lists a length twice")
        for hours in self.paid_hours:
            paid = round(hours * 60)
            applying = self.breaks_for(paid)
            length = paid + sum(b.duration_minutes for b in applying if not b.paid)
            for br in applying:
                if br.duration_minutes >= paid:
                    raise ValueError(
                        f"break {br.name!r} ({br.duration_minutes} min) is not shorter than the "
                        f"{hours:g} h shift; set its min_shift_hours or shorten it"
                    )
                if br.earliest_start_minutes + br.duration_minutes > length:
                    raise ValueError(
                        f"break {br.name!r}: its window starts too late to end within the "
                        f"{hours:g} h shift"
                    )
            if sum(b.duration_minutes for b in applying) >= length:
                raise ValueError(f"the breaks fill the whole {hours:g} h shift")
        return self

    def breaks_for(self, paid_minutes: int) -> list[Break]:
        return [b for b in self.breaks if paid_minutes >= round(b.min_shift_hours * 60)]


class LabourRules(Strict):
    """Per-agent rules. `preset` names a file in configs/rules/; keys given here override it."""

    preset: str | None = None
    max_shifts_per_day: Literal[1] = 1
    max_days_per_week: Annotated[int, Field(ge=1, le=7)] = 7
    """At most this many working days in any 7 consecutive days."""
    min_rest_hours: Annotated[float, Field(ge=0, le=72)] = 0.0
    max_consecutive_days: Annotated[int, Field(ge=1, le=366)] | None = None
    min_weekly_paid_hours: Annotated[float, Field(ge=0, le=168)] = 0.0
    max_weekly_paid_hours: Annotated[float, Field(gt=0, le=168)] | None = None
    """Weekly paid hours are counted per 7-day block from the horizon start."""
    max_daily_paid_hours: Annotated[float, Field(gt=0, le=24)] | None = None
    """No shift may be paid for more than this."""
    max_headcount: Annotated[int, Field(ge=0)] | None = None

    @model_validator(mode="after")
    def _ranges(self) -> LabourRules:
        if (
            self.max_weekly_paid_hours is not None
            and self.min_weekly_paid_hours > self.max_weekly_paid_hours
        ):
            raise ValueError("min_weekly_paid_hours is above max_weekly_paid_hours")
        return self


class Coverage(Strict):
    allow_understaffing: bool = False
    understaffing_penalty: Annotated[float, Field(gt=0)] = 1.0
    """Cost of one agent short for one slot, in the objective's unit (agents, paid hours
    or money)."""
    overstaffing_penalty: Annotated[float, Field(ge=0)] = 0.0
    """Cost of one agent more than required for one slot, in the objective's unit."""


class Objective(Strict):
    kind: Literal[
        "headcount", "paid_hours", "cost", "penalties", "added_headcount", "headcount_then_cost"
    ] = "headcount"
    """headcount: fewest distinct agents, then fewest paid hours; paid_hours; cost;
    penalties: only the coverage and distinct-shift penalties (shift design);
    added_headcount: fewest hires beyond the pools' standing teams, then least cost;
    headcount_then_cost: fewest agents, then least cost."""
    cost_per_agent: Annotated[float, Field(ge=0)] = 0.0
    """Fixed cost of one agent over the horizon (used by kind: cost)."""
    distinct_shift_penalty: Annotated[float, Field(ge=0)] = 0.0
    """Cost of each distinct shift (start time of day + paid length) used anywhere in the
    horizon, in the objective's unit: fewer distinct start times are easier to run."""


class SolverSettings(Strict):
    profile: str | None = None
    """A file in configs/solver/; keys given here override it."""
    time_limit_seconds: Annotated[float, Field(gt=0, le=86_400)] = 60.0
    workers: Annotated[int, Field(ge=1, le=64)] = 2
    seed: int = 0
    deterministic: bool = False
    """Interleaved, fixed-seed search: the same roster twice (slower)."""
