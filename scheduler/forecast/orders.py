"""Channels forecast as orders x contacts per order: the planned orders per day (a CSV of
date, orders over the history's days and the days forecast) times the contacts per
order learnt per weekday (the median ratio of daily contacts to orders over the last 8
weeks of history that have orders), spread over the day by the weekday's median
intraday shape."""

from __future__ import annotations

import csv
import datetime as dt
import math
from pathlib import Path

import numpy as np

from scheduler.errors import InputError
from scheduler.forecast.methods import PROFILE_WEEKS, intraday_shapes
from scheduler.scenario.files import read_text


class OrdersPlan:
    def __init__(self, path: Path, orders: dict[dt.date, float], channels: list[str]):
        self.path, self.orders, self.channels = path, orders, list(channels)

    @classmethod
    def read(cls, path: Path | str, channels: list[str]) -> OrdersPlan:
        path = Path(path)
        rows = list(csv.reader(read_text(path).splitlines()))
        header = [h.strip().lstrip("\ufeff") for h in (rows[0] if rows else [])]
        if "date" not in header or "orders" not in header:
            raise InputError(f"line 1 needs the columns date and orders, got "
                             f"{','.join(header)}", file=path, line=1)
        i_d, i_o = header.index("date"), header.index("orders")
        orders: dict[dt.date, float] = {}
        for line_no, row in enumerate(rows[1:], start=2):
            if not row or all(not c.strip() for c in row):
                continue
            try:
                day = dt.date.fromisoformat(row[i_d].strip())
            except (ValueError, IndexError):
                raise InputError("not a date (YYYY-MM-DD)", file=path, key_path="column date",
                                 line=line_no) from None
            try:
                value = float(row[i_o])
            except (ValueError, IndexError):
                value = math.nan
            if not math.isfinite(value) or value < 0:
                raise InputError(f"orders {row[i_o] if i_o < len(row) else ''!r} is not a "
                                 "number >= 0", file=path, key_path="column orders",
                                 line=line_no)
            if day in orders:
                raise InputError(f"date {day} appears twice", file=path,
                                 key_path="column date", line=line_no)
            orders[day] = value
        return cls(path, orders, channels)

    def forecast(self, name: str, days: np.ndarray, dates: list[dt.date], clean: np.ndarray,
                 spd: int, gap_days: int, total_days: int) -> np.ndarray:
        """Contacts per slot for the total_days after the history."""
        ratios: dict[int, list[float]] = {}
        for i in range(max(0, len(dates) - 7 * PROFILE_WEEKS), len(dates)):
            o = self.orders.get(dates[i], 0.0)
            if o > 0:
                ratios.setdefault(dates[i].weekday(), []).append(float(days[i].sum()) / o)
        if not ratios:
            raise InputError(f"no orders on the last {PROFILE_WEEKS} weeks of history to learn "
                             f"contacts per order of {name} from", file=self.path)
        every = float(np.median([r for rs in ratios.values() for r in rs]))
        shapes = intraday_shapes(clean, spd)
        last = dates[-1]
        out = []
        for j in range(total_days):
            day = last + dt.timedelta(days=j + 1)
            if day not in self.orders:
                raise InputError(f"no planned orders for {day} (channel {name} is forecast "
                                 "from orders)", file=self.path, key_path="column date")
            ratio = float(np.median(ratios[day.weekday()])) if day.weekday() in ratios else every
            out.append(self.orders[day] * ratio * shapes[j % 7])
        return np.concatenate(out)
