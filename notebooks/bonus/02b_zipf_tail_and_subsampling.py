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
# # Bonus 02b: Zipf fits, the tail of rare words, and the subsampling rules up close
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/word2vec-from-scratch/word2vec-from-scratch/blob/main/notebooks/bonus/02b_zipf_tail_and_subsampling.ipynb) [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/word2vec-from-scratch/word2vec-from-scratch/main?labpath=notebooks%2Fbonus%2F02b_zipf_tail_and_subsampling.ipynb)
#
# Running time on 2 CPU cores: about 5 s on the course's English corpus.
#
# Chapter 2 fits Zipf's law with one least-squares line, cuts the tail of rare words with
# `min_count`, and thins the most frequent words with word2vec's subsampling rule. This notebook
# looks closer at each of the three. You will:
#
# 1. see why a least-squares line through every rank misses the most frequent words, and fit one
#    that gives every decade of ranks the same weight;
# 2. sample from a Zipf law over a fixed vocabulary and see that its tail of rare words, unlike real
#    text's, shrinks as the sample grows;
# 3. check the paper's and the C code's subsampling rules against values worked by hand, and derive
#    the frequency at which the C rule starts discarding.
#
# **What you need from earlier chapters.** Chapter 2: the corpus and its `Vocab` (word ids sorted by
# falling count), Zipf's law, `min_count`, and the two subsampling rules.

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
import numpy as np

from w2v_helpers.corpus import corpus_from_env
from w2v_helpers.plots import zipf_plot
from w2v_helpers.subsampling import keep_prob_paper, keep_prob_word2vec
from w2v_helpers.zipf_corpus import zipf_probs

SEED = 0  # the one seed behind every random number in this notebook
MIN_COUNT = 5

corpus = corpus_from_env(min_count=1, seed=SEED)   # every word type, as in Chapter 2
vocab, ids = corpus.vocab, corpus.ids
n_tokens, n_types = len(ids), len(vocab)
print(f"corpus: {corpus.name}, {n_tokens:,} tokens, {n_types:,} distinct words")

# %% [markdown]
# ## 1. Fitting Zipf's slope: every rank, or every decade
#
# Chapter 2 fits a least-squares line through $(\log r, \log \text{count}(r))$ for every rank $r$ of
# the words that survive `min_count`. The table compares the counts the line predicts with the real
# ones at a few ranks:

# %%
ranks = np.arange(1, n_types + 1)
fitted = vocab.counts >= MIN_COUNT
slope, intercept = np.polyfit(np.log(ranks[fitted]), np.log(vocab.counts[fitted]), 1)
print(f"fitted Zipf slope over ranks 1-{fitted.sum():,}: {slope:.2f}")
assert -2.0 < slope < -0.5


def fit_table(slope, intercept, at=(1, 2, 10, 100, 1000, 10_000)):
    """Actual and fitted counts at a few ranks; returns fitted / actual at each rank shown."""
    ratios = {}
    print(f"{'rank':>6} {'actual count':>13} {'fitted count':>13} {'fitted / actual':>16}")
    for r in (r for r in at if r <= fitted.sum()):
        predicted = math.exp(intercept) * r ** slope
        ratios[r] = predicted / vocab.counts[r - 1]
        print(f"{r:>6,} {vocab.counts[r - 1]:>13,} {predicted:>13,.0f} {ratios[r]:>16.2f}")
    return ratios


ratios_all = fit_table(slope, intercept)

# %% [markdown]
# The line is far off at the top: it puts several times more occurrences on the most frequent
# words than they have (the last column is well above 1 for the first ranks). Least squares gives
# every *rank* one vote, and ranks are spread evenly on a linear scale, not on the logarithmic one
# of the plot: ranks 100 to 1,000 cast ten times the votes of ranks 10 to 100, and the first ten
# ranks cast ten votes in all. The fit follows the crowded tail and lets the head go.
#
# To give each *decade* of ranks the same say, fit through ranks spaced evenly on the log scale
# (1, 2, 3, 4, 5, 7, 9, 12, ...), about 60 of them from 1 to the last rank:

# %%
spaced = np.unique(np.geomspace(1, fitted.sum(), 60).round().astype(int))
slope_log, intercept_log = np.polyfit(np.log(spaced), np.log(vocab.counts[spaced - 1]), 1)
print(f"fit through {len(spaced)} log-spaced ranks: slope {slope_log:.2f}")
ratios_log = fit_table(slope_log, intercept_log)
worst_top = {name: max(abs(math.log(r)) for rank, r in ratios.items() if rank <= 10)
             for name, ratios in (("every rank", ratios_all), ("log-spaced", ratios_log))}
print(f"worst factor off among ranks 1-10: every rank one vote {math.exp(worst_top['every rank']):.1f}x, "
      f"log-spaced {math.exp(worst_top['log-spaced']):.1f}x")
assert worst_top["log-spaced"] < worst_top["every rank"]
assert -2.0 < slope_log < -0.5

ax = zipf_plot(vocab.counts, fit=(slope, intercept), title=f"Zipf's law on the {corpus.name} corpus")
ax.loglog(ranks, np.exp(intercept_log) * ranks ** slope_log, ":", color="black",
          label=f"fit through log-spaced ranks: slope {slope_log:.2f}")
ax.legend()
plt.show()

# %% [markdown]
# The log-spaced fit passes within a small factor of every rank shown, head included, and its slope
# is closer to Zipf's $-1$. Neither number is "the" exponent: the slope of real text changes along
# the curve, flatter among the top ten or so words and steeper in the tail. On this corpus the
# every-rank fit is 7.6 times too high at rank 1, with slope -1.20; the log-spaced fit is within a
# factor of 2.0 at every one of the first ten ranks, with slope -1.03.
#
# ## 2. Where the tail of rare words comes from
#
# In Chapter 2, `min_count = 5` removes most of this corpus's word types but few of its tokens, and
# over half of its word types are seen only once. Does Zipf's law alone make such a tail? The cell
# draws samples from a Zipf law over a fixed vocabulary of text8's size, 254,000 word types
# (`zipf_probs` from `w2v_helpers.zipf_corpus`, the law behind the toy corpus's filler words), once
# with as many tokens as this corpus and once with as many as text8:

# %%
zipf = zipf_probs(254_000)
zipf_rng = np.random.default_rng(SEED)
print(f"{'sample':>22} | {'word types seen':>15} | {'min_count':>9} | {'share of words removed':>22} | "
      f"{'share of tokens removed':>23}")
for size in (n_tokens, 17_005_207):   # this corpus's size and text8's
    sample_counts = zipf_rng.multinomial(size, zipf)
    sample_counts = sample_counts[sample_counts > 0]
    for threshold in (2, 5, 10):
        rare = sample_counts < threshold
        words_share, tokens_share = rare.mean(), sample_counts[rare].sum() / size
        print(f"{size:>15,} tokens | {len(sample_counts):>15,} | {threshold:>9} | {words_share:>22.4f} | "
              f"{tokens_share:>23.4f}")
        assert words_share > 2 * tokens_share

# %% [markdown]
# In every row the share of word types removed is many times the share of tokens: the tail holds
# most of the vocabulary but little of the text. The two samples differ in where their tail comes
# from. The smaller one has drawn only 162,151 of the law's word types, most of them a few times, and
# `min_count = 5` removes 0.8268 of them. At text8's length nearly every type has been drawn, and
# drawn often: only 0.1000 of the types fall below 5, where text8 itself loses 72%. A Zipf law over
# a fixed vocabulary runs out of new words, so its tail of rare words shrinks as the sample grows.
# Real text does not run out: it keeps meeting names, rare forms, foreign words and slips, so a large
# share of its word types is seen only once however long it runs. Those words seen once are the
# *hapax legomena*; on this corpus:

# %%
once = vocab.counts == 1
print(f"seen only once: {once.sum():,} of {n_types:,} words ({once.mean():.4f} of the word types, "
      f"{once.sum() / n_tokens:.4f} of the tokens)")

# %% [markdown]
# ## 3. The two subsampling rules, checked by hand
#
# Chapter 2 gives the paper's rule, $\text{keep}_{\text{paper}}(w) = \min\big(1, \sqrt{t / f(w)}\big)$,
# and the rule of word2vec's C code,
#
# $$ \text{keep}_{\text{C}}(w) = \min\Big(1, \big(\sqrt{f(w)/t} + 1\big) \cdot \frac{t}{f(w)}\Big)
#    = \min\Big(1, \sqrt{t / f(w)} + \frac{t}{f(w)}\Big). $$
#
# The C rule starts discarding later. Write $r = \sqrt{t / f}$: the uncapped value $r + r^2$ drops
# below 1 when $r < (\sqrt{5} - 1)/2$, that is $f > \varphi^2 t \approx 2.618\, t$ ($\varphi$ is the
# golden ratio), where the paper's rule starts at $f = t$.
#
# Hand-computed values to check the package's `keep_prob_paper` and `keep_prob_word2vec` against,
# using $t = 10^{-3}$ unless stated:
#
# | $f$ | paper | C code |
# |---|---|---|
# | $4 \cdot 10^{-3} = 4t$ | $\sqrt{1/4} = 0.5$ | $(2 + 1)/4 = 0.75$ |
# | $10^{-1} = 100t$ | $\sqrt{1/100} = 0.1$ | $(10 + 1)/100 = 0.11$ |
# | $4 \cdot 10^{-2} = 40t$ | $\sqrt{1/40} \approx 0.1581$ | $(\sqrt{40} + 1)/40 \approx 0.1831$ |
# | $10^{-3} = t$ | 1 | 1 (uncapped: 2) |
# | $10^{-3}$, with the paper's $t = 10^{-5}$ | $\sqrt{10^{-2}} = 0.1$ | |

# %%
t = 1e-3
assert math.isclose(keep_prob_paper(4e-3, t), 0.5) and math.isclose(keep_prob_word2vec(4e-3, t), 0.75)
assert math.isclose(keep_prob_paper(1e-1, t), 0.1) and math.isclose(keep_prob_word2vec(1e-1, t), 0.11)
assert math.isclose(keep_prob_paper(4e-2, t), math.sqrt(1 / 40))
assert math.isclose(keep_prob_word2vec(4e-2, t), (math.sqrt(40) + 1) / 40)
assert keep_prob_paper(t, t) == 1.0 and keep_prob_word2vec(t, t) == 1.0
assert math.isclose(keep_prob_paper(1e-3, 1e-5), 0.1)

phi = (1 + math.sqrt(5)) / 2
onset = phi ** 2 * t
print(f"the C rule starts discarding at f = phi^2 * t = {onset:.6f}")
assert math.isclose(keep_prob_word2vec(onset, t), 1.0)
assert keep_prob_word2vec(onset * 1.001, t) < 1.0 and keep_prob_word2vec(onset * 0.999, t) == 1.0

f_grid = np.logspace(-7, 0, 400)
assert np.all(keep_prob_word2vec(f_grid, t) >= keep_prob_paper(f_grid, t))
print(f"on {len(f_grid)} frequencies from 1e-7 to 1, the C rule never keeps less than the paper's")

# %% [markdown]
# ## Summary
#
# * A least-squares line through every rank follows the crowded tail and misses the most frequent
#   words by several times; a fit through log-spaced ranks gives every decade the same weight and
#   passes near the head too. The slope of real text changes along the curve.
# * A Zipf law over a fixed vocabulary runs out of new words: its tail of rare words shrinks as the
#   sample grows. Real text keeps adding new words, so a large share of its word types, the hapax
#   legomena, is seen only once however long it runs.
# * The C rule keeps $\sqrt{t/f} + t/f$, never less than the paper's $\sqrt{t/f}$, and starts
#   discarding only above $\varphi^2 t \approx 2.618\, t$.
