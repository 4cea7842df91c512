"""Checkpoints: everything needed to continue training exactly where it stopped.

Training draws its random numbers from a fresh generator per (seed, epoch, chunk), so the
position (next epoch, next chunk) plus the two weight tables is the whole state: a resumed run
produces the same vectors, bit for bit, as one that never stopped.

A checkpoint is read with torch.load(weights_only=True), which rebuilds tensors, numbers, strings
and containers only: a crafted file cannot run code. Its layout is then checked, so anything that
is not a checkpoint of this trainer is refused in one line. While a run uses a checkpoint folder it
holds an exclusive lock on it (flock, released by the kernel even if the run is killed), so two
runs can never overwrite each other's checkpoints.
"""

from __future__ import annotations

import hashlib
import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import torch

from .atomic import atomic_path
from .errors import W2VError

CHECKPOINT_NAME = "checkpoint.pt"
LOCK_NAME = ".lock"
_INTS = ("vocab_size", "n_tokens", "epoch", "chunk")
_TABLES = ("in_embed.weight", "out_embed.weight")


def checkpoint_path(directory: str | os.PathLike) -> Path:
    """The checkpoint file inside a checkpoint folder. Used by the command line (--checkpoint) and train()."""
    return Path(directory) / CHECKPOINT_NAME


def corpus_fingerprint(ids, words) -> str:
    """A hex digest of the id array and the vocabulary's words, recorded in each checkpoint so that a resume
    on another corpus (even one of the same size) is refused. Used by the command line (--resume) via train().
    """
    digest = hashlib.blake2b(digest_size=16)
    digest.update(np.ascontiguousarray(ids, dtype=np.int32).tobytes())
    digest.update("\n".join(words).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def save_checkpoint(directory: str | os.PathLike, state: dict[str, Any]) -> Path:
    """Write the state to a temporary file, then rename it: a crash mid-write keeps the old checkpoint.

    Used by the command line (--checkpoint) and train(), which calls it per epoch and every few minutes.
    """
    path = checkpoint_path(directory)
    with atomic_path(path) as tmp:
        torch.save(state, tmp)
    return path


def load_checkpoint(directory: str | os.PathLike) -> dict[str, Any]:
    """The saved training state: tensors, numbers and strings only, never code (bonus notebook 05b)."""
    folder = Path(directory)
    if folder.exists() and not folder.is_dir():
        raise W2VError(f"--checkpoint {folder} is a file; give the folder that holds {CHECKPOINT_NAME}")
    path = checkpoint_path(folder)
    if not path.exists():
        raise W2VError(f"no checkpoint at {path}; train once with --checkpoint {directory} before using --resume")
    try:
        with warnings.catch_warnings():  # torch's notes on pickle protocols mean nothing to a user
            warnings.simplefilter("ignore")
            state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # damaged, truncated, from elsewhere, or holding code
        if "weights only" in str(exc).lower():
            reason = "it holds Python objects besides tensors, numbers and strings, which could run code"
        else:
            reason = " ".join(str(exc).split())[:160]
        raise W2VError(f"{path} is not a checkpoint of this trainer ({reason}); delete it and train from scratch") \
            from None
    problem = _layout_problem(state)
    if problem:
        raise W2VError(f"{path} is not a checkpoint of this trainer ({problem}); delete it and train from scratch")
    return state


def _layout_problem(state: Any) -> str | None:
    """What is wrong with a loaded object as a checkpoint, or None if it has the trainer's layout."""
    if not isinstance(state, dict):
        return f"it holds a {type(state).__name__}, not a dict"
    missing = [k for k in ("model", "config", "chunk_losses", *_INTS) if k not in state]
    if missing:
        return "missing " + ", ".join(missing)
    if not all(isinstance(state[k], int) and state[k] >= 0 for k in _INTS):
        return "its counters are not non-negative integers"
    if not isinstance(state.get("corpus", ""), str):
        return "its corpus fingerprint is not text"
    if not isinstance(state["config"], dict) or not isinstance(state["config"].get("dim"), int):
        return "its settings are not readable"
    model = state["model"]
    if not isinstance(model, dict) or sorted(model) != sorted(_TABLES):
        return "its weights are not the two embedding tables"
    shape = (state["vocab_size"], state["config"]["dim"])
    for name in _TABLES:
        t = model[name]
        if not (isinstance(t, torch.Tensor) and t.is_floating_point() and tuple(t.shape) == shape):
            return f"{name} is not a float table of shape {shape}"
    losses = state["chunk_losses"]
    if not isinstance(losses, list) or not all(isinstance(x, (int, float)) for x in losses):
        return "its loss history is not a list of numbers"
    return None


@contextmanager
def locked_checkpoint_dir(directory: str | os.PathLike) -> Iterator[Path]:
    """Hold an exclusive lock on a checkpoint folder for the length of a run; a second run is refused.

    Used by the command line (--checkpoint) through train().
    """
    folder = Path(directory)
    if folder.exists() and not folder.is_dir():
        raise W2VError(f"--checkpoint {folder} is a file; give a folder for the checkpoints")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise W2VError(f"cannot use {folder} for checkpoints: {exc.strerror or exc}; choose a writable folder") \
            from None
    try:
        if not _try_lock(fd):
            raise W2VError(f"{folder} is in use by another training run; wait for it to finish "
                           "or give this run its own --checkpoint folder")
        yield folder
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _try_lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False
