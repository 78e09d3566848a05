"""The scenario as the checker reads it: the YAML file with its rule and solver presets
merged in (the checker's own reading, not the solver's), validated by `models`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from scheduler import models

PROJECT_ROOT = Path(__file__).resolve().parents[2]

_PRESET_NAME = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*$")


def _load_preset(kind: str, name: Any) -> dict:
    if not isinstance(name, str) or not _PRESET_NAME.match(name):
        raise ValueError(f"{kind} preset name {name!r} is not a plain file name")
    path = PROJECT_ROOT / "configs" / kind / f"{name}.yaml"
    if not path.is_file():
        raise ValueError(f"unknown {kind} preset {name!r}: {path} does not exist")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path} does not hold a mapping")
    return data


def _merge_preset(section: Any, key: str, kind: str) -> Any:
    """Preset keys first, the scenario's own keys override them; `key` itself is kept."""
    if not isinstance(section, dict) or section.get(key) is None:
        return section
    merged = dict(_load_preset(kind, section[key]))
    merged.pop(key, None)
    merged.update(section)
    return merged


def load_scenario_for_check(path: Path) -> models.Scenario:
    """Read a scenario YAML file, merge rule/solver presets and validate it."""
    path = Path(path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a scenario file must hold a mapping")
    data = dict(data)
    data.pop("variants", None)  # the base scenario (a variant is checked through --variant)
    if "rules" in data:
        data["rules"] = _merge_preset(data["rules"], "preset", "rules")
    if "solver" in data:
        data["solver"] = _merge_preset(data["solver"], "profile", "solver")
    return models.Scenario.model_validate(data)
