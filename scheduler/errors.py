"""Errors raised by the core. The CLI turns them into one message and an exit code."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

EXIT_OK = 0
EXIT_INFEASIBLE = 1
EXIT_INPUT = 2
EXIT_INTERRUPTED = 130


class SchedulerError(Exception):
    exit_code = 1


class InputError(SchedulerError):
    """Bad input: names the file, the key path and the line where known."""

    exit_code = EXIT_INPUT

    def __init__(
        self,
        message: str,
        file: Path | str | None = None,
        key_path: str | None = None,
        line: int | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.key_path = key_path
        self.line = line
        super().__init__(self.render())

    def render(self, translate: Callable[[str], str] | None = None) -> str:
        """'file:line: key.path: message', the message through `translate` when given
        (the reader's language; the core writes English)."""
        message = translate(self.message) if translate is not None else self.message
        where = self.file or ""
        if self.line is not None:
            where += f":{self.line}"
        parts = [p for p in (where, self.key_path) if p]
        prefix = ": ".join(parts)
        return f"{prefix}: {message}" if prefix else message


class InputErrors(SchedulerError):
    """Several input errors found at once (one line each)."""

    exit_code = EXIT_INPUT

    def __init__(self, errors: list[InputError]) -> None:
        self.errors = errors
        super().__init__("\n".join(e.render() for e in errors))


def error_lines(exc: Exception, translate: Callable[[str], str] | None = None) -> list[str]:
    """An error as the lines a person reads, each message through `translate` when given."""
    if isinstance(exc, InputErrors):
        return [e.render(translate) for e in exc.errors]
    if isinstance(exc, InputError):
        return [exc.render(translate)]
    lines = str(exc).splitlines() or [str(exc)]
    return [translate(line) for line in lines] if translate is not None else lines
