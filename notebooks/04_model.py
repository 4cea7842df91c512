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
# # Chapter 4: training pairs and the skip-gram model
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/word2vec-from-scratch/word2vec-from-scratch/blob/main/notebooks/04_model.ipynb) [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/word2vec-from-scratch/word2vec-from-scratch/main?labpath=notebooks%2F04_model.ipynb)
#
# **On real text:** [what this chapter shows on real English](../docs/real-text.md). Running time
# on 2 CPU cores: about 15 s on the shipped English corpus, and about as long on text8-sized text.
#
# Chapters 1 to 3 gave us the loss, a vocabulary with subsampling, and a sampler of noise words.
# This chapter builds the two pieces that connect them: the stream of (centre, context) pairs the
# model learns from, and the model itself. You will:
#
# 1. write word2vec's *dynamic window* as a plain loop, check that the package's vectorized
#    version produces exactly the same pairs, and measure how often each distance gets used;
# 2. measure why the corpus and the pairs live in numpy integer arrays and not in Python lists;
# 3. run the model's forward pass one step at a time, printing every shape, then write it as a
#    `SkipGram` module and check that the course package's `SkipGram` is the same code;
# 4. take a backward pass and SGD steps, and watch the loss of a batch go down.
#
# **What you need from earlier chapters.** The SGNS loss from Chapter 1
# ($-\log\sigma(u_o \cdot v_c) - \sum_k \log\sigma(-u_{n_k} \cdot v_c)$), the idea of a corpus as
# an array of word ids from Chapter 2, and the noise distribution (counts to the power 3/4,
# `noise_distribution` in the package) from Chapter 3.

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
import math
import sys
import time

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from w2v_helpers.corpus import corpus_from_env
from w2v_helpers.negative_sampling import NegativeSampler
from w2v_helpers.pairs import draw_window_sizes, pairs_vectorized

SEED = 0    # the one seed behind every random number in this notebook
WINDOW = 5  # word2vec's default maximum window
# The tensors here are small: one thread is as fast as several and gives the same bits everywhere.
torch.set_num_threads(1)

corpus = corpus_from_env(seed=SEED)
words = corpus.vocab.words
print(f"corpus {corpus.name!r}: {len(corpus.ids):,} tokens, {len(corpus.vocab):,} distinct words, "
      f"stored as {corpus.ids.dtype}")

# %% [markdown]
# By default the notebooks use the English corpus that ships with the course (Jane Austen's
# novels and the lead paragraphs of Wikipedia articles; see Chapter 2), and the stored outputs
# below come from it. Set the environment variable `W2V_CORPUS=text8` before starting Jupyter to
# use text8 instead: 12 times as many tokens and a vocabulary about four times larger, which
# changes the words printed below but none of the checks.
#
# ## 1. Pairs with a dynamic window
#
# Skip-gram learns from pairs (centre word, a word near it). word2vec does not use a fixed window:
# for every centre position it draws a window size $b$ uniformly from $1, \dots,$ `WINDOW` and
# pairs the centre with every word at most $b$ positions away, on both sides. Here is that rule as
# the most direct loop we can write, drawing $b$ inside the loop, one centre at a time.

# %%
def dynamic_window_pairs(ids, window, rng):
    """(centre, context) id pairs: for each position draw b in 1..window, pair with words <= b away."""
    pairs = []
    for i in range(len(ids)):
        b = rng.integers(1, window + 1)              # this centre's window size
        for offset in range(-b, b + 1):
            j = i + offset
            if offset != 0 and 0 <= j < len(ids):    # skip the centre itself and the corpus edges
                pairs.append((int(ids[i]), int(ids[j])))
    return pairs


# %% [markdown]
# On the first few tokens, in words, so the rule is visible:

# %%
head = corpus.ids[:8]
print("tokens:", " ".join(words[i] for i in head))
demo = dynamic_window_pairs(head, WINDOW, np.random.default_rng(SEED))
for c in head[:3]:
    print(f"{words[c]:>10} ->", ", ".join(words[o] for ci, o in demo if ci == c))

# %% [markdown]
# (If a word occurs twice among the first eight tokens, its line collects the pairs of both
# occurrences; that is fine for a demonstration.)
#
# A Python loop touches every pair one at a time. `w2v_helpers.pairs.pairs_vectorized` does the
# same work with numpy: it lays out a grid of all `2 * WINDOW` candidate offsets for every
# position, masks the ones beyond each centre's $b$ or past the corpus edges, and reads the grid
# row by row. It takes the window sizes as an argument (`draw_window_sizes` draws them), so with
# the same seed both versions should give exactly the same pairs, in the same order. Let us check
# on the first 20,000 tokens.

# %%
N_CHECK = 20_000
ids = corpus.ids[:N_CHECK]

slow = dynamic_window_pairs(ids, WINDOW, np.random.default_rng(SEED))
centres, contexts = pairs_vectorized(ids, draw_window_sizes(N_CHECK, WINDOW, np.random.default_rng(SEED)), WINDOW)

assert len(slow) == len(centres)
assert np.array_equal(np.array(slow), np.column_stack([centres, contexts]))
print(f"{len(slow):,} pairs from {N_CHECK:,} tokens: identical, pair for pair")

# %% [markdown]
# The loop drew its window sizes one at a time and `draw_window_sizes` draws them all in one call,
# yet they agree: numpy's `Generator` yields the same numbers either way. The package keeps our
# loop too, as `w2v_helpers.naive.dynamic_window_pairs`: the module `w2v_helpers.naive` collects
# the readable versions the chapters write, so that the tests can hold the fast versions to them
# (Chapter 8 also builds its slow reference design with this loop).
#
# How much faster is the vectorized version? (Timings vary from machine to machine, so this
# cell's output is not checked.)

# %%
# NBVAL_IGNORE_OUTPUT
t0 = time.perf_counter()
dynamic_window_pairs(ids, WINDOW, np.random.default_rng(SEED))
t_loop = time.perf_counter() - t0
t0 = time.perf_counter()
pairs_vectorized(ids, draw_window_sizes(N_CHECK, WINDOW, np.random.default_rng(SEED)), WINDOW)
t_vec = time.perf_counter() - t0
print(f"loop: {t_loop * 1000:.0f} ms, vectorized: {t_vec * 1000:.1f} ms, {t_loop / t_vec:.0f}x faster")
assert t_vec < t_loop

# %% [markdown]
# ### How often is each distance used?
#
# Since $b$ is uniform on $1..W$ (with $W$ = `WINDOW`), a context word at distance $d$ is used
# exactly when $b \ge d$, which happens with probability $(W - d + 1) / W$: always for $d = 1$, only
# one time in $W$ for $d = W$. The dynamic window is therefore a cheap way to give near neighbours
# more weight than far ones.
#
# To measure it we need the distance of every pair, which the ids alone do not tell us. A neat
# trick: feed `pairs_vectorized` the *positions* `0, 1, 2, ...` instead of word ids. It then
# returns the positions of centre and context, and their difference is the distance. Each
# distance $d$ has $2(n - d)$ possible (centre, context) slots in a sequence of $n$ positions;
# dividing the pair counts by that gives the fraction of slots used.

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
# The mean of $2b$ is $2 \cdot (W + 1)/2 = W + 1$, hence about six pairs per token with a window
# of five. A picture of the same numbers:

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
# ## 2. Why integer arrays and not lists of tuples
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
# at a time (`chunk_tokens=100_000` by default; `w2v_helpers.naive.iter_pair_chunks` shows the
# idea), about ten megabytes. The pairs come out as `int64` because that is what PyTorch's embedding
# lookups take as indices.
#
# Arrays also win on speed: numpy and PyTorch process a whole array in compiled code, while a list
# makes Python visit every element, as the timing above showed.
#
# ## 3. The skip-gram model, one step at a time
#
# The model holds two embedding tables of shape (vocabulary size, dim): the *input* table with
# the centre vectors $v$ and the *output* table with the context vectors $u$. PyTorch's
# `nn.Embedding` is such a table: indexing it with a tensor of word ids returns their rows, and
# autograd follows the lookup. word2vec starts the input table with small random numbers,
# uniform in $[-0.5/d, 0.5/d]$, and the output table at zero. The random numbers come from a
# `torch.Generator` seeded with `SEED`, so the same seed gives the same start. (`sparse=True` is
# explained in section 4.)

# %%
DIM, K, B = 50, 5, 8   # vector size, noise words per pair, pairs in this small batch
V = len(corpus.vocab)

in_embed = nn.Embedding(V, DIM, sparse=True)    # (V, d): v, the centre vectors
out_embed = nn.Embedding(V, DIM, sparse=True)   # (V, d): u, the context vectors
with torch.no_grad():                           # setting the start is not a training step
    in_embed.weight.uniform_(-0.5 / DIM, 0.5 / DIM, generator=torch.Generator().manual_seed(SEED))
    out_embed.weight.zero_()
print(f"in_embed:  {tuple(in_embed.weight.shape)}, values from {in_embed.weight.min().item():.4f} "
      f"to {in_embed.weight.max().item():.4f} (0.5 / DIM = {0.5 / DIM})")
print(f"out_embed: {tuple(out_embed.weight.shape)}, all zero: {bool((out_embed.weight == 0).all())}")

# %% [markdown]
# A batch of training examples: `B` pairs from the ones we made above, and `K` noise words per
# pair from Chapter 3's sampler.

# %%
sampler = NegativeSampler(corpus.vocab.counts)   # draws from noise_distribution(counts): counts ** 0.75
rng = np.random.default_rng(SEED)
pick = rng.choice(len(centres), size=B, replace=False)
centre = torch.from_numpy(centres[pick])
context = torch.from_numpy(contexts[pick])
negatives = torch.from_numpy(sampler.sample((B, K), rng))
for c, o, n in zip(centre[:3].tolist(), context[:3].tolist(), negatives[:3].tolist()):
    print(f"centre {words[c]!r:>12}, context {words[o]!r:>12}, noise: {', '.join(words[i] for i in n)}")

# %% [markdown]
# Now the forward pass by hand, printing the shape of every intermediate tensor. The score of a
# pair is the dot product $u_o \cdot v_c$: multiply the two vectors element by element and sum over
# the $d$ axis. For the noise words, `torch.bmm` (batched matrix multiplication) multiplies, for
# every pair, the $K \times d$ matrix of its noise vectors by its centre vector stood up as a
# $d \times 1$ column: (B, K, d) @ (B, d, 1) -> (B, K, 1). `unsqueeze(-1)` adds that last axis of
# size 1 and `squeeze(-1)` removes it again. (`torch.einsum("bkd,bd->bk", u_neg, v)` says the same
# in one line.)

# %%
def show(name, t):
    print(f"{name:<40} shape {str(tuple(t.shape)):<12} {t.dtype}")


show("centre ids", centre)
show("context ids", context)
show("noise ids", negatives)
v = in_embed(centre);                                show("v = in_embed(centre)", v)
u_pos = out_embed(context);                          show("u_pos = out_embed(context)", u_pos)
u_neg = out_embed(negatives);                        show("u_neg = out_embed(noise)", u_neg)
pos_score = (v * u_pos).sum(-1);                     show("pos_score = u_pos . v", pos_score)
v_column = v.unsqueeze(-1);                          show("v as columns: v.unsqueeze(-1)", v_column)
neg_score = torch.bmm(u_neg, v_column).squeeze(-1);  show("neg_score = u_neg @ v", neg_score)
pos_term = -F.logsigmoid(pos_score);                 show("-log sigma(pos_score)", pos_term)
neg_term = -F.logsigmoid(-neg_score).sum(-1);        show("-sum_k log sigma(-neg_score)", neg_term)
loss = pos_term + neg_term;                          show("loss per pair", loss)

# %% [markdown]
# Every pair's loss is the same number at this point. Because the output table starts at zero,
# every score is $0$, $\sigma(0) = 1/2$, and each of the $K + 1$ terms is $-\log(1/2) = \log 2$:

# %%
print(f"loss of every pair: {loss[0].item():.4f};  (K + 1) log 2 = {(K + 1) * math.log(2):.4f}")
assert torch.allclose(loss, torch.full((B,), (K + 1) * math.log(2)))

# %% [markdown]
# ### The model as a module
#
# Those lines are the whole model. We now write them as code to keep: a function `sgns_loss` for
# the loss of a batch of vectors (the score and loss lines), and a `torch.nn.Module` that owns the
# two tables, starts them as word2vec does, and looks up a batch's vectors in `forward`. A module
# registers its tables as *parameters*: `model.parameters()` hands them to an optimizer, and
# `model(centre, context, negatives)` calls `forward`. `word_vectors()` returns the input table as
# a numpy array: the vectors word2vec keeps when training is done.

# %%
def sgns_loss(v, u_pos, u_neg):
    """Per-pair SGNS loss: v (B, d), u_pos (B, d), u_neg (B, K, d) -> (B,)."""
    pos = (v * u_pos).sum(-1)                                # (B,): u_o . v_c, one dot product per pair
    neg = torch.bmm(u_neg, v.unsqueeze(-1)).squeeze(-1)      # (B, K, d) @ (B, d, 1) -> (B, K)
    return -F.logsigmoid(pos) - F.logsigmoid(-neg).sum(-1)   # (B,)


class SkipGram(nn.Module):
    """Input and output embeddings, initialised as word2vec does."""

    def __init__(self, vocab_size, dim, sparse=True, generator=None):
        super().__init__()
        self.in_embed = nn.Embedding(vocab_size, dim, sparse=sparse)    # (V, d): v, the centre vectors
        self.out_embed = nn.Embedding(vocab_size, dim, sparse=sparse)   # (V, d): u, the context vectors
        with torch.no_grad():
            self.in_embed.weight.uniform_(-0.5 / dim, 0.5 / dim, generator=generator)
            self.out_embed.weight.zero_()

    def forward(self, centre, context, negatives):
        """centre: (B,), context: (B,), negatives: (B, K) word ids -> per-pair loss (B,)."""
        v = self.in_embed(centre)          # (B, d)
        u_pos = self.out_embed(context)    # (B, d)
        u_neg = self.out_embed(negatives)  # (B, K, d)
        return sgns_loss(v, u_pos, u_neg)  # (B,)

    def word_vectors(self):
        """The input embeddings as numpy, the vectors word2vec saves."""
        return self.in_embed.weight.detach().cpu().numpy().copy()


# %% [markdown]
# From the same seed, the module starts with our two tables and computes the same losses:

# %%
model = SkipGram(V, DIM, generator=torch.Generator().manual_seed(SEED))
print(model)
assert torch.equal(model.in_embed.weight, in_embed.weight) and torch.equal(model.out_embed.weight, out_embed.weight)
assert torch.equal(model(centre, context, negatives), loss)
print("same tables as in_embed and out_embed, same loss per pair as the steps above")

# %% [markdown]
# ### The package's `SkipGram` is this class
#
# The course package holds the same code in `w2v_helpers/model.py`: it is the model the trainer
# of Chapter 5 trains and Chapter 8 speeds up. Let us make sure it really is what we wrote: both
# start from the same seed, then take three SGD steps on the batch above, and after every step
# we compare the losses, the gradients of both tables and the updated tables bit for bit
# (`torch.equal`). Three steps, because the first step moves only the output table (section 4
# shows why), so the input table gets a non-zero gradient only from the second step on.

# %%
from w2v_helpers import model as package


def sgd_steps(m, steps=3, lr=0.025):
    """Per step: the loss of each pair, both tables' gradients and both tables after the step."""
    optimizer = torch.optim.SGD(m.parameters(), lr=lr)
    record = []
    for _ in range(steps):
        optimizer.zero_grad()
        pair_loss = m(centre, context, negatives)     # (B,)
        pair_loss.sum().backward()
        optimizer.step()
        record.append([pair_loss.detach()] + [p.grad.to_dense() for p in m.parameters()]
                      + [p.detach().clone() for p in m.parameters()])
    return record


ours = SkipGram(V, DIM, generator=torch.Generator().manual_seed(SEED))
theirs = package.SkipGram(V, DIM, generator=torch.Generator().manual_seed(SEED))
assert all(torch.equal(a, b) for a, b in zip(ours.parameters(), theirs.parameters()))
for step, (a, b) in enumerate(zip(sgd_steps(ours), sgd_steps(theirs)), start=1):
    assert all(torch.equal(x, y) for x, y in zip(a, b))
    print(f"step {step}: summed loss {a[0].sum().item():.4f}, input gradient non-zero in "
          f"{int(a[1].any(1).sum())} rows: losses, gradients and tables identical")
assert torch.equal(package.sgns_loss(v, u_pos, u_neg), sgns_loss(v, u_pos, u_neg))
print(f"{package.SkipGram.__module__}.SkipGram == the SkipGram written above")

# %% [markdown]
# The rest of this chapter uses the class we wrote, and from Chapter 5 on the course imports the
# package's copy.
#
# ## 4. Backward pass and SGD steps
#
# Training needs the gradient of the loss with respect to both tables. We take a realistic batch of
# 1,024 pairs, sum their losses (as the trainer does), and call `backward()`.

# %%
B = 1024
pick = rng.choice(len(centres), size=B, replace=False)
centre = torch.from_numpy(centres[pick])
context = torch.from_numpy(contexts[pick])
negatives = torch.from_numpy(sampler.sample((B, K), rng))

batch_loss = model(centre, context, negatives).sum()
batch_loss.backward()
g_in, g_out = model.in_embed.weight.grad, model.out_embed.weight.grad
print(f"loss of the batch: {batch_loss.item():.2f} ({batch_loss.item() / B:.4f} per pair)")
print(f"gradients are sparse tensors: {g_in.is_sparse}, {g_out.is_sparse}")
rows_in = g_in.coalesce().indices().unique().numel()
rows_out = g_out.coalesce().indices().unique().numel()
print(f"rows with a gradient: {rows_in:,} of {V:,} input rows ({rows_in / V:.0%}), "
      f"{rows_out:,} of {V:,} output rows ({rows_out / V:.0%})")
print(f"largest input-gradient entry: {g_in.coalesce().values().abs().max().item():.1f}")
assert g_in.is_sparse and rows_in <= B and rows_out <= B * (K + 1)
assert g_in.coalesce().values().abs().max().item() == 0.0

# %% [markdown]
# Two things to notice.
#
# * Our `SkipGram` builds its embeddings with `sparse=True`, so a gradient lists only the rows the batch
#   touched instead of a full (vocabulary x dim) table. A batch of $B$ pairs touches at most $B$ input
#   rows (its distinct centre words) and at most $B(K+1)$ output rows (its distinct context and noise
#   words); the counts are printed above. With this corpus's 16,109 words that is 3% of the input
#   table and 20% of the output table: the frequent noise words come up in nearly every batch, and
#   the rare ones add a few rows each time. A step touches only those rows, and with a larger
#   vocabulary (text8 has four times as many words) the shares are smaller still, which is what
#   keeps each step cheap however large the vocabulary grows.
# * The gradient of the *input* vectors is exactly zero. The gradient of the loss with respect to
#   $v$ is a weighted sum of output vectors $u$, and those are still all zero. Only the output
#   table moves in the first step; the input vectors start moving from the second step on.
#
# Now one plain SGD step with word2vec's initial learning rate, and the loss of the same batch
# again:

# %%
optimizer = torch.optim.SGD(model.parameters(), lr=0.025)
optimizer.step()
with torch.no_grad():
    after_one = model(centre, context, negatives).sum().item()
print(f"summed loss before: {batch_loss.item():.3f}, after one step: {after_one:.3f} "
      f"(change {after_one - batch_loss.item():.3f}, {(after_one - batch_loss.item()) / B:.1e} per pair)")
assert after_one < batch_loss.item()

# %% [markdown]
# The loss went down, but barely: the input vectors are tiny (within $\pm 0.5/\text{dim}$), so the
# output vectors took a tiny step too. word2vec starts this way on purpose, with every word
# roughly alike, and relies on millions of steps. To see the model really learn, repeat the step
# on this one batch. Fitting a single batch is a quick test worth doing with any new model: if the
# loss of one fixed batch does not fall, something is broken.

# %%
in_rows, out_rows = centre.unique(), torch.cat([context, negatives.ravel()]).unique()


def mean_lengths():
    """Mean length of the batch's input vectors and of its output vectors."""
    with torch.no_grad():
        return (model.in_embed.weight[in_rows].norm(dim=1).mean().item(),
                model.out_embed.weight[out_rows].norm(dim=1).mean().item())


losses, lengths = [batch_loss.item(), after_one], [None, mean_lengths()]
for _ in range(2, 201):
    optimizer.zero_grad()
    model(centre, context, negatives).sum().backward()
    optimizer.step()
    with torch.no_grad():
        losses.append(model(centre, context, negatives).sum().item())
    lengths.append(mean_lengths())
for s in (1, 10, 20, 30, 40, 50, 100, 200):
    print(f"after {s:>3} steps: {losses[s] / B:.3f} per pair; mean length of the input vectors "
          f"{lengths[s][0]:.3f}, of the output vectors {lengths[s][1]:.4f}")
growth = (lengths[20][1] / lengths[1][1]) ** (1 / 19)
rises = sum(b > a for a, b in zip(losses, losses[1:]))
print(f"the output vectors grow by a factor of about {growth:.2f} per step over steps 1 to 20")
print(f"steps after which the loss was higher than before: {rises} of {len(losses) - 1}")
assert losses[10] > 0.99 * losses[0]                              # ten steps barely move the loss ...
assert lengths[20][1] > 2 * lengths[10][1] > 4 * lengths[1][1]    # ... while the output vectors grow geometrically
assert losses[100] < 0.5 * losses[0]                              # then it falls fast
assert np.mean(losses[101:]) < np.mean(losses[1:101])             # and keeps falling on average
assert losses[-1] < 0.1 * losses[0]

# %%
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(np.arange(len(losses)), np.array(losses) / B)
ax.set_xlabel("SGD steps on the same batch")
ax.set_ylabel("mean loss per pair")
ax.set_title("Fitting one batch of 1,024 pairs")
ax.grid(True, alpha=0.3)
plt.show()

# %% [markdown]
# The loss stays flat for about ten steps, then falls fast, from 4.16 to about a quarter per pair
# after 200 steps. The lengths printed above show why. At the start every score $u \cdot v$ is
# zero, because the output vectors are zero, and the gradients are tiny: the one for an input
# vector is a sum of output vectors, zero at the first step, and the one for an output vector is
# a sum of input vectors times $\sigma(0) - 1$ or $\sigma(0)$, that is $\pm 1/2$ times vectors
# of length about 0.04. Each step then adds to the output vectors a multiple of the input vectors
# and to the input vectors a multiple of the output vectors, so the two tables feed each other's
# growth and the output vectors grow by a roughly constant factor per step (about 1.22 here).
# Growth by a constant factor starts slowly: the scores stay far too small to change the loss
# until about step 20, and then grow large within a few more steps. Two zero tables would be
# a point where every gradient is zero and training could never start; the small random input
# vectors are what lets it leave that point.
#
# Once the loss falls fast it no longer falls at every step: it rose after 10 of the 200 steps. The
# reason is the summed loss: a word that appears in many pairs of the batch (a frequent noise
# word, say) receives the sum of all their gradients in one step, which can overshoot. Fitting one
# batch proves nothing about word meaning, of course: it only shows that the forward pass, the
# gradients and the update fit together. Chapter 5 runs the same steps over the whole corpus.
#
# ## Summary
#
# * The dynamic window draws a size $b \in 1..W$ per centre, so distance $d$ is used with
#   probability $(W - d + 1)/W$ and each token yields about $W + 1$ pairs.
# * The vectorized pair maker matches the loop pair for pair and is far faster.
# * A list of tuples costs several times more memory per pair than integer arrays; the corpus is
#   kept as `int32` ids and pairs are made one chunk at a time.
# * `SkipGram` is two embedding tables; the forward pass is three lookups, two sets of dot
#   products and `logsigmoid`. With the output table at zero, the first loss is $(K+1)\log 2$ and
#   the first gradient for the input vectors is zero.
# * The package's `w2v_helpers.model.SkipGram`, which the trainer of Chapter 5 uses, is the class
#   written here: same start, same losses, same gradients, bit for bit.

# %% [markdown]
# ## Exercises
#
# Each exercise asks for one function: complete its body (in the student version of this notebook,
# in place of the `raise NotImplementedError` line) and run the check cell under it. The check tries
# your function on inputs of its own and prints `exercise NN.k: PASS`, or `FAIL` with a hint about
# what is wrong; it never prints the answer.
#
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
