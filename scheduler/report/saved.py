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

from scheduler.models import BreakRecord, CoverageRecord, Result, Scenario, ShiftRecord, Summary
from scheduler.errors import InputError

SCENARIO_FILE = "scenario.yaml"


def scenario_as_solved(scenario: Scenario, required: list[int] | tuple[int, ...] | None,
                       baseline: list[int] | None = None,
                       queues: dict[str, list[int]] | None = None,
                       demand: list[int] | tuple[int, ...] | None = None) -> dict:
    """The resolved scenario as plain data: presets and profiles already applied (their
    names dropped, every key written out), the demand inline.

    With `baseline` (the demand before events, as read) the events are kept and apply
    again on loading; otherwise the demand is the per-slot requirement the solver worked
    with (events and floor applied) and the events, already counted, are left out.

    A scenario that splits queues, given `queues` (each queue's agents per slot as solved:
    coverage.csv's `<queue>_required`), keeps its queues: each channel states them
    (channels[].required) instead of contacts, the pools and people keep their serves and
    handle-time factors, and `demand` is the scenario's own (other work, events applied;
    `demand`, else what the total leaves above the queues), so that `scheduler check`
    and `scheduler replan` hold each queue to the people who serve it."""
    data = scenario.model_dump(mode="json")
    for section, key in (("rules", "preset"), ("solver", "profile")):
        if isinstance(data.get(section), dict):
            data[section].pop(key, None)
    # A pool's rules override only the keys it gives: keep exactly those.
    for pool, dumped in zip(getattr(scenario, "pools", None) or [], data.get("pools") or []):
        if pool.rules is not None:
            rules = pool.rules.model_dump(mode="json", exclude_unset=True)
            rules.pop("preset", None)
            dumped["rules"] = rules
    floor = int(scenario.demand.floor) if scenario.demand is not None else 0
    if queues and scenario.splits_queues and set(queues) == {c.name for c in scenario.channels}:
        return _queues_as_solved(data, scenario, required, queues, demand, floor)
    if getattr(scenario, "channels", None) and required is not None:
        # workload turned into agents: the requirement as solved, the channels (and the
        # events that multiplied their volumes) already counted in it
        data["channels"] = []
        data["events"] = []
        data.pop("forecast", None)  # the forecast's volumes are in the requirement too
        data["demand"] = {"required": [int(v) for v in required], "floor": floor}
        for dumped in data.get("pools") or []:  # the queues they served are gone too
            dumped.pop("serves", None)
            dumped.pop("handle_time_factor", None)
        for person in (data.get("staff") or {}).get("people", []):
            person.pop("serves", None)
        return data
    if baseline is not None:
        data["demand"] = {"required": [int(v) for v in baseline], "floor": floor}
    elif required is not None:
        data["demand"] = {"required": [int(v) for v in required], "floor": floor}
        if data.get("events"):
            data["events"] = []
    return data


CONTACT_KEYS = ("volume", "volume_file", "volume_column")


def _queues_as_solved(data: dict, scenario: Scenario, required, queues: dict[str, list[int]],
                      demand, floor: int) -> dict:
    """scenario_as_solved's form for a scenario that splits queues (see there)."""
    for dumped in data.get("channels") or []:
        for key in CONTACT_KEYS:
            dumped.pop(key, None)
        dumped["required"] = [int(v) for v in queues[dumped["name"]]]
    data["events"] = []  # counted in the demand and the queues' figures
    data.pop("forecast", None)
    if demand is None and required is not None:
        demand = [max(0, int(r) - sum(int(q[t]) for q in queues.values()))
                  for t, r in enumerate(required)]
    if scenario.demand is not None or floor or any(demand or ()):
        n = scenario.horizon.num_slots
        data["demand"] = {"required": [int(v) for v in (demand or [0] * n)], "floor": floor}
    return data


def _baseline(scenario: Scenario, directory: Path | None) -> list[int] | None:
    """The demand as given, before events and floor (None if it cannot be read again)."""
    from scheduler.scenario.demand import read_demand_csv

    demand, horizon = scenario.demand, scenario.horizon
    if demand.required is not None:
        return list(demand.required)
    if demand.file is None:
        return [0] * horizon.num_slots
    if directory is None:
        return None
    try:
        return read_demand_csv(Path(directory) / demand.file,
                               dt.datetime.combine(horizon.start_date, dt.time()),
                               horizon.slot_minutes, horizon.num_slots)
    except InputError:
        return None


SOURCE_LINE = "# Solved from: "
"""scenario.yaml's comment naming the scenario file the run read (absolute path)."""


def write_scenario(scenario: Scenario, required, path: Path, directory: Path | None = None,
                   source: Path | None = None, queues: dict[str, list[int]] | None = None,
                   demand=None) -> None:
    """Write scenario.yaml and check that it loads back to the same requirement per slot;
    with events, keep them over the baseline demand when that reproduces it. `source`:
    the scenario file the run read, named in a comment (`scheduler simulate` goes back to
    it for the channels that the saved file folds into demand). `queues` and `demand`:
    a scenario splitting queues, each queue's requirement as solved and the scenario's
    own demand (scenario_as_solved)."""
    from scheduler.workload.loaded import load_scenario

    head = ("# The scenario as solved (presets applied, demand inline).\n"
            "# `scheduler check` and `scheduler report` read it back.\n")
    if source is not None:
        head += f"{SOURCE_LINE}{Path(source).resolve()}\n"
    if queues and getattr(scenario, "splits_queues", False):
        data = scenario_as_solved(scenario, required, queues=queues, demand=demand)
        path.write_text(head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True,
                                              default_flow_style=None, width=120),
                        encoding="utf-8")
        return
    candidates = []
    if getattr(scenario, "events", None) and not getattr(scenario, "channels", None):
        baseline = _baseline(scenario, directory)
        if baseline is not None:
            candidates.append(scenario_as_solved(scenario, required, baseline))
    candidates.append(scenario_as_solved(scenario, required))
    for data in candidates:
        body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True,
                              default_flow_style=None, width=120)
        path.write_text(head + body, encoding="utf-8")
        if required is None or len(candidates) == 1:
            return
        try:
            if load_scenario(path).required == tuple(int(v) for v in required):
                return
        except InputError:
            pass


# ------------------------------------------------------------------ reading back


def solved_from(path: Path) -> Path | None:
    """The scenario file a saved scenario.yaml names in its comment, if any."""
    try:
        with open(path, encoding="utf-8") as f:
            for _, line in zip(range(10), f):
                if line.startswith(SOURCE_LINE):
                    return Path(line[len(SOURCE_LINE):].rstrip("\n"))
    except (OSError, UnicodeDecodeError):
        return None
    return None


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


def _records(model, path: Path) -> list:
    """The rows of a CSV file as records; only the columns the record model knows are
    used (newer or older files may have more), blank optional values dropped."""
    fields = frozenset(model.model_fields)
    return [_record(model, path, line, {k: v for k, v in row.items()
                                        if k in fields and v not in (None, "")})
            for line, row in _rows(path)]


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
    shifts = _records(ShiftRecord, shifts_path)
    breaks = _records(BreakRecord, breaks_path)
    coverage = _records(CoverageRecord, coverage_path)
    channels = [c.channel for c in summary.service.channels] if summary.service else []
    if channels and coverage:
        coverage = _with_channels(coverage, coverage_path, channels)
    queues = list(dict.fromkeys(q.queue for q in summary.queues or ()))
    if queues and coverage:
        coverage = _with_queues(coverage, coverage_path, queues)
    return Result(summary=summary, shifts=shifts, breaks=breaks, coverage=coverage)


def _with_channels(coverage: list, path: Path, channels: list[str]) -> list:
    """Coverage records with each channel's service read back from the columns
    `<channel>_agents`, `_service_level`, ... that workload runs append."""
    from scheduler.models import ChannelSlot

    rows = _rows(path)
    if not rows or f"{channels[0]}_agents" not in rows[0][1]:
        return coverage
    out = []
    for record, (line, row) in zip(coverage, rows):
        slots = []
        for name in channels:
            values = {k: row.get(f"{name}_{k}") for k in ChannelSlot.model_fields if k != "channel"}
            values = {k: v for k, v in values.items() if v not in (None, "")}
            slots.append(_record(ChannelSlot, path, line, {"channel": name, **values}))
        out.append(record.model_copy(update={"channels": slots}))
    return out


def _with_queues(coverage: list, path: Path, queues: list[str]) -> list:
    """Coverage records with each queue's requirement and allocation read back from the
    columns `<queue>_required`, `<queue>_allocated` (and the staffing loop's) that
    scenarios splitting queues append; as they are when the columns are missing."""
    from scheduler.models import QueueSlot

    rows = _rows(path)
    if not rows or f"{queues[0]}_required" not in rows[0][1]:
        return coverage
    out = []
    for record, (line, row) in zip(coverage, rows):
        slots = []
        for name in queues:
            values = {k: row.get(f"{name}_{k}") for k in QueueSlot.model_fields if k != "queue"}
            values = {k: v for k, v in values.items() if v not in (None, "")}
            slots.append(_record(QueueSlot, path, line, {"queue": name, **values}))
        out.append(record.model_copy(update={"queues": slots}))
    return out


def horizon_of(result: Result) -> tuple[dt.date, int]:
    """Start date and days from the coverage rows (used when no scenario is saved)."""
    if not result.coverage:
        raise InputError("coverage.csv has no rows: cannot tell the horizon")
    first = result.coverage[0].start.date()
    last = result.coverage[-1].start.date()
    return first, (last - first).days + 1
