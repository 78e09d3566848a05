#!/usr/bin/env python3
"""Regenerate the bundled workload scenario (deterministic: same files on every run).

    python scenarios/make_workload.py            # write into scenarios/ and validate
    python scenarios/make_workload.py --out DIR  # write elsewhere

Writes workload_week.yaml and workload_week_forecast.csv (columns start,voice,chat,email:
contacts per 30-minute slot), then loads the scenario with scheduler.workload.loaded.load_scenario,
which validates it and computes its staffing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import yaml  # noqa: E402

from scheduler.datasets import synth  # noqa: E402
from scheduler.scenario.schema import SCHEMA_FILE  # noqa: E402

START = dt.date(2026, 11, 16)  # a Monday
DAYS = 7
SLOT = 30
PEAKS = {"voice": 60, "chat": 80, "email": 20}
"""Contacts in the busiest 30-minute slot of the week."""

COMMENT = """\
workload_week: an ordinary week stated as workload instead of agents required.

Three channels served by one pool of agents (their requirements add up per slot):
voice (Erlang A: 80% answered in 20 s, mean patience 3 min, at most 5% abandon,
occupancy at most 85%, open 08:00-24:00), chat (Taobao's 3-minute response: 90% answered
within 180 s, two chats per agent at once, 08:00-24:00) and email (answered within 24 h,
worked 09:00-21:00). Forecast contacts per 30-minute slot are in
workload_week_forecast.csv (the intraday e-commerce shape of scheduler/datasets/synth.py, peaks
of 60 calls, 80 chats and 20 e-mails a slot). `scheduler staffing` shows the agents
each channel needs; `scheduler solve` rosters them.
Regenerate with `python scenarios/make_workload.py`.
"""


def build(out: Path) -> Path:
    rows = {}
    for i, (name, peak) in enumerate(PEAKS.items()):
        shape = synth.relative_demand(START, DAYS, SLOT, seed=40 + i)
        rows[name] = np.round(shape / shape.max() * peak).astype(int)
        if name != "email":  # calls and chats come while the lines are open, 08:00-24:00
            minute = (np.arange(len(shape)) * SLOT) % 1440
            rows[name][minute < 8 * 60] = 0
    csv_name = "workload_week_forecast.csv"
    lines = ["start," + ",".join(PEAKS)]
    for s in range(DAYS * 1440 // SLOT):
        when = dt.datetime.combine(START, dt.time()) + dt.timedelta(minutes=SLOT * s)
        lines.append(f"{when:%Y-%m-%dT%H:%M}," + ",".join(str(rows[n][s]) for n in PEAKS))
    (out / csv_name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    scenario = {
        "name": "workload_week",
        "description": ("An ordinary week stated as forecast contacts and service goals: "
                        "voice (Erlang A), chat (two at once) and email (24 h), one pool."),
        "horizon": {"start_date": START.isoformat(), "days": DAYS, "slot_minutes": SLOT,
                    "cyclic": True},
        "channels": [
            {"name": "voice", "kind": "voice", "volume_file": csv_name, "aht_seconds": 300,
             "service_level": 0.8, "answer_within_seconds": 20, "patience_seconds": 180,
             "max_abandon_rate": 0.05, "max_occupancy": 0.85, "hours": "08:00-24:00",
             "shrinkage": {"absence": 0.08, "training": 0.04, "meetings": 0.03}},
            {"name": "chat", "kind": "chat", "volume_file": csv_name, "aht_seconds": 420,
             "concurrency": 2, "service_level": 0.9, "answer_within_seconds": 180,
             "max_occupancy": 0.9, "hours": "08:00-24:00", "shrinkage": 0.1},
            {"name": "email", "kind": "deferred", "volume_file": csv_name, "aht_seconds": 360,
             "response_deadline_minutes": 1440, "max_occupancy": 0.9, "hours": "09:00-21:00",
             "shrinkage": 0.1},
        ],
        "shift_types": synth.standard_shift_types((8,), "07:00", "16:00", prefix="ft")
        + synth.standard_shift_types((4,), "07:00", "20:00", prefix="pt"),
        "rules": {"preset": "five-day-week"},
        "solver": {"time_limit_seconds": 60, "workers": 2},
    }
    text = yaml.safe_dump(scenario, sort_keys=False, allow_unicode=True, width=96)
    comment = "".join(f"# {line}".rstrip() + "\n" for line in COMMENT.splitlines())
    path = out / "workload_week.yaml"
    schema = Path(os.path.relpath(SCHEMA_FILE, Path(__file__).resolve().parent)).as_posix()
    path.write_text(synth.schema_comment(schema) + comment + "\n" + text, encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    path = build(args.out)
    from scheduler.workload.loaded import load_scenario

    loaded = load_scenario(path)
    print(f"wrote {path}: peak requirement {max(loaded.required)} agents, "
          f"{sum(loaded.required) * SLOT / 60:,.1f} agent-hours on duty")


if __name__ == "__main__":
    main()
