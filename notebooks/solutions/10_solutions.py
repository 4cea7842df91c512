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
# # Solutions to Chapter 10: Hierarchical softmax
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/word2vec-from-scratch/word2vec-from-scratch/blob/main/notebooks/solutions/10_solutions.ipynb) [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/word2vec-from-scratch/word2vec-from-scratch/main?labpath=notebooks%2Fsolutions%2F10_solutions.ipynb)
#
# Worked solutions to the exercises of [Chapter 10](../10_hierarchical_softmax.ipynb), each followed by its check.
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
import torch.nn.functional as F

# %% [markdown]
# **Exercise 1.** Write `huffman_code_lengths(counts)`: for an array of $V \ge 2$ word counts (in
# any order), return the length of each word's code in a Huffman tree, an integer array of shape
# $(V,)$. You need no paths: each time two subtrees are merged, every word below them moves one level
# further from the root.

# %% exercise="10.1" tags=["solution"]
def huffman_code_lengths(counts):
    """(V,) word counts -> (V,) integer code lengths of a Huffman tree over them."""
    ### BEGIN SOLUTION
    import heapq

    heap = [(int(c), w, [w]) for w, c in enumerate(counts)]    # (count, node id, the words below)
    heapq.heapify(heap)
    depth = np.zeros(len(counts), dtype=np.int64)
    node = len(counts)
    while len(heap) > 1:
        c0, _, below0 = heapq.heappop(heap)
        c1, _, below1 = heapq.heappop(heap)
        depth[below0 + below1] += 1                            # one level further from the root
        heapq.heappush(heap, (c0 + c1, node, below0 + below1))
        node += 1
    return depth
    ### END SOLUTION


# %%
from w2v_helpers.course.exercises import check_10_1

check_10_1(huffman_code_lengths)


# %% [markdown]
# **Exercise 2.** Write `path_log_probability(h, out_w, path, code)`: $\log p(w \mid h)$ for one
# word, given its path (inner-node rows, root first) and its code (a string of 0s and 1s), for
# float32 vectors. It must stay finite and accurate when the word is very unlikely, where the
# product of section 3 underflows to 0 in float32.

# %% exercise="10.2" tags=["solution"]
def path_log_probability(h, out_w, path, code):
    """log p(w | h) along `path` with bits `code`; h (d,), out_w (V - 1, d); a 0-dim tensor."""
    ### BEGIN SOLUTION
    signs = torch.tensor([1.0 if b == "0" else -1.0 for b in code], dtype=h.dtype)
    scores = out_w[torch.as_tensor(path, dtype=torch.int64)] @ h        # (L,)
    return F.logsigmoid(signs * scores).sum()
    ### END SOLUTION


# %%
from w2v_helpers.course.exercises import check_10_2

check_10_2(path_log_probability)


# %% [markdown]
# **Exercise 3.** Write `expected_length_and_entropy(counts, lengths)`: for word counts and code
# lengths (both of shape $(V,)$), return the pair $(E[L], H)$ in bits: the mean code length weighted
# by the counts, and the entropy of the distribution the counts define. Then try it on a balanced
# tree's lengths and on the Huffman lengths of Exercise 1, for this corpus and for made-up counts
# (all equal; one word with half of all tokens): when is Huffman's code exactly as long as the
# entropy?

# %% exercise="10.3" tags=["solution"]
def expected_length_and_entropy(counts, lengths):
    """(V,) counts and (V,) code lengths -> (E[L], H), both in bits."""
    ### BEGIN SOLUTION
    prob = np.asarray(counts, dtype=np.float64) / np.sum(counts)
    nonzero = prob > 0
    mean_length = float((prob * np.asarray(lengths)).sum())
    return mean_length, float(-(prob[nonzero] * np.log2(prob[nonzero])).sum())
    ### END SOLUTION


# %%
from w2v_helpers.course.exercises import check_10_3

check_10_3(expected_length_and_entropy)
