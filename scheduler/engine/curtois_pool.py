"""Dynamic-programming pricing (scheduler.engine.curtois_dp) in worker processes.

The pricer's numpy steps hold the interpreter lock for most of their time, so pricing in
threads used one core however many workers were asked for. A DpPool keeps one process
per worker, each with every employee's DpPricer built once (a solve keeps no state from
the last, so any process may price any employee); a pricing round sends the duals and the
employees to price, split evenly, and gets back each employee's rosters and bound."""

from __future__ import annotations

import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor

from scheduler.datasets.curtois import CurtoisInstance
from scheduler.engine.curtois_dp import Column, DpPricer

_PRICERS: dict[int, DpPricer] = {}


def _init(inst: CurtoisInstance, employees: list[int]) -> None:
    _PRICERS.clear()
    _PRICERS.update({e: DpPricer(inst, e) for e in employees})


def _price(duals: dict[tuple[int, int], float], employees: list[int]
           ) -> list[tuple[int, list[Column], float | None]]:
    out = []
    for e in employees:
        found = _PRICERS[e].solve(duals)
        out.append((e, found, _PRICERS[e].last_bound))
    return out


class DpPool:
    """`processes` worker processes pricing the employees `employees` (those with a
    dynamic program) by DpPricer.solve."""

    def __init__(self, inst: CurtoisInstance, employees: list[int], processes: int) -> None:
        ctx = mp.get_context("fork")
        self.employees = set(employees)
        self.pools = [ProcessPoolExecutor(1, mp_context=ctx, initializer=_init,
                                          initargs=(inst, employees))
                      for _ in range(max(1, processes))]

    def price(self, duals: dict[tuple[int, int], float], employees: list[int]
              ) -> dict[int, tuple[list[Column], float | None]]:
        """Each employee's rosters (best first, as DpPricer.solve) and bound."""
        wanted = [e for e in employees if e in self.employees]
        parts = [wanted[i::len(self.pools)] for i in range(len(self.pools))]
        futures = [pool.submit(_price, duals, part)
                   for pool, part in zip(self.pools, parts) if part]
        out = {}
        for fut in futures:
            for e, found, bound in fut.result():
                out[e] = (found, bound)
        return out

    def close(self) -> None:
        for pool in self.pools:
            pool.shutdown(wait=False, cancel_futures=True)
