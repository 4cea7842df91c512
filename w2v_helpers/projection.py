"""Pictures of trained vectors: a 2-D PCA projection with analogy pairs drawn as arrows, and a loss curve.

PCA finds the directions along which the chosen vectors vary most; keeping the first two gives
the flat picture that loses the least of their spread, and the explained-variance ratio says how
much of it the picture keeps. If an analogy holds, the offsets b - a of its pairs point the same
way, so their arrows come out roughly parallel (as far as two dimensions can show it).

matplotlib and scikit-learn are imported inside the functions: the rest of the package needs neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from .errors import UnknownWordError, W2VError


@dataclass(frozen=True)
class Projection:
    """The 2-D (or n-D) PCA coordinates of some words, and how much of their variance they keep."""

    words: list[str]
    coords: np.ndarray                    # (n_words, n_components)
    explained_variance_ratio: np.ndarray  # (n_components,), each in [0, 1], summing to <= 1
    components: np.ndarray                # (n_components, dim): the principal directions
    mean: np.ndarray                      # (dim,): subtracted before projecting

    def __getitem__(self, word: str) -> np.ndarray:
        try:
            return self.coords[self.words.index(word)]
        except ValueError:
            raise W2VError(f"{word!r} is not among the {len(self.words)} projected words") from None


def _matrix(vectors: Any, words: Sequence[str]) -> np.ndarray:
    """Stack the vectors of `words` from anything indexable by word (WordVectors, a dict, ...)."""
    rows = []
    for w in words:
        try:
            rows.append(np.asarray(vectors[w], dtype=np.float64))
        except UnknownWordError:  # WordVectors' own message already suggests spellings
            raise
        except KeyError:
            raise W2VError(f"{w!r} has no vector; choose words that are in the vocabulary") from None
    matrix = np.stack(rows)
    if matrix.ndim != 2:
        raise W2VError(f"each vector must be 1-D; got an array of shape {matrix.shape[1:]}")
    return matrix


def pca_project(vectors: Any, words: Sequence[str], n_components: int = 2, normalize: bool = True) -> Projection:
    """Fit scikit-learn's PCA on the vectors of `words` and return their coordinates.

    normalize=True scales every vector to length 1 first, so the picture reflects directions
    (what cosine similarity compares) rather than lengths, which mostly track word frequency.
    """
    from sklearn.decomposition import PCA

    words = list(words)
    if len(set(words)) != len(words):
        dup = next(w for w in words if words.count(w) > 1)
        raise W2VError(f"word {dup!r} is listed twice; list each word once")
    if len(words) < n_components:
        raise W2VError(f"{n_components} components need at least {n_components} words; got {len(words)}")
    x = _matrix(vectors, words)
    if n_components > x.shape[1]:
        raise W2VError(f"cannot keep {n_components} components of {x.shape[1]}-dimensional vectors")
    if normalize:
        norms = np.linalg.norm(x, axis=1, keepdims=True)
        x = x / np.where(norms > 0, norms, 1.0)
    pca = PCA(n_components=n_components, svd_solver="full")
    coords = pca.fit_transform(x)
    return Projection(words, coords, pca.explained_variance_ratio_.copy(), pca.components_.copy(), pca.mean_.copy())


def plot_projection(
    projection: Projection,
    pairs: Sequence[tuple[str, str]] = (),
    ax=None,
    title: str = "Word vectors projected on their first two principal components",
    label_words: bool = True,
    color: str | None = None,
):
    """Scatter the projected words and draw one arrow a -> b per pair; returns the Axes.

    The axes use equal scales, so arrows that look parallel are parallel in the projection.
    Axis labels say how much of the variance each component keeps.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch

    if projection.coords.shape[1] < 2:
        raise W2VError("plot_projection needs a projection with at least 2 components")
    missing = sorted({w for pair in pairs for w in pair} - set(projection.words))
    if missing:
        raise W2VError(f"pair words {', '.join(map(repr, missing))} were not projected; add them to the word list")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 5))
    xy = projection.coords[:, :2]
    ax.scatter(xy[:, 0], xy[:, 1], s=18, color=color or "tab:blue", zorder=3)
    if label_words:
        for word, (x, y) in zip(projection.words, xy):
            ax.annotate(word, (x, y), xytext=(4, 4), textcoords="offset points", fontsize=9)
    for a, b in pairs:
        ax.add_patch(FancyArrowPatch(
            tuple(projection[a][:2]), tuple(projection[b][:2]), arrowstyle="-|>", mutation_scale=12,
            color=color or "tab:red", alpha=0.8, linewidth=1.2, shrinkA=3, shrinkB=3, zorder=2,
        ))
    ratio = projection.explained_variance_ratio
    ax.set_xlabel(f"PC1 ({ratio[0]:.0%} of variance)")
    ax.set_ylabel(f"PC2 ({ratio[1]:.0%} of variance)")
    ax.set_title(title)
    ax.set_aspect("equal", adjustable="datalim")
    ax.grid(True, alpha=0.3)
    return ax


def plot_loss_curve(
    losses: Sequence[float],
    chunks_per_epoch: int | None = None,
    ax=None,
    title: str = "Training loss",
    xlabel: str = "chunk of training",
    ylabel: str = "mean loss per pair",
    label: str | None = None,
):
    """Plot one loss value per chunk (TrainResult.chunk_losses); dotted lines mark epoch ends.

    Call it again with the same `ax` and a `label` to compare runs on one figure.
    """
    import matplotlib.pyplot as plt

    losses = np.asarray(losses, dtype=np.float64)
    if losses.ndim != 1 or len(losses) == 0:
        raise W2VError("losses must be a non-empty list of numbers, one per chunk")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    steps = np.arange(1, len(losses) + 1)
    ax.plot(steps, losses, marker="o", markersize=3, label=label)
    if chunks_per_epoch:
        for end in range(chunks_per_epoch, len(losses), chunks_per_epoch):
            ax.axvline(end + 0.5, color="grey", linestyle=":", linewidth=1)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if label is not None:
        ax.legend()
    ax.grid(True, alpha=0.3)
    return ax
