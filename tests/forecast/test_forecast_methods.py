"""The forecasting methods on series of known seasonality, the event and holiday effects,
the intervals and `auto`'s choice (scheduler/forecast)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from scheduler.forecast.backtest import ErrorModel, origins_for, run
from scheduler.forecast.core import make_forecast
from scheduler.forecast.effects import Calendar, EventSpec
from scheduler.forecast.history import History
from scheduler.forecast.methods import FUNCTIONS, MIN_DAYS, point_forecast, theil_sen

SPD = 24  # hourly slots keep the tests fast
START = dt.datetime(2026, 1, 5)  # a Monday


def pattern(days: int, spd: int = SPD, trend_per_week: float = 0.0) -> np.ndarray:
    """Known weekly x intraday seasonality: a day shape (closed 00:00-06:00) times a
    weekday factor, optionally growing linearly per week."""
    hour = np.arange(spd) * 24 / spd
    shape = np.where(hour < 6, 0.0, 1 + np.sin((hour - 6) / 18 * np.pi))
    weekday = np.array([1.0, 0.95, 0.9, 0.9, 0.85, 0.6, 0.5])
    t = np.arange(days)
    level = 100 * (1 + trend_per_week * t / 7)
    return (level[:, None] * weekday[t % 7, None] * shape[None, :]).reshape(-1)


@pytest.mark.parametrize("method", sorted(FUNCTIONS))
def test_each_method_recovers_a_known_weekly_and_daily_pattern(method):
    truth = pattern(12 * 7 + 14)
    history, future = truth[:12 * 7 * SPD], truth[12 * 7 * SPD:]
    f = point_forecast(method, history, SPD, len(future))
    wape = np.abs(f - future).sum() / future.sum()
    tolerance = {"mstl": 0.05, "ets": 0.01}.get(method, 1e-9)
    assert wape <= tolerance, (method, wape)
    assert (f[future == 0] == 0).all()  # closed hours stay closed


def test_profile_follows_a_trend_that_the_plain_median_misses():
    truth = pattern(10 * 7 + 7, trend_per_week=0.05)
    history, future = truth[:70 * SPD], truth[70 * SPD:]
    errors = {m: np.abs(point_forecast(m, history, SPD, len(future)) - future).sum() / future.sum()
              for m in ("weekly_median", "profile")}
    assert errors["profile"] < 0.5 * errors["weekly_median"]
    level, slope = theil_sen(np.array([10.0, 12, 14, 16, 100]))  # an outlier week
    assert slope == pytest.approx(2.0) and level == pytest.approx(18.0)


def _history(values: dict[str, np.ndarray], start=START) -> History:
    return History(start, 1440 // SPD, list(values), np.array(list(values.values()), float))


def test_event_uplift_and_its_midnight_spike_are_learnt_and_applied_with_a_multiplier():
    days = 30 * 7
    base = pattern(days + 14)
    day_of = lambda d: (d - START.date()).days  # noqa: E731
    past = [dt.date(2026, 3, 10), dt.date(2026, 3, 11)]
    y = base.copy().reshape(-1, SPD)
    y[day_of(past[0])] *= 1.5
    y[day_of(past[1])] *= 3.0
    y[day_of(past[1]), 0:2] = 400.0  # the sale opens at midnight: contacts in closed hours
    hist = _history({"voice": y.reshape(-1)[:days * SPD]})
    coming = (START.date() + dt.timedelta(days=days + 1), START.date() + dt.timedelta(days=days + 2))
    event = EventSpec("sale", [tuple(past)], coming[0], coming[1], multiplier=2.0)
    result = make_forecast(hist, START.date() + dt.timedelta(days=days), 7, "weekly_median",
                           events=[event])
    point = result.channels[0].point.reshape(7, SPD)
    truth = base[days * SPD:(days + 7) * SPD].reshape(7, SPD)
    assert point[1].sum() == pytest.approx(truth[1].sum() * 1.5 * 2.0, rel=1e-6)
    assert point[2].sum() == pytest.approx(
        (truth[2].sum() * 3.0 + 800) * 2.0 * truth[2].sum() / base.reshape(-1, SPD)[day_of(past[1])].sum(),
        rel=1e-6)
    assert point[2, 0] > 0 and point[2, 0] / point[2].sum() == pytest.approx(400 / y[day_of(past[1])].sum())
    np.testing.assert_allclose(point[[0, 3, 4, 5, 6]], truth[[0, 3, 4, 5, 6]], rtol=1e-9)


def test_holidays_are_learnt_as_day_effects():
    days = 20 * 7
    y = pattern(days + 7).reshape(-1, SPD)
    holidays = {START.date() + dt.timedelta(days=d) for d in (30, 65, 101)}
    for d in holidays:
        y[(d - START.date()).days] *= 0.4
    coming = START.date() + dt.timedelta(days=days + 2)
    hist = _history({"voice": y.reshape(-1)[:days * SPD]})
    cal = Calendar(holidays | {coming})
    with_cal = make_forecast(hist, START.date() + dt.timedelta(days=days), 7, "weekly_median",
                             calendar=cal).channels[0].point.reshape(7, SPD)
    truth = pattern(days + 7).reshape(-1, SPD)[days:]
    assert with_cal[2].sum() == pytest.approx(0.4 * truth[2].sum())
    np.testing.assert_allclose(with_cal[3], truth[3])  # other days: the clean baseline


def test_intervals_cover_about_their_share_and_never_cross():
    rng = np.random.default_rng(3)
    lam = pattern(26 * 7)
    y = rng.poisson(lam).astype(float)
    hist = _history({"voice": y[:24 * 7 * SPD]})
    result = make_forecast(hist, START.date() + dt.timedelta(days=24 * 7), 14, "profile",
                           quantiles=(0.1, 0.5, 0.9), origins=6)
    ch = result.channels[0]
    assert (ch.quantiles[0.1] <= ch.quantiles[0.5]).all()
    assert (ch.quantiles[0.5] <= ch.quantiles[0.9]).all()
    actual = y[24 * 7 * SPD:]
    open_ = lam[24 * 7 * SPD:] > 0
    inside = (actual >= ch.quantiles[0.1]) & (actual <= ch.quantiles[0.9])
    assert 0.7 <= inside[open_].mean() <= 0.92
    model = ErrorModel.fit(np.full(100, 10.0), np.full(100, 10.0), (0.5,))
    assert model.apply(np.array([10.0]), 0.5)[0] == pytest.approx(10.0)


def test_auto_picks_per_channel_the_method_with_the_lowest_backtest_wape():
    clean = pattern(15 * 7)
    spiky = clean.copy().reshape(-1, 7 * SPD)
    spiky[-1] *= 1.8  # the last week is an outlier: the naive method copies it
    spiky[-2] *= 0.5
    hist = _history({"steady": clean, "spiky": spiky.reshape(-1)})
    result = make_forecast(hist, START.date() + dt.timedelta(days=15 * 7), 7, "auto", origins=2)
    for ch in result.channels:
        best = min(ch.scores, key=lambda m: ch.scores[m].wape)
        assert ch.scores[ch.method].wape == ch.scores[best].wape
    spiky_ch = result.channels[1]
    assert spiky_ch.method != "seasonal_naive"
    assert spiky_ch.scores["seasonal_naive"].wape > spiky_ch.scores[spiky_ch.method].wape


def test_backtest_origins_keep_the_history_each_method_needs():
    n = 40 * SPD
    points = origins_for(n, SPD, 7, 5, 7, MIN_DAYS["ets"])
    assert points == [26 * SPD, 33 * SPD]  # 40 - 7 - 7k days, at least 21 (19 is too few)
    bt = run("seasonal_naive", pattern(40), SPD, 7, points)
    assert bt.scores(7, SPD).wape == pytest.approx(0.0)
    assert bt.lower[0] is None and bt.lower[1] is not None  # intervals from earlier origins


def test_the_ensemble_is_the_mean_of_its_three_methods_and_keeps_closed_slots_shut():
    y = pattern(70, trend_per_week=0.05)  # 10 weeks: the last 8 decide what is closed
    horizon = 14 * SPD
    parts = [point_forecast(m, y, SPD, horizon) for m in ("weekly_median", "profile", "ets")]
    mixed = point_forecast("ensemble", y, SPD, horizon)
    np.testing.assert_allclose(mixed, sum(parts) / 3, rtol=1e-9, atol=1e-9)
    closed = (y[-8 * 7 * SPD:].reshape(8, 7 * SPD) == 0).all(axis=0)
    assert closed.any() and (np.resize(closed, horizon) <= (mixed == 0)).all()
    assert MIN_DAYS["ensemble"] == max(MIN_DAYS[m] for m in ("weekly_median", "profile", "ets"))


def test_intervals_widen_with_the_lead_when_errors_do():
    spd, days = 24, 28
    rng = np.random.default_rng(5)
    lead = np.tile(np.arange(days * spd), 12)  # twelve origins of 28 days
    forecast = np.full(lead.size, 100.0)
    spread = np.where(lead < spd, 0.02, np.where(lead < 7 * spd, 0.08, 0.2))
    actual = forecast * np.exp(rng.normal(0, spread))
    model = ErrorModel.fit(forecast, actual, (0.1, 0.9), lead, spd)
    f = np.full(days * spd, 100.0)
    width = model.apply(f, 0.9) - model.apply(f, 0.1)
    next_day, week, later = width[0], width[3 * spd], width[20 * spd]
    assert next_day < week < later
    # a forecast that starts 10 days after the origin is judged at its own leads
    assert model.apply(f[:24], 0.9, first_lead=10 * spd)[0] == pytest.approx(
        model.apply(f, 0.9)[10 * spd])
    # without leads: one distribution for every lead, as before
    flat = ErrorModel.fit(forecast, actual, (0.1, 0.9))
    flat_width = flat.apply(f, 0.9) - flat.apply(f, 0.1)
    assert np.ptp(flat_width) == 0 and next_day < flat_width[0] < later
    # a lead with fewer than 200 errors of its own borrows every lead's: 6 origins give
    # the next day 144
    few = np.arange(lead.size) < 6 * days * spd  # the first six origins
    borrowed = ErrorModel.fit(forecast[few], actual[few], (0.1, 0.9), lead[few], spd)
    w = borrowed.apply(f, 0.9) - borrowed.apply(f, 0.1)
    assert w[0] > w[3 * spd]
