"""report.html: one self-contained page (inline CSS, data and JavaScript; nothing fetched)
for looking at a roster: KPI cards, on duty versus required over the horizon per series
(total, queues, pools) with zoom and tooltips, the simulated service per queue (when
`scheduler simulate` has written simulation.csv), a heat map of days x time of day, and a
Gantt chart of one day's shifts and breaks with a day selector.

Every chart is a Vega-Lite spec (report/charts.py, report/gantt.py) drawn in the browser
by Vega, whose bundle is inlined in the page; nothing is fetched. Every text is in the
language of the data's translator."""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path

from scheduler.report.charts import chart_specs, embed_options, javascript_bundle
from scheduler.report.common import ReportData, answer_text, as_sentence
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
    answer, native = answer_text(summary, t)
    if answer:
        tag = "" if native else ' lang="en"'
        message = f'<p class="answer"{tag}>{_e(as_sentence(answer, t.lang if native else "en"))}</p>' \
            + message
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
        gantt_help=_e(t("Choose the day above the chart; point at a bar for its figures.")),
        gantt='<div id="gantt-day" class="controls"></div><div id="gantt" class="vega"></div>'
        if data.result.shifts else
        f'<p class="empty">{_e(t("No shifts."))}</p>',
        specs=_json({"specs": specs, "options": embed_options(t)}),
        bundle=bundle,
        css=_CSS,
        charts_js=_CHARTS_JS,
    )


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
#gantt{max-height:700px;overflow:auto}
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
    var options = Object.assign({}, charts.options);
    if (id === "gantt") { options.bind = "#gantt-day"; }  // the day select above the chart
    return vegaEmbed("#" + id, charts.specs[id], options).then(function (r) {
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
<section><h2>{gantt_title}</h2><p class="help">{gantt_help}</p>{gantt}</section>
</main>
<script type="application/json" id="chart-specs">{specs}</script>
<!-- Charts drawn by Vega, Vega-Lite and Vega-Embed (BSD-3-Clause, University of Washington
Interactive Data Lab), bundled by vl-convert (BSD-3-Clause). -->
<script>{bundle}</script>
<script>{charts_js}</script>
</body>
</html>
"""
