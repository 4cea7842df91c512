"""Checks for bonus notebook 05b's exercise: the trainer's refusal to resume with other settings."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from .checking import _call, _exercise


@_exercise("05b.1", "refusal_message", "write a checkpoint with cfg, resume with dim=20, return the trainer's message")
def check_05b_1(refusal_message: Callable) -> str | None:
    """refusal_message(ids, vocab, cfg, checkpoint_dir) -> the W2VError message of resuming with dim=20."""
    from ...train import TrainConfig
    from ...vocab import Vocab

    rng = np.random.default_rng(6)
    tokens = [f"w{i}" for i in rng.integers(0, 30, size=6000)]
    vocab = Vocab.build(tokens, min_count=1)
    cfg = TrainConfig(dim=8, epochs=1, chunk_tokens=2000, seed=0)
    with tempfile.TemporaryDirectory() as tmp:
        message = _call(refusal_message, vocab.encode(tokens), vocab, cfg, Path(tmp) / "checkpoints")
    if isinstance(message, BaseException):
        message = str(message)
    if message is None:
        return ("your function returned None: the second run must resume from the checkpoint (resume=True), "
                "so that the trainer compares the settings and raises")
    if not isinstance(message, str):
        return "return the trainer's message as a string"
    if "no checkpoint" in message:
        return "there is nothing to resume yet: first train once with checkpoint_dir=checkpoint_dir"
    if "dim: 20 -> 8" in message:
        return "the other way round: write the checkpoint with cfg, then resume with dim=20"
    if "dim: 8 -> 20" not in message:
        if "other settings" in message:
            return "change only dim, to 20: replace(cfg, dim=20)"
        return "the message does not come from resuming with dim=20; pass resume=True and catch the W2VError"
    return None
