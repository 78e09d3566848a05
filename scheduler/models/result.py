"""Pydantic schema of a solve result: what summary.json, shifts.csv, breaks.csv and
coverage.csv hold. Column and key names are a contract: extend them, never rename them."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

SCHEMA_VERSION = 1

Status = Literal["optimal", "feasible", "infeasible", "unknown"]


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BreakRecord(_Row):
    agent: str
    start: dt.datetime
    end: dt.datetime
    paid: bool


class ShiftRecord(_Row):
    agent: str
    shift_type: str
    start: dt.datetime
    end: dt.datetime
    paid_minutes: int
    day: dt.date | None = None
    """The roster day the shift belongs to (a start after midnight belongs to the day
    before)."""
    pool: str | None = None
    """The agent's staff pool (None when the scenario has no pools)."""
    overtime_minutes: int = 0
    """Paid minutes past the contract length, included in paid_minutes and in end."""
    name: str | None = None
    """Named staff only: the person's name (agent is then their staff id)."""


class ChannelSlot(_Row):
    """What one workload channel achieves in one slot with the agents on duty."""

    channel: str
    agents: float
    """Agents on duty given to the channel (after demand; before shrinkage)."""
    service_level: float | None = None
    asa_seconds: float | None = None
    occupancy: float | None = None
    abandon_rate: float | None = None
    meets_goal: bool = True


class QueueSlot(_Row):
    """One queue in one slot, when the scenario splits queues (pools serving part of
    them or at other handle times): coverage.csv's `<queue>_required`, `<queue>_allocated`."""

    queue: str
    required: int
    """[agents] The queue's requirement in the slot (after bot containment, escalations
    and shrinkage; no floor)."""
    allocated: float
    """[agent-equivalents] What the people given to the queue are worth (a person of a
    pool with handle-time factor f counts 1/f); people the queues and the demand leave
    idle are given to the queues they serve in proportion to their requirements."""
    erlang_required: int | None = None
    """[agents] With the staffing loop only: the queue's Erlang requirement (the
    scenario's); `required` is then the loop's adjusted one, which the roster covers."""
    simulated_service_level: float | None = None
    """[share 0-1] With the staffing loop only: the simulated service level of the final
    roster (mean over the runs; blank in slots without contacts)."""


class CoverageRecord(_Row):
    start: dt.datetime
    required: int
    scheduled: int
    channels: list[ChannelSlot] = []
    """Workload scenarios only: the service each channel achieves in the slot."""
    queues: list[QueueSlot] = []
    """Scenarios that split queues only: each queue's requirement and allocation."""


class ServiceFigures(BaseModel):
    """Service achieved over a set of slots: contact-weighted service level, ASA and
    abandonment, occupancy as handled work over agent time; slots counted where contacts
    arrive (and the channel is open)."""

    model_config = ConfigDict(extra="forbid")

    slots: int = 0
    slots_meeting_goal: int = 0
    share_meeting_goal: float | None = None
    contacts: float = 0.0
    service_level: float | None = None
    asa_seconds: float | None = None
    occupancy: float | None = None
    abandon_rate: float | None = None


class DayService(ServiceFigures):
    date: dt.date


class ChannelService(ServiceFigures):
    channel: str
    kind: str
    days: list[DayService] = []


class ServiceSummary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    share_meeting_goal: float | None = None
    """Over every channel's slots with contacts."""
    channels: list[ChannelService] = []


class PoolSummary(_Row):
    name: str
    standing: int
    """Agents employed before the plan (paid their contract whether rostered or not)."""
    rostered: int
    """Agents with at least one shift."""
    hired: int
    """Agents beyond the standing team."""
    paid_hours: float
    overtime_hours: float
    cost: float
    """Shifts with overtime premiums, idle contract hours of standing agents, hiring."""


class DaySummary(_Row):
    date: dt.date
    required_agent_hours: float
    scheduled_agent_hours: float
    short_agent_hours: float
    over_agent_hours: float
    short_slots: int


class QueueDay(_Row):
    """One queue on one day, when the scenario splits queues."""

    queue: str
    date: dt.date
    required_agent_hours: float
    """[agent-hours] The queue's requirement summed over the day's slots."""
    allocated_agent_hours: float
    """[agent-hours] Agent-equivalents given to the queue (see QueueSlot.allocated)."""
    short_agent_hours: float
    """[agent-hours] Requirement the roster's people cannot cover (exact 1/f rule)."""
    short_slots: int
    """Slots of the day in which the queue is short."""


class PoolingQueueDay(_Row):
    """One queue on one day after the staffing loop: the simulated service of the final
    roster and the loop's adjustment of the requirement."""

    queue: str
    date: dt.date
    simulated_service_level: float | None
    """[share 0-1] Contacts answered within the goal's time over those offered, in the
    simulated runs (None: no contacts)."""
    service_level_goal: float | None
    slots_below_goal: int
    """Slots whose whole 95% interval lies below the goal."""
    erlang_agent_hours: float
    """[agent-hours] The Erlang requirement summed over the day."""
    required_agent_hours: float
    """[agent-hours] The loop's adjusted requirement summed over the day."""
    peak_change_agents: int
    """[agents] The largest change of the requirement in one slot of the day (adjusted -
    Erlang; negative: lowered)."""


class PoolingSummary(BaseModel):
    """The staffing loop (docs/skills.md#the-staffing-loop): what it simulated, adjusted
    and saved."""

    model_config = ConfigDict(extra="forbid")

    iterations: int
    """Plans simulated (the fluid plan is the first)."""
    chosen_iteration: int
    """The iteration whose roster is returned (1: the fluid plan)."""
    runs: int
    seed: int
    meets_goals: bool
    """Every live queue meets its goal in every slot (no 95% interval wholly below it)."""
    stopped: str
    """Why the loop ended: goals met and nothing to lower, iteration limit, time limit or
    no better plan."""
    fluid_headcount: int | None
    fluid_cost: float | None
    headcount: int | None
    """The returned roster's."""
    cost: float | None
    dedicated_headcount: int | None = None
    """Headcount of the dedicated variant (each pool split into one team per queue it
    serves, solved with a short limit after the loop); None when time did not allow."""
    simulation_seconds: float = 0.0
    """[seconds] Spent simulating, all iterations."""
    history: list[dict[str, object]] = []
    """Per iteration: headcount, cost, slots below goal, requirement changes."""
    queues: list[PoolingQueueDay] = []


class RequestKindFigures(BaseModel):
    """Requests of one kind: how many, how many honoured on every day they cover, and
    their weights."""

    total: int = 0
    honoured: int = 0
    weight: float = 0.0
    honoured_weight: float = 0.0


class RequestFigures(RequestKindFigures):
    """Named staff's requests (leave and wishes) and how the roster honours them."""

    by_kind: dict[str, RequestKindFigures] = {}


class FairnessFigure(_Row):
    """One figure's spread over one pool's named people (shifts per person)."""

    pool: str
    figure: str
    """nights, weekends, holidays or late_finishes (see docs/staff.md)."""
    people: int
    min: int
    median: float
    max: int


class PatternFigures(_Row):
    """How livable one pool's named rosters are."""

    pool: str
    median_start_spread_minutes: float | None
    """Per person and week worked, latest minus earliest start; the median."""
    max_start_spread_minutes: int | None
    single_days_off_share: float | None
    """Days off within the horizon with a working day on both sides, over all days off
    with both neighbours in the horizon."""


class HireNeed(_Row):
    """Hires a pool needs beyond its named people."""

    pool: str
    hires: int
    short_slots_without: int
    """Slots that would go short (below the requirement) without the hires' shifts."""
    first_short_slots: list[dt.datetime] = []
    """The first of those slots (at most 20)."""


class AnswerPhrase(_Row):
    """One phrase of the answer sentence, kept apart so that a report can say it in its
    own language: an English template and the values it is filled with (a value whose
    name ends in `_days` is a list of ISO dates, written as runs of days)."""

    text: str
    values: dict[str, str | int | float | list[str]] = {}


class ChangeRecord(_Row):
    """One person-day whose shift a re-plan changed (changes.csv)."""

    agent: str
    """The staff id (or the hire's id)."""
    name: str | None = None
    day: dt.date
    """The roster day."""
    was: str
    """The shift before ("early 08:00-16:30") or "off"."""
    now: str
    """The shift after, or "off"."""
    reason: str
    """Why: the person's own change (sick, leave, unavailable, leaves, with its note),
    "cover" (taking over work the changes left), "demand" or "new hire"."""


class ReplanFigures(_Row):
    """What a re-plan changed against the roster it started from."""

    replan_from: dt.datetime
    """Shifts starting before this time were kept as worked."""
    changed_shifts: int
    """Person-days whose shift changed (added, removed, or another start or type)."""
    forced_changes: int
    """Of those, the ones that had to change: the person is now absent or gone."""
    other_changes: int
    """changed_shifts - forced_changes: the changes made to cover again."""
    people_affected: int
    """People with at least one changed day (changes.csv lists them)."""
    new_hires: int
    """Hires beyond those the earlier roster had."""


class Summary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schema_version: int = SCHEMA_VERSION
    scenario: str
    status: Status
    objective: str
    headcount: int | None = None
    headcount_lower_bound: int | None = None
    headcount_gap: float | None = None
    """(headcount - lower bound) / headcount."""
    paid_hours: float | None = None
    paid_hours_lower_bound: float | None = None
    objective_value: float | None = None
    """The plan's primary objective in its unit (agents, paid hours, money or penalty),
    penalties included."""
    objective_bound: float | None = None
    """A proven lower bound on objective_value."""
    shifts: int = 0
    short_agent_slots: int = 0
    over_agent_slots: int = 0
    short_slots: list[dt.datetime] = []
    solve_seconds: float = 0.0
    first_roster_seconds: float | None = None
    """Seconds from the start of the solve to its first roster (the greedy one, made
    before any model); None when the run had none that early."""
    message: str = ""
    """Why a run is infeasible or stopped early, in the scenario's terms."""
    versions: dict[str, str] = {}
    scenario_sha256: str = ""
    solver_parameters: dict[str, object] = {}
    cost: float | None = None
    """What the roster costs (see PoolSummary.cost), whatever the objective."""
    cost_gap: float | None = None
    """With objective kind cost: (cost - objective_bound) / cost."""
    overtime_hours: float = 0.0
    pools: list[PoolSummary] = []
    days: list[DaySummary] = []
    answer: str = ""
    """The plan in one sentence: standing team, hires, overtime and cost."""
    answer_phrases: list[AnswerPhrase] = []
    """The answer's phrases (templates and values), for the readable outputs to say it in
    their language; `answer` is them in English, joined by '; '."""
    queues: list[QueueDay] | None = None
    """Scenarios that split queues only (absent otherwise): per queue and day, the
    requirement, the agent-hours allocated and the short slots."""
    pooling: PoolingSummary | None = None
    """Scenarios where the staffing loop ran only (absent otherwise)."""
    service: ServiceSummary | None = None
    """Workload scenarios only: the service the roster achieves, per channel and day."""
    requests: RequestFigures | None = None
    """Named staff only: leave and wishes, total and honoured, by kind."""
    fairness: list[FairnessFigure] | None = None
    """Named staff only: per pool and figure, the counts' minimum, median and maximum."""
    patterns: list[PatternFigures] | None = None
    """Named staff only: per pool, start-time spread and single days off."""
    hires_needed: list[HireNeed] | None = None
    """Named staff only: per pool, the hires beyond the named people (empty: none)."""
    replan: ReplanFigures | None = None
    """Re-plans only (`scheduler replan`): what changed against the earlier roster."""
    variant: str | None = None
    """The scenario's `variants:` entry this run applied, if any."""
    overrides: list[str] = []
    """Every override applied (the variant's, --set, --sweep) as key=value, in order."""


class Result(BaseModel):
    model_config = ConfigDict(extra="forbid")

    summary: Summary
    shifts: list[ShiftRecord] = []
    breaks: list[BreakRecord] = []
    coverage: list[CoverageRecord] = []
    changes: list[ChangeRecord] = []
    """Re-plans only: the changed person-days (changes.csv)."""

    @property
    def feasible(self) -> bool:
        return self.summary.status in ("optimal", "feasible")
