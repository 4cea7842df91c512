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
    """One line per entry of `curves` (label -> y values), all against the same x (Chapters 2 and 3).

    Used by every chapter that draws a curve.

    Bonus notebook 01b plots log sigmoid and its gradient with it.
    """
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
    Axis labels say how much of the variance each component keeps. In a figure of several panels,
    pass label_words=False and call label_points on each panel after `fig.tight_layout()`.
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
    if label_words:
        label_points(ax, projection.words, xy)
    return ax


def label_points(ax, words: Sequence[str], xy, avoid_xy=None, avoid=(), **text_kwargs) -> list:
    """Write each word by its point (rows of `xy`), moved so that no label overlaps another, a point or `avoid`.

    Chapter 6 and bonus notebook 07b label their maps with it (plot_projection calls it for one
    panel). Call it once the figure's layout is final, after `fig.tight_layout()`: the labels are
    placed in screen space, which a later change of the layout would undo. `avoid` lists more artists to keep clear
    of, such as a legend, and `avoid_xy` more points (rows of x, y). Uses adjustText when it is
    installed (the `plots` extra), with a fixed number of iterations so the same figure comes out
    on every machine, and draws a thin line from a moved label to its point; without it, each
    label sits just above and to the right of its point. Returns the Text objects.
    """
    xy = np.asarray(xy, dtype=float)
    ax.apply_aspect()  # an equal-aspect Axes fixes its limits only when drawn; the labels need them now
    style = {"fontsize": 9, "zorder": 4, "ha": "left", "va": "bottom", **text_kwargs}
    texts = [ax.text(x, y, word, **style) for word, (x, y) in zip(words, xy)]
    try:
        from adjustText import adjust_text
    except ImportError:
        return texts
    points = xy if avoid_xy is None else np.vstack([xy, np.asarray(avoid_xy, dtype=float)])
    adjust_text(texts, x=points[:, 0], y=points[:, 1], ax=ax, objects=list(avoid) or None, iter_lim=1000,
                expand=(1.3, 1.6), force_text=(0.2, 0.4), force_static=(0.2, 0.4), force_pull=(0.005, 0.005),
                max_move=None)
    _leader_lines(ax, texts, xy)
    return texts


def _leader_lines(ax, texts, xy, min_pixels: float = 6.0) -> None:
    """A thin grey line from each point to its label, where the label moved away from it.

    Plain lines, not arrow patches: the patches of a projection are its pair arrows only.
    """
    from matplotlib.lines import Line2D

    renderer = ax.figure.canvas.get_renderer()
    to_data = ax.transData.inverted()
    for text, point in zip(texts, ax.transData.transform(xy)):
        box = text.get_window_extent(renderer)
        nearest = np.clip(point, [box.x0, box.y0], [box.x1, box.y1])
        if np.hypot(*(nearest - point)) > min_pixels:
            (x0, y0), (x1, y1) = to_data.transform([point, nearest])
            ax.add_line(Line2D([x0, x1], [y0, y1], color="grey", linewidth=0.5, zorder=1))


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
