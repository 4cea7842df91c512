import numpy as np

from w2v_helpers.naive import sample_naive
from w2v_helpers.negative_sampling import NegativeSampler, noise_distribution


def test_three_quarter_power_example():
    p = noise_distribution(np.array([100, 1]))
    assert abs(p[0] / p[1] - 100 ** 0.75) < 1e-9
    assert round(p[0] / p[1], 1) == 31.6


def test_vectorized_sampler_draws_the_same_words_as_the_naive_loop():
    counts = np.array([50, 20, 10, 5, 1])
    sampler = NegativeSampler(counts)
    naive = sample_naive(sampler.probs, 2000, np.random.default_rng(3))
    fast = sampler.sample(2000, np.random.default_rng(3))
    np.testing.assert_array_equal(naive, fast)


def test_sampler_frequencies_match_unigram_to_the_three_quarters():
    counts = np.array([1000, 300, 100, 30, 10, 3, 1])
    sampler = NegativeSampler(counts)
    draws = sampler.sample(1_000_000, np.random.default_rng(0))
    observed = np.bincount(draws, minlength=len(counts)) / len(draws)
    expected = counts ** 0.75 / (counts ** 0.75).sum()
    # Each frequency within 5 standard errors sqrt(p(1-p)/n) of its expectation.
    tolerance = 5 * np.sqrt(expected * (1 - expected) / len(draws))
    assert np.all(np.abs(observed - expected) < tolerance)
    # And it differs measurably from the raw unigram distribution.
    assert abs(observed[0] - counts[0] / counts.sum()) > 0.05


def test_batch_shape_and_range():
    draws = NegativeSampler(np.array([3, 2, 1])).sample((4, 5), np.random.default_rng(1))
    assert draws.shape == (4, 5) and draws.min() >= 0 and draws.max() <= 2
