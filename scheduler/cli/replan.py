"""What `scheduler replan OUTDIR --changes FILE` does: read the solved folder (its
scenario.yaml, shifts.csv and breaks.csv) and the changes, apply them to the scenario,
re-plan from the given time with the fewest changes (engine/replan.py), and write a new
output folder with changes.csv. Errors are raised; the command turns them into a message
and an exit code."""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from scheduler.errors import InputError
from scheduler.models import Result

SCENARIO_FILE = "scenario.yaml"
FINISH_SHARE = 0.05
FINISH_PER_SHIFT = 0.0001
"""Seconds kept besides the outputs' writing time: for what follows the search (the
records, the staff figures, changes.csv: 0.4 s for 9,700 shifts) and a share of the limit
for a busy machine (a month of 500 people re-planned in 19.8 s of 20 at load 2.2 before)."""


@dataclass
class Replanned:
    result: Result
    loaded: object
    start: dt.datetime
    target: Path


def _start(text: str | None, earliest: dt.date | None, first: dt.date, last: dt.date
           ) -> dt.datetime:
    """--from as a local date-time (a date alone is its 00:00); by default the first day a
    change touches, or the horizon's start."""
    if text is None:
        day = earliest if earliest is not None else first
        return dt.datetime.combine(day, dt.time())
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"{text!r} is not a date or date-time (YYYY-MM-DD or "
                         f"YYYY-MM-DDTHH:MM)", key_path="--from") from None
    if moment.tzinfo is not None:
        raise InputError("give --from in the scenario's local time, without a zone",
                         key_path="--from")
    if not first <= moment.date() <= last:
        raise InputError(f"{moment:%Y-%m-%d %H:%M} is outside the horizon ({first} to {last})",
                         key_path="--from")
    return moment


def _reasons(changes, last: dt.date) -> dict[tuple[str, dt.date], str]:
    """(staff id, day) -> the change's kind and note, for changes.csv."""
    out: dict[tuple[str, dt.date], str] = {}
    for change, _ in changes.rows:
        if change.id is None:
            continue
        day, end = change.first_day, change.last_day or last
        text = change.kind + (f" ({change.note})" if change.note else "")
        while day <= end:
            out[(change.id, day)] = text
            day += dt.timedelta(days=1)
    return out


def replan_folder(folder: Path, changes_path: Path, start_text: str | None,
                  out_dir: Path | None, time_limit: float | None, stop=None) -> Replanned:
    """Re-plan the roster in `folder` for the changes in `changes_path`. The time limit
    covers reading, the search and writing the outputs: the search gets what reading
    left, less what writing a roster that size takes."""
    started = time.monotonic()
    from scheduler.engine.replan import replan
    from scheduler.report.output import output_seconds
    from scheduler.report.saved import read_result
    from scheduler.scenario.changes import apply_changes, check_against_kept, read_changes
    from scheduler.scenario.files import read_text
    from scheduler.workload.loaded import load_scenario

    folder = Path(folder)
    source = folder / SCENARIO_FILE
    if not source.is_file():
        raise InputError(f"no {SCENARIO_FILE} in {folder}: re-plan a folder written by "
                         f"`scheduler solve`", file=folder)
    data = yaml.safe_load(read_text(source, key_path=SCENARIO_FILE))
    if not isinstance(data, dict) or not data.get("staff"):
        raise InputError("only a roster of named staff can be re-planned (the scenario has "
                         "no staff:)", file=source, key_path="staff")
    changes = read_changes(Path(changes_path), data)
    first = dt.date.fromisoformat(str(data["horizon"]["start_date"]))
    last = first + dt.timedelta(days=int(data["horizon"]["days"]) - 1)
    start = _start(start_text, changes.earliest_day(), first, last)
    previous = read_result(folder)
    changes = sized_contacts(source, data, changes, previous.summary.overrides)
    kept = {(s.agent, s.day) for s in previous.shifts if s.start < start}
    check_against_kept(changes, kept, start)
    changed = apply_changes(data, changes, start)
    with tempfile.TemporaryDirectory(prefix="replan-") as tmp:
        path = Path(tmp) / f"{data.get('name', 'scenario')}.yaml"
        path.write_text(yaml.safe_dump(changed, sort_keys=False, allow_unicode=True),
                        encoding="utf-8")
        loaded = load_scenario(path)
    limit = time_limit if time_limit is not None \
        else loaded.scenario.solver.time_limit_seconds
    search = limit - (time.monotonic() - started) - output_seconds(
        len(previous.shifts), len({s.agent for s in previous.shifts})) \
        - FINISH_SHARE * limit - FINISH_PER_SHIFT * len(previous.shifts)
    result = replan(loaded, previous.shifts, previous.breaks, start, max(1.0, search),
                    _reasons(changes, last), changes.demand_changed, stop)
    target = out_dir if out_dir is not None else folder.parent / f"{folder.name}-replan"
    return Replanned(result, loaded, start, target)


def sized_contacts(saved: Path, data: dict, changes, overrides: list[str]):
    """The changes with each `contacts` change sized into agents: the scenario file the
    folder was solved from (named in its scenario.yaml, `saved`) is read again with the
    same overrides, first as it was (it must give the requirement the roster was solved
    for: each queue's, or the whole) and then with the new volume files, and its new
    requirement goes into `changes.queue_required` (a folder that keeps its queues; a
    queue's own demand change wins) or `changes.required`. Unchanged without contacts."""
    if not changes.contacts:
        return changes
    from dataclasses import replace

    from scheduler.report.saved import solved_from
    from scheduler.scenario.overrides import Override
    from scheduler.workload.loaded import load_scenario

    _, _, line = changes.contacts[0]
    where = {"file": changes.path, "key_path": "changes: column kind", "line": line}
    source = solved_from(saved)
    if source is None or not source.is_file():
        raise InputError(
            "a contacts change sizes agents again with the scenario file the folder was "
            f"solved from, which {saved.name} names in its first lines "
            f"({source or 'none named'}), and that file is not there; give the new agents "
            "per slot as a demand change", **where)
    if changes.demand_file is not None:
        raise InputError("a contacts change and a demand change of the whole requirement "
                         "both replace it: give one of them", **where)
    before = load_scenario(source, list(overrides))
    if not before.queues:
        raise InputError(f"a contacts change needs a scenario sized from channels; {source} "
                         "has none (give the new agents per slot as a demand change)", **where)
    queues = {c["name"]: c.get("required") for c in data.get("channels") or []
              if isinstance(c, dict) and c.get("required") is not None}
    if queues:
        same = all(tuple(v) == before.queue_required.get(q) for q, v in queues.items())
    else:
        same = tuple((data.get("demand") or {}).get("required") or ()) == before.required
    if not same:
        raise InputError(
            f"{source} no longer gives the agents per slot this roster was solved for (the "
            "file edited since, or agents added by the staffing loop's simulation): solve "
            "it again with the new contacts", **where)
    sets = [*overrides]
    for path, channel, row in changes.contacts:
        if channel is not None and channel not in before.queues:
            raise InputError(f"unknown channel {channel!r}: the scenario's channels are "
                             f"{', '.join(before.queues)}", file=changes.path,
                             key_path="changes: column queue", line=row)
        for name in [channel] if channel is not None else before.queues:
            sets += [Override(f"channels.{name}.volume_file", str(path), "contacts change"),
                     Override(f"channels.{name}.volume", None, "contacts change")]
    after = load_scenario(source, sets)
    if queues:
        sized = {q: list(after.queue_required[q]) for q in before.queues}
        return replace(changes, queue_required={**sized, **changes.queue_required})
    return replace(changes, required=[int(v) for v in after.required])
