"""The language of the command's output: the `--lang` option, the translator of a run,
and the tables and lines the commands print, written in that language.

`--lang` wins; else the scenario's `locale` (commands that read a scenario); else the
environment (SCHEDULER_LANG, LC_ALL, LC_MESSAGES, LANG); else English. Messages of the
core (a bad key, a rule violated, an infeasibility) are raised in English and translated
here, at the edge, through the message catalogue (`Translator.message`)."""

from __future__ import annotations

import re
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from scheduler.errors import EXIT_INPUT
from scheduler.i18n import LANGUAGES, Translator, choose_language, translator

LangOption = Annotated[Optional[str], typer.Option(
    "--lang", metavar="zh|en",
    help="Language of the messages, tables and reports: zh (Simplified Chinese) or en; "
         "by default the scenario's locale, else the environment's language, else en.")]


def command_translator(lang: str | None, scenario_locale: str | None = None,
                       console: Console | None = None) -> Translator:
    """The run's translator; an unknown --lang is a usage error (exit 2)."""
    try:
        return translator(choose_language(lang, scenario_locale))
    except ValueError:
        (console or Console(stderr=True)).print(
            f"[bold red]error:[/] --lang {lang!r}: choose one of {', '.join(LANGUAGES)}",
            highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_INPUT) from None


def error_prefix(t: Translator) -> str:
    return f"[bold red]{t('error:')}[/]"


def summary_table(summary, t: Translator) -> Table:
    """The solve's summary: headcount, bound, hours, shifts, slots, pools."""
    table = Table(title=f"{summary.scenario}: {t(summary.status)}", show_header=False)
    table.add_column("", style="bold")
    table.add_column("")
    gap = summary.headcount_gap

    def n(value, digits: int = 0):
        return None if value is None else t.number(value, digits)

    rows = [
        (t("headcount"), n(summary.headcount)),
        (t("headcount lower bound"), n(summary.headcount_lower_bound)),
        (t("gap"), t.percent(gap, 2) if gap is not None else "-"),
        (t("paid hours"), _hours(t, summary.paid_hours)),
        (t("shifts"), n(summary.shifts)),
        (t("short agent-slots"), n(summary.short_agent_slots)),
        (t("over agent-slots"), n(summary.over_agent_slots)),
        (t("solve seconds"), n(summary.solve_seconds, 1)),
    ]
    service = getattr(summary, "service", None)
    if service is not None and service.share_meeting_goal is not None:
        rows.append((t("slots meeting service goal"), t.percent(service.share_meeting_goal)))
    if summary.pools:
        rows.append((t("cost"), n(summary.cost, 2)))
        if summary.cost_gap is not None:
            rows.append((t("cost above proven bound"), t.percent(summary.cost_gap, 2)))
        rows.append((t("overtime hours"), _hours(t, summary.overtime_hours)))
        for pool in summary.pools:
            rows.append((t("pool {name}", name=pool.name),
                         t("{rostered} rostered ({standing} standing, {hired} hired), {hours} h, "
                           "cost {cost}", rostered=pool.rostered, standing=pool.standing,
                           hired=pool.hired, hours=_hours(t, pool.paid_hours),
                           cost=t.number(pool.cost, 2))))
    for key, value in rows:
        table.add_row(key, "-" if value is None else str(value))
    return table


def _hours(t: Translator, value) -> str | None:
    if value is None:
        return None
    return t.number(value, 0 if float(value).is_integer() else 2)


_PHASES = ("building the model", "first roster", "plan", "roster", "paid hours", "cost",
           "simulating the fluid plan")


def phase_name(t: Translator, phase: str) -> str:
    """An engine phase's name in the language ('simulating plan 3' too)."""
    found = re.fullmatch(r"simulating plan (\d+)", phase)
    if found:
        return t("simulating plan {n}", n=found.group(1))
    return t(phase) if phase in _PHASES else phase


def progress_text(t: Translator, p, state: dict) -> str:
    """One line of the solve's live progress: phase, headcount, bound, gap, time."""
    if p.phase == "first roster":
        state["first"] = t("first roster at {seconds} s", seconds=f"{p.elapsed:.1f}")
    parts = [phase_name(t, p.phase)]
    if p.headcount is not None:
        parts.append(t("headcount {n}", n=p.headcount))
    if p.headcount_bound is not None:
        parts.append(t("bound {n}", n=p.headcount_bound))
        if p.headcount:
            parts.append(t("gap {share}", share=t.percent(
                (p.headcount - p.headcount_bound) / p.headcount)))
    if "first" in state and p.phase != "first roster":
        parts.append(state["first"])
    parts.append(f"{p.elapsed:.1f} s")
    return " · ".join(parts)


def short_slots_line(t: Translator, short_slots: list) -> str:
    shown = ", ".join(f"{s:%m-%d %H:%M}" for s in short_slots[:10])
    more = (" " + t("and {n} more", n=len(short_slots) - 10)) if len(short_slots) > 10 else ""
    return t("short slots: {slots}", slots=shown + more)


def simulation_lines(outcome, t: Translator) -> list[str]:
    """Per queue over the horizon, one line: the simulated service level (mean ± the 95%
    interval's half-width) against the goal, the slots below it, ASA, abandonment and
    contacts per run."""
    lines = [t("simulated service, {runs} runs, seed {seed} (service level: answered within "
               "the goal's time / offered; ± the 95% interval)", runs=outcome.runs,
               seed=outcome.seed)]
    for q in outcome.queues:
        mean, low, high = (float(v) for v in (q.service_level.mean, q.service_level.low,
                                               q.service_level.high))
        level = "-" if mean != mean else t.percent(mean) + (
            "" if low != low else f" ±{50 * (high - low):.1f}")
        if q.service_level_goal is None:
            goal = (t("ASA {seconds} s", seconds=f"{q.asa_goal_seconds:g}")
                    if q.asa_goal_seconds is not None else t("none"))
        elif q.kind == "deferred":
            goal = t("all in {minutes} min", minutes=f"{q.answer_within_seconds / 60:g}")
        else:
            goal = t("{share} in {seconds} s", share=t.percent(q.service_level_goal, 0),
                     seconds=f"{q.answer_within_seconds:g}")
        verdict = {None: "", True: t("met overall") + "; ",
                   False: "[red]" + t("missed overall") + "[/]; "}[q.meets_goal]
        asa, abandoned = float(q.asa_seconds.mean), float(q.abandon_rate.mean)
        extra = [] if asa != asa else [t("ASA {seconds} s", seconds=f"{asa:.1f}")]
        if abandoned == abandoned and abandoned > 0:
            extra.append(t("abandoned {share}", share=t.percent(abandoned)))
        extra.append(t("{n} contacts a run", n=t.number(float(q.offered.mean))))
        below = t("{n} of {slots} slots below", n=q.slots_below_goal, slots=q.slots)
        lines.append("  " + t("[bold]{queue}[/]: {level} against {goal} ({verdict}{below}); {extra}",
                              queue=q.queue, level=level, goal=goal, verdict=verdict,
                              below=below, extra=", ".join(extra)))
    return lines


def backtest_table(rows: list[dict], history_name: str, origins: int, t: Translator) -> Table:
    table = Table(title=t("backtest of {name}: {origins} origins", name=history_name,
                          origins=origins))
    for col in ("channel", "method", "days", "WAPE", "MASE", "bias", "P10-P90 coverage"):
        table.add_column(t(col))
    for r in rows:
        cov = r["coverage_p10_p90"]
        table.add_row(r["channel"], r["method"], str(r["horizon_days"]), t.percent(r["wape"]),
                      f"{r['mase']:.3f}", f"{r['bias']:+.1%}",
                      "-" if cov is None else t.percent(cov, 0))
    return table
