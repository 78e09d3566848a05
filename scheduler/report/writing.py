"""Writing the outputs of a big roster quickly, on the two cores the solver used: the
workbook (roster.xlsx, one file that cannot be split) and activities.csv are written by
a forked child process while this process writes everything else, about half of the
work each, and the cycle collector rests while they write.

Measured on 4 weeks at peak 1,000 (about 56,000 shifts of 3,000 agents, one core each,
load 2-3): the workbook takes 2.5-3 s of CPU (8.5 s before its long sheets were written
by report/xlsx_rows.py), activities.csv 0.7 s, the other files together 2.5-3.5 s; the
cycle collector added about a quarter on top, scanning the solver's objects again and
again while the writers made a million short-lived ones (see output_seconds for the
model of the whole).

A child is used only where it is safe and worth it: on Linux (engine/forked.py's
can_fork, as for HiGHS), from the main thread (a forked child gets only the thread that
forked; a lock another thread held would stay locked in it) and for rosters of at least
FORK_MIN_SHIFTS shifts (forking costs a few milliseconds and a second process' memory
pages as they change). As engine/forked.py's children, it ignores Ctrl-C (the parent
decides and kills it) and dies with its parent."""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import sys
import threading
from contextlib import contextmanager
from typing import Callable, Iterator

from scheduler.engine import forked

FORK_MIN_SHIFTS = 3000
"""Rosters with fewer shifts are written in one process (the workbook of 3,000 shifts
takes about 0.2 s)."""


def can_fork() -> bool:
    """Whether a child process can write here: forking works (engine/forked.py) and
    this is the main thread."""
    return (hasattr(os, "fork") and forked.can_fork()
            and threading.current_thread() is threading.main_thread())


def child_writes(shifts: int) -> bool:
    """Whether write_result called from the main thread (as `scheduler solve` calls it)
    writes the workbook of a roster of `shifts` shifts in a child, asked from any
    thread (the solver's reserve is computed in the solve's thread)."""
    return shifts >= FORK_MIN_SHIFTS and hasattr(os, "fork") and forked.can_fork()


def use_child(shifts: int, parallel: bool | None = None) -> bool:
    """Whether to write the workbook in a child: `parallel` True or False decides (True
    still needs can_fork()); None: for rosters of FORK_MIN_SHIFTS shifts or more."""
    if parallel is None:
        parallel = shifts >= FORK_MIN_SHIFTS
    return parallel and can_fork()


@contextmanager
def in_child(write: Callable[[], None], parallel: bool = True) -> Iterator[None]:
    """Run write() in a forked child process while the body of the `with` runs in this
    one; at its end wait for the child and raise what write() raised there (or an
    OSError naming the child's exit status). If the body fails, the child is killed and
    reaped before the error goes on. Without `parallel` (or where a child cannot be
    forked) write() runs here first, then the body."""
    if not parallel or not can_fork():
        write()
        yield
        return
    read_end, write_end = os.pipe()
    for stream in (sys.stdout, sys.stderr):  # the child must not write the parent's buffers
        with contextlib.suppress(Exception):
            stream.flush()
    pid = os.fork()
    if pid == 0:  # the child: write, report a failure through the pipe, never return
        code = 1
        try:
            os.close(read_end)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            forked.die_with_parent()
            write()
            code = 0
        except BaseException as exc:  # noqa: BLE001 - handed to the parent
            try:
                message = pickle.dumps(exc)
            except Exception:  # noqa: BLE001 - an exception that does not pickle
                message = pickle.dumps(OSError(f"{type(exc).__name__}: {exc}"))
            try:
                os.write(write_end, message[:60000])
            except OSError:
                pass
        finally:
            os._exit(code)  # no atexit handlers, no flushing of the parent's buffers
    os.close(write_end)
    try:
        yield
    except BaseException:
        os.close(read_end)
        _kill(pid)
        raise
    with os.fdopen(read_end, "rb") as pipe:
        message = pipe.read()
    _, status = _wait(pid)
    if status != 0:
        try:
            error = pickle.loads(message) if message else None
        except Exception:  # noqa: BLE001 - a truncated or unreadable message
            error = None
        if not isinstance(error, BaseException):
            error = OSError(f"the process writing the workbook failed (wait status {status})")
        raise error


def _wait(pid: int) -> tuple[int, int]:
    while True:
        try:
            return os.waitpid(pid, 0)
        except InterruptedError:  # pragma: no cover - retried by Python since 3.5
            continue


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


@contextmanager
def collector_resting() -> Iterator[None]:
    """The cycle collector off while the body runs (as it was after). The writers make
    many short-lived objects and no cycles worth collecting, and each full collection
    would scan every object the solve left too."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
