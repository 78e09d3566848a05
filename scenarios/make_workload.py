#!/usr/bin/env python3
"""Regenerate the bundled workload scenario (deterministic: same files on every run).

    python scenarios/make_workload.py            # write into scenarios/ and validate
    python scenarios/make_workload.py --out DIR  # write elsewhere

Writes workload_week.yaml and workload_week_forecast.csv (columns start,voice,chat,email:
contacts per 30-minute slot), and double11_skills.yaml with double11_skills_volume.csv
(five queues served by four pools of different skills, issue 16), then loads each scenario
with scheduler.workload.loaded.load_scenario, which validates it and computes its staffing.
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
    return _write(out / "workload_week.yaml", scenario, COMMENT)


SKILLS_START = dt.date(2026, 11, 9)  # a Monday
SKILLS_DAYS = 7
SKILLS_QUEUES = {
    # queue: (contacts in the busiest slot of an ordinary week, day factors 9-15 Nov)
    "presale-chat": (300, (1.6, 2.0, 2.4, 0.8, 0.6, 0.5, 0.5)),
    "order-chat": (120, (1.0, 1.2, 3.0, 1.8, 1.4, 1.2, 1.1)),
    "aftersale-voice": (50, (0.8, 0.8, 1.2, 2.2, 2.0, 1.7, 1.5)),
    "aftersale-chat": (100, (0.8, 0.8, 1.2, 2.2, 2.0, 1.7, 1.5)),
    "complaints-voice": (6, (0.8, 0.8, 1.5, 2.0, 2.0, 1.6, 1.4)),
}
"""Forecast contacts reaching the centre (before the bot on pre-sale chat), per 30-minute
slot: the busiest slot of an ordinary week, times a factor per day of the Double 11 week."""
SKILLS_RUSH = 2.0
"""Pre-sale and order chats from 00:00 to 02:00 on 11 November (the sale opens at
midnight): this factor on top of the day's."""

SKILLS_COMMENT = """\
double11_skills: the Double 11 week (9-15 November 2026) of a centre whose people serve
different queues (issue 16; docs/skills.md).

Five queues, forecast contacts per 30-minute slot in double11_skills_volume.csv (the
intraday e-commerce shape of scheduler/datasets/synth.py times a factor per day: pre-sale
rising to the 11th, orders peaking on the 11th with a rush after midnight, after-sale and
complaints from the 12th): presale-chat (30% answered by a bot), order-chat,
aftersale-voice and aftersale-chat (5% and 3% of the contacts handled come back as
complaints), complaints-voice. Pools: junior (pre-sale and order chats), mid (order and
after-sale), senior (after-sale voice 20% faster: handle_time_factor 0.8, and
complaints), temporary (agency staff for pre-sale chat only, 9-11 November).
The service goals, handle times and pay are assumptions of a plausible centre, not
published figures. The plan splits each slot's people among the queues they serve, and
the staffing loop (`pooling`, docs/skills.md#the-staffing-loop) simulates the roster and
adjusts each queue's requirement where it misses or beats its goal; `scheduler check`
checks every queue.
Regenerate with `python scenarios/make_workload.py`.
"""


def _skills_volumes() -> dict[str, np.ndarray]:
    per_day = 1440 // SLOT
    minute = (np.arange(SKILLS_DAYS * per_day) * SLOT) % 1440
    day = np.arange(SKILLS_DAYS * per_day) // per_day
    out = {}
    for i, (name, (peak, factors)) in enumerate(SKILLS_QUEUES.items()):
        shape = synth.relative_demand(SKILLS_START, SKILLS_DAYS, SLOT, seed=60 + i)
        values = shape / shape.max() * peak * np.asarray(factors)[day]
        if name in ("presale-chat", "order-chat"):
            values[(day == 2) & (minute < 120)] *= SKILLS_RUSH
        out[name] = np.round(values).astype(int)
    return out


def build_skills(out: Path) -> Path:
    """double11_skills.yaml and its volume file (deterministic)."""
    volumes = _skills_volumes()
    csv_name = "double11_skills_volume.csv"
    lines = ["start," + ",".join(volumes)]
    for s in range(SKILLS_DAYS * 1440 // SLOT):
        when = dt.datetime.combine(SKILLS_START, dt.time()) + dt.timedelta(minutes=SLOT * s)
        lines.append(f"{when:%Y-%m-%dT%H:%M}," + ",".join(str(v[s]) for v in volumes.values()))
    (out / csv_name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    chat = {"kind": "chat", "volume_file": csv_name, "concurrency": 2, "service_level": 0.9,
            "answer_within_seconds": 60, "max_occupancy": 0.9, "shrinkage": 0.12}
    voice = {"kind": "voice", "volume_file": csv_name, "service_level": 0.8,
             "answer_within_seconds": 20, "patience_seconds": 180, "max_abandon_rate": 0.05,
             "max_occupancy": 0.85, "shrinkage": {"absence": 0.08, "training": 0.05}}
    meal = {"name": "meal", "duration_minutes": 60, "earliest_start_minutes": 180,
            "latest_start_minutes": 300, "paid": False, "min_shift_hours": 8}
    rules_temporary = {"max_days_per_week": 6, "max_weekly_paid_hours": 48,
                       "min_rest_hours": 11}
    scenario = {
        "name": "double11_skills",
        "description": ("The Double 11 week (9-15 November 2026) with five queues and four "
                        "pools of different skills: juniors on pre-sale and order chats, "
                        "mids on orders and after-sale, seniors on after-sale voice (20% "
                        "faster) and complaints, agency temporaries on pre-sale chat on "
                        "9-11 November. Does each queue get the people who can serve it?"),
        "horizon": {"start_date": SKILLS_START.isoformat(), "days": SKILLS_DAYS,
                    "slot_minutes": SLOT, "cyclic": False},
        "channels": [
            {"name": "presale-chat", **chat, "aht_seconds": 360, "bot_containment": 0.3},
            {"name": "order-chat", **chat, "aht_seconds": 420},
            {"name": "aftersale-voice", **voice, "aht_seconds": 480, "hours": "08:00-22:00",
             "escalation": {"to": "complaints-voice", "share": 0.05}},
            {"name": "aftersale-chat", **chat, "aht_seconds": 540, "hours": "08:00-24:00",
             "escalation": {"to": "complaints-voice", "share": 0.03}},
            {"name": "complaints-voice", **voice, "aht_seconds": 720, "service_level": 0.8,
             "answer_within_seconds": 30, "hours": "09:00-21:00"},
        ],
        "shift_types": [
            {"name": "day-8h", "paid_hours": [8], "earliest_start": "06:00",
             "latest_start": "16:00", "start_step_minutes": 30, "breaks": [meal]},
            {"name": "short-4h", "paid_hours": [4], "earliest_start": "00:00",
             "latest_start": "20:00", "start_step_minutes": 30},
            {"name": "night", "paid_hours": [8], "earliest_start": "22:00",
             "latest_start": "25:00", "start_step_minutes": 30, "breaks": [meal]},
        ],
        "rules": {"preset": "five-day-week"},
        "objective": {"kind": "cost"},
        "solver": {"time_limit_seconds": 90, "workers": 2},
        "pools": [
            {"name": "junior", "shift_types": ["day-8h", "short-4h", "night"],
             "standing": 60, "max_hire": 300, "cost_per_paid_hour": 30, "cost_per_hire": 500,
             "serves": ["presale-chat", "order-chat"]},
            {"name": "mid", "shift_types": ["day-8h", "short-4h", "night"], "standing": 80,
             "max_hire": 200, "cost_per_paid_hour": 36, "cost_per_hire": 800,
             "serves": ["order-chat", "aftersale-voice", "aftersale-chat"]},
            {"name": "senior", "shift_types": ["day-8h"], "standing": 40, "max_hire": 60,
             "cost_per_paid_hour": 45, "cost_per_hire": 1500,
             "serves": ["aftersale-voice", "complaints-voice"],
             "handle_time_factor": {"aftersale-voice": 0.8}},
            {"name": "temporary", "shift_types": ["short-4h", "day-8h", "night"],
             "max_hire": 200, "available_from": "2026-11-09", "available_until": "2026-11-11",
             "cost_per_paid_hour": 40, "cost_per_hire": 300, "rules": rules_temporary,
             "serves": ["presale-chat"]},
        ],
        "pooling": {"loop": True, "max_iterations": 6, "runs": 5, "seed": 0, "plan_share": 0.45},
    }
    return _write(out / "double11_skills.yaml", scenario, SKILLS_COMMENT)


def _write(path: Path, scenario: dict, comment: str) -> Path:
    """The scenario as YAML under its schema line and `comment` (one # line each)."""
    text = yaml.safe_dump(scenario, sort_keys=False, allow_unicode=True, width=96)
    lines = "".join(f"# {line}".rstrip() + "\n" for line in comment.splitlines())
    schema = Path(os.path.relpath(SCHEMA_FILE, Path(__file__).resolve().parent)).as_posix()
    path.write_text(synth.schema_comment(schema) + lines + "\n" + text, encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    from scheduler.workload.loaded import load_scenario

    for path in (build(args.out), build_skills(args.out)):
        loaded = load_scenario(path)
        print(f"wrote {path}: peak requirement {max(loaded.required)} agents, "
              f"{sum(loaded.required) * SLOT / 60:,.1f} agent-hours on duty")


if __name__ == "__main__":
    main()
