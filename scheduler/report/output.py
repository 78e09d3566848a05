"""Writing results: summary.json, shifts.csv, breaks.csv, coverage.csv, and the readable
outputs of scheduler.report (roster.xlsx, report.html, activities.csv, and with the
scenario scenario.yaml and calendar/<agent>.ics).

Every file is first written to a temporary folder beside the output folder and moved
into place only when all of them are complete, so a failed or interrupted run never
leaves a half-written file and keeps the earlier results. A simulation.csv of an earlier
roster (`scheduler simulate`) is removed once the new files are in place."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable

from scheduler.models import Result

ISO = "%Y-%m-%dT%H:%M"
FILES = ("summary.json", "shifts.csv", "breaks.csv", "coverage.csv", "roster.xlsx",
         "report.html", "activities.csv", "scenario.yaml", "calendar")
"""Everything `scheduler solve` writes (scenario.yaml and calendar/ need the scenario)."""


def _iso(value: dt.datetime) -> str:
    return value.strftime(ISO)


SERVICE_COLUMNS = ("agents", "service_level", "asa_seconds", "occupancy", "abandon_rate",
                   "meets_goal")

QUEUE_COLUMNS = ("required", "allocated")
POOLING_COLUMNS = ("erlang_required", "simulated_service_level")
"""Per queue, after QUEUE_COLUMNS, only when the staffing loop ran (`required` is then
the loop's adjusted requirement)."""


def _blank(value) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def write_summary(result: Result, path: Path, lang: str | None = None) -> None:
    """summary.json: the summary's keys (English in every language) and, with `lang`,
    `language`: the language the readable outputs were written in."""
    data = result.summary.model_dump(mode="json")
    data["short_slots"] = [_iso(t) for t in result.summary.short_slots]
    if data.get("queues") is None:
        data.pop("queues", None)  # only scenarios that split queues have the key
    if data.get("pooling") is None:
        data.pop("pooling", None)  # only runs of the staffing loop have the key
    for key in ("requests", "fairness", "patterns", "hires_needed"):
        if data.get(key) is None:
            data.pop(key, None)  # only named-staff scenarios have these keys
    if lang is not None:
        data["language"] = lang
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_changes(result: Result, path: Path) -> None:
    """changes.csv of a re-plan: one changed person-day a row, by person then day."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["agent", "name", "day", "was", "now", "reason"])
        for c in sorted(result.changes, key=lambda c: (c.agent, c.day)):
            w.writerow([c.agent, c.name or "", c.day.isoformat(), c.was, c.now, c.reason])


def _iso_cached() -> Callable[[dt.datetime], str]:
    """_iso that formats each distinct moment once (a roster's shifts and breaks share
    a few thousand start and end times)."""
    known: dict[dt.datetime, str] = {}

    def iso(value: dt.datetime) -> str:
        text = known.get(value)
        if text is None:
            text = known[value] = value.strftime(ISO)
        return text
    return iso


def write_csvs(result: Result, folder: Path) -> None:
    iso = _iso_cached()
    with open(folder / "shifts.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        named = any(r.name is not None for r in result.shifts)
        w.writerow(["agent", "shift_type", "start", "end", "paid_minutes", "day", "pool",
                    "overtime_minutes"] + (["name"] if named else []))
        w.writerows([r.agent, r.shift_type, iso(r.start), iso(r.end), r.paid_minutes,
                     r.day.isoformat() if r.day else "", r.pool or "", r.overtime_minutes]
                    + ([r.name or ""] if named else []) for r in result.shifts)
    with open(folder / "breaks.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["agent", "start", "end", "paid"])
        w.writerows((b.agent, iso(b.start), iso(b.end), "true" if b.paid else "false")
                    for b in result.breaks)
    with open(folder / "coverage.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        # workload scenarios append, per channel, the service the roster achieves
        names = [ch.channel for ch in result.coverage[0].channels] if result.coverage else []
        # scenarios that split queues append, per queue, its requirement and allocation
        queues = [q.queue for q in result.coverage[0].queues] if result.coverage else []
        # and after the staffing loop, the Erlang requirement and the simulated service
        kinds = QUEUE_COLUMNS + (POOLING_COLUMNS if result.summary.pooling is not None
                                 and queues else ())
        w.writerow(["start", "required", "scheduled"]
                   + [f"{n}_{k}" for n in names for k in SERVICE_COLUMNS]
                   + [f"{q}_{k}" for q in queues for k in kinds])
        for c in result.coverage:
            w.writerow([_iso(c.start), c.required, c.scheduled]
                       + [_blank(getattr(ch, k)) for ch in c.channels for k in SERVICE_COLUMNS]
                       + [_blank(getattr(q, k)) for q in c.queues for k in kinds])


PARENT_CPU = (0.11, 3.37e-5, 2.35e-4)
"""CPU seconds of the process that calls write_result, as a + b x shifts + c x agents:
summary.json, the CSVs, report.html, scenario.yaml and a calendar per agent. Least
squares over benchmarks/output_model.py's synthetic rosters (20 to 6,000 agents, 1 and 4
weeks, five days in seven, one break a shift; medians of 3 runs, the rows with a child,
2026-12-03 22:53 UTC, idle machine): 0.1134 + 3.371e-5 x shifts + 2.347e-4 x agents."""
CHILD_CPU = (0.15, 4.1e-5, 3.0e-5)
"""CPU seconds of the child (roster.xlsx, then activities.csv), the same way: 0.1477 +
4.102e-5 x shifts + 2.995e-5 x agents. Before the workbook's long sheets were written by
report/xlsx_rows.py the workbook alone was 0.0774 + 6.07e-5 x shifts (at load 3-4)."""
TEARDOWN_CPU = (0.1, 3e-6, 0.0)
"""After the files: the summary printed and the process's exit, which frees the roster
(0.5 s measured for 55,486 shifts at load average 4, about 0.2 s idle)."""
RESERVE_MARGIN = 1.2
"""The model times this: solved rosters' workbooks up to a tenth above the synthetic
ones', and what the file system adds."""
MAX_CONTENTION = 4.0


def _linear(coef: tuple[float, float, float], shifts: int, agents: int) -> float:
    return coef[0] + coef[1] * shifts + coef[2] * agents


def output_cpu_seconds(shifts: int, agents: int = 0) -> float:
    """The CPU seconds on the critical path of write_result for a roster of `shifts`
    shifts and `agents` agents (one calendar each): the larger of the two processes'
    when a child writes the workbook (report/writing.py), else their sum."""
    from scheduler.report.writing import child_writes

    parent = _linear(PARENT_CPU, shifts, agents)
    workbook = _linear(CHILD_CPU, shifts, agents)
    return max(parent, workbook) if child_writes(shifts) else parent + workbook


def contention(processes: int) -> float:
    """How many times longer than on an idle machine `processes` busy processes of ours
    take: the 1-minute load average counts as the demand of other work, sharing the
    cores with ours; 1 on an idle machine, at most MAX_CONTENTION. (Taken while this
    process has run a few seconds, the average holds little of its own work; right after
    another busy run of ours, it holds that run's and errs long.)"""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        load = 0.0
    return min(MAX_CONTENTION, max(1.0, (load + processes) / max(1, cores)))


def output_seconds(shifts: int, agents: int = 0) -> float:
    """The wall seconds to keep for writing the outputs of a roster of `shifts` shifts
    and `agents` agents and for the command's exit: the measured CPU model
    (output_cpu_seconds, TEARDOWN_CPU) plus about 1.5 s for the chart library that
    report.html inlines when it is neither made in this process nor cached on the
    machine (report/charts.py), times RESERVE_MARGIN and the machine's `contention` now.

    Before (one process, the cycle collector on, no load counted): 0.4 + 0.0002 x shifts
    + 0.0009 x agents, 14.4 s for the 55,486 shifts of 3,230 agents of 4 weeks at peak
    1,000, which took 8.6-10.6 s to write then. Now 4.5 s for them on an idle machine
    (3.5 s of CPU on the critical path in the model, 3.4-3.9 s measured), 11.2 s at a
    load average of 3 on 2 cores (5.9-6.2 s measured at load 2, 9.6-10.6 s at 3.4-4)."""
    from scheduler.report.charts import bundle_is_ready
    from scheduler.report.writing import child_writes

    bundle = 0.0 if bundle_is_ready() else 1.5
    cpu = output_cpu_seconds(shifts, agents) + _linear(TEARDOWN_CPU, shifts, agents) + bundle
    return RESERVE_MARGIN * cpu * contention(2 if child_writes(shifts) else 1)


def write_result(result: Result, out_dir: Path, start_date: dt.date, days: int,
                 loaded=None, lang: str | None = None,
                 parallel: bool | None = None) -> list[Path]:
    """Write every output file atomically into out_dir; return their paths. `loaded` (a
    LoadedScenario or a Scenario) adds scenario.yaml and the calendars. `lang`: the
    language of the readable outputs (default: the scenario's locale, else the
    environment's), recorded in summary.json. `parallel`: whether a forked child writes
    roster.xlsx meanwhile (None: for rosters of FORK_MIN_SHIFTS shifts or more, from the
    main thread; report/writing.py)."""
    from scheduler.i18n import choose_language
    from scheduler.report import move_into, write_reports
    from scheduler.report.writing import collector_resting

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=out_dir))
    scenario = getattr(loaded, "scenario", loaded)
    lang = lang or choose_language(None, getattr(scenario, "locale", None))
    def sources() -> None:
        write_summary(result, tmp / "summary.json", lang)
        write_csvs(result, tmp)

    try:
        with collector_resting():  # and the workbook in a child for a big roster
            names = write_reports(result, tmp, start_date, days, scenario,
                                  getattr(loaded, "required", None),
                                  source_dir=getattr(loaded, "directory", None),
                                  source_path=getattr(loaded, "path", None), lang=lang,
                                  parallel=parallel, meanwhile=sources,
                                  demand_required=getattr(loaded, "demand_required", None)
                                  or None)
        forecast = getattr(getattr(loaded, "staffing", None), "forecast", None)
        if forecast is not None:  # the scenario's `forecast:`: the volumes it planned to
            from scheduler.forecast.output import long_text, volume_text

            (tmp / "forecast.csv").write_text(volume_text(forecast), encoding="utf-8")
            (tmp / "forecast_intervals.csv").write_text(long_text(forecast), encoding="utf-8")
            names = [*names, "forecast.csv", "forecast_intervals.csv"]
        if result.summary.replan is not None:  # a re-plan: what changed, for the people
            write_changes(result, tmp / "changes.csv")
            names = [*names, "changes.csv"]
        written = move_into(tmp, out_dir, ["summary.json", "shifts.csv", "breaks.csv",
                                           "coverage.csv", *names])
        # an earlier `scheduler simulate` simulated the roster just replaced
        (out_dir / "simulation.csv").unlink(missing_ok=True)
        return written
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
