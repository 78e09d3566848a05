"""The scenario JSON Schema: generated from the models, committed without drift, accepted
by a draft 2020-12 validator, and true to the bundled scenarios (which name it)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

jsonschema = pytest.importorskip("jsonschema")

import scheduler.models  # noqa: E402
from pydantic import BaseModel  # noqa: E402
from scheduler.scenario.presets import available_presets  # noqa: E402
from scheduler.scenario.schema import SCHEMA_FILE, scenario_schema, schema_text  # noqa: E402
from tests.conftest import SCENARIOS, small_scenario  # noqa: E402

BUNDLED = sorted(SCENARIOS.rglob("*.yaml"))


def as_json(node):
    """YAML data as an editor's YAML 1.2 reader gives it: dates are strings."""
    if isinstance(node, dict):
        return {str(k): as_json(v) for k, v in node.items()}
    if isinstance(node, list):
        return [as_json(v) for v in node]
    if isinstance(node, (dt.date, dt.datetime)):
        return node.isoformat()
    return node


def validator():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    cls = jsonschema.Draft202012Validator
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def errors(data) -> list[tuple[str, str]]:
    return [(".".join(str(p) for p in e.absolute_path), e.message)
            for e in validator().iter_errors(as_json(data))]


def test_the_committed_schema_is_what_the_generator_writes_now():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        "docs/reference/scenario.schema.json is stale: run "
        "`scheduler schema --out docs/reference/scenario.schema.json`")


def test_schema_header_and_draft():
    schema = scenario_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] and schema["title"]
    assert list(schema["properties"])[0] == "extends" and "variants" in schema["properties"]
    assert schema["additionalProperties"] is False


def test_presets_are_the_files_in_configs():
    defs = scenario_schema()["$defs"]
    rules = defs["LabourRules"]["properties"]["preset"]["anyOf"][0]["enum"]
    solver = defs["SolverSettings"]["properties"]["profile"]["anyOf"][0]["enum"]
    assert rules == available_presets("rules") and "china-standard" in rules
    assert solver == available_presets("solver") and "deterministic" in solver


def test_every_field_of_the_scenario_models_has_a_description():
    models = {m for m in vars(scheduler.models).values()
              if isinstance(m, type) and issubclass(m, BaseModel)
              and m.__module__ != "scheduler.models.result"}
    assert {"Scenario", "Horizon", "Pool", "Channel", "Peak"} <= {m.__name__ for m in models}
    missing = [f"{m.__name__}.{name}" for m in models for name, field in m.model_fields.items()
               if not (field.description or "").strip()]
    assert not missing
    defs = scenario_schema()["$defs"]
    assert all(prop.get("description") for d in defs.values() for prop in d["properties"].values())


def test_units_open_the_descriptions_of_measured_fields():
    defs = scenario_schema()["$defs"]
    assert defs["Horizon"]["properties"]["slot_minutes"]["description"].startswith("[minutes]")
    assert defs["LabourRules"]["properties"]["min_rest_hours"]["description"].startswith("[hours]")
    assert defs["Channel"]["properties"]["service_level"]["description"].startswith("[share 0-1]")
    assert defs["Pool"]["properties"]["cost_per_paid_hour"]["description"].startswith(
        "[money per paid hour]")
    for model, props in ((m, d["properties"]) for m, d in defs.items()):
        for name, prop in props.items():
            if name.endswith(("_minutes", "_hours", "_seconds")):
                assert prop["description"].startswith("["), f"{model}.{name} states no unit"


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: str(p.relative_to(SCENARIOS)))
def test_every_bundled_scenario_is_valid_and_names_the_schema(path: Path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    target = (path.parent / first.split("$schema=", 1)[1]).resolve()
    assert target == SCHEMA_FILE.resolve()
    assert errors(yaml.safe_load(path.read_text(encoding="utf-8"))) == []


def test_the_bundled_scenarios_are_found():
    names = {p.relative_to(SCENARIOS).as_posix() for p in BUNDLED}
    assert {"tiny.yaml", "normal_week.yaml", "workload_week.yaml",
            "what-ifs/normal_week.yaml"} <= names


def test_the_schema_rejects_an_unknown_key_and_a_wrong_type():
    """So that the test above is not vacuous: the same file with a misspelt key and a
    word where a number goes fails, at those keys."""
    data = yaml.safe_load((SCENARIOS / "tiny.yaml").read_text(encoding="utf-8"))
    assert errors(data) == []
    data["horizon"]["slot_minute"] = 30
    data["shift_types"][0]["paid_hours"] = ["eight"]
    found = errors(data)
    assert ("horizon", "Additional properties are not allowed ('slot_minute' was unexpected)") in found
    assert any(where == "shift_types.0.paid_hours.0" and "not of type 'number'" in message
               for where, message in found)
    assert len(found) == 2


def test_the_schema_checks_presets_times_shares_and_required_keys():
    data = small_scenario()
    assert errors(data) == []
    data["rules"] = {"preset": "martian"}
    data["shift_types"][0]["earliest_start"] = "6am"
    data["horizon"].pop("days")
    data["channels"] = [{"name": "voice", "kind": "voice", "volume": [1.0] * 24,
                         "aht_seconds": 300, "service_level": 80, "answer_within_seconds": 20}]
    where = {w for w, _ in errors(data)}
    assert where == {"rules.preset", "shift_types.0.earliest_start", "horizon",
                     "channels.0.service_level"}


def test_a_file_that_extends_another_may_leave_out_the_required_keys():
    assert errors({"extends": "base.yaml", "horizon": {"days": 14}}) == []
    assert errors({"extends": "base.yaml", "horizon": {"day": 14}}) != []
    assert {w for w, _ in errors({"horizon": {"days": 14}})} == {"", "horizon"}


def test_variants_names_and_bodies():
    base = {"extends": "base.yaml"}
    assert errors({**base, "variants": {"six-days": {"rules.max_days_per_week": 6},
                                        "empty": None}}) == []
    assert errors({**base, "variants": {"base": {"rules.min_rest_hours": 11}}}) != []
    assert errors({**base, "variants": {"bad name": {}}}) != []
    assert errors({**base, "variants": {"v": 6}}) != []
