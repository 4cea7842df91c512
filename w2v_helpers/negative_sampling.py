"""Negative sampling: draw 'noise' words from the unigram distribution raised to the 3/4 power (Chapter 3).

The 3/4 power flattens the distribution: rare words are drawn more often than their raw frequency,
frequent words less often. Two words with counts 100 and 1 are 100:1 raw but 100**0.75 = 31.6:1 after.
Chapter 3's one-draw-at-a-time loop, `naive.sample_naive`, draws the same words as `NegativeSampler`.
"""

from __future__ import annotations

import numpy as np

from .arguments import number_array, show
from .errors import W2VError


def noise_distribution(counts: np.ndarray, power: float = 0.75) -> np.ndarray:
    """P(w) proportional to count(w) ** power, (V,) float64 summing to 1: the noise distribution of Chapter 4."""
    if isinstance(power, bool) or not isinstance(power, (int, float, np.integer, np.floating)) \
            or not np.isfinite(power) or power < 0:
        raise W2VError(f"power must be a finite number >= 0 (word2vec uses 0.75); got {show(power)}")
    weights = number_array(counts, "counts", 1).astype(np.float64)
    if not weights.size or not np.isfinite(weights).all() or (weights < 0).any() or not weights.sum() > 0:
        raise W2VError(f"counts must be a non-empty list of word counts, none negative and not all 0; "
                       f"got {show(counts)}")
    weights = weights ** power
    return weights / weights.sum()


class NegativeSampler:
    """Vectorized sampler: one call draws a whole batch by binary search on the cumulative distribution.

    Exact probabilities (no lookup table, so rare words keep their tiny but non-zero chance);
    cost is O(log V) per draw, all inside numpy. Built in Chapter 3; used in Chapter 4 and bonus notebook 05c.
    """

    def __init__(self, counts: np.ndarray, power: float = 0.75) -> None:
        self.probs = noise_distribution(counts, power)
        self.cdf = np.cumsum(self.probs)
        self.cdf[-1] = 1.0  # guard against rounding: every u in [0, 1) must land on a word

    def sample(self, shape: int | tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
        """Noise word ids of the given shape, one uniform number from `rng` per draw."""
        u = rng.random(shape)
        return np.searchsorted(self.cdf, u, side="right").astype(np.int64)
