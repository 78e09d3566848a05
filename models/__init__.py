"""The contract: pydantic schemas of scenarios and results (no solver, no CLI)."""

from models.result import (
    SCHEMA_VERSION,
    BreakRecord,
    CoverageRecord,
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

__all__ = [
    "SCHEMA_VERSION",
    "Break",
    "BreakRecord",
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
