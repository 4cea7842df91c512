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
# # Solutions to Chapter 4: training pairs and the skip-gram model
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/word2vec-from-scratch/word2vec-from-scratch/blob/main/notebooks/solutions/04_solutions.ipynb) [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/word2vec-from-scratch/word2vec-from-scratch/main?labpath=notebooks%2Fsolutions%2F04_solutions.ipynb)
#
# Worked solutions to the exercises of [Chapter 4](../04_model.ipynb), each followed by its check.
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
import torch.nn.functional as F

# %% [markdown]
# **Exercise 1.** Write `fixed_window_pairs(ids, window)`, a version of `dynamic_window_pairs`
# with a fixed window: every centre is paired with every word at most `window` positions away,
# on both sides, as a list of (centre, context) tuples. How many pairs per token do you get on
# this corpus, and how would you expect that to change the training time?

# %% exercise="04.1" tags=["solution"]
def fixed_window_pairs(ids, window):
    """(centre, context) id pairs with b = window for every centre."""
    ### BEGIN SOLUTION
    pairs = []
    for i in range(len(ids)):
        for offset in range(-window, window + 1):
            j = i + offset
            if offset != 0 and 0 <= j < len(ids):
                pairs.append((int(ids[i]), int(ids[j])))
    return pairs
    ### END SOLUTION


# %%
from w2v_helpers.course.exercises import check_04_1

check_04_1(fixed_window_pairs)


# %% [markdown]
# **Exercise 2.** Write `sgns_loss_by_hand(v, u_pos, u_neg)`: the SGNS loss of every pair of a
# batch, for centre vectors `v` ($B \times d$), context vectors `u_pos` ($B \times d$) and noise
# vectors `u_neg` ($B \times K \times d$), without calling the model. The check includes pairs
# the model gets badly wrong (scores of $\pm 120$), where a careless formula breaks down.

# %% exercise="04.2" tags=["solution"]
def sgns_loss_by_hand(v, u_pos, u_neg):
    """Per-pair SGNS loss: (B, d), (B, d), (B, K, d) -> (B,)."""
    ### BEGIN SOLUTION
    pos = torch.einsum("bd,bd->b", v, u_pos)
    neg = torch.einsum("bkd,bd->bk", u_neg, v)
    return -F.logsigmoid(pos) - F.logsigmoid(-neg).sum(dim=1)
    ### END SOLUTION


# %%
from w2v_helpers.course.exercises import check_04_2

check_04_2(sgns_loss_by_hand)


# %% [markdown]
# **Exercise 3.** Write `init_out_embed(model, generator)`, which fills a `SkipGram` model's
# `out_embed` in place with small random numbers drawn the way `in_embed`'s are (uniform in
# $[-0.5/d, 0.5/d]$, from `generator`), instead of zeros. Then build such a model: what is the
# loss of the first batch now, and is the input gradient still zero?

# %% exercise="04.3" tags=["solution"]
def init_out_embed(model, generator):
    """Fill model.out_embed.weight in place with uniform(-0.5/dim, 0.5/dim) numbers from generator."""
    ### BEGIN SOLUTION
    dim = model.out_embed.weight.shape[1]
    with torch.no_grad():
        model.out_embed.weight.uniform_(-0.5 / dim, 0.5 / dim, generator=generator)
    ### END SOLUTION


# %%
from w2v_helpers.course.exercises import check_04_3

check_04_3(init_out_embed)
