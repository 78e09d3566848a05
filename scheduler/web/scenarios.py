"""Scenarios on the page: the folder listed, a scenario's key figures, the form of its
common values (validated as `--set` overrides, so the messages are the CLI's), a changed
scenario saved as a new file, and uploads of a scenario with its data files.

Every path here is confined to the scenarios folder (paths.py); YAML is read safely."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from scheduler.errors import InputError, InputErrors, SchedulerError
from scheduler.scenario.files import read_yaml
from scheduler.scenario.overrides import Override, apply_override, parse_override
from scheduler.web.paths import PathRefused, inside, relative_to, safe_name

MAX_DEPTH = 2
"""Scenario files are listed in the folder and its subfolders this deep."""
UPLOAD_SUFFIXES = (".yaml", ".yml", ".csv")


@dataclass(frozen=True)
class Field:
    key: str
    """Dotted key path, as for --set."""
    label: str
    """English label (translated on the page)."""
    kind: str = "number"
    optional: bool = False
    """Empty means absent (null)."""
    name: str = ""
    """Filled into the label's {name} (a pool's name)."""


COMMON_FIELDS = (
    Field("description", "Description", "text"),
    Field("demand.floor", "Floor (agents on duty at all times)"),
    Field("rules.min_rest_hours", "Minimum rest between shifts (hours)"),
    Field("rules.max_days_per_week", "Working days in any 7 days (at most)"),
    Field("rules.max_consecutive_days", "Working days in a row (at most)", optional=True),
    Field("rules.max_daily_paid_hours", "Paid hours a shift (at most)", optional=True),
    Field("rules.max_weekly_paid_hours", "Paid hours a week (at most)", optional=True),
    Field("coverage.allow_understaffing", "Allow understaffing", "bool"),
    Field("solver.time_limit_seconds", "Time limit (seconds)"),
    Field("solver.workers", "CP-SAT workers"),
)


@dataclass
class Entry:
    path: str
    """Relative to the scenarios folder."""
    name: str
    description: str
    problem: str | None = None


@dataclass
class FormOutcome:
    saved: str | None = None
    """The new file's path relative to the folder, when saved."""
    field_errors: dict[str, list[str]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)


class UploadRefused(ValueError):
    """An upload that was not kept: the message says why."""


def _is_scenario(data) -> bool:
    return isinstance(data, dict) and "name" in data and ("horizon" in data or "extends" in data)


def list_scenarios(root: Path) -> list[Entry]:
    """Scenario files (YAML mappings with name and horizon or extends) in the folder and
    its subfolders, by path; a file that cannot be read is listed with its problem."""
    base = root.resolve()
    found = []
    for path in sorted(base.rglob("*.y*ml")):
        rel = path.relative_to(base)
        if len(rel.parts) > MAX_DEPTH or any(p.startswith(".") for p in rel.parts):
            continue
        try:
            inside(base, rel.as_posix())
            data, _ = read_yaml(path)
        except (PathRefused, SchedulerError) as exc:
            found.append(Entry(rel.as_posix(), path.stem, "", _short(str(exc), base)))
            continue
        if _is_scenario(data):
            found.append(Entry(rel.as_posix(), str(data.get("name")),
                               str(data.get("description") or "")))
    return found


def _short(message: str, root: Path) -> str:
    """A message with the folder's absolute path taken out."""
    return message.replace(str(root.resolve()) + os.sep, "")


MAX_EXTENDS = 10


def _references(node, found: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(key, path) of every file a scenario's data names: extends, file, *_file."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str) and (key in ("extends", "file")
                                           or str(key).endswith("_file")):
                found.append((str(key), value))
            else:
                _references(value, found)
    elif isinstance(node, list):
        for item in node:
            _references(item, found)
    return found


def check_references(root: Path, path: Path) -> None:
    """Refuse a scenario that names a file outside the folder (its demand, staff or
    volume files, or a scenario it extends, followed down the chain): the page reads and
    runs only what lies inside."""
    base = root.resolve()
    todo, seen = [path], set()
    while todo and len(seen) < MAX_EXTENDS:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            data, _ = read_yaml(current)
        except SchedulerError:
            return  # the reader names the problem when the scenario is loaded
        for key, ref in _references(data, []):
            target = (current.parent / ref).resolve()
            if target != base and base not in target.parents:
                raise PathRefused(f"{current.name}: {key} names {ref!r}, outside the "
                                  "scenarios folder")
            if key == "extends" and target.is_file():
                todo.append(target)


_cache: dict[tuple, object] = {}
_cache_lock = threading.Lock()


def load(root: Path, rel: str, overrides: tuple[str, ...] = ()):
    """The scenario loaded as `solve` loads it (cached by path, changes and file times)."""
    from scheduler.workload.loaded import load_scenario

    path = inside(root, rel)
    if not path.is_file():
        raise FileNotFoundError(rel)
    check_references(root, path)
    stamp = tuple(p.stat().st_mtime_ns for p in path.parent.iterdir() if p.is_file())
    key = (str(path), overrides, hash(stamp))
    with _cache_lock:
        if key in _cache:
            return _cache[key]
    loaded = load_scenario(path, list(overrides))
    with _cache_lock:
        if len(_cache) > 32:
            _cache.clear()
        _cache[key] = loaded
    return loaded


def messages(exc: SchedulerError, root: Path) -> list[str]:
    """The CLI's error lines of an error, the folder's absolute path taken out."""
    errors = exc.errors if isinstance(exc, InputErrors) else [exc]
    return [_short(e.render() if isinstance(e, InputError) else str(e), root) for e in errors]


def key_figures(loaded) -> dict:
    """What the scenario page shows about a loaded scenario."""
    sc = loaded.scenario
    h = sc.horizon
    shift_types = [{"name": st.name, "paid_hours": ", ".join(f"{v:g}" for v in st.paid_hours),
                    "window": f"{st.earliest_start}-{st.latest_start}",
                    "breaks": len(st.breaks)} for st in sc.shift_types]
    rules = {k: v for k, v in sc.rules.model_dump().items()
             if v is not None and v != type(sc.rules).model_fields[k].default}
    pools = [{"name": p.name, "standing": p.standing,
              "max_hire": "-" if p.max_hire is None else p.max_hire,
              "shift_types": ", ".join(p.shift_types)} for p in sc.pools]
    return {
        "name": sc.name, "description": sc.description,
        "start_date": h.start_date, "days": h.days, "slot_minutes": h.slot_minutes,
        "cyclic": h.cyclic, "slots": h.num_slots,
        "peak": max(loaded.required, default=0),
        "agent_hours": sum(loaded.required) * h.slot_minutes / 60,
        "shift_types": shift_types, "rules": rules, "pools": pools,
        "channels": [c.name for c in sc.channels], "variants": _variants(loaded.path),
        "staff": sc.staff is not None,
    }


def _variants(path: Path) -> list[str]:
    try:
        data, _ = read_yaml(path)
    except SchedulerError:
        return []
    variants = data.get("variants") if isinstance(data, dict) else None
    return [str(k) for k in variants] if isinstance(variants, dict) else []


def fields_of(loaded) -> list[Field]:
    """The common fields, and per pool its standing team and hires."""
    pools = [f for p in loaded.scenario.pools for f in (
        Field(f"pools.{p.name}.standing", "Pool {name}: standing agents", name=p.name),
        Field(f"pools.{p.name}.max_hire", "Pool {name}: hires at most", optional=True,
              name=p.name))]
    return list(COMMON_FIELDS) + pools


def _get(model, key: str):
    node = model
    for seg in key.split("."):
        if isinstance(node, (list, tuple)):
            node = next((i for i in node if getattr(i, "name", None) == seg), None)
        else:
            node = getattr(node, seg, None)
        if node is None:
            return None
    return node


def current_values(loaded, fields: list[Field]) -> dict[str, str]:
    """Each field's value as the form shows it."""
    values = {}
    for f in fields:
        value = _get(loaded.scenario, f.key)
        if f.kind == "bool":
            values[f.key] = "true" if value else "false"
        elif value is None:
            values[f.key] = ""
        elif isinstance(value, float) and value.is_integer():
            values[f.key] = str(int(value))
        else:
            values[f.key] = str(value)
    return values


def changes(fields: list[Field], before: dict[str, str], form: dict[str, str]) -> list[Override]:
    """The form's changed fields as overrides (text fields kept as strings)."""
    found = []
    for f in fields:
        if f.key not in form:
            continue  # not on the form sent: unchanged
        if f.kind == "bool":
            text = "true" if form.get(f.key) in ("true", "on", "1") else "false"
        else:
            text = (form.get(f.key) or "").strip()
        if text == before.get(f.key, ""):
            continue
        if f.kind == "text":
            found.append(Override(f.key, text))
        elif text == "" and f.optional:
            found.append(Override(f.key, None))
        else:
            found.append(parse_override(f"{f.key}={text}"))
    return found


def save_form(root: Path, rel: str, form: dict[str, str]) -> FormOutcome:
    """Validate the form's changes as `--set` overrides of the scenario; when valid, write
    the scenario with them as a new file `save_as` beside it (nothing written otherwise)."""
    loaded = load(root, rel)
    fields = fields_of(loaded)
    before = current_values(loaded, fields)
    outcome = FormOutcome(values={f.key: form.get(f.key, before[f.key]) for f in fields})
    try:
        target_name = safe_name(form.get("save_as", ""), (".yaml", ".yml"))
    except PathRefused as exc:
        outcome.field_errors["save_as"] = [str(exc)]
        return outcome
    source = inside(root, rel)
    target = source.parent / target_name
    try:
        overrides = changes(fields, before, form)
        _validate(source, overrides)
    except SchedulerError as exc:
        for line, err in zip(messages(exc, root), _errors(exc)):
            key = _field_of(err, fields)
            if key is None:
                outcome.errors.append(line)
            else:
                outcome.field_errors.setdefault(key, []).append(line)
        return outcome
    if target.exists():
        outcome.field_errors["save_as"] = [f"{target_name} exists already: choose another name"]
        return outcome
    data, _ = read_yaml(source)
    stem = target.stem
    if isinstance(data.get("name"), str):
        data["name"] = stem if safe_name_ok(stem) else data["name"]
    for ov in overrides:
        apply_override(data, ov)
    text = (f"# {target_name}: {rel} with changes made on the web page: "
            + (", ".join(o.text for o in overrides) or "none").replace("\n", " ") + "\n"
            + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100))
    _write_new(target, text)
    outcome.saved = relative_to(root, target)
    return outcome


def safe_name_ok(stem: str) -> bool:
    try:
        safe_name(stem)
        return True
    except PathRefused:
        return False


def _validate(source: Path, overrides: list[Override]) -> None:
    from scheduler.workload.loaded import load_scenario

    load_scenario(source, overrides)


def _errors(exc: SchedulerError) -> list:
    return exc.errors if isinstance(exc, InputErrors) else [exc]


def _field_of(err, fields: list[Field]) -> str | None:
    """The form field an error names: the override it came from, or its key path."""
    file = getattr(err, "file", None) or ""
    for f in fields:
        if file.startswith(f"--set {f.key}="):
            return f.key
    key_path = getattr(err, "key_path", None) or ""
    for f in fields:
        if key_path == f.key:
            return f.key
    return None


def _write_new(target: Path, text: str) -> None:
    """Write a new file atomically: a temporary file beside it, then a hard link that
    fails if the name was taken meanwhile."""
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".yaml", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.link(tmp, target)
    finally:
        os.unlink(tmp)


def save_upload(root: Path, files: list[tuple[str, bytes]]) -> str:
    """Keep an uploaded scenario (one YAML file) and its data files (CSV, YAML) in a new
    subfolder named after the scenario; validated first in a hidden temporary folder, so
    a bad upload leaves nothing. Returns the scenario's path relative to the folder."""
    if not files:
        raise UploadRefused("choose a scenario file to upload")
    names = []
    for name, _ in files:
        try:
            names.append(safe_name(Path(name or "").name, UPLOAD_SUFFIXES))
        except PathRefused as exc:
            raise UploadRefused(str(exc)) from None
    if len(set(names)) != len(names):
        raise UploadRefused("two uploaded files have the same name")
    base = root.resolve()
    tmp = Path(tempfile.mkdtemp(prefix=".upload-", dir=base))
    try:
        for name, (_, content) in zip(names, files):
            (tmp / name).write_bytes(content)
        scenarios = []
        for name in names:
            if name.lower().endswith((".yaml", ".yml")):
                try:
                    data, _ = read_yaml(tmp / name)
                except SchedulerError as exc:
                    raise UploadRefused(_short(str(exc), tmp)) from None
                if _is_scenario(data):
                    scenarios.append(name)
        if len(scenarios) != 1:
            raise UploadRefused("the upload must hold exactly one scenario file (a YAML "
                                f"mapping with name and horizon); it holds {len(scenarios)}")
        from scheduler.workload.loaded import load_scenario

        try:
            check_references(tmp, tmp / scenarios[0])
        except PathRefused as exc:
            raise UploadRefused(str(exc)) from None
        try:
            load_scenario(tmp / scenarios[0])
        except SchedulerError as exc:
            raise UploadRefused("\n".join(messages(exc, tmp))) from None
        folder = base / Path(scenarios[0]).stem
        if folder.exists():
            raise UploadRefused(f"{folder.name}/ exists already in the scenarios folder: "
                                "rename the scenario file")
        os.rename(tmp, folder)
        return relative_to(base, folder / scenarios[0])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
