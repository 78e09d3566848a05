"""The `scheduler` command. Thin commands over plain functions; errors from the core become
one message and a documented exit code here, never a traceback.

Exit codes: 0 done (a roster, a clean check, a schema written, a simulation); 1 infeasible, no roster
found, or a check with violations; 2 bad input (or an output file that cannot be written);
130 interrupted."""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.live import Live

from scheduler.cli.language import LangOption, command_translator, error_prefix
from scheduler.errors import (EXIT_INFEASIBLE, EXIT_INPUT, EXIT_INTERRUPTED, SchedulerError,
                              error_lines)
from scheduler.i18n import DEFAULT_LANGUAGE, Translator, translator

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Minimum-headcount rosters for customer-service centres (OR-Tools CP-SAT).",
)
out = Console()
err = Console(stderr=True)


def _fail(exc: SchedulerError, t: Translator | None = None) -> None:
    t = t or translator(DEFAULT_LANGUAGE)
    prefix = error_prefix(t)
    for line in error_lines(exc, t.message):
        err.print(f"{prefix} {line}", highlight=False, markup=True, soft_wrap=True)
    raise typer.Exit(exc.exit_code)


def process_age_seconds() -> float:
    """Seconds since this process started (Linux: /proc; 0 where that cannot be read)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        with open("/proc/uptime", encoding="ascii") as f:
            uptime = float(f.read().split()[0])
        return max(0.0, uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return 0.0


@app.command()
def solve(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    out_dir: Annotated[Optional[Path], typer.Option("--out", help="Output folder [default: out/<scenario name>/].")] = None,
    time_limit: Annotated[Optional[float], typer.Option("--time-limit", help="Seconds (overrides solver.time_limit_seconds).", min=0.1)] = None,
    allow_understaffing: Annotated[bool, typer.Option("--allow-understaffing", help="Return the best roster with its short slots instead of failing.")] = False,
    seed: Annotated[Optional[int], typer.Option("--seed", help="Random seed (overrides solver.seed).")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Print CP-SAT's search log.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
    set_: Annotated[Optional[list[str]], typer.Option("--set", help="KEY=VALUE: change a key of the scenario, e.g. rules.max_days_per_week=6 (repeatable).")] = None,
    variant: Annotated[Optional[str], typer.Option("--variant", help="Apply one of the scenario's variants.")] = None,
    progress_jsonl: Annotated[Optional[Path], typer.Option("--progress-jsonl", metavar="FILE", help="Append each progress report to FILE as one JSON line (phase, headcount, bound, elapsed), for programs such as `scheduler serve`.")] = None,
    lang: LangOption = None,
) -> None:
    """Solve SCENARIO and write summary.json, shifts.csv, breaks.csv, coverage.csv, roster.xlsx.

    Ctrl-C stops the search, writes the best roster found so far and exits 130."""
    from scheduler.workload.loaded import load_scenario, with_options
    from scheduler.report.output import output_seconds, write_result
    from scheduler.engine.solve import Progress
    from scheduler.engine.stopping import StopSignal
    from scheduler.cli.progress import open_progress, progress_line
    from scheduler.cli.language import progress_text, short_slots_line, summary_table

    if verbose:
        logging.basicConfig(level=logging.DEBUG, format="%(message)s", stream=sys.stderr)
    # the limit covers the whole command; run as a program, the interpreter's start and
    # the imports too
    command_start = _program_start if _program_start is not None else time.monotonic()
    t = command_translator(lang, console=err)
    try:
        loaded = load_scenario(scenario, set_ or (), variant)
        loaded = with_options(loaded, allow_understaffing=allow_understaffing, seed=seed)
    except SchedulerError as exc:
        _fail(exc, t)
    sc = loaded.scenario
    t = command_translator(lang, sc.locale, console=err)
    forecast = getattr(loaded.staffing, "forecast", None)
    for note in forecast.warnings if forecast is not None else ():
        err.print(f"[yellow]{t('warning:')}[/] {t.message(note)}", highlight=False, soft_wrap=True)
    target = out_dir if out_dir is not None else Path("out") / sc.name

    state = {"text": t("building the model")}

    def render():
        return f"[cyan]{sc.name}[/] {state['text']}"

    live = None if quiet or verbose else Live(render(), console=err, refresh_per_second=4, transient=True)

    def on_progress(p: Progress) -> None:
        state["text"] = progress_text(t, p, state)
        if live is not None:
            live.update(render())
        if progress_file is not None:
            progress_file.write(progress_line(p))
            progress_file.flush()

    progress_file = open_progress(progress_jsonl, err)

    started = time.monotonic()
    stop = StopSignal()
    loading = started - command_start

    def reserve(shifts: int, agents: int) -> float:
        """The limit covers the whole command: reading the scenario and the outputs."""
        return loading + output_seconds(shifts, agents)

    try:
        if live is not None:
            with live:
                result = _solve_interruptibly(loaded, time_limit, on_progress, stop, reserve, t)
        else:
            result = _solve_interruptibly(loaded, time_limit, on_progress, stop, reserve, t)
    except SchedulerError as exc:
        _fail(exc, t)
    summary = result.summary
    if not result.feasible:
        if stop.is_set():
            err.print(t("interrupted before a roster was found: nothing written"))
            raise typer.Exit(EXIT_INTERRUPTED)
        err.print(f"[bold red]{t('{status}:', status=t(summary.status))}[/] "
                  f"{t.message(summary.message)}", soft_wrap=True)
        raise typer.Exit(EXIT_INFEASIBLE)
    solved = time.monotonic()
    written = write_result(result, target, sc.horizon.start_date, sc.horizon.days, loaded,
                           lang=t.lang)
    _note_overrun(t, time_limit if time_limit is not None else sc.solver.time_limit_seconds,
                  command_start, started, solved, len(result.shifts))
    out.print(summary_table(summary, t))
    from scheduler.report.common import answer_text, as_sentence

    answer, native = answer_text(summary, t)
    if answer:
        out.print(as_sentence(answer, t.lang if native else "en"), soft_wrap=False)
    if summary.short_slots:
        out.print(short_slots_line(t, summary.short_slots))
    out.print(t("wrote {n} files to {folder}/ in {seconds} s", n=len(written), folder=target,
                seconds=f"{time.monotonic() - started:.1f}"))
    if stop.is_set():
        err.print(t("interrupted: wrote the best roster found so far"))
        raise typer.Exit(EXIT_INTERRUPTED)


def _note_overrun(t, limit: float, command_start: float, started: float, solved: float,
                  shifts: int, now: float | None = None) -> None:
    """A note on stderr when the command took more than its time limit and a second: how
    long reading, solving and writing took, so that a planner sees what the limit cannot
    cover on this machine (the outputs of a big roster, the first roster itself)."""
    now = time.monotonic() if now is None else now
    if now - command_start <= limit + 1.0:
        return
    err.print(f"[yellow]{t('note:')}[/] " + t(
        "{seconds} s in all, above the time limit of {limit} s: reading {read} s, "
        "solving {solve} s, writing the {shifts} shifts' files {write} s",
        seconds=f"{now - command_start:.1f}", limit=f"{limit:g}",
        read=f"{started - command_start:.1f}", solve=f"{solved - started:.1f}",
        shifts=f"{shifts:,}", write=f"{now - solved:.1f}"), highlight=False, soft_wrap=True)


def _solve_interruptibly(loaded, time_limit, on_progress, stop, reserve=None, t=None):
    """Solve in a worker thread so that Ctrl-C reaches the main thread at once; it tells
    the search to stop, and the best roster found so far comes back."""
    from scheduler.engine.pooling import solve_staffed as run_solve

    box: dict = {}
    done = threading.Event()

    def work() -> None:
        try:
            box["result"] = run_solve(loaded, time_limit=time_limit, on_progress=on_progress,
                                      stop=stop, reserve=reserve)
        except BaseException as exc:  # handed to the main thread
            box["error"] = exc
        finally:
            done.set()

    # An interrupted Thread.join() can leave the thread looking finished, so the main
    # thread waits on an event instead.
    threading.Thread(target=work, name="solve", daemon=True).start()
    while not done.is_set():
        try:
            done.wait(0.2)
        except KeyboardInterrupt:
            if stop.is_set():  # a second Ctrl-C: give up at once
                raise
            err.print((t or translator())("stopping: finishing with the best roster so far "
                                          "(Ctrl-C again to quit)"))
            stop.set()
    if "error" in box:
        raise box["error"]
    return box["result"]


@app.command()
def compare(
    scenarios: Annotated[list[Path], typer.Argument(help="Scenario YAML files.")],
    variants: Annotated[Optional[str], typer.Option("--variants", help="'all' or NAME,NAME: the scenario's variants, after the scenario itself.")] = None,
    set_: Annotated[Optional[list[str]], typer.Option("--set", help="KEY=VALUE applied to every run (repeatable).")] = None,
    sweep: Annotated[Optional[list[str]], typer.Option("--sweep", help="KEY=START:STOP:STEP (STOP included) or KEY=V1,V2,...; several make a grid.")] = None,
    out_dir: Annotated[Optional[Path], typer.Option("--out", help="Root folder [default: out]; runs go to <root>/<scenario>/<variant>/.")] = None,
    time_limit: Annotated[Optional[float], typer.Option("--time-limit", help="Seconds per run (overrides solver.time_limit_seconds).", min=0.1)] = None,
    cluster: Annotated[str, typer.Option("--cluster", help="'local' (a local Dask cluster), 'none' (one at a time here) or tcp://HOST:PORT of a running Dask scheduler.")] = "local",
    parallel: Annotated[Optional[int], typer.Option("--parallel", help="Runs at a time on the local cluster [default: cores // CP-SAT workers per run].", min=1)] = None,
    solver_workers: Annotated[Optional[int], typer.Option("--solver-workers", help="CP-SAT workers per run [default: the scenario's solver.workers].", min=1, max=64)] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    lang: LangOption = None,
) -> None:
    """Solve scenarios, variants and sweeps in parallel (Dask) and set them side by side;
    writes each run like `solve` and comparison.csv / comparison.xlsx.

    A run that fails shows its reason and the others go on. Ctrl-C keeps the finished runs
    and exits 130."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from scheduler.cli import compare as cmp

    t = command_translator(lang, console=err)
    try:
        runs, folder = cmp.plan_runs(scenarios, variants, set_ or (), sweep or (), out_dir)
    except SchedulerError as exc:
        _fail(exc, t)
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), console=err, transient=True, disable=quiet)
    task = bar.add_task(t("comparing"), total=len(runs))

    def on_done(o, done: int, total: int) -> None:
        bar.update(task, completed=done, description=f"{o.spec.label}: {o.status}")

    try:
        with bar:
            result = cmp.run_comparison(runs, cluster, parallel, solver_workers, time_limit, on_done,
                                        t.lang if lang else None)
    except SchedulerError as exc:
        _fail(exc, t)
    files = cmp.write_comparison(result, folder)
    out.print(cmp.terminal_table(result, t))
    finished = sum(o.written for o in result.outcomes)
    out.print(t("wrote {n} of {runs} runs under {folder}/ and {files}", n=finished, runs=len(runs),
                folder=folder, files=", ".join(f.name for f in files)))
    if result.interrupted:
        err.print(t("interrupted: the finished runs are written, the others cancelled"))
    raise typer.Exit(cmp.exit_code(result))


@app.command()
def check(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    roster: Annotated[Path, typer.Argument(help="An output folder, a shifts.csv with its breaks.csv beside it, or a roster.xlsx.")],
    set_: Annotated[Optional[list[str]], typer.Option("--set", help="KEY=VALUE: the scenario as changed for the run (repeatable).")] = None,
    variant: Annotated[Optional[str], typer.Option("--variant", help="One of the scenario's variants.")] = None,
    lang: LangOption = None,
) -> None:
    """Check a roster against SCENARIO without the solver: exit 1 if a rule is violated,
    2 if the roster files cannot be read (each bad row is named)."""
    from scheduler.check import (
        CheckFileError,
        check_roster,
        read_breaks_csv,
        read_shifts_csv,
        read_workbook,
    )
    from scheduler.workload.loaded import load_scenario

    t = command_translator(lang, console=err)
    try:
        loaded = load_scenario(scenario, set_ or (), variant)
    except SchedulerError as exc:
        _fail(exc, t)
    t = command_translator(lang, loaded.scenario.locale, console=err)
    try:
        if roster.suffix.lower() == ".xlsx":
            shifts, breaks = read_workbook(roster)
        else:
            folder = roster if roster.is_dir() else roster.parent
            shifts_path = folder / "shifts.csv" if roster.is_dir() else roster
            shifts = read_shifts_csv(shifts_path)
            breaks = read_breaks_csv(folder / "breaks.csv")
    except CheckFileError as exc:
        err.print(f"{error_prefix(t)} {t.message(str(exc))}", soft_wrap=True)
        raise typer.Exit(EXIT_INPUT)
    # after the staffing loop the roster covers the adjusted requirement coverage.csv
    # records beside the Erlang one (check/queues.py): checked with its columns
    adjusted = coverage = None
    if roster.suffix.lower() != ".xlsx":
        from scheduler.check.grid import Grid
        from scheduler.check.queues import adjusted_requirement

        coverage = (roster if roster.is_dir() else roster.parent) / "coverage.csv"
        grid = Grid.of(loaded.scenario)
        adjusted = adjusted_requirement(coverage, grid, loaded.scenario)
    report = check_roster(loaded.scenario, loaded.directory, shifts, breaks, adjusted)
    if adjusted is not None:
        from scheduler.check.queues import compare_queue_columns

        compare_queue_columns(coverage, grid, loaded.scenario, report.queues,
                              report.violations, loaded.directory)
    for v in report.violations:
        who = f"{v.agent} " if v.agent else ""
        when = f"{v.time:%Y-%m-%d %H:%M} " if v.time else ""
        out.print(f"{v.rule}: {who}{when}{t.message(v.message)}", highlight=False, soft_wrap=True, markup=False)
    out.print(t("{n} violations; headcount {headcount}, paid hours {hours}, short agent-slots "
                "{short}", n=len(report.violations), headcount=report.headcount,
                hours=f"{report.paid_minutes / 60:.2f}", short=report.short_agent_slots))
    if report.queues is not None:  # the scenario splits its people among queues
        per_queue = ", ".join(f"{q} {v:.4g}" for q, v in report.queue_short_agent_slots.items())
        out.print(t("short agent-slots per queue: {queues}; other work {other}", queues=per_queue,
                    other=f"{report.other_work_short_agent_slots:.4g}"),
                  highlight=False, soft_wrap=True, markup=False)
    if any(v.rule == "file" for v in report.violations):
        raise typer.Exit(EXIT_INPUT)  # the roster could not be read as written
    if report.violations:
        raise typer.Exit(EXIT_INFEASIBLE)


@app.command()
def staffing(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file with channels.")],
    out_dir: Annotated[Optional[Path], typer.Option("--out", help="Output folder [default: out/<scenario name>/].")] = None,
    lang: LangOption = None,
) -> None:
    """Agents required per slot and channel from forecast contacts and service goals:
    print a per-day table and write staffing.csv (traffic, agents, service level, ASA,
    occupancy, abandonment per slot and channel)."""
    from scheduler.workload.loaded import load_workload
    from scheduler.workload.tables import staffing_table, write_staffing_csv

    t = command_translator(lang, console=err)
    try:
        loaded = load_workload(scenario)
    except SchedulerError as exc:
        _fail(exc, t)
    t = command_translator(lang, loaded.scenario.locale, console=err)
    target = out_dir if out_dir is not None else Path("out") / loaded.scenario.name
    path = write_staffing_csv(loaded.staffing, target)
    out.print(staffing_table(loaded.scenario.name, loaded.staffing, t))
    out.print(t("peak requirement {n} agents on duty; wrote {path}",
                n=max(loaded.required, default=0), path=path))


@app.command()
def report(
    out_dir: Annotated[Path, typer.Argument(help="An output folder of `scheduler solve`.")],
    scenario: Annotated[Optional[Path], typer.Option("--scenario", help="Scenario YAML [default: OUT_DIR/scenario.yaml].")] = None,
    lang: LangOption = None,
) -> None:
    """Rebuild roster.xlsx, report.html, activities.csv and calendar/ of OUT_DIR from its
    saved results, without solving again; in the language they were written in unless
    --lang says otherwise."""
    from scheduler.i18n import choose_language
    from scheduler.report import rebuild, recorded_language

    t = command_translator(lang, console=err)
    chosen = choose_language(lang) if lang else recorded_language(out_dir)
    if chosen:
        t = translator(chosen)
    try:
        written = rebuild(out_dir, scenario, lang=chosen)
    except SchedulerError as exc:
        _fail(exc, t)
    out.print(t("wrote {files} to {folder}/", files=", ".join(p.name for p in written),
                folder=out_dir))


@app.command()
def replan(
    out_dir: Annotated[Path, typer.Argument(help="An output folder of `scheduler solve` (named staff).")],
    changes: Annotated[Path, typer.Option("--changes", help="CSV of changes: kind (sick, leave, unavailable, leaves, demand), id, date or start_date/end_date, file, note.")],
    start: Annotated[Optional[str], typer.Option("--from", help="Keep shifts starting before this local date or date-time [default: the first changed day].")] = None,
    new_dir: Annotated[Optional[Path], typer.Option("--out", help="Output folder [default: OUT_DIR-replan/].")] = None,
    time_limit: Annotated[Optional[float], typer.Option("--time-limit", help="Seconds (overrides solver.time_limit_seconds).", min=0.1)] = None,
    lang: LangOption = None,
) -> None:
    """Re-plan OUT_DIR's roster after sickness, leave, a leaver, a new demand file or a new
    forecast of contacts, changing as few shifts as possible; write the new roster and
    changes.csv (who, what was, what is now)."""
    from scheduler.cli.language import summary_table
    from scheduler.cli.replan import replan_folder
    from scheduler.i18n import choose_language
    from scheduler.report import recorded_language
    from scheduler.report.output import write_result

    t = command_translator(lang, console=err)
    try:
        done = replan_folder(out_dir, changes, start, new_dir, time_limit)
    except SchedulerError as exc:
        _fail(exc, t)
    summary = done.result.summary
    sc = done.loaded.scenario
    # in --lang, else the language of the folder re-planned, else the scenario's locale
    chosen = choose_language(lang) if lang else recorded_language(out_dir)
    t = translator(chosen) if chosen else command_translator(None, sc.locale, console=err)
    if not done.result.feasible:
        err.print(f"[bold red]{t('{status}:', status=t(summary.status))}[/] "
                  f"{t.message(summary.message)}", soft_wrap=True)
        raise typer.Exit(EXIT_INFEASIBLE)
    written = write_result(done.result, done.target, sc.horizon.start_date, sc.horizon.days,
                           done.loaded, lang=t.lang)
    out.print(summary_table(summary, t))
    said = t.message(summary.message)
    out.print(said[0].upper() + said[1:] + ("." if t.lang == "en" else "。"), soft_wrap=True)
    out.print(t("wrote {n} files to {folder}/ (changes.csv lists the changes)", n=len(written),
                folder=done.target))


@app.command()
def simulate(
    out_dir: Annotated[Path, typer.Argument(help="An output folder of `scheduler solve`.")],
    runs: Annotated[int, typer.Option("--runs", help="Independent simulated runs (more: narrower intervals).", min=1)] = 10,
    seed: Annotated[int, typer.Option("--seed", help="Random seed: the same seed gives the same figures.")] = 0,
    scenario: Annotated[Optional[Path], typer.Option("--scenario", help="Scenario YAML with the channels [default: OUT_DIR/scenario.yaml]; the run's --set and variant are applied again.")] = None,
    processes: Annotated[int, typer.Option("--processes", help="Worker processes for the runs (the figures do not depend on it).", min=1)] = 1,
    lang: LangOption = None,
) -> None:
    """Simulate the roster of OUT_DIR (seeded discrete-event simulation, skill-based
    routing, breaks and shift ends) and write simulation.csv: per queue and slot the
    offered, answered and abandoned contacts, service level, ASA, abandonment and
    occupancy with 95% intervals; roster.xlsx gains a Simulation sheet and report.html a
    section. Prints each queue's simulated service level against its goal.

    Exit codes: 0 simulated (whether or not the goals are met); 2 bad input (no outputs
    in OUT_DIR, a scenario without channels or of another horizon, a file that cannot be
    read or written); 130 interrupted."""
    from scheduler.cli.language import simulation_lines
    from scheduler.i18n import choose_language
    from scheduler.report import recorded_language
    from scheduler.report.simulate import simulate_output_dir

    started = time.monotonic()
    t = command_translator(lang, console=err)
    chosen = choose_language(lang) if lang else recorded_language(out_dir)
    if chosen:
        t = translator(chosen)
    try:
        outcome = simulate_output_dir(out_dir, runs=runs, seed=seed, scenario_path=scenario,
                                      processes=processes, lang=chosen)
    except SchedulerError as exc:
        _fail(exc, t)
    except OSError as exc:
        err.print(f"{error_prefix(t)} " + t("cannot write into {folder}: {reason}", folder=out_dir,
                                             reason=exc.strerror or exc),
                  soft_wrap=True, highlight=False)
        raise typer.Exit(EXIT_INPUT)
    for line in simulation_lines(outcome, t):
        out.print(line, highlight=False, soft_wrap=True)
    for note in outcome.notes:
        out.print(t("note: {text}", text=t.message(note)), highlight=False, soft_wrap=True)
    out.print(t("wrote {files} to {folder}/ in {seconds} s",
                files=", ".join(p.name for p in outcome.written), folder=out_dir,
                seconds=f"{time.monotonic() - started:.1f}"))


@app.command("forecast")
def forecast_command(
    history: Annotated[Path, typer.Argument(help="History CSV: start plus one column of contacts per channel, one row per slot.")],
    start: Annotated[str, typer.Option("--start", help="First day forecast (YYYY-MM-DD), from 00:00.")],
    days: Annotated[int, typer.Option("--days", help="Days forecast.", min=1, max=366)],
    out_file: Annotated[Path, typer.Option("--out", help="Volume file written (the long file with intervals goes beside it as <stem>_intervals.csv).")] = Path("forecast.csv"),
    method: Annotated[str, typer.Option("--method", help="auto, seasonal_naive, weekly_median, profile, ets, mstl or ensemble.")] = "auto",
    quantile: Annotated[float, typer.Option("--quantile", help="Quantile planned to (0.5 the median, 0.8 the 80th percentile).", min=0.01, max=0.99)] = 0.5,
    quantiles: Annotated[str, typer.Option("--quantiles", help="Quantiles of the long file, comma-separated.")] = "0.1,0.5,0.9",
    holidays: Annotated[Optional[str], typer.Option("--holidays", help="CN (China's statutory holidays and make-up working days) or dates YYYY-MM-DD,...")] = None,
    events: Annotated[Optional[Path], typer.Option("--events", help="YAML list of events: name, past [{start_date, end_date}], start_date, end_date, multiplier, channels.")] = None,
    time_zone: Annotated[str, typer.Option("--time-zone", help="IANA zone of the history's local times (DST changes are refused).")] = "Asia/Shanghai",
    origins: Annotated[int, typer.Option("--origins", help="Backtest origins behind auto and the intervals.", min=1, max=20)] = 3,
    orders: Annotated[Optional[Path], typer.Option("--orders", help="CSV of date,orders (history days and days forecast): forecast channels as planned orders x contacts per order.")] = None,
    orders_channels: Annotated[Optional[str], typer.Option("--orders-channels", help="Channels forecast from --orders, comma-separated [default: all].")] = None,
    lang: LangOption = None,
) -> None:
    """Forecast contacts per slot from HISTORY: a volume file a scenario's
    channels[].volume_file reads unchanged, and a long file with the intervals.

    Exit codes: 0 written; 2 bad input (file, line and column named)."""
    from scheduler.forecast import run

    t = command_translator(lang, console=err)
    try:
        result, written = run.forecast_files(history, start, days, out_file, method, quantile,
                                             quantiles, holidays, events, time_zone, origins,
                                             orders, orders_channels, t)
    except SchedulerError as exc:
        _fail(exc, t)
    for note in result.warnings:
        err.print(f"[yellow]{t('warning:')}[/] {t.message(note)}", highlight=False, soft_wrap=True)
    for ch in result.channels:
        total = float(result.planned(ch.name).sum())
        out.print(t("{channel}: {method}, {n} contacts at P{quantile}", channel=ch.name,
                    method=ch.method, n=t.number(total), quantile=f"{100 * quantile:g}"),
                  highlight=False)
    out.print(t("wrote {files}", files=", ".join(str(p) for p in written)), highlight=False,
              soft_wrap=True)


@app.command("backtest")
def backtest_command(
    history: Annotated[Path, typer.Argument(help="History CSV (as for forecast).")],
    horizon: Annotated[int, typer.Option("--horizon", help="Days forecast from each origin.", min=1, max=366)] = 28,
    origins: Annotated[int, typer.Option("--origins", help="Origins, a week apart, the last ending with the history.", min=1, max=200)] = 6,
    out_file: Annotated[Path, typer.Option("--out", help="Table written (CSV); the chart goes beside it as .html.")] = Path("backtest.csv"),
    methods: Annotated[Optional[str], typer.Option("--methods", help="Comma-separated methods [default: all].")] = None,
    holidays: Annotated[Optional[str], typer.Option("--holidays", help="CN or dates YYYY-MM-DD,...")] = None,
    events: Annotated[Optional[Path], typer.Option("--events", help="YAML list of events (their past days are replaced by the baseline).")] = None,
    time_zone: Annotated[str, typer.Option("--time-zone", help="IANA zone of the history's local times.")] = "Asia/Shanghai",
    lang: LangOption = None,
) -> None:
    """Rolling-origin backtest of every method on HISTORY: WAPE, MASE, bias and P10-P90
    coverage per channel, method and horizon (1, 7, 28 days); a chart of the last origin.

    Exit codes: 0 written; 2 bad input."""
    from scheduler.cli.language import backtest_table
    from scheduler.forecast import run

    t = command_translator(lang, console=err)
    try:
        rows, written = run.backtest_files(history, horizon, origins, out_file, methods,
                                           holidays, events, time_zone, t)
    except SchedulerError as exc:
        _fail(exc, t)
    out.print(backtest_table(rows, history.name, origins, t))
    out.print(t("wrote {files}", files=", ".join(str(p) for p in written)), highlight=False,
              soft_wrap=True)


@app.command("schema")
def schema_command(
    out_file: Annotated[Optional[Path], typer.Option("--out", metavar="FILE", help="Write to FILE (atomically: a temporary file, then a rename) instead of printing.")] = None,
    markdown: Annotated[bool, typer.Option("--markdown", help="The scenario reference as Markdown (docs/reference/scenario.md) instead of the JSON Schema.")] = False,
) -> None:
    """Print or write the JSON Schema (draft 2020-12) of a scenario file, generated from
    the models, for editors and validators; with --markdown, the scenario reference.

    Exit codes: 0 printed or written; 2 FILE cannot be written."""
    if markdown:
        from scheduler.scenario.reference import reference_text as make_text
    else:
        from scheduler.scenario.schema import schema_text as make_text
    from scheduler.scenario.schema import write_atomically

    text = make_text()
    if out_file is None:
        typer.echo(text, nl=False)
        return
    try:
        path = write_atomically(out_file, text)
    except SchedulerError as exc:
        _fail(exc)
    err.print(f"wrote {path}", highlight=False, soft_wrap=True)


@app.command("serve")
def serve_command(
    host: Annotated[str, typer.Option("--host", help="Address to listen on; other than loopback needs a token.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)] = 8000,
    scenarios: Annotated[Path, typer.Option("--scenarios", metavar="DIR", help="Scenarios folder: listed, opened, edited and uploaded into.")] = Path("scenarios"),
    runs: Annotated[Path, typer.Option("--runs", metavar="DIR", help="Runs folder: one folder per run and the index (runs.sqlite3).")] = Path("runs"),
    token: Annotated[Optional[str], typer.Option("--token", help="Token required on every request [default: $SCHEDULER_TOKEN]; needed with a --host beyond loopback.")] = None,
    max_runs: Annotated[int, typer.Option("--max-runs", help="Runs executed at once; the others wait in a queue.", min=1)] = 1,
    max_upload_mb: Annotated[float, typer.Option("--max-upload-mb", help="Largest upload (MB).", min=0.001)] = 10.0,
    cluster: Annotated[Optional[str], typer.Option("--cluster", metavar="tcp://HOST:PORT", help="A running Dask scheduler over whose workers comparison runs spread their variants [default: none, one after the other in the run's process].")] = None,
) -> None:
    """Serve the planner's web page: scenarios, edits, uploads, runs followed live,
    results with the report, KPIs, roster and downloads.

    Exit codes: 0 stopped; 2 bad settings (a host beyond loopback without a token)."""
    from scheduler.cli.serve import serve

    serve(host, port, scenarios, runs, token, max_runs, max_upload_mb, cluster)


_program_start: float | None = None
"""time.monotonic() at the process's start when the CLI is the program (main)."""


def main() -> None:
    global _program_start
    _program_start = time.monotonic() - process_age_seconds()
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(EXIT_INTERRUPTED)
