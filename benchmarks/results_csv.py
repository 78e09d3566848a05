"""Writing a benchmark's rows to its results CSV (shared by the benchmark scripts)."""

from __future__ import annotations

import csv
import os
from pathlib import Path


def write_rows(path: Path, rows: list[dict], fields: list[str] | None = None) -> None:
    """Write `rows` (columns: `fields`, else the first row's keys) to `path` atomically:
    a temporary file next to it, then a rename, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=fields or list(rows[0]))
            w.writeheader()
            w.writerows(rows)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)  # the old file stays as it was, and no stray temporary
        raise
