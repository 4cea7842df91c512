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
# word2vec comes with two architectures. Chapters 1 to 8 built *skip-gram*, where every word
# predicts each of its neighbours. The other one is the *continuous bag of words* (CBOW): the
# neighbours together predict the word in the middle. You will:
#
# 1. write CBOW's training examples (one per centre position: the centre word and its whole
#    window) as a loop, and check that the package's vectorized version makes exactly the same ones;
# 2. write the model: the mean of the context words' input vectors takes the place of skip-gram's
#    centre vector $v_c$ and scores the centre word's output vector;
# 3. derive its gradients by hand, check them against autograd, and check that the package's
#    SGD steps are the steps autograd would take, including the fast one, which follows word2vec's
#    C code rather than the gradient;
# 4. train CBOW and skip-gram with the package's trainer on the same corpus, and compare speed and
#    quality, then put gensim's CBOW next to ours.
#
# **What you need from earlier chapters.** The SGNS loss and its gradients (Chapter 1), the
# dynamic window (Chapter 4), the `SkipGram` module (Chapter 4), the trainer and its three update
# methods (Chapters 5 and 8), and the analogy and similarity scores (Chapter 7).
#
# **Run time.** About a minute on the English corpus that ships with the package (the stored
# outputs), on 2 CPU cores and in well under 1 GB of memory; on text8, 12 times larger, expect ten
# to twenty minutes and under 2 GB of memory, most of it the three training runs of sections 4 and 5.

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
import time
from dataclasses import replace

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F

from w2v_helpers import naive
from w2v_helpers.cbow import (
    CBOW,
    NOISE_ROWS,
    cbow_examples,
    cbow_loss_shared,
    cbow_step,
    cbow_step_shared,
    context_mean,
    context_weights,
    flat_context_mean,
    make_cbow_batches,
    noise_groups,
)
from w2v_helpers.corpus import corpus_from_env
from w2v_helpers.errors import W2VError
from w2v_helpers.evaluation import headline_scores
from w2v_helpers.model import sgns_loss, sgns_loss_shared
from w2v_helpers.negative_sampling import NegativeSampler
from w2v_helpers.pairs import draw_window_sizes, pairs_vectorized
from w2v_helpers.subsampling import keep_prob_word2vec
from w2v_helpers.train import DEFAULT_BATCH, DEFAULT_LR, TrainConfig, chunk_rng, train
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
# in sections 4 and 5. `W2V_CORPUS=toy` runs it on the synthetic corpus of Chapter 5, whose planted
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
# must give exactly the loop's examples, in the same order, with each row's words in the same order:

# %%
N_CHECK = 20_000
ids = corpus.ids[:N_CHECK]
slow = cbow_windows(ids, WINDOW, np.random.default_rng(SEED))
b = draw_window_sizes(N_CHECK, WINDOW, np.random.default_rng(SEED))
centres, contexts = cbow_examples(ids, b, WINDOW)                       # (N,), (N, 2 * WINDOW)
print(f"centres {centres.shape}, contexts {contexts.shape}, padding: {np.mean(contexts == -1):.0%} of the slots")
assert centres.tolist() == [c for c, _ in slow]
assert [row[row >= 0].tolist() for row in contexts] == [ctx for _, ctx in slow]
assert slow == naive.dynamic_window_contexts(ids, WINDOW, np.random.default_rng(SEED))
print(f"{len(slow):,} examples from {N_CHECK:,} tokens: identical to the loop, example for example")

# %% [markdown]
# The package keeps our loop as `naive.dynamic_window_contexts` (the last assert). Flattening the
# rows gives back skip-gram's pairs, in Chapter 4's order: CBOW sees the same (centre, context)
# pairs, grouped into one example per centre instead of one example per pair.

# %%
pair_centres, pair_contexts = pairs_vectorized(ids, b, WINDOW)
real = contexts >= 0                                                     # (N, 2 * WINDOW)
assert np.array_equal(np.repeat(centres, real.sum(1)), pair_centres)
assert np.array_equal(contexts[real], pair_contexts)
print(f"skip-gram: {len(pair_centres) / N_CHECK:.2f} examples per token; CBOW: {len(centres) / N_CHECK:.2f}")

# %%
# NBVAL_IGNORE_OUTPUT
t0 = time.perf_counter()
cbow_windows(ids, WINDOW, np.random.default_rng(SEED))
t_loop = time.perf_counter() - t0
t0 = time.perf_counter()
cbow_examples(ids, draw_window_sizes(N_CHECK, WINDOW, np.random.default_rng(SEED)), WINDOW)
t_vec = time.perf_counter() - t0
print(f"loop: {t_loop * 1000:.0f} ms, vectorized: {t_vec * 1000:.1f} ms, {t_loop / t_vec:.0f}x faster")
assert t_vec < t_loop

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
# `cbow_mean=0`, $h$ is the sum.)
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
# The package's `context_weights` and `context_mean` compute the weights and $h$ (with one batched
# product; `flat_context_mean` takes the context words out of the padding first, for the fast step
# of section 3), and its `CBOW` module is Chapter 4's `SkipGram` (same tables, same start) with this
# forward pass. Both must give our numbers:

# %%
h_package, weights_package = context_mean(in_w, ctx)                     # (B, d), (B, 2W)
assert torch.equal(weights_package, context_weights(ctx, torch.float64))
torch.testing.assert_close(flat_context_mean(in_w, ctx)[0], h_package, rtol=1e-12, atol=1e-12)
model = CBOW(V, DIM, sparse=False).double()
with torch.no_grad():
    model.in_embed.weight.copy_(in_w)
    model.out_embed.weight.copy_(out_w)
ours = cbow_loss(in_w, out_w, centre, ctx, negatives)
torch.testing.assert_close(model(centre, ctx, negatives), ours, rtol=1e-12, atol=1e-12)
torch.testing.assert_close(sgns_loss(h_package, out_w[centre], out_w[negatives]), ours, rtol=1e-12, atol=1e-12)
print("losses per example:", " ".join(f"{x:.3f}" for x in ours.tolist()))
print("CBOW module and context_mean: the same losses, to 1e-12")

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
package = naive.cbow_grads(v_ctx.detach(), weights, u_pos.detach(), u_neg.detach())
assert all(torch.equal(a, p) for a, p in zip(by_hand, package[1:]))
print("the package's naive.cbow_grads: the same gradients, bit for bit")

# %% [markdown]
# In float64 the hand formulas match autograd to rounding; the package keeps them as
# `naive.cbow_grads`. The trainer's "manual" method applies them directly to the tables without
# building gradients first: `cbow_step`, with $K$ noise words per example; each context word's
# share goes back with one `index_add_` over the batch's real slots. One step must be the step
# plain SGD takes with autograd's gradients of the summed loss:

# %%
LR = 0.5
a, b = in_w.clone().requires_grad_(), out_w.clone().requires_grad_()
cbow_loss(a, b, centre, ctx, negatives).sum().backward()
got_in, got_out = in_w.clone(), out_w.clone()
cbow_step(got_in, got_out, centre, ctx, negatives, LR)
err = max((got_in - (in_w - LR * a.grad)).abs().max().item(), (got_out - (out_w - LR * b.grad)).abs().max().item())
print(f"cbow_step: largest difference from an autograd SGD step: {err:.1e}")
assert err < 1e-12

# %% [markdown]
# The "fast" method, `cbow_step_shared`, departs from this gradient on purpose, in two ways.
#
# **word2vec's step.** word2vec's C code (and gensim, `cbow_mean=1`) adds the *whole*
# $\partial L / \partial h$ to every context word, not $\frac{1}{n}$ of it: not the gradient of the
# mean, but an $n$ times larger step on the input vectors. It matters: on this English corpus
# (5 epochs, 2 workers), a version of our fast trainer with the $\frac{1}{n}$ share scored 2.8% on
# the analogy questions and 0.34 on WordSim-353 against gensim's 5.3% and 0.42; with word2vec's
# step, 5.0% and 0.44.
#
# **Noise words per group of rows.** Sharing $S$ noise words (Chapter 3) across a whole batch
# of 1,024 examples made that larger step diverge: hundreds of rows push the same 16 output
# vectors the same way in one step. The fast step therefore takes batches of 512 centre positions
# (`DEFAULT_BATCH`) and draws $S = 16$ noise words for every group of `NOISE_ROWS` = 32 rows,
# each weighted $K/S$; a batch's noise scores are 16 small matrix products.
#
# It is still an autograd SGD step, on `cbow_loss_shared`: the loss of the mean with each group's
# noise words, where $h = t - (1 - \frac{1}{n})\,\text{detach}(t)$ and $t$ is the sum of the
# context vectors. Its value is $t/n$, the mean, but its derivative with respect to every context
# vector is the identity, so each one receives $\partial L / \partial h$ whole. Here with 2 groups
# of 3 rows:

# %%
S, GROUPS = 16, 2
shared = torch.from_numpy(NegativeSampler(corpus.vocab.counts).sample((GROUPS, S), rng))   # (2, S)
h = context_mean(in_w, ctx)[0]
group_losses = torch.cat([sgns_loss_shared(h[i:i + 3], out_w[centre[i:i + 3]], out_w[shared[i // 3]], K)
                          for i in (0, 3)])                                   # (B,): the loss of the mean
a, b = in_w.clone().requires_grad_(), out_w.clone().requires_grad_()
fast_loss = cbow_loss_shared(a, b, centre, ctx, shared, K)
torch.testing.assert_close(fast_loss.detach(), group_losses, rtol=1e-12, atol=1e-12)
fast_loss.sum().backward()
got_in, got_out = in_w.clone(), out_w.clone()
cbow_step_shared(got_in, got_out, centre, ctx, shared, LR, K)
err = max((got_in - (in_w - LR * a.grad)).abs().max().item(), (got_out - (out_w - LR * b.grad)).abs().max().item())
print(f"cbow_step_shared: largest difference from an autograd SGD step on cbow_loss_shared: {err:.1e}")
assert err < 1e-12

# %% [markdown]
# ## 4. Training CBOW, and skip-gram beside it
#
# The trainer of Chapter 5 takes `TrainConfig(arch="cbow")` (on the command line,
# `python -m w2v_helpers train --arch cbow`). It runs the same loop with CBOW's parts: for every
# chunk, `make_cbow_batches` subsamples, draws the window sizes, makes the examples with
# `cbow_examples`, shuffles them and draws the noise words, from the chunk's own generator; the steps
# are `cbow_step_shared` (the default "fast" method), `cbow_step` ("manual") or the `CBOW` module with
# autograd; Hogwild workers (Chapter 8) run them unchanged. A batch is 512 centre positions
# (`DEFAULT_BATCH`; skip-gram's is 1,024 pairs), and the fast method draws `noise_groups(512)` = 16
# sets of noise words for it, one per `NOISE_ROWS` rows. One chunk's batches:

# %%
keep = keep_prob_word2vec(corpus.vocab.frequencies(), CONFIG.sample)
sampler = NegativeSampler(corpus.vocab.counts)
cbow_config = replace(CONFIG, arch="cbow", lr=DEFAULT_LR["cbow"], batch_size=DEFAULT_BATCH["cbow"])
chunk_centres, chunk_contexts, chunk_noise = make_cbow_batches(corpus.ids[:100_000], keep, sampler, cbow_config,
                                                               chunk_rng(SEED, 0, 0))
print(f"centres {chunk_centres.shape}, contexts {chunk_contexts.shape}, shared noise words {chunk_noise.shape}")
groups = noise_groups(cbow_config.batch_size)
assert groups == cbow_config.batch_size // NOISE_ROWS == 16
assert chunk_noise.shape == (-(-len(chunk_centres) // cbow_config.batch_size), groups, cbow_config.shared_negatives)

# %% [markdown]
# word2vec starts CBOW at a learning rate of 0.05, twice skip-gram's 0.025, and so does the trainer
# when none is given (`DEFAULT_LR`, as `DEFAULT_BATCH` gives the batch size). Both architectures now train with the same settings on the whole
# corpus, one worker each so that the runs are reproducible:

# %%
assert TrainConfig(arch="cbow").lr == DEFAULT_LR["cbow"] == 0.05 and TrainConfig().lr == 0.025
assert TrainConfig(arch="cbow").batch_size == DEFAULT_BATCH["cbow"] == 512 and TrainConfig().batch_size == 1024
try:
    TrainConfig(arch="bag-of-words").validate()   # the architectures are the keys of DEFAULT_LR
except W2VError as refusal:
    print("refused:", refusal)
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
# ## 5. Our CBOW next to gensim's
#
# gensim's `Word2Vec(sg=0, cbow_mean=1)` trains the same model. We give it our token stream and
# our settings (the same learning rates, epochs and seed, one worker). Its update is our fast
# method's, word2vec's whole $\partial L / \partial h$ for every context word included, with two
# differences: it takes one SGD step per example where we sum the steps of 512, and it draws $K$
# noise words per example where we share 16 per group of 32 examples. gensim is optional: without
# it, the cells below say so and do nothing.

# %% tags=["real-text"]
try:
    from gensim.models import Word2Vec
    HAVE_GENSIM = True
except ImportError:
    HAVE_GENSIM = False
    print("gensim is not installed (`pip install gensim`), so the comparison with gensim is skipped")

if HAVE_GENSIM:
    tokens = np.array(words, dtype=object)[corpus.ids]
    sentences = [tokens[i:i + 10_000].tolist() for i in range(0, len(tokens), 10_000)]  # gensim's longest
    t0 = time.perf_counter()
    gensim_model = Word2Vec(sentences, sg=0, cbow_mean=1, vector_size=cbow_config.dim, window=cbow_config.window,
                            negative=cbow_config.negative, sample=cbow_config.sample, alpha=cbow_config.lr,
                            min_alpha=cbow_config.min_lr, epochs=cbow_config.epochs, min_count=1, seed=SEED,
                            workers=1)
    gensim_seconds = time.perf_counter() - t0
    gwv = WordVectors(gensim_model.wv.index_to_key, gensim_model.wv.vectors)
    assert set(gwv.words) == set(words)
    quality["gensim CBOW"] = headline_scores(gwv, corpus.analogies if TOY else None)
    print(f"{'':>12}" + "".join(f"{k:>20}" for k in quality["CBOW"]))
    for name, row in quality.items():
        print(f"{name:>12}" + "".join(f"{v:>20.3f}" for v in row.values()))
    if TOY:
        assert quality["gensim CBOW"]["planted analogies"] >= 0.9

# %%
# NBVAL_IGNORE_OUTPUT
if HAVE_GENSIM:
    n_words = cbow_config.epochs * len(corpus.ids)
    print(f"one worker each: our CBOW {runs['CBOW'].seconds:.1f} s ({runs['CBOW'].words_per_sec:,.0f} words/s), "
          f"gensim's {gensim_seconds:.1f} s ({n_words / gensim_seconds:,.0f} words/s)")

# %% [markdown]
# gensim's inner loop is compiled C, one example at a time; ours is a few dozen torch calls per
# batch of 512 examples, so a batch of CBOW examples, which carries six times the work of a
# batch of skip-gram pairs, spends less of its time in Python. With the same settings the two
# CBOWs scored alike (the table above): analogies 3.4% (ours) and 3.5% (gensim's), WordSim-353 0.33
# and 0.32. With the $\frac{1}{n}$ share of the gradient instead of word2vec's step, ours fell
# clearly behind (section 3); exercise 2 lets you compare the two steps.
#
# ## Summary
#
# * CBOW makes one example per centre position: the window's words, padded to `2 * WINDOW` slots
#   with $-1$. `cbow_examples` matches the loop example for example, and its rows hold exactly
#   skip-gram's pairs.
# * The mean $h$ of the context vectors replaces $v_c$ in the SGNS loss. The gradients are
#   skip-gram's with $h$ for $v_c$, and each context word receives $\frac{1}{n}\,\partial L/\partial h$;
#   the manual step equals an autograd SGD step to rounding.
# * The fast step takes word2vec's update, the whole $\partial L/\partial h$ for every context word,
#   with 16 noise words per group of 32 examples and batches of 512: it is the autograd step on
#   `cbow_loss_shared`, and it scores as well as gensim's CBOW.
# * The trainer runs CBOW with `TrainConfig(arch="cbow")` (`--arch cbow`), learning rate 0.05
#   and batches of 512 by default, the same loop and the same workers.
# * Fewer, larger examples make CBOW faster per word than skip-gram.

# %% [markdown]
# ## Exercises
#
# Each exercise asks for one function: complete its body (in the student version of this notebook,
# in place of the `raise NotImplementedError` line) and run the check cell under it. The check tries
# your function on inputs of its own and prints `exercise NN.k: PASS`, or `FAIL` with a hint about
# what is wrong; it never prints the answer.
#
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
# thousand steps on made-up data with both and compare how fast the input vectors grow.

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
