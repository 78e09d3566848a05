"""Where each key of a scenario came from (a file and line, or an override), and pydantic's
validation errors turned into messages with file, key path and line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from scheduler.errors import InputError, InputErrors
from scheduler.models import Scenario
from scheduler.scenario.files import dotted, line_of
from scheduler.scenario.overrides import Override, did_you_mean, known_keys


_AT_PATH = re.compile(r"^(?:Value error, )?at ([\w.-]+): (.*)$", re.S)


def validation_errors(exc: ValidationError, file: Path, lines: dict,
                      origins: Origins | None = None) -> InputErrors:
    errors = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and "[" in p))
        message = err["msg"]
        match = _AT_PATH.match(message)
        if match:
            # a nested model's message names its key relative to the model's own place
            loc = loc + tuple(int(p) if p.isdigit() else p for p in match.group(1).split("."))
            message = match.group(2)
        else:
            message = message.removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            message = "unknown key"
            if origins is not None:
                message += did_you_mean(loc[-1], known_keys(Scenario, loc[:-1]))
        elif err["type"] == "missing":
            message = "required key is missing"
        if origins is not None:
            errors.append(origins.error(message, loc, unknown_key=err["type"] == "extra_forbidden"))
            continue
        errors.append(
            InputError(message, file=file, key_path=dotted(loc), line=line_of(lines, *loc))
        )
    return InputErrors(errors)



@dataclass
class Origins:
    """Where each key path of a scenario came from: a file and line (the scenario or a
    file it extends), or an override (--set, --sweep, a variant)."""

    top: Path
    places: dict[tuple, tuple[Path, int]]
    applied: list[tuple[Override, tuple]] = field(default_factory=list)

    def place(self, loc: tuple) -> tuple[Path, int] | None:
        loc = tuple(loc)
        while loc:
            if loc in self.places:
                return self.places[loc]
            loc = loc[:-1]
        return None

    def error(self, message: str, loc: tuple, unknown_key: bool = False) -> InputError:
        loc = tuple(loc)
        for ov, path in reversed(self.applied):
            if loc[:len(path)] == path:  # the override set this value (or a mapping holding it)
                if unknown_key and loc == path:
                    parent = ".".join(ov.segments[:-1])
                    under = f"under {parent}" if parent else "at the top level"
                    return ov.error(message.replace("unknown key", f"unknown key {loc[-1]!r} {under}", 1))
                return ov.error(message, dotted(loc) if loc != path else None)
        below = [ov for ov, path in self.applied if path[:len(loc)] == loc]
        if below and loc and loc not in self.places:  # a mapping the override created
            ov = below[-1]
            if unknown_key:
                parent = ".".join(ov.segments[:len(loc) - 1])
                under = f"under {parent}" if parent else "at the top level"
                key = ov.segments[len(loc) - 1]
                return ov.error(message.replace("unknown key", f"unknown key {key!r} {under}", 1))
            return ov.error(message, dotted(loc))
        if below:
            message += f" (with {', '.join(ov.describe() for ov in below)})"
        place = self.place(loc)
        file, line = place if place else (self.top, None)
        return InputError(message, file=file, key_path=dotted(loc), line=line)
