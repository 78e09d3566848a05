"""One chain: a scenario's `forecast:` key forecasts, sizes and rosters in one `scheduler
solve` and writes the forecast beside the roster; `holidays: CN`; the bundled example
regenerates identically."""

from __future__ import annotations

import datetime as dt
import importlib.util

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.errors import InputError
from scheduler.forecast.history import write_history
from scheduler.models import Scenario
from scheduler.workload.loaded import load_scenario

from conftest import PROJECT, small_scenario

runner = CliRunner()


def write_small(tmp_path, **forecast):
    """Five weeks of hourly voice history and a one-day scenario forecasting from it."""
    rng = np.random.default_rng(1)
    hour = np.tile(np.arange(24), 35)
    lam = np.where((hour >= 8) & (hour < 20), 30.0, 3.0)
    (tmp_path / "history.csv").write_text(
        write_history(None, dt.datetime(2026, 10, 12), 60, {"voice": rng.poisson(lam)}))
    data = small_scenario(**{"demand": None})
    data["horizon"] = {"start_date": "2026-11-16", "days": 1, "slot_minutes": 60}
    data["channels"] = [{"name": "voice", "kind": "voice", "aht_seconds": 240,
                         "service_level": 0.8, "answer_within_seconds": 20}]
    data["forecast"] = {"history": "history.csv", "method": "profile", **forecast}
    data["solver"] = {"time_limit_seconds": 5, "workers": 1}
    path = tmp_path / "fc.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def test_solve_forecasts_sizes_and_rosters_in_one_run(tmp_path):
    path = write_small(tmp_path, quantile=0.8)
    res = runner.invoke(app, ["solve", str(path), "--out", str(tmp_path / "out"), "-q"])
    assert res.exit_code == 0, res.output
    written = (tmp_path / "out" / "forecast.csv").read_text().splitlines()
    assert written[0] == "start,voice" and len(written) == 1 + 24
    assert (tmp_path / "out" / "forecast_intervals.csv").exists()
    loaded = load_scenario(path)
    planned = loaded.staffing.forecast.planned("voice")
    np.testing.assert_allclose([float(r.split(",")[1]) for r in written[1:]], planned, atol=0.006)
    assert loaded.staffing.channels[0].forecast.tolist() == pytest.approx(planned.tolist())
    # the 80th percentile plans more contacts, and more agents, than the median
    (tmp_path / "m").mkdir()
    median = load_scenario(write_small(tmp_path / "m"))
    assert planned.sum() > median.staffing.forecast.planned("voice").sum()
    assert sum(loaded.required) >= sum(median.required)
    check = runner.invoke(app, ["check", str(path), str(tmp_path / "out")])
    assert check.exit_code == 0, check.output


def test_a_scenario_history_without_the_channel_exits_2(tmp_path):
    path = write_small(tmp_path)
    data = yaml.safe_load(path.read_text())
    data["channels"][0]["name"] = "chat"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    res = runner.invoke(app, ["solve", str(path), "--out", str(tmp_path / "out"), "-q"])
    assert res.exit_code == 2
    assert "history.csv:1: column chat: no column for channel 'chat'" in " ".join(res.output.split())


def test_holidays_cn_resolves_statutory_holidays_and_make_up_days():
    base = small_scenario()
    base["horizon"] = {"start_date": "2026-09-28", "days": 14, "slot_minutes": 60}
    base["demand"] = {"floor": 1}
    sc = Scenario.model_validate({**base, "holidays": "CN"})
    assert dt.date(2026, 10, 1) in sc.holidays and dt.date(2026, 10, 7) in sc.holidays
    assert dt.date(2026, 9, 30) not in sc.holidays
    assert sc.makeup_workdays == [dt.date(2026, 10, 10)] and sc.holiday_calendar == "CN"
    listed = Scenario.model_validate({**base, "holidays": ["2026-10-01"]})
    assert listed.holidays == [dt.date(2026, 10, 1)] and listed.makeup_workdays == []
    late = {**base, "horizon": {"start_date": "2030-01-01", "days": 3, "slot_minutes": 60}}
    with pytest.raises(ValueError, match="chinese-calendar .* covers 2004-20"):
        Scenario.model_validate({**late, "holidays": "CN"})


def test_the_bundled_history_and_scenario_are_regenerated_identically():
    spec = importlib.util.spec_from_file_location("make_history",
                                                  PROJECT / "scenarios" / "make_history.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    start, columns = module.history()
    text = write_history(None, start, module.SLOT, columns)
    assert (PROJECT / "scenarios" / "double11_history.csv").read_text() == text
    assert (PROJECT / "scenarios" / "double11_forecast.yaml").read_text() == module.SCENARIO
    sc = Scenario.model_validate(yaml.safe_load(module.SCENARIO))
    assert sc.forecast.events[0].past[0].end_date == dt.date(2025, 11, 11)
