"""Count-based vectors: window counts against a loop, PPMI against a hand computation, the SVD's
reconstruction error, and the memory refusal."""

import math

import numpy as np
import pytest
import scipy.sparse as sp

from w2v_helpers.cooccurrence import cooccurrence_counts, estimate_counts_bytes, offset_weights, ppmi, svd_vectors
from w2v_helpers.errors import W2VError


def brute_force_counts(ids, n, window, weighting):
    weights = offset_weights(window, weighting)
    out = np.zeros((n, n))
    for i in range(len(ids)):
        for j in range(max(0, i - window), min(len(ids), i + window + 1)):
            if j != i and ids[i] < n and ids[j] < n:
                out[ids[i], ids[j]] += weights[abs(i - j) - 1]
    return out


@pytest.mark.parametrize("window", [1, 2, 5])
@pytest.mark.parametrize("weighting", ["dynamic", "flat"])
@pytest.mark.parametrize("max_words", [None, 4])
@pytest.mark.parametrize("chunk_tokens", [1, 7, 10_000])
def test_counts_match_a_loop_over_tokens(window, weighting, max_words, chunk_tokens):
    ids = np.random.default_rng(0).integers(0, 9, size=60).astype(np.int32)
    got = cooccurrence_counts(ids, 9, window, weighting, max_words=max_words, chunk_tokens=chunk_tokens)
    n = 9 if max_words is None else max_words
    want = brute_force_counts(ids, n, window, weighting)
    assert isinstance(got, sp.csr_matrix) and got.shape == (n, n)
    np.testing.assert_allclose(got.toarray(), want, atol=1e-12)
    assert got.nnz == np.count_nonzero(want)  # no explicit zeros stored


def test_counts_by_hand():
    # "a b a c" with window 2, dynamic weights 1 (distance 1) and 1/2 (distance 2)
    got = cooccurrence_counts(np.array([0, 1, 0, 2]), 3, window=2).toarray()
    want = np.array([[1.0, 2.0, 1.0],   # a..a at distance 2: 1/2 from each side
                     [2.0, 0.0, 0.5],
                     [1.0, 0.5, 0.0]])
    np.testing.assert_allclose(got, want)
    assert offset_weights(5).tolist() == [1.0, 0.8, 0.6, 0.4, 0.2]
    assert offset_weights(3, "flat").tolist() == [1.0, 1.0, 1.0]


def test_ppmi_by_hand():
    counts = sp.csr_matrix(np.array([[0.0, 4.0, 1.0],
                                     [4.0, 0.0, 3.0],
                                     [1.0, 3.0, 2.0]]))
    total, rows = 18.0, np.array([5.0, 7.0, 6.0])  # columns are the same: the matrix is symmetric
    got = ppmi(counts).toarray()
    assert math.isclose(got[0, 1], math.log(4 * total / (5 * 7)))        # 0.7205: more often than chance
    assert math.isclose(got[1, 2], math.log(3 * total / (7 * 6)))        # 0.2513
    assert got[0, 2] == 0.0 and math.log(1 * total / (5 * 6)) < 0       # less often than chance: clipped
    assert got[0, 0] == 0.0                                              # never seen: stays 0
    smooth = ppmi(counts, alpha=0.75).toarray()
    p_c = rows ** 0.75 / (rows ** 0.75).sum()
    assert math.isclose(smooth[0, 1], math.log((4 / total) / ((5 / total) * p_c[1])))
    assert math.isclose(smooth[2, 2], max(0.0, math.log((2 / total) / ((6 / total) * p_c[2]))), abs_tol=1e-15)


def test_smoothing_lowers_the_pmi_of_rare_contexts_most():
    counts = sp.csr_matrix(np.array([[0.0, 50.0, 1.0],
                                     [50.0, 10.0, 1.0],
                                     [1.0, 1.0, 0.0]]))
    change = ppmi(counts, 0.75).toarray() - ppmi(counts, 1.0).toarray()
    assert change[0, 2] < 0 < change[0, 1]  # column 2 is the rare context


def test_svd_vectors_reconstruct_as_the_truncated_svd():
    rng = np.random.default_rng(1)
    dense = np.abs(rng.normal(size=(40, 40))) * (rng.random((40, 40)) < 0.3)
    dense = dense + dense.T
    u, s, vt = np.linalg.svd(dense)
    k = 6
    vectors = svd_vectors(sp.csr_matrix(dense), k, power=1.0)       # U_k S_k
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=0), s[:k], rtol=1e-8)  # largest first
    # the rank-k approximation from the vectors has the Eckart-Young error sqrt(sum of the rest s^2)
    approx = vectors @ (vectors / s[:k] ** 2).T @ dense               # U_k S_k (U_k^T M) / ... = U_k U_k^T M
    error = np.linalg.norm(dense - approx)
    assert math.isclose(error, math.sqrt((s[k:] ** 2).sum()), rel_tol=1e-8)
    assert math.isclose(error / np.linalg.norm(dense), 0.707, abs_tol=0.1)  # a noisy matrix: much is left
    half = svd_vectors(sp.csr_matrix(dense), k)                       # U_k S_k^0.5
    np.testing.assert_allclose(np.abs(half), np.abs(u[:, :k]) * np.sqrt(s[:k]), atol=1e-8)
    assert np.all(half[np.abs(half).argmax(axis=0), np.arange(k)] > 0)  # signs fixed
    np.testing.assert_array_equal(half, svd_vectors(sp.csr_matrix(dense), k))  # reproducible


def test_memory_estimate_and_refusal():
    ids = np.random.default_rng(2).integers(0, 50, size=5000)
    exact = cooccurrence_counts(ids, 50, 5, max_bytes=10**9).nnz
    pairs, nbytes = estimate_counts_bytes(ids, 50, 5, sample_tokens=1000)
    assert exact <= pairs <= 50 * 50 and nbytes == pairs * 36
    assert estimate_counts_bytes(ids, 50, 5)[0] == exact  # the prefix is the whole corpus: exact
    with pytest.raises(W2VError, match=r"need about .* more than the 1\.0 KB allowed; pass max_words"):
        cooccurrence_counts(ids, 50, 5, max_bytes=1024)
    assert cooccurrence_counts(ids, 50, 5, max_words=5, max_bytes=1024).shape == (5, 5)  # 25 pairs fit


@pytest.mark.parametrize("call, message", [
    (lambda: cooccurrence_counts(np.array([0, 1, 5]), 3), "must lie in 0..2"),
    (lambda: cooccurrence_counts(np.array([0.5, 1.0]), 3), "integer word ids"),
    (lambda: cooccurrence_counts(np.array([0, 1]), 3, window=0), "window must be a positive integer"),
    (lambda: cooccurrence_counts(np.array([0, 1]), 3, weighting="harmonic"), "weighting must be one of"),
    (lambda: cooccurrence_counts(np.array([0, 1]), 3, max_words=0), "max_words must be a positive integer"),
    (lambda: ppmi(sp.csr_matrix((3, 3))), "at least one pair"),
    (lambda: ppmi(sp.identity(3), alpha=0), "alpha must be in"),
    (lambda: svd_vectors(sp.identity(3), 3), "dim must be an integer between 1 and 2"),
])
def test_bad_input_is_one_line(call, message):
    with pytest.raises(W2VError, match=message):
        call()
