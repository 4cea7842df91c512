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
# # Chapter 9: CBOW, the other word2vec
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/word2vec-from-scratch/word2vec-from-scratch/blob/main/notebooks/09_cbow.ipynb) [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/word2vec-from-scratch/word2vec-from-scratch/main?labpath=notebooks%2F09_cbow.ipynb)
#
# **On real text:** [what this chapter shows on real English](../docs/real-text.md).
#
# word2vec comes with two architectures. The chapters so far built *skip-gram*, where every word
# predicts each of its neighbours. The other one is the *continuous bag of words* (CBOW): the
# neighbours together predict the word in the middle. You will:
#
# 1. write CBOW's training examples (one per centre position: the centre word and its whole
#    window) as a loop, and check that the package's vectorized version makes exactly the same ones;
# 2. write the model: the mean of the context words' input vectors takes the place of skip-gram's
#    centre vector $v_c$ and scores the centre word's output vector;
# 3. derive its gradients by hand and check them against autograd;
# 4. train CBOW and skip-gram with the package's trainer on the same corpus, and compare speed and
#    quality.
#
# The trainer's fast CBOW step, which follows word2vec's C code rather than the gradient, and a
# comparison with gensim's CBOW are in [bonus 09b](bonus/09b_cbow_in_depth.ipynb).
#
# **What you need from earlier chapters.** The SGNS loss and its gradients (Chapter 1), noise
# words (Chapter 3), the dynamic window, `sgns_loss` and the `SkipGram` module (Chapter 4), the
# trainer (Chapter 5), and the analogy and similarity scores (Chapter 7).
#
# **Run time.** About a minute and a half on the English corpus that ships with the package (the stored
# outputs), on 2 CPU cores and in well under 1 GB of memory; on text8, 12 times larger, expect about
# ten minutes, most of it the two training runs of section 4.

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
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F

from w2v_helpers.cbow import CBOW, cbow_examples, context_weights
from w2v_helpers.corpus import corpus_from_env
from w2v_helpers.diagrams import network_figure
from w2v_helpers.evaluation import headline_scores
from w2v_helpers.model import sgns_loss
from w2v_helpers.negative_sampling import NegativeSampler
from w2v_helpers.pairs import draw_window_sizes, pairs_vectorized
from w2v_helpers.train import DEFAULT_BATCH, DEFAULT_LR, TrainConfig, train
from w2v_helpers.vectors import WordVectors

SEED = 0    # the one seed behind every random number in this notebook
WINDOW = 5  # word2vec's default maximum window
# Small batches gain nothing from several threads, and one thread gives the same bits everywhere.
torch.set_num_threads(1)

corpus = corpus_from_env(seed=SEED)
TOY = corpus.name == "toy"
words = corpus.vocab.words
# Three epochs for both architectures: seconds on the toy corpus, minutes on real text.
CONFIG = TrainConfig(dim=50 if TOY else 100, epochs=3, seed=SEED)
print(f"corpus {corpus.name!r}: {len(corpus.ids):,} tokens, {len(corpus.vocab):,} words; "
      f"dim={CONFIG.dim}, epochs={CONFIG.epochs}, window={CONFIG.window}, negative={CONFIG.negative}")

# %% [markdown]
# Like the other chapters, this one runs on the English corpus that ships with the package (Jane
# Austen's novels and the opening paragraphs of Wikipedia articles), which made the stored outputs.
# `W2V_CORPUS=text8` runs it on text8: 12 times the tokens, a larger vocabulary, and higher scores
# in section 4. `W2V_CORPUS=toy` runs it on the synthetic corpus of Chapter 5, whose planted
# analogies then replace the benchmarks.
#
# ## 1. One example per position
#
# Skip-gram makes a pair (centre, context) for every word in the window, about $W + 1$ pairs per
# token with the dynamic window (Chapter 4). CBOW makes **one** example per centre position: the
# centre word, and the list of all words in its window, drawn with the same dynamic window size
# $b \in 1..W$. Here is that rule as a loop, the twin of Chapter 4's `dynamic_window_pairs`:

# %%
def cbow_windows(ids, window, rng):
    """(centre, [context ids]) for each position with at least one word within its drawn window size b."""
    examples = []
    for i in range(len(ids)):
        b = rng.integers(1, window + 1)              # this centre's window size
        context = [int(ids[j]) for j in range(i - b, i + b + 1) if j != i and 0 <= j < len(ids)]
        if context:                                  # a lone token has nothing to predict it from
            examples.append((int(ids[i]), context))
    return examples


head = corpus.ids[:8]
print("tokens:", " ".join(words[i] for i in head))
for centre, context in cbow_windows(head, WINDOW, np.random.default_rng(SEED))[:3]:
    print(f"{' '.join(words[c] for c in context):>60} -> {words[centre]}")

# %% [markdown]
# A batch needs a rectangle, but windows have different lengths: $2b$ words, fewer at the edges.
# The package's `cbow_examples` therefore returns the context words as a matrix of `2 * WINDOW`
# columns, one row per centre, with the empty slots set to $-1$. It builds the same grid of offsets
# as `pairs_vectorized` and keeps its rows instead of flattening them. With the same window sizes it
# must give exactly the loop's examples (the package keeps our loop as `naive.dynamic_window_contexts`),
# in the same order, with each row's words in the same order:

# %%
N_CHECK = 20_000
ids = corpus.ids[:N_CHECK]
slow = cbow_windows(ids, WINDOW, np.random.default_rng(SEED))
b = draw_window_sizes(N_CHECK, WINDOW, np.random.default_rng(SEED))
centres, contexts = cbow_examples(ids, b, WINDOW)                       # (N,), (N, 2 * WINDOW)
print(f"centres {centres.shape}, contexts {contexts.shape}, padding: {np.mean(contexts == -1):.0%} of the slots")
assert centres.tolist() == [c for c, _ in slow]
assert [row[row >= 0].tolist() for row in contexts] == [ctx for _, ctx in slow]
print(f"{len(slow):,} examples from {N_CHECK:,} tokens: identical to the loop, example for example")

# %% [markdown]
# Flattening the rows gives back skip-gram's pairs, in Chapter 4's order: CBOW sees the same
# (centre, context) pairs, grouped into one example per centre instead of one example per pair.

# %%
pair_centres, pair_contexts = pairs_vectorized(ids, b, WINDOW)
real = contexts >= 0                                                     # (N, 2 * WINDOW)
assert np.array_equal(np.repeat(centres, real.sum(1)), pair_centres)
assert np.array_equal(contexts[real], pair_contexts)
print(f"skip-gram: {len(pair_centres) / N_CHECK:.2f} examples per token; CBOW: {len(centres) / N_CHECK:.2f}")

# %% [markdown]
# Six times fewer examples is where CBOW's speed will come from: every example costs one set of
# $K + 1$ dot products, whether it stands for one pair or for ten.
#
# ## 2. The model: the mean of the window predicts the centre
#
# For a centre word $o$ with context words $c_1, \dots, c_n$, CBOW averages their input vectors,
#
# $$ h = \frac{1}{n} \sum_{j=1}^{n} v_{c_j}, $$
#
# and uses $h$ where skip-gram used the centre's vector $v_c$: the loss with $K$ noise words
# $n_1, \dots, n_K$ is Chapter 1's,
#
# $$ L = -\log \sigma(u_o \cdot h) - \sum_{k=1}^{K} \log \sigma(-u_{n_k} \cdot h). $$
#
# The roles of the tables swap: the *input* table now holds the context words' vectors and the
# *output* table the centre words'. The word vectors we keep are still the input table. (This is
# word2vec's `-cbow 1` with its default of averaging, gensim's `sg=0, cbow_mean=1`; with
# `cbow_mean=0`, $h$ is the sum.) As a network, on the opening of *Pride and Prejudice* with a
# window of two:

# %%
fig = network_figure("cbow", "truth", ["is", "a", "universally", "acknowledged"])
plt.show()

# %% [markdown]
# Read it from the left: the four context words each pick their row of the input table (the lookup
# of Chapter 4), the hidden layer $h$ is the mean of those four rows, a single vector of size $d$,
# and the output is the score $\sigma(u_o \cdot h)$ of the centre word, here "truth". Training
# raises that score and, with negative sampling, lowers the same score for $K$ noise words in
# place of "truth". Skip-gram's network is the same drawing turned around: one input word, and each
# context word scored in turn.
#
# A padded row becomes a mean through a weight matrix: $1/n$ on each of a row's $n$ words and 0
# on the padding. Looking up the padding with id $-1$ would silently read the *last* word's vector,
# so the ids are clamped to 0 first and the weight 0 removes that row again. The forward pass by
# hand, shape by shape, on a batch of `B` examples:

# %%
DIM, K, B = 8, 5, 6
V = len(corpus.vocab)
gen = torch.Generator().manual_seed(SEED)
in_w = torch.randn(V, DIM, generator=gen, dtype=torch.float64) * 0.5    # (V, d): v, the context words
out_w = torch.randn(V, DIM, generator=gen, dtype=torch.float64) * 0.5   # (V, d): u, the centre words
rng = np.random.default_rng(SEED)
pick = rng.choice(len(centres), size=B, replace=False)
centre = torch.from_numpy(centres[pick])                                  # (B,)
ctx = torch.from_numpy(contexts[pick])                                    # (B, 2W), -1 = empty slot
negatives = torch.from_numpy(NegativeSampler(corpus.vocab.counts).sample((B, K), rng))   # (B, K)


def cbow_loss(in_w, out_w, centre, ctx, negatives):
    """Per-example CBOW loss: the weighted mean of the context vectors scores centre and noise words."""
    weights = (ctx >= 0).to(in_w.dtype)                                  # (B, 2W): 1 on words, 0 on padding
    weights = weights / weights.sum(1, keepdim=True)                      # (B, 2W): 1/n on words
    v_ctx = in_w[ctx.clamp(min=0)]                                        # (B, 2W, d)
    h = (weights.unsqueeze(-1) * v_ctx).sum(1)                            # (B, d)
    return sgns_loss(h, out_w[centre], out_w[negatives])                  # (B,)


for name, t in [("centre", centre), ("ctx", ctx), ("negatives", negatives), ("in_w[ctx]", in_w[ctx.clamp(min=0)]),
                ("loss", cbow_loss(in_w, out_w, centre, ctx, negatives))]:
    print(f"{name:<10} shape {str(tuple(t.shape)):<14} {t.dtype}")

# %% [markdown]
# The package's `CBOW` module is Chapter 4's `SkipGram` (same tables, same start) with this forward
# pass, and the trainer below uses it:

# %%
model = CBOW(V, DIM, sparse=False).double()
with torch.no_grad():
    model.in_embed.weight.copy_(in_w)
    model.out_embed.weight.copy_(out_w)
ours = cbow_loss(in_w, out_w, centre, ctx, negatives)
torch.testing.assert_close(model(centre, ctx, negatives), ours, rtol=1e-12, atol=1e-12)
print("losses per example:", " ".join(f"{x:.3f}" for x in ours.tolist()), "(the CBOW module's, to 1e-12)")

# %% [markdown]
# ## 3. The gradients, by hand
#
# With $s_0 = u_o \cdot h$ and $s_k = u_{n_k} \cdot h$, Chapter 1 gave the derivative of each loss
# term with respect to its score: $g_0 = \sigma(s_0) - 1$ for the centre word (label 1) and
# $g_k = \sigma(s_k)$ for a noise word (label 0). $h$ enters every score linearly, so
#
# $$ \frac{\partial L}{\partial h} = g_0\, u_o + \sum_k g_k\, u_{n_k}, \qquad
#    \frac{\partial L}{\partial u_o} = g_0\, h, \qquad \frac{\partial L}{\partial u_{n_k}} = g_k\, h, $$
#
# exactly skip-gram's formulas with $h$ for $v_c$. The new step is the mean: $\partial h /
# \partial v_{c_j} = \frac{1}{n} I$, so by the chain rule every context word receives
#
# $$ \frac{\partial L}{\partial v_{c_j}} = \frac{1}{n} \frac{\partial L}{\partial h}, $$
#
# the same vector for all of them. A word that fills two slots of the window (it occurs twice
# near the centre) receives it twice. In a padded batch, "times $1/n$" is "times the slot's
# weight", and the padding's weight 0 sends it nothing.

# %%
def cbow_grads(v_ctx, weights, u_pos, u_neg):
    """Loss (B,) and gradients for v_ctx (B, C, d), u_pos (B, d), u_neg (B, K, d); weights (B, C)."""
    h = (weights.unsqueeze(-1) * v_ctx).sum(1)                        # (B, d)
    s_pos = (h * u_pos).sum(-1)                                        # (B,)
    s_neg = torch.bmm(u_neg, h.unsqueeze(-1)).squeeze(-1)              # (B, K)
    loss = -F.logsigmoid(s_pos) - F.logsigmoid(-s_neg).sum(-1)
    g_pos = torch.sigmoid(s_pos) - 1.0                                 # (B,)
    g_neg = torch.sigmoid(s_neg)                                       # (B, K)
    grad_h = g_pos.unsqueeze(-1) * u_pos + torch.bmm(g_neg.unsqueeze(1), u_neg).squeeze(1)   # (B, d)
    grad_ctx = weights.unsqueeze(-1) * grad_h.unsqueeze(1)             # (B, C, d): dL/dh / n per slot
    return loss, grad_ctx, g_pos.unsqueeze(-1) * h, g_neg.unsqueeze(-1) * h.unsqueeze(1)


v_ctx = in_w[ctx.clamp(min=0)].clone().requires_grad_()                 # (B, 2W, d)
u_pos = out_w[centre].clone().requires_grad_()                          # (B, d)
u_neg = out_w[negatives].clone().requires_grad_()                       # (B, K, d)
weights = context_weights(ctx, torch.float64)
loss, *by_hand = cbow_grads(v_ctx, weights, u_pos, u_neg)
loss.sum().backward()
for name, mine, auto in zip(["dL/dv_ctx", "dL/du_pos", "dL/du_neg"], by_hand, [v_ctx.grad, u_pos.grad, u_neg.grad]):
    err = (mine - auto).abs().max().item()
    print(f"{name:<10} {str(tuple(mine.shape)):<12} largest difference from autograd: {err:.1e}")
    assert err < 1e-12

# %% [markdown]
# In float64 the hand formulas match autograd to rounding. The trainer's "manual" method applies
# them straight to the tables, `cbow_step`, without building the gradients first. Its default
# "fast" method departs from them on purpose: like word2vec's C code, it adds the *whole*
# $\partial L / \partial h$ to every context word instead of the $\frac{1}{n}$ share, and it
# shares its noise words among groups of rows. Why that scores better, and how it is still an exact
# autograd step of another loss, is in [bonus 09b](bonus/09b_cbow_in_depth.ipynb).
#
# ## 4. Training CBOW, and skip-gram beside it
#
# The trainer of Chapter 5 takes `TrainConfig(arch="cbow")` (on the command line,
# `python -m w2v_helpers train --arch cbow`). It runs the same loop with CBOW's parts: for every
# chunk it subsamples, draws the window sizes, makes the examples with `cbow_examples`, shuffles
# them and draws the noise words, and the `CBOW` module scores them. A batch is 512 centre
# positions (`DEFAULT_BATCH`; skip-gram's is 1,024 pairs). word2vec starts CBOW at a learning rate
# of 0.05, twice skip-gram's 0.025, and so does the trainer when none is given (`DEFAULT_LR`). Both
# architectures now train with the same settings on the whole corpus, one worker each so that the
# runs are reproducible:

# %%
assert TrainConfig(arch="cbow").lr == DEFAULT_LR["cbow"] == 0.05 and TrainConfig().lr == 0.025
assert TrainConfig(arch="cbow").batch_size == DEFAULT_BATCH["cbow"] == 512 and TrainConfig().batch_size == 1024
cbow_config = TrainConfig(dim=CONFIG.dim, epochs=CONFIG.epochs, seed=SEED, arch="cbow")   # the CBOW defaults
runs = {"skip-gram": train(corpus.ids, corpus.vocab, CONFIG, progress=False),
        "CBOW": train(corpus.ids, corpus.vocab, cbow_config, progress=False)}
vectors = {name: WordVectors(words, run.model.word_vectors()) for name, run in runs.items()}
assert isinstance(runs["CBOW"].model, CBOW)
for name, run in runs.items():
    print(f"{name:>9}: {run.pairs:,} examples, mean loss in the last chunk {run.chunk_losses[-1]:.3f}")

# %%
# NBVAL_IGNORE_OUTPUT
for name, run in runs.items():
    print(f"{name:>9}: {run.seconds:.1f} s, {run.words_per_sec:,.0f} words/s")
speedup = runs["CBOW"].words_per_sec / runs["skip-gram"].words_per_sec
print(f"CBOW trains {speedup:.1f}x as many words per second")
assert speedup > 1.1

# %% [markdown]
# CBOW takes about a sixth as many SGD examples per epoch, but each example reads and writes a
# whole window of input vectors, so the gain in words per second is smaller than six.
#
# The losses do not compare the two: skip-gram's is a mean per pair, CBOW's per example, and the
# two models answer different questions. Quality has to be measured: on real text with Mikolov's
# analogy questions (among the most frequent words) and WordSim-353, as in Chapter 7; on the toy
# corpus with its planted analogies (Chapter 5). An analogy is answered with one word out of the
# 30,000 most frequent (all of them, on a smaller vocabulary), so a random guess is right about once
# in that many questions; both architectures must answer at least twenty times as often.

# %%
quality = {name: headline_scores(wv, corpus.analogies if TOY else None) for name, wv in vectors.items()}
for name, row in quality.items():
    print(f"{name:>9}: " + ", ".join(f"{k} {v:.3f}" for k, v in row.items()))
if TOY:
    assert all(row["planted analogies"] >= 0.9 for row in quality.values())
else:
    chance = 1 / min(len(words), 30_000)          # a random guess among the candidate answers
    print(f"a random guess answers {chance:.1e} of the analogy questions")
    assert all(row["analogy accuracy"] > 20 * chance for row in quality.values())

# %%
fig, ax = plt.subplots(figsize=(6.5, 3.5))
for name, run in runs.items():
    ax.plot(run.chunk_losses, label=f"{name} (per {'pair' if name == 'skip-gram' else 'example'})")
ax.set_xlabel("chunk of training")
ax.set_ylabel("mean loss")
ax.set_title(f"Training loss on {corpus.name}, {CONFIG.epochs} epochs, same settings")
ax.legend()
plt.show()

# %% [markdown]
# In Mikolov et al.'s first word2vec paper (2013), skip-gram answered the semantic analogy
# questions (capitals, currencies, family) far better than CBOW, while CBOW came close on the
# syntactic ones (plurals, tenses) and trained several times faster. Here, after 3 epochs on the
# English corpus, our skip-gram scored higher than our CBOW on WordSim-353 (0.39 against 0.33) and
# level on the analogies (3.3% and 3.4%). The analogy scores are low because the corpus is small,
# 1.4M tokens, a twelfth of text8; with `W2V_CORPUS=text8` both scores rise. On the toy corpus both
# architectures answer the planted analogies.
#
# ## Summary
#
# * CBOW makes one example per centre position: the window's words, padded to `2 * WINDOW` slots
#   with $-1$. `cbow_examples` matches the loop example for example, and its rows hold exactly
#   skip-gram's pairs.
# * The mean $h$ of the context vectors replaces $v_c$ in the SGNS loss. The gradients are
#   skip-gram's with $h$ for $v_c$, and each context word receives $\frac{1}{n}\,\partial L/\partial h$.
# * The trainer runs CBOW with `TrainConfig(arch="cbow")` (`--arch cbow`), learning rate 0.05
#   and batches of 512 by default, in the same loop as skip-gram.
# * Fewer, larger examples make CBOW faster per word than skip-gram; on this small corpus the two
#   score alike on the analogies, skip-gram higher on WordSim-353.
# * [Bonus 09b](bonus/09b_cbow_in_depth.ipynb): word2vec's CBOW update, noise words shared by groups
#   of rows, and our CBOW next to gensim's.

# %% [markdown]
# ## Exercises
#
# Each exercise asks for one function: replace the `raise NotImplementedError` line of its stub with
# your code and run the check cell under it. The check tries your function on inputs of its own and
# prints `exercise NN.k: PASS`, or `FAIL` with a hint about what is wrong; it never prints the answer.
# Worked solutions, each passing its check, are in
# [solutions/09_solutions.ipynb](solutions/09_solutions.ipynb); open them after trying.
#
# **Exercise 1.** Write `context_mean_by_hand(table, contexts)`: for a table of vectors
# ($V \times d$) and a matrix of context ids ($B \times C$) padded with $-1$, return $h$
# ($B \times d$), the mean of the vectors of each row's words. Mind the padding.

# %% exercise="09.1" tags=["exercise"]
def context_mean_by_hand(table, contexts):
    """(V, d) table, (B, C) ids padded with -1 -> (B, d) mean of each row's real context vectors."""
    # YOUR CODE HERE
    raise NotImplementedError("return h, the mean of each row's context vectors (padding left out)")


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

# %% exercise="09.2" tags=["exercise"]
def cbow_step_one_example(v_ctx, u, noise, lr):
    """One SGD step of -log sigma(u.h) - sum_k log sigma(-noise_k.h), h = mean of v_ctx; returns (v_ctx, u, noise)."""
    # YOUR CODE HERE
    raise NotImplementedError("return (v_ctx, u, noise) after one SGD step of the CBOW loss")


# %%
from w2v_helpers.course.exercises import check_09_2

check_09_2(cbow_step_one_example)
