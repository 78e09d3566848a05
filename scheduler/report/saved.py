"""The scenario as solved, saved beside the results (scenario.yaml), and a finished output
folder read back into a Result so the workbook and the report can be rebuilt without
solving again."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import yaml
from pydantic import ValidationError

from models import BreakRecord, CoverageRecord, Result, Scenario, ShiftRecord, Summary
from scheduler.errors import InputError

SCENARIO_FILE = "scenario.yaml"


def scenario_as_solved(scenario: Scenario, required: list[int] | tuple[int, ...] | None) -> dict:
    """The resolved scenario as plain data: presets and profiles already applied (their
    names dropped, every key written out), the demand inline as the per-slot requirement
    the solver worked with (floor applied)."""
    data = scenario.model_dump(mode="json")
    for section, key in (("rules", "preset"), ("solver", "profile")):
        if isinstance(data.get(section), dict):
            data[section].pop(key, None)
    if required is not None:
        data["demand"] = {"required": [int(v) for v in required],
                          "floor": int(scenario.demand.floor)}
    return data


def write_scenario(scenario: Scenario, required, path: Path) -> None:
    data = scenario_as_solved(scenario, required)
    head = ("# The scenario as solved (presets applied, demand inline with the floor applied).\n"
            "# `scheduler check` and `scheduler report` read it back.\n")
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=None,
                          width=120)
    path.write_text(head + body, encoding="utf-8")


# ------------------------------------------------------------------ reading back


def _rows(path: Path) -> list[tuple[int, dict]]:
    if not path.is_file():
        raise InputError("file not found (not a complete output folder?)", file=path)
    try:
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            return [(reader.line_num, row) for row in reader]
    except (csv.Error, UnicodeDecodeError) as exc:
        raise InputError(f"not a readable CSV file ({exc})", file=path) from None


def _record(model, path: Path, line: int, values: dict):
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(f"column {where}: {first['msg']}", file=path, line=line) from None


def _known(model, row: dict) -> dict:
    """Only the columns the record model knows (newer or older files may have more), blank
    optional values dropped."""
    fields = model.model_fields
    return {k: v for k, v in row.items() if k in fields and v not in (None, "")}


def read_result(folder: Path) -> Result:
    """summary.json, shifts.csv, breaks.csv and coverage.csv of an output folder as a
    Result; InputError naming the file and line when one cannot be read."""
    folder = Path(folder)
    summary_path = folder / "summary.json"
    if not summary_path.is_file():
        raise InputError("file not found (not an output folder of `scheduler solve`?)",
                         file=summary_path)
    try:
        raw = json.loads(summary_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"not JSON ({exc})", file=summary_path) from None
    if not isinstance(raw, dict):
        raise InputError("not a JSON object", file=summary_path)
    try:
        summary = Summary.model_validate({k: v for k, v in raw.items() if k in Summary.model_fields})
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InputError(f"{first['msg']}", file=summary_path,
                         key_path=".".join(str(p) for p in first["loc"])) from None
    shifts_path, breaks_path, coverage_path = (folder / n for n in ("shifts.csv", "breaks.csv", "coverage.csv"))
    shifts = [_record(ShiftRecord, shifts_path, line, _known(ShiftRecord, row))
              for line, row in _rows(shifts_path)]
    breaks = [_record(BreakRecord, breaks_path, line, _known(BreakRecord, row))
              for line, row in _rows(breaks_path)]
    coverage = [_record(CoverageRecord, coverage_path, line, _known(CoverageRecord, row))
                for line, row in _rows(coverage_path)]
    return Result(summary=summary, shifts=shifts, breaks=breaks, coverage=coverage)


def horizon_of(result: Result) -> tuple[dt.date, int]:
    """Start date and days from the coverage rows (used when no scenario is saved)."""
    if not result.coverage:
        raise InputError("coverage.csv has no rows: cannot tell the horizon")
    first = result.coverage[0].start.date()
    last = result.coverage[-1].start.date()
    return first, (last - first).days + 1
