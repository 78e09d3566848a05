#!/usr/bin/env python3
"""Regenerate the bundled forecast example (deterministic: the same files on every run).

    python scenarios/make_history.py            # write into scenarios/ and validate
    python scenarios/make_history.py --out DIR  # write elsewhere

Writes double11_history.csv: synthetic contacts per 30-minute slot of two channels (voice,
chat) from Monday 2025-09-01 to Sunday 2026-11-08, with the intraday e-commerce shape and
weekday factors of scheduler/datasets/synth.py, a slow growth (+12% a year), China's
statutory holidays lower (x0.75) and make-up working days a little higher (x1.05), the
Double 11 of 2025 (pre-sale on 9-10 November x1.4 and x1.8, the 11th x3 with the
contacts of 00:00-02:00 doubled again as the sale opens) and Poisson noise (seed 11).
Writes double11_forecast.yaml, a week from Monday 2026-11-09 whose channels take their
contacts from `forecast:` (learning the 2025 event and planning it again, 10% bigger),
then loads it (forecasting, sizing) to check it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from scheduler.datasets import synth  # noqa: E402
from scheduler.forecast.history import write_history  # noqa: E402
from scheduler.models.calendar import china_days  # noqa: E402

FIRST = dt.date(2025, 9, 1)
LAST = dt.date(2026, 11, 8)
SLOT = 30
PEAKS = {"voice": 40, "chat": 60}
"""Contacts in the busiest slot of an ordinary week at the history's start."""
GROWTH_PER_YEAR = 0.12
SEED = 11
EVENT_DAYS = {dt.date(2025, 11, 9): 1.4, dt.date(2025, 11, 10): 1.8, dt.date(2025, 11, 11): 3.0}

SCENARIO = """\
# yaml-language-server: $schema=../docs/reference/scenario.schema.json
# double11_forecast: the Double 11 week of 2026 forecast from contact history, not given.
#
# double11_history.csv holds 14 months of contacts per 30-minute slot (voice and chat,
# synthetic: python scenarios/make_history.py), with the Double 11 of 2025. `forecast:`
# learns the event's uplift and its midnight spike from 2025, plans it again 10% bigger,
# takes China's holidays from the calendar (holidays: CN), picks a method per channel by
# backtest and plans to the 60th percentile. `scheduler solve` forecasts, sizes (Erlang)
# and rosters in one run and writes forecast.csv beside the roster.

name: double11_forecast
description: The Double 11 week of 2026, voice and chat forecast from 14 months of history.
horizon: {start_date: 2026-11-09, days: 7, slot_minutes: 30}
holidays: CN
forecast:
  history: double11_history.csv
  method: auto
  quantile: 0.6
  events:
    - name: double11
      past: [{start_date: 2025-11-09, end_date: 2025-11-11}]
      start_date: 2026-11-09
      end_date: 2026-11-11
      multiplier: 1.1
channels:
  - {name: voice, kind: voice, aht_seconds: 300, service_level: 0.8, answer_within_seconds: 20,
     patience_seconds: 180, max_occupancy: 0.85, shrinkage: 0.12}
  - {name: chat, kind: chat, aht_seconds: 420, concurrency: 2, service_level: 0.8,
     answer_within_seconds: 60, max_occupancy: 0.9, shrinkage: 0.1}
demand: {floor: 2}
shift_types:
  - {name: day-8h, paid_hours: [8], earliest_start: "00:00", latest_start: "23:30",
     breaks: [{name: meal, duration_minutes: 60, earliest_start_minutes: 180,
               latest_start_minutes: 300}]}
  - {name: short-4h, paid_hours: [4], earliest_start: "00:00", latest_start: "23:30"}
rules: {preset: five-day-week}
solver: {time_limit_seconds: 30, workers: 2}
"""


def history() -> tuple[dt.datetime, dict[str, np.ndarray]]:
    rng = np.random.default_rng(SEED)
    days = (LAST - FIRST).days + 1
    shape = np.asarray(synth.daily_profile(SLOT))
    weekly = synth.weekly_factors()
    off, worked = china_days(FIRST, LAST)
    off, worked = set(off), set(worked)
    spd = 1440 // SLOT
    columns = {}
    for name, peak in PEAKS.items():
        rows = []
        for d in range(days):
            day = FIRST + dt.timedelta(days=d)
            level = peak * weekly[day.weekday()] * (1 + GROWTH_PER_YEAR * d / 365)
            if day in off:
                level *= 0.75
            elif day in worked:
                level *= 1.05
            mean = level * shape
            if day in EVENT_DAYS:
                mean = mean * EVENT_DAYS[day]
                if EVENT_DAYS[day] >= 3:
                    mean[:120 // SLOT] *= 2.0  # the sale opens at midnight
            rows.append(mean)
        lam = np.concatenate(rows)
        columns[name] = rng.poisson(lam).astype(float)
        assert len(columns[name]) == days * spd
    return dt.datetime.combine(FIRST, dt.time()), columns


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    start, columns = history()
    (args.out / "double11_history.csv").write_text(write_history(None, start, SLOT, columns),
                                                  encoding="utf-8")
    (args.out / "double11_forecast.yaml").write_text(SCENARIO, encoding="utf-8")
    from scheduler.workload.loaded import load_scenario

    loaded = load_scenario(args.out / "double11_forecast.yaml")
    fc = loaded.staffing.forecast
    methods = ", ".join(f"{c.name} {c.method}" for c in fc.channels)
    print(f"wrote double11_history.csv and double11_forecast.yaml to {args.out}; "
          f"methods: {methods}; peak requirement {max(loaded.required)} agents")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
