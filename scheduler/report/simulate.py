"""`scheduler simulate OUTDIR`: the roster of a solve output folder run through the seeded
multi-skill simulation (scheduler.workload.sim), per queue and slot, written as
simulation.csv beside it, with the workbook and the report rendered again to show it.

The centre simulated (docs/simulation.md#the-simulate-command):

* a queue per channel, with the contacts that reach people in each slot (the forecast
  less the bot's share, plus escalations from other queues; live queues only while
  open), the channel's handle time and patience (none: nobody abandons); live queues
  before deferred ones when a person serves both;
* an agent per rostered shift (shifts.csv), away during its breaks (breaks.csv), in the
  group of its pool, serving the queues its pool serves at the pool's handle-time
  factors. A cyclic horizon wraps: the part of a shift past the end covers the start.
  Chat: a person whose pool serves only chat queues holds floor(concurrency) chats at
  once (the fewest concurrency of its queues), each at a handle time scaled so that the
  person's throughput is concurrency / aht; a person who also serves voice or deferred
  work takes one contact at a time, a chat at aht / concurrency.

Not simulated: shrinkage (every rostered person works their shift) and the scenario's
own `demand` (other work): both are named in the notes when present.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from scheduler.errors import InputError
from scheduler.models import Result
from scheduler.report.saved import SCENARIO_FILE, horizon_of, read_result, solved_from
from scheduler.report.simulation_view import (
    SIMULATION_COLUMNS,
    SIMULATION_FILE,
    SIMULATION_MEASURES,
    read_simulation,
)
from scheduler.workload.sim import Estimate, simulate
from scheduler.workload.sim.roster import ALL_POOL, simulation_centre  # noqa: F401 (re-exported)
from scheduler.workload.sim.measure import ratio_estimate

@dataclass(frozen=True)
class QueueOutcome:
    """One queue over the whole horizon: means over the runs with 95% intervals."""

    queue: str
    kind: str
    offered: Estimate
    """Contacts reaching people in one run."""
    service_level: Estimate
    asa_seconds: Estimate
    abandon_rate: Estimate
    service_level_goal: float | None
    answer_within_seconds: float | None
    asa_goal_seconds: float | None
    slots: int
    """Slots with contacts."""
    slots_below_goal: int
    """Slots with contacts whose simulated service level (mean) is below the goal."""

    @property
    def meets_goal(self) -> bool | None:
        if self.service_level_goal is None or math.isnan(float(self.service_level.mean)):
            return None
        return float(self.service_level.mean) >= self.service_level_goal - 1e-9


@dataclass
class SimulationOutcome:
    folder: Path
    runs: int
    seed: int
    queues: list[QueueOutcome]
    written: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    result: object = None
    """The scheduler.workload.sim.SimulationResult."""


# ---------------------------------------------------------------- the scenario


def _load(out_dir: Path, result: Result, scenario_path: Path | None):
    """The scenario of the folder, with its channels, and notes for the user.

    Given a path: that scenario with the run's overrides (summary.json) applied again.
    Otherwise the folder's scenario.yaml; a workload scenario's saved file folds its
    channels into demand, so then the scenario file it names as solved from, if it is
    still there and unchanged (its sha256 with the overrides is the summary's)."""
    from scheduler.workload.loaded import load_scenario

    notes: list[str] = []
    saved = out_dir / SCENARIO_FILE
    wanted = result.summary.scenario_sha256
    overrides = tuple(result.summary.overrides)
    if scenario_path is not None:
        same = saved.is_file() and scenario_path.is_file() and \
            scenario_path.resolve() == saved.resolve()
        loaded = load_scenario(scenario_path, () if same else overrides)
        if not same and wanted and loaded.sha256 != wanted:
            notes.append("the scenario or its forecast files are not those of the solve "
                         "(sha256 differs): simulated as they are now")
        path = scenario_path
    else:
        if not saved.is_file():
            raise InputError("file not found: the folder has no saved scenario; give the "
                             "scenario with --scenario", file=saved)
        loaded, path = load_scenario(saved), saved
        source = solved_from(saved)
        if loaded.staffing is None and source is not None and source.is_file():
            original = load_scenario(source, overrides)
            if original.sha256 != wanted:
                raise InputError(
                    f"the saved scenario folds its channels into demand, and {source}, which "
                    "the run was solved from, has changed since (sha256 differs): give a "
                    "scenario with --scenario to simulate with it", file=saved, key_path="channels")
            loaded, path = original, source
            notes.append(f"queues from {source}, the scenario the run was solved from")
    if loaded.staffing is None:
        hint = ("the saved scenario holds the requirement as solved (its channels folded "
                "into demand, or stating each queue's agents): give the scenario file with "
                "--scenario"
                if scenario_path is None else "nothing to simulate")
        raise InputError(f"the scenario has no workload channels (queues); {hint}",
                         file=path, key_path="channels")
    h = loaded.scenario.horizon
    if result.coverage and horizon_of(result) != (h.start_date, h.days):
        got = horizon_of(result)
        raise InputError(f"the scenario's horizon ({h.start_date}, {h.days} days) is not the "
                         f"results' ({got[0]}, {got[1]} days)", file=path, key_path="horizon")
    return loaded, notes


# ---------------------------------------------------------------- figures


def queue_occupancy(sim, serves: dict[str, list[str]]) -> dict[str, Estimate]:
    """Per queue and slot: busy / present time of the groups that serve the queue (busy
    on any of their queues), with its interval."""
    busy, present = sim.group_data["busy_seconds"], sim.group_data["present_seconds"]
    out = {}
    for q in sim.queue_names:
        g = [i for i, name in enumerate(sim.group_names) if q in serves.get(name, ())]
        out[q] = ratio_estimate(busy[:, g, :-1].sum(axis=1), present[:, g, :-1].sum(axis=1))
    return out


def _value(x) -> float | str:
    x = float(x)
    return "" if not math.isfinite(x) else round(x, 6)


def simulation_rows(sim, loaded, goals: dict[str, dict], occupancy: dict[str, Estimate],
                    runs: int, seed: int) -> list[list]:
    """simulation.csv's rows: per queue (outer) and slot (inner)."""
    est = sim.by_queue_and_slot()
    step = dt.timedelta(minutes=loaded.scenario.horizon.slot_minutes)
    starts = [(loaded.start + step * k).strftime("%Y-%m-%dT%H:%M") for k in range(sim.n_slots)]
    rows = []
    for qi, q in enumerate(sim.queue_names):
        g = goals[q]
        for k, when in enumerate(starts):
            row: list = [when, q]
            for m in SIMULATION_MEASURES:
                e = occupancy[q] if m == "occupancy" else est[m]
                index = (k,) if m == "occupancy" else (qi, k)
                row += [_value(e.mean[index]), _value(e.low[index]), _value(e.high[index])]
            goal = g["service_level"]
            row += ["" if goal is None else goal,
                    "" if g["answer_within_seconds"] is None else g["answer_within_seconds"],
                    runs, seed]
            rows.append(row)
    return rows


def queue_outcomes(sim, goals: dict[str, dict]) -> list[QueueOutcome]:
    whole = sim.by_queue()
    per_slot = sim.by_queue_and_slot()
    out = []
    for qi, q in enumerate(sim.queue_names):
        g = goals[q]

        def pick(e: Estimate) -> Estimate:
            return Estimate(e.mean[qi], e.low[qi], e.high[qi])

        offered = per_slot["offered"].mean[qi]
        sl = per_slot["service_level"].mean[qi]
        busy = offered > 0
        goal = g["service_level"]
        below = int(np.sum(busy & (sl < goal - 1e-9))) if goal is not None else 0
        out.append(QueueOutcome(
            queue=q, kind=g["kind"], offered=pick(whole["offered"]),
            service_level=pick(whole["service_level"]), asa_seconds=pick(whole["asa_seconds"]),
            abandon_rate=pick(whole["abandon_rate"]), service_level_goal=goal,
            answer_within_seconds=g["answer_within_seconds"], asa_goal_seconds=g["asa_seconds"],
            slots=int(busy.sum()), slots_below_goal=below))
    return out


# ---------------------------------------------------------------- the command's work


def _write_csv(rows: list[list], path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(SIMULATION_COLUMNS)
        w.writerows(rows)


def simulate_output_dir(out_dir: Path | str, runs: int = 10, seed: int = 0,
                        scenario_path: Path | str | None = None,
                        processes: int = 1, lang: str | None = None) -> SimulationOutcome:
    """Simulate the roster of a solve output folder and write simulation.csv into it,
    with roster.xlsx and report.html rendered again (a Simulation sheet, a section);
    every file goes through a temporary folder and a rename. InputError (exit 2) for a
    folder without outputs, a scenario without channels or of another horizon, a pool
    the scenario lacks, runs or processes below 1."""
    from scheduler.report import move_into
    from scheduler.report.common import ReportData
    from scheduler.report.html_report import write_html
    from scheduler.report.workbook import write_workbook

    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise InputError("not a folder (give the output folder of `scheduler solve`)",
                         file=out_dir)
    if not isinstance(runs, int) or runs < 1:
        raise InputError(f"{runs!r}: give at least 1 run", key_path="--runs")
    if not isinstance(processes, int) or processes < 1:
        raise InputError(f"{processes!r}: give at least 1 process", key_path="--processes")
    result = read_result(out_dir)
    if not result.shifts:
        raise InputError("no shifts: nothing to simulate (was the run infeasible?)",
                         file=out_dir / "shifts.csv")
    loaded, notes = _load(out_dir, result, Path(scenario_path) if scenario_path else None)
    sc = loaded.scenario
    if any(c.shrinkage_rate > 0 for c in sc.channels):
        notes.append("shrinkage is not simulated: every rostered person works their shift "
                     "(the plan grossed the requirement up for it)")
    if any(loaded.demand_required):
        notes.append("the scenario's demand (other work) is not simulated: every person on "
                     "duty answers contacts")
    centre, goals = simulation_centre(loaded, result, out_dir)
    sim = simulate(centre, runs=runs, seed=seed, processes=processes)
    serves = {g.name: list(g.serves) for g in centre.groups}
    rows = simulation_rows(sim, loaded, goals, queue_occupancy(sim, serves), runs, seed)

    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=out_dir))
    try:
        _write_csv(rows, tmp / SIMULATION_FILE)
        # the workbook and the report as the solve drew them (from the scenario it read)
        # in `lang`, else the language the folder's outputs were written in
        from scheduler.i18n import choose_language, translator
        from scheduler.report import recorded_language

        lang = lang or recorded_language(out_dir) or choose_language(None, sc.locale)
        data = ReportData(result, sc.horizon.start_date, sc.horizon.days, sc,
                          simulation=read_simulation(tmp), t=translator(lang))
        write_workbook(data, tmp / "roster.xlsx")
        write_html(data, tmp / "report.html")
        written = move_into(tmp, out_dir, [SIMULATION_FILE, "roster.xlsx", "report.html"])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return SimulationOutcome(out_dir, runs, seed, queue_outcomes(sim, goals), written, notes,
                             sim)
