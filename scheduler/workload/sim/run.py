"""Running the simulation: independent seeded runs (one numpy Generator per run from
`SeedSequence(seed).spawn(runs)`), optionally spread over processes, and their figures.

The same seed and inputs give identical results whatever the number of processes: run r
always uses the r-th spawned seed.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np

from scheduler.errors import InputError
from scheduler.workload.sim.core import Plan, RunRecord, compile_centre, draw_contacts, run_loop
from scheduler.workload.sim.measure import (
    GROUP_FIELDS, QUEUE_FIELDS, Estimate, RunTotals, group_estimates, queue_estimates,
    run_totals,
)
from scheduler.workload.sim.model import Centre, validate


def _run(plan: Plan, seed: np.random.SeedSequence) -> RunRecord:
    rng = np.random.default_rng(seed)
    return run_loop(plan, draw_contacts(plan, rng))


def _run_chunk(plan: Plan, seeds: list[np.random.SeedSequence]) -> list[RunTotals]:
    return [run_totals(plan, _run(plan, s)) for s in seeds]


def _seeds(seed: int, runs: int) -> list[np.random.SeedSequence]:
    return np.random.SeedSequence(seed).spawn(runs)


def simulate_run(centre: Centre, seed: int = 0, run: int = 0) -> tuple[Plan, RunRecord]:
    """Run number `run` of `simulate(centre, seed=seed)` alone, with what happened to each
    contact and agent (for tests, debugging and drill-down)."""
    validate(centre)
    plan = compile_centre(centre)
    return plan, _run(plan, _seeds(seed, run + 1)[run])


def simulate(centre: Centre, runs: int = 10, seed: int = 0, processes: int = 1) -> SimulationResult:
    """Simulate `runs` independent runs of `centre` and return their figures.

    `processes` > 1 spreads the runs over that many worker processes (contiguous chunks of
    runs); the result does not depend on it. Raises InputErrors for a bad centre and
    InputError for runs or processes below 1."""
    if not isinstance(runs, int) or runs < 1:
        raise InputError(f"{runs!r} must be a whole number of runs >= 1", key_path="runs")
    if not isinstance(processes, int) or processes < 1:
        raise InputError(f"{processes!r} must be a whole number >= 1", key_path="processes")
    validate(centre)
    plan = compile_centre(centre)
    seeds = _seeds(seed, runs)
    workers = min(processes, runs)
    if workers == 1:
        totals = _run_chunk(plan, seeds)
    else:
        chunks = [list(c) for c in np.array_split(np.array(seeds, dtype=object), workers)]
        with ProcessPoolExecutor(max_workers=workers) as pool:
            totals = [t for part in pool.map(_run_chunk, [plan] * workers, chunks) for t in part]
    return SimulationResult.from_runs(plan, centre, totals, seed)


@dataclass(frozen=True)
class SimulationResult:
    """Per-run totals stacked over the runs, and their estimates.

    `queue_data[field]`: (runs, queues, slots); `group_data[field]`: (runs, groups,
    slots + 1), the last column the time outside the slots. Fields: measure.QUEUE_FIELDS
    and measure.GROUP_FIELDS. Estimates (measure.queue_estimates / group_estimates) carry
    mean, low and high arrays."""

    queue_names: tuple[str, ...]
    group_names: tuple[str, ...]
    slot_minutes: float
    seed: int
    queue_data: dict[str, np.ndarray]
    group_data: dict[str, np.ndarray]
    busyness: np.ndarray        # (runs,) the busyness factor drawn in each run
    end_seconds: np.ndarray     # (runs,) the last real event of each run
    contacts: np.ndarray        # (runs,) contacts offered in each run
    goal: np.ndarray            # (queues,) service-level goal
    answer_within_seconds: np.ndarray  # (queues,)

    @classmethod
    def from_runs(cls, plan: Plan, centre: Centre, totals: list[RunTotals], seed: int):
        return cls(
            queue_names=plan.queue_names, group_names=plan.group_names,
            slot_minutes=float(centre.slot_minutes), seed=seed,
            queue_data={f: np.stack([t.queue[f] for t in totals]) for f in QUEUE_FIELDS},
            group_data={f: np.stack([t.group[f] for t in totals]) for f in GROUP_FIELDS},
            busyness=np.array([t.busyness for t in totals]),
            end_seconds=np.array([t.end_seconds for t in totals]),
            contacts=np.array([t.contacts for t in totals]),
            goal=plan.goal.copy(), answer_within_seconds=plan.within_seconds.copy(),
        )

    @property
    def runs(self) -> int:
        return int(self.contacts.size)

    @property
    def n_slots(self) -> int:
        return int(self.queue_data["offered"].shape[2])

    def _slots(self, slots) -> np.ndarray:
        idx = np.arange(self.n_slots)
        return idx if slots is None else idx[slots]

    def by_queue_and_slot(self) -> dict[str, Estimate]:
        """Per queue and slot of arrival: arrays (queues, slots)."""
        return queue_estimates(self.queue_data)

    def by_queue(self, slots=None) -> dict[str, Estimate]:
        """Per queue over all slots, or over `slots` (a slice or index array): (queues,)."""
        sel = self._slots(slots)
        return queue_estimates({f: v[:, :, sel].sum(axis=2) for f, v in self.queue_data.items()})

    def overall(self, slots=None) -> dict[str, Estimate]:
        """All queues together: scalars."""
        sel = self._slots(slots)
        return queue_estimates({f: v[:, :, sel].sum(axis=(1, 2)) for f, v in self.queue_data.items()})

    def by_group_and_slot(self) -> dict[str, Estimate]:
        """Per group and slot: busy_seconds, present_seconds, occupancy (groups, slots)."""
        return group_estimates({f: v[:, :, :-1] for f, v in self.group_data.items()})

    def by_group(self, slots=None) -> dict[str, Estimate]:
        """Per group over the whole run (time outside the slots included), or over
        `slots` only: (groups,)."""
        if slots is None:
            data = {f: v.sum(axis=2) for f, v in self.group_data.items()}
        else:
            sel = self._slots(slots)
            data = {f: v[:, :, sel].sum(axis=2) for f, v in self.group_data.items()}
        return group_estimates(data)

    def queue_rows(self) -> list[dict]:
        """One row per queue and slot: counts and figures with their 95% intervals."""
        return self._rows("queue", self.queue_names, self.by_queue_and_slot())

    def group_rows(self) -> list[dict]:
        """One row per group and slot: busy and present seconds, occupancy, intervals."""
        return self._rows("group", self.group_names, self.by_group_and_slot())

    def _rows(self, key: str, names, est: dict) -> list[dict]:
        """One row per name and slot, each estimate as its mean, low and high."""
        rows = []
        for i, name in enumerate(names):
            for k in range(self.n_slots):
                row = {key: name, "slot": k}
                for measure, e in est.items():
                    row[measure] = float(e.mean[i, k])
                    row[f"{measure}_low"] = float(e.low[i, k])
                    row[f"{measure}_high"] = float(e.high[i, k])
                rows.append(row)
        return rows
