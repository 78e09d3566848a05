"""workload/sim/roster.py (used by `scheduler simulate` and the staffing loop): a roster's shifts as the simulation sees them. On a cyclic horizon
a shift past the end covers the start with that part instead (counted once, nothing
present outside the horizon); on an open horizon it is kept as it is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from scheduler.models import Result, Summary
from scheduler.models.result import BreakRecord, ShiftRecord
from scheduler.workload.sim.roster import _shifts_by_pool
from scheduler.workload.loaded import load_scenario
from tests.cli.test_simulate import one_queue

DAY = dt.datetime(2026, 11, 16)


def pieces(write_scenario, cyclic: bool):
    data = one_queue()
    data["horizon"]["cyclic"] = cyclic
    loaded = load_scenario(write_scenario(data))
    night = ShiftRecord(agent="A1", shift_type="d8", start=DAY.replace(hour=23),
                        end=DAY + dt.timedelta(hours=31), paid_minutes=480)
    meal = BreakRecord(agent="A1", start=DAY + dt.timedelta(hours=26),
                       end=DAY + dt.timedelta(hours=27), paid=False)
    result = Result(summary=Summary(scenario="one-queue", status="feasible", objective="headcount"),
                    shifts=[night], breaks=[meal])
    (shifts,) = _shifts_by_pool(loaded, result, Path(".")).values()
    return sorted((s.start_minute, s.end_minute, tuple(s.breaks)) for s in shifts)


def test_a_cyclic_night_shift_covers_the_start_of_the_day_with_its_part_past_midnight(
        write_scenario):
    assert pieces(write_scenario, cyclic=True) == [(0.0, 420.0, ((120.0, 180.0),)),
                                                   (1380.0, 1440.0, ())]


def test_an_open_night_shift_is_kept_whole(write_scenario):
    assert pieces(write_scenario, cyclic=False) == [(1380.0, 1860.0, ((1560.0, 1620.0),))]
