"""An output directory's coverage.csv and summary.json against the checker's figures."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

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



def rewrite_summary(out: Path, **changes) -> None:
    summary = json.loads((out / "summary.json").read_text()) | changes
    (out / "summary.json").write_text(json.dumps(summary))


def test_summary_cost_within_a_cent_a_shift(tmp_path):
    # the roster costs 8 h at 1.0 an hour; the tolerance is 0.01 x (shifts + 1) = 0.02
    scenario, out = write_output(tmp_path, summary={"cost": 8.02})
    assert check_output_dir(scenario, out).ok
    rewrite_summary(out, cost=8.03)
    report = check_output_dir(scenario, out)
    assert rules_of(report) == {"summary_mismatch": 1}
    assert "cost is 8.03, the roster gives 8.00" in report.violations[0].message


def test_summary_overtime_hours(tmp_path):
    scenario, out = write_output(tmp_path, summary={"overtime_hours": 0.01})
    assert check_output_dir(scenario, out).ok
    rewrite_summary(out, overtime_hours=0.5)
    report = check_output_dir(scenario, out)
    assert rules_of(report) == {"summary_mismatch": 1}
    assert "overtime_hours is 0.5, the roster gives 0" in report.violations[0].message


def test_summary_of_an_unsolved_run_may_leave_figures_empty(tmp_path):
    empty = {"status": "infeasible", "headcount": None, "paid_hours": None, "cost": 123}
    scenario, out = write_output(tmp_path, summary=empty)
    assert check_output_dir(scenario, out).ok  # the cost is compared only when solved
    rewrite_summary(out, status="optimal")
    report = check_output_dir(scenario, out)
    assert rules_of(report) == {"summary_mismatch": 3}
    rewrite_summary(out, status="infeasible", headcount=1, paid_hours=8)
    summary = json.loads((out / "summary.json").read_text())
    del summary["shifts"]
    (out / "summary.json").write_text(json.dumps(summary))
    report = check_output_dir(scenario, out)
    assert rules_of(report) == {"summary_mismatch": 1}
    assert "key 'shifts' is missing" in report.violations[0].message


def test_summary_that_is_not_a_json_object_is_a_file_violation(tmp_path):
    scenario, out = write_output(tmp_path)
    for text, message in (("{", "not readable JSON"), ("[1]", "not a JSON object")):
        (out / "summary.json").write_text(text)
        report = check_output_dir(scenario, out)
        assert rules_of(report) == {"file": 1}
        assert message in report.violations[0].message


def test_coverage_file_missing_a_slot(tmp_path):
    scenario, out = write_output(tmp_path)
    lines = (out / "coverage.csv").read_text().splitlines(keepends=True)
    (out / "coverage.csv").write_text("".join(lines[:-1]))  # no 23:00 row
    report = check_output_dir(scenario, out)
    assert rules_of(report) == {"coverage_file_mismatch": 1}
    assert "1 slot(s) of the horizon have no row (first 2024-01-01 23:00)" in (
        report.violations[0].message)
