"""A solved roster as the simulation's centre (scheduler.workload.sim): a queue per
channel with the contacts that reach people, an agent per rostered shift in the group of
its pool. Used by `scheduler simulate` (report/simulate.py, which documents the centre)
and by the staffing loop (engine/pooling.py), which is why it lives below both.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

from scheduler.errors import InputError
from scheduler.models import Result
from scheduler.workload.sim.model import AgentGroup, Centre, Shift, SimQueue

ALL_POOL = "agents"
"""The group name of a scenario without pools (shifts.csv's pool column blank)."""


# ---------------------------------------------------------------- the centre


def _minutes(moment: dt.datetime, origin: dt.datetime) -> float:
    return (moment - origin).total_seconds() / 60.0


def _shifts_by_pool(loaded, result: Result, folder: Path) -> dict[str, list[Shift]]:
    """Each rostered shift as a simulation Shift (minutes from the horizon start, its
    breaks inside it), by pool; in a cyclic horizon a shift reaching past either end
    covers the other end with that part instead."""
    sc = loaded.scenario
    origin = loaded.start
    horizon_minutes = sc.horizon.num_slots * sc.horizon.slot_minutes
    pools = {p.name for p in sc.pools}
    breaks: dict[str, list[tuple[float, float]]] = {}
    for b in result.breaks:
        breaks.setdefault(b.agent, []).append((_minutes(b.start, origin), _minutes(b.end, origin)))
    out: dict[str, list[Shift]] = {name: [] for name in (pools or {ALL_POOL})}
    for line, s in enumerate(result.shifts, start=2):
        pool = s.pool or ""
        if pools and pool not in pools:
            what = f"pool {pool!r} is not" if pool else "a blank pool is not"
            raise InputError(f"{what} one of the scenario's pools ({', '.join(sorted(pools))})",
                             file=folder / "shifts.csv", line=line, key_path="pool")
        start, end = _minutes(s.start, origin), _minutes(s.end, origin)
        inside = sorted((b0, b1) for b0, b1 in breaks.get(s.agent, ()) if start <= b0 < b1 <= end)
        kept: list[tuple[float, float]] = []
        for b0, b1 in inside:  # overlapping breaks as one
            if kept and b0 < kept[-1][1]:
                kept[-1] = (kept[-1][0], max(kept[-1][1], b1))
            else:
                kept.append((b0, b1))
        shifts = [(start, end, kept)]
        if sc.horizon.cyclic:
            for offset in ((-horizon_minutes,) if end > horizon_minutes else ()) + \
                          ((horizon_minutes,) if start < 0 else ()):
                shifts.append((start + offset, end + offset,
                               [(b0 + offset, b1 + offset) for b0, b1 in kept]))
            # each piece inside the horizon only: the part past an end is the copy at
            # the other end (kept whole, it would count idle presence outside the horizon)
            shifts = [(max(a, 0.0), min(b, horizon_minutes),
                       [(max(b0, 0.0), min(b1, horizon_minutes)) for b0, b1 in br
                        if b1 > 0 and b0 < horizon_minutes])
                      for a, b, br in shifts if a < horizon_minutes and b > 0]
        target = out[pool if pools else ALL_POOL]
        target.extend(Shift(a, b, tuple(br)) for a, b, br in shifts)
    return out


def simulation_centre(loaded, result: Result, folder: Path | None = None
                      ) -> tuple[Centre, dict[str, dict]]:
    """The Centre of a loaded workload scenario and a roster (read from `folder`, for
    messages); also each queue's goal (service_level, answer_within_seconds,
    asa_seconds, kind)."""
    sc = loaded.scenario
    queues, goals = [], {}
    for ch_staff in loaded.staffing.channels:
        ch = ch_staff.channel
        live = ch.kind != "deferred"
        volume = np.where(ch_staff.open, ch_staff.volume, 0.0) if live else ch_staff.volume
        if live:
            within = ch.answer_within_seconds if ch.answer_within_seconds is not None else 0.0
            goal = ch.service_level
        else:
            within, goal = ch.response_deadline_minutes * 60.0, 1.0
        queues.append(SimQueue(ch.name, volume=[float(v) for v in volume],
                               aht_seconds=float(ch.aht_seconds),
                               patience_seconds=ch.patience_seconds if live else None,
                               priority=1 if live else 0,
                               service_level=float(goal) if goal is not None else 0.0,
                               answer_within_seconds=float(within)))
        goals[ch.name] = {"kind": ch.kind, "service_level": goal,
                          "answer_within_seconds": within if goal is not None else None,
                          "asa_seconds": ch.asa_seconds}
    chats = {c.name: c.concurrency for c in sc.channels if c.kind == "chat"}
    shifts = _shifts_by_pool(loaded, result, Path(folder or "."))
    groups = []
    for pool in (sc.pools or [None]):
        name = pool.name if pool is not None else ALL_POOL
        served = sc.queues_served(pool)
        only_chat = all(q in chats for q in served)
        seats = max(1, int(min(chats[q] for q in served) + 1e-9)) if only_chat else 1
        factor = dict(pool.handle_time_factor) if pool is not None else {}
        for q in served:
            if q in chats:
                factor[q] = factor.get(q, 1.0) * seats / chats[q]
        pool_shifts = [s for s in shifts.get(name, []) for _ in range(seats)]
        groups.append(AgentGroup(name, serves=served, shifts=pool_shifts,
                                 handle_time_factor=factor))
    centre = Centre(queues=queues, groups=groups, slot_minutes=sc.horizon.slot_minutes)
    return centre, goals
