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
# # Bonus 09b: CBOW in depth
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/word2vec-from-scratch/word2vec-from-scratch/blob/main/notebooks/bonus/09b_cbow_in_depth.ipynb) [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/word2vec-from-scratch/word2vec-from-scratch/main?labpath=notebooks%2Fbonus%2F09b_cbow_in_depth.ipynb)
#
# **Run time.** About a minute and a half on the English corpus that ships with the package (the stored
# outputs), on 2 CPU cores and in well under 1 GB of memory, most of it the two CBOW trainings of
# section 4 (ours and gensim's).
#
# Chapter 9 built CBOW with the exact gradient of the mean. The package's trainer does more: it
# builds the padded windows without a Python loop, applies the hand-derived gradients straight to
# the tables, and by default takes word2vec's own CBOW step, which is *not* the gradient of the
# mean, with noise words shared by groups of rows. This notebook checks each of these against
# autograd, says why word2vec's step is worth taking, and puts our CBOW next to gensim's.
#
# **What you need from earlier chapters.** Chapter 9 (CBOW's examples, model and gradients), and
# what it builds on: the SGNS loss (Chapter 1), noise words (Chapter 3), the dynamic window and
# `sgns_loss` (Chapter 4), the trainer (Chapter 5) and the scores (Chapter 7). Sharing noise words
# across a batch is measured in [bonus 03b](03b_shared_negatives.ipynb).

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

import numpy as np
import torch

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
from w2v_helpers.model import sgns_loss_shared
from w2v_helpers.negative_sampling import NegativeSampler
from w2v_helpers.pairs import draw_window_sizes
from w2v_helpers.subsampling import keep_prob_word2vec
from w2v_helpers.train import TrainConfig, chunk_rng, train
from w2v_helpers.vectors import WordVectors

SEED = 0    # the one seed behind every random number in this notebook
WINDOW = 5  # word2vec's default maximum window
# Small batches gain nothing from several threads, and one thread gives the same bits everywhere.
torch.set_num_threads(1)

corpus = corpus_from_env(seed=SEED)
TOY = corpus.name == "toy"
words = corpus.vocab.words
V = len(words)
cbow_config = TrainConfig(dim=50 if TOY else 100, epochs=3, seed=SEED, arch="cbow")   # Chapter 9's CBOW run
print(f"corpus {corpus.name!r}: {len(corpus.ids):,} tokens, {V:,} words; "
      f"dim={cbow_config.dim}, epochs={cbow_config.epochs}, lr={cbow_config.lr}, batch={cbow_config.batch_size}")

# %% [markdown]
# ## 1. The windows without a loop
#
# Chapter 9 wrote CBOW's examples as a loop over positions; the package keeps that loop as
# `naive.dynamic_window_contexts`, and Chapter 9 checked that `cbow_examples` makes the same
# examples from the same window sizes. The vectorized version builds the grid of offsets once for
# the whole chunk, so it is much faster:

# %%
# NBVAL_IGNORE_OUTPUT
N_CHECK = 20_000
ids = corpus.ids[:N_CHECK]
t0 = time.perf_counter()
slow = naive.dynamic_window_contexts(ids, WINDOW, np.random.default_rng(SEED))
t_loop = time.perf_counter() - t0
t0 = time.perf_counter()
centres, contexts = cbow_examples(ids, draw_window_sizes(N_CHECK, WINDOW, np.random.default_rng(SEED)), WINDOW)
t_vec = time.perf_counter() - t0
assert [row[row >= 0].tolist() for row in contexts] == [ctx for _, ctx in slow]
print(f"loop: {t_loop * 1000:.0f} ms, vectorized: {t_vec * 1000:.1f} ms, {t_loop / t_vec:.0f}x faster")
assert t_vec < t_loop

# %% [markdown]
# ## 2. The exact step
#
# The package computes the mean with one batched product, `context_mean` (with its weights,
# `context_weights`), or, for the fast step below, with `flat_context_mean`, which takes the context
# words out of the padding first. `naive.cbow_grads` is Chapter 9's hand-derived gradients. On a
# small batch in float64 they must all agree with the `CBOW` module and autograd:

# %%
DIM, K, B = 8, 5, 6
gen = torch.Generator().manual_seed(SEED)
in_w = torch.randn(V, DIM, generator=gen, dtype=torch.float64) * 0.5    # (V, d): v, the context words
out_w = torch.randn(V, DIM, generator=gen, dtype=torch.float64) * 0.5   # (V, d): u, the centre words
rng = np.random.default_rng(SEED)
pick = rng.choice(len(centres), size=B, replace=False)
centre = torch.from_numpy(centres[pick])                                  # (B,)
ctx = torch.from_numpy(contexts[pick])                                    # (B, 2W), -1 = empty slot
negatives = torch.from_numpy(NegativeSampler(corpus.vocab.counts).sample((B, K), rng))   # (B, K)

model = CBOW(V, DIM, sparse=False).double()
with torch.no_grad():
    model.in_embed.weight.copy_(in_w)
    model.out_embed.weight.copy_(out_w)
h, weights = context_mean(in_w, ctx)                                     # (B, d), (B, 2W)
assert torch.equal(weights, context_weights(ctx, torch.float64))
torch.testing.assert_close(flat_context_mean(in_w, ctx)[0], h, rtol=1e-12, atol=1e-12)

v_ctx = in_w[ctx.clamp(min=0)].clone().requires_grad_()                 # (B, 2W, d)
u_pos = out_w[centre].clone().requires_grad_()                          # (B, d)
u_neg = out_w[negatives].clone().requires_grad_()                       # (B, K, d)
loss, *by_hand = naive.cbow_grads(v_ctx, weights, u_pos, u_neg)
torch.testing.assert_close(loss.detach(), model(centre, ctx, negatives).detach(), rtol=1e-12, atol=1e-12)
loss.sum().backward()
for mine, auto in zip(by_hand, [v_ctx.grad, u_pos.grad, u_neg.grad]):
    torch.testing.assert_close(mine.detach(), auto, rtol=1e-12, atol=1e-12)
print("context_mean, flat_context_mean, naive.cbow_grads and the CBOW module agree to 1e-12")

# %% [markdown]
# The trainer's "manual" method applies those gradients directly to the tables without building
# them first: `cbow_step`, with $K$ noise words per example; each context word's share goes back
# with one `index_add_` over the batch's real slots. One step must be the step plain SGD takes with
# autograd's gradients of the summed loss:

# %%
LR = 0.5
model(centre, ctx, negatives).sum().backward()                          # autograd's gradients of the tables
got_in, got_out = in_w.clone(), out_w.clone()
cbow_step(got_in, got_out, centre, ctx, negatives, LR)
err = max((got_in - (in_w - LR * model.in_embed.weight.grad)).abs().max().item(),
          (got_out - (out_w - LR * model.out_embed.weight.grad)).abs().max().item())
print(f"cbow_step: largest difference from an autograd SGD step: {err:.1e}")
assert err < 1e-12

# %% [markdown]
# ## 3. word2vec's step
#
# The "fast" method, `cbow_step_shared`, the trainer's default, departs from this gradient on
# purpose, in two ways.
#
# **word2vec's step.** word2vec's C code (and gensim, `cbow_mean=1`) adds the *whole*
# $\partial L / \partial h$ to every context word, not $\frac{1}{n}$ of it: not the gradient of the
# mean, but an $n$ times larger step on the input vectors. It matters: on this English corpus
# (5 epochs, 2 workers), a version of our fast trainer with the $\frac{1}{n}$ share scored 2.8% on
# the analogy questions and 0.34 on WordSim-353 against gensim's 5.3% and 0.42; with word2vec's
# step, 5.0% and 0.44.
#
# **Noise words per group of rows.** Sharing $S$ noise words ([bonus 03b](03b_shared_negatives.ipynb)) across a whole batch
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
# ## 4. One chunk's batches, and our CBOW next to gensim's
#
# For every chunk of the corpus the trainer's `make_cbow_batches` subsamples, draws the window
# sizes, makes the examples with `cbow_examples`, shuffles them and draws the noise words, from the
# chunk's own generator. A batch is 512 centre positions, and the fast method draws
# `noise_groups(512)` = 16 sets of noise words for it, one per `NOISE_ROWS` rows:

# %%
keep = keep_prob_word2vec(corpus.vocab.frequencies(), cbow_config.sample)
chunk_centres, chunk_contexts, chunk_noise = make_cbow_batches(corpus.ids[:100_000], keep,
                                                               NegativeSampler(corpus.vocab.counts), cbow_config,
                                                               chunk_rng(SEED, 0, 0))
print(f"centres {chunk_centres.shape}, contexts {chunk_contexts.shape}, shared noise words {chunk_noise.shape}")
groups = noise_groups(cbow_config.batch_size)
assert groups == cbow_config.batch_size // NOISE_ROWS == 16
assert chunk_noise.shape == (-(-len(chunk_centres) // cbow_config.batch_size), groups, cbow_config.shared_negatives)
try:
    TrainConfig(arch="bag-of-words").validate()   # the architectures are the keys of DEFAULT_LR
except W2VError as refusal:
    print("refused:", refusal)

# %% [markdown]
# gensim's `Word2Vec(sg=0, cbow_mean=1)` trains the same model. We train Chapter 9's CBOW again
# and give gensim our token stream and our settings (the same learning rates, epochs and seed, one
# worker). Its update is our fast method's, word2vec's whole $\partial L / \partial h$ for every
# context word included, with two differences: it takes one SGD step per example where we sum the
# steps of 512, and it draws $K$ noise words per example where we share 16 per group of 32
# examples. gensim is optional: without it, the cells below say so and only our CBOW is scored.

# %%
run = train(corpus.ids, corpus.vocab, cbow_config, progress=False)
quality = {"CBOW": headline_scores(WordVectors(words, run.model.word_vectors()), corpus.analogies if TOY else None)}

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
    if TOY:
        assert quality["gensim CBOW"]["planted analogies"] >= 0.9
for name, row in quality.items():
    print(f"{name:>12}: " + ", ".join(f"{k} {v:.3f}" for k, v in row.items()))

# %%
# NBVAL_IGNORE_OUTPUT
if HAVE_GENSIM:
    n_words = cbow_config.epochs * len(corpus.ids)
    print(f"one worker each: our CBOW {run.seconds:.1f} s ({run.words_per_sec:,.0f} words/s), "
          f"gensim's {gensim_seconds:.1f} s ({n_words / gensim_seconds:,.0f} words/s)")

# %% [markdown]
# gensim's inner loop is compiled C, one example at a time; ours is a few dozen torch calls per
# batch of 512 examples, so a batch of CBOW examples, which carries six times the work of a
# batch of skip-gram pairs, spends less of its time in Python. With the same settings the two
# CBOWs scored alike (the scores above): analogies 3.4% (ours) and 3.5% (gensim's), WordSim-353 0.33
# and 0.32. With the $\frac{1}{n}$ share of the gradient instead of word2vec's step, ours fell
# clearly behind (section 3); Chapter 9's exercise 2 lets you compare the two steps.
#
# ## Summary
#
# * `cbow_examples` builds the padded windows without a Python loop, example for example the
#   loop's; `context_mean`, `naive.cbow_grads` and the manual step `cbow_step` are Chapter 9's
#   formulas, equal to autograd to rounding.
# * The fast step takes word2vec's update, the whole $\partial L/\partial h$ for every context word,
#   with 16 noise words per group of 32 examples and batches of 512: it is the autograd step on
#   `cbow_loss_shared`, whose $h = t - (1 - \frac{1}{n})\,\text{detach}(t)$ is the mean in value and
#   passes its gradient whole.
# * With that step our CBOW scores as well as gensim's; with the $\frac{1}{n}$ share it falls behind.
