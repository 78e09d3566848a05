"""Rosters people can read: roster.xlsx, report.html, activities.csv, one calendar per
agent, and the scenario as solved. `write_reports` writes them into a (temporary) folder;
`rebuild` does it again from a finished output folder without solving.

The readable outputs are written in one language (`lang`: `en` or `zh`), recorded in
report.html (`<meta name="scheduler-language">`) and in summary.json (`language`), so
that a rebuild keeps it unless told otherwise."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable

from scheduler.i18n import choose_language, translator
from scheduler.models import Result, Scenario
from scheduler.report.common import ReportData
from scheduler.report.exports import write_activities
from scheduler.report.html_report import write_html
from scheduler.report.ical import write_calendars
from scheduler.report.saved import SCENARIO_FILE, horizon_of, read_result, write_scenario
from scheduler.report.simulation_view import read_simulation
from scheduler.report.workbook import write_workbook
from scheduler.report.writing import collector_resting, in_child, use_child

CALENDAR_DIR = "calendar"
REPORT_FILES = ("roster.xlsx", "report.html", "activities.csv")
"""Always written; with the scenario also scenario.yaml and the calendar folder."""


def write_reports(result: Result, folder: Path, start_date: dt.date, days: int,
                  scenario: Scenario | None = None, required=None,
                  save_scenario: bool = True, source_dir: Path | None = None,
                  simulation: list[dict] | None = None,
                  source_path: Path | None = None, lang: str | None = None,
                  parallel: bool | None = None,
                  meanwhile: Callable[[], None] | None = None,
                  demand_required=None) -> list[str]:
    """Write the readable outputs into folder; return the names written. `simulation`:
    the rows of the folder's simulation.csv, shown in the workbook and the report;
    `source_path`: the scenario file read, named in scenario.yaml; `lang`: the language
    (default: the scenario's locale, else the environment's, see `choose_language`).

    `parallel`: whether a forked child writes the workbook while this process writes the
    rest (report/writing.py; None: for big rosters); `meanwhile`: more writing for this
    process to do while the child works (write_result's summary and CSVs);
    `demand_required`: the scenario's own demand per slot (LoadedScenario.demand_required),
    saved beside the queues' figures when the scenario splits queues."""
    folder = Path(folder)
    lang = lang or choose_language(None, getattr(scenario, "locale", None))
    data = ReportData(result, start_date, days, scenario, simulation=simulation,
                      t=translator(lang))
    names = list(REPORT_FILES)
    child = use_child(len(result.shifts), parallel)
    def in_turn() -> None:  # a child's share: about half of the writing since xlsx_rows
        write_workbook(data, folder / "roster.xlsx")
        write_activities(data, folder / "activities.csv")

    with in_child(in_turn, child):
        if meanwhile is not None:
            meanwhile()
        write_html(data, folder / "report.html")
        if scenario is not None:
            if required is None and len(result.coverage) == scenario.horizon.num_slots:
                required = [c.required for c in result.coverage]
            if save_scenario:
                write_scenario(scenario, required, folder / SCENARIO_FILE, source_dir,
                               source_path, queues=queue_figures(result),
                               demand=demand_required)
                names.append(SCENARIO_FILE)
            write_calendars(data, folder / CALENDAR_DIR)
            names.append(CALENDAR_DIR)
    return names


def queue_figures(result: Result) -> dict[str, list[int]] | None:
    """Each queue's requirement per slot as solved (coverage.csv's `<queue>_required`),
    when the coverage records have the queues; None otherwise."""
    if not result.coverage or not result.coverage[0].queues:
        return None
    names = [q.queue for q in result.coverage[0].queues]
    out: dict[str, list[int]] = {q: [] for q in names}
    for record in result.coverage:
        found = {q.queue: q.required for q in record.queues or ()}
        if set(found) != set(names):
            return None
        for q in names:
            out[q].append(int(found[q]))
    return out


def move_into(tmp: Path, out_dir: Path, names: list[str]) -> list[Path]:
    """Move finished files (and folders) from tmp into out_dir, replacing older ones."""
    written = []
    for name in names:
        source, target = tmp / name, out_dir / name
        if source.is_dir():
            old = None
            if target.exists():
                old = tmp / f"{name}.old"
                os.replace(target, old)
            os.replace(source, target)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(source, target)
        written.append(target)
    return written


def recorded_language(out_dir: Path) -> str | None:
    """The language the folder's readable outputs were last written in: report.html's
    meta element, else summary.json's `language`; None when neither says."""
    import json
    import re

    from scheduler.i18n import normalise

    try:
        with open(Path(out_dir) / "report.html", encoding="utf-8") as f:
            head = f.read(4000)
        found = re.search(r'<meta name="scheduler-language" content="([A-Za-z_-]+)">', head)
        if found and normalise(found.group(1)):
            return normalise(found.group(1))
    except (OSError, UnicodeDecodeError):
        pass
    try:
        raw = json.loads((Path(out_dir) / "summary.json").read_text(encoding="utf-8"))
        return normalise(raw.get("language")) if isinstance(raw, dict) else None
    except (OSError, UnicodeDecodeError, ValueError, AttributeError):
        return None


def rebuild(out_dir: Path, scenario_path: Path | None = None,
            lang: str | None = None) -> list[Path]:
    """Rebuild the workbook, the report, activities.csv and the calendars of a finished
    output folder from its saved files (summary.json, shifts.csv, breaks.csv,
    coverage.csv and scenario.yaml, or scenario_path; simulation.csv when present), without
    solving. The folder's source files are left as they are. In `lang` when given, else
    in the language the outputs were written in (`recorded_language`), else as
    `choose_language` says for the scenario."""
    from scheduler.errors import InputError
    from scheduler.workload.loaded import load_scenario

    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise InputError("not a folder", file=out_dir)
    result = read_result(out_dir)
    simulation = read_simulation(out_dir)
    path = Path(scenario_path) if scenario_path is not None else out_dir / SCENARIO_FILE
    if scenario_path is None and not path.is_file():
        raise InputError(
            "file not found: the folder has no saved scenario (written by `scheduler solve` "
            "since reports were added); give the scenario with --scenario", file=path)
    loaded = load_scenario(path)
    scenario = loaded.scenario
    start_date, days = scenario.horizon.start_date, scenario.horizon.days
    if result.coverage and horizon_of(result) != (start_date, days):
        got = horizon_of(result)
        raise InputError(
            f"the scenario's horizon ({start_date}, {days} days) is not the results' "
            f"({got[0]}, {got[1]} days)", file=path, key_path="horizon")
    lang = lang or recorded_language(out_dir) or choose_language(None, scenario.locale)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=out_dir))
    try:
        with collector_resting():
            names = write_reports(result, tmp, start_date, days, scenario, loaded.required,
                                  save_scenario=scenario_path is not None,
                                  source_dir=loaded.directory, simulation=simulation,
                                  source_path=loaded.path, lang=lang,
                                  demand_required=loaded.demand_required or None)
        return move_into(tmp, out_dir, names)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
