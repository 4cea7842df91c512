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
# # Solutions to Chapter 3: drawing the negatives
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/word2vec-from-scratch/word2vec-from-scratch/blob/main/notebooks/solutions/03_solutions.ipynb) [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/word2vec-from-scratch/word2vec-from-scratch/main?labpath=notebooks%2Fsolutions%2F03_solutions.ipynb)
#
# Worked solutions to the exercises of [Chapter 3](../03_negative_sampling.ipynb), each followed by its check.
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
# **Exercise 1.** Write `noise_probs(counts, power=0.75)`: the noise distribution, with each word's
# probability proportional to its count raised to `power`. Then compare `power=1.0` with 0.75 on
# this corpus: what share of the draws goes to its 100 rarest words under each? (To compare the
# nearest neighbours of rare words after training with each power, the trainer's sampler is
# `NegativeSampler(counts, power)`: which setting would you expect to serve rare words better?)

# %% exercise="03.1" tags=["solution"]
def noise_probs(counts, power=0.75):
    """(V,) probabilities proportional to count ** power, summing to 1."""
    ### BEGIN SOLUTION
    weights = np.asarray(counts, dtype=np.float64) ** power
    return weights / weights.sum()
    ### END SOLUTION


# %%
from w2v_helpers.course.exercises import check_03_1

check_03_1(noise_probs)


# %% [markdown]
# **Exercise 2.** Build word2vec's kind of table sampler: write `build_table(probs, size)`, an
# integer array of word ids in which word $w$ fills $\text{round}(\text{size} \cdot p_w)$ slots
# (drawing from it is then one random index per draw). With $\text{size} = 10^6$ and $P_{3/4}$ of
# this corpus, which words get no slot at all, and how large must the table be for every word to
# get at least one?

# %% exercise="03.2" tags=["solution"]
def build_table(probs, size):
    """Word ids, word w repeated round(size * probs[w]) times."""
    ### BEGIN SOLUTION
    slots = np.round(size * np.asarray(probs)).astype(np.int64)
    return np.repeat(np.arange(len(probs)), slots)
    ### END SOLUTION


# %%
from w2v_helpers.course.exercises import check_03_2

check_03_2(build_table)
