import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from w2v_helpers.plots import compare_distributions, keep_prob_plot, line_plot, zipf_plot  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def assert_labelled(ax):
    assert ax.get_title().strip()
    assert ax.get_xlabel().strip()
    assert ax.get_ylabel().strip()


def test_line_plot_draws_each_curve_as_given():
    x = np.linspace(-5, 5, 11)
    curves = {"a": x ** 2, "b": -x}
    ax = line_plot(x, curves, "title", "x", "y", logy=False)
    assert_labelled(ax)
    assert [line.get_label() for line in ax.lines] == ["a", "b"]
    for line, y in zip(ax.lines, curves.values()):
        np.testing.assert_array_equal(line.get_xdata(), x)
        np.testing.assert_array_equal(line.get_ydata(), y)


def test_line_plot_uses_the_axes_it_is_given_and_log_scales():
    fig, (left, right) = plt.subplots(1, 2)
    ax = line_plot([1, 10, 100], {"c": [1, 2, 3]}, "t", "x", "y", ax=right, logx=True, logy=True)
    assert ax is right and not left.lines
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"


def test_zipf_plot_puts_counts_against_rank_on_log_axes():
    counts = np.array([1000, 500, 333, 250, 200])
    ax = zipf_plot(counts, fit=(-1.0, np.log(1000.0)))
    assert_labelled(ax)
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    data, fitted = ax.lines
    np.testing.assert_array_equal(data.get_xdata(), [1, 2, 3, 4, 5])
    np.testing.assert_array_equal(data.get_ydata(), counts)
    np.testing.assert_allclose(fitted.get_ydata(), 1000.0 / np.arange(1, 6))


def test_zipf_plot_without_fit_draws_only_the_data():
    ax = zipf_plot([3, 2, 1])
    assert_labelled(ax)
    assert len(ax.lines) == 1


def test_keep_prob_plot_draws_each_formula_against_frequency():
    f = np.logspace(-6, -1, 20)
    curves = {"paper": np.minimum(1, np.sqrt(1e-3 / f)), "word2vec": np.minimum(1, 2 * np.sqrt(1e-3 / f))}
    ax = keep_prob_plot(f, curves)
    assert_labelled(ax)
    assert ax.get_xscale() == "log"
    for line, (name, y) in zip(ax.lines, curves.items()):
        assert line.get_label() == name
        np.testing.assert_array_equal(line.get_xdata(), f)
        np.testing.assert_array_equal(line.get_ydata(), y)


def test_compare_distributions_draws_one_bar_per_word_and_distribution():
    labels = ["the", "of", "and"]
    dists = {"raw": [0.5, 0.3, 0.2], "smoothed": [0.45, 0.32, 0.23]}
    ax = compare_distributions(labels, dists, title="raw vs smoothed", logy=True)
    assert_labelled(ax)
    assert ax.get_yscale() == "log"
    assert [t.get_text() for t in ax.get_xticklabels()] == labels
    assert len(ax.containers) == 2
    for container, values in zip(ax.containers, dists.values()):
        np.testing.assert_allclose([bar.get_height() for bar in container], values)


def test_compare_distributions_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="2 values for 3 labels"):
        compare_distributions(["a", "b", "c"], {"raw": [0.5, 0.5]})
