"""`scheduler replan`: a named roster re-planned after sickness, leave, a leaver or a new
demand, with the shifts before --from kept as worked, the new roster checked by the
independent checker and changes.csv recounted here from the two rosters."""

from __future__ import annotations

import csv
import datetime as dt
import json

import pytest
import yaml
from typer.testing import CliRunner

from scheduler.check import check_output_dir
from scheduler.cli import app

from conftest import named_fortnight

runner = CliRunner()
START = dt.date(2026, 11, 16)
DAYS = 14


def fortnight() -> dict:
    return named_fortnight([{"id": "E05", "kind": "leave", "date": "2026-11-20"}],
                           time_limit_seconds=10)


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    folder = tmp_path_factory.mktemp("replan")
    path = folder / "fortnight.yaml"
    path.write_text(yaml.safe_dump(fortnight(), sort_keys=False), encoding="utf-8")
    out = folder / "out"
    done = runner.invoke(app, ["solve", str(path), "--out", str(out), "--quiet"])
    assert done.exit_code == 0, done.output
    return out


def shifts_of(folder) -> dict[tuple[str, str], tuple[str, str, str]]:
    """(agent, day) -> (type, start, end), read straight from shifts.csv."""
    with open(folder / "shifts.csv", newline="", encoding="utf-8") as f:
        return {(r["agent"], r["day"]): (r["shift_type"], r["start"], r["end"])
                for r in csv.DictReader(f)}


def changes_file(tmp_path, rows: list[str], name: str = "changes.csv"):
    path = tmp_path / name
    path.write_text("kind,id,date,start_date,end_date,file,note\n" + "\n".join(rows) + "\n",
                    encoding="utf-8")
    return path


def replan(solved, tmp_path, rows, *extra):
    out = tmp_path / "new"
    done = runner.invoke(app, ["replan", str(solved), "--changes",
                               str(changes_file(tmp_path, rows)), "--out", str(out),
                               "--time-limit", "8", *extra])
    return done, out


def worked_days(roster, agent) -> list[str]:
    return sorted(day for a, day in roster if a == agent)


def test_sick_days_are_covered_with_the_past_kept_and_the_changes_listed(solved, tmp_path):
    before = shifts_of(solved)
    sick = worked_days(before, "E03")
    day = next(d for d in sick if d >= "2026-11-21")  # a day E03 was to work
    done, out = replan(solved, tmp_path, [f"sick,E03,{day},,,,flu"],
                       "--from", f"{day}T00:00")
    assert done.exit_code == 0, done.output
    report = check_output_dir(out / "scenario.yaml", out)
    assert report.ok, report.violations[:5]
    after = shifts_of(out)
    assert (("E03", day)) not in after
    # everything that started before --from is as it was
    kept = {k: v for k, v in before.items() if v[1] < f"{day}T00:00"}
    assert kept == {k: v for k, v in after.items() if v[1] < f"{day}T00:00"}
    # changes.csv lists exactly the person-days that differ
    differ = {k for k in before.keys() | after.keys()
              if (before.get(k) or (None,))[:2] != (after.get(k) or (None,))[:2]}
    with open(out / "changes.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {(r["agent"], r["day"]) for r in rows} == differ
    sick_row = next(r for r in rows if r["agent"] == "E03")
    assert sick_row["reason"] == "sick (flu)" and sick_row["now"] == "off"
    summary = json.loads((out / "summary.json").read_text())
    figures = summary["replan"]
    assert figures["changed_shifts"] == len(differ)
    assert figures["forced_changes"] == 1
    assert figures["people_affected"] == len({a for a, _ in differ})
    # the scenario written beside the roster carries the sickness as leave
    written = yaml.safe_load((out / "scenario.yaml").read_text())
    assert {"id": "E03", "kind": "leave", "start_date": day, "end_date": day} in [
        {k: r[k] for k in ("id", "kind", "start_date", "end_date")}
        for r in written["requests"]["items"]]


def test_a_leaver_works_nothing_from_the_day_they_go(solved, tmp_path):
    gone = (START + dt.timedelta(days=9)).isoformat()
    done, out = replan(solved, tmp_path, [f"leaves,E07,{gone},,,,resigned"])
    assert done.exit_code == 0, done.output
    assert check_output_dir(out / "scenario.yaml", out).ok
    after = shifts_of(out)
    assert all(day < gone for day in worked_days(after, "E07"))
    before = shifts_of(solved)
    assert {k: v for k, v in before.items() if k[1] < gone} == \
        {k: v for k, v in after.items() if k[1] < gone}


def test_new_demand_is_covered_and_the_roster_checked(solved, tmp_path):
    rows = ["start,required"]
    for d in range(DAYS):
        for h in range(24):
            need = 1 if h < 7 or h > 21 else 2
            if d >= 10 and 9 <= h < 17:
                need = 3  # a promotion the planners learnt of late
            rows.append(f"{(START + dt.timedelta(days=d)).isoformat()}T{h:02d}:00,{need}")
    (tmp_path / "demand_v2.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    done, out = replan(solved, tmp_path, ["demand,,,,,demand_v2.csv,promotion"],
                       "--from", (START + dt.timedelta(days=10)).isoformat())
    assert done.exit_code == 0, done.output
    report = check_output_dir(out / "scenario.yaml", out)
    assert report.ok and report.short_agent_slots == 0, report.violations[:5]


@pytest.mark.parametrize("row, needle", [
    ("sick,E99,2026-11-20,,,,", "unknown id 'E99'"),
    ("sick,E01,2026-12-20,,,,", "outside the horizon"),
    ("holiday,E01,2026-11-20,,,,", "column kind"),
    ("demand,,,,,nowhere.csv,", "no demand file 'nowhere.csv'"),
    ("leaves,E01,,2026-11-20,2026-11-22,,", "a leaves change needs date"),
])
def test_bad_changes_exit_2_naming_file_line_and_column(solved, tmp_path, row, needle):
    done, out = replan(solved, tmp_path, [row])
    assert done.exit_code == 2
    assert needle in done.output and "changes.csv:2" in done.output
    assert "Traceback" not in done.output and not out.exists()


def test_an_absence_on_a_day_already_worked_before_from_is_refused(solved, tmp_path):
    before = shifts_of(solved)
    agent = max({a for a, _ in before}, key=lambda a: len(worked_days(before, a)))
    day = worked_days(before, agent)[2]
    done, out = replan(solved, tmp_path, [f"sick,{agent},{day},,,,"],
                       "--from", f"{day}T23:00")
    assert done.exit_code == 2 and "kept as worked" in done.output
    assert not out.exists()


def test_a_folder_without_named_staff_is_refused(write_scenario, tmp_path):
    from tests.conftest import small_scenario

    path = write_scenario(small_scenario())
    out = tmp_path / "anon"
    assert runner.invoke(app, ["solve", str(path), "--out", str(out), "--quiet"]).exit_code == 0
    done = runner.invoke(app, ["replan", str(out), "--changes",
                               str(changes_file(tmp_path, ["sick,E01,2026-11-20,,,,"]))])
    assert done.exit_code == 2 and "named staff" in done.output


def test_the_report_shows_each_person_with_their_name(solved):
    """Named staff in report.html: each Gantt row is labelled with the staff id and name
    (the payload the page draws from)."""
    html = (solved / "report.html").read_text(encoding="utf-8")
    working = {a for a, _ in shifts_of(solved) if not a.startswith("ft-hire")}
    assert working
    for agent in working:
        assert f'"{agent} Person {int(agent[1:])}"' in html


def test_activities_carry_the_staff_id_and_name(solved):
    with open(solved / "activities.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    named = [r for r in rows if not r["agent"].startswith("ft-hire")]
    assert named and all(r["name"] == f"Person {int(r['agent'][1:])}" for r in named)
    assert {r["activity"] for r in named} == {"shift"}  # the fortnight has no breaks
