"""engine/forked.py: work in a child process that ends by itself, or is killed at its
deadline or on the stop signal with what it sent so far kept. Margins are generous:
behaviour, not speed."""

from __future__ import annotations

import os
import threading
import time

from scheduler.engine.forked import run_forked
from scheduler.engine.stopping import StopSignal


def test_work_that_ends_in_time_sends_everything():
    def work(send):
        for i in range(3):
            send(("step", i, os.getpid()))

    outcome = run_forked(work, time.monotonic() + 30)
    assert outcome.finished
    assert [m[1] for m in outcome.messages] == [0, 1, 2]
    assert all(m[2] != os.getpid() for m in outcome.messages)  # it ran in a child


def test_work_past_its_deadline_is_killed_with_its_messages_kept():
    def work(send):
        send("first")
        time.sleep(60)
        send("never")

    started = time.monotonic()
    outcome = run_forked(work, started + 0.5)
    assert not outcome.finished
    assert outcome.messages == ["first"]
    assert time.monotonic() - started < 0.5 + 5  # killed, not waited for


def test_the_stop_signal_ends_the_work():
    stop = StopSignal()
    threading.Timer(0.3, stop.set).start()
    started = time.monotonic()
    outcome = run_forked(lambda send: time.sleep(60), started + 60, stop)
    assert not outcome.finished and outcome.messages == []
    assert time.monotonic() - started < 0.3 + 5


def test_a_failing_child_is_not_finished_and_the_parent_goes_on():
    def work(send):
        send("before")
        raise RuntimeError("boom")

    outcome = run_forked(work, time.monotonic() + 30)
    assert not outcome.finished and outcome.messages == ["before"]
