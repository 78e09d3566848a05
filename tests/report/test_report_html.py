"""report.html in a real headless Chromium: it loads from file:// without console errors
or network requests, its charts (Vega, drawn asynchronously) render with non-zero size and
show the roster's numbers, the day selector redraws the Gantt chart, and a screenshot is
saved. The charts' interactions and the languages: test_report_charts.py."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduler.report.common import ReportData
from scheduler.report.html_report import write_html
from scheduler.report.synthetic import synthetic_result, synthetic_scenario
from tests.report.browser import Browser
from tests.report.report_cases import solve_into

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def browser():
    with Browser() as b:
        yield b


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    return solve_into(tmp_path_factory.mktemp("html"))


def _short_runs(coverage) -> int:
    runs, before = 0, False
    for c in coverage:
        short = c.scheduled < c.required
        runs += short and not before
        before = short
    return runs


def _size(browser, selector):
    return browser.evaluate(
        f"(() => {{ const r = document.querySelector({selector!r}).getBoundingClientRect();"
        " return [r.width, r.height]; })()")


def _select_day(browser, index):
    """Choose a day in the Gantt chart's select box as a person would, and wait for the
    chart to be drawn again."""
    browser.evaluate(
        "(() => { window.__drawn = 0; const s = document.querySelector('#gantt-day select');"
        " s.value = '%d'; s.dispatchEvent(new Event('change'));"
        " reportViews.gantt.runAsync().then(() => { window.__drawn = 1; }); })()" % index)
    assert browser.wait_until("window.__drawn") == 1


def _gantt_marks(browser, layer):
    """Each drawn bar of the Gantt layer ('shifts' or 'breaks') as its fields, read from
    the description Vega gives every mark (the tooltip's fields)."""
    labels = browser.evaluate(
        f"Array.from(document.querySelectorAll('#gantt .{layer}_marks path'))"
        ".map(p => p.getAttribute('aria-label'))")
    return [dict(part.split(": ", 1) for part in label.split("; ")) for label in labels]


def _gantt_titles(browser, kind):
    """'agent: type HH:MM-HH:MM' per shift, 'break HH:MM-HH:MM' per break drawn."""
    if kind == "shift":
        return [f"{m['agent']}: {m['Shift type']} {m['Time']}"
                for m in _gantt_marks(browser, "shifts")]
    return [f"{m['Activity']} {m['Time']}" for m in _gantt_marks(browser, "breaks")]


def test_report_of_a_solved_roster_renders_in_chromium(solved, browser, tmp_path):
    _, out, result = solved
    browser.load(out / "report.html")
    assert browser.wait_until("document.body.getAttribute('data-charts')") == "ready"
    assert browser.errors() == []
    assert all(url.startswith(("file:", "data:")) for url in browser.requests()), browser.requests()

    for selector in ("#kpis", "#coverage-chart", "#heatmap", "#gantt"):
        width, height = _size(browser, selector)
        assert width > 200 and height > 40, (selector, width, height)

    cards = browser.evaluate(
        "Array.from(document.querySelectorAll('.card')).map(c => [c.children[0].textContent, c.children[1].textContent])")
    assert dict(cards)["Headcount"] == str(result.summary.headcount)
    assert dict(cards)["Short agent-slots"] == str(result.summary.short_agent_slots)

    # coverage chart: a red band per short slot; heatmap: a cell per slot
    assert _short_runs(result.coverage) > 0  # no shift reaches 05:00-06:00
    short = sum(c.scheduled < c.required for c in result.coverage)
    assert browser.evaluate("document.querySelectorAll('#coverage-chart .short_marks path').length") == short
    assert browser.evaluate("document.querySelectorAll('#heatmap .cells_marks path').length") == len(result.coverage)

    # Gantt: every day of the roster, its shifts and breaks, as the result says
    start = dt.date(2026, 11, 16)
    days = [start, start + dt.timedelta(days=1)]
    lead_in = any(s.day < start for s in result.shifts)
    if lead_in:
        days.insert(0, start - dt.timedelta(days=1))
    options = browser.evaluate(
        "Array.from(document.querySelectorAll('#gantt-day select option')).map(o => o.textContent)")
    assert options == [f"{d:%a %Y-%m-%d}" + (" (day before the horizon)" if d < start else "")
                       for d in days]
    assert browser.evaluate("document.querySelector('#gantt-day select').value") == \
        str(int(lead_in))
    for i, day in enumerate(days):
        _select_day(browser, i)
        shifts = [s for s in result.shifts if s.day == day]
        want = sorted(f"{s.agent}: {s.shift_type} {s.start:%H:%M}-{s.end:%H:%M}" for s in shifts)
        assert sorted(_gantt_titles(browser, "shift")) == want
        breaks = [b for b in result.breaks for s in shifts
                  if b.agent == s.agent and s.start <= b.start and b.end <= s.end]
        want = sorted(f"{'paid break' if b.paid else 'break'} {b.start:%H:%M}-{b.end:%H:%M}" for b in breaks)
        assert sorted(_gantt_titles(browser, "break")) == want
    # a night shift is drawn past the day's midnight line
    assert any(s.end.date() > s.day for s in result.shifts)
    assert browser.errors() == []
    shot = browser.screenshot(tmp_path / "report.png")
    assert shot.read_bytes().startswith(PNG) and shot.stat().st_size > 20_000


def test_large_report_renders_and_stays_small(browser, tmp_path):
    result = synthetic_result(1000, 28, pools=("phone", "chat"))
    scenario = synthetic_scenario(28)
    path = tmp_path / "report.html"
    write_html(ReportData(result, scenario.horizon.start_date, 28, scenario), path)
    assert path.stat().st_size < 5_000_000
    browser.load(path)
    assert browser.wait_until("document.body.getAttribute('data-charts')") == "ready"
    assert browser.errors() == []
    assert browser.evaluate("document.querySelectorAll('#heatmap .cells_marks path').length") == len(result.coverage)
    day = result.shifts[0].day
    index = (day - scenario.horizon.start_date).days
    _select_day(browser, index)
    marks = _gantt_marks(browser, "shifts")
    bars = len(marks)
    assert bars == sum(1 for s in result.shifts if s.day == day)
    assert {m["pool"] for m in marks} == {"phone", "chat"}
    _, height = _size(browser, "#gantt svg")  # a row per person (the box scrolls)
    assert height > bars * 10
    browser.screenshot(tmp_path / "large.png")


def test_the_harness_sees_script_errors_and_network_requests(solved, browser, tmp_path):
    _, out, _ = solved
    text = (out / "report.html").read_text(encoding="utf-8")
    broken = tmp_path / "broken.html"
    broken.write_text(text.replace("JSON.parse(", "JSON.parze(")
                      .replace("</main>", '<img src="http://127.0.0.1:9/x.png"></main>'),
                      encoding="utf-8")
    browser.load(broken)
    assert any("parze" in e for e in browser.errors())
    assert "http://127.0.0.1:9/x.png" in browser.requests()
    assert browser.evaluate("document.querySelectorAll('#gantt path').length") == 0


def test_report_without_a_scenario_still_renders(browser, tmp_path):
    result = synthetic_result(20, 3)
    path = tmp_path / "report.html"
    write_html(ReportData(result, dt.date(2026, 11, 2), 3, None), path)
    browser.load(path)
    assert browser.wait_until("document.body.getAttribute('data-charts')") == "ready"
    assert browser.errors() == []
    assert "time zone unknown" in browser.evaluate("document.querySelector('header p').textContent")
    assert browser.evaluate("document.querySelectorAll('#gantt .shifts_marks path').length") > 0
