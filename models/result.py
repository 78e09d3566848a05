"""Pydantic schema of a solve result: what summary.json, shifts.csv, breaks.csv and
coverage.csv hold. Column and key names are a contract: extend them, never rename them."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

SCHEMA_VERSION = 1

Status = Literal["optimal", "feasible", "infeasible", "unknown"]


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BreakRecord(_Row):
    agent: str
    start: dt.datetime
    end: dt.datetime
    paid: bool


class ShiftRecord(_Row):
    agent: str
    shift_type: str
    start: dt.datetime
    end: dt.datetime
    paid_minutes: int
    day: dt.date | None = None
    """The roster day the shift belongs to (a start after midnight belongs to the day
    before)."""


class CoverageRecord(_Row):
    start: dt.datetime
    required: int
    scheduled: int


class Summary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schema_version: int = SCHEMA_VERSION
    scenario: str
    status: Status
    objective: str
    headcount: int | None = None
    headcount_lower_bound: int | None = None
    headcount_gap: float | None = None
    """(headcount - lower bound) / headcount."""
    paid_hours: float | None = None
    paid_hours_lower_bound: float | None = None
    objective_value: float | None = None
    """The plan's primary objective in its unit (agents, paid hours, money or penalty),
    penalties included."""
    objective_bound: float | None = None
    """A proven lower bound on objective_value."""
    shifts: int = 0
    short_agent_slots: int = 0
    over_agent_slots: int = 0
    short_slots: list[dt.datetime] = []
    solve_seconds: float = 0.0
    message: str = ""
    """Why a run is infeasible or stopped early, in the scenario's terms."""
    versions: dict[str, str] = {}
    scenario_sha256: str = ""
    solver_parameters: dict[str, object] = {}
    variant: str | None = None
    """The scenario's `variants:` entry this run applied, if any."""
    overrides: list[str] = []
    """Every override applied (the variant's, --set, --sweep) as key=value, in order."""


class Result(BaseModel):
    model_config = ConfigDict(extra="forbid")

    summary: Summary
    shifts: list[ShiftRecord] = []
    breaks: list[BreakRecord] = []
    coverage: list[CoverageRecord] = []

    @property
    def feasible(self) -> bool:
        return self.summary.status in ("optimal", "feasible")
