"""Checks of the arguments the vector API takes, each failing with one W2VError that names the argument.

Used by vectors.py (WordVectors, top_k, analogy_scores), so careless input such as k=0, a float
row id or a ragged table gives one clear line instead of a numpy error or a NaN result.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable

import numpy as np

from .errors import W2VError


def show(value: object) -> str:
    """A value and its type on one short line, for error messages. Used by the command line, via WordVectors."""
    text = " ".join(repr(value).split())
    return f"{text[:60]}{'...' if len(text) > 60 else ''} ({type(value).__name__})"


def positive(value: object, name: str, meaning: str) -> int:
    """A whole number >= 1 (5.0 counts as 5), or a W2VError naming it. Used by the command line, via WordVectors."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise W2VError(f"{name} must be a whole number of at least 1 ({meaning}); got {show(value)}")
    return int(value)


def number_array(values: object, name: str, ndim: int) -> np.ndarray:
    """`values` as an array of numbers with `ndim` dimensions, or a W2VError. Used by the command line, via top_k."""
    try:
        array = np.asarray(values)
    except (TypeError, ValueError, RuntimeError):
        array = np.asarray(None)
    if array.ndim != ndim or array.dtype.kind not in "biuf":
        raise W2VError(f"{name} must be a {ndim}-D array of numbers; got {show(values)}")
    return array


def row_ids(values: object, size: int, name: str) -> np.ndarray:
    """Row ids as a 1-D int64 array, each in range(size), or a W2VError naming the first bad one.

    Used by the command line, via top_k and analogy_scores.
    """
    try:
        array = np.atleast_1d(np.asarray(values if isinstance(values, np.ndarray) else list(values)
                                         if isinstance(values, Iterable) else values))
    except (TypeError, ValueError):
        array = np.asarray([None])
    if array.size == 0:
        return np.zeros(0, dtype=np.int64)
    if array.ndim != 1 or array.dtype.kind not in "iu":
        raise W2VError(f"{name} must be a list of whole-number row ids; got {show(values)}")
    bad = (array < 0) | (array >= size)
    if bad.any():
        raise W2VError(f"{name} holds the id {array[bad][0]}, outside the {size:,} rows (ids 0 to {size - 1:,})")
    return array.astype(np.int64, copy=False)


def float_rows(vectors: object) -> np.ndarray:
    """A float32 copy of a 2-D table of numbers with at least one column, or a W2VError.

    Used by the command line, via WordVectors.
    """
    try:
        array = np.asarray(vectors)
    except (TypeError, ValueError, RuntimeError):
        raise W2VError(f"vectors must be a 2-D array (vocab_size, dim) of numbers; got {show(vectors)}") from None
    if array.ndim != 2:
        raise W2VError(f"vectors must be a 2-D array (vocab_size, dim); got shape {array.shape}")
    if array.dtype.kind not in "biuf":
        raise W2VError(f"vectors must be numbers; got an array of dtype {array.dtype}")
    if array.shape[1] == 0 and array.shape[0]:
        raise W2VError("vectors have 0 columns; each word needs a vector of at least one number")
    with np.errstate(over="ignore"):  # too large for float32 becomes inf, which the caller reports
        return array.astype(np.float32)
