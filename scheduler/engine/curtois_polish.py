"""Best responses over the columns of column generation (scheduler.engine.curtois_columns).

A roster is one column per employee. Each employee in turn takes, of their columns, the
one of least request penalty plus cover penalty given everyone else's (their own current
column included, so nothing gets worse); the passes go on until none changes anything or
time runs out. A few passes over a rounded relaxation cost well under a second and take
it most of the way to the relaxation's value, where the integer master (CP-SAT over every
column) starts from a rounding far above it and does not close the distance on the large
instances in its time."""

from __future__ import annotations

import random
import time

from scheduler.datasets.curtois import CurtoisInstance

Cell = tuple[int, int]


def roster_cost(inst: CurtoisInstance, costs: list[int],
                columns: list[tuple[int, frozenset[Cell]]], chosen: dict[int, int]) -> int:
    """The objective of the roster that gives employee e column chosen[e]."""
    shift = {s.id: i for i, s in enumerate(inst.shifts)}
    count: dict[Cell, int] = {}
    for j in chosen.values():
        for c in columns[j][1]:
            count[c] = count.get(c, 0) + 1
    total = sum(costs[j] for j in chosen.values())
    for c in inst.cover:
        n = count.get((c.day, shift[c.shift]), 0)
        total += c.weight_under * max(0, c.requirement - n) + \
            c.weight_over * max(0, n - c.requirement)
    return total


def polish(inst: CurtoisInstance, costs: list[int],
           columns: list[tuple[int, frozenset[Cell]]], chosen: dict[int, int],
           deadline: float, seed: int = 0, fixed: frozenset[int] = frozenset()
           ) -> dict[int, int]:
    """Best responses from `chosen` (employee -> index into `columns`, every employee),
    `costs[j]` the request penalty of column j; employees in `fixed` keep theirs."""
    shift = {s.id: i for i, s in enumerate(inst.shifts)}
    need: dict[Cell, tuple[int, int, int]] = {
        (c.day, shift[c.shift]): (c.requirement, c.weight_under, c.weight_over)
        for c in inst.cover}
    by_employee: dict[int, list[int]] = {}
    for j, (e, _) in enumerate(columns):
        by_employee.setdefault(e, []).append(j)
    # only the cells with a cover line matter to the others
    cells = [[c for c in col if c in need] for _, col in columns]
    count: dict[Cell, int] = {}
    chosen = dict(chosen)
    for j in chosen.values():
        for c in cells[j]:
            count[c] = count.get(c, 0) + 1
    rng = random.Random(seed)
    order = [e for e in by_employee if e not in fixed and e in chosen]
    changed = True
    while changed and time.monotonic() < deadline:
        changed = False
        rng.shuffle(order)
        for e in order:
            now = chosen[e]
            for c in cells[now]:
                count[c] -= 1
            # what working a cell costs (or saves) given everyone else
            add: dict[Cell, int] = {}
            best, best_value = now, None
            for j in by_employee[e]:
                value = costs[j]
                for c in cells[j]:
                    delta = add.get(c)
                    if delta is None:
                        r, wu, wo = need[c]
                        delta = add[c] = -wu if count.get(c, 0) < r else wo
                    value += delta
                if best_value is None or value < best_value or (
                        value == best_value and j == now):
                    best, best_value = j, value
            if best != now:
                changed = True
                chosen[e] = best
            for c in cells[best]:
                count[c] = count.get(c, 0) + 1
    return chosen
