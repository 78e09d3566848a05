"""Shared pieces of the web page tests: a scenarios folder with the small fixture
scenario, an app on it, and waiting for a run to end (bounded)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "scenarios"
SMALL = "web_small.yaml"


def scenarios_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "scenarios"
    shutil.copytree(FIXTURES, folder)
    return folder


def settings(tmp_path: Path, **changes):
    from scheduler.web import Settings

    values = dict(scenarios_dir=scenarios_folder(tmp_path), runs_dir=tmp_path / "runs")
    values.update(changes)
    return Settings(**values)


def client(app, **kwargs):
    from starlette.testclient import TestClient

    return TestClient(app, base_url="http://127.0.0.1:8000", follow_redirects=False, **kwargs)


def wait_for_end(store, run_id: str, seconds: float = 60.0):
    """The run once it has finished (or failed), polling the index; fails after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        run = store.get(run_id)
        if run.status in ("done", "failed", "cancelled", "interrupted"):
            return run
        time.sleep(0.1)
    raise AssertionError(f"run {run_id} still {store.get(run_id).status} after {seconds} s")


def sleeper(tmp_path: Path) -> str:
    """An 'interpreter' that ignores its arguments and sleeps: a run that only ends when
    cancelled, without using the CPU."""
    path = tmp_path / "sleeper.sh"
    path.write_text("#!/bin/sh\nsleep 60\n")
    path.chmod(0o755)
    return str(path)
