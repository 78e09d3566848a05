"""Pydantic schema of staff pools, overtime and promotion events (part of the scenario).

A pool is a group of agents under one contract: full-time, part-time, temporary. Each has
the shift types it may work, its own labour rules (keys given override the scenario's
rules), a standing headcount that is kept and paid its contract whether used or not, and
how many more may be hired. Overtime extends a shift at a premium; events multiply the
baseline demand over a date range, with within-day peaks.
This module imports neither ortools nor typer.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from scheduler.models.sections import LabourRules, parse_hhmm


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Overtime(_Strict):
    """Overtime policy. Defaults follow the PRC Labour Law (art. 41 and 44): at most 3 h a
    day and 36 h a month, paid 150% on working days, 200% on rest days, 300% on public
    holidays. Overtime minutes are counted apart from the weekly paid-hour limits."""

    max_daily_hours: Annotated[float, Field(ge=0, le=12)] = 3.0
    max_monthly_hours: Annotated[float, Field(ge=0, le=744)] = 36.0
    """Per agent and calendar month."""
    step_minutes: Annotated[int, Field(gt=0, le=720)] = 60
    """Extensions offered: multiples of this up to max_daily_hours."""
    workday_premium: Annotated[float, Field(ge=1)] = 1.5
    rest_day_premium: Annotated[float, Field(ge=1)] = 2.0
    holiday_premium: Annotated[float, Field(ge=1)] = 3.0
    rest_weekdays: list[Annotated[int, Field(ge=1, le=7)]] = [6, 7]
    """ISO weekdays (1 Monday ... 7 Sunday) whose overtime is paid as rest-day overtime."""


class Pool(_Strict):
    name: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")]
    shift_types: Annotated[list[str], Field(min_length=1)]
    """Names of the shift types this pool's agents may work."""
    rules: LabourRules | None = None
    """Keys given here override the scenario's rules for this pool."""
    standing: Annotated[int, Field(ge=0, le=1_000_000)] = 0
    """Agents already employed: kept and paid their contract even if not rostered."""
    max_hire: Annotated[int, Field(ge=0, le=1_000_000)] | None = None
    """How many more may be hired (no limit when absent)."""
    available_from: dt.date | None = None
    available_until: dt.date | None = None
    """Temporary pools: shifts only on days in this window (both ends included)."""
    cost_per_paid_hour: Annotated[float, Field(ge=0)] | None = None
    """Overrides the shift types' cost_per_paid_hour for this pool."""
    contract_weekly_hours: Annotated[float, Field(ge=0, le=168)] = 0.0
    """Hours a week each standing agent is paid whether rostered or not."""
    cost_per_hire: Annotated[float, Field(ge=0)] = 0.0
    """One-off cost of each hired agent (recruiting, training)."""
    overtime: bool = False
    """Whether this pool's shifts may be extended by overtime."""

    @model_validator(mode="after")
    def _check(self) -> Pool:
        if len(set(self.shift_types)) != len(self.shift_types):
            raise ValueError("shift_types lists a name twice")
        if (
            self.available_from is not None
            and self.available_until is not None
            and self.available_until < self.available_from
        ):
            raise ValueError("available_until is before available_from")
        if self.contract_weekly_hours > 0 and self.cost_per_paid_hour is None:
            raise ValueError("contract_weekly_hours needs the pool's cost_per_paid_hour")
        return self

    @property
    def max_headcount(self) -> int | None:
        return None if self.max_hire is None else self.standing + self.max_hire

    def available(self, day: dt.date) -> bool:
        if self.available_from is not None and day < self.available_from:
            return False
        return self.available_until is None or day <= self.available_until


class Peak(_Strict):
    """A within-day factor on top of the event's day multiplier."""

    date: dt.date
    start: str
    end: str
    """"HH:MM"; an hour of 24 or more reaches into the next day."""
    multiplier: Annotated[float, Field(gt=0, le=100)]

    @field_validator("start", "end")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        parse_hhmm(value)
        return value

    @model_validator(mode="after")
    def _order(self) -> Peak:
        if parse_hhmm(self.end) <= parse_hhmm(self.start):
            raise ValueError("end is not after start")
        return self


class Event(_Strict):
    """A promotion: demand multiplied by `multiplier` on each day from start_date to
    end_date (one figure, or one per day), and by each peak's multiplier within its
    window. Overlapping events multiply."""

    name: Annotated[str, Field(min_length=1, max_length=80)]
    start_date: dt.date
    end_date: dt.date
    multiplier: Annotated[float, Field(gt=0, le=100)] | list[Annotated[float, Field(gt=0, le=100)]] = 1.0
    peaks: list[Peak] = []
    channels: list[str] | None = None
    """Channels whose volume the event multiplies (all demand when absent)."""

    @model_validator(mode="after")
    def _dates(self) -> Event:
        if self.end_date < self.start_date:
            raise ValueError("end_date is before start_date")
        days = (self.end_date - self.start_date).days + 1
        if isinstance(self.multiplier, list) and len(self.multiplier) != days:
            raise ValueError(
                f"multiplier lists {len(self.multiplier)} values for a {days}-day event"
            )
        return self

    def day_multiplier(self, day: dt.date) -> float:
        if not self.start_date <= day <= self.end_date:
            return 1.0
        if isinstance(self.multiplier, list):
            return self.multiplier[(day - self.start_date).days]
        return self.multiplier
