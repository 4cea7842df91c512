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
# # Bonus 01b: computing log sigmoid without losing precision
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/word2vec-from-scratch/word2vec-from-scratch/blob/main/notebooks/bonus/01b_log_sigmoid_precision.ipynb) [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/word2vec-from-scratch/word2vec-from-scratch/main?labpath=notebooks%2Fbonus%2F01b_log_sigmoid_precision.ipynb)
#
# Running time on 2 CPU cores: about 6 s whatever `W2V_CORPUS` says, since this notebook reads no corpus.
#
# Every term of the SGNS loss is the log of a sigmoid, and the course computes each one with
# `F.logsigmoid`. This notebook shows what goes wrong with the two obvious alternatives, and exactly
# where, in float32, the precision used for training. You will:
#
# 1. see why `torch.log(torch.sigmoid(x))` reaches $-\infty$ for very negative $x$: an overflow,
#    not an underflow;
# 2. measure what the common patch `log(sigmoid(x) + 1e-10)` does to the loss and its gradient;
# 3. see the noise term written as $\log(1 - \sigma(s))$ break even earlier, by cancellation;
# 4. write a log sigmoid of your own that is accurate for every float32 input.
#
# **What you need from earlier chapters.** Chapter 1: the SGNS loss of one pair,
# $L = -\log \sigma(s_o) - \sum_k \log \sigma(-s_k)$, with $s_o$ the true pair's score and $s_k$
# the noise words' scores, and its gradients.

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

from w2v_helpers.plots import line_plot

# %% [markdown]
# ## 1. Where `log(sigmoid(x))` breaks
#
# Every term of the SGNS loss is a $\log \sigma(\cdot)$. The obvious code, `torch.log(torch.sigmoid(x))`,
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
# ## 2. The `+ 1e-10` patch
#
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
# is at most 1, so nothing underflows to a value that matters and nothing overflows. (The assertions
# after the table check that `F.logsigmoid` agrees with it.)
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
# ## 3. How early the patch starts to matter
#
# The cap is at $-23.03$, but the patched value leaves the true one well before that. In float64 (so
# that rounding plays no part), find the first $x$, scanning down from 0, where the patched value is
# off by more than 0.01:

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
# ## 4. The noise term written as $1 - \sigma$
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
    print(f"{s:6.2f} | {a:19.4f} | {b:14.4f} | {ga:12.4f} | {gb:11.4f}")
beyond = s_noise.detach() >= s_zero
assert torch.all((literal[beyond] - math.log(EPS)).abs() < 1e-4) and torch.all(grad_literal[beyond] == 0)
assert_close(direct, -s_noise.detach() - torch.log1p(torch.exp(-s_noise.detach())))
assert torch.all(grad_direct[s_noise.detach() >= 10] < -0.999)   # d/ds log sigma(-s) = -sigma(s), close to -1

# %% [markdown]
# The rest of the course always computes the loss with `F.logsigmoid` (see `w2v_helpers.model`).
#
# ## Summary
#
# * `torch.log(torch.sigmoid(x))` reaches $-\infty$ in float32 from $x \approx -88.7$ on: $e^{-x}$
#   overflows, although the true $\sigma(x)$ would still be a float32 number.
# * Adding a small constant inside the log caps the loss at $-\log(10^{-10})$ and erases the gradient
#   exactly where the model is most wrong; with $10^{-10}$ the value is off by more than 0.01 from
#   $x \approx -18$ downwards.
# * Writing the noise term as $\log(1 - \sigma(s) + \epsilon)$ is worse: in float32 the subtraction
#   gives 0 from $s \approx 16.6$ on, and the gradient is exactly 0 there.
# * $\log \sigma(x) = \min(x, 0) - \log(1 + e^{-|x|})$ is exact and safe: the exponential never
#   exceeds 1. `F.logsigmoid` computes it.

# %% [markdown]
# ## Exercises
#
# Each exercise asks for one function: replace the `raise NotImplementedError` line of its stub with
# your code and run the check cell under it. The check tries your function on inputs of its own and
# prints `exercise NN.k: PASS`, or `FAIL` with a hint about what is wrong; it never prints the answer.
# Worked solutions, each passing its check, are in
# [solutions/01b_solutions.ipynb](../solutions/01b_solutions.ipynb); open them after trying.
#
# **Exercise 1.** Without using `F.logsigmoid`, write `my_logsigmoid(x)`, which computes
# $\log \sigma(x)$ accurately for every float32 $x$ (hint: treat $x \ge 0$ and $x < 0$ separately
# and use `torch.log1p`). The check compares it with `F.logsigmoid` from $x = -10^4$ to $10^4$,
# $\pm 100$ included, and makes `F.logsigmoid` unavailable while your function runs.

# %% exercise="01b.1" tags=["exercise"]
def my_logsigmoid(x):
    """log(sigmoid(x)) for a float tensor x, exact for large |x|, without F.logsigmoid."""
    # YOUR CODE HERE
    raise NotImplementedError("compute log(sigmoid(x)) accurately for every float32 x, without F.logsigmoid")


# %%
from w2v_helpers.course.exercises import check_01b_1

check_01b_1(my_logsigmoid)
