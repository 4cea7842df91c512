import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import FancyArrowPatch  # noqa: E402
from sklearn.decomposition import PCA  # noqa: E402

from w2v_helpers.errors import UnknownWordError, W2VError  # noqa: E402
from w2v_helpers.pca import Projection, pca_project  # noqa: E402
from w2v_helpers.plots import plot_loss_curve, plot_projection  # noqa: E402
from w2v_helpers.vectors import WordVectors  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def arrows(ax):
    return [p for p in ax.patches if isinstance(p, FancyArrowPatch)]


# Four points on two perpendicular axes, spread 3 and 1: the variance splits 9 : 1.
CROSS = {"e": [3.0, 0.0, 0.0], "w": [-3.0, 0.0, 0.0], "n": [0.0, 1.0, 0.0], "s": [0.0, -1.0, 0.0]}


def test_known_example_keeps_the_variance_sklearn_reports():
    proj = pca_project(CROSS, list(CROSS), normalize=False)
    np.testing.assert_allclose(proj.explained_variance_ratio, [0.9, 0.1])
    assert proj.coords.shape == (4, 2)
    np.testing.assert_allclose(np.abs(proj["e"]), [3.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(np.abs(proj["n"]), [0.0, 1.0], atol=1e-12)


def test_random_vectors_match_sklearn_directly():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(12, 7)) * np.arange(1, 8)  # unequal spread along the axes
    words = [f"w{i}" for i in range(12)]
    proj = pca_project(WordVectors(words, x), words, normalize=False)
    reference = PCA(n_components=2, svd_solver="full").fit(x.astype(np.float32).astype(np.float64))
    np.testing.assert_allclose(proj.explained_variance_ratio, reference.explained_variance_ratio_, rtol=1e-6)
    # same plane: the coordinates agree up to the sign of each component
    np.testing.assert_allclose(np.abs(proj.coords), np.abs(reference.transform(x.astype(np.float32))), atol=1e-4)


def test_normalize_projects_directions_not_lengths():
    vectors = {"short": [1.0, 0.0], "long": [100.0, 0.0], "up": [0.0, 2.0]}
    proj = pca_project(vectors, list(vectors), normalize=True)
    np.testing.assert_allclose(proj["short"], proj["long"], atol=1e-12)  # same direction, same point


def test_bad_word_lists_are_explained():
    wv = WordVectors(["king", "queen", "man"], np.eye(3))
    with pytest.raises(UnknownWordError, match="kign.*did you mean: king"):
        pca_project(wv, ["kign", "queen"])
    with pytest.raises(W2VError, match="'x' has no vector"):
        pca_project(CROSS, ["e", "x"])
    with pytest.raises(W2VError, match="listed twice"):
        pca_project(CROSS, ["e", "w", "e"])
    with pytest.raises(W2VError, match="at least 2 words"):
        pca_project(CROSS, ["e"])


def test_plot_has_title_labels_and_one_arrow_per_pair():
    proj = pca_project(CROSS, list(CROSS), normalize=False)
    ax = plot_projection(proj, pairs=[("w", "e"), ("s", "n")], title="cross")
    assert ax.get_title() == "cross"
    assert ax.get_xlabel() == "PC1 (90% of variance)"
    assert ax.get_ylabel() == "PC2 (10% of variance)"
    found = arrows(ax)
    assert len(found) == 2
    start, end = found[0]._posA_posB
    np.testing.assert_allclose(start, proj["w"])
    np.testing.assert_allclose(end, proj["e"])
    assert [t.get_text() for t in ax.texts] == list(CROSS)


def test_plot_uses_the_given_axes_and_rejects_unprojected_pairs():
    proj = pca_project(CROSS, ["e", "w", "n"], normalize=False)
    fig, (left, right) = plt.subplots(1, 2)
    assert plot_projection(proj, [], ax=right) is right
    assert not arrows(right) and not left.collections
    with pytest.raises(W2VError, match="'s'"):
        plot_projection(proj, [("n", "s")])


def test_loss_curve_is_labelled_and_marks_epochs():
    losses = [4.1, 3.5, 3.0, 2.9, 2.8, 2.7]
    ax = plot_loss_curve(losses, chunks_per_epoch=2)
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    (curve,) = [line for line in ax.lines if len(line.get_xdata()) == len(losses)]
    np.testing.assert_array_equal(curve.get_ydata(), losses)
    assert len(ax.lines) == 1 + 2  # the curve and a line after epochs 1 and 2
    with pytest.raises(W2VError, match="non-empty"):
        plot_loss_curve([])


def test_projection_is_frozen():
    proj = pca_project(CROSS, list(CROSS))
    assert isinstance(proj, Projection)
    with pytest.raises(AttributeError):
        proj.words = []
