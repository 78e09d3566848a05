"""Reading scenarios: YAML with line numbers, presets, demand CSVs; errors with key paths."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import hashlib
import math
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from models import Scenario
from scheduler.errors import InputError, InputErrors
from scheduler.events import event_factors
from scheduler.overrides import (
    Override,
    apply_override,
    deep_merge,
    did_you_mean,
    known_keys,
    parse_override,
    variant_overrides,
)

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CONFIG_DIR = PROJECT_ROOT / "configs"
MAX_SCENARIO_BYTES = 5_000_000
MAX_DEMAND_BYTES = 200_000_000
MAX_SLOTS = 366 * 96


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
    """Workload scenarios: the per-channel staffing (scheduler.staffing.Staffing)."""
    variant: str | None = None
    """The `variants:` entry applied, if any."""
    overrides: tuple[str, ...] = ()
    """Every override applied (variant, --set, --sweep), as key=value."""

    @property
    def directory(self) -> Path:
        return self.path.parent

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.scenario.horizon.start_date, dt.time())


# ---------------------------------------------------------------- YAML with line numbers


def _read_text(path: Path, key_path: str | None = None, limit: int = MAX_SCENARIO_BYTES) -> str:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("file not found", file=path, key_path=key_path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=path, key_path=key_path) from None
    if path.is_dir():
        raise InputError("is a directory, not a file", file=path, key_path=key_path)
    if size > limit:
        raise InputError(
            f"file is {size:,} bytes, above the limit of {limit:,}", file=path, key_path=key_path
        )
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", file=path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=path, key_path=key_path) from None


def _walk(node: yaml.Node, path: tuple, lines: dict, file: Path) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                raise InputError(
                    f"key {key!r} appears twice", file=file,
                    key_path=_dotted(path + (key,)), line=key_node.start_mark.line + 1,
                )
            seen.add(key)
            lines[path + (key,)] = key_node.start_mark.line + 1
            _walk(value_node, path + (key,), lines, file)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), lines, file)


def _dotted(path: tuple) -> str:
    return ".".join(str(p) for p in path) or "(top level)"


def read_yaml(path: Path) -> tuple[Any, dict[tuple, int]]:
    """Parse a YAML file; return its data and a map key path -> line number."""
    text = _read_text(path)
    try:
        loader = yaml.SafeLoader(text)
    except yaml.YAMLError as exc:  # e.g. a control character
        raise InputError(f"YAML error: {exc}", file=path) from None
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError("the file is empty", file=path)
        lines: dict[tuple, int] = {}
        _walk(node, (), lines, path)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or str(exc)
        raise InputError(f"YAML syntax error: {problem}", file=path, line=line) from None
    except yaml.YAMLError as exc:
        raise InputError(f"YAML error: {exc}", file=path) from None
    finally:
        loader.dispose()
    return data, lines


# ---------------------------------------------------------------- presets


def _preset(kind: str, name: Any, file: Path, key_path: str, line: int | None) -> dict:
    folder = CONFIG_DIR / kind
    available = sorted(p.stem for p in folder.glob("*.yaml"))
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_.-]+", name) or name not in available:
        raise InputError(
            f"unknown preset {name!r}; available: {', '.join(available)}",
            file=file, key_path=key_path, line=line,
        )
    data, _ = read_yaml(folder / f"{name}.yaml")
    if not isinstance(data, dict):
        raise InputError("a preset must be a mapping", file=folder / f"{name}.yaml")
    return data


def apply_presets(data: dict, file: Path, lines: dict, origins: Origins | None = None) -> dict:
    """Merge configs/rules/<rules.preset> and configs/solver/<solver.profile> under the
    scenario's own keys (the scenario wins)."""
    data = dict(data)
    for section, key, kind in (("rules", "preset", "rules"), ("solver", "profile", "solver")):
        block = data.get(section)
        if isinstance(block, dict) and block.get(key) is not None:
            try:
                base = _preset(kind, block[key], file, f"{section}.{key}", lines.get((section, key)))
            except InputError as exc:
                if origins is None or exc.key_path != f"{section}.{key}":
                    raise
                raise origins.error(exc.message, (section, key)) from None
            data[section] = {**base, **block}
    pools = data.get("pools")
    if isinstance(pools, list):
        merged = []
        for i, pool in enumerate(pools):
            block = pool.get("rules") if isinstance(pool, dict) else None
            if isinstance(block, dict) and block.get("preset") is not None:
                where = ("pools", i, "rules", "preset")
                base = _preset("rules", block["preset"], file, _dotted(where), lines.get(where))
                pool = {**pool, "rules": {**base, **block}}
            merged.append(pool)
        data["pools"] = merged
    return data


# ---------------------------------------------------------------- validation errors


_AT_PATH = re.compile(r"^(?:Value error, )?at ([\w.]+): (.*)$", re.S)


def _line_for(lines: dict, loc: tuple) -> int | None:
    loc = tuple(loc)
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return None


def validation_errors(exc: ValidationError, file: Path, lines: dict,
                      origins: Origins | None = None) -> InputErrors:
    errors = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and "[" in p))
        message = err["msg"]
        match = _AT_PATH.match(message)
        if match:
            # a nested model's message names its key relative to the model's own place
            loc = loc + tuple(int(p) if p.isdigit() else p for p in match.group(1).split("."))
            message = match.group(2)
        else:
            message = message.removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            message = "unknown key"
            if origins is not None:
                message += did_you_mean(loc[-1], known_keys(Scenario, loc[:-1]))
        elif err["type"] == "missing":
            message = "required key is missing"
        if origins is not None:
            errors.append(origins.error(message, loc, unknown_key=err["type"] == "extra_forbidden"))
            continue
        errors.append(
            InputError(message, file=file, key_path=_dotted(loc), line=_line_for(lines, loc))
        )
    return InputErrors(errors)


# ---------------------------------------------------------------- extends and overrides


@dataclass
class Origins:
    """Where each key path of a scenario came from: a file and line (the scenario or a
    file it extends), or an override (--set, --sweep, a variant)."""

    top: Path
    places: dict[tuple, tuple[Path, int]]
    applied: list[tuple[Override, tuple]] = field(default_factory=list)

    def place(self, loc: tuple) -> tuple[Path, int] | None:
        loc = tuple(loc)
        while loc:
            if loc in self.places:
                return self.places[loc]
            loc = loc[:-1]
        return None

    def error(self, message: str, loc: tuple, unknown_key: bool = False) -> InputError:
        loc = tuple(loc)
        for ov, path in reversed(self.applied):
            if loc[:len(path)] == path:  # the override set this value (or a mapping holding it)
                if unknown_key and loc == path:
                    parent = ".".join(ov.segments[:-1])
                    under = f"under {parent}" if parent else "at the top level"
                    return ov.error(message.replace("unknown key", f"unknown key {loc[-1]!r} {under}", 1))
                return ov.error(message, _dotted(loc) if loc != path else None)
        below = [ov for ov, path in self.applied if path[:len(loc)] == loc]
        if below and loc and loc not in self.places:  # a mapping the override created
            ov = below[-1]
            if unknown_key:
                parent = ".".join(ov.segments[:len(loc) - 1])
                under = f"under {parent}" if parent else "at the top level"
                key = ov.segments[len(loc) - 1]
                return ov.error(message.replace("unknown key", f"unknown key {key!r} {under}", 1))
            return ov.error(message, _dotted(loc))
        if below:
            message += f" (with {', '.join(ov.describe() for ov in below)})"
        place = self.place(loc)
        file, line = place if place else (self.top, None)
        return InputError(message, file=file, key_path=_dotted(loc), line=line)


def read_tree(path: Path, chain: tuple[Path, ...] = ()) -> tuple[dict, dict, list[Path]]:
    """Read a scenario file and the files it `extends:` (deep-merged, the extending file
    wins, lists replaced). Returns the data, key path -> (file, line), and the files read."""
    data, lines = read_yaml(path)
    if not isinstance(data, dict):
        raise InputError("a scenario must be a mapping of keys to values", file=path, line=1)
    origins = {p: (path, line) for p, line in lines.items()}
    if "extends" not in data:
        return data, origins, [path]
    ext = data.pop("extends")
    line = lines.get(("extends",))
    if not isinstance(ext, str) or not ext.strip():
        raise InputError("extends names the scenario file this one builds on", file=path,
                         key_path="extends", line=line)
    base = path.parent / ext
    seen = chain + (path.resolve(),)
    if base.resolve() in seen:
        names = " -> ".join(str(p) for p in seen + (base.resolve(),))
        raise InputError(f"extends makes a cycle: {names}", file=path, key_path="extends", line=line)
    if not base.is_file():
        raise InputError(f"the base scenario {ext!r} was not found ({base})", file=path,
                         key_path="extends", line=line)
    base_data, base_origins, files = read_tree(base, seen)
    merged, merged_origins = deep_merge(base_data, base_origins, data, origins)
    merged_origins.pop(("extends",), None)
    return merged, merged_origins, [path] + files


def read_variants(path: Path | str) -> dict[str, list[Override]]:
    """The `variants:` of a scenario (extends resolved): name -> its overrides."""
    path = Path(path)
    data, origins, _ = read_tree(path)
    return _variants(data, origins, path)


def _variants(data: dict, origins: dict, path: Path) -> dict[str, list[Override]]:
    block = data.get("variants")
    if block is None:
        return {}
    where = origins.get(("variants",), (path, None))
    if not isinstance(block, dict):
        raise InputError("variants is a mapping of names to overrides", file=where[0],
                         key_path="variants", line=where[1])
    out = {}
    for name, body in block.items():
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_.=,+-]+", name) or name == "base":
            at = origins.get(("variants", name), where)
            raise InputError(
                f"variant name {name!r}: use letters, digits and . _ = , + - ('base' is the "
                "scenario without a variant)", file=at[0], key_path="variants", line=at[1])
        out[name] = variant_overrides(name, body, str(where[0]), origins)
    return out


# ---------------------------------------------------------------- demand


def _parse_start(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text.strip())
    if value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    return value


def _parse_required(text: str) -> int:
    value = float(text)
    if math.isnan(value) or math.isinf(value):
        raise ValueError("not a number")
    if value < 0:
        raise ValueError("negative")
    if value > 1_000_000:
        raise ValueError("above 1,000,000 agents")
    return math.ceil(value - 1e-9)


def read_demand_csv(path: Path, start: dt.datetime, slot_minutes: int, num_slots: int) -> list[int]:
    """Read `start,required` rows; every slot of the horizon exactly once, in any order.
    A fractional requirement is rounded up (0.2 agents still needs someone)."""
    key = "demand.file"
    text = _read_text(path, key_path=key, limit=MAX_DEMAND_BYTES)
    reader = csv.reader(text.splitlines())
    header = next(reader, None)
    if header is None:
        raise InputError("the demand file is empty", file=path, key_path=key)
    header = [h.strip().lower() for h in header]
    if header[:2] != ["start", "required"]:
        raise InputError(
            f"line 1: expected the columns start,required, got {','.join(header)}",
            file=path, key_path=key, line=1,
        )
    values: list[int | None] = [None] * num_slots
    step = dt.timedelta(minutes=slot_minutes)
    end = start + step * num_slots
    for line_no, row in enumerate(reader, start=2):
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) < 2:
            raise InputError("a row needs start and required", file=path, key_path=key, line=line_no)
        try:
            when = _parse_start(row[0])
        except ValueError:
            raise InputError(
                f"start {row[0]!r} is not an ISO date-time (YYYY-MM-DDTHH:MM)",
                file=path, key_path=key, line=line_no,
            ) from None
        try:
            required = _parse_required(row[1])
        except ValueError as exc:
            raise InputError(
                f"required {row[1]!r} is not a valid number of agents ({exc})",
                file=path, key_path=key, line=line_no,
            ) from None
        if not (start <= when < end):
            raise InputError(
                f"start {when:%Y-%m-%dT%H:%M} is outside the horizon "
                f"{start:%Y-%m-%dT%H:%M} to {end:%Y-%m-%dT%H:%M}",
                file=path, key_path=key, line=line_no,
            )
        offset = (when - start) / step
        if offset != int(offset):
            raise InputError(
                f"start {when:%Y-%m-%dT%H:%M} is not on the {slot_minutes}-minute slot grid",
                file=path, key_path=key, line=line_no,
            )
        index = int(offset)
        if values[index] is not None:
            raise InputError(
                f"slot {when:%Y-%m-%dT%H:%M} appears twice", file=path, key_path=key, line=line_no
            )
        values[index] = required
    missing = [i for i, v in enumerate(values) if v is None]
    if missing:
        first = start + step * missing[0]
        raise InputError(
            f"{len(missing)} of {num_slots} slots have no row (first missing: "
            f"{first:%Y-%m-%dT%H:%M}); the file must hold every {slot_minutes}-minute slot "
            "of the horizon",
            file=path, key_path=key,
        )
    return [int(v) for v in values]  # type: ignore[arg-type]


# ---------------------------------------------------------------- the scenario


def load_scenario(
    path: Path | str,
    overrides: list[Override | str] | tuple = (),
    variant: str | None = None,
) -> LoadedScenario:
    """Read, merge (`extends:`), apply the variant's then the given overrides (strings
    are read as --set KEY=VALUE), merge presets, validate, and resolve the demand."""
    path = Path(path)
    data, places, files = read_tree(path)
    lines = {p: line for p, (f, line) in places.items() if f == path}
    variants = _variants(data, places, path)
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
    floor = demand.floor if demand is not None else 0
    staffing = None
    if scenario.channels:
        from scheduler.staffing import staffing_for

        staffing, files = staffing_for(scenario, path.parent, values, path, lines)
        for extra in files:
            digest.update(extra.read_bytes())
        values = [v + int(c) for v, c in zip(values, staffing.channel_total)]
    required = tuple(max(v, floor) for v in values)
    return LoadedScenario(scenario, path, required, digest.hexdigest(), lines,
                          staffing=staffing, variant=variant,
                          overrides=tuple(ov.text for ov in changes))


def apply_events(scenario: Scenario, values: list[int]) -> list[int]:
    """Baseline requirement times the factors of the events that are not limited to some
    channels, rounded up (agents are whole)."""
    if not any(e.channels is None for e in scenario.events):
        return values
    factors = event_factors(scenario, None)
    return [math.ceil(v * f - 1e-9) if v else 0 for v, f in zip(values, factors)]


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
