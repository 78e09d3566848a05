"""`scheduler replan` with a new forecast of contacts (a `contacts` change): the agents are
sized again from the scenario file the folder was solved from, with the new volume file,
and the roster re-planned for them; refused (exit 2, the changes file's line and column)
when that file no longer gives the roster's requirement or names no such channel."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
import yaml
from typer.testing import CliRunner

from scheduler.check import check_output_dir
from scheduler.cli import app

from conftest import serves_team

runner = CliRunner()
SERVES = {"P1": ["A"], "P2": ["B"], "P3": ["A"], "P4": ["B"]}


def rows(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def solve(folder, data) -> tuple:
    path = folder / "team.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    out = folder / "out"
    done = runner.invoke(app, ["solve", str(path), "--out", str(out), "--quiet"])
    assert done.exit_code == 0, done.output
    return path, out


@pytest.fixture(scope="module")
def split(tmp_path_factory):
    """A folder whose scenario splits queues A and B among the people who serve them."""
    return solve(tmp_path_factory.mktemp("split"), serves_team(list(SERVES.items())))


def volume_file(path, data, factors: dict[str, float]) -> None:
    """The scenario's contacts per slot, each channel's times its factor, as a volume file
    (`start` and a column per channel)."""
    start = dt.datetime.fromisoformat(data["horizon"]["start_date"])
    step = dt.timedelta(minutes=data["horizon"]["slot_minutes"])
    names = [c["name"] for c in data["channels"]]
    lines = ["start," + ",".join(names)]
    for i in range(len(data["channels"][0]["volume"])):
        values = [c["volume"][i] * factors.get(c["name"], 1.0) for c in data["channels"]]
        lines.append(f"{start + i * step:%Y-%m-%dT%H:%M}," + ",".join(f"{v:g}" for v in values))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def replan(folder, tmp_path, row: str, header: str = "kind,id,date,start_date,end_date,"
           "file,note,queue"):
    changes = tmp_path / "changes.csv"
    changes.write_text(f"{header}\n{row}\n", encoding="utf-8")
    out = tmp_path / "new"
    done = runner.invoke(app, ["replan", str(folder), "--changes", str(changes), "--out",
                               str(out), "--time-limit", "8"])
    return done, out


def on_queue(folder, queue: str) -> list[str]:
    return sorted(r["agent"] for r in rows(folder / "shifts.csv")
                  if SERVES[r["agent"]] == [queue])


def test_twice_the_contacts_on_a_queue_bring_in_its_second_person(split, tmp_path):
    path, folder = split
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    volume_file(tmp_path / "contacts_v2.csv", data, {"A": 2.0})
    done, out = replan(folder, tmp_path, "contacts,,,,,contacts_v2.csv,after-sale wave,A")
    assert done.exit_code == 0, done.output
    assert on_queue(out, "A") == ["P1", "P3"]
    assert on_queue(out, "B") == on_queue(folder, "B")  # B's contacts did not change
    saved = yaml.safe_load((out / "scenario.yaml").read_text(encoding="utf-8"))
    before = yaml.safe_load((folder / "scenario.yaml").read_text(encoding="utf-8"))
    required = {c["name"]: c["required"] for c in saved["channels"]}
    old = {c["name"]: c["required"] for c in before["channels"]}
    assert required["A"] == [2 * v for v in old["A"]] and required["B"] == old["B"]
    assert check_output_dir(out / "scenario.yaml", out).violations == []


def test_new_contacts_for_every_channel_of_a_team_that_serves_them_all(tmp_path):
    # everyone serves both queues: the saved scenario holds the whole requirement
    data = serves_team([(f"P{i}", None) for i in range(4)])
    path, folder = solve(tmp_path, data)
    saved = yaml.safe_load((folder / "scenario.yaml").read_text(encoding="utf-8"))
    assert saved["channels"] == [] and max(saved["demand"]["required"]) == 2
    volume_file(tmp_path / "contacts_v2.csv", data, {"A": 2.0, "B": 2.0})
    done, out = replan(folder, tmp_path, "contacts,,,,,contacts_v2.csv,,")
    assert done.exit_code == 0, done.output
    replanned = yaml.safe_load((out / "scenario.yaml").read_text(encoding="utf-8"))
    assert replanned["demand"]["required"] == [2 * v for v in saved["demand"]["required"]]
    assert len({r["agent"] for r in rows(out / "shifts.csv")}) == 4
    assert check_output_dir(out / "scenario.yaml", out).violations == []


def test_an_unknown_channel_is_refused_with_its_line_and_column(split, tmp_path):
    path, folder = split
    volume_file(tmp_path / "v.csv", yaml.safe_load(path.read_text(encoding="utf-8")), {})
    done, out = replan(folder, tmp_path, "contacts,,,,,v.csv,,C")
    assert done.exit_code == 2
    text = " ".join(done.output.split())
    assert "changes.csv:2:" in text and "column queue" in text and "channels are A, B" in text
    assert not out.exists()


def test_a_scenario_file_edited_since_the_solve_is_refused(split, tmp_path):
    path, folder = split
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    volume_file(tmp_path / "v.csv", data, {"A": 2.0})
    original = path.read_text(encoding="utf-8")
    edited = dict(data, channels=[dict(c, volume=[3 * v for v in c["volume"]])
                                  for c in data["channels"]])
    try:
        path.write_text(yaml.safe_dump(edited, sort_keys=False), encoding="utf-8")
        done, out = replan(folder, tmp_path, "contacts,,,,,v.csv,,A")
    finally:
        path.write_text(original, encoding="utf-8")
    assert done.exit_code == 2
    text = " ".join(done.output.split())
    assert "changes.csv:2:" in text and "no longer gives the agents per slot" in text
    assert not out.exists()


def test_a_missing_volume_file_is_named(split, tmp_path):
    _, folder = split
    done, out = replan(folder, tmp_path, "contacts,,,,,nowhere.csv,,A")
    assert done.exit_code == 2
    assert "no volume file 'nowhere.csv'" in " ".join(done.output.split())
