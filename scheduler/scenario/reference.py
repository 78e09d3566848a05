"""The scenario reference (docs/reference/scenario.md), generated from the models.

One Markdown table per section of a scenario, a row per key path (`pools[].rules.
min_rest_hours`: `[]` stands for every item of a list) with its type, unit, default,
allowed range or choices, description and an example. Types, ranges and descriptions
come from the JSON Schema of scenario/schema.py (itself made from the pydantic models);
the unit is the `[unit]` that opens a field's description; examples are the first value
found in the bundled scenarios (scenarios/**/*.yaml) or presets (configs/), else one
chosen here or derived from the type. `missing_key_paths` says which key paths of the
models (walked from their annotations, not from the schema) a reference text lacks.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import types
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel

from scheduler.models import Scenario
from scheduler.scenario.presets import CONFIG_DIR, PROJECT_ROOT
from scheduler.scenario.schema import (
    EXTENDS,
    HHMM_PATTERN,
    OPENING_HOURS_PATTERN,
    VARIANT_NAME_PATTERN,
    VARIANTS,
    models_schema,
)

REFERENCE_FILE = PROJECT_ROOT / "docs" / "reference" / "scenario.md"
COMMAND = "scheduler schema --markdown --out docs/reference/scenario.md"
SCENARIOS_DIR = PROJECT_ROOT / "scenarios"
CHOSEN_EXAMPLES: dict[str, Any] = {
    "rules.max_headcount": 120,
    "channels[].volume": [12, 15.5, 20],
    "channels[].volume_column": "calls",
    "channels[].asa_seconds": 30,
    "events[].channels": ["voice", "chat"],
    "pools[].serves": ["presale-chat", "order-chat"],
    "pools[].handle_time_factor": {"aftersale-voice": 0.8},
    "channels[].bot_containment": 0.3,
    "channels[].escalation.to": "complaints-voice",
    "channels[].escalation.share": 0.08,
}
"""Examples for keys that no bundled scenario or preset uses and whose type alone gives
no sensible value."""
COLUMNS = ("Key", "Type", "Unit", "Default", "Allowed", "Description", "Example")
PATTERN_WORDS = {
    HHMM_PATTERN: '"HH:MM", HH 0-47 (24 and more: the next day)',
    OPENING_HOURS_PATTERN: '"HH:MM-HH:MM" within 00:00-24:00',
    VARIANT_NAME_PATTERN: "letters, digits and . _ = , + -; not base",
    r"^[A-Za-z0-9_.-]+$": "letters, digits and . _ -",
    r"^[A-Za-z][A-Za-z0-9_-]*$": "a letter, then letters, digits, _ and -",
}
"""Patterns said in words (a regular expression's `|` would split a table cell)."""
_UNIT = re.compile(r"^\[([^\]]+)\]\s*")


# ---------------------------------------------------------------- key paths of the models


def _unwrap(tp: Any) -> list[Any]:
    """The alternatives of a field's type, Annotated and None removed."""
    if get_origin(tp) is Annotated:
        return _unwrap(get_args(tp)[0])
    if get_origin(tp) in (Union, types.UnionType):
        return [t for a in get_args(tp) if a is not type(None) for t in _unwrap(a)]
    return [tp]


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def key_paths(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Every key path of `model`, nested models and list items included, in field order:
    horizon, horizon.start_date, ..., pools[].rules.min_rest_hours, ..."""
    out = []
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        out.append(path)
        for tp in _unwrap(field.annotation):
            if _is_model(tp):
                out += key_paths(tp, f"{path}.")
            elif get_origin(tp) in (list, tuple):
                for item in (t for a in get_args(tp) for t in _unwrap(a)):
                    if _is_model(item):
                        out += key_paths(item, f"{path}[].")
            elif get_origin(tp) is dict:
                for item in _unwrap(get_args(tp)[1]):
                    if _is_model(item):
                        out += key_paths(item, f"{path}.<name>.")
    return out


def missing_key_paths(text: str, model: type[BaseModel] = Scenario) -> list[str]:
    """The key paths of `model` that have no row in a reference text (a row begins
    "| `key.path` |")."""
    return [p for p in key_paths(model) if f"| `{p}` |" not in text]


# ---------------------------------------------------------------- examples


def bundled_examples(folder: Path = SCENARIOS_DIR) -> dict[str, Any]:
    """Key path -> the first value written for it in the scenario files under `folder`
    (sorted by path; list items as `[]`; `variants` entries are not key paths), then in
    the presets of configs/rules/ (as rules.* and pools[].rules.*) and configs/solver/."""
    found: dict[str, Any] = {}

    def walk(node: Any, path: str) -> None:
        if path:
            found.setdefault(path, node)
        if isinstance(node, dict) and path != "variants":
            for key, value in node.items():
                walk(value, f"{path}.{key}" if path else str(key))
        elif isinstance(node, list):
            for item in node:
                if isinstance(item, dict):
                    walk(item, f"{path}[]")

    for file in sorted(folder.rglob("*.yaml")):
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            walk(data, "")
    for kind, sections in (("rules", ("rules", "pools[].rules")), ("solver", ("solver",))):
        for file in sorted((CONFIG_DIR / kind).glob("*.yaml")):
            data = yaml.safe_load(file.read_text(encoding="utf-8"))
            for section in sections:
                found.setdefault(f"{section}.{'preset' if kind == 'rules' else 'profile'}",
                                 file.stem)
                if isinstance(data, dict):
                    for key, value in data.items():
                        found.setdefault(f"{section}.{key}", value)
    return found


def _derived_example(prop: dict) -> Any:
    """A sensible value for a key no bundled scenario uses, from its schema."""
    prop = _non_null(prop)
    if prop.get("default") is not None:
        return prop["default"]
    if "enum" in prop:
        return prop["enum"][0]
    kind = prop.get("type")
    if prop.get("format") == "date":
        return dt.date(2026, 11, 16)
    if prop.get("pattern") == HHMM_PATTERN:
        return "08:00"
    if kind == "boolean":
        return True
    if kind in ("integer", "number"):
        low = prop.get("minimum", prop.get("exclusiveMinimum", 0))
        value = max(1, math.floor(low) + 1 if "exclusiveMinimum" in prop else low)
        return min(value, prop.get("maximum", value))
    if kind == "array":
        return [_derived_example(prop.get("items", {}))]
    return "example"


def _format_example(value: Any, date: bool = False) -> str:
    """A value as written in YAML, shortened: long texts, lists and mappings keep their
    beginning. Times of day are quoted ("05:00"), as YAML would otherwise read some of
    them as numbers; dates are plain."""
    if date and isinstance(value, str):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{1,2}:\d{2}", value):
        return f'"{value}"'
    if isinstance(value, str) and len(value) > 40:
        value = value[:37].rstrip() + "..."
    if isinstance(value, list) and len(value) > 6:
        return _format_example(value[:6])[:-1] + ", ...]"
    if isinstance(value, dict):
        items = [f"{_format_example(k)}: {_format_example(v)}" for k, v in value.items()]
        shown = len(items)
        while shown > 1 and len(", ".join(items[:shown])) > 60:
            shown -= 1
        return "{" + ", ".join(items[:shown] + ["..."] * (shown < len(items))) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_format_example(v, date) for v in value) + "]"
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000,
                          sort_keys=False)
    return text.removesuffix("\n").removesuffix("\n...").strip()


# ---------------------------------------------------------------- cells


def _non_null(prop: dict) -> dict:
    """The property without its `null` alternative (keywords beside anyOf kept)."""
    options = [a for a in prop.get("anyOf", []) if a.get("type") != "null"]
    if len(options) == 1:
        merged = {k: v for k, v in prop.items() if k != "anyOf"}
        merged.update(options[0])
        return merged
    return prop


def _type(prop: dict, defs: dict) -> str:
    prop = _non_null(prop)
    if "anyOf" in prop:
        return " or ".join(_type(a, defs) for a in prop["anyOf"])
    if "$ref" in prop:
        return "mapping"
    kind = prop.get("type")
    if isinstance(kind, list):  # ["object", "null"]
        kind = next(k for k in kind if k != "null")
    if kind == "array":
        return f"list of {_plural(_type(prop.get('items', {}), defs))}"
    if kind == "object":
        values = prop.get("additionalProperties")
        return (f"mapping of names to {_plural(_type(values, defs))}"
                if isinstance(values, dict) else "mapping")
    if kind == "string" and prop.get("format") == "date":
        return "date"
    return {"object": "mapping"}.get(kind, kind or "any")


def _plural(noun: str) -> str:
    return noun if " " in noun else f"{noun}s"


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _bounds(prop: dict) -> list[str]:
    """"1 to 366", "> 0 and <= 100", ">= 0" (empty without bounds)."""
    if "minimum" in prop and "maximum" in prop:
        return [f"{_number(prop['minimum'])} to {_number(prop['maximum'])}"]
    words = {"minimum": ">=", "exclusiveMinimum": ">", "maximum": "<=", "exclusiveMaximum": "<"}
    found = [f"{sign} {_number(prop[key])}" for key, sign in words.items() if key in prop]
    return [" and ".join(found)] if found else []


def _allowed(prop: dict) -> str:
    prop = _non_null(prop)
    parts: list[str] = []
    if "anyOf" in prop:
        for option in prop["anyOf"]:
            text = _allowed(option)
            if text:
                parts.append(text)
    if "enum" in prop:
        parts.append(", ".join(f"`{_format_example(v)}`" for v in prop["enum"]))
    parts += _bounds(prop)
    if "pattern" in prop:
        words = PATTERN_WORDS.get(prop["pattern"])
        parts.append(words if words else f"`{prop['pattern']}`")
    if "minLength" in prop or "maxLength" in prop:
        parts.append(f"{prop.get('minLength', 0)}-{prop['maxLength']} characters"
                     if "maxLength" in prop else f"at least {prop['minLength']} character")
    if "minItems" in prop:
        parts.append(f"at least {prop['minItems']} item{'s' if prop['minItems'] != 1 else ''}")
    items = prop.get("items")
    if isinstance(items, dict) and "$ref" not in items:
        inner = _allowed(items)
        if inner:
            parts.append(f"each {inner}")
    return "; ".join(parts)


def _default(prop: dict, required: bool) -> str:
    if required:
        return "required"
    if "default" not in prop:
        return "absent"
    value = prop["default"]
    if value is None:
        return "absent"
    if isinstance(value, dict):
        return "each key's default"
    return f"`{_format_example(value)}`"


def _split_unit(description: str) -> tuple[str, str]:
    match = _UNIT.match(description)
    return (match.group(1), description[match.end():]) if match else ("", description)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


# ---------------------------------------------------------------- the page


def _rows(schema: dict, defs: dict, prefix: str, examples: dict) -> list[list[str]]:
    """Rows of a model's properties and, depth first, of the models inside them."""
    rows = []
    required = set(schema.get("required", []))
    for name, prop in schema.get("properties", {}).items():
        path = f"{prefix}{name}"
        rows.append(_row(path, prop, name in required, defs, examples))
        inner = _non_null(prop)
        if "$ref" in inner:
            rows += _rows(defs[inner["$ref"].rsplit("/", 1)[-1]], defs, f"{path}.", examples)
        elif inner.get("type") == "array" and "$ref" in inner.get("items", {}):
            target = defs[inner["items"]["$ref"].rsplit("/", 1)[-1]]
            rows += _rows(target, defs, f"{path}[].", examples)
    return rows


def _row(path: str, prop: dict, required: bool, defs: dict, examples: dict) -> list[str]:
    inner = _non_null(prop)
    section = "$ref" in inner or "$ref" in inner.get("items", {})
    unit, description = _split_unit(prop.get("description", ""))
    inner_items = _non_null(prop).get("items", {})
    date = "date" in (_non_null(prop).get("format"), inner_items.get("format"))
    if section:
        example = "the keys below"
    elif path in examples:
        example = f"`{_format_example(examples[path], date)}`"
    elif path in CHOSEN_EXAMPLES:
        example = f"`{_format_example(CHOSEN_EXAMPLES[path])}` \\*"
    else:
        example = f"`{_format_example(_derived_example(prop), date)}` \\*"
    return [f"`{path}`", _type(prop, defs), unit, _default(prop, required), _allowed(prop),
            description, example]


def _table(rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def reference_text(examples_from: Path = SCENARIOS_DIR) -> str:
    """The Markdown page: a header, the file's own keys, then one table per section."""
    schema = models_schema()
    defs = schema["$defs"]
    examples = bundled_examples(examples_from)
    reader = {"type": "object", "properties": {"extends": EXTENDS, "variants": VARIANTS}}
    top = _rows(reader, defs, "", examples)  # extends, variants
    variants = top[1:] + [["`variants.<name>`", "mapping of key paths to values", "", "absent", "",
                           VARIANTS["additionalProperties"]["description"],
                           "`{rules.max_days_per_week: 6}`"]]
    top = top[:1]
    sections: list[tuple[str, str, list[list[str]]]] = []
    required = set(schema["required"])
    for name, prop in schema["properties"].items():
        rows = _rows({"properties": {name: prop}, "required": [name] if name in required else []},
                     defs, "", examples)
        if len(rows) == 1:
            top.append(rows[0])
        else:
            inner = _non_null(prop)
            ref = inner.get("$ref") or inner["items"]["$ref"]
            intro = defs[ref.rsplit("/", 1)[-1]].get("description", "")
            sections.append((name, intro, rows))
    top += variants
    lines = [
        "# Scenario keys",
        "",
        "Generated from the pydantic models in `scheduler/models/` by",
        f"`{COMMAND}`; do not edit it by hand: a test",
        "fails when this page differs from what the command writes, or when a key of the",
        "models has no row. The JSON Schema beside it, `scenario.schema.json`, comes from",
        "the same models (`scheduler schema --out docs/reference/scenario.schema.json`); the",
        "bundled scenarios name it on their first line, so that editors with a YAML language",
        "server (VS Code's YAML extension) complete and check the keys.",
        "",
        "How to read the tables: a key path joins keys with dots, and `[]` stands for every",
        "item of a list (`pools[].rules.min_rest_hours` is `min_rest_hours` in the `rules` of",
        "any pool). *Default* is the value taken when the key is left out: *required* means",
        "the key must be given (unless the file `extends` another), *absent* means no value,",
        "and the description says what that means. *Unit* is the unit of a number. An",
        "example is the first value a bundled scenario (`scenarios/`) or preset (`configs/`)",
        "gives the key; one marked \\* is used by none of them and is derived from the type or",
        "chosen for this page. Checks across keys (a break window inside its shift, a pool's",
        "shift types defined, ...) are made when the scenario is read and are not listed here.",
        "",
        "## The file",
        "",
        _cell(schema.get("description", "")),
        "",
        *_table(top),
    ]
    for name, intro, rows in sections:
        lines += ["", f"## {name}", "", _cell(intro), "", *_table(rows)]
    return "\n".join(lines) + "\n"
