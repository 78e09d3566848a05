"""Koole's two-queue case (scheduler/workload/sim/cases.py, as tests/workload/
test_simulation.py simulates it; figures in ../shared/benchmarks/multiskill/README.md) as
a scenario: one stationary cyclic day of hourly slots, 8-hour shifts starting any hour,
one pool whose people serve both queues (or two dedicated pools)."""

from __future__ import annotations

from scheduler.workload.sim import cases


def koole_scenario(*, dedicated: bool = False, runs: int = 20, max_iterations: int = 6,
                   seed: int = 0, loop: bool = True, time_limit_seconds: float = 20) -> dict:
    centre = cases.koole_centre("39 serve both", hours=24)
    channels = [{"name": q.name, "kind": "voice", "volume": [float(v) for v in q.volume],
                 "aht_seconds": float(q.aht_seconds), "patience_seconds": q.patience_seconds,
                 "service_level": q.service_level,
                 "answer_within_seconds": q.answer_within_seconds} for q in centre.queues]
    names = [c["name"] for c in channels]
    pools = ([{"name": f"team-{q}", "shift_types": ["d8"], "serves": [q]} for q in names]
             if dedicated else [{"name": "both", "shift_types": ["d8"], "serves": names}])
    return {
        "name": "koole",
        "horizon": {"start_date": "2026-11-16", "days": 1, "slot_minutes": 60, "cyclic": True},
        "channels": channels,
        "shift_types": [{"name": "d8", "paid_hours": [8], "earliest_start": "00:00",
                         "latest_start": "23:00"}],
        "pools": pools,
        "objective": {"kind": "headcount"},
        "solver": {"time_limit_seconds": time_limit_seconds, "workers": 2,
                   "deterministic": True},
        "pooling": {"loop": loop, "max_iterations": max_iterations, "runs": runs,
                    "seed": seed},
    }
