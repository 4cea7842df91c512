"""Word-pair similarity: Spearman correlation with human ratings (WordSim-353, SimLex-999).

Chapter 7 teaches it. The rules mirror gensim's KeyedVectors.evaluate_word_pairs, so numbers
are comparable with published gensim results.
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from ..errors import W2VError
from ..vectors import WordVectors
from .datasets import MAX_LINE_CHARS, read_lines, vocabulary_keys


@dataclass
class SimilarityResult:
    """Spearman correlation between cosine similarities and human similarity ratings.

    Used by the command line (`evaluate`); similarity_spearman returns it.
    """

    spearman: float  # nan when no pair had both words in the vocabulary
    pairs_used: int
    pairs_skipped: int  # pairs with a word outside the restricted vocabulary
    pvalue: float = float("nan")
    invalid_lines: int = 0

    @property
    def coverage(self) -> float:
        n = self.pairs_used + self.pairs_skipped
        return self.pairs_used / n if n else 0.0

    def as_dict(self) -> dict:
        """Plain numbers, ready for json.dumps; nan becomes None so the output stays valid JSON."""
        rho = None if np.isnan(self.spearman) else self.spearman
        return {
            "kind": "similarity", "spearman": rho, "coverage": self.coverage,
            "pairs_used": self.pairs_used, "pairs_skipped": self.pairs_skipped, "invalid_lines": self.invalid_lines,
        }


def similarity_spearman(
    wv: WordVectors,
    pairs_path: str | os.PathLike | Iterable[str],
    delimiter: str = "\t",
    restrict_vocab: int | None = 300000,
    case_insensitive: bool = True,
) -> SimilarityResult:
    """Spearman rho between cosine similarity and human scores ('w1<TAB>w2<TAB>score' lines).

    Mirrors gensim's evaluate_word_pairs: '#' lines are comments, lines that do not split into
    exactly three fields with a numeric score are ignored, and pairs with an unknown word are
    skipped (reported as coverage) rather than scored. Used in Chapter 7.
    """
    from scipy.stats import spearmanr  # scipy is slow to import; only this function needs it

    if not isinstance(delimiter, str) or not delimiter:
        raise W2VError(f"delimiter must be a non-empty string such as '\\t'; got {delimiter!r}")
    label, lines = read_lines(pairs_path)
    ok, _ = vocabulary_keys(wv, restrict_vocab, case_insensitive)
    gold, left, right = [], [], []
    skipped = invalid = 0
    ratings = set()  # every distinct rating in the file, covered or not
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.upper().split(delimiter) if case_insensitive else line.split(delimiter)
        try:
            a, b, score = fields
            score = float(score)
        except ValueError:
            invalid += 1
            continue
        if not math.isfinite(score) or len(line) > MAX_LINE_CHARS:  # a rating of nan or inf ranks nothing
            invalid += 1
            continue
        ratings.add(score)
        if a in ok and b in ok:
            gold.append(score), left.append(ok[a]), right.append(ok[b])
        else:
            skipped += 1
    if not gold and not skipped:
        raise W2VError(f"{label}: no 'word1{delimiter!r}word2{delimiter!r}score' lines found; wrong delimiter?")
    if len(ratings) == 1 and skipped + len(gold) > 1:
        raise W2VError(f"{label}: all {skipped + len(gold):,} pairs have the same rating ({ratings.pop():g}), so "
                       "no correlation can be computed; check that the third column holds the human ratings")
    if not gold:
        return SimilarityResult(float("nan"), 0, skipped, invalid_lines=invalid)
    model = np.einsum("ij,ij->i", wv.unit[left], wv.unit[right])
    with warnings.catch_warnings():  # equal cosines or ratings among the covered pairs: nan, reported as n/a
        warnings.simplefilter("ignore")
        rho, p = spearmanr(gold, model)
    return SimilarityResult(float(rho), len(gold), skipped, float(p), invalid)
