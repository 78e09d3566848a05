"""What `scheduler forecast` and `scheduler backtest` do, and a scenario's `forecast:` key
turned into contacts per slot: calendars, events files, the backtest table."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
from pydantic import TypeAdapter, ValidationError

from scheduler.errors import InputError
from scheduler.forecast import backtest as bt
from scheduler.forecast.core import AUTO_METHODS, STEP_DAYS, make_forecast, whole_days
from scheduler.forecast.effects import Calendar, EventSpec, learn
from scheduler.forecast.history import History, aggregate, read_history
from scheduler.forecast.methods import MIN_DAYS
from scheduler.models import METHODS, ForecastEvent, Scenario
from scheduler.models.calendar import china_days_covered
from scheduler.scenario.files import line_of, read_yaml


def calendar_for(holidays, makeup=(), first: dt.date | None = None,
                 last: dt.date | None = None) -> tuple[Calendar, list[str]]:
    """holidays: 'CN' (China's, from chinese-calendar, over first..last), a list of dates,
    or None."""
    notes: list[str] = []
    if holidays == "CN":
        off, worked, note = china_days_covered(first, last)
        if note:
            notes.append(note)
        return Calendar(set(off), set(worked) | set(makeup)), notes
    return Calendar(set(holidays or ()), set(makeup)), notes


def parse_holidays(text: str | None, path_hint: str = "--holidays"):
    """--holidays CN or a comma-separated list of dates."""
    if text is None:
        return None
    if text.strip().upper() == "CN":
        return "CN"
    try:
        return [dt.date.fromisoformat(p.strip()) for p in text.split(",") if p.strip()]
    except ValueError as exc:
        raise InputError(f"{exc}: give CN or dates YYYY-MM-DD,YYYY-MM-DD",
                         key_path=path_hint) from None


def specs(events: list[ForecastEvent]) -> list[EventSpec]:
    return [EventSpec(e.name, [(p.start_date, p.end_date) for p in e.past], e.start_date,
                      e.end_date, e.multiplier, e.channels) for e in events]


def read_events(path: Path | str) -> tuple[list[ForecastEvent], dict]:
    """An events file: a YAML list of events (name, past: [{start_date, end_date}],
    start_date, end_date, multiplier, channels); and the line of every key."""
    path = Path(path)
    data, lines = read_yaml(path)
    if isinstance(data, dict) and "events" in data:
        data = data["events"]
        lines = {k[1:]: v for k, v in lines.items() if k[:1] == ("events",)}
    try:
        return TypeAdapter(list[ForecastEvent]).validate_python(data or []), lines
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first["loc"])
        raise InputError(first["msg"], file=path, key_path=".".join(map(str, loc)) or None,
                         line=line_of(lines, *loc)) from None


def load_history(path, channels=None, time_zone=None, slot_minutes=None) -> History:
    history = read_history(path, channels, time_zone)
    if slot_minutes is not None:
        history = aggregate(history, slot_minutes)
    return history


def check_events(events: list[ForecastEvent], history: History, where: str = "",
                 file=None, lines=None) -> None:
    """Every channel an event names is a column of the history."""
    for i, ev in enumerate(events):
        for j, name in enumerate(ev.channels or []):
            if name not in history.channels:
                raise InputError(f"no channel {name!r} in the history {history.path.name} "
                                 f"(it has: {', '.join(history.channels)})",
                                 file=file or history.path, key_path=f"{where}{i}.channels.{j}",
                                 line=line_of(lines, i, "channels", j))


def backtest(history: History, horizon_days: int, origins: int, methods=None,
             calendar: Calendar | None = None, events=(), step_days: int = STEP_DAYS):
    """Every method from each origin over `horizon_days`: rows of the table (per channel,
    method and horizon of 1, 7 and 28 days, those within horizon_days) and, per channel,
    the chart panel of the best method at the full horizon from the last origin."""
    methods = list(methods or METHODS)
    calendar = calendar or Calendar()
    end = history.end
    until = dt.datetime.combine(end.date(), dt.time())
    values, first = whole_days(history, until)
    spd = history.slots_per_day
    n_days = values.shape[1]
    need = min(MIN_DAYS[m] for m in methods) + horizon_days + (origins - 1) * step_days
    if n_days < need:
        raise InputError(
            f"a backtest of {origins} origins {step_days} days apart at {horizon_days} days "
            f"needs at least {need} whole days of history; the file has {n_days}",
            file=history.path, key_path="history")
    dates = [first + dt.timedelta(days=i) for i in range(n_days)]
    rows, panels = [], []
    horizons = [h for h in bt.HORIZONS_DAYS if h < horizon_days] + [horizon_days]
    for c, name in enumerate(history.channels):
        clean, _, _ = learn(values[c], dates, calendar, list(events), name)
        y = clean.reshape(-1)
        runs = {}
        for m in methods:
            if n_days < MIN_DAYS[m] + horizon_days + (origins - 1) * step_days:
                continue
            points = bt.origins_for(len(y), spd, horizon_days, origins, step_days, MIN_DAYS[m])
            runs[m] = bt.run(m, y, spd, horizon_days, points)
            for h in horizons:
                s = runs[m].scores(h, spd)
                rows.append({"channel": name, "method": m, "horizon_days": h,
                             "origins": len(points), "wape": s.wape, "mase": s.mase,
                             "bias": s.bias, "coverage_p10_p90": s.coverage})
        best = min(runs, key=lambda m: np.nan_to_num(runs[m].scores(horizon_days, spd).wape,
                                                    nan=np.inf))
        run = runs[best]
        low, high = run.lower[-1], run.upper[-1]
        if low is None:
            low = high = run.forecasts[-1]
        origin = dt.datetime.combine(first, dt.time()) + dt.timedelta(
            minutes=history.slot_minutes * run.origins[-1])
        panels.append({"channel": name, "method": best, "origin": f"{origin:%Y-%m-%d}",
                       "start": origin, "slot_minutes": history.slot_minutes,
                       "actual": run.actuals[-1], "point": run.forecasts[-1],
                       "low": low, "high": high})
    return rows, panels


_CACHE: dict = {}


def scenario_forecast(scenario: Scenario, directory: Path):
    """The forecast behind a scenario's `forecast:` key, for its horizon (channels without
    volume_file or volume): a ForecastResult. The same scenario and unchanged files give
    the same forecast, kept for the process (the checker asks again)."""
    paths = [Path(directory) / scenario.forecast.history]
    if scenario.forecast.orders is not None:
        paths.append(Path(directory) / scenario.forecast.orders.file)
    try:
        stamp = tuple((str(p.resolve()), p.stat().st_mtime_ns, p.stat().st_size) for p in paths)
    except OSError:
        stamp = None
    key = (stamp, scenario.model_dump_json(include={"horizon", "forecast", "channels",
                                                    "holidays", "makeup_workdays",
                                                    "holiday_calendar"}))
    if stamp is not None and key in _CACHE:
        return _CACHE[key]
    result = _scenario_forecast(scenario, directory)
    if stamp is not None:
        _CACHE.clear()
        _CACHE[key] = result
    return result


def _scenario_forecast(scenario: Scenario, directory: Path):
    fc = scenario.forecast
    h = scenario.horizon
    wanted = [c.name for c in scenario.channels if c.volume_file is None and c.volume is None]
    history = load_history(Path(directory) / fc.history, wanted, h.time_zone, h.slot_minutes)
    check_events(fc.events, history, "forecast.events.")
    last = h.start_date + dt.timedelta(days=h.days - 1)
    calendar, notes = calendar_for(
        "CN" if scenario.holiday_calendar == "CN" else scenario.holidays,
        scenario.makeup_workdays, history.start.date(), last)
    orders = None
    if fc.orders is not None:
        from scheduler.forecast.orders import OrdersPlan

        orders = OrdersPlan.read(Path(directory) / fc.orders.file, fc.orders.channels)
    result = make_forecast(history, h.start_date, h.days, fc.method,
                           plan_quantile=fc.quantile, calendar=calendar,
                           events=specs(fc.events), origins=fc.origins, orders=orders)
    result.warnings = notes + result.warnings
    return result


__all__ = ["AUTO_METHODS", "backtest", "calendar_for", "load_history", "read_events",
           "scenario_forecast", "specs"]


def forecast_files(history_path, start: str, days: int, out: Path, method: str,
                   quantile: float, quantiles: str, holidays: str | None, events_path,
                   time_zone: str, origins: int, orders_path=None,
                   orders_channels: str | None = None, t=None):
    """`scheduler forecast`: the forecast and the files written. `orders_path` (date,
    orders) forecasts `orders_channels` (comma-separated; default every channel) as
    planned orders x contacts per order. `t`: the translator of the chart page."""
    from scheduler.forecast.output import write_forecast

    if method != "auto" and method not in METHODS:
        raise InputError(f"unknown method {method!r} (auto, {', '.join(METHODS)})",
                         key_path="--method")
    try:
        first = dt.date.fromisoformat(start)
    except ValueError:
        raise InputError(f"--start {start!r} is not a date (YYYY-MM-DD)",
                         key_path="--start") from None
    try:
        qs = tuple(float(q) for q in quantiles.split(",") if q.strip())
    except ValueError:
        raise InputError(f"--quantiles {quantiles!r}: numbers between 0 and 1, "
                         "comma-separated", key_path="--quantiles") from None
    if not qs or any(not 0 < q < 1 for q in qs):
        raise InputError("--quantiles: each between 0 and 1 (exclusive)", key_path="--quantiles")
    history = load_history(history_path, None, time_zone)
    events, lines = read_events(events_path) if events_path is not None else ([], {})
    check_events(events, history, file=events_path, lines=lines)
    spec = parse_holidays(holidays)
    calendar, notes = calendar_for(spec, (), history.start.date(),
                                   first + dt.timedelta(days=days - 1))
    orders = None
    if orders_path is not None:
        from scheduler.forecast.orders import OrdersPlan

        names = [c.strip() for c in (orders_channels or "").split(",") if c.strip()] \
            or list(history.channels)
        unknown = [c for c in names if c not in history.channels]
        if unknown:
            raise InputError(f"--orders-channels: no channel {unknown[0]!r} in the history "
                             f"(it has {', '.join(history.channels)})",
                             key_path="--orders-channels")
        orders = OrdersPlan.read(orders_path, names)
    result = make_forecast(history, first, days, method, qs, quantile, calendar,
                           specs(events), origins, orders)
    result.warnings = notes + result.warnings
    return result, write_forecast(result, out, history, t)


def backtest_files(history_path, horizon: int, origins: int, out: Path, methods: str | None,
                   holidays: str | None, events_path, time_zone: str, t=None):
    """`scheduler backtest`: the table's rows and the files written; the chart's texts in
    the language of the translator `t` (English without one)."""
    from scheduler.forecast.output import write_backtest
    from scheduler.i18n import translator

    t = t or translator()

    chosen = [m.strip() for m in methods.split(",")] if methods else list(METHODS)
    for m in chosen:
        if m not in METHODS:
            raise InputError(f"unknown method {m!r} ({', '.join(METHODS)})", key_path="--methods")
    history = load_history(history_path, None, time_zone)
    events, lines = read_events(events_path) if events_path is not None else ([], {})
    check_events(events, history, file=events_path, lines=lines)
    calendar, _ = calendar_for(parse_holidays(holidays), (), history.start.date(),
                               history.end.date())
    rows, panels = backtest(history, horizon, origins, chosen, calendar, specs(events))
    title = t("Backtest of {name}: {origins} origins, {days} days",
              name=Path(history_path).name, origins=origins, days=horizon)
    return rows, write_backtest(rows, panels, out, title, t)
