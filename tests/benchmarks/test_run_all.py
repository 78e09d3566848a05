"""benchmarks/run_all.py and the table renderer of docs/benchmarks.md and the README's
headline (benchmarks/bench_tables.py): marker blocks re-rendered from small CSV fixtures,
text outside them untouched, clear errors, the committed pages equal to what the committed
CSVs render, and real subprocess runs of run_all (a cheap benchmark in --quick mode, and
stand-in scripts that succeed or fail)."""

from __future__ import annotations

import csv
import json
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

from tests.benchmarks.benchcases import BENCH, PROJECT, load_benchmark


tables = load_benchmark("bench_tables")
run_all = load_benchmark("run_all")


def write_csv(path: Path, rows: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path


def table_rows(text: str) -> list[list[str]]:
    """The body rows of the first Markdown table in `text`, as stripped cells."""
    lines = [ln for ln in text.splitlines() if ln.startswith("|")]
    return [[c.strip() for c in ln.strip("|").split("|")] for ln in lines[2:]]


def staffing_rows() -> list[dict]:
    return [
        {"model": "A", "peak_scale": "1.0", "peak_erlangs": "35.2", "peak_agents": "40",
         "runs": "3", "median_s": "0.0131", "min_s": "0.012", "max_s": "0.02"},
        {"model": "C", "peak_scale": "100.0", "peak_erlangs": "3520.4", "peak_agents": "3900",
         "runs": "3", "median_s": "0.0042", "min_s": "0.004", "max_s": "0.005"},
    ]


BEFORE = "# Title\n\nSome prose | with a pipe.\n\n"
AFTER = "\n\nMore prose, kept as it is.\n<!-- not a bench marker -->\n"


def page_with(name: str, inner: str = "| old | table |\n|---|---|\n| 1 | 2 |\n") -> str:
    return f"{BEFORE}<!-- bench:{name} -->\n{inner}<!-- /bench:{name} -->{AFTER}"


# ---------------------------------------------------------------- the marker blocks

def test_a_block_is_replaced_and_the_text_outside_is_untouched(tmp_path):
    write_csv(tmp_path / "staffing.csv", staffing_rows())
    text = page_with("staffing")
    new, done = tables.replace_blocks(text, tmp_path)
    assert done == ["staffing"]
    assert new.startswith(BEFORE + "<!-- bench:staffing -->\n")
    assert new.endswith("<!-- /bench:staffing -->" + AFTER)
    assert "| old | table |" not in new
    assert table_rows(new) == [
        ["Erlang A (voice, chat) + deadline", "35", "0.013"],
        ["Erlang C, volumes x 100 (`--peak-scale 100`)", "3,520", "0.004"],
    ]
    # rendering again changes nothing
    assert tables.replace_blocks(new, tmp_path)[0] == new


def test_blocks_of_benchmarks_not_selected_are_left_alone(tmp_path):
    write_csv(tmp_path / "staffing.csv", staffing_rows())
    text = page_with("staffing") + page_with("msd")  # no msd.csv: it must not be read
    new, done = tables.replace_blocks(text, tmp_path, only={"staffing"})
    assert done == ["staffing"]
    assert new.endswith(page_with("msd"))


def test_a_missing_csv_is_a_clear_error(tmp_path):
    with pytest.raises(tables.TableError) as err:
        tables.replace_blocks(page_with("msd"), tmp_path)
    message = str(err.value)
    assert str(tmp_path / "msd.csv") in message and "not found" in message
    assert "run_all.py --only msd" in message


def test_an_unclosed_or_unknown_block_names_its_line(tmp_path):
    with pytest.raises(tables.TableError,
                       match=r"docs/benchmarks.md line 5: .*no '<!-- /bench:msd -->'"):
        tables.replace_blocks(BEFORE + "<!-- bench:msd -->\n| x |\n", tmp_path,
                              source="docs/benchmarks.md")
    with pytest.raises(tables.TableError, match=r"line 5: unknown table 'nosuch'"):
        tables.replace_blocks(page_with("nosuch"), tmp_path)


def test_a_csv_without_the_needed_columns_is_a_clear_error(tmp_path):
    write_csv(tmp_path / "staffing.csv", [{"model": "A", "median_s": "0.1"}])
    with pytest.raises(tables.TableError, match="staffing: .*lacks the column.*peak_scale"):
        tables.replace_blocks(page_with("staffing"), tmp_path)


def test_update_pages_writes_atomically_and_keeps_every_page_on_error(tmp_path):
    results = tmp_path / "results"
    write_csv(results / "staffing.csv", staffing_rows())
    first, second = tmp_path / "benchmarks.md", tmp_path / "README.md"
    first.write_text(page_with("staffing"), encoding="utf-8")
    second.write_text(page_with("staffing") + page_with("msd"), encoding="utf-8")
    before = [first.read_text(encoding="utf-8"), second.read_text(encoding="utf-8")]
    with pytest.raises(tables.TableError):  # msd.csv is missing: no page is written
        tables.update_pages([first, second], results)
    assert [first.read_text(encoding="utf-8"), second.read_text(encoding="utf-8")] == before
    assert tables.update_pages([first, second], results, only={"staffing"}) == {
        first: ["staffing"], second: ["staffing"]}
    for page in (first, second):
        assert "| Erlang A (voice, chat) + deadline | 35 | 0.013 |" in page.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md", "benchmarks.md",
                                                          "results"]


def test_the_metadata_line_names_machine_versions_date_load_and_command(tmp_path):
    rows = [{**r, "load_avg_1min": load} for r, load in zip(staffing_rows(), ("1.24", "2.5"))]
    write_csv(tmp_path / "staffing.csv", rows)
    (tmp_path / "meta.json").write_text(json.dumps({"staffing": {
        "machine": "x86_64, 2 cores", "versions": {"Python": "3.11.7", "numpy": "2.4.6"},
        "date": "2026-11-26 01:00-01:01 UTC", "load_avg_1min": "0.1-0.2",
        "commands": ["python benchmarks/staffing.py --runs 3"]}}))
    block = tables.render_block("staffing", tmp_path)
    line = block.splitlines()[-1]
    for part in ("x86_64, 2 cores", "Python 3.11.7, numpy 2.4.6", "2026-11-26 01:00-01:01 UTC",
                 "load average 1.2-2.5", "`python benchmarks/staffing.py --runs 3`"):
        assert part in line  # the CSV's per-row loads win over the run's before/after
    (tmp_path / "meta.json").unlink()
    assert "not recorded" in tables.render_block("staffing", tmp_path).splitlines()[-1]


# ---------------------------------------------------------------- renderers

def peer_row(peak, run, engine, setting, paid, shifts, seconds, short="0", head=""):
    return {"case": f"week_p{peak}", "peak": str(peak), "run": str(run), "engine": engine,
            "setting": setting, "status": "feasible", "paid_hours": str(paid),
            "paid_hours_bound": "", "max_shifts_on_a_day": str(shifts), "headcount": head,
            "headcount_lower_bound": "", "short_agent_slots": short,
            "short_after_midnight": short, "seconds": str(seconds)}


def test_peer_tables_give_medians_over_runs_and_median_ratios_within_a_run():
    ours, wrap = tables.OURS_LIKE, "overnight shifts wrapped in the day"
    figures = [  # (our paid, our seconds, their paid, their seconds) per run
        (1000, 20.0, 1000, 10.0), (1200, 30.0, 1100, 30.0), (900, 25.0, 800, 50.0)]
    rows = []
    for run, (op, osec, tp, tsec) in enumerate(figures):
        rows.append(peer_row(50, run, "ours", ours, op, 100, osec, head="100"))
        rows.append(peer_row(50, run, "pyworkforce", wrap, tp, 100 + run, tsec, short=str(run)))
    main = table_rows(tables.render_peer(rows))
    assert tables.render_peer(rows).startswith("| peak (3 runs: medians) |")
    assert main[0][:5] == ["50", "ours", ours, "feasible", "1,000"]
    assert main[0][-1] == "25.0"
    assert main[1][4] == "1,000" and main[1][5] == "101" and main[1][7] == "1 (1)"
    ratios = table_rows(tables.render_peer_ratios(rows))
    per_run = [op / tp for op, _, tp, _ in figures]
    assert ratios == [["50", wrap, f"{statistics.median(per_run):.3f}",
                       f"{statistics.median([100 / 100, 100 / 101, 100 / 102]):.3f}",
                       f"{statistics.median([2.0, 1.0, 0.5]):.2f}"]]
    # the median of the ratios is not the ratio of the medians here
    assert f"{statistics.median(per_run):.3f}" != f"{1000 / 1000:.3f}"


def test_msd_table_groups_by_set_and_split_with_tune_first():
    def r(split, gap, seconds):
        return {"set": "DataSet1", "instance": "x", "split": split, "gap": gap,
                "seconds": seconds}

    rows = [r("test", "0.0", "1.0"), r("tune", "0.5", "9.0"), r("tune", "0.0", "3.0"),
            r("tune", "", "60.0")]
    assert table_rows(tables.render_msd(rows)) == [
        ["DataSet1", "tune", "3", "1", "25.00%", "50.00%", "9.0", "60.0"],
        ["DataSet1", "test", "1", "1", "0.00%", "0.00%", "1.0", "1.0"],
    ]


def test_curtois_table_has_a_row_per_instance_and_a_summary_per_group():
    def r(name, group, best, found, gap, limit):
        return {"instance": name, "group": group, "split": "tune", "best_known": best,
                "found": found, "gap": gap, "seconds": "60.0", "time_limit": limit}

    rows = [r("Instance1", "1-7", "607", "607", "0.0", "60"),
            r("Instance2", "1-7", "828", "845", "0.0205", "60"),
            r("Instance21", "20-24", "21133", "", "", "300")]
    body = table_rows(tables.render_curtois(rows))
    assert body[1] == ["Instance2", "tune", "60", "828", "845", "2.05%", "60.0"]
    assert body[2][4:6] == ["-", "-"]  # no roster: no figure, no gap
    assert body[3][:6] == ["**1-7**", "", "60", "1 of 2 reached", "2 rosters",
                           "mean 1.03%, max 2.05%"]
    assert body[4][3:6] == ["0 of 1 reached", "0 rosters", "-"]


def test_the_committed_results_render_every_table_of_the_pages():
    assert run_all.PAGES == (PROJECT / "docs" / "benchmarks.md", PROJECT / "README.md")
    blocks = {}
    for page in run_all.PAGES:
        text = page.read_text(encoding="utf-8")
        names = [name for name, _, _ in tables.find_blocks(text, str(page))]
        blocks[page.name] = names
        new, done = tables.replace_blocks(text, BENCH / "results", source=str(page))
        assert sorted(done) == sorted(names)
        assert new == text, f"{page}: tables differ from the committed CSVs: run " \
                            "`python benchmarks/run_all.py --tables-only`"
    assert blocks["README.md"] == ["headline"]
    assert set(blocks["benchmarks.md"]) == set(tables.TABLES) - {"headline"}


def test_the_headline_uses_every_benchmark_and_names_a_missing_one(tmp_path):
    headline = tables.TABLES["headline"]
    assert set(headline.benchmarks) == {n for n, b in run_all.BENCHMARKS.items() if b.headline}
    assert {n for n, b in run_all.BENCHMARKS.items() if not b.headline} == {
        "skills", "forecast", "staff", "patterns", "curtois", "web", "output_model"}
    page = page_with("headline")
    # re-rendered when any of its benchmarks ran; left alone otherwise
    assert tables.replace_blocks(page, tmp_path, only={"nosuch"}) == (page, [])
    with pytest.raises(tables.TableError, match=r"core_week.csv not found.*--only core_week"):
        tables.replace_blocks(page, tmp_path, only={"staffing"})
    rendered = tables.render_block("headline", BENCH / "results")
    assert rendered.startswith("| benchmark | result |")
    assert "230 of 230" in rendered  # the committed msd.csv: every instance reached
    last = rendered.splitlines()[-1]
    assert "x86_64, 2 cores" in last and "benchmarks page" in last
    assert "no run metadata for" in tables.headline_meta_line(("core_week",), {})


# ---------------------------------------------------------------- run_all itself

def test_quick_smoke_of_a_cheap_benchmark(tmp_path):
    page = tmp_path / "benchmarks.md"
    page.write_text(page_with("staffing"), encoding="utf-8")
    results = tmp_path / "results"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run_all.py"), "--quick", "--only", "staffing",
         "--results", str(results), "--page", str(page), "--quiet"],
        capture_output=True, text=True, cwd=PROJECT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    with open(results / "staffing.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["model"] for r in rows] == ["A", "C"]
    meta = json.loads((results / "meta.json").read_text())["staffing"]
    assert meta["commands"][0].startswith("python benchmarks/staffing.py --runs 1")
    assert "quick" in meta["note"]
    new = page.read_text(encoding="utf-8")
    assert new.startswith(BEFORE) and new.endswith(AFTER)
    body = table_rows(new)
    assert [b[1] for b in body] == [f"{float(r['peak_erlangs']):,.0f}" for r in rows]
    assert [p.name for p in results.iterdir() if p.name.startswith(".run-")] == []


def stand_in(tmp_path: Path, name: str, code: str):
    script = tmp_path / f"{name}.py"
    script.write_text(
        "import argparse, csv\n"
        "ap = argparse.ArgumentParser(); ap.add_argument('--csv'); ap.add_argument('--x')\n"
        "a = ap.parse_args()\n" + code)
    return run_all.Bench(str(script), "staffing.csv", full=(("--x", "1"),),
                         quick=(("--x", "1"),), packages=())


WRITE = ("rows = [dict(model='A', peak_scale='1', peak_erlangs='7', median_s='0.5')]\n"
         "w = csv.DictWriter(open(a.csv, 'w', newline=''), fieldnames=list(rows[0]))\n"
         "w.writeheader(); w.writerows(rows)\n")


def test_a_failed_benchmark_leaves_the_previous_csv_and_page_alone(tmp_path, monkeypatch,
                                                                   capsys):
    results = tmp_path / "results"
    old = write_csv(results / "staffing.csv", staffing_rows()).read_text()
    page = tmp_path / "README.md"
    page.write_text(page_with("staffing"), encoding="utf-8")
    monkeypatch.setitem(run_all.BENCHMARKS, "staffing",
                        stand_in(tmp_path, "half", WRITE + "raise SystemExit('died late')\n"))
    code = run_all.main(["--only", "staffing", "--results", str(results),
                         "--page", str(page), "--quiet"])
    assert code == 1
    assert "died late" in capsys.readouterr().err
    assert (results / "staffing.csv").read_text() == old
    assert page.read_text(encoding="utf-8") == page_with("staffing")
    assert not (results / "meta.json").exists()


def test_a_successful_benchmark_replaces_its_csv_and_table(tmp_path, monkeypatch):
    results = tmp_path / "results"
    write_csv(results / "staffing.csv", staffing_rows())
    page = tmp_path / "README.md"
    page.write_text(page_with("staffing"), encoding="utf-8")
    monkeypatch.setitem(run_all.BENCHMARKS, "staffing", stand_in(tmp_path, "ok", WRITE))
    assert run_all.main(["--results", str(results), "--page", str(page), "--quiet",
                         "--only", "staffing"]) == 0
    assert table_rows(page.read_text()) == [["Erlang A (voice, chat) + deadline", "7",
                                               "0.500"]]
    meta = json.loads((results / "meta.json").read_text())["staffing"]
    assert meta["commands"] == [run_all.shown_command(run_all.BENCHMARKS["staffing"],
                                                      ("--x", "1"), results / "staffing.csv")]


def test_tables_only_with_skip_and_unknown_names(tmp_path, capsys):
    results = tmp_path / "results"
    write_csv(results / "staffing.csv", staffing_rows())
    page = tmp_path / "README.md"
    page.write_text(page_with("staffing") + page_with("msd"), encoding="utf-8")
    assert run_all.main(["--tables-only", "--results", str(results), "--page", str(page),
                         "--skip", "msd"]) == 0
    assert "| old | table |" in page.read_text()  # the msd block was skipped
    assert "35.2" not in page.read_text() and "| 35 |" in page.read_text()
    assert run_all.main(["--tables-only", "--results", str(results),
                         "--page", str(page)]) == 2
    assert "msd.csv not found" in capsys.readouterr().err
    with pytest.raises(SystemExit, match="unknown benchmark"):
        run_all.main(["--only", "nosuch"])
