"""Pydantic schema of workload channels: forecast contacts, handle times and service goals
from which the engine derives agents required per slot (scheduler/workload/staffing.py).
Each channel is a queue (issue 16): pools say which queues they serve (models/pools.py),
a channel may hand a share of its handled contacts on to another queue (`escalation`) and
have a share answered by a bot (`bot_containment`); `Pooling` is the scenario's switch
for the staffing loop that simulates cross-trained pools.

This module imports neither ortools nor typer. Rates are fractions (0.8 is 80%).
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from scheduler.models.sections import Strict

_HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
_NAME = r"^[A-Za-z][A-Za-z0-9_-]*$"


def parse_hours(value: str) -> tuple[int, int]:
    """"08:00-24:00" -> (480, 1440) minutes of the day; an end before the start crosses
    midnight ("22:00-06:00")."""
    match = _HOURS.match(str(value))
    if not match:
        raise ValueError(f"expected opening hours as HH:MM-HH:MM, got {value!r}")
    h0, m0, h1, m1 = (int(g) for g in match.groups())
    start, end = h0 * 60 + m0, h1 * 60 + m1
    if m0 >= 60 or m1 >= 60 or start >= 1440 or end > 1440:
        raise ValueError(f"{value!r}: hours run from 00:00 to 24:00")
    if start == end:
        raise ValueError(f"{value!r}: the channel is never open")
    return start, end


Rate = Annotated[float, Field(ge=0)]
QueueName = Annotated[str, Field(min_length=1, max_length=40, pattern=_NAME)]
"""A channel's (queue's) name, as Channel.name."""


def _below_one(value: float, what: str) -> float:
    if not (0 <= value < 1):
        raise ValueError(f"{what} {value:g} is outside [0, 1) (a share: 0.3 is 30%; 1 would "
                         "leave nothing)")
    return value


class Escalation(Strict):
    """A share of the contacts people handle on this queue that come back as work on
    another queue (a pre-sale chat escalated to a complaint call, say)."""

    to: QueueName
    """Name of the channel (queue) that receives the escalated contacts; not this one,
    and no chain of escalations may lead back here."""
    share: float
    """[share 0-1] Escalated contacts per contact handled by people on this queue, in
    [0, 1) (0.08: 8 of every 100 come back on `to`)."""

    @field_validator("share", mode="after")
    @classmethod
    def _share(cls, value: float) -> float:
        return _below_one(value, "share")


class Pooling(Strict):
    """The staffing loop for pools that serve several queues (docs/skills.md#the-staffing-loop):
    start from the fluid plan, simulate the roster, raise a queue's requirement in the slots
    where it misses its service goal and lower it where it beats the goal by `margin`, plan
    again. `scheduler solve` runs it only when the scenario splits queues and some pool
    serves more than one queue."""

    loop: bool = True
    """true: run the staffing loop when some pool serves more than one queue; false: the
    fluid plan alone (each slot's people split among the queues they serve). Default
    true."""
    max_iterations: Annotated[int, Field(ge=1, le=100)] = 8
    """[iterations] Plans simulated at most (the fluid plan is the first) before the loop
    stops with the best roster so far. Default 8."""
    runs: Annotated[int, Field(ge=1, le=100)] = 5
    """[runs] Independent simulated runs of each roster; the slot's service level is
    their mean, with a 95% interval. Default 5."""
    seed: Annotated[int, Field(ge=0)] = 0
    """The simulation's seed: the same seed and scenario give the same adjustments (and,
    with a deterministic solver, the same roster). Default 0."""
    margin: Annotated[float, Field(gt=0, lt=1)] = 0.05
    """[share 0-1] A queue beats its goal "by a wide margin" in a slot when its simulated
    service level (mean over the runs) is at least goal + margin and the lower end of its
    95% interval at least the goal; the loop then lowers its requirement there (by one
    agent near the goal, up to a tenth of it at 100%). Default 0.05 (5 points)."""
    plan_share: Annotated[float, Field(gt=0, le=1)] = 0.3
    """[share 0-1] The part of the run's time limit the fluid plan may take; the loop's
    simulations and later plans share the rest (each later plan at most as long as the
    first, at least 0.6 of it). Default 0.3."""


class Channel(Strict):
    """One stream of contacts served by the scenario's agents.

    kind: voice (answered live; Erlang C, or Erlang A with `patience_seconds`), chat (like
    voice, each agent holding `concurrency` chats at once) or deferred (email, tickets:
    each contact answered within `response_deadline_minutes`).
    """

    name: Annotated[str, Field(min_length=1, max_length=40, pattern=_NAME)]
    """Unique name of the channel (a letter, then letters, digits, _ and -)."""
    kind: Literal["voice", "chat", "deferred"]
    """voice: answered live (Erlang C, or Erlang A with patience_seconds); chat: like
    voice, each agent holding `concurrency` chats at once; deferred: email or tickets,
    each answered within response_deadline_minutes."""
    volume_file: str | None = None
    """A CSV next to the scenario with a `start` column (ISO local date-time, one row per
    slot) and a column of contacts per slot named `volume_column`. Give this or
    `volume`, or neither when the scenario has a `forecast` (the channel's contacts are
    then forecast from its history column)."""
    volume_column: str | None = None
    """Column of volume_file holding this channel's contacts. Absent: the channel's
    name."""
    volume: list[Annotated[float, Field(allow_inf_nan=False)]] | None = None
    """[contacts per slot] Inline forecast, one non-negative value per slot in horizon
    order (instead of a file)."""
    required: list[Annotated[int, Field(ge=0)]] | None = None
    """[agents per slot] The queue's requirement as solved, one whole number of agents on
    duty per slot in horizon order, instead of contacts (no volume, volume_file or
    forecast): the output folder's scenario.yaml of a scenario that splits queues saves
    its channels so, for `scheduler check` and `scheduler replan` to hold each queue to
    it. Then the contacts' keys (handle time, goals, shrinkage, bot, escalation) are kept
    as a record only, and the staffing loop does not run. Give it for every channel or
    for none. Absent: sized from the contacts."""
    aht_seconds: Annotated[float, Field(gt=0, le=86_400)]
    """[seconds] Average handle time of one contact (for chat: one session, while
    concurrent)."""
    service_level: float | None = None
    """[share 0-1] Share of offered contacts to answer within `answer_within_seconds`
    (0.8 = 80%); live channels, with answer_within_seconds. Absent: no service-level
    goal."""
    answer_within_seconds: Annotated[float, Field(ge=0, le=86_400)] | None = None
    """[seconds] Target answer time of the service level (the 20 of 80/20). Absent only
    when service_level is."""
    asa_seconds: Annotated[float, Field(gt=0, le=86_400)] | None = None
    """[seconds] Average speed of answer to stay within (for Erlang A: the mean wait of all
    offered contacts, answered or abandoned). Absent: no ASA goal."""
    patience_seconds: Annotated[float, Field(gt=0, le=86_400)] | None = None
    """[seconds] Mean time before a waiting contact abandons: Erlang A instead of Erlang C.
    Absent: nobody abandons (Erlang C)."""
    max_abandon_rate: float | None = None
    """[share 0-1] Ceiling on the share of offered contacts that abandon (needs
    patience_seconds). Absent: no ceiling."""
    max_occupancy: float = 1.0
    """[share 0-1] Share of the agents' time spent handling contacts, at most
    (0 < x <= 1). Default 1: no occupancy cap."""
    concurrency: float = 1.0
    """[contacts per agent] Chats one agent handles at once (chat only; may be
    fractional, e.g. 2.5; 1 to 100). Default 1."""
    response_deadline_minutes: Annotated[float, Field(gt=0)] | None = None
    """[minutes] Deferred work: each contact is answered within this many minutes of
    arriving. Required for deferred channels, not allowed for live ones."""
    hours: str = "00:00-24:00"
    """Operating hours, "HH:MM-HH:MM" every day (an end before the start crosses
    midnight): outside them the channel needs no agents (live contacts forecast there
    are not served; deferred work waits for the next opening). Default: around the
    clock."""
    shrinkage: Rate | dict[str, Rate] = 0.0
    """[share 0-1] Share of paid time not available for contacts that the roster does not
    place: one figure, or components (absence, training, meetings, breaks ...) combined
    as 1 - prod(1 - s). Default 0: no shrinkage."""
    bot_containment: float = 0.0
    """[share 0-1] Share of the forecast contacts a bot answers, in [0, 1): only the
    rest reaches people (0.3: 30% contained). Contacts escalated here from other queues
    are not contained. Default 0: no bot."""
    escalation: Escalation | None = None
    """A share of the contacts handled here that come back as work on another queue, in
    the slot they are handled. Absent: none."""

    @field_validator("bot_containment", mode="after")
    @classmethod
    def _containment(cls, value: float) -> float:
        return _below_one(value, "bot_containment")

    @field_validator("service_level", "max_abandon_rate", mode="after")
    @classmethod
    def _share(cls, value: float | None) -> float | None:
        if value is not None and not (0 <= value <= 1):
            raise ValueError(
                f"{value:g} is not a share between 0 and 1 (above 100%?); write 80% as 0.8"
            )
        return value

    @field_validator("max_occupancy", mode="after")
    @classmethod
    def _occupancy(cls, value: float) -> float:
        if not (0 < value <= 1):
            raise ValueError(f"max_occupancy {value:g} is outside (0, 1]")
        return value

    @field_validator("concurrency", mode="after")
    @classmethod
    def _concurrency(cls, value: float) -> float:
        if not (1 <= value <= 100):
            raise ValueError(f"concurrency {value:g} is below 1 (or above 100)")
        return value

    @field_validator("hours", mode="after")
    @classmethod
    def _hours(cls, value: str) -> str:
        parse_hours(value)
        return value

    @field_validator("volume", mode="after")
    @classmethod
    def _volume(cls, value: list[float] | None) -> list[float] | None:
        if value is not None:
            for i, v in enumerate(value):
                if v < 0:
                    raise ValueError(f"volume of slot {i} is negative ({v:g})")
        return value

    @property
    def open_minutes(self) -> tuple[int, int]:
        return parse_hours(self.hours)

    @property
    def shrinkage_rate(self) -> float:
        if isinstance(self.shrinkage, dict):
            keep = 1.0
            for s in self.shrinkage.values():
                keep *= 1.0 - s
            return 1.0 - keep
        return float(self.shrinkage)

    @model_validator(mode="after")
    def _consistent(self) -> Channel:
        # Messages start with "at <key>: " so that loaders point at the right line.
        if self.volume_file is not None and self.volume is not None:
            raise ValueError("give either 'volume_file' or 'volume' (contacts per slot)")
        if self.required is not None and (self.volume_file is not None
                                          or self.volume is not None):
            raise ValueError("at required: give either 'required' (agents per slot, as "
                             "solved) or contacts ('volume_file' or 'volume')")
        if self.volume_column is not None and self.volume_file is None:
            raise ValueError("at volume_column: only with volume_file")
        parts = self.shrinkage.items() if isinstance(self.shrinkage, dict) else [("", self.shrinkage)]
        for key, s in parts:
            if s >= 1:
                where = f"shrinkage.{key}" if key else "shrinkage"
                raise ValueError(f"at {where}: {s:g} is 100% or more: nobody would be left")
        if self.shrinkage_rate >= 1 - 1e-9:
            raise ValueError("at shrinkage: the components combine to 100%")
        if self.kind != "chat" and self.concurrency != 1:
            raise ValueError("at concurrency: only chat channels handle several at once")
        if self.kind == "deferred":
            if self.response_deadline_minutes is None:
                raise ValueError("at response_deadline_minutes: deferred work needs a deadline")
            for key in ("service_level", "answer_within_seconds", "asa_seconds",
                        "patience_seconds", "max_abandon_rate"):
                if getattr(self, key) is not None:
                    raise ValueError(f"at {key}: not for deferred work (its goal is the "
                                     "response deadline)")
            return self
        if self.response_deadline_minutes is not None:
            raise ValueError("at response_deadline_minutes: only for deferred work")
        if self.service_level is None and self.asa_seconds is None:
            raise ValueError("a live channel needs a goal: service_level with "
                             "answer_within_seconds, or asa_seconds")
        if (self.service_level is None) != (self.answer_within_seconds is None):
            raise ValueError("at service_level: give service_level and answer_within_seconds "
                             "together")
        if self.max_abandon_rate is not None and self.patience_seconds is None:
            raise ValueError("at max_abandon_rate: an abandonment ceiling needs "
                             "patience_seconds (Erlang A)")
        return self
