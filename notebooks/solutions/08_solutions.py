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
# # Solutions to Chapter 8: what SGNS computes
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/word2vec-from-scratch/word2vec-from-scratch/blob/main/notebooks/solutions/08_solutions.ipynb) [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/word2vec-from-scratch/word2vec-from-scratch/main?labpath=notebooks%2Fsolutions%2F08_solutions.ipynb)
#
# Worked solutions to the exercises of [Chapter 8](../08_what_sgns_computes.ipynb), each followed by its check.
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
# **Exercise 1.** Levy and Goldberg proposed the *shifted PPMI* matrix, $\max(\text{PMI} - \log k, 0)$,
# as a count-based counterpart of SGNS with $k$ negatives. Write `shifted_ppmi(counts, k)` for a
# dense numpy array of counts (PMI from its row and column sums, no smoothing). A pair never seen has
# PMI $-\infty$: make sure it comes out as 0, not NaN. How does a larger $k$ change which entries
# survive?

# %% exercise="08.1" tags=["solution"]
def shifted_ppmi(counts, k):
    """max(PMI - log k, 0) for a dense (V, V) array of counts; pairs never seen give 0."""
    ### BEGIN SOLUTION
    total = counts.sum()
    expected = np.outer(counts.sum(axis=1), counts.sum(axis=0)) / total   # counts if w and c were independent
    with np.errstate(divide="ignore"):
        pmi = np.log(counts / expected)                                   # -inf where counts is 0
    return np.maximum(pmi - math.log(k), 0.0)
    ### END SOLUTION


# %%
from w2v_helpers.course.exercises import check_08_1

check_08_1(shifted_ppmi)
