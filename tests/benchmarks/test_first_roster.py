"""benchmarks/first_roster.py: the case list, the per-(case, limit) medians and table from a
small fake CSV, its marker block in the docs (also without a results file), and one real
run of the command line on `tiny` (limit 5 s, one run)."""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest

from tests.benchmarks.benchcases import BENCH, PROJECT, load_benchmark


first_roster = load_benchmark("first_roster")
tables = load_benchmark("bench_tables")
run_all = load_benchmark("run_all")


def table_rows(text: str) -> list[list[str]]:
    lines = [ln for ln in text.splitlines() if ln.startswith("|")]
    return [[c.strip() for c in ln.strip("|").split("|")] for ln in lines[2:]]


def row(case, limit, run, wall, exit_code=0, roster=True, objective="headcount", head="",
        bound="", gap="", value="", obound="", first="", checked="True", mb="300", load="1.0"):
    return {"case": case, "limit_s": str(limit), "run": str(run), "seed": str(run),
            "wall_s": str(wall), "over_limit_s": str(round(wall - limit, 2)),
            "exit_code": str(exit_code), "roster": str(roster),
            "status": "feasible" if roster else "", "objective": objective if roster else "",
            "headcount": str(head), "headcount_lower_bound": str(bound),
            "headcount_gap": str(gap), "objective_value": str(value),
            "objective_bound": str(obound), "gap": str(gap), "first_roster_seconds": str(first),
            "solve_seconds": "", "checked": checked if roster else "", "max_rss_mb": mb,
            "load_avg_1min": load, "load_avg_1min_after": load, "message": "", "note": ""}


def fake_rows() -> list[dict]:
    return [
        # a headcount case at 10 s then 5 s (the table sorts limits within a case)
        row("scale_28_p200", 10, 0, 10.4, head=520, bound=505, gap=0.0288, first=3.2),
        row("scale_28_p200", 10, 1, 11.9, head=512, bound=505, gap=0.0137, first=4.0),
        row("scale_28_p200", 10, 2, 10.2, head=515, bound=506, gap=0.0175, first="",
            checked="False"),
        row("scale_28_p200", 5, 0, 8.0, exit_code=1, roster=False),
        row("scale_28_p200", 5, 1, 5.5, head=530, bound=505, gap=0.0472, first=4.5),
        row("scale_28_p200", 5, 2, 9.0, exit_code=1, roster=False),
        # a cost case, one run
        row("double11", 5, 0, 5.9, objective="cost", value=1234567.0, obound=1200000.5,
            gap=0.028, load="2.5"),
    ]


def test_the_cases_are_the_issues_and_their_names_stable():
    names = list(first_roster.cases())
    assert names[:5] == ["tiny", "normal_week", "workload_week", "double11", "618"]
    for horizon in ("1", "1o", "7", "28", "28o"):
        for peak in (50, 200, 1000):
            assert f"scale_{horizon}_p{peak}" in names
    assert {"scale_28v_p200", "promotion_p1000", "double11_fortnight"} <= set(names)
    for name in first_roster.BUNDLED:
        assert (PROJECT / "scenarios" / f"{name}.yaml").exists()
    assert first_roster.select("tiny,scale_28*") == [
        "tiny", "scale_28_p50", "scale_28_p200", "scale_28_p1000", "scale_28o_p50",
        "scale_28o_p200", "scale_28o_p1000", "scale_28v_p200"]
    with pytest.raises(SystemExit, match="unknown case.*nosuch"):
        first_roster.select("tiny,nosuch")


def test_a_grid_case_is_the_scale_grids_roster_case(tmp_path):
    from scheduler.workload.loaded import load_scenario

    path = first_roster.cases()["scale_28v_p200"](tmp_path)
    loaded = load_scenario(path)
    assert (loaded.scenario.horizon.days, loaded.scenario.horizon.cyclic) == (28, True)
    assert max(loaded.required) == 200
    assert loaded.scenario.rules.max_days_per_week == 5


def test_medians_per_case_and_limit():
    groups = first_roster.groups(fake_rows())
    assert [key for key, _ in groups] == [("scale_28_p200", 5.0), ("scale_28_p200", 10.0),
                                          ("double11", 5.0)]
    ten = first_roster.summarise(groups[1][1])
    assert (ten["runs"], ten["rosters"], ten["checked"]) == (3, 3, 2)
    assert (ten["value"], ten["bound"]) == (515, 505)
    assert ten["gap"] == pytest.approx(0.0175)
    assert ten["first_roster_s"] == pytest.approx(3.6)  # the blank run is left out
    assert ten["wall_s"] == pytest.approx(10.4)
    assert ten["over_worst_s"] == pytest.approx(1.9)
    five = first_roster.summarise(groups[0][1])
    assert (five["rosters"], five["exit"]) == (1, "1 x2, 0")
    assert five["wall_s"] == pytest.approx(8.0)  # wall time over every run, roster or not
    assert five["value"] == 530


def test_the_table_from_a_fake_csv(tmp_path):
    path = tmp_path / "first_roster.csv"
    rows = fake_rows()
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=first_roster.FIELDS)
        w.writeheader()
        w.writerows(rows)
    text = tables.render_block("first_roster", tmp_path)
    assert text.startswith("| case | limit s | runs with a roster | first roster s |")
    assert table_rows(text) == [
        ["scale_28_p200", "5", "1/3", "4.5", "headcount", "530 (505)", "4.72%", "8.0",
         "+3.0 (+4.0)", "1/1 clean", "1 x2, 0", "300", "1.0"],
        ["scale_28_p200", "10", "3/3", "3.6", "headcount", "515 (505)", "1.75%", "10.4",
         "+0.4 (+1.9)", "2/3 clean", "0", "300", "1.0"],
        ["double11", "5", "1/1", "-", "cost", "1,234,567 (1,200,000.5)", "2.80%", "5.9",
         "+0.9", "1/1 clean", "0", "300", "2.5"],
    ]
    assert "not recorded" in text.splitlines()[-1]  # no meta.json here
    # the script prints the same table
    proc = subprocess.run([sys.executable, str(BENCH / "first_roster.py"), "--table",
                           str(path)], capture_output=True, text=True, cwd=PROJECT,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == first_roster.table(rows)


def test_without_a_results_file_the_block_says_how_to_make_it(tmp_path):
    text = tables.render_block("first_roster", tmp_path)
    assert "No results yet" in text and "run_all.py --only first_roster" in text
    page = "# x\n\n<!-- bench:first_roster -->\nold\n<!-- /bench:first_roster -->\n"
    new, done = tables.replace_blocks(page, tmp_path)
    assert done == ["first_roster"] and "No results yet" in new


def test_run_all_knows_it_and_the_readme_headline_draws_on_it():
    bench = run_all.BENCHMARKS["first_roster"]
    assert bench.script == "first_roster.py" and bench.csv == "first_roster.csv"
    assert bench.headline
    assert "first_roster" in tables.TABLES["headline"].benchmarks
    quick = bench.quick[0]
    assert quick[quick.index("--limits") + 1] == "5" and quick[quick.index("--runs") + 1] == "1"


def test_quick_form_on_tiny_runs_the_command_line(tmp_path):
    out = tmp_path / "first_roster.csv"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "first_roster.py"), "--cases", "tiny", "--limits", "5",
         "--runs", "1", "--csv", str(out), "--note", "smoke run"],
        capture_output=True, text=True, cwd=PROJECT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    rows = first_roster.read_csv(out)
    assert len(rows) == 1
    r = rows[0]
    assert list(r) == first_roster.FIELDS
    assert (r["case"], r["limit_s"], r["exit_code"], r["roster"], r["checked"]) == (
        "tiny", "5.0", "0", "True", "True")
    assert r["objective"] == "headcount" and int(r["headcount"]) >= int(r["headcount_lower_bound"])
    assert 0 < float(r["wall_s"]) < 5 + 60  # generous: the limit is not what is tested
    assert float(r["over_limit_s"]) == pytest.approx(float(r["wall_s"]) - 5, abs=0.02)
    assert float(r["max_rss_mb"]) > 20  # the child's memory, not zero
    assert r["load_avg_1min"] != "" and r["note"] == "smoke run"
    assert "| tiny | 5 | 1/1 |" in proc.stdout
