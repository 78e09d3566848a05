"""The slot grid the checker derives from the horizon: minutes from the horizon start
(00:00 local on ``horizon.start_date``), slots wholly inside or touching a span, wrapping
when the horizon is cyclic. Datetimes are naive local times; the time zone is a label.

Also the tolerances for comparing minutes and hours with the scenario's float figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from scheduler import models

DAY = 1440
"""Minutes in a day."""
HOURS_TOL = 1e-6
MINUTES_TOL = HOURS_TOL * 60


@dataclass(frozen=True)
class Grid:
    t0: datetime
    days: int
    slot: int
    cyclic: bool
    time_zone: str

    @classmethod
    def of(cls, scenario: models.Scenario) -> Grid:
        h = scenario.horizon
        return cls(
            t0=datetime.combine(h.start_date, time(0, 0)),
            days=h.days,
            slot=h.slot_minutes,
            cyclic=h.cyclic,
            time_zone=h.time_zone,
        )

    @property
    def length(self) -> int:
        return self.days * DAY

    @property
    def num_slots(self) -> int:
        return self.length // self.slot

    def minute(self, moment: datetime) -> int:
        return (moment - self.t0) // timedelta(minutes=1)

    def at(self, minute: int) -> datetime:
        return self.t0 + timedelta(minutes=minute)

    def day_start(self, day: int) -> datetime:
        return self.at(day * DAY)

    def slot_time(self, index: int) -> datetime:
        return self.at(index * self.slot)

    def slots_within(self, start: int, end: int) -> list[int]:
        """Slots of the horizon wholly inside [start, end) (wrapped when cyclic)."""
        first = -(-start // self.slot)
        last = end // self.slot  # exclusive
        return self._on_grid(range(first, last))

    def slots_touching(self, start: int, end: int) -> list[int]:
        """Slots of the horizon overlapping [start, end) (wrapped when cyclic)."""
        first = start // self.slot
        last = -(-end // self.slot)  # exclusive
        return self._on_grid(range(first, last))

    def _on_grid(self, indices: range) -> list[int]:
        n = self.num_slots
        if self.cyclic:
            return [i % n for i in indices]
        return [i for i in indices if 0 <= i < n]
