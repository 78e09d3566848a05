"""A scenario file with the files it `extends:`, and its `variants:`."""

from __future__ import annotations

import re
from pathlib import Path

from scheduler.errors import InputError
from scheduler.scenario.files import read_yaml
from scheduler.scenario.overrides import Override, deep_merge, variant_overrides


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
    return variants_of(data, origins, path)


def variants_of(data: dict, origins: dict, path: Path) -> dict[str, list[Override]]:
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

