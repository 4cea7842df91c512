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
# This chapter builds the two pieces that connect them: the (centre, context) pairs the model
# learns from, and the model itself. You will:
#
# 1. write word2vec's *dynamic window* as a loop and check the package's vectorized version on it;
# 2. see an embedding lookup as a one-hot vector times a matrix, and skip-gram as a small network;
# 3. run the forward pass one step at a time, printing every shape, and write it as a module;
# 4. take a backward pass and SGD steps, and watch the loss of a batch go down.
#
# **What you need from earlier chapters.** The SGNS loss from Chapter 1, the corpus as an array of
# word ids from Chapter 2, and the noise sampler (counts to the power 3/4, `noise_distribution` in
# the package) from Chapter 3.

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

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from w2v_helpers.corpus import corpus_from_env
from w2v_helpers.diagrams import lookup_figure, network_figure, sliding_window_figure
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
# ## 1. Pairs with a dynamic window
#
# Skip-gram learns from pairs (centre word, a word near it). word2vec does not use a fixed window:
# for every centre position it draws a window size $b$ uniformly from $1, \dots,$ `WINDOW` and
# pairs the centre with every word at most $b$ positions away, on both sides. As a loop:

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
# On ten consecutive words of the corpus, in words. `draw_window_sizes` draws the window sizes of
# all positions in one call; from the same seed it gives the $b$ the loop draws one at a time.

# %%
sentence = corpus.ids[5:15]
sizes = draw_window_sizes(len(sentence), WINDOW, np.random.default_rng(SEED))
demo = dynamic_window_pairs(sentence, WINDOW, np.random.default_rng(SEED))
print("words:", " ".join(words[i] for i in sentence))
for position in range(4):
    c = sentence[position]
    print(f"{words[c]:>10} (b = {sizes[position]}) ->", ", ".join(words[o] for ci, o in demo if ci == c))

# %% [markdown]
# (If a word occurs twice among these ten, its line collects the pairs of both occurrences.)
# The picture of the fourth line: the centre word in orange, the words the window could reach at
# its largest (`WINDOW` on each side) in grey, and the words the drawn size $b$ actually reaches
# in green. Each green word makes one training pair with the centre.

# %%
fig = sliding_window_figure([words[i] for i in sentence], centre=3, window=WINDOW, reduced=int(sizes[3]))
plt.show()

# %% [markdown]
# A Python loop touches every pair one at a time. `w2v_helpers.pairs.pairs_vectorized` does the
# same work with numpy: it lays out a grid of all `2 * WINDOW` candidate offsets for every
# position, masks the ones beyond each centre's $b$ or past the corpus edges, and reads the grid
# row by row. Given the window sizes of `draw_window_sizes` with the same seed, it must give the
# loop's pairs in the loop's order. Checked on the first 20,000 tokens:

# %%
N_CHECK = 20_000
ids = corpus.ids[:N_CHECK]
slow = dynamic_window_pairs(ids, WINDOW, np.random.default_rng(SEED))
centres, contexts = pairs_vectorized(ids, draw_window_sizes(N_CHECK, WINDOW, np.random.default_rng(SEED)), WINDOW)
assert len(slow) == len(centres)
assert np.array_equal(np.array(slow), np.column_stack([centres, contexts]))
print(f"{len(slow):,} pairs from {N_CHECK:,} tokens, {len(slow) / N_CHECK:.2f} per token: identical, pair for pair")
assert abs(len(slow) / N_CHECK - (WINDOW + 1)) < 0.1      # a centre makes 2b pairs, W + 1 on average

# %% [markdown]
# (The package keeps our loop as `w2v_helpers.naive.dynamic_window_pairs`, with the other readable
# versions the chapters write, so that the tests can hold the fast versions to them.)
#
# **How often is each distance used?** Since $b$ is uniform on $1..W$ (with $W$ = `WINDOW`), a
# context word at distance $d$ is used exactly when $b \ge d$, with probability $(W - d + 1) / W$:
# always for $d = 1$, one time in $W$ for $d = W$. The dynamic window is a cheap way to give near
# neighbours more weight than far ones. A centre makes $2b$ pairs, on average $W + 1$, so a
# window of five gives about six pairs per token, as the count above shows.
#
# [Bonus 04b](bonus/04b_pairs_as_arrays.ipynb) measures each distance's share, times the loop
# against the vectorized version, and shows why the corpus and the pairs live in numpy integer
# arrays and why the trainer makes its pairs one chunk of the corpus at a time.
#
# ## 2. The skip-gram model, one step at a time
#
# The model holds two embedding tables of shape (vocabulary size, dim): the *input* table with
# the centre vectors $v$ and the *output* table with the context vectors $u$. PyTorch's
# `nn.Embedding` is such a table: indexing it with a tensor of word ids returns their rows, and
# autograd follows the lookup. word2vec starts the input table with small random numbers,
# uniform in $[-0.5/d, 0.5/d]$ (here from a `torch.Generator` seeded with `SEED`), and the output
# table at zero. (`sparse=True` is explained in Section 3.)

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
# Papers often describe the lookup as a matrix product: write a word as a *one-hot* vector (a 1 at
# the word's index, 0 everywhere else) and multiply it by the table. Every row but one is
# multiplied by 0, so the product is that word's row. Drawn for a table of six words and four
# dimensions, then checked on our table of $V$ rows: the code uses the lookup, which reads one row
# instead of multiplying $V$ rows by 0.

# %%
fig = lookup_figure([words[i] for i in sentence[:6]], index=3)
plt.show()
word = torch.tensor(int(sentence[3]))
one_hot = F.one_hot(word, V).float()                       # (V,): a single 1, at the word's index
assert torch.equal(one_hot @ in_embed.weight, in_embed(word))
print(f"one-hot of {words[word]!r} @ in_embed.weight == in_embed({int(word)}): {tuple(in_embed(word).shape)}")

# %% [markdown]
# Drawn as a network, skip-gram has three layers: the centre word as a one-hot vector; a hidden
# layer, its vector $v = W_{\text{in}}[\text{centre}]$ ($d$ numbers, no nonlinearity: it is just
# the lookup); and one output score per word, $\sigma(u_o \cdot v)$ with $u_o$ the word's row of
# the output table. Here for the window pictured in Section 1. Training pushes these scores
# towards 1, and those of $K$ noise words (Chapter 3) towards 0.

# %%
reach = int(sizes[3])
window_words = [words[sentence[j]] for j in range(max(0, 3 - reach), min(len(sentence), 3 + reach + 1)) if j != 3]
fig = network_figure("skipgram", words[sentence[3]], window_words)
plt.show()

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
# pair is the dot product $u_o \cdot v_c$: multiply element by element, sum over the $d$ axis. For
# the noise words, `torch.bmm` (batched matrix multiplication) multiplies, for every pair, the
# $K \times d$ matrix of its noise vectors by its centre vector stood up as a $d \times 1$ column
# (`unsqueeze(-1)` adds that axis, `squeeze(-1)` removes it again).

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
# Those lines are the whole model. As code to keep: a function `sgns_loss` (the score and loss
# lines), and a `torch.nn.Module` that owns the two tables, starts them as word2vec does, and looks
# up a batch's vectors in `forward`. Its tables are *parameters*: `model.parameters()` hands them
# to an optimizer. `word_vectors()` returns the input table, the vectors word2vec keeps.

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
# From the same seed, the module starts with our two tables and computes the same losses. The
# course package holds this code in `w2v_helpers/model.py`, the model the trainer of Chapter 5
# trains from the next chapter on; the last line checks that it starts and scores the same way.

# %%
from w2v_helpers import model as package

model = SkipGram(V, DIM, generator=torch.Generator().manual_seed(SEED))
print(model)
assert torch.equal(model.in_embed.weight, in_embed.weight) and torch.equal(model.out_embed.weight, out_embed.weight)
assert torch.equal(model(centre, context, negatives), loss)
print("same tables as in_embed and out_embed, same loss per pair as the steps above")
assert torch.equal(package.SkipGram(V, DIM, generator=torch.Generator().manual_seed(SEED))(centre, context, negatives), loss)

# %% [markdown]
# ## 3. Backward pass and SGD steps
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
g_in, g_out = model.in_embed.weight.grad.coalesce(), model.out_embed.weight.grad.coalesce()
rows_in, rows_out = g_in.indices().unique().numel(), g_out.indices().unique().numel()
print(f"loss of the batch: {batch_loss.item():.2f} ({batch_loss.item() / B:.4f} per pair)")
print(f"gradients are sparse tensors: {g_in.is_sparse}, {g_out.is_sparse}")
print(f"rows with a gradient: {rows_in:,} of {V:,} input rows ({rows_in / V:.0%}), "
      f"{rows_out:,} of {V:,} output rows ({rows_out / V:.0%})")
print(f"largest input-gradient entry: {g_in.values().abs().max().item():.1f}")
assert g_in.is_sparse and rows_in <= B and rows_out <= B * (K + 1) and g_in.values().abs().max().item() == 0.0

# %% [markdown]
# Two things to notice.
#
# * With `sparse=True` a gradient lists only the rows the batch touched: at most $B$ input rows
#   (its distinct centre words) and at most $B(K+1)$ output rows (its context and noise words),
#   here 3% of the input table and 20% of the output table. A step updates only those rows, which
#   keeps it cheap however large the vocabulary grows.
# * The gradient of the *input* vectors is exactly zero: it is a weighted sum of output vectors
#   $u$, and those are still all zero. Only the output table moves in the first step.
#
# Now plain SGD steps with word2vec's initial learning rate, 200 of them on this one batch, with
# its loss and the mean length of its output vectors after each. Fitting a single batch is a quick
# test worth doing with any new model: if its loss does not fall, something is broken.

# %%
optimizer = torch.optim.SGD(model.parameters(), lr=0.025)
out_rows = torch.cat([context, negatives.ravel()]).unique()   # the output rows this batch touches
losses, lengths = [batch_loss.item()], [0.0]
for _ in range(200):
    optimizer.zero_grad()
    model(centre, context, negatives).sum().backward()
    optimizer.step()
    with torch.no_grad():
        losses.append(model(centre, context, negatives).sum().item())
        lengths.append(model.out_embed.weight[out_rows].norm(dim=1).mean().item())
print(f"summed loss before: {losses[0]:.3f}, after one step: {losses[1]:.3f} (change {losses[1] - losses[0]:.3f})")
for step in (1, 10, 20, 30, 50, 100, 200):
    print(f"after {step:>3} steps: {losses[step] / B:.3f} per pair; mean length of the output vectors {lengths[step]:.4f}")
growth = (lengths[20] / lengths[1]) ** (1 / 19)
rises = sum(b > a for a, b in zip(losses, losses[1:]))
print(f"the output vectors grow by a factor of about {growth:.2f} per step over steps 1 to 20")
print(f"steps after which the loss was higher than before: {rises} of {len(losses) - 1}")
assert losses[1] < losses[0] and losses[10] > 0.99 * losses[0]   # ten steps barely move the loss ...
assert lengths[20] > 2 * lengths[10] > 4 * lengths[1]       # ... while the output vectors grow geometrically
assert losses[100] < 0.5 * losses[0]                        # then it falls fast
assert np.mean(losses[101:]) < np.mean(losses[1:101])       # and keeps falling on average
assert losses[-1] < 0.1 * losses[0]

# %% [markdown]
# The first step lowers the loss, but barely: the input vectors are tiny, so the output vectors
# take a tiny step too. The loss stays flat for about ten steps, then falls from 4.16 to about a
# quarter per pair. At the start the gradients are tiny: an input vector's is a sum of output
# vectors (zero at first), an output vector's a sum of small input vectors times $\pm 1/2$. Each
# step adds to each table a multiple of the other, so the tables feed each other's growth by a
# roughly constant factor per step (about 1.22 here): slowly, then fast. Two zero tables would
# never leave zero; the small random input vectors let training start. Once the loss falls fast
# it sometimes rises (after 10 of the 200 steps): a frequent noise word, in many pairs of the
# batch, gets the sum of all their gradients at once and can overshoot. Fitting one batch says
# nothing about meaning; it shows that the forward pass, the gradients and the update fit
# together. Chapter 5 trains on the whole corpus.
#
# ## Summary
#
# * The dynamic window draws a size $b \in 1..W$ per centre, so distance $d$ is used with
#   probability $(W - d + 1)/W$ and each token yields about $W + 1$ pairs.
# * The vectorized pair maker matches the loop pair for pair.
# * An embedding lookup is a one-hot vector times the table; skip-gram is a network whose hidden
#   layer is that lookup and whose outputs are the scores $\sigma(u_o \cdot v)$.
# * `SkipGram` is two embedding tables; the forward pass is three lookups, two sets of dot
#   products and `logsigmoid`. With the output table at zero, the first loss is $(K+1)\log 2$ and
#   the first gradient for the input vectors is zero, so training starts slowly.
# * The package's `w2v_helpers.model.SkipGram`, which the trainer of Chapter 5 uses, is the class
#   written here.

# %% [markdown]
# ## Exercises
#
# Each exercise asks for one function: replace the `raise NotImplementedError` line of its stub with
# your code and run the check cell under it. The check tries your function on inputs of its own and
# prints `exercise NN.k: PASS`, or `FAIL` with a hint about what is wrong; it never prints the answer.
# Worked solutions, each passing its check, are in
# [solutions/04_solutions.ipynb](solutions/04_solutions.ipynb); open them after trying.
#
# **Exercise 1.** Write `fixed_window_pairs(ids, window)`, a version of `dynamic_window_pairs`
# with a fixed window: every centre is paired with every word at most `window` positions away,
# on both sides, as a list of (centre, context) tuples. How many pairs per token do you get on
# this corpus, and how would you expect that to change the training time?

# %% exercise="04.1" tags=["exercise"]
def fixed_window_pairs(ids, window):
    """(centre, context) id pairs with b = window for every centre."""
    # YOUR CODE HERE
    raise NotImplementedError("return the list of (centre, context) pairs with b = window for every centre")


# %%
from w2v_helpers.course.exercises import check_04_1

check_04_1(fixed_window_pairs)

# %% [markdown]
# **Exercise 2.** Write `sgns_loss_by_hand(v, u_pos, u_neg)`: the SGNS loss of every pair of a
# batch, for centre vectors `v` ($B \times d$), context vectors `u_pos` ($B \times d$) and noise
# vectors `u_neg` ($B \times K \times d$), without calling the model. The check includes pairs
# the model gets badly wrong (scores of $\pm 120$), where a careless formula breaks down.

# %% exercise="04.2" tags=["exercise"]
def sgns_loss_by_hand(v, u_pos, u_neg):
    """Per-pair SGNS loss: (B, d), (B, d), (B, K, d) -> (B,)."""
    # YOUR CODE HERE
    raise NotImplementedError("return the SGNS loss of every pair, shape (B,)")


# %%
from w2v_helpers.course.exercises import check_04_2

check_04_2(sgns_loss_by_hand)

# %% [markdown]
# **Exercise 3.** Write `init_out_embed(model, generator)`, which fills a `SkipGram` model's
# `out_embed` in place with small random numbers drawn the way `in_embed`'s are (uniform in
# $[-0.5/d, 0.5/d]$, from `generator`), instead of zeros. Then build such a model: what is the
# loss of the first batch now, and is the input gradient still zero?

# %% exercise="04.3" tags=["exercise"]
def init_out_embed(model, generator):
    """Fill model.out_embed.weight in place with uniform(-0.5/dim, 0.5/dim) numbers from generator."""
    # YOUR CODE HERE
    raise NotImplementedError("fill model.out_embed.weight in place, as in_embed is filled")


# %%
from w2v_helpers.course.exercises import check_04_3

check_04_3(init_out_embed)
