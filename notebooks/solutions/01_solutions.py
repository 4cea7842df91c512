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
# # Solutions to Chapter 1: from the softmax to negative sampling, with the gradients by hand
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/word2vec-from-scratch/word2vec-from-scratch/blob/main/notebooks/solutions/01_solutions.ipynb) [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/word2vec-from-scratch/word2vec-from-scratch/main?labpath=notebooks%2Fsolutions%2F01_solutions.ipynb)
#
# Worked solutions to the exercises of [Chapter 1](../01_math_derivation.ipynb), each followed by its check.
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
import torch

# %% [markdown]
# **Exercise 1.** Derive $\partial L_{\text{softmax}} / \partial v_c$ for the softmax loss of
# Section 1, then write `softmax_grad_centre(out_table, v_c, o)`, which returns it for the output
# vectors `out_table` ($V \times d$), the centre vector `v_c` and the observed context word `o`.
# The check compares your formula with autograd, as Section 4 did for SGNS. How many output
# vectors does this gradient involve?

# %% exercise="01.1" tags=["solution"]
def softmax_grad_centre(out_table, v_c, o):
    """dL_softmax/dv_c: out_table (V, d), v_c (d,), o the observed word's id -> (d,)."""
    ### BEGIN SOLUTION
    p = torch.softmax(out_table @ v_c, dim=0)   # p(w | c) for every word w
    return p @ out_table - out_table[o]          # sum_w p(w | c) u_w - u_o: all V output vectors
    ### END SOLUTION


# %%
from w2v_helpers.course.exercises import check_01_1

check_01_1(softmax_grad_centre)


# %% [markdown]
# **Exercise 2.** Suppose one noise word $n$ is drawn `times` times among the $K$ negatives of a
# pair. Predict the gradient of $L$ with respect to its output vector $u_n$ from the boxed formulas
# and write `grad_repeated_noise(v_c, u_n, times)`. The check builds a loss that really contains
# the word `times` times and compares with autograd.

# %% exercise="01.2" tags=["solution"]
def grad_repeated_noise(v_c, u_n, times):
    """dL/du_n when noise word n is drawn `times` times for one pair: v_c, u_n (d,) -> (d,)."""
    ### BEGIN SOLUTION
    return times * torch.sigmoid(u_n @ v_c) * v_c   # one sigma(s_n) v_c per appearance, added up
    ### END SOLUTION


# %%
from w2v_helpers.course.exercises import check_01_2

check_01_2(grad_repeated_noise)
