"""report.html and roster.xlsx in Chinese and English: rendered with a Chinese translator
nothing is left untranslated (`translator.missing` empty), and the text a person sees
(the page in Chromium, charts included; every cell of the sheets for people) holds no
English word outside an allow-list of names (agents, pools, shift types, the scenario,
its keys, units and the program's name). English stays English."""

from __future__ import annotations

import re

import openpyxl
import pytest

from scheduler.i18n import translator
from scheduler.report.common import ReportData
from scheduler.report.html_report import write_html
from scheduler.report.simulation_view import SIMULATION_COLUMNS
from scheduler.report.synthetic import synthetic_result, synthetic_scenario
from scheduler.report.workbook import write_workbook
from scheduler.models import PoolSummary
from tests.report.browser import Browser

DAYS = 2
WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
ALWAYS = {"cs-scheduler", "scheduler", "simulate", "UTC", "Shift", "ASA", "summary.json",
          "json", "summary", "xlsx", "Asia", "Shanghai"}
"""Names, not words: the program, its command, the time zone, the Shift key, ASA (the
call-centre term, glossed in Chinese beside it) and the file summary.json."""
MACHINE_SHEETS = ("Shifts", "Breaks")
"""Read back by `scheduler check`: names and columns in English in every language."""


def _case() -> ReportData:
    result = synthetic_result(12, DAYS, pools=("phone", "chat"))
    pools = [PoolSummary(name="phone", standing=6, rostered=6, hired=0, paid_hours=96.0,
                         overtime_hours=0.0, cost=1234.5),
             PoolSummary(name="chat", standing=4, rostered=6, hired=2, paid_hours=96.0,
                         overtime_hours=1.5, cost=1400.0)]
    result = result.model_copy(update={"summary": result.summary.model_copy(
        update={"pools": pools, "cost": 2634.5, "overtime_hours": 1.5})})
    scenario = synthetic_scenario(DAYS)
    simulation = []
    for c in result.coverage[:8]:
        row = {k: 0.5 for k in SIMULATION_COLUMNS}
        row.update(start=f"{c.start:%Y-%m-%dT%H:%M}", queue="voice", service_level_goal=0.8,
                   answer_within_seconds=20.0, runs=5.0, seed=1.0)
        simulation.append(row)
    return ReportData(result, scenario.horizon.start_date, DAYS, scenario,
                      simulation=simulation)


def _allowed(data: ReportData) -> set[str]:
    words = set(ALWAYS)
    names = [*data.agents, *data.shift_types, "phone", "chat", "voice",
             data.result.summary.scenario]
    for name in names:
        words.update(WORD.findall(name))
    return words


def _leftover(text: str, allowed: set[str]) -> set[str]:
    return {w for w in WORD.findall(text) if w not in allowed}


@pytest.fixture(scope="module")
def browser():
    with Browser() as b:
        yield b


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_in_each_language(lang, browser, tmp_path):
    data = _case()
    data.t = translator(lang)
    path = tmp_path / "report.html"
    write_html(data, path)
    assert data.t.missing == set()
    browser.load(path)
    assert browser.wait_until("document.body.getAttribute('data-charts')") == "ready"
    assert browser.errors() == []
    visible = browser.evaluate("document.body.innerText")
    # the charts' own text (axes, legends) and the Gantt chart's labels are SVG text
    svg = browser.evaluate("Array.from(document.querySelectorAll('svg text'))"
                           ".map(t => t.textContent).join(' ')")
    title = browser.evaluate("document.title")
    assert browser.evaluate("document.documentElement.lang") == ("zh-CN" if lang == "zh" else "en")
    browser.screenshot(tmp_path / f"report-{lang}.png")
    if lang == "zh":
        assert "人数" in visible and "在岗" in svg and "排班表" in title
        assert _leftover(" ".join((visible, svg, title)), _allowed(data)) == set()
    else:
        assert "Headcount" in visible and "on duty" in svg


def _sheet_text(book, skip=()) -> dict[str, str]:
    return {ws.title: " ".join(str(v) for row in ws.iter_rows(values_only=True) for v in row
                               if isinstance(v, str))
            for ws in book.worksheets if ws.title not in skip}


def test_workbook_in_chinese(tmp_path):
    data = _case()
    data.t = translator("zh")
    path = tmp_path / "roster.xlsx"
    write_workbook(data, path)
    assert data.t.missing == set()
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["排班", "日内", "覆盖", "仿真", "Breaks", "汇总", "输入", "Shifts"]
    # the machine-readable sheets keep their English columns; `scheduler check` reads them
    assert [c.value for c in book["Shifts"][1]][:6] == ["agent", "shift_type", "start", "end",
                                                         "paid_minutes", "day"]
    assert book["排班"]["A1"].value == "坐席"
    allowed = _allowed(data)
    # below its translated KPIs the Summary sheet mirrors summary.json (keys and values as
    # in the file), and the Inputs sheet lists the scenario's keys and values as written
    # in the YAML: identifiers, not prose
    for dumped in (data.result.summary.model_dump(mode="json"),
                   data.scenario.model_dump(mode="json")):
        allowed |= {w for k in _keys_and_values(dumped) for w in WORD.findall(k)}
    texts = _sheet_text(book, MACHINE_SHEETS)
    for sheet, text in texts.items():
        assert _leftover(text, allowed) == set(), sheet
    chart_titles = [c.title for c in book["日内"]._charts]
    assert len(chart_titles) == DAYS


def _keys_and_values(value) -> list[str]:
    if isinstance(value, dict):
        return [str(k) for k in value] + [x for v in value.values() for x in _keys_and_values(v)]
    if isinstance(value, list):
        return [x for v in value for x in _keys_and_values(v)]
    return [str(value)] if isinstance(value, str) else []


def test_workbook_in_english_keeps_its_names(tmp_path):
    data = _case()
    path = tmp_path / "roster.xlsx"
    write_workbook(data, path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Roster", "Intraday", "Coverage", "Simulation", "Breaks",
                               "Summary", "Inputs", "Shifts"]
    assert [c.value for c in book["Simulation"][1]] == list(SIMULATION_COLUMNS)


def test_calendars_in_chinese(tmp_path):
    from scheduler.report.ical import write_calendars

    data = _case()
    data.t = translator("zh")
    write_calendars(data, tmp_path / "calendar")
    assert data.t.missing == set()
    text = next((tmp_path / "calendar").glob("*.ics")).read_text(encoding="utf-8")
    assert "排班" in text and "坐席" in text and "带薪" in text
    assert "CATEGORIES:SHIFT" in text  # the categories stay as they are
