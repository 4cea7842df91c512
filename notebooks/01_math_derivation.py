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
# # Chapter 1: from the softmax to negative sampling, with the gradients by hand
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/word2vec-from-scratch/word2vec-from-scratch/blob/main/notebooks/01_math_derivation.ipynb) [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/word2vec-from-scratch/word2vec-from-scratch/main?labpath=notebooks%2F01_math_derivation.ipynb)
#
# **On real text:** [what this chapter shows on real English](../docs/real-text.md). Running time
# on 2 CPU cores: about 7 s on the course's English corpus. The chapter reads the corpus only to
# take one real pair of words and its noise words for a figure; everything else works on small
# random vectors.
#
# Skip-gram learns two vectors for every word: one used when the word is the centre of a window
# and one used when it shows up in somebody else's window. Training asks each centre vector to
# predict the words around it. This chapter works through the mathematics behind that. By the end you will:
#
# 1. know the original skip-gram objective, a softmax over the whole vocabulary, and see why it
#    costs one dot product per vocabulary word for every single training pair;
# 2. know the *skip-gram with negative sampling* (SGNS) loss that replaces it;
# 3. have derived the gradients of that loss with respect to the centre vector, the true context
#    vector and every noise ("negative") vector, and checked your formulas against PyTorch's autograd;
# 4. know why the loss is computed with `F.logsigmoid` and not as `log(sigmoid(x))`.
#
# **What you need.** The chain rule, dot products, and a little PyTorch (tensors, `backward()`).
# Nothing from Chapter 0 is assumed: it motivates dense vectors, and this chapter starts the model
# from scratch. It loads the corpus only for one figure, with `corpus_from_env()` as Chapter 0 does
# (Chapter 2 looks at the corpus itself). Later chapters import the fast versions of what we write
# by hand here from the course package `w2v_helpers`.

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
from torch.testing import assert_close

from w2v_helpers.corpus import corpus_from_env
from w2v_helpers.diagrams import negative_sampling_figure
from w2v_helpers.naive import sgns_grads

SEED = 0  # the one seed behind every random number in this notebook
torch.manual_seed(SEED)
gen = torch.Generator().manual_seed(SEED)

# %% [markdown]
# ## 1. The softmax objective and its price
#
# Notation used throughout the course:
#
# * $V$ is the vocabulary size and $d$ the vector dimension;
# * $v_w \in \mathbb{R}^d$ is the **input** (centre) vector of word $w$; $u_w \in \mathbb{R}^d$ is its
#   **output** (context) vector;
# * a training example is a pair $(c, o)$: a centre word $c$ and a word $o$ seen within its window.
#
# The original skip-gram model turns the $V$ scores $u_w^\top v_c$ into a probability distribution
# with a softmax and asks it to put mass on the observed context word:
#
# $$
# p(o \mid c) = \frac{\exp(u_o^\top v_c)}{\sum_{w=1}^{V} \exp(u_w^\top v_c)},
# \qquad
# L_{\text{softmax}} = -\log p(o \mid c) = -u_o^\top v_c + \log \sum_{w=1}^{V} \exp(u_w^\top v_c).
# $$
#
# The normalising sum is the trouble. Differentiating it gives
#
# $$
# \frac{\partial L_{\text{softmax}}}{\partial u_w} = \big(p(w \mid c) - [w = o]\big)\, v_c
# \quad \text{for every } w = 1, \dots, V,
# $$
#
# and since a softmax never outputs an exact zero, **every one of the $V$ output vectors receives a
# non-zero gradient from every single pair**. One pair costs $V$ dot products forward and $V$ vector
# updates backward. With tens of thousands of words and hundreds of millions of pairs, that is far
# too slow.
#
# The next cell makes this concrete on a small random model: it backpropagates the softmax loss of
# one pair and counts how many rows of the output table got a gradient.

# %%
V, d, K = 1000, 8, 5
in_table = torch.randn(V, d, generator=gen)
out_table = torch.randn(V, d, generator=gen).requires_grad_()
centre, context = 3, 17

scores = out_table @ in_table[centre]                       # (V,): one dot product per word
softmax_loss = F.cross_entropy(scores.unsqueeze(0), torch.tensor([context]))
softmax_loss.backward()
rows_touched_softmax = int((out_table.grad.abs().sum(1) > 0).sum())
print(f"softmax loss of one pair: {softmax_loss.item():.4f}")
print(f"output rows with a non-zero gradient: {rows_touched_softmax} of {V}")
assert rows_touched_softmax == V

# %% [markdown]
# ## 2. Negative sampling: a yes/no question instead of a V-way choice
#
# Negative sampling (Mikolov et al., 2013) changes the question. Instead of "which of the $V$ words
# is the context of $c$?" the model answers "is this $(c, w)$ a real pair, or noise?" with a
# logistic regression on the score $u_w^\top v_c$, where $\sigma(x) = 1 / (1 + e^{-x})$:
#
# * the real pair $(c, o)$ should get $\sigma(u_o^\top v_c) \approx 1$;
# * $K$ **noise words** $n_1, \dots, n_K$, drawn at random from a noise distribution (Chapter 3 is
#   about which one), should get $\sigma(u_{n_k}^\top v_c) \approx 0$, equivalently
#   $\sigma(-u_{n_k}^\top v_c) \approx 1$ because $1 - \sigma(x) = \sigma(-x)$.
#
# The loss of one pair is the negative log-likelihood of those $K + 1$ answers:
#
# $$
# L = -\log \sigma(u_o^\top v_c) - \sum_{k=1}^{K} \log \sigma(-u_{n_k}^\top v_c).
# $$
#
# Here are the questions for one real pair. The next cell loads the course's English corpus, takes
# as the true pair the most frequent pair of neighbouring words among the words of four letters or
# more outside the 100 most frequent, and draws $K = 5$ noise words at random, each word with a
# probability proportional to its count (Chapter 3 settles which distribution word2vec really uses).

# %%
corpus = corpus_from_env(seed=SEED)
words, counts, text = corpus.vocab.words, corpus.vocab.counts, corpus.ids.astype(np.int64)
content = (np.arange(len(words)) >= 100) & np.array([len(w) >= 4 for w in words])
left, right = text[:-1], text[1:]
side_by_side = content[left] & content[right]
pair_keys, pair_counts = np.unique(left[side_by_side] * len(words) + right[side_by_side], return_counts=True)
c_id, o_id = divmod(int(pair_keys[pair_counts.argmax()]), len(words))
noise_ids = np.random.default_rng(SEED).choice(len(words), size=K, p=counts / counts.sum())
print(f"true pair: ({words[c_id]}, {words[o_id]}), side by side {pair_counts.max():,} times in the corpus")
print(f"{K} noise words:", ", ".join(words[i] for i in noise_ids))

# %%
negative_sampling_figure(words[c_id], words[o_id], [words[i] for i in noise_ids])
plt.show()

# %% [markdown]
# Read the figure row by row: each row is one yes/no question about a pair of words, answered by
# the sigmoid of the dot product of their two vectors. On the English corpus only the first pair,
# (*united*, *states*), comes from the text; the other five pair *united* with noise words. Frequent words are drawn
# often: *the* came up twice, so the loss has two terms for it (Section 3 shows that their gradients
# add up). And a noise word can be a plausible context by chance, as *kingdom* is here: noise words
# are drawn without looking at the text, so the label 0 means "drawn at random", not "never seen
# next to the centre word".
#
# Only $K + 1$ output vectors appear in it ($K$ is small: the course's trainer, like word2vec, uses
# $K = 5$ by default), so only they and the one centre vector receive a gradient. Same experiment as
# above, now with the SGNS loss:

# %%
out_table.grad = None
negatives = torch.randperm(V, generator=gen)[:K]             # K distinct noise words (none is 17)
assert context not in negatives.tolist()
v_c = in_table[centre]
sgns_loss = -F.logsigmoid(out_table[context] @ v_c) - F.logsigmoid(-(out_table[negatives] @ v_c)).sum()
sgns_loss.backward()
rows_touched_sgns = int((out_table.grad.abs().sum(1) > 0).sum())
print(f"SGNS loss of the same pair with K={K} noise words: {sgns_loss.item():.4f}")
print(f"output rows with a non-zero gradient: {rows_touched_sgns} of {V}")
assert rows_touched_sgns == K + 1

# %% [markdown]
# The saving grows with the vocabulary: the softmax needs $V$ dot products per pair and SGNS needs
# $K + 1$. For a vocabulary of 100,000 words and $K = 5$:

# %%
V_big = 100_000
ratio = V_big / (K + 1)
print(f"dot products per pair: softmax {V_big:,}, SGNS {K + 1}, ratio {ratio:,.0f}")
assert round(ratio) == 16_667

# %% [markdown]
# SGNS is not the same objective as the softmax: it does not produce normalised probabilities, and
# the vectors it learns depend on the noise distribution. What it keeps is the part that matters for
# word vectors: words that share contexts are pushed towards similar vectors.
#
# ## 3. Deriving the gradients
#
# Write $s_o = u_o^\top v_c$ for the true pair's score and $s_k = u_{n_k}^\top v_c$ for the $k$-th
# noise word's score. Three one-line facts about the sigmoid do all the work:
#
# $$
# \sigma'(x) = \sigma(x)\,(1 - \sigma(x)), \qquad
# \frac{d}{dx} \log \sigma(x) = \frac{\sigma(x)(1 - \sigma(x))}{\sigma(x)} = 1 - \sigma(x), \qquad
# \frac{d}{dx} \log \sigma(-x) = -\big(1 - \sigma(-x)\big) = -\sigma(x).
# $$
#
# **Derivative with respect to the scores.** The loss is a sum of one term per score, so
#
# $$
# \frac{\partial L}{\partial s_o} = -\big(1 - \sigma(s_o)\big) = \sigma(s_o) - 1,
# \qquad
# \frac{\partial L}{\partial s_k} = \sigma(s_k).
# $$
#
# Both have the shape *prediction minus label*: give the true context the label $y_o = 1$ and each
# noise word the label $y_k = 0$, and every output word $j$ of the pair has the error
# $g_j = \sigma(s_j) - y_j$.
#
# **Chain rule through the dot products.** A score $s = u^\top v$ has $\partial s / \partial v = u$
# and $\partial s / \partial u = v$. The centre vector $v_c$ appears in all $K + 1$ scores, so its
# gradient sums $K + 1$ contributions; each output vector appears in one score:
#
# $$
# \boxed{\;
# \frac{\partial L}{\partial v_c} = \big(\sigma(s_o) - 1\big)\, u_o + \sum_{k=1}^{K} \sigma(s_k)\, u_{n_k},
# \qquad
# \frac{\partial L}{\partial u_o} = \big(\sigma(s_o) - 1\big)\, v_c,
# \qquad
# \frac{\partial L}{\partial u_{n_k}} = \sigma(s_k)\, v_c.
# \;}
# $$
#
# **Reading the result.** A gradient step subtracts the learning rate times these vectors.
# $\sigma(s_o) - 1$ is negative, so $u_o$ moves *towards* $v_c$ and $v_c$ towards $u_o$;
# $\sigma(s_k)$ is positive, so each noise vector moves *away* from $v_c$. The step size is the size
# of the error: a pair that is already classified confidently and correctly barely moves anything.
# If the same noise word is drawn twice, it appears in two terms and its two gradients add up.
#
# ## 4. Checking the formulas against autograd
#
# First the formulas for one pair, typed out line by line. We use float64 so that the comparison
# with autograd is tight.

# %%
d, K = 6, 4
v_c = torch.randn(d, generator=gen, dtype=torch.float64)          # centre (input) vector
u_o = torch.randn(d, generator=gen, dtype=torch.float64)          # true context (output) vector
u_neg = torch.randn(K, d, generator=gen, dtype=torch.float64)     # K noise (output) vectors, one per row

# By hand: scores, errors (prediction minus label), then the three gradients.
s_o = u_o @ v_c                                   # scalar
s_neg = u_neg @ v_c                               # (K,)
g_o = torch.sigmoid(s_o) - 1.0                    # label 1
g_neg = torch.sigmoid(s_neg)                      # label 0
grad_v_c = g_o * u_o + g_neg @ u_neg              # (d,): sum of K + 1 contributions
grad_u_o = g_o * v_c                              # (d,)
grad_u_neg = g_neg[:, None] * v_c[None, :]        # (K, d): row k is sigma(s_k) * v_c

# Autograd on the loss itself.
v_leaf, uo_leaf, un_leaf = (t.clone().requires_grad_() for t in (v_c, u_o, u_neg))
loss = -F.logsigmoid(uo_leaf @ v_leaf) - F.logsigmoid(-(un_leaf @ v_leaf)).sum()
loss.backward()

assert_close(grad_v_c, v_leaf.grad)
assert_close(grad_u_o, uo_leaf.grad)
assert_close(grad_u_neg, un_leaf.grad)
print(f"loss of the pair: {loss.item():.4f}")
print("dL/dv_c, dL/du_o and all", K, "dL/du_n match autograd")

# %% [markdown]
# Training works on mini-batches of pairs, so the course package has the same formulas written for
# a batch: `w2v_helpers.naive.sgns_grads(v, u_pos, u_neg)` takes `B` centre vectors, `B` context
# vectors and `B x K` noise vectors and returns the per-pair losses and the three gradients. Put the
# pair above in row 0 of a random batch, and row 0 of the answer is our hand computation:

# %%
B = 32
v_b = torch.randn(B, d, generator=gen, dtype=torch.float64)
u_pos_b = torch.randn(B, d, generator=gen, dtype=torch.float64)
u_neg_b = torch.randn(B, K, d, generator=gen, dtype=torch.float64)
v_b[0], u_pos_b[0], u_neg_b[0] = v_c, u_o, u_neg

loss_b, gv, gpos, gneg = sgns_grads(v_b, u_pos_b, u_neg_b)
assert_close(loss_b[0], loss.detach())
assert_close(gv[0], grad_v_c)
assert_close(gpos[0], grad_u_o)
assert_close(gneg[0], grad_u_neg)
print(f"shapes: loss {tuple(loss_b.shape)}, dL/dv {tuple(gv.shape)}, dL/du_pos {tuple(gpos.shape)}, "
      f"dL/du_neg {tuple(gneg.shape)}")

# %% [markdown]
# Why bother, when autograd gets the same numbers? Because for this loss the hand-written version
# is cheaper: no computation graph is recorded, no sparse gradient tensors are built, and the update
# can be applied directly to the rows that changed. The fast trainer in later chapters does exactly
# that, and this check is what lets us trust it.
#
# **Computing $\log \sigma$.** Every term of the loss is a $\log \sigma(\cdot)$, and the course always
# computes it with `F.logsigmoid` (see `w2v_helpers.model`), never as `torch.log(torch.sigmoid(x))`.
# In float32 the latter reaches $-\infty$ for very negative $x$, and the common patch
# `log(sigmoid(x) + 1e-10)` caps the loss and erases the gradient for exactly the noise words the
# model is most wrong about. Where each version breaks, and why, is in
# [bonus 01b](bonus/01b_log_sigmoid_precision.ipynb).

# %% [markdown]
# ## Summary
#
# * The softmax objective gives every output vector a gradient for every pair: $V$ dot products per
#   pair. Negative sampling replaces it with $K + 1$ logistic regressions, touching $K + 1$ output
#   vectors.
# * With $g_j = \sigma(s_j) - y_j$ (label 1 for the true context, 0 for noise words):
#   $\partial L / \partial v_c = \sum_j g_j u_j$ and $\partial L / \partial u_j = g_j v_c$.
# * Compute $\log \sigma$ with `F.logsigmoid`; adding a small constant inside the log caps the loss
#   and erases the gradient exactly where the model is most wrong.

# %% [markdown]
# ## Exercises
#
# Each exercise asks for one function: replace the `raise NotImplementedError` line of its stub with
# your code and run the check cell under it. The check tries your function on inputs of its own and
# prints `exercise NN.k: PASS`, or `FAIL` with a hint about what is wrong; it never prints the answer.
# Worked solutions, each passing its check, are in
# [solutions/01_solutions.ipynb](solutions/01_solutions.ipynb); open them after trying.
#
# **Exercise 1.** Derive $\partial L_{\text{softmax}} / \partial v_c$ for the softmax loss of
# Section 1, then write `softmax_grad_centre(out_table, v_c, o)`, which returns it for the output
# vectors `out_table` ($V \times d$), the centre vector `v_c` and the observed context word `o`.
# The check compares your formula with autograd, as Section 4 did for SGNS. How many output
# vectors does this gradient involve?

# %% exercise="01.1" tags=["exercise"]
def softmax_grad_centre(out_table, v_c, o):
    """dL_softmax/dv_c: out_table (V, d), v_c (d,), o the observed word's id -> (d,)."""
    # YOUR CODE HERE
    raise NotImplementedError("return dL/dv_c of the softmax loss, a vector of shape (d,)")


# %%
from w2v_helpers.course.exercises import check_01_1

check_01_1(softmax_grad_centre)

# %% [markdown]
# **Exercise 2.** Suppose one noise word $n$ is drawn `times` times among the $K$ negatives of a
# pair. Predict the gradient of $L$ with respect to its output vector $u_n$ from the boxed formulas
# and write `grad_repeated_noise(v_c, u_n, times)`. The check builds a loss that really contains
# the word `times` times and compares with autograd.

# %% exercise="01.2" tags=["exercise"]
def grad_repeated_noise(v_c, u_n, times):
    """dL/du_n when noise word n is drawn `times` times for one pair: v_c, u_n (d,) -> (d,)."""
    # YOUR CODE HERE
    raise NotImplementedError("return dL/du_n for a noise word drawn `times` times, shape (d,)")


# %%
from w2v_helpers.course.exercises import check_01_2

check_01_2(grad_repeated_noise)
