"""What-if machinery over the raw YAML tree of a scenario, before validation.

An override is a dotted key path and a value (`rules.max_days_per_week=6`). It is applied
to the data read from the file, so the result is validated exactly as if it had been
written there, and it works for any key the schema has (today's or a later one). Key
segments descend into mappings; in a list, a segment names the item whose `name` is that
segment (`shift_types.day-8h.paid_hours`) or is its index (`shift_types.0.paid_hours`).

Also here: deep merging for `extends:`, the `variants:` section, sweep grids and safe
folder names. This module reads no files.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import itertools
import re
import types
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel

from scheduler.errors import InputError

MAX_SWEEP_POINTS = 10_000
_HHMM = re.compile(r"^\s*\d{1,2}:\d{2}\s*$")


@dataclass(frozen=True)
class Override:
    """One `key=value` change to a scenario and where it was written."""

    key: str
    """Dotted key path as written, e.g. shift_types.day.paid_hours."""
    value: Any
    source: str = "--set"
    """--set, --sweep, or `variant NAME` (then file and line say where)."""
    file: str | None = None
    line: int | None = None

    @property
    def segments(self) -> list[str]:
        return self.key.split(".")

    @property
    def text(self) -> str:
        return f"{self.key}={format_value(self.value)}"

    def describe(self) -> str:
        if self.file is not None:
            return f"{self.source} ({self.file}:{self.line})" if self.line else f"{self.source}"
        return f"{self.source} {self.text}"

    def error(self, message: str, key_path: str | None = None) -> InputError:
        """An error caused by this override: named by the command-line option (no line),
        or by the file and line of the variant entry."""
        if self.file is not None:
            where = f"{self.source}: {self.key}" + (f" ({key_path})" if key_path else "")
            return InputError(message, file=self.file, key_path=where, line=self.line)
        return InputError(message, file=f"{self.source} {self.text}", key_path=key_path)


# ---------------------------------------------------------------- values and keys


def parse_value(text: str) -> Any:
    """A value as YAML reads it (`6`, `0.8`, `[4, 6]`, `true`, `null`), except that a time
    of day such as `21:30` stays a string (YAML 1.1 would read it as 1290)."""
    if _HHMM.match(text):
        return text.strip()
    return yaml.safe_load(text)


def format_value(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str, dt.date)):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(format_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {format_value(v)}" for k, v in value.items()) + "}"
    return str(value)


def _check_key(key: str, source: str, text: str) -> None:
    if not key or any(not seg.strip() for seg in key.split(".")):
        raise InputError(
            "expected KEY=VALUE with a dotted key path, e.g. rules.max_days_per_week=6",
            file=f"{source} {text}",
        )


def parse_override(text: str, source: str = "--set") -> Override:
    """`rules.max_days_per_week=6` -> Override."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep:
        _check_key("", source, text)
    _check_key(key, source, text)
    try:
        value = parse_value(raw)
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"cannot read the value {raw!r}: {problem}", file=f"{source} {text}") from None
    return Override(key, value, source)


# ---------------------------------------------------------------- applying to the tree


def _item_names(items: list) -> list[str]:
    return [str(i["name"]) for i in items if isinstance(i, dict) and "name" in i]


def _list_index(items: list, seg: str, ov: Override, where: str) -> int:
    for i, item in enumerate(items):
        if isinstance(item, dict) and str(item.get("name")) == seg:
            return i
    if re.fullmatch(r"\d+", seg) and int(seg) < len(items):
        return int(seg)
    names = _item_names(items)
    listed = f" (items: {', '.join(names)})" if names else f" ({len(items)} items, index 0-{len(items) - 1})" if items else " (the list is empty)"
    raise ov.error(f"no item named {seg!r} in {where}{listed}")


def apply_override(data: dict, ov: Override) -> tuple:
    """Set the override's value in `data` (changed in place); return the key path it
    resolved to, list items as indices (as validation errors name them). Missing
    mappings on the way are created; whether a key exists is for validation to say."""
    node: Any = data
    resolved: list = []
    segs = ov.segments
    for depth, seg in enumerate(segs):
        last = depth == len(segs) - 1
        where = ".".join(segs[:depth]) or "the top level"
        if isinstance(node, dict):
            key: Any = seg
            resolved.append(seg)
            if last:
                node[key] = ov.value
                break
            child = node.get(key)
            if child is None:
                child = node[key] = {}
            elif not isinstance(child, (dict, list)):
                raise ov.error(
                    f"{'.'.join(segs[:depth + 1])} is a single value ({format_value(child)}), "
                    f"so it has no key {segs[depth + 1]!r}"
                )
            node = child
        elif isinstance(node, list):
            index = _list_index(node, seg, ov, where)
            resolved.append(index)
            if last:
                node[index] = ov.value
                break
            child = node[index]
            if not isinstance(child, (dict, list)):
                raise ov.error(
                    f"{'.'.join(segs[:depth + 1])} is a single value ({format_value(child)}), "
                    f"so it has no key {segs[depth + 1]!r}"
                )
            node = child
    return tuple(resolved)


# ---------------------------------------------------------------- extends: deep merge


def deep_merge(base: dict, base_origins: dict, child: dict, child_origins: dict
               ) -> tuple[dict, dict]:
    """`child` over `base`: mappings merge key by key, anything else (lists included) is
    replaced. Origins (key path -> where it was written) follow the values kept."""
    replaced: list[tuple] = []

    def merge(b: dict, c: dict, prefix: tuple) -> dict:
        out = dict(b)
        for key, value in c.items():
            path = prefix + (key,)
            if isinstance(value, dict) and isinstance(b.get(key), dict):
                out[key] = merge(b[key], value, path)
            else:
                out[key] = value
                replaced.append(path)
        return out

    merged = merge(base, child, ())
    origins = {
        p: o for p, o in base_origins.items()
        if not any(len(p) > len(r) and p[:len(r)] == r for r in replaced)
    }
    origins.update(child_origins)
    return merged, origins


# ---------------------------------------------------------------- variants


def variant_overrides(name: str, body: Any, file: str, origins: dict) -> list[Override]:
    """A `variants:` entry (dotted keys, nested mappings, or both) as overrides."""
    source = f"variant {name}"
    out: list[Override] = []

    def walk(mapping: dict, keys: tuple, raw: tuple) -> None:
        for k, v in mapping.items():
            key = keys + (str(k),)
            raw_path = raw + (k,)
            if isinstance(v, dict) and v:
                walk(v, key, raw_path)
            else:
                where = origins.get(("variants", name) + raw_path)
                line = where[1] if where else None
                path = where[0] if where else file
                dotted = ".".join(key)
                if any(not seg.strip() for seg in dotted.split(".")):
                    raise InputError("empty key segment", file=path,
                                     key_path=f"variants.{name}.{dotted}", line=line)
                out.append(Override(dotted, v, source, str(path), line))

    if body is None:
        return out
    if not isinstance(body, dict):
        where = origins.get(("variants", name))
        raise InputError(
            "a variant is a mapping of key paths to values, e.g. rules.max_days_per_week: 6",
            file=where[0] if where else file, key_path=f"variants.{name}",
            line=where[1] if where else None,
        )
    walk(body, (), ())
    return out


# ---------------------------------------------------------------- sweeps


def _decimal(text: str) -> Decimal | None:
    try:
        d = Decimal(text.strip())
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def _number(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(d)


def parse_sweep(text: str) -> tuple[str, list]:
    """`key=START:STOP:STEP` (STOP included) or `key=V1,V2,...` -> (key, values)."""
    source = "--sweep"
    key, sep, spec = text.partition("=")
    key = key.strip()
    _check_key(key if sep else "", source, text)
    parts = spec.split(":")
    numbers = [_decimal(p) for p in parts] if len(parts) == 3 else []
    if numbers and all(n is not None for n in numbers):
        start, stop, step = numbers
        if step == 0 or (stop - start) * step < 0:
            raise InputError(
                "START:STOP:STEP needs a step that goes from START towards STOP",
                file=f"{source} {text}",
            )
        count = int((stop - start) / step) + 1
        if count > MAX_SWEEP_POINTS:
            raise InputError(f"{count:,} values is above the limit of {MAX_SWEEP_POINTS:,}",
                             file=f"{source} {text}")
        return key, [_number(start + i * step) for i in range(count)]
    try:
        if "[" in spec or "{" in spec:
            values = yaml.safe_load(f"[{spec}]")
        else:
            values = [parse_value(p) for p in spec.split(",")]
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"cannot read the values: {problem}", file=f"{source} {text}") from None
    if not spec.strip() or not values:
        raise InputError("expected KEY=START:STOP:STEP or KEY=V1,V2,...", file=f"{source} {text}")
    return key, list(values)


def _short_keys(keys: list[str]) -> dict[str, str]:
    """The shortest dotted suffix of each key that no other key ends with."""
    short = {}
    for key in keys:
        segs = key.split(".")
        for n in range(1, len(segs) + 1):
            cand = ".".join(segs[-n:])
            if not any(o != key and (o == cand or o.endswith("." + cand)) for o in keys):
                break
        short[key] = cand
    return short


def sweep_grid(sweeps: list[tuple[str, list]]) -> list[tuple[str, list[Override]]]:
    """The product of the sweeps: (label, overrides) per point, in order."""
    if not sweeps:
        return []
    keys = [k for k, _ in sweeps]
    short = _short_keys(keys)
    total = 1
    for _, values in sweeps:
        total *= len(values)
    if total > MAX_SWEEP_POINTS:
        raise InputError(f"the sweeps make {total:,} runs, above the limit of {MAX_SWEEP_POINTS:,}",
                         file="--sweep")
    grid = []
    for point in itertools.product(*(values for _, values in sweeps)):
        label = ",".join(f"{short[k]}={format_value(v)}" for k, v in zip(keys, point))
        grid.append((label, [Override(k, v, "--sweep") for k, v in zip(keys, point)]))
    return grid


def safe_name(label: str, max_length: int = 100) -> str:
    """A folder name for a variant label (letters, digits and . _ = , + - kept)."""
    name = re.sub(r"[^A-Za-z0-9._=,+-]", "_", label).lstrip(".") or "_"
    if len(name) > max_length:
        digest = hashlib.sha256(label.encode()).hexdigest()[:8]
        name = name[: max_length - 9] + "-" + digest
    return name


# ---------------------------------------------------------------- unknown keys


def _unwrap(tp: Any) -> Any:
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            tp = get_args(tp)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(tp) if a is not type(None)]
            preferred = [a for a in args if (isinstance(a, type) and issubclass(a, BaseModel))
                         or get_origin(a) in (list, tuple, dict)]
            tp = (preferred or args or [None])[0]
        else:
            return tp


def known_keys(model: type[BaseModel], loc: tuple) -> list[str]:
    """The keys the schema accepts at a key path (empty if it is not a model there)."""
    tp: Any = model
    for seg in loc:
        tp = _unwrap(tp)
        if isinstance(seg, int):
            if get_origin(tp) in (list, tuple) and get_args(tp):
                tp = get_args(tp)[0]
                continue
            return []
        if isinstance(tp, type) and issubclass(tp, BaseModel) and seg in tp.model_fields:
            tp = tp.model_fields[seg].annotation
        elif get_origin(tp) is dict and get_args(tp):
            tp = get_args(tp)[1]
        else:
            return []
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return list(tp.model_fields)
    return []


def did_you_mean(key: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(str(key), [str(c) for c in candidates], n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""
