"""Reading scenarios: YAML with line numbers, presets, demand CSVs; errors with key paths."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from models import Scenario, parse_hhmm
from scheduler.errors import InputError, InputErrors

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


def apply_presets(data: dict, file: Path, lines: dict) -> dict:
    """Merge configs/rules/<rules.preset> and configs/solver/<solver.profile> under the
    scenario's own keys (the scenario wins)."""
    data = dict(data)
    for section, key, kind in (("rules", "preset", "rules"), ("solver", "profile", "solver")):
        block = data.get(section)
        if isinstance(block, dict) and block.get(key) is not None:
            base = _preset(kind, block[key], file, f"{section}.{key}", lines.get((section, key)))
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


def validation_errors(exc: ValidationError, file: Path, lines: dict) -> InputErrors:
    errors = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and "[" in p))
        message = err["msg"]
        match = _AT_PATH.match(message)
        if match:
            loc = tuple(int(p) if p.isdigit() else p for p in match.group(1).split("."))
            message = match.group(2)
        else:
            message = message.removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            message = "unknown key"
        elif err["type"] == "missing":
            message = "required key is missing"
        errors.append(
            InputError(message, file=file, key_path=_dotted(loc), line=_line_for(lines, loc))
        )
    return InputErrors(errors)


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


def load_scenario(path: Path | str) -> LoadedScenario:
    path = Path(path)
    data, lines = read_yaml(path)
    if not isinstance(data, dict):
        raise InputError("a scenario must be a mapping of keys to values", file=path, line=1)
    data = apply_presets(data, path, lines)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise validation_errors(exc, path, lines) from None
    horizon = scenario.horizon
    if horizon.num_slots > MAX_SLOTS:
        raise InputError(
            f"{horizon.num_slots:,} slots is above the limit of {MAX_SLOTS:,}",
            file=path, key_path="horizon", line=lines.get(("horizon",)),
        )
    start = dt.datetime.combine(horizon.start_date, dt.time())
    digest = hashlib.sha256(path.read_bytes())
    demand = scenario.demand
    if demand.file is not None:
        csv_path = path.parent / demand.file
        values = read_demand_csv(csv_path, start, horizon.slot_minutes, horizon.num_slots)
        digest.update(csv_path.read_bytes())
    elif demand.required is not None:
        values = list(demand.required)
        if len(values) != horizon.num_slots:
            raise InputError(
                f"{len(values)} values given, the horizon has {horizon.num_slots} slots "
                f"({horizon.days} days of {horizon.slot_minutes} minutes)",
                file=path, key_path="demand.required", line=lines.get(("demand", "required")),
            )
    else:
        values = [0] * horizon.num_slots
    values = apply_events(scenario, values)
    required = tuple(max(v, demand.floor) for v in values)
    return LoadedScenario(scenario, path, required, digest.hexdigest(), lines)


def event_factors(scenario: Scenario) -> list[float]:
    """The product of the events' day and peak multipliers for each slot."""
    horizon = scenario.horizon
    slot = horizon.slot_minutes
    per_day = horizon.slots_per_day
    factors = [1.0] * horizon.num_slots
    for event in scenario.events:
        for s in range(horizon.num_slots):
            day = horizon.start_date + dt.timedelta(days=s // per_day)
            factors[s] *= event.day_multiplier(day)
        for peak in event.peaks:
            day0 = (peak.date - horizon.start_date).days * per_day
            first = day0 + parse_hhmm(peak.start) // slot
            last = day0 + -(-parse_hhmm(peak.end) // slot)
            for s in range(max(first, 0), min(last, horizon.num_slots)):
                factors[s] *= peak.multiplier
    return factors


def apply_events(scenario: Scenario, values: list[int]) -> list[int]:
    """Baseline requirement times the event factors, rounded up (agents are whole)."""
    if not scenario.events:
        return values
    return [
        math.ceil(v * f - 1e-9) if v else 0 for v, f in zip(values, event_factors(scenario))
    ]


def with_options(
    loaded: LoadedScenario, allow_understaffing: bool = False, seed: int | None = None
) -> LoadedScenario:
    """The scenario with command-line options applied (validated like the file)."""
    sc = loaded.scenario
    if allow_understaffing:
        sc = sc.model_copy(update={"coverage": sc.coverage.model_copy(update={"allow_understaffing": True})})
    if seed is not None:
        sc = sc.model_copy(update={"solver": sc.solver.model_copy(update={"seed": seed})})
    return LoadedScenario(sc, loaded.path, loaded.required, loaded.sha256, loaded.lines)
