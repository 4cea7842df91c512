"""Subsampling of frequent words: drop some occurrences of 'the', 'of', ... before training.

Frequent words carry little information about their neighbours and dominate the pair count.
Both formulas keep a word with frequency f (its share of all tokens) with a probability that falls
as f grows past the threshold t (the `--sample` option, 1e-3 in word2vec's defaults).
"""

from __future__ import annotations

import numpy as np

from .arguments import show
from .errors import W2VError


def keep_prob_paper(freq: np.ndarray, t: float = 1e-5) -> np.ndarray:
    """Mikolov et al. (2013), eq. 5: discard with probability 1 - sqrt(t / f), so keep = min(1, sqrt(t / f)).

    Compared with word2vec's own formula in Chapter 2.
    """
    freq, t = _checked(freq, t)
    return np.minimum(1.0, np.sqrt(t / freq))


def keep_prob_word2vec(freq: np.ndarray, t: float = 1e-3) -> np.ndarray:
    """word2vec C (and gensim): keep = (sqrt(f / t) + 1) * t / f, capped at 1.

    Gentler than the paper's formula: a word at frequency f = t is always kept (keep = 2 before capping).
    Chapter 2 derives and plots it; the trainer uses it.
    """
    freq, t = _checked(freq, t)
    return np.minimum(1.0, (np.sqrt(freq / t) + 1.0) * t / freq)


def _checked(freq: object, t: object) -> tuple[np.ndarray, float]:
    """Frequencies in (0, 1] as float64 and a threshold t > 0, or W2VError: t <= 0 or f = 0 would give NaN."""
    if isinstance(t, bool) or not isinstance(t, (int, float, np.integer, np.floating)) or not 0 < t < np.inf:
        raise W2VError(f"t (the subsampling threshold, such as 1e-3) must be a number above 0; got {show(t)}")
    try:
        freq = np.asarray(freq, dtype=np.float64)
    except (TypeError, ValueError):
        raise W2VError(f"freq must be word frequencies (vocab.frequencies()); got {show(freq)}") from None
    if not ((freq > 0) & (freq <= 1)).all():
        raise W2VError("freq must hold word frequencies between 0 and 1 (a word's share of the tokens, never 0); "
                       f"got values from {freq.min() if freq.size else 'none'} to {freq.max() if freq.size else ''}")
    return freq, float(t)


def subsample(ids: np.ndarray, keep_prob: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Keep each token independently with its word's probability; one uniform draw per token (Chapter 2)."""
    return ids[rng.random(len(ids)) < keep_prob[ids]]
