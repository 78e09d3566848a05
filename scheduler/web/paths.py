"""Paths taken from requests, confined to one folder: a relative path with no `..`, no
absolute path, no hidden part, and no symlink leading out of the folder."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


class PathRefused(ValueError):
    """A path outside the folder or not allowed in it (the page answers 400)."""


def safe_name(name: str, suffixes: tuple[str, ...] = ()) -> str:
    """A plain file name (letters, digits, _ . -; no folder) with one of the suffixes."""
    name = (name or "").strip()
    if not SAFE_NAME.match(name) or ".." in name:
        raise PathRefused(f"{name!r} is not a plain file name (letters, digits, _ . -)")
    if suffixes and not name.lower().endswith(suffixes):
        raise PathRefused(f"{name!r} does not end with {' or '.join(suffixes)}")
    return name


def inside(root: Path, relative: str) -> Path:
    """root / relative, resolved, when it stays inside root (symlinks followed)."""
    if not relative or "\x00" in relative or "\\" in relative:
        raise PathRefused("empty or unreadable path")
    pure = PurePosixPath(relative)
    if pure.is_absolute() or any(p in ("..", ".") or p.startswith(".") for p in pure.parts):
        raise PathRefused(f"{relative!r} leaves the folder or names a hidden file")
    base = root.resolve()
    target = (base / pure).resolve()
    if target != base and base not in target.parents:
        raise PathRefused(f"{relative!r} leads out of the folder")
    return target


def relative_to(root: Path, path: Path) -> str:
    return path.resolve().relative_to(root.resolve()).as_posix()
