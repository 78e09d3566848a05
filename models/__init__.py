"""The contract: pydantic schemas of scenarios and results (no solver, no CLI)."""

from models.result import (
    SCHEMA_VERSION,
    BreakRecord,
    ChannelService,
    ChannelSlot,
    CoverageRecord,
    DayService,
    Result,
    ServiceFigures,
    ServiceSummary,
    ShiftRecord,
    Summary,
)
from models.scenario import (
    Break,
    Coverage,
    Demand,
    Horizon,
    LabourRules,
    Objective,
    Scenario,
    ShiftType,
    SolverSettings,
    parse_hhmm,
)
from models.workload import Channel

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
    "Demand",
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
