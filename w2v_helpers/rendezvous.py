"""Joining the other ranks: the launch variables checked, and a rendezvous that ends within a set time.

torchrun starts every rank with RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR and MASTER_PORT set; the
ranks then meet at MASTER_ADDR:MASTER_PORT (rank 0's store, or torchrun's). A meeting that cannot
happen (a rank that never comes, a port where no rank listens) would make torch wait for the process
group's timeout, 30 minutes, printing C++ stack traces while it retries, and deaf to Ctrl-C and
SIGTERM, because the wait runs in C++ without returning to Python. So the meeting runs in a thread
of its own, its retries' messages are kept off the terminal, and this process waits on it in Python:
a signal stops the wait at once, and a meeting not done after JOIN_TIMEOUT seconds ends in one line.
"""

from __future__ import annotations

import os
import socket
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from .errors import W2VError

JOIN_TIMEOUT = 120.0                   # seconds the ranks wait for each other at the start (train --join-timeout)
LAUNCH_VARIABLES = ("WORLD_SIZE", "RANK", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT")


def launched() -> bool:
    """True when torchrun (or train --nproc-per-node) started this process as one rank. Used by the command line."""
    return all(os.environ.get(name) for name in LAUNCH_VARIABLES)


def launch_place() -> tuple[int, int, int]:
    """(RANK, WORLD_SIZE, LOCAL_RANK) as torchrun set them, checked, and MASTER_ADDR resolved, or W2VError.

    A rank outside the world, or an address no one can reach, would otherwise wait for the others.
    Used by the command line.
    """
    values = {}
    for name in ("RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_PORT"):
        text = os.environ[name].strip()
        if not text.isdigit():
            raise W2VError(f"{name} is {os.environ[name]!r}, not a whole number; launch with torchrun, which sets it")
        values[name] = int(text)
    rank, world, local, port = values.values()
    if world < 1 or rank >= world:
        raise W2VError(f"RANK {rank} is outside the world of WORLD_SIZE {world} processes (ranks 0 to {world - 1}); "
                       "launch with torchrun, which sets both")
    if not 0 < port < 65536:
        raise W2VError(f"MASTER_PORT {port} is not a port number (1 to 65535)")
    try:
        socket.getaddrinfo(os.environ["MASTER_ADDR"], port)
    except (OSError, UnicodeError) as exc:
        raise W2VError(f"MASTER_ADDR {os.environ['MASTER_ADDR']!r} cannot be resolved ({exc}); give the address of "
                       "the machine of rank 0 (--master_addr)") from None
    return rank, world, local


def join(backend: str, rank: int, world: int, timeout: float, collective_timeout: timedelta) -> None:
    """Start the process group of `world` ranks as `rank`, or W2VError once `timeout` seconds have passed.

    A signal (Ctrl-C, SIGTERM) ends the wait at once. `collective_timeout` bounds each later collective.
    Used by the command line.
    """
    import torch.distributed as dist  # here, so that the command line starts without torch

    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= 86_400:
        raise W2VError(f"the join timeout must be a number of seconds between 0 and 86400, got {timeout!r}")
    outcome: dict = {}
    done = threading.Event()

    def meet() -> None:
        try:
            store, _, _ = next(dist.rendezvous("env://", rank, world, timeout=timedelta(seconds=timeout)))
            dist.init_process_group(backend, store=store, rank=rank, world_size=world, timeout=collective_timeout)
        except Exception as exc:  # noqa: BLE001 - reported by the waiting thread below
            outcome["error"] = exc
        finally:
            done.set()

    where = f"{os.environ['MASTER_ADDR']}:{os.environ['MASTER_PORT']}"
    with _stderr_kept_aside():
        threading.Thread(target=meet, name="w2v-join", daemon=True).start()
        finished = done.wait(timeout + 5)     # a wait in Python: signal handlers run during it
    if not finished:
        raise W2VError(f"rank {rank} waited {timeout:g} s for the other {world - 1} rank(s) at {where} in vain; "
                       "start every rank, check --master_addr and --master_port, or raise --join-timeout")
    if "error" in outcome:
        why = " ".join(str(outcome["error"]).split())[:200]
        raise W2VError(f"rank {rank} could not join the other {world - 1} rank(s) at {where} within {timeout:g} s "
                       f"({why}); start every rank, check --master_addr and --master_port, or raise --join-timeout")


@contextmanager
def _stderr_kept_aside() -> Iterator[None]:
    """Send what C++ code writes to file descriptor 2 to a temporary file, and throw it away after."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):  # no usable descriptor 2: nothing to keep aside
        yield
        return
    try:
        with tempfile.TemporaryFile() as sink:
            os.dup2(sink.fileno(), 2)
            try:
                yield
            finally:
                os.dup2(saved, 2)
    finally:
        os.close(saved)
