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
# # Chapter 10: Hierarchical softmax
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/word2vec-from-scratch/word2vec-from-scratch/blob/main/notebooks/10_hierarchical_softmax.ipynb) [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/word2vec-from-scratch/word2vec-from-scratch/main?labpath=notebooks%2F10_hierarchical_softmax.ipynb)
#
# **On real text:** [what this chapter shows on real English](../docs/real-text.md).
#
# Skip-gram and CBOW both end in a softmax over the whole vocabulary, and Chapter 1 replaced it by
# negative sampling because it costs $V$ dot products per example. word2vec offers a second way
# out, the one of its first paper: *hierarchical softmax*. The words become the leaves of a binary
# tree, and the probability of a word is the probability of the walk from the root to its leaf, a
# product of about $\log_2 V$ binary decisions. It is still a true probability distribution over
# all $V$ words. You will:
#
# 1. see why a tree turns $V$ dot products into about $\log_2 V$, and why the leaves' probabilities
#    always sum to 1;
# 2. build word2vec's tree with Huffman's algorithm and a heap, so that frequent words get short
#    paths, and compare the mean path length with the entropy of the word distribution;
# 3. write the probability of a word as a product of sigmoids along its path and check that the
#    probabilities of all words sum to 1;
# 4. derive the loss and its gradients by hand, check them against autograd, and check that the
#    package's SGD steps (skip-gram and CBOW) are the steps autograd would take;
# 5. train skip-gram and CBOW with hierarchical softmax, and measure what an example costs;
# 6. put word2vec's four modes side by side: skip-gram or CBOW, negative sampling or the tree.
#
# **What you need from earlier chapters.** The softmax and SGNS losses and their gradients
# (Chapter 1), word counts (Chapter 2), the trainer (Chapters 5 and 8), the analogy and similarity
# scores (Chapter 7) and CBOW (Chapter 9).
#
# **Run time.** About a minute and a half on the English corpus that ships with the package (the
# stored outputs), on 2 CPU cores and in well under 1 GB of memory; on text8, 12 times larger,
# expect a quarter of an hour. Most of it is the four training runs of sections 5 and 6, above all
# skip-gram with hierarchical softmax.

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
import heapq
import math
from dataclasses import replace

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from tqdm.auto import tqdm

from w2v_helpers import hs
from w2v_helpers.cbow import cbow_examples, context_mean
from w2v_helpers.corpus import corpus_from_env
from w2v_helpers.errors import W2VError
from w2v_helpers.evaluation import dataset_path, headline_scores, planted_analogy_accuracy, similarity_spearman
from w2v_helpers.hs import HuffmanTree, TreeTensors, build_huffman_tree
from w2v_helpers.negative_sampling import NegativeSampler
from w2v_helpers.pairs import draw_window_sizes
from w2v_helpers.subsampling import keep_prob_word2vec
from w2v_helpers.train import TrainConfig, chunk_rng, make_chunk_batches, train
from w2v_helpers.vectors import WordVectors

SEED = 0    # the one seed behind every random number in this notebook
# Small batches gain nothing from several threads, and one thread gives the same bits everywhere.
torch.set_num_threads(1)

corpus = corpus_from_env(seed=SEED)
TOY = corpus.name == "toy"
words = corpus.vocab.words
counts = np.asarray(corpus.vocab.counts)                                 # (V,) most frequent first
V = len(words)
# Three epochs for every run: a minute or two on the English corpus, seconds on the toy corpus.
CONFIG = TrainConfig(dim=50 if TOY else 100, epochs=3, seed=SEED, hs=True)
print(f"corpus {corpus.name!r}: {len(corpus.ids):,} tokens, {V:,} words; "
      f"dim={CONFIG.dim}, epochs={CONFIG.epochs}, window={CONFIG.window}")

# %% [markdown]
# Like the other chapters, this one runs on the English corpus that ships with the package (Jane
# Austen's novels and the opening paragraphs of Wikipedia articles), which made the stored outputs.
# `W2V_CORPUS=text8` runs it on text8: 12 times the tokens, a larger vocabulary (so a deeper tree),
# and higher scores in sections 5 and 6. `W2V_CORPUS=toy` runs it on the synthetic corpus of
# Chapter 5, whose planted analogies then replace the benchmarks.
#
# ## 1. Why a tree
#
# The skip-gram model of Chapter 1 predicts a context word $o$ from an input vector $h$ (the centre
# word's $v_c$; in CBOW, the mean of the window) with a softmax,
#
# $$ p(o \mid h) = \frac{\exp(u_o \cdot h)}{\sum_{w=1}^{V} \exp(u_w \cdot h)}, $$
#
# whose denominator needs all $V$ output vectors: $V$ dot products per example, and a gradient
# that touches all $V$ rows. Negative sampling keeps $K + 1$ of them, at the price of no longer
# computing a probability.
#
# Hierarchical softmax arranges the $V$ words as the **leaves** of a binary tree. The tree has
# $V - 1$ **inner nodes**, and each inner node $n$ has an output vector $u_n$ (so there are $V - 1$
# output vectors, not $V$). From the root, a walk goes left at node $n$ with probability
# $\sigma(u_n \cdot h)$ and right with probability $\sigma(-u_n \cdot h)$. Each word $w$ has one
# **path** from the root to its leaf, the inner nodes $n_1, \dots, n_L$, and one **code**, the
# bits $c_1 \dots c_L$ of its turns (0: left, 1: right). Its probability is that of its walk:
#
# $$ p(w \mid h) = \prod_{j=1}^{L} \sigma\big((1 - 2c_j)\, u_{n_j} \cdot h\big). $$
#
# Since $\sigma(x) + \sigma(-x) = 1$, every inner node splits the probability that reaches it into
# two parts that add up to what came in, so the leaves' probabilities sum to 1 for any $h$ and any
# vectors: a true distribution, computed with $L$ dot products instead of $V$. In a balanced tree
# $L = \lceil \log_2 V \rceil$:

# %%
x = torch.linspace(-30, 30, 601, dtype=torch.float64)
assert torch.allclose(torch.sigmoid(x) + torch.sigmoid(-x), torch.ones_like(x), rtol=0, atol=1e-15)
print("sigma(x) + sigma(-x) = 1 on [-30, 30], to 1e-15")
for name, size in [("this corpus", V), ("text8 (min_count 5)", 71_290), ("a 1M-word vocabulary", 1_000_000)]:
    print(f"{name:>22}: V = {size:>9,}: softmax {size:>9,} dot products, a balanced tree "
          f"{math.ceil(math.log2(size)):>2}")

# %% [markdown]
# ## 2. The Huffman tree
#
# Any binary tree with the words at its leaves gives a distribution. word2vec chooses the tree that
# makes training cheapest: every example walks the path of the word it predicts, so frequent words
# should have short paths. That is the problem Huffman solved for codes in 1952: with the counts
# $n_w$ as weights, the tree that minimises the mean code length $\sum_w n_w L_w / \sum_w n_w$ is
# built by merging, again and again, the two subtrees with the smallest counts into a new node
# whose count is their sum, until one tree is left.
#
# A heap (Python's `heapq`) hands out the smallest entry in $O(\log V)$, so the whole tree takes
# $O(V \log V)$. We number the nodes as the package does: leaves are the word ids $0..V-1$, and the
# $k$-th merged node gets id $V + k$, so the root, made last, is $2V - 2$. The heap holds
# (count, node id) pairs, which also breaks ties between equal counts by node id, the same way on
# every machine. Of each merged pair the rarer gets bit 0 (left) and the other bit 1, as in
# word2vec. An inner node's vector is row (id $- V$) of the output table, so the root's is row
# $V - 2$. Then each word's path and code are read by climbing from its leaf to the root.

# %%
def huffman_tree(counts):
    """Each word's path (inner-node rows, root first) and code (a string of 0s and 1s), by Huffman's algorithm."""
    V = len(counts)
    heap = [(int(c), w) for w, c in enumerate(counts)]   # (count, node id); the leaves are the words 0..V-1
    heapq.heapify(heap)
    parent, bit = {}, {}
    for node in range(V, 2 * V - 1):                     # V - 1 merges; node 2V - 2 is the root
        count0, rarer = heapq.heappop(heap)
        count1, other = heapq.heappop(heap)
        parent[rarer], bit[rarer] = node, "0"
        parent[other], bit[other] = node, "1"
        heapq.heappush(heap, (count0 + count1, node))
    paths, codes = [], []
    for w in range(V):
        path, code, node = [], "", w
        while node in parent:                            # climb to the root, the one node without a parent
            code = bit[node] + code
            node = parent[node]
            path.insert(0, node - V)                     # inner node id - V: its row in the output table
        paths.append(path)
        codes.append(code)
    return paths, codes


# %% [markdown]
# On five words with counts 10, 4, 3, 2 and 1 the merges are (1, 2) -> 3, (3, 3) -> 6, (4, 6) -> 10
# and (10, 10) -> 20, the root. "the" is one step from the root, "hat" and "mat" four:
#
# ```
#               root (20)                     inner node rows: root 3, then 2, 1, 0
#              0/      \1
#          the (10)    (10)
#                     0/   \1
#                 cat (4)   (6)
#                          0/  \1
#                      sat (3)  (3)
#                              0/  \1
#                          hat (1)  mat (2)
# ```

# %%
small_counts = [10, 4, 3, 2, 1]
small_paths, small_codes = huffman_tree(small_counts)
for w, name in enumerate(["the", "cat", "sat", "mat", "hat"]):
    print(f"{name}: count {small_counts[w]:>2}, path {small_paths[w]}, code {small_codes[w]}")
assert small_codes == ["0", "10", "110", "1111", "1110"]
assert small_paths == [[3], [3, 2], [3, 2, 1], [3, 2, 1, 0], [3, 2, 1, 0]]

# %% [markdown]
# The package's `build_huffman_tree` makes the same tree with numpy arrays and returns a
# `HuffmanTree`: all the paths end to end in one array `points`, the codes in `codes`, and each
# word's `offsets` and `lengths` into them (`tree.path(w)` and `tree.code(w)` read one word's).
# On the chapter's vocabulary it must give exactly our paths and codes, word for word:

# %%
paths, codes = huffman_tree(counts)
tree = build_huffman_tree(counts)                                        # a HuffmanTree
assert isinstance(tree, HuffmanTree)
assert all(tree.path(w) == paths[w] and tree.code(w) == codes[w] for w in range(V))
lengths = np.array([len(c) for c in codes])                              # (V,) L_w
assert np.array_equal(lengths, tree.lengths)
print(f"points {tree.points.shape}, codes {tree.codes.shape}, offsets {tree.offsets.shape}, "
      f"lengths {tree.lengths.shape}")
print(f"{V:,} words: the same paths and codes as build_huffman_tree; root = row {paths[0][0]} = V - 2")
assert all(p[0] == V - 2 for p in paths)

# %%
for w in [0, 1, 2, V // 2, V - 2, V - 1]:
    print(f"rank {w + 1:>6,}  {words[w]:>12}  count {counts[w]:>7,}  {lengths[w]:>2} bits  {codes[w]}")

# %% [markdown]
# A code of $L_w$ bits is as if the tree guessed $p(w) \approx 2^{-L_w}$. Shannon's source coding
# theorem says no prefix code (no code is the start of another, which a tree guarantees) can have a
# mean length below the **entropy** $H = -\sum_w p(w) \log_2 p(w)$ of the distribution, and
# Huffman's code comes within one bit of it: $H \le E[L] < H + 1$. The ideal length of a word is
# $-\log_2 p(w)$, which the plot draws next to the Huffman lengths:

# %%
p = counts / counts.sum()                                                # (V,) unigram distribution
expected_length = float((p * lengths).sum())                             # E[L], bits
entropy = float(-(p * np.log2(p)).sum())                                 # H, bits
print(f"E[L] = {expected_length:.3f} bits, entropy H = {entropy:.3f} bits, log2 V = {math.log2(V):.3f}")
print(f"shortest code {lengths.min()} bits, longest {lengths.max()}")
assert entropy <= expected_length < entropy + 1
assert expected_length < math.log2(V)
assert np.isclose(sum(2.0 ** -lengths), 1.0)     # a full binary tree: the leaves' 2^-L add up to 1

fig, ax = plt.subplots(figsize=(6.5, 3.8))
ranks = np.arange(1, V + 1)
ax.plot(ranks, lengths, ".", ms=3, label="Huffman code length $L_w$")
ax.plot(ranks, -np.log2(p), "-", lw=1, color="C1", label="$-\\log_2 p(w)$, the ideal length")
ax.axhline(math.log2(V), ls="--", color="gray", lw=1, label="$\\log_2 V$ (a balanced tree)")
ax.set_xscale("log")
ax.set_xlabel("word rank (1 = most frequent), log scale")
ax.set_ylabel("bits (inner nodes on the path)")
ax.set_title(f"Path lengths in the Huffman tree of {corpus.name} ({V:,} words)")
ax.legend()
plt.show()

# %% [markdown]
# Frequent words get codes of a few bits ("the" 4) and the rarest words 18, four more than
# $\log_2 V$ = 13.976, the depth of a balanced tree. Weighted by how often each word is predicted,
# the mean path, 9.971 bits, is four bits shorter than a balanced tree's, and within a few
# hundredths of a bit of the entropy, 9.943. Zipf's law makes the entropy of a vocabulary much
# smaller than $\log_2 V$.
#
# ## 3. The probability of a word
#
# With the paths and codes, $p(w \mid h)$ is a product of $L_w$ sigmoids. We write it for one word
# as a loop; `out_w` holds the $V - 1$ inner nodes' vectors, one row each.

# %%
def word_probability(h, out_w, path, code):
    """p(w | h): along w's path, sigma(u.h) for each 0 (left) and sigma(-u.h) for each 1 (right)."""
    prob = torch.ones((), dtype=h.dtype)
    for node, bit in zip(path, code):
        sign = 1.0 if bit == "0" else -1.0
        prob = prob * torch.sigmoid(sign * (out_w[node] @ h))
    return prob


# %% [markdown]
# Whatever the vectors, the $V$ probabilities must add up to 1. We try three random input vectors,
# each with a fresh random table of inner-node vectors, large enough that the probabilities are far
# from uniform. The package's `word_probabilities` computes all $V$ at once, with the
# `TreeTensors` that `tree.to(device)` makes: the same arrays as torch tensors, on the device that
# trains.

# %%
DIM = 8
tree_t = tree.to("cpu")                                                  # a TreeTensors
assert isinstance(tree_t, TreeTensors)
gen = torch.Generator().manual_seed(SEED)
for trial in range(3):
    h = torch.randn(DIM, generator=gen, dtype=torch.float64)            # (d,)
    out_w = torch.randn(V - 1, DIM, generator=gen, dtype=torch.float64)  # (V - 1, d): one row per inner node
    probs = torch.stack([word_probability(h, out_w, paths[w], codes[w]) for w in range(V)])   # (V,)
    assert torch.allclose(probs.sum(), torch.tensor(1.0, dtype=torch.float64), rtol=0, atol=1e-12)
    assert torch.allclose(probs, hs.word_probabilities(h, out_w, tree_t), rtol=1e-10, atol=1e-15)
    top = int(probs.argmax())
    print(f"h #{trial + 1}: sum of p(w | h) = {probs.sum().item():.12f}, most likely {words[top]!r} "
          f"(p = {probs[top].item():.3f}), least likely p = {probs.min().item():.1e}")
print("hs.word_probabilities: the same probabilities")

# %% [markdown]
# ## 4. The loss and its gradients
#
# The loss of one example is $-\log p(w \mid h)$. Writing $s_j = u_{n_j} \cdot h$ and the label
# $t_j = 1 - c_j$ (1 for a left turn, 0 for a right turn),
#
# $$ L = -\log \prod_j \sigma\big((2t_j - 1) s_j\big) = \sum_{j=1}^{L_w} -\log \sigma\big((2t_j - 1) s_j\big), $$
#
# a sum of the same logistic terms as negative sampling: a node where the walk turns left plays the
# part of the observed word (label 1), a right turn that of a noise word (label 0). Chapter 1's
# derivative of one such term with respect to its score is $g_j = \sigma(s_j) - t_j$, so
#
# $$ \frac{\partial L}{\partial h} = \sum_j g_j\, u_{n_j}, \qquad
#    \frac{\partial L}{\partial u_{n_j}} = g_j\, h, \qquad g_j = \sigma(u_{n_j} \cdot h) - (1 - c_j). $$
#
# Only the $L_w$ inner nodes on the path receive a gradient. A batch sums the losses of its
# examples; an inner node shared by several paths (the root is on all of them) adds up their
# gradients. Both functions below walk the batch one example and one step at a time:

# %%
def hs_loss(h, out_w, targets, paths, codes):
    """The summed -log p(w | h) of a batch: h (B, d), targets (B,) word ids."""
    loss = torch.zeros((), dtype=h.dtype)
    for b, w in enumerate(targets.tolist()):
        for node, bit in zip(paths[w], codes[w]):
            label = 1.0 - int(bit)                               # 1: left, 0: right
            loss = loss - F.logsigmoid((2 * label - 1) * (out_w[node] @ h[b]))
    return loss


def hs_grads(h, out_w, targets, paths, codes):
    """(summed loss, dL/dh (B, d), dL/dout_w (V - 1, d)) by the formulas above."""
    loss, grad_h, grad_out = 0.0, torch.zeros_like(h), torch.zeros_like(out_w)
    for b, w in enumerate(targets.tolist()):
        for node, bit in zip(paths[w], codes[w]):
            label = 1.0 - int(bit)
            s = out_w[node] @ h[b]
            loss = loss - F.logsigmoid((2 * label - 1) * s)
            g = torch.sigmoid(s) - label                         # g_j
            grad_h[b] += g * out_w[node]
            grad_out[node] += g * h[b]
    return loss, grad_h, grad_out


# %% [markdown]
# In float64, on a batch of random vectors and targets (a few of them repeated), our formulas must
# agree with autograd's derivatives of `hs_loss`, and with the package's `hs_output_grads`, which
# returns dL/dh and, instead of a whole table, one gradient row per step of the walks with the node
# it belongs to:

# %%
B = 12
rng = np.random.default_rng(SEED)
targets = torch.from_numpy(rng.choice(V, size=B))                       # (B,) the words to predict
targets[-1] = targets[0]                                                # a repeated target, as in a real batch
h = torch.randn(B, DIM, generator=gen, dtype=torch.float64)             # (B, d)
out_w = torch.randn(V - 1, DIM, generator=gen, dtype=torch.float64)     # (V - 1, d)
loss, grad_h, grad_out = hs_grads(h, out_w, targets, paths, codes)

h_auto, out_auto = h.clone().requires_grad_(), out_w.clone().requires_grad_()
auto_loss = hs_loss(h_auto, out_auto, targets, paths, codes)
auto_loss.backward()
assert torch.allclose(loss, auto_loss.detach(), rtol=1e-12, atol=0)
for name, mine, auto in [("dL/dh", grad_h, h_auto.grad), ("dL/dout_w", grad_out, out_auto.grad)]:
    print(f"{name:<10} {str(tuple(mine.shape)):<10} largest difference from autograd: "
          f"{(mine - auto).abs().max().item():.1e}")
    assert torch.allclose(mine, auto, rtol=1e-12, atol=1e-12)

pkg_loss, pkg_grad_h, nodes, grad_rows = hs.hs_output_grads(h, out_w, targets, tree_t)   # grad_rows (T, d)
pkg_grad_out = torch.zeros_like(out_w).index_add_(0, nodes, grad_rows)
assert torch.allclose(pkg_loss, loss, rtol=1e-12, atol=0)
assert torch.allclose(pkg_grad_h, grad_h, rtol=1e-12, atol=1e-12)
assert torch.allclose(pkg_grad_out, grad_out, rtol=1e-12, atol=1e-12)
print(f"loss {loss.item():.3f}: hs_output_grads gives the same loss and gradients, from {len(nodes)} steps")

# %% [markdown]
# Paths have different lengths, so the package does not pad them to a rectangle as CBOW pads its
# windows: `flat_path_steps` lays the batch's walks end to end as one list of $T = \sum_b L_{w_b}$
# steps, each with its example's row, its inner node and its bit. Every step's score is then one
# row of one `vecdot`, and the gradients go back with `index_add_`:

# %%
rows, step_nodes, step_codes = hs.flat_path_steps(targets, tree_t)       # (T,) each
print(f"B = {B} examples, path lengths {tree.lengths[targets.numpy()].tolist()}: T = {len(rows)} steps")
assert rows.tolist() == [b for b, w in enumerate(targets.tolist()) for _ in paths[w]]
assert step_nodes.tolist() == [n for w in targets.tolist() for n in paths[w]]
assert "".join(map(str, step_codes.tolist())) == "".join(codes[w] for w in targets.tolist())

# %% [markdown]
# The trainer does not build gradients: `hs_step` (skip-gram) and `cbow_hs_step` (CBOW) fold the
# learning rate into the $g_j$ and add the updates straight into the tables, like Chapter 8's steps.
# Each must be exactly an SGD step on the summed loss as autograd computes it: for skip-gram, $h$ is
# the centre word's input vector and the target its context word; for CBOW, $h$ is the mean of the
# window (Chapter 9's `context_mean`) and the target the centre word. We take the step both ways on
# copies of the same tables.
#
# CBOW has a third step, `cbow_hs_step_fast`, the trainer's "fast" method: word2vec's update, which
# gives every context word the whole $-\eta\, \partial L / \partial h$ instead of its $1/n$ share
# (Chapter 9 measured why it is worth it). It is the autograd step of a loss whose $h$ is the mean
# in value but passes its gradient to each context vector whole: $h = t - (1 - 1/n)\,
# \mathrm{detach}(t)$, with $t$ the sum of the $n$ context vectors.
#
# Skip-gram has a fast step too, `sg_hs_step_windows`. word2vec's C code walks skip-gram's pairs
# from the other end: each context word's input vector predicts the *centre's* path. The pairs are
# the same, but now all the pairs of one window share one path, so the scores of a whole window
# are one small matrix product, (context words x d) times (d x path steps), instead of one gathered
# row per step: on the English corpus that halved the time per epoch. Its autograd twin is
# `hs_loss` with the context words as inputs and the centre as every pair's target.

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
    "hs_step": (lambda a, b: hs_loss(a[centre], b, context, paths, codes),
                lambda a, b: hs.hs_step(a, b, centre, context, tree_t, LR)),
    "cbow_hs_step": (lambda a, b: hs_loss(context_mean(a, windows)[0], b, window_centre, paths, codes),
                     lambda a, b: hs.cbow_hs_step(a, b, window_centre, windows, tree_t, LR)),
    "cbow_hs_step_fast": (lambda a, b: hs_loss(whole_step_mean(a, windows), b, window_centre, paths, codes),
                          lambda a, b: hs.cbow_hs_step_fast(a, b, window_centre, windows, tree_t, LR)),
    "sg_hs_step_windows": (lambda a, b: hs_loss(a[windows[filled]], b, window_centre[filled.nonzero()[:, 0]],
                                                paths, codes),
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
# ## 5. Training with hierarchical softmax
#
# `TrainConfig(hs=True)` (on the command line, `python -m w2v_helpers train --hs`, with
# `--arch cbow` for CBOW) builds the Huffman tree from the vocabulary's counts, moves it to the
# device, and trains with `sg_hs_step_windows` and `cbow_hs_step_fast` ("fast", the default) or
# `hs_step` and `cbow_hs_step` ("manual"), in the same loop as before: the same subsampling, windows, shuffling
# and learning-rate decay, no noise words. Its batches are smaller than negative sampling's: 256
# examples instead of 1,024 for skip-gram, 128 instead of 512 for CBOW. An example walks about ten
# tree nodes instead of touching six rows, and smaller blocks of rows stay in the processor's cache;
# and every example passes through the root, whose vector takes the sum of all their updates in one
# step: with 256 CBOW examples per step, training diverged on 17.5M tokens with two workers. The output table keeps
# its $V$ rows and starts at zero; the tree uses the first $V - 1$ (at zero, every turn has
# probability 1/2, so the first loss of an example is $L_w \ln 2$). With the fast step an
# example of skip-gram is a whole window, so its loss sums the window's pairs. Autograd is refused:

# %%
try:
    replace(CONFIG, method="autograd").validate()
except W2VError as refusal:
    print("refused:", refusal)
# Each mode gets a config of its own, so that its learning rate and batch size are the mode's defaults
# (`replace` would copy CONFIG's: a config fills them in when it is made).
MODES = {f"{'skip-gram' if arch == 'sg' else 'CBOW'} + {'HS' if hs else 'NS'}":
         TrainConfig(dim=CONFIG.dim, epochs=CONFIG.epochs, seed=SEED, arch=arch, hs=hs)
         for arch in ("sg", "cbow") for hs in (True, False)}
assert MODES["skip-gram + HS"] == CONFIG

# %%
# NBVAL_IGNORE_OUTPUT
runs = {name: train(corpus.ids, corpus.vocab, MODES[name], progress=False)
        for name in tqdm(["skip-gram + HS", "CBOW + HS"], desc="training with hierarchical softmax")}

# %%
vectors = {name: WordVectors(words, run.model.word_vectors()) for name, run in runs.items()}
for name, run in runs.items():
    epochs = np.reshape(run.chunk_losses, (CONFIG.epochs, -1))          # (epochs, chunks per epoch)
    print(f"{name:>14}: {run.pairs:,} examples; mean loss (nats) per epoch: "
          + ", ".join(f"{x:.3f}" for x in epochs.mean(1)))
    assert epochs[-1].mean() < epochs[0].mean()

# %% [markdown]
# Each point of a loss curve is the mean over one chunk, and different chunks of a real text are
# not equally hard to predict, so the test is epoch against epoch: every epoch sees the same text.
#
# Unlike negative sampling's, this loss is a true cross-entropy: the mean of $-\ln p(w \mid h)$
# over the predicted words. A model that ignored $h$ could at best predict the words' own
# distribution, and its loss would be that distribution's entropy. We compute it (in nats) for the
# words the first chunk makes skip-gram predict, and compare it with the loss on that same chunk
# in the last epoch:

# %%
keep = keep_prob_word2vec(corpus.vocab.frequencies(), CONFIG.sample)
_, chunk_targets, _ = make_chunk_batches(corpus.ids[:CONFIG.chunk_tokens], keep, NegativeSampler(counts), CONFIG,
                                         chunk_rng(SEED, 0, 0))        # (P,) the words skip-gram predicts
q = np.bincount(chunk_targets, minlength=V) / len(chunk_targets)
q = q[q > 0]
target_entropy = float(-(q * np.log(q)).sum())                          # nats
chunks = len(runs["skip-gram + HS"].chunk_losses) // CONFIG.epochs
print(f"entropy of the words predicted in the first chunk: {target_entropy:.3f} nats")
for name, run in runs.items():
    last = run.chunk_losses[(CONFIG.epochs - 1) * chunks]                # the first chunk, last epoch
    print(f"{name:>14}: loss on the first chunk in the last epoch {last:.3f} nats "
          f"({'below' if last < target_entropy else 'above'} the entropy by {abs(target_entropy - last):.3f})")
    if TOY:
        assert last < target_entropy

# %% tags=["real-text"]
fig, ax = plt.subplots(figsize=(8.5, 3.5), layout="constrained")
for name, run in runs.items():
    ax.plot(run.chunk_losses, label=name)
for epoch in range(1, CONFIG.epochs):
    ax.axvline(epoch * chunks - 0.5, ls=":", color="gray", lw=1)
ax.axhline(target_entropy, ls="--", color="gray", lw=1, label="entropy of the words\npredicted in chunk 1")
ax.set_xlabel("chunk of training (dotted lines: epoch ends)")
ax.set_ylabel("mean -ln p(w | h), nats")
ax.set_title(f"Hierarchical softmax on {corpus.name}, {CONFIG.epochs} epochs")
ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)
plt.show()

# %% [markdown]
# After three epochs on the English corpus, skip-gram's loss on the first chunk is still 0.232
# nats above that entropy and CBOW's 0.159 below it, while the vectors are already good (next
# cell). (On the toy corpus both models end well below the entropy: they predict the planted topic
# words from the input word.) Part of the reason may be that word2vec's model has no
# bias term: even how common each word is overall has to be carried by the vectors, which the
# trainer moves in small steps under a learning rate that falls to zero.
#
# What did the vectors learn? On real text, the nearest neighbours of a few frequent words, and
# WordSim-353 (Chapter 7); on the toy corpus, the planted analogies (Chapter 5):

# %% tags=["real-text"]
QUERIES = ["king", "paris", "cats"] if TOY else ["king", "france", "computer"]
QUERIES = [w for w in QUERIES if w in vectors["skip-gram + HS"]] or words[100:103]
for name, wv in vectors.items():
    for w in QUERIES:
        print(f"{name:>14} | {w:>8}: " + ", ".join(n for n, _ in wv.most_similar(w, k=6)))
if TOY:
    planted = {name: planted_analogy_accuracy(wv, corpus.analogies) for name, wv in vectors.items()}
    print("planted analogies: " + ", ".join(f"{name} {acc:.3f}" for name, acc in planted.items()))
    assert all(acc >= 0.9 for acc in planted.values())
else:
    rho = {name: similarity_spearman(wv, dataset_path("wordsim353.tsv")).spearman for name, wv in vectors.items()}
    print("WordSim-353 Spearman rho: " + ", ".join(f"{name} {r:.3f}" for name, r in rho.items()))
    if "france" in QUERIES:                  # a country's neighbours include another country
        countries = {"spain", "italy", "germany", "austria", "prussia", "portugal", "england", "britain"}
        assert all(countries & {n for n, _ in wv.most_similar("france", k=6)} for wv in vectors.values())

# %% [markdown]
# **What an example costs.** A negative-sampling example reads and writes $K + 1 = 6$ output rows
# (the target and five noise words); a hierarchical-softmax example reads and writes one row per
# inner node on its target's path. Subsampling (Chapter 2) drops many tokens of the most frequent
# words, which have the shortest codes, so the mean path of the trained examples is longer than the
# $E[L]$ of the raw counts:

# %%
path_lengths = tree.lengths[chunk_targets]                               # (P,) one per skip-gram pair
print(f"mean path of the trained pairs: {path_lengths.mean():.2f} inner nodes "
      f"(E[L] of the raw counts: {expected_length:.2f}; negative sampling: K + 1 = {CONFIG.negative + 1} rows)")
assert path_lengths.mean() > expected_length

# %% [markdown]
# With 10.89 rows per example against six, hierarchical softmax does more work per
# example than negative sampling on a vocabulary of this size, and on top of that our negative
# sampling shares its noise words across the batch (Chapter 8). Its cost grows with $\log V$, not
# with $V$, and it needs no noise distribution; word2vec's authors found it better for rare words,
# and negative sampling better for frequent words and low-dimensional vectors.
#
# ## 6. word2vec's four modes
#
# Skip-gram or CBOW, negative sampling or hierarchical softmax: word2vec's `-cbow` and `-hs`
# switches, gensim's `sg` and `hs`, and our `arch` and `hs`. We train the two negative-sampling
# modes with the same settings and put all four side by side:

# %%
# NBVAL_IGNORE_OUTPUT
for name in tqdm(["skip-gram + NS", "CBOW + NS"], desc="training with negative sampling"):
    runs[name] = train(corpus.ids, corpus.vocab, MODES[name], progress=False)

# %%
runs = {name: runs[name] for name in ["skip-gram + NS", "skip-gram + HS", "CBOW + NS", "CBOW + HS"]}
vectors = {name: WordVectors(words, run.model.word_vectors()) for name, run in runs.items()}


quality = {name: headline_scores(wv, corpus.analogies if TOY else None) for name, wv in vectors.items()}

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
# by the batch. In the stored outputs (the English corpus, 3 epochs, one worker) the tree took two
# to three times as long as negative sampling, for skip-gram and for CBOW. In quality it
# did better for skip-gram (WordSim-353 0.439 against 0.385, analogies 3.7% against 3.3%) and no
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
# * Hierarchical softmax puts the words at the leaves of a binary tree with an output vector per
#   inner node; $p(w \mid h)$ is the product of the sigmoids of the turns on $w$'s path, and since
#   $\sigma(x) + \sigma(-x) = 1$ the probabilities of all words sum to 1.
# * word2vec's tree is Huffman's: a heap merges the two rarest subtrees until one is left; frequent
#   words get short codes and the mean code length lies within one bit above the entropy.
# * The loss $-\log p(w \mid h)$ is a sum of logistic terms with labels $1 - c_j$; its gradients
#   are negative sampling's, with the path's inner nodes in place of the target and noise words.
#   The package's `hs_step` and `cbow_hs_step` are exact SGD steps; `cbow_hs_step_fast` is
#   word2vec's CBOW update, the exact step of a loss that passes $\partial L/\partial h$ whole.
# * An example costs its path's length, about $\log_2 V$ rows against negative sampling's $K + 1$.

# %% [markdown]
# ## Exercises
#
# Each exercise asks for one function: complete its body (in the student version of this notebook,
# in place of the `raise NotImplementedError` line) and run the check cell under it. The check tries
# your function on inputs of its own and prints `exercise NN.k: PASS`, or `FAIL` with a hint about
# what is wrong; it never prints the answer.
#
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
