"""Checks for Chapter 2's exercises: Zipf's slope, the share of tokens subsampling keeps, coverage over epochs."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .checking import _call, _close, _diagnose, _exercise, _zipf_counts


@_exercise("02.1", "zipf_slope", "fit log(count) against log(rank) over ranks lo..hi and return the slope")
def check_02_1(zipf_slope: Callable) -> str | None:
    """zipf_slope(counts by falling count, lo, hi) -> slope of log(count) vs log(rank), ranks lo..hi inclusive."""
    counts = _zipf_counts()
    ranks = np.arange(1, len(counts) + 1)

    def fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return np.polyfit(np.log(x), np.log(y), 1)

    for lo, hi in [(10, 1000), (1, len(counts)), (5, 60)]:
        want, intercept = fit(ranks[lo - 1:hi], counts[lo - 1:hi])
        got = _call(zipf_slope, counts.copy(), lo, hi)
        if np.ndim(got) != 0:
            return "return the slope alone, one number (np.polyfit returns [slope, intercept])"
        if _close(got, want, rtol=1e-6):
            continue
        off_by_one = "off by one: rank 1 is counts[0], so rank r is counts[r - 1], and both lo and hi are included"
        mistakes = [(-want, "return the slope of the fitted line itself: it is negative, counts fall as rank grows"),
                    (intercept, "that is the intercept: np.polyfit(x, y, 1) returns [slope, intercept]"),
                    (np.polyfit(ranks[lo - 1:hi], counts[lo - 1:hi], 1)[0],
                     "fit log(count) against log(rank): Zipf's law is a straight line on log-log axes")]
        if lo > 1:
            mistakes += [(fit(ranks[lo:hi], counts[lo:hi])[0], off_by_one),
                         (fit(ranks[lo - 1:hi] - 1, counts[lo - 1:hi])[0],
                          "pair each count with its own rank: ranks start at 1, and rank r goes with counts[r - 1]")]
        mistakes += [(fit(ranks[lo - 1:hi - 1], counts[lo - 1:hi - 1])[0], off_by_one),
                     (fit(ranks[lo - 1:hi + 1], counts[lo - 1:hi + 1])[0], off_by_one),
                     (fit(ranks[lo - 1:hi], counts[lo:hi + 1])[0], off_by_one)]
        return _diagnose(got, want, mistakes, f"wrong slope for ranks {lo}..{hi}; fit a line through "
                         "(log rank, log count) for exactly those ranks", rtol=1e-6)
    return None


@_exercise("02.2", "expected_share_kept",
           "return the expected share of tokens the paper's rule keeps, a number in [0, 1]")
def check_02_2(expected_share_kept: Callable) -> str | None:
    """expected_share_kept(counts, t) -> expected share of tokens kept by the paper's rule min(1, sqrt(t / f))."""
    counts = _zipf_counts()
    f = counts / counts.sum()
    for t in (1e-5, 1e-3):
        keep = np.minimum(1.0, np.sqrt(t / f))
        want = (counts * keep).sum() / counts.sum()
        got = _call(expected_share_kept, counts.copy(), t)
        c_rule = np.minimum(1.0, np.sqrt(t / f) + t / f)
        problem = _diagnose(got, want, [
            (1 - want, "that is the share of tokens discarded, not kept"),
            ((counts * c_rule).sum() / counts.sum(),
             "that is word2vec's C-code rule (sqrt(t/f) + t/f); this exercise uses the paper's, min(1, sqrt(t/f))"),
            ((counts * np.maximum(0.0, 1 - np.sqrt(t / f))).sum() / counts.sum(),
             "1 - sqrt(t/f) is the paper's probability of discarding a token, not of keeping it"),
            ((counts * np.sqrt(t / f)).sum() / counts.sum(),
             "cap the keep probability at 1: a rare word cannot be kept more than always"),
            (keep.mean(), "that is the average over words: weight each word by its count, since frequent words "
                          "have many more tokens"),
            ((counts * np.minimum(1.0, np.sqrt(t / counts))).sum() / counts.sum(),
             "f(w) is a word's share of all tokens: divide the counts by their total first"),
        ], f"wrong share for t = {t:g}; the share of tokens kept is sum_w count(w) keep(w) / sum_w count(w)")
        if problem:
            return problem
    return None


@_exercise("02.3", "seen_at_least_once", "return, per word, the chance that a token is kept in at least one epoch")
def check_02_3(seen_at_least_once: Callable) -> str | None:
    """seen_at_least_once(keep, epochs) -> chance a token is kept in at least one of `epochs` fresh draws."""
    keep = np.array([0.05, 0.3, 0.75, 1.0])
    for epochs in (3, 1, 5):
        want = 1 - (1 - keep) ** epochs
        got = _call(seen_at_least_once, keep.copy(), epochs)
        problem = _diagnose(got, want, [
            (keep, "with a fresh draw every epoch, a token dropped in one epoch can be kept in another: "
                   "the chance should grow with the number of epochs"),
            (np.minimum(1.0, keep * epochs), "chances of different epochs do not add up (a sum can pass 1): "
                                             "work with the chance of being dropped in every epoch"),
            (keep * epochs, "chances of different epochs do not add up (a sum can pass 1): "
                            "work with the chance of being dropped in every epoch"),
            (keep ** epochs, "that is the chance of being kept in every epoch, not in at least one"),
            ((1 - keep) ** epochs, "that is the chance of never being kept"),
        ], f"wrong for epochs = {epochs}; the draws of different epochs are independent")
        if problem:
            return problem
    return None
