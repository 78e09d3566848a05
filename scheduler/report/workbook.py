"""roster.xlsx for planners.

Sheets, named in the data's language: Roster (agents x days, each cell "08:00-17:00" filled in its shift type's colour,
weekly paid hours per agent, pool; frozen headers), Intraday (per day and slot: required,
on duty, short, with a native chart per day), Coverage (every slot), Simulation (when
`scheduler simulate` has written simulation.csv), Breaks, Summary (the
KPIs and summary.json), Inputs (the scenario as solved), and Shifts, the long format that
`scheduler check` reads back (also after edits in Excel). Shifts and Breaks are
machine-readable, like shifts.csv and breaks.csv: their names and column names stay English
in every language, so the checker reads any roster.xlsx."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import xlsxwriter

from scheduler.report.common import (
    ReportData,
    answer_text,
    as_sentence,
    hhmm,
    overtime_minutes_of,
    pool_of,
)
from scheduler.report.simulation_view import write_simulation_sheet
from scheduler.report.xlsx_rows import splice_rows

ISO = "%Y-%m-%dT%H:%M"
SHIFT_COLUMNS = ["agent", "shift_type", "start", "end", "paid_minutes", "day"]
BREAK_COLUMNS = ["agent", "start", "end", "paid"]
CHART_ROWS = 16  # rows of the Intraday sheet one chart covers


@lru_cache(maxsize=1 << 16)
def _iso(value: dt.datetime) -> str:
    return value.strftime(ISO)


def write_workbook(data: ReportData, path: Path) -> None:
    # Text stays text (an agent called "=1+1" is not a formula); an infinite bound is
    # written as an Excel error (#DIV/0!) rather than failing.
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                         "strings_to_urls": False, "nan_inf_to_errors": True})
    wb.set_properties({"title": data.t("Roster {scenario}", scenario=data.result.summary.scenario),
                       "comments": "Written by cs-scheduler"})
    fmt = _Formats(wb, data)
    _roster(wb, fmt, data)
    _intraday(wb, fmt, data)
    _coverage(wb, fmt, data)
    if data.simulation:
        write_simulation_sheet(wb, fmt, data.simulation, data.t)
    breaks = _breaks(wb, fmt, data)
    _summary(wb, fmt, data)
    _inputs(wb, fmt, data)
    shifts = _shifts(wb, fmt, data)
    wb.close()
    # the two long plain sheets' rows, written straight into the file (xlsx_rows.py)
    splice_rows(path, {"Breaks": (2, breaks), "Shifts": (2, shifts)})


class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook, data: ReportData) -> None:
        self.bold = wb.add_format({"bold": True})
        self.head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1,
                                   "text_wrap": True, "valign": "top"})
        self.title = wb.add_format({"bold": True, "font_size": 14})
        self.hours = wb.add_format({"num_format": "0.0"})
        self.percent = wb.add_format({"num_format": "0.0%"})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self.short = wb.add_format({"bg_color": "#F8CBAD", "font_color": "#9C0006"})
        self.over = wb.add_format({"bg_color": "#E2EFDA"})
        self.off = wb.add_format({"font_color": "#BFBFBF", "align": "center"})
        self.shift = {
            name: wb.add_format({"bg_color": colour, "border": 1, "border_color": "#FFFFFF",
                                 "align": "center"})
            for name, colour in data.colour_of.items()
        }


def _roster(wb, fmt: _Formats, data: ReportData) -> None:
    t = data.t
    ws = wb.add_worksheet(t("Roster"))
    dates = data.dates
    first_day_col = 2
    col_of = {d: first_day_col + i for i, d in enumerate(dates)}
    week_col = first_day_col + len(dates)
    ws.write_row(0, 0, [t("agent"), t("pool")], fmt.head)
    for d, c in col_of.items():
        label = f"{t.weekday(d)} {d:%m-%d}" + (" " + t("(before)") if d < data.start_date else "")
        ws.write_string(0, c, label, fmt.head)
    for w in range(data.weeks):
        first = data.start_date + dt.timedelta(days=7 * w)
        last = min(first + dt.timedelta(days=6), data.start_date + dt.timedelta(days=data.days - 1))
        ws.write_string(0, week_col + w, t("paid h {first}..{last}", first=f"{first:%m-%d}",
                                           last=f"{last:%m-%d}"), fmt.head)
    total_col = week_col + data.weeks
    ws.write_string(0, total_col, t("paid h total"), fmt.head)
    ws.write_string(0, total_col + 1, t("shifts"), fmt.head)

    by_agent: dict[str, list] = {}
    for s in data.result.shifts:
        by_agent.setdefault(s.agent, []).append(s)
    pools = data.pool_of_agent
    names = {s.agent: s.name for s in data.result.shifts if s.name}
    for row, agent in enumerate(data.agents, start=1):
        # named staff: the id and the name, as the planner publishes the roster
        ws.write_string(row, 0, f"{agent} {names[agent]}" if agent in names else agent, fmt.bold)
        ws.write_string(row, 1, pools.get(agent, ""))
        shifts = by_agent.get(agent, [])
        for s in shifts:
            ws.write_string(row, col_of[data.day_of(s)], f"{hhmm(s.start)}-{hhmm(s.end)}",
                            fmt.shift[s.shift_type])
        weekly = data.weekly_paid_minutes[agent]
        for w, minutes in enumerate(weekly):
            ws.write_number(row, week_col + w, minutes / 60, fmt.hours)
        ws.write_number(row, total_col, sum(weekly) / 60, fmt.hours)
        ws.write_number(row, total_col + 1, len(shifts))
    ws.freeze_panes(1, first_day_col)
    ws.set_column(0, 0, 22 if names else 10)
    ws.set_column(1, 1, 8)
    ws.set_column(first_day_col, week_col - 1, 12)
    ws.set_column(week_col, total_col + 1, 11)
    ws.set_row(0, 30)
    if data.agents:
        ws.autofilter(0, 0, len(data.agents), total_col + 1)
    # Legend beside the table (rows below it would get in the way of sorting).
    legend_col = total_col + 3
    ws.write_string(0, legend_col, t("shift types"), fmt.head)
    for i, name in enumerate(data.shift_types):
        ws.write_string(1 + i, legend_col, name, fmt.shift[name])
    ws.set_column(legend_col, legend_col, 14)


def _intraday(wb, fmt: _Formats, data: ReportData) -> None:
    """One column pair per day (required, on duty) over the slots of the day, a short
    column, and a chart per day below the table."""
    t = data.t
    sheet = t("Intraday")
    ws = wb.add_worksheet(sheet)
    cov = data.result.coverage
    slot = data.slot_minutes
    per_day = 1440 // slot
    days = sorted({c.start.date() for c in cov})
    by_key = {(c.start.date(), c.start.hour * 60 + c.start.minute): c for c in cov}
    ws.write_string(0, 0, t("time"), fmt.head)
    for i, d in enumerate(days):
        col = 1 + 3 * i
        ws.merge_range(0, col, 0, col + 2, f"{t.weekday(d)} {d:%Y-%m-%d}", fmt.head)
        ws.write_row(1, col, [t("required"), t("on duty"), t("short")], fmt.head)
    ws.write_string(1, 0, "", fmt.head)
    for k in range(per_day):
        minute = k * slot
        ws.write_string(2 + k, 0, f"{minute // 60:02d}:{minute % 60:02d}")
        for i, d in enumerate(days):
            c = by_key.get((d, minute))
            if c is None:
                continue
            col = 1 + 3 * i
            ws.write_number(2 + k, col, c.required)
            ws.write_number(2 + k, col + 1, c.scheduled)
            short = max(0, c.required - c.scheduled)
            ws.write_number(2 + k, col + 2, short, fmt.short if short else None)
    last_row = 1 + per_day
    ws.freeze_panes(2, 1)
    ws.set_column(0, 0, 7)
    ws.set_column(1, 3 * len(days), 8)
    # A chart per day, two abreast, below the table.
    top = last_row + 2
    for i, d in enumerate(days):
        col = 1 + 3 * i
        chart = wb.add_chart({"type": "column"})
        chart.add_series({
            "name": t("on duty"),
            "categories": [sheet, 2, 0, last_row, 0],
            "values": [sheet, 2, col + 1, last_row, col + 1],
            "fill": {"color": "#9CC9E8"},
            "gap": 20,
        })
        line = wb.add_chart({"type": "line"})
        line.add_series({
            "name": t("required"),
            "categories": [sheet, 2, 0, last_row, 0],
            "values": [sheet, 2, col, last_row, col],
            "line": {"color": "#C00000", "width": 2},
        })
        chart.combine(line)
        chart.set_title({"name": t("{day}: on duty vs required",
                                   day=f"{t.weekday(d)} {d:%Y-%m-%d}"),
                         "name_font": {"size": 11}})
        chart.set_x_axis({"name": t("time of day"), "interval_unit": max(1, 120 // slot),
                          "num_font": {"rotation": -45}})
        peak = max((max(c.required, c.scheduled) for c in cov if c.start.date() == d), default=1)
        chart.set_y_axis({"name": t("agents"), "min": 0, "num_format": "0",
                          "major_unit": _nice_step(peak)})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 620, "height": 300})
        ws.insert_chart(top + (i // 2) * CHART_ROWS, 1 + (i % 2) * 9, chart)


def _nice_step(peak: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if peak / step <= 8:
            return step
    return 10 ** len(str(peak))


def _coverage(wb, fmt: _Formats, data: ReportData) -> None:
    t = data.t
    ws = wb.add_worksheet(t("Coverage"))
    ws.write_row(0, 0, [t("start"), t("required"), t("scheduled"), t("short"), t("over")],
                 fmt.head)
    cov = data.result.coverage
    for i, c in enumerate(cov, start=1):
        ws.write_string(i, 0, _iso(c.start))
        ws.write_row(i, 1, [c.required, c.scheduled, max(0, c.required - c.scheduled),
                            max(0, c.scheduled - c.required)])
    channels = getattr(cov[0], "channels", None) if cov else None
    if channels:  # workload scenarios: the service each channel achieves per slot
        keys = [k for k in type(channels[0]).model_fields if k != "channel"]
        names = ([f"{ch.channel}_{k}" for ch in channels for k in keys] if t.lang == "en" else
                 [f"{ch.channel} {t(k.replace('_', ' '))}" for ch in channels for k in keys])
        ws.write_row(0, 5, names, fmt.head)
        for i, c in enumerate(cov, start=1):
            col = 5
            for ch in c.channels:
                for k in keys:
                    v = getattr(ch, k)
                    if isinstance(v, bool) or v is None or not isinstance(v, (int, float)):
                        ws.write_string(i, col, "" if v is None else
                                        (t(str(v).lower()) if isinstance(v, bool) else str(v)))
                    else:
                        ws.write_number(i, col, v)
                    col += 1
    if cov:
        n = len(cov)
        ws.conditional_format(1, 3, n, 3, {"type": "cell", "criteria": ">", "value": 0,
                                           "format": fmt.short})
        ws.conditional_format(1, 4, n, 4, {"type": "cell", "criteria": ">", "value": 0,
                                           "format": fmt.over})
        ws.autofilter(0, 0, n, 4)
    ws.freeze_panes(1, 0)
    ws.set_column(0, 0, 18)
    ws.set_column(1, 4, 10)


def _breaks(wb, fmt: _Formats, data: ReportData) -> list[tuple]:
    """The sheet with its header; returns its rows, for splice_rows. The first four columns
    are what `scheduler check` reads; the rest are for people."""
    ws = wb.add_worksheet("Breaks")
    ws.write_row(0, 0, BREAK_COLUMNS + ["minutes", "day", "pool"], fmt.head)
    owner = {}
    for s in data.result.shifts:
        for b in data.breaks_in(s):
            owner[id(b)] = s
    rows = []
    for b in data.result.breaks:
        s = owner.get(id(b))
        rows.append((b.agent, _iso(b.start), _iso(b.end), "true" if b.paid else "false",
                     int((b.end - b.start).total_seconds() // 60))
                    + ((data.day_of(s).isoformat(), pool_of(s)) if s is not None else ()))
    ws.freeze_panes(1, 0)
    ws.set_column(0, 0, 10)
    ws.set_column(1, 2, 17)
    ws.set_column(3, 6, 10)
    if rows:
        ws.autofilter(0, 0, len(rows), 6)
    return rows


def _summary(wb, fmt: _Formats, data: ReportData) -> None:
    t = data.t
    ws = wb.add_worksheet(t("Summary"))
    summary = data.result.summary
    ws.write_string(0, 0, f"{summary.scenario}: {t(summary.status)}", fmt.title)
    row = 2
    ws.write_row(row, 0, [t("KPI"), t("value")], fmt.head)
    for label, value in data.kpis:
        row += 1
        ws.write_string(row, 0, label, fmt.bold)
        ws.write_string(row, 1, value)
    answer, native = answer_text(summary, t)
    if answer:
        row += 2
        ws.write_string(row, 0, t("In one sentence"), fmt.bold)
        ws.write_string(row, 1, as_sentence(answer, t.lang if native else "en"), fmt.wrap)
    values = summary.model_dump(mode="json")
    if values.get("queues") is None:
        values.pop("queues", None)  # only scenarios that split queues have it
    # Lists of records (per pool, per day, ...) as tables below the key/value list.
    tables = {k: v for k, v in values.items()
              if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)}
    row += 2
    ws.write_row(row, 0, [t("summary.json key"), t("value")], fmt.head)
    shown = [_iso(t) for t in summary.short_slots[:40]]
    more = len(summary.short_slots) - len(shown)
    values["short_slots"] = f"{len(summary.short_slots)}" + (
        f": {', '.join(shown)}" + (" " + t("and {n} more (see Coverage)", n=more) if more else "")
        if shown else "")
    for key, value in values.items():
        if key in tables:
            continue
        items = value.items() if isinstance(value, dict) else [(None, value)]
        for sub, v in items:
            row += 1
            ws.write_string(row, 0, key if sub is None else f"{key}.{sub}", fmt.bold)
            if isinstance(v, bool) or v is None or not isinstance(v, (int, float)):
                text = "" if v is None else str(v)
                if len(text) > 2000:
                    text = text[:2000] + " ... " + t("(see summary.json)")
                ws.write_string(row, 1, text)
            else:
                ws.write_number(row, 1, v)
    for key, records in tables.items():
        row += 2
        ws.write_string(row, 0, key, fmt.title)
        columns = list(records[0])
        row += 1
        ws.write_row(row, 0, columns, fmt.head)
        for record in records:
            row += 1
            for c, name in enumerate(columns):
                v = record.get(name)
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    ws.write_number(row, c, v)
                else:
                    ws.write_string(row, c, "" if v is None else str(v))
    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 60)
    ws.set_column(2, 12, 14)


def _inputs(wb, fmt: _Formats, data: ReportData) -> None:
    t = data.t
    ws = wb.add_worksheet(t("Inputs"))
    sc = data.scenario
    if sc is None:
        ws.write_string(0, 0, t("The scenario was not given to the writer."), fmt.bold)
        return
    ws.write_string(0, 0, t("Scenario {name} as solved", name=sc.name), fmt.title)
    row = 2
    if sc.description:
        ws.write_string(row, 0, "description", fmt.bold)
        ws.write_string(row, 1, sc.description, fmt.wrap)
        row += 2
    dumped = sc.model_dump(mode="json")
    for section in dumped:
        if section in ("name", "description", "shift_types"):
            continue
        value = dumped[section]
        ws.write_row(row, 0, [section, ""], fmt.head)
        row += 1
        for key, v in (value.items() if isinstance(value, dict) else [("", value)]):
            ws.write_string(row, 0, str(key), fmt.bold)
            if isinstance(v, list) and v and isinstance(v[0], dict):
                ws.write_string(row, 1, t("{n} entries (see the scenario's files)", n=len(v)))
            elif isinstance(v, list) and len(v) > 12:
                ws.write_string(row, 1, t("{n} values per slot (see the Coverage sheet; "
                                          "min {low}, max {high})", n=len(v), low=min(v),
                                          high=max(v)))
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                ws.write_number(row, 1, v)
            else:
                ws.write_string(row, 1, "" if v is None else
                                (t(str(v).lower()) if isinstance(v, bool) else str(v)))
            row += 1
        row += 1
    ws.write_row(row, 0, [t(h) for h in ("shift type", "paid hours", "earliest start",
                                         "latest start", "start step min",
                                         "cost per paid hour", "breaks")], fmt.head)
    for st in sc.shift_types:
        row += 1
        breaks = "; ".join(
            t("{name} {minutes} min {paid}, starts {earliest}-{latest} min in",
              name=b.name, minutes=b.duration_minutes, paid=t("paid" if b.paid else "unpaid"),
              earliest=b.earliest_start_minutes, latest=b.latest_start_minutes)
            + (t(", shifts >= {hours} h", hours=f"{b.min_shift_hours:g}") if b.min_shift_hours else "")
            for b in st.breaks
        )
        ws.write_row(row, 0, [st.name, ", ".join(f"{h:g}" for h in st.paid_hours),
                              st.earliest_start, st.latest_start,
                              st.start_step_minutes or sc.horizon.slot_minutes,
                              st.cost_per_paid_hour, breaks],
                     fmt.shift.get(st.name))
    ws.set_column(0, 0, 28)
    ws.set_column(1, 5, 14)
    ws.set_column(6, 6, 70)


def _shifts(wb, fmt: _Formats, data: ReportData) -> list[tuple]:
    """The sheet with its header; returns its rows, for splice_rows. Long format, as
    shifts.csv: `scheduler check ROSTER.xlsx` reads this sheet."""
    ws = wb.add_worksheet("Shifts")
    shifts = data.result.shifts
    extra = []
    if any(hasattr(s, "pool") for s in shifts[:1]):
        extra.append("pool")
    if any(hasattr(s, "overtime_minutes") for s in shifts[:1]):
        extra.append("overtime_minutes")
    ws.write_row(0, 0, SHIFT_COLUMNS + extra, fmt.head)
    pools, overtime = "pool" in extra, "overtime_minutes" in extra
    rows = [(r.agent, r.shift_type, _iso(r.start), _iso(r.end), r.paid_minutes,
             r.day.isoformat() if r.day else "")
            + ((pool_of(r),) if pools else ()) + ((overtime_minutes_of(r),) if overtime else ())
            for r in shifts]
    ws.freeze_panes(1, 0)
    ws.set_column(0, 7, 17)
    return rows
