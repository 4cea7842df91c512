"""Hogwild workers: several processes train different chunks at once on the same tables, unlocked.

word2vec and gensim do this with threads in C. In Python, threads share one interpreter lock,
and the few microseconds of Python around each small torch call keep the second core half idle;
forked processes do not share that lock. The embedding tables live in shared memory, so every
worker reads and writes the same rows; an update that races another is occasionally lost, which
SGD shrugs off. Where fork is not available (Windows) or on a GPU, threads are used instead.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import signal
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import torch

from .errors import W2VError

POLL_SECONDS = 1.0  # how often a waiting run checks that its workers are alive


def _serve(fn: Callable, tasks, results, parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C reaches the whole group: the parent alone handles it
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # and a kill of a worker ends it, as it would any process
    torch.set_num_threads(1)
    while os.getppid() == parent:           # stop if the parent died (a killed run must not leave orphans)
        try:
            item = tasks.get(timeout=1.0)
        except queue.Empty:
            continue
        if item is None:
            return
        i, task = item
        try:
            results.put((i, fn(task)))
        except BaseException:
            results.put((i, RuntimeError("worker failed:\n" + traceback.format_exc())))


class ForkedWorkers:
    """A fixed set of forked processes running fn(task); map() returns results in task order.

    Used by the command line (train --workers N) through train().
    """

    def __init__(self, n: int, fn: Callable) -> None:
        ctx = mp.get_context("fork")
        self.tasks, self.results = ctx.Queue(), ctx.Queue()
        self.procs = [ctx.Process(target=_serve, args=(fn, self.tasks, self.results, os.getpid()), daemon=True)
                      for _ in range(n)]
        for p in self.procs:
            p.start()

    def map(self, items: Iterable) -> list:
        items = list(items)
        for i, item in enumerate(items):
            self.tasks.put((i, item))
        done = {}
        while len(done) < len(items):
            try:
                i, value = self.results.get(timeout=POLL_SECONDS)
            except queue.Empty:
                self._check_alive()
                continue
            done[i] = value
        for value in done.values():
            if isinstance(value, BaseException):
                raise value
        return [done[i] for i in range(len(items))]

    def _check_alive(self) -> None:
        """W2VError if a worker has died (killed, or out of memory): its chunk will never come back."""
        dead = next((p for p in self.procs if not p.is_alive()), None)
        if dead is not None:
            how = f"signal {-dead.exitcode}" if dead.exitcode and dead.exitcode < 0 else f"exit code {dead.exitcode}"
            raise W2VError(f"a training worker (process {dead.pid}) stopped ({how}; killed, or out of memory?); "
                           "the run stopped with it: run again, with --resume if it had --checkpoint")

    def close(self) -> None:
        for _ in self.procs:
            self.tasks.put(None)
        for p in self.procs:
            p.join(timeout=10)
            if p.is_alive():  # still inside a chunk: a stopped run waits no longer
                p.kill()
                p.join(timeout=10)


class ThreadWorkers:
    """Same interface with threads: for GPUs, for platforms without fork, and for one worker.

    Used by the command line (train --workers N) through train().
    """

    def __init__(self, n: int, fn: Callable) -> None:
        self.fn, self.pool = fn, ThreadPoolExecutor(n) if n > 1 else None

    def map(self, items: Iterable) -> list:
        return list(self.pool.map(self.fn, items) if self.pool else map(self.fn, items))

    def close(self) -> None:
        if self.pool:
            self.pool.shutdown()


def start_workers(n: int, fn: Callable, model: torch.nn.Module, device: torch.device):
    """Processes on CPU where fork exists (tables moved to shared memory first), else threads.

    Used by the command line (train --workers N) through train().
    """
    if n > 1 and device.type == "cpu" and "fork" in mp.get_all_start_methods():
        model.share_memory()
        return ForkedWorkers(n, fn)
    return ThreadWorkers(n, fn)


@contextmanager
def intra_op_threads(n: int | None):
    """One torch thread per worker on CPU: batches are too small to gain from intra-op threads, and
    when another process holds a core, torch's thread pool waits on it and runs many times slower.

    Used by the command line (train --workers N) through train()."""
    before = torch.get_num_threads()
    if n:
        torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)
