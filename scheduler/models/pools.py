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
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from scheduler.models.sections import LabourRules, Strict, parse_hhmm
from scheduler.models.workload import QueueName


class Overtime(Strict):
    """Overtime policy. Defaults follow the PRC Labour Law (art. 41 and 44): at most 3 h a
    day and 36 h a month, paid 150% on working days, 200% on rest days, 300% on public
    holidays. Overtime minutes are counted apart from the weekly paid-hour limits."""

    max_daily_hours: Annotated[float, Field(ge=0, le=12)] = 3.0
    """[hours] Overtime of one agent in one day, at most. Default 3 (Labour Law art. 41)."""
    max_monthly_hours: Annotated[float, Field(ge=0, le=744)] = 36.0
    """[hours] Overtime per agent and calendar month, at most. Default 36 (Labour Law
    art. 41)."""
    step_minutes: Annotated[int, Field(gt=0, le=720)] = 60
    """[minutes] Extensions offered: multiples of this up to max_daily_hours, each a
    multiple of the slot length. Default 60."""
    workday_premium: Annotated[float, Field(ge=1)] = 1.5
    """[factor on the hourly rate] Pay of overtime on working days. Default 1.5 (150%,
    Labour Law art. 44)."""
    rest_day_premium: Annotated[float, Field(ge=1)] = 2.0
    """[factor on the hourly rate] Pay of overtime on rest_weekdays. Default 2.0 (200%,
    Labour Law art. 44)."""
    holiday_premium: Annotated[float, Field(ge=1)] = 3.0
    """[factor on the hourly rate] Pay of overtime on the scenario's holidays. Default
    3.0 (300%, Labour Law art. 44)."""
    rest_weekdays: list[Annotated[int, Field(ge=1, le=7)]] = [6, 7]
    """[ISO weekdays] Days (1 Monday ... 7 Sunday) whose overtime is paid as rest-day
    overtime. Default [6, 7]: Saturday and Sunday."""


class ComprehensiveHours(Strict):
    """China's comprehensive working-hours system (Provisions on Working Hours, 1995, and
    the 1994 Measures on the approval of non-standard working hours): a person's paid
    hours are averaged over a period, so single weeks may run long."""

    period: Literal["month", "quarter"] = "month"
    """The averaging period: each calendar month or each calendar quarter met by the
    horizon. Default month."""
    max_average_weekly_hours: Annotated[float, Field(gt=0, le=84)] = 40.0
    """[hours] Average paid hours a week over the period, at most (days of the period in
    the horizon / 7 weeks). Default 40."""
    max_weekly_hours: Annotated[float, Field(gt=0, le=84)] = 60.0
    """[hours] Paid hours in any one week, at most, in place of the pool's weekly cap.
    Default 60."""


class Pool(Strict):
    """A group of agents under one contract (full-time, part-time, temporary)."""

    name: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")]
    """Unique name of the pool (letters, digits and . _ -)."""
    shift_types: Annotated[list[str], Field(min_length=1)]
    """Names of the shift types this pool's agents may work."""
    rules: LabourRules | None = None
    """Keys given here override the scenario's rules for this pool (a preset here is
    merged under them). Absent: the scenario's rules."""
    standing: Annotated[int, Field(ge=0, le=1_000_000)] = 0
    """[agents] Agents already employed: kept and paid their contract even if not
    rostered. Default 0."""
    max_hire: Annotated[int, Field(ge=0, le=1_000_000)] | None = None
    """[agents] How many more may be hired beyond the standing ones. Absent: no limit."""
    available_from: dt.date | None = None
    """First day (YYYY-MM-DD) this pool may work. Absent: from the horizon's start."""
    available_until: dt.date | None = None
    """Last day (YYYY-MM-DD, included) this pool may work; with available_from, the
    window of a temporary pool. Absent: to the horizon's end."""
    cost_per_paid_hour: Annotated[float, Field(ge=0)] | None = None
    """[money per paid hour] Overrides the shift types' cost_per_paid_hour for this pool.
    Absent: the shift types' rates."""
    contract_weekly_hours: Annotated[float, Field(ge=0, le=168)] = 0.0
    """[hours] Hours a week each standing agent is paid whether rostered or not (needs
    cost_per_paid_hour). Default 0: only rostered hours are paid."""
    cost_per_hire: Annotated[float, Field(ge=0)] = 0.0
    """[money per agent] One-off cost of each hired agent (recruiting, training).
    Default 0."""
    overtime: bool = False
    """true: this pool's shifts may be extended by overtime (see the scenario's
    overtime). Default false."""
    serves: Annotated[list[QueueName], Field(min_length=1)] | None = None
    """Names of the channels (queues) this pool's agents answer, e.g. [presale-chat,
    order-chat]. Absent: every channel (interchangeable agents, as before queues)."""
    handle_time_factor: dict[str, Annotated[float, Field(gt=0, le=10, allow_inf_nan=False)]] = {}
    """[factor on the queue's aht_seconds] Per queue this pool serves, its agents' handle
    time as a multiple of the queue's (0.8: 20% faster; 0 < x <= 10). Queues not listed:
    1. Default: none."""
    max_start_variation_minutes: Annotated[int, Field(ge=0, le=1440)] | None = None
    """[minutes] Named staff only (staff:): within each week of the horizon, a person's
    shift starts differ by at most this (120: every start within two hours). Absent: no
    limit."""
    forward_rotation: bool = False
    """Named staff only: true: on two consecutive working days the second shift starts
    no earlier (in time of day) than the first. Default false."""
    days_off_in_pairs: bool = False
    """Named staff only: true: each full week of the horizon gives every person two
    consecutive days off. Default false."""
    comprehensive_hours_system: ComprehensiveHours | None = None
    """Named staff only: China's comprehensive working-hours system: paid hours averaged
    over each calendar month or quarter instead of capped every week. Absent: the weekly
    rules."""

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
        if self.serves is not None and len(set(self.serves)) != len(self.serves):
            raise ValueError("at serves: names a queue twice")
        return self

    @property
    def max_headcount(self) -> int | None:
        return None if self.max_hire is None else self.standing + self.max_hire

    def available(self, day: dt.date) -> bool:
        if self.available_from is not None and day < self.available_from:
            return False
        return self.available_until is None or day <= self.available_until


class Peak(Strict):
    """A within-day factor on top of the event's day multiplier."""

    date: dt.date
    """Day of the peak (YYYY-MM-DD), within the event's dates."""
    start: str
    """Start of the peak, "HH:MM" on date."""
    end: str
    """End of the peak, "HH:MM", after start; an hour of 24 or more reaches into the
    next day."""
    multiplier: Annotated[float, Field(gt=0, le=100)]
    """[factor] Demand multiplied by this within the window, on top of the day's
    multiplier."""

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


class Event(Strict):
    """A promotion: demand multiplied by `multiplier` on each day from start_date to
    end_date (one figure, or one per day), and by each peak's multiplier within its
    window. Overlapping events multiply."""

    name: Annotated[str, Field(min_length=1, max_length=80)]
    """Name of the event, shown in reports."""
    start_date: dt.date
    """First day of the event (YYYY-MM-DD), within the horizon."""
    end_date: dt.date
    """Last day of the event (YYYY-MM-DD, included), not before start_date."""
    multiplier: Annotated[float, Field(gt=0, le=100)] | list[Annotated[float, Field(gt=0, le=100)]] = 1.0
    """[factor] Demand multiplied by this on every day of the event, or a list with one
    factor per day. Default 1: only the peaks change the demand."""
    peaks: list[Peak] = []
    """Within-day windows multiplied further. Default: none."""
    channels: list[str] | None = None
    """Channels whose volume the event multiplies. Absent: all demand."""

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
