"""Reader for the Minimum Shift Design instances of TU Wien's DBAI group (Musliu, Schaerf
and Slany 2004; Di Gaspero et al. 2007): a cyclic week of demand per slot, shift
templates with start and length windows, and weights for under-cover, over-cover and the
number of distinct shifts. The format is described in shared/benchmarks/msd/FORMAT.md.

`read_msd` turns a file into the data of a scenario (a dict that models.Scenario
validates). The duties-per-week term of the original objective is not modelled."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class MsdTemplate:
    abbr: str
    name: str
    start_minute: int
    plus_start: int
    minus_start: int
    length: int
    plus_length: int
    minus_length: int


@dataclass(frozen=True)
class MsdInstance:
    name: str
    slot_minutes: int
    days: int
    cyclic: bool
    requirements: tuple[int, ...]
    templates: tuple[MsdTemplate, ...]
    w_under: int
    w_over: int
    w_duties: int
    w_shifts: int

    def objective(self, short_agent_slots: int, over_agent_slots: int, distinct_shifts: int) -> int:
        """The published objective without the duties-per-week term."""
        return (
            self.w_under * short_agent_slots * self.slot_minutes
            + self.w_over * over_agent_slots * self.slot_minutes
            + self.w_shifts * distinct_shifts
        )


def _blocks(text: str) -> dict[str, list[str]]:
    """Header text (lower case, without '#', ':' and spaces at the ends) -> data lines.
    Every header line of a run of them names the same data ("# Weights about the
    criteria" is followed by "#UnderCover:")."""
    blocks: dict[str, list[str]] = {}
    current: list[str] | None = None
    in_header = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            current, in_header = None, False
            continue
        if line.startswith("#"):
            if not in_header:
                current, in_header = [], True
            key = line.lstrip("#").strip().rstrip(":").strip().lower()
            blocks.setdefault(key, current)
            continue
        in_header = False
        if current is not None:
            current.append(line)
    return blocks


def _block(blocks: dict[str, list[str]], prefix: str) -> list[str]:
    for key, lines in blocks.items():
        if key.startswith(prefix):
            return lines
    raise ValueError(f"no block '{prefix}'")


def _hm(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def parse_msd(text: str, name: str) -> MsdInstance:
    blocks = _blocks(text)
    slot = int(_block(blocks, "minuteinterval")[0])
    days = int(_block(blocks, "dayspercycle")[0])
    cyclic = _block(blocks, "flagcyclical")[0].strip().lower() == "yes"
    requirements = tuple(int(v) for v in " ".join(_block(blocks, "requirements")).split())
    if len(requirements) != days * 1440 // slot:
        raise ValueError(f"{len(requirements)} requirements for {days} days of {slot} minutes")
    templates = []
    for line in _block(blocks, "shift templates"):
        parts = line.split()
        abbr, full, start, plus_s, minus_s, length, plus_l, minus_l = parts[:8]
        templates.append(MsdTemplate(abbr, full, _hm(start), int(plus_s), int(minus_s),
                                     int(length), int(plus_l), int(minus_l)))
    weights = {key: int(lines[0]) for key, lines in blocks.items()
               if key in ("undercover", "overcover", "dutiesperweek", "shifts") and lines}
    return MsdInstance(name, slot, days, cyclic, requirements, tuple(templates),
                       weights["undercover"], weights["overcover"], weights.get("dutiesperweek", 0),
                       weights["shifts"])


def read_instance(path: Path | str) -> MsdInstance:
    path = Path(path)
    return parse_msd(path.read_text(encoding="iso-8859-1"), path.stem)


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9_.-]", "-", plain) or "shift"


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def to_scenario(inst: MsdInstance, time_limit_seconds: float = 60, seed: int = 0) -> dict:
    """Scenario data: soft coverage with the instance's per-minute weights turned into
    per-slot penalties, and its weight per distinct shift."""
    types = []
    for t in inst.templates:
        earliest = t.start_minute - t.minus_start
        latest = t.start_minute + t.plus_start
        if earliest < 0:  # starts before midnight belong to the day before
            earliest += 1440
            latest += 1440
        lengths = range(t.length - t.minus_length, t.length + t.plus_length + 1, inst.slot_minutes)
        types.append({
            "name": f"{t.abbr}-{_ascii(t.name)}"[:40],
            "paid_hours": [m / 60 for m in lengths if m > 0],
            "earliest_start": _hhmm(earliest),
            "latest_start": _hhmm(latest),
            "start_step_minutes": inst.slot_minutes,
        })
    return {
        "name": _ascii(inst.name),
        "description": "Minimum Shift Design instance (DBAI, TU Wien)",
        "horizon": {"start_date": "2026-11-16", "days": inst.days,
                    "slot_minutes": inst.slot_minutes, "cyclic": inst.cyclic},
        "demand": {"required": list(inst.requirements)},
        "shift_types": types,
        "coverage": {
            "allow_understaffing": True,
            "understaffing_penalty": inst.w_under * inst.slot_minutes,
            "overstaffing_penalty": inst.w_over * inst.slot_minutes,
        },
        "objective": {"kind": "penalties", "distinct_shift_penalty": inst.w_shifts},
        "solver": {"time_limit_seconds": time_limit_seconds, "workers": 2, "seed": seed},
    }
