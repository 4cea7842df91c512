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
# # Solutions to Chapter 5: training and nearest neighbours
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/word2vec-from-scratch/word2vec-from-scratch/blob/main/notebooks/solutions/05_solutions.ipynb) [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/word2vec-from-scratch/word2vec-from-scratch/main?labpath=notebooks%2Fsolutions%2F05_solutions.ipynb)
#
# Worked solutions to the exercises of [Chapter 5](../05_training.ipynb), each followed by its check.
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
# **Exercise 1.** Write `nearest_by_cosine(vectors, query, k)`: the row indices of the `k` rows of
# `vectors` most similar to row `query` by cosine, most similar first, leaving the query out.
# Then compare `nearest_by_cosine(wv.vectors, wv.index(q), 10)` with `wv.most_similar(q)` for the
# words in `QUERIES`.

# %% exercise="05.1" tags=["solution"]
def nearest_by_cosine(vectors, query, k):
    """Indices of the k rows with the largest cosine with row `query`, best first, query excluded."""
    ### BEGIN SOLUTION
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    scores = unit @ unit[query]
    scores[query] = -np.inf                     # a word is not its own neighbour
    return np.argsort(-scores)[:k].tolist()
    ### END SOLUTION


# %%
from w2v_helpers.course.exercises import check_05_1

check_05_1(nearest_by_cosine)


# %% [markdown]
# **Exercise 2.** `wv.most_similar(q, k=10, restrict=200)` searches only the `restrict` most frequent
# words. Write `nearest_restricted(vectors, query, k, restrict)`, the same search over rows
# `0 .. restrict - 1` only (by cosine, query left out). How do the neighbour lists of `QUERIES`
# change with `restrict=200`, and when would such a restriction be useful?

# %% exercise="05.2" tags=["solution"]
def nearest_restricted(vectors, query, k, restrict):
    """The k nearest rows to row `query` by cosine among rows 0..restrict-1, best first, query excluded."""
    ### BEGIN SOLUTION
    rows = vectors[:restrict]
    scores = rows @ vectors[query] / (np.linalg.norm(rows, axis=1) * np.linalg.norm(vectors[query]))
    if query < restrict:
        scores[query] = -np.inf
    return np.argsort(-scores)[:k].tolist()
    ### END SOLUTION


# %%
from w2v_helpers.course.exercises import check_05_2

check_05_2(nearest_restricted)
