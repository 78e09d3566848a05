"""`scheduler solve --progress-jsonl FILE`: the progress reports as JSON lines, for the
web page (scheduler serve) to follow a run in another process."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from scheduler.cli import app
from tests.conftest import small_scenario

runner = CliRunner()


def test_progress_lines_name_the_phase_headcount_and_bound(write_scenario, tmp_path):
    path = write_scenario(small_scenario())
    progress = tmp_path / "progress.jsonl"
    result = runner.invoke(app, ["solve", str(path), "--out", str(tmp_path / "out"), "--quiet",
                                 "--progress-jsonl", str(progress)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in progress.read_text().splitlines()]
    assert lines and {"phase", "headcount", "headcount_bound", "elapsed"} <= set(lines[0])
    assert lines[0]["phase"] == "first roster"
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    last_headcount = [p["headcount"] for p in lines if p["headcount"] is not None][-1]
    assert last_headcount == summary["headcount"]
    assert all(p["elapsed"] >= 0 for p in lines)


def test_unwritable_progress_file_is_bad_input(write_scenario, tmp_path):
    path = write_scenario(small_scenario())
    result = runner.invoke(app, ["solve", str(path), "--out", str(tmp_path / "out"), "--quiet",
                                 "--progress-jsonl", str(tmp_path / "no" / "such" / "p.jsonl")])
    assert result.exit_code == 2
    assert "cannot write" in result.output
    assert not (tmp_path / "out").exists()
