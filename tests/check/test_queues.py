"""Coverage per queue (scheduler/check/queues.py, issue 16): pools that serve only some
queues, handle-time factors at exactly 1/f, understaffing allowed, the per-queue columns
of coverage.csv, and scenarios that do not split queues left as they were."""

from __future__ import annotations

import pytest
import yaml

from scheduler import models
from scheduler.check import check_output_dir
from tests.check.check_cases import DAY_TYPE, check, hourly, rules_of, shift

WORK = range(8, 16)  # the hours with work: 08:00-16:00


def queue(name: str, agents: int) -> dict:
    """A deferred queue needing exactly `agents` agents in each hour of WORK (one contact
    an hour, an hour each, answered within the hour)."""
    return {"name": name, "kind": "deferred", "volume": hourly({h: agents for h in WORK}),
            "aht_seconds": 3600, "response_deadline_minutes": 60}


def scenario_data(a: int = 5, b: int = 2, *, split: bool = True, demand: int = 0,
                  understaffing: bool = False) -> dict:
    """Queues A and B; seniors serve both (A at factor 0.8 when `split`), juniors A only
    (both serve both when not `split`)."""
    senior = {"name": "senior", "shift_types": ["day"], "serves": ["A", "B"]}
    junior = {"name": "junior", "shift_types": ["day"], "serves": ["A"]}
    if split:
        senior["handle_time_factor"] = {"A": 0.8}
    else:
        junior["serves"] = ["A", "B"]
    data = {
        "name": "queues",
        "horizon": {"start_date": "2024-01-01", "days": 1, "slot_minutes": 60},
        "channels": [queue("A", a), queue("B", b)],
        "shift_types": [DAY_TYPE],
        "pools": [senior, junior],
        "coverage": {"allow_understaffing": understaffing},
    }
    if demand:
        data["demand"] = {"required": hourly({h: demand for h in WORK})}
    return data


def scenario(*args, **kwargs) -> models.Scenario:
    return models.Scenario.model_validate(scenario_data(*args, **kwargs))


def team(seniors: int, juniors: int) -> list[dict]:
    rows = [shift(f"s{i}", "2024-01-01T08:00", "2024-01-01T16:00") | {"pool": "senior"}
            for i in range(seniors)]
    return rows + [shift(f"j{i}", "2024-01-01T08:00", "2024-01-01T16:00") | {"pool": "junior"}
                   for i in range(juniors)]


def test_enough_people_in_total_but_nobody_on_duty_serves_b():
    report = check(scenario(5, 2), team(0, 10))
    assert report.scheduled[8] == 10 >= report.required[8] == 7  # the total is met
    assert rules_of(report) == {"queue_coverage": 8}
    first = report.by_rule("queue_coverage")[0]
    assert first.queue == "B" and first.time.hour == 8
    assert "queue 'B' is short 2 agent(s) of 2 required" in first.message
    assert "pools serving it: senior" in first.message
    assert report.queue_short_agent_slots == {"A": 0, "B": pytest.approx(16)}


def test_the_same_headcount_with_two_seniors_meets_every_queue():
    report = check(scenario(5, 2), team(2, 5))
    assert report.ok, report.violations
    assert report.queue_short_agent_slots == {"A": 0, "B": 0}


def test_four_seniors_at_factor_0_8_cover_five_agents_of_a_queue_exactly():
    report = check(scenario(5, 0), team(4, 0))
    assert report.ok, report.violations


def test_four_seniors_at_factor_0_8_cannot_cover_six():
    report = check(scenario(6, 0), team(4, 0))
    assert rules_of(report) == {"queue_coverage": 8}
    assert report.by_rule("queue_coverage")[0].queue == "A"
    assert report.queue_short_agent_slots["A"] == pytest.approx(8.0)


def test_short_agent_slots_count_the_queues_shortfall_not_the_people():
    """As summary.json counts them: 4 seniors (5 agents of A) are not short of A's 5,
    although they are 4 people; against 6 they are short 1 agent in each of 8 hours."""
    assert check(scenario(5, 0, understaffing=True), team(4, 0)).short_agent_slots == 0
    assert check(scenario(6, 0, understaffing=True), team(4, 0)).short_agent_slots == 8


def test_with_split_queues_the_total_is_checked_against_the_floor_only():
    # 5 / 0.8 = 6.25 agents of A: 5 seniors meet 6 required, although they are 5 people
    assert check(scenario(6, 0), team(5, 0)).ok
    data = scenario_data(6, 0)
    data["demand"] = {"required": [0] * 24, "floor": 6}
    below = check(models.Scenario.model_validate(data), team(5, 0))
    assert rules_of(below) == {"coverage": 24}
    assert "5 agent(s) on duty, 6 the floor (short 1)" in below.violations[8].message


def test_other_work_needs_its_own_people():
    # A takes all 4 seniors (5 agents); the demand's 1 agent is left to nobody
    short = check(scenario(5, 0, demand=1), team(4, 0))
    assert "queue_coverage" in rules_of(short)
    assert "demand (other work)" in short.by_rule("queue_coverage")[0].message
    assert short.other_work_short_agent_slots == pytest.approx(8.0)
    met = check(scenario(5, 0, demand=1), team(4, 1))
    assert met.ok, met.violations


def test_breaks_take_people_off_their_queue():
    rows = team(2, 5)
    report = check(scenario(5, 2), rows, [{"agent": "s0", "start": "2024-01-01T12:00",
                                           "end": "2024-01-01T13:00", "paid": False}])
    assert rules_of(report)["queue_coverage"] == 1
    assert report.by_rule("queue_coverage")[0].time.hour == 12


def test_understaffing_allowed_counts_short_agent_slots_per_queue():
    report = check(scenario(5, 2, understaffing=True), team(0, 10))
    assert report.ok, report.violations
    assert report.queue_short_agent_slots == {"A": 0, "B": pytest.approx(16)}


def test_scenarios_that_do_not_split_queues_are_checked_as_before():
    sc = scenario(5, 2, split=False)
    assert not sc.splits_queues
    report = check(sc, team(0, 7))
    assert report.ok, report.violations
    assert report.queues is None and report.queue_short_agent_slots == {}
    # the same as with no serves-lists at all
    data = scenario_data(5, 2, split=False)
    for pool in data["pools"]:
        del pool["serves"]
    plain = check(models.Scenario.model_validate(data), team(0, 7))
    assert plain == report
    short = check(sc, team(0, 6))
    assert rules_of(short) == {"coverage": 8}


# --------------------------------------------------------------- coverage.csv per queue


def write_output(tmp_path, data: dict, seniors: int, juniors: int,
                 columns: dict[str, list] | None) -> tuple:
    """scenario.yaml and an output folder with the team's shifts and a coverage.csv
    carrying `columns` (name -> one value per slot) beside start, required, scheduled."""
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    rows = team(seniors, juniors)
    (out / "shifts.csv").write_text(
        "agent,shift_type,start,end,paid_minutes,pool\n"
        + "".join(f"{r['agent']},day,{r['start']},{r['end']},480,{r['pool']}\n" for r in rows))
    (out / "breaks.csv").write_text("agent,start,end,paid\n")
    report = check(models.Scenario.model_validate(data), rows)
    extra = columns or {}
    lines = ["start,required,scheduled" + "".join(f",{c}" for c in extra)]
    for h in range(24):
        cells = "".join(f",{values[h]}" for values in extra.values())
        lines.append(f"2024-01-01T{h:02d}:00,{report.required[h]},{report.scheduled[h]}{cells}")
    (out / "coverage.csv").write_text("\n".join(lines) + "\n")
    return path, out


def per_queue(a_allocated: float, b_allocated: float, a_required: int = 5,
              b_required: int = 2) -> dict[str, list]:
    at = {h: 1 for h in WORK}
    return {
        "A_required": [a_required * at.get(h, 0) for h in range(24)],
        "A_allocated": [a_allocated * at.get(h, 0) for h in range(24)],
        "B_required": [b_required * at.get(h, 0) for h in range(24)],
        "B_allocated": [b_allocated * at.get(h, 0) for h in range(24)],
    }


def test_per_queue_columns_that_agree_with_the_roster(tmp_path):
    # 2 seniors, 5 juniors: A gets the 5 juniors, B the 2 seniors
    report = check_output_dir(*write_output(tmp_path, scenario_data(), 2, 5, per_queue(5, 2)))
    assert report.ok, report.violations


def test_an_allocation_at_exactly_one_over_f_agrees(tmp_path):
    # 4 seniors give A 4 / 0.8 = 5 agents
    paths = write_output(tmp_path, scenario_data(5, 0), 4, 0, per_queue(5, 0, b_required=0))
    report = check_output_dir(*paths)
    assert report.ok, report.violations


def test_an_allocation_beyond_the_people_on_duty_is_a_mismatch(tmp_path):
    # 4 seniors cannot give A 5.1 agents
    paths = write_output(tmp_path, scenario_data(5, 0), 4, 0, per_queue(5.1, 0, b_required=0))
    report = check_output_dir(*paths)
    assert rules_of(report) == {"coverage_file_mismatch": 8}
    assert "more than the people on duty can give" in report.violations[0].message


def test_a_per_queue_requirement_unlike_the_scenarios_is_a_mismatch(tmp_path):
    paths = write_output(tmp_path, scenario_data(), 2, 5, per_queue(5, 2, b_required=3))
    report = check_output_dir(*paths)
    assert rules_of(report) == {"coverage_file_mismatch": 8}
    assert "B_required is 3, the scenario requires 2" in report.violations[0].message
    assert report.violations[0].queue == "B"


def test_per_queue_columns_half_given_are_a_mismatch(tmp_path):
    columns = per_queue(5, 2)
    del columns["B_allocated"]
    report = check_output_dir(*write_output(tmp_path, scenario_data(), 2, 5, columns))
    assert rules_of(report) == {"coverage_file_mismatch": 1}
    assert "B_allocated missing" in report.violations[0].message


def test_per_queue_columns_on_a_scenario_that_does_not_split_are_a_mismatch(tmp_path):
    data = scenario_data(split=False)
    report = check_output_dir(*write_output(tmp_path, data, 0, 7, per_queue(5, 2)))
    assert rules_of(report) == {"coverage_file_mismatch": 1}
    (tmp_path / "plain").mkdir()
    without = check_output_dir(*write_output(tmp_path / "plain", data, 0, 7, None))
    assert without.ok, without.violations


# ---------------------------------------------------------------- after the staffing loop


@pytest.fixture(scope="module")
def looped(tmp_path_factory):
    """Koole's two queues solved with the staffing loop (two plans): the roster covers the
    lowered requirement that coverage.csv records beside the Erlang one."""
    from scheduler.engine.pooling import solve_staffed
    from scheduler.report.output import write_result
    from scheduler.workload.loaded import load_scenario
    from tests.engine.pooling_cases import koole_scenario

    folder = tmp_path_factory.mktemp("looped")
    path = folder / "koole.yaml"
    path.write_text(yaml.safe_dump(koole_scenario(max_iterations=2, time_limit_seconds=8)))
    loaded = load_scenario(path)
    result = solve_staffed(loaded)
    out = folder / "out"
    write_result(result, out, loaded.scenario.horizon.start_date, 1, loaded)
    return path, out


def _edit_coverage(out, column, value, dest):
    import csv
    import shutil

    shutil.copytree(out, dest)
    with open(dest / "coverage.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        row[column] = value
    with open(dest / "coverage.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return dest


def test_a_roster_covering_the_loops_lowered_requirement_passes(looped):
    path, out = looped
    header = (out / "coverage.csv").read_text().splitlines()[0]
    assert "queue2_erlang_required" in header and "queue2_simulated_service_level" in header
    report = check_output_dir(path, out)
    assert report.ok, report.violations[:5]
    assert report.queues.required["queue2"][0] < report.queues.erlang_required["queue2"][0] == 23


def test_an_erlang_column_unlike_the_scenarios_is_a_mismatch(looped, tmp_path):
    path, out = looped
    bad = _edit_coverage(out, "queue2_erlang_required", "20", tmp_path / "bad")
    found = [v for v in check_output_dir(path, bad).violations
             if v.rule == "coverage_file_mismatch" and "queue2_erlang_required" in v.message]
    assert len(found) == 24


def test_an_adjusted_requirement_below_the_load_floor_is_a_mismatch(looped, tmp_path):
    """Queue 2 brings 20 Erlangs (240 calls an hour x 5 min): 19 agents cannot be its
    requirement, however well the pooled roster does."""
    path, out = looped
    bad = _edit_coverage(out, "queue2_required", "19", tmp_path / "bad")
    found = [v for v in check_output_dir(path, bad).violations if "load floor 20" in v.message]
    assert len(found) == 24
    just = _edit_coverage(out, "queue2_required", "20", tmp_path / "just")
    assert not [v for v in check_output_dir(path, just).violations if "load floor" in v.message]


def test_the_loops_columns_on_a_scenario_without_the_loop_are_a_mismatch(looped, tmp_path):
    path, out = looped
    data = yaml.safe_load(path.read_text())
    data["pooling"]["loop"] = False
    other = tmp_path / "off.yaml"
    other.write_text(yaml.safe_dump(data))
    found = [v for v in check_output_dir(other, out).violations
             if v.rule == "coverage_file_mismatch" and "does not run the loop" in v.message]
    assert found


def named(p2_serves: list[str] | None) -> models.Scenario:
    """One pool `team` serving A and B (one agent each 08-16); P1 serves only A, P2 as
    given (None: the pool's queues)."""
    data = scenario_data(1, 1)
    data["pools"] = [{"name": "team", "shift_types": ["day"]}]
    people = [{"id": "P1", "pool": "team", "serves": ["A"]}, {"id": "P2", "pool": "team"}]
    if p2_serves is not None:
        people[1]["serves"] = p2_serves
    data["staff"] = {"people": people}
    return models.Scenario.model_validate(data)


def pair() -> list[dict]:
    return [shift(p, "2024-01-01T08:00", "2024-01-01T16:00") | {"pool": "team"}
            for p in ("P1", "P2")]


def test_a_person_is_not_counted_on_a_queue_they_do_not_serve():
    """Both serve only A: their pool serves B, but neither of them does."""
    report = check(named(["A"]), pair())
    assert rules_of(report) == {"queue_coverage": 8}
    first = report.by_rule("queue_coverage")[0]
    assert first.queue == "B" and "on duty: 2 team (serving A)" in first.message


def test_one_person_for_each_queue_meets_them():
    assert check(named(["B"]), pair()).ok
    assert check(named(None), pair()).ok  # P2 serves the pool's queues
