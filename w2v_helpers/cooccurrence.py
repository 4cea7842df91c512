"""Count-based word vectors, taught in Chapter 0 and set next to SGNS in Chapter 8: counts -> PPMI -> SVD.

The counts are a sparse (V, V) matrix: entry (w, c) says how often c occurs within `window`
positions of w, on either side, the window of the trainer. With `weighting="dynamic"` a pair at
distance d counts (window - d + 1) / window, the share of word2vec's reduced windows (b drawn from
1..window) that reach it, so the counts are the pairs SGNS expects to see; "flat" counts every pair
once. They are built one offset and one slice of the corpus at a time, with numpy, never a loop
over tokens. `max_words` keeps only the most frequent words (the lowest ids) as rows and columns,
while the text keeps its positions; before anything is built, the size of the matrix is estimated
from the distinct pairs in a prefix of the corpus, and a matrix that would not fit is refused.

PPMI replaces each count by max(0, log P(w, c) / (P(w) P(c))), optionally with the context
distribution raised to the power alpha (0.75, as the noise distribution of negative sampling), and
`svd_vectors` turns it into dense vectors U_d S_d^power with scipy's truncated SVD.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import svds

from .errors import W2VError
from .resources import available_memory, human

WEIGHTINGS = ("dynamic", "flat")
BYTES_PER_PAIR = 12 * 3   # float64 value + int32 column index, for the matrix, the merge's copy and the PPMI
SAMPLE_TOKENS = 1_000_000  # prefix of the corpus whose distinct pairs are counted to estimate the size


def offset_weights(window: int, weighting: str = "dynamic") -> np.ndarray:
    """The weight of a pair at distance 1..window (Chapter 0): (window - d + 1) / window, or all 1."""
    if not isinstance(window, (int, np.integer)) or window < 1:
        raise W2VError(f"window must be a positive integer, got {window!r}")
    if weighting not in WEIGHTINGS:
        raise W2VError(f"weighting must be one of {', '.join(WEIGHTINGS)}, got {weighting!r}")
    d = np.arange(1, window + 1)
    return (window - d + 1) / window if weighting == "dynamic" else np.ones(window)


def _checked_ids(ids, vocab_size: int, max_words: int | None) -> tuple[np.ndarray, int]:
    ids = np.asarray(ids)
    if ids.ndim != 1 or not np.issubdtype(ids.dtype, np.integer):
        raise W2VError(f"ids must be a 1-d array of integer word ids, got {ids.dtype} of shape {ids.shape}")
    if len(ids) and (ids.min() < 0 or ids.max() >= vocab_size):
        raise W2VError(f"word ids must lie in 0..{vocab_size - 1}, found {ids.min()}..{ids.max()}")
    n = vocab_size if max_words is None else min(vocab_size, max_words)
    if n < 1:
        raise W2VError(f"max_words must be a positive integer, got {max_words!r}")
    return ids, n


def _slice_counts(ids: np.ndarray, n: int, weights: np.ndarray, start: int = 0,
                  stop: int | None = None) -> sp.csr_matrix:
    """One direction's counts (w before c) of the pairs whose left word lies at start..stop - 1."""
    stop = len(ids) if stop is None else min(stop, len(ids))
    rows, cols, vals = [], [], []
    for d, weight in enumerate(weights, start=1):
        right = ids[start + d:stop + d]                  # may reach into the next slice, not past the end
        left = ids[start:start + len(right)]
        keep = (left < n) & (right < n)                  # pairs of kept words only; positions unchanged
        rows.append(left[keep]), cols.append(right[keep])
        vals.append(np.full(int(keep.sum()), weight))
    rows, cols, vals = np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)
    return sp.csr_matrix((vals, (rows, cols)), shape=(n, n))    # duplicates are summed


def estimate_counts_bytes(ids, vocab_size: int, window: int = 5, max_words: int | None = None,
                          sample_tokens: int = SAMPLE_TOKENS) -> tuple[int, int]:
    """(distinct pairs, bytes) the counts would take, estimated from a prefix of the corpus (Chapter 0).

    New pairs turn up ever more slowly as text grows, so scaling the prefix's distinct pairs by
    the corpus length overestimates; the estimate is also capped at n^2 and at 2 * window * tokens.
    """
    ids, n = _checked_ids(ids, vocab_size, max_words)
    head = ids[:sample_tokens]
    one_way = _slice_counts(head, n, offset_weights(window, "flat"))
    distinct = (one_way + one_way.T).nnz * max(1.0, len(ids) / max(len(head), 1))
    pairs = int(min(distinct, n * n, 2 * window * len(ids)))
    return pairs, pairs * BYTES_PER_PAIR


def cooccurrence_counts(ids, vocab_size: int, window: int = 5, weighting: str = "dynamic",
                        max_words: int | None = None, max_bytes: int | None = None,
                        chunk_tokens: int = 1_000_000) -> sp.csr_matrix:
    """The symmetric (n, n) window counts of Chapters 0 and 8, n = min(vocab_size, max_words), float64 CSR.

    Refuses with W2VError, before building anything, when the estimated size (estimate_counts_bytes)
    exceeds `max_bytes` (default: the memory still available). The pairs are added up by slices of
    `chunk_tokens` left words, whose right words may lie in the next slice: none is lost at the edges.
    """
    weights = offset_weights(window, weighting)
    ids, n = _checked_ids(ids, vocab_size, max_words)
    pairs, nbytes = estimate_counts_bytes(ids, vocab_size, window, max_words)
    limit = available_memory() if max_bytes is None else max_bytes
    if limit is not None and nbytes > limit:
        smaller = f"pass max_words (now {n:,}) to keep only the most frequent words, e.g. {max(1, n // 4):,}"
        raise W2VError(f"the co-occurrence counts of {n:,} words would hold about {pairs:,} distinct pairs and "
                       f"need about {human(nbytes)}, more than the {human(limit)} allowed; {smaller}")
    total = sp.csr_matrix((n, n))
    for start in range(0, len(ids), chunk_tokens):
        total = total + _slice_counts(ids, n, weights, start, start + chunk_tokens)
    total = (total + total.T).tocsr()
    total.eliminate_zeros()
    total.sort_indices()
    return total


def ppmi(counts: sp.spmatrix, alpha: float = 1.0) -> sp.csr_matrix:
    """Positive PMI of a counts matrix (Chapters 0 and 8): max(0, log P(w, c) / (P(w) P_alpha(c))), sparse.

    P(w) and P(c) are the row and column sums over the total; with alpha < 1 the context
    distribution is #c^alpha / sum #c^alpha (0.75: the power of the negative-sampling noise).
    Entries with count 0 have PMI -inf and stay 0.
    """
    if not 0 < alpha <= 1:
        raise W2VError(f"alpha must be in (0, 1], got {alpha}")
    counts = sp.csr_matrix(counts, dtype=np.float64)
    if counts.nnz == 0 or counts.data.min() < 0:
        raise W2VError("counts must be non-negative with at least one pair")
    total = counts.sum()
    p_w = np.asarray(counts.sum(axis=1)).ravel() / total
    col = np.asarray(counts.sum(axis=0)).ravel() ** alpha
    p_c = col / col.sum()
    coo = counts.tocoo()
    pmi = np.log(coo.data / total) - np.log(p_w[coo.row]) - np.log(p_c[coo.col])
    keep = pmi > 0
    out = sp.csr_matrix((pmi[keep], (coo.row[keep], coo.col[keep])), shape=counts.shape)
    out.sort_indices()
    return out


def svd_vectors(matrix: sp.spmatrix, dim: int, power: float = 0.5, seed: int = 0) -> np.ndarray:
    """Dense word vectors U_d S_d^power from the top `dim` singular triplets of `matrix` (Chapters 0 and 8).

    Singular values come largest first; each column's sign is fixed so that its largest entry
    (in absolute value) is positive, so the same matrix and seed always give the same vectors.
    """
    if not isinstance(dim, (int, np.integer)) or not 0 < dim < min(matrix.shape):
        raise W2VError(f"dim must be an integer between 1 and {min(matrix.shape) - 1}, got {dim!r}")
    u, s, _ = svds(sp.csr_matrix(matrix, dtype=np.float64), k=dim, random_state=seed)
    order = np.argsort(-s)
    u, s = u[:, order], s[order]
    signs = np.sign(u[np.abs(u).argmax(axis=0), np.arange(dim)])
    return (u * signs) * s ** power
