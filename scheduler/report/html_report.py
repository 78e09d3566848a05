"""report.html: one self-contained page (inline CSS, data and JavaScript; nothing fetched)
for looking at a roster: KPI cards, on duty versus required over the horizon per series
(total, queues, pools) with zoom and tooltips, the simulated service per queue (when
`scheduler simulate` has written simulation.csv), a heat map of days x time of day, and a
Gantt chart of one day's shifts and breaks with a day selector.

The coverage chart and the heat map are Vega-Lite specs (report/charts.py) drawn in the
browser by Vega, whose bundle is inlined in the page; the Gantt chart is drawn by a little
script of our own from the roster embedded as JSON, one day at a time, so a 1,000-agent
roster stays small. Every text is in the language of the data's translator."""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path

from scheduler.report.charts import chart_specs, embed_options, javascript_bundle
from scheduler.report.common import ReportData, pool_of
from scheduler.report.simulation_view import simulation_section

_e = html.escape
LANGUAGE_META = "scheduler-language"
"""The name of the meta element that records the page's language (also <html lang>)."""


def write_html(data: ReportData, path: Path, generated: dt.datetime | None = None) -> None:
    path.write_text(render(data, generated), encoding="utf-8")


def _json(value) -> str:
    """JSON for a <script> element: never closes it."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).replace("</", "<\\/")


def render(data: ReportData, generated: dt.datetime | None = None) -> str:
    t = data.t
    summary = data.result.summary
    generated = generated or dt.datetime.now(dt.timezone.utc)
    title = t("Roster {scenario}", scenario=summary.scenario)
    cards = "".join(
        f'<div class="card"><div class="label">{_e(label)}</div><div class="value">{_e(value)}</div></div>'
        for label, value in data.kpis
    )
    zone = data.time_zone or t("scenario time zone unknown")
    message = (f'<p class="message" lang="en">{_e(summary.message)}</p>'
               if summary.message else "")
    answer = getattr(summary, "answer", "")
    if answer:
        message = f'<p class="answer" lang="en">{_e(answer)}</p>' + message
    last = data.start_date + dt.timedelta(days=data.days - 1)
    subtitle = t("Horizon {first} to {last}, times in {zone}. Generated {generated} by cs-scheduler.",
                 first=t.date(data.start_date), last=t.date(last), zone=zone,
                 generated=t.datetime(generated.astimezone(dt.timezone.utc).replace(tzinfo=None)) + " UTC")
    specs = chart_specs(data, t)
    empty = f'<p class="empty">{_e(t("No coverage rows."))}</p>'
    bundle = javascript_bundle().replace("</script", "<\\/script") if specs else ""
    return _PAGE.format(
        lang="zh-CN" if t.lang == "zh" else t.lang,
        meta=LANGUAGE_META,
        code=t.lang,
        title=_e(title),
        status=_e(t(summary.status)),
        subtitle=_e(subtitle),
        message=message,
        cards=cards,
        pools=_pool_table(data),
        coverage_title=_e(t("Agents on duty versus required")),
        coverage_help=_e(t("Click a series in the legend to show it alone (shift-click for "
                           "several, click the background for all); drag over the small "
                           "chart to zoom to a day or an hour; point at a slot for its figures.")),
        coverage='<div id="coverage-chart" class="vega"></div>' if data.result.coverage else empty,
        simulation=simulation_section(data.simulation, data.slot_minutes, t),
        heatmap_title=_e(t("Coverage heat map (on duty minus required, days x time of day)")),
        heatmap='<div id="heatmap" class="vega"></div>' if data.result.coverage else empty,
        gantt_title=_e(t("Shifts and breaks of one day")),
        day=_e(t("Day")),
        legend=_type_legend(data),
        aria=_e(t("shifts and breaks")),
        payload=_json(_gantt_payload(data)),
        specs=_json({"specs": specs, "options": embed_options(t)}),
        bundle=bundle,
        css=_CSS,
        js=_JS,
        charts_js=_CHARTS_JS,
    )


# ------------------------------------------------------------------ gantt data


def _gantt_payload(data: ReportData) -> dict:
    """Shifts as compact rows: minutes from the first roster date's midnight."""
    origin = dt.datetime.combine(data.dates[0], dt.time())
    day_index = {d: i for i, d in enumerate(data.dates)}
    types = data.shift_types
    type_index = {name: i for i, name in enumerate(types)}

    def minute(value: dt.datetime) -> int:
        return int((value - origin).total_seconds() // 60)

    rows = []
    for s in sorted(data.result.shifts, key=lambda s: (data.day_of(s), s.start, s.agent)):
        rows.append([
            f"{s.agent} {s.name}" if s.name else s.agent, type_index[s.shift_type], day_index[data.day_of(s)], minute(s.start),
            minute(s.end), pool_of(s),
            [[minute(b.start), minute(b.end), 1 if b.paid else 0] for b in data.breaks_in(s)],
        ])
    return {
        "days": [f"{data.t.weekday(d)} {d:%Y-%m-%d}" for d in data.dates],
        "first": 1 if data.dates[0] < data.start_date else 0,
        "types": types,
        "colours": [data.colour_of[t] for t in types],
        "shifts": rows,
        "labels": {
            "before": data.t("(day before the horizon)"),
            "break": data.t("break"),
            "paid": data.t("paid break"),
            "count": data.t("{n} shifts on {day}"),
        },
    }


def _pool_table(data: ReportData) -> str:
    pools = getattr(data.result.summary, "pools", None) or []
    if not pools:
        return ""
    rows = [p.model_dump(mode="json") if hasattr(p, "model_dump") else dict(p) for p in pools]
    columns = list(rows[0])
    t = data.t
    head = "".join(f"<th>{_e(t(c.replace('_', ' ')))}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_e(_cell(t, r.get(c)))}</td>" for c in columns) + "</tr>" for r in rows)
    return (f'<section><h2>{_e(t("Pools"))}</h2><table class="pools" id="pools"><thead><tr>{head}'
            f"</tr></thead><tbody>{body}</tbody></table></section>")


def _cell(t, value) -> str:
    if isinstance(value, float):
        return t.number(value, 2).rstrip("0").rstrip(".") if value % 1 else t.number(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return t.number(value)
    return "" if value is None else str(value)


def _type_legend(data: ReportData) -> str:
    spans = "".join(f'<span><i style="background:{data.colour_of[name]}"></i>{_e(name)}</span>'
                    for name in data.shift_types)
    return f'<div class="legend">{spans}<span><i class="brk"></i>{_e(data.t("break"))}</span></div>'


_CSS = """
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC",sans-serif;margin:0;color:#222;background:#fafafa}
header{background:#1f3b57;color:#fff;padding:14px 24px}
header h1{margin:0;font-size:22px}
header p{margin:4px 0 0;font-size:13px;opacity:.85}
main{padding:16px 24px;max-width:1400px}
section{background:#fff;border:1px solid #e3e3e3;border-radius:6px;padding:12px 16px;margin:0 0 16px}
h2{font-size:16px;margin:0 0 8px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:10px;margin-bottom:16px}
.card{background:#fff;border:1px solid #e3e3e3;border-radius:6px;padding:10px 12px}
.card .label{font-size:12px;color:#666}
.card .value{font-size:20px;font-weight:600;margin-top:4px}
.chart{width:100%;height:auto;display:block}
.grid{stroke:#e6e6e6;stroke-width:1}
.grid.day{stroke:#bbb}
.tick{font-size:11px;fill:#555}
.legend{font-size:12px;color:#444;margin-top:6px;display:flex;flex-wrap:wrap;gap:14px}
.legend i{display:inline-block;width:14px;height:10px;margin-right:5px;vertical-align:middle}
.legend i.brk{background:repeating-linear-gradient(45deg,#333 0 2px,#fff 2px 4px)}
.message{background:#fff4e5;border:1px solid #f0c36d;padding:8px 12px;border-radius:4px}
#gantt-box{max-height:640px;overflow:auto;border:1px solid #eee}
#gantt{display:block}
.controls{display:flex;gap:12px;align-items:center;margin-bottom:8px;font-size:14px}
.empty{color:#777}
.answer{font-size:15px;margin:0 0 12px}
table.pools{border-collapse:collapse;font-size:13px}
table.pools th,table.pools td{border:1px solid #e3e3e3;padding:4px 10px;text-align:right}
table.pools th:first-child,table.pools td:first-child{text-align:left}
table.pools tr.miss td{background:#fde2e1}
.sim-chart{margin-top:8px}
.vega{width:100%;overflow-x:auto}
.help{font-size:12px;color:#555;margin:0 0 6px}
#vg-tooltip-element{font-family:system-ui,"Noto Sans","Noto Sans CJK SC",sans-serif}
"""

_JS = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("roster-data").textContent);
  var NS = "http://www.w3.org/2000/svg";
  var select = document.getElementById("day");
  var info = document.getElementById("gantt-info");
  var svg = document.getElementById("gantt");
  data.days.forEach(function (label, i) {
    var opt = document.createElement("option");
    opt.value = String(i);
    opt.textContent = label + (data.first && i === 0 ? " " + data.labels.before : "");
    select.appendChild(opt);
  });
  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    for (var k in attrs) { node.setAttribute(k, attrs[k]); }
    if (parent) { parent.appendChild(node); }
    return node;
  }
  function hhmm(minute) {
    var m = ((minute % 1440) + 1440) % 1440;
    var h = Math.floor(m / 60), mm = m % 60;
    return (h < 10 ? "0" : "") + h + ":" + (mm < 10 ? "0" : "") + mm;
  }
  function draw(day) {
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    var rows = data.shifts.filter(function (s) { return s[2] === day; });
    var origin = day * 1440;
    var last = 1440;
    rows.forEach(function (s) { last = Math.max(last, s[4] - origin); });
    last = Math.ceil(last / 120) * 120;
    var left = 210, top = 24, rowH = 16, width = 1200;
    var scale = (width - left - 10) / last;
    var height = top + Math.max(rows.length, 1) * rowH + 8;
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    svg.setAttribute("width", width);
    svg.setAttribute("height", height);
    for (var t = 0; t <= last; t += 60) {
      var x = left + t * scale;
      el("line", {x1: x, x2: x, y1: top - 4, y2: height, "class": t % 1440 === 0 ? "grid day" : "grid"}, svg);
      if (t % 120 === 0 && t < last) {
        var label = el("text", {x: x + 2, y: 14, "class": "tick"}, svg);
        label.textContent = hhmm(t) + (t >= 1440 ? "+1" : "");
      }
    }
    rows.forEach(function (s, i) {
      var y = top + i * rowH;
      var name = el("text", {x: left - 6, y: y + rowH - 4, "class": "tick", "text-anchor": "end"}, svg);
      name.textContent = s[0] + (s[5] ? " (" + s[5] + ")" : "");
      var bar = el("rect", {x: left + (s[3] - origin) * scale, y: y + 2, width: Math.max(1, (s[4] - s[3]) * scale),
                            height: rowH - 4, fill: data.colours[s[1]], "class": "shift", rx: 2}, svg);
      el("title", {}, bar).textContent = s[0] + ": " + data.types[s[1]] + " " + hhmm(s[3]) + "-" + hhmm(s[4]);
      s[6].forEach(function (b) {
        var br = el("rect", {x: left + (b[0] - origin) * scale, y: y + 2, width: Math.max(1, (b[1] - b[0]) * scale),
                             height: rowH - 4, fill: "url(#brk)", stroke: "#333", "stroke-width": 0.5, "class": "break"}, svg);
        el("title", {}, br).textContent = (b[2] ? data.labels.paid : data.labels["break"]) + " " + hhmm(b[0]) + "-" + hhmm(b[1]);
      });
    });
    var defs = el("defs", {}, null);
    svg.insertBefore(defs, svg.firstChild);
    var pat = el("pattern", {id: "brk", width: 4, height: 4, patternUnits: "userSpaceOnUse",
                             patternTransform: "rotate(45)"}, defs);
    el("rect", {width: 4, height: 4, fill: "#fff"}, pat);
    el("rect", {width: 2, height: 4, fill: "#333"}, pat);
    info.textContent = data.labels.count.replace("{n}", rows.length).replace("{day}", data.days[day]);
  }
  select.addEventListener("change", function () { draw(Number(select.value)); });
  var start = data.first && data.days.length > 1 ? 1 : 0;
  select.value = String(start);
  draw(start);
})();
"""

_CHARTS_JS = r"""
(function () {
  "use strict";
  var box = document.getElementById("chart-specs");
  var charts = JSON.parse(box.textContent);
  var names = Object.keys(charts.specs);
  if (!names.length) { document.body.setAttribute("data-charts", "none"); return; }
  if (typeof vegaEmbed !== "function") {
    document.body.setAttribute("data-charts", "failed");
    console.error("the chart library did not load");
    return;
  }
  window.reportViews = {};
  Promise.all(names.map(function (id) {
    return vegaEmbed("#" + id, charts.specs[id], charts.options).then(function (r) {
      window.reportViews[id] = r.view;
    });
  })).then(function () {
    document.body.setAttribute("data-charts", "ready");
  }, function (error) {
    document.body.setAttribute("data-charts", "failed");
    console.error(String(error));
  });
})();
"""

_PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="{meta}" content="{code}">
<link rel="icon" href="data:,">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<header><h1>{title}: {status}</h1>
<p>{subtitle}</p></header>
<main>
{message}
<div class="cards" id="kpis">{cards}</div>
{pools}
<section><h2>{coverage_title}</h2><p class="help">{coverage_help}</p>{coverage}</section>
{simulation}
<section><h2>{heatmap_title}</h2>{heatmap}</section>
<section><h2>{gantt_title}</h2>
<div class="controls"><label for="day">{day}</label><select id="day"></select><span id="gantt-info"></span></div>
{legend}
<div id="gantt-box"><svg id="gantt" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{aria}"></svg></div>
</section>
</main>
<script type="application/json" id="roster-data">{payload}</script>
<script type="application/json" id="chart-specs">{specs}</script>
<script>{js}</script>
<!-- Charts drawn by Vega, Vega-Lite and Vega-Embed (BSD-3-Clause, University of Washington
Interactive Data Lab), bundled by vl-convert (BSD-3-Clause). -->
<script>{bundle}</script>
<script>{charts_js}</script>
</body>
</html>
"""
