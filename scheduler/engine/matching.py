"""A day's shifts matched to the agents who work that day, by classes.

The pattern roster gives each day's shifts to that day's agents by a minimum-cost
assignment (as many shifts placed as possible, then the least cost). Shifts alike in
what the cost and the rules see, and agents alike in the same way, form classes; the
assignment between classes is a min-cost flow (OR-Tools' SimpleMinCostFlow), whose size
grows with the classes, not with the agents: a day of 3,600 shifts was a 3,600 x 3,600
dense assignment, and is a few hundred classes a side."""

from __future__ import annotations

import numpy as np


def match_by_class(row_keys: np.ndarray, col_keys: np.ndarray, ok, cost) -> list[tuple[int, int]]:
    """(row, column) pairs of a largest matching of least total cost between rows and
    columns, where `ok(r_rows, c_cols)` and `cost(r_rows, c_cols)` give, for the
    representative rows and columns of each pair of classes (numpy index arrays of
    equal length), whether they may be matched and at what integer cost. Rows (and
    columns) with equal keys (rows of a 2-d integer array) must be alike to ok and
    cost."""
    if not len(row_keys) or not len(col_keys):
        return []
    row_class, row_first, row_members = _classes(row_keys)
    col_class, col_first, col_members = _classes(col_keys)
    n_rows, n_cols = len(row_first), len(col_first)
    rr, cc = np.meshgrid(np.arange(n_rows), np.arange(n_cols), indexing="ij")
    rr, cc = rr.ravel(), cc.ravel()
    allowed = ok(row_first[rr], col_first[cc])
    rr, cc = rr[allowed], cc[allowed]
    if not len(rr):
        return []
    unit = cost(row_first[rr], col_first[cc]).astype(np.int64)
    # nodes: source 0, row classes 1.., column classes, sink
    source, sink = 0, 1 + n_rows + n_cols
    from ortools.graph.python import min_cost_flow  # a tenth of a second: when needed

    flow = min_cost_flow.SimpleMinCostFlow()
    row_sizes = np.array([len(m) for m in row_members], dtype=np.int64)
    col_sizes = np.array([len(m) for m in col_members], dtype=np.int64)
    tails = np.concatenate([np.zeros(n_rows, dtype=np.int64), 1 + rr,
                            1 + n_rows + np.arange(n_cols)])
    heads = np.concatenate([1 + np.arange(n_rows), 1 + n_rows + cc,
                            np.full(n_cols, sink, dtype=np.int64)])
    capacities = np.concatenate([row_sizes, np.minimum(row_sizes[rr], col_sizes[cc]),
                                 col_sizes])
    costs = np.concatenate([np.zeros(n_rows, dtype=np.int64), unit,
                            np.zeros(n_cols, dtype=np.int64)])
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    flow.set_node_supply(source, int(row_sizes.sum()))
    flow.set_node_supply(sink, -int(row_sizes.sum()))
    if flow.solve_max_flow_with_min_cost() != flow.OPTIMAL:
        return []
    pairs: list[tuple[int, int]] = []
    rows_left = [list(m) for m in row_members]
    cols_left = [list(m) for m in col_members]
    middle = np.arange(n_rows, n_rows + len(rr))
    for arc, r, c in zip(middle, rr, cc):
        f = flow.flow(int(arc))
        for _ in range(f):
            pairs.append((rows_left[r].pop(0), cols_left[c].pop(0)))
    return pairs


def _classes(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """(class of each item, first item of each class, items of each class)."""
    _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    inverse = inverse.ravel()
    order = np.argsort(inverse, kind="stable")
    bounds = np.cumsum(np.bincount(inverse, minlength=len(first)))[:-1]
    return inverse, first, np.split(order, bounds)
