"""activities.csv: long format, one row per shift and break, ISO 8601 timestamps with the
scenario's UTC offset and in UTC, UTF-8."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from scheduler.report.common import ReportData
from scheduler.report.exports import ACTIVITY_COLUMNS, write_activities
from tests.report.report_cases import night_result, night_scenario, solve_into


def test_activities_of_a_solved_roster(tmp_path):
    _, out, result = solve_into(tmp_path)
    table = pd.read_csv(out / "activities.csv", encoding="utf-8", keep_default_na=False)
    assert list(table.columns) == ACTIVITY_COLUMNS
    shifts = table[table.activity == "shift"]
    breaks = table[table.activity == "break"]
    assert len(shifts) == len(result.shifts) and len(breaks) == len(result.breaks)
    starts = pd.to_datetime(shifts.start, format="ISO8601")
    assert all(t.utcoffset() == dt.timedelta(hours=8) for t in starts)
    utc = pd.to_datetime(shifts.start_utc, format="ISO8601")
    assert (starts.dt.tz_convert("UTC") == utc).all()
    got = sorted(zip(shifts.agent, shifts.start.str[:16], shifts.end.str[:16], shifts.paid))
    want = sorted((s.agent, f"{s.start:%Y-%m-%dT%H:%M}", f"{s.end:%Y-%m-%dT%H:%M}", s.paid_minutes)
                  for s in result.shifts)
    assert got == want
    # a break row carries its shift's day and type, paid minutes only for a paid break
    for _, row in breaks.iterrows():
        owner = shifts[(shifts.agent == row.agent) & (shifts.start <= row.start) & (row.end <= shifts.end)]
        assert len(owner) == 1
        assert row.day == owner.day.iloc[0] and row.shift_type == owner.shift_type.iloc[0]
        assert row.paid == (row.minutes if row.shift_type == "night" else 0)


def test_activities_across_midnight_and_in_utf8(tmp_path):
    result = night_result(["客服一", "N2"], pool="WeChat")
    data = ReportData(result, dt.date(2026, 10, 31), 2, night_scenario("America/New_York"))
    path = tmp_path / "activities.csv"
    write_activities(data, path)
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and "客服一".encode("utf-8") in raw
    table = pd.read_csv(path, encoding="utf-8")
    night = table[(table.agent == "客服一") & (table.shift_type == "night") & (table.activity == "shift")].iloc[0]
    # wall clock 22:00 EDT to 07:00 EST: the offset changes within the shift
    assert night.start == "2026-10-31T22:00:00-04:00" and night.end == "2026-11-01T07:00:00-05:00"
    assert night.start_utc == "2026-11-01T02:00:00Z" and night.end_utc == "2026-11-01T12:00:00Z"
    assert night.day == "2026-10-31" and night.pool == "WeChat" and night.overtime_minutes == 30
    assert night.minutes == 540 and night.paid == 480


def test_activities_without_a_time_zone_stay_wall_clock(tmp_path):
    data = ReportData(night_result(), dt.date(2026, 10, 31), 2, None)
    write_activities(data, tmp_path / "a.csv")
    table = pd.read_csv(tmp_path / "a.csv", keep_default_na=False)
    assert table.start.iloc[0] == "2026-10-31T22:00:00" and table.start_utc.iloc[0] == ""
