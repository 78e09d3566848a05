"""A scenario read and validated: extends, variant and overrides applied, presets merged,
the scenario's own demand resolved per slot."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from scheduler.errors import InputError
from scheduler.models import Scenario
from scheduler.scenario.demand import apply_events, read_demand_csv
from scheduler.scenario.origins import Origins, validation_errors
from scheduler.scenario.overrides import Override, apply_override, parse_override
from scheduler.scenario.presets import apply_presets
from scheduler.scenario.staff import resolve_staff
from scheduler.scenario.tree import variants_of, read_tree

MAX_SLOTS = 366 * 96


@dataclass(frozen=True)
class ScenarioInput:
    """A validated scenario and its own demand, before any workload is sized."""

    scenario: Scenario
    path: Path
    demand: list[int]
    """The scenario's own requirement per slot, events applied, no floor (zeros without demand)."""
    digest: Any
    """sha256 of the scenario's files and overrides so far (hashlib object, still open)."""
    lines: dict[tuple[Any, ...], int] = field(default_factory=dict, compare=False, repr=False)
    variant: str | None = None
    overrides: tuple[str, ...] = ()


def read_scenario(
    path: Path | str,
    overrides: list[Override | str] | tuple = (),
    variant: str | None = None,
) -> ScenarioInput:
    """Read, merge (`extends:`), apply the variant's then the given overrides (strings
    are read as --set KEY=VALUE), merge presets, validate, and resolve the scenario's own
    demand (events applied; channels are the workload's to size)."""
    path = Path(path)
    data, places, files = read_tree(path)
    lines = {p: line for p, (f, line) in places.items() if f == path}
    variants = variants_of(data, places, path)
    data = copy.deepcopy({k: v for k, v in data.items() if k != "variants"})
    changes: list[Override] = []
    if variant is not None:
        if variant not in variants:
            known = ", ".join(variants) or "none"
            raise InputError(f"no variant named {variant!r} (the file has: {known})",
                             file=path, key_path="variants", line=lines.get(("variants",)))
        changes += variants[variant]
    changes += [parse_override(o) if isinstance(o, str) else o for o in overrides]
    origins = Origins(path, places)
    for ov in changes:
        origins.applied.append((ov, apply_override(data, ov)))
    demand_block = data.get("demand")
    if isinstance(demand_block, dict) and isinstance(demand_block.get("file"), str):
        declared = places.get(("demand", "file"), (path, None))[0]
        overridden = any(p == ("demand", "file")[:len(p)] for _, p in origins.applied)
        if declared != path and not overridden:
            # a demand file named in a base scenario is relative to that file
            demand_block["file"] = os.path.relpath(declared.parent / demand_block["file"], path.parent)
    data = apply_presets(data, path, lines, origins)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise validation_errors(exc, path, lines, origins) from None
    horizon = scenario.horizon
    if horizon.num_slots > MAX_SLOTS:
        raise origins.error(f"{horizon.num_slots:,} slots is above the limit of {MAX_SLOTS:,}",
                            ("horizon",))
    start = dt.datetime.combine(horizon.start_date, dt.time())
    digest = hashlib.sha256(path.read_bytes())
    for base in files[1:]:
        digest.update(base.read_bytes())
    for ov in changes:
        digest.update(f"\n{ov.text}".encode())
    scenario = resolve_staff(scenario, path, origins, digest)
    demand = scenario.demand
    if demand is None:
        values = [0] * horizon.num_slots
    elif demand.file is not None:
        csv_path = path.parent / demand.file
        values = read_demand_csv(csv_path, start, horizon.slot_minutes, horizon.num_slots)
        digest.update(csv_path.read_bytes())
    elif demand.required is not None:
        values = list(demand.required)
        if len(values) != horizon.num_slots:
            raise origins.error(
                f"{len(values)} values given, the horizon has {horizon.num_slots} slots "
                f"({horizon.days} days of {horizon.slot_minutes} minutes)",
                ("demand", "required"),
            )
    else:
        values = [0] * horizon.num_slots
    values = apply_events(scenario, values)
    return ScenarioInput(scenario, path, values, digest, lines, variant=variant,
                         overrides=tuple(ov.text for ov in changes))
