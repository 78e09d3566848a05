"""The service a roster achieves: the agents each slot has on duty split among the channels,
and the service level, ASA, occupancy and abandonment they give."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from scheduler.models import ChannelService, ChannelSlot, DayService, ServiceSummary
from scheduler.workload import erlang
from scheduler.workload.staffing import ChannelStaffing, Staffing, channel_metrics, fifo_deadline_share


@dataclass
class Achieved:
    """Per channel: agents given to it per slot and the figures they achieve."""

    agents: list[np.ndarray]
    metrics: list[erlang.Metrics]
    meets: list[np.ndarray]
    handled_work: list[np.ndarray]
    """Agent-seconds of handling per slot (for occupancy over several slots)."""


def split_agents(staffing: Staffing, scheduled) -> list[np.ndarray]:
    """Agents on duty per slot given to each channel: the scenario's demand first, then in
    proportion to the channels' requirements (a surplus the same way)."""
    on_duty = np.asarray(scheduled, dtype=float)
    free = np.maximum(on_duty - staffing.demand, 0.0)
    need = np.array([ch.scheduled for ch in staffing.channels], dtype=float)
    total = need.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total > 0, need / np.where(total > 0, total, 1), 0.0)
    return [free * s for s in share]


def achieved(staffing: Staffing, scheduled) -> Achieved:
    slot_seconds = staffing.slot_minutes * 60
    given = split_agents(staffing, scheduled)
    agents_out, metrics_out, meets_out, work_out = [], [], [], []
    for ch_staff, gross in zip(staffing.channels, given):
        ch = ch_staff.channel
        net = np.floor(gross * (1 - ch.shrinkage_rate) + 1e-9)
        if ch.kind == "deferred":
            capacity = net * slot_seconds * ch.max_occupancy / ch.aht_seconds
            sl, done = fifo_deadline_share(ch_staff.volume, capacity, ch.response_deadline_minutes,
                                           staffing.slot_minutes, staffing.cyclic)
            work = done * ch.aht_seconds
            with np.errstate(invalid="ignore", divide="ignore"):
                occ = np.where(net > 0, work / (net * slot_seconds), np.nan)
            m = erlang.Metrics(sl, np.full(len(sl), np.nan), occ, np.zeros(len(sl)),
                               np.zeros(len(sl)))
            meets = sl >= 1 - 1e-9
        else:
            m = channel_metrics(ch, net, ch_staff.traffic)
            servers = np.floor(net * ch.concurrency + 1e-9)
            carried = ch_staff.traffic * (1 - m.abandon_rate)
            stable = (servers > ch_staff.traffic) | (ch.patience_seconds is not None)
            work = np.where(stable, carried, np.minimum(servers, ch_staff.traffic)) * slot_seconds
            with np.errstate(invalid="ignore", divide="ignore"):
                occ = np.where(servers > 0, work / (servers * slot_seconds), np.nan)
            m = erlang.Metrics(m.service_level, m.asa_seconds, occ, m.abandon_rate,
                               m.wait_probability)
            eps = 1e-9
            meets = (servers > 0) | (ch_staff.traffic <= 0)
            if ch.service_level is not None:
                meets &= m.service_level >= ch.service_level - eps
            if ch.asa_seconds is not None:
                meets &= m.asa_seconds <= ch.asa_seconds + eps
            if ch.max_abandon_rate is not None:
                meets &= m.abandon_rate <= ch.max_abandon_rate + eps
            meets &= ~(occ > ch.max_occupancy + eps)
        busy = (ch_staff.volume > 0) & (ch_staff.open | (ch.kind == "deferred"))
        meets = np.where(busy, meets, True)
        agents_out.append(gross)
        metrics_out.append(m)
        meets_out.append(meets)
        work_out.append(work)
    return Achieved(agents_out, metrics_out, meets_out, work_out)


def _finite(value: float) -> float | None:
    return round(float(value), 6) if value is not None and math.isfinite(value) else None


def _figures(ch_staff: ChannelStaffing, m: erlang.Metrics, meets, work, agents, net_factor,
             slot_seconds, sel) -> dict:
    ch = ch_staff.channel
    busy = (ch_staff.volume > 0) & (ch_staff.open | (ch.kind == "deferred")) & sel
    vol = np.where(busy, ch_staff.volume, 0.0)
    contacts = float(vol.sum())
    out = {"slots": int(busy.sum()), "slots_meeting_goal": int((meets & busy).sum()),
           "contacts": round(contacts, 6)}
    if out["slots"]:
        out["share_meeting_goal"] = round(out["slots_meeting_goal"] / out["slots"], 6)
    if contacts > 0:
        with np.errstate(invalid="ignore"):
            out["service_level"] = _finite(np.sum(vol * m.service_level) / contacts)
            if ch.kind != "deferred":
                out["asa_seconds"] = _finite(np.sum(vol * np.where(busy, m.asa_seconds, 0)) / contacts)
                out["abandon_rate"] = _finite(np.sum(vol * m.abandon_rate) / contacts)
    servers = np.floor(np.floor(agents * net_factor + 1e-9) * ch.concurrency + 1e-9)
    time = float(np.sum(np.where(sel, servers, 0)) * slot_seconds)
    if time > 0:
        out["occupancy"] = _finite(float(np.sum(np.where(sel, work, 0))) / time)
    return out


def service_summary(staffing: Staffing, ach: Achieved):
    slot_seconds = staffing.slot_minutes * 60
    n = len(staffing.demand)
    per_day = 1440 // staffing.slot_minutes
    day_of = np.arange(n) // per_day
    channels = []
    slots = meeting = 0
    for i, ch_staff in enumerate(staffing.channels):
        ch = ch_staff.channel
        args = (ch_staff, ach.metrics[i], ach.meets[i], ach.handled_work[i],
                ach.agents[i], 1 - ch.shrinkage_rate, slot_seconds)
        whole = _figures(*args, np.ones(n, dtype=bool))
        days = []
        for d in range(int(day_of.max()) + 1 if n else 0):
            date = (staffing.start + dt.timedelta(days=d)).date()
            days.append(DayService(date=date, **_figures(*args, day_of == d)))
        channels.append(ChannelService(channel=ch.name, kind=ch.kind, days=days, **whole))
        slots += whole["slots"]
        meeting += whole["slots_meeting_goal"]
    share = round(meeting / slots, 6) if slots else None
    return ServiceSummary(share_meeting_goal=share, channels=channels)


def attach_service(loaded, result):
    """The result with the service achieved per slot (coverage) and per channel and day
    (summary) added; results without coverage are returned as they are."""
    staffing = getattr(loaded, "staffing", None)
    if staffing is None or not result.coverage:
        return result
    scheduled = [c.scheduled for c in result.coverage]
    ach = achieved(staffing, scheduled)
    coverage = []
    for s, rec in enumerate(result.coverage):
        rows = []
        for i, ch_staff in enumerate(staffing.channels):
            m = ach.metrics[i]
            rows.append(ChannelSlot(
                channel=ch_staff.channel.name, agents=round(float(ach.agents[i][s]), 6),
                service_level=_finite(m.service_level[s]), asa_seconds=_finite(m.asa_seconds[s]),
                occupancy=_finite(m.occupancy[s]), abandon_rate=_finite(m.abandon_rate[s]),
                meets_goal=bool(ach.meets[i][s])))
        coverage.append(rec.model_copy(update={"channels": rows}))
    summary = result.summary.model_copy(update={"service": service_summary(staffing, ach)})
    return result.model_copy(update={"summary": summary, "coverage": coverage})

