# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Solutions to Chapter 2: vocabulary, Zipf's law and subsampling
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/word2vec-from-scratch/word2vec-from-scratch/blob/main/notebooks/solutions/02_solutions.ipynb) [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/word2vec-from-scratch/word2vec-from-scratch/main?labpath=notebooks%2Fsolutions%2F02_solutions.ipynb)
#
# Worked solutions to the exercises of [Chapter 2](../02_vocabulary_subsampling.ipynb), each followed by its check.
# Try each exercise in its notebook first: the check there tells you what is wrong without giving
# the answer. A solution is one way to write the function; any function that passes the check is right.

# %%
# Colab setup: on Google Colab this installs the course package and reports the GPU;
# anywhere else (Jupyter, Binder, the tests) it does nothing.
import sys

IN_COLAB = "google.colab" in sys.modules
if IN_COLAB:
    import subprocess

    REPOSITORY = "https://github.com/word2vec-from-scratch/word2vec-from-scratch"  # from pyproject.toml
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", f"git+{REPOSITORY}"], check=True)
    from w2v_helpers.course.colab import setup

    setup()

# %%
import numpy as np

# %% [markdown]
# **Exercise 1.** Write `zipf_slope(counts, lo, hi)`: the slope of the least-squares line through
# $(\log r, \log \text{count}(r))$ for the ranks $r$ = `lo` to `hi`, both included, where `counts`
# is sorted by falling count (rank 1 is `counts[0]`). Once it passes, compare
# `zipf_slope(vocab.counts, 10, 1000)` with the slope fitted in Section 3. How does it change, and
# why can the choice of range move it?

# %% exercise="02.1" tags=["solution"]
def zipf_slope(counts, lo, hi):
    """Slope of log(count) against log(rank) over ranks lo..hi (both included); rank 1 is counts[0]."""
    ### BEGIN SOLUTION
    ranks = np.arange(lo, hi + 1)
    slope, _ = np.polyfit(np.log(ranks), np.log(counts[lo - 1:hi]), 1)
    return slope
    ### END SOLUTION


# %%
from w2v_helpers.course.exercises import check_02_1

check_02_1(zipf_slope)


# %% [markdown]
# **Exercise 2.** Write `expected_share_kept(counts, t)`: the share of all tokens that subsampling
# with the *paper's* rule, $\text{keep}(w) = \min(1, \sqrt{t / f(w)})$, keeps on average, for word
# counts `counts` and threshold `t`. Then compute it for this corpus (`kept_counts`) with
# $t = 10^{-5}$ and compare with the share the C rule kept in Section 6. Which words now lose
# occurrences that the C rule left alone?

# %% exercise="02.2" tags=["solution"]
def expected_share_kept(counts, t):
    """Expected share of tokens kept by the paper's rule min(1, sqrt(t / f)), f = count / total."""
    ### BEGIN SOLUTION
    f = counts / counts.sum()
    keep = np.minimum(1.0, np.sqrt(t / f))
    return (counts * keep).sum() / counts.sum()   # each word weighs in with its number of tokens
    ### END SOLUTION


# %%
from w2v_helpers.course.exercises import check_02_2

check_02_2(expected_share_kept)


# %% [markdown]
# **Exercise 3.** The trainer redraws the subsampled corpus at every epoch instead of subsampling
# once before training. Write `seen_at_least_once(keep, epochs)`: for an array of keep
# probabilities, the chance that a given token is kept in at least one of `epochs` epochs when
# every epoch draws afresh. (Subsampled once, the answer would stay `keep` however long we train.)
# What would be lost if the trainer subsampled only once?

# %% exercise="02.3" tags=["solution"]
def seen_at_least_once(keep, epochs):
    """Chance that a token survives subsampling in at least one of `epochs` independent draws."""
    ### BEGIN SOLUTION
    return 1 - (1 - keep) ** epochs   # 1 - P(dropped in every epoch)
    ### END SOLUTION


# %%
from w2v_helpers.course.exercises import check_02_3

check_02_3(seen_at_least_once)
