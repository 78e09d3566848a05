"""benchmarks/scale.py: the issue's time limit for each case of the grid."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

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
