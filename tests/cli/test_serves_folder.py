"""A solved folder of a scenario that splits queues among the people who serve them
(pools' and people's `serves`): its scenario.yaml keeps each queue's agents as solved and
the serves, so that `scheduler check` holds each queue to the people who serve it on the
folder and on a re-plan of it, and `scheduler replan` covers a sick person's queue with
someone who serves it. A demand change for such a folder names its queue."""

from __future__ import annotations

import csv
import datetime as dt
import shutil

import pytest
import yaml
from typer.testing import CliRunner

from scheduler.check import check_output_dir
from scheduler.cli import app

from conftest import serves_team

runner = CliRunner()
SERVES = {"P1": ["A"], "P2": ["B"], "P3": ["A"], "P4": ["B"]}
"""Two people for each queue, one of each needed: the other is the stand-in."""


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    folder = tmp_path_factory.mktemp("serves")
    path = folder / "serves.yaml"
    path.write_text(yaml.safe_dump(serves_team(list(SERVES.items())), sort_keys=False),
                    encoding="utf-8")
    out = folder / "out"
    done = runner.invoke(app, ["solve", str(path), "--out", str(out), "--quiet"])
    assert done.exit_code == 0, done.output
    return out


def rows(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def on_queue(folder, queue: str) -> list[str]:
    """Who works in the folder's roster among the people serving only `queue`."""
    return [r["agent"] for r in rows(folder / "shifts.csv") if SERVES[r["agent"]] == [queue]]


def check(folder):
    return check_output_dir(folder / "scenario.yaml", folder)


def test_the_saved_scenario_keeps_each_queues_requirement_and_the_serves(solved):
    saved = yaml.safe_load((solved / "scenario.yaml").read_text(encoding="utf-8"))
    coverage = rows(solved / "coverage.csv")
    for channel in saved["channels"]:
        assert channel["required"] == [int(r[f"{channel['name']}_required"]) for r in coverage]
        assert "volume" not in channel
    assert {p["id"]: p["serves"] for p in saved["staff"]["people"]} == SERVES
    report = check(solved)
    assert report.violations == []
    assert report.queues is not None and set(report.queues.required) == {"A", "B"}


def test_the_checker_flags_a_stand_in_who_does_not_serve_the_queue(solved, tmp_path):
    # the A shift handed to the B person who is off: the total is still covered
    folder = tmp_path / "edited"
    shutil.copytree(solved, folder)
    a_person, = on_queue(solved, "A")
    spare = next(p for p, s in SERVES.items() if s == ["B"] and p not in on_queue(solved, "B"))
    text = (folder / "shifts.csv").read_text(encoding="utf-8")
    (folder / "shifts.csv").write_text(text.replace(f"{a_person},", f"{spare},"),
                                       encoding="utf-8")
    short = [v for v in check(folder).violations if v.rule == "queue_coverage"]
    assert short and {v.queue for v in short} == {"A"}


def test_a_sick_day_is_covered_by_someone_who_serves_the_queue(solved, tmp_path):
    sick, = on_queue(solved, "A")
    changes = tmp_path / "changes.csv"
    changes.write_text("kind,id,date,start_date,end_date,file,note\n"
                       f"sick,{sick},2026-11-16,,,,flu\n", encoding="utf-8")
    out = tmp_path / "new"
    done = runner.invoke(app, ["replan", str(solved), "--changes", str(changes), "--out",
                               str(out), "--time-limit", "8"])
    assert done.exit_code == 0, done.output
    stand_in, = on_queue(out, "A")
    assert stand_in != sick and SERVES[stand_in] == ["A"]
    assert on_queue(out, "B") == on_queue(solved, "B")  # the B person is left alone
    assert check(out).violations == []
    saved = yaml.safe_load((out / "scenario.yaml").read_text(encoding="utf-8"))
    assert {p["id"]: p["serves"] for p in saved["staff"]["people"]} == SERVES
    assert all(c.get("required") for c in saved["channels"])
    assert {r["agent"] for r in rows(out / "changes.csv")} == {sick, stand_in}


def test_a_demand_change_for_a_folder_with_queues_must_name_its_queue(solved, tmp_path):
    (tmp_path / "demand.csv").write_text("start,required\n", encoding="utf-8")
    changes = tmp_path / "changes.csv"
    changes.write_text("kind,id,date,start_date,end_date,file,note\n"
                       "demand,,,,,demand.csv,\n", encoding="utf-8")
    done = runner.invoke(app, ["replan", str(solved), "--changes", str(changes), "--out",
                               str(tmp_path / "new")])
    assert done.exit_code == 2
    text = " ".join(done.output.split())
    assert "changes.csv:2:" in text and "column queue" in text and "one of A, B" in text
    assert not (tmp_path / "new").exists()


def test_a_queues_new_demand_is_covered_by_someone_who_serves_it(solved, tmp_path):
    # queue A now needs two agents where it needed one: the A person who was off comes
    # in; the B queue and its person are left alone
    saved = yaml.safe_load((solved / "scenario.yaml").read_text(encoding="utf-8"))
    before = next(c["required"] for c in saved["channels"] if c["name"] == "A")
    after = [2 * v for v in before]
    start = dt.datetime.fromisoformat(str(saved["horizon"]["start_date"]))
    step = dt.timedelta(minutes=saved["horizon"].get("slot_minutes", 30))
    (tmp_path / "a_v2.csv").write_text(
        "start,required\n" + "".join(f"{start + i * step:%Y-%m-%dT%H:%M},{v}\n"
                                     for i, v in enumerate(after)), encoding="utf-8")
    changes = tmp_path / "changes.csv"
    changes.write_text("kind,id,date,start_date,end_date,file,note,queue\n"
                       "demand,,,,,a_v2.csv,after-sale wave,A\n", encoding="utf-8")
    out = tmp_path / "new"
    done = runner.invoke(app, ["replan", str(solved), "--changes", str(changes), "--out",
                               str(out), "--time-limit", "8"])
    assert done.exit_code == 0, done.output
    assert sorted(on_queue(out, "A")) == ["P1", "P3"]
    assert on_queue(out, "B") == on_queue(solved, "B")
    replanned = yaml.safe_load((out / "scenario.yaml").read_text(encoding="utf-8"))
    assert next(c["required"] for c in replanned["channels"] if c["name"] == "A") == after
    assert check(out).violations == []
    newcomer, = (p for p in ("P1", "P3") if p not in on_queue(solved, "A"))
    assert [r["agent"] for r in rows(out / "changes.csv")] == [newcomer]


def test_a_folder_of_the_staffing_loop_keeps_the_adjusted_figures(tmp_path):
    # two live queues and people serving both: the loop adjusts each queue's requirement;
    # the saved scenario states the adjusted one, coverage.csv keeps the Erlang columns
    data = serves_team([("P0", ["A"]), ("P1", ["B"])] + [(f"Q{i}", None) for i in range(6)],
                       max_hire=3)
    for channel, peak in zip(data["channels"], (30.0, 20.0)):
        channel.update(kind="voice", volume=[peak if v else 0.0 for v in channel["volume"]],
                       aht_seconds=300, service_level=0.8, answer_within_seconds=20)
        channel.pop("response_deadline_minutes")
    data["pooling"] = {"max_iterations": 2, "runs": 2}
    path = tmp_path / "loop.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    out = tmp_path / "out"
    done = runner.invoke(app, ["solve", str(path), "--out", str(out), "--quiet"])
    assert done.exit_code == 0, done.output
    coverage = rows(out / "coverage.csv")
    assert "A_erlang_required" in coverage[0]
    saved = yaml.safe_load((out / "scenario.yaml").read_text(encoding="utf-8"))
    for channel in saved["channels"]:
        assert channel["required"] == [int(r[f"{channel['name']}_required"]) for r in coverage]
    assert check(out).violations == []
