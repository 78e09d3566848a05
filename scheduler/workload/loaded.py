"""A scenario loaded for solving: read (scheduler.scenario), then its channels sized, so that
every slot has one requirement of agents on duty."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from scheduler.errors import InputError
from scheduler.models import Scenario
from scheduler.scenario.overrides import Override
from scheduler.scenario.read import read_scenario
from scheduler.workload.staffing import staffing_for


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario with its demand resolved to one requirement per slot."""

    scenario: Scenario
    path: Path
    required: tuple[int, ...]
    """Agents required on duty per slot (the floor applied)."""
    sha256: str
    """Hash of the scenario file and its data files."""
    lines: dict[tuple[Any, ...], int] = field(default_factory=dict, compare=False, repr=False)
    staffing: Any = field(default=None, compare=False, repr=False)
    """Workload scenarios: the per-channel staffing (scheduler.workload.staffing.Staffing)."""
    variant: str | None = None
    """The `variants:` entry applied, if any."""
    overrides: tuple[str, ...] = ()
    """Every override applied (variant, --set, --sweep), as key=value."""
    queues: tuple[str, ...] = ()
    """The scenario's channels (queues) by name, in the scenario's order; () without
    channels."""
    queue_required: dict[str, tuple[int, ...]] = field(default_factory=dict, compare=False,
                                                        repr=False)
    """Agents to roster per queue and slot (after bot containment and escalations, grossed
    up for shrinkage, no floor), keyed by the names of `queues` in that order. `required`
    is max(demand_required + the sum of these, floor)."""
    demand_required: tuple[int, ...] = ()
    """The scenario's own `demand` per slot (other work, events applied, no floor); zeros
    without demand."""
    capped_pools: tuple[str, ...] = ()
    """Named staff: pools whose hiring cap the plan keeps (the groups of people serving
    part of a pool's queues, engine/serves.py); the plan drops the other pools' caps."""

    @property
    def directory(self) -> Path:
        return self.path.parent

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.scenario.horizon.start_date, dt.time())


def with_queue_required(loaded: LoadedScenario,
                        queue_required: dict[str, tuple[int, ...]]) -> LoadedScenario:
    """The loaded scenario with other per-queue requirements (the staffing loop's
    adjustments) and `required` recomputed from them: max(demand + queues, floor)."""
    sc = loaded.scenario
    floor = sc.demand.floor if sc.demand is not None else 0
    totals = list(loaded.demand_required) or [0] * len(loaded.required)
    for name in loaded.queues:
        totals = [t + int(v) for t, v in zip(totals, queue_required[name])]
    required = tuple(max(v, floor) for v in totals)
    return replace(loaded, required=required, queue_required=dict(queue_required))


def load_scenario(
    path: Path | str,
    overrides: list[Override | str] | tuple = (),
    variant: str | None = None,
) -> LoadedScenario:
    """Read the scenario (extends, variant, overrides, presets, validation, its own demand),
    then add the agents its channels need: requirement = max(demand + channels, floor)."""
    read = read_scenario(path, overrides, variant)
    scenario, values, digest = read.scenario, read.demand, read.digest
    staffing = None
    demand_required = tuple(int(v) for v in values)
    queue_required: dict[str, tuple[int, ...]] = {}
    if scenario.channels_as_solved:  # each queue's agents as solved: nothing to size
        queue_required = {c.name: tuple(int(v) for v in c.required) for c in scenario.channels}
        values = [v + sum(q[t] for q in queue_required.values()) for t, v in enumerate(values)]
    elif scenario.channels:
        staffing, files = staffing_for(scenario, read.path.parent, values, read.path, read.lines)
        for extra in files:
            digest.update(extra.read_bytes())
        values = [v + int(c) for v, c in zip(values, staffing.channel_total)]
        queue_required = staffing.queue_required
    floor = scenario.demand.floor if scenario.demand is not None else 0
    required = tuple(max(v, floor) for v in values)
    return LoadedScenario(scenario, read.path, required, digest.hexdigest(), read.lines,
                          staffing=staffing, variant=read.variant, overrides=read.overrides,
                          queues=tuple(c.name for c in scenario.channels),
                          queue_required=queue_required, demand_required=demand_required)


def with_options(
    loaded: LoadedScenario, allow_understaffing: bool = False, seed: int | None = None
) -> LoadedScenario:
    """The scenario with command-line options applied (validated like the file)."""
    sc = loaded.scenario
    if allow_understaffing:
        sc = sc.model_copy(update={"coverage": sc.coverage.model_copy(update={"allow_understaffing": True})})
    if seed is not None:
        sc = sc.model_copy(update={"solver": sc.solver.model_copy(update={"seed": seed})})
    return replace(loaded, scenario=sc)


def load_workload(path: Path | str):
    """load_scenario for a scenario that must have workload channels."""
    loaded = load_scenario(path)
    if loaded.staffing is None:
        raise InputError("the scenario has no workload channels (it states agents required "
                         "directly)", file=path, key_path="channels")
    return loaded
