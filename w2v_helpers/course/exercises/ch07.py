"""Checks for Chapter 7's exercises: 3CosMul scores and the coverage of analogy questions."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .checking import _array, _call, _close, _diagnose, _exercise


def _cos_mul(vectors: np.ndarray, a: int, b: int, c: int, shift: bool = True, mask: bool = True,
             roles: tuple[int, int, int] | None = None) -> np.ndarray:
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    ca, cb, cc = (unit @ unit[i] for i in (roles or (a, b, c)))
    if shift:
        ca, cb, cc = (ca + 1) / 2, (cb + 1) / 2, (cc + 1) / 2
    scores = cb * cc / (ca + 1e-3)
    if mask:
        scores[[a, b, c]] = -np.inf
    return scores


@_exercise("07.1", "cos_mul_scores", "return the 3CosMul score of every row for a:b :: c:?, with a, b, c at -inf")
def check_07_1(cos_mul_scores: Callable) -> str | None:
    """cos_mul_scores(vectors (V, d), a, b, c) -> (V,) 3CosMul scores, eps = 1e-3, rows a, b, c set to -inf."""
    rng = np.random.default_rng(9)
    vectors = rng.normal(size=(60, 8)) * rng.lognormal(0.0, 0.7, size=(60, 1))
    for a, b, c in [(3, 7, 11), (40, 2, 25)]:
        want = _cos_mul(vectors, a, b, c)
        got = _array(_call(cos_mul_scores, vectors.copy(), a, b, c))
        if got.shape == want.shape:
            rest = np.ones(len(want), bool)
            rest[[a, b, c]] = False
            if _close(got[rest], want[rest]) and not _close(got, want):
                return "right for the candidates, but the question words a, b and c must score -inf"
        unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        add = unit @ unit[b] - unit @ unit[a] + unit @ unit[c]
        add[[a, b, c]] = -np.inf
        raw = (vectors @ vectors[b] + 1) / 2 * (vectors @ vectors[c] + 1) / 2 / ((vectors @ vectors[a] + 1) / 2 + 1e-3)
        raw[[a, b, c]] = -np.inf
        problem = _diagnose(got, want, [
            (_cos_mul(vectors, a, b, c, shift=False), "shift each cosine from [-1, 1] to [0, 1], (cos + 1) / 2, "
                                                       "before multiplying and dividing"),
            (add, "that is 3CosAdd: 3CosMul multiplies the cosines with b and c and divides by the one with a"),
            (raw, "use cosines, not dot products: normalise the rows to unit length first"),
            (_cos_mul(vectors, a, b, c, roles=(b, a, c)), "a and b are swapped: divide by the cosine with a"),
            (_cos_mul(vectors, a, b, c, roles=(c, b, a)), "a and c are swapped: divide by the cosine with a"),
        ], f"wrong scores for the question ({a}, {b}, {c}); compare with the formula in Section 1")
        if problem:
            return problem
    return None


def _questions() -> tuple[list[tuple[str, str, str, str]], list[str]]:
    rng = np.random.default_rng(10)
    words = [f"w{i}" for i in range(100)]
    ids = rng.integers(0, 130, size=(200, 4)) ** 1.0
    ids = np.floor(ids * rng.uniform(0.2, 1.0, size=(200, 1))).astype(int)   # most questions use frequent words
    return [tuple(f"w{i}" for i in row) for row in ids], words


@_exercise("07.2", "coverage", "return the share of questions whose four words are all among words[:restrict]")
def check_07_2(coverage: Callable) -> str | None:
    """coverage(questions [(a, b, c, d), ...], words by falling frequency, restrict) -> share in [0, 1]."""
    questions, words = _questions()

    def share(known: set[str], rule: Callable[..., bool] = all, first: int = 4) -> float:
        """The share of questions whose first `first` words are, by `rule` (all or any), in `known`."""
        return sum(rule(w in known for w in q[:first]) for q in questions) / len(questions)

    def within(n: int) -> set[str]:
        return set(words[:max(n, 0)])

    for restrict in (25, 45, 100):
        top = within(restrict)
        want = share(top)
        got = _call(coverage, list(questions), list(words), restrict)
        if np.ndim(got) != 0:
            return "return one number, the share of questions covered"
        off_by_one = "off by one: words[:restrict] holds restrict words"
        problem = _diagnose(got, want, [
            (want * len(questions), "return a share of the questions (between 0 and 1), not a count"),
            (share(top, first=3), "the answer d must be among the words too: a question "
                                  "whose answer the model cannot return is not covered"),
            (share(top, any), "all four words of a question must be in the vocabulary, not one"),
            (share(set(words)), "only the first `restrict` words count"),
            (share(within(restrict + 1)), off_by_one),
            (share(within(restrict - 1)), off_by_one),
        ], f"wrong share for restrict = {restrict}", rtol=1e-9)
        if problem:
            return problem
    return None
