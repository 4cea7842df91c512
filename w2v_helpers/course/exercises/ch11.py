"""Checks for Chapter 11's exercises: gensim's NPMI phrase score, joining phrase pairs left to right."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .checking import _array, _call, _diagnose, _exercise


@_exercise("11.1", "npmi_score", "return log(p(ab) / (p(a) p(b))) / -log p(ab)")
def check_11_1(npmi_score: Callable) -> str | None:
    """npmi_score(count_ab, count_a, count_b, n_words) -> normalised PMI of each pair, in [-1, 1]."""
    count_a = np.array([120.0, 3000.0, 45.0, 800.0, 9.0, 20000.0])
    count_b = np.array([40.0, 2500.0, 60.0, 30.0, 9.0, 15000.0])
    count_ab = np.array([35.0, 20.0, 44.0, 6.0, 9.0, 400.0])
    n = 250_000
    p_ab, p_a, p_b = count_ab / n, count_a / n, count_b / n
    pmi = np.log(p_ab / (p_a * p_b))
    want = pmi / -np.log(p_ab)
    got = _call(npmi_score, count_ab.copy(), count_a.copy(), count_b.copy(), n)
    if np.ndim(got) != 1:
        return "return one score per pair (an array as long as the counts)"
    return _diagnose(_array(got), want, [
        (pmi, "that is the PMI; normalise it: divide by -log p(ab)"),
        (-want, "the sign is flipped: divide by -log p(ab), which is positive"),
        (np.log(count_ab / (count_a * count_b)) / -np.log(count_ab),
         "turn the counts into probabilities first: divide each by n_words"),
        (pmi / -np.log(p_a * p_b), "normalise by -log p(ab), the pair's probability, not -log p(a) p(b)"),
        (np.log2(p_ab / (p_a * p_b)) / -np.log(p_ab), "use the same logarithm above and below the line"),
        (np.log(p_ab / (p_a * p_b)) / -np.log2(p_ab), "use the same logarithm above and below the line"),
    ], "wrong scores; compute p = count / n_words for the pair and both words, then log(p_ab / (p_a p_b)) / -log p_ab")


def _reference(candidate: np.ndarray) -> np.ndarray:
    take = np.zeros(len(candidate), dtype=bool)
    for i, c in enumerate(candidate):
        take[i] = bool(c) and not (i > 0 and take[i - 1])
    return take


@_exercise("11.2", "left_to_right", "return which phrase pairs are joined, reading from the left")
def check_11_2(left_to_right: Callable) -> str | None:
    """left_to_right(candidate (n,) bool) -> (n,) bool: the pairs joined, a joined word never reused."""
    rng = np.random.default_rng(11)
    cases = [np.array([False, True, True, False, True, True, True, True]),
             np.array([True, True, True, False, True, True, False, False, True]),
             np.array([False, True, True, True, True]), np.array([True]), np.zeros(0, dtype=bool),
             rng.random(300) < 0.6]
    for candidate in cases:
        want = _reference(candidate)
        got = _call(left_to_right, candidate.copy())
        got = np.asarray(got)
        if got.shape != candidate.shape:
            return f"return one True/False per candidate position: shape {candidate.shape}, got {got.shape}"
        got = got.astype(bool)
        if np.array_equal(got, want):
            continue
        if np.array_equal(got, candidate):
            return "overlapping pairs share a word: after joining pair i, pair i + 1 cannot be joined"
        if np.array_equal(got, candidate & (np.arange(len(candidate)) % 2 == 0)):
            return ("a run of candidates can start at any position: count from the start of each run "
                    "(the 1st, 3rd, 5th, ... of the run), not from the start of the text")
        if np.array_equal(got, _reference(candidate[::-1])[::-1]):
            return "read from the left: in a run of overlapping candidates the first one is joined, not the last"
        if (got & ~candidate).any():
            return "only a candidate pair can be joined"
        if (got[1:] & got[:-1]).any():
            return "two neighbouring pairs share a token, so they cannot both be joined"
        return ("wrong pairs: a candidate is joined unless the pair just before it was joined "
                "(so the 1st, 3rd, 5th, ... of a run of candidates)")
    return None
