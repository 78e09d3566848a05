"""Published multi-skill cases the simulation reproduces (tests and benchmarks/simulation.py;
the figures and their sources are in shared/benchmarks/multiskill/README.md and
docs/simulation.md).

* Koole, "Multi-skill arithmetics" (webinar, 16 April 2024): two queues, 5 calls a minute
  x 3 min and 4 calls a minute x 5 min, exponential patience of mean 5 min, goal 80%
  within 20 s counted over all offered calls; four staffings with published service
  levels. Koole's figures are steady-state ones: here a long stationary day, its first
  hour left out as warm-up.
* ContactCenters' `SimpleMSK` example (Universite de Montreal, umontreal-simul/
  contactcenters, doc/examples/SimpleMSK.java and .res, 1,000 simulated days): three
  types, two groups, three periods of 120 min, overflow of type 1 from group 0 to group 1,
  a Gamma(28.7, 28.7) daily busyness factor; its service level is ContactCenters'
  definition (answered within 20 s / answered + abandoned after 20 s).
"""

from __future__ import annotations

from scheduler.workload.sim.model import AgentGroup, Busyness, Centre, SimQueue

# ---------------------------------------------------------------- Koole

KOOLE_PUBLISHED: dict[str, tuple[float, ...]] = {
    # staffing -> published service level per queue (answered within 20 s / offered)
    "18 on queue 1": (0.84,),
    "23 on queue 2": (0.81,),
    "39 serve both": (0.85, 0.85),
    "13 + 18 + 8 serve both": (0.80, 0.82),
}
KOOLE_WARMUP_SLOTS = 1
"""Slots (hours) at the start of each run left out of the comparison: the centre starts
empty, Koole's figures are for the steady state."""


def koole_centre(staffing: str, hours: int = 24) -> Centre:
    """One of Koole's four staffings, stationary for `hours` one-hour slots. In the
    13 + 18 + 8 case the 8 cross-trained agents take a call only when no specialist of its
    queue is free (overflow rank 1), and a freed one takes the longest-waiting call of
    either queue."""
    if staffing not in KOOLE_PUBLISHED:
        raise KeyError(f"unknown Koole case {staffing!r}: {', '.join(KOOLE_PUBLISHED)}")

    def queue(name: str, per_minute: float, aht_minutes: float) -> SimQueue:
        return SimQueue(name, [per_minute * 60.0] * hours, aht_minutes * 60.0,
                        patience_seconds=300.0, service_level=0.8, answer_within_seconds=20.0)

    q1, q2 = queue("queue1", 5.0, 3.0), queue("queue2", 4.0, 5.0)

    def group(name, serves, n, **kw):
        return AgentGroup(name, serves, staffing=[n] * hours, **kw)

    if staffing == "18 on queue 1":
        queues, groups = [q1], [group("single1", ["queue1"], 18)]
    elif staffing == "23 on queue 2":
        queues, groups = [q2], [group("single2", ["queue2"], 23)]
    elif staffing == "39 serve both":
        queues, groups = [q1, q2], [group("both", ["queue1", "queue2"], 39)]
    else:
        queues, groups = [q1, q2], [
            group("single1", ["queue1"], 13), group("single2", ["queue2"], 18),
            group("both", ["queue1", "queue2"], 8, overflow_rank={"queue1": 1, "queue2": 1})]
    return Centre(queues, groups, slot_minutes=60.0)


# ---------------------------------------------------------------- ContactCenters SimpleMSK

SIMPLEMSK_PUBLISHED: dict[str, tuple[float, float, float]] = {
    # measure -> (mean, low, high) of the 95% interval over 1,000 days (SimpleMSK.res);
    # the service level is ContactCenters' definition (measure.py: service_level_cc)
    "served per day": (4297.305, 4270.150, 4324.460),
    "abandoned per day": (910.335, 876.133, 944.537),
    "service level": (0.501, 0.494, 0.509),
    "occupancy, group 0": (0.881, 0.877, 0.884),
}
SIMPLEMSK_GOOD_SL = (
    # served within 20 s per type (rows) and period (columns), published means
    (170.154, 599.334, 15.490),
    (262.936, 511.648, 34.697),
    (259.806, 613.732, 24.888),
)


def simple_msk() -> Centre:
    """SimpleMSK: rates per minute by type and period x 120 min = contacts per slot;
    handle and patience rates by period of arrival; group 0 serves types 0 and 1, group 1
    types 2 and 1 (type 1 overflows to group 1); the last period's agents stay until the
    centre is empty (ContactCenters' wrap-up period)."""
    period = 120.0
    rates = ((4.2, 5.3, 3.2), (5.1, 4.3, 4.8), (6.3, 5.2, 4.8))
    handle_rate = (0.5, 0.6, 0.4)        # per minute, by period
    abandon_rate = (0.3, 0.4, 0.2)
    aht = [60.0 / r for r in handle_rate]
    patience = [60.0 / r for r in abandon_rate]
    queues = [SimQueue(f"type{k}", [r * period for r in rates[k]], aht,
                       patience_seconds=patience, answer_within_seconds=20.0)
              for k in range(3)]
    groups = [
        AgentGroup("group0", ["type0", "type1"], staffing=[12, 18, 9]),
        AgentGroup("group1", ["type2", "type1"], staffing=[15, 20, 11],
                   overflow_rank={"type1": 1}),
    ]
    return Centre(queues, groups, slot_minutes=period, busyness=Busyness(28.7, 28.7))
