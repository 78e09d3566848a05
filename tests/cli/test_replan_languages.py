"""`scheduler replan` in Chinese: the new folder is written in the language of the folder
it re-plans (or --lang); changes.csv stays English."""

from __future__ import annotations

import json

import yaml
from typer.testing import CliRunner

from scheduler.cli import app
from tests.cli.test_replan_command import changes_file, fortnight

runner = CliRunner()


def test_replan_keeps_the_folders_language(tmp_path):
    path = tmp_path / "fortnight.yaml"
    path.write_text(yaml.safe_dump(fortnight(), sort_keys=False), encoding="utf-8")
    out = tmp_path / "out"
    done = runner.invoke(app, ["solve", str(path), "--out", str(out), "--quiet",
                               "--time-limit", "4", "--lang", "zh"])
    assert done.exit_code == 0, done.output
    new = tmp_path / "new"
    done = runner.invoke(app, ["replan", str(out), "--changes",
                               str(changes_file(tmp_path, ["sick,E03,2026-11-25,,,,flu"])),
                               "--out", str(new), "--time-limit", "4"])
    assert done.exit_code == 0, done.output
    assert "人数" in done.output and "列出了变更" in done.output
    assert json.loads((new / "summary.json").read_text(encoding="utf-8"))["language"] == "zh"
    assert '<html lang="zh-CN">' in (new / "report.html").read_text(encoding="utf-8")
    header = (new / "changes.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "agent,name,day,was,now,reason"
