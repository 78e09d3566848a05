"""Tests of the synthetic demand generator and the bundled scenarios it writes."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
from pathlib import Path

import numpy as np
import pytest
import yaml

from scheduler.models import Scenario, ShiftType
from scheduler.datasets import synth

ROOT = Path(__file__).resolve().parents[2]
MONDAY = dt.date(2026, 11, 16)


def _scenarios_script(name: str):
    """A script of scenarios/ (make_scenarios, make_workload) as a module."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scenarios" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _hour(slot_index: int, slot_minutes: int) -> float:
    return slot_index * slot_minutes / 60


# ---------------------------------------------------------------- shapes


@pytest.mark.parametrize("slot", [15, 30, 60])
def test_daily_profile_shape(slot):
    p = np.array(synth.daily_profile(slot))
    assert len(p) == 1440 // slot
    assert p.max() == pytest.approx(1.0)
    assert 10 <= _hour(int(p.argmax()), slot) < 11  # first peak 10:00-11:00
    assert 3 <= _hour(int(p.argmin()), slot) < 6  # trough 03:00-06:00
    assert 0.08 <= p.min() <= 0.12
    per_hour = 60 // slot

    def at(hh: float) -> float:
        return float(p[int(hh * per_hour)])

    assert at(0) == pytest.approx(0.45, abs=0.05)
    assert 0.75 <= min(at(12), at(12.5), at(13)) <= 0.85  # lunch dip
    assert 0.8 <= at(15) <= 0.9  # afternoon plateau
    evening = p[20 * per_hour : 22 * per_hour]
    assert 0.95 <= evening.max() <= 1.0
    assert at(7) > 1.5 * at(5)  # morning ramp under way by 07:00


def test_weekly_factors():
    f = synth.weekly_factors()
    assert len(f) == 7 and f[0] == 1.0 == max(f)
    assert all(0.85 <= x <= 0.9 for x in f[5:])
    assert max(f[5:]) < min(f[:5])


# ---------------------------------------------------------------- demand


@pytest.mark.parametrize("peak", [0, 1, 4, 60, 263, 1000])
@pytest.mark.parametrize("seed", [0, 7])
def test_peak_exactly_reached(peak, seed):
    d = synth.make_demand(MONDAY, 7, 30, peak, seed=seed)
    assert len(d) == 7 * 48
    assert all(isinstance(v, int) and v >= 0 for v in d)
    assert max(d) == peak


def test_peak_exact_with_events_and_other_slots():
    for slot in (15, 60):
        d = synth.make_demand(
            dt.date(2026, 11, 1), 14, slot, 250, seed=3, events=synth.double11_events(2026)
        )
        assert len(d) == 14 * 1440 // slot and max(d) == 250


def test_trough_in_early_morning():
    d = np.array(synth.make_demand(MONDAY, 7, 30, 60, seed=5)).reshape(7, 48)
    for day in d:
        trough = int(np.argmin(day))
        assert 3 <= _hour(trough, 30) < 6.5
        assert day[6:12].mean() < 0.15 * day.max() + 1  # 03:00-06:00 near 10 % of peak


def test_noise_is_bounded():
    clean = synth.relative_demand(MONDAY, 7, 30, noise=0.0)
    noisy = synth.relative_demand(MONDAY, 7, 30, seed=9)
    ratio = noisy / clean
    assert ratio.min() >= 0.97 - 1e-12 and ratio.max() <= 1.03 + 1e-12
    assert not np.allclose(ratio, 1.0)


def test_determinism():
    events = synth.double11_events(2026)
    a = synth.make_demand(dt.date(2026, 11, 1), 14, 30, 200, seed=42, events=events)
    b = synth.make_demand(dt.date(2026, 11, 1), 14, 30, 200, seed=42, events=events)
    c = synth.make_demand(dt.date(2026, 11, 1), 14, 30, 200, seed=43, events=events)
    assert a == b
    assert a != c


def test_double11_shape():
    start = dt.date(2026, 11, 1)
    rel = synth.relative_demand(start, 14, 30, seed=0, events=synth.double11_events(2026))
    days = rel.reshape(14, 48)
    nov = lambda d: days[d - 1]  # noqa: E731
    spike = nov(11)[0:4]  # 00:00-02:00 on the 11th
    # The midnight rush: about 4-5x an ordinary peak, above anything on the 10th.
    assert spike.min() >= 4.0 and spike.max() <= 5.0
    assert spike.min() > nov(10).max()
    assert int(np.argmax(rel)) // 48 == 10
    # ... decaying through the night.
    assert nov(11)[10] < 0.5 * spike.min()  # 05:00
    # The evening of the 10th builds up towards midnight.
    assert nov(10)[47] > nov(10)[40] and nov(10)[47] > 1.9
    # Pre-sale ramp, the day of the 11th at ~3x, the after-sale wave.
    assert nov(1).max() < nov(5).max() < nov(9).max()
    assert 2.6 <= nov(11)[16:44].max() <= 3.1
    peaks = [nov(d).max() for d in (12, 13, 14)]
    assert peaks[0] > peaks[1] > peaks[2] > nov(1).max()


def test_double11_peak_relative_to_normal():
    start = dt.date(2026, 11, 1)
    events = synth.double11_events(2026)
    rel = synth.relative_demand(start, 14, 30, seed=11, events=events)
    peak = round(60 * float(rel.max()))
    d = np.array(synth.make_demand(start, 14, 30, peak, seed=11, events=events)).reshape(14, 48)
    assert 240 <= peak <= 300
    assert d[10, 0:4].min() > d[9].max()  # after 00:00 on the 11th vs the 10th's peak


# ---------------------------------------------------------------- shift types


def test_standard_shift_types_valid_and_breaks_apply_to_their_length():
    types = synth.standard_shift_types()
    assert [t["name"] for t in types] == ["flex-4h", "flex-6h", "flex-8h", "flex-9h"]
    for t in types + [synth.night_shift_type()]:
        assert set(t) <= set(ShiftType.model_fields)
        st = ShiftType.model_validate(t)
        (hours,) = st.paid_hours
        breaks = st.breaks_for(round(hours * 60))
        expected = 0 if hours < 6 else 30 if hours < 8 else 60
        assert sum(b.duration_minutes for b in breaks) == expected
        assert all(not b.paid for b in breaks)
    six = ShiftType.model_validate(types[1]).breaks[0]
    assert (six.earliest_start_minutes, six.latest_start_minutes, six.min_shift_hours) == (120, 240, 6)
    eight = ShiftType.model_validate(types[2]).breaks[0]
    assert (eight.earliest_start_minutes, eight.latest_start_minutes, eight.min_shift_hours) == (180, 300, 8)


# ---------------------------------------------------------------- writing


def _validate(path: Path) -> Scenario:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    preset = (data.get("rules") or {}).get("preset")
    if preset:
        base = yaml.safe_load((ROOT / "configs" / "rules" / f"{preset}.yaml").read_text())
        data["rules"] = {**base, **data["rules"]}
    return Scenario.model_validate(data)


def test_write_scenario_csv_rows(tmp_path):
    demand = synth.make_demand(MONDAY, 7, 30, 60, seed=1)
    path = synth.write_scenario(
        tmp_path / "wk.yaml", "wk", MONDAY, 7, 30, demand, synth.standard_shift_types(),
        {"preset": "five-day-week", "max_weekly_paid_hours": 45}, description="a test",
        cyclic=True, floor=2, solver={"time_limit_seconds": 60, "workers": 2},
    )
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# ")
    scenario = _validate(path)
    assert scenario.demand.file == "wk_demand.csv" and scenario.demand.floor == 2
    assert scenario.horizon.cyclic and scenario.rules.max_weekly_paid_hours == 45
    with (tmp_path / "wk_demand.csv").open(newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["start", "required"]
    assert len(rows) - 1 == 7 * 48
    assert rows[1][0] == "2026-11-16T00:00" and rows[-1][0] == "2026-11-22T23:30"
    assert [int(r[1]) for r in rows[1:]] == demand


def test_write_scenario_inline(tmp_path):
    demand = synth.make_demand(MONDAY, 1, 60, 4)
    types = synth.standard_shift_types((4, 8), "00:00", "23:00", 60)
    path = synth.write_scenario(
        tmp_path / "t.yaml", "t", MONDAY, 1, 60, demand, types, None, cyclic=True, inline=True
    )
    scenario = _validate(path)
    assert list(scenario.demand.required) == demand
    assert not (tmp_path / "t_demand.csv").exists()


def test_write_scenario_rejects_wrong_length(tmp_path):
    with pytest.raises(ValueError):
        synth.write_scenario(
            tmp_path / "x.yaml", "x", MONDAY, 1, 30, [1] * 47, synth.standard_shift_types(), None
        )


# ---------------------------------------------------------------- bundled scenarios


@pytest.mark.parametrize("name", ["normal_week.yaml", "double11.yaml", "618.yaml", "tiny.yaml"])
def test_bundled_scenarios_valid(name):
    summary = _scenarios_script("make_scenarios").validate(ROOT / "scenarios" / name)
    # double11 and 618 hold the baseline demand; their events multiply it (see below)
    expected = {"normal_week.yaml": (60, 336), "tiny.yaml": (4, 24),
                "double11.yaml": (60, 24 * 48), "618.yaml": (60, 21 * 48)}
    assert (summary["peak"], summary["slots"]) == expected[name]


def test_bundled_scenarios_are_regenerated_identically(tmp_path):
    module = _scenarios_script("make_scenarios")
    assert module.main(["--out", str(tmp_path)]) == 0
    for path in sorted(tmp_path.iterdir()):
        bundled = ROOT / "scenarios" / path.name
        assert bundled.read_bytes() == path.read_bytes(), f"{path.name} is stale: rerun the script"


def test_double11_events_multiply_the_baseline():
    from scheduler.workload.loaded import load_scenario
    from scheduler.scenario.demand import read_demand_csv

    loaded = load_scenario(ROOT / "scenarios" / "double11.yaml")
    sc = loaded.scenario
    start = dt.datetime.combine(sc.horizon.start_date, dt.time())
    baseline = read_demand_csv(ROOT / "scenarios" / "double11_demand.csv", start, 30,
                               sc.horizon.num_slots)
    per_day = 48
    nov11 = (dt.date(2026, 11, 11) - sc.horizon.start_date).days * per_day
    floor = sc.demand.floor
    # the rush right after 00:00: 3x the day, 1.5x on top for two hours, rounded up
    for s in range(nov11, nov11 + 4):
        assert loaded.required[s] == max(floor, -(-baseline[s] * 45 // 10))
    # the normal week before the pre-sale is the baseline itself
    assert list(loaded.required[:7 * per_day]) == [max(floor, v) for v in baseline[:7 * per_day]]
    # after-sale on 12 November at 2x
    nov12 = nov11 + per_day
    assert loaded.required[nov12 + 20] == max(floor, 2 * baseline[nov12 + 20])


def test_the_skills_week_is_regenerated_identically_and_splits_its_queues(tmp_path):
    from scheduler.workload.loaded import load_scenario

    path = _scenarios_script("make_workload").build_skills(tmp_path)
    for name in ("double11_skills.yaml", "double11_skills_volume.csv"):
        bundled = (ROOT / "scenarios" / name).read_bytes()
        assert bundled == (tmp_path / name).read_bytes(), f"{name} is stale: rerun the script"
    loaded = load_scenario(path)
    sc = loaded.scenario
    assert sc.splits_queues and sc.solver.time_limit_seconds == 90
    assert loaded.queues == ("presale-chat", "order-chat", "aftersale-voice",
                             "aftersale-chat", "complaints-voice")
    assert [p.name for p in sc.pools] == ["junior", "mid", "senior", "temporary"]
    assert sc.queues_served(sc.pools[3]) == ["presale-chat"]
    assert sc.pools[2].handle_time_factor == {"aftersale-voice": 0.8}
    assert sc.channels[0].bot_containment == 0.3
    # complaints get work escalated from after-sale: more than their own forecast
    complaints = loaded.staffing.channels[4]
    assert (complaints.escalated_in > 0).any()
    # the 11th is the pre-sale and order peak, after-sale peaks on the 12th
    per_day = 48
    daily = {q: [sum(v[d * per_day:(d + 1) * per_day]) for d in range(7)]
             for q, v in loaded.queue_required.items()}
    assert max(range(7), key=daily["order-chat"].__getitem__) == 2
    assert max(range(7), key=daily["aftersale-voice"].__getitem__) == 3
