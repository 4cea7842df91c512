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
# # Solutions to Chapter 12: Subword vectors (fastText)
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/word2vec-from-scratch/word2vec-from-scratch/blob/main/notebooks/solutions/12_solutions.ipynb) [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/word2vec-from-scratch/word2vec-from-scratch/main?labpath=notebooks%2Fsolutions%2F12_solutions.ipynb)
#
# Worked solutions to the exercises of [Chapter 12](../12_subwords.ipynb), each followed by its check.
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
# **Exercise 1.** Write `subword_rows(word, vocab_index, buckets, min_n, max_n)`: the rows of `word`
# in fastText's own layout of the input table, which keeps every bucket: the word's own row
# `vocab_index[word]` when it is in the vocabulary (a dict from word to id, $V$ words), then
# $V + \text{hash}(g) \bmod \text{buckets}$ for each n-gram $g$ of "<word>" with fastText's FNV-1a
# on its UTF-8 bytes. The order of the rows does not matter.

# %% exercise="12.1" tags=["solution"]
def subword_rows(word, vocab_index, buckets, min_n, max_n):
    """Row ids of `word` in a (V + buckets, d) table: its own row if it has one, then V + bucket per n-gram."""
    ### BEGIN SOLUTION
    from w2v_helpers.subwords import fnv1a  # fastText's hash, as written in section 2

    rows = [vocab_index[word]] if word in vocab_index else []
    w = "<" + word + ">"
    for i in range(len(w)):
        for n in range(min_n, max_n + 1):
            if i + n <= len(w):
                rows.append(len(vocab_index) + fnv1a(w[i:i + n].encode("utf-8")) % buckets)
    return rows
    ### END SOLUTION


# %%
from w2v_helpers.course.exercises import check_12_1

check_12_1(subword_rows)


# %% [markdown]
# **Exercise 2.** Write `fasttext_step(z, u, noise, lr)`: fastText's SGD step on the loss of one
# pair, with the centre word's rows `z` ($n \times d$), the context word's output vector `u` ($d$)
# and $K$ noise vectors `noise` ($K \times d$). $h$ is the mean of the rows; every row gets the
# whole $-\eta\,\partial L/\partial h$. Return the updated `(z, u, noise)`, every gradient taken at
# the old values.

# %% exercise="12.2" tags=["solution"]
def fasttext_step(z, u, noise, lr):
    """One fastText step of -log sigma(u.h) - sum_k log sigma(-noise_k.h), h = mean of z; returns (z, u, noise)."""
    ### BEGIN SOLUTION
    h = z.mean(0)                                            # (d,)
    g_pos = torch.sigmoid(u @ h) - 1.0                       # ()
    g_neg = torch.sigmoid(noise @ h)                         # (K,)
    grad_h = g_pos * u + g_neg @ noise                       # (d,)
    return z - lr * grad_h, u - lr * g_pos * h, noise - lr * g_neg[:, None] * h
    ### END SOLUTION


# %%
from w2v_helpers.course.exercises import check_12_2

check_12_2(fasttext_step)
