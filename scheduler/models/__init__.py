"""The contract: pydantic schemas of scenarios and results (no solver, no CLI)."""

from scheduler.models.result import (
    SCHEMA_VERSION,
    BreakRecord,
    ChannelService,
    ChannelSlot,
    CoverageRecord,
    DaySummary,
    PoolSummary,
    DayService,
    Result,
    ServiceFigures,
    ServiceSummary,
    ShiftRecord,
    Summary,
)
from scheduler.models.pools import Event, Overtime, Peak, Pool
from scheduler.models.scenario import Scenario
from scheduler.models.sections import (
    Break,
    Coverage,
    Demand,
    Horizon,
    LabourRules,
    Objective,
    ShiftType,
    SolverSettings,
    parse_hhmm,
)
from scheduler.models.workload import Channel, Escalation, Pooling

__all__ = [
    "SCHEMA_VERSION",
    "Break",
    "BreakRecord",
    "Channel",
    "ChannelService",
    "ChannelSlot",
    "DayService",
    "ServiceFigures",
    "ServiceSummary",
    "Coverage",
    "CoverageRecord",
    "DaySummary",
    "Demand",
    "Escalation",
    "Event",
    "Overtime",
    "Peak",
    "Pool",
    "Pooling",
    "PoolSummary",
    "Horizon",
    "LabourRules",
    "Objective",
    "Result",
    "Scenario",
    "ShiftRecord",
    "ShiftType",
    "SolverSettings",
    "Summary",
    "parse_hhmm",
]
