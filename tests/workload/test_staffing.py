"""Workload scenarios: channels -> agents required per slot (scheduler/workload/staffing.py),
the `staffing` command, bad input (exit 2 with file, key path and line), and rosters of
workload scenarios checked by the independent checker with their service reported."""

from __future__ import annotations

import csv
import json

import numpy as np
import openpyxl
import pytest
from typer.testing import CliRunner

from scheduler.check import check_output_dir
from scheduler.cli import app
from scheduler.errors import InputError, InputErrors
from scheduler.workload.loaded import load_scenario
from scheduler.workload.staffing import deferred_agents, fifo_deadline_share

runner = CliRunner()
HOURLY = 24


def voice(**changes) -> dict:
    """The published worked example as a channel: 200 calls an hour (100 per 30 min)."""
    data = {"name": "voice", "kind": "voice", "volume": [200.0] * HOURLY, "aht_seconds": 180,
            "service_level": 0.8, "answer_within_seconds": 20, "max_occupancy": 0.85,
            "shrinkage": 0.3}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def workload(*channels, days=1, cyclic=True, **extra) -> dict:
    data = {
        "name": "work",
        "horizon": {"start_date": "2026-11-16", "days": days, "slot_minutes": 60, "cyclic": cyclic},
        "channels": list(channels),
        "shift_types": [
            {"name": "d8", "paid_hours": [8], "earliest_start": "00:00", "latest_start": "23:00"},
            {"name": "d4", "paid_hours": [4], "earliest_start": "00:00", "latest_start": "23:00"},
        ],
        "solver": {"time_limit_seconds": 10, "workers": 2},
    }
    data.update(extra)
    return data


def test_worked_example_through_a_scenario(write_scenario):
    loaded = load_scenario(write_scenario(workload(voice())))
    ch = loaded.staffing.channels[0]
    assert list(ch.agents) == [14] * HOURLY and list(ch.scheduled) == [20] * HOURLY
    assert loaded.required == (20,) * HOURLY
    assert round(float(ch.service_level[0]), 3) == 0.888


def test_shrinkage_components_and_demand_add_up(write_scenario):
    parts = {"absence": 0.1, "training": 0.05, "meetings": 0.05}
    data = workload(voice(shrinkage=parts))
    data["demand"] = {"required": [1] * 12 + [3] * 12, "floor": 0}
    loaded = load_scenario(write_scenario(data))
    # 14 / (0.9 * 0.95 * 0.95) = 17.2 -> 18, plus the demand for other work
    assert loaded.required == tuple([19] * 12 + [21] * 12)


def test_channels_of_one_pool_add_up_per_slot(write_scenario):
    chat = {"name": "chat", "kind": "chat", "volume": [120.0] * HOURLY, "aht_seconds": 600,
            "concurrency": 2, "asa_seconds": 30}
    both = load_scenario(write_scenario(workload(voice(), chat), name="both.yaml"))
    alone = load_scenario(write_scenario(workload(chat), name="chat.yaml"))
    assert both.required == tuple(20 + r for r in alone.required)
    ch = alone.staffing.channels[0]
    # 120 chats an hour of 600 s: 20 Erlangs on 2 x agents servers
    assert ch.traffic[0] == pytest.approx(20.0)
    assert 2 * ch.agents[0] > 20 and ch.asa_seconds[0] <= 30


def test_closed_hours_need_nobody(write_scenario):
    loaded = load_scenario(write_scenario(workload(voice(hours="08:00-24:00"))))
    assert loaded.required == tuple([0] * 8 + [20] * 16)
    night = load_scenario(write_scenario(workload(voice(hours="22:00-06:00")), name="n.yaml"))
    assert night.required == tuple([20] * 6 + [0] * 16 + [20] * 2)


def test_forecast_file_with_named_columns(write_scenario, tmp_path):
    rows = ["start,voice,mail"] + [f"2026-11-16T{h:02d}:00,{200 if h >= 8 else 0},4"
                                   for h in range(24)]
    (tmp_path / "forecast.csv").write_text("\n".join(rows) + "\n")
    mail = {"name": "mail", "kind": "deferred", "volume_file": "forecast.csv",
            "aht_seconds": 900, "response_deadline_minutes": 1440}
    data = workload(voice(volume=None, volume_file="forecast.csv"), mail)
    loaded = load_scenario(write_scenario(data))
    assert loaded.required[:8] == (1,) * 8  # mail only: 4 x 900 s an hour = 1 agent
    assert loaded.required[8] == 21


# ---------------------------------------------------------------- deferred work


def test_deferred_hand_computed_case():
    """Hourly slots, open 08:00-24:00, AHT 600 s, deadline 2 h (a window of 2 slots).
    12 e-mails at 08:00: 7,200 s over 08:00 and 09:00 -> 1 agent each. 6 at 06:00 with a
    3 h deadline reach only 08:00 open: 3,600 s -> 1 more agent at 08:00."""
    volume = np.zeros(24)
    volume[8] = 12
    open_ = np.arange(24) >= 8
    agents, work = deferred_agents(volume, open_, 600, 1.0, 120, 60, cyclic=False)
    expected = np.zeros(24)
    expected[8] = expected[9] = 1
    assert np.allclose(agents, expected)
    volume6 = np.zeros(24)
    volume6[6] = 6
    agents6, _ = deferred_agents(volume6, open_, 600, 1.0, 180, 60, cyclic=False)
    assert np.allclose(agents6[8], 1) and np.isclose(agents6.sum(), 1)
    # the backlog is cleared within the deadline with exactly that staffing ...
    capacity = np.ceil(agents - 1e-9) * 3600 / 600
    share, done = fifo_deadline_share(volume, capacity, 120, 60, cyclic=False)
    assert np.all(share == 1) and done.sum() == pytest.approx(12)
    # ... and not with one agent fewer at 09:00
    capacity[9] -= 6
    share, _ = fifo_deadline_share(volume, capacity, 120, 60, cyclic=False)
    assert share[8] == pytest.approx(0.5)


def test_deferred_staffing_meets_every_deadline_cyclic(write_scenario):
    mail = {"name": "mail", "kind": "deferred",
            "volume": [float(v) for v in np.random.default_rng(3).integers(0, 30, HOURLY * 7)],
            "aht_seconds": 420, "response_deadline_minutes": 900, "hours": "09:00-21:00",
            "max_occupancy": 0.9}
    loaded = load_scenario(write_scenario(workload(mail, days=7)))
    ch = loaded.staffing.channels[0]
    assert np.all(ch.agents[~ch.open] == 0)
    assert np.all(ch.service_level == 1)
    # total work is conserved: agent time x occupancy covers every contact's handling
    assert (ch.agents * 3600 * 0.9).sum() >= (np.array(mail["volume"]) * 420).sum()


# ---------------------------------------------------------------- bad input


def _fails(write_scenario, data, *needles):
    path = write_scenario(data)
    with pytest.raises((InputError, InputErrors)) as info:
        load_scenario(path)
    text = str(info.value)
    for needle in needles:
        assert needle in text, text
    result = runner.invoke(app, ["staffing", str(path), "--out", str(path.parent / "o")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    return text


@pytest.mark.parametrize("changes,needles", [
    ({"volume": [-1.0] + [200.0] * 23}, ["channels.0.volume", "negative"]),
    ({"service_level": 1.2}, ["channels.0.service_level", "above 100%"]),
    ({"max_occupancy": 0}, ["channels.0.max_occupancy", "outside (0, 1]"]),
    ({"max_occupancy": 1.5}, ["channels.0.max_occupancy", "outside (0, 1]"]),
    ({"shrinkage": 1.0}, ["channels.0.shrinkage", "100% or more"]),
    ({"shrinkage": {"absence": 0.2, "training": 1.0}}, ["channels.0.shrinkage.training"]),
    ({"kind": "chat", "concurrency": 0.5}, ["channels.0.concurrency", "below 1"]),
    ({"service_level": 1.0}, ["channels.0", "no finite staffing"]),
    ({"patience_seconds": 60, "max_abandon_rate": 0.0}, ["channels.0", "no finite staffing"]),
    ({"volume": [200.0] * 23}, ["channels.0.volume", "23 values given"]),
    ({"hours": "25:00-26:00"}, ["channels.0.hours"]),
])
def test_bad_channel_input_is_named(write_scenario, changes, needles):
    text = _fails(write_scenario, workload(voice(**changes)), *needles)
    assert ":" in text.split("channels")[0]  # the file (and line) come first


def test_just_inside_the_limits_is_accepted(write_scenario):
    data = workload(voice(service_level=0.999, max_occupancy=1.0, shrinkage=0.99),
                    voice(name="chat", kind="chat", concurrency=1.0, volume=[0.0] * HOURLY))
    loaded = load_scenario(write_scenario(data))
    voice_, chat = loaded.staffing.channels
    assert np.all(voice_.service_level >= 0.999) and chat.agents.sum() == 0
    # 1% of the paid time left: 100 times the agents on the phones, rounded up
    assert np.all(voice_.scheduled >= 100 * voice_.agents)


@pytest.mark.parametrize("rows,needle", [
    (lambda r: r[:5] + r[6:], "1 of 24 slots have no row (first missing: 2026-11-16T04:00)"),
    (lambda r: r + [r[3]], "slot 2026-11-16T02:00 appears twice"),
    (lambda r: r[:2] + ["2026-11-16T01:00,-3"] + r[3:], "negative"),
])
def test_bad_forecast_file_is_named_with_its_line(write_scenario, tmp_path, rows, needle):
    lines = ["start,voice"] + [f"2026-11-16T{h:02d}:00,100" for h in range(24)]
    (tmp_path / "f.csv").write_text("\n".join(rows(lines)) + "\n")
    text = _fails(write_scenario, workload(voice(volume=None, volume_file="f.csv")), needle)
    assert "f.csv" in text and "channels.0.volume_file" in text


def test_deadline_without_opening_hours_is_refused(write_scenario):
    mail = {"name": "mail", "kind": "deferred", "volume": [1.0] * HOURLY, "aht_seconds": 300,
            "response_deadline_minutes": 240, "hours": "08:00-20:00"}
    _fails(write_scenario, workload(mail), "channels.0", "2026-11-16T00:00",
           "no opening hour falls within the response deadline")


def test_scenario_needs_demand_or_channels(write_scenario):
    data = workload()
    del data["channels"]
    _fails(write_scenario, data, "demand", "give 'demand'")


# ---------------------------------------------------------------- commands


def test_staffing_command_prints_and_writes_csv(write_scenario, tmp_path):
    chat = {"name": "chat", "kind": "chat", "volume": [60.0] * HOURLY, "aht_seconds": 480,
            "concurrency": 3, "service_level": 0.9, "answer_within_seconds": 180,
            "patience_seconds": 300, "max_abandon_rate": 0.02, "hours": "08:00-24:00"}
    path = write_scenario(workload(voice(), chat))
    out = tmp_path / "o"
    result = runner.invoke(app, ["staffing", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "voice" in result.output and "88.8%" in result.output
    rows = list(csv.DictReader((out / "staffing.csv").open()))
    assert len(rows) == 2 * HOURLY
    assert [k for k in rows[0]] == ["start", "channel", "kind", "open", "volume",
                                    "traffic_erlangs", "agents", "agents_after_shrinkage",
                                    "service_level", "asa_seconds", "occupancy", "abandon_rate"]
    first_voice = rows[0]
    assert (first_voice["agents"], first_voice["agents_after_shrinkage"]) == ("14", "20")
    chats = [r for r in rows if r["channel"] == "chat" and r["open"] == "true"]
    assert all(float(r["abandon_rate"]) <= 0.02 and float(r["service_level"]) >= 0.9
               for r in chats)
    assert not list(out.glob(".staffing-*"))


def test_staffing_command_on_a_scenario_without_channels(write_scenario, tmp_path):
    from tests.conftest import small_scenario

    result = runner.invoke(app, ["staffing", str(write_scenario(small_scenario()))])
    assert result.exit_code == 2 and "no workload channels" in result.output


def test_solve_workload_reports_service_and_passes_the_checker(write_scenario, tmp_path):
    chat = {"name": "chat", "kind": "chat", "volume": [40.0] * HOURLY, "aht_seconds": 600,
            "concurrency": 2, "service_level": 0.8, "answer_within_seconds": 60,
            "patience_seconds": 180, "hours": "08:00-22:00"}
    mail = {"name": "mail", "kind": "deferred", "volume": [6.0] * HOURLY, "aht_seconds": 600,
            "response_deadline_minutes": 720, "hours": "08:00-22:00"}
    path = write_scenario(workload(voice(volume=[60.0] * HOURLY), chat, mail))
    out = tmp_path / "o"
    result = runner.invoke(app, ["solve", str(path), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "slots meeting service goal" in result.output and "100.0%" in result.output
    report = check_output_dir(path, out)
    assert report.ok, report.violations[:5]
    assert report.required == list(load_scenario(path).required)
    summary = json.loads((out / "summary.json").read_text())
    service = summary["service"]
    assert service["share_meeting_goal"] == 1.0
    assert [c["channel"] for c in service["channels"]] == ["voice", "chat", "mail"]
    voice_day = service["channels"][0]["days"][0]
    assert voice_day["date"] == "2026-11-16" and voice_day["service_level"] >= 0.8
    rows = list(csv.DictReader((out / "coverage.csv").open()))
    assert {"voice_service_level", "chat_abandon_rate", "mail_meets_goal",
            "voice_occupancy", "voice_asa_seconds"} <= set(rows[0])
    assert all(r["voice_meets_goal"] == "true" for r in rows)
    sheet = openpyxl.load_workbook(out / "roster.xlsx")["Coverage"]
    header = [c.value for c in sheet[1]]
    assert "voice_service_level" in header and sheet.max_row == 1 + HOURLY
    column = header.index("voice_service_level")
    assert [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)] == \
        [float(r["voice_service_level"]) for r in rows]


def test_understaffed_workload_roster_reports_missed_goals(write_scenario, tmp_path):
    data = workload(voice())
    data["rules"] = {"max_headcount": 12}
    data["coverage"] = {"allow_understaffing": True}
    path = write_scenario(data)
    out = tmp_path / "o"
    result = runner.invoke(app, ["solve", str(path), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    voice_service = summary["service"]["channels"][0]
    assert summary["service"]["share_meeting_goal"] < 1
    assert voice_service["slots_meeting_goal"] < voice_service["slots"] == HOURLY
    rows = list(csv.DictReader((out / "coverage.csv").open()))
    missed = [r for r in rows if r["voice_meets_goal"] == "false"]
    assert missed and all(float(r["voice_service_level"] or 0) < 0.8
                          or float(r["voice_occupancy"] or 1) > 0.85 for r in missed)
    report = check_output_dir(path, out)
    assert report.short_agent_slots == summary["short_agent_slots"] > 0


def test_non_cyclic_deadline_past_the_end_is_the_next_periods_work(write_scenario):
    """E-mails of the last evening are due the next morning, after the horizon: they are
    not rostered here (the next period's agents answer them), and not refused."""
    volume = [0.0] * HOURLY
    volume[22] = 6  # 22:00, due by 10:00 the next day; closed until 09:00
    volume[10] = 6  # 10:00, due by 22:00: 7,200 s of work over the 11 open hours 10-21
    mail = {"name": "mail", "kind": "deferred", "volume": volume, "aht_seconds": 1200,
            "response_deadline_minutes": 720, "hours": "09:00-21:00"}
    loaded = load_scenario(write_scenario(workload(mail, cyclic=False)))
    assert loaded.required == tuple([0] * 10 + [1] * 11 + [0] * 3)
    assert np.all(loaded.staffing.channels[0].service_level == 1)


def test_service_per_day_and_share_meeting_goal(write_scenario):
    """The roster's service is aggregated per channel and day: one agent short in one slot
    of the second day misses the goal there and nowhere else."""
    from scheduler.workload import erlang
    from scheduler.workload.service import achieved, service_summary

    volume = [0.0] * 8 + [200.0] * 16
    loaded = load_scenario(write_scenario(workload(voice(volume=volume * 2), days=2)))
    staffing = loaded.staffing
    scheduled = np.array(loaded.required)
    full = service_summary(staffing, achieved(staffing, scheduled))
    assert full.share_meeting_goal == 1.0
    scheduled[24 + 10] -= 1  # 20 -> 19 on duty: 19 x 0.7 = 13.3 -> 13 answering
    ach = achieved(staffing, scheduled)
    summary = service_summary(staffing, ach)
    voice_ = summary.channels[0]
    assert (voice_.slots, voice_.slots_meeting_goal) == (32, 31)
    assert summary.share_meeting_goal == pytest.approx(31 / 32)
    day1, day2 = voice_.days
    assert (day1.slots_meeting_goal, day2.slots_meeting_goal) == (16, 15)
    assert day1.contacts == day2.contacts == 3200
    sl13 = float(erlang.erlang_c(13, 10, 180, 20).service_level)
    sl14 = float(erlang.erlang_c(14, 10, 180, 20).service_level)
    assert day2.service_level == pytest.approx((15 * sl14 + sl13) / 16, abs=1e-6)
    assert day1.service_level == pytest.approx(sl14, abs=1e-6)
    # occupancy over the day: handled work over the time of the agents answering
    assert day1.occupancy == pytest.approx(10 / 14, abs=1e-6)
    assert day2.occupancy == pytest.approx(16 * 10 / (15 * 14 + 13), abs=1e-6)
