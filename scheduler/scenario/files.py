"""Reading a scenario's files: size-limited UTF-8 text, YAML with the line of every key,
ISO date-times."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from scheduler.errors import InputError

MAX_SCENARIO_BYTES = 5_000_000


def read_text(path: Path, key_path: str | None = None, limit: int = MAX_SCENARIO_BYTES) -> str:
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
                    key_path=dotted(path + (key,)), line=key_node.start_mark.line + 1,
                )
            seen.add(key)
            lines[path + (key,)] = key_node.start_mark.line + 1
            _walk(value_node, path + (key,), lines, file)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), lines, file)


def dotted(path: tuple) -> str:
    return ".".join(str(p) for p in path) or "(top level)"


def read_yaml(path: Path) -> tuple[Any, dict[tuple, int]]:
    """Parse a YAML file; return its data and a map key path -> line number."""
    text = read_text(path)
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


def line_of(lines: dict | None, *path) -> int | None:
    """The line of a key path in `read_yaml`'s map, or of the nearest key that holds it."""
    if not lines:
        return None
    key = tuple(path)
    while key:
        if key in lines:
            return lines[key]
        key = key[:-1]
    return None


def parse_start(text: str) -> dt.datetime:
    """A slot's start from a CSV cell: ISO local time, any offset dropped."""
    value = dt.datetime.fromisoformat(text.strip())
    if value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    return value
