"""Writing big rosters quickly without changing a byte of what is written: the workbook in
a forked child gives the same files as in one process, a failure in the child reaches the
caller and leaves the earlier results, the cycle collector comes back as it was, and the
quick paths (breaks by bisection, folding by slicing) give what the plain ones gave."""

from __future__ import annotations

import datetime as dt
import gc
import random
import re
import threading

import openpyxl
import pytest

from scheduler.models import BreakRecord, ShiftRecord
from scheduler.report import writing
from scheduler.report.common import ReportData
from scheduler.report.ical import fold
from scheduler.report.output import write_result
from scheduler.report.writing import (
    FORK_MIN_SHIFTS,
    can_fork,
    collector_resting,
    in_child,
    use_child,
)
from tests.report.report_cases import night_result, night_scenario, solve_into

needs_fork = pytest.mark.skipif(not can_fork(), reason="no os.fork here")


def _texts(folder) -> dict[str, bytes]:
    """Every file but the workbook, with the moments of writing blanked (DTSTAMP, the
    report's "Generated ...")."""
    out = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.name == "roster.xlsx":
            continue
        data = path.read_bytes()
        data = re.sub(rb"DTSTAMP:\d{8}T\d{6}Z", b"DTSTAMP:-", data)
        data = re.sub(rb"Generated [^<]*? by", b"Generated - by", data)
        out[str(path.relative_to(folder))] = data
    return out


def _cells(path) -> dict[str, list]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: [(c.coordinate, c.value, c.number_format, c.fill.fgColor.rgb, c.font.b)
                       for row in ws.iter_rows() for c in row if c.value is not None]
            for ws in wb.worksheets}


@needs_fork
def test_the_workbook_written_in_a_child_gives_the_same_files(tmp_path):
    scenario_path, out, result = solve_into(tmp_path / "case")
    from scheduler.workload.loaded import load_scenario

    loaded = load_scenario(scenario_path)
    h = loaded.scenario.horizon
    one, two = tmp_path / "one", tmp_path / "two"
    write_result(result, one, h.start_date, h.days, loaded, parallel=False)
    write_result(result, two, h.start_date, h.days, loaded, parallel=True)
    assert _texts(one) == _texts(two)
    assert len(_texts(one)) >= 8  # summary, three CSVs, report, activities, scenario, calendars
    assert _cells(one / "roster.xlsx") == _cells(two / "roster.xlsx")
    assert _cells(one / "roster.xlsx")["Shifts"]  # the sheets were compared with content
    assert not list(two.glob(".tmp-*"))


@needs_fork
def test_a_failure_in_the_child_reaches_the_caller_and_keeps_the_earlier_results(
        tmp_path, monkeypatch):
    scenario_path, out, result = solve_into(tmp_path / "case")
    from scheduler.workload.loaded import load_scenario

    loaded = load_scenario(scenario_path)
    h = loaded.scenario.horizon
    before = (out / "shifts.csv").read_bytes()

    def broken(data, path):
        raise ValueError("disk says no")

    monkeypatch.setattr("scheduler.report.write_workbook", broken)
    with pytest.raises(ValueError, match="disk says no"):
        write_result(result, out, h.start_date, h.days, loaded, parallel=True)
    assert (out / "shifts.csv").read_bytes() == before
    assert not list(out.glob(".tmp-*"))


@needs_fork
def test_the_child_runs_beside_the_body_and_its_error_comes_back_with_its_type(tmp_path):
    done = tmp_path / "child.txt"
    with in_child(lambda: done.write_text("written"), parallel=True):
        pass
    assert done.read_text() == "written"

    def fails():
        raise KeyError("missing")

    with pytest.raises(KeyError, match="missing"):
        with in_child(fails, parallel=True):
            pass


@needs_fork
def test_a_failing_body_kills_the_child_and_its_error_goes_on(monkeypatch):
    import os

    forked = []
    fork = os.fork

    def recording_fork():
        pid = fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(writing.os, "fork", recording_fork)

    def slow():
        import time

        time.sleep(60)

    with pytest.raises(RuntimeError, match="body"):
        with in_child(slow, parallel=True):
            raise RuntimeError("body")
    assert len(forked) == 1
    with pytest.raises(ProcessLookupError):  # killed and reaped, not left sleeping
        os.kill(forked[0], 0)


def test_without_a_child_the_write_comes_first_then_the_body():
    order = []
    with in_child(lambda: order.append("write"), parallel=False):
        order.append("body")
    assert order == ["write", "body"]


def test_a_child_for_big_rosters_only_and_only_from_the_main_thread():
    assert not use_child(FORK_MIN_SHIFTS - 1)
    assert use_child(FORK_MIN_SHIFTS) == can_fork()
    assert not use_child(10 ** 6, parallel=False)
    seen = {}
    thread = threading.Thread(target=lambda: seen.update(big=use_child(10 ** 6, True)))
    thread.start()
    thread.join()
    assert seen == {"big": False}


def test_no_fork_means_no_child(monkeypatch):
    monkeypatch.delattr(writing.os, "fork", raising=False)
    assert not can_fork()
    assert not use_child(10 ** 6, parallel=True)
    assert not writing.child_writes(10 ** 6)


@needs_fork
def test_the_reserve_counts_the_child_whichever_thread_asks():
    # the solver computes its reserve in the solve's thread; the writing happens in the
    # main thread, with the child
    seen = {}

    def ask():
        seen["big"] = writing.child_writes(FORK_MIN_SHIFTS)
        seen["small"] = writing.child_writes(FORK_MIN_SHIFTS - 1)
        seen["here"] = use_child(FORK_MIN_SHIFTS)

    thread = threading.Thread(target=ask)
    thread.start()
    thread.join()
    assert seen == {"big": True, "small": False, "here": False}


def test_the_collector_rests_while_writing_and_comes_back_as_it_was():
    was = gc.isenabled()
    try:
        gc.enable()
        with collector_resting():
            assert not gc.isenabled()
        assert gc.isenabled()
        gc.disable()  # a caller that had it off keeps it off
        with collector_resting():
            assert not gc.isenabled()
        assert not gc.isenabled()
        gc.enable()
        with pytest.raises(ZeroDivisionError):
            with collector_resting():
                1 / 0
        assert gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()


def test_breaks_in_finds_what_a_scan_of_every_break_finds():
    rng = random.Random(7)
    base = dt.datetime(2026, 11, 1)
    shifts, breaks = [], []
    for a in ("A1", "A2", "A3"):
        for _ in range(40):  # overlapping shifts and breaks on the edges too
            start = base + dt.timedelta(minutes=30 * rng.randrange(0, 200))
            shifts.append(ShiftRecord(agent=a, shift_type="night", start=start,
                                      end=start + dt.timedelta(minutes=30 * rng.randrange(1, 20)),
                                      paid_minutes=60, day=start.date()))
            b0 = base + dt.timedelta(minutes=30 * rng.randrange(0, 220))
            breaks.append(BreakRecord(agent=a, start=b0, paid=rng.random() < 0.5,
                                      end=b0 + dt.timedelta(minutes=30 * rng.randrange(0, 3))))
    result = night_result()
    result = result.model_copy(update={"shifts": shifts, "breaks": breaks})
    data = ReportData(result, dt.date(2026, 11, 1), 7, night_scenario())
    found = 0
    for s in shifts:
        plain = sorted((b for b in breaks if b.agent == s.agent and s.start <= b.start
                        and b.end <= s.end), key=lambda b: b.start)
        assert data.breaks_in(s) == plain
        assert data.breaks_in(s) == plain  # asked again: the same answer
        found += len(plain)
    assert found > 0
    assert data.breaks_in(ShiftRecord(agent="nobody", shift_type="x", start=base, end=base,
                                      paid_minutes=0)) == []


def _fold_by_octets(line: str) -> str:
    pieces, current, limit = [], b"", 75
    for ch in line:
        b = ch.encode("utf-8")
        if len(current) + len(b) > limit:
            pieces.append(current.decode("utf-8"))
            current, limit = b"", 74
        current += b
    pieces.append(current.decode("utf-8"))
    return "\r\n ".join(pieces) + "\r\n"


@pytest.mark.parametrize("length", [0, 1, 74, 75, 76, 148, 149, 150, 223, 224, 1000])
def test_ascii_lines_are_folded_as_octet_by_octet(length):
    line = "".join(random.Random(length).choice("abc;,\\ ") for _ in range(length))
    assert fold(line) == _fold_by_octets(line)


def test_lines_with_wide_characters_are_folded_as_octet_by_octet():
    line = "DESCRIPTION:" + "班次早班，休息" * 20
    assert fold(line) == _fold_by_octets(line)
    assert all(len(p.encode("utf-8")) <= 75 for p in fold(line).split("\r\n"))


# ------------------------------------------------------------ the reserve for writing

def test_contention_is_one_on_an_idle_machine_and_grows_with_the_load(monkeypatch):
    from scheduler.report import output

    monkeypatch.setattr(output.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(output.os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert output.contention(2) == 1.0  # two writers on two idle cores
    assert output.contention(1) == 1.0
    monkeypatch.setattr(output.os, "getloadavg", lambda: (1.0, 0.0, 0.0))
    assert output.contention(1) == 1.0  # one other process: still a core each
    assert output.contention(2) == 1.5  # three processes share two cores
    monkeypatch.setattr(output.os, "getloadavg", lambda: (50.0, 0.0, 0.0))
    assert output.contention(2) == output.MAX_CONTENTION


def test_without_a_load_average_the_machine_counts_as_idle(monkeypatch):
    from scheduler.report import output

    def missing():
        raise OSError("no load average")

    monkeypatch.setattr(output.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(output.os, "getloadavg", missing)
    assert output.contention(2) == 1.0


def test_the_critical_path_is_the_slower_process_with_a_child_else_the_sum(monkeypatch):
    from scheduler.report import output

    shifts, agents = 20000, 1000
    parent = output._linear(output.PARENT_CPU, shifts, agents)
    workbook = output._linear(output.CHILD_CPU, shifts, agents)
    monkeypatch.setattr(writing, "child_writes", lambda n: True)
    assert output.output_cpu_seconds(shifts, agents) == max(parent, workbook)
    monkeypatch.setattr(writing, "child_writes", lambda n: False)
    assert output.output_cpu_seconds(shifts, agents) == parent + workbook


def test_the_reserve_grows_with_shifts_agents_and_the_load(monkeypatch):
    from scheduler.report import output

    monkeypatch.setattr(output.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(output.os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    idle = output.output_seconds(55000, 3000)
    assert output.output_seconds(60000, 3000) > idle
    # agents count where this process's calendars are the slower part
    assert output.output_seconds(20000, 6000) > output.output_seconds(20000, 5000)
    assert output.output_seconds(100, 10) < idle
    # on an idle machine: the CPU model with the exit and the margin, nothing more
    # (the chart library may or may not be cached on this machine)
    cpu = output.output_cpu_seconds(55000, 3000) + output._linear(output.TEARDOWN_CPU, 55000, 3000)
    assert idle in (pytest.approx(output.RESERVE_MARGIN * cpu),
                    pytest.approx(output.RESERVE_MARGIN * (cpu + 1.5)))
    monkeypatch.setattr(output.os, "getloadavg", lambda: (2.0, 0.0, 0.0))
    assert output.output_seconds(55000, 3000) == pytest.approx(2 * idle)


def test_a_synthetic_roster_with_the_meal_alone_has_one_break_a_shift():
    from scheduler.report.synthetic import synthetic_result

    two = synthetic_result(30, 7)
    one = synthetic_result(30, 7, rest_breaks=False)
    assert len(two.breaks) == 2 * len(two.shifts)
    assert len(one.breaks) == len(one.shifts) == len(two.shifts)
    assert [b for b in two.breaks if not b.paid] == one.breaks  # the same meals
    # on duty counts the rest only where it is taken: one break less, more on duty
    assert sum(c.scheduled for c in one.coverage) > sum(c.scheduled for c in two.coverage)
