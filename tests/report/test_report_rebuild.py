"""`scheduler report OUTDIR`: the workbook, the report, activities.csv and the calendars
rebuilt from the saved files without solving; scenario.yaml is the scenario as solved."""

from __future__ import annotations

import openpyxl
import pytest
from typer.testing import CliRunner

import scheduler.engine.solve
from scheduler.cli import app
from scheduler.workload.loaded import load_scenario
from scheduler.report.saved import scenario_as_solved
from tests.report.report_cases import report_scenario, solve_into

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

    monkeypatch.setattr(scheduler.engine.solve, "solve", no_solving)
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


def test_pools_and_events_survive_the_round_trip(tmp_path):
    data = report_scenario()
    data["rules"] = {"min_rest_hours": 11}
    data["pools"] = [
        {"name": "fulltime", "shift_types": ["day", "night"], "standing": 3,
         "rules": {"max_days_per_week": 5}, "contract_weekly_hours": 40, "cost_per_paid_hour": 2},
        {"name": "temp", "shift_types": ["day"], "max_hire": 4, "cost_per_hire": 10},
    ]
    data["events"] = [{"name": "promo", "start_date": "2026-11-17", "end_date": "2026-11-17",
                       "multiplier": 1.5}]
    path, out, result = solve_into(tmp_path, data)
    original, saved = load_scenario(path), load_scenario(out / "scenario.yaml")
    assert saved.required == original.required
    assert saved.scenario.events == original.scenario.events  # kept over the baseline demand
    for a, b in zip(original.scenario.pools, saved.scenario.pools):
        assert saved.scenario.rules_for(b) == original.scenario.rules_for(a)
    pools = {s.agent: s.pool for s in result.shifts}
    assert set(pools.values()) <= {"fulltime", "temp"} and "fulltime" in pools.values()

    assert runner.invoke(app, ["report", str(out)]).exit_code == 0
    ws = openpyxl.load_workbook(out / "roster.xlsx")["Roster"]
    shown = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(2, ws.max_row + 1)}
    assert shown == pools
    html = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="pools"' in html and "fulltime" in html
    # the checker says the same of the roster under the saved scenario as under the original
    by_saved = runner.invoke(app, ["check", str(out / "scenario.yaml"), str(out)])
    by_original = runner.invoke(app, ["check", str(path), str(out)])
    assert by_saved.exit_code == by_original.exit_code
    assert by_saved.output == by_original.output


def test_saved_scenario_drops_events_when_the_demand_file_is_gone(tmp_path):
    from scheduler.report.saved import write_scenario

    data = report_scenario()
    required = data["demand"].pop("required")
    lines = ["start,required"] + [f"2026-11-{16 + k // 24}T{k % 24:02d}:00,{v}" for k, v in enumerate(required)]
    (tmp_path / "demand.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    data["demand"]["file"] = "demand.csv"
    data["events"] = [{"name": "promo", "start_date": "2026-11-17", "end_date": "2026-11-17",
                       "multiplier": 2}]
    import yaml

    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    loaded = load_scenario(path)
    kept, dropped = tmp_path / "kept.yaml", tmp_path / "dropped.yaml"
    write_scenario(loaded.scenario, loaded.required, kept, tmp_path)
    (tmp_path / "demand.csv").unlink()
    write_scenario(loaded.scenario, loaded.required, dropped, tmp_path)
    assert load_scenario(kept).scenario.events and not load_scenario(dropped).scenario.events
    assert load_scenario(kept).required == load_scenario(dropped).required == loaded.required
