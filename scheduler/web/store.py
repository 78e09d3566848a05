"""The index of runs: one SQLite file in the runs folder, so the list of past runs
survives a restart. Each run's files are in a folder of its own beside it."""

from __future__ import annotations

import datetime as dt
import json
import secrets
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path

INDEX_FILE = "runs.sqlite3"
KINDS = ("solve", "staffing", "compare")
STATUSES = ("queued", "running", "done", "failed", "cancelled", "interrupted")
FINISHED = ("done", "failed", "cancelled", "interrupted")
RUN_ID = r"[0-9]{8}-[0-9]{6}-[0-9a-f]{6}"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    scenario TEXT NOT NULL,
    options TEXT NOT NULL,
    status TEXT NOT NULL,
    created TEXT NOT NULL,
    started TEXT,
    finished TEXT,
    exit_code INTEGER,
    message TEXT NOT NULL DEFAULT '',
    pid INTEGER
)
"""


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


@dataclass
class Run:
    id: str
    kind: str
    scenario: str
    """The scenario's path relative to the scenarios folder."""
    options: dict = field(default_factory=dict)
    status: str = "queued"
    created: str = ""
    started: str | None = None
    finished: str | None = None
    exit_code: int | None = None
    message: str = ""
    pid: int | None = None
    """The run's process (the leader of its process group) while it runs."""

    @property
    def finished_ok(self) -> bool:
        return self.status == "done"

    @property
    def active(self) -> bool:
        return self.status in ("queued", "running")


class RunStore:
    """Runs in SQLite (one connection per call; a lock serialises the writers)."""

    def __init__(self, runs_dir: Path):
        self.dir = Path(runs_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.path = self.dir / INDEX_FILE
        self._lock = threading.Lock()
        with self._connect() as db:
            db.execute(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10)
        db.row_factory = sqlite3.Row
        return db

    def folder(self, run_id: str) -> Path:
        return self.dir / run_id

    def add(self, kind: str, scenario: str, options: dict, status: str = "queued") -> Run:
        """A new run (queued: the runner starts it; another status: recorded as it is,
        e.g. a finished run brought in from elsewhere)."""
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d-%H%M%S")
        run = Run(f"{stamp}-{secrets.token_hex(3)}", kind, scenario, options, status, now())
        self.folder(run.id).mkdir(parents=True)
        with self._lock, self._connect() as db:
            db.execute("INSERT INTO runs (id, kind, scenario, options, status, created) "
                       "VALUES (?, ?, ?, ?, ?, ?)",
                       (run.id, kind, scenario, json.dumps(options), run.status, run.created))
        return run

    def update(self, run_id: str, **values) -> None:
        if not values:
            return
        names = ", ".join(f"{k} = ?" for k in values)
        with self._lock, self._connect() as db:
            db.execute(f"UPDATE runs SET {names} WHERE id = ?", (*values.values(), run_id))

    @staticmethod
    def _run(row: sqlite3.Row) -> Run:
        data = dict(row)
        data["options"] = json.loads(data["options"] or "{}")
        return Run(**data)

    def get(self, run_id: str) -> Run | None:
        with self._connect() as db:
            row = db.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        return self._run(row) if row else None

    def all(self, limit: int = 200) -> list[Run]:
        with self._connect() as db:
            rows = db.execute("SELECT * FROM runs ORDER BY created DESC, id DESC LIMIT ?",
                              (limit,)).fetchall()
        return [self._run(r) for r in rows]

    def with_status(self, *statuses: str) -> list[Run]:
        marks = ", ".join("?" for _ in statuses)
        with self._connect() as db:
            rows = db.execute(f"SELECT * FROM runs WHERE status IN ({marks}) ORDER BY created, id",
                              statuses).fetchall()
        return [self._run(r) for r in rows]

    def recover(self) -> list[str]:
        """At start: runs left running by a server that stopped are marked interrupted,
        and their process group ended if it outlived the server (a kill -9); queued runs
        wait for their turn again."""
        lost = self.with_status("running")
        for run in lost:
            if run.pid:
                end_leftover(run.pid, str(self.folder(run.id)))
            self.update(run.id, status="interrupted", finished=now(),
                        message="the server stopped while this run was running")
        return [r.id for r in lost]


def end_leftover(pid: int, folder: str) -> None:
    """Kill the process group led by pid if that process is still the run's (its command
    line names the run's folder), not another process that got the number since."""
    import os
    import signal

    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            command = f.read().decode("utf-8", "replace")
    except OSError:
        return
    if folder in command:
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
