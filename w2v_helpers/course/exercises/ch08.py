"""Checks for Chapter 8's exercises: the shifted PPMI matrix."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from .ch00 import _counts, _pmi
from .checking import _array, _call, _diagnose, _exercise


@_exercise("08.1", "shifted_ppmi", "return max(PMI - log k, 0) for every entry, an array shaped like counts")
def check_08_1(shifted_ppmi: Callable) -> str | None:
    """shifted_ppmi(counts (V, V) dense, k) -> max(PMI - log k, 0), with PMI from the row and column sums."""
    counts = _counts()
    pmi = _pmi(counts)
    for k in (5, 1, 15):
        want = np.maximum(pmi - math.log(k), 0.0)
        got = _array(_call(shifted_ppmi, counts.copy(), k))
        if got.shape == want.shape and not np.isfinite(got).all():
            return ("NaN or inf where a pair was never seen: its PMI is log 0 = -inf, so its shifted PPMI is 0; "
                    "replace those entries (np.where, or np.maximum on a -inf PMI)")
        problem = _diagnose(got, want, [
            (np.maximum(pmi, 0.0) - math.log(k), "shift first, then clip at 0: max(PMI - log k, 0), not max(PMI, 0) - "
                                                 "log k"),
            (np.maximum(pmi - k, 0.0), "the shift is log k, not k"),
            (np.where(np.isfinite(pmi), pmi - math.log(k), 0.0), "clip at 0: negative values are set to 0"),
            (np.maximum(pmi + math.log(k), 0.0), "subtract log k: SGNS's optimum is PMI - log k"),
            (np.maximum(pmi, 0.0), "the shift log k is missing"),
        ], f"wrong values for k = {k}; PMI(w, c) = log(#(w, c) * total / (#w * #c)), with #w and #c the row and "
           "column sums of counts")
        if problem:
            return problem
    return None
