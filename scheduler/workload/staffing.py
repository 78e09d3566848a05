"""From forecast contacts to agents required per slot, and back: the service a roster
achieves.

Per channel (queue) and slot (`compute`):

* the contacts reaching people: the forecast less the bot's share (`bot_containment`),
  plus the contacts escalated from other queues. Queues are sized in escalation order
  (cycle-free, every source before its target); a source passes `escalation.share` of
  the contacts people handle in a slot (live: those offered while open, less the
  abandoned ones at the staffing found; deferred: the work the fluid model places in the
  slot / aht) to its target's volume in that slot.
* voice and chat: traffic A = contacts x aht / slot seconds; the fewest agents whose
  servers (agents x concurrency, rounded down) meet the service goal (service level
  within T, ASA, abandonment with Erlang A) and the occupancy cap (scheduler/workload/erlang.py);
  outside operating hours the channel is closed and needs nobody.
* deferred work (email, tickets): a fluid deadline model. The work of the contacts that
  arrive in slot s (arrivals spread evenly over the slot) is shared equally among the open
  slots of its window [s, s + deadline), so that each contact is done by its deadline (in
  a non-cyclic horizon the window may run past the end: that share is the next period's
  and is not rostered here); the
  agents of a slot are the work it receives / (slot seconds x max occupancy), rounded up.
  First come first served with at least that capacity then also meets every deadline
  (all contacts have the same deadline, so FIFO is earliest-deadline-first, which meets
  every deadline whenever any schedule does).
* then grossed up for shrinkage: ceil(agents / (1 - shrinkage)).

Channels add up per slot, and `demand` (other work) adds to them: requirement =
max(demand + sum of channels, floor); every channel's own requirement is kept apart
(`Staffing.queue_required`) for the plan that gives pools to the queues they serve.

After solving, `attach_service` (service.py) splits the agents each slot has on duty among the
channels (demand first, then in proportion to each channel's requirement, surplus the
same way) and evaluates the service level, ASA, occupancy and abandonment they achieve.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from scheduler.models import Scenario
from scheduler.models.workload import Channel
from scheduler.workload import erlang
from scheduler.errors import InputError
from scheduler.scenario.files import line_of
from scheduler.scenario.volumes import read_volumes
from scheduler.forecast.run import scenario_forecast

MAX_FORECAST_BYTES = 200_000_000


@dataclass
class ChannelStaffing:
    """One channel's figures per slot (arrays of the horizon's length)."""

    channel: Channel
    volume: np.ndarray
    open: np.ndarray
    traffic: np.ndarray
    """Erlangs offered (0 when closed)."""
    agents: np.ndarray
    """Fewest agents handling contacts (before shrinkage)."""
    scheduled: np.ndarray
    """Agents to roster: agents grossed up for shrinkage."""
    service_level: np.ndarray
    asa_seconds: np.ndarray
    occupancy: np.ndarray
    abandon_rate: np.ndarray
    forecast: np.ndarray | None = None
    """Contacts forecast (events applied), before the bot's share; `volume` is what
    reaches people: forecast x (1 - bot_containment) + escalated_in."""
    escalated_in: np.ndarray | None = None
    """Contacts escalated to this queue from others, per slot (zeros without any)."""


@dataclass
class Staffing:
    start: dt.datetime
    slot_minutes: int
    cyclic: bool
    channels: list[ChannelStaffing]
    demand: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    """Agents the scenario's `demand` asks for besides the channels (floor not applied)."""
    forecast: object = None
    """With the scenario key `forecast:`: the forecast used
    (scheduler.forecast.core.ForecastResult); None otherwise."""

    @property
    def channel_total(self) -> np.ndarray:
        total = np.zeros(len(self.demand), dtype=np.int64)
        for ch in self.channels:
            total = total + ch.scheduled
        return total

    @property
    def queue_required(self) -> dict[str, tuple[int, ...]]:
        """Agents to roster per queue (channel) and slot, shrinkage applied."""
        return {ch.channel.name: tuple(int(v) for v in ch.scheduled) for ch in self.channels}

    @property
    def queue_floor(self) -> dict[str, tuple[int, ...]]:
        """The least the staffing loop may lower each queue's requirement to, per slot:
        the agents the offered work keeps busy (Erlangs, per `concurrency` for chat,
        rounded up and grossed up for shrinkage), or the Erlang requirement when that is
        lower (docs/skills.md#the-staffing-loop)."""
        out = {}
        for ch in self.channels:
            busy = np.ceil(ch.traffic / ch.channel.concurrency - 1e-9).astype(np.int64)
            load = erlang.gross_up(busy, ch.channel.shrinkage_rate)
            out[ch.channel.name] = tuple(int(min(a, b)) for a, b in zip(load, ch.scheduled))
        return out


# ---------------------------------------------------------------- requirement


def open_mask(channel: Channel, start: dt.datetime, slot_minutes: int, num_slots: int) -> np.ndarray:
    """True for slots whose start lies within the channel's daily operating hours."""
    first = start.hour * 60 + start.minute
    minute = (first + slot_minutes * np.arange(num_slots)) % 1440
    begin, end = channel.open_minutes
    if begin < end:
        return (minute >= begin) & (minute < end)
    return (minute >= begin) | (minute < end)


def _slot_time(start: dt.datetime, slot_minutes: int, index: int) -> str:
    return f"{start + dt.timedelta(minutes=slot_minutes * int(index)):%Y-%m-%dT%H:%M}"


def deferred_agents(volume: np.ndarray, open_: np.ndarray, aht_seconds: float,
                    max_occupancy: float, deadline_minutes: float, slot_minutes: int,
                    cyclic: bool) -> tuple[np.ndarray, np.ndarray]:
    """Fractional agents per slot of the fluid deadline model, and the work (agent-seconds
    of handling) each slot receives. Raises erlang.Unreachable for arrival slots whose
    deadline window holds no open slot."""
    n = len(volume)
    k = int(deadline_minutes // slot_minutes)
    if k < 1:
        raise erlang.Unreachable(np.flatnonzero(volume > 0)[:1],
                                 f"the deadline of {deadline_minutes:g} minutes is shorter than "
                                 f"one {slot_minutes}-minute slot")
    idx = np.arange(n)
    if cyclic:  # two laps: a window may wrap past the end into the start
        timeline = np.concatenate([open_, open_])
        ends = idx + min(k, n)
    else:  # the daily hours go on after the end; work placed there is the next period's
        per_day = 1440 // slot_minutes
        timeline = np.concatenate([open_, np.resize(open_[-per_day:], k)])
        ends = idx + k
    cum = np.concatenate([[0], np.cumsum(timeline)])
    count = cum[ends] - cum[idx]  # open slots in [s, s + k)
    busy = volume > 0
    dead = busy & (count == 0)
    if dead.any():
        raise erlang.Unreachable(np.flatnonzero(dead), "no opening hour falls within the "
                                 "response deadline of contacts arriving then")
    density = np.where(busy, volume * aht_seconds / np.maximum(count, 1), 0.0)
    diff = np.zeros(len(timeline) + 1)
    np.add.at(diff, idx, density)
    np.add.at(diff, ends, -density)
    spread = np.cumsum(diff)[: len(timeline)] * timeline
    work = spread[:n] + (spread[n:] if cyclic else 0.0)
    agents = work / (slot_minutes * 60 * max_occupancy)
    return agents, work


def fifo_deadline_share(volume: np.ndarray, capacity: np.ndarray, deadline_minutes: float,
                        slot_minutes: int, cyclic: bool) -> tuple[np.ndarray, np.ndarray]:
    """First come first served, as a fluid: `capacity` contacts can be handled in each slot
    (arrivals of a slot may be handled in it). Per arrival slot, the share of its contacts
    handled within the deadline (1 where nothing arrives), and the contacts handled per
    slot. A cyclic horizon runs three laps and reports the middle one, so that the
    backlog wraps in and out of it; in a non-cyclic one, work left at the end is the next
    period's (counted as answered in time)."""
    n = len(volume)
    k = int(deadline_minutes // slot_minutes)
    if cyclic:
        vol, cap = np.tile(volume, 3), np.tile(np.asarray(capacity, dtype=float), 3)
    else:  # after the end: the next period's agents, counted as handling it in time
        vol = np.concatenate([volume, np.zeros(k)])
        cap = np.concatenate([np.asarray(capacity, dtype=float), np.full(k, np.inf)])
    done = np.zeros(len(vol))
    backlog = 0.0
    for t in range(len(vol)):
        available = backlog + vol[t]
        done[t] = min(cap[t], available)
        backlog = available - done[t]
    arrived = np.concatenate([[0.0], np.cumsum(vol)])
    handled = np.concatenate([[0.0], np.cumsum(done)])
    first = n if cyclic else 0
    s = np.arange(first, first + n)
    by = np.minimum(s + min(k, n) if cyclic else s + k, len(vol))  # by the end of slot by - 1
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.clip((handled[by] - arrived[s]) / vol[s], 0.0, 1.0)
    share = np.where(share > 1 - 1e-9, 1.0, share)  # rounding in the cumulative sums
    share = np.where(vol[s] > 0, share, 1.0)
    return share, done[first:first + n]


def _fail(exc: erlang.Unreachable, sc: Scenario, i: int, start: dt.datetime,
          file: Path | None, lines: dict | None) -> InputError:
    ch = sc.channels[i]
    slots = exc.slots
    when = _slot_time(start, sc.horizon.slot_minutes, slots[0]) if len(slots) else "?"
    more = f" and {len(slots) - 1} more slot(s)" if len(slots) > 1 else ""
    return InputError(f"channel {ch.name!r} at {when}{more}: {exc.reason}; relax the goal",
                      file=file, key_path=f"channels.{i}", line=line_of(lines, "channels", i))


def compute(scenario: Scenario, volumes: list[np.ndarray], file: Path | None = None,
            lines: dict | None = None) -> list[ChannelStaffing]:
    """Every channel's staffing per slot, in the channels' order. `volumes` are the
    forecast contacts (events applied); the contacts reaching people are the forecast less
    the bot's share, plus the contacts escalated from other queues. Channels are sized in
    escalation order (every source before its target), so a target's escalated work is
    known when it is sized."""
    h = scenario.horizon
    start = dt.datetime.combine(h.start_date, dt.time())
    slot_seconds = h.slot_minutes * 60
    index = {c.name: i for i, c in enumerate(scenario.channels)}
    inflow = [np.zeros(h.num_slots) for _ in scenario.channels]
    out: list[ChannelStaffing | None] = [None] * len(scenario.channels)
    for i in scenario.escalation_order():
        ch, forecast = scenario.channels[i], np.asarray(volumes[i], dtype=float)
        volume = forecast * (1.0 - ch.bot_containment) + inflow[i]
        open_ = open_mask(ch, start, h.slot_minutes, h.num_slots)
        served = np.where(open_, volume, 0.0)
        try:
            if ch.kind == "deferred":
                raw, work = deferred_agents(volume, open_, ch.aht_seconds, ch.max_occupancy,
                                            ch.response_deadline_minutes, h.slot_minutes,
                                            h.cyclic)
                agents = np.ceil(raw - 1e-9).astype(np.int64)
                traffic = work / slot_seconds
                capacity = agents * slot_seconds * ch.max_occupancy / ch.aht_seconds
                sl, _ = fifo_deadline_share(volume, capacity, ch.response_deadline_minutes,
                                            h.slot_minutes, h.cyclic)
                with np.errstate(invalid="ignore", divide="ignore"):
                    occ = np.where(agents > 0, work / (agents * slot_seconds), 0.0)
                m = erlang.Metrics(sl, np.full(len(sl), np.nan), occ, np.zeros(len(sl)),
                                   np.zeros(len(sl)))
                handled = work / ch.aht_seconds  # contacts handled in each slot
            else:
                traffic = served * ch.aht_seconds / slot_seconds
                goal = erlang.Goal(
                    service_level=ch.service_level or 0.0,
                    answer_within_seconds=ch.answer_within_seconds or 0.0,
                    asa_seconds=ch.asa_seconds if ch.asa_seconds is not None else np.inf,
                    max_occupancy=ch.max_occupancy,
                    max_abandon_rate=ch.max_abandon_rate if ch.max_abandon_rate is not None else 1.0,
                )
                agents = erlang.fewest_servers(traffic, ch.aht_seconds, goal, ch.patience_seconds,
                                               servers_per_agent=ch.concurrency)
                m = channel_metrics(ch, agents.astype(float), traffic)
                handled = served * (1.0 - np.nan_to_num(m.abandon_rate))
        except erlang.Unreachable as exc:
            raise _fail(exc, scenario, i, start, file, lines) from None
        if ch.escalation is not None:
            inflow[index[ch.escalation.to]] += ch.escalation.share * handled
        scheduled = erlang.gross_up(agents, ch.shrinkage_rate)
        out[i] = ChannelStaffing(ch, volume, open_, traffic, agents, scheduled,
                                 m.service_level, m.asa_seconds, m.occupancy, m.abandon_rate,
                                 forecast=forecast, escalated_in=inflow[i])
    return out


def channel_metrics(ch: Channel, agents: np.ndarray, traffic: np.ndarray) -> erlang.Metrics:
    servers = np.floor(agents * ch.concurrency + 1e-9)
    return erlang.metrics(servers, traffic, ch.aht_seconds, ch.answer_within_seconds or 0.0,
                          ch.patience_seconds)


def staffing_for(scenario: Scenario, directory: Path, demand: np.ndarray | None = None,
                 file: Path | None = None, lines: dict | None = None) -> tuple[Staffing, list[Path]]:
    """Read the channels' volumes and compute their staffing; `demand` is the scenario's
    own per-slot requirement (without its floor), zeros when absent."""
    if scenario.channels_as_solved:
        raise InputError("the channels state agents per slot as solved (channels[].required): "
                         "there are no contacts to size", key_path="channels")
    h = scenario.horizon
    forecast = given = None
    if scenario.forecast is not None:
        forecast = scenario_forecast(scenario, Path(directory))
        given = {ch.name: forecast.planned(ch.name) for ch in forecast.channels}
    volumes, files = read_volumes(scenario, directory, file, lines, given)
    if forecast is not None:
        files.append(Path(directory) / scenario.forecast.history)
    channels = compute(scenario, volumes, file, lines)
    base = np.zeros(h.num_slots, dtype=np.int64) if demand is None else np.asarray(demand, dtype=np.int64)
    start = dt.datetime.combine(h.start_date, dt.time())
    return Staffing(start, h.slot_minutes, h.cyclic, channels, base, forecast), files


def channel_requirement(scenario: Scenario, directory: Path) -> list[int]:
    """Agents to roster per slot for the scenario's channels (summed)."""
    staffing, _ = staffing_for(scenario, directory)
    return [int(v) for v in staffing.channel_total]

