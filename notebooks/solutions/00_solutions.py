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
# # Solutions to Chapter 0: why dense vectors: counts, PMI and SVD
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/word2vec-from-scratch/word2vec-from-scratch/blob/main/notebooks/solutions/00_solutions.ipynb) [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/word2vec-from-scratch/word2vec-from-scratch/main?labpath=notebooks%2Fsolutions%2F00_solutions.ipynb)
#
# Worked solutions to the exercises of [Chapter 0](../00_why_dense_vectors.ipynb), each followed by its check.
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
import math

import numpy as np

# %% [markdown]
# **Exercise 1.** Write `pmi_of_pair(n_wc, n_w, n_c, total)`: the PMI of one pair, with natural
# logarithms, from the number of times the pair was counted, the row sum of $w$, the column sum of
# $c$ and the total of the matrix. Then compute it for a pair of the probe words from `counts`.
# What is the PMI of a pair that meets exactly as often as chance predicts?

# %% exercise="00.1" tags=["solution"]
def pmi_of_pair(n_wc, n_w, n_c, total):
    """log(P(w, c) / (P(w) P(c))) from the counts: n_wc of the pair, n_w and n_c of each word, total."""
    ### BEGIN SOLUTION
    return math.log((n_wc / total) / ((n_w / total) * (n_c / total)))   # = log(n_wc * total / (n_w * n_c))
    ### END SOLUTION


# %%
from w2v_helpers.course.exercises import check_00_1

check_00_1(pmi_of_pair)


# %% [markdown]
# **Exercise 2.** Write `rank_k_error(M, k)`: the relative error $\lVert M - M_k \rVert_F /
# \lVert M \rVert_F$ of the best rank-$k$ approximation of a dense matrix $M$ (hint: it can be read
# off the singular values, `np.linalg.svd(M, compute_uv=False)`). Then evaluate it on a small
# PPMI block, for example `ppmi_smooth[:500, :500].toarray()`, for $k \in \{10, 50, 200\}$. How fast
# does the error fall, and what does that say about the dimension of word vectors?

# %% exercise="00.2" tags=["solution"]
def rank_k_error(M, k):
    """||M - M_k||_F / ||M||_F for the best rank-k approximation M_k of M (Eckart-Young)."""
    ### BEGIN SOLUTION
    s = np.linalg.svd(M, compute_uv=False)             # singular values, largest first
    return math.sqrt((s[k:] ** 2).sum() / (s ** 2).sum())
    ### END SOLUTION


# %%
from w2v_helpers.course.exercises import check_00_2

check_00_2(rank_k_error)
