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
# # Chapter 3: drawing the negatives
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/word2vec-from-scratch/word2vec-from-scratch/blob/main/notebooks/03_negative_sampling.ipynb) [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/word2vec-from-scratch/word2vec-from-scratch/main?labpath=notebooks%2F03_negative_sampling.ipynb)
#
# **On real text:** [what this chapter shows on real English](../docs/real-text.md). Running time
# on 2 CPU cores: about 10 s on the shipped English corpus.
#
# Chapter 1 replaced the softmax over the whole vocabulary by a handful of yes/no questions: for each
# real (centre, context) pair, the model also sees $K$ **noise words** and learns to tell them apart
# from the real context. This chapter is about where those noise words come from. You will:
#
# 1. build the noise distribution word2vec uses, word counts raised to the power 3/4, and see what the
#    power does, first on two words and then on a whole corpus;
# 2. write a sampler as a readable loop, replace it with a vectorized one, and check that both draw
#    exactly the same words;
# 3. draw a million noise words and test, word by word, that they come with the right frequencies.
#
# **What you need from earlier chapters.** The SGNS loss and its noise term
# $-\sum_k \log \sigma(-u_{n_k}^\top v_c)$ from Chapter 1, and the vocabulary with its word counts
# (after `min_count`) from Chapter 2.

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
import time

import matplotlib.pyplot as plt
import numpy as np

from w2v_helpers.corpus import corpus_from_env
from w2v_helpers.naive import sample_naive
from w2v_helpers.negative_sampling import NegativeSampler
from w2v_helpers.plots import compare_distributions, line_plot

SEED = 0  # the one seed behind every random number in this notebook
POWER = 0.75

# %% [markdown]
# ## 1. The unigram distribution to the power 3/4
#
# The noise words should be "typical words", so the natural choice is to draw them with their
# corpus frequency, the *unigram distribution* $P_1(w) = \text{count}(w) / \sum_{w'} \text{count}(w')$.
# Mikolov et al. found that a flattened version works better:
#
# $$ P_{3/4}(w) = \frac{\text{count}(w)^{3/4}}{\sum_{w'} \text{count}(w')^{3/4}}. $$
#
# Raising counts to a power below 1 shrinks the gaps between them, so frequent words are drawn less
# often than their raw share and rare words more often. (A power of 0 would give the uniform
# distribution, a power of 1 the raw frequencies; 3/4 was chosen because it worked best in their
# experiments.)
#
# **A worked example.** Take two words, one seen 100 times and one seen once.
#
# * By raw frequency, the common word is drawn 100 times as often as the rare one: the probabilities
#   are $100/101 \approx 0.9901$ and $1/101 \approx 0.0099$.
# * After the power, the counts become $100^{3/4} = 10^{1.5} \approx 31.62$ and $1^{3/4} = 1$. The
#   ratio falls from 100 to about **31.6**, and the probabilities become $31.62/32.62 \approx 0.9693$
#   and $1/32.62 \approx 0.0307$: the rare word is now drawn about 3.1 times as often as before.

# %%
counts_example = np.array([100.0, 1.0])
raw_example = counts_example / counts_example.sum()
smooth_example = counts_example ** POWER / (counts_example ** POWER).sum()
ratio_raw = raw_example[0] / raw_example[1]
ratio_smooth = smooth_example[0] / smooth_example[1]
print(f"raw:      probabilities {raw_example[0]:.4f}, {raw_example[1]:.4f}; ratio {ratio_raw:.1f}")
print(f"power 3/4: probabilities {smooth_example[0]:.4f}, {smooth_example[1]:.4f}; ratio {ratio_smooth:.1f}")
print(f"the rare word is drawn {smooth_example[1] / raw_example[1]:.1f} times as often as before")
assert math.isclose(ratio_raw, 100.0)
assert math.isclose(ratio_smooth, 10 ** 1.5) and round(ratio_smooth, 1) == 31.6
assert round(raw_example[1], 4) == 0.0099 and round(smooth_example[1], 4) == 0.0307
assert round(smooth_example[1] / raw_example[1], 1) == 3.1

# %% [markdown]
# Now on a real vocabulary. `corpus_from_env()` loads the corpus chosen by the `W2V_CORPUS`
# environment variable (see Chapter 2) with the default `min_count=5`: unless you set it, the
# English corpus that ships with the course (Jane Austen's novels and the lead paragraphs of
# Wikipedia articles), which is what the stored outputs below come from. With `W2V_CORPUS=text8`,
# a corpus 12 times larger, the vocabulary is about four times larger and the tail of rare words
# longer, but every check below makes the same claims.

# %%
corpus = corpus_from_env(seed=SEED)
vocab = corpus.vocab
counts = vocab.counts
V = len(vocab)
print(f"corpus: {corpus.name}, {len(corpus.ids):,} tokens, {V:,} words")

raw = counts / counts.sum()
smooth = counts ** POWER / (counts ** POWER).sum()

# %% [markdown]
# How much of the noise goes to the 10 most frequent words, and how much more often does the rarest
# word get drawn, for several powers? (Power 1 is the raw distribution, power 0 the uniform one.)

# %%
print(f"{'power':>5} | {'share of draws to the top 10 words':>34} | {'rarest word, relative to raw':>28}")
shares = {}
for power in (1.0, 0.75, 0.5, 0.0):
    dist = counts ** power / (counts ** power).sum()
    shares[power] = dist[:10].sum()
    print(f"{power:>5} | {shares[power]:>34.4f} | {dist[-1] / raw[-1]:>28.2f}")
assert shares[1.0] > shares[0.75] > shares[0.5] > shares[0.0]
assert smooth[-1] > raw[-1] and smooth[0] < raw[0]

# %% [markdown]
# The picture for the 25 most frequent words (left) and for the whole vocabulary on log-log axes
# (right): the power lowers the head and lifts the tail.

# %%
top = np.arange(25)
fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4.5))
compare_distributions([vocab.words[i] for i in top], {"raw unigram": raw[top], "unigram ^ 0.75": smooth[top]},
                      ax=left, title=f"Noise distribution, 25 most frequent words ({corpus.name})")
ranks = np.arange(1, V + 1)
line_plot(ranks, {"raw unigram": raw, "unigram ^ 0.75": smooth},
          "Noise distribution, all words", "rank (1 = most frequent word)", "probability",
          ax=right, logx=True, logy=True)
fig.tight_layout()
plt.show()

# %% [markdown]
# ## 2. Sampling, the slow and readable way
#
# To draw one word from a distribution $p_0, p_1, \dots, p_{V-1}$: draw a uniform number $u$ in
# $[0, 1)$, then walk through the words in order, adding up their probabilities, and stop at the
# first word where the running total exceeds $u$. Picture the interval $[0, 1)$ cut into $V$ pieces,
# one per word, with lengths $p_w$; the walk finds the piece that $u$ falls into, so each word is
# hit with probability equal to the length of its piece.
#
# Here is that walk for a single draw, traced by hand on four words:

# %%
def draw_one(probs, u):
    """The word whose piece of [0, 1) contains u: walk the running total of probabilities."""
    running_total = 0.0
    for word, p in enumerate(probs):
        running_total += p
        if u < running_total:
            return word
    return len(probs) - 1  # u landed in the rounding gap just below 1


four = [0.5, 0.25, 0.15, 0.1]           # pieces [0, 0.5), [0.5, 0.75), [0.75, 0.9), [0.9, 1)
assert [draw_one(four, u) for u in (0.1, 0.6, 0.8, 0.95)] == [0, 1, 2, 3]
assert draw_one(four, 0.5) == 1         # a boundary belongs to the piece on its right

# %% [markdown]
# The package function `sample_naive(probs, n, rng)` (in `w2v_helpers.naive`, with the other readable
# versions the chapters write) is this loop repeated `n` times, taking each
# $u$ from a numpy random generator. Same seed, same uniform numbers, same words:

# %%
n_check = 2000
u_values = np.random.default_rng(SEED).random(n_check)
ours = np.array([draw_one(smooth, u) for u in u_values])
naive = sample_naive(smooth, n_check, np.random.default_rng(SEED))
assert np.array_equal(ours, naive)
print("first 10 noise words:", " ".join(vocab.words[i] for i in naive[:10]))

# %% [markdown]
# The walk is correct but slow: it runs a Python loop over up to $V$ words for every single draw,
# and training needs $K$ draws for every one of many millions of pairs.
#
# ## 3. Sampling, the vectorized way
#
# Two observations make it fast:
#
# 1. the running totals do not depend on $u$, so compute them once: the cumulative distribution
#    $F_w = p_0 + \dots + p_w$ (`np.cumsum`);
# 2. "the first word whose running total exceeds $u$" is a **binary search** in the sorted array $F$,
#    `np.searchsorted(F, u, side="right")`, and numpy does it for a whole array of $u$ at once, in
#    $O(\log V)$ steps per draw.
#
# `w2v_helpers.negative_sampling.NegativeSampler` packages this: it builds the cumulative array once
# (setting its last entry to exactly 1.0, so that rounding can never leave a $u$ without a word) and
# its `sample(shape, rng)` draws a whole array of noise words in one call. Because it consumes the
# generator's uniform numbers in the same order as the loop, with the same seed it must return the
# very same words:

# %%
sampler = NegativeSampler(counts, power=POWER)
np.testing.assert_allclose(sampler.probs, smooth)
fast = sampler.sample(n_check, np.random.default_rng(SEED))
assert np.array_equal(fast, naive)
print(f"{n_check} draws with seed {SEED}: the loop and the vectorized sampler agree on every word")

# %% [markdown]
# How much faster is it? Timings depend on your machine, so this cell's output is not checked by
# the tests; on any machine the vectorized sampler should win by a wide margin.

# %%
# NBVAL_IGNORE_OUTPUT
start = time.perf_counter()
sample_naive(smooth, n_check, np.random.default_rng(SEED))
per_draw_naive = (time.perf_counter() - start) / n_check
start = time.perf_counter()
sampler.sample(100 * n_check, np.random.default_rng(SEED))
per_draw_fast = (time.perf_counter() - start) / (100 * n_check)
print(f"loop: {per_draw_naive * 1e6:.2f} microseconds per draw; vectorized: {per_draw_fast * 1e6:.4f} microseconds per draw")
print(f"speed-up: about {per_draw_naive / per_draw_fast:,.0f}x")
assert per_draw_naive > 10 * per_draw_fast

# %% [markdown]
# ## 4. Does the fast sampler draw with the right frequencies?
#
# Agreeing with the loop shows the vectorized code does what the loop does; it remains to check
# that both draw from $P_{3/4}$. Draw $n = 10^6$ words and compare each word's observed share
# $\hat p_w$ with $P_{3/4}(w)$ computed straight from the counts. Each $\hat p_w$ is an average of
# $n$ yes/no outcomes, so its standard error is $\sqrt{P_{3/4}(w)(1 - P_{3/4}(w))/n}$. We require
# every word to be within **5 standard errors**; with a correct sampler a single word fails that with
# probability below one in a million.
#
# The standard error describes a normal approximation, which is good only when a word is expected
# to be drawn often. So we check individually every word expected at least 100 times, and the
# remaining rare words together as one bucket.

# %%
n_draws = 1_000_000
draws = sampler.sample(n_draws, np.random.default_rng(SEED))
observed = np.bincount(draws, minlength=V) / n_draws
expected = counts ** 0.75 / (counts ** 0.75).sum()
std_err = np.sqrt(expected * (1 - expected) / n_draws)

common = expected * n_draws >= 100
false_alarm = math.erfc(5 / math.sqrt(2))         # P(|normal| > 5 standard deviations)
print(f"chance that a correct sampler puts one given word beyond 5 standard errors: {false_alarm:.1e}")
assert false_alarm < 1e-6
z = np.abs(observed - expected) / std_err
rare_mass = expected[~common].sum()
rare_z = abs(observed[~common].sum() - rare_mass) / math.sqrt(max(rare_mass * (1 - rare_mass), 1e-300) / n_draws)
print(f"words checked one by one: {common.sum():,} of {V:,} (together {expected[common].sum():.4f} of the probability)")
print(f"largest deviation among them: {z[common].max():.2f} standard errors")
print(f"the {(~common).sum():,} rarer words together: {rare_z:.2f} standard errors")
assert np.all(z[common] < 5)
assert rare_z < 5

# %% [markdown]
# And the sampler is not accidentally drawing from the raw unigram distribution: for the most
# frequent word the two distributions differ by far more than 5 standard errors, and the
# observation sides with $P_{3/4}$.

# %%
raw_se = math.sqrt(raw[0] * (1 - raw[0]) / n_draws)
print(f"most frequent word '{vocab.words[0]}': raw {raw[0]:.4f}, ^0.75 {expected[0]:.4f}, observed {observed[0]:.4f}")
assert abs(observed[0] - raw[0]) > 5 * raw_se
assert abs(observed[0] - expected[0]) < 5 * std_err[0]

# %% [markdown]
# (word2vec's C code samples differently: it fills a large table with word ids, each word
# occupying a number of slots roughly proportional to $P_{3/4}$, and picks a random slot. That is
# one array lookup per draw, but every probability becomes a whole number of slots, which is
# crude for rare words. The binary search keeps every word's exact probability.)
#
# ## 5. What the trainer does differently
#
# The trainer of Chapter 5 uses this sampler, and by default with one change for speed: instead
# of $K$ private noise words for each pair, it draws one set of $S = 16$ noise words for a whole batch of pairs
# and weights each by $K/S$, which keeps the expected loss and turns the noise scores into one
# matrix product. What that costs (noisier updates of the output rows, noise words that equal the
# context word) and what it does to the quality of the vectors is measured in
# [bonus 03b](bonus/03b_shared_negatives.ipynb).

# %% [markdown]
# ## Summary
#
# * Noise words are drawn from the unigram distribution raised to the power 3/4: for counts 100 and
#   1 the ratio of their chances drops from 100 to about 31.6.
# * A sampler is "find the piece of $[0, 1)$ that a uniform number falls into": a loop over the
#   running total, or a binary search in the cumulative distribution for a whole array at once. With
#   the same seed they draw the same words.
# * A million draws match $P_{3/4}$ word by word, to within 5 standard errors, and clearly not the
#   raw unigram distribution.

# %% [markdown]
# ## Exercises
#
# Each exercise asks for one function: replace the `raise NotImplementedError` line of its stub with
# your code and run the check cell under it. The check tries your function on inputs of its own and
# prints `exercise NN.k: PASS`, or `FAIL` with a hint about what is wrong; it never prints the answer.
# Worked solutions, each passing its check, are in
# [solutions/03_solutions.ipynb](solutions/03_solutions.ipynb); open them after trying.
#
# **Exercise 1.** Write `noise_probs(counts, power=0.75)`: the noise distribution, with each word's
# probability proportional to its count raised to `power`. Then compare `power=1.0` with 0.75 on
# this corpus: what share of the draws goes to its 100 rarest words under each? (To compare the
# nearest neighbours of rare words after training with each power, the trainer's sampler is
# `NegativeSampler(counts, power)`: which setting would you expect to serve rare words better?)

# %% exercise="03.1" tags=["exercise"]
def noise_probs(counts, power=0.75):
    """(V,) probabilities proportional to count ** power, summing to 1."""
    # YOUR CODE HERE
    raise NotImplementedError("return count**power normalised to sum to 1")


# %%
from w2v_helpers.course.exercises import check_03_1

check_03_1(noise_probs)

# %% [markdown]
# **Exercise 2.** Build word2vec's kind of table sampler: write `build_table(probs, size)`, an
# integer array of word ids in which word $w$ fills $\text{round}(\text{size} \cdot p_w)$ slots
# (drawing from it is then one random index per draw). With $\text{size} = 10^6$ and $P_{3/4}$ of
# this corpus, which words get no slot at all, and how large must the table be for every word to
# get at least one?

# %% exercise="03.2" tags=["exercise"]
def build_table(probs, size):
    """Word ids, word w repeated round(size * probs[w]) times."""
    # YOUR CODE HERE
    raise NotImplementedError("return an int array in which word w fills round(size * probs[w]) slots")


# %%
from w2v_helpers.course.exercises import check_03_2

check_03_2(build_table)
