"""The day-by-day Gantt chart of report.html as a Vega-Lite specification: one row per
person at work on the chosen day (the staff id and name for named staff, the pool in
brackets), a bar per shift coloured by shift type, its breaks drawn over it, and a
select box below the chart to choose the day (the day before the horizon too when shifts
start then). Tooltips give the shift's or the break's figures; the legend names the
shift types.

Times are wall-clock times of the scenario's zone drawn on a UTC scale (as in charts.py),
so each day's axis runs from its midnight to the end of its last shift."""

from __future__ import annotations

import datetime as dt
import json

from scheduler.i18n import Translator
from scheduler.report.common import ReportData, base_config, pool_of
from scheduler.vega import VEGA_LITE_SCHEMA

ROW_PX = 16
WIDTH_PX = 1000


def gantt_rows(data: ReportData) -> tuple[list[dict], list[dict], int]:
    """Compact rows (the page of 1,000 agents x 28 days stays a few MB): per shift and
    per break, d (day index), r (the person's row: the labels give its text, the id and
    name, the pool), s and e (start and
    end in minutes from the first roster day's midnight); a shift has y (its type's
    index), a break k (1 unpaid, 2 paid). Returns (rows, labels, that midnight in epoch
    minutes read as UTC)."""
    dates = data.dates
    origin = dt.datetime.combine(dates[0], dt.time()) if dates else dt.datetime(1970, 1, 1)
    epoch = int((origin - dt.datetime(1970, 1, 1)).total_seconds() // 60)
    day_index = {d: i for i, d in enumerate(dates)}
    type_index = {name: i for i, name in enumerate(data.shift_types)}
    labels: dict[tuple[str, str], int] = {}
    rows: list[dict] = []

    minutes: dict[dt.datetime, int] = {}  # a roster's shifts share a few thousand moments

    def minute(moment: dt.datetime) -> int:
        found = minutes.get(moment)
        if found is None:
            found = minutes[moment] = int((moment - origin).total_seconds() // 60)
        return found

    day_of = data.day_of
    for s in sorted(data.result.shifts, key=lambda s: (day_of(s), s.start, s.agent)):
        pool = pool_of(s)
        who = f"{s.agent} {s.name}" if s.name else s.agent
        r = labels.setdefault((who, pool), len(labels))
        d = day_index[day_of(s)]
        rows.append({"d": d, "r": r, "y": type_index[s.shift_type], "s": minute(s.start),
                     "e": minute(s.end)})
        for b in data.breaks_in(s):
            rows.append({"k": 2 if b.paid else 1, "d": d, "r": r, "s": minute(b.start),
                         "e": minute(b.end)})
    people = [{"r": i, "who": f"{who} ({pool})" if pool else who, "agent": who, "pool": pool}
              for (who, pool), i in labels.items()]
    return rows, people, epoch


def gantt_spec(data: ReportData, t: Translator) -> dict:
    """The Gantt chart of one day at a time, the day chosen in the select box above it
    (report.html puts the binding there: `bind` in the embed options)."""
    dates = data.dates
    before = 1 if dates and dates[0] < data.start_date else 0
    labels = [f"{t.weekday(d)} {d:%Y-%m-%d}" + (" " + t("(day before the horizon)")
                                               if before and i == 0 else "")
              for i, d in enumerate(dates)]
    first = 1 if before and len(dates) > 1 else 0
    types = data.shift_types
    colours = [data.colour_of[name] for name in types]
    rows, people, epoch = gantt_rows(data)
    kinds = [t("shift"), t("break"), t("paid break")]
    y = {"field": "who", "type": "nominal", "title": None,
         "sort": {"field": "s", "op": "min"}, "axis": {"labelLimit": 260}}
    x = {"field": "start", "type": "temporal", "scale": {"type": "utc", "nice": False},
         "title": None, "axis": {"format": "%H:%M", "labelOverlap": True, "grid": True,
                                 "orient": "top"}}
    who = {"field": "agent", "type": "nominal", "title": t("agent")}
    pool = [{"field": "pool", "type": "nominal", "title": t("pool")}] \
        if any(p["pool"] for p in people) else []
    what = {"field": "what", "type": "nominal", "title": t("Activity")}
    span = {"field": "span", "type": "nominal", "title": t("Time")}
    kind = {"field": "type", "type": "nominal", "title": t("Shift type")}
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "description": t("Shifts and breaks of one day"),
        "data": {"values": rows},
        "params": [{"name": "day", "value": first,
                    "bind": {"input": "select", "options": list(range(len(dates))),
                             "labels": labels, "name": t("Day") + " "}}],
        "transform": [
            {"filter": "datum.d == day"},
            {"lookup": "r", "from": {"data": {"values": people}, "key": "r",
                                     "fields": ["who", "agent", "pool"]}},
            {"calculate": "datum.k || 0", "as": "k"},
            {"calculate": f"{json.dumps(types, ensure_ascii=False)}[datum.y]", "as": "type"},
            {"calculate": f"{json.dumps(kinds, ensure_ascii=False)}[datum.k]", "as": "what"},
            {"calculate": f"(datum.s + {epoch}) * 60000", "as": "start"},
            {"calculate": f"(datum.e + {epoch}) * 60000", "as": "end"},
            {"calculate": "utcFormat(datum.start, '%H:%M') + '-' + utcFormat(datum.end, "
                          "'%H:%M')", "as": "span"},
        ],
        "width": WIDTH_PX,
        "height": {"step": ROW_PX},
        "layer": [
            {"name": "shifts", "transform": [{"filter": "datum.k == 0"}],
             "mark": {"type": "bar", "cornerRadius": 2, "height": ROW_PX - 4},
             "encoding": {
                 "y": y, "x": x, "x2": {"field": "end"},
                 "color": {"field": "type", "type": "nominal", "title": t("Shift type"),
                           "scale": {"domain": types, "range": colours},
                           "legend": {"orient": "top"}},
                 "tooltip": [who, *pool, kind, what, span]}},
            {"name": "breaks", "transform": [{"filter": "datum.k > 0"}],
             "mark": {"type": "bar", "height": ROW_PX - 8, "color": "#333",
                      "opacity": 0.75},
             "encoding": {"y": y, "x": x, "x2": {"field": "end"},
                          "tooltip": [who, *pool, what, span]}},
        ],
        "config": base_config(),
    }
