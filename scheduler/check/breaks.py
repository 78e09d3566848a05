"""Break rules: every break inside a shift of its agent, each break the shift type asks
for at that length present once ("break_missing" for a missing or an extra one), in its
window ("break_window"), paid as the type says ("break_paid"), and no two breaks of a
shift overlapping ("break_overlap")."""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from scheduler import models
from scheduler.check.grid import MINUTES_TOL, Grid
from scheduler.check.report import Violation, fmt_moment
from scheduler.check.roster import BreakRecord, ShiftRecord


def applicable_breaks(stype: models.ShiftType, paid_minutes: int) -> list[models.Break]:
    """The breaks of `stype` a shift paid `paid_minutes` (besides overtime) must have."""
    return [b for b in stype.breaks if paid_minutes >= b.min_shift_hours * 60 - MINUTES_TOL]


def _offset_in_shift(br: BreakRecord, sh: ShiftRecord, grid: Grid) -> int | None:
    """Minutes from the shift start to the break start if the shift contains the break."""
    offset = br.s - sh.s
    if grid.cyclic:
        offset %= grid.length
    if offset >= 0 and br.e > br.s and offset + br.duration <= sh.e - sh.s:
        return offset
    return None


def assign_breaks(
    shifts: list[ShiftRecord], breaks: list[BreakRecord], grid: Grid, out: list[Violation]
) -> None:
    """Put every break into the first shift of its agent that contains it; "break_window"
    for a break inside none."""
    by_agent: dict[str, list[ShiftRecord]] = defaultdict(list)
    for sh in sorted(shifts, key=lambda x: x.ns):
        by_agent[sh.agent].append(sh)
    for br in breaks:
        for sh in by_agent.get(br.agent, []):
            offset = _offset_in_shift(br, sh, grid)
            if offset is not None:
                sh.breaks.append((br, offset))
                break
        else:
            out.append(
                Violation(
                    "break_window",
                    f"{br.where}: {br.agent}'s break {fmt_moment(br.start)} to "
                    f"{fmt_moment(br.end)} is not inside any shift of theirs",
                    br.agent,
                    br.start,
                )
            )


def _match_breaks(
    specs: list[models.Break], actual: list[tuple[BreakRecord, int]]
) -> list[tuple[int, int]]:
    """Pairs (spec index, actual index): most pairs of equal duration, then most in their
    window, then most with the right paid flag."""

    def score(j: int, i: int) -> int:
        spec, (br, offset) = specs[j], actual[i]
        if br.duration != spec.duration_minutes:
            return 0
        in_window = spec.earliest_start_minutes <= offset <= spec.latest_start_minutes
        return 10_000 + 100 * in_window + (br.paid == spec.paid)

    if len(actual) > 12:  # not a plausible roster; a greedy match is good enough
        pairs, used = [], set()
        for j in range(len(specs)):
            options = [(score(j, i), i) for i in range(len(actual)) if i not in used]
            best = max(options, default=(0, -1))
            if best[0]:
                pairs.append((j, best[1]))
                used.add(best[1])
        return pairs

    @lru_cache(maxsize=None)
    def best(j: int, mask: int) -> tuple[int, tuple[tuple[int, int], ...]]:
        if j == len(specs):
            return 0, ()
        result = best(j + 1, mask)
        for i in range(len(actual)):
            weight = score(j, i)
            if weight and not mask & (1 << i):
                sub, pairs = best(j + 1, mask | (1 << i))
                if sub + weight > result[0]:
                    result = (sub + weight, ((j, i), *pairs))
        return result

    return list(best(0, 0)[1])


def check_shift_breaks(sh: ShiftRecord, out: list[Violation]) -> None:
    """The breaks assigned to `sh` against those its type asks for."""
    _check_break_overlap(sh, out)
    if sh.stype is None:
        return
    specs = applicable_breaks(sh.stype, sh.contract)
    pairs = _match_breaks(specs, sh.breaks)
    matched_specs = {j for j, _ in pairs}
    matched_actual = {i for _, i in pairs}
    for j, spec in enumerate(specs):
        if j not in matched_specs:
            out.append(
                Violation(
                    "break_missing",
                    f"{sh.where}: {sh.label} has no {spec.name!r} break "
                    f"({spec.duration_minutes} min)",
                    sh.agent,
                    sh.start,
                )
            )
    for i, (br, _) in enumerate(sh.breaks):
        if i not in matched_actual:
            out.append(
                Violation(
                    "break_missing",
                    f"{br.where}: {sh.label} has an extra {br.duration}-min break "
                    f"{fmt_moment(br.start)} to {fmt_moment(br.end)}",
                    sh.agent,
                    br.start,
                )
            )
    for j, i in pairs:
        _check_break_window(sh, specs[j], *sh.breaks[i], out)
        _check_break_paid(sh, specs[j], sh.breaks[i][0], out)


def _check_break_window(
    sh: ShiftRecord, spec: models.Break, br: BreakRecord, offset: int, out: list[Violation]
) -> None:
    if not spec.earliest_start_minutes <= offset <= spec.latest_start_minutes:
        out.append(
            Violation(
                "break_window",
                f"{br.where}: {spec.name!r} break of {sh.label} starts {offset} min after the "
                f"shift start ({fmt_moment(br.start)}); allowed {spec.earliest_start_minutes}-"
                f"{spec.latest_start_minutes} min",
                sh.agent,
                br.start,
            )
        )


def _check_break_paid(
    sh: ShiftRecord, spec: models.Break, br: BreakRecord, out: list[Violation]
) -> None:
    if br.paid != spec.paid:
        out.append(
            Violation(
                "break_paid",
                f"{br.where}: {spec.name!r} break of {sh.label} at {fmt_moment(br.start)} is "
                f"marked {'paid' if br.paid else 'unpaid'}, the shift type says "
                f"{'paid' if spec.paid else 'unpaid'}",
                sh.agent,
                br.start,
            )
        )


def _check_break_overlap(sh: ShiftRecord, out: list[Violation]) -> None:
    ordered = sorted(sh.breaks, key=lambda item: item[1])
    for (prev, prev_off), (nxt, nxt_off) in zip(ordered, ordered[1:]):
        if nxt_off < prev_off + prev.duration:
            out.append(
                Violation(
                    "break_overlap",
                    f"{nxt.where}: in {sh.label} the break {fmt_moment(nxt.start)} to "
                    f"{fmt_moment(nxt.end)} overlaps the break {fmt_moment(prev.start)} to "
                    f"{fmt_moment(prev.end)}",
                    sh.agent,
                    nxt.start,
                )
            )
