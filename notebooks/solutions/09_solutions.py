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
# # Solutions to Chapter 9: CBOW, the other word2vec
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/word2vec-from-scratch/word2vec-from-scratch/blob/main/notebooks/solutions/09_solutions.ipynb) [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/word2vec-from-scratch/word2vec-from-scratch/main?labpath=notebooks%2Fsolutions%2F09_solutions.ipynb)
#
# Worked solutions to the exercises of [Chapter 9](../09_cbow.ipynb), each followed by its check.
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
# **Exercise 1.** Write `context_mean_by_hand(table, contexts)`: for a table of vectors
# ($V \times d$) and a matrix of context ids ($B \times C$) padded with $-1$, return $h$
# ($B \times d$), the mean of the vectors of each row's words. Mind the padding.

# %% exercise="09.1" tags=["solution"]
def context_mean_by_hand(table, contexts):
    """(V, d) table, (B, C) ids padded with -1 -> (B, d) mean of each row's real context vectors."""
    ### BEGIN SOLUTION
    real = (contexts >= 0).to(table.dtype)                       # (B, C)
    total = (real.unsqueeze(-1) * table[contexts.clamp(min=0)]).sum(1)
    return total / real.sum(1, keepdim=True)
    ### END SOLUTION


# %%
from w2v_helpers.course.exercises import check_09_1

check_09_1(context_mean_by_hand)


# %% [markdown]
# **Exercise 2.** Write `cbow_step_one_example(v_ctx, u, noise, lr)`: one SGD step on the CBOW loss
# of a single example, with the vectors of its $n$ distinct context words `v_ctx` ($n \times d$), the
# centre word's output vector `u` ($d$) and $K$ noise vectors `noise` ($K \times d$). Return the
# three updated tensors `(v_ctx, u, noise)`, every gradient taken at the old values. Then try
# word2vec's variant, which adds all of $\partial L / \partial h$ to each context word: train a few
# thousand steps on made-up data with both and compare how fast the input vectors grow
# (bonus 09b explains why word2vec takes the larger step).

# %% exercise="09.2" tags=["solution"]
def cbow_step_one_example(v_ctx, u, noise, lr):
    """One SGD step of -log sigma(u.h) - sum_k log sigma(-noise_k.h), h = mean of v_ctx; returns (v_ctx, u, noise)."""
    ### BEGIN SOLUTION
    h = v_ctx.mean(0)                                            # (d,)
    g_pos = torch.sigmoid(u @ h) - 1.0                           # ()
    g_neg = torch.sigmoid(noise @ h)                             # (K,)
    grad_h = g_pos * u + g_neg @ noise                           # (d,)
    return (v_ctx - lr * grad_h / len(v_ctx),                    # every context word: dL/dh / n
            u - lr * g_pos * h,
            noise - lr * g_neg[:, None] * h)
    ### END SOLUTION


# %%
from w2v_helpers.course.exercises import check_09_2

check_09_2(cbow_step_one_example)
