"""The core's messages in Chinese: every message template in the source is in the
message catalogue, and finished messages (composed ones too) come out translated."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from scheduler.i18n import translator
from scheduler.i18n.messages import fields, has_words, message_catalogue

PACKAGE = Path(__file__).resolve().parents[2] / "scheduler"
# Calls whose message argument a person reads: (name, index of the message argument).
MESSAGE_CALLS = {"InputError": 0, "ValueError": 0, "Violation": 1, "SchedulerError": 0,
                 "PathRefused": 0, "UploadRefused": 0, "ForecastRefused": 0}
# Lists of notes and warnings shown to a person: `notes.append(message)`.
NOTE_LISTS = ("notes", "warnings")


def _template(node: ast.AST) -> str | None:
    """The catalogue template of a string expression, or None when it is not a literal."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.replace("{", "{{").replace("}", "}}")
    if isinstance(node, ast.JoinedStr):
        out = []
        for part in node.values:
            if isinstance(part, ast.Constant):
                out.append(part.value.replace("{", "{{").replace("}", "}}"))
            else:
                out.append("{" + ast.unparse(part.value) + "}")
        return "".join(out)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _template(node.left), _template(node.right)
        if left is not None and right is not None:
            return left + right
    return None


def _name(func: ast.AST) -> str | None:
    return func.id if isinstance(func, ast.Name) else \
        func.attr if isinstance(func, ast.Attribute) else None


def source_templates() -> dict[str, str]:
    """Every literal message template in the package -> where it is (file:line)."""
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name, arg = _name(node.func), None
            if name in MESSAGE_CALLS and len(node.args) > MESSAGE_CALLS[name]:
                arg = node.args[MESSAGE_CALLS[name]]
            elif name == "append" and node.args and \
                    (_name(node.func.value) or "").endswith(NOTE_LISTS):
                arg = node.args[0]
            template = None if arg is None else _template(arg)
            if template is not None and has_words(template):
                where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
                found.setdefault(template, where)
    return found


def test_every_message_template_of_the_source_is_in_the_catalogue():
    known = {e.english for e in message_catalogue("zh")}
    missing = {t: where for t, where in source_templates().items() if t not in known}
    assert missing == {}


def test_every_catalogue_translation_keeps_the_fields_of_its_english():
    for entry in message_catalogue("zh"):
        english, chinese = set(fields(entry.english)), set(fields(entry.translation))
        assert chinese <= english, entry.english
        # only fields that write English endings ('s', 'is'/'are') may be left out
        dropped = {f for f in english - chinese if " if " not in f and "plural" not in f}
        assert dropped == set(), entry.english


def test_a_template_moves_its_fields_into_the_translation():
    t = translator("zh")
    assert t.message("file not found") == "找不到文件"
    assert t.message("slot 2026-11-11T00:30 appears twice") == "时段 2026-11-11T00:30 出现了两次"
    assert t.message("start 2026-12-01T00:00 is outside the horizon 2026-11-01T00:00 to "
                     "2026-11-30T23:30") == \
        "start 2026-12-01T00:00 在排班周期 2026-11-01T00:00 至 2026-11-30T23:30 之外"
    assert t.missing == set()


def test_a_field_holding_a_message_is_translated_too():
    t = translator("zh")
    said = t.message("unknown key (did you mean horizon?)")
    assert said == "未知的键（是否想写 horizon？）" and t.missing == set()


def test_a_composed_message_is_translated_part_by_part_and_names_stay():
    t = translator("zh")
    said = t.message("the rules conflict: one shift per agent per day, rules.max_days_per_week. "
                     "To relax: allow more working days per week; or raise pool 'temp''s "
                     "max_hire")
    assert said == ("规则相互冲突：每名坐席每天一个班次，rules.max_days_per_week。放宽方法："
                    "允许每周更多工作日；或提高人员池 'temp' 的 max_hire")
    assert t.missing == set()


def test_a_message_no_template_matches_stays_english_and_is_remembered():
    t = translator("zh")
    assert t.message("the moon is made of cheese") == "the moon is made of cheese"
    assert t.missing == {"the moon is made of cheese"}
    en = translator("en")
    assert en.message("file not found") == "file not found" and en.missing == set()


def test_pydantic_messages_are_in_the_catalogue():
    from pydantic_core._pydantic_core import list_all_errors

    # the messages a scenario's values can produce (not those of Python objects)
    kinds = {"missing", "extra_forbidden", "greater_than", "greater_than_equal", "less_than",
             "less_than_equal", "multiple_of", "finite_number", "too_short", "too_long",
             "string_type", "string_too_short", "string_too_long", "string_pattern_mismatch",
             "enum", "literal_error", "dict_type", "list_type", "bool_type", "bool_parsing",
             "int_type", "int_parsing", "int_from_float", "float_type", "float_parsing",
             "date_type", "date_parsing", "time_type", "time_parsing", "datetime_type",
             "datetime_parsing", "value_error", "union_tag_invalid"}
    known = {e.english for e in message_catalogue("zh")}
    templates = {e["type"]: e["message_template_python"] for e in list_all_errors()}
    assert {k: templates[k] for k in kinds if templates[k] not in known} == {}


def test_a_bad_scenario_reads_in_chinese(write_scenario):
    from scheduler.errors import InputErrors, error_lines
    from scheduler.workload.loaded import load_scenario

    from conftest import small_scenario

    path = write_scenario(small_scenario(horizon={"start_date": "2026-11-16", "days": "many",
                                                  "slot_minutes": 60, "cyclic": True,
                                                  "colour": "red"}))
    with pytest.raises(InputErrors) as caught:
        load_scenario(path)
    t = translator("zh")
    lines = error_lines(caught.value, t.message)
    assert len(lines) == 2 and t.missing == set()
    assert any("horizon.days" in line and "输入应为有效的整数" in line for line in lines)
    assert any("horizon.colour" in line and "未知的键" in line for line in lines)


def test_the_place_in_front_of_a_message_stays_as_it_is():
    t = translator("zh")
    said = t.message("--set rules.min_rest_hours=100: Input should be less than or equal to 72")
    assert said == "--set rules.min_rest_hours=100：输入应小于或等于 72" and t.missing == set()
    said = t.message("scenarios/week.yaml:12: horizon.days: file not found")
    assert said == "scenarios/week.yaml:12：horizon.days：找不到文件" and t.missing == set()
