"""Every figure the chapters draw with a helper: each gets a title and labelled axes.

Each helper draws on `ax` when given one (so a notebook can put two plots side by side) or on a
new figure otherwise, and returns the Axes it drew on. Data is plotted exactly as passed in: the
helpers never smooth, sort or rescale it, so tests can read it back from the returned Axes.
matplotlib is an optional dependency (the `plots` extra); only this module imports it, inside the functions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .errors import W2VError
from .pca import Projection


def _axes(ax=None, figsize: tuple[float, float] = (6.4, 4.0)):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize)
    return ax


def _label(ax, title: str, xlabel: str, ylabel: str, legend: bool = True):
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if legend and ax.get_legend_handles_labels()[0]:
        ax.legend()
    ax.grid(True, which="major", alpha=0.3)
    return ax


def line_plot(
    x: Sequence[float], curves: Mapping[str, Sequence[float]], title: str, xlabel: str, ylabel: str,
    ax=None, logx: bool = False, logy: bool = False,
):
    """One line per entry of `curves` (label -> y values), all against the same x (Chapters 1, 2 and 3)."""
    ax = _axes(ax)
    x = np.asarray(x, dtype=float)
    for label, y in curves.items():
        ax.plot(x, np.asarray(y, dtype=float), label=label)
    if logx:
        ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    return _label(ax, title, xlabel, ylabel)


def zipf_plot(
    counts: Sequence[int], fit: tuple[float, float] | None = None, ax=None,
    title: str = "Zipf's law: word count against frequency rank",
):
    """Counts (most frequent first) against rank 1..V on log-log axes (Chapter 2).

    `fit` = (slope, intercept) of log(count) = intercept + slope * log(rank) adds the fitted line.
    """
    ax = _axes(ax)
    counts = np.asarray(counts, dtype=float)
    ranks = np.arange(1, len(counts) + 1, dtype=float)
    ax.loglog(ranks, counts, ".", markersize=3, label="words")
    if fit is not None:
        slope, intercept = fit
        ax.loglog(ranks, np.exp(intercept) * ranks ** slope, "--", label=f"fit: slope {slope:.2f}")
    return _label(ax, title, "rank (1 = most frequent word)", "count")


def keep_prob_plot(
    freqs: Sequence[float], curves: Mapping[str, Sequence[float]], ax=None,
    title: str = "Subsampling: probability of keeping a word",
):
    """Keep probability (label -> values) against word frequency, frequency on a log axis (Chapter 2)."""
    ax = line_plot(freqs, curves, title, "word frequency f (share of all tokens)",
                   "probability of keeping an occurrence", ax=ax, logx=True)
    ax.set_ylim(0.0, 1.05)
    return ax


def compare_distributions(
    labels: Sequence[str], dists: Mapping[str, Sequence[float]], ax=None,
    title: str = "Two distributions over the same words", xlabel: str = "word",
    ylabel: str = "probability", logy: bool = False,
):
    """Grouped bars: one group per label, one bar per distribution (name -> values, same order).

    Chapter 3 compares sampled noise-word frequencies with the distribution they come from.
    """
    ax = _axes(ax, figsize=(max(6.4, 0.45 * len(labels)), 4.0))
    positions = np.arange(len(labels), dtype=float)
    width = 0.8 / max(len(dists), 1)
    for k, (name, values) in enumerate(dists.items()):
        values = np.asarray(values, dtype=float)
        if len(values) != len(labels):
            raise ValueError(f"{name!r} has {len(values)} values for {len(labels)} labels")
        ax.bar(positions + (k - (len(dists) - 1) / 2) * width, values, width=width, label=name)
    ax.set_xticks(positions)
    ax.set_xticklabels(list(labels), rotation=60, ha="right")
    if logy:
        ax.set_yscale("log")
    return _label(ax, title, xlabel, ylabel)


# ----- pictures of trained vectors (Chapters 5 and 6) -----------------------------------------
def plot_projection(
    projection: Projection,
    pairs: Sequence[tuple[str, str]] = (),
    ax=None,
    title: str = "Word vectors projected on their first two principal components",
    label_words: bool = True,
    color: str | None = None,
):
    """Scatter the projected words and draw one arrow a -> b per pair; returns the Axes (Chapter 6).

    The axes use equal scales, so arrows that look parallel are parallel in the projection.
    Axis labels say how much of the variance each component keeps.
    """
    from matplotlib.patches import FancyArrowPatch

    if projection.coords.shape[1] < 2:
        raise W2VError("plot_projection needs a projection with at least 2 components")
    missing = sorted({w for pair in pairs for w in pair} - set(projection.words))
    if missing:
        raise W2VError(f"pair words {', '.join(map(repr, missing))} were not projected; add them to the word list")
    ax = _axes(ax, (6, 5))
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
    """Plot one loss value per chunk (TrainResult.chunk_losses); dotted lines mark epoch ends (Chapter 5).

    Call it again with the same `ax` and a `label` to compare runs on one figure.
    """
    losses = np.asarray(losses, dtype=np.float64)
    if losses.ndim != 1 or len(losses) == 0:
        raise W2VError("losses must be a non-empty list of numbers, one per chunk")
    ax = _axes(ax, (7, 4))
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
