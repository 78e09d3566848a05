"""Point forecasts of one channel's contacts per slot, H slots past the end of its
history `y` (a 1-D array, no NaN, special days already replaced by the baseline; see
effects.py). Everything is positional: a day is `spd` slots and a week 7 x spd slots
counted back from the end of the history, so the history may start at any slot.

* seasonal_naive: the same slot a week earlier (the last week repeated).
* weekly_median: per slot of the week, the median of the last 8 weeks.
* profile: a robust weekly x intraday profile: the median over recent weeks of each
  week's shape (its slots over its total) times a level with a trend: Theil-Sen slope of
  the weekly totals, damped going forward.
* ets: daily totals by exponential smoothing (additive damped trend, additive weekly
  season; statsmodels' Holt-Winters) times each weekday's median intraday shape.
* mstl: statsmodels' MSTL decomposition (one pass) of the square root of the last 8 weeks with
  daily and weekly seasons; the seasons repeated, the trend's last weekly slope
  damped.

MIN_DAYS says how much history each needs."""

from __future__ import annotations

import warnings

import numpy as np

MIN_DAYS = {"seasonal_naive": 7, "weekly_median": 14, "profile": 14, "ets": 21, "mstl": 21,
            "ensemble": 21}
"""Days of history each method needs at least."""
PROFILE_WEEKS = 8
"""Weeks of history behind weekly_median and profile ("the 8-week median profile")."""
ETS_DAYS = 16 * 7
MSTL_WEEKS = 8
TREND_DAMPING = 0.8
"""profile: each week ahead adds this power of the weekly slope (0.8: the trend fades)."""


def _weeks(y: np.ndarray, spd: int, weeks: int) -> np.ndarray:
    week = 7 * spd
    k = min(weeks, len(y) // week)
    return y[len(y) - k * week:].reshape(k, week)


def seasonal_naive(y: np.ndarray, spd: int, horizon: int) -> np.ndarray:
    week = 7 * spd
    return np.resize(y[-week:], horizon).astype(float)


def weekly_median(y: np.ndarray, spd: int, horizon: int, weeks: int = PROFILE_WEEKS) -> np.ndarray:
    return np.resize(np.median(_weeks(y, spd, weeks), axis=0), horizon)


def theil_sen(values: np.ndarray) -> tuple[float, float]:
    """Robust line through (i, values[i]): the median of pairwise slopes, and the median
    intercept; (level at the last point, slope)."""
    k = len(values)
    if k < 2:
        return float(values[-1]) if k else 0.0, 0.0
    i, j = np.triu_indices(k, 1)
    slope = float(np.median((values[j] - values[i]) / (j - i)))
    intercept = float(np.median(values - slope * np.arange(k)))
    return intercept + slope * (k - 1), slope


def profile(y: np.ndarray, spd: int, horizon: int, weeks: int = PROFILE_WEEKS,
            damping: float = TREND_DAMPING) -> np.ndarray:
    block = _weeks(y, spd, weeks)
    totals = block.sum(axis=1)
    good = totals > 0
    if not good.any():
        return np.zeros(horizon)
    shape = np.median(block[good] / totals[good, None], axis=0)
    shape = shape / shape.sum() if shape.sum() > 0 else np.full(block.shape[1], 1 / block.shape[1])
    level, slope = theil_sen(totals)
    # no trend steeper than the history's own spread supports
    slope = float(np.clip(slope, -0.1 * level, 0.1 * level)) if level > 0 else 0.0
    week = 7 * spd
    ahead = np.arange(horizon) // week + 1
    growth = np.array([sum(damping ** j for j in range(1, m + 1)) for m in range(ahead.max() + 1)])
    levels = np.maximum(level + slope * growth[ahead], 0.0)
    return np.resize(shape, horizon) * levels


def intraday_shapes(y: np.ndarray, spd: int, weeks: int = PROFILE_WEEKS) -> np.ndarray:
    """(7, spd): per weekday position (0 = the last full week's first day), the median
    share of each slot in the day's contacts."""
    block = _weeks(y, spd, weeks).reshape(-1, 7, spd)
    totals = block.sum(axis=2, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(totals > 0, block / np.where(totals > 0, totals, 1), np.nan)
    out = np.full((7, spd), 1.0 / spd)
    for d in range(7):
        day = shares[:, d, :]
        day = day[~np.isnan(day).any(axis=1)]
        if len(day):
            med = np.median(day, axis=0)
            if med.sum() > 0:
                out[d] = med / med.sum()
    return out


def _daily(y: np.ndarray, spd: int, days: int) -> np.ndarray:
    k = min(days, len(y) // spd)
    return y[len(y) - k * spd:].reshape(k, spd).sum(axis=1)


def ets(y: np.ndarray, spd: int, horizon: int) -> np.ndarray:
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    daily = _daily(y, spd, ETS_DAYS)
    days_ahead = -(-horizon // spd)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ExponentialSmoothing(daily, trend="add", damped_trend=True, seasonal="add",
                                     seasonal_periods=7, initialization_method="estimated")
        fit = model.fit()
        totals = np.maximum(np.asarray(fit.forecast(days_ahead)), 0.0)
    shapes = intraday_shapes(y, spd)
    # day j ahead has weekday position j mod 7 (the weeks counted back from the end)
    out = np.concatenate([totals[j] * shapes[j % 7] for j in range(days_ahead)])
    return out[:horizon]


def mstl(y: np.ndarray, spd: int, horizon: int) -> np.ndarray:
    from statsmodels.tsa.seasonal import MSTL

    week = 7 * spd
    k = min(MSTL_WEEKS, len(y) // week)
    part = np.sqrt(np.maximum(y[len(y) - k * week:], 0.0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = MSTL(part, periods=(spd, week), iterate=1).fit()
        seasonal = np.asarray(result.seasonal).sum(axis=1)
        trend = np.asarray(result.trend)
    # the trend's last value and its slope over the last week, damped week by week (the
    # remainder is left out: following it made the level swing with the last day)
    slope = (trend[-1] - trend[-week]) / week
    ahead = np.arange(1, horizon + 1)
    level = trend[-1] + slope * week * (1 - TREND_DAMPING ** (ahead / week)) / (1 - TREND_DAMPING)
    season = np.resize(seasonal[-week:], horizon)
    return np.maximum(level + season, 0.0) ** 2


def ensemble(y: np.ndarray, spd: int, horizon: int) -> np.ndarray:
    """The mean of three forecasts that err differently: the 8-week median profile (no
    trend), the profile with its level trend, and ETS on daily totals (chosen on the
    tuning period of the US bank's calls, where it beat each of them at 7 and 28 days)."""
    return (weekly_median(y, spd, horizon) + profile(y, spd, horizon)
            + ets(y, spd, horizon)) / 3.0


FUNCTIONS = {"seasonal_naive": seasonal_naive, "weekly_median": weekly_median,
             "profile": profile, "ets": ets, "mstl": mstl, "ensemble": ensemble}


def point_forecast(method: str, y: np.ndarray, spd: int, horizon: int) -> np.ndarray:
    """The method's forecast of the `horizon` slots after `y`; closed slots (zero in each
    of the last 8 weeks, outside opening hours say) stay zero."""
    f = np.asarray(FUNCTIONS[method](np.asarray(y, float), spd, horizon), float)
    block = _weeks(y, spd, PROFILE_WEEKS)
    closed = np.resize((block == 0).all(axis=0), horizon)
    f[closed] = 0.0
    return np.nan_to_num(np.maximum(f, 0.0))
