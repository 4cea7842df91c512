"""Checkpoints: everything needed to continue training exactly where it stopped.

Training draws its random numbers from a fresh generator per (seed, epoch, chunk), so the
position (next epoch, next chunk) plus the two weight tables is the whole state: a resumed run
produces the same vectors, bit for bit, as one that never stopped.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import torch

from .atomic import atomic_path
from .errors import W2VError

CHECKPOINT_NAME = "checkpoint.pt"


def checkpoint_path(directory: str | os.PathLike) -> Path:
    """The checkpoint file inside a checkpoint folder. Used by the command line (--checkpoint) and train()."""
    return Path(directory) / CHECKPOINT_NAME


def save_checkpoint(directory: str | os.PathLike, state: dict[str, Any]) -> Path:
    """Write the state to a temporary file, then rename it: a crash mid-write keeps the old checkpoint.

    Used by the command line (--checkpoint) and train(), which calls it per epoch and every few minutes.
    """
    path = checkpoint_path(directory)
    with atomic_path(path) as tmp:
        torch.save(state, tmp)
    return path


def load_checkpoint(directory: str | os.PathLike) -> dict[str, Any]:
    """The saved training state: tensors, numbers and strings only, never code (Chapter 5)."""
    path = checkpoint_path(directory)
    if not path.exists():
        raise W2VError(f"no checkpoint at {path}; train once with --checkpoint {directory} before using --resume")
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # a file from elsewhere or damaged on disk
        raise W2VError(f"checkpoint {path} cannot be read ({exc}); delete it and train from scratch") from None
