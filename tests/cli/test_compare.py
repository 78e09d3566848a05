"""`scheduler compare` and `solve --set/--variant` end to end: runs on a local Dask
cluster (or in this process), each run written like a single solve and passing the
independent checker, failures shown in the table, comparison.csv / .xlsx read back."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from scheduler.check import check_output_dir
from scheduler.cli import app
from scheduler.cli.compare import csv_header, local_parallelism, plan_runs
from scheduler.workload.loaded import load_scenario
from scheduler.report.output import FILES
from tests.conftest import PROJECT, SCENARIOS, small_scenario

runner = CliRunner()


def _compare(*args):
    return runner.invoke(app, ["compare", "--quiet", *map(str, args)])


def _summary(folder: Path) -> dict:
    return json.loads((folder / "summary.json").read_text())


def _with_variants() -> dict:
    data = small_scenario()
    data["variants"] = {
        "floor2": {"demand.floor": 2},
        "capped": {"rules": {"max_headcount": 1}},
        "typo": {"rules.max_day_per_week": 5},
    }
    return data


def test_solve_set_and_variant(write_scenario, tmp_path):
    path = write_scenario(_with_variants())
    plain = runner.invoke(app, ["solve", str(path), "--out", str(tmp_path / "a"), "--quiet"])
    by_set = runner.invoke(app, ["solve", str(path), "--out", str(tmp_path / "b"), "--quiet",
                                 "--set", "demand.floor=2"])
    by_variant = runner.invoke(app, ["solve", str(path), "--out", str(tmp_path / "c"), "--quiet",
                                     "--variant", "floor2"])
    assert plain.exit_code == by_set.exit_code == by_variant.exit_code == 0
    floor2 = _summary(tmp_path / "b")
    assert floor2["headcount"] > _summary(tmp_path / "a")["headcount"]
    assert _summary(tmp_path / "c")["headcount"] == floor2["headcount"]
    assert check_output_dir(write_scenario(small_scenario(**{"demand.floor": 2}), "f2.yaml"),
                            tmp_path / "b").ok


def test_solve_bad_set_exit_2_one_message(write_scenario, tmp_path):
    path = write_scenario(small_scenario())
    result = runner.invoke(app, ["solve", str(path), "--out", str(tmp_path / "o"), "--quiet",
                                 "--set", "rules.max_day_per_week=6"])
    assert result.exit_code == 2
    assert ("--set rules.max_day_per_week=6: unknown key 'max_day_per_week' under rules "
            "(did you mean max_days_per_week?)") in result.output
    assert "Traceback" not in result.output and not (tmp_path / "o").exists()


def test_compare_variants_on_a_local_dask_cluster(write_scenario, tmp_path):
    path = write_scenario(_with_variants())
    out = tmp_path / "out"
    result = _compare(path, "--variants", "all", "--out", out)
    assert result.exit_code == 1, result.output  # one infeasible, one bad: the others go on
    folder = out / "small"
    table = pd.read_csv(folder / "comparison.csv", keep_default_na=False)
    assert list(table.columns) == csv_header()
    assert list(table["run"]) == ["base", "floor2", "capped", "typo"]
    assert list(table["status"][:2]) == ["optimal", "optimal"]
    assert table["status"][2] == "infeasible" and "max_headcount" in table["reason"][2]
    assert table["status"][3] == "error"
    assert "unknown key 'max_day_per_week' under rules (did you mean max_days_per_week?)" in table["reason"][3]
    # the failed ones are in the terminal table with their reasons
    assert "infeasible" in result.output and "error" in result.output
    # each roster is written like a single solve and passes the checker
    base, floor2 = _summary(folder / "base"), _summary(folder / "floor2")
    for name in ("base", "floor2"):
        assert sorted(p.name for p in (folder / name).iterdir()) == sorted(FILES)
        scenario = small_scenario(**({"demand.floor": 2} if name == "floor2" else {}))
        assert check_output_dir(write_scenario(scenario, f"{name}.yaml"), folder / name).ok
    assert not (folder / "capped").exists() and not (folder / "typo").exists()
    assert floor2["variant"] == "floor2" and floor2["overrides"] == ["demand.floor=2"]
    assert base["variant"] is None and base["overrides"] == []
    # `check --variant` checks a variant's roster against the variant (and it is not
    # valid for the scenario without it)
    ok = runner.invoke(app, ["check", str(path), str(folder / "floor2"), "--variant", "floor2"])
    assert ok.exit_code == 0, ok.output
    assert runner.invoke(app, ["check", str(path), str(folder / "floor2"),
                               "--set", "demand.floor=3"]).exit_code == 1
    # values and deltas against the first run come from the runs' own summaries
    assert int(table["headcount"][1]) == floor2["headcount"]
    assert int(table["headcount_delta"][1]) == floor2["headcount"] - base["headcount"]
    assert float(table["paid_hours_delta"][1]) == pytest.approx(floor2["paid_hours"] - base["paid_hours"])
    assert int(table["headcount_delta"][0]) == 0
    assert table["headcount"][2] == ""  # no value: empty, not 0
    assert float(table["cost"][0]) == pytest.approx(base["cost"])  # from the run's summary
    assert table["overrides"][1] == "demand.floor=2"
    # each run keeps the scenario's CP-SAT workers
    assert floor2["solver_parameters"]["num_workers"] == 2
    # the workbook holds the same table
    sheet = openpyxl.load_workbook(folder / "comparison.xlsx")["Comparison"]
    values = list(sheet.values)
    assert list(values[0]) == csv_header()
    assert [r[0] for r in values[1:]] == list(table["run"])
    assert values[2][csv_header().index("headcount")] == floor2["headcount"]
    assert values[3][csv_header().index("headcount")] is None


def test_sweep_grid_matches_single_solves(write_scenario, tmp_path):
    path = write_scenario(small_scenario())
    out = tmp_path / "out"
    result = _compare(path, "--sweep", "demand.floor=1:2:1", "--sweep", "rules.min_rest_hours=8,12",
                      "--cluster", "none", "--solver-workers", "1", "--out", out)
    assert result.exit_code == 0, result.output
    folder = out / "small"
    table = pd.read_csv(folder / "comparison.csv")
    assert list(table["run"]) == ["floor=1,min_rest_hours=8", "floor=1,min_rest_hours=12",
                                  "floor=2,min_rest_hours=8", "floor=2,min_rest_hours=12"]
    for run in table["run"]:
        assert _summary(folder / run)["solver_parameters"]["num_workers"] == 1
    single = runner.invoke(app, ["solve", str(path), "--out", str(tmp_path / "single"), "--quiet",
                                 "--set", "demand.floor=2", "--set", "rules.min_rest_hours=12"])
    assert single.exit_code == 0
    assert _summary(folder / "floor=2,min_rest_hours=12")["headcount"] == _summary(tmp_path / "single")["headcount"]


def test_compare_several_files(write_scenario, tmp_path):
    a = write_scenario(small_scenario(), "a.yaml")
    b = write_scenario(small_scenario(**{"demand.floor": 2}), "b.yaml")
    out = tmp_path / "out"
    # with the progress bar (not --quiet)
    result = runner.invoke(app, ["compare", str(a), str(b), str(SCENARIOS / "tiny.yaml"),
                                 "--cluster", "none", "--out", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "comparison.csv")
    assert list(table["run"]) == ["small/base", "small-b/base", "tiny/base"]
    assert [(out / r).is_dir() for r in table["run"]] == [True] * 3
    assert table["headcount_delta"][1] == table["headcount"][1] - table["headcount"][0]


def test_local_parallelism_leaves_each_run_its_cp_sat_workers(write_scenario):
    two = load_scenario(write_scenario(small_scenario()))
    one = load_scenario(write_scenario(small_scenario(**{"solver.workers": 1}), "one.yaml"))
    assert local_parallelism([two] * 4, cores=2) == 1
    assert local_parallelism([one] * 4, cores=2) == 2
    assert local_parallelism([one, two], cores=8) == 2  # never more than the runs
    assert local_parallelism([two] * 6, cores=8) == 4
    assert local_parallelism([two], cores=1) == 1


def test_plan_runs_layout(write_scenario, tmp_path):
    path = write_scenario(_with_variants())
    runs, folder = plan_runs([path], "floor2", ["solver.seed=3"], ["rules.min_rest_hours=8:9:1"], tmp_path)
    assert folder == tmp_path / "small"
    assert [r.label for r in runs] == ["base/min_rest_hours=8", "base/min_rest_hours=9",
                                       "floor2/min_rest_hours=8", "floor2/min_rest_hours=9"]
    assert runs[2].out_dir == tmp_path / "small" / "floor2" / "min_rest_hours=8"
    assert [o.text for o in runs[3].overrides] == ["solver.seed=3", "rules.min_rest_hours=9"]


@pytest.mark.parametrize(
    "args, expected",
    [
        (["--sweep", "rules.min_rest_hours=1:5:0"], "--sweep rules.min_rest_hours=1:5:0"),
        (["--variants", "nope"], "no variant named 'nope'"),
        (["--set", "rules"], "--set rules: expected KEY=VALUE"),
        (["--cluster", "tcp://127.0.0.1:9"], "cannot reach the Dask scheduler"),
    ],
)
def test_compare_bad_command_line_exit_2(write_scenario, tmp_path, args, expected):
    path = write_scenario(_with_variants())
    result = _compare(path, "--out", tmp_path / "out", *args)
    assert result.exit_code == 2, result.output
    assert expected in result.output and "Traceback" not in result.output


def test_compare_every_run_invalid_exit_2(write_scenario, tmp_path):
    path = write_scenario(small_scenario())
    result = _compare(path, "--sweep", "rules.max_days_per_week=8,9", "--cluster", "none",
                      "--out", tmp_path / "out")
    assert result.exit_code == 2, result.output
    table = pd.read_csv(tmp_path / "out" / "small" / "comparison.csv")
    assert list(table["status"]) == ["error", "error"]
    assert all("--sweep rules.max_days_per_week=" in r and "less than or equal to 7" in r
               for r in table["reason"])


def test_ctrl_c_keeps_the_finished_runs(tmp_path):
    """SIGINT once the quick run is written: exit 130, the slow run cancelled."""
    slow = tmp_path / "slow.yaml"
    slow.write_text(f"extends: {SCENARIOS / 'normal_week.yaml'}\nname: slow\n")
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "scheduler", "compare", str(SCENARIOS / "tiny.yaml"), str(slow),
         "--out", str(out), "--parallel", "1", "--time-limit", "120", "--quiet"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while not (out / "tiny" / "base" / "summary.json").exists():
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
            time.sleep(0.2)
        time.sleep(1.0)  # the slow run is solving now
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr
    table = pd.read_csv(out / "comparison.csv", keep_default_na=False)
    assert list(table["status"]) == ["optimal", "cancelled"]
    assert (out / "tiny" / "base" / "roster.xlsx").is_file()
    assert not (out / "slow").exists()
    assert "tiny" in stdout  # the terminal table (labels may be cut to its width)


def test_runs_alike_once_made_safe_get_their_own_folders(write_scenario, tmp_path):
    path = write_scenario(small_scenario())
    runs, _ = plan_runs([path], None, (), ["description=a b,a_b,a?b"], tmp_path)
    assert [r.label for r in runs] == ["description=a b", "description=a_b", "description=a?b"]
    assert len({r.out_dir for r in runs}) == 3
    assert runs[0].out_dir.name == "description=a_b" and runs[1].out_dir.name == "description=a_b-2"


def test_a_run_that_cannot_be_written_is_an_error_and_the_others_go_on(write_scenario, tmp_path):
    path = write_scenario(small_scenario())
    out = tmp_path / "out"
    (out / "small").mkdir(parents=True)
    (out / "small" / "floor=1").write_text("a file where the run's folder would go")
    result = _compare(path, "--sweep", "demand.floor=1,2", "--cluster", "none", "--out", out)
    assert result.exit_code == 1, result.output
    table = pd.read_csv(out / "small" / "comparison.csv", keep_default_na=False)
    assert list(table["status"]) == ["error", "optimal"]
    assert "cannot write" in table["reason"][0]
    assert (out / "small" / "floor=2" / "summary.json").is_file()


def test_columns_fill_in_when_the_summary_reports_them(tmp_path):
    """Cost, overtime and service level come from the summary when it has them (as
    it will once costs and channels are modelled); absent, they stay empty."""
    from rich.console import Console

    from scheduler.models import Summary
    from scheduler.cli.compare import Comparison, Outcome, RunSpec, rows, terminal_table, write_comparison

    class LaterSummary(Summary):
        cost: float | None = None
        overtime_hours: float | None = None
        service_level: float | None = None

    def outcome(label, **kw):
        spec = RunSpec(label, tmp_path / "s.yaml", None, (), tmp_path / label)
        return Outcome(spec, "optimal", LaterSummary(scenario="s", status="optimal",
                                                     objective="cost", **kw))

    comparison = Comparison([
        outcome("a", headcount=10, paid_hours=80.0, cost=1000.0, service_level=0.8),
        outcome("b", headcount=12, paid_hours=96.0, cost=1250.5, service_level=0.85),
        outcome("c", headcount=9, paid_hours=72.0),
    ])
    table = rows(comparison)
    assert table[1]["cost"] == 1250.5 and table[1]["cost_delta"] == pytest.approx(250.5)
    assert table[1]["service_level_delta"] == pytest.approx(0.05)
    assert table[2]["cost"] is None and table[2]["cost_delta"] is None
    assert table[2]["headcount_delta"] == -1
    assert all(r["overtime_hours"] is None for r in table)
    console = Console(width=200, record=True)
    console.print(terminal_table(comparison))
    text = console.export_text()
    assert "1,250.5 (+250.5)" in text and "85.0% (+5.0 pt)" in text and "9 (-1)" in text
    assert "not reported by any run: overtime h" in text
    write_comparison(comparison, tmp_path)
    sheet = openpyxl.load_workbook(tmp_path / "comparison.xlsx")["Comparison"]
    head = [c.value for c in sheet[1]]
    assert sheet.cell(3, head.index("cost") + 1).value == 1250.5
    assert sheet.cell(4, head.index("cost") + 1).value is None
