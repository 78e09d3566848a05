"""The bundled presets hold the figures their comments and sources state."""

from __future__ import annotations

from scheduler.scenario.files import read_yaml
from scheduler.scenario.presets import CONFIG_DIR
from scheduler.workload.loaded import load_scenario
from tests.conftest import small_scenario


def test_china_standard_is_8_hours_a_day_40_a_week_6_days_in_7(write_scenario):
    """State Council Provisions on Working Hours of Employees art. 3 (as amended 25 March
    1995): 8 h a day, 40 h a week; Labour Law art. 38: at least one day off a week."""
    path = CONFIG_DIR / "rules" / "china-standard.yaml"
    data, _ = read_yaml(path)
    assert data == {"max_daily_paid_hours": 8, "max_weekly_paid_hours": 40,
                    "max_days_per_week": 6}
    text = path.read_text(encoding="utf-8")
    assert "国务院关于职工工作时间的规定" in text and "25 March 1995" in text
    assert "art. 38" in text

    scenario = small_scenario()
    scenario["rules"] = {"preset": "china-standard"}
    rules = load_scenario(write_scenario(scenario)).scenario.rules
    assert rules.max_daily_paid_hours == 8
    assert rules.max_weekly_paid_hours == 40
    assert rules.max_days_per_week == 6
