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
# Skip-gram and CBOW both end in a softmax over the whole vocabulary, which Chapter 1 replaced by
# negative sampling because it costs $V$ dot products per example. word2vec's other way out is
# *hierarchical softmax*: the words become the leaves of a binary tree, and the probability of a
# word is that of the walk from the root to its leaf, about $\log_2 V$ binary decisions. You will:
#
# 1. see why a tree turns $V$ dot products into about $\log_2 V$ and still gives probabilities;
# 2. build word2vec's tree with Huffman's algorithm, so that frequent words get short paths;
# 3. write the probability of a word as a product of sigmoids along its path;
# 4. derive the loss and its gradients by hand and check them against autograd;
# 5. train skip-gram with hierarchical softmax, and measure what an example costs.
#
# The trainer's fast steps for the tree and word2vec's four modes side by side are in
# [bonus 10b](bonus/10b_fast_hs_and_four_modes.ipynb). **What you need from earlier chapters.** The softmax and SGNS losses and their gradients
# (Chapter 1), word counts and subsampling (Chapter 2), the trainer (Chapter 5), the similarity
# scores (Chapter 7) and CBOW's mean of the window (Chapter 9).
#
# **Run time.** About two and a half minutes on the English corpus (the stored outputs), on 2 CPU
# cores and in well under 1 GB of memory, most of it the training of section 5.

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

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F

from w2v_helpers.corpus import corpus_from_env
from w2v_helpers.diagrams import huffman_tree_figure
from w2v_helpers.evaluation import dataset_path, planted_analogy_accuracy, similarity_spearman
from w2v_helpers.hs import build_huffman_tree
from w2v_helpers.negative_sampling import NegativeSampler
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
# Three epochs: a few minutes on the English corpus, seconds on the toy corpus.
CONFIG = TrainConfig(dim=50 if TOY else 100, epochs=3, seed=SEED, hs=True)
print(f"corpus {corpus.name!r}: {len(corpus.ids):,} tokens, {V:,} words; "
      f"dim={CONFIG.dim}, epochs={CONFIG.epochs}, window={CONFIG.window}")

# %% [markdown]
# The stored outputs come from the English corpus that ships with the package (Jane Austen's novels
# and the opening paragraphs of Wikipedia articles). `W2V_CORPUS=text8` gives 12 times the tokens
# and a deeper tree; `W2V_CORPUS=toy` the synthetic corpus of Chapter 5 and its planted analogies.
#
# ## 1. Why a tree
#
# The skip-gram model of Chapter 1 predicts a context word $o$ from an input vector $h$ (the centre
# word's $v_c$; in CBOW, the mean of the window) with a softmax,
#
# $$ p(o \mid h) = \frac{\exp(u_o \cdot h)}{\sum_{w=1}^{V} \exp(u_w \cdot h)}, $$
#
# whose denominator needs all $V$ output vectors: $V$ dot products per example. Negative sampling
# keeps $K + 1$ of them, at the price of no longer computing a probability.
#
# Hierarchical softmax arranges the $V$ words as the **leaves** of a binary tree, whose $V - 1$
# **inner nodes** $n$ each have an output vector $u_n$. From the root, a walk goes left at node $n$ with probability
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
# Any binary tree with the words at its leaves gives a distribution. word2vec chooses the one that
# makes training cheapest: every example walks the path of the word it predicts, so frequent words
# should have short paths. Huffman (1952) found the tree that minimises the mean code length
# $\sum_w n_w L_w / \sum_w n_w$ for counts $n_w$: merge the two subtrees with the smallest counts into
# a node whose count is their sum, again and again, until one tree is left. A heap (`heapq`) hands
# out the smallest (count, node id) pair in $O(\log V)$, and the id breaks ties the same way on every
# machine. Leaves are the word ids $0..V-1$, the $k$-th merged node gets id $V + k$ (the root is
# $2V - 2$), its vector is row (id $- V$) of the output table, and of each merged pair the rarer gets
# bit 0 (left), as in word2vec. Each word's path and code are read by climbing from its leaf:

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
# The tree of five words of the corpus, with their counts at the leaves and a bit on each edge; the
# rarest word's code is the bits on its highlighted path, read from the root down:

# %%
few = [w for w in (0, 9, 99, 999, 9999) if w < V]                        # ranks 1, 10, 100, 1,000, 10,000
fig = huffman_tree_figure([words[w] for w in few], [int(counts[w]) for w in few], words[few[-1]])
assert fig.huffman_code == huffman_tree(counts[few])[1][-1]            # our code for the rarest word
plt.show()

# %% [markdown]
# The package's `build_huffman_tree` makes the same tree with numpy arrays (`tree.path(w)` and
# `tree.code(w)` read one word's); on the whole vocabulary it gives exactly our paths and codes:

# %%
paths, codes = huffman_tree(counts)
tree = build_huffman_tree(counts)                                        # a HuffmanTree
assert all(tree.path(w) == paths[w] and tree.code(w) == codes[w] for w in range(V))
lengths = np.array([len(c) for c in codes])                              # (V,) L_w
print(f"{V:,} words: the same paths and codes as build_huffman_tree; root = row {paths[0][0]} = V - 2")

# %% [markdown]
# A code of $L_w$ bits is as if the tree guessed $p(w) \approx 2^{-L_w}$. Shannon's source coding
# theorem says no prefix code (no code is the start of another, which a tree guarantees) can have a
# mean length below the **entropy** $H = -\sum_w p(w) \log_2 p(w)$ of the distribution, and
# Huffman's code comes within one bit of it: $H \le E[L] < H + 1$:

# %%
p = counts / counts.sum()                                                # (V,) unigram distribution
expected_length = float((p * lengths).sum())                             # E[L], bits
entropy = float(-(p * np.log2(p)).sum())                                 # H, bits
print(f"E[L] = {expected_length:.3f} bits, entropy H = {entropy:.3f} bits, log2 V = {math.log2(V):.3f}")
print(f"shortest code {lengths.min()} bits ({words[int(lengths.argmin())]!r}), longest {lengths.max()}")
assert entropy <= expected_length < entropy + 1
assert expected_length < math.log2(V)
assert np.isclose(sum(2.0 ** -lengths), 1.0)     # a full binary tree: the leaves' 2^-L add up to 1

# %% [markdown]
# Frequent words get codes of a few bits ("the" 4) and the rarest words 18, four more than
# $\log_2 V$ = 13.976, the depth of a balanced tree. Weighted by how often each word is predicted,
# the mean path, 9.971 bits, is four bits shorter, and within a few hundredths of a bit of the
# entropy, 9.943: Zipf's law makes the entropy of a vocabulary much smaller than $\log_2 V$.
#
# ## 3. The probability of a word
#
# With the paths and codes, $p(w \mid h)$ is a product of $L_w$ sigmoids. We write it for one word
# as a loop; `out_w` holds the $V - 1$ inner nodes' vectors, one row each. Whatever the vectors,
# the $V$ probabilities must add up to 1: we try three random input vectors, each with a fresh
# random table of inner-node vectors.

# %%
def word_probability(h, out_w, path, code):
    """p(w | h): along w's path, sigma(u.h) for each 0 (left) and sigma(-u.h) for each 1 (right)."""
    prob = torch.ones((), dtype=h.dtype)
    for node, bit in zip(path, code):
        prob = prob * torch.sigmoid((1.0 if bit == "0" else -1.0) * (out_w[node] @ h))
    return prob


DIM = 8
gen = torch.Generator().manual_seed(SEED)
for trial in range(3):
    h = torch.randn(DIM, generator=gen, dtype=torch.float64)            # (d,)
    out_w = torch.randn(V - 1, DIM, generator=gen, dtype=torch.float64)  # (V - 1, d): one row per inner node
    probs = torch.stack([word_probability(h, out_w, paths[w], codes[w]) for w in range(V)])   # (V,)
    assert torch.allclose(probs.sum(), torch.tensor(1.0, dtype=torch.float64), rtol=0, atol=1e-12)
    top = int(probs.argmax())
    print(f"h #{trial + 1}: sum of p(w | h) = {probs.sum().item():.12f}, most likely {words[top]!r} "
          f"(p = {probs[top].item():.3f}), least likely p = {probs.min().item():.1e}")

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
# Only the inner nodes on the path receive a gradient; a node on several paths of a batch (the root
# is on all of them) adds up their gradients. Both functions walk the batch one step at a time,
# and on a batch of random vectors and targets (one repeated), in float64, they must agree:

# %%
def hs_loss(h, out_w, targets, paths, codes):
    """The summed -log p(w | h) of a batch: h (B, d), targets (B,) word ids."""
    loss = torch.zeros((), dtype=h.dtype)
    for b, w in enumerate(targets.tolist()):
        for node, bit in zip(paths[w], codes[w]):                # bit 0: left, label 1; bit 1: right, label 0
            loss = loss - F.logsigmoid((1 - 2 * int(bit)) * (out_w[node] @ h[b]))
    return loss


def hs_grads(h, out_w, targets, paths, codes):
    """(dL/dh (B, d), dL/dout_w (V - 1, d)) of the summed loss, by the formulas above."""
    grad_h, grad_out = torch.zeros_like(h), torch.zeros_like(out_w)
    for b, w in enumerate(targets.tolist()):
        for node, bit in zip(paths[w], codes[w]):
            g = torch.sigmoid(out_w[node] @ h[b]) - (1.0 - int(bit))   # g_j
            grad_h[b] += g * out_w[node]
            grad_out[node] += g * h[b]
    return grad_h, grad_out


B = 12
rng = np.random.default_rng(SEED)
targets = torch.from_numpy(rng.choice(V, size=B))                       # (B,) the words to predict
targets[-1] = targets[0]                                                # a repeated target, as in a real batch
h = torch.randn(B, DIM, generator=gen, dtype=torch.float64)             # (B, d)
out_w = torch.randn(V - 1, DIM, generator=gen, dtype=torch.float64)     # (V - 1, d)
grad_h, grad_out = hs_grads(h, out_w, targets, paths, codes)
h_auto, out_auto = h.clone().requires_grad_(), out_w.clone().requires_grad_()
hs_loss(h_auto, out_auto, targets, paths, codes).backward()
for name, mine, auto in [("dL/dh", grad_h, h_auto.grad), ("dL/dout_w", grad_out, out_auto.grad)]:
    print(f"{name:<10} {str(tuple(mine.shape)):<10} largest difference from autograd: "
          f"{(mine - auto).abs().max().item():.1e}")
    assert torch.allclose(mine, auto, rtol=1e-12, atol=1e-12)

# %% [markdown]
# The trainer applies these formulas straight to the tables; its fast steps, which follow
# word2vec's C code, are checked against autograd in [bonus 10b](bonus/10b_fast_hs_and_four_modes.ipynb).
#
# ## 5. Training with hierarchical softmax
#
# `TrainConfig(hs=True)` (`--hs`) builds the Huffman tree from the counts and trains in the same
# loop as before, with no noise words and batches of 256 examples. The output table starts at zero,
# where every turn has probability 1/2 and an example's first loss is $L_w \ln 2$. We train
# skip-gram with it, one worker, so that the run is reproducible:

# %%
run = train(corpus.ids, corpus.vocab, CONFIG, progress=False)
wv = WordVectors(words, run.model.word_vectors())
epochs = np.reshape(run.chunk_losses, (CONFIG.epochs, -1))              # (epochs, chunks per epoch)
print(f"skip-gram + HS: {run.pairs:,} examples; mean loss (nats) per epoch: "
      + ", ".join(f"{x:.3f}" for x in epochs.mean(1)))
assert epochs[-1].mean() < epochs[0].mean()

# %% [markdown]
# (Epoch against epoch, since chunks of a text differ in difficulty.) This loss is a true
# cross-entropy, the mean of $-\ln p(w \mid h)$: a model that ignored $h$ could at best reach the
# entropy of the predicted words, which we compute for the first chunk. An example costs one output
# row per inner node on its path, against $K + 1 = 6$ for negative sampling; subsampling (Chapter 2)
# drops many tokens of the most frequent words, whose codes are shortest, so trained paths exceed $E[L]$:

# %%
keep = keep_prob_word2vec(corpus.vocab.frequencies(), CONFIG.sample)
_, chunk_targets, _ = make_chunk_batches(corpus.ids[:CONFIG.chunk_tokens], keep, NegativeSampler(counts), CONFIG,
                                         chunk_rng(SEED, 0, 0))        # (P,) the words skip-gram predicts
q = np.bincount(chunk_targets) / len(chunk_targets)
q = q[q > 0]
target_entropy = float(-(q * np.log(q)).sum())                          # nats
last = run.chunk_losses[(CONFIG.epochs - 1) * len(run.chunk_losses) // CONFIG.epochs]   # chunk 1, last epoch
print(f"entropy of the words predicted in the first chunk: {target_entropy:.3f} nats; loss on that chunk in the "
      f"last epoch {last:.3f} ({'below' if last < target_entropy else 'above'} by {abs(target_entropy - last):.3f})")
path_lengths = tree.lengths[chunk_targets]                               # (P,) one per skip-gram pair
print(f"mean path of the trained pairs: {path_lengths.mean():.2f} inner nodes "
      f"(E[L] of the raw counts: {expected_length:.2f}; negative sampling: K + 1 = {CONFIG.negative + 1} rows)")
assert path_lengths.mean() > expected_length
if TOY:
    assert last < target_entropy

# %% [markdown]
# After three epochs on the English corpus, skip-gram's loss on that chunk is still 0.232 nats
# above the entropy (word2vec's model has no bias term: even how common each word is has to be
# carried by the vectors); on the toy corpus it ends well below. With 10.89 rows per example
# against six, the tree does more work per example than negative sampling here, but its cost grows
# with $\log V$, not $V$; word2vec's authors found it better for rare words. What did the vectors
# learn? Nearest neighbours and WordSim-353 (Chapter 7); on the toy corpus, the planted analogies:

# %% tags=["real-text"]
QUERIES = ["king", "paris", "cats"] if TOY else ["king", "france", "computer"]
QUERIES = [w for w in QUERIES if w in wv] or words[100:103]
for w in QUERIES:
    print(f"{w:>8}: " + ", ".join(n for n, _ in wv.most_similar(w, k=6)))
if TOY:
    planted = planted_analogy_accuracy(wv, corpus.analogies)
    print(f"planted analogies: {planted:.3f}")
    assert planted >= 0.9
else:
    rho = similarity_spearman(wv, dataset_path("wordsim353.tsv")).spearman
    print(f"WordSim-353 Spearman rho: {rho:.3f}")
    if "france" in QUERIES:                  # a country's neighbours include another country
        countries = {"spain", "italy", "germany", "austria", "prussia", "portugal", "england", "britain"}
        assert countries & {n for n, _ in wv.most_similar("france", k=6)}

# %% [markdown]
# ## Summary
#
# * Hierarchical softmax puts the words at the leaves of a binary tree with an output vector per
#   inner node; $p(w \mid h)$ is the product of the sigmoids of the turns on $w$'s path, and since
#   $\sigma(x) + \sigma(-x) = 1$ the probabilities of all words sum to 1.
# * word2vec's tree is Huffman's: a heap merges the two rarest subtrees until one is left; frequent
#   words get short codes and the mean code length lies within one bit above the entropy.
# * The loss $-\log p(w \mid h)$ is a sum of logistic terms with labels $1 - c_j$; its gradients
#   are negative sampling's, with the path's inner nodes in place of the target and noise words.
# * `TrainConfig(hs=True)` trains with the tree; an example costs its path's length, about
#   $\log_2 V$ rows against negative sampling's $K + 1$.
# * [Bonus 10b](bonus/10b_fast_hs_and_four_modes.ipynb): the trainer's fast steps for the tree, and
#   word2vec's four modes side by side.

# %% [markdown]
# ## Exercises
#
# Each exercise asks for one function: replace the `raise NotImplementedError` line of its stub with
# your code and run the check cell under it. The check tries your function on inputs of its own and
# prints `exercise NN.k: PASS`, or `FAIL` with a hint about what is wrong; it never prints the answer.
# Worked solutions, each passing its check, are in
# [solutions/10_solutions.ipynb](solutions/10_solutions.ipynb); open them after trying.
#
# **Exercise 1.** Write `huffman_code_lengths(counts)`: for an array of $V \ge 2$ word counts (in
# any order), return the length of each word's code in a Huffman tree, an integer array of shape
# $(V,)$. You need no paths: each time two subtrees are merged, every word below them moves one level
# further from the root.

# %% exercise="10.1" tags=["exercise"]
def huffman_code_lengths(counts):
    """(V,) word counts -> (V,) integer code lengths of a Huffman tree over them."""
    # YOUR CODE HERE
    raise NotImplementedError("return each word's code length in a Huffman tree, shape (V,)")


# %%
from w2v_helpers.course.exercises import check_10_1

check_10_1(huffman_code_lengths)

# %% [markdown]
# **Exercise 2.** Write `path_log_probability(h, out_w, path, code)`: $\log p(w \mid h)$ for one
# word, given its path (inner-node rows, root first) and its code (a string of 0s and 1s), for
# float32 vectors. It must stay finite and accurate when the word is very unlikely, where the
# product of section 3 underflows to 0 in float32.

# %% exercise="10.2" tags=["exercise"]
def path_log_probability(h, out_w, path, code):
    """log p(w | h) along `path` with bits `code`; h (d,), out_w (V - 1, d); a 0-dim tensor."""
    # YOUR CODE HERE
    raise NotImplementedError("return log p(w | h), the sum of log-sigmoids along the path")


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

# %% exercise="10.3" tags=["exercise"]
def expected_length_and_entropy(counts, lengths):
    """(V,) counts and (V,) code lengths -> (E[L], H), both in bits."""
    # YOUR CODE HERE
    raise NotImplementedError("return (E[L], H): the count-weighted mean length and the entropy, both in bits")


# %%
from w2v_helpers.course.exercises import check_10_3

check_10_3(expected_length_and_entropy)
