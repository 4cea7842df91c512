"""A text8-sized synthetic corpus with Zipf word frequencies, for measuring memory and speed.

Why: peak memory and words/s depend on the corpus size and on its frequency profile (how many
distinct words survive min_count, how much subsampling drops), not on meaning. A Zipf corpus
(the r-th most frequent word about 1/r as common as the first, as in natural text) of text8's
size reproduces both without a 31 MB download, so a learner can check our peak RSS offline:

    python -m w2v_helpers make-zipf-corpus zipf.txt
    python -m w2v_helpers benchmark --corpus zipf.txt --skip-gensim --epochs 1

The file is written in blocks, so it never holds 17M strings, and atomically.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from .atomic import atomic_path
from .errors import W2VError

TEXT8_TOKENS = 17_005_207  # for reference: text8 has 17.0M tokens and 254k distinct words
BLOCK_TOKENS = 100_000     # tokens drawn and written per block (and per line of the file)
_LETTERS = np.array(list("abcdefghijklmnopqrstuvwxyz"))


def rank_word(rank: int) -> str:
    """The word of 0-based frequency rank `rank`: a, b, ..., z, aa, ab, ... (bijective base 26).

    Used by the command line (`make-zipf-corpus`) through write_zipf_corpus.

    Distinct for every rank, letters a-z only, and shorter for more frequent words, as in
    real languages.
    """
    n, letters = rank + 1, []
    while n:
        n, r = divmod(n - 1, 26)
        letters.append(_LETTERS[r])
    return "".join(reversed(letters))


def zipf_probs(n: int, s: float = 1.0) -> np.ndarray:
    """Probabilities proportional to 1 / rank**s for rank = 1..n: Zipf's law (s = 1 by default).

    Shared by this generator and the toy corpus's filler words. Used by the command line (make-zipf-corpus);
    bonus notebook 02b samples from it to show where a tail of rare words comes from.
    """
    weights = 1.0 / np.arange(1, n + 1, dtype=np.float64) ** s
    return weights / weights.sum()


def write_zipf_corpus(path: str | os.PathLike, n_tokens: int = 17_000_000, vocab_size: int = 250_000,
                      seed: int = 0) -> Path:
    """Write exactly `n_tokens` space-separated words drawn i.i.d. from a Zipf(1) law; returns the path.

    Used by the command line (`make-zipf-corpus`) to measure speed and memory at text8 scale offline.

    The same seed gives the same file byte for byte. Only one block of ids is in memory at a
    time; the words themselves are `vocab_size` shared strings.
    """
    if n_tokens < 1 or vocab_size < 1:
        raise W2VError(f"need n_tokens >= 1 and vocab_size >= 1, got {n_tokens} and {vocab_size}")
    words = np.array([rank_word(r) for r in range(vocab_size)], dtype=object)
    cdf = np.cumsum(zipf_probs(vocab_size))
    rng = np.random.default_rng(seed)
    path = Path(path)
    with atomic_path(path) as tmp, open(tmp, "w", encoding="ascii") as f:
        for start in range(0, n_tokens, BLOCK_TOKENS):
            size = min(BLOCK_TOKENS, n_tokens - start)
            ids = np.minimum(np.searchsorted(cdf, rng.random(size), side="right"), vocab_size - 1)
            f.write(" ".join(words[ids]))
            f.write("\n")
    return path
