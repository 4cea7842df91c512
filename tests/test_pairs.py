import numpy as np
import pytest

from w2v_helpers.pairs import chunk_bounds, draw_window_sizes, pairs_vectorized


def test_fixed_window_pairs_on_a_tiny_sequence():
    ids = np.array([10, 11, 12], dtype=np.int32)
    c, o = pairs_vectorized(ids, np.array([1, 1, 1]), window=1)
    assert list(zip(c.tolist(), o.tolist(), strict=True)) == [(10, 11), (11, 10), (11, 12), (12, 11)]


def test_dynamic_window_uses_near_words_more_often():
    rng = np.random.default_rng(0)
    n, window = 20_000, 5
    b = draw_window_sizes(n, window, rng)
    assert b.min() == 1 and b.max() == window
    # distance d is used when b >= d: probability (window - d + 1) / window
    for d in range(1, window + 1):
        assert abs((b >= d).mean() - (window - d + 1) / window) < 0.02


def test_chunks_cover_the_corpus():
    assert chunk_bounds(10, 4) == [(0, 4), (4, 8), (8, 10)]


def test_bad_window_is_rejected():
    with pytest.raises(ValueError):
        draw_window_sizes(5, 0, np.random.default_rng(0))
