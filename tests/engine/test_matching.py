"""engine/matching.py: the class-wise min-cost flow places as many shifts as a dense
assignment would, at the same least cost."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from scheduler.engine.matching import match_by_class

FORBIDDEN = 10**6


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 25), st.integers(1, 25))
def test_class_matching_equals_the_dense_assignment(seed, n_rows, n_cols):
    rng = np.random.default_rng(seed)
    # few distinct values, so that classes have several members
    begins = rng.integers(0, 4, n_rows)
    ends = begins + rng.integers(1, 3, n_rows)
    prev = rng.integers(-2, 3, n_cols)
    weight = rng.integers(0, 3, n_cols)

    def ok(r, c):
        return begins[r] - prev[c] >= 1

    def cost(r, c):
        return ends[r] * weight[c]

    pairs = match_by_class(np.stack([begins, ends], axis=1), np.stack([prev, weight], axis=1),
                           ok, cost)
    rows, cols = zip(*pairs) if pairs else ((), ())
    assert len(set(rows)) == len(rows) and len(set(cols)) == len(cols)
    assert all(ok(np.array([r]), np.array([c]))[0] for r, c in pairs)
    r_all, c_all = np.meshgrid(np.arange(n_rows), np.arange(n_cols), indexing="ij")
    dense = np.where(ok(r_all, c_all), cost(r_all, c_all), FORBIDDEN)
    rr, cc = linear_sum_assignment(dense)
    real = dense[rr, cc] < FORBIDDEN
    assert len(pairs) == int(real.sum())  # as many placed
    assert sum(int(cost(np.array([r]), np.array([c]))[0]) for r, c in pairs) \
        == int(dense[rr, cc][real].sum())  # at the same cost


def test_nothing_to_match():
    keys = np.zeros((0, 2), dtype=np.int64)
    assert match_by_class(keys, np.ones((3, 2), dtype=np.int64), None, None) == []
