"""roster.xlsx read back with openpyxl and pandas, its charts found in the package, and
one conversion to PDF with LibreOffice headless (it must open without repair)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile

import openpyxl
import pandas as pd
import pytest

from scheduler.check import read_workbook
from scheduler.report.common import ReportData
from scheduler.report.workbook import write_workbook
from tests.report.report_cases import night_result, night_scenario, solve_into

SHEETS = ["Roster", "Intraday", "Coverage", "Breaks", "Summary", "Inputs", "Shifts"]


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    return solve_into(tmp_path_factory.mktemp("xlsx"))


def _fill(cell) -> str:
    return "#" + cell.fill.fgColor.rgb[-6:].upper()


def _header(ws) -> list:
    return [c.value for c in ws[1]]


def test_roster_sheet_cells_colours_and_weekly_hours(solved):
    _, out, result = solved
    book = openpyxl.load_workbook(out / "roster.xlsx")
    assert book.sheetnames == SHEETS
    ws = book["Roster"]
    header = _header(ws)
    assert header[:2] == ["agent", "pool"]
    assert ws.freeze_panes == "C2"
    agents = sorted({s.agent for s in result.shifts})
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    assert sorted(rows) == agents and ws.max_row == 1 + len(agents)
    col_of_day = {}
    for c, label in enumerate(header, start=1):
        m = re.match(r"\w{3} (\d\d)-(\d\d)", label or "")
        if m and c > 2:
            col_of_day[dt.date(2026, int(m.group(1)), int(m.group(2)))] = c
    colours = {}
    for s in result.shifts:
        cell = ws.cell(rows[s.agent], col_of_day[s.day])
        assert cell.value == f"{s.start:%H:%M}-{s.end:%H:%M}"
        colours.setdefault(s.shift_type, set()).add(_fill(cell))
    # one colour per shift type, different types differently coloured
    assert all(len(c) == 1 for c in colours.values())
    assert len({c for cs in colours.values() for c in cs}) == len(colours) == 2
    # days off are blank; weekly paid hours add up the agent's shifts
    worked = {(s.agent, s.day) for s in result.shifts}
    for agent, r in rows.items():
        for day, c in col_of_day.items():
            if (agent, day) not in worked:
                assert ws.cell(r, c).value is None
        week = header.index(next(h for h in header if str(h).startswith("paid h 11-16"))) + 1
        paid = sum(s.paid_minutes for s in result.shifts if s.agent == agent) / 60
        assert ws.cell(r, week).value == pytest.approx(paid)
        assert ws.cell(r, header.index("paid h total") + 1).value == pytest.approx(paid)
        assert ws.cell(r, 2).value in (None, "")  # no pools in this result
    legend = header.index("shift types") + 1
    for r in range(2, 4):
        name = ws.cell(r, legend).value
        assert colours[name] == {_fill(ws.cell(r, legend))}


def test_weekly_hours_split_by_seven_day_block(tmp_path):
    # 9 days: hours of days 1-7 and 8-9 land in separate columns
    result = night_result()
    moved = [s.model_copy(update={"start": s.start + dt.timedelta(days=7), "end": s.end + dt.timedelta(days=7),
                                  "day": s.day + dt.timedelta(days=7)}) for s in result.shifts]
    result = result.model_copy(update={"shifts": result.shifts + moved[1:]})
    path = tmp_path / "r.xlsx"
    write_workbook(ReportData(result, dt.date(2026, 10, 31), 9, None), path)
    ws = openpyxl.load_workbook(path)["Roster"]
    header = _header(ws)
    weeks = [i for i, h in enumerate(header) if str(h).startswith("paid h 1")]
    assert [header[i] for i in weeks] == ["paid h 10-31..11-06", "paid h 11-07..11-08"]
    assert [ws.cell(2, i + 1).value for i in weeks] == [12.0, 4.0]


def test_pool_column_and_machine_readable_sheets(tmp_path):
    result = night_result(["P1", "P2"], pool="chat")
    path = tmp_path / "r.xlsx"
    write_workbook(ReportData(result, dt.date(2026, 10, 31), 2, night_scenario()), path)
    book = openpyxl.load_workbook(path)
    ws = book["Roster"]
    assert [ws.cell(r, 2).value for r in (2, 3)] == ["chat", "chat"]
    shifts = pd.read_excel(path, sheet_name="Shifts")
    assert list(shifts.columns) == ["agent", "shift_type", "start", "end", "paid_minutes", "day",
                                    "pool", "overtime_minutes"]
    assert shifts["overtime_minutes"].tolist() == [30, 0, 30, 0]
    # `scheduler check` still reads the Shifts and Breaks sheets
    shift_rows, break_rows = read_workbook(path)
    assert [(r["agent"], r["start"], r["end"]) for r in shift_rows] == [
        (s.agent, f"{s.start:%Y-%m-%dT%H:%M}", f"{s.end:%Y-%m-%dT%H:%M}") for s in result.shifts]
    assert [(r["agent"], r["paid"]) for r in break_rows] == [("P1", "false"), ("P2", "false")]
    breaks = pd.read_excel(path, sheet_name="Breaks")
    assert breaks["minutes"].tolist() == [60, 60] and breaks["day"].tolist() == ["2026-10-31"] * 2


def test_intraday_coverage_and_charts(solved):
    _, out, result = solved
    path = out / "roster.xlsx"
    book = openpyxl.load_workbook(path)
    ws = book["Intraday"]
    days = sorted({c.start.date() for c in result.coverage})
    assert [ws.cell(1, 2 + 3 * i).value for i in range(len(days))] == [f"{d:%a %Y-%m-%d}" for d in days]
    for c in result.coverage:
        i = days.index(c.start.date())
        row = 3 + c.start.hour  # 60-minute slots
        assert ws.cell(row, 1).value == f"{c.start:%H:%M}"
        assert [ws.cell(row, 2 + 3 * i + k).value for k in range(3)] == [
            c.required, c.scheduled, max(0, c.required - c.scheduled)]
    coverage = pd.read_excel(path, sheet_name="Coverage")
    assert coverage["scheduled"].tolist() == [c.scheduled for c in result.coverage]
    assert (coverage["short"] > 0).sum() == len(result.summary.short_slots) > 0
    # a native chart per day, drawing that day's columns of the Intraday sheet
    with zipfile.ZipFile(path) as z:
        charts = sorted(n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
        assert len(charts) == len(days)
        refs = [re.findall(r"<c:f>([^<]+)</c:f>", z.read(n).decode()) for n in charts]
    for i, chart_refs in enumerate(refs):
        required_col = openpyxl.utils.get_column_letter(2 + 3 * i)
        on_duty_col = openpyxl.utils.get_column_letter(3 + 3 * i)
        assert f"Intraday!${on_duty_col}$3:${on_duty_col}$26" in chart_refs
        assert f"Intraday!${required_col}$3:${required_col}$26" in chart_refs


def test_summary_and_inputs_sheets(solved):
    path, out, result = solved
    book = openpyxl.load_workbook(out / "roster.xlsx")
    kpis = {r[0]: r[1] for r in book["Summary"].iter_rows(min_row=4, max_col=2, values_only=True) if r[0]}
    assert kpis["Headcount"] == str(result.summary.headcount)
    assert kpis["status"] == result.summary.status
    assert kpis["short_agent_slots"] == result.summary.short_agent_slots
    inputs = {r[0]: r[1] for r in book["Inputs"].iter_rows(values_only=True) if r[0]}
    assert inputs["time_zone"] == "Asia/Shanghai"
    assert inputs["max_days_per_week"] == 6 and inputs["min_rest_hours"] == 11
    assert inputs["allow_understaffing"] == "true"
    types = [r for r in book["Inputs"].iter_rows(values_only=True) if r[0] in ("day", "night")]
    assert [t[0] for t in types] == ["day", "night"]
    assert "rest 60 min paid" in types[1][6]


def test_libreoffice_converts_the_workbook_to_pdf(solved, tmp_path):
    # Not skipped when LibreOffice is missing: .ci/run installs it.
    _, out, _ = solved
    office = shutil.which("libreoffice") or shutil.which("soffice")
    assert office, "LibreOffice is not installed (Debian: libreoffice-calc-nogui)"
    proc = subprocess.run(
        [office, "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(out / "roster.xlsx")],
        capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    pdf = tmp_path / "roster.pdf"
    assert pdf.is_file(), proc.stdout + proc.stderr
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    assert pages >= len(SHEETS)  # every sheet printed, at least a page each


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    result = night_result(["=1+1", "007"])
    summary = result.summary.model_copy(update={"objective_bound": float("inf")})
    result = result.model_copy(update={"summary": summary})
    path = tmp_path / "r.xlsx"
    write_workbook(ReportData(result, dt.date(2026, 10, 31), 2, None), path)
    ws = openpyxl.load_workbook(path)["Roster"]
    cells = [ws.cell(r, 1) for r in (2, 3)]
    assert sorted(c.value for c in cells) == ["007", "=1+1"]
    assert all(c.data_type == "s" for c in cells)
    book = openpyxl.load_workbook(path, data_only=True)
    summary_rows = {r[0]: r[1] for r in book["Summary"].iter_rows(values_only=True) if r[0]}
    assert str(summary_rows["objective_bound"]).startswith("#")  # an Excel error, not a crash


def test_four_weeks_of_half_hour_slots(tmp_path):
    from scheduler.report.synthetic import synthetic_result, synthetic_scenario

    result = synthetic_result(60, 28, pools=("phone", "chat"))
    scenario = synthetic_scenario(28)
    path = tmp_path / "r.xlsx"
    write_workbook(ReportData(result, scenario.horizon.start_date, 28, scenario), path)
    roster = pd.read_excel(path, sheet_name="Roster")
    weeks = [c for c in roster.columns if str(c).startswith("paid h 11-") or str(c).startswith("paid h 12-")]
    assert len(weeks) == 4
    paid = {}
    for s in result.shifts:
        paid[s.agent] = paid.get(s.agent, 0) + s.paid_minutes / 60
    table = roster.dropna(subset=["agent"]).set_index("agent")
    assert table.loc[list(paid), "paid h total"].tolist() == pytest.approx(list(paid.values()))
    assert table.loc[list(paid), weeks].sum(axis=1).tolist() == pytest.approx(list(paid.values()))
    assert set(table["pool"]) == {"phone", "chat"}
    intraday = openpyxl.load_workbook(path)["Intraday"]
    assert intraday.max_row >= 2 + 48  # two header rows, 48 half-hour slots a day
    assert [intraday.cell(3 + k, 1).value for k in (0, 1, 47)] == ["00:00", "00:30", "23:30"]
    with zipfile.ZipFile(path) as z:
        assert sum(1 for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)) == 28
