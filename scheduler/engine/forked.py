"""Run a piece of work in a forked child process that is killed at a deadline or on the
stop signal, the messages it sent so far kept.

HiGHS checks its interrupt callbacks between phases, not inside every LP solve: a MIP's
root LP on the double11 plan ran 20 s past a 5 s limit with the callbacks subscribed
(highspy 1.16). A killed process is the one stop that always holds. The child is a fork:
it shares the parent's memory as it was (no pickling of the model), runs the work, sends
its results through a pipe and exits without running the parent's exit handlers."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any, Callable

from scheduler.engine.stopping import StopSignal

POLL_SECONDS = 0.05
"""How often the parent looks at the clock and the stop signal while the child works."""
GRACE_SECONDS = 0.3
"""How long past the deadline a child may take to send what it has before it is killed."""


@dataclass
class Outcome:
    """What the child sent, in order, and whether it finished by itself."""

    messages: list[Any] = field(default_factory=list)
    finished: bool = False
    """The child ran the work to its end (not killed at the deadline or on the stop)."""


def can_fork() -> bool:
    return hasattr(os, "fork") and sys.platform.startswith("linux")


def run_forked(work: Callable[[Callable[[Any], None]], None], deadline: float,
               stop: StopSignal | None = None) -> Outcome:
    """Run `work(send)` in a forked child until it returns, `deadline` (time.monotonic)
    plus a grace period passes, or `stop` is set; `send` passes a picklable message to
    the parent. The child ignores Ctrl-C (the parent's stop signal ends it) and dies
    with the parent."""
    receiver, sender = multiprocessing.Pipe(duplex=False)
    for stream in (sys.stdout, sys.stderr):  # the child must not write the parent's buffers
        with contextlib.suppress(Exception):
            stream.flush()
    pid = os.fork()
    if pid == 0:  # the child
        code = 0
        try:
            receiver.close()
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            die_with_parent()
            work(sender.send)
            sender.send(_Done())
        except BaseException:  # noqa: BLE001 - the parent sees a child that did not finish
            code = 1
        finally:
            os._exit(code)
    sender.close()
    outcome = Outcome()
    try:
        _collect(receiver, outcome, deadline, stop)
    finally:
        receiver.close()
        if not outcome.finished:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    return outcome


class _Done:
    """The child's last message: the work returned."""


def _collect(receiver: Connection, outcome: Outcome, deadline: float,
             stop: StopSignal | None) -> None:
    while True:
        if stop is not None and stop.is_set():
            return
        left = deadline + GRACE_SECONDS - time.monotonic()
        if left <= 0:
            return
        try:
            ready = receiver.poll(min(POLL_SECONDS, left))
            if not ready:
                continue
            message = receiver.recv()
        except (EOFError, OSError):
            return  # the child ended without saying it was done
        if isinstance(message, _Done):
            outcome.finished = True
            return
        outcome.messages.append(message)


def die_with_parent() -> None:
    """Ask Linux to kill this child when its parent dies (prctl PR_SET_PDEATHSIG)."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)
