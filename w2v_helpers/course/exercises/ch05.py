"""Checks for Chapter 5's exercises: nearest neighbours by cosine, restricted neighbours."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .checking import Hint, _call, _exercise


def _neighbour_data() -> tuple[np.ndarray, np.ndarray]:
    """A tiny example where dot product and cosine disagree, and 300 random vectors of varied lengths."""
    small = np.array([[10.0, 6.0], [1.0, 0.0], [0.95, 0.2], [0.0, 1.0]])
    rng = np.random.default_rng(5)
    big = rng.normal(size=(300, 16)) * rng.lognormal(0.0, 0.7, size=(300, 1))
    return small, big


def _by_cosine(vectors: np.ndarray, query: int, k: int, rows: int | None = None) -> list[int]:
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    scores = unit[:rows] @ unit[query]
    return [int(i) for i in np.argsort(-scores, kind="stable") if i != query][:k]


def _index_list(got: Any) -> list[int]:
    arr = np.asarray(got)
    if arr.ndim != 1 or not (np.issubdtype(arr.dtype, np.integer) or arr.size == 0):
        raise Hint("return a list of row indices (integers), the most similar first")
    return [int(i) for i in arr]


def _neighbour_mistakes(got: list[int], vectors: np.ndarray, query: int, k: int, rows: int | None) -> str | None:
    dot = [int(i) for i in np.argsort(-(vectors[:rows] @ vectors[query]), kind="stable") if i != query][:k]
    if query in got:
        return "leave the query word out: it is always its own nearest neighbour"
    if got == dot:
        return ("ranked by the raw dot product: divide by the vector lengths (cosine), "
                "or long vectors (frequent words) win")
    if len(got) != k:
        return f"return exactly k = {k} indices"
    want = _by_cosine(vectors, query, k, rows)
    if got == want[::-1] or set(got) == set(want):
        return "the right words in the wrong order: the most similar first (decreasing cosine)"
    return None


@_exercise("05.1", "nearest_by_cosine", "return the indices of the k rows most similar to row `query`, best first")
def check_05_1(nearest_by_cosine: Callable) -> str | None:
    """nearest_by_cosine(vectors (V, d), query, k) -> k row indices by decreasing cosine, query left out."""
    small, big = _neighbour_data()
    for vectors, query, k in [(small, 1, 3), (big, 5, 10)]:
        got = _index_list(_call(nearest_by_cosine, vectors.copy(), query, k))
        if got != _by_cosine(vectors, query, k):
            return _neighbour_mistakes(got, vectors, query, k, None) or \
                "wrong neighbours; score every row by its cosine with the query row"
    return None


@_exercise("05.2", "nearest_restricted", "return the k nearest rows by cosine among rows 0..restrict-1")
def check_05_2(nearest_restricted: Callable) -> str | None:
    """nearest_restricted(vectors, query, k, restrict) -> k indices by cosine among rows < restrict, query left out."""
    _, vectors = _neighbour_data()
    restrict, k = 100, 10
    vectors = vectors.copy()
    vectors[restrict] = 3 * vectors[5] + 0.01      # row `restrict` points the query's way: it must stay out
    vectors[restrict + 1] = 2 * vectors[250] + 0.01
    for query in (5, 250):
        got = _index_list(_call(nearest_restricted, vectors.copy(), query, k, restrict))
        if got == _by_cosine(vectors, query, k, restrict):
            continue
        if any(i >= restrict for i in got):
            return (f"only rows 0 .. restrict - 1 may be returned (restrict={restrict} means ids 0 to {restrict - 1}); "
                    f"found {max(got)}")
        if len(got) < k:
            return "fewer than k results: restrict the rows first, then take the top k (not the other way round)"
        return _neighbour_mistakes(got, vectors, query, k, restrict) or \
            "wrong neighbours; rank the first `restrict` rows by their cosine with the query row"
    return None
