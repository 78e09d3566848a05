"""The commands in Chinese and English: `--lang`, the scenario's `locale`, the environment;
the language recorded and kept by `scheduler report`; machine-readable files English in
every language; and every text the code passes to a translator present in the Chinese
catalogue, so nothing a person reads is left untranslated."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import openpyxl
import pytest
from rich.console import Console
from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.cli.compare import Comparison, Outcome, RunSpec, terminal_table
from scheduler.cli.language import summary_table
from scheduler.i18n import catalogue, translator
from scheduler.models import PoolSummary, Summary
from tests.conftest import small_scenario

runner = CliRunner()
PACKAGE = Path(__file__).resolve().parents[2] / "scheduler"
WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")


def _translated_literals() -> dict[str, str]:
    """Every string literal passed first to a translator in the package: calls of `t`,
    `tr`, `data.t`, `self.t` (English text -> where)."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            if name in ("t", "tr") and isinstance(node.args[0], ast.Constant) \
                    and isinstance(node.args[0].value, str):
                found[node.args[0].value] = f"{path.relative_to(PACKAGE)}:{node.lineno}"
    return found


def test_every_text_given_to_a_translator_is_in_the_chinese_catalogue():
    literals = _translated_literals()
    assert len(literals) > 120  # the report, the workbook and the commands
    missing = {text: where for text, where in literals.items() if text not in catalogue("zh")}
    assert missing == {}


def _solve(path, out, *extra):
    return runner.invoke(app, ["solve", str(path), "--out", str(out), "--quiet", *extra])


def test_solve_in_chinese_then_report_keeps_the_language(write_scenario, tmp_path):
    path = write_scenario(small_scenario())
    out = tmp_path / "out"
    result = _solve(path, out, "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert "人数" in result.output and "已写入" in result.output
    # no English word left but the scenario's name and the output folder's path
    printed = re.sub(r"\s+", "", result.output).replace(re.sub(r"\s+", "", str(out)), "")
    assert set(WORD.findall(printed)) <= {"small"}, printed
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["language"] == "zh" and "headcount" in summary  # keys stay English
    assert (out / "shifts.csv").read_text().startswith("agent,shift_type,start,end")
    assert '<html lang="zh-CN">' in (out / "report.html").read_text(encoding="utf-8")
    assert openpyxl.load_workbook(out / "roster.xlsx").sheetnames[0] == "排班"

    # rebuilt in the language it was written in, unless --lang says otherwise
    result = runner.invoke(app, ["report", str(out)])
    assert result.exit_code == 0 and "已写入" in result.output, result.output
    assert '<html lang="zh-CN">' in (out / "report.html").read_text(encoding="utf-8")
    result = runner.invoke(app, ["report", str(out), "--lang", "en"])
    assert result.exit_code == 0 and "wrote" in result.output, result.output
    assert '<html lang="en">' in (out / "report.html").read_text(encoding="utf-8")
    assert openpyxl.load_workbook(out / "roster.xlsx").sheetnames[0] == "Roster"
    result = runner.invoke(app, ["report", str(out)])
    assert '<html lang="en">' in (out / "report.html").read_text(encoding="utf-8")

    result = runner.invoke(app, ["check", str(path), str(out), "--lang", "zh"])
    assert result.exit_code == 0 and "0 处违规" in result.output, result.output
    # the Chinese workbook is checked too: its Shifts and Breaks sheets stay English
    runner.invoke(app, ["report", str(out), "--lang", "zh"])
    result = runner.invoke(app, ["check", str(path), str(out / "roster.xlsx")])
    assert result.exit_code == 0 and "0 violations" in result.output, result.output


def test_the_scenario_locale_and_the_environment(write_scenario, tmp_path, monkeypatch):
    path = write_scenario(small_scenario(locale="zh-CN"))
    result = _solve(path, tmp_path / "a")
    assert result.exit_code == 0 and "人数" in result.output, result.output
    result = _solve(path, tmp_path / "b", "--lang", "en")
    assert result.exit_code == 0 and "headcount" in result.output, result.output
    plain = write_scenario(small_scenario())
    monkeypatch.setenv("SCHEDULER_LANG", "zh_CN.UTF-8")
    result = _solve(plain, tmp_path / "c")
    assert result.exit_code == 0 and "人数" in result.output, result.output


def test_unknown_languages_are_refused(write_scenario, tmp_path):
    path = write_scenario(small_scenario())
    result = _solve(path, tmp_path / "a", "--lang", "fr")
    assert result.exit_code == 2 and "--lang 'fr'" in result.output
    bad = write_scenario(small_scenario(locale="fr_FR"))
    result = _solve(bad, tmp_path / "b")
    assert result.exit_code == 2 and "locale" in result.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_summary_and_comparison_tables(lang, tmp_path):
    t = translator(lang)
    pools = [PoolSummary(name="phone", standing=6, rostered=6, hired=0, paid_hours=96.0,
                         overtime_hours=0.0, cost=1234.5)]
    summary = Summary(scenario="s", status="optimal", objective="headcount", headcount=1234,
                      paid_hours=9870.5, shifts=5000, short_agent_slots=0, over_agent_slots=12,
                      pools=pools, cost=1234.5, overtime_hours=0.0)

    def outcome(label, **kw):
        spec = RunSpec(label, tmp_path / "s.yaml", None, (), tmp_path / label)
        return Outcome(spec, "optimal", summary.model_copy(update=kw))

    console = Console(width=200, record=True)
    console.print(summary_table(summary, t))
    console.print(terminal_table(Comparison([outcome("a"), outcome("b", headcount=1230)]), t))
    text = console.export_text()
    assert t.missing == set()
    assert "1,234" in text and "1,230 (-4)" in text
    if lang == "zh":
        assert "人数" in text and "最优" in text and "比较" in text and "人员池 phone" in text
    else:
        assert "headcount" in text and "optimal" in text


def test_compare_in_chinese_writes_its_runs_in_chinese(write_scenario, tmp_path):
    path = write_scenario(small_scenario())
    root = tmp_path / "runs"
    result = runner.invoke(app, ["compare", str(path), "--cluster", "none", "--out", str(root),
                                 "--quiet", "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert "比较" in result.output and "已写入" in result.output
    reports = list(root.rglob("report.html"))
    assert len(reports) == 1
    assert '<html lang="zh-CN">' in reports[0].read_text(encoding="utf-8")
    summary = json.loads((reports[0].parent / "summary.json").read_text(encoding="utf-8"))
    assert summary["language"] == "zh"
    assert list(root.rglob("comparison.csv"))  # the machine-readable table, English


def test_staffing_and_simulate_in_chinese(write_scenario, tmp_path):
    from tests.cli.test_simulate import one_queue

    path = write_scenario(one_queue())
    result = runner.invoke(app, ["staffing", str(path), "--out", str(tmp_path / "st"),
                                 "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert "各渠道每日人力需求" in result.output and "峰值需求" in result.output
    header = (tmp_path / "st" / "staffing.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.isascii()  # the machine-readable file stays English
    out = tmp_path / "out"
    assert _solve(path, out, "--lang", "zh").exit_code == 0
    # simulate keeps the folder's language
    result = runner.invoke(app, ["simulate", str(out), "--runs", "2", "--seed", "1"])
    assert result.exit_code == 0, result.output
    assert "仿真服务水平" in result.output and "80% in" not in result.output
    text = (out / "report.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in text and 'id="simulation-chart"' in text
    assert "仿真" in openpyxl.load_workbook(out / "roster.xlsx").sheetnames


def _english_words(output: str, *allowed: str) -> set[str]:
    """English words printed, once the allowed names (paths, keys, ids) are taken out."""
    text = " ".join(output.split())
    for name in allowed:
        text = text.replace(name, "")
    return set(WORD.findall(text))


def test_bad_input_is_reported_in_chinese(write_scenario, tmp_path):
    path = write_scenario(small_scenario(horizon={"start_date": "2026-11-16", "days": "many",
                                                  "slot_minutes": 60, "cyclic": True,
                                                  "colour": "red"}))
    result = _solve(path, tmp_path / "out", "--lang", "zh")
    assert result.exit_code == 2, result.output
    assert "输入应为有效的整数" in result.output and "未知的键" in result.output
    assert _english_words(result.output, str(path), "horizon.days", "horizon.colour") == set()
    english = _solve(path, tmp_path / "out", "--lang", "en")
    assert english.exit_code == 2 and "unknown key" in english.output


def test_infeasibility_is_explained_in_chinese(write_scenario, tmp_path):
    data = small_scenario()
    data["rules"] = {"max_days_per_week": 5}  # a cyclic day: 7 working days in 7
    result = _solve(write_scenario(data), tmp_path / "out", "--lang", "zh")
    assert result.exit_code == 1, result.output
    assert "循环周期" in result.output and "劳动规则不允许" in result.output
    assert _english_words(result.output, "max_days_per_week") == set(), result.output


def test_checker_violations_are_reported_in_chinese(write_scenario, tmp_path):
    path = write_scenario(small_scenario())
    out = tmp_path / "out"
    assert _solve(path, out).exit_code == 0
    lines = (out / "shifts.csv").read_text().splitlines()
    (out / "shifts.csv").write_text("\n".join(lines[:-1]) + "\n")  # one shift fewer: short
    broken = runner.invoke(app, ["check", str(path), str(out / "shifts.csv"), "--lang", "zh"])
    assert broken.exit_code == 1, broken.output
    assert "在岗" in broken.output and "缺" in broken.output
    # rule names (coverage) stay as the checker's identifiers
    assert _english_words(broken.output, "coverage") == set(), broken.output
