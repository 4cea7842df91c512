"""Vocabulary: count words, drop rare ones, map words to integer ids.

The corpus is kept as one numpy int32 array of ids (4 bytes a token) rather than a Python
list of strings (8 bytes of pointer plus an object per token): text8's 17M tokens take 68 MB.
Ids are assigned by descending count, so id 0 is the most frequent word, as in word2vec.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from .errors import UnknownWordError, W2VError


@dataclass
class Vocab:
    """Words by descending count, their counts, and the word -> id map (Chapter 2)."""

    words: list[str]          # id -> word, most frequent first
    counts: np.ndarray        # id -> count, int64, (V,)
    word2id: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.counts = np.asarray(self.counts, dtype=np.int64)
        if len(self.words) != len(self.counts):
            raise ValueError("words and counts must have the same length")
        self.word2id = {w: i for i, w in enumerate(self.words)}

    @classmethod
    def from_counts(cls, counts: Counter | dict[str, int], min_count: int = 5) -> Vocab:
        """Keep words seen at least `min_count` times, ordered by count (ties alphabetically, for determinism)."""
        if min_count < 1:
            raise W2VError(f"min_count must be at least 1, got {min_count}")
        if not counts:
            raise W2VError("the corpus is empty: it holds no words; pass a file with text in it")
        kept = sorted(((w, c) for w, c in counts.items() if c >= min_count), key=lambda wc: (-wc[1], wc[0]))
        if not kept:
            top = max(counts.values())
            raise W2VError(
                f"min_count={min_count} removed every word (the most frequent word occurs {top} times); "
                f"lower --min-count to at most {top} or use a larger corpus"
            )
        return cls([w for w, _ in kept], np.array([c for _, c in kept], dtype=np.int64))

    @classmethod
    def build(cls, tokens: Iterable[str], min_count: int = 5) -> Vocab:
        return cls.from_counts(Counter(tokens), min_count)

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: str) -> bool:
        return word in self.word2id

    def id(self, word: str) -> int:
        try:
            return self.word2id[word]
        except KeyError:
            raise UnknownWordError(f"'{word}' is not in the vocabulary ({len(self):,} words)") from None

    def encode(self, tokens: Iterable[str]) -> np.ndarray:
        """Token strings -> int32 ids; words outside the vocabulary are dropped (as word2vec does)."""
        get = self.word2id.get
        ids = [i for i in map(get, tokens) if i is not None]
        return np.array(ids, dtype=np.int32)

    def frequencies(self) -> np.ndarray:
        """Relative frequency of each word among the kept tokens, (V,) float64."""
        return self.counts / self.counts.sum()
