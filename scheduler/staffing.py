"""From forecast contacts to agents required per slot, and back: the service a roster
achieves.

Per channel and slot (`compute`):

* voice and chat: traffic A = contacts x aht / slot seconds; the fewest agents whose
  servers (agents x concurrency, rounded down) meet the service goal (service level
  within T, ASA, abandonment with Erlang A) and the occupancy cap (scheduler/erlang.py);
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

Channels served by the one pool of agents add up per slot, and `demand` (other work)
adds to them: requirement = max(demand + sum of channels, floor). A future skill-group
model replaces that sum by one requirement per group; `compute` already keeps every
channel apart.

After solving, `attach_service` splits the agents each slot has on duty among the
channels (demand first, then in proportion to each channel's requirement, surplus the
same way) and evaluates the service level, ASA, occupancy and abandonment they achieve.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from models import Scenario
from models.workload import Channel
from scheduler import erlang
from scheduler.errors import InputError

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


@dataclass
class Staffing:
    start: dt.datetime
    slot_minutes: int
    cyclic: bool
    channels: list[ChannelStaffing]
    demand: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    """Agents the scenario's `demand` asks for besides the channels (floor not applied)."""

    @property
    def channel_total(self) -> np.ndarray:
        total = np.zeros(len(self.demand), dtype=np.int64)
        for ch in self.channels:
            total = total + ch.scheduled
        return total


# ---------------------------------------------------------------- reading volumes


def _line(lines: dict | None, *path) -> int | None:
    if not lines:
        return None
    key = tuple(path)
    while key:
        if key in lines:
            return lines[key]
        key = key[:-1]
    return None


def read_forecast_csv(path: Path, column: str, start: dt.datetime, slot_minutes: int,
                      num_slots: int, key_path: str) -> np.ndarray:
    """Contacts per slot from a CSV with a `start` column and the column `column`: every
    slot of the horizon exactly once, in any order; volumes are numbers >= 0."""
    from scheduler.io import _parse_start, _read_text

    text = _read_text(path, key_path=key_path, limit=MAX_FORECAST_BYTES)
    reader = csv.reader(text.splitlines())
    header = next(reader, None)
    if header is None:
        raise InputError("the forecast file is empty", file=path, key_path=key_path)
    header = [h.strip().lstrip("\ufeff") for h in header]
    if "start" not in header or column not in header:
        raise InputError(
            f"line 1: expected the columns start and {column}, got {','.join(header)}",
            file=path, key_path=key_path, line=1)
    i_start, i_value = header.index("start"), header.index(column)
    values = np.full(num_slots, np.nan)
    step = dt.timedelta(minutes=slot_minutes)
    end = start + step * num_slots
    for line_no, row in enumerate(reader, start=2):
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) <= max(i_start, i_value):
            raise InputError(f"a row needs start and {column}", file=path, key_path=key_path,
                             line=line_no)
        try:
            when = _parse_start(row[i_start])
        except ValueError:
            raise InputError(f"start {row[i_start]!r} is not an ISO date-time (YYYY-MM-DDTHH:MM)",
                             file=path, key_path=key_path, line=line_no) from None
        try:
            volume = float(row[i_value])
        except ValueError:
            volume = math.nan
        if not math.isfinite(volume):
            raise InputError(f"{column} {row[i_value]!r} is not a number of contacts",
                             file=path, key_path=key_path, line=line_no)
        if volume < 0:
            raise InputError(f"{column} is negative ({volume:g} contacts)",
                             file=path, key_path=key_path, line=line_no)
        if not (start <= when < end):
            raise InputError(
                f"start {when:%Y-%m-%dT%H:%M} is outside the horizon "
                f"{start:%Y-%m-%dT%H:%M} to {end:%Y-%m-%dT%H:%M}",
                file=path, key_path=key_path, line=line_no)
        offset = (when - start) / step
        if offset != int(offset):
            raise InputError(f"start {when:%Y-%m-%dT%H:%M} is not on the {slot_minutes}-minute "
                             "slot grid", file=path, key_path=key_path, line=line_no)
        index = int(offset)
        if not np.isnan(values[index]):
            raise InputError(f"slot {when:%Y-%m-%dT%H:%M} appears twice", file=path,
                             key_path=key_path, line=line_no)
        values[index] = volume
    missing = np.flatnonzero(np.isnan(values))
    if missing.size:
        first = start + step * int(missing[0])
        raise InputError(
            f"{missing.size} of {num_slots} slots have no row (first missing: "
            f"{first:%Y-%m-%dT%H:%M}); the file must hold every {slot_minutes}-minute slot "
            "of the horizon", file=path, key_path=key_path)
    return values


def read_volumes(scenario: Scenario, directory: Path, file: Path | None = None,
                 lines: dict | None = None) -> tuple[list[np.ndarray], list[Path]]:
    """Contacts per slot of every channel, and the forecast files read."""
    h = scenario.horizon
    start = dt.datetime.combine(h.start_date, dt.time())
    out, files = [], []
    for i, ch in enumerate(scenario.channels):
        if ch.volume is not None:
            if len(ch.volume) != h.num_slots:
                raise InputError(
                    f"{len(ch.volume)} values given, the horizon has {h.num_slots} slots "
                    f"({h.days} days of {h.slot_minutes} minutes)",
                    file=file, key_path=f"channels.{i}.volume",
                    line=_line(lines, "channels", i, "volume"))
            out.append(np.asarray(ch.volume, dtype=float))
            continue
        path = Path(directory) / ch.volume_file
        out.append(read_forecast_csv(path, ch.volume_column or ch.name, start, h.slot_minutes,
                                     h.num_slots, f"channels.{i}.volume_file"))
        if path not in files:
            files.append(path)
    if scenario.events:  # promotions multiply the contacts, not the agents
        from scheduler.events import event_factors

        out = [v * np.asarray(event_factors(scenario, ch.name))
               for v, ch in zip(out, scenario.channels)]
    return out, files


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
                      file=file, key_path=f"channels.{i}", line=_line(lines, "channels", i))


def compute(scenario: Scenario, volumes: list[np.ndarray], file: Path | None = None,
            lines: dict | None = None) -> list[ChannelStaffing]:
    h = scenario.horizon
    start = dt.datetime.combine(h.start_date, dt.time())
    slot_seconds = h.slot_minutes * 60
    out = []
    for i, (ch, volume) in enumerate(zip(scenario.channels, volumes)):
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
                m = _metrics(ch, agents.astype(float), traffic)
        except erlang.Unreachable as exc:
            raise _fail(exc, scenario, i, start, file, lines) from None
        scheduled = erlang.gross_up(agents, ch.shrinkage_rate)
        out.append(ChannelStaffing(ch, volume, open_, traffic, agents, scheduled,
                                   m.service_level, m.asa_seconds, m.occupancy, m.abandon_rate))
    return out


def _metrics(ch: Channel, agents: np.ndarray, traffic: np.ndarray) -> erlang.Metrics:
    servers = np.floor(agents * ch.concurrency + 1e-9)
    return erlang.metrics(servers, traffic, ch.aht_seconds, ch.answer_within_seconds or 0.0,
                          ch.patience_seconds)


def staffing_for(scenario: Scenario, directory: Path, demand: np.ndarray | None = None,
                 file: Path | None = None, lines: dict | None = None) -> tuple[Staffing, list[Path]]:
    """Read the channels' volumes and compute their staffing; `demand` is the scenario's
    own per-slot requirement (without its floor), zeros when absent."""
    h = scenario.horizon
    volumes, files = read_volumes(scenario, directory, file, lines)
    channels = compute(scenario, volumes, file, lines)
    base = np.zeros(h.num_slots, dtype=np.int64) if demand is None else np.asarray(demand, dtype=np.int64)
    start = dt.datetime.combine(h.start_date, dt.time())
    return Staffing(start, h.slot_minutes, h.cyclic, channels, base), files


def channel_requirement(scenario: Scenario, directory: Path) -> list[int]:
    """Agents to roster per slot for the scenario's channels (summed)."""
    staffing, _ = staffing_for(scenario, directory)
    return [int(v) for v in staffing.channel_total]


# ---------------------------------------------------------------- service achieved


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
            m = _metrics(ch, net, ch_staff.traffic)
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
    from models import ChannelService, DayService, ServiceSummary

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
    from models import ChannelSlot

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


# ---------------------------------------------------------------- staffing.csv


STAFFING_COLUMNS = ("start", "channel", "kind", "open", "volume", "traffic_erlangs", "agents",
                    "agents_after_shrinkage", "service_level", "asa_seconds", "occupancy",
                    "abandon_rate")


def _cell(value: float, digits: int = 4) -> str:
    return "" if value is None or not math.isfinite(value) else f"{value:.{digits}f}"


def staffing_rows(staffing: Staffing):
    """Rows of staffing.csv, one per slot and channel."""
    step = dt.timedelta(minutes=staffing.slot_minutes)
    for s in range(len(staffing.demand)):
        when = (staffing.start + step * s).strftime("%Y-%m-%dT%H:%M")
        for ch in staffing.channels:
            yield [when, ch.channel.name, ch.channel.kind, "true" if ch.open[s] else "false",
                   _cell(ch.volume[s], 3), _cell(ch.traffic[s]), int(ch.agents[s]),
                   int(ch.scheduled[s]), _cell(ch.service_level[s]), _cell(ch.asa_seconds[s], 2),
                   _cell(ch.occupancy[s]), _cell(ch.abandon_rate[s])]


def write_staffing_csv(staffing: Staffing, out_dir: Path) -> Path:
    """Write staffing.csv into out_dir atomically (a temporary file, then a rename)."""
    import os
    import tempfile

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "staffing.csv"
    fd, tmp = tempfile.mkstemp(prefix=".staffing-", suffix=".csv", dir=out_dir)
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(STAFFING_COLUMNS)
            w.writerows(staffing_rows(staffing))
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def daily_table(staffing: Staffing) -> list[dict]:
    """Per channel and day: contacts, peak Erlangs, peak agents to roster, agent-hours to
    roster, and the contact-weighted service level / ASA, occupancy the staffing gives."""
    n = len(staffing.demand)
    per_day = 1440 // staffing.slot_minutes
    hours = staffing.slot_minutes / 60
    rows = []
    for d in range(-(-n // per_day)):
        sl = slice(d * per_day, min(n, (d + 1) * per_day))
        date = (staffing.start + dt.timedelta(days=d)).date()
        for ch in staffing.channels:
            vol = ch.volume[sl] * (ch.open[sl] | (ch.channel.kind == "deferred"))
            contacts = float(vol.sum())
            net_time = float(np.sum(np.floor(ch.agents[sl] * ch.channel.concurrency + 1e-9)))
            work = float(np.sum(ch.traffic[sl] * (1 - ch.abandon_rate[sl])))
            rows.append({
                "date": date, "channel": ch.channel.name, "contacts": contacts,
                "peak_erlangs": float(ch.traffic[sl].max(initial=0)),
                "peak_agents": int(ch.scheduled[sl].max(initial=0)),
                "agent_hours": float(ch.scheduled[sl].sum() * hours),
                "service_level": float(np.sum(vol * ch.service_level[sl]) / contacts) if contacts else None,
                "asa_seconds": (float(np.sum(vol * np.nan_to_num(ch.asa_seconds[sl])) / contacts)
                                if contacts and ch.channel.kind != "deferred" else None),
                "occupancy": work / net_time if net_time else None,
            })
    return rows


def staffing_table(name: str, staffing: Staffing):
    """A rich table of `daily_table` for the terminal (fits 80 columns)."""
    from rich import box
    from rich.table import Table

    table = Table(title=f"{name}: staffing per channel and day", box=box.SIMPLE_HEAD,
                  pad_edge=False,
                  caption="Erl, agents: the day's peak Erlangs and agents to roster; agent-h: "
                          "agent-hours to roster; SL, ASA (s), occ: the day's service level, "
                          "average speed of answer and occupancy")
    for column in ("date", "channel", "contacts", "Erl", "agents", "agent-h", "SL", "ASA", "occ"):
        table.add_column(column, justify="left" if column in ("date", "channel") else "right",
                         no_wrap=True)

    def pct(value):
        return "-" if value is None else f"{value:.1%}"

    for r in daily_table(staffing):
        table.add_row(f"{r['date']:%m-%d}", r["channel"], f"{r['contacts']:,.0f}",
                      f"{r['peak_erlangs']:.1f}", str(r["peak_agents"]),
                      f"{r['agent_hours']:,.1f}", pct(r["service_level"]),
                      "-" if r["asa_seconds"] is None else f"{r['asa_seconds']:.1f}",
                      pct(r["occupancy"]))
    return table


def load_workload(path: Path | str):
    """load_scenario for a scenario that must have workload channels."""
    from scheduler.io import load_scenario

    loaded = load_scenario(path)
    if loaded.staffing is None:
        raise InputError("the scenario has no workload channels (it states agents required "
                         "directly)", file=path, key_path="channels")
    return loaded
