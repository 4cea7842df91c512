"""Checks for Chapter 3's exercises: the noise distribution, the unigram table."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .checking import _call, _diagnose, _exercise, _zipf_counts


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
