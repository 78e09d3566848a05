"""Queueing formulas for staffing: Erlang C (M/M/n) and Erlang A (M/M/n+M), vectorised.

No solver code here: plain numpy/scipy on arrays of slots. Units are seconds and
contacts; `traffic` is offered load in Erlangs (arrival rate x handle time).

Numerical form. Everything is evaluated in log space from regularised incomplete gamma
functions, with a convergent series where those underflow, so that 10,000 Erlangs
neither overflow nor lose precision (the classic n!/A^n form overflows near 170):

* Erlang B:   1/B(n, A) = e^A A^-n n! P(Poisson(A) <= n).
* Erlang C:   C = n B / (n - A (1 - B)),  SL(T) = 1 - C exp(-(n - A) T / aht),
              ASA = C aht / (n - A),  occupancy = A / n  (n > A).
* Erlang A (Palm's M/M/n+M, exponential patience with mean `patience`): with
  x = n mu / theta = n patience / aht, y = lambda / theta = A patience / aht,
  tau = T theta = T / patience, and M(1, b, z) = sum_j z^j / (b)_j (Kummer's
  function), the queue part of the stationary distribution relative to state n sums to
  S = M(1, x+1, y); an arrival that finds j waiting is answered within T with
  probability x/(x+j+1) I(1-e^-tau; j+1, x+1), which sums over j in closed form to
  J(T) = x/(x+1) [M(1,x+2,y) - e^{-tau(x+1) + y(1-e^-tau)} M(1,x+2,y e^-tau)].
  With E1 = 1/B(n, A) - 1 (the states below n relative to state n):
  P(wait) = S / (E1 + S), SL = (E1 + J(T)) / (E1 + S), P(abandon) = 1 - (E1 + J(inf)) /
  (E1 + S), mean wait of all offered contacts = P(abandon) x patience (Little's law
  applied to the abandonment flow), occupancy = A (1 - P(abandon)) / n.

Service level means "answered within T seconds, as a share of all offered contacts"
(abandoned contacts count as not answered).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_TINY = 1e-280  # below this a regularised gamma value is replaced by its series
_SERIES_TOL = 1e-17
_SERIES_MAX_TERMS = 200_000


@dataclass(frozen=True)
class Metrics:
    """Per-slot figures for a given number of servers (arrays of one shape)."""

    service_level: np.ndarray
    asa_seconds: np.ndarray
    occupancy: np.ndarray
    abandon_rate: np.ndarray
    wait_probability: np.ndarray


# ---------------------------------------------------------------- building blocks


def _as_float(*arrays):
    return np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in arrays))


def log_inverse_erlang_b(n, traffic) -> np.ndarray:
    """log(1/B(n, A)) for integer n >= 0 and A > 0 (stable for any size)."""
    n, a = _as_float(n, traffic)
    out = np.empty(n.shape)
    from scipy import special  # imported when first needed: a quarter of a second

    cdf = special.pdtr(n, a)
    direct = cdf > _TINY
    nd, ad = n[direct], a[direct]
    out[direct] = ad - nd * np.log(ad) + special.gammaln(nd + 1) + np.log(cdf[direct])
    rest = ~direct
    if rest.any():  # n well below A: 1/B = sum_i n!/((n-i)! A^i), terms shrink fast
        out[rest] = np.log1p(_falling_series(n[rest], a[rest]))
    return out


def _falling_series(n, a):
    """sum_{i>=1} prod_{m<i} (n-m)/A, for n < A (each ratio below 1)."""
    total = np.zeros(n.shape)
    term = np.ones(n.shape)
    for m in range(_SERIES_MAX_TERMS):
        term = term * np.clip(n - m, 0, None) / a
        total += term
        if not np.any(term > _SERIES_TOL * total):
            break
    return total


def log_erlang_b(n, traffic) -> np.ndarray:
    return -log_inverse_erlang_b(n, traffic)


def log_kummer1(b, z) -> np.ndarray:
    """log M(1, b, z) = log sum_{j>=0} z^j / (b (b+1) ... (b+j-1)) for b > 1, z > 0."""
    b, z = _as_float(b, z)
    out = np.empty(b.shape)
    from scipy import special

    p = special.gammainc(b - 1, z)
    direct = p > _TINY
    bd, zd = b[direct], z[direct]
    out[direct] = zd + (1 - bd) * np.log(zd) + special.gammaln(bd) + np.log(p[direct])
    rest = ~direct
    if rest.any():  # z well below b: the series converges geometrically
        br, zr = b[rest], z[rest]
        total = np.ones(br.shape)
        term = np.ones(br.shape)
        for j in range(_SERIES_MAX_TERMS):
            term = term * zr / (br + j)
            total += term
            if not np.any(term > _SERIES_TOL * total):
                break
        out[rest] = np.log(total)
    return out


# ---------------------------------------------------------------- Erlang C


def erlang_c(servers, traffic, aht_seconds, answer_within_seconds=0.0) -> Metrics:
    """Erlang C figures; unstable slots (servers <= traffic) get SL 0, ASA inf."""
    n, a, aht, t = _as_float(servers, traffic, aht_seconds, answer_within_seconds)
    sl = np.zeros(n.shape)
    asa = np.full(n.shape, np.inf)
    occ = np.ones(n.shape)
    pw = np.ones(n.shape)
    idle = a <= 0
    sl[idle], asa[idle], occ[idle], pw[idle] = 1.0, 0.0, 0.0, 0.0
    ok = (n > a) & ~idle
    if ok.any():
        nn, aa, hh, tt = n[ok], a[ok], aht[ok], t[ok]
        b = np.exp(log_erlang_b(nn, aa))
        c = nn * b / (nn - aa * (1 - b))
        pw[ok] = c
        sl[ok] = 1 - c * np.exp(-(nn - aa) * tt / hh)
        asa[ok] = c * hh / (nn - aa)
        occ[ok] = aa / nn
    return Metrics(sl, asa, occ, np.zeros(n.shape), pw)


# ---------------------------------------------------------------- Erlang A


def erlang_a(servers, traffic, aht_seconds, patience_seconds, answer_within_seconds=0.0) -> Metrics:
    """Erlang A (M/M/n+M) figures; any servers >= 1 is stable."""
    n, a, aht, pat, t = _as_float(servers, traffic, aht_seconds, patience_seconds,
                                  answer_within_seconds)
    shape = n.shape
    sl = np.zeros(shape)
    asa = np.zeros(shape)
    occ = np.zeros(shape)
    ab = np.ones(shape)
    pw = np.ones(shape)
    idle = a <= 0
    sl[idle], pw[idle], ab[idle] = 1.0, 0.0, 0.0
    none = (n < 1) & ~idle  # nobody answers: every contact abandons after its patience
    asa[none] = pat[none]
    ok = (n >= 1) & ~idle
    if ok.any():
        nn, aa, hh, pp, tt = n[ok], a[ok], aht[ok], pat[ok], t[ok]
        x = nn * pp / hh          # n mu / theta
        y = aa * pp / hh          # lambda / theta
        tau = tt / pp             # T theta
        inv_b = log_inverse_erlang_b(nn, aa)
        l_e1 = inv_b + np.log(-np.expm1(-inv_b))          # log(1/B - 1)
        l_e1 = np.where(nn > 0, l_e1, -np.inf)
        l_s = log_kummer1(x + 1, y)
        l_m2 = log_kummer1(x + 2, y)
        shrink = np.exp(-tau)
        l_t2 = -tau * (x + 1) + y * (-np.expm1(-tau)) + log_kummer1(x + 2, y * shrink)
        with np.errstate(divide="ignore"):
            l_j = np.log(x / (x + 1)) + l_m2 + np.log1p(-np.minimum(np.exp(l_t2 - l_m2), 1.0))
        l_j1 = np.log(x / (x + 1)) + l_m2
        l_z = np.logaddexp(l_e1, l_s)
        sl[ok] = np.exp(np.logaddexp(l_e1, l_j) - l_z)
        served = np.logaddexp(l_e1, l_j1) - l_z
        p_ab = np.clip(-np.expm1(served), 0.0, 1.0)
        ab[ok] = p_ab
        pw[ok] = np.exp(l_s - l_z)
        asa[ok] = p_ab * pp
        occ[ok] = aa * (1 - p_ab) / nn
    return Metrics(sl, asa, occ, ab, pw)


# ---------------------------------------------------------------- the fewest servers


@dataclass(frozen=True)
class Goal:
    """What every slot must meet (arrays broadcast against the slots)."""

    service_level: np.ndarray | float = 0.0
    answer_within_seconds: np.ndarray | float = 0.0
    asa_seconds: np.ndarray | float = np.inf
    max_occupancy: np.ndarray | float = 1.0
    max_abandon_rate: np.ndarray | float = 1.0


def metrics(servers, traffic, aht_seconds, answer_within_seconds, patience_seconds=None) -> Metrics:
    if patience_seconds is None:
        return erlang_c(servers, traffic, aht_seconds, answer_within_seconds)
    return erlang_a(servers, traffic, aht_seconds, patience_seconds, answer_within_seconds)


def _meets(m: Metrics, goal_sl, goal_asa, goal_occ, goal_ab) -> np.ndarray:
    eps = 1e-12
    return (
        (m.service_level >= goal_sl - eps)
        & (m.asa_seconds <= goal_asa + eps)
        & (m.occupancy <= goal_occ + eps)
        & (m.abandon_rate <= goal_ab + eps)
    )


class Unreachable(ValueError):
    """No finite number of servers meets the goal in the slots listed."""

    def __init__(self, slots: np.ndarray, reason: str):
        self.slots = slots
        self.reason = reason
        super().__init__(reason)


def fewest_servers(
    traffic,
    aht_seconds,
    goal: Goal,
    patience_seconds=None,
    servers_per_agent: float = 1.0,
    max_agents: int | None = None,
) -> np.ndarray:
    """The fewest agents per slot whose floor(agents x servers_per_agent) servers meet the
    goal (service level within T, ASA, occupancy, abandonment), by a vectorised
    bisection (every figure is monotone in the servers). Slots without traffic need 0.

    Raises Unreachable naming the slots that no finite staffing can serve."""
    a, aht, t, sl_g, asa_g, occ_g, ab_g = _as_float(
        traffic, aht_seconds, goal.answer_within_seconds, goal.service_level,
        goal.asa_seconds, goal.max_occupancy, goal.max_abandon_rate)
    pat = None if patience_seconds is None else _as_float(patience_seconds, a)[0]
    c = float(servers_per_agent)
    result = np.zeros(a.shape, dtype=np.int64)
    busy = a > 0
    if not busy.any():
        return result
    # Targets that only infinitely many servers reach: every contact answered at once,
    # or (with patience) nobody ever abandoning.
    impossible = busy & (sl_g >= 1.0) & (t <= 0)
    if pat is None:
        impossible |= busy & (sl_g >= 1.0)  # 1 - C e^{-(n-A)T/aht} < 1 for every n
        impossible |= busy & (asa_g <= 0)
    else:
        impossible |= busy & ((ab_g <= 0) | (sl_g >= 1.0) | (asa_g <= 0))
    if impossible.any():
        raise Unreachable(np.flatnonzero(impossible), "a target of 100% (or zero wait or "
                          "abandonment) that no finite staffing meets")

    idx = np.flatnonzero(busy)
    aa = a[idx]

    def ok(agents, sel):
        servers = np.floor(agents * c + 1e-9)
        m = metrics(servers, aa[sel], aht[idx][sel], t[idx][sel],
                    None if pat is None else pat[idx][sel])
        return _meets(m, sl_g[idx][sel], asa_g[idx][sel], occ_g[idx][sel], ab_g[idx][sel])

    # Lower bound: occupancy (A / servers for Erlang C) and stability need servers > A.
    if pat is None:
        lo = np.maximum(np.floor(aa) + 1, np.ceil(aa / occ_g[idx] - 1e-9))
        lo = np.ceil(lo / c - 1e-9)
    else:
        lo = np.ones(aa.shape)
    hi = np.maximum(lo, np.ceil((aa + 3 * np.sqrt(aa) + 2) / c))
    cap = max_agents if max_agents is not None else None
    limit = np.ceil((10 * aa + 100 * np.sqrt(aa) + 1000) / c) if cap is None else np.full(aa.shape, cap)
    everything = np.arange(len(idx))
    pending = everything
    while pending.size:
        good = ok(hi[pending], pending)
        pending = pending[~good]
        if not pending.size:
            break
        over = hi[pending] >= limit[pending]
        if over.any():
            raise Unreachable(idx[pending[over]], "the service goal is not met by any staffing "
                              f"up to {int(limit[pending[over]].max()):,} agents")
        lo[pending] = hi[pending] + 1
        hi[pending] = np.minimum(limit[pending], hi[pending] * 2)
    # bisection between lo (maybe enough) and hi (enough)
    active = everything[lo < hi]
    while active.size:
        mid = np.floor((lo[active] + hi[active]) / 2)
        good = ok(mid, active)
        hi[active] = np.where(good, mid, hi[active])
        lo[active] = np.where(good, lo[active], mid + 1)
        active = active[lo[active] < hi[active]]
    result[idx] = hi.astype(np.int64)
    return result


def gross_up(agents, shrinkage) -> np.ndarray:
    """Agents to schedule so that agents x (1 - shrinkage) remain on the phones."""
    agents, s = _as_float(agents, shrinkage)
    return np.ceil(agents / (1.0 - s) - 1e-9).astype(np.int64)


def combined_shrinkage(components) -> float:
    """1 - prod(1 - s): absences, training, meetings, ... taken one after another."""
    keep = 1.0
    for s in components:
        keep *= 1.0 - float(s)
    return 1.0 - keep
