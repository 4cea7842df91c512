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
# # Chapter 2: vocabulary, Zipf's law and subsampling
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/word2vec-from-scratch/word2vec-from-scratch/blob/main/notebooks/02_vocabulary_subsampling.ipynb) [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/word2vec-from-scratch/word2vec-from-scratch/main?labpath=notebooks%2F02_vocabulary_subsampling.ipynb)
#
# **On real text:** [what this chapter shows on real English](../docs/real-text.md). The stored
# outputs come from the course's English corpus (Jane Austen's novels and the opening paragraphs of
# about 10,000 Wikipedia articles). Running time on 2 CPU cores: about 10 s on it, about half a
# minute on text8-sized real text.
#
# Before a single vector is trained, word2vec makes three decisions about the text: how to cut it
# into words, which words are frequent enough to deserve a vector, and how many occurrences of the
# very frequent words to throw away. This chapter makes each decision on a real corpus and measures
# its effect. You will:
#
# 1. tokenize text with a regular expression and count the words;
# 2. see Zipf's law (a few words are very common, most are rare) and fit its slope;
# 3. measure what `min_count` removes, in word types and in tokens;
# 4. compare the two subsampling formulas in circulation, the paper's and the one word2vec's C code
#    actually uses, and measure what subsampling does to the corpus.
#
# **What you need from earlier chapters.** Only the idea from Chapter 1 that training consumes
# (centre, context) pairs taken from a window around each token, and that every word in the
# vocabulary owns two vectors.

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
from collections import Counter

import matplotlib.pyplot as plt
import numpy as np

from w2v_helpers.corpus import corpus_from_env, tokenize
from w2v_helpers.plots import keep_prob_plot, line_plot, zipf_plot
from w2v_helpers.subsampling import keep_prob_paper, keep_prob_word2vec, subsample

SEED = 0  # the one seed behind every random number in this notebook
MIN_COUNT = 5
rng = np.random.default_rng(SEED)

# %% [markdown]
# ## 1. Tokenizing
#
# `w2v_helpers.corpus.tokenize` lowercases the text and keeps runs of letters (in any alphabet),
# allowing one apostrophe inside a word. Digits and punctuation are dropped. It is a one-line NLTK
# `RegexpTokenizer`. A quick demonstration on a made-up sentence:

# %%
sentence = "Don't panic: the 2 cats sat on Mr. O'Brien's mat, naïvely!"
tokens = tokenize(sentence)
print(tokens)
assert tokens == ["don't", "panic", "the", "cats", "sat", "on", "mr", "o'brien", "s", "mat", "naïvely"]

# %% [markdown]
# Note what the rule decides for us: "2" disappears, "Mr." loses its full stop, and
# "O'Brien's" (two apostrophes) splits into "o'brien" and "s". A tokenizer is a set of such choices;
# what matters is to apply the same ones to training text and to queries.
#
# Why not NLTK's well-known `word_tokenize`? It needs the *punkt* sentence splitter, a trained model
# downloaded with `nltk.download(...)` before first use (one more step on Binder or Colab, and a
# failure offline), and word2vec has no use for sentence boundaries: it slides its window over one
# long stream of words. The course's English corpus is stored already tokenized, the way text8 is:
# lowercase letters separated by single spaces.
#
# ## 2. The corpus and its word counts
#
# Every notebook that needs real text asks `corpus_from_env()` for it (a thin wrapper over
# `load_corpus(spec)`, which the command line uses too). It reads the environment variable
# `W2V_CORPUS`: `english` (the default: the English corpus that ships with the course package),
# `text8` (a cleaned extract of English Wikipedia, 17M tokens, downloaded once), `toy` (a small
# synthetic corpus generated in memory, used by the tests), or the path of any text file. We pass
# `min_count=1` so that the vocabulary keeps *every* word type; Section 4 applies the cut. What comes
# back is a `Corpus`: its `name`, a `Vocab` (`words` by falling count, their `counts`, and the
# word-to-id map) and `ids`, the whole text as one array of word ids.

# %%
corpus = corpus_from_env(min_count=1, seed=SEED)
vocab, ids = corpus.vocab, corpus.ids
n_tokens, n_types = len(ids), len(vocab)
print(f"corpus: {corpus.name}")
print(f"{n_tokens:,} tokens, {n_types:,} distinct words")
print("first 12 tokens:", " ".join(vocab.words[i] for i in ids[:12]))

# %% [markdown]
# The corpus starts with the title page of *Sense and Sensibility*. Its third token shows a flaw
# that real corpora carry: *sensibilityby* is two words joined where a line break was removed
# without a space. Such slips make words that occur once or twice, and Section 4 shows what becomes
# of them. Everything below is computed from whatever corpus is loaded, so the cells show the numbers
# and the text quotes those of the English corpus.
#
# The corpus is stored as a numpy array of integer ids, one per token, and the vocabulary numbers
# the words by falling count: id 0 is the most frequent word. Counting words is then a histogram
# of ids. As a check, the next cell counts the first 10,000 tokens as strings with a plain
# `Counter` and compares with `np.bincount` on the ids, then checks the whole corpus against the
# counts stored in the vocabulary.

# %%
first = [vocab.words[i] for i in ids[:10_000]]
by_string = Counter(first)
by_id = np.bincount(ids[:10_000], minlength=n_types)
assert all(by_string[w] == by_id[vocab.word2id[w]] for w in by_string)
assert np.array_equal(np.bincount(ids, minlength=n_types), vocab.counts)
assert np.all(np.diff(vocab.counts) <= 0)  # ids are sorted by falling count

print(f"{'rank':>4}  {'word':<12} {'count':>9} {'share of tokens':>16}")
for rank in range(1, 11):
    word, count = vocab.words[rank - 1], vocab.counts[rank - 1]
    print(f"{rank:>4}  {word:<12} {count:>9,} {count / n_tokens:>16.4f}")
top10_share = vocab.counts[:10].sum() / n_tokens
print(f"the 10 most frequent words make up {top10_share:.4f} of all tokens")

# %% [markdown]
# ## 3. Zipf's law
#
# Sort the words by count and give the most frequent rank 1. Zipf's law says that count falls
# roughly as a power of rank, $\text{count}(r) \approx C \cdot r^{-a}$ with $a$ close to 1: the
# second word is about half as frequent as the first, the tenth a tenth as frequent. Taking logs
# gives a straight line, $\log \text{count} = \log C - a \log r$, so on log-log axes the data should
# look straight, and a least-squares line through $(\log r, \log \text{count})$ estimates the slope
# $-a$. We fit it over the words that survive `min_count` (the very rarest words come in
# ties, which form flat steps at the bottom right).

# %%
ranks = np.arange(1, n_types + 1)
fitted = vocab.counts >= MIN_COUNT
slope, intercept = np.polyfit(np.log(ranks[fitted]), np.log(vocab.counts[fitted]), 1)
at_top = math.exp(intercept) / vocab.counts[0]
print(f"fitted Zipf slope over ranks 1-{fitted.sum():,}: {slope:.2f}")
print(f"at rank 1 the line predicts {math.exp(intercept):,.0f} occurrences, {at_top:.1f} times the "
      f"{vocab.counts[0]:,} of '{vocab.words[0]}'")
assert -2.0 < slope < -0.5
zipf_plot(vocab.counts, fit=(slope, intercept), title=f"Zipf's law on the {corpus.name} corpus")
plt.show()

# %% [markdown]
# Over most of the range the points lie close to the line, with slope -1.20 on this corpus, but the
# line misses the head: at rank 1 it predicts 7.6 times the real count. Least squares gives every
# *rank* one vote, and the ranks crowd together at the right of a log scale: ranks 100 to 1,000 cast
# ten times the votes of ranks 10 to 100, and the first ten ranks cast ten votes in all. The fit
# follows the tail and lets the head go. No single number is "the" exponent of real text anyway:
# the slope changes along the curve, flatter among the top ten or so words and steeper in the tail
# (Exercise 1 measures it over a range of your choice). A fit that gives every decade of ranks the
# same say is in [bonus 02b](bonus/02b_zipf_tail_and_subsampling.ipynb).
#
# What matters for word2vec is the shape: a handful of words account for a large share of all
# tokens, and a long tail of words is rare. Both ends cause trouble, and the next two sections deal
# with them: `min_count` cuts the tail, subsampling thins the head.
#
# ## 4. `min_count`: dropping rare words
#
# A word seen only a couple of times offers too few contexts to learn a meaningful vector, yet it
# would still cost two rows of the embedding tables. word2vec therefore drops every word seen fewer
# than `min_count` times (default 5) from the vocabulary, and removes its occurrences from the text.
# On natural text, with its long tail of rare words, this removes a large share of the *distinct
# words* but only a small share of the *tokens*. The table shows both shares for several thresholds:

# %%
print(f"{'min_count':>9} | {'words kept':>10} | {'share of words removed':>22} | {'share of tokens removed':>23}")
for threshold in (1, 2, 5, 10, 20, 50, 100):
    keep_word = vocab.counts >= threshold
    types_removed = 1 - keep_word.mean()
    tokens_removed = vocab.counts[~keep_word].sum() / n_tokens
    print(f"{threshold:>9} | {keep_word.sum():>10,} | {types_removed:>22.4f} | {tokens_removed:>23.4f}")

# %% [markdown]
# Whether a corpus shows the lesson depends on its tail. This one has a long tail: `min_count = 5`
# removes 0.7855 of its word types but only 0.0595 of its tokens. The toy corpus has hardly any (its
# filler words come from a fixed list, each seen dozens of times), nor has a text repeated several
# times: every count is a multiple of the number of copies. On text8, `min_count = 5` keeps about
# 71,000 of its 254,000 word types (it removes 72% of them) while removing under 2% of its tokens.
#
# At the default `min_count = 5` the share of word types removed is at least the share of tokens
# removed, because the removed words are rarer than the average word. Here are the numbers, the
# words seen only once, and the most frequent of the words that go:

# %%
keep_word = vocab.counts >= MIN_COUNT
n_kept = int(keep_word.sum())
types_removed = 1 - n_kept / n_types
tokens_removed = vocab.counts[n_kept:].sum() / n_tokens
print(f"min_count={MIN_COUNT}: {n_types - n_kept:,} of {n_types:,} words removed ({types_removed:.4f}), "
      f"{vocab.counts[n_kept:].sum():,} of {n_tokens:,} tokens removed ({tokens_removed:.4f})")
once = vocab.counts == 1
print(f"seen only once: {once.sum():,} of {n_types:,} words ({once.mean():.4f} of the word types, "
      f"{once.sum() / n_tokens:.4f} of the tokens)")
print("most frequent removed words:", ", ".join(f"{w} ({c})" for w, c in
                                              zip(vocab.words[n_kept:n_kept + 10], vocab.counts[n_kept:n_kept + 10])))
assert types_removed >= tokens_removed   # the removed words are the rarest, so rarer than the average word

# %% [markdown]
# Over half of this corpus's word types (0.5556) are seen only once, the *hapax legomena*, yet together
# they are 0.0286 of its tokens. The removed words show the two sources of the tail: real rare words
# (*abatement*, *abdicated*, *abidjan*) and slips of preparation (*abouther*, *aboutit*). Real text
# keeps meeting such words however long it runs; [bonus 02b](bonus/02b_zipf_tail_and_subsampling.ipynb)
# shows that a Zipf law over a fixed vocabulary does not, and runs out of rare words.
#
# Since ids are sorted by count, the kept words are exactly the ids below `n_kept`, and the
# corpus after `min_count` is `ids[ids < n_kept]`, with the same ids. That is the corpus the rest of
# this chapter works with, and what `corpus_from_env()` returns with its default `min_count=5`.

# %%
kept_ids = ids[ids < n_kept]
kept_counts = vocab.counts[:n_kept]
kept_words = vocab.words[:n_kept]
freq = kept_counts / kept_counts.sum()  # f(w): each word's share of the tokens that remain
assert len(kept_ids) == kept_counts.sum()
print(f"corpus after min_count: {len(kept_ids):,} tokens, {n_kept:,} words")

# %% [markdown]
# ## 5. Subsampling frequent words: two formulas
#
# At the other end of the curve, the most frequent words appear in nearly every window, and a pair
# like (*the*, *france*) says little about either word. Mikolov et al. (2013) proposed to drop each
# occurrence of a word $w$ at random, before the windows are formed, with a probability that grows
# with the word's frequency $f(w)$ (its share of all tokens). Fewer tokens means fewer pairs, rarer
# words get relatively more attention, and the window around a surviving word reaches further.
#
# **The paper's formula.** Discard an occurrence with probability $1 - \sqrt{t / f(w)}$, so
#
# $$ \text{keep}_{\text{paper}}(w) = \min\Big(1, \sqrt{t / f(w)}\Big), $$
#
# with a threshold $t$ around $10^{-5}$ in the paper. Words rarer than $t$ are always kept.
#
# **word2vec's C code** (and gensim, which copies it) uses a different, gentler rule, with default
# $t = 10^{-3}$:
#
# $$ \text{keep}_{\text{C}}(w) = \min\Big(1, \big(\sqrt{f(w)/t} + 1\big) \cdot \frac{t}{f(w)}\Big)
#    = \min\Big(1, \sqrt{t / f(w)} + \frac{t}{f(w)}\Big). $$
#
# The second form shows the relation: at the same $t$, the C rule keeps the paper's share plus an
# extra $t / f(w)$, so it always keeps at least as much, and it starts discarding only above
# $f \approx 2.618\, t$ instead of $f = t$. At $f = 4t$, for instance, the paper keeps
# $\sqrt{1/4} = 0.5$ of the occurrences and the C code $(2 + 1)/4 = 0.75$. The course package
# implements both rules as `keep_prob_paper(freq, t)` and `keep_prob_word2vec(freq, t)`; the trainer
# uses the C rule with $t = 10^{-3}$. Where that threshold of $2.618\, t$ comes from, with more values
# worked by hand, is in [bonus 02b](bonus/02b_zipf_tail_and_subsampling.ipynb).

# %%
t = 1e-3  # word2vec's default, and the course trainer's
assert math.isclose(keep_prob_paper(4 * t, t), 0.5) and math.isclose(keep_prob_word2vec(4 * t, t), 0.75)
f_grid = np.logspace(-7, 0, 400)

print(f"{'f':>8} | {'paper t=1e-5':>12} | {'paper t=1e-3':>12} | {'C code t=1e-3':>13}")
for f in (1e-6, 1e-5, 1e-4, 1e-3, 4e-3, 1e-2, 4e-2, 1e-1):
    print(f"{f:8.0e} | {keep_prob_paper(f, 1e-5):12.4f} | {keep_prob_paper(f, t):12.4f} | "
          f"{keep_prob_word2vec(f, t):13.4f}")

# %% [markdown]
# The same three curves over the whole range of frequencies. The dotted vertical line marks the
# frequency of the corpus's most frequent word: everything in the corpus sits to its left.

# %%
ax = keep_prob_plot(f_grid, {
    "paper, t = 1e-5": keep_prob_paper(f_grid, 1e-5),
    "paper, t = 1e-3": keep_prob_paper(f_grid, t),
    "word2vec C, t = 1e-3": keep_prob_word2vec(f_grid, t),
}, title="Subsampling: keep probability against word frequency")
ax.axvline(freq[0], color="grey", linestyle=":", label=f"most frequent word ({kept_words[0]})")
ax.legend()
plt.show()

# %% [markdown]
# ## 6. What subsampling does to the corpus
#
# Now apply the C rule with the trainer's threshold $t = 10^{-3}$ to the corpus. Each token is kept
# independently with its word's probability (`w2v_helpers.subsampling.subsample` draws one uniform
# number per token). The expected number of tokens kept is $\sum_w \text{count}(w) \cdot
# \text{keep}(w)$, and since the draws are independent, the measured number should be within a few
# standard deviations $\sqrt{\sum_w \text{count}(w)\, \text{keep}(w)(1 - \text{keep}(w))}$ of it.

# %%
keep = keep_prob_word2vec(freq, t)
after_ids = subsample(kept_ids, keep, rng)
expected = float((kept_counts * keep).sum())
std = math.sqrt(float((kept_counts * keep * (1 - keep)).sum()))
print(f"tokens before subsampling: {len(kept_ids):,}")
print(f"tokens after subsampling:  {len(after_ids):,} (share kept {len(after_ids) / len(kept_ids):.4f}, "
      f"expected {expected / len(kept_ids):.4f})")
print(f"words with keep probability below 1: {(keep < 1).sum():,} of {n_kept:,}: "
      f"{', '.join(kept_words[:(keep < 1).sum()])}")   # keep falls with the count, so they are the first ids
assert abs(len(after_ids) - expected) < 5 * std
assert np.all(keep[:(keep < 1).sum()] < 1)
assert len(after_ids) < len(kept_ids)

# %% [markdown]
# Which words lose the most? Count each word before and after and sort by the share removed:

# %%
after_counts = np.bincount(after_ids, minlength=n_kept)
share_kept = after_counts / kept_counts
order = np.argsort(share_kept, kind="stable")[:10]
print(f"{'word':<12} {'rank':>5} {'before':>9} {'after':>9} {'share kept':>10} {'keep prob':>9}")
for i in order:
    print(f"{kept_words[i]:<12} {i + 1:>5} {kept_counts[i]:>9,} {after_counts[i]:>9,} "
          f"{share_kept[i]:>10.4f} {keep[i]:>9.4f}")

# %% [markdown]
# The most-reduced words are the most frequent ones, and each word's measured share is close to its
# keep probability. Words rarer than $2.618\, t$ are untouched: every one of their occurrences
# survives. As a result the frequent words' grip on the corpus loosens: the share of tokens that
# belong to the 10 most frequent words falls.

# %%
se = np.sqrt(keep * (1 - keep) / kept_counts)
assert np.all(np.abs(share_kept - keep) <= 5 * se + 1e-12)
assert set(order) <= set(range(20))                      # the most-reduced words are all in the top 20
untouched = keep == 1.0
assert np.array_equal(after_counts[untouched], kept_counts[untouched])
top_before = kept_counts[:10].sum() / kept_counts.sum()
top_after = after_counts[:10].sum() / after_counts.sum()
print(f"words never subsampled: {untouched.sum():,} of {n_kept:,}")
print(f"share of tokens from the 10 most frequent words: {top_before:.4f} before, {top_after:.4f} after")
assert top_after < top_before

# %% [markdown]
# On the English corpus only 38 of the 16,109 words have a keep probability below 1, and they are
# the grammatical words at the top of the count table (*the*, *of*, *and*, ..., *which*, *been*,
# *such*), with *one* the nearest to a content word among them. Every other word keeps all its
# occurrences. The 30 most frequent words in pictures: on the left their share of the corpus before
# and after subsampling, on the right their keep probability next to the share of occurrences that
# actually survived:

# %%
top = np.arange(30)
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
line_plot(top + 1, {"before": kept_counts[top] / kept_counts.sum(),
                    "after": after_counts[top] / after_counts.sum()},
          "Share of tokens, 30 most frequent words", "rank", "share of tokens", ax=left, logy=True)
line_plot(top + 1, {"keep probability (C rule, t = 1e-3)": keep[top],
                    "measured share kept": share_kept[top]},
          "Keep probability by rank", "rank", "probability", ax=right)
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Summary
#
# * Tokenizing is a list of choices; a regular expression is enough for word2vec, and avoids the
#   punkt model download.
# * Word counts follow Zipf's law roughly: a few very common words, a long tail of rare ones. A
#   least-squares line through every rank follows the tail and misses the head by several times.
# * `min_count` removes the tail: many word types, few tokens. Over half of this corpus's word types
#   are seen only once. A corpus without a tail (the toy corpus, or a text repeated several times)
#   loses next to nothing.
# * Subsampling thins the head. The paper's rule keeps $\sqrt{t/f}$; the C code keeps
#   $\sqrt{t/f} + t/f$, always at least as much, and is the one the course trainer uses with
#   $t = 10^{-3}$.

# %% [markdown]
# ## Exercises
#
# Each exercise asks for one function: replace the `raise NotImplementedError` line of its stub with
# your code and run the check cell under it. The check tries your function on inputs of its own and
# prints `exercise NN.k: PASS`, or `FAIL` with a hint about what is wrong; it never prints the answer.
# Worked solutions, each passing its check, are in
# [solutions/02_solutions.ipynb](solutions/02_solutions.ipynb); open them after trying.
#
# **Exercise 1.** Write `zipf_slope(counts, lo, hi)`: the slope of the least-squares line through
# $(\log r, \log \text{count}(r))$ for the ranks $r$ = `lo` to `hi`, both included, where `counts`
# is sorted by falling count (rank 1 is `counts[0]`). Once it passes, compare
# `zipf_slope(vocab.counts, 10, 1000)` with the slope fitted in Section 3. How does it change, and
# why can the choice of range move it?

# %% exercise="02.1" tags=["exercise"]
def zipf_slope(counts, lo, hi):
    """Slope of log(count) against log(rank) over ranks lo..hi (both included); rank 1 is counts[0]."""
    # YOUR CODE HERE
    raise NotImplementedError("fit log(count) against log(rank) over ranks lo..hi and return the slope")


# %%
from w2v_helpers.course.exercises import check_02_1

check_02_1(zipf_slope)

# %% [markdown]
# **Exercise 2.** Write `expected_share_kept(counts, t)`: the share of all tokens that subsampling
# with the *paper's* rule, $\text{keep}(w) = \min(1, \sqrt{t / f(w)})$, keeps on average, for word
# counts `counts` and threshold `t`. Then compute it for this corpus (`kept_counts`) with
# $t = 10^{-5}$ and compare with the share the C rule kept in Section 6. Which words now lose
# occurrences that the C rule left alone?

# %% exercise="02.2" tags=["exercise"]
def expected_share_kept(counts, t):
    """Expected share of tokens kept by the paper's rule min(1, sqrt(t / f)), f = count / total."""
    # YOUR CODE HERE
    raise NotImplementedError("return the expected share of tokens the paper's rule keeps, a number in [0, 1]")


# %%
from w2v_helpers.course.exercises import check_02_2

check_02_2(expected_share_kept)

# %% [markdown]
# **Exercise 3.** The trainer redraws the subsampled corpus at every epoch instead of subsampling
# once before training. Write `seen_at_least_once(keep, epochs)`: for an array of keep
# probabilities, the chance that a given token is kept in at least one of `epochs` epochs when
# every epoch draws afresh. (Subsampled once, the answer would stay `keep` however long we train.)
# What would be lost if the trainer subsampled only once?

# %% exercise="02.3" tags=["exercise"]
def seen_at_least_once(keep, epochs):
    """Chance that a token survives subsampling in at least one of `epochs` independent draws."""
    # YOUR CODE HERE
    raise NotImplementedError("return, per word, the chance that a token is kept in at least one epoch")


# %%
from w2v_helpers.course.exercises import check_02_3

check_02_3(seen_at_least_once)
