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
# # Solutions to Chapter 6: seeing the vectors with PCA
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/word2vec-from-scratch/word2vec-from-scratch/blob/main/notebooks/solutions/06_solutions.ipynb) [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/word2vec-from-scratch/word2vec-from-scratch/main?labpath=notebooks%2Fsolutions%2F06_solutions.ipynb)
#
# Worked solutions to the exercises of [Chapter 6](../06_pca_visualization.ipynb), each followed by its check.
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
# **Exercise 1.** Write `pca_2d(X)` with numpy's SVD: centre the rows of `X`, and return their
# coordinates on the first two principal directions, shape $(n, 2)$, and those two directions'
# explained variance ratios. Then fit it on the unit vectors of the words of all three relations
# together and draw all arrows in one panel: how much variance do two components keep now, and
# are the arrows still parallel?

# %% exercise="06.1" tags=["solution"]
def pca_2d(X):
    """(coords (n, 2), explained variance ratio (2,)) of the rows of X, by SVD."""
    ### BEGIN SOLUTION
    centred = X - X.mean(axis=0)
    _, s, vt = np.linalg.svd(centred, full_matrices=False)
    return centred @ vt[:2].T, s[:2] ** 2 / (s ** 2).sum()
    ### END SOLUTION


# %%
from w2v_helpers.course.exercises import check_06_1

check_06_1(pca_2d)


# %% [markdown]
# **Exercise 2.** Write `mismatched(pairs)`: from pairs $(a_i, b_i)$ of one relation, the pairs
# $(a_i, b_{i+1})$, wrapping around at the end, such as (king, woman) and (man, girl). Then
# compare `mean_offset_cosine(mismatched(pairs))` with the true pairs and with random pairs.
# Where does it fall, and why?

# %% exercise="06.2" tags=["solution"]
def mismatched(pairs):
    """Each a-word with the next pair's b-word; the last a-word takes the first b-word."""
    ### BEGIN SOLUTION
    return [(pairs[i][0], pairs[(i + 1) % len(pairs)][1]) for i in range(len(pairs))]
    ### END SOLUTION


# %%
from w2v_helpers.course.exercises import check_06_2

check_06_2(mismatched)


# %% [markdown]
# **Exercise 3.** Write `offset_cosine(a_vecs, b_vecs)`: the mean cosine between the offsets
# $b_i - a_i$ of different pairs $i \ne j$, for the vectors exactly as given (rows of two
# $n \times d$ arrays). Then compare it on unit vectors (`wv.unit`) and on raw vectors
# (`wv.vectors`), and redraw a panel with `pca_project(..., normalize=False)`. Which numbers
# change, and which do not?

# %% exercise="06.3" tags=["solution"]
def offset_cosine(a_vecs, b_vecs):
    """Mean cosine between the offsets b_i - a_i of different pairs (i != j)."""
    ### BEGIN SOLUTION
    offsets = b_vecs - a_vecs
    offsets = offsets / np.linalg.norm(offsets, axis=1, keepdims=True)
    cos = offsets @ offsets.T
    n = len(offsets)
    return (cos.sum() - np.trace(cos)) / (n * n - n)   # leave out the diagonal, where cos = 1
    ### END SOLUTION


# %%
from w2v_helpers.course.exercises import check_06_3

check_06_3(offset_cosine)
