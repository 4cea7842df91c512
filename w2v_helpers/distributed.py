"""Data-parallel training over several processes with torch.distributed, launched by torchrun.

Every process (a rank) holds both embedding tables whole and trains its share of the schedule:
chunk k of each epoch goes to rank k % world_size, so the ranks together cover each epoch once,
and each chunk keeps its place on the learning-rate schedule (words seen by all ranks, not by one).
Every `sync_every` chunks per rank, and at the end of each epoch, the ranks average their tables
with all_reduce (sum, then divide by the number of ranks): the distributed scheme of HogBatch
(Ji et al., 2016). Every rank then holds the same tables; rank 0 alone writes checkpoints and
vectors. Inside a rank, Hogwild workers (workers.py) may still share the rank's tables.

How often to average, measured on the toy corpus (2 ranks, 10,000-token chunks so that an epoch
has 30, dim 50, one worker per rank, seeds 0 and 1): after 3 epochs, averaging every 1, 4 or 16
chunks per rank all answer the 270 planted analogies perfectly, as one process does; after 1 epoch
they answer 87/87%, 81/88% and 87/87% (one process: 100%), differences within seed noise, with
training losses of 2.80, 2.84 and 2.90 (one process: 2.69). On 1.46M words of English (1 epoch)
the benchmark scores of 1 and 16 differed within noise too. The frequency hardly changes quality
but sets the traffic (both tables per averaging), so the default is 16. What does cost quality:
averaging divides each rank's steps by the number of ranks, so 2 ranks need about twice the epochs.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import timedelta

import numpy as np
import torch
import torch.distributed as dist

from .errors import W2VError
from .rendezvous import JOIN_TIMEOUT, join, launch_place, launched

DEFAULT_SYNC_EVERY = 16                # chunks per rank between two averagings (see above)
TIMEOUT = timedelta(minutes=30)        # a rank that waits longer on the others fails instead of hanging
MESSAGE_BYTES = 2048                   # the longest message one rank can give the others (UTF-8, cut beyond)


class RanksStopped(W2VError):
    """Every rank stops because one of them could not go on; `shown` is False on the ranks that keep quiet.

    Used by the command line: the first rank of each machine prints the message, the others only stop.
    """

    def __init__(self, message: str, shown: bool = True):
        super().__init__(message)
        self.shown = shown


@dataclass
class DataParallel:
    """This process's place among the ranks, and their synchronisation. Used by the command line via train()."""

    rank: int
    world_size: int
    device: str
    sync_every: int = DEFAULT_SYNC_EVERY
    local_rank: int = 0

    @contextmanager
    def together(self) -> Iterator[None]:
        """Run a block on every rank; if it fails on any rank, stop them all with that rank's message.

        A W2VError in the block (bad input seen by one rank only: its --out, its copy of the corpus)
        becomes RanksStopped on every rank, with the message of the lowest rank that failed, so no
        rank is left waiting on a collective that will never come. Another exception is re-raised
        where it happened (a traceback: a bug), and the other ranks stop with a line naming that rank.
        """
        failure, unexpected = None, None
        try:
            yield
        except W2VError as exc:
            failure = str(exc)
        except Exception as exc:
            failure, unexpected = f"stopped on an unexpected {type(exc).__name__}: {exc}", exc
        message = self._first_failure(failure)
        if unexpected is not None:
            raise unexpected
        if message is not None:
            raise self.stop(message)

    def stop(self, message: str) -> RanksStopped:
        """The error that every rank raises when all of them found the same problem: said once per machine."""
        return RanksStopped(message, shown=self.local_rank == 0)

    def _first_failure(self, failure: str | None) -> str | None:
        """Each rank's failure (or None) to every rank; the lowest failing rank's message, or None."""
        mine = torch.zeros(MESSAGE_BYTES + 1, dtype=torch.uint8)
        if failure is not None:
            data = " ".join(failure.split()).encode("utf-8")[:MESSAGE_BYTES]
            mine[0] = 1
            mine[1:1 + len(data)] = torch.tensor(list(data), dtype=torch.uint8)
        mine = mine.to(self.device)
        every = [torch.zeros_like(mine) for _ in range(self.world_size)]
        with self._peers("comparing the checks before training"):
            dist.all_gather(every, mine)
        for rank, row in enumerate(every):
            if row[0]:
                text = bytes(row[1:].cpu().tolist()).rstrip(b"\0").decode("utf-8", "ignore")
                return text if rank == 0 else f"rank {rank}: {text}"
        return None

    @contextmanager
    def _peers(self, doing: str) -> Iterator[None]:
        """Turn a collective that failed because another rank went away into one line."""
        try:
            yield
        except RuntimeError as exc:
            why = " ".join(str(exc).split())[:160]
            raise W2VError(f"rank {self.rank} lost the other ranks while {doing} ({why}); another rank stopped, "
                           "and its own message says why") from None

    def check_same_input(self, ids: np.ndarray, vocab, cfg) -> None:
        """Raise W2VError on every rank unless all ranks have the same corpus, vocabulary and settings."""
        settings = {k: v for k, v in asdict(cfg).items() if k not in ("device", "workers")}
        sums = [zlib.crc32(np.ascontiguousarray(ids).tobytes()), zlib.crc32("\n".join(vocab.words).encode()),
                zlib.crc32(np.asarray(vocab.counts).tobytes()), zlib.crc32(repr(sorted(settings.items())).encode())]
        both = torch.tensor(sums + [-s for s in sums], dtype=torch.int64, device=self.device)
        with self._peers("comparing the corpus"):
            dist.all_reduce(both, op=dist.ReduceOp.MAX)      # the largest and (minus) the smallest of each
        same = (both[:4] == -both[4:]).tolist()
        if not all(same[:3]):
            raise self.stop("ranks disagree on the corpus (its words or vocabulary differ between processes); "
                            "give every rank the same --corpus, --min-count and --seed")
        if not same[3]:
            raise self.stop("ranks disagree on the training settings; launch every rank with the same flags")

    def broadcast_start(self, model: torch.nn.Module, position: int, losses: list) -> tuple[int, list]:
        """Give every rank rank 0's tables and place in the schedule (rank 0 alone reads checkpoints)."""
        box = [position, losses]
        with self._peers("receiving the starting tables"):
            for table in _tables(model):
                dist.broadcast(table, src=0)
            dist.broadcast_object_list(box, src=0, device=torch.device(self.device))
        return box[0], box[1]

    def sync(self, model: torch.nn.Module, entries: list, done: dict) -> None:
        """Average the tables over the ranks; add the other ranks' (loss, pairs, words) of `entries` to `done`."""
        stats = torch.tensor([done.get(e, (0.0, 0, 0)) for e in entries], dtype=torch.float64, device=self.device)
        with self._peers("averaging the tables"):
            for table in _tables(model):
                dist.all_reduce(table)                        # sum over the ranks ...
                table /= self.world_size                      # ... then the mean
            dist.all_reduce(stats)                            # each chunk was trained by exactly one rank
        done.update((e, (loss, int(pairs), int(words))) for e, (loss, pairs, words) in zip(entries, stats.tolist()))

    def check_identical_tables(self, model: torch.nn.Module) -> list[int]:
        """Each rank's CRC-32 of its two tables, in rank order; W2VError on every rank if they differ."""
        v, u = (table.cpu().numpy().tobytes() for table in _tables(model))
        mine = torch.tensor([zlib.crc32(u, zlib.crc32(v))], dtype=torch.int64, device=self.device)
        every = [torch.zeros_like(mine) for _ in range(self.world_size)]
        with self._peers("comparing the final tables"):
            dist.all_gather(every, mine)
        sums = [int(t) for t in every]
        if len(set(sums)) > 1:
            raise self.stop("ranks ended with different tables (" + " ".join(f"{s:08x}" for s in sums) + ")")
        return sums

    def close(self) -> None:
        if dist.is_initialized():
            dist.destroy_process_group()


def _tables(model: torch.nn.Module) -> tuple[torch.Tensor, torch.Tensor]:
    return model.in_embed.weight.data, model.out_embed.weight.data


def resolve_device(device: str, local_rank: int | None = None) -> torch.device:
    """cpu, cuda or auto (cuda if there is one) as a torch.device, or W2VError.

    Under torchrun, `local_rank` picks this rank's own GPU. Used by the command line through train().
    """
    try:
        resolved = torch.device(("cuda" if torch.cuda.is_available() else "cpu") if device == "auto" else device)
    except (RuntimeError, TypeError, ValueError):
        raise W2VError(f"unknown device {device!r}; use cpu, cuda or auto") from None
    if resolved.type == "cuda" and not torch.cuda.is_available():
        raise W2VError("--device cuda was asked for but no CUDA GPU is available; use --device cpu or auto")
    if resolved.type not in ("cpu", "cuda"):
        raise W2VError(f"device {device!r} is not supported; use cpu, cuda or auto")
    if resolved.type == "cuda" and local_rank is not None and local_rank >= torch.cuda.device_count():
        raise W2VError(f"local rank {local_rank} has no GPU of its own ({torch.cuda.device_count()} here); "
                       "launch at most one process per GPU, or use --device cpu")
    return torch.device("cuda", local_rank) if resolved.type == "cuda" and local_rank is not None else resolved


def start(device: str = "auto", sync_every: int = DEFAULT_SYNC_EVERY,
          join_timeout: float = JOIN_TIMEOUT) -> DataParallel | None:
    """Join the other ranks when torchrun launched this process, else None (train in this process alone).

    gloo on the CPU, nccl with one GPU per rank (cuda:LOCAL_RANK). Ranks that have not all met after
    `join_timeout` seconds stop with W2VError (see rendezvous.py). Used by the command line.
    """
    if not launched():
        return None
    rank, world, local = launch_place()
    resolved = resolve_device(device, local)
    if resolved.type == "cuda":
        torch.cuda.set_device(resolved)
    join("nccl" if resolved.type == "cuda" else "gloo", rank, world, join_timeout, TIMEOUT)
    return DataParallel(rank, world, str(resolved), sync_every, local)


def rounds(schedule: list, position: int, n_chunks: int, workers: int, parallel: DataParallel | None):
    """Split schedule[position:] into rounds: (entries, groups), a synchronisation after each round.

    `entries` are the (epoch, chunk) pairs of the round, trained by all ranks together; `groups` are
    this rank's share, at most `workers` at a time. Alone, a round is one group of `workers` chunks.
    With ranks, chunk k is rank k % world_size's, and a round ends every world_size * sync_every
    chunks and at the end of each epoch. Used by the command line through train().
    """
    if parallel is None:
        for p in range(position, len(schedule), workers):
            yield schedule[p:p + workers], [schedule[p:p + workers]]
        return
    span, entries = parallel.world_size * parallel.sync_every, []
    for epoch, k in schedule[position:]:
        entries.append((epoch, k))
        if (k + 1) % span == 0 or k == n_chunks - 1:   # the schedule always ends with an epoch's last chunk
            mine = [e for e in entries if e[1] % parallel.world_size == parallel.rank]
            yield entries, [mine[i:i + workers] for i in range(0, len(mine), workers)]
            entries = []
