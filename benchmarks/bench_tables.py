"""The benchmark tables of the docs, rendered from the results CSVs in benchmarks/results/.

Every generated table sits between two marker comments, in docs/benchmarks.md (one block
per benchmark table) and in README.md (the headline table):

    <!-- bench:NAME -->
    ...generated: the table and a line naming machine, versions, date and command...
    <!-- /bench:NAME -->

`replace_blocks` swaps the text between each pair for a fresh rendering and leaves
everything outside the markers as it was. NAME is a key of TABLES, which says which CSV
(or, for the headline, which CSVs) the block is made from and how.
`benchmarks/run_all.py` runs the benchmarks and calls `update_pages`; the renderers here
only read CSVs and the metadata file (meta.json).
"""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import re
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
META_FILE = "meta.json"


class TableError(Exception):
    """A table cannot be rendered (missing or malformed CSV, broken markers)."""


# ---------------------------------------------------------------- small formatting helpers

def num(value) -> float | None:
    """A CSV cell as a number (None for empty / None / non-numbers)."""
    if value is None or value == "" or value == "None":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def fmt(value, spec: str = "{}") -> str:
    v = num(value)
    return "-" if v is None else spec.format(v)


def whole(value) -> str:
    """1,277 for whole numbers, 15,128.5 otherwise, - for none."""
    v = num(value)
    if v is None:
        return "-"
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"


def median(values) -> float | None:
    vs = [num(v) for v in values]
    vs = [v for v in vs if v is not None]
    return statistics.median(vs) if vs else None


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["|" + "|".join(f" {c} " if c else " " for c in r) + "|" for r in rows]
    return "\n".join(lines)


def _need(rows: list[dict], columns: tuple[str, ...], what: str) -> None:
    if not rows:
        raise TableError(f"{what}: the results file has no rows")
    missing = [c for c in columns if c not in rows[0]]
    if missing:
        raise TableError(f"{what}: the results file lacks the column(s) {', '.join(missing)}")


# ---------------------------------------------------------------- one renderer per table

def render_core_week(rows: list[dict]) -> str:
    _need(rows, ("run", "status", "headcount", "headcount_lower_bound", "gap", "paid_hours",
                 "seconds"), "core_week")
    body = [[r["run"], r["status"], fmt(r["headcount"], "{:.0f}"),
             fmt(r["headcount_lower_bound"], "{:.0f}"), fmt(r["gap"], "{:.2%}"),
             fmt(r["paid_hours"], "{:.1f}"), fmt(r["seconds"], "{:.1f}")] for r in rows]

    def med(col, spec):
        return fmt(median(r[col] for r in rows), spec)

    body.append(["median", "", whole(median(r["headcount"] for r in rows)), whole(median(r["headcount_lower_bound"] for r in rows)),
                 med("gap", "{:.2%}"), med("paid_hours", "{:.1f}"), med("seconds", "{:.1f}")])
    return _table(["run", "status", "headcount", "lower bound", "gap", "paid hours", "seconds"],
                  body)


def render_msd(rows: list[dict]) -> str:
    """Per set and split: instances, best known reached (gap <= 0), mean and max gap over the
    instances with a roster, median and max seconds. "tune" before "test" within a set."""
    _need(rows, ("set", "split", "gap", "seconds"), "msd")
    groups: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        groups.setdefault((r["set"], r["split"]), []).append(r)
    order = {"tune": 0, "test": 1}
    body = []
    for (data_set, split), group in sorted(groups.items(),
                                           key=lambda kv: (kv[0][0], order.get(kv[0][1], 2),
                                                           kv[0][1])):
        gaps = [num(r["gap"]) for r in group if num(r["gap"]) is not None]
        reached = sum(1 for g in gaps if g <= 0)
        secs = [num(r["seconds"]) for r in group if num(r["seconds"]) is not None]
        body.append([data_set, split, str(len(group)), str(reached),
                     f"{statistics.mean(gaps):.2%}" if gaps else "-",
                     f"{max(gaps):.2%}" if gaps else "-",
                     f"{statistics.median(secs):.1f}" if secs else "-",
                     f"{max(secs):.1f}" if secs else "-"])
    return _table(["set", "split", "instances", "best known reached", "mean gap", "max gap",
                   "median s", "max s"], body)


def render_curtois(rows: list[dict]) -> str:
    """One row per instance (split, limit, best known, found by the checker, gap), then one
    per group of instances (1-7, 8-12, 13-19, 20-24): best known reached, mean and max gap
    over the instances with a roster, rosters found."""
    _need(rows, ("instance", "group", "split", "best_known", "found", "gap", "seconds",
                 "time_limit"), "curtois")
    body = [[r["instance"], r["split"], fmt(r["time_limit"], "{:.0f}"), whole(r["best_known"]),
             whole(r["found"]), fmt(r["gap"], "{:.2%}"), fmt(r["seconds"], "{:.1f}")]
            for r in rows]
    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(r["group"], []).append(r)
    for label, group in groups.items():
        gaps = [num(r["gap"]) for r in group if num(r["gap"]) is not None]
        reached = sum(1 for g in gaps if g <= 0)
        limits = sorted({fmt(r["time_limit"], "{:.0f}") for r in group})
        body.append([f"**{label}**", "", "/".join(limits),
                     f"{reached} of {len(group)} reached",
                     f"{len(gaps)} rosters",
                     (f"mean {statistics.mean(gaps):.2%}, max {max(gaps):.2%}" if gaps
                      else "-"), ""])
    return _table(["instance", "split", "limit s", "best known", "found (checker)", "gap",
                   "seconds"], body)


PEER_COLUMNS = ("peak", "engine", "setting", "status", "paid_hours", "paid_hours_bound",
                "max_shifts_on_a_day", "headcount", "headcount_lower_bound",
                "short_agent_slots", "short_after_midnight", "seconds")


def _peer_cases(rows: list[dict]) -> list[tuple[tuple[str, str, str], list[dict]]]:
    """Rows grouped by (peak, engine, setting) in first-seen order; a CSV without a `run`
    column is one run."""
    cases: dict[tuple[str, str, str], list[dict]] = {}
    for r in rows:
        cases.setdefault((r["peak"], r["engine"], r["setting"]), []).append(r)
    return list(cases.items())


def _statuses(group: list[dict]) -> str:
    counts: dict[str, int] = {}
    for r in group:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    if len(counts) == 1:
        return next(iter(counts))
    return ", ".join(f"{s} x{n}" for s, n in counts.items())


def render_peer(rows: list[dict]) -> str:
    """One row per (peak, engine, setting): medians over the runs (a single run gives its
    own figures)."""
    _need(rows, PEER_COLUMNS, "peer")
    body = []
    for (peak, engine, setting), group in _peer_cases(rows):
        def med(col):
            return median(r[col] for r in group)

        paid = whole_round(med("paid_hours"))
        if med("paid_hours_bound") is not None:
            paid += f" ({whole_round(med('paid_hours_bound'))})"
        head = "-"
        if med("headcount") is not None:
            head = whole(med("headcount"))
            if med("headcount_lower_bound") is not None:
                head += f" ({whole(med('headcount_lower_bound'))})"
        body.append([peak, engine, setting, _statuses(group), paid,
                     whole(med("max_shifts_on_a_day")), head,
                     f"{fmt(med('short_agent_slots'), '{:g}')} "
                     f"({fmt(med('short_after_midnight'), '{:g}')})",
                     fmt(med("seconds"), "{:.1f}")])
    runs = len({r.get("run") or "0" for r in rows})
    first = "peak" if runs == 1 else f"peak ({runs} runs: medians)"
    return _table([first, "engine", "setting", "status", "paid hours (our bound)",
                   "max shifts on a day", "headcount (bound)",
                   "short agent-slots (00:00-06:00)", "seconds"], body)


def whole_round(value) -> str:
    return "-" if value is None else f"{value:,.0f}"


OURS_LIKE = "paid_hours, no labour rules"


def peer_ratios(rows: list[dict]) -> dict[tuple[str, str], dict[str, list[float]]]:
    """Ours (paid_hours, no labour rules) / each pyworkforce setting, taken within the same
    run and peak: per (peak, setting) the ratios of paid hours, max shifts on a day and
    seconds, one per run."""
    _need(rows, PEER_COLUMNS, "peer")
    per_run: dict[tuple[str, str], dict[str, dict]] = {}
    for r in rows:
        per_run.setdefault((r["peak"], r.get("run") or "0"), {})[
            r["setting"] if r["engine"] == "pyworkforce" else "ours:" + r["setting"]] = r
    ratios: dict[tuple[str, str], dict[str, list[float]]] = {}
    for (peak, _run), case in per_run.items():
        ours = case.get("ours:" + OURS_LIKE)
        for setting, theirs in case.items():
            if setting.startswith("ours:"):
                continue
            got = ratios.setdefault((peak, setting), {"paid": [], "shifts": [], "seconds": []})
            if ours is None:
                continue
            for key, col in (("paid", "paid_hours"), ("shifts", "max_shifts_on_a_day")):
                a, b = num(ours[col]), num(theirs[col])
                if a and b:
                    got[key].append(a / b)
            a, b = num(ours["seconds"]), num(theirs["seconds"])
            if a is not None and b is not None:
                got["seconds"].append(a / max(b, 0.01))
    return ratios


def render_peer_ratios(rows: list[dict]) -> str:
    """peer_ratios' ratios, the median over runs of each."""
    body = []
    ratios = peer_ratios(rows)
    for (peak, setting), got in ratios.items():
        body.append([peak, setting, fmt(median(got["paid"]), "{:.3f}"),
                     fmt(median(got["shifts"]), "{:.3f}"), fmt(median(got["seconds"]), "{:.2f}")])
    return _table(["peak", "pyworkforce setting", "paid hours", "max shifts on a day", "seconds"],
                  body)


def _load_script(name: str):
    """A benchmark script as a module (for the scale table, which scale.py renders)."""
    module = f"_bench_{name}"
    if module in sys.modules:
        return sys.modules[module]
    spec = importlib.util.spec_from_file_location(module, HERE / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[module] = mod
    spec.loader.exec_module(mod)
    return mod


def render_scale(rows: list[dict]) -> str:
    """scale.py's own table (so the grid's rendering lives in one place)."""
    _need(rows, ("level", "horizon", "peak", "method", "status", "seconds"), "scale")
    scale = _load_script("scale")
    try:
        return scale.table([scale._typed(r) for r in rows])
    except (KeyError, TypeError, ValueError) as exc:
        raise TableError(f"scale: cannot render a row ({exc!r})") from exc


def render_first_roster(rows: list[dict]) -> str:
    """first_roster.py's own table: per case and limit, the medians of its runs."""
    _need(rows, ("case", "limit_s", "wall_s", "over_limit_s", "exit_code", "roster"),
          "first_roster")
    first_roster = _load_script("first_roster")
    try:
        return first_roster.table(rows)
    except (KeyError, TypeError, ValueError) as exc:
        raise TableError(f"first_roster: cannot render a row ({exc!r})") from exc


def render_skills(rows: list[dict]) -> str:
    """skills.py's own table: per part and staffing, the medians of its runs."""
    _need(rows, ("part", "case", "headcount", "cost", "service_level", "solve_s"), "skills")
    skills = _load_script("skills")
    try:
        return skills.table(rows)
    except (KeyError, TypeError, ValueError) as exc:
        raise TableError(f"skills: cannot render a row ({exc!r})") from exc


def render_promotion(rows: list[dict]) -> str:
    _need(rows, ("seed", "cost", "cost_bound", "gap", "headcount", "hired", "overtime_hours",
                 "seconds"), "promotion")
    body = [[r["seed"], fmt(r["cost"], "{:,.0f}"), fmt(r["cost_bound"], "{:,.0f}"),
             fmt(r["gap"], "{:.2%}"), fmt(r["headcount"], "{:,.0f}"), fmt(r["hired"], "{:,.0f}"),
             fmt(r["overtime_hours"], "{:,.0f}"), fmt(r["seconds"], "{:.1f}")] for r in rows]
    return _table(["seed", "cost", "proven bound (LP relaxation, HiGHS)", "gap", "headcount",
                   "hired", "overtime h", "wall s"], body)


EXPORT_LABELS = {
    "write_result": "`write_result`: every output file",
    "rebuild": "`scheduler report`: read back and rebuild",
    "roster.xlsx": "of which `roster.xlsx`",
    "report.html": "of which `report.html`",
    "activities.csv": "of which `activities.csv`",
    "calendar/": "of which `calendar/`",
}


def render_export(rows: list[dict]) -> str:
    _need(rows, ("step", "median_s", "min_s", "size_mb"), "export")
    body = []
    for r in rows:
        label = EXPORT_LABELS.get(r["step"], r["step"])
        if r.get("detail"):
            label += f" ({r['detail']})"
        body.append([label, fmt(r["median_s"], "{:.1f}"), fmt(r["min_s"], "{:.1f}"),
                     "" if num(r["size_mb"]) is None else f"{num(r['size_mb']):.1f} MB"])
    return _table(["step", "median s", "fastest s", "size"], body)


def render_output_model(rows: list[dict]) -> str:
    """output_model.py: per roster size, the writers' wall and CPU seconds (medians) and
    the CPU seconds output_seconds' model gives."""
    _need(rows, ("agents", "days", "shifts", "child", "wall_s", "parent_cpu_s", "child_cpu_s",
                 "critical_cpu_s", "model_cpu_s", "load_avg_1min"), "output_model")
    body = [[whole(r["agents"]), r["days"], whole(r["shifts"]),
             "yes" if str(r["child"]) == "True" else "no", fmt(r["wall_s"], "{:.2f}"),
             fmt(r["parent_cpu_s"], "{:.2f}"),
             fmt(r["child_cpu_s"], "{:.2f}") if str(r["child"]) == "True" else "-",
             fmt(r["critical_cpu_s"], "{:.2f}"), fmt(r["model_cpu_s"], "{:.2f}"),
             fmt(r["load_avg_1min"], "{:.1f}")] for r in rows]
    return _table(["agents", "days", "shifts", "child process", "wall s",
                   "CPU s, this process", "CPU s, child", "CPU s, critical path",
                   "model CPU s", "load"], body)


def render_web(rows: list[dict]) -> str:
    """Pages idle and while a solve runs (median / p95 / slowest ms), then the large
    result's requests and its load in Chromium."""
    _need(rows, ("part", "request", "state", "median_ms", "p95_ms", "max_ms"), "web")

    def three(r: dict | None) -> list[str]:
        if r is None:
            return ["-", "-", "-"]
        return [fmt(r[k], "{:,.0f}") for k in ("median_ms", "p95_ms", "max_ms")]

    pages: dict[str, dict[str, dict]] = {}
    for r in rows:
        if r["part"] == "pages":
            pages.setdefault(r["request"], {})[r["state"]] = r
    body = [[f"`{name}`", *three(states.get("idle")), *three(states.get("solve running"))]
            for name, states in pages.items()]
    text = _table(["page", "idle: median ms", "p95", "slowest", "solve running: median ms",
                   "p95", "slowest"], body)
    result = [r for r in rows if r["part"] in ("result", "chromium")]
    if result:
        first = result[0]
        size = lambda r: "" if num(r.get("size_mb")) is None else f"{num(r['size_mb']):.2f} MB"  # noqa: E731
        body = [[f"`{r['request']}`" if r["part"] == "result" else
                 "Chromium: the result page to its load event (report frame included)",
                 *three(r), size(r)] for r in result]
        text += (f"\n\nResult of {whole(first['agents'])} agents x {whole(first['days'])} days "
                 f"({whole(first['shifts'])} shifts, written in {fmt(first['write_s'], '{:.1f}')} s):"
                 "\n\n" + _table(["request", "median ms", "p95", "slowest", "size"], body))
    return text


def render_staffing(rows: list[dict]) -> str:
    _need(rows, ("model", "peak_scale", "peak_erlangs", "median_s"), "staffing")
    body = []
    flagged: set[float] = set()
    for r in rows:
        scale = num(r["peak_scale"]) or 1.0
        if scale == 1:
            label = f"Erlang {r['model']} (voice, chat) + deadline"
        else:
            label = f"Erlang {r['model']}, volumes x {scale:g}"
            if scale not in flagged:
                label += f" (`--peak-scale {scale:g}`)"
                flagged.add(scale)
        body.append([label, fmt(r["peak_erlangs"], "{:,.0f}"), fmt(r["median_s"], "{:.3f}")])
    return _table(["model", "peak Erlangs", "median s"], body)


def render_forecast(rows: list[dict]) -> str:
    """Accuracy per data set, period and method: WAPE at 1 / 7 / 28 days, MASE and bias
    at 7 days, P10-P90 coverage per horizon; then the timing rows (medians)."""
    _need(rows, ("data", "method", "period", "horizon_days", "wape"), "forecast")
    groups: dict[tuple[str, str, str], dict[str, dict]] = {}
    timing = []
    for r in rows:
        if r["period"] == "timing":
            timing.append(r)
            continue
        groups.setdefault((r["data"], r["period"], r["method"]), {})[r["horizon_days"]] = r
    horizons = sorted({r["horizon_days"] for r in rows if r["period"] != "timing"}, key=int)
    body = []
    for (data, period, method), by_h in groups.items():
        seven = by_h.get("7", {})
        body.append([f"{data} ({period})", method]
                    + [fmt(num(by_h[h]["wape"]) * 100, "{:.2f}%") if h in by_h else "-"
                       for h in horizons]
                    + [fmt(seven.get("mase"), "{:.3f}"),
                       fmt(num(seven.get("bias")) * 100 if seven else None, "{:+.2f}%"),
                       " / ".join(fmt(num(by_h[h].get("coverage_p10_p90")) * 100, "{:.0f}%")
                                  if h in by_h else "-" for h in horizons)])
    text = _table(["data (period)", "method"] + [f"WAPE {h} d" for h in horizons]
                  + ["MASE 7 d", "bias 7 d", "P10-P90 coverage " + " / ".join(
                      f"{h}" for h in horizons) + " d"], body)
    if timing:
        text += "\n\n" + _table(
            ["speed case", "runs", "median s", "min s", "max s", "load before/after"],
            [[r["method"], r["origins"], fmt(r["seconds_median"], "{:.2f}"),
              fmt(r["seconds_min"], "{:.2f}"), fmt(r["seconds_max"], "{:.2f}"),
              r.get("loadavg_before_after") or "-"] for r in timing])
    return text


def render_staff(rows: list[dict]) -> str:
    """The named month and its re-plan per run, then the medians: headcount and paid
    hours against the anonymous twin's bounds (the gaps in %)."""
    _need(rows, ("people", "anon_headcount", "anon_bound", "named_working", "changed",
                 "forced", "replan_wall"), "staff")
    cols = [("people", "people", whole), ("peak", "peak", whole),
            ("anon_headcount", "anonymous headcount", whole),
            ("anon_bound", "its bound", whole),
            ("named_headcount", "named headcount", whole),
            ("named_hires", "of them hires", whole),
            ("headcount_gap_pct", "headcount gap", lambda v: fmt(v, "{:.1f}%")),
            ("named_paid_hours", "paid h named", whole),
            ("anon_paid_hours_bound", "paid h bound (anonymous)", whole),
            ("paid_hours_gap_pct", "paid hours gap", lambda v: fmt(v, "{:.2f}%")),
            ("named_wall", "named solve s", whole),
            ("changed", "re-plan: changed", whole), ("forced", "forced", whole),
            ("other", "beyond forced", whole), ("people_affected", "people affected", whole),
            ("replan_wall", "re-plan wall s", whole),
            ("violations", "checker violations", whole)]
    body = [[f"seed {r['seed']}"] + [show(r.get(k)) for k, _, show in cols] for r in rows]
    body.append(["median"] + [show(median(r.get(k) for r in rows)) for k, _, show in cols])
    return _table(["run"] + [label for _, label, _ in cols], body)


def render_patterns(rows: list[dict]) -> str:
    """Per variant of the named month (base, livable): medians over the runs, and each
    run's headcount and hires."""
    _need(rows, ("variant", "seed", "headcount", "hires", "median_start_spread_minutes",
                 "single_days_off_share"), "patterns")
    body = []
    for variant in dict.fromkeys(r["variant"] for r in rows):
        mine = [r for r in rows if r["variant"] == variant]
        share = median(r["single_days_off_share"] for r in mine)
        body.append([variant, str(len(mine)),
                     whole(median(r["headcount"] for r in mine)),
                     whole(median(r["hires"] for r in mine)),
                     " / ".join(f"{whole(r['headcount'])} ({whole(r['hires'])})" for r in mine),
                     whole(median(r["paid_hours"] for r in mine)),
                     whole(median(r["requests_honoured"] for r in mine)),
                     whole(median(r["median_start_spread_minutes"] for r in mine)),
                     whole(median(r["max_start_spread_minutes"] for r in mine)),
                     fmt(share * 100 if share is not None else None, "{:.1f}%"),
                     whole(sum(num(r["violations"]) or 0 for r in mine))])
    return _table(["variant", "runs", "headcount", "hires", "each run (hires)", "paid hours",
                   "requests honoured", "start spread min (median)", "largest spread min",
                   "single days off", "checker violations"], body)


# ---------------------------------------------------------------- the README's headline

def _one(rows: list[dict], what: str, **keys: str) -> dict:
    """The row whose columns equal `keys` (the headline's pick of one case)."""
    found = [r for r in rows if all(r.get(k) == v for k, v in keys.items())]
    if not found:
        wanted = ", ".join(f"{k}={v}" for k, v in keys.items())
        raise TableError(f"headline: {what} has no row with {wanted}")
    return found[0]


def _secs(value) -> str:
    return fmt(value, "{:.1f}") + " s"


def render_headline(rows_of: dict[str, list[dict]]) -> str:
    """A few figures from each benchmark's CSV, one row each, for the README."""
    core = rows_of["core_week"]
    _need(core, ("peak", "time_limit", "headcount", "headcount_lower_bound", "gap", "seconds"),
          "core_week")
    body = [[f"one cyclic week, peak {whole(core[0]['peak'])} agents, 5 days in 7, 12 h rest "
             f"({len(core)} seeds, {fmt(core[0]['time_limit'], '{:g}')} s limit)",
             f"{whole(median(r['headcount'] for r in core))} agents against a proven lower "
             f"bound of {whole(median(r['headcount_lower_bound'] for r in core))} "
             f"(gap {fmt(median(r['gap'] for r in core), '{:.2%}')}, median)"]]

    scale = rows_of["scale"]
    _need(scale, ("level", "horizon", "peak", "method", "gap", "value", "bound", "seconds",
                  "time_limit"), "scale")
    plan = _one(scale, "scale", level="plan", horizon="28", peak="1000", method="highs")
    body.append([f"shift plan, 4 weeks, peak {whole(plan['peak'])} agents "
                 f"({fmt(plan['time_limit'], '{:g}')} s limit)",
                 f"{fmt(plan['gap'], '{:.3%}')} above the LP bound in {_secs(plan['seconds'])}"])
    cases = [(label, _one(scale, "scale", level="roster", horizon=horizon, peak="200"))
             for label, horizon in (("cyclic", "28"), ("open", "28o"))]
    body.append([f"roster, 4 weeks, peak {whole(cases[0][1]['peak'])} agents, labour rules "
                 f"({fmt(cases[0][1]['time_limit'], '{:g}')} s limit)",
                 "; ".join(f"{label}: {whole(r['value'])} agents against a bound of "
                           f"{whole(r['bound'])} ({fmt(r['gap'], '{:.2%}')}, {r['status']}, "
                           f"{_secs(r['seconds'])})" for label, r in cases)])

    msd = rows_of["msd"]
    _need(msd, ("set", "gap", "seconds"), "msd")
    reached = sum(1 for r in msd if num(r["gap"]) is not None and num(r["gap"]) <= 0)
    sets = sorted({r["set"] for r in msd})
    body.append([f"Minimum Shift Design instances (DBAI {', '.join(sets)})",
                 f"best known value reached on {reached} of {len(msd)}, each in at most "
                 f"{_secs(max(num(r['seconds']) or 0 for r in msd))}"])

    promo = rows_of["promotion"]
    _need(promo, ("peak", "gap", "seconds"), "promotion")
    body.append([f"Double 11 fortnight at peak {whole(promo[0]['peak'])} agents, three staff "
                 f"pools, least cost ({len(promo)} seeds)",
                 f"median gap {fmt(median(r['gap'] for r in promo), '{:.2%}')} to the proven "
                 f"cost bound, each in at most "
                 f"{_secs(max(num(r['seconds']) or 0 for r in promo))}"])

    first = rows_of.get("first_roster")
    if first:
        _need(first, ("case", "limit_s", "roster", "over_limit_s", "checked", "gap"),
              "first_roster")
        short = [r for r in first if num(r["limit_s"]) == 5]
        cases = sorted({r["case"] for r in short})
        with_roster = sorted({r["case"] for r in short if r["roster"] == "True"})
        held = sum(1 for r in first if (num(r["over_limit_s"]) or 0) <= 1.0)
        d11 = [num(r["gap"]) for r in first if r["case"] == "double11"
               and num(r["limit_s"]) == 60 and num(r["gap"]) is not None]
        text = (f"a checked roster in {len(with_roster)} of {len(cases)} cases "
                f"(the others infeasible by construction); wall time within the limit + 1 s "
                f"in {held} of {len(first)} runs")
        if d11:
            text += f"; double11 at 60 s: {fmt(median(d11), '{:.2%}')} above its cost bound"
        body.append(["first roster at a 5 s limit (bundled scenarios, scale grid, promotions; "
                     "most runs beside another busy process)", text])

    ratios = peer_ratios(rows_of["peer"])
    valid = [(peak, got) for (peak, setting), got in ratios.items()
             if setting == "shifts ending by 24:00 only"]
    if not valid:
        raise TableError("headline: peer has no pyworkforce run with shifts ending by 24:00")
    body.append(["paid hours against pyworkforce's valid plans (shifts ending by 24:00)",
                 ", ".join(f"{fmt(median(got['paid']), '{:.3f}')} at peak {peak}"
                           for peak, got in valid) + " (ours / theirs)"])

    staffing = _one(rows_of["staffing"], "staffing", model="A", peak_scale="1.0")
    body.append(["Erlang A staffing, 4 weeks x 3 channels",
                 f"{fmt(staffing['median_s'], '{:.3f}')} s (median)"])

    export = rows_of["export"]
    _need(export, ("step", "median_s", "agents", "days"), "export")
    write = _one(export, "export", step="write_result")
    body.append([f"every output file of {whole(write['agents'])} agents x "
                 f"{whole(write['days'])} days", f"{_secs(write['median_s'])} (median)"])
    return _table(["benchmark", "result"], body)


# ---------------------------------------------------------------- the tables

@dataclass(frozen=True)
class Table:
    """A table made from one benchmark's CSV."""
    benchmark: str
    """The benchmark (run_all name) whose CSV and metadata it uses."""
    csv: str
    render: Callable[[list[dict]], str]
    meta_line: bool = True
    optional: bool = False
    """A missing CSV renders as a line saying how to make it, not as an error (a
    benchmark whose results are not committed yet)."""

    @property
    def benchmarks(self) -> tuple[str, ...]:
        return (self.benchmark,)

    def text(self, name: str, results: Path, meta: dict) -> str:
        if self.optional and not (results / self.csv).exists():
            return (f"_No results yet: `python benchmarks/run_all.py --only {self.benchmark}` "
                    f"writes benchmarks/results/{self.csv} and this table._")
        rows = read_rows(results / self.csv, name, self.benchmark)
        text = self.render(rows)
        if self.meta_line:
            text += "\n\n" + meta_line(self.benchmark, meta, rows)
        return text


@dataclass(frozen=True)
class Headline:
    """A table made from several benchmarks' CSVs (the README's front-page figures)."""
    sources: tuple[tuple[str, str], ...]
    """(benchmark, CSV file) pairs it reads."""
    render: Callable[[dict[str, list[dict]]], str]

    @property
    def benchmarks(self) -> tuple[str, ...]:
        return tuple(benchmark for benchmark, _ in self.sources)

    def text(self, name: str, results: Path, meta: dict) -> str:
        rows_of = {benchmark: read_rows(results / csv_name, name, benchmark)
                   for benchmark, csv_name in self.sources}
        return self.render(rows_of) + "\n\n" + headline_meta_line(self.benchmarks, meta)


TABLES: dict[str, Table | Headline] = {
    "core_week": Table("core_week", "core_week.csv", render_core_week),
    "msd": Table("msd", "msd.csv", render_msd),
    "peer": Table("peer", "peer.csv", render_peer),
    "peer-ratios": Table("peer", "peer.csv", render_peer_ratios, meta_line=False),
    "scale": Table("scale", "scale.csv", render_scale),
    "promotion": Table("promotion", "promotion.csv", render_promotion),
    "first_roster": Table("first_roster", "first_roster.csv", render_first_roster,
                          optional=True),
    "export": Table("export", "export.csv", render_export),
    "output_model": Table("output_model", "output_model.csv", render_output_model,
                          optional=True),
    "staffing": Table("staffing", "staffing.csv", render_staffing),
    "skills": Table("skills", "skills.csv", render_skills),
    "curtois": Table("curtois", "curtois.csv", render_curtois),
    "forecast": Table("forecast", "forecast.csv", render_forecast),
    "staff": Table("staff", "staff.csv", render_staff, optional=True),
    "patterns": Table("patterns", "patterns.csv", render_patterns, optional=True),
    "web": Table("web", "web.csv", render_web, optional=True),
    "headline": Headline(
        tuple((b, f"{b}.csv") for b in ("core_week", "scale", "msd", "promotion", "peer",
                                         "staffing", "export", "first_roster")),
        render_headline),
}


# ---------------------------------------------------------------- metadata line

def read_meta(results: Path) -> dict:
    path = results / META_FILE
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise TableError(f"{path}: unreadable metadata ({exc})") from exc


def _load_range(meta: dict, rows: list[dict]) -> str | None:
    loads = [num(r.get("load_avg_1min")) for r in rows]
    loads = [v for v in loads if v is not None]
    if loads:
        lo, hi = min(loads), max(loads)
        return f"{lo:.1f}" if f"{lo:.1f}" == f"{hi:.1f}" else f"{lo:.1f}-{hi:.1f}"
    return meta.get("load_avg_1min")


def meta_line(benchmark: str, meta: dict, rows: list[dict]) -> str:
    """One line: machine, versions, date, load average, command (what the issue asks a
    benchmark table to state)."""
    m = meta.get(benchmark)
    if not m:
        return (f"_Run metadata for `{benchmark}` not recorded "
                f"(benchmarks/results/{META_FILE})._")
    parts = [m.get("machine", "machine not recorded")]
    if m.get("versions"):
        parts.append(", ".join(f"{k} {v}" for k, v in m["versions"].items()))
    parts.append(m.get("date", "date not recorded"))
    load = _load_range(m, rows)
    if load:
        parts.append(f"1-minute load average {load}")
    commands = m.get("commands") or []
    line = "_" + "; ".join(parts)
    if commands:
        line += "; made by " + " then ".join(f"`{c}`" for c in commands)
    if m.get("note"):
        line += f" ({m['note']})"
    return line + "._"


DATE = re.compile(r"(\d{4}-\d\d-\d\d) (\d\d:\d\d)(?:-(\d\d:\d\d))? UTC")


def headline_meta_line(benchmarks: tuple[str, ...], meta: dict) -> str:
    """Machines and the span of the runs the headline's figures come from; the per-table
    lines give versions, load and commands."""
    machines, days, times, unknown = [], set(), [], []
    for benchmark in benchmarks:
        m = meta.get(benchmark)
        found = DATE.fullmatch((m or {}).get("date", ""))
        if not m or not found:
            unknown.append(benchmark)
            continue
        if m.get("machine") and m["machine"] not in machines:
            machines.append(m["machine"])
        days.add(found.group(1))
        times += [found.group(2), found.group(3) or found.group(2)]
    parts = ["; ".join(machines) or "machine not recorded"]
    if days:
        span = sorted(days)
        when = span[0] if len(span) == 1 else f"{span[0]} to {span[-1]}"
        if len(span) == 1:
            when += f", runs between {min(times)} and {max(times)} UTC"
        parts.append(when)
    if unknown:
        parts.append(f"no run metadata for {', '.join(unknown)}")
    return ("_" + "; ".join(parts) + "; versions, load and commands are given under each "
            "table of the benchmarks page._")


# ---------------------------------------------------------------- marker blocks

BEGIN = re.compile(r"^<!-- bench:([\w-]+) -->[ \t]*$", re.M)


def read_rows(path: Path, name: str, benchmark: str) -> list[dict]:
    if not path.exists():
        raise TableError(f"table '{name}': results file {path} not found; run "
                         f"`python benchmarks/run_all.py --only {benchmark}` to make it")
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def render_block(name: str, results: Path, meta: dict | None = None) -> str:
    if name not in TABLES:
        raise TableError(f"unknown table '{name}' (known: {', '.join(TABLES)})")
    return TABLES[name].text(name, results, read_meta(results) if meta is None else meta)


def find_blocks(text: str, source: str = "page") -> list[tuple[str, int, int]]:
    """(name, start, end) of each block's inner text; errors name the line."""
    blocks = []
    for m in BEGIN.finditer(text):
        name = m.group(1)
        end_marker = f"<!-- /bench:{name} -->"
        end = text.find(end_marker, m.end())
        line = text.count("\n", 0, m.start()) + 1
        if end < 0:
            raise TableError(f"{source} line {line}: '<!-- bench:{name} -->' has no "
                             f"'{end_marker}' after it")
        nested = BEGIN.search(text, m.end(), end)
        if nested:
            raise TableError(f"{source} line {line}: block '{name}' is not closed before "
                             f"the next block '{nested.group(1)}' opens")
        blocks.append((name, m.end(), end))
    return blocks


def replace_blocks(text: str, results: Path, only: set[str] | None = None,
                   source: str = "page") -> tuple[str, list[str]]:
    """`text` with every marker block (or those using a benchmark in `only`) re-rendered
    from the CSVs in `results`; also the names of the blocks replaced."""
    blocks = find_blocks(text, source)
    meta = read_meta(results)
    out, pos, done = [], 0, []
    for name, start, end in blocks:
        if name not in TABLES:
            line = text.count("\n", 0, start) + 1
            raise TableError(f"{source} line {line}: unknown table '{name}' "
                             f"(known: {', '.join(TABLES)})")
        if only is not None and not only.intersection(TABLES[name].benchmarks):
            continue
        out.append(text[pos:start])
        out.append("\n" + render_block(name, results, meta) + "\n\n")
        pos = end
        done.append(name)
    out.append(text[pos:])
    return "".join(out), done


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` via a temporary file in the same folder and a rename."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def update_pages(pages: list[Path], results: Path, only: set[str] | None = None
                 ) -> dict[Path, list[str]]:
    """Re-render the marker blocks of each page in place; per page the names replaced.
    Every page is rendered before any is written, so an error leaves them all as they were;
    each is then replaced atomically."""
    rendered = []
    for page in pages:
        try:
            text = page.read_text(encoding="utf-8")
        except OSError as exc:
            raise TableError(f"{page}: cannot read ({exc.strerror})") from exc
        new, done = replace_blocks(text, results, only, source=str(page))
        rendered.append((page, text, new, done))
    for page, text, new, _ in rendered:
        if new != text:
            write_atomic(page, new)
    return {page: done for page, _, _, done in rendered}
