"""`scheduler forecast` and `scheduler backtest` from the command line: the files they
write, and every bad history refused with exit 2 naming file, line and column (or, for
a missing slot, filled with a warning that says what and how)."""

from __future__ import annotations

import csv
import json
import datetime as dt
import re

import numpy as np
import pytest
from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.forecast.history import write_history
from scheduler.scenario.volumes import read_forecast_csv

runner = CliRunner()
START = dt.datetime(2026, 3, 2)  # a Monday


def history_file(tmp_path, days=21, slot=60, start=START, name="history.csv", seed=0):
    rng = np.random.default_rng(seed)
    spd = 1440 // slot
    hour = np.tile(np.arange(spd) * slot / 60, days)
    lam = np.where(hour < 7, 0.0, 20 + 10 * np.sin(hour / 24 * np.pi))
    cols = {"voice": rng.poisson(lam), "chat": rng.poisson(2 * lam)}
    path = tmp_path / name
    path.write_text(write_history(None, start, slot, cols))
    return path


def edit(path, fn):
    lines = path.read_text().splitlines()
    fn(lines)
    path.write_text("\n".join(lines) + "\n")


def chart_specs(page: str) -> dict:
    """The Vega-Lite specs a chart page inlines (its `chart-specs` script)."""
    return json.loads(re.search(r'id="chart-specs">(.*?)</script>', page, re.S).group(1))


def lines_drawn_offline(page_path) -> int:
    """Line marks of the first panel once headless Chromium has drawn the page, after
    checking it drew without errors and fetched nothing from the network."""
    from tests.report.browser import Browser

    with Browser() as browser:
        browser.load(page_path)
        assert browser.wait_until("document.body.getAttribute('data-charts')") == "ready"
        assert browser.errors() == []
        assert all(u.startswith(("file:", "data:")) for u in browser.requests())
        return browser.evaluate("document.querySelectorAll('#panel-0 .mark-line path').length")


def forecast(path, *extra):
    return runner.invoke(app, ["forecast", str(path), "--start", "2026-03-23", "--days", "7",
                               "--out", str(path.parent / "out" / "fc.csv"), *extra])


def test_forecast_writes_a_volume_file_a_scenario_reads_unchanged_and_the_intervals(tmp_path):
    path = history_file(tmp_path)
    res = forecast(path, "--quantile", "0.8", "--quantiles", "0.1,0.5,0.9")
    assert res.exit_code == 0, res.output
    volume = path.parent / "out" / "fc.csv"
    voice = read_forecast_csv(volume, "voice", dt.datetime(2026, 3, 23), 60, 7 * 24, "x")
    with open(path.parent / "out" / "fc_intervals.csv") as f:
        rows = [r for r in csv.DictReader(f) if r["channel"] == "voice"]
    assert len(rows) == 7 * 24 and set(rows[0]) >= {"point", "p10", "p50", "p80", "p90"}
    np.testing.assert_allclose(voice, [float(r["p80"]) for r in rows], atol=0.006)
    assert all(float(r["p10"]) <= float(r["p50"]) <= float(r["p90"]) for r in rows)
    assert voice[:7].sum() == 0 and voice[10] > 0  # closed at night as in the history


def test_backtest_writes_its_table_and_a_self_contained_chart(tmp_path):
    path = history_file(tmp_path, days=35)
    res = runner.invoke(app, ["backtest", str(path), "--horizon", "7", "--origins", "3",
                              "--methods", "seasonal_naive,profile",
                              "--out", str(tmp_path / "bt.csv")])
    assert res.exit_code == 0, res.output
    with open(tmp_path / "bt.csv") as f:
        rows = list(csv.DictReader(f))
    assert {(r["channel"], r["method"], r["horizon_days"]) for r in rows} == {
        (c, m, h) for c in ("voice", "chat") for m in ("seasonal_naive", "profile")
        for h in ("1", "7")}
    assert all(0 < float(r["wape"]) < 1 for r in rows)
    page = (tmp_path / "bt.html").read_text()
    # a Vega-Lite chart per channel, its library inlined: nothing fetched
    assert "vegaEmbed" in page and not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    specs = chart_specs(page)
    assert len(specs["specs"]) == 2
    for spec in specs["specs"].values():
        values = spec["data"]["values"]
        assert len(values) == 7 * 24 and all(v["low"] <= v["high"] for v in values)


def test_the_backtest_chart_draws_in_chromium_without_the_network(tmp_path):
    from tests.report.browser import chromium_binary

    try:
        chromium_binary()
    except Exception:  # pragma: no cover - CI installs it
        pytest.skip("no Chromium")
    path = history_file(tmp_path, days=35)
    res = runner.invoke(app, ["backtest", str(path), "--horizon", "7", "--origins", "3",
                              "--methods", "seasonal_naive", "--out", str(tmp_path / "bt.csv")])
    assert res.exit_code == 0, res.output
    assert lines_drawn_offline(tmp_path / "bt.html") == 2  # actual and forecast


def test_the_forecast_chart_shows_the_last_weeks_of_history_then_the_forecast(tmp_path):
    path = history_file(tmp_path)
    res = forecast(path, "--quantiles", "0.1,0.5,0.9", "--lang", "zh")
    assert res.exit_code == 0, res.output
    page = (path.parent / "out" / "fc.html").read_text()
    assert "vegaEmbed" in page and not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "自 2026-03-23 起 7 天的预测" in page
    specs = chart_specs(page)
    assert len(specs["specs"]) == 2
    with open(path.parent / "out" / "fc_intervals.csv") as f:
        p90 = [float(r["p90"]) for r in csv.DictReader(f) if r["channel"] == "voice"]
    history = list(csv.DictReader(open(path)))
    values = specs["specs"]["panel-0"]["data"]["values"]
    # 21 days of history (all there is, below the 28 shown at most), then 7 forecast
    assert len(values) == 28 * 24
    past, ahead = values[:21 * 24], values[21 * 24:]
    assert [v["实际"] for v in past] == [float(r["voice"]) for r in history]
    assert all(v["预测"] is None for v in past) and all(v["实际"] is None for v in ahead)
    assert [v["high"] for v in ahead] == pytest.approx(p90, abs=0.006)


def test_a_history_ending_before_the_forecast_is_charted_at_its_own_times(tmp_path):
    path = history_file(tmp_path)  # 21 days to 2026-03-22; the forecast starts a week later
    res = runner.invoke(app, ["forecast", str(path), "--start", "2026-03-30", "--days", "7",
                              "--out", str(tmp_path / "fc.csv")])
    assert res.exit_code == 0, res.output
    page = (tmp_path / "fc.html").read_text()
    specs = chart_specs(page)
    values = specs["specs"]["panel-0"]["data"]["values"]
    history = [float(r["voice"]) for r in csv.DictReader(open(path))]
    assert len(values) == 35 * 24  # 28 days before the start (the last 7 empty), 7 ahead
    assert [v["actual"] for v in values[:21 * 24]] == history
    assert all(v["actual"] is None and v["forecast"] is None for v in values[21 * 24:28 * 24])
    assert values[0]["when"].endswith("03-02 00:00")


def test_the_forecast_chart_draws_in_chromium_without_the_network(tmp_path):
    from tests.report.browser import chromium_binary

    try:
        chromium_binary()
    except Exception:  # pragma: no cover - CI installs it
        pytest.skip("no Chromium")
    path = history_file(tmp_path)
    assert forecast(path).exit_code == 0
    assert lines_drawn_offline(path.parent / "out" / "fc.html") == 2  # history, forecast


def test_a_missing_slot_is_filled_from_a_week_earlier_with_a_warning(tmp_path):
    path = history_file(tmp_path)
    lines = path.read_text().splitlines()
    gone = lines[1 + 15 * 24 + 10]  # day 15, 10:00
    edit(path, lambda ls: ls.remove(gone))
    res = forecast(path)
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    assert "1 missing slots filled with the same slot a week earlier: 1" in text
    assert "first 2026-03-17T10:00" in text


@pytest.mark.parametrize("change, line, column, words", [
    (lambda ls: ls.insert(5, ls[4]), 6, "start", "appears twice"),
    (lambda ls: ls.__setitem__(slice(5, 7), [ls[6], ls[5]]), 7, "start", "not sorted"),
    (lambda ls: ls.insert(5, ls[4].replace("T03:00", "T03:30")), 6, "start",
     "the slot length changes"),
    (lambda ls: ls.__setitem__(9, ls[9].split(",")[0] + ",-3,4"), 10, "voice", "negative"),
    (lambda ls: ls.__setitem__(9, ls[9].split(",")[0] + ",4,many"), 10, "chat",
     "not a number"),
], ids=["duplicate", "unsorted", "slot-length", "negative", "non-numeric"])
def test_bad_histories_exit_2_naming_file_line_and_column(tmp_path, change, line, column, words):
    path = history_file(tmp_path)
    edit(path, change)
    res = forecast(path)
    assert res.exit_code == 2, res.output
    text = " ".join(res.output.split())
    assert f"history.csv:{line}: column {column}:" in text and words in text


def test_a_dst_change_in_local_time_exits_2(tmp_path):
    # Europe/Berlin jumps from 02:00 to 03:00 on 2026-03-29: a local-time file skips 02:00
    path = history_file(tmp_path, days=35)
    lines = path.read_text().splitlines()
    edit(path, lambda ls: ls.remove(next(x for x in lines if x.startswith("2026-03-29T02:00"))))
    res = runner.invoke(app, ["forecast", str(path), "--start", "2026-04-06", "--days", "7",
                              "--time-zone", "Europe/Berlin", "--out", str(tmp_path / "f.csv")])
    assert res.exit_code == 2, res.output
    text = " ".join(res.output.split())
    assert re.search(r"history\.csv:\d+: column start: local time 2026-03-29T02:00 does not "
                     r"exist", text)
    assert "daylight-saving" in text
    ok = runner.invoke(app, ["forecast", str(path), "--start", "2026-04-06", "--days", "7",
                             "--out", str(tmp_path / "f.csv")])  # Shanghai: a plain gap
    assert ok.exit_code == 0 and "missing slots filled" in " ".join(ok.output.split())


def test_too_little_history_says_how_much_is_needed(tmp_path):
    path = history_file(tmp_path, days=10)
    res = runner.invoke(app, ["forecast", str(path), "--start", "2026-03-12", "--days", "7",
                              "--method", "ets", "--out", str(tmp_path / "f.csv")])
    assert res.exit_code == 2
    text = " ".join(res.output.split())
    assert "method ets needs at least 21 days of history before 2026-03-12; the history has 10" in text
    just = history_file(tmp_path, days=21, name="h21.csv")
    res = runner.invoke(app, ["forecast", str(just), "--start", "2026-03-23", "--days", "7",
                              "--method", "ets", "--out", str(tmp_path / "f.csv")])
    assert res.exit_code == 0, res.output


def test_an_unknown_channel_exits_2(tmp_path):
    path = history_file(tmp_path)
    events = tmp_path / "events.yaml"
    events.write_text("- {name: sale, past: [{start_date: 2026-03-10, end_date: 2026-03-10}],\n"
                      "   start_date: 2026-03-24, end_date: 2026-03-24, channels: [email]}\n")
    res = forecast(path, "--events", str(events))
    assert res.exit_code == 2
    text = " ".join(res.output.split())
    assert "events.yaml:2: 0.channels.0: no channel 'email' in the history history.csv" in text


def orders_history(tmp_path, days=42):
    """Chat contacts that are planned orders x a contacts-per-order ratio (0.05 on
    weekdays, 0.08 at weekends), spread by a fixed intraday shape; voice unrelated."""
    spd = 24
    shape = np.where(np.arange(spd) < 7, 0.0, 1.0)
    shape = shape / shape.sum()
    rng = np.random.default_rng(3)
    total = days + 7
    orders = [10_000 + 1_000 * (d % 5) + rng.integers(0, 500) for d in range(total)]
    ratio = [0.08 if (START + dt.timedelta(days=d)).weekday() >= 5 else 0.05
             for d in range(total)]
    chat = np.concatenate([orders[d] * ratio[d] * shape for d in range(days)])
    voice = np.tile(np.where(np.arange(spd) < 7, 0, 30), days)
    path = tmp_path / "history.csv"
    path.write_text(write_history(None, START, 60, {"voice": voice, "chat": chat}))
    plan = tmp_path / "orders.csv"
    plan.write_text("date,orders\n" + "".join(
        f"{(START + dt.timedelta(days=d)).isoformat()[:10]},{orders[d]}\n"
        for d in range(total)))
    return path, plan, orders, ratio


def test_orders_times_contacts_per_order_forecasts_the_channel(tmp_path):
    path, plan, orders, ratio = orders_history(tmp_path)
    out = tmp_path / "fc.csv"
    res = runner.invoke(app, ["forecast", str(path), "--start", "2026-04-13", "--days", "7",
                              "--out", str(out), "--orders", str(plan),
                              "--orders-channels", "chat"])
    assert res.exit_code == 0, res.output
    assert "chat: orders" in res.output
    chat = read_forecast_csv(out, "chat", dt.datetime(2026, 4, 13), 60, 7 * 24, "x")
    for d in range(7):  # each day: its planned orders x the weekday's ratio, learnt
        expected = orders[42 + d] * ratio[42 + d]
        assert chat[d * 24:(d + 1) * 24].sum() == pytest.approx(expected, rel=0.01)


@pytest.mark.parametrize("rows, channels, needle", [
    ("date,orders\n2026-03-02,-5\n", "chat", "column orders"),
    ("date,count\n2026-03-02,5\n", "chat", "needs the columns date and orders"),
    (None, "phone", "no channel 'phone'"),
    ("date,orders\n2026-03-02,100\n", "chat", "no planned orders for 2026-04-13"),
    ("date,orders\n2026-04-13,100\n", "chat", "no orders on the last 8 weeks"),
])
def test_bad_orders_are_refused_naming_what(tmp_path, rows, channels, needle):
    path, plan, _, _ = orders_history(tmp_path)
    if rows is not None:
        plan.write_text(rows)
    res = runner.invoke(app, ["forecast", str(path), "--start", "2026-04-13", "--days", "7",
                              "--out", str(tmp_path / "fc.csv"), "--orders", str(plan),
                              "--orders-channels", channels])
    assert res.exit_code == 2 and needle in res.output, res.output
