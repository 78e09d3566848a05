"""The contract: pydantic schemas of scenarios and results (no solver, no CLI)."""

from models.result import (
    SCHEMA_VERSION,
    BreakRecord,
    CoverageRecord,
    DaySummary,
    PoolSummary,
    Result,
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
from models.pools import Event, Overtime, Peak, Pool  # after models.scenario, which it uses

__all__ = [
    "SCHEMA_VERSION",
    "Break",
    "BreakRecord",
    "Coverage",
    "CoverageRecord",
    "DaySummary",
    "Demand",
    "Event",
    "Overtime",
    "Peak",
    "Pool",
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
