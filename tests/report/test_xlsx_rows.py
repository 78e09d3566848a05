"""Rows spliced into a finished workbook read back as if xlsxwriter had written them."""

import re
import shutil
import subprocess
import zipfile

import openpyxl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.report.xlsx_rows import splice_rows

HEADER = ["agent", "start", "minutes"]


def _book(path, rows=(), sheets=("Data", "Other")):
    """A workbook written by xlsxwriter alone: a header row, then `rows` cell by cell."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False,
                                         "strings_to_formulas": False,
                                         "strings_to_urls": False})
    for name in sheets:
        ws = wb.add_worksheet(name)
        ws.write_row(0, 0, HEADER)
        if name != "Data":
            continue
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if isinstance(value, str):
                    ws.write_string(r, c, value)
                elif value is not None:
                    ws.write_number(r, c, value)
    wb.close()
    return path


def _read(path, sheet="Data"):
    return list(openpyxl.load_workbook(path, read_only=True)[sheet].iter_rows(values_only=True))


def test_rows_read_back_as_xlsxwriter_writes_them(tmp_path):
    rows = [("A001", "2026-11-11T00:00", 480), ("a & <b>", " lead ", 2.5),
            ("中文 名字", None, 0), ("", "agent", -3), ("A001", "x", 7)]
    expected = _read(_book(tmp_path / "plain.xlsx", rows))
    spliced = _book(tmp_path / "spliced.xlsx")
    splice_rows(spliced, {"Data": (2, rows)})
    assert _read(spliced) == expected
    assert _read(spliced)[1:] == [("A001", "2026-11-11T00:00", 480), ("a & <b>", " lead ", 2.5),
                                  ("中文 名字", None, 0), ("", "agent", -3), ("A001", "x", 7)]
    assert _read(spliced, "Other") == [tuple(HEADER)]
    sheet = openpyxl.load_workbook(spliced, read_only=True)["Data"]
    assert sheet.calculate_dimension() == "A1:C6"


def test_the_shared_string_table_stays_consistent(tmp_path):
    path = _book(tmp_path / "b.xlsx")
    splice_rows(path, {"Data": (2, [("agent", "new", 1), ("new", "newer", 2)])})
    table = zipfile.ZipFile(path).read("xl/sharedStrings.xml").decode()
    items = re.findall(r"<si>", table)
    unique = int(re.search(r'uniqueCount="(\d+)"', table).group(1))
    count = int(re.search(r'\bcount="(\d+)"', table).group(1))
    assert unique == len(items) == len(HEADER) + 2  # "agent" is the header's item, reused
    # the header of both sheets (3 + 3) and the four text cells of the rows
    assert count == 2 * len(HEADER) + 4


def test_escapes_as_xlsxwriter_does(tmp_path):
    # control characters and text that looks like an escape: LibreOffice shows the text
    rows = [("\x01ctl", "_x0041_", 1)]
    path = _book(tmp_path / "b.xlsx")
    splice_rows(path, {"Data": (2, rows)})
    plain = _book(tmp_path / "plain.xlsx", rows)
    assert _read(path) == _read(plain)
    table = zipfile.ZipFile(path).read("xl/sharedStrings.xml").decode()
    assert "<t>_x0001_ctl</t>" in table and "<t>_x005F_x0041_</t>" in table


def test_libreoffice_reads_the_spliced_sheet(tmp_path):
    # Not skipped when LibreOffice is missing: .ci/run installs it.
    office = shutil.which("libreoffice") or shutil.which("soffice")
    assert office, "LibreOffice is not installed (Debian: libreoffice-calc-nogui)"
    path = _book(tmp_path / "b.xlsx")
    splice_rows(path, {"Data": (2, [("A & B", "_x0041_", 480), ("中文", None, 2.5)])})
    # every sheet as CSV, UTF-8 (the last field of the filter options: -1 = all sheets)
    options = "44,34,76,1,,0,false,true,false,false,false,-1"
    proc = subprocess.run(
        [office, "--headless", "--norestore",
         f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--convert-to",
         f"csv:Text - txt - csv (StarCalc):{options}", "--outdir", str(tmp_path / "csv"),
         str(path)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    text = (tmp_path / "csv" / "b-Data.csv").read_text(encoding="utf-8")
    assert text.splitlines() == ["agent,start,minutes", "A & B,_x0041_,480", "中文,,2.5"]


def test_an_unknown_sheet_leaves_the_file_alone(tmp_path):
    path = _book(tmp_path / "b.xlsx")
    before = path.read_bytes()
    with pytest.raises(KeyError, match="Missing"):
        splice_rows(path, {"Missing": (2, [("x",)])})
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.xlsx"]


@pytest.mark.parametrize("value, error", [(True, TypeError), (float("inf"), ValueError),
                                          (float("nan"), ValueError)])
def test_values_a_cell_cannot_hold_are_refused(tmp_path, value, error):
    path = _book(tmp_path / "b.xlsx")
    with pytest.raises(error):
        splice_rows(path, {"Data": (2, [("x", value)])})


# Text XML 1.0 can carry, or that is escaped: no surrogates, no U+FFFE/U+FFFF.
TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufffe\uffff"),
               max_size=12)
CELL = st.one_of(st.none(), TEXT, st.integers(-10**9, 10**9),
                 st.floats(allow_nan=False, allow_infinity=False, width=32))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(CELL, min_size=1, max_size=4), min_size=1, max_size=6))
def test_any_rows_read_back_as_xlsxwriter_writes_them(tmp_path, rows):
    folder = tmp_path / str(abs(hash(repr(rows))))
    folder.mkdir(exist_ok=True)
    spliced = _book(folder / "spliced.xlsx")
    splice_rows(spliced, {"Data": (2, rows)})
    assert _read(spliced) == _read(_book(folder / "plain.xlsx", rows))
