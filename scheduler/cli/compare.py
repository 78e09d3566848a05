"""Comparing what-ifs: several scenarios, the variants of one, and sweep grids, solved in
parallel on Dask distributed and set side by side.

Each run is loaded and validated here, in the calling process (a bad override becomes that
run's error, the others go on); the solve runs on a Dask worker (a local cluster of worker
processes by default, or a running Dask scheduler given by address) and only the loaded
scenario travels there and the result comes back, so workers need the `scheduler` package
but no access to the scenario files. Each result is written as it arrives, into
`<out>/<run>/` with the same files as a single solve, so an interrupted comparison keeps
the finished runs.

Concurrency: each run's CP-SAT searches use the scenario's `solver.workers` threads
(unless `solver_workers` is given), whichever cluster runs it, so the same runs give the
same results locally and on a remote cluster (exactly so with the deterministic profile).
The local cluster runs cores // workers of them at a time, one thread per Dask worker
process: on 2 cores with the default 2 CP-SAT workers that is one run at a time, each as
good as a single `solve`. `parallel=2, solver_workers=1` runs two at once, faster but
weaker on hard variants (measured in docs/what-ifs.md).
"""

from __future__ import annotations

import csv
import logging
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable

import xlsxwriter

from scheduler.models import Result, Summary
from scheduler.errors import InputError, SchedulerError
from scheduler.workload.loaded import LoadedScenario, load_scenario
from scheduler.scenario.tree import read_tree, read_variants
from scheduler.scenario.overrides import Override, parse_override, parse_sweep, safe_name, sweep_grid

FILES = ("comparison.csv", "comparison.xlsx")
BASE = "base"

# Summary fields other branches add; read when present so the columns fill in then.
OPTIONAL_METRICS = {
    "cost": ("cost", "total_cost"),
    "overtime_hours": ("overtime_hours", "overtime_paid_hours", "overtime"),
    "service_level": ("service_level", "achieved_service_level"),
}


@dataclass(frozen=True)
class RunSpec:
    """One run of a comparison: a scenario file, a variant and overrides."""

    label: str
    path: Path
    variant: str | None
    overrides: tuple[Override, ...]
    out_dir: Path


@dataclass
class Outcome:
    spec: RunSpec
    status: str
    """optimal, feasible, infeasible, unknown, error or cancelled."""
    summary: Summary | None = None
    reason: str = ""
    overrides: tuple[str, ...] = ()
    written: bool = False
    input_error: bool = False
    """The run failed before solving: its scenario or overrides are not valid."""

    @property
    def ok(self) -> bool:
        return self.status in ("optimal", "feasible")


@dataclass
class Comparison:
    outcomes: list[Outcome]
    interrupted: bool = False
    files: list[Path] = field(default_factory=list)


# ---------------------------------------------------------------- the runs


def plan_runs(
    scenarios: list[Path],
    variants: str | None = None,
    sets: Iterable[str] = (),
    sweeps: Iterable[str] = (),
    out_root: Path | None = None,
) -> tuple[list[RunSpec], Path]:
    """The runs and the folder the comparison files go to.

    `variants`: None (no variants), "all" or a comma-separated list of names; the
    scenario without a variant ("base") always comes first. Order of overrides in a run:
    the variant's, then `sets` (--set), then the sweep point (--sweep)."""
    set_overrides = [parse_override(s) for s in sets]
    grid = sweep_grid([parse_sweep(s) for s in sweeps])
    names: list[str] = []
    per_file = []
    for path in scenarios:
        path = Path(path)
        data, _, _ = read_tree(path)
        raw_name = data.get("name")
        name = safe_name(str(raw_name) if isinstance(raw_name, str) and raw_name else path.stem)
        if name in names:
            name = safe_name(f"{name}-{path.stem}")
            k = 2
            while name in names:
                name, k = safe_name(f"{name}-{k}"), k + 1
        names.append(name)
        chosen: list[str | None] = [None]
        if variants is not None:
            available = read_variants(path)
            if variants.strip() == "all":
                chosen += list(available)
            else:
                for v in (v.strip() for v in variants.split(",")):
                    if v == BASE or not v:
                        continue
                    if v not in available:
                        known = ", ".join(available) or "none"
                        raise InputError(f"no variant named {v!r} (the file has: {known})",
                                         file=path, key_path="variants")
                    if v not in chosen:
                        chosen.append(v)
        per_file.append((path, name, chosen))

    many = len(scenarios) > 1
    root = Path(out_root) if out_root is not None else Path("out")
    compare_dir = root if many else root / names[0]
    runs = []
    for path, name, chosen in per_file:
        folder = root / name
        for variant in chosen:
            points = grid or [("", [])]
            for point_label, point in points:
                parts = []
                if variants is not None or not point_label:
                    parts.append(variant or BASE)
                if point_label:
                    parts.append(point_label)
                label = "/".join(([name] if many else []) + parts)
                out_dir = folder.joinpath(*(safe_name(p) for p in parts))
                k = 2
                while any(r.out_dir == out_dir for r in runs):  # labels alike once made safe
                    out_dir = folder.joinpath(*(safe_name(p) for p in parts[:-1]),
                                              f"{safe_name(parts[-1])}-{k}")
                    k += 1
                runs.append(RunSpec(label, path, variant, tuple(set_overrides + point), out_dir))
    return runs, compare_dir


def load_run(spec: RunSpec, solver_workers: int | None) -> LoadedScenario:
    loaded = load_scenario(spec.path, spec.overrides, spec.variant)
    if solver_workers is not None:
        sc = loaded.scenario
        solver = sc.solver.model_copy(update={"workers": solver_workers})
        loaded = replace(loaded, scenario=sc.model_copy(update={"solver": solver}))
    return loaded


def solve_task(loaded: LoadedScenario, time_limit: float | None,
               stop_event: str | None = None) -> Result | tuple[str, str]:
    """What a Dask worker runs: a solve, or ("error", message) for an error of ours.

    `stop_event` names a Dask Event; when the comparison is interrupted it is set and the
    search stops (the best roster so far comes back and is dropped), so the worker is
    free again at once instead of at the end of the time limit."""
    from scheduler.engine.pooling import solve_staffed as solve
    from scheduler.engine.stopping import StopSignal

    stop = StopSignal()
    done = threading.Event()
    if stop_event is not None:
        try:
            from distributed import Event, get_client

            event = Event(stop_event, client=get_client())
        except (ImportError, ValueError):  # not on a Dask worker
            event = None
        if event is not None:
            threading.Thread(target=_watch, args=(event, stop, done), daemon=True,
                             name="stop-watch").start()
    try:
        return solve(loaded, time_limit=time_limit, stop=stop)
    except SchedulerError as exc:
        return ("error", str(exc))
    finally:
        done.set()


def _watch(event, stop, done: threading.Event) -> None:
    while not done.is_set():
        try:
            if event.wait(timeout=0.5):
                stop.set()
                return
        except Exception:  # the scheduler went away: nothing left to stop for
            return


# ---------------------------------------------------------------- executing


ProgressFn = Callable[[Outcome, int, int], None]


def run_comparison(
    runs: list[RunSpec],
    cluster: str = "local",
    parallel: int | None = None,
    solver_workers: int | None = None,
    time_limit: float | None = None,
    on_done: ProgressFn | None = None,
    lang: str | None = None,
) -> Comparison:
    """Solve every run and write each result as it arrives (its reports in `lang`, else
    in its scenario's locale or the environment's language).

    `cluster`: "local" (a local Dask cluster of `parallel` worker processes, default
    cores // CP-SAT workers per run, at least 1), "none" (one at a time in this process)
    or the address of a running Dask scheduler (tcp://HOST:PORT). `solver_workers`
    overrides every run's solver.workers. Ctrl-C (KeyboardInterrupt) cancels the runs not
    finished; the finished ones are already written and come back with `interrupted` set."""
    outcomes: dict[int, Outcome] = {}
    loaded: dict[int, LoadedScenario] = {}
    for i, spec in enumerate(runs):
        try:
            loaded[i] = load_run(spec, solver_workers)
        except SchedulerError as exc:
            outcomes[i] = Outcome(spec, "error", reason=_one_line(str(exc)),
                                  overrides=tuple(o.text for o in spec.overrides),
                                  input_error=True)
    done_count = [len(outcomes)]

    def finish(i: int, value: Any) -> None:
        spec = runs[i]
        lo = loaded[i]
        if isinstance(value, Result):
            o = Outcome(spec, value.summary.status, value.summary, overrides=lo.overrides)
            if value.feasible:
                from scheduler.report.output import write_result

                h = lo.scenario.horizon
                try:
                    write_result(value, spec.out_dir, h.start_date, h.days, lo, lang=lang)
                    o.written = True
                except OSError as exc:
                    o.status, o.reason = "error", f"cannot write {spec.out_dir}: {exc}"
            else:
                o.reason = _one_line(value.summary.message)
        else:
            o = Outcome(spec, "error", reason=_one_line(str(value[1] if isinstance(value, tuple) else value)),
                        overrides=lo.overrides)
        outcomes[i] = o
        done_count[0] += 1
        if on_done is not None:
            on_done(o, done_count[0], len(runs))

    if on_done is not None:
        for k, i in enumerate(sorted(outcomes)):
            on_done(outcomes[i], k + 1, len(runs))
    interrupted = False
    try:
        if loaded:
            if cluster == "none":
                _run_here(loaded, time_limit, finish)
            else:
                _run_dask(loaded, time_limit, finish, cluster, parallel)
    except KeyboardInterrupt:
        interrupted = True
    for i, spec in enumerate(runs):
        if i not in outcomes:
            outcomes[i] = Outcome(spec, "cancelled", reason="interrupted before it finished",
                                  overrides=loaded[i].overrides if i in loaded else ())
    return Comparison([outcomes[i] for i in range(len(runs))], interrupted)


def _one_line(text: str) -> str:
    return "; ".join(line.strip() for line in text.splitlines() if line.strip())


def _run_here(loaded: dict[int, LoadedScenario], time_limit, finish) -> None:
    """One run at a time in this process; the solve runs in a thread so that Ctrl-C
    reaches this one at once and stops the search."""
    from scheduler.engine.pooling import solve_staffed as solve
    from scheduler.engine.stopping import StopSignal

    for i, lo in loaded.items():
        stop = StopSignal()
        box: dict = {}
        done = threading.Event()

        def work(lo=lo, stop=stop, box=box, done=done) -> None:
            try:
                box["value"] = solve(lo, time_limit=time_limit, stop=stop)
            except SchedulerError as exc:
                box["value"] = ("error", str(exc))
            except BaseException as exc:  # handed to the caller as this run's error
                box["value"] = ("error", f"{type(exc).__name__}: {exc}")
            finally:
                done.set()

        threading.Thread(target=work, name=f"compare-{i}", daemon=True).start()
        try:
            while not done.is_set():
                done.wait(0.2)
        except KeyboardInterrupt:
            stop.set()
            raise
        finish(i, box["value"])


def local_parallelism(loaded: list[LoadedScenario], cores: int | None = None) -> int:
    """Runs at a time on this machine: cores // the most CP-SAT workers a run uses."""
    cores = cores or os.cpu_count() or 1
    widest = max((lo.scenario.solver.workers for lo in loaded), default=1)
    return max(1, min(len(loaded), cores // widest))


def _run_dask(loaded: dict[int, LoadedScenario], time_limit, finish, cluster: str,
              parallel: int | None) -> None:
    from distributed import Client, LocalCluster, as_completed

    local = None
    if cluster == "local":
        workers = parallel or local_parallelism(list(loaded.values()))
        workers = max(1, min(workers, len(loaded)))
        # loopback only; no dashboard, and the scheduler's HTTP endpoint on any free port
        local = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                             host="127.0.0.1", dashboard_address=None,
                             scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                             silence_logs=logging.ERROR)
        client = Client(local)
    else:
        try:
            client = Client(cluster, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise InputError(f"cannot reach the Dask scheduler: {exc}", file=f"--cluster {cluster}") from None
    futures = {}
    token = f"{os.getpid()}-{time.time_ns()}"
    stop_name = f"scheduler-stop-{token}"
    try:
        for i, lo in loaded.items():
            f = client.submit(solve_task, lo, time_limit, stop_name, pure=False,
                              key=f"scheduler-run-{token}-{i}")
            futures[f] = i
        for f in as_completed(list(futures)):
            try:
                value = f.result()
            except KeyboardInterrupt:
                raise
            except BaseException as exc:  # a worker died, the task raised, or it was
                # cancelled on the cluster (asyncio's CancelledError is a BaseException)
                value = ("error", f"{type(exc).__name__}: {exc}")
            finish(futures[f], value)
    except KeyboardInterrupt:
        from distributed import Event

        try:
            Event(stop_name, client=client).set()  # running searches stop
        except Exception:  # the scheduler is gone already
            pass
        client.cancel([f for f in futures if not f.done()], force=True)
        raise
    finally:
        client.close()
        if local is not None:
            local.close()


# ---------------------------------------------------------------- the table


COLUMNS = [
    ("headcount", "headcount"),
    ("paid_hours", "paid hours"),
    ("cost", "cost"),
    ("overtime_hours", "overtime h"),
    ("short_slots", "short slots"),
    ("service_level", "service level"),
]


def metric(summary: Summary | None, key: str) -> float | int | None:
    if summary is None:
        return None
    if key == "short_slots":
        return len(summary.short_slots)
    service = getattr(summary, "service", None)
    if key == "service_level" and service is not None:
        # contact-weighted over the channels that have a service level (not deferred work)
        weighted = [(ch.contacts, ch.service_level) for ch in service.channels
                    if ch.service_level is not None and ch.contacts > 0]
        total = sum(c for c, _ in weighted)
        if total > 0:
            return round(sum(c * sl for c, sl in weighted) / total, 4)
    for name in OPTIONAL_METRICS.get(key, (key,)):
        value = getattr(summary, name, None)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
    return None


def rows(comparison: Comparison) -> list[dict[str, Any]]:
    """One row per run: metrics, deltas against the first run, status, gap and reason."""
    first = comparison.outcomes[0] if comparison.outcomes else None
    base = first.summary if first is not None and first.ok else None
    out = []
    for o in comparison.outcomes:
        s = o.summary if o.ok else None
        row: dict[str, Any] = {
            "run": o.spec.label,
            "scenario": o.spec.path.name,
            "variant": o.spec.variant or "",
            "overrides": "; ".join(o.overrides),
            "status": o.status,
        }
        for key, _ in COLUMNS:
            value = metric(s, key)
            ref = metric(base, key)
            row[key] = value
            row[f"{key}_delta"] = (
                round(value - ref, 6) if value is not None and ref is not None else None
            )
        row["headcount_lower_bound"] = s.headcount_lower_bound if s else None
        row["gap"] = s.headcount_gap if s else None
        row["solve_seconds"] = o.summary.solve_seconds if o.summary else None
        row["reason"] = o.reason
        row["folder"] = str(o.spec.out_dir) if o.written else ""
        out.append(row)
    return out


def csv_header() -> list[str]:
    head = ["run", "scenario", "variant", "overrides", "status"]
    for key, _ in COLUMNS:
        head += [key, f"{key}_delta"]
    return head + ["headcount_lower_bound", "gap", "solve_seconds", "reason", "folder"]


def format_number(value: Any, key: str = "") -> str:
    if value is None:
        return "-"
    if key == "service_level" and isinstance(value, float) and 0 <= value <= 1:
        return f"{value:.1%}"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"
    return f"{value:,}"


def format_delta(value: Any, key: str = "") -> str:
    if value is None or value == 0:
        return ""
    if key == "service_level" and isinstance(value, float) and abs(value) <= 1:
        return f"{value * 100:+.1f} pt"
    text = format_number(abs(value), key)
    return ("+" if value > 0 else "-") + text


def terminal_table(comparison: Comparison, tr=None):
    """The comparison as a rich Table: "value (delta)" cells. A metric no run reports
    (e.g. cost before costs are modelled) is left out here and named in the caption;
    comparison.csv and .xlsx keep every column (English names). `tr`: the translator of
    the titles (English without one)."""
    from rich.table import Table

    from scheduler.i18n import translator

    tr = tr or translator()
    table_rows = rows(comparison)
    shown = [(k, t) for k, t in COLUMNS if any(r[k] is not None for r in table_rows)]
    hidden = [tr(t) for k, t in COLUMNS if (k, t) not in shown]
    table = Table(title=tr("comparison (deltas against the first run)"),
                  caption=tr("not reported by any run: {names}", names=", ".join(hidden))
                  if hidden else None)
    table.add_column(tr("run"), style="bold", overflow="fold")
    table.add_column(tr("status"), no_wrap=True)
    for _, title in shown:
        table.add_column(tr(title), justify="right")
    table.add_column(tr("gap"), justify="right")
    table.add_column(tr("reason"), overflow="fold")
    for r in table_rows:
        cells = [r["run"], tr(r["status"])]
        for key, _ in shown:
            delta = format_delta(r[f"{key}_delta"], key)
            cells.append(format_number(r[key], key) + (f" ({delta})" if delta else ""))
        cells.append(f"{r['gap']:.1%}" if r["gap"] is not None else "-")
        cells.append(tr.message(r["reason"]))
        table.add_row(*cells)
    return table


def write_comparison(comparison: Comparison, folder: Path) -> list[Path]:
    """comparison.csv and comparison.xlsx, written atomically into `folder`."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    table = rows(comparison)
    head = csv_header()
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-compare-", dir=folder))
    try:
        with open(tmp / "comparison.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(head)
            for r in table:
                w.writerow(["" if r[k] is None else r[k] for k in head])
        wb = xlsxwriter.Workbook(str(tmp / "comparison.xlsx"))
        bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        pct = wb.add_format({"num_format": "0.00%"})
        ws = wb.add_worksheet("Comparison")
        ws.write_row(0, 0, head, bold)
        for i, r in enumerate(table, start=1):
            for j, k in enumerate(head):
                value = r[k]
                if value is None or value == "":
                    continue
                if isinstance(value, (int, float)):
                    ws.write_number(i, j, value, pct if k == "gap" else None)
                else:
                    ws.write_string(i, j, str(value))
        ws.freeze_panes(1, 1)
        ws.set_column(0, 0, 28)
        ws.set_column(1, len(head) - 1, 14)
        wb.close()
        written = []
        for name in FILES:
            os.replace(tmp / name, folder / name)
            written.append(folder / name)
        return written
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def exit_code(comparison: Comparison) -> int:
    """0 every run gave a roster; 2 every run failed on its input; 1 otherwise; 130
    interrupted."""
    from scheduler.errors import EXIT_INFEASIBLE, EXIT_INPUT, EXIT_INTERRUPTED, EXIT_OK

    if comparison.interrupted:
        return EXIT_INTERRUPTED
    if all(o.ok for o in comparison.outcomes):
        return EXIT_OK
    if all(o.input_error for o in comparison.outcomes):
        return EXIT_INPUT
    return EXIT_INFEASIBLE

