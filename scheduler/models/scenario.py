"""Pydantic schema of a scenario file: the contract between planners and the engine.

This module imports neither ortools nor typer. Times of day are written "HH:MM"; an hour
of 24 or more means the next day (a start window of 22:00-25:00 crosses midnight).
All durations carry their unit in the key name.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from scheduler.i18n import LANGUAGES, normalise

from scheduler.models.calendar import china_days
from scheduler.models.forecast import ForecastSettings

from scheduler.models.pools import Event, Overtime, Pool
from scheduler.models.sections import (
    Coverage,
    Demand,
    Horizon,
    LabourRules,
    Objective,
    ShiftType,
    SolverSettings,
    Strict,
)
from scheduler.models.staff import Requests, Staff, staff_problems
from scheduler.models.workload import Channel, Pooling


class Scenario(Strict):
    """A scenario: what to cover, with which shifts, under which rules, at what cost."""

    name: Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9_.-]+$")]
    """Name of the scenario (letters, digits and . _ -); the default output folder is
    `out/<name>/`."""
    description: str = ""
    """Free text shown in the reports. Default: empty."""
    locale: str | None = None
    """Language of what people read: report.html, roster.xlsx and the command's messages and
    tables. `zh` (or `zh-CN`, `zh_CN`) for Simplified Chinese, `en` for English; `--lang`
    overrides it. Machine-readable files (CSV, summary.json) stay English. Absent: the
    environment's language (SCHEDULER_LANG, LC_ALL, LC_MESSAGES, LANG), else English."""
    horizon: Horizon
    """The days planned and the slot length."""
    demand: Demand | None = None
    """Agents required per slot; optional when `channels` are given (then both add up).
    Absent: the channels alone set the requirement."""
    shift_types: Annotated[list[ShiftType], Field(min_length=1)]
    """The kinds of shift the roster may use (at least one)."""
    rules: LabourRules = LabourRules()
    """Labour rules of every agent (pools may override keys). Default: no limits beyond
    one shift a day."""
    coverage: Coverage = Coverage()
    """Whether slots may be short, and what short and over cost. Default: every slot
    covered, overstaffing free."""
    objective: Objective = Objective()
    """What the solver minimises. Default: fewest agents, then fewest paid hours."""
    solver: SolverSettings = SolverSettings()
    """Time limit, workers and seed of the search. Default: 60 s, 2 workers, seed 0."""
    pools: list[Pool] = []
    """Staff pools; without any, one pool works every shift type under `rules`."""
    overtime: Overtime = Overtime()
    """Overtime limits and premiums for pools with overtime: true. Default: PRC Labour
    Law figures (3 h a day, 36 h a month, 150%/200%/300%)."""
    holidays: list[dt.date] | Literal["CN"] = []
    """Public holidays (YYYY-MM-DD): overtime on them is paid holiday_premium, and a
    forecast learns them as day effects. `CN`: China's statutory holidays of the
    horizon from the chinese-calendar package (its make-up working days go to
    makeup_workdays); after reading, always a list of dates. Default: none."""
    makeup_workdays: list[dt.date] = []
    """Make-up working days (YYYY-MM-DD): weekend days worked in exchange for a holiday,
    learnt as day effects by a forecast. Filled by `holidays: CN`. Default: none."""
    holiday_calendar: Literal["CN"] | None = None
    """The calendar the holidays came from (set by `holidays: CN`); a forecast then
    takes the history's holidays from it too. Default: none (holidays listed)."""
    forecast: ForecastSettings | None = None
    """Forecast the channels' contacts from history instead of volume files: channels
    without volume_file or volume take theirs from it (docs/forecast.md). Absent: no
    forecast."""
    events: list[Event] = []
    """Promotions multiplying the demand. Default: none."""
    channels: list[Channel] = []
    """Workload (forecast contacts and service goals) turned into agents required per slot
    by scheduler/workload/staffing.py; added to `demand` when both are given. Each
    channel is a queue; pools[].serves says who answers it. Default: none."""
    staff: Staff | None = None
    """Named staff: the people the roster assigns shifts to (a CSV file or a list), each
    in a pool. Absent: anonymous agents, as many as the plan needs."""
    requests: Requests = Requests()
    """Leave, unavailability and wishes of the named staff (a CSV file or a list).
    Default: none."""
    pooling: Pooling = Pooling()
    """The staffing loop for pools serving several queues: on or off, its iteration limit,
    runs, seed and margin. Default: on, 8 iterations of 5 runs."""

    @field_validator("locale")
    @classmethod
    def _known_locale(cls, value: str | None) -> str | None:
        if value is not None and normalise(value) is None:
            raise ValueError(f"{value!r} names no language of ours; choose one of "
                             f"{', '.join(LANGUAGES)} (e.g. zh-CN)")
        return value

    @model_validator(mode="before")
    @classmethod
    def _holiday_calendar(cls, data: Any) -> Any:
        """holidays: CN -> the horizon's statutory holidays and make-up working days."""
        if not isinstance(data, dict) or data.get("holidays") != "CN":
            return data
        try:
            horizon = data["horizon"]
            start = horizon["start_date"]
            start = start if isinstance(start, dt.date) else dt.date.fromisoformat(str(start))
            last = start + dt.timedelta(days=int(horizon["days"]) - 1)
        except (KeyError, TypeError, ValueError):
            return data  # the horizon's own errors are reported
        try:
            off, worked = china_days(start, last)
        except ValueError as exc:
            raise ValueError(f"at holidays: {exc}") from None
        data = dict(data)
        data["holidays"] = off
        data["makeup_workdays"] = sorted(set(worked) | set(data.get("makeup_workdays") or []))
        data["holiday_calendar"] = "CN"
        return data

    @model_validator(mode="after")
    def _consistency(self) -> Scenario:
        # Messages start with "at <key path>: " so that loaders can point at the line.
        if self.demand is None and not self.channels:
            raise ValueError("at demand: give 'demand' (agents per slot) or 'channels' (workload)")
        given = [ch.required is not None for ch in self.channels]
        for i, ch in enumerate(self.channels):
            if ch.required is not None:
                if not all(given):
                    raise ValueError(f"at channels.{i}.required: give 'required' (agents per "
                                     "slot, as solved) for every channel or for none")
                if len(ch.required) != self.horizon.num_slots:
                    raise ValueError(f"at channels.{i}.required: {len(ch.required)} values, "
                                     f"the horizon has {self.horizon.num_slots} slots")
            elif ch.volume_file is None and ch.volume is None and self.forecast is None:
                raise ValueError(f"at channels.{i}: give volume_file or volume (contacts per "
                                 "slot), or a scenario-level forecast")
        if self.channels_as_solved and self.forecast is not None:
            raise ValueError("at forecast: the channels state agents per slot (required, as "
                             "solved): there are no contacts to forecast")
        if self.forecast is not None:
            self._check_forecast()
        channel_names = [c.name for c in self.channels]
        if len(set(channel_names)) != len(channel_names):
            raise ValueError("at channels: two channels share a name")
        slot = self.horizon.slot_minutes
        names = [t.name for t in self.shift_types]
        if len(set(names)) != len(names):
            raise ValueError("at shift_types: two shift types share a name")
        for i, st in enumerate(self.shift_types):
            where = f"shift_types.{i}"
            step = st.start_step_minutes or slot
            if step % slot:
                raise ValueError(
                    f"at {where}.start_step_minutes: {step} is not a multiple of the {slot}-minute slot"
                )
            first = -(-st.earliest_start_minute // slot) * slot
            if first > st.latest_start_minute:
                raise ValueError(
                    f"at {where}.earliest_start: empty start window: no {slot}-minute slot "
                    f"boundary between {st.earliest_start} and {st.latest_start}"
                )
            for hours in st.paid_hours:
                minutes = hours * 60
                if abs(minutes - round(minutes)) > 1e-9 or round(minutes) % slot:
                    raise ValueError(
                        f"at {where}.paid_hours: {hours:g} h is not a whole number of "
                        f"{slot}-minute slots"
                    )
            for j, br in enumerate(st.breaks):
                for key in ("duration_minutes", "earliest_start_minutes", "latest_start_minutes"):
                    if getattr(br, key) % slot:
                        raise ValueError(
                            f"at {where}.breaks.{j}.{key}: {getattr(br, key)} is not a multiple "
                            f"of the {slot}-minute slot"
                        )
        pool_names = [p.name for p in self.pools]
        if len(set(pool_names)) != len(pool_names):
            raise ValueError("at pools: two pools share a name")
        for i, pool in enumerate(self.pools):
            for j, type_name in enumerate(pool.shift_types):
                if type_name not in names:
                    raise ValueError(
                        f"at pools.{i}.shift_types.{j}: no shift type is named {type_name!r} "
                        f"(shift types: {', '.join(names)})"
                    )
            try:
                self.rules_for(pool)
            except ValueError as exc:
                raise ValueError(f"at pools.{i}.rules: {exc}") from None
            if pool.overtime and round(self.overtime.step_minutes) % slot:
                raise ValueError(
                    f"at overtime.step_minutes: {self.overtime.step_minutes} is not a multiple "
                    f"of the {slot}-minute slot"
                )
        end = self.horizon.start_date + dt.timedelta(days=self.horizon.days - 1)
        for i, event in enumerate(self.events):
            if event.end_date < self.horizon.start_date or event.start_date > end:
                raise ValueError(f"at events.{i}: the event lies outside the horizon")
            for name in event.channels or []:
                if name not in {c.name for c in self.channels}:
                    raise ValueError(f"at events.{i}.channels: no channel is named {name!r}")
            for j, peak in enumerate(event.peaks):
                if not event.start_date <= peak.date <= event.end_date:
                    raise ValueError(f"at events.{i}.peaks.{j}.date: outside the event's dates")
        self._check_queues()
        if self.staff is None and (self.requests.items or self.requests.file):
            raise ValueError("at requests: requests need staff: name the people (staff:)")
        if self.staff is not None and self.staff.file is None and self.requests.file is None:
            # both given inline: checked here; from files, the scenario reader checks them
            for where, message in staff_problems(self, self.staff.people, self.requests.items):
                section = "staff" if where[0] == "people" else "requests"
                raise ValueError(f"at {'.'.join([section] + [str(w) for w in where])}: {message}")
        if self.pools and self.rules.max_headcount is not None:
            raise ValueError(
                "at rules.max_headcount: with pools, cap each pool with standing and max_hire"
            )
        return self

    def _check_forecast(self) -> None:
        """Events and order channels of the forecast name known channels; coming events
        lie in the horizon."""
        names = {c.name for c in self.channels}
        known = ", ".join(c.name for c in self.channels) or "none"
        if not any(c.volume_file is None and c.volume is None for c in self.channels):
            raise ValueError("at forecast: no channel takes its volume from the forecast "
                             "(every channel has volume_file or volume)")
        end = self.horizon.start_date + dt.timedelta(days=self.horizon.days - 1)
        for i, event in enumerate(self.forecast.events):
            for j, name in enumerate(event.channels or []):
                if name not in names:
                    raise ValueError(f"at forecast.events.{i}.channels.{j}: no channel is "
                                     f"named {name!r} (channels: {known})")
            if event.end_date < self.horizon.start_date or event.start_date > end:
                raise ValueError(f"at forecast.events.{i}: the coming event lies outside "
                                 "the horizon")
        if self.forecast.orders is not None:
            for j, name in enumerate(self.forecast.orders.channels):
                if name not in names:
                    raise ValueError(f"at forecast.orders.channels.{j}: no channel is named "
                                     f"{name!r} (channels: {known})")

    def _check_queues(self) -> None:
        """Pools' serves-lists and handle-time factors name known queues, every queue has
        a pool that serves it, escalations lead to known queues and never back."""
        queues = [c.name for c in self.channels]
        known = ", ".join(queues) if queues else "none"
        for i, pool in enumerate(self.pools):
            for j, name in enumerate(pool.serves or []):
                if name not in queues:
                    raise ValueError(f"at pools.{i}.serves.{j}: no channel (queue) is named "
                                     f"{name!r} (channels: {known})")
            served = self.queues_served(pool)
            for name in pool.handle_time_factor:
                if name not in served:
                    raise ValueError(f"at pools.{i}.handle_time_factor.{name}: the pool does "
                                     f"not serve a queue named {name!r} (it serves: "
                                     f"{', '.join(served) or 'none'})")
        if self.pools:
            served = {q for pool in self.pools for q in self.queues_served(pool)}
            for i, name in enumerate(queues):
                if name not in served:
                    raise ValueError(f"at channels.{i}: no pool serves queue {name!r}; add it "
                                     "to some pool's serves (a pool without serves serves "
                                     "every queue)")
        target = {c.name: c.escalation.to for c in self.channels if c.escalation is not None}
        for i, ch in enumerate(self.channels):
            if ch.escalation is None:
                continue
            if ch.escalation.to not in queues:
                raise ValueError(f"at channels.{i}.escalation.to: no channel (queue) is named "
                                 f"{ch.escalation.to!r} (channels: {known})")
            chain = [ch.name]
            while chain[-1] in target and target[chain[-1]] not in chain:
                chain.append(target[chain[-1]])
            if chain[-1] in target and target[chain[-1]] == ch.name:
                raise ValueError(f"at channels.{i}.escalation.to: escalation cycle "
                                 f"{' -> '.join(chain + [ch.name])}; escalations must not "
                                 "lead back to the queue they leave")

    def queues_served(self, pool: Pool | None) -> list[str]:
        """The channels (queues) a pool's agents answer, in the channels' order: its
        serves-list, or every channel when it has none (pool None: the implicit one pool
        of a scenario without pools)."""
        if pool is None or pool.serves is None:
            return [c.name for c in self.channels]
        return [c.name for c in self.channels if c.name in pool.serves]

    @property
    def splits_queues(self) -> bool:
        """Whether the plan must split each slot's people among queues: some pool serves
        only part of the channels, or handles some queue faster or slower than its
        aht_seconds. Otherwise every person serves every queue alike and the queues'
        requirements simply add up (as before queues). Also when the staffing loop runs
        (runs_pooling_loop): it adjusts each queue's requirement apart; and when a named
        person serves only part of their pool's queues (staff.people[].serves); and when
        the channels state their agents as solved (channels_as_solved)."""
        if not self.channels or not self.pools:
            return False
        every = len(self.channels)
        return self.channels_as_solved or self.runs_pooling_loop or any(
            len(self.queues_served(p)) < every
            or any(f != 1 for f in p.handle_time_factor.values()) for p in self.pools) \
            or self.people_serve_part

    @property
    def channels_as_solved(self) -> bool:
        """Whether the channels state each queue's agents per slot (channels[].required,
        as an output folder saves a scenario that splits queues) instead of contacts.
        Such a scenario splits queues (the saved form of one that did) and runs no
        staffing loop (its adjustments are in the figures)."""
        return bool(self.channels) and all(c.required is not None for c in self.channels)

    @property
    def people_serve_part(self) -> bool:
        """Whether some named person serves only part of their pool's queues."""
        if self.staff is None:
            return False
        pools = {p.name: p for p in self.pools}
        return any(m.serves is not None and m.pool in pools
                   and set(self.queues_served(pools[m.pool])) - set(m.serves)
                   for m in self.staff.people)

    @property
    def runs_pooling_loop(self) -> bool:
        """Whether `scheduler solve` runs the staffing loop (docs/skills.md#the-staffing-loop):
        `pooling.loop` is on, the scenario has pools and at least two live (voice or chat)
        queues, and some pool serves more than one of them. The plan then splits queues."""
        if not self.pooling.loop or not self.pools or self.channels_as_solved:
            return False
        live = {c.name for c in self.channels if c.kind != "deferred"}
        return len(live) >= 2 and any(
            len(live.intersection(self.queues_served(p))) > 1 for p in self.pools)

    def escalation_order(self) -> list[int]:
        """Indices of the channels so that every escalating queue comes before the queue
        it escalates to (a topological order of the cycle-free escalations; otherwise the
        channels' own order)."""
        index = {c.name: i for i, c in enumerate(self.channels)}
        indegree = [0] * len(self.channels)
        for c in self.channels:
            if c.escalation is not None and c.escalation.to in index:
                indegree[index[c.escalation.to]] += 1
        ready = [i for i, d in enumerate(indegree) if d == 0]
        order = []
        while ready:
            i = ready.pop(0)
            order.append(i)
            esc = self.channels[i].escalation
            if esc is not None and esc.to in index:
                j = index[esc.to]
                indegree[j] -= 1
                if indegree[j] == 0:
                    ready.append(j)
                    ready.sort()
        return order

    def rules_for(self, pool: Pool | None) -> LabourRules:
        """The pool's effective rules: the scenario's, with the keys the pool gives."""
        if pool is None or pool.rules is None:
            return self.rules
        merged = self.rules.model_dump()
        merged.update({k: getattr(pool.rules, k) for k in pool.rules.model_fields_set})
        merged["preset"] = None
        return LabourRules.model_validate(merged)
