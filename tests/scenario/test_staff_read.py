"""Named staff and requests read from CSV files or the scenario: checked against the
pools, shift types and horizon, each problem named by file, line and column."""

from __future__ import annotations

import pytest

from scheduler.errors import InputError, InputErrors
from scheduler.scenario.read import read_scenario


def week(**extra) -> dict:
    """A week of 60-minute slots, two pools (full-time 8 h, part-time 4 h)."""
    data = {
        "name": "staffed",
        "horizon": {"start_date": "2026-11-16", "days": 7, "slot_minutes": 60},
        "demand": {"required": [2] * 168},
        "shift_types": [
            {"name": "day", "paid_hours": [8], "earliest_start": "00:00",
             "latest_start": "23:00"},
            {"name": "short", "paid_hours": [4], "earliest_start": "00:00",
             "latest_start": "23:00"},
        ],
        "rules": {"max_days_per_week": 5, "min_rest_hours": 12,
                  "max_weekly_paid_hours": 40},
        "pools": [{"name": "ft", "shift_types": ["day"], "max_hire": 5},
                  {"name": "pt", "shift_types": ["short"], "max_hire": 5}],
    }
    data.update(extra)
    return data


STAFF = "id,name,pool,nights,team\nE1,Li Na,ft,true,north\nE2,Wang Wei,ft,,south\nE3,Chen Jing,pt,false,\n"


def write(write_scenario, tmp_path, staff: str = STAFF, requests: str | None = None, **extra):
    (tmp_path / "staff.csv").write_text(staff)
    data = week(staff={"file": "staff.csv"}, **extra)
    if requests is not None:
        (tmp_path / "requests.csv").write_text(requests)
        data["requests"] = {"file": "requests.csv"}
    return write_scenario(data)


def error_of(path) -> InputError:
    with pytest.raises((InputError, InputErrors)) as info:
        read_scenario(path)
    err = info.value
    return err.errors[0] if isinstance(err, InputErrors) else err


def test_a_staff_file_names_the_people_and_sets_each_pools_standing(write_scenario, tmp_path):
    sc = read_scenario(write(write_scenario, tmp_path)).scenario
    assert [p.id for p in sc.staff.people] == ["E1", "E2", "E3"]
    assert sc.staff.people[0].tags == {"team": "north"}
    assert sc.staff.people[2].nights is False
    assert [p.standing for p in sc.pools] == [2, 1]


def test_inline_staff_and_requests_are_read_too(write_scenario):
    data = week(staff={"people": [{"id": "A", "pool": "ft"}]},
                requests={"items": [{"id": "A", "kind": "leave", "date": "2026-11-17"}]})
    sc = read_scenario(write_scenario(data)).scenario
    assert sc.requests.items[0].days()[0].isoformat() == "2026-11-17"


@pytest.mark.parametrize("staff, line, column, words", [
    ("id,pool\nE1,ft\nE2,nope\n", 3, "pool", "no pool is named 'nope'"),
    ("id,pool\nE1,ft\nE1,pt\n", 3, "id", "given twice"),
    ("id,pool,nights\nE1,ft,maybe\n", 2, "nights", "not true or false"),
    ("id,pool,min_weekly_hours\nE1,ft,45\n", 2, "min_weekly_hours", "at most 40 h"),
    ("id,pool,earliest_start\nE1,ft,25:99\n", 2, "earliest_start", "not a time of day"),
])
def test_a_bad_staff_row_names_file_line_and_column(write_scenario, tmp_path, staff, line,
                                                   column, words):
    err = error_of(write(write_scenario, tmp_path, staff=staff))
    assert err.file.endswith("staff.csv") and err.line == line
    assert column in err.key_path and words in err.message


@pytest.mark.parametrize("requests, column, words", [
    ("id,kind,date\nE9,leave,2026-11-17\n", "id", "no person has the id 'E9'"),
    ("id,kind,date\nE1,leave,2026-12-01\n", "date", "not within the horizon"),
    ("id,kind,date\nE1,holiday,2026-11-17\n", "kind", "Input should be"),
    ("id,kind,date,shift_type\nE1,shift,2026-11-17,short\n", "shift_type",
     "not a shift type of E1's pool"),
    ("id,kind,date\nE1,shift,2026-11-17\n", "requests.file", "needs shift_type"),
])
def test_a_bad_request_names_file_line_and_column(write_scenario, tmp_path, requests, column,
                                                 words):
    err = error_of(write(write_scenario, tmp_path, requests=requests))
    assert err.file.endswith("requests.csv") and err.line == 2
    assert column in err.key_path and words in err.message


def test_a_standing_figure_that_disagrees_with_the_staff_is_refused(write_scenario, tmp_path):
    (tmp_path / "staff.csv").write_text(STAFF)
    data = week(staff={"file": "staff.csv"})
    data["pools"][0]["standing"] = 7
    err = error_of(write_scenario(data))
    assert "standing is 7 but the staff name 2" in err.message


def test_requests_without_staff_are_refused(write_scenario):
    data = week(requests={"items": [{"id": "A", "kind": "leave", "date": "2026-11-17"}]})
    err = error_of(write_scenario(data))
    assert "requests need staff" in err.message
