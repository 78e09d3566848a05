"""Coverage per queue, for scenarios whose pools serve only some queues or handle some
faster (`Scenario.splits_queues`; issue 16, docs/skills.md): per slot, can the people of
each pool on duty cover every queue's requirement and the scenario's own demand (the
transportation LP of check/transport.py)? "queue_coverage" names the queue, the slot and
the shortfall, unless the scenario allows understaffing (then the CheckReport counts the
short agent-slots per queue). Also the per-queue columns of the solver's coverage.csv
(`<q>_required`, `<q>_allocated`) against the roster ("coverage_file_mismatch").

After the staffing loop (docs/skills.md#the-staffing-loop) coverage.csv records each
queue's Erlang requirement (`<q>_erlang_required`) beside the loop's adjusted one
(`<q>_required`): the checker then verifies coverage of the adjusted requirement (the one
the roster claims; `adjusted_requirement` reads it), that the Erlang column is the
scenario's, and that no adjusted figure lies below the queue's load floor."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from scheduler import models
from scheduler.check.files import CheckFileError, parse_datetime, read_csv_rows
from scheduler.check.grid import Grid
from scheduler.check.report import QueueCoverage, Violation, fmt_moment
from scheduler.check.roster import BreakRecord, ShiftRecord
from scheduler.check.transport import Skills, shortfalls

ALLOCATED_TOL = 0.01
"""[agents] What the solver's allocation may claim beyond the exact LP, per queue and
slot: coverage.csv holds rounded figures."""


def adjusted_requirement(path: Path, grid: Grid, scenario: models.Scenario
                         ) -> dict[str, list[int]] | None:
    """Each queue's requirement per slot as the staffing loop adjusted it (coverage.csv's
    `<q>_required`), when coverage.csv has the loop's `<q>_erlang_required` columns for
    every queue and the scenario runs the loop; None otherwise (or when unreadable:
    compare_queue_columns reports what is wrong)."""
    if not scenario.runs_pooling_loop or not path.exists():
        return None
    try:
        rows = read_csv_rows(path, ("start",))
    except CheckFileError:
        return None
    queues = [c.name for c in scenario.channels]
    header = rows[0] if rows else {}
    if not all(f"{q}_erlang_required" in header and f"{q}_required" in header for q in queues):
        return None
    out = {q: [None] * grid.num_slots for q in queues}
    for row in rows:
        try:
            minute = grid.minute(parse_datetime(row["start"], grid.time_zone))
            values = {q: int(float(row[f"{q}_required"])) for q in queues}
        except (TypeError, ValueError):
            return None
        if minute % grid.slot or not 0 <= minute < grid.length:
            return None
        for q in queues:
            out[q][minute // grid.slot] = values[q]
    if any(v is None for per in out.values() for v in per):
        return None
    return out


def pool_on_duty(
    scenario: models.Scenario, shifts: list[ShiftRecord], breaks: list[BreakRecord], grid: Grid,
    skills: Skills | None = None,
) -> list[tuple[int, ...]]:
    """People on duty per slot and pool: on a shift of that pool for the whole slot and
    on no break touching it (as coverage.scheduled_per_slot, counted by pool). A person
    counts once per slot, in the pool of the first shift covering it; shifts of unknown
    pools (reported by check/pools.py) count in none. With `skills`, per skills group:
    a named person who serves only part of their pool's queues counts in their own group
    (Skills.own) whatever pool their shifts name."""
    index = {p.name: i for i, p in enumerate(scenario.pools)}
    own = dict(skills.own) if skills is not None else {}
    width = len(skills.pools) if skills is not None else len(scenario.pools)
    pool_at: dict[str, dict[int, int]] = defaultdict(dict)
    on_break: dict[str, set[int]] = defaultdict(set)
    for sh in shifts:
        if sh.pool not in index:
            continue
        for i in grid.slots_within(sh.s, sh.e):
            pool_at[sh.agent].setdefault(i, own.get(sh.agent, index[sh.pool]))
    for br in breaks:
        on_break[br.agent].update(grid.slots_touching(br.s, br.e))
    counts = [[0] * width for _ in range(grid.num_slots)]
    for agent, slots in pool_at.items():
        for i, p in slots.items():
            if i not in on_break[agent]:
                counts[i][p] += 1
    return [tuple(c) for c in counts]


def check_queue_coverage(
    scenario: models.Scenario,
    grid: Grid,
    queue_required: dict[str, list[int]],
    demand_required: list[int],
    shifts: list[ShiftRecord],
    breaks: list[BreakRecord],
    out: list[Violation],
    erlang_required: dict[str, list[int]] | None = None,
) -> QueueCoverage:
    """Per slot, the least shortfall of every queue and of other work; "queue_coverage"
    for each short queue and slot unless understaffing is allowed."""
    if not scenario.splits_queues:
        return QueueCoverage()
    skills = Skills.of(scenario)
    on_duty = pool_on_duty(scenario, shifts, breaks, grid, skills)
    needs = list(zip(*(queue_required[q] for q in skills.queues)))
    found = shortfalls(skills, on_duty, needs, demand_required)
    report = QueueCoverage(
        required={q: list(queue_required[q]) for q in skills.queues},
        erlang_required={q: list((erlang_required or queue_required)[q])
                         for q in skills.queues},
        on_duty=on_duty,
        short_agent_slots={q: sum(s.queues[j] for s in found)
                           for j, q in enumerate(skills.queues)},
        other_work_short_agent_slots=sum(s.demand for s in found),
        short_per_slot=[s.total for s in found],
    )
    if scenario.coverage.allow_understaffing:
        return report
    for i, slot in enumerate(found):
        if slot.total <= 0:
            continue
        moment = grid.slot_time(i)
        heads = ", ".join(f"{n} {p}" for p, n in zip(skills.pools, on_duty[i]) if n) or "nobody"
        for q, short in slot.short_queues(skills.queues).items():
            j = skills.queues.index(q)
            out.append(Violation(
                "queue_coverage",
                f"{fmt_moment(moment)}: queue {q!r} is short {short:.4g} agent(s) of "
                f"{needs[i][j]} required (on duty: {heads}; pools serving it: "
                f"{', '.join(_servers(skills, j))})",
                None, moment, q))
        if slot.demand > 0:
            out.append(Violation(
                "queue_coverage",
                f"{fmt_moment(moment)}: the scenario's demand (other work) is short "
                f"{slot.demand:.4g} agent(s) of {demand_required[i]} once the queues have "
                f"their people (on duty: {heads})",
                None, moment))
    return report


def _servers(skills: Skills, queue: int) -> list[str]:
    return [skills.pools[p] for p, served in enumerate(skills.serves)
            if any(q == queue for q, _ in served)] or ["none"]


def compare_queue_columns(
    path: Path, grid: Grid, scenario: models.Scenario, found: QueueCoverage | None,
    out: list[Violation], scenario_dir: Path | None = None,
) -> None:
    """The per-queue columns of the solver's coverage.csv against the checker's figures:
    `<q>_required` is the scenario's requirement of q, and each slot's `<q>_allocated`
    figures together are within what the people on duty can give (the LP with them as
    requirements, no other work). Without such columns nothing is checked; with them on
    a scenario that does not split queues, that is a mismatch."""
    try:
        rows = read_csv_rows(path, ("start",))
    except CheckFileError:
        return  # compare_coverage_file has reported it
    header = [k for k in (rows[0] if rows else {}) if not k.startswith("_")]
    queues = [c.name for c in scenario.channels]
    kinds = ("required", "allocated")
    looped = [f"{q}_erlang_required" for q in queues if f"{q}_erlang_required" in header]
    if scenario.channels_as_solved:
        looped = []  # the saved scenario states the loop's adjusted figures: <q>_required
    if looped and not scenario.runs_pooling_loop:
        out.append(Violation("coverage_file_mismatch",
                             f"{path.name}: has the staffing loop's columns ({', '.join(looped)})"
                             " but the scenario does not run the loop"))
        return
    if looped and len(looped) != len(queues):
        lacking = ", ".join(q for q in queues if f"{q}_erlang_required" not in header)
        out.append(Violation("coverage_file_mismatch",
                             f"{path.name}: the staffing loop's <queue>_erlang_required "
                             f"column(s) of {lacking} missing"))
        return
    if looped:
        _check_adjusted(path, rows, grid, scenario, found, out, scenario_dir)
    present = [f"{q}_{k}" for q in queues for k in kinds if f"{q}_{k}" in header]
    if not present:
        return
    if not scenario.splits_queues:
        out.append(Violation("coverage_file_mismatch",
                             f"{path.name}: has per-queue columns ({', '.join(present)}) but "
                             "the scenario does not split its people among queues"))
        return
    missing = [f"{q}_{k}" for q in queues for k in kinds if f"{q}_{k}" not in header]
    if missing:
        out.append(Violation("coverage_file_mismatch",
                             f"{path.name}: per-queue column(s) {', '.join(missing)} missing"))
        return
    assert found is not None  # the scenario splits queues: check_roster found them
    skills = Skills.of(scenario)
    slots, allocated = [], []
    for row in rows:
        where = f"{path.name} line {row['_line']}"
        try:
            minute = grid.minute(parse_datetime(row["start"], grid.time_zone))
            values = {c: float(row[c]) for c in present}
        except (TypeError, ValueError) as exc:
            out.append(Violation("file", f"{where}: {exc}"))
            continue
        if minute % grid.slot or not 0 <= minute < grid.length:
            continue  # compare_coverage_file has reported it
        i = minute // grid.slot
        moment = grid.slot_time(i)
        for q in queues:
            theirs, mine = values[f"{q}_required"], found.required[q][i]
            if abs(theirs - mine) > 1e-9:
                out.append(Violation(
                    "coverage_file_mismatch",
                    f"{where}: {q}_required is {theirs:g}, the scenario requires {mine}",
                    None, moment, q))
        claimed = tuple(values[f"{q}_allocated"] for q in queues)
        if any(v < 0 for v in claimed):
            out.append(Violation("coverage_file_mismatch",
                                 f"{where}: a negative {path.name} allocation", None, moment))
            continue
        slots.append(i)
        allocated.append(claimed)
    beyond = shortfalls(skills, [found.on_duty[i] for i in slots], allocated)
    for i, claimed, slot in zip(slots, allocated, beyond):
        if slot.total > ALLOCATED_TOL * len(queues):
            moment = grid.slot_time(i)
            over = slot.short_queues(skills.queues)
            out.append(Violation(
                "coverage_file_mismatch",
                f"{path.name} at {fmt_moment(moment)}: the allocation "
                f"{', '.join(f'{q} {v:g}' for q, v in zip(queues, claimed))} is more than the "
                f"people on duty can give (short {slot.total:.4g}: "
                f"{', '.join(f'{q} {v:.4g}' for q, v in over.items())})",
                None, moment, next(iter(over), None)))


def _check_adjusted(path: Path, rows: list[dict], grid: Grid, scenario: models.Scenario,
                    found: QueueCoverage | None, out: list[Violation],
                    scenario_dir: Path | None) -> None:
    """The staffing loop's columns: `<q>_erlang_required` is the scenario's requirement,
    and the adjusted `<q>_required` is at least the queue's load floor."""
    from scheduler.check.coverage import queue_floor

    if found is None or not found.erlang_required:
        return
    floors = queue_floor(scenario, scenario_dir) if scenario_dir is not None else {}
    for row in rows:
        try:
            i = grid.minute(parse_datetime(row["start"], grid.time_zone)) // grid.slot
        except (TypeError, ValueError):
            continue
        if not 0 <= i < grid.num_slots:
            continue
        moment = grid.slot_time(i)
        for q, mine in found.erlang_required.items():
            try:
                theirs = float(row[f"{q}_erlang_required"])
            except (TypeError, ValueError):
                out.append(Violation("file", f"{path.name} line {row['_line']}: "
                                     f"{q}_erlang_required is not a number"))
                continue
            if abs(theirs - mine[i]) > 1e-9:
                out.append(Violation(
                    "coverage_file_mismatch",
                    f"{path.name} line {row['_line']}: {q}_erlang_required is {theirs:g}, "
                    f"the scenario requires {mine[i]}", None, moment, q))
            floor = floors.get(q)
            if floor is not None and found.required[q][i] < floor[i]:
                out.append(Violation(
                    "coverage_file_mismatch",
                    f"{path.name} line {row['_line']}: {q}_required {found.required[q][i]} "
                    f"lies below the queue's load floor {floor[i]} (the agents its offered "
                    "work keeps busy)", None, moment, q))
