"""Named staff and their requests read from CSV files (or taken from the scenario), checked
against the scenario, each problem named by file, line and column."""

from __future__ import annotations

import csv
from pathlib import Path

from pydantic import ValidationError

from scheduler.errors import InputError
from scheduler.models import Scenario
from scheduler.models.staff import StaffMember, StaffRequest, staff_problems
from scheduler.scenario.files import read_text
from scheduler.scenario.origins import Origins

MAX_STAFF_BYTES = 50_000_000
_BOOLEANS = {"true": True, "yes": True, "1": True, "y": True,
             "false": False, "no": False, "0": False, "n": False}


def _cells(model: type, row: dict[str, str], file: Path, line: int, key: str) -> dict:
    """A CSV row as model input: blanks dropped, lists split, unknown columns as tags."""
    known = set(model.model_fields)
    data: dict = {}
    tags: dict[str, str] = {}
    for column, raw in row.items():
        if column is None:  # more cells than the header has columns
            raise InputError("the row has more cells than the header has columns",
                             file=file, key_path=key, line=line)
        text = (raw or "").strip()
        if not text:
            continue
        if column not in known:
            if "tags" not in known:
                raise InputError(f"unknown column {column!r} (columns: "
                                 f"{', '.join(model.model_fields)})", file=file,
                                 key_path=f"{key}: column {column}", line=1)
            tags[column] = text
        elif column == "serves":
            data[column] = [q.strip() for q in text.replace("|", ";").split(";") if q.strip()]
        elif model.model_fields[column].annotation in (bool, "bool"):
            if text.lower() not in _BOOLEANS:
                raise InputError(f"{text!r} is not true or false", file=file,
                                 key_path=f"{key}: column {column}", line=line)
            data[column] = _BOOLEANS[text.lower()]
        else:
            data[column] = text
    if tags:
        data["tags"] = tags
    return data


def read_rows(model: type, path: Path, key: str, required: tuple[str, ...]) -> list:
    """The rows of a CSV file as `model` instances with their line numbers; a bad cell
    raises InputError naming the file, the column and the line."""
    text = read_text(path, key_path=key, limit=MAX_STAFF_BYTES)
    reader = csv.DictReader(text.splitlines())
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        raise InputError("the file is empty", file=path, key_path=key)
    reader.fieldnames = header
    for column in required:
        if column not in header:
            raise InputError(f"the column {column!r} is missing (header: {','.join(header)})",
                             file=path, key_path=key, line=1)
    items: list = []
    for row in reader:
        line = reader.line_num
        if all(not (v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        data = _cells(model, row, path, line, key)
        try:
            items.append((model.model_validate(data), line))
        except ValidationError as exc:
            err = exc.errors()[0]
            column = next((str(p) for p in err["loc"] if isinstance(p, str)), None)
            message = err["msg"].removeprefix("Value error, ")
            where = f"{key}: column {column}" if column else key
            raise InputError(message, file=path, key_path=where, line=line) from None
    return items


def resolve_staff(scenario: Scenario, path: Path, origins: Origins, digest) -> Scenario:
    """The scenario with staff.people and requests.items filled from their files (and
    the file keys cleared), checked
    against the pools, shift types and horizon, and each pool's standing set to its named
    people. Raises InputError naming the file, line and column (or key path)."""
    staff = scenario.staff
    if staff is None:
        return scenario
    people_lines: list[int | None] = [None] * len(staff.people)
    people = list(staff.people)
    staff_file = None
    if staff.file is not None:
        staff_file = path.parent / staff.file
        rows = read_rows(StaffMember, staff_file, "staff.file", ("id", "pool"))
        people = [p for p, _ in rows]
        people_lines = [line for _, line in rows]
        digest.update(staff_file.read_bytes())
    requests = list(scenario.requests.items)
    request_lines: list[int | None] = [None] * len(requests)
    requests_file = None
    if scenario.requests.file is not None:
        requests_file = path.parent / scenario.requests.file
        rows = read_rows(StaffRequest, requests_file, "requests.file", ("id", "kind"))
        requests = [r for r, _ in rows]
        request_lines = [line for _, line in rows]
        digest.update(requests_file.read_bytes())
    for where, message in staff_problems(scenario, people, requests):
        kind, *rest = where
        index = rest[0] if rest else None
        column = rest[1] if len(rest) > 1 else None
        file = staff_file if kind == "people" else requests_file
        if file is not None and index is not None:
            line = (people_lines if kind == "people" else request_lines)[index]
            key = "staff.file" if kind == "people" else "requests.file"
            raise InputError(message, file=file,
                             key_path=f"{key}: column {column}" if column else key, line=line)
        section = ("staff", "people") if kind == "people" else ("requests", "items")
        raise origins.error(message, section + tuple(rest[:2]))
    if not people:
        raise origins.error("the staff list is empty", ("staff",))
    counts: dict[str, int] = {}
    for person in people:
        counts[person.pool] = counts.get(person.pool, 0) + 1
    pools = []
    for i, pool in enumerate(scenario.pools):
        named = counts.get(pool.name, 0)
        if pool.standing not in (0, named):
            raise origins.error(
                f"standing is {pool.standing} but the staff name {named} people of pool "
                f"{pool.name!r}: leave standing out (it is the number of named people)",
                ("pools", i, "standing"))
        pools.append(pool.model_copy(update={"standing": named}))
    # the people and requests as read, inline: the files are not needed again
    return scenario.model_copy(update={
        "staff": staff.model_copy(update={"people": people, "file": None}),
        "requests": scenario.requests.model_copy(update={"items": requests, "file": None}),
        "pools": pools,
    })
