"""What the workbook, the HTML report, the calendars and the CSV exports share: the
roster arranged per agent and day, weekly paid hours, the scenario's time zone and a
colour per shift type.

Result times are wall-clock times in the scenario's time zone (naive datetimes); they are
turned into aware ones here, once, for exports that must say where they are."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cached_property
from zoneinfo import ZoneInfo

from scheduler.i18n import Translator
from scheduler.models import Result, Scenario

# Colour-blind-friendly fills (Okabe-Ito, lightened) cycled over the shift types.
PALETTE = (
    "#9CC9E8", "#F5C97A", "#8FD3B6", "#E8A0C4", "#C6B2E0", "#F0E68C", "#A7C7A0", "#E6A57E",
    "#B0C4DE", "#D9B99B",
)
SHORT_COLOUR = "#D62728"
REQUIRED_COLOUR = "#333333"
SCHEDULED_COLOUR = "#1F77B4"


def pool_of(record: object) -> str:
    """The shift's pool, blank when the result has no pools."""
    return getattr(record, "pool", None) or ""


def overtime_minutes_of(record: object) -> int:
    return int(getattr(record, "overtime_minutes", 0) or 0)


@dataclass
class ReportData:
    """A result with the context needed to present it."""

    result: Result
    start_date: dt.date
    days: int
    scenario: Scenario | None = None
    simulation: list[dict] | None = None
    """simulation.csv's rows when the folder has one (report/simulation_view.py)."""
    t: Translator = field(default_factory=Translator)
    """The language of every text shown (English unless given)."""

    # ------------------------------------------------------------ time zone

    @property
    def time_zone(self) -> str | None:
        return self.scenario.horizon.time_zone if self.scenario is not None else None

    @cached_property
    def zone(self) -> ZoneInfo | None:
        return ZoneInfo(self.time_zone) if self.time_zone else None

    def aware(self, value: dt.datetime) -> dt.datetime:
        """The wall-clock time in the scenario's zone (naive when no scenario is known)."""
        return value.replace(tzinfo=self.zone) if self.zone is not None else value

    def utc(self, value: dt.datetime) -> dt.datetime:
        if self.zone is None:
            raise ValueError("no time zone: the scenario is not known")
        return value.replace(tzinfo=self.zone).astimezone(dt.timezone.utc)

    # ------------------------------------------------------------ roster shape

    @cached_property
    def dates(self) -> list[dt.date]:
        """Roster days shown: the horizon, with the day before when a shift of that day
        reaches into the horizon."""
        dates = [self.start_date + dt.timedelta(days=i) for i in range(self.days)]
        first = min((self.day_of(s) for s in self.result.shifts), default=self.start_date)
        if first < self.start_date:
            dates = [self.start_date - dt.timedelta(days=1)] + dates
        return dates

    @staticmethod
    def day_of(shift) -> dt.date:
        return shift.day or shift.start.date()

    @cached_property
    def agents(self) -> list[str]:
        return sorted({s.agent for s in self.result.shifts}, key=_natural)

    @cached_property
    def shift_types(self) -> list[str]:
        names = [t.name for t in self.scenario.shift_types] if self.scenario is not None else []
        for s in self.result.shifts:
            if s.shift_type not in names:
                names.append(s.shift_type)
        return names

    @cached_property
    def colour_of(self) -> dict[str, str]:
        return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(self.shift_types)}

    @cached_property
    def pool_of_agent(self) -> dict[str, str]:
        pools: dict[str, set[str]] = {}
        for s in self.result.shifts:
            p = pool_of(s)
            if p:
                pools.setdefault(s.agent, set()).add(p)
        return {a: ", ".join(sorted(p)) for a, p in pools.items()}

    @property
    def weeks(self) -> int:
        """7-day blocks from the start date (the last may be shorter)."""
        return -(-self.days // 7)

    def week_of(self, day: dt.date) -> int:
        """The 7-day block a roster day counts in; the day before the start counts in the
        first (it is the only day outside the horizon a shift may belong to)."""
        return max(0, min(self.weeks - 1, (day - self.start_date).days // 7))

    @cached_property
    def weekly_paid_minutes(self) -> dict[str, list[int]]:
        out = {a: [0] * self.weeks for a in self.agents}
        for s in self.result.shifts:
            out[s.agent][self.week_of(self.day_of(s))] += s.paid_minutes
        return out

    @cached_property
    def breaks_by_agent(self) -> dict[str, list]:
        out: dict[str, list] = {}
        for b in self.result.breaks:
            out.setdefault(b.agent, []).append(b)
        for items in out.values():
            items.sort(key=lambda b: b.start)
        return out

    @cached_property
    def _break_starts(self) -> dict[str, list[dt.datetime]]:
        return {a: [b.start for b in items] for a, items in self.breaks_by_agent.items()}

    @cached_property
    def _breaks_of_shift(self) -> dict[int, tuple]:
        return {}

    def breaks_in(self, shift) -> list:
        """The agent's breaks wholly inside the shift, by start. Found by bisecting the
        agent's breaks (sorted by start) and kept per shift object: the workbook, the
        report, the calendars and activities.csv all ask for every shift's breaks."""
        known = self._breaks_of_shift.get(id(shift))
        if known is not None and known[0] is shift:
            return known[1]
        items = self.breaks_by_agent.get(shift.agent, ())
        found = []
        if items:
            starts = self._break_starts[shift.agent]
            end = shift.end
            for i in range(bisect_left(starts, shift.start), len(items)):
                b = items[i]
                if b.start > end:
                    break
                if b.end <= end:
                    found.append(b)
        self._breaks_of_shift[id(shift)] = (shift, found)
        return found

    # ------------------------------------------------------------ coverage

    @cached_property
    def slot_minutes(self) -> int:
        if self.scenario is not None:
            return self.scenario.horizon.slot_minutes
        cov = self.result.coverage
        if len(cov) >= 2:
            return int((cov[1].start - cov[0].start).total_seconds() // 60)
        return 30

    @cached_property
    def kpis(self) -> list[tuple[str, str]]:
        """(label, value) pairs for the summary cards and sheet, in the translator's
        language and number forms."""
        t = self.t
        s = self.result.summary
        cov = self.result.coverage
        slots = len(cov)
        met = sum(1 for c in cov if c.scheduled >= c.required)
        required_hours = sum(c.required for c in cov) * self.slot_minutes / 60
        on_duty_hours = sum(c.scheduled for c in cov) * self.slot_minutes / 60
        paid = sum(x.paid_minutes for x in self.result.shifts) / 60

        def n(value) -> str:
            return "-" if value is None else t.number(value)

        covered = t("{met} of {slots}", met=t.number(met), slots=t.number(slots))
        if slots:
            covered += f" ({t.percent(met / slots)})"
        rows = [
            (t("Status"), t(s.status)),
            (t("Headcount"), n(s.headcount)),
            (t("Lower bound"), n(s.headcount_lower_bound)),
            (t("Gap"), t.percent(s.headcount_gap) if s.headcount_gap is not None else "-"),
            (t("Paid hours"), t.number(paid, 1)),
            (t("Shifts"), t.number(len(self.result.shifts))),
            (t("Slots fully covered"), covered),
            (t("Short agent-slots"), t.number(s.short_agent_slots)),
            (t("Over agent-slots"), t.number(s.over_agent_slots)),
            (t("Required agent-hours"), t.number(required_hours, 1)),
            (t("On-duty agent-hours"), t.number(on_duty_hours, 1)),
            (t("Utilisation (required / on duty)"),
             t.percent(required_hours / on_duty_hours) if on_duty_hours else "-"),
        ]
        overtime = sum(overtime_minutes_of(x) for x in self.result.shifts)
        if overtime:
            rows.append((t("Overtime hours"), t.number(overtime / 60, 1)))
        cost = getattr(s, "cost", None)
        if cost is not None:
            rows.append((t("Cost"), t.number(cost, 2)))
        return rows


def _natural(name: str) -> tuple:
    """Sort A2 before A10."""
    import re

    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name))


def hhmm(value: dt.datetime) -> str:
    """"08:30" (the same text as strftime's %H:%M, a few times faster)."""
    return f"{value.hour:02d}:{value.minute:02d}"


def base_config() -> dict:
    """The look shared by the report's Vega-Lite charts: fonts with CJK glyphs."""
    font = 'system-ui, "Noto Sans", "Noto Sans CJK SC", sans-serif'
    return {"font": font, "view": {"stroke": None}, "axis": {"labelFontSize": 11},
            "legend": {"labelFontSize": 12}}


def answer_text(summary, t) -> tuple[str, bool]:
    """The answer sentence in the translator's language, from its phrases; a summary
    written before phrases existed gives its English sentence. Returns (text, whether it
    is in t's language)."""
    phrases = getattr(summary, "answer_phrases", None) or []
    if phrases:
        return t.sentence(phrases), True
    return getattr(summary, "answer", "") or "", t.lang == "en"


def as_sentence(text: str, lang: str) -> str:
    """A phrase list made a sentence: capitalised and closed ('.' or '。')."""
    if not text:
        return text
    return text + "。" if lang == "zh" else text[0].upper() + text[1:] + "."

