"""`solve --progress-jsonl FILE`: each progress report as one JSON line, for a program
that follows the run from another process (`scheduler serve`)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import typer

from scheduler.errors import EXIT_INPUT


def progress_line(p) -> str:
    """One progress report (engine Progress: phase, headcount, headcount_bound, objective,
    bound, elapsed) as a JSON line."""
    return json.dumps(dataclasses.asdict(p), ensure_ascii=False) + "\n"


def open_progress(path: Path | None, err):
    """The file opened for appending, None without a path; exit 2 when it cannot be."""
    if path is None:
        return None
    try:
        return open(path, "a", encoding="utf-8")
    except OSError as exc:
        err.print(f"[bold red]error:[/] cannot write {path}: {exc.strerror or exc}",
                  soft_wrap=True, highlight=False)
        raise typer.Exit(EXIT_INPUT)
