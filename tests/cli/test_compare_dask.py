"""A comparison on a real Dask scheduler and worker started on loopback gives the same
results as on the default local cluster and as one at a time in this process."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from types import SimpleNamespace

import pandas as pd
import pytest
from typer.testing import CliRunner

from scheduler.cli import app
from tests.conftest import PROJECT, SCENARIOS

runner = CliRunner()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def dask_scheduler(tmp_path):
    """`dask scheduler` and one `dask worker` (one thread, no nanny: a nanny took 8 s to
    shut down) as subprocesses on loopback;
    the worker runs elsewhere than the scenario files and imports `scheduler` through
    PYTHONPATH."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    logs = tmp_path / "dask-logs"
    logs.mkdir()
    elsewhere = tmp_path / "worker-cwd"
    elsewhere.mkdir()
    dask = [sys.executable, "-m", "dask"]  # the `dask` command of this Python
    procs = []
    try:
        procs.append(subprocess.Popen(
            dask + ["scheduler", "--host", "127.0.0.1", "--port", str(port),
                    "--dashboard-address", "127.0.0.1:0"],
            env=env, cwd=elsewhere, stdout=subprocess.DEVNULL,
            stderr=open(logs / "scheduler.log", "w"),
        ))
        procs.append(subprocess.Popen(
            dask + ["worker", address, "--nthreads", "1", "--nworkers", "1",
                    "--host", "127.0.0.1", "--no-dashboard", "--no-nanny"],
            env=env, cwd=elsewhere, stdout=subprocess.DEVNULL,
            stderr=open(logs / "worker.log", "w"),
        ))
        from distributed import Client

        deadline = time.monotonic() + 60
        while True:
            assert all(p.poll() is None for p in procs), (logs / "scheduler.log").read_text()
            try:
                with Client(address, timeout="2s") as client:
                    client.wait_for_workers(1, timeout=30)
                break
            except (OSError, TimeoutError):
                assert time.monotonic() < deadline, (logs / "scheduler.log").read_text()
                time.sleep(0.5)
        yield SimpleNamespace(address=address, worker_pid=procs[1].pid)
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in reversed(procs):
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def _run(out, *extra):
    scenario = SCENARIOS / "tiny.yaml"
    result = runner.invoke(app, [
        "compare", str(scenario), "--quiet", "--out", str(out),
        "--set", "solver.profile=deterministic", "--set", "solver.time_limit_seconds=1",
        "--sweep", "rules.min_rest_hours=8,12", "--sweep", "demand.floor=1:2:1", *extra,
    ])
    assert result.exit_code == 0, result.output
    return pd.read_csv(out / "tiny" / "comparison.csv")


def test_remote_cluster_gives_the_same_results(dask_scheduler, tmp_path):
    remote = _run(tmp_path / "remote", "--cluster", dask_scheduler.address)
    local = _run(tmp_path / "local")
    here = _run(tmp_path / "here", "--cluster", "none")
    keys = ["run", "status", "headcount", "paid_hours", "short_slots", "headcount_lower_bound"]
    # a deterministic second per run: rosters, not always proven (2 s took 20 s a way)
    assert len(remote) == 4 and set(remote["status"]) <= {"optimal", "feasible"}
    assert remote[keys].equals(local[keys]) and remote[keys].equals(here[keys])
    # the same rosters, shift by shift (deterministic profile, one CP-SAT worker each)
    for run in remote["run"]:
        rosters = [(tmp_path / way / "tiny" / run / "shifts.csv").read_text()
                   for way in ("remote", "local", "here")]
        assert rosters[0] == rosters[1] == rosters[2]


def _quiet_within(pid: int, seconds: float) -> bool:
    """True once the process tree of `pid` uses under a fifth of a core over 2 s."""
    import psutil

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        procs = [psutil.Process(pid)] + psutil.Process(pid).children(recursive=True)
        before = sum(sum(p.cpu_times()[:2]) for p in procs)
        time.sleep(2.0)
        after = sum(sum(p.cpu_times()[:2]) for p in procs)
        if after - before < 0.4:
            return True
    return False


def test_ctrl_c_stops_the_search_on_a_remote_worker(dask_scheduler, tmp_path):
    """After SIGINT the command exits 130 with the finished run kept, and the worker's
    running search is told to stop, so the worker is free for new tasks long before the
    slow run's 600 s limit."""
    from distributed import Client

    slow = tmp_path / "slow.yaml"
    slow.write_text(f"extends: {SCENARIOS / 'normal_week.yaml'}\nname: slow\n")
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "scheduler", "compare", str(SCENARIOS / "tiny.yaml"), str(slow),
         "--out", str(out), "--time-limit", "600", "--quiet", "--cluster", dask_scheduler.address],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while not (out / "tiny" / "base" / "summary.json").exists():
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
            time.sleep(0.2)
        with Client(dask_scheduler.address, timeout="10s") as client:
            deadline = time.monotonic() + 60
            while not any(client.processing().values()):  # the slow run has started
                assert time.monotonic() < deadline
                time.sleep(0.2)
            proc.send_signal(signal.SIGINT)
            stdout, stderr = proc.communicate(timeout=60)
            assert proc.returncode == 130, stderr
            # the search on the worker stops: its processes go quiet (a search still
            # going would keep a core busy for up to 600 s)
            assert _quiet_within(dask_scheduler.worker_pid, seconds=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    table = pd.read_csv(out / "comparison.csv", keep_default_na=False)
    assert list(table["status"]) == ["optimal", "cancelled"]
    assert not (out / "slow").exists()
