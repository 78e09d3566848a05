"""Presets: configs/rules/<name>.yaml and configs/solver/<name>.yaml merged under a
scenario's own keys."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scheduler.errors import InputError
from scheduler.scenario.files import dotted, read_yaml

if TYPE_CHECKING:
    from scheduler.scenario.origins import Origins

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CONFIG_DIR = PROJECT_ROOT / "configs"


def available_presets(kind: str) -> list[str]:
    """The preset names of configs/<kind>/ ("rules" or "solver"), sorted."""
    return sorted(p.stem for p in (CONFIG_DIR / kind).glob("*.yaml"))


def _preset(kind: str, name: Any, file: Path, key_path: str, line: int | None) -> dict:
    folder = CONFIG_DIR / kind
    available = available_presets(kind)
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
                base = _preset("rules", block["preset"], file, dotted(where), lines.get(where))
                pool = {**pool, "rules": {**base, **block}}
            merged.append(pool)
        data["pools"] = merged
    return data
