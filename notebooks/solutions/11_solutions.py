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
# # Solutions to Chapter 11: phrases, from "new york" to new_york
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/word2vec-from-scratch/word2vec-from-scratch/blob/main/notebooks/solutions/11_solutions.ipynb) [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/word2vec-from-scratch/word2vec-from-scratch/main?labpath=notebooks%2Fsolutions%2F11_solutions.ipynb)
#
# Worked solutions to the exercises of [Chapter 11](../11_phrases.ipynb), each followed by its check.
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
# **Exercise 1.** Write `npmi_score(count_ab, count_a, count_b, n_words)`: gensim's other scorer
# (`scoring="npmi"`), the normalised pointwise mutual information of the pair,
# $\log \frac{p(a\,b)}{p(a)\,p(b)} \big/ (-\log p(a\,b))$, with each probability a count divided by
# the number of tokens `n_words`. It lies between $-1$ and $1$ whatever the corpus size, so one
# threshold (gensim suggests 0.5) suits every corpus. The counts are numpy arrays.

# %% exercise="11.1" tags=["solution"]
def npmi_score(count_ab, count_a, count_b, n_words):
    """log(p(ab) / (p(a) p(b))) / -log p(ab), the probabilities being counts / n_words."""
    ### BEGIN SOLUTION
    p_ab, p_a, p_b = count_ab / n_words, count_a / n_words, count_b / n_words
    return np.log(p_ab / (p_a * p_b)) / -np.log(p_ab)
    ### END SOLUTION


# %%
from w2v_helpers.course.exercises import check_11_1

check_11_1(npmi_score)


# %% [markdown]
# **Exercise 2.** Write `left_to_right(candidate)`: `candidate[i]` says whether the pair of tokens
# at positions `i, i + 1` is a phrase; return the boolean array of the pairs that are joined when
# the text is read left to right (a pair whose first token was just joined to the one before it is
# not). A loop is fine; for a challenge, write it without one, as `join_phrases` does.

# %% exercise="11.2" tags=["solution"]
def left_to_right(candidate):
    """(n,) bool of phrase pairs -> (n,) bool of the pairs joined reading from the left."""
    ### BEGIN SOLUTION
    take = np.zeros(len(candidate), dtype=bool)
    for i, c in enumerate(candidate):
        take[i] = c and not (i > 0 and take[i - 1])
    return take
    ### END SOLUTION


# %%
from w2v_helpers.course.exercises import check_11_2

check_11_2(left_to_right)
