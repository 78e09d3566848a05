"""What the checker reports: one Violation per broken rule, the CheckReport of a roster,
the CheckFileError of a roster file that cannot be read at all, and the formatting of
times and hours in the messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str
    agent: str | None = None
    time: datetime | None = None
    queue: str | None = None
    """The queue (channel) concerned, for the per-queue rules."""


@dataclass
class QueueCoverage:
    """What the checker finds per queue (empty when the scenario does not split queues)."""

    required: dict[str, list[int]] = field(default_factory=dict)
    """Agents each queue needs per slot (the scenario's, shrinkage applied, no floor; the
    staffing loop's adjusted figure when coverage.csv records one)."""
    erlang_required: dict[str, list[int]] = field(default_factory=dict)
    """The scenario's own (Erlang) figure per queue and slot."""
    on_duty: list[tuple[int, ...]] = field(default_factory=list)
    """People on duty per slot and pool (in the scenario's pools' order)."""
    short_agent_slots: dict[str, float] = field(default_factory=dict)
    """Per queue, the least shortfall summed over the slots (agents x slots)."""
    other_work_short_agent_slots: float = 0.0
    """The same for the scenario's own demand (other work, any pool)."""
    short_per_slot: list[float] = field(default_factory=list)
    """Per slot, the least shortfall of the queues and other work together (agents)."""


@dataclass
class CheckReport:
    violations: list[Violation]
    headcount: int
    paid_minutes: int
    short_agent_slots: int
    over_agent_slots: int
    required: list[int]
    scheduled: list[int]
    cost: float = 0.0
    """What the roster costs: shifts at their pool's or type's rate with overtime
    premiums, standing agents' idle contract hours, hiring, cost per agent."""
    overtime_minutes: int = 0
    queue_short_agent_slots: dict[str, float] = field(default_factory=dict)
    """Scenarios that split people among queues: per queue, the least shortfall the
    people on duty leave, summed over the slots (agents x slots; exact 1/f, so
    fractional). Empty otherwise."""
    other_work_short_agent_slots: float = 0.0
    """The same for the scenario's own demand (other work), once the queues are served."""
    queues: QueueCoverage | None = None
    """The per-queue figures (QueueCoverage) when the scenario splits
    queues; None otherwise."""
    shifts: list = field(default_factory=list)
    """The roster's shifts as the checker read them (check/roster.py ShiftRecord)."""

    @property
    def ok(self) -> bool:
        return not self.violations

    def by_rule(self, rule: str) -> list[Violation]:
        return [v for v in self.violations if v.rule == rule]


class CheckFileError(ValueError):
    """A CSV file cannot be read at all (missing, unreadable, or missing columns)."""


def fmt_moment(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def fmt_hours(value: float) -> str:
    return f"{value:g} h"


def fmt_minutes_as_hours(minutes: float) -> str:
    return fmt_hours(round(minutes / 60, 4))
