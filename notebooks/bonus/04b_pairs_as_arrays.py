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
# # Bonus 04b: pairs as integer arrays
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/word2vec-from-scratch/word2vec-from-scratch/blob/main/notebooks/bonus/04b_pairs_as_arrays.ipynb) [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/word2vec-from-scratch/word2vec-from-scratch/main?labpath=notebooks%2Fbonus%2F04b_pairs_as_arrays.ipynb)
#
# Running time on 2 CPU cores: about 20 s on the shipped English corpus.
#
# Chapter 4 made the (centre, context) pairs twice: with a readable loop that returns a Python list
# of tuples, and with `pairs_vectorized`, which returns two numpy integer arrays. This notebook
# measures why the course keeps the corpus and the pairs in integer arrays, and why the trainer
# never holds all the pairs of a corpus at once. You will:
#
# 1. time the loop against the vectorized version;
# 2. measure how often each distance between centre and context is used, with a trick that feeds
#    positions instead of word ids;
# 3. add up the memory a list of tuples holds, object by object, and compare it with arrays;
# 4. scale both to a text8-sized corpus, and make the pairs one chunk of tokens at a time, as the
#    trainer does.
#
# **What you need from earlier chapters.** The corpus as an array of word ids (Chapter 2), and the
# dynamic window with `dynamic_window_pairs`, `draw_window_sizes` and `pairs_vectorized`
# (Chapter 4, Section 1).


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
import sys
import time

import matplotlib.pyplot as plt
import numpy as np

from w2v_helpers.corpus import corpus_from_env
from w2v_helpers.naive import dynamic_window_pairs, iter_pair_chunks
from w2v_helpers.pairs import draw_window_sizes, pairs_vectorized

SEED = 0    # the one seed behind every random number in this notebook
WINDOW = 5  # word2vec's default maximum window

corpus = corpus_from_env(seed=SEED)
print(f"corpus {corpus.name!r}: {len(corpus.ids):,} tokens, {len(corpus.vocab):,} distinct words, "
      f"stored as {corpus.ids.dtype}")

# %% [markdown]
# ## 1. The loop against the vectorized version
#
# `w2v_helpers.naive.dynamic_window_pairs` is the loop Chapter 4 writes; `pairs_vectorized` makes
# the same pairs in the same order (Chapter 4 checks it). Both on the first 20,000 tokens, timed.
# Timings vary from machine to machine, so this cell's output is not checked by the tests.

# %%
# NBVAL_IGNORE_OUTPUT
N_CHECK = 20_000
ids = corpus.ids[:N_CHECK]
t0 = time.perf_counter()
slow = dynamic_window_pairs(ids, WINDOW, np.random.default_rng(SEED))
t_loop = time.perf_counter() - t0
t0 = time.perf_counter()
centres, contexts = pairs_vectorized(ids, draw_window_sizes(N_CHECK, WINDOW, np.random.default_rng(SEED)), WINDOW)
t_vec = time.perf_counter() - t0
print(f"{len(slow):,} pairs; loop: {t_loop * 1000:.0f} ms, vectorized: {t_vec * 1000:.1f} ms, "
      f"{t_loop / t_vec:.0f}x faster")
assert np.array_equal(np.array(slow), np.column_stack([centres, contexts]))
assert t_vec < t_loop

# %% [markdown]
# The loop visits every pair in Python; the vectorized version lays out a grid of all
# `2 * WINDOW` candidate offsets per position and masks it, in a few numpy calls that run in
# compiled code.
#
# ## 2. How often is each distance used?
#
# Chapter 4 showed that a context word at distance $d$ is used with probability
# $(W - d + 1) / W$, since $b$ is uniform on $1..W$. To measure it we need the distance of every
# pair, which the ids alone do not tell us. The trick: feed `pairs_vectorized` the *positions*
# `0, 1, 2, ...` instead of word ids. It then returns the positions of centre and context, and
# their difference is the distance. A sequence of $n$ positions has $2(n - d)$ (centre, context)
# slots at distance $d$; dividing the pair counts by that gives the fraction of slots used.

# %%
N_POS = 200_000
positions = np.arange(N_POS)
pc, po = pairs_vectorized(positions, draw_window_sizes(N_POS, WINDOW, np.random.default_rng(SEED)), WINDOW)
distance = np.abs(po - pc)
d = np.arange(1, WINDOW + 1)
used = np.bincount(distance, minlength=WINDOW + 1)[1:] / (2 * (N_POS - d))
expected = (WINDOW - d + 1) / WINDOW
for di, u, e in zip(d, used, expected):
    print(f"distance {di}: used {u:.3f} of the time, expected {e:.3f}")
assert np.allclose(used, expected, atol=0.01)
print(f"pairs per token: {len(pc) / N_POS:.2f} (expected about WINDOW + 1 = {WINDOW + 1})")
assert abs(len(pc) / N_POS - (WINDOW + 1)) < 0.05

# %% [markdown]
# A picture of the same numbers:

# %%
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.bar(d - 0.2, used, width=0.4, label="measured")
ax.bar(d + 0.2, expected, width=0.4, label="(W - d + 1) / W")
ax.set_xlabel("distance d between centre and context")
ax.set_ylabel("fraction of possible pairs used")
ax.set_title(f"Dynamic window (W = {WINDOW}): near words are used more often")
ax.set_xticks(d)
ax.legend()
plt.show()

# %% [markdown]
# ## 3. What a list of tuples costs
#
# The corpus is one numpy `int32` array: 4 bytes per token. Pairs could live in a Python list of
# tuples, as our loop produced them. What does that cost? A list stores an 8-byte pointer per
# element; each tuple is an object of its own (56 bytes for two items); and each integer above
# 256 is an object too (28 bytes), because CPython only caches the small ones. The function below
# adds up everything a list of pairs holds, counting each distinct object once.

# %%
def bytes_of_pair_list(pairs):
    """Memory of a list of tuples: the list, every tuple, and every distinct int object."""
    seen, total = set(), sys.getsizeof(pairs)
    for pair in pairs:
        for obj in (pair, *pair):
            if id(obj) not in seen:
                seen.add(id(obj))
                total += sys.getsizeof(obj)
    return total


SAMPLE = 10_000
as_list = slow[:SAMPLE]
per_pair_list = bytes_of_pair_list(as_list) / SAMPLE
per_pair_int64 = (centres[:SAMPLE].nbytes + contexts[:SAMPLE].nbytes) / SAMPLE
per_pair_int32 = (centres[:SAMPLE].astype(np.int32).nbytes + contexts[:SAMPLE].astype(np.int32).nbytes) / SAMPLE
print(f"list of tuples:      {per_pair_list:.0f} bytes per pair")
print(f"two int64 arrays:    {per_pair_int64:.0f} bytes per pair")
print(f"two int32 arrays:    {per_pair_int32:.0f} bytes per pair")
print(f"the list takes {per_pair_list / per_pair_int32:.1f} times the memory of the int32 arrays")
assert per_pair_list > 4 * per_pair_int64 and per_pair_list > 8 * per_pair_int32

# %% [markdown]
# ## 4. A text8-sized corpus, and pairs one chunk at a time
#
# On text8 (about 17 million tokens) one epoch holds roughly six pairs per token, before
# subsampling. Scaled up with the measured sizes:

# %%
TEXT8_TOKENS = 17_000_000
text8_pairs = TEXT8_TOKENS * (WINDOW + 1)
print(f"text8: about {text8_pairs / 1e6:.0f} million pairs per epoch")
print(f"  as a list of tuples: {text8_pairs * per_pair_list / 1e9:.1f} GB")
print(f"  as two int32 arrays: {text8_pairs * per_pair_int32 / 1e9:.1f} GB")
print(f"  the corpus itself as int32 ids: {TEXT8_TOKENS * 4 / 1e6:.0f} MB")

# %% [markdown]
# The list would take most of a laptop's memory, and that is an underestimate: text8 has about
# 71,000 words, four times as many as this corpus, so far fewer of its ids fall among the small
# integers CPython shares. Even the arrays are wasteful. So the trainer (Chapter 5) never builds
# all pairs at once: it keeps only the `int32` corpus and makes the pairs of one chunk of tokens
# at a time (`chunk_tokens=100_000` by default). `w2v_helpers.naive.iter_pair_chunks` shows the
# idea: a window never crosses a chunk boundary, and only one chunk's pairs exist at any moment.

# %%
CHUNK = 100_000
chunk_pairs = [len(c) for c, _ in iter_pair_chunks(corpus.ids, WINDOW, CHUNK, np.random.default_rng(SEED))]
largest_mb = max(chunk_pairs) * 2 * 8 / 1e6           # two int64 arrays
print(f"{len(chunk_pairs)} chunks of at most {CHUNK:,} tokens, {sum(chunk_pairs):,} pairs in all")
print(f"the largest chunk: {max(chunk_pairs):,} pairs, {largest_mb:.1f} MB as two int64 arrays")
assert abs(sum(chunk_pairs) / len(corpus.ids) - (WINDOW + 1)) < 0.05
assert largest_mb < 11

# %% [markdown]
# About ten megabytes at a time, whatever the size of the corpus. The pairs come out as `int64`
# because that is what PyTorch's embedding lookups take as indices.
#
# ## Summary
#
# * The vectorized pair maker gives the loop's pairs, in the same order, many times faster.
# * Fed positions instead of ids, it shows each distance $d$ used a share $(W - d + 1)/W$ of the
#   time, and about $W + 1$ pairs per token.
# * A list of tuples costs several times more memory per pair than integer arrays: a pointer, a
#   tuple object and integer objects for each pair, against 8 or 16 bytes.
# * On a text8-sized corpus even the arrays of all pairs would take gigabytes, so the trainer keeps
#   the corpus as `int32` ids and makes the pairs one chunk of 100,000 tokens at a time.
