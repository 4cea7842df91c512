"""Checks for bonus notebook 05c's exercises: speedups, and one SGD step with shared noise words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from .checking import Hint, _array, _call, _diagnose, _exercise


@_exercise("05c.1", "speedups", "return each step's pairs per second divided by the first step's")
def check_05c_1(speedups: Callable) -> str | None:
    """speedups(seconds, pairs) -> per step, its pairs/s divided by the first step's pairs/s."""
    seconds = np.array([12.0, 3.0, 1.5, 0.8, 0.5])
    pairs = np.array([30_000, 200_000, 200_000, 400_000, 400_000])
    rate = pairs / seconds
    want = rate / rate[0]
    got = _array(_call(speedups, list(seconds), list(pairs)))
    return _diagnose(got, want, [
        (seconds[0] / seconds, "the steps ran on different numbers of pairs: compare pairs per second, not seconds"),
        (rate[0] / rate, "upside down: a faster step should have a speedup above 1"),
        (seconds / seconds[0],
         "compare pairs per second (pairs / seconds), and the speedup of a faster step is above 1"),
        (np.r_[1.0, rate[1:] / rate[:-1]],
         "compare every step with the first one (the reference), not with the step before"),
        (rate, "divide by the first step's pairs per second, so that the reference has a speedup of 1"),
    ], "wrong speedups; compute pairs per second for every step first")


def _shared_step(v, u, n, K, lr, weight=None, label_bug=False, sequential=False):
    S = len(n)
    w = K / S if weight is None else weight
    g_pos = torch.sigmoid(u @ v) - 1
    g_neg = w * (torch.sigmoid(n @ v) - (1 if label_bug else 0))
    v_new = v - lr * (g_pos * u + g_neg @ n)
    if sequential:
        v = v_new
    return v_new, u - lr * g_pos * v, n - lr * g_neg[:, None] * v


@_exercise("05c.2", "shared_step_one_pair", "return (v, u, n) after one SGD step of the shared-noise loss")
def check_05c_2(shared_step_one_pair: Callable) -> str | None:
    """shared_step_one_pair(v (d,), u (d,), n (S, d), K, lr) -> updated (v, u, n), all gradients at the old values."""
    gen = torch.Generator().manual_seed(11)
    v, u, n = (torch.randn(*shape, generator=gen, dtype=torch.float64) for shape in [(6,), (6,), (4, 6)])
    K, lr = 5, 0.3

    def flat(out: Any) -> np.ndarray:
        if not isinstance(out, (tuple, list)) or len(out) != 3:
            raise Hint("return the three updated tensors (v, u, n)")
        shapes = [tuple(_array(x).shape) for x in out]
        if shapes != [(6,), (6,), (4, 6)]:
            raise Hint(f"v, u and n keep their shapes (d,), (d,) and (S, d); got {shapes}")
        return np.concatenate([_array(x).ravel() for x in out])

    got = flat(_call(shared_step_one_pair, v.clone(), u.clone(), n.clone(), K, lr))
    return _diagnose(got, flat(_shared_step(v, u, n, K, lr)), [
        (flat(_shared_step(v, u, n, K, lr, weight=1.0)), "weight each of the S shared noise terms by K/S"),
        (flat(_shared_step(v, u, n, K, lr, weight=len(n) / K)), "the weight is upside down: K/S, not S/K"),
        (flat(_shared_step(v, u, n, K, lr, label_bug=True)),
         "noise words carry the label 0: their error is sigma(score) - 0"),
        (flat(_shared_step(v, u, n, K, -lr)), "step against the gradient: subtract lr times the gradient"),
        (flat(_shared_step(v, u, n, K, lr, sequential=True)),
         "compute every gradient from the old vectors before changing any of them"),
    ], "wrong update; start from the gradients of Chapter 1, with the noise terms weighted K/S")
