import numpy as np

from w2v_helpers.subsampling import keep_prob_paper, keep_prob_word2vec, subsample


def test_paper_formula_on_known_frequencies():
    # keep = sqrt(t / f): f = 1e-3, t = 1e-5 -> sqrt(0.01) = 0.1; f <= t -> 1
    np.testing.assert_allclose(keep_prob_paper(np.array([1e-3, 1e-5, 1e-7]), t=1e-5), [0.1, 1.0, 1.0])


def test_word2vec_c_formula_on_known_frequencies():
    # keep = (sqrt(f/t) + 1) * t / f: f = 0.04, t = 1e-3 -> (sqrt(40) + 1) / 40
    f = np.array([0.04, 1e-2, 1e-3, 1e-6])
    expected = [(np.sqrt(40) + 1) / 40, (np.sqrt(10) + 1) / 10, 1.0, 1.0]
    np.testing.assert_allclose(keep_prob_word2vec(f, t=1e-3), expected)


def test_keep_probability_falls_with_frequency_and_c_formula_keeps_more():
    f = np.logspace(-6, -1, 50)
    for keep in (keep_prob_paper(f, 1e-3), keep_prob_word2vec(f, 1e-3)):
        assert np.all(np.diff(keep) <= 0) and np.all((keep > 0) & (keep <= 1))
    assert np.all(keep_prob_word2vec(f, 1e-3) >= keep_prob_paper(f, 1e-3))


def test_subsample_keeps_each_word_at_its_rate():
    rng = np.random.default_rng(0)
    ids = np.repeat(np.array([0, 1], dtype=np.int32), 100_000)
    kept = subsample(ids, np.array([0.2, 1.0]), rng)
    assert (kept == 1).sum() == 100_000
    assert abs((kept == 0).sum() / 100_000 - 0.2) < 0.005  # 5 standard deviations of a binomial
