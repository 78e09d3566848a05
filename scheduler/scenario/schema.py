"""The JSON Schema of a scenario file, generated from the pydantic models.

Validation mode (what a planner types), JSON Schema draft 2020-12, with the descriptions
and units of the models' fields, plus what the reader accepts beyond the models:
`extends` (a base file supplies the keys not given, so nothing is required then),
`variants`, and the preset names found in configs/rules/ and configs/solver/. Ranges that
the models check in validators rather than in field constraints (shares 0-1, "HH:MM"
times) are added so that editors check them too; checks across keys stay with the reader.

`scheduler schema` prints or writes it; docs/reference/scenario.schema.json is its output,
and the bundled scenarios point editors at that file with a
`# yaml-language-server: $schema=...` line.
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from scheduler.errors import InputError
from scheduler.models import Scenario
from scheduler.scenario.presets import PROJECT_ROOT, available_presets

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "urn:cs-scheduler:scenario"
TITLE = "cs-scheduler scenario"
SCHEMA_FILE = PROJECT_ROOT / "docs" / "reference" / "scenario.schema.json"
"""Where the generated schema is committed (editors and the tests read it there)."""

HHMM_PATTERN = r"^\s*([0-3]?[0-9]|4[0-7]):[0-5][0-9]\s*$"
"""A time of day "HH:MM" as models.sections.parse_hhmm reads it (HH 0-47: past 24 is the
next day)."""
OPENING_HOURS_PATTERN = (r"^\s*([01]?[0-9]|2[0-3]):[0-5][0-9]\s*-\s*"
                         r"(([01]?[0-9]|2[0-3]):[0-5][0-9]|24:00)\s*$")
"""Opening hours "HH:MM-HH:MM" as models.workload.parse_hours reads them."""
VARIANT_NAME_PATTERN = r"^[A-Za-z0-9_.=,+-]+$"
"""As scenario.tree checks a variant's name ('base' is reserved)."""

VALIDATED: dict[tuple[str, str], dict[str, Any]] = {
    ("ShiftType", "earliest_start"): {"pattern": HHMM_PATTERN},
    ("ShiftType", "latest_start"): {"pattern": HHMM_PATTERN},
    ("Peak", "start"): {"pattern": HHMM_PATTERN},
    ("Peak", "end"): {"pattern": HHMM_PATTERN},
    ("Channel", "hours"): {"pattern": OPENING_HOURS_PATTERN},
    ("Channel", "service_level"): {"minimum": 0, "maximum": 1},
    ("Channel", "max_abandon_rate"): {"minimum": 0, "maximum": 1},
    ("Channel", "max_occupancy"): {"exclusiveMinimum": 0, "maximum": 1},
    ("Channel", "concurrency"): {"minimum": 1, "maximum": 100},
    ("Channel", "shrinkage"): {"exclusiveMaximum": 1},
    ("Channel", "bot_containment"): {"minimum": 0, "exclusiveMaximum": 1},
    ("Escalation", "share"): {"minimum": 0, "exclusiveMaximum": 1},
}
"""(model, field) -> keywords the model's validators enforce (keywords such as `minimum`
or `pattern` apply only to values of their type, so a `null` alternative is unaffected)."""

PRESETS = {("LabourRules", "preset"): "rules", ("SolverSettings", "profile"): "solver"}
"""(model, field) -> the folder of configs/ whose file names the field takes."""

EXTENDS = {
    "type": "string",
    "minLength": 1,
    "description": "Path of a base scenario file, relative to this file. Its keys are "
                   "merged under this file's (mappings key by key, lists replaced), so "
                   "a file that extends another need not repeat the required keys. "
                   "Absent: the file stands alone.",
}
VARIANTS = {
    "type": "object",
    "description": "Named what-ifs: each maps dotted key paths (or nested mappings) to "
                   "the values they take in that variant, e.g. rules.max_days_per_week: 6; "
                   "in a list, a segment is an item's name or index. Run one with "
                   "--variant NAME, all with `scheduler compare --variants all`. Absent: "
                   "no variants.",
    "propertyNames": {"pattern": VARIANT_NAME_PATTERN, "not": {"const": "base"}},
    "additionalProperties": {
        "type": ["object", "null"],
        "description": "Key path -> value, e.g. shift_types.pt-4h.paid_hours: [4, 5, 6].",
        "propertyNames": {"pattern": r"^[^.\s]+(\.[^.\s]+)*$"},
    },
}


def _paragraphs(text: str) -> str:
    """A docstring's hard-wrapped lines joined into one line per paragraph."""
    return "\n\n".join(" ".join(p.split()) for p in text.split("\n\n") if p.strip())


def _tidy(node: Any) -> None:
    """Unwrap descriptions and drop pydantic's per-property titles (the key says it)."""
    if isinstance(node, dict):
        if isinstance(node.get("description"), str):
            node["description"] = _paragraphs(node["description"])
        props = node.get("properties")
        if isinstance(props, dict):
            for prop in props.values():
                if isinstance(prop, dict):
                    prop.pop("title", None)
        for value in node.values():
            _tidy(value)
    elif isinstance(node, list):
        for value in node:
            _tidy(value)


def _ref_name(prop: dict) -> str | None:
    """The $defs name a property refers to, directly or as the non-null alternative."""
    refs = [prop.get("$ref")] + [a.get("$ref") for a in prop.get("anyOf", [])]
    refs = [r for r in refs if r]
    return refs[0].rsplit("/", 1)[-1] if len(refs) == 1 else None


def _relax_for_extends(schema: dict) -> None:
    """Move `required` (the top level's, and that of sections used only at the top level)
    under `if extends is absent`: a file that extends another may give any subset."""
    defs = schema["$defs"]
    text = json.dumps(schema)
    otherwise: dict[str, Any] = {"required": schema.pop("required", [])}
    for key, prop in schema["properties"].items():
        name = _ref_name(prop)
        if name and "required" in defs[name] and text.count(f'"#/$defs/{name}"') == 1:
            otherwise.setdefault("properties", {})[key] = {"required": defs[name].pop("required")}
    schema["if"] = {"required": ["extends"]}
    schema["else"] = otherwise


def models_schema() -> dict:
    """The models' own schema (validation mode) with the validators' ranges and the preset
    names added: what a file without `extends` must satisfy, before the reader's keys."""
    generated = copy.deepcopy(Scenario.model_json_schema(mode="validation"))
    defs = generated["$defs"]
    for (model, field), keywords in VALIDATED.items():
        defs[model]["properties"][field].update(keywords)
    for (model, field), kind in PRESETS.items():
        prop = defs[model]["properties"][field]
        prop["anyOf"] = [{"type": "string", "enum": available_presets(kind)}, {"type": "null"}]
    _tidy(generated)
    return generated


def scenario_schema() -> dict:
    """The JSON Schema (draft 2020-12) of a scenario file, as a dict."""
    generated = models_schema()
    generated.pop("title", None)
    description = generated.pop("description", "")
    schema: dict[str, Any] = {
        "$schema": DRAFT,
        "$id": SCHEMA_ID,
        "title": TITLE,
        "description": f"{description}\n\nA scenario file of `scheduler solve`, "
                       "`compare`, `check` and `staffing` (YAML). Generated from the "
                       "pydantic models by `scheduler schema`; see docs/reference/scenario.md.",
        "type": "object",
        "properties": {"extends": EXTENDS, **generated.pop("properties"), "variants": VARIANTS},
    }
    schema.update(generated)  # additionalProperties, required, $defs
    _relax_for_extends(schema)
    schema["$defs"] = schema.pop("$defs")  # the definitions last
    return schema


def schema_text() -> str:
    """The schema as committed: JSON, two-space indents, a final newline."""
    return json.dumps(scenario_schema(), indent=2, ensure_ascii=False) + "\n"


def write_atomically(path: Path | str, text: str) -> Path:
    """Write `text` to `path` through a temporary file in the same folder and a rename, so
    that readers see the old file or the new one, never a part. A folder that cannot be
    made or a file that cannot be written is an InputError (the path is the input)."""
    path = Path(path)
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", file=path) from None
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
    return path
