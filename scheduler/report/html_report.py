"""report.html: one self-contained page (inline CSS, SVG and a little JavaScript; nothing
fetched) for looking at a roster: KPI cards, on duty versus required over the horizon
with short slots marked, the simulated service per queue (when `scheduler simulate` has
written simulation.csv), a heatmap of days x time of day, and a Gantt chart of one day's
shifts and breaks with a day selector.

The horizon charts are drawn here as SVG; the Gantt chart is drawn in the browser from
the roster embedded as JSON, one day at a time, so a 1,000-agent roster stays small."""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path

from scheduler.report.common import (
    REQUIRED_COLOUR,
    SCHEDULED_COLOUR,
    SHORT_COLOUR,
    ReportData,
    pool_of,
)
from scheduler.report.simulation_view import simulation_section

_e = html.escape


def write_html(data: ReportData, path: Path, generated: dt.datetime | None = None) -> None:
    path.write_text(render(data, generated), encoding="utf-8")


def render(data: ReportData, generated: dt.datetime | None = None) -> str:
    summary = data.result.summary
    generated = generated or dt.datetime.now(dt.timezone.utc)
    title = f"Roster {summary.scenario}"
    cards = "".join(
        f'<div class="card"><div class="label">{_e(label)}</div><div class="value">{_e(value)}</div></div>'
        for label, value in data.kpis
    )
    zone = data.time_zone or "scenario time zone unknown"
    message = f'<p class="message">{_e(summary.message)}</p>' if summary.message else ""
    answer = getattr(summary, "answer", "")
    if answer:
        message = f'<p class="answer">{_e(answer)}</p>' + message
    payload = json.dumps(_gantt_payload(data), separators=(",", ":"), ensure_ascii=True)
    payload = payload.replace("</", "<\\/")  # never closes the script element
    return _PAGE.format(
        title=_e(title),
        status=_e(summary.status),
        zone=_e(zone),
        first=data.start_date.isoformat(),
        last=(data.start_date + dt.timedelta(days=data.days - 1)).isoformat(),
        generated=generated.strftime("%Y-%m-%d %H:%M UTC"),
        message=message,
        cards=cards,
        pools=_pool_table(data),
        coverage=_coverage_svg(data),
        simulation=simulation_section(data.simulation, data.slot_minutes),
        heatmap=_heatmap_svg(data),
        legend=_type_legend(data),
        payload=payload,
        css=_CSS,
        js=_JS,
    )


# ------------------------------------------------------------------ coverage over time


def _coverage_svg(data: ReportData) -> str:
    cov = data.result.coverage
    if not cov:
        return '<p class="empty">No coverage rows.</p>'
    n = len(cov)
    width, height = 1200.0, 320.0
    left, right, top, bottom = 44.0, 10.0, 12.0, 36.0
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max(max(c.required for c in cov), max(c.scheduled for c in cov), 1)
    step_y = _nice_step(peak)
    y_max = step_y * -(-peak // step_y)
    dx = plot_w / n

    def x(i: float) -> float:
        return left + i * dx

    def y(v: float) -> float:
        return top + plot_h - v * plot_h / y_max

    parts = [f'<svg id="coverage-chart" class="chart" viewBox="0 0 {width:g} {height:g}" '
             f'role="img" aria-label="on duty versus required per slot">']
    # short slots: a red band each (merged runs), with a tooltip
    i = 0
    while i < n:
        if cov[i].scheduled < cov[i].required:
            j = i
            worst = 0
            while j < n and cov[j].scheduled < cov[j].required:
                worst = max(worst, cov[j].required - cov[j].scheduled)
                j += 1
            end = cov[j - 1].start + dt.timedelta(minutes=data.slot_minutes)
            parts.append(
                f'<rect class="short" x="{x(i):.2f}" y="{top:g}" width="{max(dx * (j - i), 1.5):.2f}" '
                f'height="{plot_h:g}" fill="{SHORT_COLOUR}" fill-opacity="0.25">'
                f'<title>short {cov[i].start:%a %m-%d %H:%M}-{end:%H:%M}: up to {worst} agents</title></rect>')
            i = j
        else:
            i += 1
    # grid: horizontal lines and day boundaries
    for v in range(0, y_max + 1, step_y):
        parts.append(f'<line x1="{left:g}" x2="{width - right:g}" y1="{y(v):.1f}" y2="{y(v):.1f}" class="grid"/>'
                     f'<text x="{left - 6:g}" y="{y(v) + 4:.1f}" class="tick" text-anchor="end">{v}</text>')
    per_day = 1440 // data.slot_minutes
    days = -(-n // per_day)
    label_every = max(1, days // 14)
    for d in range(days + 1):
        xd = x(d * per_day)
        parts.append(f'<line x1="{xd:.1f}" x2="{xd:.1f}" y1="{top:g}" y2="{top + plot_h:g}" class="grid day"/>')
        if d < days and d % label_every == 0:
            when = cov[min(d * per_day, n - 1)].start
            parts.append(f'<text x="{xd + 3:.1f}" y="{height - bottom + 16:g}" class="tick">{when:%a %m-%d}</text>')
    # on duty as a filled step area, required as a step line
    area = [f"M{x(0):.2f},{y(0):.2f}"]
    line = []
    for k, c in enumerate(cov):
        area.append(f"L{x(k):.2f},{y(c.scheduled):.2f}L{x(k + 1):.2f},{y(c.scheduled):.2f}")
        line.append(f"{'M' if k == 0 else 'L'}{x(k):.2f},{y(c.required):.2f}L{x(k + 1):.2f},{y(c.required):.2f}")
    area.append(f"L{x(n):.2f},{y(0):.2f}Z")
    parts.append(f'<path class="scheduled" d="{"".join(area)}" fill="{SCHEDULED_COLOUR}" fill-opacity="0.35" '
                 f'stroke="{SCHEDULED_COLOUR}" stroke-width="0.8"/>')
    parts.append(f'<path class="required" d="{"".join(line)}" fill="none" stroke="{REQUIRED_COLOUR}" stroke-width="1.4"/>')
    parts.append("</svg>")
    legend = (f'<div class="legend"><span><i style="background:{SCHEDULED_COLOUR};opacity:.5"></i>on duty (not on break)</span>'
              f'<span><i style="background:{REQUIRED_COLOUR};height:3px"></i>required</span>'
              f'<span><i style="background:{SHORT_COLOUR};opacity:.35"></i>short</span></div>')
    return "".join(parts) + legend


def _nice_step(peak: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if peak / step <= 6:
            return step
    return 10 ** len(str(peak))


# ------------------------------------------------------------------ heatmap


def _heat_colour(diff: int, scale: int) -> str:
    """Red for short, white for exact, blue for over; stronger with the difference."""
    if diff == 0:
        return "#F7F7F7"
    t = min(1.0, abs(diff) / scale)
    if diff < 0:
        r, g, b = 247 + (214 - 247) * t, 247 + (39 - 247) * t, 247 + (40 - 247) * t
    else:
        r, g, b = 247 + (33 - 247) * t, 247 + (102 - 247) * t, 247 + (172 - 247) * t
    return f"#{int(r):02X}{int(g):02X}{int(b):02X}"


def _heatmap_svg(data: ReportData) -> str:
    cov = data.result.coverage
    if not cov:
        return '<p class="empty">No coverage rows.</p>'
    slot = data.slot_minutes
    per_day = 1440 // slot
    first = cov[0].start.date()
    days = (cov[-1].start.date() - first).days + 1
    cell_w = max(4.0, min(24.0, 960.0 / per_day))
    cell_h = 16.0 if days <= 31 else max(4.0, 500.0 / days)
    left, top = 92.0, 22.0
    width = left + per_day * cell_w + 10
    height = top + days * cell_h + 8
    over_scale = max(1, max((c.scheduled - c.required for c in cov), default=1))
    short_scale = max(1, max((c.required - c.scheduled for c in cov), default=1))
    parts = [f'<svg id="heatmap" class="chart" viewBox="0 0 {width:g} {height:g}" '
             f'style="max-width:{width * 1.25:.0f}px" role="img" '
             f'aria-label="on duty minus required per day and time of day">']
    hours_every = 2 if cell_w * (60 / slot) < 28 else 1
    for h in range(0, 24, hours_every):
        parts.append(f'<text x="{left + h * 60 / slot * cell_w:.1f}" y="{top - 6:g}" class="tick">{h:02d}</text>')
    for d in range(days):
        day = first + dt.timedelta(days=d)
        parts.append(f'<text x="{left - 6:g}" y="{top + d * cell_h + cell_h * 0.75:.1f}" class="tick" '
                     f'text-anchor="end">{day:%a %m-%d}</text>')
    for c in cov:
        d = (c.start.date() - first).days
        k = (c.start.hour * 60 + c.start.minute) // slot
        diff = c.scheduled - c.required
        colour = _heat_colour(diff, short_scale if diff < 0 else over_scale)
        parts.append(f'<rect x="{left + k * cell_w:.1f}" y="{top + d * cell_h:.1f}" width="{cell_w:.1f}" '
                     f'height="{cell_h:.1f}" fill="{colour}"><title>{c.start:%a %m-%d %H:%M}: on duty '
                     f'{c.scheduled}, required {c.required}</title></rect>')
    parts.append("</svg>")
    legend = (f'<div class="legend"><span><i style="background:{_heat_colour(-1, 1)}"></i>short</span>'
              f'<span><i style="background:#F7F7F7;border:1px solid #ccc"></i>exactly covered</span>'
              f'<span><i style="background:{_heat_colour(1, 1)}"></i>over (darker: more; up to '
              f'{over_scale} over, {short_scale if any(c.scheduled < c.required for c in cov) else 0} short)</span></div>')
    return "".join(parts) + legend


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
            s.agent, type_index[s.shift_type], day_index[data.day_of(s)], minute(s.start),
            minute(s.end), pool_of(s),
            [[minute(b.start), minute(b.end), 1 if b.paid else 0] for b in data.breaks_in(s)],
        ])
    return {
        "days": [d.strftime("%a %Y-%m-%d") for d in data.dates],
        "first": 1 if data.dates[0] < data.start_date else 0,
        "types": types,
        "colours": [data.colour_of[t] for t in types],
        "shifts": rows,
    }


def _pool_table(data: ReportData) -> str:
    pools = getattr(data.result.summary, "pools", None) or []
    if not pools:
        return ""
    rows = [p.model_dump(mode="json") if hasattr(p, "model_dump") else dict(p) for p in pools]
    columns = list(rows[0])
    head = "".join(f"<th>{_e(c.replace('_', ' '))}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_e(_cell(r.get(c)))}</td>" for c in columns) + "</tr>" for r in rows)
    return (f'<section><h2>Pools</h2><table class="pools" id="pools"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></section>")


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"
    return "" if value is None else str(value)


def _type_legend(data: ReportData) -> str:
    spans = "".join(f'<span><i style="background:{data.colour_of[t]}"></i>{_e(t)}</span>'
                    for t in data.shift_types)
    return f'<div class="legend">{spans}<span><i class="brk"></i>break</span></div>'


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
    opt.textContent = label + (data.first && i === 0 ? " (day before the horizon)" : "");
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
    var left = 150, top = 24, rowH = 16, width = 1200;
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
        el("title", {}, br).textContent = (b[2] ? "paid break " : "break ") + hhmm(b[0]) + "-" + hhmm(b[1]);
      });
    });
    var defs = el("defs", {}, null);
    svg.insertBefore(defs, svg.firstChild);
    var pat = el("pattern", {id: "brk", width: 4, height: 4, patternUnits: "userSpaceOnUse",
                             patternTransform: "rotate(45)"}, defs);
    el("rect", {width: 4, height: 4, fill: "#fff"}, pat);
    el("rect", {width: 2, height: 4, fill: "#333"}, pat);
    info.textContent = rows.length + " shifts on " + data.days[day];
  }
  select.addEventListener("change", function () { draw(Number(select.value)); });
  var start = data.first && data.days.length > 1 ? 1 : 0;
  select.value = String(start);
  draw(start);
})();
"""

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<header><h1>{title}: {status}</h1>
<p>Horizon {first} to {last}, times in {zone}. Generated {generated} by cs-scheduler.</p></header>
<main>
{message}
<div class="cards" id="kpis">{cards}</div>
{pools}
<section><h2>Agents on duty versus required</h2>{coverage}</section>
{simulation}
<section><h2>Coverage heatmap (on duty minus required, days x time of day)</h2>{heatmap}</section>
<section><h2>Shifts and breaks of one day</h2>
<div class="controls"><label for="day">Day</label><select id="day"></select><span id="gantt-info"></span></div>
{legend}
<div id="gantt-box"><svg id="gantt" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="shifts and breaks"></svg></div>
</section>
</main>
<script type="application/json" id="roster-data">{payload}</script>
<script>{js}</script>
</body>
</html>
"""
