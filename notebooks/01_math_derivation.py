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
# on 2 CPU cores: about 15 s whatever `W2V_CORPUS` says, since this chapter reads no corpus.
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
# 4. know why `log(sigmoid(x) + 1e-10)` is a bad way to compute a log-probability and what to use
#    instead.
#
# **What you need.** The chain rule, dot products, and a little PyTorch (tensors, `backward()`).
# Nothing from Chapter 0 is assumed: it motivates dense vectors, and this chapter starts the model
# from scratch. Later chapters import the fast versions of what we write by hand here from the
# course package `w2v_helpers`.

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
import torch
import torch.nn.functional as F
from torch.testing import assert_close

from w2v_helpers.naive import sgns_grads
from w2v_helpers.plots import line_plot
from w2v_helpers.train import TrainConfig

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
# Only $K + 1$ output vectors appear in it ($K$ is small: the course's trainer, like word2vec, uses
# $K = 5$ by default), so only they and the one centre vector receive a gradient. Same experiment as
# above, now with the SGNS loss:

# %%
assert TrainConfig().negative == K
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
# vectors and `B x K` noise vectors and returns the per-pair losses and the three gradients. We put
# the pair above in row 0 of a random batch and check both that row 0 reproduces our hand
# computation and that the whole batch agrees with autograd. (Summing the per-pair losses before
# `backward()` still gives each pair's gradients separately, because each pair owns its own rows of
# the leaf tensors.)

# %%
B = 32
v_b = torch.randn(B, d, generator=gen, dtype=torch.float64)
u_pos_b = torch.randn(B, d, generator=gen, dtype=torch.float64)
u_neg_b = torch.randn(B, K, d, generator=gen, dtype=torch.float64)
v_b[0], u_pos_b[0], u_neg_b[0] = v_c, u_o, u_neg

loss_b, gv, gpos, gneg = sgns_grads(v_b, u_pos_b, u_neg_b)
assert_close(gv[0], grad_v_c)
assert_close(gpos[0], grad_u_o)
assert_close(gneg[0], grad_u_neg)

leaves = [t.clone().requires_grad_() for t in (v_b, u_pos_b, u_neg_b)]
v_l, pos_l, neg_l = leaves
per_pair = -F.logsigmoid((v_l * pos_l).sum(-1)) - F.logsigmoid(-(neg_l @ v_l.unsqueeze(-1)).squeeze(-1)).sum(-1)
per_pair.sum().backward()
assert_close(loss_b, per_pair.detach())
for name, ours, auto in [("dL/dv", gv, v_l.grad), ("dL/du_pos", gpos, pos_l.grad), ("dL/du_neg", gneg, neg_l.grad)]:
    assert_close(ours, auto)
    print(f"{name:10s} shape {tuple(ours.shape)} matches autograd")
print(f"mean loss over the batch: {loss_b.mean().item():.4f}")

# %% [markdown]
# Why bother, when autograd gets the same numbers? Because for this loss the hand-written version
# is cheaper: no computation graph is recorded, no sparse gradient tensors are built, and the update
# can be applied directly to the rows that changed. The fast trainer in later chapters does exactly
# that, and this check is what lets us trust it.
#
# ## 5. Computing log sigmoid without losing precision
#
# Every term of the loss is a $\log \sigma(\cdot)$. The obvious code, `torch.log(torch.sigmoid(x))`,
# breaks for very negative $x$: `torch.sigmoid(x)` comes out as exactly 0 in float32 and the log
# becomes $-\infty$. Not because the true value is too small for float32: $\sigma(-100) \approx
# 3.7 \cdot 10^{-44}$ is a (subnormal) float32 number, and float32 can hold values down to about
# $1.4 \cdot 10^{-45}$. The zero comes from the way $\sigma$ is computed, $1 / (1 + e^{-x})$: for
# $x = -100$, $e^{100} \approx 2.7 \cdot 10^{43}$ is larger than the largest float32 number
# ($3.4 \cdot 10^{38}$), so it *overflows* to infinity, and $1 / \infty = 0$. That happens from
# $x \approx -88.7$ on, well before the true $\sigma(x)$ would leave the float32 range (below about
# $-103$). The next cell shows each step.

# %%
x = torch.tensor(-100.0)                            # float32, as in training
exp_minus_x = torch.exp(-x)                         # e^100: larger than any float32
true_sigma = 1 / (1 + math.exp(100))                # in float64: about 3.7e-44
print(f"largest float32 {torch.finfo(torch.float32).max:.2e}, smallest positive float32 {2.0 ** -149:.1e}")
print(f"float32 e^100 = {exp_minus_x.item()}, so 1 / (1 + e^100) = {(1 / (1 + exp_minus_x)).item()}; "
      f"torch.sigmoid(-100) = {torch.sigmoid(x).item()}")
print(f"true sigma(-100) = {true_sigma:.2e}, stored as float32: {torch.tensor(true_sigma).item():.2e}; "
      f"float32 e^-100 = {torch.exp(x).item():.2e}")
assert exp_minus_x.item() == math.inf and torch.sigmoid(x).item() == 0.0      # the overflow ...
assert torch.tensor(true_sigma).item() > 0 and torch.exp(x).item() > 0        # ... not an underflow
first_zero = next(x for x in range(-80, -120, -1) if torch.sigmoid(torch.tensor(float(x))).item() == 0.0)
print(f"torch.sigmoid(x) is first exactly 0 at x = {first_zero}, where e^-x overflows: "
      f"{torch.exp(torch.tensor(-float(first_zero))).item()}")
assert torch.exp(torch.tensor(-float(first_zero))).item() == math.inf

# %% [markdown]
# A common patch adds a small constant, `torch.log(torch.sigmoid(x) + 1e-10)`. That avoids
# the infinity but gives a wrong answer instead: once $\sigma(x)$ is much smaller than $10^{-10}$,
# the result is stuck at $\log(10^{-10}) = -23.03$ whatever $x$ is, and its gradient
#
# $$
# \frac{d}{dx} \log\big(\sigma(x) + \epsilon\big) = \frac{\sigma(x)\,(1 - \sigma(x))}{\sigma(x) + \epsilon}
# $$
#
# goes to zero instead of to 1, the slope of the true $\log \sigma(x) \approx x$ there.
#
# `F.logsigmoid` avoids both problems by never forming $\sigma(x)$ for very negative inputs. An exact
# rewrite that does this is $\log \sigma(x) = \min(x, 0) - \log\big(1 + e^{-|x|}\big)$: the exponential
# is at most 1, so nothing underflows to a value that matters and nothing overflows. (The table
# below checks that `F.logsigmoid` agrees with it.)
#
# In SGNS this is not a corner case to ignore. The noise term is $-\log \sigma(-s_k)$: a very negative
# argument means a noise word with a large *positive* score, one the model wrongly takes for a real
# context. With the `+ 1e-10` version, its loss is capped at 23.03 and its gradient vanishes, so the
# worst mistakes would be the ones that are never corrected.
#
# The table below evaluates all three versions in float32, the precision used for training, with
# the gradient of the patched version and of `F.logsigmoid` taken by autograd.

# %%
EPS = 1e-10
xs = torch.tensor([0.0, -5.0, -10.0, -20.0, -25.0, -30.0, -50.0, -100.0], requires_grad=True)
plain = torch.log(torch.sigmoid(xs))
patched = torch.log(torch.sigmoid(xs) + EPS)
stable = F.logsigmoid(xs)
(grad_patched,) = torch.autograd.grad(patched.sum(), xs)
(grad_stable,) = torch.autograd.grad(stable.sum(), xs)

print(f"{'x':>7} | {'log(sig(x))':>11} | {'log(sig(x)+1e-10)':>17} | {'logsigmoid(x)':>13} | "
      f"{'grad patched':>12} | {'grad logsig':>11}")
for row in zip(xs.tolist(), plain.tolist(), patched.tolist(), stable.tolist(),
               grad_patched.tolist(), grad_stable.tolist()):
    x, p, q, s, gq, gs = row
    print(f"{x:7.1f} | {p:11.4f} | {q:17.4f} | {s:13.4f} | {gq:12.3e} | {gs:11.4f}")

# %% [markdown]
# The same observations as assertions: the plain version reaches $-\infty$; from $x = -30$ on the
# patched version is pinned within $10^{-3}$ of $\log(10^{-10}) \approx -23.0259$ and its gradient is
# below $10^{-3}$; `F.logsigmoid` stays equal to $x$ (to float32 precision) with gradient 1.

# %%
print(f"log(1e-10) = {math.log(EPS):.4f}")
assert plain[-1].item() == -math.inf
far = xs.detach() <= -30
assert torch.all((patched[far] - math.log(EPS)).abs() < 1e-3)
assert torch.all(grad_patched[far] < 1e-3)
deep = xs.detach() <= -20
assert_close(stable[deep], xs.detach()[deep])
assert torch.all(grad_stable[deep] > 0.999)
rewrite = torch.minimum(xs, torch.zeros_like(xs)) - torch.log1p(torch.exp(-xs.abs()))
assert_close(stable, rewrite)

# %% [markdown]
# How early does the patch start to matter? In float64 (so that rounding plays no part), find the
# first $x$, scanning down from 0, where the patched value is off by more than 0.01:

# %%
grid = torch.arange(0.0, -40.0, -0.01, dtype=torch.float64)
error = (torch.log(torch.sigmoid(grid) + EPS) - F.logsigmoid(grid)).abs()
first_bad = grid[error > 0.01][0].item()
print(f"the patched log sigmoid is off by more than 0.01 from x = {first_bad:.2f} downwards")
assert -19.0 < first_bad < -18.0
assert torch.all(error[grid <= first_bad] > 0.01)  # and it only gets worse below that point

# %% [markdown]
# And the picture: on the left the two curves separate near $x \approx -18$ and the patched one
# flattens at $-23.03$; on the right (log scale) its gradient collapses while that of `F.logsigmoid`
# stays at 1.

# %%
x_plot = torch.linspace(-40.0, 5.0, 451, requires_grad=True)
patched_curve = torch.log(torch.sigmoid(x_plot) + EPS)
stable_curve = F.logsigmoid(x_plot)
(patched_slope,) = torch.autograd.grad(patched_curve.sum(), x_plot)
(stable_slope,) = torch.autograd.grad(stable_curve.sum(), x_plot)

fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
x_np = x_plot.detach().numpy()
line_plot(x_np, {"log(sigmoid(x) + 1e-10)": patched_curve.detach().numpy(),
                 "F.logsigmoid(x)": stable_curve.detach().numpy()},
          "log sigmoid: patched vs stable", "x", "value", ax=left)
line_plot(x_np, {"d/dx log(sigmoid(x) + 1e-10)": patched_slope.numpy(),
                 "d/dx F.logsigmoid(x)": stable_slope.numpy()},
          "their gradients (log scale)", "x", "gradient", ax=right, logy=True)
fig.tight_layout()
plt.show()

# %% [markdown]
# ### The noise term written as $1 - \sigma$
#
# The noise term has a second, more tempting form. Code that follows the words "the probability that
# the pair is noise" computes $\log(1 - \sigma(s) + 10^{-10})$ for a noise word's score $s$, not
# $\log \sigma(-s)$. The two are equal in exact arithmetic; in float32 they part much earlier than
# the cap above. $\sigma(s)$ is rounded to a float32, and the float32 numbers just below 1 are
# $2^{-24} \approx 6 \cdot 10^{-8}$ apart. Once the true $1 - \sigma(s) \approx e^{-s}$ is below half
# that gap, $\sigma(s)$ rounds to exactly 1 and the subtraction gives exactly 0: from
# $s = 24 \ln 2 \approx 16.6$ on. Below that point $1 - \sigma(s)$ can only take multiples of
# $2^{-24}$, so the loss moves in steps; beyond it the loss is stuck at $-\log(10^{-10})$, and the
# gradient is exactly 0, because autograd computes $\sigma'(s)$ as $\sigma(s)(1 - \sigma(s))$ from
# the rounded $\sigma(s)$. A noise word that the model scores above about 16.6, one it is very sure
# is a real context, stops being corrected. The epsilon does not help: the damage is done by the
# subtraction, before the epsilon is added.
#
# `F.logsigmoid(-s)` never forms $1 - \sigma(s)$. It computes $\min(-s, 0) - \log(1 + e^{-|s|})$,
# here $-s - \log(1 + e^{-s})$: the small number $e^{-s}$ is kept as it is (float32 holds it down to
# about $10^{-45}$), and `log1p` adds it to 1 without rounding it away. The cell finds where
# $1 - \sigma(s)$ first becomes 0 in float32 on a grid of step 0.01, and compares the two forms.

# %%
s_grid = torch.arange(0.0, 30.0, 0.01)                  # float32 noise scores
cancelled = (1 - torch.sigmoid(s_grid)) == 0
s_zero = s_grid[cancelled][0].item()
print(f"float32: 1 - sigmoid(s) is first exactly 0 at s = {s_zero:.2f} (24 ln 2 = {24 * math.log(2):.3f})")
assert torch.all(cancelled[s_grid >= s_zero])           # and stays 0 from there on
assert abs(s_zero - 24 * math.log(2)) < 0.02

s_noise = torch.tensor([5.0, 10.0, 15.0, 16.0, s_zero, 20.0, 30.0], requires_grad=True)
literal = torch.log(1 - torch.sigmoid(s_noise) + EPS)
direct = F.logsigmoid(-s_noise)
(grad_literal,) = torch.autograd.grad(literal.sum(), s_noise)
(grad_direct,) = torch.autograd.grad(direct.sum(), s_noise)
print(f"{'s':>6} | {'log(1-sig(s)+1e-10)':>19} | {'logsigmoid(-s)':>14} | {'grad literal':>12} | {'grad logsig':>11}")
for s, a, b, ga, gb in zip(s_noise.tolist(), literal.tolist(), direct.tolist(),
                           grad_literal.tolist(), grad_direct.tolist(), strict=True):
    print(f"{s:6.2f} | {a:19.4f} | {b:14.4f} | {ga + 0.0:12.4f} | {gb:11.4f}")   # + 0.0 prints -0.0 as 0.0
beyond = s_noise.detach() >= s_zero
assert torch.all((literal[beyond] - math.log(EPS)).abs() < 1e-4) and torch.all(grad_literal[beyond] == 0)
assert_close(direct, -s_noise.detach() - torch.log1p(torch.exp(-s_noise.detach())))
assert torch.all(grad_direct[s_noise.detach() >= 10] < -0.999)   # d/ds log sigma(-s) = -sigma(s), close to -1

# %% [markdown]
# The rest of the course always computes the loss with `F.logsigmoid` (see `w2v_helpers.model`).
#
# ## Summary
#
# * The softmax objective gives every output vector a gradient for every pair: $V$ dot products per
#   pair. Negative sampling replaces it with $K + 1$ logistic regressions, touching $K + 1$ output
#   vectors.
# * With $g_j = \sigma(s_j) - y_j$ (label 1 for the true context, 0 for noise words):
#   $\partial L / \partial v_c = \sum_j g_j u_j$ and $\partial L / \partial u_j = g_j v_c$.
# * Compute $\log \sigma$ with `F.logsigmoid`; adding a small constant inside the log caps the loss
#   and erases the gradient exactly where the model is most wrong. Writing the noise term as
#   $\log(1 - \sigma(s) + \epsilon)$ is worse: in float32 the subtraction gives 0 from $s \approx 16.6$ on.

# %% [markdown]
# ## Exercises
#
# Each exercise asks for one function: complete its body (in the student version of this notebook,
# in place of the `raise NotImplementedError` line) and run the check cell under it. The check tries
# your function on inputs of its own and prints `exercise NN.k: PASS`, or `FAIL` with a hint about
# what is wrong; it never prints the answer.
#
# **Exercise 1.** Derive $\partial L_{\text{softmax}} / \partial v_c$ for the softmax loss of
# Section 1, then write `softmax_grad_centre(out_table, v_c, o)`, which returns it for the output
# vectors `out_table` ($V \times d$), the centre vector `v_c` and the observed context word `o`.
# The check compares your formula with autograd, as Section 4 did for SGNS. How many output
# vectors does this gradient involve?

# %% exercise="01.1" tags=["solution"]
def softmax_grad_centre(out_table, v_c, o):
    """dL_softmax/dv_c: out_table (V, d), v_c (d,), o the observed word's id -> (d,)."""
    ### BEGIN SOLUTION
    p = torch.softmax(out_table @ v_c, dim=0)   # p(w | c) for every word w
    return p @ out_table - out_table[o]          # sum_w p(w | c) u_w - u_o: all V output vectors
    ### END SOLUTION


# %%
from w2v_helpers.course.exercises import check_01_1

check_01_1(softmax_grad_centre)

# %% [markdown]
# **Exercise 2.** Suppose one noise word $n$ is drawn `times` times among the $K$ negatives of a
# pair. Predict the gradient of $L$ with respect to its output vector $u_n$ from the boxed formulas
# and write `grad_repeated_noise(v_c, u_n, times)`. The check builds a loss that really contains
# the word `times` times and compares with autograd.

# %% exercise="01.2" tags=["solution"]
def grad_repeated_noise(v_c, u_n, times):
    """dL/du_n when noise word n is drawn `times` times for one pair: v_c, u_n (d,) -> (d,)."""
    ### BEGIN SOLUTION
    return times * torch.sigmoid(u_n @ v_c) * v_c   # one sigma(s_n) v_c per appearance, added up
    ### END SOLUTION


# %%
from w2v_helpers.course.exercises import check_01_2

check_01_2(grad_repeated_noise)

# %% [markdown]
# **Exercise 3.** Without using `F.logsigmoid`, write `my_logsigmoid(x)`, which computes
# $\log \sigma(x)$ accurately for every float32 $x$ (hint: treat $x \ge 0$ and $x < 0$ separately
# and use `torch.log1p`). The check compares it with `F.logsigmoid` from $x = -10^4$ to $10^4$,
# $\pm 100$ included, and makes `F.logsigmoid` unavailable while your function runs.

# %% exercise="01.3" tags=["solution"]
def my_logsigmoid(x):
    """log(sigmoid(x)) for a float tensor x, exact for large |x|, without F.logsigmoid."""
    ### BEGIN SOLUTION
    # x >= 0: -log(1 + e^-x);  x < 0: x - log(1 + e^x). Together: min(x, 0) - log(1 + e^-|x|),
    # where exp only ever sees a number <= 0, so nothing overflows or underflows to a wrong value.
    return torch.minimum(x, torch.zeros_like(x)) - torch.log1p(torch.exp(-x.abs()))
    ### END SOLUTION


# %%
from w2v_helpers.course.exercises import check_01_3

check_01_3(my_logsigmoid)
