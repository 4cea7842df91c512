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
# # Solutions to Chapter 7: measuring what the vectors learned
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/word2vec-from-scratch/word2vec-from-scratch/blob/main/notebooks/solutions/07_solutions.ipynb) [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/word2vec-from-scratch/word2vec-from-scratch/main?labpath=notebooks%2Fsolutions%2F07_solutions.ipynb)
#
# Worked solutions to the exercises of [Chapter 7](../07_evaluation.ipynb), each followed by its check.
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
# **Exercise 1.** Write `cos_mul_scores(vectors, a, b, c)`: the 3CosMul score of every row of
# `vectors` for the question a:b :: c:? (row indices), with $\varepsilon = 10^{-3}$ and the cosines
# shifted to $[0, 1]$ as in Section 1, and the rows `a`, `b` and `c` set to `-inf` so that they are
# never the answer. Then check that `np.argmax` of your scores gives `wv.analogy`'s answer with
# `method="mul"` for a few questions of your own.

# %% exercise="07.1" tags=["solution"]
def cos_mul_scores(vectors, a, b, c):
    """3CosMul scores of every row for a:b :: c:?, shape (V,); the question words score -inf."""
    ### BEGIN SOLUTION
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    ca, cb, cc = ((unit @ unit[i] + 1) / 2 for i in (a, b, c))
    scores = cb * cc / (ca + 1e-3)
    scores[[a, b, c]] = -np.inf
    return scores
    ### END SOLUTION


# %%
from w2v_helpers.course.exercises import check_07_1

check_07_1(cos_mul_scores)


# %% [markdown]
# **Exercise 2.** Write `coverage(questions, words, restrict)`: the share of the questions (4-tuples
# of words a, b, c, d) whose four words are all among `words[:restrict]`, the `restrict` most
# frequent words. Then evaluate the vectors on questions-words with `restrict_vocab` set to 1,000,
# 10,000 and the whole vocabulary. Plot accuracy and coverage against the limit, and explain why
# accuracy can fall while coverage rises.

# %% exercise="07.2" tags=["solution"]
def coverage(questions, words, restrict):
    """Share of the questions whose four words are all among the first `restrict` words."""
    ### BEGIN SOLUTION
    known = set(words[:restrict])
    return sum(all(w in known for w in q) for q in questions) / len(questions)
    ### END SOLUTION


# %%
from w2v_helpers.course.exercises import check_07_2

check_07_2(coverage)
