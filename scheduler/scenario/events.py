"""Promotion events as factors on the baseline: per slot, the product of the day
multipliers and within-day peaks of the events that apply."""

from __future__ import annotations

import datetime as dt

from scheduler.models import Scenario, parse_hhmm


def event_factors(scenario: Scenario, channel: str | None) -> list[float]:
    """Factors per slot for the demand (`channel` None: events not limited to channels)
    or for one channel's volume (events for all demand or naming that channel)."""
    horizon = scenario.horizon
    slot = horizon.slot_minutes
    per_day = horizon.slots_per_day
    factors = [1.0] * horizon.num_slots
    for event in scenario.events:
        if event.channels is not None and (channel is None or channel not in event.channels):
            continue
        for s in range(horizon.num_slots):
            day = horizon.start_date + dt.timedelta(days=s // per_day)
            factors[s] *= event.day_multiplier(day)
        for peak in event.peaks:
            day0 = (peak.date - horizon.start_date).days * per_day
            first = day0 + parse_hhmm(peak.start) // slot
            last = day0 + -(-parse_hhmm(peak.end) // slot)
            for s in range(max(first, 0), min(last, horizon.num_slots)):
                factors[s] *= peak.multiplier
    return factors
