"""`scheduler schema`: prints or writes (atomically) the scenario JSON Schema or, with
--markdown, the scenario reference; exit 2 when the file cannot be written."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.scenario.reference import REFERENCE_FILE
from scheduler.scenario.schema import SCHEMA_FILE

runner = CliRunner()


def test_schema_prints_the_committed_schema():
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0, result.output
    assert result.stdout == SCHEMA_FILE.read_text(encoding="utf-8")
    assert json.loads(result.stdout)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_markdown_prints_the_committed_reference():
    result = runner.invoke(app, ["schema", "--markdown"])
    assert result.exit_code == 0, result.output
    assert result.stdout == REFERENCE_FILE.read_text(encoding="utf-8")


def test_schema_out_replaces_the_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "sub" / "scenario.schema.json"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")
    result = runner.invoke(app, ["schema", "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == SCHEMA_FILE.read_text(encoding="utf-8")
    assert [p.name for p in target.parent.iterdir()] == ["scenario.schema.json"]
    assert result.stdout == ""


def test_schema_out_that_cannot_be_written_exits_2(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = runner.invoke(app, ["schema", "--out", str(blocker / "scenario.schema.json")])
    assert result.exit_code == 2
    assert "cannot write" in result.output
    assert blocker.read_text(encoding="utf-8") == "not a folder"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_schema_is_listed_in_the_help():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0 and "schema" in result.stdout
