"""A synthetic solved roster of any size, without solving: for the export benchmark and
the tests of large reports. Agents work five days in seven on a day, evening or night
shift (8 paid hours, an unpaid meal and a paid short break); the requirement follows what
is on duty with a few slots made short."""

from __future__ import annotations

import datetime as dt
import random

from scheduler.models import BreakRecord, CoverageRecord, Result, Scenario, ShiftRecord, Summary

SLOT_MINUTES = 30
TYPES = (("day", 8 * 60), ("evening", 15 * 60), ("night", 22 * 60))


def synthetic_scenario(days: int, start_date: dt.date = dt.date(2026, 11, 2),
                       time_zone: str = "Asia/Shanghai") -> Scenario:
    def shift_type(name: str, start: int) -> dict:
        return {"name": name, "paid_hours": [8],
                "earliest_start": f"{(start - 120) // 60:02d}:{(start - 120) % 60:02d}",
                "latest_start": f"{(start + 120) // 60:02d}:{(start + 120) % 60:02d}",
                "breaks": [{"name": "meal", "duration_minutes": 60, "earliest_start_minutes": 180,
                            "latest_start_minutes": 300},
                           {"name": "rest", "duration_minutes": 30, "earliest_start_minutes": 360,
                            "latest_start_minutes": 420, "paid": True}]}

    return Scenario.model_validate({
        "name": "synthetic",
        "horizon": {"start_date": start_date.isoformat(), "days": days,
                    "slot_minutes": SLOT_MINUTES, "time_zone": time_zone},
        "demand": {"floor": 1},
        "shift_types": [shift_type(name, start) for name, start in TYPES],
        "rules": {"max_days_per_week": 5, "min_rest_hours": 11},
    })


def synthetic_result(agents: int, days: int, start_date: dt.date = dt.date(2026, 11, 2),
                     seed: int = 0, pools: tuple[str, ...] = (),
                     rest_breaks: bool = True) -> Result:
    """`rest_breaks`: each shift has its paid 30-minute rest after the meal (two breaks a
    shift); without, the meal alone, as in the solved rosters of the scale grid."""
    rng = random.Random(seed)
    origin = dt.datetime.combine(start_date, dt.time())
    slots = days * 1440 // SLOT_MINUTES
    on_duty = [0] * slots
    shifts, breaks = [], []
    width = len(str(agents))
    for a in range(agents):
        agent = f"A{a + 1:0{width}d}"
        name, base = TYPES[a % len(TYPES)]
        start_minute = base + SLOT_MINUTES * rng.randint(-4, 4)
        off = {(a + k) % 7 for k in (0, 1)}
        pool = pools[a % len(pools)] if pools else None
        for d in range(days):
            if d % 7 in off:
                continue
            start = d * 1440 + start_minute
            end = start + 9 * 60  # 8 paid hours + the unpaid meal
            meal = start + 180 + SLOT_MINUTES * rng.randint(0, 4)
            rest = start + 390
            kwargs = dict(agent=agent, shift_type=name,
                          start=origin + dt.timedelta(minutes=start),
                          end=origin + dt.timedelta(minutes=end), paid_minutes=480,
                          day=start_date + dt.timedelta(days=d))
            if pool is not None:
                kwargs["pool"] = pool
            shifts.append(kwargs)
            breaks.append(BreakRecord(agent=agent, start=origin + dt.timedelta(minutes=meal),
                                      end=origin + dt.timedelta(minutes=meal + 60), paid=False))
            if rest_breaks:
                breaks.append(BreakRecord(agent=agent, start=origin + dt.timedelta(minutes=rest),
                                          end=origin + dt.timedelta(minutes=rest + 30),
                                          paid=True))
            for k in range(start // SLOT_MINUTES, min(slots, end // SLOT_MINUTES)):
                on_duty[k] += 1
            for b0, b1 in ((meal, meal + 60), (rest, rest + 30))[:2 if rest_breaks else 1]:
                for k in range(b0 // SLOT_MINUTES, min(slots, b1 // SLOT_MINUTES)):
                    on_duty[k] -= 1
    coverage = []
    for k in range(slots):
        required = max(1, on_duty[k] - rng.randint(0, 3) + (5 if rng.random() < 0.02 else 0))
        coverage.append(CoverageRecord(start=origin + dt.timedelta(minutes=k * SLOT_MINUTES),
                                       required=required, scheduled=on_duty[k]))
    shift_records = [ShiftRecord(**s) for s in shifts]
    short = [c.start for c in coverage if c.scheduled < c.required]
    summary = Summary(
        scenario="synthetic", status="feasible", objective="headcount", headcount=agents,
        paid_hours=sum(s.paid_minutes for s in shift_records) / 60, shifts=len(shift_records),
        short_agent_slots=sum(max(0, c.required - c.scheduled) for c in coverage),
        over_agent_slots=sum(max(0, c.scheduled - c.required) for c in coverage),
        short_slots=short)
    return Result(summary=summary, shifts=shift_records, breaks=breaks, coverage=coverage)
