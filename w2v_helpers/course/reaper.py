"""Nothing a submission starts outlives its grading: the grader adopts orphans and kills them (Linux).

A cell can start a process that leaves the kernel's process group (setsid, a double fork), so
killing the kernel's group is not enough. While grading, the grader is a child subreaper
(prctl(PR_SET_CHILD_SUBREAPER)): every process orphaned below it is re-parented to it instead of
to init. After each notebook, `kill_adopted(before)` kills and reaps every child of the grader that
was not there before, round after round until none is left. Elsewhere these are no-ops, and only
the kernel's process group is killed. Used by the command line (`python -m w2v_helpers check-submissions`).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

PR_SET_CHILD_SUBREAPER, PR_GET_CHILD_SUBREAPER = 36, 37


def _prctl(option: int, arg: int | ctypes.c_int | object) -> int:
    return ctypes.CDLL(None, use_errno=True).prctl(option, arg, 0, 0, 0)


@contextmanager
def subreaper() -> Iterator[bool]:
    """While inside, orphans below this process come to it (yields False where that is not possible)."""
    if not sys.platform.startswith("linux"):
        yield False
        return
    was = ctypes.c_int(0)
    _prctl(PR_GET_CHILD_SUBREAPER, ctypes.byref(was))
    ok = _prctl(PR_SET_CHILD_SUBREAPER, 1) == 0
    try:
        yield ok
    finally:
        if ok and not was.value:
            _prctl(PR_SET_CHILD_SUBREAPER, 0)


def children() -> set[int]:
    """The ids of this process's children (Linux: read from /proc), zombies included."""
    me, found = os.getpid(), set()
    try:
        entries = os.listdir("/proc")
    except OSError:
        return found
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if len(fields) > 1 and int(fields[1]) == me:
            found.add(int(entry))
    return found


def kill_adopted(before: set[int], seconds: float = 10.0) -> int:
    """Kill and reap every child that is not in `before`, until none is left (or `seconds` pass); returns how many."""
    killed, stop = 0, time.monotonic() + seconds
    while time.monotonic() < stop:
        new = children() - before
        if not new:
            break
        for pid in new:
            try:
                os.kill(pid, signal.SIGKILL)
                killed += 1
            except ProcessLookupError:
                pass
        for pid in new:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
    return killed
