"""benchmarks/results_csv.py: results CSVs are written whole or not at all."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("results_csv",
                                               PROJECT / "benchmarks" / "results_csv.py")
results_csv = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(results_csv)


def test_rows_are_written_with_the_given_columns(tmp_path):
    path = tmp_path / "out" / "r.csv"
    results_csv.write_rows(path, [{"a": 1, "b": 2}, {"a": 3, "b": 4}], ["b", "a"])
    with open(path, newline="") as f:
        assert list(csv.reader(f)) == [["b", "a"], ["2", "1"], ["4", "3"]]
    assert sorted(p.name for p in path.parent.iterdir()) == ["r.csv"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("a\n1\n")
    with pytest.raises(ValueError):  # a row with a column the header does not have
        results_csv.write_rows(path, [{"a": 1, "c": 2}], ["a"])
    assert path.read_text() == "a\n1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["r.csv"]
