"""Solve a purely linear CP-SAT model with HiGHS (LP relaxation or MIP), for bounds and for
hints. Only linear constraints without enforcement literals are supported."""

from __future__ import annotations

import logging
import os
import sys
import time

import highspy
import numpy as np
from scheduler.engine.sat import cp_model

from scheduler.engine import forked
from scheduler.engine.stopping import StopSignal

log = logging.getLogger(__name__)


def _quiet_highs() -> highspy.Highs:
    """A Highs instance; its constructor prints a banner on the process's stdout, which
    would break the CLI's output, so fd 1 is pointed at /dev/null meanwhile."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            h = highspy.Highs()
            h.setOptionValue("output_flag", False)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    return h


def highs_model(model: cp_model.CpModel, integer: bool = True) -> tuple[highspy.Highs, float]:
    """A HiGHS instance holding the model's linear form (quiet, one thread) and the
    objective's constant offset."""
    proto = model.proto
    n = len(proto.variables)
    domains = [list(v.domain) for v in proto.variables]
    lower = np.array([d[0] for d in domains], dtype=float)
    upper = np.array([d[-1] for d in domains], dtype=float)
    h = _quiet_highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    inf = highspy.kHighsInf
    cost = np.zeros(n)
    obj = proto.objective
    for var, coef in zip(obj.vars, obj.coeffs):
        if var < 0:
            raise ValueError("negated objective literal")
        cost[var] += coef
    h.addVars(n, lower, upper)
    h.changeColsCost(n, np.arange(n, dtype=np.int32), cost)
    if integer:
        h.changeColsIntegrality(n, np.arange(n, dtype=np.int32),
                                np.full(n, highspy.HighsVarType.kInteger))
    for ct in proto.constraints:
        if not ct.has_linear() or len(ct.enforcement_literal):
            raise ValueError("only plain linear constraints")
        lin = ct.linear
        domain = list(lin.domain)
        lo, hi = domain[0], domain[-1]
        lo = -inf if lo <= -(2**62) else float(lo)
        hi = inf if hi >= 2**62 else float(hi)
        idx = np.array(lin.vars, dtype=np.int32)
        h.addRow(lo, hi, len(idx), idx, np.array(lin.coeffs, dtype=float))
    return h, obj.offset


def solve_with_highs(model: cp_model.CpModel, time_limit: float, relax: bool = False,
                     mip_gap: float = 1e-4, start: list[float] | None = None,
                     stop: StopSignal | None = None,
                     ) -> tuple[str, list[float] | None, float | None, float | None]:
    """(status, values per variable index, objective, bound) of the model's linear form;
    `start` is a feasible solution for the MIP to begin from. Building the HiGHS model
    counts against `time_limit`; `stop` interrupts the run."""
    if time_limit <= 0 or (stop is not None and stop.is_set()):
        return "unknown", None, None, None
    deadline = time.monotonic() + time_limit
    h, offset = highs_model(model, integer=not relax)
    h.setOptionValue("mip_rel_gap", mip_gap)
    if relax:
        # interior point: the simplex method stalls for minutes on the degenerate
        # headcount LPs of several pools; crossover still returns a vertex
        h.setOptionValue("solver", "ipm")
    return run_highs(h, offset, deadline - time.monotonic(), start=None if relax else start,
                     relax=relax, stop=stop)


def interrupt_when(h: highspy.Highs, deadline: float, stop: StopSignal | None) -> None:
    """HiGHS's own time limit is checked between its phases only (a MIP's LP re-solve or
    an interior-point run can overshoot it by seconds): its interrupt callbacks stop the
    MIP, the simplex and the interior-point method at the deadline or the stop signal."""
    def check(event) -> None:
        if time.monotonic() >= deadline or (stop is not None and stop.is_set()):
            event.interrupt()

    for hook in (h.cbMipInterrupt, h.cbSimplexInterrupt, h.cbIpmInterrupt):
        if hook.callbacks:  # a model run again keeps only the latest deadline
            hook.clear()
        hook.subscribe(check)


def run_highs(h: highspy.Highs, offset: float, time_limit: float,
              start: list[float] | None = None, relax: bool = False,
              stop: StopSignal | None = None,
              ) -> tuple[str, list[float] | None, float | None, float | None]:
    """Run a model built by highs_model within `time_limit` seconds (or until `stop`):
    (status, values, objective, bound), the status "infeasible" or "unknown" (no solution
    found) with None for the rest. HiGHS runs in a forked child that is killed at the
    limit (engine/forked.py: its interrupt callbacks alone let it overrun by many
    seconds); a MIP killed there gives the best solution it had sent, without a bound.
    `h` itself is left as it was."""
    if time_limit <= 0 or (stop is not None and stop.is_set()):
        return "unknown", None, None, None
    deadline = time.monotonic() + time_limit
    if not forked.can_fork():
        return _run_here(h, offset, deadline, start, relax, stop)

    def work(send) -> None:
        if not relax:
            def improved(event) -> None:
                out = event.data_out
                send(("incumbent", np.asarray(out.mip_solution, dtype=float),
                      out.objective_function_value + offset))

            h.cbMipImprovingSolution.subscribe(improved)
        send(("result", _run_here(h, offset, deadline, start, relax, None)))

    outcome = forked.run_forked(work, deadline, stop)
    for kind, *rest in reversed(outcome.messages):
        if kind == "result":
            return rest[0]
        if kind == "incumbent":
            values, value = rest
            return "feasible", values.tolist(), float(value), None
    return "unknown", None, None, None


def _run_here(h: highspy.Highs, offset: float, deadline: float,
              start: list[float] | None, relax: bool, stop: StopSignal | None,
              ) -> tuple[str, list[float] | None, float | None, float | None]:
    """run_highs in this process, stopped by HiGHS's own limit and interrupt callbacks."""
    time_limit = deadline - time.monotonic()
    if time_limit <= 0:
        return "unknown", None, None, None
    interrupt_when(h, deadline, stop)
    h.setOptionValue("time_limit", float(max(0.1, time_limit)))
    if start is not None:
        solution = highspy.HighsSolution()
        solution.col_value = [float(v) for v in start]
        solution.value_valid = True
        h.setSolution(solution)
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    if status == highspy.HighsModelStatus.kInfeasible:
        return "infeasible", None, None, None
    if info.primal_solution_status != 2:  # no feasible solution
        return "unknown", None, None, None
    values = list(h.getSolution().col_value)
    value = info.objective_function_value + offset
    bound = info.mip_dual_bound + offset if not relax else value
    name = "optimal" if status == highspy.HighsModelStatus.kOptimal else "feasible"
    return name, values, value, bound
