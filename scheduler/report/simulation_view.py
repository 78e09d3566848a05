"""simulation.csv (written by `scheduler simulate`) read back, and shown: the Simulation
sheet of roster.xlsx and the simulated-service section of report.html. Both are drawn
whenever the folder holds simulation.csv, so `scheduler report` keeps them."""

from __future__ import annotations

import csv
import html
import math
from pathlib import Path

from xlsxwriter.utility import xl_col_to_name

from scheduler.errors import InputError

SIMULATION_FILE = "simulation.csv"
SIMULATION_MEASURES = ("offered", "answered", "abandoned", "service_level", "asa_seconds",
                       "abandon_rate", "occupancy")
"""Per queue and slot of arrival; each with `_low` and `_high`, its 95% interval."""
SIMULATION_COLUMNS = (("start", "queue")
                      + tuple(f"{m}{s}" for m in SIMULATION_MEASURES for s in ("", "_low", "_high"))
                      + ("service_level_goal", "answer_within_seconds", "runs", "seed"))
TEXT_COLUMNS = ("start", "queue")

_e = html.escape


def read_simulation(folder: Path) -> list[dict] | None:
    """simulation.csv of `folder` as rows (numbers as floats, blanks as None), or None
    when there is none. InputError naming the file and line for a file that cannot be
    read."""
    path = Path(folder) / SIMULATION_FILE
    if not path.is_file():
        return None
    try:
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            missing = [c for c in SIMULATION_COLUMNS if c not in (reader.fieldnames or ())]
            if missing:
                raise InputError(f"missing columns {', '.join(missing)}", file=path, line=1)
            rows = []
            for row in reader:
                out: dict = {}
                for c in SIMULATION_COLUMNS:
                    v = (row.get(c) or "").strip()
                    if c in TEXT_COLUMNS:
                        out[c] = v
                    elif v == "":
                        out[c] = None
                    else:
                        try:
                            out[c] = float(v)
                        except ValueError:
                            raise InputError(f"column {c}: {v!r} is not a number", file=path,
                                             line=reader.line_num) from None
                rows.append(out)
    except (csv.Error, UnicodeDecodeError) as exc:
        raise InputError(f"not a readable CSV file ({exc})", file=path) from None
    return rows


def queue_totals(rows: list[dict]) -> list[dict]:
    """Per queue over the horizon, from the slot rows: offered, answered and abandoned
    (means per run), the service level and abandonment as ratios of those sums, ASA
    weighted by the answered, occupancy as the mean of the slots, the goal and the slots
    with contacts whose service level is below it."""
    out: dict[str, dict] = {}
    for r in rows:
        t = out.setdefault(r["queue"], {"queue": r["queue"], "offered": 0.0, "answered": 0.0,
                                        "abandoned": 0.0, "within": 0.0, "wait": 0.0,
                                        "occupancy": [], "slots": 0, "below": 0,
                                        "goal": r["service_level_goal"],
                                        "answer_within_seconds": r["answer_within_seconds"],
                                        "runs": r["runs"], "seed": r["seed"]})
        offered = r["offered"] or 0.0
        t["offered"] += offered
        t["answered"] += r["answered"] or 0.0
        t["abandoned"] += r["abandoned"] or 0.0
        if offered > 0 and r["service_level"] is not None:
            t["within"] += r["service_level"] * offered
            t["slots"] += 1
            if t["goal"] is not None and r["service_level"] < t["goal"] - 1e-9:
                t["below"] += 1
        if r["asa_seconds"] is not None:
            t["wait"] += r["asa_seconds"] * (r["answered"] or 0.0)
        if r["occupancy"] is not None:
            t["occupancy"].append(r["occupancy"])
    result = []
    for t in out.values():
        offered, answered = t["offered"], t["answered"]
        result.append({
            "queue": t["queue"], "offered": offered, "answered": answered,
            "abandoned": t["abandoned"],
            "service_level": t["within"] / offered if offered else None,
            "service_level_goal": t["goal"], "answer_within_seconds": t["answer_within_seconds"],
            "slots": t["slots"], "slots_below_goal": t["below"],
            "asa_seconds": t["wait"] / answered if answered else None,
            "abandon_rate": t["abandoned"] / offered if offered else None,
            "occupancy": sum(t["occupancy"]) / len(t["occupancy"]) if t["occupancy"] else None,
            "runs": t["runs"], "seed": t["seed"],
        })
    return result


# ---------------------------------------------------------------- workbook


def write_simulation_sheet(wb, fmt, rows: list[dict], t=None) -> None:
    """The Simulation sheet: simulation.csv as it is (one row per queue and slot), the
    service level red where its mean is below the goal; its name and column names in the
    translator's language (simulation.csv's names in English)."""
    name, columns = "Simulation", list(SIMULATION_COLUMNS)
    if t is not None and t.lang != "en":
        name, columns = t("Simulation"), [_column_title(t, c) for c in SIMULATION_COLUMNS]
    ws = wb.add_worksheet(name)
    ws.write_row(0, 0, columns, fmt.head)
    col = {c: i for i, c in enumerate(SIMULATION_COLUMNS)}
    for i, r in enumerate(rows, start=1):
        for c, j in col.items():
            v = r[c]
            if c in TEXT_COLUMNS:
                ws.write_string(i, j, v)
            elif v is not None and math.isfinite(v):
                ws.write_number(i, j, v)
    n = len(rows)
    if n:
        sl, goal = col["service_level"], col["service_level_goal"]
        letter = xl_col_to_name(goal)
        ws.conditional_format(1, sl, n, sl, {
            "type": "formula", "format": fmt.short,
            "criteria": f"=AND(ISNUMBER({xl_col_to_name(sl)}2),ISNUMBER({letter}2),"
                        f"{xl_col_to_name(sl)}2<{letter}2)"})
        ws.autofilter(0, 0, n, len(SIMULATION_COLUMNS) - 1)
    ws.freeze_panes(1, 2)
    ws.set_column(0, 0, 17)
    ws.set_column(1, 1, 16)
    ws.set_column(2, len(SIMULATION_COLUMNS) - 1, 11)


def _column_title(t, column: str) -> str:
    """'service_level_low' -> t('service level') + ' ' + t('(low)')."""
    for suffix in ("_low", "_high"):
        if column.endswith(suffix) and column[:-len(suffix)] in SIMULATION_MEASURES:
            return f"{t(column[:-len(suffix)].replace('_', ' '))} {t('(' + suffix[1:] + ')')}"
    return t(column.replace("_", " "))


# ---------------------------------------------------------------- report.html


def _pct(t, v) -> str:
    return "-" if v is None else t.percent(v)


def _num(t, v, digits: int = 1) -> str:
    return "-" if v is None else t.number(v, digits)


def simulation_section(rows: list[dict] | None, slot_minutes: int, t=None) -> str:
    """The report's section on the simulated service: a table per queue and the place of
    the chart of each queue's service level per slot with its 95% band and the goal
    (`charts.service_spec`); in the language of the translator `t` (English without
    one)."""
    if not rows:
        return ""
    if t is None:
        from scheduler.i18n import translator

        t = translator()
    totals = queue_totals(rows)
    runs, seed = totals[0]["runs"], totals[0]["seed"]
    head = "<tr>" + "".join(f"<th>{_e(t(h))}</th>" for h in (
        "queue", "offered", "service level", "goal", "slots below goal", "ASA s", "abandoned",
        "occupancy (mean of slots)")) + "</tr>"
    body = []
    for q in totals:
        goal = q["service_level_goal"]
        within = q["answer_within_seconds"]
        if goal is None:
            goal_text = "-"
        elif goal >= 1 and within is not None and within >= 3600:  # deferred work
            goal_text = t("all in {minutes} min", minutes=f"{within / 60:g}")
        else:
            goal_text = t("{share} in {seconds} s", share=t.percent(goal, 0),
                          seconds=f"{within:g}")
        miss = goal is not None and q["service_level"] is not None and q["service_level"] < goal - 1e-9
        opening = '<tr class="miss">' if miss else "<tr>"
        below = t("{n} of {slots}", n=q["slots_below_goal"], slots=q["slots"])
        body.append(
            f'{opening}<td>{_e(q["queue"])}</td>'
            f'<td>{_num(t, q["offered"])}</td><td>{_pct(t, q["service_level"])}</td>'
            f'<td>{_e(goal_text)}</td><td>{_e(below)}</td>'
            f'<td>{_num(t, q["asa_seconds"])}</td><td>{_pct(t, q["abandon_rate"])}</td>'
            f'<td>{_pct(t, q["occupancy"])}</td></tr>')
    # the chart: report/charts.py's service_spec, drawn by Vega into this element
    charts = '<div id="simulation-chart" class="vega sim-chart"></div>'
    runs_text = t("{runs} runs, seed {seed}", runs=f"{runs:g}", seed=f"{seed:g}") if runs is not None else ""
    title = t("Simulated service ({runs})", runs=runs_text)
    text = t("The roster run through the seeded discrete-event simulation "
             "(`scheduler simulate`): service level = answered within the goal's time / "
             "offered, abandoned contacts counted as missed; figures are means over the runs, "
             "per contact over the horizon (offered: contacts per run).")
    return (f'<section id="simulation"><h2>{_e(title)}</h2><p>{_e(text)}</p>'
            f'<table class="pools"><thead>{head}</thead><tbody>{"".join(body)}</tbody></table>'
            f"{charts}</section>")
