"""The changes file of `scheduler replan`: read and checked against the scenario, then
applied to its data (absences as hard requests from the re-plan's start, leavers' end
dates, a new demand file)."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduler.errors import InputError
from scheduler.scenario.changes import apply_changes, check_against_kept, read_changes

DATA = {
    "horizon": {"start_date": "2026-11-16", "days": 14},
    "demand": {"required": [1] * 14, "floor": 1},
    "staff": {"people": [{"id": "E1", "pool": "ft"}, {"id": "E2", "pool": "ft",
                                                         "end_date": "2026-11-25"}]},
    "requests": {"items": [{"id": "E1", "kind": "day_off", "date": "2026-11-17"}]},
}
HEADER = "kind,id,date,start_date,end_date,file,note\n"


def read(tmp_path, *rows):
    path = tmp_path / "changes.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return read_changes(path, DATA)


def test_absences_become_hard_requests_from_the_start_day(tmp_path):
    changes = read(tmp_path, "sick,E1,,2026-11-18,2026-11-21,,flu",
                   "unavailable,E2,2026-11-17,,,,")
    out = apply_changes(DATA, changes, dt.datetime(2026, 11, 19, 12))
    added = out["requests"]["items"][1:]
    # the sickness before the start day was worked as it was: clipped; the day of the
    # start itself stays (shifts after the start may still be changed)
    assert added == [{"id": "E1", "kind": "leave", "start_date": "2026-11-19",
                      "end_date": "2026-11-21"}]
    assert DATA["requests"]["items"] == [{"id": "E1", "kind": "day_off",
                                          "date": "2026-11-17"}]  # not changed in place
    assert changes.earliest_day() == dt.date(2026, 11, 17)


def test_a_leaver_ends_the_day_before_unless_already_earlier(tmp_path):
    changes = read(tmp_path, "leaves,E1,2026-11-20,,,,", "leaves,E2,2026-11-27,,,,")
    out = apply_changes(DATA, changes, dt.datetime(2026, 11, 16))
    ends = {p["id"]: p.get("end_date") for p in out["staff"]["people"]}
    assert ends == {"E1": "2026-11-19", "E2": "2026-11-25"}


def test_a_demand_change_replaces_the_requirement_with_the_file(tmp_path):
    (tmp_path / "v2.csv").write_text("start,required\n", encoding="utf-8")
    changes = read(tmp_path, "demand,,,,,v2.csv,")
    out = apply_changes(DATA, changes, dt.datetime(2026, 11, 16))
    assert out["demand"] == {"file": str((tmp_path / "v2.csv").resolve()), "floor": 1}
    assert changes.earliest_day() is None


@pytest.mark.parametrize("row, column, needle", [
    ("sick,E9,2026-11-18,,,,", "id", "unknown id 'E9'"),
    ("sick,E1,2026-11-30,,,,", "date", "outside the horizon"),
    ("sick,E1,2026-11-29,,,,", None, None),  # the horizon's last day: just inside
    ("sick,E1,,2026-11-20,2026-11-18,,", None, "end_date is before start_date"),
    ("sick,E1,2026-11-18,2026-11-18,2026-11-19,,", None, "not both"),
    ("sick,,2026-11-18,,,,", None, "needs id"),
    ("demand,E1,,,,x.csv,", None, "file only"),
    ("sick,E1,2026-11-18,,,x.csv,", None, "file does not apply"),
    ("nap,E1,2026-11-18,,,,", "kind", "Input should be"),
])
def test_bad_rows_name_file_line_and_column(tmp_path, row, column, needle):
    if needle is None:
        assert read(tmp_path, row).rows[0][1] == 2
        return
    with pytest.raises(InputError) as info:
        read(tmp_path, row)
    err = info.value
    assert err.line == 2 and needle in err.message
    if column is not None:
        assert err.key_path == f"changes: column {column}"


def test_an_empty_file_and_an_unknown_column_are_refused(tmp_path):
    path = tmp_path / "changes.csv"
    path.write_text(HEADER, encoding="utf-8")
    with pytest.raises(InputError, match="lists no change"):
        read_changes(path, DATA)
    path.write_text("kind,id,date,colour\nsick,E1,2026-11-18,red\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown column 'colour'"):
        read_changes(path, DATA)


def test_absence_on_a_kept_day_is_refused_and_the_day_after_is_not(tmp_path):
    start = dt.datetime(2026, 11, 18, 9)
    kept = {("E1", dt.date(2026, 11, 18))}
    with pytest.raises(InputError, match="kept as worked") as info:
        check_against_kept(read(tmp_path, "sick,E1,2026-11-18,,,,"), kept, start)
    assert info.value.line == 2
    check_against_kept(read(tmp_path, "sick,E1,2026-11-19,,,,"), kept, start)
    with pytest.raises(InputError, match="kept as worked"):
        check_against_kept(read(tmp_path, "leaves,E1,2026-11-17,,,,"), kept, start)


QUEUES = {**DATA, "horizon": {"start_date": "2026-11-16", "days": 1, "slot_minutes": 60},
          "channels": [{"name": "A", "required": [1] * 24}, {"name": "B", "required": [2] * 24}]}
"""A folder that keeps its queues as solved: one day of hourly slots, queues A and B."""


def queue_file(tmp_path, values: list[int], name: str = "a_v2.csv") -> None:
    (tmp_path / name).write_text("start,required\n" + "".join(
        f"2026-11-16T{h:02d}:00,{v}\n" for h, v in enumerate(values)), encoding="utf-8")


def read_queues(tmp_path, *rows, data=QUEUES):
    path = tmp_path / "changes.csv"
    path.write_text(HEADER.replace("note", "note,queue") + "\n".join(rows) + "\n",
                    encoding="utf-8")
    return read_changes(path, data)


def test_a_queues_demand_change_replaces_that_queues_agents_only(tmp_path):
    queue_file(tmp_path, [3] * 24)
    queue_file(tmp_path, [0] * 23 + [4], "a_v3.csv")
    changes = read_queues(tmp_path, "demand,,,,,a_v2.csv,,A", "demand,,,,,a_v3.csv,later,A")
    assert changes.demand_changed and changes.demand_file is None
    out = apply_changes(QUEUES, changes, dt.datetime(2026, 11, 16))
    # the last change naming a queue stands; the other queue and the data given are kept
    assert [c["required"] for c in out["channels"]] == [[0] * 23 + [4], [2] * 24]
    assert QUEUES["channels"][0]["required"] == [1] * 24
    assert out["demand"] == DATA["demand"]


@pytest.mark.parametrize("row, data, column, needle", [
    ("demand,,,,,a_v2.csv,,", QUEUES, "queue", "names its queue in the column queue (one of A, B)"),
    ("demand,,,,,a_v2.csv,,C", QUEUES, "queue", "unknown queue 'C': the scenario's queues are A, B"),
    ("demand,,,,,a_v2.csv,,A", DATA, "queue", "one requirement, no queues"),
    ("sick,E1,2026-11-16,,,,,A", QUEUES, None, "queue does not apply to sick"),
])
def test_a_demand_change_names_a_queue_exactly_when_the_folder_keeps_queues(
        tmp_path, row, data, column, needle):
    queue_file(tmp_path, [3] * 24)
    with pytest.raises(InputError) as info:
        read_queues(tmp_path, row, data=data)
    err = info.value
    assert err.line == 2 and needle in err.message
    if column is not None:
        assert err.key_path == f"changes: column {column}"


def test_a_queues_demand_file_missing_a_slot_names_that_file_and_queue(tmp_path):
    queue_file(tmp_path, [3] * 23)  # the last hour missing
    with pytest.raises(InputError, match="1 of 24 slots have no row") as info:
        read_queues(tmp_path, "demand,,,,,a_v2.csv,,A")
    assert info.value.file == str((tmp_path / "a_v2.csv").resolve())
    assert info.value.key_path == "channels[A].required"
