"""Independent roster checker.

The checker re-derives everything it needs from the scenario (slot grid, requirement per
slot, allowed shift starts, applicable breaks, labour rules) and checks a roster against
it. It deliberately shares no code with the solver: it uses the standard library, ``yaml``,
``openpyxl`` (for roster.xlsx), ``models`` (the pydantic schema, the contract) and, for
workload channels only, the queueing figures of ``scheduler.workload.staffing``; never
``scheduler.engine``.

All minute arithmetic is done in integers, in minutes from the horizon start (00:00 local
on ``horizon.start_date``). Datetimes are naive local times; the time zone is a label.

One module per step or rule family: ``report`` (Violation, CheckReport), ``scenario``
(YAML with presets), ``files`` (reading the roster files), ``grid`` (the slot grid),
``roster`` (typed rows), ``shifts``, ``breaks``, ``coverage``, ``rules`` (labour rules),
``pools`` (pools, overtime, cost), ``queues`` (coverage per queue when pools serve only
some queues, through the transportation LP of ``transport``) and ``summary`` (the solver's coverage.csv and
summary.json against the checker's figures).

Entry points: :func:`check_roster` (rows as dicts), :func:`check_output_dir` (a solver
output directory), :func:`load_scenario_for_check` (YAML + rule/solver presets).
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

from scheduler import models
from scheduler.check.breaks import assign_breaks, check_shift_breaks
from scheduler.check.coverage import (
    check_coverage,
    requirement,
    requirement_parts,
    scheduled_per_slot,
)
from scheduler.check.files import read_breaks_csv, read_shifts_csv, read_workbook
from scheduler.check.grid import Grid
from scheduler.check.pools import check_no_pools, check_pools, roster_cost
from scheduler.check.queues import (
    adjusted_requirement,
    check_queue_coverage,
    compare_queue_columns,
)
from scheduler.check.report import CheckFileError, CheckReport, Violation
from scheduler.check.roster import build_breaks, build_shifts
from scheduler.check.rules import check_labour_rules, check_max_headcount
from scheduler.check.scenario import load_scenario_for_check
from scheduler.check.shifts import assign_days, check_shift_length, check_shift_types
from scheduler.check.staff import (
    check_staff,
    compare_staff_summary,
    load_staff,
    with_named_standing,
)
from scheduler.check.summary import compare_coverage_file, compare_summary


def check_roster(
    scenario: models.Scenario, scenario_dir: Path, shifts: list[dict], breaks: list[dict],
    adjusted: dict[str, list[int]] | None = None,
) -> CheckReport:
    """Check a roster given as rows (dicts with the CSV columns; values may be strings as
    read from the files or already datetimes/ints/bools). `adjusted`: each queue's
    requirement per slot as the staffing loop adjusted it (queues.adjusted_requirement),
    which the roster must then cover instead of the Erlang one."""
    grid = Grid.of(scenario)
    out: list[Violation] = []
    people, requests = load_staff(scenario, Path(scenario_dir))
    if people:
        scenario = with_named_standing(scenario, people)
    parts = requirement_parts(scenario, Path(scenario_dir), grid, out)
    erlang = parts.queues
    if adjusted is not None and set(adjusted) == set(parts.queues):
        parts = dataclasses.replace(parts, queues=adjusted)
    required = parts.total
    shift_list = build_shifts(shifts, grid, out)
    break_list = build_breaks(breaks, grid, out)

    check_shift_types(shift_list, scenario, out)
    assign_days(shift_list, grid, out)
    for sh in shift_list:
        check_shift_length(sh, out)
    assign_breaks(shift_list, break_list, grid, out)
    for sh in shift_list:
        check_shift_breaks(sh, out)

    scheduled = scheduled_per_slot(shift_list, break_list, grid)
    check_coverage(scenario, grid, required, scheduled, out)
    queues = check_queue_coverage(
        scenario, grid, parts.queues, parts.demand, shift_list, break_list, out, erlang
    )
    # named people are employed whether rostered or not
    headcount = len({sh.agent for sh in shift_list} | {p.id for p in people})
    if scenario.pools:
        check_pools(shift_list, scenario, grid, out, frozenset(p.id for p in people))
        check_staff(shift_list, scenario, grid, people, requests, out)
    else:
        check_no_pools(shift_list, out)
        check_labour_rules(shift_list, grid, scenario.rules, out)
        check_max_headcount(headcount, scenario.rules.max_headcount, out)

    return CheckReport(
        violations=out,
        headcount=headcount,
        paid_minutes=sum(sh.paid for sh in shift_list),
        short_agent_slots=short_agent_slots(scenario, required, scheduled, queues),
        over_agent_slots=sum(max(0, s - r) for r, s in zip(required, scheduled)),
        required=required,
        scheduled=scheduled,
        cost=roster_cost(shift_list, scenario, grid),
        overtime_minutes=sum(sh.overtime for sh in shift_list),
        queue_short_agent_slots=queues.short_agent_slots,
        other_work_short_agent_slots=queues.other_work_short_agent_slots,
        queues=queues if scenario.splits_queues else None,
        shifts=shift_list,
    )


def short_agent_slots(scenario: models.Scenario, required: list[int], scheduled: list[int],
                      queues) -> int:
    """Agent-slots short: per slot required - on duty; when the scenario splits queues,
    per slot the larger of the floor's shortfall and the queues' least shortfall (the
    transportation LP), rounded up to whole agents, as summary.json counts them."""
    if not scenario.splits_queues or not queues.short_per_slot:
        return sum(max(0, r - s) for r, s in zip(required, scheduled))
    floor = scenario.demand.floor if scenario.demand is not None else 0
    return sum(math.ceil(max(max(0, min(r, floor) - s), q) - 1e-6)
               for r, s, q in zip(required, scheduled, queues.short_per_slot))


def check_output_dir(scenario_path: Path, out_dir: Path) -> CheckReport:
    """Check a solver output directory: shifts.csv and breaks.csv against the scenario,
    and coverage.csv / summary.json (when present) against the checker's own numbers.

    If shifts.csv or breaks.csv cannot be read at all, the report holds only the "file"
    violations (and the requirement); the roster is not checked."""
    scenario_path, out_dir = Path(scenario_path), Path(out_dir)
    scenario = load_scenario_for_check(scenario_path)
    grid = Grid.of(scenario)
    file_problems: list[Violation] = []
    rows: dict[str, list[dict]] = {}
    for name, reader in (("shifts.csv", read_shifts_csv), ("breaks.csv", read_breaks_csv)):
        try:
            rows[name] = reader(out_dir / name)
        except CheckFileError as exc:
            file_problems.append(Violation("file", str(exc)))
    if file_problems:
        required = requirement(scenario, scenario_path.parent, grid, file_problems)
        return CheckReport(file_problems, 0, 0, sum(required), 0, required, [0] * len(required))

    if scenario.staff is not None:  # the people inline: who serves which queue
        scenario = with_named_standing(scenario, load_staff(scenario, scenario_path.parent)[0])
    adjusted = adjusted_requirement(out_dir / "coverage.csv", grid, scenario)
    report = check_roster(scenario, scenario_path.parent, rows["shifts.csv"], rows["breaks.csv"],
                          adjusted)
    if (out_dir / "coverage.csv").exists():
        compare_coverage_file(out_dir / "coverage.csv", grid, report, report.violations)
        if scenario.channels:
            compare_queue_columns(out_dir / "coverage.csv", grid, scenario,
                                  report.queues, report.violations, scenario_path.parent)
    if (out_dir / "summary.json").exists():
        compare_summary(
            out_dir / "summary.json", report, len(rows["shifts.csv"]), report.violations
        )
        if scenario.staff is not None:
            people, requests = load_staff(scenario, scenario_path.parent)
            compare_staff_summary(out_dir / "summary.json", with_named_standing(
                scenario, people), people, requests, report.shifts, report.violations)
    return report


__all__ = [
    "CheckFileError",
    "CheckReport",
    "Violation",
    "check_output_dir",
    "check_roster",
    "load_scenario_for_check",
    "read_breaks_csv",
    "read_shifts_csv",
    "read_workbook",
]
