"""From a history to a forecast: per channel, the history before the start cut to whole
days, special days learnt and replaced by their baseline (effects.py), the method chosen
(`auto`: the lowest WAPE in a rolling-origin backtest at the forecast's length, up to 28
days), the point forecast, the effects applied, and the quantiles from the backtest's
errors (backtest.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from scheduler.errors import InputError
from scheduler.forecast import backtest as bt
from scheduler.forecast.effects import Calendar, EventSpec, apply, learn
from scheduler.forecast.history import History
from scheduler.forecast.methods import MIN_DAYS, point_forecast

AUTO_METHODS = ("seasonal_naive", "weekly_median", "profile", "ets", "ensemble")
AUTO_MARGIN = 0.05
"""`auto` keeps the ensemble unless another method's backtest WAPE is more than this
share lower."""
"""The candidates of `auto` (mstl is left out for speed: about 0.5 s a fit)."""
DEFAULT_QUANTILES = (0.1, 0.5, 0.9)
STEP_DAYS = 7


@dataclass
class ChannelForecast:
    name: str
    method: str
    point: np.ndarray
    quantiles: dict[float, np.ndarray]
    scores: dict[str, bt.Scores] = field(default_factory=dict)
    """Backtest WAPE, MASE and bias of each candidate at the backtest's length."""
    interval_source: str = "backtest"


@dataclass
class ForecastResult:
    start: dt.datetime
    slot_minutes: int
    days: int
    plan_quantile: float
    channels: list[ChannelForecast]
    warnings: list[str] = field(default_factory=list)

    def planned(self, name: str) -> np.ndarray:
        """Contacts per slot at the planning quantile."""
        for ch in self.channels:
            if ch.name == name:
                return ch.quantiles[self.plan_quantile]
        raise KeyError(name)


def whole_days(history: History, until: dt.datetime) -> tuple[np.ndarray, dt.date]:
    """(channels, days, slots) of the history before `until`, from its first midnight;
    and the first day."""
    h = history.until(until)
    spd = h.slots_per_day
    lead = (-(h.start.hour * 60 + h.start.minute) // h.slot_minutes) % spd
    days = (h.num_slots - lead) // spd
    # the part after the last midnight before `until` is kept only when `until` is a midnight
    values = h.values[:, lead:lead + days * spd]
    first = (h.start + dt.timedelta(minutes=h.slot_minutes * lead)).date()
    return values.reshape(len(h.channels), days, spd), first


def _need(method: str, have_days: int, first: dt.date, start: dt.date, path) -> None:
    if have_days < MIN_DAYS[method]:
        raise InputError(
            f"method {method} needs at least {MIN_DAYS[method]} days of history before "
            f"{start}; the history has {have_days} whole days (from {first})",
            file=path, key_path="history")


def make_forecast(history: History, start: dt.date, days: int, method: str = "auto",
                  quantiles=DEFAULT_QUANTILES, plan_quantile: float = 0.5,
                  calendar: Calendar | None = None, events: list[EventSpec] = (),
                  origins: int = 3, orders=None) -> ForecastResult:
    """Forecast `days` days from `start` (00:00) for every channel of the history."""
    calendar = calendar or Calendar()
    qs = tuple(sorted(set(quantiles) | {plan_quantile}))
    start_dt = dt.datetime.combine(start, dt.time())
    values, first = whole_days(history, start_dt)
    spd = history.slots_per_day
    n_days = values.shape[1]
    gap_days = (start - first).days - n_days
    if gap_days < 0:  # pragma: no cover - whole_days cuts at start
        gap_days = 0
    result = ForecastResult(start_dt, history.slot_minutes, days, plan_quantile, [],
                            list(history.warnings))
    if n_days and gap_days:
        result.warnings.append(f"the history ends {gap_days} days before {start}: those days "
                               "are forecast too and dropped")
    total_days = gap_days + days
    dates = [first + dt.timedelta(days=i) for i in range(n_days)]
    coming = [start + dt.timedelta(days=i) for i in range(days)]
    bt_days = min(days, 28)
    for c, name in enumerate(history.channels):
        if method == "auto":
            _need("seasonal_naive", n_days, first, start, history.path)
        else:
            _need(method, n_days, first, start, history.path)
        clean, learnt, notes = learn(values[c], dates, calendar, list(events), name)
        result.warnings += notes
        y = clean.reshape(-1)
        candidates = AUTO_METHODS if method == "auto" else (method,)
        able = bt.eligible(candidates, n_days, bt_days, origins, STEP_DAYS)
        tests = {}
        for m in able:
            points = bt.origins_for(len(y), spd, bt_days, origins, STEP_DAYS, MIN_DAYS[m])
            tests[m] = bt.run(m, y, spd, bt_days, points)
        scores = {m: t.scores(bt_days, spd) for m, t in tests.items()}
        if method == "auto":
            if scores:
                chosen = min(scores, key=lambda m: (np.nan_to_num(scores[m].wape, nan=np.inf),
                                                    AUTO_METHODS.index(m)))
                # three origins tell methods apart only roughly: the ensemble, which errs
                # least on average, stays unless another method beats it clearly
                mixed = scores.get("ensemble")
                if mixed is not None and np.isfinite(mixed.wape) and \
                        mixed.wape <= (1 + AUTO_MARGIN) * scores[chosen].wape:
                    chosen = "ensemble"
            else:
                chosen = next(m for m in ("profile", "seasonal_naive") if n_days >= MIN_DAYS[m])
                result.warnings.append(
                    f"column {name}: too little history for a backtest of {origins} origins "
                    f"at {bt_days} days (auto needs {MIN_DAYS['seasonal_naive'] + bt_days + (origins - 1) * STEP_DAYS} "
                    f"days, the history has {n_days}): method {chosen}")
        else:
            chosen = method
        if orders is not None and name in orders.channels:
            base = orders.forecast(name, values[c], dates, y, spd, gap_days, total_days)
            chosen = "orders"
        else:
            base = point_forecast(chosen, y, spd, total_days * spd)
        base = base[gap_days * spd:].reshape(days, spd)
        point, notes = apply(base, coming, calendar, list(events), learnt, name)
        result.warnings += notes
        point = point.reshape(-1)
        model = tests[chosen].error_model(qs, slots_per_day=spd) if chosen in tests else None
        source = "backtest"
        if model is None:
            source = "poisson"
            result.warnings.append(
                f"column {name}: no backtest errors for method {chosen} (history too short): "
                "intervals are Poisson counts around the forecast, likely too narrow")
            quants = {q: bt.poisson_quantile(point, q) for q in qs}
        else:
            # the forecast's first slot is gap_days after the history's end
            quants = {q: model.apply(point, q, gap_days * spd) for q in qs}
        for a, b in zip(qs, qs[1:]):  # quantiles never cross
            quants[b] = np.maximum(quants[b], quants[a])
        result.channels.append(ChannelForecast(name, chosen, point, quants, scores, source))
    return result
