"""The comparison logic of benchmarks/regress.py (pure functions and its exit status)."""

from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("regress", PROJECT / "benchmarks" / "regress.py")
regress = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("regress", regress)  # dataclasses look their module up
_spec.loader.exec_module(regress)

SCALE = regress.detect(["level", "horizon", "peak", "method", "gap", "seconds", "status"])
PEER = regress.detect(["case", "engine", "setting", "paid_hours", "short_agent_slots", "seconds"])
TH = regress.Thresholds(gap_tolerance=0.001, time_factor=1.5, time_min=2.0)


def row(gap="0.002", seconds="10", status="feasible", **kw):
    return {"level": "plan", "horizon": "7", "peak": "200", "method": "highs", "gap": gap,
            "seconds": seconds, "status": status, **kw}


def test_detect_picks_the_kind_by_its_key_columns():
    assert SCALE.name == "scale"
    assert PEER.name == "peer"
    assert regress.detect(["set", "instance", "gap", "seconds"]).name == "msd"
    with pytest.raises(ValueError):
        regress.detect(["foo", "seconds"])


def test_gap_worse_by_more_than_the_tolerance_is_flagged():
    why = regress.compare_row(SCALE, row(gap="0.002"), row(gap="0.0031"), TH)
    assert len(why) == 1 and why[0].startswith("gap")


def test_gap_worse_by_exactly_the_tolerance_is_not_flagged():
    assert regress.compare_row(SCALE, row(gap="0.002"), row(gap="0.003"), TH) == []


def test_a_better_gap_is_not_flagged():
    assert regress.compare_row(SCALE, row(gap="0.01"), row(gap="0"), TH) == []


def test_losing_the_solution_is_flagged():
    why = regress.compare_row(SCALE, row(), row(gap="", status="unknown"), TH)
    assert any(w.startswith("status") for w in why)
    assert any(w.startswith("gap") for w in why)


def test_slowdown_beyond_factor_and_minimum_is_flagged():
    why = regress.compare_row(SCALE, row(seconds="10"), row(seconds="15.1"), TH)
    assert len(why) == 1 and why[0].startswith("seconds")


def test_slowdown_at_exactly_the_factor_is_not_flagged():
    assert regress.compare_row(SCALE, row(seconds="10"), row(seconds="15"), TH) == []


def test_large_factor_below_the_minimum_seconds_is_noise():
    assert regress.compare_row(SCALE, row(seconds="0.5"), row(seconds="2.4"), TH) == []
    assert regress.compare_row(SCALE, row(seconds="0.5"), row(seconds="2.5"), TH) != []


def test_peer_rows_compare_paid_hours_relatively_and_short_slots_exactly():
    old = {"case": "w", "engine": "ours", "setting": "s", "paid_hours": "1000",
           "short_agent_slots": "0", "seconds": "5"}
    assert regress.compare_row(PEER, old, {**old, "paid_hours": "1001"}, TH) == []
    assert regress.compare_row(PEER, old, {**old, "paid_hours": "1001.5"}, TH) != []
    assert regress.compare_row(PEER, old, {**old, "short_agent_slots": "1"}, TH) != []


def test_compare_matches_rows_by_key_and_lists_the_unmatched():
    old = [row(peak="50"), row(peak="200")]
    new = [row(peak="200", gap="0.05"), row(peak="1000")]
    flagged, missing, added = regress.compare(SCALE, old, new, TH)
    assert list(flagged) == [("plan", "7", "200", "highs")]
    assert missing == [("plan", "7", "50", "highs")]
    assert added == [("plan", "7", "1000", "highs")]


def _write(path: Path, rows: list[dict]) -> Path:
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path


def test_main_exit_status(tmp_path, capsys):
    base = _write(tmp_path / "base.csv", [row()])
    same = _write(tmp_path / "same.csv", [row(seconds="11")])
    worse = _write(tmp_path / "worse.csv", [row(gap="0.01")])
    assert regress.main([str(same), "--baseline", str(base)]) == 0
    assert regress.main([str(worse), "--baseline", str(base)]) == 1
    assert "WORSE plan/7/200/highs" in capsys.readouterr().out
    other = _write(tmp_path / "other.csv", [{"foo": "1"}])
    assert regress.main([str(other), "--baseline", str(base)]) == 2


def test_peer_runs_are_matched_run_by_run_and_a_file_without_runs_is_run_0():
    one = {"case": "w", "engine": "ours", "setting": "s", "paid_hours": "1000",
           "short_agent_slots": "0", "seconds": "5"}
    old = [one]
    new = [{**one, "run": "0"}, {**one, "run": "1", "paid_hours": "1100"}]
    flagged, missing, added = regress.compare(PEER, old, new, TH)
    assert flagged == {} and missing == []
    assert added == [("w", "ours", "s", "run 1")]
    flagged, _, _ = regress.compare(PEER, new, [{**one, "run": "1"}], TH)
    assert flagged == {}  # run 1 got better: 1100 -> 1000
    flagged, _, _ = regress.compare(PEER, [{**one, "run": "1"}], new, TH)
    assert list(flagged) == [("w", "ours", "s", "run 1")]
