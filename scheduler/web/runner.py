"""Runs executed as child processes (`python -m scheduler solve|staffing|compare ...`),
never in the server's process: a queue, at most `max_runs` at once, each in its own
process group so that cancelling ends it and everything it started."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from scheduler.web.config import Settings
from scheduler.web.store import Run, RunStore, now

OUT_DIR = "out"
PROGRESS_FILE = "progress.jsonl"
LOG_FILE = "output.log"
KILL_AFTER_SECONDS = 5.0
PACKAGE_ROOT = Path(__file__).resolve().parents[2]


def command(run: Run, scenario: Path, folder: Path, python: str,
            cluster: str | None = None) -> list[str]:
    """The command line of a run; its outputs go to folder/out. A comparison runs on the
    Dask scheduler at `cluster` when given, else one variant after the other."""
    out = str(folder / OUT_DIR)
    opts = run.options
    if run.kind == "forecast":  # `scenario` is the history file
        from scheduler.web.forecasts import command as forecast_command

        return forecast_command(scenario, opts, folder / OUT_DIR, python)
    base = [python, "-m", "scheduler", run.kind, str(scenario)]
    if run.kind == "staffing":
        return base + ["--out", out]
    limit = ["--time-limit", str(opts["time_limit"])] if opts.get("time_limit") else []
    if run.kind == "compare":
        variants = ["--variants", "all"] if opts.get("variants") else []
        return base + variants + ["--out", out, "--cluster", cluster or "none",
                                  "--quiet"] + limit
    extra = ["--allow-understaffing"] if opts.get("allow_understaffing") else []
    return base + ["--out", out, "--quiet", "--progress-jsonl",
                   str(folder / PROGRESS_FILE)] + limit + extra


def child_environment(lang: str | None) -> dict[str, str]:
    env = dict(os.environ)
    paths = [str(PACKAGE_ROOT)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env.update(NO_COLOR="1", COLUMNS="120", PYTHONUNBUFFERED="1")
    if lang:
        env["SCHEDULER_LANG"] = lang
    return env


def failure_message(log: Path, exit_code: int) -> str:
    """The run's own error lines (or its last lines) from its log."""
    try:
        lines = [ln.rstrip() for ln in log.read_text(encoding="utf-8", errors="replace").splitlines()
                 if ln.strip()]
    except OSError:
        lines = []
    errors = [ln for ln in lines if ln.lower().startswith(("error", "infeasible", "traceback"))]
    chosen = errors[:5] if errors else lines[-5:]
    return "\n".join(chosen) or f"exit code {exit_code}"


def progress(folder: Path) -> list[dict]:
    """The progress reports written so far (a torn last line is left for later)."""
    path = folder / PROGRESS_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return []
    reports = []
    for line in text.splitlines():
        try:
            reports.append(json.loads(line))
        except ValueError:
            break
    return reports


def latest(reports: list[dict]) -> dict | None:
    """What the page shows of a run's progress: the last phase and seconds, and the last
    headcount and bound reported (a later phase may report neither)."""
    if not reports:
        return None
    last = reports[-1]

    def known(key: str):
        return next((r[key] for r in reversed(reports) if r.get(key) is not None), None)

    return {"phase": last.get("phase", ""), "elapsed": last.get("elapsed"),
            "headcount": known("headcount"), "headcount_bound": known("headcount_bound")}


class Runner:
    """Starts queued runs while fewer than max_runs are running, watches them end, and
    cancels them on request. One thread; the server's requests only read the store."""

    def __init__(self, settings: Settings, store: RunStore, poll_seconds: float = 0.2):
        self.settings = settings
        self.store = store
        self.poll_seconds = poll_seconds
        self.procs: dict[str, subprocess.Popen] = {}
        self.cancelling: dict[str, float] = {}
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self.store.recover()
        self._thread = threading.Thread(target=self._loop, name="runs", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Server shutting down: running runs are ended and marked interrupted."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        with self._lock:
            for run_id, proc in list(self.procs.items()):
                _kill(proc, signal.SIGKILL)
                proc.wait(timeout=5)
                self.store.update(run_id, status="interrupted", finished=now(),
                                  exit_code=proc.returncode,
                                  message="the server stopped while this run was running")
            self.procs.clear()

    def submit(self, kind: str, scenario: str, options: dict) -> Run:
        run = self.store.add(kind, scenario, options)
        self.tick()
        return run

    def cancel(self, run_id: str) -> bool:
        """Cancel a queued or running run; False when it is not active."""
        with self._lock:
            run = self.store.get(run_id)
            if run is None or not run.active:
                return False
            proc = self.procs.get(run_id)
            if proc is None:
                self.store.update(run_id, status="cancelled", finished=now(),
                                  message="cancelled before it started")
                return True
            self.cancelling[run_id] = time.monotonic()
            _kill(proc, signal.SIGTERM)
        self.tick()
        return True

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception:  # noqa: BLE001 - the loop must outlive one bad tick
                pass
            self._stop.wait(self.poll_seconds)

    def tick(self) -> None:
        with self._lock:
            for run_id, proc in list(self.procs.items()):
                code = proc.poll()
                if code is None:
                    asked = self.cancelling.get(run_id)
                    if asked is not None and time.monotonic() - asked > KILL_AFTER_SECONDS:
                        _kill(proc, signal.SIGKILL)
                    continue
                self._finish(run_id, code)
            for run in self.store.with_status("queued"):
                if len(self.procs) >= self.settings.max_runs:
                    break
                self._launch(run)

    def _finish(self, run_id: str, code: int) -> None:
        self.procs.pop(run_id)
        folder = self.store.folder(run_id)
        if self.cancelling.pop(run_id, None) is not None:
            status, message = "cancelled", "cancelled while running"
        elif code == 0:
            status, message = "done", ""
        else:
            status, message = "failed", failure_message(folder / LOG_FILE, code)
        self.store.update(run_id, status=status, finished=now(), exit_code=code,
                          message=message)

    def _launch(self, run: Run) -> None:
        from scheduler.web.paths import PathRefused, inside

        folder = self.store.folder(run.id)
        folder.mkdir(parents=True, exist_ok=True)
        try:
            scenario = inside(self.settings.scenarios_dir, run.scenario)
            log = open(folder / LOG_FILE, "wb")
        except (PathRefused, OSError) as exc:
            self.store.update(run.id, status="failed", finished=now(), message=str(exc))
            return
        argv = command(run, scenario, folder, self.settings.python or sys.executable,
                       self.settings.cluster)
        try:
            with log:
                proc = subprocess.Popen(argv, cwd=folder, stdin=subprocess.DEVNULL, stdout=log,
                                        stderr=subprocess.STDOUT, start_new_session=True,
                                        env=child_environment(run.options.get("lang")))
        except OSError as exc:
            self.store.update(run.id, status="failed", finished=now(),
                              message=f"cannot start the run: {exc}")
            return
        self.procs[run.id] = proc
        self.store.update(run.id, status="running", started=now(), pid=proc.pid)


def _kill(proc: subprocess.Popen, sig: int) -> None:
    """Signal the run's whole process group (it leads its own session)."""
    try:
        os.killpg(proc.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass
