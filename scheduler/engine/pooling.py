"""The staffing loop for pools that serve several queues (issue 16 point 4;
docs/skills.md#the-staffing-loop), in the spirit of Cezik and L'Ecuyer (2008), "Staffing
multiskill call centers via linear programming and simulation", Management Science
54(2): plan, simulate, adjust, plan again.

1. The fluid plan: each queue's Erlang requirement, each slot's people split among the
   queues they serve (engine/queue_split.py), solved with `pooling.plan_share` of the
   time limit. It stays returnable whatever happens next.
2. Its roster is simulated (workload/sim, seeded, `pooling.runs` runs) with skill-based
   routing: a cross-trained person answers whichever of their queues has a contact, which
   the fluid split does not count (the pooling).
3. Per queue and slot with contacts: where the whole 95% interval of the simulated
   service level lies below the goal (a miss), the requirement rises by 1 + floor(10 x
   the miss) agents, and the requirement it missed at becomes a floor it never returns to;
   where the mean is at least goal + `pooling.margin` and the interval's lower end at
   least the goal, it falls by max(1, floor(0.1 x requirement x (mean - goal) / (1 -
   goal))) agents (one agent near the goal, a tenth of the requirement at 100%), never
   below the queue's load floor (workload Staffing.queue_floor) nor a floor learned from
   a miss. Deferred work (goal: every contact within its deadline) is raised on a miss,
   never lowered, and judged only in slots whose deadline ends inside the horizon: the
   live queues' priority must not starve it.
4. Plan again with the adjusted requirements (workload.loaded.with_queue_required) and
   repeat until nothing changes, `pooling.max_iterations` plans, or the time limit.

The roster returned is the cheapest (by the scenario's objective) of those that meet every
goal in every slot (or miss by at most 0.1% of the contacts: NEGLIGIBLE_SHARE), else the
one with the fewest contacts below goal. Its records carry
each queue's adjusted requirement (`required`) beside the Erlang one and the simulated
service level; summary.pooling says what the loop did.

Simulation of a roster: the people of each pool less its shrinkage (the shifts of a pool
thinned evenly by the requirement-weighted shrinkage of the queues it serves: the plan
grossed the requirement up for it, the simulation must not count those people as
answering). The scenario's own demand (other work) is not simulated.

Time: with the deterministic profile every plan gets a fixed budget (the first
plan_share x limit, each later one an equal part of the rest) and the wall clock decides
nothing, so the same seed gives the same roster; otherwise later plans share the time
left after the first simulation, each sized to leave room for its own simulation.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import time
from dataclasses import dataclass, field

import numpy as np

from scheduler.engine.cpsat import Progress, ProgressFn, solver_parameters
from scheduler.engine.solve import solve
from scheduler.engine.stopping import StopSignal
from scheduler.i18n import translator
from scheduler.models import AnswerPhrase, PoolingQueueDay, PoolingSummary, Result
from scheduler.models.workload import Pooling
from scheduler.workload.loaded import LoadedScenario, with_queue_required
from scheduler.workload.sim import AgentGroup, Centre, simulate
from scheduler.workload.sim.roster import simulation_centre

MIN_PLAN_SECONDS = 3.0
"""[seconds] A later plan gets at least this, or the loop stops."""
LATER_PLAN_SHARE = 0.6
"""A later plan gets at least this share of the first plan's time, or the loop stops: a
plan with much less time is often a far worse roster (measured on double11_skills)."""
DEDICATED_SHARE = 0.15
"""Share of the time limit kept for the dedicated variant's solve after the loop (later
plans leave it; it runs when at least MIN_PLAN_SECONDS are left)."""


def applies(loaded: LoadedScenario) -> bool:
    """Whether `scheduler solve` runs the loop (Scenario.runs_pooling_loop, with channels)."""
    return loaded.staffing is not None and loaded.scenario.runs_pooling_loop


def solve_staffed(loaded: LoadedScenario, time_limit: float | None = None,
                  on_progress: ProgressFn | None = None, stop: StopSignal | None = None,
                  reserve=None) -> Result:
    """`scheduler solve`'s entry: the staffing loop where it applies, engine.solve
    otherwise (same arguments)."""
    if not applies(loaded):
        return solve(loaded, time_limit=time_limit, on_progress=on_progress, stop=stop,
                     reserve=reserve)
    return staffing_loop(loaded, time_limit, on_progress, stop, reserve)


# ---------------------------------------------------------------- simulating a roster


@dataclass
class Measured:
    """One roster's simulation, per queue (scenario order) and slot."""

    mean: dict[str, np.ndarray]
    low: dict[str, np.ndarray]
    high: dict[str, np.ndarray]
    offered: dict[str, np.ndarray]
    goal: dict[str, float | None]
    """None for queues the loop leaves alone (no service-level goal); 1 for deferred work
    (every contact answered within its deadline)."""
    seconds: float
    judged: dict[str, np.ndarray] = field(default_factory=dict)
    """Per queue, the slots whose service is judged (default all): deferred work only
    where its deadline ends inside the horizon (the simulation does not wrap contacts)."""
    raise_only: set[str] = field(default_factory=set)
    """Queues whose requirement the loop raises on a miss but never lowers (deferred)."""

    def _judged(self, q: str) -> np.ndarray:
        return self.judged.get(q, np.ones(len(self.mean[q]), dtype=bool))

    def misses(self, q: str) -> np.ndarray:
        """Slots with contacts whose whole 95% interval lies below the goal (with one run:
        the mean below it)."""
        g = self.goal[q]
        if g is None:
            return np.zeros(len(self.mean[q]), dtype=bool)
        top = np.where(np.isfinite(self.high[q]), self.high[q], self.mean[q])
        return (self.offered[q] > 0) & (top < g - 1e-9) & self._judged(q)

    def beats(self, q: str, margin: float) -> np.ndarray:
        """Slots with contacts whose mean is at least goal + margin and whose whole
        interval lies at or above the goal."""
        g = self.goal[q]
        if g is None or q in self.raise_only:
            return np.zeros(len(self.mean[q]), dtype=bool)
        bottom = np.where(np.isfinite(self.low[q]), self.low[q], self.mean[q])
        return (self.offered[q] > 0) & (self.mean[q] >= g + margin - 1e-9) & (bottom >= g - 1e-9)

    @property
    def slots_below(self) -> int:
        return int(sum(self.misses(q).sum() for q in self.goal))

    @property
    def contacts_below(self) -> float:
        """Contacts short of the goal: (goal - mean) x offered over the missed slots."""
        total = 0.0
        for q, g in self.goal.items():
            miss = self.misses(q)
            if g is not None and miss.any():
                total += float(np.sum((g - self.mean[q][miss]) * self.offered[q][miss]))
        return total


def net_of_shrinkage(centre: Centre, loaded: LoadedScenario) -> Centre:
    """The centre with each pool's shifts thinned evenly (in start order) by the
    requirement-weighted shrinkage of the queues it serves; a chat person's seats stay
    together."""
    rate = {c.name: c.shrinkage_rate for c in loaded.scenario.channels}
    weight = {q: max(1, sum(v)) for q, v in loaded.queue_required.items()}
    groups = []
    for g in centre.groups:
        s = sum(rate[q] * weight[q] for q in g.serves) / sum(weight[q] for q in g.serves)
        shifts = list(g.shifts or ())
        people: list[list] = []  # identical consecutive shifts: one person's chat seats
        for sh in shifts:
            if people and people[-1][0] is sh:
                people[-1].append(sh)
            else:
                people.append([sh])
        people.sort(key=lambda seats: (seats[0].start_minute, seats[0].end_minute or 0))
        keep = 1.0 - s
        kept = [sh for i, seats in enumerate(people)
                if math.floor((i + 1) * keep + 1e-9) > math.floor(i * keep + 1e-9)
                for sh in seats]
        groups.append(AgentGroup(g.name, g.serves, shifts=kept,
                                 overflow_rank=g.overflow_rank,
                                 handle_time_factor=g.handle_time_factor))
    return dataclasses.replace(centre, groups=groups)


def measure(loaded: LoadedScenario, result: Result, runs: int, seed: int) -> Measured:
    """Simulate the roster of `result` (net of shrinkage) and collect per queue and slot
    the service level's mean and 95% interval, and the contacts offered."""
    t = time.monotonic()
    centre, goals = simulation_centre(loaded, result)
    sim = simulate(net_of_shrinkage(centre, loaded), runs=runs, seed=seed)
    est = sim.by_queue_and_slot()
    sl, offered = est["service_level"], est["offered"]
    out = Measured({}, {}, {}, {}, {}, 0.0)
    h = loaded.scenario.horizon
    deadline = {c.name: c.response_deadline_minutes for c in loaded.scenario.channels
                if c.kind == "deferred"}
    ends = (np.arange(sim.n_slots) + 1) * h.slot_minutes
    for i, q in enumerate(sim.queue_names):
        out.mean[q], out.low[q], out.high[q] = sl.mean[i], sl.low[i], sl.high[i]
        out.offered[q] = offered.mean[i]
        out.goal[q] = goals[q]["service_level"]
        if q in deadline:
            out.goal[q] = 1.0
            out.raise_only.add(q)
            out.judged[q] = ends + deadline[q] <= h.num_slots * h.slot_minutes
    out.seconds = time.monotonic() - t
    return out


# ---------------------------------------------------------------- adjusting


def adjust(current: dict[str, list[int]], learned: dict[str, list[int]],
           measured: Measured, margin: float) -> tuple[dict[str, list[int]], int, int]:
    """The next requirements: raised where the queue misses its goal (1 + floor(10 x
    miss) agents; the missed figure + 1 becomes a learned floor), lowered where it beats
    goal + margin (Measured.beats) by max(1, floor(0.1 x requirement x (mean - goal) /
    (1 - goal))) agents, never below its floor. Updates `learned`; returns the new
    requirements and the numbers of slots raised and lowered."""
    new = {q: list(v) for q, v in current.items()}
    raised = lowered = 0
    for q in current:
        if measured.goal.get(q) is None:
            continue
        goal = measured.goal[q]
        miss, beat = measured.misses(q), measured.beats(q, margin)
        for t in np.flatnonzero(miss):
            step = 1 + int(math.floor(10 * max(0.0, goal - float(measured.mean[q][t])) + 1e-9))
            learned[q][t] = max(learned[q][t], current[q][t] + 1)
            new[q][t] = current[q][t] + step
            raised += 1
        for t in np.flatnonzero(beat & ~miss):
            excess = (float(measured.mean[q][t]) - goal) / max(0.01, 1.0 - goal)
            step = max(1, int(math.floor(0.1 * current[q][t] * excess)))
            lower = max(learned[q][t], current[q][t] - step)
            if lower < current[q][t]:
                new[q][t] = lower
                lowered += 1
    return new, raised, lowered


# ---------------------------------------------------------------- the loop


@dataclass
class _Iteration:
    result: Result
    required: dict[str, list[int]]
    measured: Measured
    raised: int = 0
    lowered: int = 0


@dataclass
class _Clock:
    t0: float
    limit: float
    deterministic: bool
    deadline: float = field(init=False)

    def __post_init__(self):
        self.deadline = self.t0 + self.limit

    def left(self) -> float:
        return self.deadline - time.monotonic()


NEGLIGIBLE_SHARE = 0.001
"""A roster whose contacts below goal (Measured.contacts_below) are at most this share of
the contacts offered ranks with those meeting every goal: a few runs cannot tell such
misses from noise (summary.pooling.meets_goals stays strict)."""


def _rank(it: _Iteration, kind: str) -> tuple:
    """Smaller is better: meeting every goal (or within NEGLIGIBLE_SHARE) first, then the
    objective; else the fewest contacts below goal."""
    s = it.result.summary
    cost = s.cost if s.cost is not None else math.inf
    head = s.headcount if s.headcount is not None else math.inf
    paid = s.paid_hours if s.paid_hours is not None else math.inf
    objective = {"cost": (cost, head), "paid_hours": (paid, head)}.get(kind, (head, cost))
    m = it.measured
    offered = sum(float(m.offered[q].sum()) for q in m.goal if m.goal[q] is not None)
    meets = m.slots_below == 0 or m.contacts_below <= NEGLIGIBLE_SHARE * offered
    return (0, *objective) if meets else (1, it.measured.contacts_below, *objective)


def staffing_loop(loaded: LoadedScenario, time_limit: float | None = None,
                  on_progress: ProgressFn | None = None, stop: StopSignal | None = None,
                  reserve=None) -> Result:
    """Plan, simulate, adjust and plan again (module docstring); the best roster with
    summary.pooling and the per-queue figures in its coverage records."""
    sc = loaded.scenario
    cfg: Pooling = sc.pooling
    params = solver_parameters(loaded, time_limit)
    clock = _Clock(time.monotonic(), float(params["max_time_in_seconds"]),
                   bool(params.get("deterministic")))
    erlang = {q: list(loaded.queue_required[q]) for q in loaded.queues}
    learned = {q: list(v) for q, v in loaded.staffing.queue_floor.items()}
    first_budget = cfg.plan_share * clock.limit if cfg.max_iterations > 1 else clock.limit
    later_budget = (clock.limit - first_budget) / max(1, cfg.max_iterations - 1)

    first = solve(loaded, time_limit=first_budget, on_progress=on_progress, stop=stop,
                  reserve=reserve)
    if not first.feasible:
        return first
    if reserve is not None and not clock.deterministic:  # the outputs of the final roster
        clock.deadline -= reserve(len(first.shifts), first.summary.headcount or 0)
    _report(on_progress, clock, "simulating the fluid plan", first)
    iterations = [_Iteration(first, erlang, measure(loaded, first, cfg.runs, cfg.seed))]
    stopped = "iteration limit"
    sim_seconds = iterations[0].measured.seconds
    while len(iterations) < cfg.max_iterations:
        last = iterations[-1]
        new, last.raised, last.lowered = adjust(last.required, learned, last.measured,
                                                cfg.margin)
        if new == last.required:
            stopped = "goals met, nothing to lower" if last.measured.slots_below == 0 \
                else "no adjustment left"
            break
        if stop is not None and stop.is_set():
            stopped = "interrupted"
            break
        budget = later_budget
        if not clock.deterministic:
            # later plans leave the dedicated teams' solve its share of the limit
            budget = min(first_budget, clock.left() - 1.5 * last.measured.seconds - 1.0
                         - DEDICATED_SHARE * clock.limit)
            if budget < max(MIN_PLAN_SECONDS, LATER_PLAN_SHARE * first_budget):
                stopped = "time limit"
                break
        adjusted = with_queue_required(loaded, {q: tuple(v) for q, v in new.items()})
        result = solve(adjusted, time_limit=budget, on_progress=on_progress, stop=stop)
        if not result.feasible:
            stopped = f"plan {len(iterations) + 1} found no roster ({result.summary.status})"
            break
        _report(on_progress, clock, f"simulating plan {len(iterations) + 1}", result)
        iterations.append(_Iteration(result, new, measure(adjusted, result, cfg.runs,
                                                         cfg.seed)))
        sim_seconds += iterations[-1].measured.seconds
    chosen = min(range(len(iterations)), key=lambda i: _rank(iterations[i], sc.objective.kind))
    dedicated = None
    seconds = DEDICATED_SHARE * clock.limit if clock.deterministic \
        else clock.left() - 0.5  # what the loop left, at least its share when it could
    if not (stop is not None and stop.is_set()) and seconds >= MIN_PLAN_SECONDS:
        dedicated = dedicated_headcount(loaded, seconds, stop)
    return with_pooling(loaded, iterations, chosen, erlang, stopped, dedicated, sim_seconds)


def _report(on_progress, clock: _Clock, phase: str, result: Result) -> None:
    if on_progress is not None:
        on_progress(Progress(phase, headcount=result.summary.headcount,
                             elapsed=time.monotonic() - clock.t0))


# ---------------------------------------------------------------- dedicated teams


def dedicated_variant(loaded: LoadedScenario) -> LoadedScenario:
    """The scenario with every pool serving several queues split into one team per queue
    (same shift types, rules and pay; the standing people shared out in the queues'
    order, the hiring cap too), and the loop off: dedicated teams, no pooling."""
    sc = loaded.scenario
    pools = []
    for p in sc.pools:
        served = sc.queues_served(p)
        if len(served) <= 1:
            pools.append(p)
            continue
        n = len(served)
        for j, q in enumerate(served):
            share = (lambda total: None if total is None else total // n + (j < total % n))
            pools.append(p.model_copy(update={
                "name": f"{p.name}-{q}"[:40], "serves": [q], "standing": share(p.standing),
                "max_hire": share(p.max_hire),
                "handle_time_factor": {k: v for k, v in p.handle_time_factor.items() if k == q},
            }))
    scenario = sc.model_copy(update={"pools": pools, "pooling": Pooling(loop=False)})
    return dataclasses.replace(loaded, scenario=scenario)


def dedicated_headcount(loaded: LoadedScenario, seconds: float,
                        stop: StopSignal | None = None) -> int | None:
    """Headcount of the dedicated variant's roster, solved within `seconds`; None when it
    found none."""
    result = solve(dedicated_variant(loaded), time_limit=max(1.0, seconds), stop=stop)
    return result.summary.headcount if result.feasible else None


# ---------------------------------------------------------------- the result


def with_pooling(loaded: LoadedScenario, iterations: list[_Iteration], chosen: int,
                 erlang: dict[str, list[int]], stopped: str, dedicated: int | None,
                 sim_seconds: float) -> Result:
    """The chosen iteration's result with the Erlang requirement and the simulated service
    level in its queue records, summary.pooling, and the loop's word in the answer."""
    it = iterations[chosen]
    result, m = it.result, it.measured
    coverage = []
    for t, rec in enumerate(result.coverage):
        queues = []
        for qs in rec.queues:
            sl = float(m.mean[qs.queue][t]) if qs.queue in m.mean else math.nan
            has = qs.queue in m.offered and m.offered[qs.queue][t] > 0 and math.isfinite(sl)
            queues.append(qs.model_copy(update={
                "erlang_required": erlang[qs.queue][t],
                "simulated_service_level": round(sl, 6) if has else None}))
        coverage.append(rec.model_copy(update={"queues": queues}))
    days = queue_days(loaded, it, erlang)
    fluid = iterations[0].result.summary
    history = [{"iteration": i + 1, "headcount": x.result.summary.headcount,
                "cost": x.result.summary.cost, "slots_below_goal": x.measured.slots_below,
                "contacts_below_goal": round(x.measured.contacts_below, 1),
                "slots_raised": x.raised, "slots_lowered": x.lowered,
                "simulation_seconds": round(x.measured.seconds, 2)}
               for i, x in enumerate(iterations)]
    cfg = loaded.scenario.pooling
    pooling = PoolingSummary(
        iterations=len(iterations), chosen_iteration=chosen + 1, runs=cfg.runs, seed=cfg.seed,
        meets_goals=m.slots_below == 0, stopped=stopped,
        fluid_headcount=fluid.headcount, fluid_cost=fluid.cost,
        headcount=result.summary.headcount, cost=result.summary.cost,
        dedicated_headcount=dedicated, simulation_seconds=round(sim_seconds, 2),
        history=history, queues=days)
    phrases = list(result.summary.answer_phrases) + pooling_words(pooling, days)
    summary = result.summary.model_copy(update={
        "pooling": pooling, "answer_phrases": phrases,
        "answer": translator("en").sentence(phrases)})
    return result.model_copy(update={"summary": summary, "coverage": coverage})


def queue_days(loaded: LoadedScenario, it: _Iteration,
               erlang: dict[str, list[int]]) -> list[PoolingQueueDay]:
    """Per queue and day: the simulated service level (contact-weighted), slots below
    goal, the Erlang and adjusted agent-hours and the largest change in a slot."""
    h = loaded.scenario.horizon
    per_day = (24 * 60) // h.slot_minutes
    hours = h.slot_minutes / 60.0
    m = it.measured
    out = []
    for q in loaded.queues:
        miss = m.misses(q)
        for d in range(h.days):
            sl_ = slice(d * per_day, (d + 1) * per_day)
            offered = m.offered[q][sl_]
            mean = np.nan_to_num(m.mean[q][sl_])
            total = float(offered.sum())
            change = [a - b for a, b in zip(it.required[q][sl_], erlang[q][sl_])]
            out.append(PoolingQueueDay(
                queue=q, date=h.start_date + dt.timedelta(days=d),
                simulated_service_level=round(float((mean * offered).sum() / total), 4)
                if total > 0 else None,
                service_level_goal=m.goal[q], slots_below_goal=int(miss[sl_].sum()),
                erlang_agent_hours=round(sum(erlang[q][sl_]) * hours, 2),
                required_agent_hours=round(sum(it.required[q][sl_]) * hours, 2),
                peak_change_agents=max(change, key=abs) if change else 0))
    return out


def pooling_words(p: PoolingSummary, days: list[PoolingQueueDay]) -> list[AnswerPhrase]:
    """The loop in the answer sentence, phrase by phrase: the headcount against the fluid
    plan and dedicated teams, what each queue needs beyond (or below) its Erlang figure
    and on which days, the queue-days still below goal."""
    values: dict = {"plans": p.iterations, "chosen": p.chosen_iteration}
    head = "the staffing loop ({plans} plans simulated) kept plan {chosen}"
    if p.headcount is not None and p.fluid_headcount is not None:
        head += ": {people} people against {fluid} in the fluid plan"
        values.update(people=p.headcount, fluid=p.fluid_headcount)
        if p.dedicated_headcount is not None:
            head += " and {dedicated} in dedicated teams"
            values["dedicated"] = p.dedicated_headcount
    out = [AnswerPhrase(text=head, values=values)]
    for q in dict.fromkeys(d.queue for d in days):
        mine = [d for d in days if d.queue == q]
        up = [d for d in mine if d.peak_change_agents > 0]
        down = [d for d in mine if d.peak_change_agents < 0]
        if up:
            out.append(AnswerPhrase(
                text="{queue} needs up to {n} more than its Erlang figure on {up_days}",
                values={"queue": q, "n": max(d.peak_change_agents for d in up),
                        "up_days": [d.date.isoformat() for d in up]}))
        elif down:
            out.append(AnswerPhrase(
                text="{queue} gets by with up to {n} fewer (pooled) on {down_days}",
                values={"queue": q, "n": -min(d.peak_change_agents for d in down),
                        "down_days": [d.date.isoformat() for d in down]}))
    short = [d for d in days if d.slots_below_goal]
    if short:
        worst = max(short, key=lambda d: d.slots_below_goal)
        out.append(AnswerPhrase(
            text="{n} queue-days still below goal in simulation (most: {queue} on "
                 "{worst_days})",
            values={"n": len(short), "queue": worst.queue,
                    "worst_days": [worst.date.isoformat()]}))
    return out
