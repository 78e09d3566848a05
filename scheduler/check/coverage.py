"""Coverage: the requirement per slot re-derived from the scenario (demand values or
file, events' day and peak factors, workload channels, the floor), the agents on duty per
slot (on shift and not on a break touching the slot), and "coverage" where a slot is
short unless the scenario allows understaffing."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

from scheduler import models
from scheduler.check.files import DEMAND_COLUMNS, missing_slots_message, read_slot_file
from scheduler.check.grid import Grid
from scheduler.check.report import Violation, fmt_moment
from scheduler.check.roster import BreakRecord, ShiftRecord


def requirement(
    scenario: models.Scenario, scenario_dir: Path, grid: Grid, out: list[Violation]
) -> list[int]:
    """Agents required per slot; "file" violations for demand that cannot be read."""
    return requirement_parts(scenario, scenario_dir, grid, out).total


@dataclass(frozen=True)
class Requirement:
    """The requirement per slot in its parts: the scenario's own demand (events applied,
    no floor), each queue's agents (no floor), and the floor on the total."""

    demand: list[int]
    queues: dict[str, list[int]]
    floor: int

    @property
    def total(self) -> list[int]:
        values = list(self.demand)
        for per_slot in self.queues.values():
            values = [v + c for v, c in zip(values, per_slot)]
        return [max(v, self.floor) for v in values]


def requirement_parts(
    scenario: models.Scenario, scenario_dir: Path, grid: Grid, out: list[Violation]
) -> Requirement:
    """The requirement's parts; "file" violations for demand that cannot be read."""
    n = grid.num_slots
    demand = scenario.demand
    values = [0] * n
    if demand is None:
        pass
    elif demand.required is not None:
        if len(demand.required) != n:
            out.append(
                Violation(
                    "file",
                    f"demand.required has {len(demand.required)} values, the horizon has {n} slots",
                )
            )
        for i, value in enumerate(demand.required[:n]):
            values[i] = value
    elif demand.file is not None:
        path = Path(scenario_dir) / demand.file
        by_slot = read_slot_file(path, DEMAND_COLUMNS, grid, out)
        if by_slot is not None:
            missing = [i for i in range(n) if i not in by_slot]
            if missing:
                out.append(Violation("file", missing_slots_message(path.name, missing, grid)))
            for i, row in by_slot.items():
                values[i] = row["required"]
    if scenario.events:
        values = [_with_events(scenario, grid, i, v) for i, v in enumerate(values)]
    queues = _queue_requirement(scenario, scenario_dir, out) if scenario.channels else {}
    return Requirement(values, queues, demand.floor if demand is not None else 0)


def _queue_requirement(
    scenario: models.Scenario, scenario_dir: Path, out: list[Violation]
) -> dict[str, list[int]]:
    """Agents each workload channel (queue) needs per slot: as stated when the channels
    give them as solved (channels[].required, a saved folder's scenario). The queueing formulas are
    not the solver's model: they live in scheduler/workload/staffing.py and
    scheduler/workload/erlang.py (checked against published figures and a simulation in
    the tests), so the checker takes the per-slot figures from there rather than keeping a
    second copy of them."""
    from scheduler.errors import SchedulerError
    from scheduler.workload.staffing import staffing_for

    if scenario.channels_as_solved:  # a saved folder's scenario: the agents as solved
        return {c.name: [int(v) for v in c.required] for c in scenario.channels}
    try:
        staffing, _ = staffing_for(scenario, Path(scenario_dir))
    except SchedulerError as exc:
        out.append(Violation("file", str(exc)))
        return {c.name: [0] * scenario.horizon.num_slots for c in scenario.channels}
    return {name: list(v) for name, v in staffing.queue_required.items()}


def queue_floor(scenario: models.Scenario, scenario_dir: Path) -> dict[str, list[int]]:
    """The least each queue's requirement may be lowered to by the staffing loop, per
    slot (workload Staffing.queue_floor: the agents its offered work keeps busy, grossed
    up for shrinkage, or its Erlang figure when lower); empty when it cannot be read."""
    from scheduler.errors import SchedulerError
    from scheduler.workload.staffing import staffing_for

    try:
        staffing, _ = staffing_for(scenario, Path(scenario_dir))
    except SchedulerError:
        return {}
    return {name: list(v) for name, v in staffing.queue_floor.items()}


def _with_events(scenario: models.Scenario, grid: Grid, index: int, value: int) -> int:
    """The slot's baseline requirement times every event's day and peak factors, rounded
    up to whole agents."""
    if value == 0:
        return 0
    moment = grid.slot_time(index)
    factor = 1.0
    for event in scenario.events:
        if event.channels is not None:
            continue  # those multiply channel volumes (in the channel requirement)
        if event.start_date <= moment.date() <= event.end_date:
            m = event.multiplier
            factor *= m[(moment.date() - event.start_date).days] if isinstance(m, list) else m
        for peak in event.peaks:
            base = datetime.combine(peak.date, time(0, 0))
            lo = base + timedelta(minutes=_hhmm_minutes(peak.start))
            hi = base + timedelta(minutes=_hhmm_minutes(peak.end))
            slot_end = moment + timedelta(minutes=grid.slot)
            if moment < hi and slot_end > lo:
                factor *= peak.multiplier
    exact = value * factor
    whole = int(exact)
    return whole if exact - whole <= 1e-9 else whole + 1


def _hhmm_minutes(text: str) -> int:
    hours, minutes = text.strip().split(":")
    return int(hours) * 60 + int(minutes)


def scheduled_per_slot(
    shifts: list[ShiftRecord], breaks: list[BreakRecord], grid: Grid
) -> list[int]:
    """Agents on duty per slot: on shift for the whole slot and on no break touching it."""
    on_shift: dict[str, set[int]] = defaultdict(set)
    on_break: dict[str, set[int]] = defaultdict(set)
    for sh in shifts:
        on_shift[sh.agent].update(grid.slots_within(sh.s, sh.e))
    for br in breaks:
        on_break[br.agent].update(grid.slots_touching(br.s, br.e))
    scheduled = [0] * grid.num_slots
    for agent, slots in on_shift.items():
        for i in slots - on_break[agent]:
            scheduled[i] += 1
    return scheduled


def check_coverage(
    scenario: models.Scenario,
    grid: Grid,
    required: list[int],
    scheduled: list[int],
    out: list[Violation],
) -> None:
    """"coverage" where fewer people are on duty than required, unless understaffing is
    allowed. When the scenario splits its people among queues (pools serving only some
    queues, or faster or slower on some), a person is worth 1/f agents of a queue, so the
    queues are checked one by one (check/queues.py) and the total here only against the
    floor, which applies to everyone on duty."""
    if scenario.coverage.allow_understaffing:
        return
    split = scenario.splits_queues
    floor = scenario.demand.floor if scenario.demand is not None else 0
    for i, (req, sched) in enumerate(zip(required, scheduled)):
        if split:
            req = floor
        if sched < req:
            moment = grid.slot_time(i)
            what = "the floor" if split else "required"
            out.append(
                Violation(
                    "coverage",
                    f"{fmt_moment(moment)}: {sched} agent(s) on duty, {req} {what} "
                    f"(short {req - sched})",
                    None,
                    moment,
                )
            )
