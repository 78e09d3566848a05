"""benchmarks/output_model.py: the least-squares fit finds known coefficients, a small real
run writes its rows, and its table renders from them (the child column blank without a
child)."""

from __future__ import annotations

import csv

import pytest

from tests.benchmarks.benchcases import load_benchmark


output_model = load_benchmark("output_model")
tables = load_benchmark("bench_tables")


def test_the_fit_recovers_the_coefficients_of_exact_data():
    rows = [{"shifts": s, "agents": a, "cpu": 0.2 + 5e-5 * s + 1e-4 * a, "child": True}
            for s, a in ((1000, 100), (5000, 900), (20000, 1500), (60000, 3000), (9000, 4000))]
    a, b, c = output_model.fit(rows, "cpu", lambda r: r["child"])
    assert (a, b, c) == (pytest.approx(0.2), pytest.approx(5e-5), pytest.approx(1e-4))
    with pytest.raises(ValueError):  # nothing picked: nothing to fit
        output_model.fit(rows, "cpu", lambda r: False)


def test_a_small_run_writes_its_rows_and_the_table_renders(tmp_path):
    path = tmp_path / "output_model.csv"
    assert output_model.main(["--agents", "20,700", "--days", "7", "--runs", "1",
                              "--csv", str(path)]) == 0
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["agents"] for r in rows] == ["20", "700"]
    small, big = rows
    assert small["child"] == "False" and big["child"] == "True"  # 100 and 3,500 shifts
    assert float(small["child_cpu_s"]) == pytest.approx(0.0, abs=0.02)
    assert float(big["critical_cpu_s"]) == max(float(big["parent_cpu_s"]),
                                               float(big["child_cpu_s"]))
    text = tables.render_output_model(rows)
    lines = [ln for ln in text.splitlines() if ln.startswith("| 20 ")]
    assert lines and "| no |" in lines[0] and "| - |" in lines[0]
    with pytest.raises(tables.TableError, match="output_model"):
        tables.render_output_model([{"agents": "1"}])
