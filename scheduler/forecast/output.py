"""The files of a forecast and a backtest, each written atomically (a temporary file and
a rename): the volume file (start plus one column per channel at the planning quantile,
readable unchanged by a scenario's `channels[].volume_file`), the long file (one row per
slot and channel: method, point forecast and each quantile), the backtest table and a
self-contained HTML chart (inline SVG, no scripts, nothing fetched)."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import numpy as np

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


def write_forecast(result: ForecastResult, out: Path) -> list[Path]:
    """The volume file `out` and the long file beside it (<stem>_intervals.csv)."""
    out = Path(out)
    return [write_atomically(out, volume_text(result)),
            write_atomically(long_path(out), long_text(result))]


def backtest_text(rows: list[dict]) -> str:
    keys = ["channel", "method", "horizon_days", "origins", "wape", "mase", "bias",
            "coverage_p10_p90"]
    out = [",".join(keys)]
    for r in rows:
        out.append(",".join("" if r.get(k) is None else (f"{r[k]:.4f}" if isinstance(r[k], float)
                                                         else str(r[k])) for k in keys))
    return "\n".join(out) + "\n"


def _svg(actual, point, low, high, title: str, width=900, height=260) -> str:
    n = len(actual)
    top = float(np.nanmax([np.nanmax(actual), np.max(high), np.max(point), 1.0]))
    def x(i):
        return 40 + (width - 50) * i / max(n - 1, 1)
    def y(v):
        return height - 25 - (height - 45) * float(v) / top
    band = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(high))
    band += " " + " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in reversed(list(enumerate(low))))
    def line(values, colour, w):
        pts = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values) if v == v)
        return f'<polyline fill="none" stroke="{colour}" stroke-width="{w}" points="{pts}"/>'
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'role="img" aria-label="{html.escape(title)}">'
            f'<text x="40" y="14" font-size="13">{html.escape(title)}</text>'
            f'<text x="2" y="{y(top) + 4:.0f}" font-size="10">{top:,.0f}</text>'
            f'<text x="2" y="{y(0):.0f}" font-size="10">0</text>'
            f'<polygon fill="#9ecae1" fill-opacity="0.5" stroke="none" points="{band}"/>'
            + line(point, "#08519c", 1.2) + line(actual, "#d94801", 1.0) + "</svg>")


def chart_html(title: str, panels: list[dict], t=None) -> str:
    """One panel per channel: actual (orange) against forecast (blue) with its P10-P90
    band, from the last origin; in the language of the translator `t` (English without
    one)."""
    from scheduler.i18n import translator

    t = t or translator()
    body = []
    for p in panels:
        heading = t("{channel}: {method}, from {origin}", channel=p["channel"],
                    method=p["method"], origin=p["origin"])
        body.append(f"<h2>{html.escape(heading)}</h2>")
        body.append(_svg(p["actual"], p["point"], p["low"], p["high"],
                         t("{channel} contacts per slot", channel=p["channel"])))
    lang = "zh-CN" if t.lang == "zh" else t.lang
    legend = t("Orange: actual contacts; blue: forecast; band: P10-P90 interval (from the "
               "earlier origins' errors).")
    return (f"<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>"
            f"{html.escape(title)}</title><style>body{{font-family:sans-serif;margin:1em}}"
            "</style></head><body>"
            f"<h1>{html.escape(title)}</h1><p>{html.escape(legend)}</p>"
            + "".join(body) + "</body></html>\n")


def write_backtest(rows: list[dict], panels: list[dict], out: Path, title: str,
                   t=None) -> list[Path]:
    out = Path(out)
    return [write_atomically(out, backtest_text(rows)),
            write_atomically(out.with_suffix(".html"), chart_html(title, panels, t))]
