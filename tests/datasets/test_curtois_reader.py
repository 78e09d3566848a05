"""The reader of the Curtois and Qu (2014) rostering instances: Instance1 as shipped in
../shared/benchmarks/curtois, CRLF text, and malformed files naming file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.datasets.curtois import (
    format_roster, parse_curtois, parse_roster, read_instance,
)
from scheduler.errors import InputError

DATA = Path(__file__).resolve().parents[3] / "shared" / "benchmarks" / "curtois"

SMALL = """# comment
SECTION_HORIZON
7

SECTION_SHIFTS
# id, minutes, cannot follow
E,480,
L,600,E

SECTION_STAFF
A,E=5|L=2,3000,960,4,1,1,1
B,E=0|L=7,4200,0,7,1,1,1

SECTION_DAYS_OFF
A,2,3

SECTION_SHIFT_ON_REQUESTS
B,1,L,2

SECTION_SHIFT_OFF_REQUESTS
A,0,E,3

SECTION_COVER
0,E,1,100,1
0,L,1,100,1
"""


@pytest.mark.skipif(not (DATA / "Instance1.txt").exists(), reason="benchmark data not here")
def test_reads_instance1():
    inst = read_instance(DATA / "Instance1.txt")
    assert inst.name == "Instance1"
    assert inst.days == 14
    assert [(s.id, s.length_minutes, s.cannot_follow) for s in inst.shifts] == [("D", 480, ())]
    assert [p.id for p in inst.staff] == list("ABCDEFGH")
    a = inst.staff[0]
    assert (a.max_of("D"), a.max_total_minutes, a.min_total_minutes,
            a.max_consecutive_shifts, a.min_consecutive_shifts, a.min_consecutive_days_off,
            a.max_weekends) == (14, 4320, 3360, 5, 2, 2, 1)
    assert a.days_off == frozenset({0}) and inst.staff[1].days_off == frozenset({5})
    assert len(inst.on_requests) == 21 and len(inst.off_requests) == 5
    assert (inst.on_requests[0].employee, inst.on_requests[0].day,
            inst.on_requests[0].weight) == ("A", 2, 2)
    assert [c.requirement for c in inst.cover][:3] == [5, 7, 6]
    assert {(c.weight_under, c.weight_over) for c in inst.cover} == {(100, 1)}
    assert inst.weekends == ((5, 6), (12, 13))


def test_crlf_and_every_field():
    inst = parse_curtois(SMALL.replace("\n", "\r\n"), "small")
    assert inst.days == 7
    assert inst.shifts[1].cannot_follow == ("E",)
    assert inst.staff[1].max_shifts == (("E", 0), ("L", 7))
    assert inst.staff[0].days_off == frozenset({2, 3})
    assert inst.on_requests[0].shift == "L" and inst.off_requests[0].weight == 3
    assert len(inst.cover) == 2


@pytest.mark.parametrize("old, new, line, words", [
    ("L,600,E", "L,six hundred,E", 8, "whole number"),
    ("L,600,E", "L,600,X", 8, "unknown shift 'X'"),
    ("B,E=0|L=7,4200,0,7,1,1,1", "B,E=0|L=7,4200,0,7,1,1", 12, "8 comma-separated"),
    ("B,E=0|L=7,4200,0,7,1,1,1", "B,L=7,4200,0,7,1,1,1", 12, "no cap for E"),
    ("A,2,3", "A,2,9", 15, "outside the horizon"),
    ("B,1,L,2", "Z,1,L,2", 18, "unknown employee 'Z'"),
    ("0,L,1,100,1", "0,E,1,100,1", 25, "second cover line"),
    ("SECTION_COVER", "SECTION_CUVER", 23, "unknown section"),
])
def test_malformed_file_names_file_and_line(tmp_path, old, new, line, words):
    bad = tmp_path / "bad.txt"
    assert old in SMALL
    bad.write_text(SMALL.replace(old, new))
    with pytest.raises(InputError) as caught:
        read_instance(bad)
    assert caught.value.file == str(bad)
    assert caught.value.line == line
    assert words in str(caught.value)
    assert f"bad.txt:{line}" in str(caught.value)


def test_missing_section_is_an_input_error(tmp_path):
    bad = tmp_path / "nocover.txt"
    bad.write_text(SMALL.split("SECTION_COVER")[0])
    with pytest.raises(InputError, match="no SECTION_COVER"):
        read_instance(bad)


def test_roster_text_round_trip():
    inst = parse_curtois(SMALL, "small")
    roster = {"A": ("E", "L", None, None, "E", None, None),
              "B": (None, "L", "L", "L", None, None, "L")}
    text = format_roster(inst, roster)
    assert text.splitlines()[1] == "A,E,L,-,-,E,-,-"
    assert parse_roster(text) == roster
