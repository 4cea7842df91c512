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
# # Chapter 12: Subword vectors (fastText)
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/word2vec-from-scratch/word2vec-from-scratch/blob/main/notebooks/12_subwords.ipynb) [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/word2vec-from-scratch/word2vec-from-scratch/main?labpath=notebooks%2F12_subwords.ipynb)
#
# Every model so far gives each word a vector of its own and nothing else. A word seen fewer than
# `min_count` times, a misspelling, or a word coined after training has no vector at all, and
# "walk", "walks" and "walking" learn their vectors apart, as if they had nothing in common.
# Bojanowski et al. (2017), the paper behind fastText, build a word's vector from the pieces of its
# spelling: its character n-grams. You will write the n-grams of a word (1) and fastText's hash
# that puts them into a fixed number of rows (2), checked against gensim's; a word's vector as the
# mean of its rows (3); the SGNS gradient through that mean, against autograd, and the step fastText
# takes instead (4). Then you train next to gensim's `FastText` (5), and ask for vectors of words
# that training never saw (6) and save them (7).
#
# **What you need from earlier chapters.** The SGNS loss and its gradients (Chapter 1), noise
# words (Chapter 3), the trainer and its fast method (Chapter 5), the benchmarks (Chapter 7), and
# CBOW's mean of vectors with word2vec's step (Chapter 9), which this chapter meets again.
#
# **Run time.** About 14 minutes on the shipped English corpus on 2 CPU cores shared with other work,
# most of it the two training runs of section 5, in under 2 GB of memory (gensim's n-gram table alone is 800 MB).

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
import tempfile
import time
from functools import reduce
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from w2v_helpers.corpus import corpus_from_env
from w2v_helpers.evaluation import headline_scores
from w2v_helpers.subwords import BUCKETS, MAX_N, MIN_N
from w2v_helpers.train import TrainConfig, train
from w2v_helpers.vectors import WordVectors

SEED = 0   # the one seed behind every random number in this notebook
torch.set_num_threads(1)   # one thread: the same bits everywhere

corpus = corpus_from_env(seed=SEED)
TOY = corpus.name == "toy"
words = corpus.vocab.words
# Three epochs, as Chapter 9; one on a corpus of millions of tokens, where a subword epoch takes minutes.
CONFIG = TrainConfig(dim=50 if TOY else 100, epochs=3 if len(corpus.ids) < 5_000_000 else 1, seed=SEED, workers=1)
print(f"corpus {corpus.name!r}: {len(corpus.ids):,} tokens, {len(words):,} words; dim={CONFIG.dim}, "
      f"epochs={CONFIG.epochs}; n-grams of {MIN_N} to {MAX_N} characters, {BUCKETS:,} buckets")

try:
    from gensim.models import FastText
    from gensim.models.fasttext import ft_hash_bytes, ft_ngram_hashes
    from gensim.models.fasttext_inner import compute_ngrams_bytes
    HAVE_GENSIM = True
except ImportError:
    HAVE_GENSIM = False
    print("gensim is not installed (`pip install gensim`), so the checks and comparisons with gensim are skipped")

# %% [markdown]
# ## 1. A word's character n-grams
#
# fastText writes a word between the symbols `<` and `>` and takes every run of $n$ characters,
# $n$ from 3 to 6: for "where" and $n = 3$, `<wh`, `whe`, `her`, `ere`, `re>`. The symbols tell a
# prefix from the same letters inside a word: `<her` is not the `her` of "where". The word itself
# also keeps a row of its own. We list the n-grams in fastText's order: by start, then by length.

# %%
def ngrams(word, min_n=3, max_n=6):
    """The character n-grams of '<word>', min_n <= n <= max_n, by start position then length."""
    w = "<" + word + ">"
    grams = []
    for i in range(len(w)):
        for n in range(min_n, max_n + 1):
            if i + n <= len(w):
                grams.append(w[i:i + n])
    return grams


print(ngrams("where", 3, 3))
print(len(ngrams("where")), "n-grams of 'where' for n = 3..6:", " ".join(ngrams("where")))

# %% [markdown]
# Characters are Unicode code points: fastText walks the word's UTF-8 bytes and never starts or
# ends an n-gram inside a character, so "café" has the n-gram `fé>` of three characters (four
# bytes). Python's strings are code points already. The package's `char_ngrams` is our function
# (plus fastText's rule for $n = 1$, where a lone `<` or `>` is no n-gram), and gensim's
# `compute_ngrams_bytes` is fastText's loop over bytes. Over the whole vocabulary and a few
# non-ASCII words the three agree, n-gram for n-gram and in the same order:

# %%
from w2v_helpers.subwords import char_ngrams

NON_ASCII = ["café", "naïve", "Zürich", "façade", "東京", "straße", "😀ok", "x"]
for w in list(words) + NON_ASCII:
    assert ngrams(w) == char_ngrams(w)
    if HAVE_GENSIM:
        assert [g.decode("utf-8") for g in compute_ngrams_bytes(w, MIN_N, MAX_N)] == ngrams(w)
counts = np.array([len(ngrams(w)) for w in words])
print(f"{len(words) + len(NON_ASCII):,} words: the same n-grams as char_ngrams" + (" and gensim" if HAVE_GENSIM else "")
      + f"\nn-grams per vocabulary word: {counts.mean():.1f} on average, up to {counts.max()}; "
      f"rows per running word (n-grams + its own): {(counts[corpus.ids] + 1).mean():.1f}")

# %% [markdown]
# A word of $L$ characters has $L + 3 - n$ n-grams of each length $n$, about $4L$ in all, and each
# running word costs that many rows instead of skip-gram's one: the price of subwords (section 5).
#
# ## 2. Hashing n-grams into buckets
#
# Too many n-grams are possible to give each a row. fastText hashes each one and keeps `hash %
# buckets` rows, 2,000,000 by default; n-grams in the same bucket share a row. The hash is 32-bit
# FNV-1a on the UTF-8 bytes: start from 2166136261, and for each byte XOR it in and multiply by
# 16777619, modulo $2^{32}$. fastText's C++ reads a byte as a *signed* `char`, so a byte from 0x80
# up (all bytes of non-ASCII characters) enters sign-extended, as 0xFFFFFF80 and above: unlike
# textbook FNV-1a, and gensim copies the quirk to read fastText's files.

# %%
from w2v_helpers.subwords import SubwordIndex, fnv1a, fnv1a_many, ngram_buckets


def fnv1a_hash(data):
    """fastText's 32-bit FNV-1a of a byte string (bytes from 0x80 up sign-extended)."""
    h = 2166136261
    for byte in data:
        if byte >= 0x80:
            byte |= 0xFFFFFF00          # a signed char, widened to 32 bits
        h = ((h ^ byte) * 16777619) % 2**32
    return h


grams = [g.encode("utf-8") for w in list(words) + NON_ASCII for g in ngrams(w)]
ours = np.array([fnv1a_hash(g) for g in grams], dtype=np.uint32)
assert ours.tolist() == [fnv1a(g) for g in grams] and np.array_equal(ours, fnv1a_many(grams))
if HAVE_GENSIM:
    assert ours.tolist() == [ft_hash_bytes(g) for g in grams]
    for w in list(words[:2000]) + NON_ASCII:
        assert ngram_buckets(w).tolist() == ft_ngram_hashes(w, MIN_N, MAX_N, BUCKETS)
wide = [g for g in grams if max(g) >= 0x80]
differ = sum(fnv1a_hash(g) != reduce(lambda h, b: ((h ^ b) * 16777619) % 2**32, g, 2166136261) for g in wide)
print(f"{len(grams):,} n-grams hashed: equal to fnv1a, fnv1a_many" + (" and gensim's" if HAVE_GENSIM else "")
      + f"\nwith non-ASCII bytes: {len(wide)}, of which {differ} hash differently with textbook FNV-1a")
for g in ["<wh", "whe", "fé>"]:
    print(f"  {g!r}: hash {fnv1a_hash(g.encode()):>10}, bucket {fnv1a_hash(g.encode()) % BUCKETS:>9,}")

# %% [markdown]
# The package's `fnv1a_many` runs the same loop on all n-grams of one length at once. With 2M rows
# of 100 float32 numbers, fastText's n-gram table takes 800 MB. But a row trains only when some
# vocabulary word has an n-gram in it; `SubwordIndex.build` keeps only the buckets the vocabulary reaches:

# %%
index = SubwordIndex.build(words, MIN_N, MAX_N, BUCKETS)
distinct = len({g for w in words for g in ngrams(w)})
print(f"{distinct:,} distinct n-grams in the vocabulary fall into {len(index.used):,} of the {BUCKETS:,} buckets "
      f"({distinct - len(index.used):,} share a bucket with another)")
full, kept = BUCKETS * CONFIG.dim * 4, index.n_rows * CONFIG.dim * 4
print(f"input table: {full / 1e6:,.0f} MB with every bucket, {kept / 1e6:,.0f} MB with the used ones "
      f"({len(words):,} word rows + {len(index.used):,} n-gram rows)")

# %% [markdown]
# That is why the package keeps fastText's 2,000,000 buckets as its default: the table costs the
# used rows only. A word outside the vocabulary can still have an n-gram in an unused bucket; that
# row never trained, so we count it as a row of zeros. (fastText adds its random start instead, a
# little noise.) Settings that cannot work, such as `min_n` above `max_n`, are refused in one line by
# `check_ngram_settings` before any work starts.
#
# ## 3. A word's vector: the mean of its rows
#
# Stack the word rows and the used n-gram rows into one input table $Z$. A word $w$ with rows
# $G_w$ (its own and its n-grams', $n_w$ of them) gets the input vector
#
# $$ h_w = \frac{1}{n_w} \sum_{g \in G_w} z_g , $$
#
# which takes the place of skip-gram's $v_c$; the output vectors $u$ stay one per word. The paper
# writes a sum; fastText's code and gensim take the **mean**, in training and when they report a
# vector, and so do we. A sum grows with the word's length: "internationalization" would add 78
# rows where "the" adds 4, its vector would be many times longer and, in training, its score
# $u \cdot h$ would move that many times faster for the same step. The mean puts every word on one
# scale, like CBOW's mean of a window in Chapter 9. The package's `mean_rows` does it for a batch:
# it lists the rows of all its words one after the other (`flat`), records whose each one is
# (`bag`), and lets `F.embedding_bag` take the means.

# %%
from w2v_helpers.subwords import mean_rows


def subword_vector(table, rows):
    """The mean of the rows of `table` listed in `rows`: a word's input vector."""
    return table[rows].mean(0)


gen = torch.Generator().manual_seed(SEED)
table = torch.randn(index.n_rows, 8, generator=gen, dtype=torch.float64)     # (V + R, d)
offsets, rows = torch.from_numpy(index.offsets), torch.from_numpy(index.rows)
batch = torch.from_numpy(corpus.ids[:6].astype(np.int64))                     # 6 words of running text
h, flat, bag = mean_rows(table, offsets, rows, batch)
for i, word_id in enumerate(batch.tolist()):
    torch.testing.assert_close(h[i], subword_vector(table, index.rows_of(words[word_id])), rtol=1e-12, atol=1e-12)
print(f"mean_rows: {tuple(h.shape)} vectors from {len(flat)} rows, each the mean of its word's rows (to 1e-12)")

# %% [markdown]
# ## 4. The gradient through the mean, and fastText's step
#
# The SGNS loss of a pair is Chapter 1's with $h_w$ for $v_c$. With the errors $g_0 = \sigma(u_o
# \cdot h) - 1$ and $g_k = \sigma(u_{n_k} \cdot h)$,
#
# $$ \frac{\partial L}{\partial h} = g_0\, u_o + \sum_k g_k\, u_{n_k}, \qquad
#    \frac{\partial L}{\partial z_g} = \frac{1}{n_w} \frac{\partial L}{\partial h} \text{ for each } g \in G_w, $$
#
# and the output vectors get $g_0 h$ and $g_k h$ as before. By hand, for one pair, checked against
# autograd on a short word and a long one:

# %%
def subword_grads(z, u_pos, u_neg):
    """One pair: z (n, d) the centre word's rows, u_pos (d,), u_neg (K, d) -> loss, dL/dz, dL/du_pos, dL/du_neg."""
    h = z.mean(0)                                             # (d,)
    s_pos, s_neg = u_pos @ h, u_neg @ h                       # (), (K,)
    loss = -F.logsigmoid(s_pos) - F.logsigmoid(-s_neg).sum()
    g_pos, g_neg = torch.sigmoid(s_pos) - 1, torch.sigmoid(s_neg)
    grad_h = g_pos * u_pos + g_neg @ u_neg                    # (d,)
    return loss, grad_h.expand_as(z) / len(z), g_pos * h, g_neg[:, None] * h


for w in sorted(words[:3000], key=len)[::2999]:               # the shortest and the longest of 3,000 words
    z = table[index.rows_of(w)].clone().requires_grad_()
    u_pos, u_neg = (torch.randn(*s, generator=gen, dtype=torch.float64).requires_grad_() for s in [(8,), (5, 8)])
    loss, *by_hand = subword_grads(z, u_pos, u_neg)
    loss.backward()
    err = max((a - b.grad).abs().max().item() for a, b in zip(by_hand, [z, u_pos, u_neg]))
    print(f"{w!r}: {len(z)} rows, largest difference from autograd {err:.1e}")
    assert err < 1e-12

# %% [markdown]
# fastText does not take this step. Its code, and gensim's, adds the *whole* $-\eta\,\partial L/
# \partial h$ to every row of the word, not the $\frac{1}{n_w}$ share: word2vec's CBOW step of
# Chapter 9 again, so that a long word's many rows do not each crawl at a fraction of a short
# word's step. The package's `subword_step_shared` takes fastText's step with the fast method's
# batches and shared noise words (Chapter 5); `tests/test_subwords.py` checks it against autograd,
# on a loss whose $h = t - (1 - \frac{1}{n_w})\,\text{detach}(t)$, with $t$ the sum, has the mean's
# value and passes its gradient whole to each row. Exercise 2 asks you to write that step.
#
# ## 5. Training, next to gensim's FastText
#
# `train(ids, vocab, config, subwords=index)` runs the trainer of Chapter 5 with these parts: the
# same subsampling, windows, shuffling and shared noise words, a `SubwordSkipGram` model whose
# input table has a row per word and per used bucket, and `subword_step_shared` as the step. On the
# command line: `python -m w2v_helpers train --subwords --min-n 3 --max-n 6 --buckets 2000000`.
# gensim's `FastText(sg=1)` trains the same model with the same settings and one worker.

# %%
# NBVAL_IGNORE_OUTPUT
run = train(corpus.ids, corpus.vocab, CONFIG, subwords=index)
subvec = run.model.subword_vectors()
vectors, seconds = {"ours": subvec.word_vectors()}, {"ours": run.seconds}
if HAVE_GENSIM:
    sentences = [[words[i] for i in corpus.ids[j:j + 10_000]] for j in range(0, len(corpus.ids), 10_000)]
    t0 = time.perf_counter()
    gensim_model = FastText(sentences, sg=1, vector_size=CONFIG.dim, window=CONFIG.window, negative=CONFIG.negative,
                            sample=CONFIG.sample, alpha=CONFIG.lr, min_alpha=CONFIG.min_lr, epochs=CONFIG.epochs,
                            min_count=1, seed=SEED, workers=1, min_n=MIN_N, max_n=MAX_N, bucket=BUCKETS)
    seconds["gensim FastText"] = time.perf_counter() - t0
    vectors["gensim FastText"] = WordVectors(gensim_model.wv.index_to_key, gensim_model.wv.vectors)
    del sentences
n_words = CONFIG.epochs * len(corpus.ids)
for name, s in seconds.items():
    print(f"{name:>15}: {s:6.1f} s, {n_words / s:9,.0f} words/s (one worker)")

# %% tags=["real-text"]
quality = {name: headline_scores(wv, corpus.analogies if TOY else None) for name, wv in vectors.items()}
for name, row in quality.items():
    print(f"{name:>15}: " + ", ".join(f"{k} {v:.3f}" for k, v in row.items()))
if TOY:
    assert all(row["planted analogies"] >= 0.9 for row in quality.values())
else:
    chance = 1 / min(len(words), 30_000)
    assert all(row["analogy accuracy"] > 20 * chance for row in quality.values())

# %% [markdown]
# Both models answer far more analogies than Chapter 9's skip-gram: most of the questions are
# syntactic (plurals, tenses, adverbs, comparatives), and their words share endings that n-grams
# carry. Ours scored 0.388 and 0.323, gensim's 0.274 and 0.266, a clear gap, and it is the step
# size: our batches add up the steps of 1,024 pairs, so an n-gram row shared by many words of a
# batch moves by all their steps at once, where gensim takes one pair at a time. At fastText's own
# rate, 0.05, gensim scores 0.414 and 0.338. gensim's compiled loop was about three times as fast.
#
# ## 6. Words that training never saw
#
# A misspelling shares most of its n-grams with the word meant: swap two letters in the middle of
# a long word and only the n-grams across the swap change. We misspell the 300 most frequent words
# of at least 8 letters that way and keep the misspellings that are not words of the vocabulary.
# Plain skip-gram has no vector for any of them; here each gets one, and we ask where the word
# meant ranks among all the vocabulary's words by cosine, and how often it is closer to the
# misspelling than another of the long words is.

# %%
def misspell(word):
    """Swap the two letters at the middle of the word."""
    i = len(word) // 2 - 1
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


long_words = [w for w in words if len(w) >= 8 and w.isalpha()][:300]
typos = {misspell(w): w for w in long_words if misspell(w) not in subvec and misspell(w) != w}
meant = [words.index(w) for w in typos.values()]
others = np.roll(meant, 1)                                       # another long word for each misspelling
lookups = {"ours": subvec.vector}
if HAVE_GENSIM:
    lookups["gensim FastText"] = gensim_model.wv.get_vector
found = {}
for name, lookup in lookups.items():
    table = WordVectors(words, np.stack([vectors[name][w] for w in words])).unit     # (V, d), our word order
    cos = WordVectors(list(typos), np.stack([lookup(t) for t in typos])).unit @ table.T   # (typos, V)
    picked = cos[np.arange(len(meant)), meant]
    rank = (cos > picked[:, None]).sum(1)                            # 0: the word meant is the nearest
    closer = np.mean(picked > cos[np.arange(len(meant)), others])
    found[name] = closer
    print(f"{name:>15}: the word meant ranks {np.median(rank):.0f} (median) of {len(words):,}, is among the ten "
          f"nearest for {np.mean(rank < 10):.0%}, and is closer than another long word for {closer:.0%} "
          f"of {len(typos)} misspellings")
assert all(v >= 0.8 for v in found.values())

# %% tags=["real-text"]
for typo in list(typos)[:4] + ["beautifull", "happyness", "unfriendliness"]:
    if typo in subvec:
        continue
    print(f"{typo:>16} ->  " + ", ".join(f"{n} ({s:.2f})" for n, s in subvec.most_similar(typo, 5)))

# %% [markdown]
# A misspelling lands near the word meant: closer than another long word for 98% of them (gensim:
# 97%). But the word meant is among the ten nearest for only 34% (22%): the nearest are words that
# share the most n-grams, often the same ending ("inculding" next to "folding"). On a small corpus
# an unseen word's vector is mostly its spelling.
#
# ## 7. Saving and loading
#
# The vocabulary's vectors save as before, in word2vec's text or binary format, and any program
# that reads word2vec files can use them. A vector for an unseen word needs the tables: a
# `SubwordVectors` saves them to one `.npz` file (numpy's zip of arrays) with the settings, read
# back without unpickling anything. Saved and loaded, the tables are equal bit for bit, and so is
# the vector of a word that training never saw:

# %%
from w2v_helpers.subwords import SubwordVectors

with tempfile.TemporaryDirectory() as folder:
    subvec.word_vectors().save(Path(folder) / "vectors.txt")
    subvec.save(Path(folder) / "vectors.npz")
    loaded = SubwordVectors.load(Path(folder) / "vectors.npz")
    sizes = ", ".join(f"{f}: {(Path(folder) / f).stat().st_size / 1e6:.0f} MB" for f in ["vectors.txt", "vectors.npz"])
assert np.array_equal(loaded.word_rows, subvec.word_rows) and np.array_equal(loaded.ngram_rows, subvec.ngram_rows)
assert np.array_equal(loaded.vector(next(iter(typos))), subvec.vector(next(iter(typos))))
print(loaded, sizes, sep="\n")

# %% [markdown]
# ## Summary
#
# * A word is the character n-grams of "<word>", $n$ from 3 to 6, hashed with fastText's FNV-1a
#   (bytes from 0x80 up sign-extended) into 2,000,000 buckets, exactly as gensim does; the package
#   keeps only the buckets the vocabulary reaches (`SubwordIndex`).
# * Its input vector is the mean of its own row and its n-grams' rows; the gradient gives each row
#   $\frac{1}{n}\,\partial L/\partial h$, while fastText, gensim and `subword_step_shared` give each the whole step.
# * Any word now has a vector, and a misspelling lands near the word meant.

# %% [markdown]
# ## Exercises
#
# Each exercise asks for one function: replace the `raise NotImplementedError` line of its stub with
# your code and run the check cell under it. The check tries your function on inputs of its own and
# prints `exercise NN.k: PASS`, or `FAIL` with a hint about what is wrong; it never prints the answer.
# Worked solutions, each passing its check, are in
# [solutions/12_solutions.ipynb](solutions/12_solutions.ipynb); open them after trying.
#
# **Exercise 1.** Write `subword_rows(word, vocab_index, buckets, min_n, max_n)`: the rows of `word`
# in fastText's own layout of the input table, which keeps every bucket: the word's own row
# `vocab_index[word]` when it is in the vocabulary (a dict from word to id, $V$ words), then
# $V + \text{hash}(g) \bmod \text{buckets}$ for each n-gram $g$ of "<word>" with fastText's FNV-1a
# on its UTF-8 bytes. The order of the rows does not matter.

# %% exercise="12.1" tags=["exercise"]
def subword_rows(word, vocab_index, buckets, min_n, max_n):
    """Row ids of `word` in a (V + buckets, d) table: its own row if it has one, then V + bucket per n-gram."""
    # YOUR CODE HERE
    raise NotImplementedError("return the rows of `word` in fastText's input table: its own row if it has one, then V + bucket of each n-gram")


# %%
from w2v_helpers.course.exercises import check_12_1

check_12_1(subword_rows)

# %% [markdown]
# **Exercise 2.** Write `fasttext_step(z, u, noise, lr)`: fastText's SGD step on the loss of one
# pair, with the centre word's rows `z` ($n \times d$), the context word's output vector `u` ($d$)
# and $K$ noise vectors `noise` ($K \times d$). $h$ is the mean of the rows; every row gets the
# whole $-\eta\,\partial L/\partial h$. Return the updated `(z, u, noise)`, every gradient taken at
# the old values.

# %% exercise="12.2" tags=["exercise"]
def fasttext_step(z, u, noise, lr):
    """One fastText step of -log sigma(u.h) - sum_k log sigma(-noise_k.h), h = mean of z; returns (z, u, noise)."""
    # YOUR CODE HERE
    raise NotImplementedError("return (z, u, noise) after fastText's SGD step on one pair")


# %%
from w2v_helpers.course.exercises import check_12_2

check_12_2(fasttext_step)
