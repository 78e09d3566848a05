"""The files of a forecast and a backtest, each written atomically (a temporary file and
a rename): the volume file (start plus one column per channel at the planning quantile,
readable unchanged by a scenario's `channels[].volume_file`), the long file (one row per
slot and channel: method, point forecast and each quantile), the backtest table and a
self-contained HTML chart (Vega-Lite, its library inlined from scheduler/vega.py,
nothing fetched)."""

from __future__ import annotations

import datetime as dt
import html
import math
from pathlib import Path


from scheduler.forecast.core import ForecastResult
from scheduler.forecast.history import ISO, write_history
from scheduler.scenario.schema import write_atomically


def qname(q: float) -> str:
    """0.1 -> p10, 0.975 -> p97.5"""
    return f"p{100 * q:g}"


def volume_text(result: ForecastResult) -> str:
    cols = {ch.name: result.planned(ch.name) for ch in result.channels}
    return write_history(None, result.start, result.slot_minutes, cols, decimals=2)


def long_text(result: ForecastResult) -> str:
    qs = sorted(result.channels[0].quantiles) if result.channels else []
    lines = ["start,channel,method,point," + ",".join(qname(q) for q in qs)]
    step = dt.timedelta(minutes=result.slot_minutes)
    for ch in result.channels:
        for i, p in enumerate(ch.point):
            cells = ",".join(f"{ch.quantiles[q][i]:.2f}" for q in qs)
            lines.append(f"{result.start + step * i:{ISO}},{ch.name},{ch.method},{p:.2f},{cells}")
    return "\n".join(lines) + "\n"


def long_path(out: Path) -> Path:
    return out.with_name(out.stem + "_intervals.csv")


HISTORY_DAYS_SHOWN = 28
"""Days of history the forecast chart shows before the forecast starts."""


def forecast_panels(result: ForecastResult, history) -> list[dict]:
    """Per channel, the chart's series on one time line: the last HISTORY_DAYS_SHOWN days
    of the history (actual contacts), then the forecast (point, and the band between the
    lowest and highest quantile)."""
    step = dt.timedelta(minutes=result.slot_minutes)
    lead = end = 0  # slots shown before the forecast; the forecast's first slot's index
    if history is not None and history.slot_minutes == result.slot_minutes:
        end = int((result.start - history.start) / step)
        lead = max(0, min(HISTORY_DAYS_SHOWN * 1440 // result.slot_minutes, end))
    panels = []
    for ch in result.channels:
        qs = sorted(ch.quantiles)
        n = len(ch.point)
        past = [None] * lead
        if lead and ch.name in history.channels:
            row = history.values[history.channels.index(ch.name)]
            past = list(row[end - lead:min(end, history.num_slots)])
            past += [None] * (lead - len(past))  # a gap between the history and the start
        panels.append({
            "channel": ch.name, "method": ch.method, "origin": f"{result.start:%Y-%m-%d}",
            "start": result.start - lead * step, "slot_minutes": result.slot_minutes,
            "actual": past + [None] * n,
            "point": [None] * lead + list(ch.point),
            "low": [None] * lead + list(ch.quantiles[qs[0]]),
            "high": [None] * lead + list(ch.quantiles[qs[-1]]),
            "band": (qname(qs[0]).upper(), qname(qs[-1]).upper()),
        })
    return panels


def forecast_html(result: ForecastResult, history, t=None) -> str:
    """The forecast as a chart per channel: the recent history against the forecast and
    its interval; one self-contained page."""
    from scheduler.i18n import translator

    t = t or translator()
    qs = sorted(result.channels[0].quantiles) if result.channels else [0.1, 0.9]
    title = t("Forecast from {first}, {days} days", first=f"{result.start:%Y-%m-%d}",
              days=result.days)
    legend = t("Orange: the last {days} days of history; blue: forecast; band: {low}-{high} "
               "interval.", days=HISTORY_DAYS_SHOWN, low=qname(qs[0]).upper(),
               high=qname(qs[-1]).upper())
    return chart_html(title, forecast_panels(result, history), t, legend=legend,
                      heading="{channel}: {method}")


def write_forecast(result: ForecastResult, out: Path, history=None, t=None) -> list[Path]:
    """The volume file `out`, the long file beside it (<stem>_intervals.csv) and the
    chart (<stem>.html: the history's last weeks against the forecast)."""
    out = Path(out)
    return [write_atomically(out, volume_text(result)),
            write_atomically(long_path(out), long_text(result)),
            write_atomically(out.with_suffix(".html"), forecast_html(result, history, t))]


def backtest_text(rows: list[dict]) -> str:
    keys = ["channel", "method", "horizon_days", "origins", "wape", "mase", "bias",
            "coverage_p10_p90"]
    out = [",".join(keys)]
    for r in rows:
        out.append(",".join("" if r.get(k) is None else (f"{r[k]:.4f}" if isinstance(r[k], float)
                                                         else str(r[k])) for k in keys))
    return "\n".join(out) + "\n"


def _number(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return round(value, 3) if math.isfinite(value) else None


def panel_spec(panel: dict, t) -> dict:
    """One channel's last origin as a Vega-Lite chart: actual contacts (orange) against
    the forecast (blue) with its P10-P90 band, per slot; the mouse wheel zooms and
    dragging pans the time axis, a tooltip gives the slot's figures."""
    from scheduler.vega import VEGA_LITE_SCHEMA

    start, step = panel["start"], dt.timedelta(minutes=panel["slot_minutes"])
    epoch = dt.datetime(1970, 1, 1)
    actual, forecast = t("actual"), t("forecast")
    values = []
    for i, (a, p, lo, hi) in enumerate(zip(panel["actual"], panel["point"], panel["low"],
                                            panel["high"])):
        moment = start + i * step
        values.append({"t": int((moment - epoch).total_seconds() * 1000),
                       "when": f"{t.weekday(moment.date())} {moment:%m-%d %H:%M}",
                       actual: _number(a), forecast: _number(p), "low": _number(lo),
                       "high": _number(hi)})
    x = {"field": "t", "type": "temporal", "scale": {"type": "utc"}, "title": None,
         "axis": {"format": "%m-%d %H:%M", "labelOverlap": True}}
    contacts = t("{channel} contacts per slot", channel=panel["channel"])
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "description": contacts,
        "data": {"values": values},
        "width": 900, "height": 240,
        "layer": [
            {"mark": {"type": "area", "color": "#9ecae1", "opacity": 0.5},
             "encoding": {"x": x, "y": {"field": "low", "type": "quantitative",
                                        "title": contacts},
                          "y2": {"field": "high"}}},
            {"transform": [{"fold": [actual, forecast], "as": ["series", "contacts"]}],
             "mark": {"type": "line", "strokeWidth": 1.2},
             "params": [{"name": "zoom", "select": {"type": "interval", "encodings": ["x"]},
                         "bind": "scales"}],
             "encoding": {"x": x, "y": {"field": "contacts", "type": "quantitative"},
                          "color": {"field": "series", "type": "nominal", "title": None,
                                    "scale": {"domain": [actual, forecast],
                                              "range": ["#d94801", "#08519c"]},
                                    "legend": {"orient": "top"}}}},
            {"mark": {"type": "rule", "opacity": 0},
             "encoding": {"x": x, "tooltip": [
                 {"field": "when", "type": "nominal", "title": t("Time")},
                 {"field": actual, "type": "quantitative", "format": ",.1f"},
                 {"field": forecast, "type": "quantitative", "format": ",.1f"},
                 {"field": "low", "type": "quantitative", "format": ",.1f",
                  "title": panel.get("band", ("P10", "P90"))[0]},
                 {"field": "high", "type": "quantitative", "format": ",.1f",
                  "title": panel.get("band", ("P10", "P90"))[1]}]}},
        ],
    }


def chart_html(title: str, panels: list[dict], t=None, legend: str | None = None,
               heading: str = "{channel}: {method}, from {origin}") -> str:
    """One panel per channel: actual (orange) against forecast (blue) with its P10-P90
    band, from the last origin, drawn by Vega from the script inlined in the page (no
    network); in the language of the translator `t` (English without one)."""
    from scheduler.i18n import translator
    from scheduler.vega import EMBED_SCRIPT, inline_bundle, script_json

    t = t or translator()
    body, specs = [], {}
    for i, p in enumerate(panels):
        heading_text = t(heading, channel=p["channel"], method=p["method"],
                         origin=p["origin"])
        body.append(f"<h2>{html.escape(heading_text)}</h2><div id=\"panel-{i}\"></div>")
        specs[f"panel-{i}"] = panel_spec(p, t)
    lang = "zh-CN" if t.lang == "zh" else t.lang
    legend = legend or t("Orange: actual contacts; blue: forecast; band: P10-P90 interval "
                         "(from the earlier origins' errors).")
    return (f"<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>"
            f"{html.escape(title)}</title><style>body{{font-family:system-ui,\"Noto Sans\","
            "\"Noto Sans CJK SC\",sans-serif;margin:1em}</style></head><body>"
            f"<h1>{html.escape(title)}</h1><p>{html.escape(legend)}</p>" + "".join(body)
            + "<script type=\"application/json\" id=\"chart-specs\">"
            + script_json({"specs": specs, "options": {"renderer": "svg", "actions": False}})
            + "</script><script>" + inline_bundle() + "</script><script>" + EMBED_SCRIPT
            + "</script></body></html>\n")


def write_backtest(rows: list[dict], panels: list[dict], out: Path, title: str,
                   t=None) -> list[Path]:
    out = Path(out)
    return [write_atomically(out, backtest_text(rows)),
            write_atomically(out.with_suffix(".html"), chart_html(title, panels, t))]
