"""The changes a re-plan answers (`scheduler replan --changes FILE`): read from CSV, each
checked against the scenario as solved (known people, days inside the horizon, demand
files that exist) and against the roster kept as worked, then applied to the scenario's
data: sickness and leave become hard requests, a person leaving gets an end date, a new
demand file replaces the requirement (in a folder that keeps its queues as solved, the
`queue` it names: that channel's agents per slot). A new forecast of contacts (`contacts`,
a channel's volume file) is sized into agents by the command (scheduler/cli/replan.py),
which fills in `required` or `queue_required` before the changes are applied.

The changes file has a header and one change a row:

    kind,id,date,start_date,end_date,file,note
    sick,E0012,2026-10-12,,,,flu
    leave,E0040,,2026-10-14,2026-10-16,,
    leaves,E0007,2026-10-20,,,,
    demand,,,,,demand_v2.csv,new forecast
    contacts,,,,,contacts_v2.csv,new forecast of contacts

A folder whose scenario splits queues takes a demand change per queue, in a `queue` column
(`demand,,,,,after_sale_v2.csv,after-sale wave,after_sale`, header `...,file,note,queue`).
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from scheduler.errors import InputError
from scheduler.models.sections import Horizon
from scheduler.models.staff import RosterChange
from scheduler.scenario.demand import read_demand_csv
from scheduler.scenario.staff import read_rows

KEY = "changes"
REQUEST_KIND = {"sick": "leave", "leave": "leave", "unavailable": "unavailable"}


@dataclass(frozen=True)
class Changes:
    """The changes as read, each with its line in the file."""

    path: Path
    rows: list[tuple[RosterChange, int]]
    queue_required: dict[str, list[int]] = field(default_factory=dict)
    """Per queue changed (a folder that keeps its queues as solved): its new agents per
    slot, read from the last demand change naming it."""
    required: list[int] | None = None
    """The whole requirement per slot sized again from new contacts (set by the command
    for a `contacts` change in a folder of one requirement)."""

    @property
    def demand_file(self) -> Path | None:
        """The last demand change's file, resolved against the changes file's folder
        (changes naming a queue are in queue_required)."""
        files = [c.file for c, _ in self.rows if c.kind == "demand" and c.queue is None]
        return (self.path.parent / files[-1]).resolve() if files else None

    @property
    def contacts(self) -> list[tuple[Path, str | None, int]]:
        """The contacts changes: (volume file resolved against the changes file's folder,
        channel or None for every channel, line), in the file's order."""
        return [((self.path.parent / c.file).resolve(), c.queue, line)
                for c, line in self.rows if c.kind == "contacts"]

    @property
    def demand_changed(self) -> bool:
        """Whether any requirement changes (the whole one or a queue's)."""
        return self.demand_file is not None or bool(self.queue_required) \
            or self.required is not None or bool(self.contacts)

    def earliest_day(self) -> dt.date | None:
        """The first day any person's change touches (None with demand changes only)."""
        days = [c.first_day for c, _ in self.rows if c.first_day is not None]
        return min(days) if days else None


def _horizon(data: dict) -> tuple[dt.date, dt.date]:
    horizon = data["horizon"]
    first = dt.date.fromisoformat(str(horizon["start_date"]))
    return first, first + dt.timedelta(days=int(horizon["days"]) - 1)


def read_changes(path: Path, data: dict) -> Changes:
    """The changes file read and checked against `data` (the scenario as solved, as plain
    data): each person known, each day inside the horizon, each demand file present."""
    path = Path(path)
    rows = read_rows(RosterChange, path, KEY, ("kind",))
    if not rows:
        raise InputError("the file lists no change", file=path, key_path=KEY)
    people = {p["id"] for p in ((data.get("staff") or {}).get("people") or [])}
    first, last = _horizon(data)
    queue_required: dict[str, list[int]] = {}
    for change, line in rows:
        if change.id is not None and change.id not in people:
            what = "the scenario names no staff" if not people else "no such person in the staff"
            raise InputError(f"unknown id {change.id!r}: {what}", file=path,
                             key_path=f"{KEY}: column id", line=line)
        for column in ("date", "start_date", "end_date"):
            day = getattr(change, column)
            if day is not None and not first <= day <= last:
                raise InputError(f"{day} is outside the horizon ({first} to {last})",
                                 file=path, key_path=f"{KEY}: column {column}", line=line)
        if change.kind == "contacts":
            target = (path.parent / change.file).resolve()
            if not target.is_file():
                raise InputError(f"no volume file {change.file!r} (looked for {target})",
                                 file=path, key_path=f"{KEY}: column file", line=line)
        if change.kind == "demand":
            target = (path.parent / change.file).resolve()
            if not target.is_file():
                raise InputError(f"no demand file {change.file!r} (looked for {target})",
                                 file=path, key_path=f"{KEY}: column file", line=line)
            _check_demand_target(change, line, path, data)
            if change.queue is not None:
                queue_required[change.queue] = _queue_required(target, change.queue, data)
    return Changes(path, rows, queue_required)


def _check_demand_target(change: RosterChange, line: int, path: Path, data: dict) -> None:
    """A demand change fits the folder: a queue named exactly when its scenario keeps its
    queues as solved, and that queue one of them; none for channels sized from contacts."""
    channels = [c for c in data.get("channels") or [] if isinstance(c, dict)]
    queues = [str(c.get("name")) for c in channels]
    if channels and all(c.get("required") is not None for c in channels):
        if change.queue is None:
            raise InputError("this folder's scenario keeps each queue's agents as solved "
                             "(channels[].required): a demand change names its queue in the "
                             f"column queue (one of {', '.join(queues)}) and its file gives "
                             "that queue's agents per slot", file=path,
                             key_path=f"{KEY}: column queue", line=line)
        if change.queue not in queues:
            raise InputError(f"unknown queue {change.queue!r}: the scenario's queues are "
                             f"{', '.join(queues)}", file=path,
                             key_path=f"{KEY}: column queue", line=line)
    elif channels:
        raise InputError("a demand change needs a scenario whose requirement is its "
                         "demand file; this one sizes channels from contacts: give a "
                         "contacts change with the new volume file", file=path,
                         key_path=f"{KEY}: column kind", line=line)
    elif change.queue is not None:
        raise InputError("this folder's scenario has one requirement, no queues: leave the "
                         "column queue empty", file=path, key_path=f"{KEY}: column queue",
                         line=line)


def _queue_required(target: Path, queue: str, data: dict) -> list[int]:
    """The queue's agents per slot from a demand file (`start,required`)."""
    horizon = Horizon.model_validate(data["horizon"])
    start = dt.datetime.combine(horizon.start_date, dt.time())
    return read_demand_csv(target, start, horizon.slot_minutes, horizon.num_slots,
                           key=f"channels[{queue}].required")


def check_against_kept(changes: Changes, kept: set[tuple[str, dt.date]],
                       start: dt.datetime) -> None:
    """A person's absence (or leaving) may not fall on a day they worked a shift kept as
    worked (started before `start`): `kept` holds (staff id, day) of those shifts."""
    last = max((day for _, day in kept), default=start.date())
    for change, line in changes.rows:
        if change.kind in REQUEST_KIND or change.kind == "leaves":
            day = change.first_day
            end = change.last_day if change.kind != "leaves" else last
            while day <= end:
                if (change.id, day) in kept:
                    raise InputError(
                        f"{change.id} works a shift on {day} that started before the re-plan "
                        f"starts ({start:%Y-%m-%d %H:%M}) and is kept as worked; move --from "
                        f"earlier or the change later", file=changes.path,
                        key_path=f"{KEY}: column "
                                 f"{'date' if change.date is not None else 'start_date'}",
                        line=line)
                day += dt.timedelta(days=1)


def apply_changes(data: dict, changes: Changes, start: dt.datetime) -> dict:
    """The scenario's data with the changes made: absences from `start`'s day on become
    hard requests (days before it were worked as planned), a person leaving ends the day
    before, a new demand file replaces the requirement (or a queue's)."""
    out = copy.deepcopy(data)
    people = {p["id"]: p for p in out["staff"]["people"]} if out.get("staff") else {}
    requests = out.setdefault("requests", {"items": []}) or {"items": []}
    out["requests"] = requests
    items = requests.setdefault("items", []) or []
    requests["items"] = items
    from_day = start.date()
    for change, _ in changes.rows:
        if change.kind in REQUEST_KIND:
            first, last = max(change.first_day, from_day), change.last_day
            if last < first:
                continue  # wholly in the past: worked (or not) as it was
            items.append({"id": change.id, "kind": REQUEST_KIND[change.kind],
                          "start_date": first.isoformat(), "end_date": last.isoformat()})
        elif change.kind == "leaves":
            person = people[change.id]
            gone = change.date - dt.timedelta(days=1)
            end = person.get("end_date")
            if end is None or dt.date.fromisoformat(str(end)) > gone:
                person["end_date"] = gone.isoformat()
    if changes.demand_file is not None:
        floor = (out.get("demand") or {}).get("floor", 0)
        out["demand"] = {"file": str(changes.demand_file), "floor": floor}
    if changes.required is not None:
        floor = (out.get("demand") or {}).get("floor", 0)
        out["demand"] = {"required": list(changes.required), "floor": floor}
    for channel in out.get("channels") or []:
        if channel.get("name") in changes.queue_required:
            channel["required"] = list(changes.queue_required[channel["name"]])
    return out
