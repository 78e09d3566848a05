#!/usr/bin/env python3
"""Forecast accuracy on real call-centre arrivals, and forecast speed (issue 18).

    PYTHONPATH=$PWD python benchmarks/forecast.py            # accuracy and timing
    PYTHONPATH=$PWD python benchmarks/forecast.py --quick    # fewer origins (a smoke run)

Accuracy: the US bank's 30-minute calls of 2003 (../shared/benchmarks/callvolume/
us_bank_2003/calls_30min_2003.csv, read in place): weekdays 07:00-21:00 (the 21:00 bin
holds one 5-minute slot and is dropped), weekends closed (0), the six weekdays without
rows filled by the history reader from a week earlier and not scored. Origins at 00:00
of every weekday; from each, every method forecasts 28 days from the history before it.
Split: origins before 2003-07-01 are the tuning period (settings were fixed before
looking at the test period and not changed after), origins from 2003-07-01 on are the
test period; the table reports both, the targets are judged on the test period.
The Israeli bank's February 1999 (anonymous_bank_feb1999/calls_feb1999_30min.csv, all
records but PHANTOM) is 28 days: origins on days 15-21, 1 and 7 days ahead, the methods
that need at most 14 days.

WAPE, MASE and bias pool each period's origins (backtest.py); coverage is the share of
actuals in open slots within the P10-P90 interval, each origin's interval made from the
errors of earlier origins on slots already past (no look-ahead). `auto` picks per origin
by its own 3-origin backtest within the history before the origin.

Speed: a synthetic year of half-hourly contacts x 3 channels forecast 28 days ahead with
`auto` (make_forecast, statsmodels imported), and a 6-origin backtest of the six
methods at 28 days; medians of 3 runs, /proc/loadavg before and after.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "benchmarks" / "callvolume"
OUT = ROOT / "benchmarks" / "results" / "forecast.csv"
TEST_FROM = dt.date(2003, 7, 1)
HORIZONS = (1, 7, 28)


def loadavg() -> str:
    try:
        return Path("/proc/loadavg").read_text().split(" ")[0]
    except OSError:
        return ""


def us_bank_history(folder: Path) -> Path:
    """The US bank's weekday calls as a volume file (start, calls) of 30-minute slots."""
    rows = {}
    with open(DATA / "us_bank_2003" / "calls_30min_2003.csv") as f:
        for r in csv.DictReader(f):
            if r["bin_start"] == "21:00":
                continue
            rows[(r["date"], r["bin_start"])] = int(r["calls"])
    dates = sorted({d for d, _ in rows})
    first, last = dt.date.fromisoformat(dates[0]), dt.date.fromisoformat(dates[-1])
    lines = ["start,calls"]
    day = first
    while day <= last:
        present = day.isoformat() in dates
        if day.weekday() >= 5 or present:  # a missing weekday: no rows (a gap)
            for s in range(48):
                hhmm = f"{s // 2:02d}:{30 * (s % 2):02d}"
                lines.append(f"{day}T{hhmm},{rows.get((day.isoformat(), hhmm), 0)}")
        day += dt.timedelta(days=1)
    path = folder / "us_bank_30min.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def israel_history(folder: Path) -> Path:
    lines = ["start,calls"]
    with open(DATA / "anonymous_bank_feb1999" / "calls_feb1999_30min.csv") as f:
        for r in csv.DictReader(f):
            lines.append(f"{r['date']}T{r['bin_start']},{r['calls_excl_phantom']}")
    path = folder / "israel_30min.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def evaluate(history, origins_days: list[int], methods, horizon_days: int, scored_mask):
    """Per method: a Backtest over the origins (slot indexes of days from the first)."""
    from scheduler.forecast import backtest as bt
    from scheduler.forecast.core import make_forecast
    from scheduler.forecast.methods import MIN_DAYS

    spd = history.slots_per_day
    y = history.values[0]
    actual = np.where(scored_mask, y, np.nan)
    out = {}
    for m in methods:
        if m == "auto":
            run = bt.Backtest("auto", [], [], [], [])
            for k, d in enumerate(origins_days):
                start = history.start.date() + dt.timedelta(days=d)
                res = make_forecast(history, start, horizon_days, "auto", origins=3)
                f = res.channels[0].point
                o = d * spd
                run.origins.append(o)
                run.forecasts.append(f)
                run.actuals.append(actual[o:o + horizon_days * spd])
                run.scales.append(bt.naive_scale(y[:o], spd))
                model = run.error_model((0.1, 0.9), upto=k, slots_per_day=spd)
                run.lower.append(None if model is None else model.apply(f, 0.1))
                run.upper.append(None if model is None else model.apply(f, 0.9))
            out[m] = run
            continue
        points = [d * spd for d in origins_days if d >= MIN_DAYS[m]]
        out[m] = bt.run(m, y, spd, horizon_days, points, actual=actual)
    return out


def split_scores(run, spd, first: dt.date, horizons):
    """Scores per period (tune, test) and horizon."""
    from scheduler.forecast import backtest as bt

    rows = []
    for period in ("tune", "test"):
        keep = [i for i, o in enumerate(run.origins)
                if (first + dt.timedelta(days=o // spd) >= TEST_FROM) == (period == "test")]
        if not keep:
            continue
        part = bt.Backtest(run.method, [run.origins[i] for i in keep],
                           [run.forecasts[i] for i in keep], [run.actuals[i] for i in keep],
                           [run.scales[i] for i in keep], [run.lower[i] for i in keep],
                           [run.upper[i] for i in keep])
        for h in horizons:
            s = part.scores(h, spd)
            rows.append({"period": period, "horizon_days": h, "origins": len(keep),
                         "wape": s.wape, "mase": s.mase, "bias": s.bias,
                         "coverage_p10_p90": s.coverage})
    return rows


def accuracy(quick: bool) -> list[dict]:
    from scheduler.forecast.history import read_history

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        path = us_bank_history(Path(tmp))
        history = read_history(path)
        spd = history.slots_per_day
        n_days = history.num_slots // spd
        first = history.start.date()
        scored = ~history.filled
        weekdays = [d for d in range(n_days - 28 + 1)
                    if (first + dt.timedelta(days=d)).weekday() < 5 and d >= 21]
        if quick:
            weekdays = weekdays[::5]
        methods = ["seasonal_naive", "weekly_median", "profile", "ets", "mstl", "ensemble",
                   "auto"]
        runs = evaluate(history, weekdays, methods, 28, scored)
        for m, run in runs.items():
            for r in split_scores(run, spd, first, HORIZONS):
                rows.append({"data": "us_bank_2003", "method": m, **r})
        path = israel_history(Path(tmp))
        history = read_history(path)
        spd = history.slots_per_day
        scored = np.ones(history.num_slots, bool)
        runs = evaluate(history, list(range(14, 22)), ["seasonal_naive", "weekly_median",
                                                       "profile"], 7, scored)
        for m, run in runs.items():
            from scheduler.forecast import backtest as bt

            for h in (1, 7):
                s = run.scores(h, spd)
                rows.append({"data": "israel_feb1999", "method": m, "period": "all",
                             "horizon_days": h, "origins": len(run.origins), "wape": s.wape,
                             "mase": s.mase, "bias": s.bias, "coverage_p10_p90": s.coverage})
    return rows


def synthetic_year(channels: int = 3):
    from scheduler.forecast.history import History

    spd, days = 48, 365
    rng = np.random.default_rng(7)
    t = np.arange(days * spd)
    intraday = np.maximum(0, np.sin((t % spd) / spd * 2 * np.pi - np.pi / 2) + 0.8)
    weekly = 1 + 0.2 * ((t // spd) % 7 < 5)
    values = np.array([rng.poisson(s * 100 * intraday * weekly * (1 + 0.3 * t / len(t)))
                       for s in (1.0, 0.5, 2.0)[:channels]], float)
    return History(dt.datetime(2025, 1, 1), 30, ["voice", "chat", "email"][:channels], values)


def timing(runs: int = 3) -> list[dict]:
    """Each measurement in a fresh interpreter (imports counted)."""
    code_fc = ("import time;t=time.perf_counter();import datetime as dt;"
               "from benchmarks.forecast import synthetic_year;"
               "from scheduler.forecast.core import make_forecast;h=synthetic_year();"
               "t=time.perf_counter();make_forecast(h, dt.date(2026,1,1), 28, 'auto');"
               "print(time.perf_counter()-t)")
    code_bt = ("import time;from benchmarks.forecast import synthetic_year;"
               "from scheduler.forecast.run import backtest;h=synthetic_year();"
               "t=time.perf_counter();backtest(h, 28, 6);print(time.perf_counter()-t)")
    rows = []
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for name, code in (("forecast_1y_3ch_28d_auto", code_fc),
                       ("backtest_1y_3ch_6origins_28d_6methods", code_bt)):
        seconds, loads = [], [loadavg()]
        for _ in range(runs):
            done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                  env=env, cwd=ROOT, check=True)
            seconds.append(float(done.stdout.strip().splitlines()[-1]))
        loads.append(loadavg())
        rows.append({"data": "synthetic_year", "method": name, "period": "timing",
                     "horizon_days": 28, "origins": runs, "seconds_median": statistics.median(seconds),
                     "seconds_min": min(seconds), "seconds_max": max(seconds),
                     "loadavg_before_after": "/".join(loads)})
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-timing", action="store_true")
    parser.add_argument("--out", "--csv", dest="out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    load0 = loadavg()
    rows = accuracy(args.quick)
    if not args.no_timing:
        rows += timing()
    keys = ["data", "method", "period", "horizon_days", "origins", "wape", "mase", "bias",
            "coverage_p10_p90", "seconds_median", "seconds_min", "seconds_max",
            "loadavg_before_after"]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".tmp")
    with open(tmp, "w", newline="") as f:
        w = csv.DictWriter(f, keys)
        w.writeheader()
        for r in rows:
            w.writerow({k: (f"{v:.4f}" if isinstance(v, float) else v)
                        for k, v in r.items() if v is not None})
    os.replace(tmp, args.out)
    print(f"wrote {args.out} in {time.perf_counter() - started:.0f} s; load {load0} -> "
          f"{loadavg()}; {platform.machine()}, {os.cpu_count()} cores, python "
          f"{platform.python_version()}")
    for r in rows:
        if "wape" in r:
            print(f"{r['data']:15} {r['method']:15} {r['period']:5} {r['horizon_days']:3} "
                  f"n={r['origins']:3} WAPE {r['wape']:.3f} MASE {r['mase']:.3f} "
                  f"bias {r['bias']:+.3f} cov {r['coverage_p10_p90'] if r['coverage_p10_p90'] is None else round(r['coverage_p10_p90'], 3)}")
        else:
            print(r)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
