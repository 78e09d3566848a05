"""`scheduler report OUTDIR`: the workbook, the report, activities.csv and the calendars
rebuilt from the saved files without solving; scenario.yaml is the scenario as solved."""

from __future__ import annotations

import openpyxl
import pytest
from typer.testing import CliRunner

import scheduler.solve
from scheduler.cli import app
from scheduler.io import load_scenario
from scheduler.report.saved import scenario_as_solved
from tests.scheduler.report_cases import report_scenario, solve_into

runner = CliRunner()
REBUILT = ["roster.xlsx", "report.html", "activities.csv"]


def _sheets(path):
    book = openpyxl.load_workbook(path)
    return {name: [list(r) for r in book[name].iter_rows(values_only=True)] for name in book.sheetnames}


def _files(folder):
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def solved(tmp_path):
    return solve_into(tmp_path)


def test_report_rebuilds_what_solve_wrote_without_solving(solved, monkeypatch):
    _, out, _ = solved
    before_book = _sheets(out / "roster.xlsx")
    before_csv = (out / "activities.csv").read_bytes()
    calendars = sorted(p.name for p in (out / "calendar").iterdir())
    sources = {n: (out / n).read_bytes() for n in ("summary.json", "shifts.csv", "breaks.csv",
                                                   "coverage.csv", "scenario.yaml")}
    for name in REBUILT:
        (out / name).unlink()
    for p in (out / "calendar").iterdir():
        p.unlink()
    (out / "calendar").rmdir()

    def no_solving(*args, **kwargs):
        raise AssertionError("report must not solve")

    monkeypatch.setattr(scheduler.solve, "solve", no_solving)
    result = runner.invoke(app, ["report", str(out)])
    assert result.exit_code == 0, result.output
    assert _sheets(out / "roster.xlsx") == before_book
    assert (out / "activities.csv").read_bytes() == before_csv
    assert sorted(p.name for p in (out / "calendar").iterdir()) == calendars
    assert (out / "report.html").stat().st_size > 5_000
    assert {n: (out / n).read_bytes() for n in sources} == sources  # sources untouched
    assert not [p for p in out.iterdir() if p.name.startswith(".tmp-")]


def test_report_replaces_stale_calendars(solved):
    _, out, result = solved
    (out / "calendar" / "GONE.ics").write_text("old", encoding="utf-8")
    assert runner.invoke(app, ["report", str(out)]).exit_code == 0
    names = {p.stem for p in (out / "calendar").iterdir()}
    assert names == {s.agent for s in result.shifts}


def test_saved_scenario_is_the_scenario_as_solved(solved):
    path, out, result = solved
    original = load_scenario(path)
    saved = load_scenario(out / "scenario.yaml")
    assert saved.required == original.required
    assert saved.scenario.model_dump(exclude={"demand"}) == original.scenario.model_dump(exclude={"demand"})
    assert scenario_as_solved(saved.scenario, saved.required) == scenario_as_solved(
        original.scenario, original.required)
    # the checker accepts the saved scenario with the roster beside it
    check = runner.invoke(app, ["check", str(out / "scenario.yaml"), str(out)])
    assert check.exit_code == 0, check.output


def test_saved_scenario_resolves_presets_and_demand_files(tmp_path):
    data = report_scenario()
    data["rules"] = {"preset": "china-standard"}
    data["coverage"] = {"allow_understaffing": True}
    required = data["demand"].pop("required")
    lines = ["start,required"] + [f"2026-11-{16 + k // 24}T{k % 24:02d}:00,{v}" for k, v in enumerate(required)]
    (tmp_path / "demand.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    data["demand"]["file"] = "demand.csv"
    path, out, _ = solve_into(tmp_path, data)
    text = (out / "scenario.yaml").read_text(encoding="utf-8")
    assert "preset:" not in text and "demand.csv" not in text
    saved = load_scenario(out / "scenario.yaml")
    original = load_scenario(path)
    assert saved.required == original.required
    assert saved.scenario.rules.model_dump(exclude={"preset"}) == original.scenario.rules.model_dump(exclude={"preset"})


def test_report_needs_a_scenario_and_readable_files(solved, tmp_path):
    path, out, _ = solved
    (out / "scenario.yaml").unlink()
    result = runner.invoke(app, ["report", str(out)])
    assert result.exit_code == 2
    assert "scenario.yaml" in result.output and "--scenario" in result.output
    # the original scenario given instead works, and is saved for next time
    result = runner.invoke(app, ["report", str(out), "--scenario", str(path)])
    assert result.exit_code == 0, result.output
    assert (out / "scenario.yaml").is_file()

    lines = (out / "shifts.csv").read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("T", " at ", 1)
    (out / "shifts.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["report", str(out)])
    assert result.exit_code == 2
    assert "shifts.csv:3" in result.output and "start" in result.output
    assert "Traceback" not in result.output

    result = runner.invoke(app, ["report", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "not a folder" in result.output


def test_report_refuses_a_scenario_of_another_horizon(solved, tmp_path):
    _, out, _ = solved
    other = report_scenario()
    other["horizon"]["start_date"] = "2026-12-01"
    import yaml

    path = tmp_path / "other.yaml"
    path.write_text(yaml.safe_dump(other), encoding="utf-8")
    result = runner.invoke(app, ["report", str(out), "--scenario", str(path)])
    assert result.exit_code == 2 and "horizon" in result.output
