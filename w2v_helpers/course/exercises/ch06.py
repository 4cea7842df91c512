"""Checks for Chapter 6's exercises: PCA by SVD, mismatched pairs, the mean cosine of offsets."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .checking import _array, _call, _diagnose, _exercise


@_exercise("06.1", "pca_2d", "return the (n, 2) coordinates and the 2 explained variance ratios")
def check_06_1(pca_2d: Callable) -> str | None:
    """pca_2d(X (n, d)) -> (coords (n, 2), ratio (2,)): PCA by SVD of the centred rows."""
    rng = np.random.default_rng(7)
    X = rng.normal(size=(30, 8)) @ rng.normal(size=(8, 8)) + 5.0
    Xc = X - X.mean(axis=0)
    _, S, Vt = np.linalg.svd(Xc, full_matrices=False)
    want_coords, want_ratio = Xc @ Vt[:2].T, S[:2] ** 2 / (S ** 2).sum()
    out = _call(pca_2d, X.copy())
    if not isinstance(out, tuple) or len(out) != 2:
        return "return a pair (coords, ratio)"
    coords, ratio = _array(out[0]), _array(out[1])
    if coords.shape != (30, 2) or ratio.shape != (2,):
        return f"coords should have shape (n, 2) and ratio shape (2,); got {coords.shape} and {ratio.shape}"
    _, S_raw, _ = np.linalg.svd(X, full_matrices=False)
    ratio_problem = _diagnose(ratio, want_ratio, [
        (S[:2] / S.sum(), "the variance along a direction is the square of its singular value"),
        (S[:2] ** 2 / (S[:2] ** 2).sum(), "divide by the total variance over all components, not only the first two"),
        (S_raw[:2] ** 2 / (S_raw ** 2).sum(), "centre the rows first: subtract the mean vector before the SVD"),
    ], "wrong explained variance ratios")
    if ratio_problem:
        return ratio_problem
    signs = np.sign((coords * want_coords).sum(axis=0))  # each component is only defined up to its sign
    return _diagnose(coords * signs, want_coords, [
        ((X @ Vt[:2].T) * np.sign(((X @ Vt[:2].T) * want_coords).sum(axis=0)),
         "project the centred rows, X - mean, not X itself"),
    ], "wrong coordinates: project the centred rows onto the first two principal directions", rtol=1e-6, atol=1e-8)


@_exercise("06.2", "mismatched", "return the pairs (a_i, b_(i+1)), wrapping around at the end")
def check_06_2(mismatched: Callable) -> str | None:
    """mismatched(pairs) -> as many pairs, each a-word with another pair's b-word; every word used once."""
    for n in (5, 3, 2):
        pairs = [(f"a{i}", f"b{i}") for i in range(n)]
        got = _call(mismatched, list(pairs))
        try:
            got = [tuple(p) for p in got]
        except TypeError:
            return "return a list of (a, b) pairs"
        if any(len(p) != 2 for p in got):
            return "return a list of (a, b) pairs"
        if len(got) != n:
            return (f"return one mismatched pair per true pair ({n}, got {len(got)}): "
                    "wrap around, so that the last a-word takes the first b-word")
        if sorted(b for _, b in got) == sorted(a for a, _ in pairs):
            return "keep each pair's order: an a-word (like 'king') first, a b-word (like 'woman') second"
        if sorted(a for a, _ in got) != sorted(a for a, _ in pairs) or \
                sorted(b for _, b in got) != sorted(b for _, b in pairs):
            return "use every a-word once and every b-word once"
        true = sum(p in pairs for p in got)
        if true:
            return f"{true} of your pairs are still true pairs: pair each a-word with another pair's b-word"
    return None


@_exercise("06.3", "offset_cosine", "return the mean cosine between offsets b_i - a_i of different pairs")
def check_06_3(offset_cosine: Callable) -> str | None:
    """offset_cosine(a_vecs (n, d), b_vecs (n, d)) -> mean over i != j of cos(b_i - a_i, b_j - a_j)."""
    rng = np.random.default_rng(8)
    shift = rng.normal(size=10)
    a = rng.normal(size=(6, 10)) * rng.lognormal(0.0, 0.5, size=(6, 1))
    b = (a + shift + 0.8 * rng.normal(size=(6, 10))) * rng.lognormal(0.0, 0.5, size=(6, 1))

    def mean_cos(a: np.ndarray, b: np.ndarray, unit: bool = True, diagonal: bool = False) -> float:
        off = b - a
        if unit:
            off = off / np.linalg.norm(off, axis=1, keepdims=True)
        m = off @ off.T
        n = len(off)
        return m.mean() if diagonal else (m.sum() - np.trace(m)) / (n * n - n)

    want = mean_cos(a, b)
    got = _call(offset_cosine, a.copy(), b.copy())
    if np.ndim(got) != 0:
        return "return one number, the mean cosine"
    normed = [x / np.linalg.norm(x, axis=1, keepdims=True) for x in (a, b)]
    return _diagnose(got, want, [
        (mean_cos(a, b, diagonal=True), "leave out each offset's cosine with itself (always 1): average over i != j"),
        (mean_cos(a, b, unit=False), "a cosine divides by both offsets' lengths; that is a mean dot product"),
        (mean_cos(*normed), "use the vectors as they are given: whether to normalise the words first is "
                            "the caller's choice (the exercise compares both)"),
    ], "wrong value; compute the offsets b_i - a_i, then the mean cosine over all pairs i != j")
