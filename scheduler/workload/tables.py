"""Staffing as tables: staffing.csv rows and the terminal's daily table."""

from __future__ import annotations

import csv
import datetime as dt
import math
from pathlib import Path

import numpy as np

from scheduler.workload.staffing import Staffing


STAFFING_COLUMNS = ("start", "channel", "kind", "open", "volume", "traffic_erlangs", "agents",
                    "agents_after_shrinkage", "service_level", "asa_seconds", "occupancy",
                    "abandon_rate")


def _cell(value: float, digits: int = 4) -> str:
    return "" if value is None or not math.isfinite(value) else f"{value:.{digits}f}"


def staffing_rows(staffing: Staffing):
    """Rows of staffing.csv, one per slot and channel."""
    step = dt.timedelta(minutes=staffing.slot_minutes)
    for s in range(len(staffing.demand)):
        when = (staffing.start + step * s).strftime("%Y-%m-%dT%H:%M")
        for ch in staffing.channels:
            yield [when, ch.channel.name, ch.channel.kind, "true" if ch.open[s] else "false",
                   _cell(ch.volume[s], 3), _cell(ch.traffic[s]), int(ch.agents[s]),
                   int(ch.scheduled[s]), _cell(ch.service_level[s]), _cell(ch.asa_seconds[s], 2),
                   _cell(ch.occupancy[s]), _cell(ch.abandon_rate[s])]


def write_staffing_csv(staffing: Staffing, out_dir: Path) -> Path:
    """Write staffing.csv into out_dir atomically (a temporary file, then a rename)."""
    import os
    import tempfile

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "staffing.csv"
    fd, tmp = tempfile.mkstemp(prefix=".staffing-", suffix=".csv", dir=out_dir)
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(STAFFING_COLUMNS)
            w.writerows(staffing_rows(staffing))
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def daily_table(staffing: Staffing) -> list[dict]:
    """Per channel and day: contacts, peak Erlangs, peak agents to roster, agent-hours to
    roster, and the contact-weighted service level / ASA, occupancy the staffing gives."""
    n = len(staffing.demand)
    per_day = 1440 // staffing.slot_minutes
    hours = staffing.slot_minutes / 60
    rows = []
    for d in range(-(-n // per_day)):
        sl = slice(d * per_day, min(n, (d + 1) * per_day))
        date = (staffing.start + dt.timedelta(days=d)).date()
        for ch in staffing.channels:
            vol = ch.volume[sl] * (ch.open[sl] | (ch.channel.kind == "deferred"))
            contacts = float(vol.sum())
            net_time = float(np.sum(np.floor(ch.agents[sl] * ch.channel.concurrency + 1e-9)))
            work = float(np.sum(ch.traffic[sl] * (1 - ch.abandon_rate[sl])))
            rows.append({
                "date": date, "channel": ch.channel.name, "contacts": contacts,
                "peak_erlangs": float(ch.traffic[sl].max(initial=0)),
                "peak_agents": int(ch.scheduled[sl].max(initial=0)),
                "agent_hours": float(ch.scheduled[sl].sum() * hours),
                "service_level": float(np.sum(vol * ch.service_level[sl]) / contacts) if contacts else None,
                "asa_seconds": (float(np.sum(vol * np.nan_to_num(ch.asa_seconds[sl])) / contacts)
                                if contacts and ch.channel.kind != "deferred" else None),
                "occupancy": work / net_time if net_time else None,
            })
    return rows


def staffing_table(name: str, staffing: Staffing, t=None):
    """A rich table of `daily_table` for the terminal (fits 80 columns), in the language
    of the translator `t` (English without one)."""
    from rich import box
    from rich.table import Table

    if t is None:
        from scheduler.i18n import translator

        t = translator()
    table = Table(title=t("{name}: staffing per channel and day", name=name),
                  box=box.SIMPLE_HEAD, pad_edge=False,
                  caption=t("Erl, agents: the day's peak Erlangs and agents to roster; agent-h: "
                            "agent-hours to roster; SL, ASA (s), occ: the day's service level, "
                            "average speed of answer and occupancy"))
    for column in ("date", "channel", "contacts", "Erl", "agents", "agent-h", "SL", "ASA", "occ"):
        table.add_column(t(column), justify="left" if column in ("date", "channel") else "right",
                         no_wrap=True)

    def pct(value):
        return "-" if value is None else t.percent(value)

    for r in daily_table(staffing):
        table.add_row(f"{r['date']:%m-%d}", r["channel"], t.number(r["contacts"]),
                      f"{r['peak_erlangs']:.1f}", str(r["peak_agents"]),
                      t.number(r["agent_hours"], 1), pct(r["service_level"]),
                      "-" if r["asa_seconds"] is None else f"{r['asa_seconds']:.1f}",
                      pct(r["occupancy"]))
    return table
