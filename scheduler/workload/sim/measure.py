"""Figures of simulated runs: per-run totals by queue and slot of arrival (and by agent
group and slot), then means over the runs with 95% confidence intervals.

Service level, two definitions (published figures differ by 1-3 points between them):
* `service_level`: answered within T / offered. Abandoned contacts, early or late, and
  contacts still waiting when the run ends count as missed. The default, used for the
  goals, and the definition of scheduler/workload/erlang.py.
* `service_level_cc`: answered within T / (answered + abandoned after T), ContactCenters'
  definition (contacts that abandon within T count neither way).
"Within T" means a wait of at most T seconds; abandoned within T means a patience of at
most T.

Other ratios: `asa_seconds` = total wait of answered contacts / answered; `mean_wait_seconds`
= total wait of answered and abandoned contacts (an abandoned one waits its patience) /
(answered + abandoned), the quantity erlang.erlang_a reports as its ASA;
`abandon_rate` = abandoned / offered; occupancy = busy time / present time of a group's
agents (present: on duty, including a shift end delayed by the contact in hand, breaks
excluded).

Confidence intervals: the runs are independent and identically distributed. A count's
interval is mean +- t(0.975, runs-1) s / sqrt(runs). A ratio is estimated as the ratio
of the sums over the runs (sum N / sum D, not the mean of per-run ratios, so slots with
few contacts get their proper weight); its interval is the delta method's: +- t s_e /
(sqrt(runs) mean D), with s_e the standard deviation of N_r - ratio D_r. With one run the
intervals are nan.

Time outside the slots (an agent's presence and service after the horizon while the
centre empties, or before minute 0) counts in a group's totals over the run but in no
slot.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scheduler.workload.sim.core import Plan, RunRecord

COUNTS = ("offered", "answered", "answered_within", "abandoned", "abandoned_within",
          "waiting_at_end")
SUMS = ("wait_answered_seconds", "wait_abandoned_seconds")
QUEUE_FIELDS = COUNTS + SUMS
GROUP_FIELDS = ("busy_seconds", "present_seconds")


@dataclass(frozen=True)
class RunTotals:
    """One run's totals: queue fields (queues, slots); group fields (groups, slots + 1),
    the last column being the time outside the slots."""

    queue: dict[str, np.ndarray]
    group: dict[str, np.ndarray]
    busyness: float
    end_seconds: float
    contacts: int


def _slot_time(starts, ends, groups, n_groups: int, bounds: np.ndarray) -> np.ndarray:
    """Time of the intervals [start, end) per group inside each slot [bounds[k],
    bounds[k+1]), and in the last column outside them. F(x) = sum of the intervals' time
    before x, evaluated at the bounds from sorted starts and ends with prefix sums."""
    out = np.zeros((n_groups, len(bounds)))
    for g in range(n_groups):
        sel = groups == g
        s = np.sort(starts[sel])
        e = np.sort(ends[sel])
        if not s.size:
            continue
        cs = np.concatenate(([0.0], np.cumsum(s)))
        ce = np.concatenate(([0.0], np.cumsum(e)))
        ns = np.searchsorted(s, bounds, side="left")
        ne = np.searchsorted(e, bounds, side="left")
        before = (ns * bounds - cs[ns]) - (ne * bounds - ce[ne])
        inside = np.diff(before)
        total = float(ce[-1] - cs[-1])
        out[g, :-1] = inside
        out[g, -1] = total - (before[-1] - before[0])
    return np.maximum(out, 0.0)


def run_totals(plan: Plan, rec: RunRecord) -> RunTotals:
    c = rec.contacts
    n_q, n_k = len(plan.queue_names), plan.n_slots
    cell = c.queue * n_k + c.slot
    served = rec.agent >= 0
    gave_up = ~served & np.isfinite(c.patience)
    wait = np.where(served, rec.start - c.arrival, 0.0)
    within = plan.within_seconds[c.queue] + 1e-9

    def count(mask, weights=None):
        w = None if weights is None else weights[mask]
        return np.bincount(cell[mask], weights=w, minlength=n_q * n_k).reshape(n_q, n_k).astype(float)

    queue = {
        "offered": count(np.ones(cell.size, dtype=bool)),
        "answered": count(served),
        "answered_within": count(served & (wait <= within)),
        "abandoned": count(gave_up),
        "abandoned_within": count(gave_up & (c.patience <= within)),
        "waiting_at_end": count(~served & ~gave_up),
        "wait_answered_seconds": count(served, wait),
        "wait_abandoned_seconds": count(gave_up, c.patience),
    }
    n_g = len(plan.group_names)
    bounds = np.arange(n_k + 1) * plan.slot_seconds
    agent_group = np.asarray(plan.agent_group, dtype=np.int64)
    busy = _slot_time(rec.start[served], rec.start[served] + rec.service[served],
                      agent_group[rec.agent[served]], n_g, bounds)
    present = _slot_time(rec.presence_on, rec.presence_off, rec.presence_group, n_g, bounds)
    return RunTotals(queue=queue, group={"busy_seconds": busy, "present_seconds": present},
                     busyness=c.busyness, end_seconds=rec.end, contacts=int(cell.size))


@dataclass(frozen=True)
class Estimate:
    """A mean over the runs and its 95% confidence interval (arrays of one shape)."""

    mean: np.ndarray
    low: np.ndarray
    high: np.ndarray

    @property
    def half_width(self) -> np.ndarray:
        return (self.high - self.low) / 2

    def __repr__(self) -> str:
        if np.ndim(self.mean) == 0:
            return f"Estimate({float(self.mean):.6g} [{float(self.low):.6g}, {float(self.high):.6g}])"
        return f"Estimate(mean={self.mean!r}, low={self.low!r}, high={self.high!r})"


def _t(runs: int) -> float:
    # imported here: scipy.stats takes 0.3 s to import (0.6 s under load), which every
    # `scheduler` command paid before it knew whether it would simulate
    from scipy import stats

    return float(stats.t.ppf(0.975, runs - 1)) if runs > 1 else np.nan


def count_estimate(x: np.ndarray) -> Estimate:
    """x: (runs, ...) per-run values."""
    runs = x.shape[0]
    mean = x.mean(axis=0)
    hw = _t(runs) * x.std(axis=0, ddof=1) / np.sqrt(runs) if runs > 1 else np.full(mean.shape, np.nan)
    return Estimate(mean, mean - hw, mean + hw)


def ratio_estimate(num: np.ndarray, den: np.ndarray) -> Estimate:
    """sum num / sum den over the runs (axis 0), delta-method interval; nan where den is 0."""
    runs = num.shape[0]
    sd = den.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.where(sd > 0, num.sum(axis=0) / np.where(sd > 0, sd, 1), np.nan)
        if runs > 1:
            resid = num - np.nan_to_num(r) * den
            hw = _t(runs) * resid.std(axis=0, ddof=1) / (np.sqrt(runs) * den.mean(axis=0))
            hw = np.where(sd > 0, hw, np.nan)
        else:
            hw = np.full(np.shape(r), np.nan)
    return Estimate(r, r - hw, r + hw)


def queue_estimates(q: dict[str, np.ndarray]) -> dict[str, Estimate]:
    """Estimates from stacked queue fields (runs, ...) of any trailing shape."""
    out = {name: count_estimate(q[name]) for name in COUNTS}
    out["service_level"] = ratio_estimate(q["answered_within"], q["offered"])
    out["service_level_cc"] = ratio_estimate(
        q["answered_within"], q["answered"] + q["abandoned"] - q["abandoned_within"])
    out["asa_seconds"] = ratio_estimate(q["wait_answered_seconds"], q["answered"])
    out["mean_wait_seconds"] = ratio_estimate(
        q["wait_answered_seconds"] + q["wait_abandoned_seconds"], q["answered"] + q["abandoned"])
    out["abandon_rate"] = ratio_estimate(q["abandoned"], q["offered"])
    return out


def group_estimates(g: dict[str, np.ndarray]) -> dict[str, Estimate]:
    out = {name: count_estimate(g[name]) for name in GROUP_FIELDS}
    out["occupancy"] = ratio_estimate(g["busy_seconds"], g["present_seconds"])
    return out
