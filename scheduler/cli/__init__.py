"""The command line: `scheduler solve | compare | check | staffing | report | schema` (commands.py)
and the what-if comparisons behind `compare` (compare.py)."""

from scheduler.cli.commands import app, main

__all__ = ["app", "main"]
