"""Reading roster files: rows with bad values become "file" violations naming file, line
and column; files that cannot be read at all are CheckFileError (or "file" violations in
check_output_dir)."""

from __future__ import annotations

import pytest

from scheduler.check import check_output_dir
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
