"""The checker's slot grid: minutes from the horizon start, slots wholly inside or touching
a span, wrapped on a cyclic horizon and cut at the ends of a linear one."""

from __future__ import annotations

from datetime import datetime

from scheduler.check.grid import Grid
from tests.check.check_cases import make


def test_minutes_and_times_from_the_horizon_start():
    grid = Grid.of(make(days=2, slot=30))
    assert (grid.length, grid.num_slots) == (2880, 96)
    assert grid.minute(datetime(2024, 1, 2, 6, 30)) == 1830
    assert grid.minute(datetime(2023, 12, 31, 22, 0)) == -120
    assert grid.slot_time(3) == datetime(2024, 1, 1, 1, 30)
    assert grid.day_start(-1) == datetime(2023, 12, 31)


def test_slots_within_and_touching_a_span():
    grid = Grid.of(make(slot=60))
    # 08:15-10:45 lies wholly over the 09:00 slot and touches 08:00 to 10:00
    assert grid.slots_within(495, 645) == [9]
    assert grid.slots_touching(495, 645) == [8, 9, 10]
    assert grid.slots_within(480, 600) == grid.slots_touching(480, 600) == [8, 9]


def test_linear_horizon_cuts_and_cyclic_horizon_wraps():
    linear = Grid.of(make(slot=60))
    cyclic = Grid.of(make(slot=60, cyclic=True))
    night = (22 * 60, 30 * 60)  # 22:00 to 06:00 of the next day
    assert linear.slots_within(*night) == [22, 23]
    assert cyclic.slots_within(*night) == [22, 23, 0, 1, 2, 3, 4, 5]
    lead_in = (-120, 360)  # 22:00 of the day before to 06:00
    assert linear.slots_touching(*lead_in) == [0, 1, 2, 3, 4, 5]
    assert cyclic.slots_touching(*lead_in) == [22, 23, 0, 1, 2, 3, 4, 5]
