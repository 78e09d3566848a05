"""Runs from the web page: solved in a child process and shown with KPIs, roster and
downloads; followed by server-sent events; failures shown as messages; cancelled; queued
one at a time; the index kept across a restart; the token and origin checks."""

from __future__ import annotations

import io
import json
import zipfile

import openpyxl
import pytest
from typer.testing import CliRunner

pytest.importorskip("starlette")
pytest.importorskip("httpx")

from scheduler.cli import app as cli  # noqa: E402
from scheduler.web import create_app  # noqa: E402
from scheduler.web.store import RunStore  # noqa: E402
from tests.cli.test_compare_dask import dask_scheduler  # noqa: E402,F401 - a fixture
from tests.web.webcases import SMALL, client, settings, sleeper, wait_for_end  # noqa: E402


def _start(c, scenario=SMALL, **form):
    r = c.post("/runs", data={"scenario": scenario, "kind": "solve", "time_limit": "5", **form})
    assert r.status_code == 303, r.text
    return r.headers["location"].rsplit("/", 1)[1]


def test_a_solve_runs_in_a_child_process_and_shows_its_results(tmp_path):
    s = settings(tmp_path)
    app = create_app(s)
    with client(app) as c:
        run_id = _start(c)
        run = wait_for_end(app.state.store, run_id)
        assert run.status == "done", run.message
        events = c.get(f"/runs/{run_id}/events").text  # the stream ends with the run
        assert "event: end" in events and '"status": "done"' in events
        page = c.get(f"/runs/{run_id}").text
        summary = json.loads((s.runs_dir / run_id / "out" / "summary.json").read_text())
        assert 'id="kpis"' in page and f"<strong>{summary['headcount']}</strong>" in page
        assert f"/runs/{run_id}/files/report.html" in page and "<iframe" in page
        report = c.get(f"/runs/{run_id}/files/report.html")
        assert report.headers["content-security-policy"].startswith("sandbox allow-scripts")
        assert f"{summary['shifts']} rows" in page  # the roster table
        xlsx = c.get(f"/runs/{run_id}/files/roster.xlsx")
        assert xlsx.status_code == 200 and "attachment" in xlsx.headers["content-disposition"]
        book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
        assert book.sheetnames
        cal = zipfile.ZipFile(io.BytesIO(c.get(f"/runs/{run_id}/calendars.zip").content))
        assert len(cal.namelist()) == summary["headcount"]
        assert c.get(f"/runs/{run_id}/files/..%2Foutput.log").status_code == 400
        assert c.get(f"/runs/{run_id}/files/nothing.csv").status_code == 404
        assert c.get("/runs/..%2F..%2Fetc").status_code == 404
        assert run_id in c.get("/runs").text
        progress = (s.runs_dir / run_id / "progress.jsonl").read_text().splitlines()
        assert progress and json.loads(progress[-1])["headcount"] == summary["headcount"]


def test_a_failing_run_gives_its_message_and_the_server_goes_on(tmp_path):
    s = settings(tmp_path)
    text = (s.scenarios_dir / SMALL).read_text().replace("rules:\n", "rules:\n  max_headcount: 2\n")
    (s.scenarios_dir / "too_few.yaml").write_text(text)
    app = create_app(s)
    with client(app) as c:
        run_id = _start(c, "too_few.yaml")
        run = wait_for_end(app.state.store, run_id)
        assert run.status == "failed" and run.exit_code == 1
        page = c.get(f"/runs/{run_id}").text
        assert 'id="run-message"' in page and "infeasible" in page.lower()
        assert c.get("/scenarios").status_code == 200


def test_a_run_that_cannot_start_fails_with_a_message(tmp_path):
    s = settings(tmp_path, python=str(tmp_path / "no-such-python"))
    app = create_app(s)
    with client(app) as c:
        run = wait_for_end(app.state.store, _start(c))
        assert run.status == "failed" and "cannot start the run" in run.message


def test_runs_wait_in_the_queue_and_are_cancelled_with_their_process_group(tmp_path):
    s = settings(tmp_path, python=sleeper(tmp_path), max_runs=1)
    app = create_app(s)
    with client(app) as c:
        first, second = _start(c), _start(c)
        store = app.state.store
        assert store.get(first).status == "running" and store.get(second).status == "queued"
        proc = app.state.runner.procs[first]
        assert c.post(f"/runs/{second}/cancel").status_code == 303
        assert store.get(second).status == "cancelled"
        assert c.post(f"/runs/{first}/cancel").status_code == 303
        assert wait_for_end(store, first, 10).status == "cancelled"
        assert proc.poll() is not None  # the process is gone
        assert c.get(f"/runs/{first}").status_code == 200


def test_the_index_survives_a_restart_and_lost_runs_are_marked_interrupted(tmp_path):
    s = settings(tmp_path, python=sleeper(tmp_path))
    store = RunStore(s.runs_dir)
    lost = store.add("solve", SMALL, {})
    store.update(lost.id, status="running")
    finished = store.add("solve", SMALL, {})
    store.update(finished.id, status="done")
    app = create_app(s)
    with client(app) as c:
        assert app.state.store.get(lost.id).status == "interrupted"
        assert app.state.store.get(finished.id).status == "done"
        page = c.get("/runs").text
        assert lost.id in page and finished.id in page
        assert "the server stopped while this run was running" in c.get(f"/runs/{lost.id}").text
        running = _start(c)
    # the server stopped with a run going: marked interrupted, its process ended
    assert RunStore(s.runs_dir).get(running).status == "interrupted"


def test_a_run_left_over_by_a_killed_server_is_ended_at_the_next_start(tmp_path):
    import subprocess

    s = settings(tmp_path)
    store = RunStore(s.runs_dir)
    run = store.add("solve", SMALL, {})
    folder = store.folder(run.id)
    # a process like a run's child: its command line names the run's folder
    proc = subprocess.Popen(["sh", "-c", "sleep 60", str(folder)], start_new_session=True)
    store.update(run.id, status="running", pid=proc.pid)
    with client(create_app(s)):
        assert proc.wait(timeout=10) != 0  # killed
    assert RunStore(s.runs_dir).get(run.id).status == "interrupted"


def test_a_token_is_needed_on_every_request_when_set(tmp_path):
    s = settings(tmp_path, host="0.0.0.0", token="s3cret")
    c = client(create_app(s))
    assert c.get("/scenarios").status_code == 401
    assert c.get("/static/style.css").status_code == 401
    assert c.get("/scenarios", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert c.get("/scenarios", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    r = c.get("/scenarios?token=s3cret")
    assert r.status_code == 200 and c.cookies.get("scheduler_token") == "s3cret"
    assert c.get("/runs").status_code == 200  # the cookie carries it on


def test_loopback_only_host_and_foreign_forms_are_refused(tmp_path):
    c = client(create_app(settings(tmp_path)))
    assert c.get("/scenarios", headers={"Host": "evil.example:8000"}).status_code == 421
    r = c.post(f"/scenarios/{SMALL}", data={"save_as": "x.yaml"},
               headers={"Origin": "http://evil.example"})
    assert r.status_code == 403
    assert c.get("/scenarios").status_code == 200


def test_serve_refuses_another_host_without_a_token(tmp_path, monkeypatch):
    monkeypatch.delenv("SCHEDULER_TOKEN", raising=False)
    folder = tmp_path / "scenarios"
    folder.mkdir()
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--scenarios", str(folder),
                                      "--runs", str(tmp_path / "runs")])
    assert result.exit_code == 2
    assert "needs a token" in result.output
    result = CliRunner().invoke(cli, ["serve", "--scenarios", str(tmp_path / "none")])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_the_page_keeps_the_last_headcount_and_bound_a_later_phase_leaves_out():
    from scheduler.web.runner import latest

    reports = [{"phase": "first roster", "headcount": 208, "headcount_bound": 148, "elapsed": 0.1},
               {"phase": "plan", "headcount": None, "headcount_bound": None, "elapsed": 0.2}]
    assert latest(reports) == {"phase": "plan", "elapsed": 0.2, "headcount": 208,
                               "headcount_bound": 148}
    assert latest([]) is None


def test_a_comparison_runs_on_a_dask_scheduler_when_one_is_configured(tmp_path,
                                                                     dask_scheduler):
    from distributed import Client

    s = settings(tmp_path, cluster=dask_scheduler.address)
    app = create_app(s)
    with client(app) as c:
        run_id = _start(c, kind="compare", variants="on")
        run = wait_for_end(app.state.store, run_id, seconds=120)
        assert run.status == "done", run.message
        page = c.get(f"/runs/{run_id}").text
        assert 'id="comparison"' in page and "rest-11h" in page
    # the two variants were solved as tasks of that scheduler
    with Client(dask_scheduler.address, timeout="10s") as dask:
        done = dask.run_on_scheduler(
            lambda dask_scheduler: sum(1 for key in dask_scheduler.transition_log
                                       if key[2] == "memory"))
    assert done >= 2
    assert settings(tmp_path / "x", cluster="localhost:8786").problem() is not None


def test_a_comparison_shows_its_table_and_each_roster(tmp_path):
    s = settings(tmp_path)
    app = create_app(s)
    with client(app) as c:
        run_id = _start(c, kind="compare", variants="on")
        run = wait_for_end(app.state.store, run_id)
        assert run.status == "done", run.message
        page = c.get(f"/runs/{run_id}").text
        assert 'id="comparison"' in page and "headcount_delta" in page
        assert "rest-11h" in page and 'id="parts"' in page
        assert str(s.runs_dir) not in page  # the server's own paths are not shown
        part = next(p for p in ("web_small/rest-11h",) if p in page)
        shown = c.get(f"/runs/{run_id}?part={part}").text
        assert 'id="kpis"' in shown and f"/runs/{run_id}/files/{part}/roster.xlsx" in shown
        assert c.get(f"/runs/{run_id}/files/{part}/roster.xlsx").status_code == 200
