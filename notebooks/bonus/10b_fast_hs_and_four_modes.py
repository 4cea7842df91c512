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
# # Bonus 10b: fast hierarchical softmax, and word2vec's four modes
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/word2vec-from-scratch/word2vec-from-scratch/blob/main/notebooks/bonus/10b_fast_hs_and_four_modes.ipynb) [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/word2vec-from-scratch/word2vec-from-scratch/main?labpath=notebooks%2Fbonus%2F10b_fast_hs_and_four_modes.ipynb)
#
# **Run time.** Seven to fifteen minutes on the English corpus that ships with the package (the
# stored outputs), on 2 CPU cores (the longer on a busy machine) and in well under 1 GB of memory,
# nearly all of it the four training runs of section 4.
#
# Chapter 10 built hierarchical softmax one path step at a time. The package's trainer does the
# same work in a few vectorized operations per batch: it lays the walks of a batch end to end,
# takes exact SGD steps for skip-gram and CBOW, and by default two faster steps that follow
# word2vec's C code. This notebook checks all four steps against autograd, explains the batch
# sizes the tree trains with, and then trains word2vec's four modes side by side: skip-gram or
# CBOW, negative sampling or the tree.
#
# **What you need from earlier chapters.** Chapter 10 (the Huffman tree, the loss and its
# gradients), Chapter 9 (CBOW, its padded windows and its mean), the trainer (Chapter 5) and the
# scores (Chapter 7). word2vec's CBOW update, which gives every context word the whole
# $\partial L / \partial h$, is explained in [bonus 09b](09b_cbow_in_depth.ipynb).

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
from dataclasses import replace

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F

from w2v_helpers import hs
from w2v_helpers.cbow import cbow_examples, context_mean
from w2v_helpers.corpus import corpus_from_env
from w2v_helpers.errors import W2VError
from w2v_helpers.evaluation import headline_scores
from w2v_helpers.hs import build_huffman_tree
from w2v_helpers.pairs import draw_window_sizes
from w2v_helpers.train import TrainConfig, train
from w2v_helpers.vectors import WordVectors

SEED = 0    # the one seed behind every random number in this notebook
# Small batches gain nothing from several threads, and one thread gives the same bits everywhere.
torch.set_num_threads(1)

corpus = corpus_from_env(seed=SEED)
TOY = corpus.name == "toy"
words = corpus.vocab.words
counts = np.asarray(corpus.vocab.counts)                                 # (V,) most frequent first
V = len(words)
CONFIG = TrainConfig(dim=50 if TOY else 100, epochs=3, seed=SEED, hs=True)   # Chapter 10's run
tree = build_huffman_tree(counts)                                        # a HuffmanTree
tree_t = tree.to("cpu")                                                  # its arrays as torch tensors
print(f"corpus {corpus.name!r}: {len(corpus.ids):,} tokens, {V:,} words; "
      f"dim={CONFIG.dim}, epochs={CONFIG.epochs}, window={CONFIG.window}")

# %% [markdown]
# ## 1. The walks of a batch, end to end
#
# `build_huffman_tree` returns a `HuffmanTree`: all the paths end to end in one array `points`,
# the codes in `codes`, and each word's `offsets` and `lengths` into them. `tree.to(device)` makes
# a `TreeTensors`, the same arrays as torch tensors on the device that trains. Chapter 10's
# `hs_loss` walks a batch one step at a time; here it reads the paths from the tree:

# %%
def hs_loss(h, out_w, targets):
    """The summed -log p(w | h) of a batch: h (B, d), targets (B,) word ids (Chapter 10)."""
    loss = torch.zeros((), dtype=h.dtype)
    for b, w in enumerate(targets.tolist()):
        for node, bit in zip(tree.path(w), tree.code(w)):
            label = 1.0 - int(bit)                               # 1: left, 0: right
            loss = loss - F.logsigmoid((2 * label - 1) * (out_w[node] @ h[b]))
    return loss


print(f"points {tree.points.shape}, codes {tree.codes.shape}, offsets {tree.offsets.shape}, "
      f"lengths {tree.lengths.shape}")

# %% [markdown]
# Paths have different lengths, so the package does not pad them to a rectangle as CBOW pads its
# windows: `flat_path_steps` lays the batch's walks end to end as one list of $T = \sum_b L_{w_b}$
# steps, each with its example's row, its inner node and its bit. Every step's score is then one
# row of one `vecdot`, and the gradients go back with `index_add_`. `word_probabilities` computes all
# $V$ probabilities at once in the same way, and `hs_output_grads` returns the loss, dL/dh and,
# instead of a whole table, one gradient row per step with the node it belongs to. On a batch of
# random vectors in float64 they must agree with Chapter 10's loop and with autograd:

# %%
B, DIM = 12, 8
rng = np.random.default_rng(SEED)
gen = torch.Generator().manual_seed(SEED)
targets = torch.from_numpy(rng.choice(V, size=B))                       # (B,) the words to predict
targets[-1] = targets[0]                                                # a repeated target, as in a real batch
h = torch.randn(B, DIM, generator=gen, dtype=torch.float64)             # (B, d)
out_w = torch.randn(V - 1, DIM, generator=gen, dtype=torch.float64)     # (V - 1, d)

rows, step_nodes, step_codes = hs.flat_path_steps(targets, tree_t)       # (T,) each
print(f"B = {B} examples, path lengths {tree.lengths[targets.numpy()].tolist()}: T = {len(rows)} steps")
assert rows.tolist() == [b for b, w in enumerate(targets.tolist()) for _ in tree.path(w)]
assert step_nodes.tolist() == [n for w in targets.tolist() for n in tree.path(w)]
assert "".join(map(str, step_codes.tolist())) == "".join(tree.code(w) for w in targets.tolist())

h_auto, out_auto = h.clone().requires_grad_(), out_w.clone().requires_grad_()
loss = hs_loss(h_auto, out_auto, targets)
loss.backward()
pkg_loss, pkg_grad_h, nodes, grad_rows = hs.hs_output_grads(h, out_w, targets, tree_t)   # grad_rows (T, d)
pkg_grad_out = torch.zeros_like(out_w).index_add_(0, nodes, grad_rows)
torch.testing.assert_close(pkg_loss, loss.detach(), rtol=1e-12, atol=0)
torch.testing.assert_close(pkg_grad_h, h_auto.grad, rtol=1e-12, atol=1e-12)
torch.testing.assert_close(pkg_grad_out, out_auto.grad, rtol=1e-12, atol=1e-12)
probs = hs.word_probabilities(h[0], out_w, tree_t)                      # (V,)
torch.testing.assert_close(-probs[targets[0]].log(), hs_loss(h[:1], out_w, targets[:1]), rtol=1e-10, atol=0)
print(f"loss {loss.item():.3f}: hs_output_grads gives the same loss and gradients, from {len(nodes)} steps; "
      f"sum of word_probabilities {probs.sum().item():.12f}")

# %% [markdown]
# ## 2. The trainer's four steps
#
# The trainer does not build gradients: `hs_step` (skip-gram) and `cbow_hs_step` (CBOW) fold the
# learning rate into the $g_j$ and add the updates straight into the tables. Each must be exactly an
# SGD step on the summed loss as autograd computes it: for skip-gram, $h$ is the centre word's input
# vector and the target its context word; for CBOW, $h$ is the mean of the window (Chapter 9) and
# the target the centre word. We take the step both ways on copies of the same tables.
#
# CBOW has a third step, `cbow_hs_step_fast`, the trainer's "fast" method: word2vec's update, which
# gives every context word the whole $-\eta\, \partial L / \partial h$ instead of its $1/n$ share
# ([bonus 09b](09b_cbow_in_depth.ipynb) measured why it is worth it). It is the autograd step of a
# loss whose $h$ is the mean in value but passes its gradient to each context vector whole:
# $h = t - (1 - 1/n)\, \mathrm{detach}(t)$, with $t$ the sum of the $n$ context vectors.
#
# Skip-gram has a fast step too, `sg_hs_step_windows`. word2vec's C code walks skip-gram's pairs
# from the other end: each context word's input vector predicts the *centre's* path. The pairs are
# the same, but now all the pairs of one window share one path, so the scores of a whole window
# are one small matrix product, (context words x d) times (d x path steps), instead of one gathered
# row per step: on the English corpus that halved the time per epoch. Its autograd twin is
# Chapter 10's `hs_loss` with the context words as inputs and the centre as every pair's target.

# %%
def whole_step_mean(in_w, windows):
    """The window's mean in value; its gradient reaches each context vector whole (word2vec's CBOW update)."""
    real = (windows != -1).unsqueeze(-1).to(in_w.dtype)                 # (B, 2w, 1)
    t = (in_w[windows.clamp(min=0)] * real).sum(1)                      # (B, d): the sum
    return t - (1 - 1 / real.sum(1)) * t.detach()                        # (B, d)


LR = 0.5
in_w = torch.randn(V, DIM, generator=gen, dtype=torch.float64) * 0.5    # (V, d): v, one per word
out_w = torch.randn(V - 1, DIM, generator=gen, dtype=torch.float64) * 0.5   # (V - 1, d): u, one per inner node
ids = corpus.ids[:200]
cbow_centres, cbow_contexts = cbow_examples(ids, draw_window_sizes(len(ids), 5, rng), 5)
centre = torch.from_numpy(corpus.ids[:B].astype(np.int64))             # (B,) skip-gram: input words
context = torch.from_numpy(corpus.ids[1:B + 1].astype(np.int64))        # (B,) and the words they predict
window_centre = torch.from_numpy(cbow_centres[:B])                      # (B,) CBOW: the words to predict
windows = torch.from_numpy(cbow_contexts[:B])                           # (B, 10) their windows, -1 = empty
filled = windows != -1                                                  # (B, 10) the real context words
checks = {
    "hs_step": (lambda a, b: hs_loss(a[centre], b, context),
                lambda a, b: hs.hs_step(a, b, centre, context, tree_t, LR)),
    "cbow_hs_step": (lambda a, b: hs_loss(context_mean(a, windows)[0], b, window_centre),
                     lambda a, b: hs.cbow_hs_step(a, b, window_centre, windows, tree_t, LR)),
    "cbow_hs_step_fast": (lambda a, b: hs_loss(whole_step_mean(a, windows), b, window_centre),
                          lambda a, b: hs.cbow_hs_step_fast(a, b, window_centre, windows, tree_t, LR)),
    "sg_hs_step_windows": (lambda a, b: hs_loss(a[windows[filled]], b, window_centre[filled.nonzero()[:, 0]]),
                           lambda a, b: hs.sg_hs_step_windows(a, b, window_centre, windows, tree_t, LR)),
}
for name, (loss_fn, step) in checks.items():
    a, b = in_w.clone().requires_grad_(), out_w.clone().requires_grad_()
    want_loss = loss_fn(a, b)
    want_loss.backward()
    want_in, want_out = in_w - LR * a.grad, out_w - LR * b.grad       # plain SGD with autograd's gradients
    got_in, got_out = in_w.clone(), out_w.clone()
    got_loss = step(got_in, got_out)
    err = max((got_in - want_in).abs().max().item(), (got_out - want_out).abs().max().item())
    print(f"{name:<18} loss {got_loss.item():.3f}; largest difference from an autograd SGD step: {err:.1e}")
    assert err < 1e-12 and torch.allclose(got_loss, want_loss.detach(), rtol=1e-12, atol=0)

# %% [markdown]
# ## 3. Batch sizes, and no autograd
#
# With the tree, the trainer's batches are smaller than negative sampling's: 256 examples instead
# of 1,024 for skip-gram, 128 instead of 512 for CBOW. An example walks about ten tree nodes
# instead of touching six rows, and smaller blocks of rows stay in the processor's cache; and every
# example passes through the root, whose vector takes the sum of all their updates in one step:
# with 256 CBOW examples per step, training diverged on 17.5M tokens with two workers. With the
# fast step an example of skip-gram is a whole window, so its loss sums the window's pairs (the
# trainer still reports the mean per pair). The steps are hand-derived, so autograd is refused:

# %%
assert TrainConfig(hs=True).batch_size == 256 and TrainConfig(hs=True, arch="cbow").batch_size == 128
try:
    replace(CONFIG, method="autograd").validate()
except W2VError as refusal:
    print("refused:", refusal)

# %% [markdown]
# ## 4. word2vec's four modes
#
# Skip-gram or CBOW, negative sampling or hierarchical softmax: word2vec's `-cbow` and `-hs`
# switches, gensim's `sg` and `hs`, and our `arch` and `hs`. We train all four with the same
# settings, one worker each, and put them side by side. Each mode gets a config of its own, so
# that its learning rate and batch size are the mode's defaults (`replace` would copy CONFIG's: a
# config fills them in when it is made).

# %%
MODES = {f"{'skip-gram' if arch == 'sg' else 'CBOW'} + {'HS' if hs else 'NS'}":
         TrainConfig(dim=CONFIG.dim, epochs=CONFIG.epochs, seed=SEED, arch=arch, hs=hs)
         for arch in ("sg", "cbow") for hs in (False, True)}
assert MODES["skip-gram + HS"] == CONFIG
runs = {name: train(corpus.ids, corpus.vocab, cfg, progress=False) for name, cfg in MODES.items()}

# %%
vectors = {name: WordVectors(words, run.model.word_vectors()) for name, run in runs.items()}
quality = {name: headline_scores(wv, corpus.analogies if TOY else None) for name, wv in vectors.items()}
for name in ("skip-gram + HS", "CBOW + HS"):
    epochs = np.reshape(runs[name].chunk_losses, (CONFIG.epochs, -1))  # (epochs, chunks per epoch)
    print(f"{name:>15}: mean loss (nats) per epoch: " + ", ".join(f"{x:.3f}" for x in epochs.mean(1)))
    assert epochs[-1].mean() < epochs[0].mean()

# %% tags=["real-text"]
print(f"{'mode':>15}" + "".join(f"{k:>20}" for k in next(iter(quality.values()))))
for name, row in quality.items():
    print(f"{name:>15}" + "".join(f"{v:>20.3f}" for v in row.values()))
if TOY:
    assert all(row["planted analogies"] >= 0.9 for row in quality.values())
else:   # twenty times what a random guess among the candidate answers gets (Chapter 9)
    assert all(row["analogy accuracy"] > 20 / min(V, 30_000) for row in quality.values())

# %%
# NBVAL_IGNORE_OUTPUT
for name, run in runs.items():
    print(f"{name:>15}: {run.seconds:.1f} s, {run.words_per_sec:,.0f} words/s")
assert runs["CBOW + NS"].seconds < runs["skip-gram + HS"].seconds

fig, (ax_time, ax_quality) = plt.subplots(1, 2, figsize=(10, 3.6), layout="constrained")
names = list(runs)
ax_time.bar(names, [runs[n].seconds for n in names], color=["C0", "C1", "C2", "C3"])
ax_time.set(title=f"training time, {CONFIG.epochs} epochs, one worker", xlabel="mode", ylabel="seconds")
metric = "planted analogies" if TOY else "WordSim-353 rho"
ax_quality.bar(names, [quality[n][metric] for n in names], color=["C0", "C1", "C2", "C3"])
ax_quality.set(title=f"{metric} on {corpus.name}", xlabel="mode",
               ylabel="accuracy" if TOY else "Spearman rho")
for ax in (ax_time, ax_quality):
    ax.tick_params(axis="x", labelsize=8)
plt.show()

# %% [markdown]
# The times depend on the machine (the cell is not checked against the stored output), but the
# order is stable: CBOW is faster than skip-gram (Chapter 9), and hierarchical softmax is slower
# than our negative sampling, since a path is longer than six rows and our noise words are shared
# by the batch ([bonus 03b](03b_shared_negatives.ipynb)). In the stored outputs (the English
# corpus, 3 epochs, one worker) the tree took between two and four times as long as negative
# sampling, for skip-gram and for CBOW. In quality it did better for skip-gram (WordSim-353 0.439 against 0.385, analogies 3.7% against 3.3%) and no
# better for CBOW (WordSim-353 0.334 against 0.326, analogies 2.8% against 3.4%). Differences this
# small on 1.4M tokens can change sign with the corpus or the seed: the README's benchmark, with 5
# epochs and 2 workers, found CBOW a little worse with the tree on both scores. With
# `W2V_CORPUS=text8` every score is higher.
#
# How do these modes compare with gensim's, each at full speed? That is a benchmark, run in its own
# processes rather than in a notebook:
#
# ```bash
# python -m w2v_helpers benchmark --modes --corpus FILE --epochs 5 --workers 2
# ```
#
# trains all four modes with our trainer and with gensim (`sg=0/1, hs=0/1`), one process each, and
# writes a table and a chart (`modes.md`, `modes.png`); the README shows its result on the English
# corpus.
#
# ## Summary
#
# * `flat_path_steps` lays a batch's walks end to end, so that `hs_output_grads` and
#   `word_probabilities` score every step with one `vecdot`; they equal Chapter 10's loop and autograd.
# * `hs_step` and `cbow_hs_step` are exact SGD steps; `cbow_hs_step_fast` is word2vec's CBOW update,
#   the exact step of a loss that passes $\partial L/\partial h$ whole; `sg_hs_step_windows` walks
#   skip-gram's pairs from the centre's path, one small matrix product per window.
# * The tree trains with smaller batches (256 skip-gram examples, 128 CBOW), since every example
#   updates the root.
# * Of word2vec's four modes, CBOW is the fastest and the tree the slower output layer here; on a
#   corpus this small the differences in quality are within what the corpus or the seed can change.
