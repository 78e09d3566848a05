"""The Minimum Shift Design reader and the options it relies on: penalties for over-cover
and for each distinct shift (start time + length)."""

from __future__ import annotations

import yaml

from scheduler.models import Scenario
from scheduler.check import check_output_dir
from scheduler.workload.loaded import load_scenario
from scheduler.datasets.msd import parse_msd, to_scenario
from scheduler.report.output import write_result
from scheduler.engine.solve import solve

# One day of hourly slots: 2 workers 08:00-16:00, 1 worker 16:00-20:00.
TINY = """#MinuteInterval:\r
60\r
\r
#DaysPerCycle:\r
1\r
\r
#FlagCyclical: yes or no\r
yes\r
\r
#Requirements:\r
0 0 0 0 0 0 0 0 2 2 2 2 2 2 2 2 1 1 1 1 0 0 0 0\r
\r
#Number of shift templates\r
1\r
\r
#Shift templates\r
#Abbr, Full name, Start, + Minutes,  -Minutes, Length, +Minutes, -Minutes, available days\r
F Fr\xfchschicht 8:0 60 60 480 240 0 *\r
\r
#Duties per week: Lower limit, Upper limit\r
3 5\r
\r
# Average number of hours per week\r
 38.5\r
\r
# Weights about the criteria\r
#UnderCover:\r
1\r
\r
#Overcover:\r
1\r
\r
#DutiesPerWeek:\r
1000\r
\r
#Shifts:\r
60\r
"""


def test_parse_reads_every_block():
    inst = parse_msd(TINY, "tiny")
    assert inst.slot_minutes == 60 and inst.days == 1 and inst.cyclic
    assert inst.requirements[8] == 2 and inst.requirements[19] == 1 and len(inst.requirements) == 24
    (t,) = inst.templates
    assert (t.abbr, t.start_minute, t.plus_start, t.minus_start) == ("F", 480, 60, 60)
    assert (t.length, t.plus_length, t.minus_length) == (480, 240, 0)
    assert (inst.w_under, inst.w_over, inst.w_duties, inst.w_shifts) == (1, 1, 1000, 60)


def test_scenario_from_an_instance_is_valid():
    data = to_scenario(parse_msd(TINY, "tiny"))
    scenario = Scenario.model_validate(data)
    (shift,) = scenario.shift_types
    assert shift.earliest_start == "07:00" and shift.latest_start == "09:00"
    assert shift.paid_hours == [8, 9, 10, 11, 12]
    assert scenario.coverage.overstaffing_penalty == 60
    assert scenario.objective.distinct_shift_penalty == 60


def test_tiny_instance_reaches_its_hand_computed_optimum(tmp_path):
    # 08:00 + 12 h and 08:00 + 8 h cover exactly (2 distinct shifts, 120); one shape
    # twice costs over-cover: 08:00-16:00 twice leaves 4 short hours (240 + 60), 08:00-20:00
    # twice is 4 hours over (240 + 60). So 120 is optimal.
    inst = parse_msd(TINY, "tiny")
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(to_scenario(inst, 20), sort_keys=False))
    result = solve(load_scenario(path))
    assert result.summary.status == "optimal"
    short = sum(max(0, c.required - c.scheduled) for c in result.coverage)
    over = sum(max(0, c.scheduled - c.required) for c in result.coverage)
    distinct = {(s.start.strftime("%H:%M"), s.paid_minutes) for s in result.shifts}
    assert inst.objective(short, over, len(distinct)) == 120
    assert result.summary.objective_value == result.summary.objective_bound == 120
    write_result(result, tmp_path / "out", result.coverage[0].start.date(), 1)
    assert check_output_dir(path, tmp_path / "out").ok


def test_a_distinct_shift_penalty_merges_shift_shapes(tmp_path):
    inst = parse_msd(TINY, "tiny")
    data = to_scenario(inst, 20)
    # at 500 a shape: one shape and 4 hours short or over (740) beats two shapes (1000) and
    # no shift at all (20 short agent-hours, 1200)
    data["objective"]["distinct_shift_penalty"] = 500
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    result = solve(load_scenario(path))
    assert len({(s.start, s.paid_minutes) for s in result.shifts}) == 1
    assert result.summary.objective_value == 740
