"""An output directory's coverage.csv and summary.json against the checker's figures."""

from __future__ import annotations

from datetime import datetime

from scheduler.check import (
    check_output_dir,
    read_breaks_csv,
    read_shifts_csv,
)
from tests.check.check_cases import (
    rules_of,
    write_output,
)


def test_output_dir_consistent(tmp_path):
    scenario, out = write_output(tmp_path)
    report = check_output_dir(scenario, out)
    assert report.ok, report.violations
    assert report.over_agent_slots == 1
    assert read_breaks_csv(out / "breaks.csv")[0]["_line"] == 2
    assert read_shifts_csv(out / "shifts.csv")[0]["cost"] == "8.0"


def test_output_dir_summary_mismatch(tmp_path):
    scenario, out = write_output(tmp_path, summary={"paid_hours": 8.02, "headcount": 2})
    report = check_output_dir(scenario, out)
    assert rules_of(report) == {"summary_mismatch": 2}
    keys = {k for v in report.violations for k in ("paid_hours", "headcount") if k in v.message}
    assert keys == {"paid_hours", "headcount"}


def test_output_dir_coverage_file_mismatch(tmp_path):
    scenario, out = write_output(tmp_path)
    text = (out / "coverage.csv").read_text()
    text = text.replace("2024-01-01T12:00,0,0", "2024-01-01T12:00,0,1")
    (out / "coverage.csv").write_text(text)
    report = check_output_dir(scenario, out)
    assert rules_of(report) == {"coverage_file_mismatch": 1}
    assert report.violations[0].time == datetime(2024, 1, 1, 12, 0)
