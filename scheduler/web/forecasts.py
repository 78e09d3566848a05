"""Contact histories for forecasts on the web page: an uploaded history (a CSV in the
volume-file format) is checked with the forecast's own reader before it is kept in the
scenarios folder's `histories/`, the histories kept are listed, and the form's choices
(first day, days, method, planning quantile) are checked before a forecast run is
queued (`python -m scheduler forecast ...`, as the command line does)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

from scheduler.errors import SchedulerError
from scheduler.models.forecast import METHODS
from scheduler.web.paths import PathRefused, safe_name

HISTORIES = "histories"
"""The subfolder of the scenarios folder that holds the uploaded histories."""


class ForecastRefused(ValueError):
    """A history or a choice of the form that cannot be used; the message says why."""


def list_histories(root: Path) -> list[str]:
    """The histories kept, as paths relative to the scenarios folder."""
    folder = root / HISTORIES
    if not folder.is_dir():
        return []
    return sorted(f"{HISTORIES}/{p.name}" for p in folder.glob("*.csv")
                  if p.is_file() and not p.name.startswith("."))


def save_history(root: Path, name: str, content: bytes) -> str:
    """Keep an uploaded history after reading it as `scheduler forecast` would (a bad
    file is refused with the reader's message and nothing is kept). Returns its path
    relative to the scenarios folder; a name already taken gets a number."""
    try:
        name = safe_name(Path(name or "").name, (".csv",))
    except PathRefused as exc:
        raise ForecastRefused(str(exc)) from None
    if not content:
        raise ForecastRefused("choose a history file (CSV) to upload")
    base = root.resolve()
    tmp = Path(tempfile.mkdtemp(prefix=".history-", dir=base))
    try:
        path = tmp / name
        path.write_bytes(content)
        from scheduler.forecast.run import load_history

        try:
            load_history(path)
        except SchedulerError as exc:
            raise ForecastRefused(str(exc).replace(str(tmp) + os.sep, "")) from None
        folder = base / HISTORIES
        folder.mkdir(exist_ok=True)
        target, n = folder / name, 1
        while target.exists():
            n += 1
            target = folder / f"{Path(name).stem}-{n}.csv"
        os.replace(path, target)
        return f"{HISTORIES}/{target.name}"
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def options(form) -> dict:
    """The forecast's choices from the form, checked: start (a date), days (1-366),
    method (auto or a method), quantile (0.01-0.99)."""
    start = str(form.get("start", "")).strip()
    try:
        dt.date.fromisoformat(start)
    except ValueError:
        raise ForecastRefused(f"the first day {start!r} is not a date (YYYY-MM-DD)") from None
    try:
        days = int(str(form.get("days", "")).strip())
        if not 1 <= days <= 366:
            raise ValueError
    except ValueError:
        raise ForecastRefused("the days forecast must be a whole number from 1 to 366") \
            from None
    method = str(form.get("method", "auto")).strip() or "auto"
    if method != "auto" and method not in METHODS:
        raise ForecastRefused(f"unknown method {method!r} (auto, {', '.join(METHODS)})")
    try:
        quantile = float(str(form.get("quantile", "0.5")).strip() or "0.5")
        if not 0.01 <= quantile <= 0.99:
            raise ValueError
    except ValueError:
        raise ForecastRefused("the planning quantile must be a number from 0.01 to 0.99") \
            from None
    return {"start": start, "days": days, "method": method, "quantile": quantile}


def command(history: Path, opts: dict, out: Path, python: str) -> list[str]:
    """The forecast run's command line: the volume file and its intervals into `out`."""
    return [python, "-m", "scheduler", "forecast", str(history), "--start", opts["start"],
            "--days", str(opts["days"]), "--method", opts["method"],
            "--quantile", str(opts["quantile"]), "--out", str(out / "forecast.csv")]
