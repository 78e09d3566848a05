"""`scheduler simulate OUTDIR` (issue 16 point 3): a solved workload roster simulated per
queue and slot into simulation.csv, the workbook's Simulation sheet and the report's
section; seeded and deterministic; for one queue and one pool in agreement with the
Erlang C figures the solve reported; bad input exits 2 with a message, no traceback."""

from __future__ import annotations

import csv
import json
import shutil

import openpyxl
import pytest
import yaml
from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.report.simulate import simulate_output_dir
from scheduler.report.simulation_view import SIMULATION_COLUMNS

runner = CliRunner()
SLOTS = 24


def one_queue(**changes) -> dict:
    """One cyclic day of 60-minute slots, 100 calls an hour of 180 s (5 Erlangs), 80% in
    20 s, Erlang C; 8-hour shifts starting at any hour, no breaks, one pool."""
    data = {
        "name": "one-queue",
        "horizon": {"start_date": "2026-11-16", "days": 1, "slot_minutes": 60, "cyclic": True},
        "channels": [{"name": "voice", "kind": "voice", "volume": [100.0] * SLOTS,
                      "aht_seconds": 180, "service_level": 0.8, "answer_within_seconds": 20}],
        "shift_types": [{"name": "d8", "paid_hours": [8], "earliest_start": "00:00",
                         "latest_start": "23:00"}],
        "solver": {"time_limit_seconds": 10, "workers": 1},
    }
    data.update(changes)
    return data


def two_pools() -> dict:
    """Pre-sale chat (30% to a bot, 10% of the handled escalated to after-sale voice),
    after-sale voice and e-mail over two cyclic days; juniors serve pre-sale only, seniors
    everything, after-sale 20% faster; a one-hour meal in every shift."""
    data = one_queue(name="two-pools")
    data["horizon"]["days"] = 2
    data["channels"] = [
        {"name": "presale-chat", "kind": "chat", "volume": [30.0] * 48, "aht_seconds": 400,
         "concurrency": 2, "service_level": 0.8, "answer_within_seconds": 60,
         "patience_seconds": 300, "bot_containment": 0.3, "hours": "08:00-24:00",
         "escalation": {"to": "aftersale-voice", "share": 0.1}},
        {"name": "aftersale-voice", "kind": "voice", "volume": [20.0] * 48, "aht_seconds": 300,
         "service_level": 0.8, "answer_within_seconds": 20, "patience_seconds": 120},
        {"name": "mail", "kind": "deferred", "volume": [3.0] * 48, "aht_seconds": 600,
         "response_deadline_minutes": 1440, "hours": "09:00-21:00"},
    ]
    data["shift_types"][0]["breaks"] = [{"name": "meal", "duration_minutes": 60,
                                         "earliest_start_minutes": 180,
                                         "latest_start_minutes": 300}]
    data["pools"] = [
        {"name": "junior", "shift_types": ["d8"], "serves": ["presale-chat"], "max_hire": 4},
        {"name": "senior", "shift_types": ["d8"],
         "serves": ["aftersale-voice", "presale-chat", "mail"],
         "handle_time_factor": {"aftersale-voice": 0.8}},
    ]
    return data


def solve(write_scenario, tmp_path, data, name="scenario.yaml"):
    path = write_scenario(data, name=name)
    out = tmp_path / f"out-{path.stem}"
    result = runner.invoke(app, ["solve", str(path), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    return path, out


@pytest.fixture
def one_solved(write_scenario, tmp_path):
    return solve(write_scenario, tmp_path, one_queue())


def rows_of(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def sheets(path) -> dict[str, list]:
    book = openpyxl.load_workbook(path)
    return {name: [list(r) for r in book[name].iter_rows(values_only=True)]
            for name in book.sheetnames}


def test_simulate_writes_the_csv_the_sheet_and_the_section(one_solved):
    _, out = one_solved
    before = sheets(out / "roster.xlsx")
    result = runner.invoke(app, ["simulate", str(out), "--runs", "5", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "voice" in result.output and "80% in 20 s" in result.output
    assert "simulation.csv" in result.output
    rows = rows_of(out / "simulation.csv")
    assert len(rows) == SLOTS and tuple(rows[0]) == SIMULATION_COLUMNS
    assert [r["start"] for r in rows[:2]] == ["2026-11-16T00:00", "2026-11-16T01:00"]
    assert {r["queue"] for r in rows} == {"voice"}
    assert {(r["runs"], r["seed"]) for r in rows} == {("5", "3")}
    for r in rows:
        for m in ("offered", "service_level", "asa_seconds", "occupancy"):
            assert float(r[f"{m}_low"]) <= float(r[m]) <= float(r[f"{m}_high"])
        assert float(r["answered"]) == float(r["offered"])  # Erlang C: nobody abandons
        assert float(r["abandon_rate"]) == 0 and float(r["service_level_goal"]) == 0.8
    # the workbook's Simulation sheet holds the same table
    sheet = openpyxl.load_workbook(out / "roster.xlsx")["Simulation"]
    table = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert tuple(table[0]) == SIMULATION_COLUMNS and len(table) == 1 + SLOTS
    for got, want in zip(table[1:], rows):
        assert got[:2] == [want["start"], want["queue"]]
        assert got[2:] == [float(want[c]) if want[c] != "" else None
                           for c in SIMULATION_COLUMNS[2:]]
    after = sheets(out / "roster.xlsx")  # the solve's sheets drawn again as they were
    assert list(after) == ["Roster", "Intraday", "Coverage", "Simulation", "Breaks", "Summary",
                           "Inputs", "Shifts"]
    assert {k: v for k, v in after.items() if k != "Simulation"} == before
    html = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="simulation"' in html and "Simulated service (5 runs, seed 3)" in html
    assert not [p for p in out.iterdir() if p.name.startswith(".tmp-")]


def test_the_same_seed_gives_the_same_figures(one_solved, tmp_path):
    _, out = one_solved
    assert runner.invoke(app, ["simulate", str(out), "--runs", "3", "--seed", "7"]).exit_code == 0
    first = (out / "simulation.csv").read_bytes()
    assert runner.invoke(app, ["simulate", str(out), "--runs", "3", "--seed", "7",
                               "--processes", "2"]).exit_code == 0
    assert (out / "simulation.csv").read_bytes() == first
    assert runner.invoke(app, ["simulate", str(out), "--runs", "3", "--seed", "8"]).exit_code == 0
    assert (out / "simulation.csv").read_bytes() != first


def test_one_queue_one_pool_agrees_with_the_erlang_c_figures_of_the_solve(one_solved):
    """The solve reports Erlang C's service level and ASA for the agents on duty in each
    slot (contact-weighted over the day); the simulation of the same roster lands within
    its 95% interval of both."""
    _, out = one_solved
    reported = json.loads((out / "summary.json").read_text())["service"]["channels"][0]
    outcome = simulate_output_dir(out, runs=20, seed=1)
    (voice,) = outcome.queues
    sl, asa = voice.service_level, voice.asa_seconds
    assert float(sl.low) <= reported["service_level"] <= float(sl.high), (sl, reported)
    assert float(asa.low) <= reported["asa_seconds"] <= float(asa.high), (asa, reported)
    assert float(sl.high - sl.low) < 0.05  # an interval narrow enough to mean something
    assert voice.meets_goal is True and voice.slots == SLOTS
    occupancy = outcome.result.by_group()["occupancy"]
    assert float(occupancy.low[0]) <= reported["occupancy"] <= float(occupancy.high[0]) + 0.01


def test_queues_pools_serves_containment_and_escalation(write_scenario, tmp_path):
    """Several queues and pools: a row per queue and slot; pre-sale sees only what the
    bot leaves, after-sale its escalations too; the deferred queue is answered in time;
    `scheduler report` keeps the sheet, and a new solve removes the stale CSV."""
    from scheduler.workload.loaded import load_scenario

    path, out = solve(write_scenario, tmp_path, two_pools())
    result = runner.invoke(app, ["simulate", str(out), "--runs", "8", "--seed", "2"])
    assert result.exit_code == 0, result.output
    for name in ("presale-chat", "aftersale-voice", "mail", "all in 1440 min"):
        assert name in result.output
    rows = rows_of(out / "simulation.csv")
    assert len(rows) == 3 * 48
    staffing = {c.channel.name: c for c in load_scenario(path).staffing.channels}
    for queue in ("presale-chat", "aftersale-voice", "mail"):
        mine = [r for r in rows if r["queue"] == queue]
        expected = sum(staffing[queue].volume[staffing[queue].open]) if queue != "mail" \
            else sum(staffing[queue].volume)
        low = sum(float(r["offered_low"]) for r in mine)
        high = sum(float(r["offered_high"]) for r in mine)
        assert low - 5 <= expected <= high + 5, (queue, low, expected, high)
    assert staffing["aftersale-voice"].volume[12] == pytest.approx(20 + 0.1 * 21, abs=0.2)
    closed = [r for r in rows if r["queue"] == "presale-chat" and r["start"][11:13] < "08"]
    assert closed and all(float(r["offered"]) == 0 and r["service_level"] == "" for r in closed)
    # mail whose 24-hour deadline ends inside the horizon (the simulation does not wrap
    # contacts past the end; the staffing loop's lean roster leaves no slack there)
    mail = [r for r in rows if r["queue"] == "mail" and r["service_level"]
            and r["start"] < "2026-11-17"]
    assert mail and all(float(r["service_level"]) == 1 for r in mail)
    # occupancy: of the people who serve the queue (blank while none is on duty)
    assert any(r["occupancy"] != "" for r in rows if r["queue"] == "aftersale-voice")
    assert all(0 <= float(r["occupancy"]) <= 1 for r in rows if r["occupancy"] != "")

    assert runner.invoke(app, ["report", str(out)]).exit_code == 0
    book = openpyxl.load_workbook(out / "roster.xlsx")
    assert "Simulation" in book.sheetnames
    # the channels' service columns of coverage.csv are read back too
    assert "aftersale-voice_service_level" in [c.value for c in book["Coverage"][1]]
    assert runner.invoke(app, ["solve", str(path), "--out", str(out), "--quiet"]).exit_code == 0
    assert not (out / "simulation.csv").exists()
    assert "Simulation" not in openpyxl.load_workbook(out / "roster.xlsx").sheetnames


def test_the_scenario_is_found_given_or_refused(one_solved, write_scenario, tmp_path):
    path, out = one_solved
    # given with --scenario: the same figures as the one found through scenario.yaml
    assert runner.invoke(app, ["simulate", str(out), "--runs", "2"]).exit_code == 0
    found = (out / "simulation.csv").read_bytes()
    result = runner.invoke(app, ["simulate", str(out), "--runs", "2", "--scenario", str(path)])
    assert result.exit_code == 0, result.output
    assert (out / "simulation.csv").read_bytes() == found
    # the source changed since the solve: refused unless given explicitly
    data = one_queue()
    data["channels"][0]["volume"] = [120.0] * SLOTS
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = runner.invoke(app, ["simulate", str(out), "--runs", "2"])
    assert result.exit_code == 2 and "changed since" in result.output
    assert "--scenario" in result.output and "Traceback" not in result.output
    result = runner.invoke(app, ["simulate", str(out), "--runs", "2", "--scenario", str(path)])
    assert result.exit_code == 0 and "sha256 differs" in result.output
    # a scenario of another horizon
    data["horizon"]["days"] = 2
    data["channels"][0]["volume"] = [100.0] * 48
    other = write_scenario(data, name="two-days.yaml")
    result = runner.invoke(app, ["simulate", str(out), "--scenario", str(other)])
    assert result.exit_code == 2 and "horizon" in result.output


def test_bad_input_exits_2_with_a_message(one_solved, write_scenario, tmp_path):
    from tests.conftest import small_scenario

    _, out = one_solved
    cases = []
    cases.append((["simulate", str(tmp_path / "nowhere")], "not a folder"))
    empty = tmp_path / "empty"
    empty.mkdir()
    cases.append((["simulate", str(empty)], "summary.json"))
    _, plain = solve(write_scenario, tmp_path, small_scenario(), name="plain.yaml")
    cases.append((["simulate", str(plain)], "no workload channels"))
    broken = tmp_path / "broken"
    shutil.copytree(out, broken)
    (broken / "scenario.yaml").unlink()
    cases.append((["simulate", str(broken)], "--scenario"))
    cases.append((["simulate", str(out), "--runs", "0"], "--runs"))
    for args, needle in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert needle in result.output and "Traceback" not in result.output, result.output
