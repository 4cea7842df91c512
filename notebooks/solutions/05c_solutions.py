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
# # Solutions to Bonus 05c: making training fast
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/word2vec-from-scratch/word2vec-from-scratch/blob/main/notebooks/solutions/05c_solutions.ipynb) [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/word2vec-from-scratch/word2vec-from-scratch/main?labpath=notebooks%2Fsolutions%2F05c_solutions.ipynb)
#
# Worked solutions to the exercises of [Bonus 05c](../bonus/05c_fast_training.ipynb), each followed by its check.
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
import torch

# %% [markdown]
# **Exercise 1.** Write `speedups(seconds, pairs)`: given, for each step of the journey, the seconds
# it took and the number of pairs it trained on (the steps need not use the same number of pairs),
# return each step's speedup over the first one, its pairs per second divided by the first step's.
# Apply it to the timings measured in this notebook: does it agree with the chart of section 3?

# %% exercise="05c.1" tags=["solution"]
def speedups(seconds, pairs):
    """Each step's pairs per second divided by the first step's (the first gets 1.0)."""
    ### BEGIN SOLUTION
    rates = np.asarray(pairs, dtype=float) / np.asarray(seconds, dtype=float)
    return rates / rates[0]
    ### END SOLUTION


# %%
from w2v_helpers.course.exercises import check_05c_1

check_05c_1(speedups)


# %% [markdown]
# **Exercise 2.** Write `shared_step_one_pair(v, u, n, K, lr)`: one SGD step of step (d)'s loss for a
# single pair, $-\log\sigma(u \cdot v) - \frac{K}{S}\sum_{s=1}^{S}\log\sigma(-n_s \cdot v)$, where
# `v` is the centre word's input vector, `u` the context word's output vector and `n` the `(S, d)`
# output vectors of the shared noise words. Return the updated `(v, u, n)`, every gradient taken at
# the old values. Compare your result with `sgd_step_shared` on a batch of one pair.

# %% exercise="05c.2" tags=["solution"]
def shared_step_one_pair(v, u, n, K, lr):
    """(v, u, n) after one SGD step of the shared-noise SGNS loss for one pair."""
    ### BEGIN SOLUTION
    weight = K / len(n)
    g_pos = torch.sigmoid(u @ v) - 1                 # dL/d(u . v)
    g_neg = weight * torch.sigmoid(n @ v)            # dL/d(n_s . v), shape (S,)
    return v - lr * (g_pos * u + g_neg @ n), u - lr * g_pos * v, n - lr * g_neg[:, None] * v
    ### END SOLUTION


# %%
from w2v_helpers.course.exercises import check_05c_2

check_05c_2(shared_step_one_pair)
