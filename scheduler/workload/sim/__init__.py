"""A seeded discrete-event simulation of a multi-skill contact centre (docs/simulation.md):
Poisson arrivals per queue and slot, handle times and patience per queue, skill-based
routing to the longest-idle agent of the groups serving a queue (with overflow ranks and
queue priorities), breaks and shift ends respected; service level, ASA, abandonment and
occupancy per queue, group and slot, with 95% confidence intervals over independent runs.

    from scheduler.workload.sim import AgentGroup, Centre, SimQueue, simulate
    result = simulate(Centre(queues=[...], groups=[...], slot_minutes=30), runs=10, seed=1)
    result.by_queue()["service_level"].mean

Service level is "answered within T / offered" (`service_level`, the default) and also
"answered within T / (answered + abandoned after T)" (`service_level_cc`, ContactCenters');
measure.py defines every figure and its confidence interval.

Modules: model (inputs, validation), core (drawing contacts, the event loop), measure
(per-run totals, estimates and the service-level definitions), run (simulate, results),
cases (published cases: Koole's two queues, ContactCenters' SimpleMSK).
"""

from scheduler.workload.sim.measure import Estimate
from scheduler.workload.sim.model import AgentGroup, Busyness, Centre, Shift, SimQueue, validate
from scheduler.workload.sim.run import SimulationResult, simulate, simulate_run

__all__ = ["AgentGroup", "Busyness", "Centre", "Estimate", "Shift", "SimQueue",
           "SimulationResult", "simulate", "simulate_run", "validate"]
