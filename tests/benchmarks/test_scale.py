"""benchmarks/scale.py: the issue's time limit for each case of the grid."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT / "benchmarks"))  # scale.py imports its sibling modules
_spec = importlib.util.spec_from_file_location("scale", PROJECT / "benchmarks" / "scale.py")
scale = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(scale)


def test_plan_limits_10_s_for_a_day_or_a_week_60_s_for_four_weeks():
    # the promotion week is a week (its token "promo" ends in "o" like an open horizon's)
    for horizon in ("1", "1o", "7", "7o", "promo"):
        assert scale.default_limit("plan", horizon) == 10.0, horizon
    for horizon in ("28", "28o"):
        assert scale.default_limit("plan", horizon) == 60.0, horizon


def test_rosters_120_s_and_first_rosters_10_s_whatever_the_horizon():
    for horizon in ("1", "7", "28", "28o", "promo"):
        assert scale.default_limit("roster", horizon) == 120.0
        assert scale.default_limit("first", horizon) == 10.0


def test_big_cases_get_the_issues_300_s_roster_limit():
    assert scale.default_limit("roster", "91") == 300.0
    assert scale.default_limit("roster", "91o") == 300.0
    assert scale.default_limit("roster", "28", 2000) == 300.0
    assert scale.default_limit("roster", "28", 1000) == 120.0
    assert scale.default_limit("roster", "28v", 200) == 120.0
    assert scale.default_limit("plan", "91") == 60.0
    assert scale.default_limit("first", "91", 2000) == 10.0


def test_horizon_tokens():
    assert scale.parse_horizon("28") == scale.Horizon(28, True)
    assert scale.parse_horizon("28o") == scale.Horizon(28, False)
    assert scale.parse_horizon("91o") == scale.Horizon(91, False)
    assert scale.parse_horizon("28v") == scale.Horizon(28, True, scale.MONTH_WEEK_FACTORS)
    assert scale.parse_horizon("28vo") == scale.Horizon(28, False, scale.MONTH_WEEK_FACTORS)
    assert sorted(scale.MONTH_WEEK_FACTORS) == [0.94, 1.0, 1.0, 1.12]
    for bad in ("7v", "28x", "o", "0", "promo2", "28ov"):
        with pytest.raises(ValueError):
            scale.parse_horizon(bad)
    assert [scale.horizon_label(t) for t in ("7", "28o", "28v", "28vo", "91", "promo")] == [
        "7 d", "28 d open", "28 d, weeks differ", "28 d open, weeks differ", "91 d",
        "promo week"]


def _case(tmp_path, horizon: str, peak: int):
    from scheduler.workload.loaded import load_scenario

    folder = tmp_path / horizon
    loaded = load_scenario(scale.make_case(folder, "first", horizon, peak, 10.0))
    return loaded.scenario.horizon, loaded.required


def _week_sums(required: list[int]) -> list[int]:
    per_week = 7 * 24 * 60 // scale.SLOT
    return [sum(required[w * per_week:(w + 1) * per_week])
            for w in range(len(required) // per_week)]


def test_a_month_whose_weeks_differ(tmp_path):
    plain_h, plain = _case(tmp_path, "28", 200)
    for token, cyclic in (("28v", True), ("28vo", False)):
        h, required = _case(tmp_path, token, 200)
        assert (h.days, h.cyclic, h.start_date) == (28, cyclic, scale.START)
        assert max(required) == 200  # the busiest slot, in the busy week, is the peak
        # same base and noise as the plain month: each week's sum against week 1's moves
        # by the week's factor (to the rounding of whole agents)
        sums, base = _week_sums(required), _week_sums(plain)
        for week, factor in enumerate(scale.MONTH_WEEK_FACTORS):
            assert sums[week] / sums[0] == pytest.approx(factor * base[week] / base[0],
                                                         rel=2e-3), (token, week)
    # the plain tokens are unchanged: no week factor
    assert max(plain) == 200 and plain_h.cyclic


def test_a_quarter_and_a_big_centre(tmp_path):
    h, required = _case(tmp_path, "91", 200)
    assert (h.days, h.cyclic, len(required)) == (91, True, 91 * 48)
    h, required = _case(tmp_path, "91o", 200)
    assert (h.days, h.cyclic) == (91, False)
    h, required = _case(tmp_path, "28", 2000)
    assert (h.days, h.cyclic, max(required)) == (28, True, 2000)
