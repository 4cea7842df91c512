"""Checks for Chapter 0's exercises (counts before training): PMI of one pair, rank-k error."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from .checking import _call, _diagnose, _exercise


@_exercise("00.1", "pmi_of_pair", "return log(P(w, c) / (P(w) P(c))) from the four counts, one number")
def check_00_1(pmi_of_pair: Callable) -> str | None:
    """pmi_of_pair(n_wc, n_w, n_c, total) -> PMI(w, c) = log(n_wc * total / (n_w * n_c)), natural log."""
    for n_wc, n_w, n_c, total in [(30, 600, 1_500, 1_000_000), (2, 40, 5_000, 250_000), (900, 9_000, 20_000, 60_000)]:
        want = math.log(n_wc * total / (n_w * n_c))
        got = _call(pmi_of_pair, n_wc, n_w, n_c, total)
        if np.ndim(got) != 0:
            return "return one number, the PMI of the pair"
        problem = _diagnose(got, want, [
            (want / math.log(2), "use the natural logarithm (np.log), as the rest of the chapter does, not log2"),
            (math.log(n_wc / (n_w * n_c)), "turn the counts into probabilities: divide each count by the total"),
            (math.log(n_wc / total / (n_w * n_c)), "each of the three counts becomes a probability: "
                                                  "P(w, c) = n_wc / total, P(w) = n_w / total, P(c) = n_c / total"),
            (-want, "the ratio is upside down: P(w, c) on top, P(w) P(c) below"),
            (math.exp(want), "PMI is the logarithm of the ratio"),
            (math.log(n_wc / n_w), "that is log P(c | w); divide by P(c) as well"),
        ], f"wrong PMI for n_wc={n_wc}, n_w={n_w}, n_c={n_c}, total={total:,}", rtol=1e-6)
        if problem:
            return problem
    return None


def _counts() -> np.ndarray:
    rng = np.random.default_rng(3)
    counts = rng.poisson(rng.gamma(0.6, 4.0, size=(12, 12))).astype(np.float64)
    counts = counts + counts.T
    counts[0, 1] = counts[1, 0] = 0.0  # pairs never seen are part of any real counts matrix
    return counts


def _pmi(counts: np.ndarray) -> np.ndarray:
    total = counts.sum()
    with np.errstate(divide="ignore"):
        return np.log(counts * total / np.outer(counts.sum(1), counts.sum(0)))


@_exercise("00.2", "rank_k_error", "return ||M - M_k|| / ||M|| (Frobenius) for the best rank-k M_k, one number")
def check_00_2(rank_k_error: Callable) -> str | None:
    """rank_k_error(M, k) -> ||M - M_k||_F / ||M||_F for the best rank-k approximation M_k of M."""
    rng = np.random.default_rng(4)
    M = rng.normal(size=(30, 4)) @ rng.normal(size=(4, 20)) + 0.3 * rng.normal(size=(30, 20))
    s = np.linalg.svd(M, compute_uv=False)
    for k in (3, 1, 10):
        want = math.sqrt((s[k:] ** 2).sum() / (s ** 2).sum())
        got = _call(rank_k_error, M.copy(), k)
        if np.ndim(got) != 0:
            return "return one number, the relative error"
        problem = _diagnose(got, want, [
            (s[k:].sum() / s.sum(), "the Frobenius norm adds up squares: square the singular values"),
            (math.sqrt((s[:k] ** 2).sum() / (s ** 2).sum()),
             "that is the share the approximation keeps; the error is made of the singular values left out"),
            (math.sqrt((s[k:] ** 2).sum()), "divide by ||M||_F: the error asked for is relative"),
            ((s[k:] ** 2).sum() / (s ** 2).sum(), "take the square root: a norm, not a squared norm"),
            (math.sqrt((s[k + 1:] ** 2).sum() / (s ** 2).sum()),
             "off by one: M_k keeps the k largest singular values, s[0] .. s[k - 1]"),
            (math.sqrt((s[k - 1:] ** 2).sum() / (s ** 2).sum()),
             "off by one: M_k keeps the k largest singular values, s[0] .. s[k - 1]"),
        ], f"wrong error for k = {k}; compare with np.linalg.norm(M - M_k) / np.linalg.norm(M)", rtol=1e-6)
        if problem:
            return problem
    return None
