"""Checks for Chapter 3's exercises: the noise distribution, the unigram table, the shared-noise loss."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
import torch.nn.functional as F

from .checking import _array, _call, _close, _diagnose, _exercise, _zipf_counts


@_exercise("03.1", "noise_probs", "return count**power normalised to sum to 1")
def check_03_1(noise_probs: Callable) -> str | None:
    """noise_probs(counts, power=0.75) -> (V,) probabilities proportional to count ** power."""
    counts = _zipf_counts(500)
    for c, power in [(np.array([100, 1]), 0.75), (counts, 0.75), (counts, 1.0), (counts, 0.0), (counts, 0.5)]:
        want = c ** power / (c ** power).sum()
        got = _call(noise_probs, c.copy(), power)
        problem = _diagnose(got, want, [
            (c / c.sum(), "no power applied: raise the counts to the power before normalising"),
            (c ** power, "the probabilities must sum to 1: divide by their total"),
            ((c / c.sum()) ** power, "the probabilities must sum to 1: after the power, divide by the new total"),
            (c ** 0.75 / (c ** 0.75).sum(), "use the `power` argument rather than a fixed 0.75"),
        ], f"wrong probabilities for power = {power}")
        if problem:
            return problem
    return None


@_exercise("03.2", "build_table", "return an int array in which word w fills round(size * probs[w]) slots")
def check_03_2(build_table: Callable) -> str | None:
    """build_table(probs, size) -> int array of word ids in which word w fills round(size * p_w) slots."""
    zipf = _zipf_counts(3000) ** 0.75
    cases = [(np.array([0.5, 0.25, 0.15, 0.1]), 20), (np.array([0.26, 0.74]), 10),
             (np.array([0.36, 0.34, 0.3]), 10), (zipf / zipf.sum(), 1_000_000)]
    for probs, size in cases:
        table = np.asarray(_call(build_table, probs.copy(), size))
        if table.ndim != 1 or not np.issubdtype(table.dtype, np.integer):
            return "return a 1-D array of word ids (integers), one entry per slot"
        if len(table) and (table.min() < 0 or table.max() >= len(probs)):
            return f"the table holds word ids, 0 to {len(probs) - 1}; found {table.min()} .. {table.max()}"
        slots = np.bincount(table, minlength=len(probs))
        want = np.round(size * probs)
        problem = _diagnose(slots, want, [
            (np.floor(size * probs), "astype(int) and np.floor round down: each word gets round(size * p) slots"),
            (np.ceil(size * probs), "np.ceil rounds up: each word gets round(size * p) slots"),
        ], f"wrong number of slots per word for size = {size:,}")
        if problem:
            return problem
    return None


@_exercise("03.3", "shared_noise_loss", "return each pair's noise term with S shared noise words, shape (B,)")
def check_03_3(shared_noise_loss: Callable) -> str | None:
    """shared_noise_loss(v (B, d), u_shared (S, d), K) -> (B,) noise term -(K/S) sum_s log sigma(-u_s . v)."""
    gen = torch.Generator().manual_seed(3)
    v = torch.randn(6, 8, generator=gen)
    u = torch.randn(4, 8, generator=gen)
    v[:, 0], u[:, 0] = 0.0, 0.0
    v[0, 0], u[0] = 2.0, 0.0
    u[0, 0] = 60.0                        # pair 0 scores noise word 0 at 120 (a confident mistake), the others at 0
    K, S = 5, 4
    s = v @ u.T
    want = -(K / S) * F.logsigmoid(-s).sum(1)
    got = _call(shared_noise_loss, v.clone(), u.clone(), K)
    if _array(got).ndim == 0:
        return "return one loss per pair, shape (B,), not their sum or mean"
    eps = -(K / S) * torch.log(torch.sigmoid(-s.double()) + 1e-10).sum(1)
    if _array(got).shape == tuple(want.shape) and _close(_array(got)[1:], want[1:], rtol=1e-4) \
            and not _close(_array(got)[0], want[0], rtol=1e-4):
        return ("right except for a noise word with a very large score, where the loss is capped or infinite: "
                "use F.logsigmoid, not log(sigmoid(.) + eps) or log(sigmoid(.))")
    return _diagnose(got, want, [
        (-F.logsigmoid(-s).sum(1),
         "weight the S shared terms by K/S, so that their expectation equals K private negatives"),
        (-(S / K) * F.logsigmoid(-s).sum(1), "the weight is upside down: K/S, not S/K"),
        (-(K / S) * F.logsigmoid(s).sum(1), "noise words carry the label 0: their term is -log sigma(-score)"),
        ((K / S) * F.logsigmoid(-s).sum(1), "the sign is flipped: a loss is minus a log-likelihood, never negative"),
        (eps, "use F.logsigmoid, not log(sigmoid(.) + eps)"),
    ], "wrong values; score every pair's centre vector against all S shared noise vectors", rtol=1e-4, atol=1e-5)
