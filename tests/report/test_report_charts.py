"""report.html's charts as a person uses them, in headless Chromium with the network
switched off: they draw from the page alone (no http(s) address anywhere in src= or
href=), the tooltip gives the slot's figures, the legend toggles series, and dragging over
the overview zooms the coverage chart to about a day. The specs as plain functions."""

from __future__ import annotations

import re

import pytest

from scheduler.i18n import translator
from scheduler.report.charts import (
    coverage_spec,
    heatmap_spec,
    javascript_bundle,
    pool_on_duty,
    slot_label,
)
from scheduler.report.common import ReportData
from scheduler.report.html_report import write_html
from scheduler.report.synthetic import synthetic_result, synthetic_scenario
from tests.report.browser import Browser

DAYS = 3


@pytest.fixture(scope="module")
def browser():
    with Browser() as b:
        b.send("Network.emulateNetworkConditions", offline=True, latency=0,
               downloadThroughput=-1, uploadThroughput=-1)
        yield b


@pytest.fixture(scope="module")
def data():
    result = synthetic_result(40, DAYS, pools=("phone", "chat"))
    scenario = synthetic_scenario(DAYS)
    return ReportData(result, scenario.horizon.start_date, DAYS, scenario)


@pytest.fixture(scope="module")
def page(data, tmp_path_factory):
    path = tmp_path_factory.mktemp("charts") / "report.html"
    write_html(data, path)
    return path


def _load(browser, path):
    browser.load(path)
    assert browser.wait_until("document.body.getAttribute('data-charts')") == "ready"
    assert browser.errors() == []
    assert all(u.startswith(("file:", "data:")) for u in browser.requests()), browser.requests()


def _box(browser, selector):
    return browser.evaluate(
        f"(() => {{ const r = document.querySelector({selector!r}).getBoundingClientRect();"
        " return [r.x, r.y, r.width, r.height]; })()")


def test_the_page_names_no_outside_address_and_draws_offline(page, browser):
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", text, re.I)
    assert "<script src" not in text and "<link rel=\"stylesheet\"" not in text
    _load(browser, page)
    for chart in ("#coverage-chart", "#heatmap"):
        assert browser.evaluate(f"document.querySelectorAll('{chart} svg').length") == 1
        _, _, width, height = _box(browser, f"{chart} svg")
        assert width > 400 and height > 100


def test_the_bundle_is_made_once_per_process():
    assert javascript_bundle() is javascript_bundle()
    assert "vegaEmbed" in javascript_bundle() and "</script" not in javascript_bundle().lower()


def _tooltip(browser) -> dict[str, str]:
    """The figures of the tooltip Vega shows (waited for), as title -> value."""
    text = browser.wait_until(
        "(() => { const e = document.getElementById('vg-tooltip-element');"
        " return e && e.classList.contains('visible') ? e.innerText : ''; })()")
    return dict(re.findall(r"([^\n\t]+)\t\s*\n([^\n]+)", text))


def test_the_tooltip_gives_the_slots_figures(page, data, browser):
    _load(browser, page)
    x, y, width, height = _box(browser, "#coverage-chart .hover_marks")
    browser.mouse("mouseMoved", x + width * 0.4, y + height / 2)
    figures = _tooltip(browser)
    t = translator("en")
    slot = next(c for c in data.result.coverage if slot_label(t, c.start) == figures["Time"])
    pools = pool_on_duty(data)
    k = data.result.coverage.index(slot)
    assert figures["All agents: required"] == str(slot.required)
    assert figures["All agents: on duty"] == str(slot.scheduled)
    assert figures["pool chat: on duty"] == str(pools["chat"][k])
    assert figures["short"] == str(max(0, slot.required - slot.scheduled))


def test_the_heat_map_cells_give_their_slots_figures(page, data, browser):
    _load(browser, page)
    x, y, width, height = _box(browser, "#heatmap .cells_marks path:nth-child(60)")
    browser.mouse("mouseMoved", x + width / 2, y + height / 2)
    figures = _tooltip(browser)
    t = translator("en")
    slot = next(c for c in data.result.coverage if slot_label(t, c.start) == figures["Time"])
    assert figures["required"] == str(slot.required)
    assert figures["on duty"] == str(slot.scheduled)
    assert figures["on duty minus required"].replace("\u2212", "-") == str(slot.scheduled - slot.required)
    browser.mouse("mouseMoved", 5, 5)


def test_the_legend_toggles_series_and_the_overview_zooms(page, browser):
    _load(browser, page)
    opacities = ("Array.from(document.querySelectorAll('#coverage-chart .lines_marks path'))"
                 ".map(p => Number(p.getAttribute('opacity')))")
    assert set(browser.evaluate(opacities)) == {1}
    entries = browser.evaluate(
        "Array.from(document.querySelectorAll('#coverage-chart .series_legend_labels text'))"
        ".map(t => { const r = t.getBoundingClientRect(); return [t.textContent, r.x + r.width / 2,"
        " r.y + r.height / 2]; })")
    assert [e[0] for e in entries] == ["All agents", "pool chat", "pool phone"]
    _, x, y = entries[1]
    browser.click(x, y)
    shown = browser.wait_until(f"{opacities}.filter(o => o === 1).length === 1")
    assert shown  # one line (pool chat's on duty) stays, the others fade
    assert sorted(browser.evaluate(opacities)) == [0.08, 0.08, 0.08, 1]

    labels = ("Array.from(document.querySelectorAll('#coverage-chart .concat_0_group "
              ".role-axis-label text')).map(t => t.textContent)")
    before = browser.evaluate(labels)
    assert sum(bool(re.match(r"\w{3} \d\d-\d\d$", s)) for s in before) >= DAYS
    x, y, width, height = _box(browser, "#coverage-chart .overview_layer_0_marks")
    browser.drag(x + width * 0.34, y + height / 2, x + width * 0.66, y + height / 2)
    brush = browser.wait_until("(reportViews['coverage-chart'].signal('brush') || {}).t")
    hours = (brush[1] - brush[0]) / 3_600_000
    assert 20 < hours < 28  # a third of three days
    after = browser.evaluate(labels)
    assert after != before and sum(bool(re.match(r"\d\d:\d\d$", s)) for s in after) >= 12
    assert browser.errors() == []


def test_the_specs_are_plain_data_with_the_slots_and_series(data):
    t = translator("en")
    spec = coverage_spec(data, t)
    rows = spec["data"]["values"]
    assert len(rows) == len(data.result.coverage)
    assert [r["r"] for r in rows] == [c.required for c in data.result.coverage]
    assert [r["p0"] + r["p1"] for r in rows] == [c.scheduled for c in data.result.coverage]
    heat = heatmap_spec(data, t)
    assert len(heat["data"]["values"]) == len(data.result.coverage)
    assert {r["diff"] for r in heat["data"]["values"]} == {
        c.scheduled - c.required for c in data.result.coverage}


def test_the_simulated_service_chart_has_a_line_per_queue_and_a_tooltip(data, browser, tmp_path):
    from scheduler.report.simulation_view import SIMULATION_COLUMNS

    rows = []
    for queue, level in (("voice", 0.7), ("chat", 0.9)):
        for k, c in enumerate(data.result.coverage[:24]):
            row = {key: 1.0 for key in SIMULATION_COLUMNS}
            row.update(start=f"{c.start:%Y-%m-%dT%H:%M}", queue=queue, service_level=level,
                       service_level_low=level - 0.05, service_level_high=level + 0.05,
                       service_level_goal=0.8, offered=10.0 + k)
            rows.append(row)
    simulated = ReportData(data.result, data.start_date, DAYS, data.scenario, simulation=rows)
    path = tmp_path / "report.html"
    write_html(simulated, path)
    _load(browser, path)
    assert browser.evaluate("document.querySelectorAll('#simulation-chart .level_marks path').length") == 2
    assert browser.evaluate("document.querySelectorAll('#simulation-chart .slots_marks path').length") == 48
    x, y, width, height = _box(browser, "#simulation-chart .slots_marks path:nth-child(30)")
    browser.mouse("mouseMoved", x + width / 2, y + height / 2)
    figures = _tooltip(browser)
    assert figures["queue"] in ("voice", "chat") and figures["goal"] == "80%"
    assert figures["service level"] == {"voice": "70.0%", "chat": "90.0%"}[figures["queue"]]


def test_a_result_without_coverage_has_no_chart_and_no_library(data):
    from scheduler.report.charts import chart_specs
    from scheduler.report.html_report import render

    empty = ReportData(data.result.model_copy(update={"coverage": [], "shifts": [],
                                                      "breaks": []}),
                       data.start_date, DAYS, data.scenario)
    assert chart_specs(empty, translator("en")) == {}
    page = render(empty)
    assert "No coverage rows." in page and "No shifts." in page
    assert "vegaEmbed=" not in page and len(page) < 200_000
    # shifts without coverage rows: the Gantt chart alone
    shifts_only = ReportData(data.result.model_copy(update={"coverage": []}), data.start_date,
                             DAYS, data.scenario)
    assert list(chart_specs(shifts_only, translator("en"))) == ["gantt"]


def test_queues_get_a_requirement_and_an_allocation_series(data):
    from scheduler.models import QueueSlot

    coverage = [c.model_copy(update={"queues": [
        QueueSlot(queue="voice", required=c.required, allocated=c.scheduled * 0.6),
        QueueSlot(queue="chat", required=0, allocated=c.scheduled * 0.4)]})
        for c in data.result.coverage]
    queued = ReportData(data.result.model_copy(update={"coverage": coverage}), data.start_date,
                        DAYS, data.scenario)
    spec = coverage_spec(queued, translator("zh"))
    keys = {k["key"]: (k["series"], k["measure"])
            for k in spec["vconcat"][0]["layer"][1]["transform"][1]["from"]["data"]["values"]}
    assert keys["q0r"] == ("队列 voice", "需求") and keys["q1a"] == ("队列 chat", "在岗")
    assert keys["p0"] == ("人员池 chat", "在岗")
    rows = spec["data"]["values"]
    assert [r["q0r"] for r in rows] == [c.required for c in data.result.coverage]


def test_queue_series_survive_a_rebuild_from_the_files(data, tmp_path):
    from scheduler.models import QueueDay, QueueSlot
    from scheduler.report.output import write_csvs, write_summary
    from scheduler.report.saved import read_result

    coverage = [c.model_copy(update={"queues": [
        QueueSlot(queue="voice", required=c.required, allocated=c.scheduled * 0.5),
        QueueSlot(queue="chat", required=1, allocated=c.scheduled * 0.5)]})
        for c in data.result.coverage]
    days = [QueueDay(queue=q, date=data.start_date, required_agent_hours=1.0,
                     allocated_agent_hours=1.0, short_agent_hours=0.0, short_slots=0)
            for q in ("voice", "chat")]
    result = data.result.model_copy(update={
        "coverage": coverage, "summary": data.result.summary.model_copy(update={"queues": days})})
    write_summary(result, tmp_path / "summary.json")
    write_csvs(result, tmp_path)
    back = read_result(tmp_path)
    assert [[(q.queue, q.required, q.allocated) for q in c.queues] for c in back.coverage] == \
        [[(q.queue, q.required, q.allocated) for q in c.queues] for c in coverage]


def test_the_chart_bundle_is_made_once_and_then_read_from_the_cache(tmp_path, monkeypatch):
    from scheduler.report import charts

    monkeypatch.setenv("SCHEDULER_CACHE_DIR", str(tmp_path / "cache"))
    charts.javascript_bundle.cache_clear()
    try:
        assert not charts.bundle_is_ready()
        made = charts.javascript_bundle()
        path = charts.bundle_cache_path()
        assert "vegaEmbed" in made and path.read_text(encoding="utf-8") == made
        assert charts.bundle_is_ready()
        path.write_text("/* cached */", encoding="utf-8")  # a new process reads the file
        charts.javascript_bundle.cache_clear()
        assert charts.javascript_bundle() == "/* cached */"
        # a cache folder that cannot be written costs only the time
        charts.javascript_bundle.cache_clear()
        monkeypatch.setenv("SCHEDULER_CACHE_DIR", str(path / "not-a-folder"))
        assert "vegaEmbed" in charts.javascript_bundle()
    finally:
        charts.javascript_bundle.cache_clear()
