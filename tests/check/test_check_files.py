"""Reading roster files: rows with bad values become "file" violations naming file, line
and column; files that cannot be read at all are CheckFileError (or "file" violations in
check_output_dir)."""

from __future__ import annotations

from datetime import datetime

import pytest

from scheduler.check import (
    CheckFileError,
    check_output_dir,
    read_breaks_csv,
    read_shifts_csv,
    read_workbook,
)
from tests.check.check_cases import (
    brk,
    check,
    make,
    rules_of,
    shift,
    write_output,
)


def test_malformed_rows_give_file_violations_not_exceptions():
    sc = make(allow_understaffing=True)
    report = check(
        sc,
        [
            shift("a", "2024-01-01 08:00", "2024-01-01T25:00"),
            {"agent": "b", "shift_type": "day", "start": "2024-01-01T08:00",
             "end": "2024-01-01T16:00", "paid_minutes": "8h"},
            {"agent": "c", "shift_type": "day", "start": "2024-01-01T08:00"},
        ],
        [brk("a", "2024-01-01T12:00", "2024-01-01T12:30", paid="maybe")],  # type: ignore[arg-type]
    )
    assert rules_of(report) == {"file": 4}
    messages = " ".join(v.message for v in report.violations)
    assert "shifts row 1" in messages and "column paid_minutes" in messages
    assert "column end has no value" in messages and "breaks row 1" in messages


def test_output_dir_malformed_csv_names_file_and_line(tmp_path):
    shifts = (
        "agent,shift_type,start,end,paid_minutes\n"
        "a,day,2024-01-01T09:00,2024-01-01T18:00,480\n"
        "b,day,2024-01-01Tnine,2024-01-01T18:00,480\n"
    )
    scenario, out = write_output(tmp_path, shifts=shifts, summary={"shifts": 2})
    report = check_output_dir(scenario, out)
    assert rules_of(report) == {"file": 1}
    assert "shifts.csv line 3" in report.violations[0].message


def test_output_dir_missing_column_is_a_file_violation(tmp_path):
    scenario, out = write_output(tmp_path, shifts="agent,start,end,paid_minutes\n")
    report = check_output_dir(scenario, out)
    assert rules_of(report) == {"file": 1}
    assert "shifts.csv line 1" in report.violations[0].message
    assert "shift_type" in report.violations[0].message


@pytest.mark.parametrize("missing", ["shifts.csv", "breaks.csv"])
def test_output_dir_missing_file(tmp_path, missing):
    scenario, out = write_output(tmp_path)
    (out / missing).unlink()
    report = check_output_dir(scenario, out)
    assert rules_of(report) == {"file": 1}
    assert missing in report.violations[0].message


def test_overtime_minutes_between_zero_and_paid_minutes():
    sc = make(allow_understaffing=True)
    row = shift("a", "2024-01-01T08:00", "2024-01-01T16:00")
    for overtime in ("", "0", "480"):  # all of it overtime: a pool rule, not a file error
        report = check(sc, [dict(row, overtime_minutes=overtime)])
        assert not rules_of(report)["file"], (overtime, report.violations)
    for overtime in ("-60", "481"):
        report = check(sc, [dict(row, overtime_minutes=overtime)])
        assert rules_of(report) == {"file": 1}
        assert "is not between 0 and paid_minutes" in report.violations[0].message
    bad = check(sc, [dict(row, overtime_minutes="1h")])
    assert rules_of(bad) == {"file": 1}
    assert "column pool/overtime_minutes" in bad.violations[0].message


def test_csv_that_cannot_be_read_raises_check_file_error(tmp_path):
    with pytest.raises(CheckFileError, match="shifts.csv: cannot be read"):
        read_shifts_csv(tmp_path / "shifts.csv")
    (tmp_path / "breaks.csv").write_bytes(b"agent,start,end,paid\n\xff\xfe,x,y,z\n")
    with pytest.raises(CheckFileError, match="breaks.csv: not a readable CSV file"):
        read_breaks_csv(tmp_path / "breaks.csv")
    (tmp_path / "breaks.csv").write_text("agent,start,end\n")
    with pytest.raises(CheckFileError, match="breaks.csv line 1: missing column"):
        read_breaks_csv(tmp_path / "breaks.csv")


def write_workbook(path, shifts_header, shifts_rows,
                   breaks_header=("agent", "start", "end", "paid"), breaks_rows=()):
    """A roster.xlsx as someone might leave it after editing; no Breaks sheet if
    `breaks_header` is None."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Shifts"
    for row in (shifts_header, *shifts_rows):
        sheet.append(list(row))
    if breaks_header is not None:
        breaks = book.create_sheet("Breaks")
        for row in (breaks_header, *breaks_rows):
            breaks.append(list(row))
    book.save(path)


def test_workbook_rows_read_like_csv_rows(tmp_path):
    path = tmp_path / "roster.xlsx"
    header = ("agent", "shift_type", "start", "end", "paid_minutes", "note")
    write_workbook(
        path, header,
        [("a", "day", datetime(2024, 1, 1, 8), datetime(2024, 1, 1, 16), 480.0, "edited"),
         (None,) * 6,  # an empty row is skipped
         (7, "day", "2024-01-01T09:00", "2024-01-01T17:00", 480, None)],
        breaks_rows=[("a", datetime(2024, 1, 1, 12), datetime(2024, 1, 1, 12, 30), False)],
    )
    shifts, breaks = read_workbook(path)
    assert shifts[0] == {"agent": "a", "shift_type": "day", "start": "2024-01-01T08:00",
                         "end": "2024-01-01T16:00", "paid_minutes": "480", "note": "edited",
                         "_file": "roster.xlsx sheet Shifts", "_line": 2}
    assert (shifts[1]["agent"], shifts[1]["_line"], shifts[1]["note"]) == ("7", 4, "")
    assert breaks[0]["paid"] == "false" and breaks[0]["end"] == "2024-01-01T12:30"
    report = check(make(allow_understaffing=True), shifts[:1], breaks)
    assert rules_of(report) == {"break_missing": 1}  # read fine; DAY_TYPE has no breaks


def test_workbook_that_cannot_be_used_raises_check_file_error(tmp_path):
    header = ("agent", "shift_type", "start", "end", "paid_minutes")
    write_workbook(tmp_path / "no_breaks.xlsx", header, [], breaks_header=None)
    with pytest.raises(CheckFileError, match="no sheet 'Breaks'"):
        read_workbook(tmp_path / "no_breaks.xlsx")
    write_workbook(tmp_path / "short.xlsx", header[:-1], [])
    with pytest.raises(CheckFileError, match="sheet Shifts row 1: missing column.s. paid_minutes"):
        read_workbook(tmp_path / "short.xlsx")
    (tmp_path / "broken.xlsx").write_text("not a zip file")
    with pytest.raises(CheckFileError, match="not a readable workbook"):
        read_workbook(tmp_path / "broken.xlsx")
