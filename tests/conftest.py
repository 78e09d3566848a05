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
