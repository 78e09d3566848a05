"""Rolling-origin backtests and the error measures, and prediction intervals from the
backtest's errors.

Origins are `step_days` apart, the latest `horizon_days` before the end of the history;
from each, every method forecasts `horizon_days` from the history before it. Measures
pool the origins: WAPE = sum |forecast - actual| / sum actual; bias = sum (forecast -
actual) / sum actual; MASE = mean absolute error / the mean absolute error of the
same-slot-last-week forecast within the history before the origin (in-sample), averaged
over origins. Intervals: the errors as log ratios log((actual + 1) / (forecast + 1)),
grouped by the forecast's size (quartiles), give per group the quantiles asked for;
coverage is measured out of sample (each origin's interval from the earlier origins'
errors)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from scheduler.forecast.methods import MIN_DAYS, point_forecast

HORIZONS_DAYS = (1, 7, 28)


@dataclass
class ErrorModel:
    """Quantiles of the log ratio actual/forecast per lead time and band of forecast size:
    errors grow with the lead (a forecast four weeks out misses more than tomorrow's), so
    one distribution for all leads makes next-day intervals too wide and four-week ones
    too narrow. Leads are bucketed in days (LEAD_EDGES_DAYS); a bucket with fewer than
    MIN_BUCKET errors uses every lead's."""

    edges: np.ndarray
    quantiles: dict[float, np.ndarray]
    """q -> log ratios, one row per lead bucket, one column per size band."""
    slots_per_day: int = 0
    """0: one bucket for every lead (no lead given when fitted)."""

    @classmethod
    def fit(cls, forecast: np.ndarray, actual: np.ndarray, qs,
            lead: np.ndarray | None = None, slots_per_day: int = 0) -> ErrorModel | None:
        f, a = np.asarray(forecast, float), np.asarray(actual, float)
        keep = (f > 0) | (a > 0)
        f, a = f[keep], a[keep]
        if f.size < 20:
            return None
        r = np.log((a + 1) / (f + 1))
        edges = np.quantile(f, [0.25, 0.5, 0.75])
        band = np.searchsorted(edges, f, side="right")
        buckets = 1
        bucket = np.zeros(f.size, int)
        if lead is not None and slots_per_day:
            buckets = len(LEAD_EDGES_DAYS) + 1
            bucket = _bucket(np.asarray(lead)[keep], slots_per_day)
        out = {}
        for q in qs:
            rows = []
            for k in range(buckets):
                mine = bucket == k
                use_k = mine if mine.sum() >= MIN_BUCKET else np.ones(f.size, bool)
                row = []
                for b in range(len(edges) + 1):
                    rb = r[use_k & (band == b)]
                    row.append(float(np.quantile(rb if rb.size >= 10 else r[use_k], q)))
                rows.append(row)
            out[q] = np.array(rows)
        return cls(edges, out, slots_per_day if buckets > 1 else 0)

    def apply(self, forecast: np.ndarray, q: float, first_lead: int = 0) -> np.ndarray:
        """The q-quantile of each slot of `forecast`, whose first slot is `first_lead`
        slots after the origin."""
        f = np.asarray(forecast, float)
        band = np.searchsorted(self.edges, f, side="right")
        if self.slots_per_day:
            bucket = _bucket(first_lead + np.arange(f.size), self.slots_per_day)
        else:
            bucket = np.zeros(f.size, int)
        out = (f + 1) * np.exp(self.quantiles[q][bucket, band]) - 1
        return np.where(f > 0, np.maximum(out, 0.0), 0.0)


LEAD_EDGES_DAYS = (1, 7)
"""Lead-time buckets of the error model: the next day, the rest of the week, later."""
MIN_BUCKET = 200
"""Errors a lead bucket needs of its own (else it borrows every lead's)."""


def _bucket(lead_slots: np.ndarray, slots_per_day: int) -> np.ndarray:
    return np.searchsorted(np.asarray(LEAD_EDGES_DAYS) * slots_per_day, lead_slots,
                           side="right")


def poisson_quantile(forecast: np.ndarray, q: float) -> np.ndarray:
    """Without a backtest: the normal approximation of a Poisson count's quantile."""
    from statistics import NormalDist

    z = NormalDist().inv_cdf(q)
    f = np.asarray(forecast, float)
    return np.maximum(f + z * np.sqrt(f), 0.0)


@dataclass
class Scores:
    wape: float
    mase: float
    bias: float
    coverage: float | None = None


@dataclass
class Backtest:
    """A method's backtest on one channel."""

    method: str
    origins: list[int]
    forecasts: list[np.ndarray]
    actuals: list[np.ndarray]
    scales: list[float]
    lower: list[np.ndarray | None] = field(default_factory=list)
    upper: list[np.ndarray | None] = field(default_factory=list)

    def scores(self, days: int, spd: int) -> Scores:
        n = days * spd
        f = np.concatenate([x[:n] for x in self.forecasts])
        a = np.concatenate([x[:n] for x in self.actuals])
        ok = ~np.isnan(a)
        f, a = f[ok], a[ok]
        total = a.sum()
        wape = float(np.abs(f - a).sum() / total) if total > 0 else float("nan")
        bias = float((f - a).sum() / total) if total > 0 else float("nan")
        mases = []
        for x, y, s in zip(self.forecasts, self.actuals, self.scales):
            good = ~np.isnan(y[:n])
            if s > 0 and good.any():
                mases.append(float(np.abs(x[:n] - y[:n])[good].mean() / s))
        coverage = None
        inside = []
        for lo, hi, y in zip(self.lower, self.upper, self.actuals):
            if lo is None:
                continue
            yy, l, h = y[:n], lo[:n], hi[:n]
            good = ~np.isnan(yy) & ((h > 0) | (yy > 0))
            inside.append(((yy >= l) & (yy <= h))[good])
        if inside:
            joined = np.concatenate(inside)
            coverage = float(joined.mean()) if joined.size else None
        return Scores(wape, float(np.mean(mases)) if mases else float("nan"), bias, coverage)

    def error_model(self, qs, upto: int | None = None,
                    slots_per_day: int = 0) -> ErrorModel | None:
        """From the errors of every origin (upto None), or of the origins before origin
        `upto`, only their slots before it (known by then); by lead time when
        `slots_per_day` is given."""
        k = len(self.forecasts) if upto is None else upto
        if k == 0:
            return None
        cut = [None] * k if upto is None else [self.origins[upto] - o for o in self.origins[:k]]
        f = np.concatenate([x[:c] for x, c in zip(self.forecasts[:k], cut)])
        a = np.concatenate([x[:c] for x, c in zip(self.actuals[:k], cut)])
        lead = np.concatenate([np.arange(len(x[:c])) for x, c in zip(self.forecasts[:k], cut)])
        ok = ~np.isnan(a)
        return ErrorModel.fit(f[ok], a[ok], qs, lead[ok], slots_per_day)


def naive_scale(y: np.ndarray, spd: int) -> float:
    """In-sample mean absolute error of the same slot a week earlier (the MASE scale)."""
    week = 7 * spd
    if len(y) <= week:
        return float("nan")
    return float(np.abs(y[week:] - y[:-week]).mean())


def origins_for(n: int, spd: int, horizon_days: int, count: int, step_days: int,
                min_days: int) -> list[int]:
    """Origins (slot indexes, oldest first) with at least min_days of history before them
    and horizon_days after them within n slots."""
    last = n - horizon_days * spd
    out = [last - k * step_days * spd for k in range(count)]
    return sorted(o for o in out if o >= min_days * spd)


def run(method: str, y: np.ndarray, spd: int, horizon_days: int, origins: list[int],
        actual: np.ndarray | None = None, interval=(0.1, 0.9)) -> Backtest:
    """The method forecast from each origin; `actual` (default y) is what it is scored
    against (NaN: unknown, not scored). Each origin after the first gets an interval
    from the errors of the origins before it."""
    actual = y if actual is None else actual
    h = horizon_days * spd
    bt = Backtest(method, list(origins), [], [], [])
    for k, o in enumerate(origins):
        f = point_forecast(method, y[:o], spd, h)
        bt.forecasts.append(f)
        bt.actuals.append(np.asarray(actual[o:o + h], float))
        bt.scales.append(naive_scale(y[:o], spd))
        model = bt.error_model(interval, upto=k, slots_per_day=spd)
        if model is None:
            bt.lower.append(None)
            bt.upper.append(None)
        else:
            bt.lower.append(model.apply(f, interval[0]))
            bt.upper.append(model.apply(f, interval[1]))
    return bt


def eligible(methods, n_days: float, horizon_days: int, origins: int, step_days: int) -> list[str]:
    """The methods with history enough for a backtest of `origins` origins."""
    need = horizon_days + (origins - 1) * step_days
    return [m for m in methods if n_days >= MIN_DAYS[m] + need]
