"""Property tests: on random small scenarios every roster the solver returns passes the
independent checker, and a scenario it calls infeasible comes with a reason."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.check import check_output_dir
from scheduler.workload.loaded import load_scenario
from scheduler.report.output import write_result
from scheduler.engine.solve import solve

from conftest import untranslated


@st.composite
def scenarios(draw):
    days = draw(st.integers(1, 8))
    cyclic = draw(st.booleans())
    required = draw(st.lists(st.integers(0, 3), min_size=days * 24, max_size=days * 24))
    types = []
    for i in range(draw(st.integers(1, 2))):
        earliest = draw(st.integers(0, 23))
        latest = earliest + draw(st.integers(0, 12))
        hours = sorted(set(draw(st.lists(st.sampled_from([4, 6, 8, 9]), min_size=1, max_size=2))))
        shift = {"name": f"t{i}", "paid_hours": hours,
                 "earliest_start": f"{earliest:02d}:00", "latest_start": f"{latest:02d}:00"}
        if draw(st.booleans()) and max(hours) >= 6:
            shift["breaks"] = [{"name": "meal", "duration_minutes": 60,
                                "earliest_start_minutes": 120, "latest_start_minutes": 240,
                                "paid": draw(st.booleans()), "min_shift_hours": 6}]
        types.append(shift)
    rules = {
        "max_days_per_week": draw(st.integers(5, 7)),
        "min_rest_hours": draw(st.sampled_from([0, 11, 12])),
        "max_consecutive_days": draw(st.sampled_from([None, 3, 6])),
        "max_weekly_paid_hours": draw(st.sampled_from([None, 40, 48])),
    }
    rules = {k: v for k, v in rules.items() if v is not None}
    return {
        "name": "prop",
        "horizon": {"start_date": "2026-11-16", "days": days, "slot_minutes": 60,
                    "cyclic": cyclic},
        "demand": {"required": required, "floor": draw(st.integers(0, 1))},
        "shift_types": types,
        "rules": rules,
        "coverage": {"allow_understaffing": draw(st.booleans())},
        "solver": {"time_limit_seconds": 8, "workers": 2},
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_every_returned_roster_passes_the_checker(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "prop.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False))
        loaded = load_scenario(path)
        result = solve(loaded)
        if not result.feasible:
            assert result.summary.status in ("infeasible", "unknown")
            assert result.summary.message
            assert untranslated(result.summary.message) == set()
            return
        out = Path(tmp) / "out"
        write_result(result, out, loaded.scenario.horizon.start_date, loaded.scenario.horizon.days)
        report = check_output_dir(path, out)
        assert report.ok, report.violations[:5]
        summary = result.summary
        assert summary.headcount_lower_bound is None or summary.headcount >= summary.headcount_lower_bound


# ------------------------------------------------------------------ micro optima


def _micro(required, lengths, rules=None, cyclic=True, days=1):
    return {
        "name": "micro",
        "horizon": {"start_date": "2026-11-16", "days": days, "slot_minutes": 60, "cyclic": cyclic},
        "demand": {"required": list(required)},
        "shift_types": [{"name": "s", "paid_hours": list(lengths),
                         "earliest_start": "00:00", "latest_start": "23:00"}],
        "rules": rules or {},
        "solver": {"time_limit_seconds": 20, "workers": 2},
    }


def _solve_data(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False))
        return solve(load_scenario(path))


def _brute_force_headcount(required, lengths) -> int:
    """Fewest shifts covering a 0/1 requirement on one cyclic day (one shift per agent
    per day, so shifts = agents), by enumerating sets of shifts."""
    from itertools import combinations

    need = sum(1 << s for s, r in enumerate(required) if r)
    masks = sorted({
        sum(1 << ((start + h) % 24) for h in range(length))
        for start in range(24) for length in lengths
    })
    for k in range(0, 25):
        for combo in combinations(masks, k):
            union = 0
            for m in combo:
                union |= m
            if union & need == need:
                return k
    raise AssertionError("unreachable")


@settings(max_examples=12, deadline=None)
@given(st.lists(st.integers(0, 1), min_size=24, max_size=24),
       st.sampled_from([(4,), (6,), (4, 6), (5, 8)]))
def test_micro_optimum_equals_brute_force(required, lengths):
    result = _solve_data(_micro(required, lengths))
    expected = _brute_force_headcount(required, lengths)
    if expected == 0:
        assert result.feasible and result.summary.headcount == 0
        return
    assert result.summary.status == "optimal"
    assert result.summary.headcount == expected


@st.composite
def micro_with_rules(draw):
    days = draw(st.integers(2, 4))
    required = draw(st.lists(st.integers(0, 2), min_size=days * 24, max_size=days * 24))
    lengths = draw(st.sampled_from([(4,), (8,), (4, 8)]))
    return required, lengths, days, draw(st.booleans())


@settings(max_examples=10, deadline=None)
@given(micro_with_rules(), st.data())
def test_more_demand_or_a_hard_rule_never_lowers_the_optimal_headcount(case, data):
    required, lengths, days, cyclic = case
    base = _solve_data(_micro(required, lengths, cyclic=cyclic, days=days))
    raised = list(required)
    for s in data.draw(st.lists(st.integers(0, len(required) - 1), min_size=1, max_size=6)):
        raised[s] += 1
    more = _solve_data(_micro(raised, lengths, cyclic=cyclic, days=days))
    stricter = _solve_data(_micro(required, lengths, {"min_rest_hours": 12}, cyclic, days))
    for other in (more, stricter):
        if base.summary.status == "optimal" and other.summary.status == "optimal":
            assert other.summary.headcount >= base.summary.headcount
        if base.summary.status == "infeasible":
            assert other.summary.status == "infeasible"


# ------------------------------------------------------------------ round trip and fuzz

BUNDLED = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_a_scenario_survives_a_yaml_round_trip(path, tmp_path):
    loaded = load_scenario(path)
    dumped = loaded.scenario.model_dump(mode="json")
    copy = tmp_path / path.name
    copy.write_text(yaml.safe_dump(dumped, sort_keys=False, allow_unicode=True))
    data_files = [ch.volume_file for ch in loaded.scenario.channels if ch.volume_file]
    if loaded.scenario.demand is not None and loaded.scenario.demand.file:
        data_files.append(loaded.scenario.demand.file)
    if loaded.scenario.forecast is not None:  # the contact history it forecasts from
        data_files.append(loaded.scenario.forecast.history)
    for name in data_files:
        (tmp_path / name).write_bytes((path.parent / name).read_bytes())
    again = load_scenario(copy)
    assert again.scenario == loaded.scenario
    assert again.required == loaded.required


VALID = yaml.safe_dump(_micro([1] * 24, (8,)), sort_keys=False)


@st.composite
def mutated_text(draw, text):
    edits = draw(st.integers(1, 4))
    for _ in range(edits):
        kind = draw(st.sampled_from(["delete", "insert", "replace_line", "swap"]))
        n = len(text)
        i = draw(st.integers(0, max(0, n - 1)))
        if kind == "delete":
            j = draw(st.integers(i, min(n, i + 40)))
            text = text[:i] + text[j:]
        elif kind == "insert":
            text = text[:i] + draw(st.text(max_size=20)) + text[i:]
        elif kind == "replace_line":
            lines = text.split("\n")
            k = draw(st.integers(0, len(lines) - 1))
            lines[k] = draw(st.sampled_from([
                "", "  days: -3", "horizon: 7", "  slot_minutes: 7", "- x", "name: [", "\t",
                "  paid_hours: [0]", "  earliest_start: '25:99'", "demand: {required: nan}",
                "rules: {preset: ../../etc}", "solver: {time_limit_seconds: .inf}",
                "  required: [-1]", "&a [*a]", "name: !!python/object:os.system x",
            ]))
            text = "\n".join(lines)
        else:
            j = draw(st.integers(0, max(0, n - 1)))
            text = text[:min(i, j)] + text[max(i, j):] + text[min(i, j):max(i, j)]
    return text


@settings(max_examples=200, deadline=None)
@given(mutated_text(VALID))
def test_fuzzed_scenarios_give_an_input_error_never_a_crash(text):
    from scheduler.errors import InputError, InputErrors

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            load_scenario(path)
        except (InputError, InputErrors) as exc:
            assert str(exc).strip()


CSV = "start,required\n" + "".join(f"2026-11-16T{h:02d}:00,{h % 3}\n" for h in range(24))


@settings(max_examples=200, deadline=None)
@given(mutated_text(CSV))
def test_fuzzed_demand_files_give_an_input_error_never_a_crash(text):
    from scheduler.errors import InputError, InputErrors

    data = _micro([0] * 24, (8,))
    data["demand"] = {"file": "d.csv"}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.yaml"
        path.write_text(yaml.safe_dump(data))
        (Path(tmp) / "d.csv").write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            load_scenario(path)
        except (InputError, InputErrors) as exc:
            assert "d.csv" in str(exc)


@pytest.fixture(scope="module")
def solved_small(tmp_path_factory):
    from tests.conftest import small_scenario

    folder = tmp_path_factory.mktemp("solved")
    path = folder / "small.yaml"
    path.write_text(yaml.safe_dump(small_scenario(), sort_keys=False))
    loaded = load_scenario(path)
    result = solve(loaded)
    write_result(result, folder / "out", loaded.scenario.horizon.start_date, 1)
    return path, (folder / "out" / "shifts.csv").read_text()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzzed_roster_files_never_crash_the_check_command(solved_small, data, tmp_path_factory):
    from typer.testing import CliRunner

    from scheduler.cli import app

    path, shifts = solved_small
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "shifts.csv").write_text(data.draw(mutated_text(shifts)), errors="surrogatepass")
    (folder / "breaks.csv").write_text("agent,start,end,paid\n")
    result = CliRunner().invoke(app, ["check", str(path), str(folder)])
    assert result.exit_code in (0, 1, 2)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    if "file:" in result.output:
        assert result.exit_code == 2
