"""Pydantic schema of a forecast made from contact history (scheduler/forecast): the
scenario key `forecast:` and the events file of `scheduler forecast --events`.

This module imports neither ortools nor typer. Shares are fractions (0.8 is 80%)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, model_validator

from scheduler.models.sections import Strict

METHODS = ("seasonal_naive", "weekly_median", "profile", "ets", "mstl", "ensemble")
"""The forecasting methods (docs/forecast.md); `auto` picks one per channel by backtest."""
Method = Literal["auto", "seasonal_naive", "weekly_median", "profile", "ets", "mstl",
                 "ensemble"]


class DateRange(Strict):
    """Days from start_date to end_date, both included."""

    start_date: dt.date
    """First day (YYYY-MM-DD)."""
    end_date: dt.date
    """Last day (YYYY-MM-DD, included), not before start_date."""

    @model_validator(mode="after")
    def _order(self) -> DateRange:
        if self.end_date < self.start_date:
            raise ValueError("end_date is before start_date")
        return self


class ForecastEvent(Strict):
    """A promotion seen in the history (`past`) and coming again (start_date to
    end_date). Its uplift per day over the baseline and its intraday shape (a midnight
    spike, say) are learnt from the past occurrences and applied to the coming days,
    matched counting back from the last day (the main day of Double 11 and 618 is the
    last), scaled by `multiplier`."""

    name: Annotated[str, Field(min_length=1, max_length=80)]
    """Name of the event, shown in warnings and outputs."""
    past: Annotated[list[DateRange], Field(min_length=1)]
    """The event's earlier occurrences, each within the history (at least one)."""
    start_date: dt.date
    """First day of the coming occurrence (YYYY-MM-DD)."""
    end_date: dt.date
    """Last day of the coming occurrence (YYYY-MM-DD, included)."""
    multiplier: Annotated[float, Field(gt=0, le=100)] = 1.0
    """[factor] Contacts on the coming event days relative to what the past uplift
    gives (1.2: a promotion 20% bigger than last time's uplift implies). Default 1."""
    channels: list[str] | None = None
    """Channels the event lifts. Absent: every channel."""

    @model_validator(mode="after")
    def _order(self) -> ForecastEvent:
        if self.end_date < self.start_date:
            raise ValueError("end_date is before start_date")
        return self


class Orders(Strict):
    """Channels forecast as planned orders x contacts per order: the ratio of contacts
    to orders is learnt per channel and weekday from the history, the intraday shape from
    the channel's own recent weeks."""

    file: str
    """CSV next to the scenario (or the history) with columns date (YYYY-MM-DD) and
    orders: orders per day, over the history's days (to learn the ratio) and the days
    forecast (planned orders)."""
    channels: Annotated[list[str], Field(min_length=1)]
    """The channels forecast from orders (others keep their method)."""


class ForecastSettings(Strict):
    """Volumes forecast from contact history instead of given: `scheduler solve` then
    forecasts, sizes (Erlang as usual) and rosters in one run, and writes the forecast
    it used as forecast.csv beside the roster."""

    history: str
    """CSV next to the scenario in the volume-file format: `start` (ISO local
    date-time, one row per slot, sorted) and one column of contacts per channel, named
    after the channel; the slot length is read from it."""
    method: Method = "auto"
    """seasonal_naive, weekly_median, profile, ets, mstl, ensemble (the mean of
    weekly_median, profile and ets), or auto: per channel the method with the lowest WAPE
    in a rolling-origin backtest at the horizon's length (docs/forecast.md). Default
    auto."""
    quantile: Annotated[float, Field(gt=0, lt=1)] = 0.5
    """[share 0-1] The quantile of the forecast distribution planned to: 0.5 the
    median, 0.8 the 80th percentile (fewer short slots, more agents). Default 0.5."""
    events: list[ForecastEvent] = []
    """Promotions seen in the history and coming in the horizon. Default: none."""
    orders: Orders | None = None
    """Channels forecast as orders x contacts per order. Absent: none."""
    origins: Annotated[int, Field(ge=1, le=20)] = 3
    """[origins] Rolling origins of the backtest behind `auto` and the prediction
    intervals (one a week, the latest ending where the history ends). Default 3."""
