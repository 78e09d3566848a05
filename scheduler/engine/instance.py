"""The scenario turned into integer data the formulations share: the slot grid, the shift
options (type x start x paid length x break placement) and the rule limits in slots."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import datetime as dt

from scheduler.models import LabourRules, Pool, Scenario, ShiftType
from scheduler.workload.loaded import LoadedScenario


@dataclass(frozen=True)
class ShiftOption:
    """One way to work a shift on some day: a start, a paid length and break placements."""

    type_index: int
    type_name: str
    start_minute: int
    """Minutes from 00:00 of the shift's day; may pass 1440 for a start after midnight."""
    paid_minutes: int
    length_minutes: int
    """Time on site: paid minutes plus unpaid breaks."""
    breaks: tuple[tuple[int, int, bool], ...]
    """(minutes after the shift start, duration minutes, paid) for each break."""
    cost_cents: int
    """Cost of the shift in hundredths, overtime at the plain rate (see Instance.cost_cents)."""
    overtime_minutes: int = 0
    """Paid minutes past the shift's contract length (included in paid_minutes)."""

    @property
    def contract_minutes(self) -> int:
        """Paid minutes that count against the weekly limits."""
        return self.paid_minutes - self.overtime_minutes

    @property
    def end_minute(self) -> int:
        return self.start_minute + self.length_minutes

    @property
    def shape(self) -> tuple[int, int, int, int, int]:
        """What the labour rules see: type, start, contract minutes, on-site length and
        overtime minutes (not breaks)."""
        return (self.type_index, self.start_minute, self.contract_minutes, self.length_minutes,
                self.overtime_minutes)

    def on_duty_slots(self, slot_minutes: int) -> list[int]:
        """Slots (relative to the shift day's 00:00) on duty and not on break."""
        first = self.start_minute // slot_minutes
        count = self.length_minutes // slot_minutes
        off: set[int] = set()
        for offset, duration, _ in self.breaks:
            b0 = (self.start_minute + offset) // slot_minutes
            off.update(range(b0, b0 + duration // slot_minutes))
        return [s for s in range(first, first + count) if s not in off]


def _break_placements(shift: ShiftType, paid_minutes: int, slot: int) -> list[tuple]:
    applying = sorted(shift.breaks_for(paid_minutes), key=lambda b: b.earliest_start_minutes)
    length = paid_minutes + sum(b.duration_minutes for b in applying if not b.paid)
    placements: list[tuple] = []

    def place(i: int, chosen: tuple) -> None:
        if i == len(applying):
            placements.append(chosen)
            return
        br = applying[i]
        for offset in range(br.earliest_start_minutes, br.latest_start_minutes + 1, slot):
            end = offset + br.duration_minutes
            if end > length:
                break
            if any(offset < o + d and o < end for o, d, _ in chosen):
                continue
            place(i + 1, chosen + ((offset, br.duration_minutes, br.paid),))

    place(0, ())
    return placements


def shift_starts(shift: ShiftType, slot: int) -> list[int]:
    step = shift.start_step_minutes or slot
    first = -(-shift.earliest_start_minute // slot) * slot
    return list(range(first, shift.latest_start_minute + 1, step))


def build_options(scenario: Scenario, pool: Pool | None = None) -> tuple[list[ShiftOption], list[str]]:
    """All shift options (of the pool's shift types, with its overtime extensions), and
    notes on shift lengths removed by the rules."""
    slot = scenario.horizon.slot_minutes
    rules = scenario.rules_for(pool)
    max_daily = rules.max_daily_paid_hours
    extensions = [0]
    if pool is not None and pool.overtime:
        ot = scenario.overtime
        step = ot.step_minutes
        extensions += list(range(step, round(ot.max_daily_hours * 60) + 1, step))
    options: list[ShiftOption] = []
    notes: list[str] = []
    for t, shift in enumerate(scenario.shift_types):
        if pool is not None and shift.name not in pool.shift_types:
            continue
        if pool is not None and pool.cost_per_paid_hour is not None:
            shift = shift.model_copy(update={"cost_per_paid_hour": pool.cost_per_paid_hour})
        for hours in shift.paid_hours:
            paid = round(hours * 60)
            if max_daily is not None and paid > round(max_daily * 60):
                notes.append(
                    f"shift type {shift.name!r}: {hours:g} h shifts exceed "
                    f"max_daily_paid_hours {max_daily:g} and are not used"
                )
                continue
            for placement in _break_placements(shift, paid, slot):
                length = paid + sum(d for _, d, p in placement if not p)
                for start in shift_starts(shift, slot):
                    for extra in extensions:
                        # overtime extends the end of the shift, paid at the shift's rate
                        # (the premium depends on the date: Instance.cost_cents)
                        options.append(ShiftOption(
                            t, shift.name, start, paid + extra, length + extra, placement,
                            round(shift.cost_per_paid_hour * 100 * (paid + extra) / 60), extra,
                        ))
    return options, notes


@dataclass
class Instance:
    """Integer view of a loaded scenario."""

    loaded: LoadedScenario
    pool_index: int | None = None
    """The staff pool this view is restricted to (None: the scenario without pools)."""

    @property
    def scenario(self) -> Scenario:
        return self.loaded.scenario

    @property
    def pool(self) -> Pool | None:
        return None if self.pool_index is None else self.scenario.pools[self.pool_index]

    @cached_property
    def rules(self) -> LabourRules:
        return self.scenario.rules_for(self.pool)

    @property
    def pool_name(self) -> str | None:
        return None if self.pool is None else self.pool.name

    @property
    def max_headcount(self) -> int | None:
        return self.rules.max_headcount if self.pool is None else self.pool.max_headcount

    def pool_views(self) -> list[Instance]:
        """One view per staff pool (the scenario itself when it has none)."""
        if not self.scenario.pools:
            return [self]
        return [Instance(self.loaded, i) for i in range(len(self.scenario.pools))]

    def date(self, day: int) -> dt.date:
        return self.scenario.horizon.start_date + dt.timedelta(days=day)

    def premium(self, day: int) -> float:
        """Overtime pay factor for a shift of this day."""
        ot = self.scenario.overtime
        date = self.date(day)
        if date in self.scenario.holidays:
            return ot.holiday_premium
        if date.isoweekday() in ot.rest_weekdays:
            return ot.rest_day_premium
        return ot.workday_premium

    def cost_cents(self, day: int, k: int) -> int:
        """Cost of option k worked on `day`, in hundredths: contract minutes at the rate,
        overtime minutes at the rate times the day's premium."""
        o = self.options[k]
        if not o.overtime_minutes:
            return o.cost_cents
        rate = o.cost_cents / o.paid_minutes  # hundredths per minute
        return round(rate * (o.contract_minutes + o.overtime_minutes * self.premium(day)))

    def month_blocks(self) -> list[list[int]]:
        """Shift days grouped by calendar month (a lead-in day -1 joins its own month)."""
        months: dict[tuple[int, int], list[int]] = {}
        for d in self.shift_days:
            date = self.date(d)
            months.setdefault((date.year, date.month), []).append(d)
        return [days for _, days in sorted(months.items())]

    def overtime_extensions(self) -> list[int]:
        """Overtime minutes a shift of this pool may be extended by (none without)."""
        if self.pool is None or not self.pool.overtime:
            return []
        ot = self.scenario.overtime
        return list(range(ot.step_minutes, round(ot.max_daily_hours * 60) + 1, ot.step_minutes))

    @cached_property
    def _extended_index(self) -> dict[tuple, int]:
        return {(o.type_index, o.start_minute, o.contract_minutes, o.breaks, o.overtime_minutes): k
                for k, o in enumerate(self.options)}

    def extended(self, k: int, extra: int) -> int:
        """The option that is option k extended by `extra` overtime minutes."""
        o = self.options[k]
        return self._extended_index[(o.type_index, o.start_minute, o.contract_minutes,
                                     o.breaks, o.overtime_minutes + extra)]

    def covered_minutes(self, day: int, begin: int, end: int) -> list[int]:
        """Horizon slots in [begin, end) minutes from the day's 00:00 (wrapping when
        cyclic)."""
        return self.on_horizon(day, range(begin // self.slot, end // self.slot))

    @property
    def max_monthly_overtime_minutes(self) -> int | None:
        if self.pool is None or not self.pool.overtime:
            return None
        return round(self.scenario.overtime.max_monthly_hours * 60)

    @property
    def slot(self) -> int:
        return self.scenario.horizon.slot_minutes

    @property
    def days(self) -> int:
        return self.scenario.horizon.days

    @property
    def cyclic(self) -> bool:
        return self.scenario.horizon.cyclic

    @property
    def slots_per_day(self) -> int:
        return 1440 // self.slot

    @property
    def num_slots(self) -> int:
        return self.days * self.slots_per_day

    @property
    def required(self) -> tuple[int, ...]:
        return self.loaded.required

    @cached_property
    def _options(self) -> tuple[list[ShiftOption], list[str]]:
        return build_options(self.scenario, self.pool)

    @property
    def options(self) -> list[ShiftOption]:
        return self._options[0]

    @property
    def option_notes(self) -> list[str]:
        return self._options[1]

    @cached_property
    def first_day(self) -> int:
        """-1 when a non-cyclic horizon lets overnight shifts of the day before reach in."""
        if self.cyclic:
            return 0
        return -1 if any(o.end_minute > 1440 for o in self.options) else 0

    @property
    def shift_days(self) -> range:
        return range(self.first_day, self.days)

    def covered(self, day: int, option: ShiftOption) -> list[int]:
        """Horizon slots the option, worked on `day`, covers (wrapping when cyclic)."""
        return self.on_horizon(day, option.on_duty_slots(self.slot))

    def on_horizon(self, day: int, relative) -> list[int]:
        """Slots relative to the day's 00:00 as horizon slots: wrapped when cyclic,
        dropped outside the horizon otherwise."""
        base = day * self.slots_per_day
        n = self.num_slots  # a property: read once, not once a slot
        if self.cyclic:
            return [(base + rel) % n for rel in relative]
        return [base + rel for rel in relative if 0 <= base + rel < n]

    @cached_property
    def instances(self) -> list[tuple[int, int]]:
        """(day, option index) pairs that cover at least one horizon slot."""
        pairs = []
        pool = self.pool
        for d in self.shift_days:
            if pool is not None and not pool.available(self.date(d)):
                continue
            for k, option in enumerate(self.options):
                if d < 0 and option.end_minute <= 1440:
                    continue
                pairs.append((d, k))
        return pairs

    def week_blocks(self) -> list[tuple[list[int], int]]:
        """(shift days, horizon days) of each 7-day block from the horizon start; a lead-in
        day -1 belongs to block 0."""
        blocks: dict[int, list[int]] = {}
        for d in self.shift_days:
            blocks.setdefault(max(d, 0) // 7, []).append(d)
        out = []
        for b, days in sorted(blocks.items()):
            horizon_days = sum(1 for d in days if d >= 0)
            out.append((days, horizon_days))
        return out

    def day_windows(self, length: int) -> list[list[int]]:
        """Every run of `length` consecutive shift days (wrapping when cyclic)."""
        days = list(self.shift_days)
        if self.cyclic:
            if length > len(days):
                return [[d % self.days for d in range(start, start + length)] for start in days]
            return [[(start + i) % self.days for i in range(length)] for start in days]
        if length >= len(days):
            return [days]
        return [days[i : i + length] for i in range(len(days) - length + 1)]

    def max_weekly_paid_minutes(self, horizon_days: int) -> int | None:
        rule = self.rules.max_weekly_paid_hours
        if rule is None:
            return None
        return int(rule * 60 * min(horizon_days, 7) // 7)

    def min_weekly_paid_minutes(self, horizon_days: int) -> int:
        if horizon_days < 7:
            return 0
        return round(self.rules.min_weekly_paid_hours * 60)
