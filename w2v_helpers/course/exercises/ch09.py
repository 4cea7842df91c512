"""Checks for Chapter 9's exercises: the mean of a padded context window, and one CBOW SGD step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from .checking import Hint, _array, _call, _diagnose, _exercise


def _windows() -> tuple[torch.Tensor, torch.Tensor]:
    """A float64 table of 12 words and 5 windows of 6 slots, padded with -1 (one row full, one with a repeat)."""
    gen = torch.Generator().manual_seed(9)
    table = torch.randn(12, 4, generator=gen, dtype=torch.float64)
    contexts = torch.tensor([[3, 5, 7, 8, 1, 2], [-1, 4, 6, 9, -1, -1], [-1, -1, 0, 11, -1, -1],
                             [-1, -1, 10, -1, -1, -1], [2, 2, 6, 7, -1, -1]])
    return table, contexts


def _means(table, contexts, divide="count", pad_row=False, mean=True):
    real = (contexts != -1).to(table.dtype) if not pad_row else torch.ones(contexts.shape, dtype=table.dtype)
    total = (real.unsqueeze(-1) * table[contexts]).sum(1)
    if not mean:
        return total
    return total / (real.sum(1, keepdim=True) if divide == "count" else contexts.shape[1])


@_exercise("09.1", "context_mean_by_hand", "return h, the mean of each row's context vectors (padding left out)")
def check_09_1(context_mean_by_hand: Callable) -> str | None:
    """context_mean_by_hand(table (V, d), contexts (B, C) padded with -1) -> h (B, d)."""
    table, contexts = _windows()
    got = _call(context_mean_by_hand, table.clone(), contexts.clone())
    return _diagnose(got, _means(table, contexts), [
        (_means(table, contexts, mean=False), "that is the sum: divide by the number of context words, h is a mean"),
        (_means(table, contexts, divide="slots"),
         "the padding slots were counted: divide each row by its own number of context words, not by C"),
        (_means(table, contexts, pad_row=True),
         "-1 marks an empty slot, but table[-1] is the last word's vector: leave the padding out of the sum"),
        (table[contexts].sum(1) / (contexts != -1).sum(1, keepdim=True),
         "-1 marks an empty slot, but table[-1] is the last word's vector: leave the padding out of the sum"),
    ], "wrong means; average the rows of `table` named by each row's ids that are not -1")


def _cbow_step(v_ctx, u, noise, lr, spread="mean", h_sum=False, label_one=False, sequential=False, sign=1.0):
    n = len(v_ctx)
    h = v_ctx.sum(0) if h_sum else v_ctx.mean(0)
    g_pos = torch.sigmoid(u @ h) - 1
    g_neg = torch.sigmoid(noise @ h) - (1.0 if label_one else 0.0)
    grad_h = g_pos * u + g_neg @ noise
    v_new = v_ctx - sign * lr * grad_h / (n if spread == "mean" else 1)
    if sequential:
        h = v_new.mean(0)
    return v_new, u - sign * lr * g_pos * h, noise - sign * lr * g_neg[:, None] * h


@_exercise("09.2", "cbow_step_one_example", "return (v_ctx, u, noise) after one SGD step of the CBOW loss")
def check_09_2(cbow_step_one_example: Callable) -> str | None:
    """cbow_step_one_example(v_ctx (n, d), u (d,), noise (K, d), lr) -> updated (v_ctx, u, noise)."""
    gen = torch.Generator().manual_seed(12)
    v_ctx, u, noise = (torch.randn(*shape, generator=gen, dtype=torch.float64) for shape in [(4, 5), (5,), (3, 5)])
    lr = 0.4

    def flat(out: Any) -> np.ndarray:
        if not isinstance(out, (tuple, list)) or len(out) != 3:
            raise Hint("return the three updated tensors (v_ctx, u, noise)")
        shapes = [tuple(_array(x).shape) for x in out]
        if shapes != [(4, 5), (5,), (3, 5)]:
            raise Hint(f"v_ctx, u and noise keep their shapes (n, d), (d,) and (K, d); got {shapes}")
        return np.concatenate([_array(x).ravel() for x in out])

    got = flat(_call(cbow_step_one_example, v_ctx.clone(), u.clone(), noise.clone(), lr))
    return _diagnose(got, flat(_cbow_step(v_ctx, u, noise, lr)), [
        (flat(_cbow_step(v_ctx, u, noise, lr, spread="whole")),
         "each context word got all of dL/dh, as word2vec's C code does; the gradient of the mean gives "
         "each one dL/dh divided by n"),
        (flat(_cbow_step(v_ctx, u, noise, lr, h_sum=True)), "h is the mean of the context vectors, not their sum"),
        (flat(_cbow_step(v_ctx, u, noise, lr, label_one=True)),
         "noise words carry the label 0: their error is sigma(score) - 0"),
        (flat(_cbow_step(v_ctx, u, noise, lr, sequential=True)),
         "compute every gradient from the old vectors before changing any of them"),
        (flat(_cbow_step(v_ctx, u, noise, -lr)), "step against the gradient: subtract lr times the gradient"),
    ], "wrong update; take Chapter 1's gradients with h in place of v, then share dL/dh among the context words")
