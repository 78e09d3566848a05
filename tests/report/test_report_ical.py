"""Per-agent iCalendar files: RFC 5545 framing (CRLF, folding at 75 octets, escaping),
times right across midnight and across a change of UTC offset, parsed back with the
`icalendar` package."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest

from scheduler.report import write_reports
from scheduler.report.common import ReportData
from scheduler.report.ical import agent_calendar, escape_text, file_name, fold, write_calendars
from tests.report.report_cases import night_result, night_scenario, solve_into

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 10, 1, 12, tzinfo=UTC)


def _events(path):
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    return [c for c in cal.walk("VEVENT")]


def _calendars(tmp_path, zone, agents=None):
    result = night_result(agents)
    data = ReportData(result, dt.date(2026, 10, 31), 2, night_scenario(zone))
    return write_calendars(data, tmp_path / "calendar", now=NOW)


def test_night_shift_across_midnight_in_shanghai(tmp_path):
    (path,) = _calendars(tmp_path, "Asia/Shanghai")
    events = _events(path)
    shifts = [e for e in events if str(e["CATEGORIES"].cats[0]) == "SHIFT"]
    breaks = [e for e in events if str(e["CATEGORIES"].cats[0]) == "BREAK"]
    assert len(shifts) == 2 and len(breaks) == 1
    night = min(shifts, key=lambda e: e.decoded("DTSTART"))
    # 22:00 and 07:00 next day in UTC+8
    assert night.decoded("DTSTART") == dt.datetime(2026, 10, 31, 14, tzinfo=UTC)
    assert night.decoded("DTEND") == dt.datetime(2026, 10, 31, 23, tzinfo=UTC)
    assert breaks[0].decoded("DTSTART") == dt.datetime(2026, 10, 31, 18, tzinfo=UTC)
    assert breaks[0].decoded("DTEND") == dt.datetime(2026, 10, 31, 19, tzinfo=UTC)
    # the break lies inside its shift, the description names it
    assert night.decoded("DTSTART") < breaks[0].decoded("DTSTART") < night.decoded("DTEND")
    assert "break 02:00-03:00 (unpaid)" in str(night["DESCRIPTION"])
    assert str(night["SUMMARY"]) == "night 22:00-07:00"


def test_night_shift_across_the_end_of_daylight_saving_time(tmp_path):
    # New York leaves daylight saving time at 02:00 on 2026-11-01: the night shift starts
    # at UTC-4 and ends at UTC-5, one real hour longer than its wall-clock nine hours.
    (path,) = _calendars(tmp_path, "America/New_York")
    night = min((e for e in _events(path) if str(e["CATEGORIES"].cats[0]) == "SHIFT"),
                key=lambda e: e.decoded("DTSTART"))
    start, end = night.decoded("DTSTART"), night.decoded("DTEND")
    assert start == dt.datetime(2026, 11, 1, 2, tzinfo=UTC)
    assert end == dt.datetime(2026, 11, 1, 12, tzinfo=UTC)
    assert end - start == dt.timedelta(hours=10)
    zone = ZoneInfo("America/New_York")
    assert start.astimezone(zone).replace(tzinfo=None) == dt.datetime(2026, 10, 31, 22)
    assert end.astimezone(zone).replace(tzinfo=None) == dt.datetime(2026, 11, 1, 7)


def test_lines_end_in_crlf_and_are_folded_at_75_octets(tmp_path):
    agent = "客服" * 30 + ", team; A\\B"
    (path,) = _calendars(tmp_path, "Asia/Shanghai", [agent])
    raw = path.read_bytes()
    assert raw.endswith(b"\r\n")
    lines = raw.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # something was folded
    for line in lines:
        line.decode("utf-8")  # no character split across a fold
    cal = icalendar.Calendar.from_ical(raw)
    descriptions = [str(e["DESCRIPTION"]) for e in cal.walk("VEVENT") if "DESCRIPTION" in e]
    assert descriptions and all(d.startswith(f"Agent {agent}; ") for d in descriptions)


def test_fold_keeps_short_lines_and_splits_long_ones():
    assert fold("SUMMARY:" + "x" * 67) == "SUMMARY:" + "x" * 67 + "\r\n"  # exactly 75 octets
    folded = fold("SUMMARY:" + "x" * 68)  # 76 octets
    first, second = folded.split("\r\n")[:2]
    assert len(first.encode()) == 75 and second == " x"
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_file_names_are_safe_and_distinct():
    ids = ["A1", "a b", "a_20_b", "a/b", "../x", "张三", "a.b-c", "客服" * 40, "客服" * 41]
    names = [file_name(a) for a in ids]
    assert len(set(names)) == len(ids)
    for name in names:
        assert "/" not in name and name.endswith(".ics") and name.isascii()
        assert " " not in name and len(name) <= 120


def test_every_agent_of_a_solved_roster_gets_its_shifts_and_breaks(tmp_path):
    _, out, result = solve_into(tmp_path)
    files = sorted((out / "calendar").glob("*.ics"))
    agents = {s.agent for s in result.shifts}
    assert len(files) == len(agents) == result.summary.headcount
    zone = ZoneInfo("Asia/Shanghai")
    for agent in agents:
        events = _events(out / "calendar" / file_name(agent))
        got = sorted((str(e["CATEGORIES"].cats[0]), e.decoded("DTSTART").astimezone(zone).replace(tzinfo=None),
                      e.decoded("DTEND").astimezone(zone).replace(tzinfo=None)) for e in events)
        want = sorted([("SHIFT", s.start, s.end) for s in result.shifts if s.agent == agent]
                      + [("BREAK", b.start, b.end) for b in result.breaks if b.agent == agent])
        assert got == want


def test_no_calendars_without_the_time_zone(tmp_path):
    names = write_reports(night_result(), tmp_path, dt.date(2026, 10, 31), 2, scenario=None)
    assert "calendar" not in names and not (tmp_path / "calendar").exists()
    data = ReportData(night_result(), dt.date(2026, 10, 31), 2, None)
    with pytest.raises(ValueError):
        agent_calendar(data, "N1", night_result().shifts, NOW)
