"""Small matplotlib helpers for the notebooks: every figure gets a title and labelled axes.

Each helper draws on `ax` when given one (so a notebook can put two plots side by side) or on a
new figure otherwise, and returns the Axes it drew on. Data is plotted exactly as passed in: the
helpers never smooth, sort or rescale it, so tests can read it back from the returned Axes.
matplotlib is an optional dependency (the `plots` extra); only this module imports it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np


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
    """One line per entry of `curves` (label -> y values), all against the same x."""
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
    """Counts (most frequent first) against rank 1..V on log-log axes.

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
    """Keep probability (label -> values) against word frequency, frequency on a log axis."""
    ax = line_plot(freqs, curves, title, "word frequency f (share of all tokens)",
                   "probability of keeping an occurrence", ax=ax, logx=True)
    ax.set_ylim(0.0, 1.05)
    return ax


def compare_distributions(
    labels: Sequence[str], dists: Mapping[str, Sequence[float]], ax=None,
    title: str = "Two distributions over the same words", xlabel: str = "word",
    ylabel: str = "probability", logy: bool = False,
):
    """Grouped bars: one group per label, one bar per distribution (name -> values, same order)."""
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
