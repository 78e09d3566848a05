"""Shared fixtures: tiny scenarios written to a temporary folder."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

PROJECT = Path(__file__).resolve().parents[1]
SCENARIOS = PROJECT / "scenarios"


def small_scenario(**changes) -> dict:
    """One cyclic day of 60-minute slots: 2 agents 08:00-16:00, 1 otherwise.

    Two 8-hour shift types (day 08:00, night 16:00-24:00 starts) with an unpaid
    one-hour meal 3-5 hours in."""
    required = [1] * 8 + [2] * 8 + [1] * 8
    data = {
        "name": "small",
        "horizon": {"start_date": "2026-11-16", "days": 1, "slot_minutes": 60, "cyclic": True},
        "demand": {"required": required},
        "shift_types": [
            {
                "name": "day",
                "paid_hours": [8],
                "earliest_start": "06:00",
                "latest_start": "10:00",
                "breaks": [
                    {"name": "meal", "duration_minutes": 60, "earliest_start_minutes": 180,
                     "latest_start_minutes": 300, "paid": False}
                ],
            },
            {
                "name": "night",
                "paid_hours": [8],
                "earliest_start": "16:00",
                "latest_start": "24:00",
            },
        ],
        "solver": {"time_limit_seconds": 20, "workers": 2},
    }
    for key, value in changes.items():
        node = data
        parts = key.split(".")
        for p in parts[:-1]:
            node = node[int(p)] if isinstance(node, list) else node.setdefault(p, {})
        last = parts[-1]
        if isinstance(node, list):
            node[int(last)] = value
        elif value is None:
            node.pop(last, None)
        else:
            node[last] = value
    return copy.deepcopy(data)


@pytest.fixture(autouse=True)
def english_by_default(monkeypatch):
    """Outputs in English whatever the machine's locale (LANG=zh_CN would otherwise turn
    the texts the tests read into Chinese); tests of other languages say so."""
    monkeypatch.setenv("SCHEDULER_LANG", "en")


@pytest.fixture
def write_scenario(tmp_path):
    """write_scenario(data or text, name='scenario.yaml') -> path in a temporary folder."""

    def _write(data, name: str = "scenario.yaml") -> Path:
        path = tmp_path / name
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        return path

    return _write


def untranslated(message: str, lang: str = "zh") -> set[str]:
    """The parts of a core message the language's message catalogue leaves in English."""
    from scheduler.i18n import translator

    t = translator(lang)
    t.message(message)
    return t.missing


def named_fortnight(requests: list[dict], time_limit_seconds: float = 8) -> dict:
    """Twelve named people of one pool `ft` (E00-E11, up to 4 hires) over two weeks from
    Mon 2026-11-16: one agent a slot at night, two 07:00-22:00; 8-hour shifts starting on
    any hour; five-day weeks, 12 h rest, 40 h a week."""
    days = 14
    return {
        "name": "fortnight",
        "horizon": {"start_date": "2026-11-16", "days": days, "slot_minutes": 60},
        "demand": {"required": ([1] * 7 + [2] * 15 + [1] * 2) * days},
        "shift_types": [{"name": "day", "paid_hours": [8], "earliest_start": "00:00",
                         "latest_start": "23:00", "start_step_minutes": 60}],
        "rules": {"max_days_per_week": 5, "min_rest_hours": 12, "max_weekly_paid_hours": 40},
        "pools": [{"name": "ft", "shift_types": ["day"], "max_hire": 4}],
        "staff": {"people": [{"id": f"E{i:02d}", "name": f"Person {i}", "pool": "ft"}
                             for i in range(12)]},
        "requests": {"items": requests},
        "solver": {"time_limit_seconds": time_limit_seconds, "workers": 2},
    }


def serves_pair(p2_serves: list[str] | None, max_hire: int = 0) -> dict:
    """One day, queues A and B each needing one agent 08:00-16:00 (deferred: one contact
    an hour, an hour each), one pool `team` serving both with 8-hour shifts from 08:00;
    named people P1 (serves A only) and P2 (serves `p2_serves`; None: the pool's)."""
    work = range(8, 16)

    def queue(name: str) -> dict:
        return {"name": name, "kind": "deferred",
                "volume": [1.0 if h in work else 0.0 for h in range(24)],
                "aht_seconds": 3600, "response_deadline_minutes": 60}

    people = [{"id": "P1", "name": "Ann", "pool": "team", "serves": ["A"]},
              {"id": "P2", "name": "Bo", "pool": "team"}]
    if p2_serves is not None:
        people[1]["serves"] = p2_serves
    return {
        "name": "serves",
        "horizon": {"start_date": "2026-11-16", "days": 1, "slot_minutes": 60},
        "channels": [queue("A"), queue("B")],
        "shift_types": [{"name": "d8", "paid_hours": [8], "earliest_start": "08:00",
                         "latest_start": "08:00"}],
        "pools": [{"name": "team", "shift_types": ["d8"], "max_hire": max_hire}],
        "staff": {"people": people},
        "solver": {"time_limit_seconds": 8, "workers": 2},
    }


def serves_team(people: list[tuple[str, list[str] | None]], days: int = 1,
                max_hire: int = 0) -> dict:
    """serves_pair's queues A and B (one agent each 08:00-16:00, every day of `days`) and
    its pool `team` serving both, with named people given as (id, serves; None: the
    pool's)."""
    data = serves_pair(None, max_hire)
    data["horizon"]["days"] = days
    for channel in data["channels"]:
        channel["volume"] = channel["volume"] * days
    data["staff"]["people"] = [{"id": pid, "name": pid, "pool": "team",
                                **({"serves": serves} if serves is not None else {})}
                               for pid, serves in people]
    return data
