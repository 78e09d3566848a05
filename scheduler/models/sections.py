"""The sections of a scenario: horizon, demand, shift types and breaks, labour rules,
coverage, objective and solver settings.

This module imports neither ortools nor typer. Times of day are written "HH:MM"; an hour
of 24 or more means the next day (a start window of 22:00-25:00 crosses midnight).
All durations carry their unit in the key name.

Every field has a description (its attribute docstring, read with
`use_attribute_docstrings`): it opens with the unit in brackets where there is one
("[minutes] ...") and says what the default means. The JSON Schema and the scenario
reference (scheduler/scenario/schema.py, reference.py) are generated from them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SLOT_CHOICES = (15, 30, 60)
_HHMM = re.compile(r"^(\d{1,2}):(\d{2})$")


class Strict(BaseModel):
    """Base: unknown keys are errors; instances are immutable; the docstring under a
    field is its description."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


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
    """The days planned and the length of a slot, the unit of demand and coverage."""

    start_date: dt.date
    """First day planned (YYYY-MM-DD); its first slot starts at 00:00 local time."""
    days: Annotated[int, Field(ge=1, le=366)]
    """[days] Number of days planned, from start_date."""
    slot_minutes: Literal[15, 30, 60] = 30
    """[minutes] Length of one slot: demand, coverage and shift starts are counted in
    slots. Default 30."""
    time_zone: str = "Asia/Shanghai"
    """IANA time zone of the local times, used for the UTC times of the exports and
    calendars. Default Asia/Shanghai (China Standard Time)."""
    cyclic: bool = False
    """true: the horizon repeats (a typical week), so shifts and rules at the end wrap to
    the start. Default false: a one-off period; shifts overnight from the day before
    may reach into the first day."""

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
    """CSV file, relative to the scenario file, with columns start (ISO local date-time,
    one row per slot in horizon order) and required (agents). Absent: no file."""
    required: list[Annotated[int, Field(ge=0, le=1_000_000)]] | None = None
    """[agents] Agents required on duty, one whole number per slot in horizon order,
    instead of a file. Absent: no inline demand."""
    floor: Annotated[int, Field(ge=0, le=1_000_000)] = 0
    """[agents] Minimum agents on duty in every slot, 24/7 (the requirement of a slot is
    at least this). Default 0: no minimum."""

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
    """Label of the break in the roster's outputs. Default "break"."""
    duration_minutes: Annotated[int, Field(gt=0, le=600)]
    """[minutes] Length of the break, a multiple of the slot length."""
    earliest_start_minutes: Annotated[int, Field(ge=0)]
    """[minutes] Earliest start of the break after the shift's start, a multiple of the
    slot length."""
    latest_start_minutes: Annotated[int, Field(ge=0)]
    """[minutes] Latest start of the break after the shift's start (not before
    earliest_start_minutes), a multiple of the slot length."""
    paid: bool = False
    """true: the break counts as paid time. Default false: unpaid, so it lengthens the
    time on site beyond the paid hours."""
    min_shift_hours: Annotated[float, Field(ge=0)] = 0.0
    """[hours] The break applies only to shifts of at least this many paid hours.
    Default 0: to every length of the shift type."""

    @model_validator(mode="after")
    def _window(self) -> Break:
        if self.latest_start_minutes < self.earliest_start_minutes:
            raise ValueError(
                "empty break window: latest_start_minutes is before earliest_start_minutes"
            )
        return self


class ShiftType(Strict):
    """A kind of shift: its paid lengths, the window its start lies in, and its breaks."""

    name: Annotated[str, Field(min_length=1, max_length=40)]
    """Unique name of the shift type, used by pools and in the roster."""
    paid_hours: Annotated[list[Annotated[float, Field(gt=0, le=16)]], Field(min_length=1)]
    """[hours] Allowed paid lengths, e.g. [8] or [4, 5, 6]; each a whole number of slots,
    none listed twice."""
    earliest_start: str
    """Earliest start time, "HH:MM"; an hour of 24 or more is the next day ("25:00" is
    01:00 the next day)."""
    latest_start: str
    """Latest start time, "HH:MM", not before earliest_start; past 24:00 for a window
    across midnight (22:00-25:00)."""
    start_step_minutes: Annotated[int, Field(gt=0, le=1440)] | None = None
    """[minutes] Starts are offered every this many minutes from earliest_start, a
    multiple of the slot length. Absent: every slot."""
    breaks: list[Break] = []
    """Breaks placed by the solver in each shift of this type. Default: none."""
    cost_per_paid_hour: Annotated[float, Field(ge=0)] = 1.0
    """[money per paid hour] Pay rate of this shift type (a pool's cost_per_paid_hour
    overrides it). Default 1: with kind cost, paid hours are the cost."""

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
    """Name of a file in configs/rules/ (without .yaml) whose keys are merged under the
    ones given here. Absent: no preset."""
    max_shifts_per_day: Literal[1] = 1
    """[shifts] Shifts per agent and roster day; only 1 is supported (a start after
    midnight written past 24:00 belongs to the day before). Default 1."""
    max_days_per_week: Annotated[int, Field(ge=1, le=7)] = 7
    """[days] At most this many working days in any 7 consecutive days. Default 7: no
    limit."""
    min_rest_hours: Annotated[float, Field(ge=0, le=72)] = 0.0
    """[hours] Rest of an agent between the end of one shift and the start of the next.
    Default 0: no rest rule."""
    max_consecutive_days: Annotated[int, Field(ge=1, le=366)] | None = None
    """[days] At most this many working days in a row. Absent: no limit beyond
    max_days_per_week."""
    min_weekly_paid_hours: Annotated[float, Field(ge=0, le=168)] = 0.0
    """[hours] Paid hours of each rostered agent per 7-day block from the horizon start,
    at least (a shorter last block has no minimum). Default 0: no minimum."""
    max_weekly_paid_hours: Annotated[float, Field(gt=0, le=168)] | None = None
    """[hours] Paid hours of each agent per 7-day block from the horizon start, at most
    (prorated for a shorter last block; overtime is counted apart). Absent: no limit."""
    max_daily_paid_hours: Annotated[float, Field(gt=0, le=24)] | None = None
    """[hours] No shift may be paid for more than this. Absent: no limit beyond the
    shift types' paid_hours."""
    max_headcount: Annotated[int, Field(ge=0)] | None = None
    """[agents] Distinct agents rostered over the horizon, at most (without pools only;
    with pools use their standing and max_hire). Absent: no cap."""

    @model_validator(mode="after")
    def _ranges(self) -> LabourRules:
        if (
            self.max_weekly_paid_hours is not None
            and self.min_weekly_paid_hours > self.max_weekly_paid_hours
        ):
            raise ValueError("min_weekly_paid_hours is above max_weekly_paid_hours")
        return self


class Coverage(Strict):
    """Whether the requirement is a hard rule, and what a slot short or over costs."""

    allow_understaffing: bool = False
    """true: slots may be short of their requirement (penalised, and listed in the
    result). Default false: every slot is covered, or the scenario is infeasible."""
    understaffing_penalty: Annotated[float, Field(gt=0)] = 1.0
    """[objective's unit per agent-slot] Cost of one agent short for one slot, in the
    objective's unit (agents, paid hours or money); used with allow_understaffing.
    Default 1."""
    overstaffing_penalty: Annotated[float, Field(ge=0)] = 0.0
    """[objective's unit per agent-slot] Cost of one agent more than required for one
    slot, in the objective's unit. Default 0: overstaffing is free."""


class Objective(Strict):
    """What the solver minimises."""

    kind: Literal[
        "headcount", "paid_hours", "cost", "penalties", "added_headcount", "headcount_then_cost"
    ] = "headcount"
    """headcount: fewest distinct agents, then fewest paid hours; paid_hours; cost;
    penalties: only the coverage and distinct-shift penalties (shift design);
    added_headcount: fewest hires beyond the pools' standing teams, then least cost;
    headcount_then_cost: fewest agents, then least cost. Default headcount."""
    cost_per_agent: Annotated[float, Field(ge=0)] = 0.0
    """[money per agent] Fixed cost of one agent over the horizon, added to the cost
    (kinds cost, added_headcount, headcount_then_cost). Default 0."""
    distinct_shift_penalty: Annotated[float, Field(ge=0)] = 0.0
    """[objective's unit per distinct shift] Cost of each distinct shift (start time of
    day + paid length) used anywhere in the horizon: fewer distinct start times are
    easier to run. Default 0: not penalised."""


class SolverSettings(Strict):
    """How long and how the search runs (OR-Tools CP-SAT)."""

    profile: str | None = None
    """Name of a file in configs/solver/ (without .yaml); keys given here override it.
    Absent: no profile."""
    time_limit_seconds: Annotated[float, Field(gt=0, le=86_400)] = 60.0
    """[seconds] Wall-clock budget of the whole solve (deterministic time with
    deterministic: true). Default 60."""
    workers: Annotated[int, Field(ge=1, le=64)] = 2
    """[threads] CP-SAT search workers run in parallel. Default 2."""
    seed: int = 0
    """Random seed of the search. Default 0."""
    deterministic: bool = False
    """true: interleaved, fixed-seed search that gives the same roster twice (slower).
    Default false: parallel search, fastest, rosters may differ between runs."""
