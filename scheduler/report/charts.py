"""The charts of report.html (and of the web page) as Vega-Lite specifications, and the
JavaScript that draws them, shipped inside the page.

Each spec is a plain function of the roster (`ReportData`) and a translator, returning a
dict ready for `vegaEmbed`: the data are inlined, so a page that embeds the spec and the
bundle needs nothing from the network.

- `coverage_spec`: agents required and on duty per slot over the horizon, a line per
  series (the total, each queue's requirement and allocation, each pool's agents on
  duty); the legend toggles series (click, shift-click for several); the small overview
  chart below is a brush: drag over it to zoom the chart above to a day or an hour,
  double-click to go back to the whole horizon; a tooltip gives the slot's figures.
- `heatmap_spec`: on duty minus required per day and time of day, red short, blue over,
  with the slot's figures in a tooltip.
- `service_spec`: each queue's simulated service level per slot (`scheduler simulate`),
  its 95% band and goal; the legend toggles queues, the mouse wheel zooms and dragging
  pans the time axis (double-click resets), a tooltip gives the slot's figures.

Times are wall-clock times of the scenario's zone, handed to Vega as if they were UTC
and drawn on UTC scales, so the browser's own zone never shifts them.

`chart_specs` gives them all keyed by the element they are drawn into, and
`embed_options` the options for `vegaEmbed(element, spec, options)`.
`javascript_bundle()` is Vega, Vega-Lite and Vega-Embed in one script (from the
vl-convert-python package, BSD-3-Clause, as are the three libraries; made once per
process)."""

from __future__ import annotations

import calendar
import datetime as dt
import math
from functools import lru_cache

from scheduler.i18n import Translator
from scheduler.report.common import (
    REQUIRED_COLOUR,
    SCHEDULED_COLOUR,
    SHORT_COLOUR,
    ReportData,
    base_config,
    pool_of,
)
from scheduler.report.gantt import gantt_spec
from scheduler.vega import (  # noqa: F401 - re-exported: the report's chart library
    VEGA_LITE_SCHEMA,
    bundle_cache_path,
    bundle_is_ready,
    javascript_bundle,
)

D3_LOCALE = {"en": "en-US", "zh": "zh-CN"}
WIDTH_PX = 1120


@lru_cache(maxsize=4)
def _locales(lang: str) -> tuple[dict, dict]:
    import vl_convert

    name = D3_LOCALE.get(lang, "en-US")
    return vl_convert.get_format_locale(name), vl_convert.get_time_format_locale(name)


def embed_options(t: Translator) -> dict:
    """vegaEmbed's options: SVG drawing, no action menu (its links lead off the page), the
    locale's number and date forms for axes and tooltips."""
    number, time = _locales(t.lang)
    return {"renderer": "svg", "actions": False, "formatLocale": number,
            "timeFormatLocale": time}


def _epoch_ms(moment: dt.datetime) -> int:
    """A wall-clock time as milliseconds since 1970 read as UTC."""
    return calendar.timegm(moment.timetuple()) * 1000


def slot_label(t: Translator, moment: dt.datetime) -> str:
    """'Mon 11-16 08:00' / '周一 11-16 08:00'."""
    return f"{t.weekday(moment.date())} {moment:%m-%d} {t.time(moment)}"


def day_label(t: Translator, day: dt.date) -> str:
    """'Mon 11-16' / '周一 11-16'."""
    return f"{t.weekday(day)} {day:%m-%d}"


def pool_on_duty(data: ReportData) -> dict[str, list[int]]:
    """Per pool, agents on duty per coverage slot: on shift for the whole slot and on no
    break touching it (as the checker counts `scheduled`); empty without pools."""
    cov = data.result.coverage
    pools = sorted({pool_of(s) for s in data.result.shifts} - {""})
    if not cov or not pools:
        return {}
    origin = cov[0].start
    slot = data.slot_minutes
    n = len(cov)
    out = {p: [0] * n for p in pools}

    def index(moment: dt.datetime) -> float:
        """The moment in slots from the first (rounded: minutes divide exactly)."""
        return round((moment - origin).total_seconds() / 60 / slot, 6)

    for s in data.result.shifts:
        p = pool_of(s)
        if not p:
            continue
        # slots wholly inside the shift, less those a break touches
        first, last = max(0, math.ceil(index(s.start))), min(n, math.floor(index(s.end)))
        busy = set()
        for b in data.breaks_in(s):
            busy.update(range(math.floor(index(b.start)), math.ceil(index(b.end))))
        row = out[p]
        for k in range(first, last):
            if k not in busy:
                row[k] += 1
    return out


def _series(data: ReportData, t: Translator) -> list[tuple[str, str, str, list]]:
    """(key, series, measure, values per slot) of every line the coverage chart can show."""
    cov = data.result.coverage
    total = t("All agents")
    required, on_duty = t("required"), t("on duty")
    series = [("r", total, required, [c.required for c in cov]),
              ("s", total, on_duty, [c.scheduled for c in cov])]
    queues = [q.queue for q in cov[0].queues] if cov and cov[0].queues else []
    for i, q in enumerate(queues):
        name = t("queue {name}", name=q)
        series.append((f"q{i}r", name, required, [c.queues[i].required for c in cov]))
        series.append((f"q{i}a", name, on_duty, [round(c.queues[i].allocated, 2) for c in cov]))
    for i, (pool, values) in enumerate(pool_on_duty(data).items()):
        series.append((f"p{i}", t("pool {name}", name=pool), on_duty, values))
    return series


def coverage_spec(data: ReportData, t: Translator) -> dict:
    """Required versus on duty per slot, per series, with an overview brush for zooming
    and a legend that toggles series."""
    cov = data.result.coverage
    series = _series(data, t)
    rows = []
    for k, c in enumerate(cov):
        row = {"t": _epoch_ms(c.start), "label": slot_label(t, c.start),
               "short": max(0, c.required - c.scheduled), "over": max(0, c.scheduled - c.required)}
        for key, _, _, values in series:
            row[key] = values[k]
        rows.append(row)
    keys = [{"key": key, "series": name, "measure": measure} for key, name, measure, _ in series]
    names = list(dict.fromkeys(name for _, name, _, _ in series))
    colours = [SCHEDULED_COLOUR, "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
               "#0072B2", "#F0E442", "#999999", "#8C564B"]
    colour = {"field": "series", "type": "nominal", "title": t("Series"),
              "scale": {"domain": names, "range": [colours[i % len(colours)] for i in range(len(names))]},
              "legend": {"orient": "top", "labelLimit": 260}}
    time_title = t("Time")
    x = {"field": "t", "type": "temporal", "title": None, "scale": {"type": "utc"},
         "axis": {"labelOverlap": True, "labelExpr": _TIME_LABEL}}
    fold = [{"fold": [k["key"] for k in keys], "as": ["key", "value"]},
            {"lookup": "key", "from": {"data": {"values": keys}, "key": "key",
                                     "fields": ["series", "measure"]}}]
    agents = t("agents")
    lines = {
        "name": "lines",
        "transform": fold,
        "mark": {"type": "line", "interpolate": "step-after", "strokeWidth": 1.6},
        "params": [{"name": "pick", "select": {"type": "point", "fields": ["series"]},
                    "bind": "legend"}],
        "encoding": {
            "x": {**x, "scale": {"type": "utc", "domain": {"param": "brush"}}},
            "y": {"field": "value", "type": "quantitative", "title": agents},
            "color": colour,
            "strokeDash": {"field": "measure", "type": "nominal", "title": t("Measure"),
                           "scale": {"domain": [t("required"), t("on duty")],
                                     "range": [[6, 3], [1, 0]]},
                           "legend": {"orient": "top"}},
            "opacity": {"condition": {"param": "pick", "value": 1}, "value": 0.08},
        },
    }
    short_band = {
        "name": "short",
        "transform": [{"filter": "datum.short > 0"}],
        "mark": {"type": "rect", "color": SHORT_COLOUR, "opacity": 0.18},
        "encoding": {"x": {**x, "scale": {"type": "utc", "domain": {"param": "brush"}}},
                     "x2": {"field": "t_end"}},
    }
    slot_ms = data.slot_minutes * 60_000
    tooltip = [{"field": "label", "type": "nominal", "title": time_title}]
    tooltip += [{"field": key, "type": "quantitative", "title": f"{name}: {measure}"}
                for key, name, measure, _ in series]
    tooltip += [{"field": "short", "type": "quantitative", "title": t("short")},
                {"field": "over", "type": "quantitative", "title": t("over")}]
    hover = {
        "name": "hover",
        "mark": {"type": "rect", "color": "#888"},
        "params": [{"name": "hover", "select": {"type": "point", "fields": ["t"],
                                               "on": "pointerover", "clear": "pointerout"}}],
        "encoding": {"x": {**x, "scale": {"type": "utc", "domain": {"param": "brush"}}},
                     "x2": {"field": "t_end"},
                     "opacity": {"condition": {"param": "hover", "value": 0.25, "empty": False},
                                 "value": 0},
                     "tooltip": tooltip},
    }
    detail = {"height": 300, "width": WIDTH_PX,
              "layer": [short_band, lines, hover]}
    overview_x = {**x, "axis": {"labelOverlap": True, "labelExpr": _DAY_LABEL,
                                "title": t("Drag here to zoom; double-click for the whole horizon")}}
    overview = {
        "name": "overview",
        "height": 60, "width": WIDTH_PX,
        "layer": [
            {"mark": {"type": "area", "interpolate": "step-after", "color": SCHEDULED_COLOUR,
                      "opacity": 0.35},
             "params": [{"name": "brush", "select": {"type": "interval", "encodings": ["x"]}}],
             "encoding": {"x": overview_x,
                          "y": {"field": "s", "type": "quantitative", "title": None,
                                "axis": {"tickCount": 2}}}},
            {"mark": {"type": "line", "interpolate": "step-after", "color": REQUIRED_COLOUR,
                      "strokeWidth": 1},
             "encoding": {"x": overview_x, "y": {"field": "r", "type": "quantitative"}}},
        ],
    }
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "description": t("Agents on duty versus required per slot"),
        "data": {"values": rows},
        "transform": [{"calculate": f"toNumber(datum.t) + {slot_ms}", "as": "t_end"}],
        "vconcat": [detail, overview],
        "config": base_config(),
    }


def heatmap_spec(data: ReportData, t: Translator) -> dict:
    """On duty minus required per day (rows) and time of day (columns)."""
    cov = data.result.coverage
    rows = [{"day": day_label(t, c.start.date()), "time": f"{c.start:%H:%M}",
             "when": slot_label(t, c.start), "required": c.required, "on_duty": c.scheduled,
             "diff": c.scheduled - c.required} for c in cov]
    days = list(dict.fromkeys(r["day"] for r in rows))
    worst = max((abs(r["diff"]) for r in rows), default=1) or 1
    per_day = 1440 // data.slot_minutes
    cell_px = max(4, min(24, (WIDTH_PX - 200) // max(per_day, 1)))
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "description": t("On duty minus required per day and time of day"),
        "data": {"values": rows},
        "name": "cells",
        "mark": {"type": "rect"},
        "width": {"step": cell_px},
        "height": {"step": 16 if len(days) <= 31 else max(4, 500 // len(days))},
        "encoding": {
            "x": {"field": "time", "type": "ordinal", "title": t("Time of day"),
                  "axis": {"labelAngle": 0, "labelOverlap": True}},
            "y": {"field": "day", "type": "ordinal", "title": None, "sort": days},
            "color": {"field": "diff", "type": "quantitative",
                      "title": t("on duty minus required"),
                      "scale": {"scheme": "redblue", "domain": [-worst, worst], "domainMid": 0},
                      "legend": {"orient": "top", "gradientLength": 240}},
            "tooltip": [{"field": "when", "type": "nominal", "title": t("Time")},
                        {"field": "required", "type": "quantitative", "title": t("required")},
                        {"field": "on_duty", "type": "quantitative", "title": t("on duty")},
                        {"field": "diff", "type": "quantitative",
                         "title": t("on duty minus required")}],
        },
        "config": base_config(),
    }


def chart_specs(data: ReportData, t: Translator) -> dict[str, dict]:
    """Every chart of a roster, keyed by the id of the element it is drawn into
    (report.html's ids): the coverage chart and the heat map when there are coverage
    rows, the simulated service when there is a simulation, the Gantt chart when there
    are shifts (report/gantt.py)."""
    specs = {}
    if data.result.coverage:
        specs["coverage-chart"] = coverage_spec(data, t)
        specs["heatmap"] = heatmap_spec(data, t)
    if data.result.shifts:
        specs["gantt"] = gantt_spec(data, t)
    if data.simulation:
        specs["simulation-chart"] = service_spec(data.simulation, t)
    return specs


def service_spec(rows: list[dict], t: Translator) -> dict:
    """The simulated service level per queue and slot (simulation.csv's rows): mean line,
    95% band, dashed goal."""
    values = []
    for r in rows:
        start = dt.datetime.fromisoformat(r["start"])
        values.append({"t": _epoch_ms(start), "label": slot_label(t, start), "queue": r["queue"],
                       "sl": r["service_level"], "low": r["service_level_low"],
                       "high": r["service_level_high"], "goal": r["service_level_goal"],
                       "offered": r["offered"]})
    queues = list(dict.fromkeys(r["queue"] for r in rows))
    x = {"field": "t", "type": "temporal", "title": None, "scale": {"type": "utc"},
         "axis": {"labelOverlap": True, "labelExpr": _TIME_LABEL}}
    colour = {"field": "queue", "type": "nominal", "title": t("queue"),
              "scale": {"domain": queues}, "legend": {"orient": "top"}}
    share = {"type": "quantitative", "scale": {"domain": [0, 1]}}
    pick = {"condition": {"param": "queues", "value": 1}, "value": 0.06}
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "description": t("Simulated service level per queue and slot"),
        "data": {"values": values},
        "width": WIDTH_PX, "height": 220,
        "layer": [
            {"name": "level", "mark": {"type": "line", "interpolate": "step-after",
                                       "strokeWidth": 1.5},
             "params": [{"name": "queues", "select": {"type": "point", "fields": ["queue"]},
                         "bind": "legend"},
                        {"name": "zoom", "select": {"type": "interval", "encodings": ["x"]},
                         "bind": "scales"}],
             "encoding": {"x": x, "y": {**share, "field": "sl", "title": t("service level"),
                                        "axis": {"format": ".0%"}},
                          "color": colour, "opacity": pick}},
            {"name": "band", "mark": {"type": "area", "interpolate": "step-after"},
             "encoding": {"x": x, "y": {**share, "field": "low"}, "y2": {"field": "high"},
                          "color": {**colour, "legend": None},
                          "opacity": {"condition": {"param": "queues", "value": 0.2},
                                      "value": 0.02}}},
            {"name": "goal", "mark": {"type": "line", "interpolate": "step-after",
                                      "strokeDash": [6, 4], "strokeWidth": 1},
             "encoding": {"x": x, "y": {**share, "field": "goal"},
                          "color": {**colour, "legend": None}, "opacity": pick}},
            {"name": "slots", "mark": {"type": "point", "filled": True, "size": 90,
                                       "opacity": 0},
             "encoding": {"x": x, "y": {**share, "field": "sl"}, "tooltip": [
                 {"field": "label", "type": "nominal", "title": t("Time")},
                 {"field": "queue", "type": "nominal", "title": t("queue")},
                 {"field": "sl", "type": "quantitative", "format": ".1%",
                  "title": t("service level")},
                 {"field": "low", "type": "quantitative", "format": ".1%",
                  "title": t("service level") + " " + t("(low)")},
                 {"field": "high", "type": "quantitative", "format": ".1%",
                  "title": t("service level") + " " + t("(high)")},
                 {"field": "goal", "type": "quantitative", "format": ".0%", "title": t("goal")},
                 {"field": "offered", "type": "quantitative", "format": ",.1f",
                  "title": t("offered")}]}},
        ],
        "config": base_config(),
    }


_TIME_LABEL = ("utchours(datum.value) == 0 && utcminutes(datum.value) == 0 ? "
               "utcFormat(datum.value, '%a %m-%d') : utcFormat(datum.value, '%H:%M')")
"""Axis labels: the day at midnight, else the time of day (24-hour in both languages)."""
_DAY_LABEL = "utchours(datum.value) == 0 ? utcFormat(datum.value, '%m-%d') : ''"
