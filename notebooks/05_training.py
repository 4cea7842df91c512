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
# # Chapter 5: training and nearest neighbours
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/word2vec-from-scratch/word2vec-from-scratch/blob/main/notebooks/05_training.ipynb) [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/word2vec-from-scratch/word2vec-from-scratch/main?labpath=notebooks%2F05_training.ipynb)
#
# **On real text:** [what this chapter shows on real English](../docs/real-text.md). Running time on
# 2 CPU cores: one to two minutes on the shipped English corpus, a few minutes on text8-sized text.
#
# Chapter 4 took single SGD steps on single batches. This chapter trains on the whole corpus and
# then asks the vectors questions. You will:
#
# 1. write the training loop yourself, and check that the package's trainer is the same loop;
# 2. train with `w2v_helpers.train.train` and plot the loss;
# 3. save the vectors in word2vec's file format;
# 4. look up nearest neighbours by cosine similarity, and measure why the raw dot product is a
#    worse choice;
# 5. on a small synthetic corpus, check that training recovers the analogies we planted in it.
#
# **What you need from earlier chapters.** The pieces of Chapters 2 to 4: the vocabulary and
# subsampling, negative sampling, the dynamic window and the `SkipGram` model. Training runs them
# in a loop, with a learning rate that falls linearly to almost zero.

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
import hashlib
from dataclasses import asdict, replace

import matplotlib.pyplot as plt
import numpy as np
import torch
from scipy.stats import spearmanr

from w2v_helpers.corpus import corpus_from_env, load_corpus
from w2v_helpers.evaluation import planted_analogy_accuracy
from w2v_helpers.model import SkipGram
from w2v_helpers.negative_sampling import NegativeSampler
from w2v_helpers.pairs import chunk_bounds, draw_window_sizes, pairs_vectorized
from w2v_helpers.paths import data_dir
from w2v_helpers.plots import plot_loss_curve
from w2v_helpers.subsampling import keep_prob_word2vec, subsample
from w2v_helpers.toy_corpus import planted_words
from w2v_helpers.train import TrainConfig, train
from w2v_helpers.vectors import WordVectors

SEED = 0  # the one seed behind every random number in this notebook
torch.set_num_threads(1)  # batches of 1,024 pairs gain nothing from more; same bits on every machine

corpus = corpus_from_env(seed=SEED)
TOY = corpus.name == "toy"
if TOY:
    cfg = TrainConfig(dim=50, epochs=3, chunk_tokens=25_000, seed=SEED)  # a few seconds
else:
    # word2vec's 5 epochs of 100-dimensional vectors, but no more epochs than it takes to train on
    # about 5M tokens in all: 4 on the shipped English corpus, 1 on text8-sized text.
    cfg = TrainConfig(dim=100, epochs=min(5, max(1, round(5_000_000 / len(corpus.ids)))), seed=SEED)
print(f"corpus {corpus.name!r}: {len(corpus.ids):,} tokens, {len(corpus.vocab):,} words")
print(f"dim={cfg.dim}, epochs={cfg.epochs}, window={cfg.window}, negative={cfg.negative}, "
      f"lr={cfg.lr}, method={cfg.method!r}")

# %% [markdown]
# ## 1. The training loop, written out
#
# Before handing the work to the package, we write the loop ourselves; every piece comes from an
# earlier chapter. The corpus is cut into chunks of `chunk_tokens` tokens (`chunk_bounds`;
# windows never cross a chunk boundary), and for every chunk of every epoch we:
#
# 1. subsample the frequent words (Chapter 2);
# 2. make the (centre, context) pairs with the dynamic window (Chapter 4);
# 3. shuffle the pairs, so that a batch mixes pairs from all over the chunk;
# 4. draw K noise words for every pair (Chapter 3);
# 5. take SGD steps on mini-batches of `batch_size` pairs with Chapter 4's `SkipGram` and
#    autograd, the loss of a batch being the sum of its pairs' losses.
#
# The learning rate falls linearly with the share of all words (of all epochs) trained before the
# batch, from `lr` at the first word to `min_lr` at the last (gensim's `alpha` and `min_alpha`, with
# the same defaults, 0.025 and 0.0001). Large steps at first move the vectors quickly away from
# their random start; small steps at the end let them settle instead of jumping around.
#
# All random numbers of a chunk come from a generator of its own, seeded with (seed, epoch, chunk),
# so the same settings give the same vectors, bit for bit, and an interrupted run can continue
# from any chunk. The model is Chapter 4's `SkipGram`, imported from the package.

# %%
def train_loop(ids, vocab, cfg):
    """SGNS training as this chapter writes it; returns (model, mean loss per pair of each chunk)."""
    model = SkipGram(len(vocab), cfg.dim, generator=torch.Generator().manual_seed(cfg.seed))
    optimizer = torch.optim.SGD(model.parameters(), lr=cfg.lr)
    keep = keep_prob_word2vec(vocab.frequencies(), cfg.sample) if cfg.sample > 0 else None   # Chapter 2
    sampler = NegativeSampler(vocab.counts)                       # Chapter 3
    total_words = cfg.epochs * len(ids)
    chunk_losses = []
    for epoch in range(cfg.epochs):
        for k, (start, stop) in enumerate(chunk_bounds(len(ids), cfg.chunk_tokens)):
            rng = np.random.default_rng([cfg.seed, epoch, k])    # one generator per chunk
            chunk = ids[start:stop]
            if keep is not None:
                chunk = subsample(chunk, keep, rng)                                   # (n,) ids
            b = draw_window_sizes(len(chunk), cfg.window, rng)                       # (n,) window sizes
            centres, contexts = pairs_vectorized(chunk, b, cfg.window)               # (P,), (P,)
            order = rng.permutation(len(centres))                                     # shuffle the pairs
            negatives = sampler.sample((len(centres), cfg.negative), rng)            # (P, K)
            centres, contexts = torch.from_numpy(centres[order]), torch.from_numpy(contexts[order])
            negatives = torch.from_numpy(negatives)
            words_before = epoch * len(ids) + start
            chunk_loss = 0.0
            for i in range(0, len(centres), cfg.batch_size):
                progress = (words_before + i / len(centres) * (stop - start)) / total_words
                lr = cfg.lr - (cfg.lr - cfg.min_lr) * progress               # linear decay to min_lr
                for group in optimizer.param_groups:
                    group["lr"] = lr
                batch = slice(i, i + cfg.batch_size)
                loss = model(centres[batch], contexts[batch], negatives[batch]).sum()   # (B,) -> ()
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                chunk_loss += loss.item()
            chunk_losses.append(chunk_loss / max(len(centres), 1))
    return model, chunk_losses


# %% [markdown]
# Let us run it: two epochs over the first 30,000 tokens, in chunks of 10,000 tokens, with the
# settings above.

# %%
LOOP_SLICE = corpus.ids[:30_000]
loop_cfg = replace(cfg, epochs=2, chunk_tokens=10_000, method="autograd", device="cpu")
loop_model, loop_losses = train_loop(LOOP_SLICE, corpus.vocab, loop_cfg)
print("our loop, mean loss per pair of each chunk:", " ".join(f"{x:.3f}" for x in loop_losses))
assert len(loop_losses) == 2 * 3 and loop_losses[-1] < loop_losses[0]

# %% [markdown]
# ### The package's trainer is this loop
#
# `w2v_helpers.train.train` runs the same steps: `make_chunk_batches` does steps 1 to 4 with the
# chunk's generator `chunk_rng(seed, epoch, chunk)`, drawing the same numbers in the same order,
# and `train_on_batches` does step 5 on the schedule of `learning_rate`. With `method="autograd"`
# it ends with the same vectors as our loop, bit for bit (on the CPU; a GPU adds numbers in
# another order and agrees only up to rounding).

# %%
package_run = train(LOOP_SLICE, corpus.vocab, loop_cfg, progress=False)
same_tables = (torch.equal(loop_model.in_embed.weight, package_run.model.in_embed.weight)
               and torch.equal(loop_model.out_embed.weight, package_run.model.out_embed.weight))
print(f"the package's trainer ends with our loop's input and output tables, bit for bit: {same_tables}")
assert same_tables

# %% [markdown]
# The trainer returns a `TrainResult` (the model, the mean loss of each chunk, counts and timings)
# and adds what long runs need: a progress bar, checkpoints, faster steps. `TrainConfig.method`
# picks the step: `"autograd"` is our loop; `"manual"` applies the gradients derived by hand in
# Chapter 1 (`w2v_helpers.gradients.sgd_step`); `"fast"`, the default, also lets all pairs of a
# batch share 16 noise words instead of drawing 5 per pair. From here on we use `"fast"`: the same
# loop with faster steps. Checkpoints and the three methods side by side are in
# [bonus 05b](bonus/05b_checkpoints_and_update_methods.ipynb); where the speed comes from, and
# training with several workers at once, in [bonus 05c](bonus/05c_fast_training.ipynb).
#
# ## 2. Training with the package
#
# The progress bar shows words per second and the loss of the latest chunk. The speed differs from
# run to run and machine to machine, so the notebook tests skip this cell's output. Then
# `result.chunk_losses` holds the mean loss per pair of each chunk; before training it would be
# $(K+1)\log 2 = 4.16$ with $K = 5$ noise words (Chapter 4).

# %%
# NBVAL_IGNORE_OUTPUT
result = train(corpus.ids, corpus.vocab, cfg)
print(f"{result.words:,} words in {result.seconds:.0f} s: {result.words_per_sec:,.0f} words/s")

# %%
chunks_per_epoch = len(chunk_bounds(len(corpus.ids), cfg.chunk_tokens))
losses = result.chunk_losses
print(f"{len(losses)} chunks ({chunks_per_epoch} per epoch)")
print(f"loss of the first chunk: {losses[0]:.3f}, of the last: {losses[-1]:.3f}")
assert len(losses) == cfg.epochs * chunks_per_epoch
assert losses[-1] < losses[0]
if cfg.epochs > 1:
    first, last = np.mean(losses[:chunks_per_epoch]), np.mean(losses[-chunks_per_epoch:])
    print(f"mean loss of the first epoch: {first:.3f}, of the last: {last:.3f}")
    assert last < first

# %% tags=["real-text"]
ax = plot_loss_curve(losses, chunks_per_epoch=chunks_per_epoch,
                     title=f"SGNS training loss on {corpus.name} (dotted lines: epoch ends)")
plt.show()

# %% [markdown]
# The loss drops fast in the first epoch (from 3.805 in the first chunk; the mean of the first
# epoch is 2.931) and then falls slowly (a mean of 2.294 in the last epoch), with a jagged edge:
# some stretches of real text are easier to predict than others, and each point is the mean over
# one chunk. It never approaches zero: every pair also scores five random noise words, and some of
# those really do occur near the centre word, so no set of vectors can tell all of them apart. A
# flat loss does not mean the vectors stopped improving either; as the learning rate decays, the
# small late steps keep refining them.
#
# ## 3. Saving the vectors
#
# Only the input table `in_embed` is kept as "the" word vectors, as word2vec does.
# `WordVectors.save` writes word2vec's format, which gensim and other tools read: a header line
# with the number of words and the dimension, then one word and its vector per line (text), or
# per record of raw 32-bit floats (`binary=True`). The binary form stores the floats exactly,
# so Chapter 6 can load these vectors instead of training again. The file goes into the
# course's data folder, under a name that encodes the corpus and the settings.

# %%
wv = WordVectors(corpus.vocab.words, result.model.word_vectors())
settings = hashlib.sha1(repr(sorted(asdict(cfg).items())).encode()).hexdigest()[:10]
vectors_file = data_dir() / f"ch05-{corpus.name}-{settings}.bin"
wv.save(vectors_file, binary=True)
reloaded = WordVectors.load(vectors_file)
assert reloaded.words == wv.words and np.array_equal(reloaded.vectors, wv.vectors)
print(f"saved and reloaded {reloaded}: identical")

# %% [markdown]
# ## 4. Nearest neighbours by cosine similarity
#
# Words that occur in similar contexts should get similar vectors. `WordVectors.most_similar`
# ranks all words by the cosine of the angle between their vector and the query's,
# $\cos(a, b) = a \cdot b \,/\, (\lVert a \rVert \lVert b \rVert)$, which ignores vector length.

# %% tags=["real-text"]
QUERIES = ["king", "paris", "cats"] if TOY else ["king", "france", "computer"]
QUERIES = [q for q in QUERIES if q in wv] or wv.words[100:103]  # any corpus: fall back to some words
for q in QUERIES:
    print(f"{q:>8}:", ", ".join(f"{w} ({s:.2f})" for w, s in wv.most_similar(q, k=6)))

# %% [markdown]
# The neighbours are related words: "king" comes out next to emperor, ruler, pope and khan and
# the numerals of particular kings (iv, iii), "france" next to prussia, scotland, germany and
# spain, and "computer" next to software, graphics and processing. A few are there for weaker
# reasons ("senate" for france, "theoretical" for computer): 1.4M tokens is a small corpus, and
# many words have been seen only a few dozen times. More text gives cleaner lists.
#
# ### Why not the raw dot product?
#
# The dot product $a \cdot b = \lVert a \rVert \lVert b \rVert \cos(a, b)$ also grows with the
# *lengths* of the vectors, and lengths tend to grow with word frequency: a word seen more often
# receives more updates, and as far as its contexts are consistent, those updates add up. First,
# the rank correlation between vector length and word count:

# %%
counts = corpus.vocab.counts
rho = spearmanr(wv.norms, counts).statistic
print(f"Spearman correlation between vector length and word count: {rho:.2f}")
assert rho > 0

fig, ax = plt.subplots(figsize=(6, 4))
ax.scatter(counts, wv.norms, s=4, alpha=0.4)
ax.set(xscale="log", xlabel="word count in the corpus (log scale)", ylabel="length of the word's vector",
       title=f"Vector length against frequency (Spearman {rho:.2f})")
plt.show()

# %% [markdown]
# Over most of the vocabulary, length rises with frequency (a rank correlation of 0.82): from words
# seen a handful of times up to words seen some thousand times, the typical length roughly
# triples. The most frequent words ("the", "of", "and", seen tens of thousands of times) are
# shorter again: they occur next to everything, so their updates point in all directions, and
# subsampling skips most of their occurrences.
#
# So ranking by dot product favours frequent words. To measure it, take many query words and
# compare the *frequency rank* of their top-10 neighbours under each score. Word ids are
# frequency ranks (id 0 is the most frequent word), so a lower mean id means more frequent
# neighbours. `WordVectors.dot_product_neighbors` ranks by the raw dot product. Then one query
# side by side.

# %%
if TOY:
    probe = planted_words()
else:
    probe = [w for w in ["king", "queen", "france", "paris", "computer", "music", "river", "war",
                         "science", "church", "city", "water", "money", "school", "dog", "car",
                         "book", "film", "army", "language"] if w in wv]


def mean_rank(neighbours):
    return np.mean([wv.index(w) for w, _ in neighbours])


rank_cos = np.array([mean_rank(wv.most_similar(q, k=10)) for q in probe])
rank_dot = np.array([mean_rank(wv.dot_product_neighbors(q, k=10)) for q in probe])
print(f"{len(probe)} query words; vocabulary of {len(wv):,} words")
print(f"mean frequency rank of the top-10 neighbours: cosine {rank_cos.mean():.0f}, dot product {rank_dot.mean():.0f}")
print(f"queries whose dot-product neighbours are more frequent: {np.mean(rank_dot < rank_cos):.0%}")
assert rank_dot.mean() < rank_cos.mean()
assert np.mean(rank_dot < rank_cos) > 0.5
q = QUERIES[0]
print(f"\nthe neighbours of {q!r}, each with its frequency rank:")
for name, found in [("cosine", wv.most_similar(q, k=10)), ("dot", wv.dot_product_neighbors(q, k=10))]:
    print(f"{name:>6}:", ", ".join(f"{w} {wv.index(w)}" for w, _ in found))

# %% [markdown]
# Both lists start with "emperor", which is frequent *and* points the right way. Further down they
# part: cosine picks rarer words that share the contexts of "king" (iv, khan, sultan, philip),
# while the dot product picks frequent words with long vectors (death, son, until), which merely
# occur in the same kind of sentence. Over all queries, the mean frequency rank of the neighbours
# is 5008 under cosine and 980 under the dot product. A similarity between two words should not
# depend on how common they are, so cosine divides the lengths out and compares directions only.
# `most_similar` and the analogy search use it; the price is that rare words with noisy vectors can
# sneak in, which is why word2vec drops words below `min_count` in the first place.

# %% [markdown]
# ## 5. Planted analogies (synthetic toy corpus)
#
# Whether real vectors answer analogies well has no sure answer key; Chapter 7 scores them on the
# standard benchmark. Here we check the trainer where the answers are known because we planted
# them: the course's synthetic toy corpus (`load_corpus("toy")`, sentences over a small vocabulary)
# was generated so that, for example, king relates to queen as man to woman.
# `planted_analogy_accuracy` asks every planted question "a is to b as c is to ?", answers with
# the word closest by cosine to $b - a + c$ (excluding a, b and c), and returns the share answered
# correctly.

# %%
toy = load_corpus("toy", seed=SEED)   # synthetic: planted analogies, not real English
toy_cfg = TrainConfig(dim=50, epochs=3, chunk_tokens=25_000, seed=SEED)
toy_wv = WordVectors(toy.vocab.words, train(toy.ids, toy.vocab, toy_cfg, progress=False).model.word_vectors())
accuracy = planted_analogy_accuracy(toy_wv, toy.analogies)
print(f"toy corpus, {len(toy.ids):,} tokens: planted analogies answered correctly: {accuracy:.2f} "
      f"of {len(toy.analogies)} questions")
assert accuracy >= 0.9
for a, b, c in [("man", "king", "woman"), ("france", "paris", "germany"), ("cat", "cats", "dog")]:
    print(f"{a} is to {b} as {c} is to {toy_wv.analogy(a, b, c, k=1)[0][0]}")

# %% [markdown]
# Every planted analogy is recovered. Chapter 6 draws the vectors to see why this works, and
# Chapter 7 asks the same questions of the vectors trained on real English.
#
# ## Summary
#
# * The training loop is short: per chunk, subsample, pair, shuffle, draw noise words, and take
#   SGD steps with a linearly falling learning rate. The package's `train` is that loop (same
#   random draws, same vectors bit for bit), with faster steps.
# * The loss falls quickly and then flattens well above zero. The vectors are saved in word2vec's
#   format.
# * Vector length grows with frequency, so the raw dot product ranks frequent words first; cosine
#   compares directions only.
# * On a synthetic corpus with planted analogies, training recovers them.

# %% [markdown]
# ## Exercises
#
# Each exercise asks for one function: replace the `raise NotImplementedError` line of its stub with
# your code and run the check cell under it. The check tries your function on inputs of its own and
# prints `exercise NN.k: PASS`, or `FAIL` with a hint about what is wrong; it never prints the answer.
# Worked solutions, each passing its check, are in
# [solutions/05_solutions.ipynb](solutions/05_solutions.ipynb); open them after trying.
#
# **Exercise 1.** Write `nearest_by_cosine(vectors, query, k)`: the row indices of the `k` rows of
# `vectors` most similar to row `query` by cosine, most similar first, leaving the query out.
# Then compare `nearest_by_cosine(wv.vectors, wv.index(q), 10)` with `wv.most_similar(q)` for the
# words in `QUERIES`.

# %% exercise="05.1" tags=["exercise"]
def nearest_by_cosine(vectors, query, k):
    """Indices of the k rows with the largest cosine with row `query`, best first, query excluded."""
    # YOUR CODE HERE
    raise NotImplementedError("return the indices of the k rows most similar to row `query`, best first")


# %%
from w2v_helpers.course.exercises import check_05_1

check_05_1(nearest_by_cosine)

# %% [markdown]
# **Exercise 2.** `wv.most_similar(q, k=10, restrict=200)` searches only the `restrict` most frequent
# words. Write `nearest_restricted(vectors, query, k, restrict)`, the same search over rows
# `0 .. restrict - 1` only (by cosine, query left out). How do the neighbour lists of `QUERIES`
# change with `restrict=200`, and when would such a restriction be useful?

# %% exercise="05.2" tags=["exercise"]
def nearest_restricted(vectors, query, k, restrict):
    """The k nearest rows to row `query` by cosine among rows 0..restrict-1, best first, query excluded."""
    # YOUR CODE HERE
    raise NotImplementedError("return the k nearest rows by cosine among rows 0..restrict-1")


# %%
from w2v_helpers.course.exercises import check_05_2

check_05_2(nearest_restricted)
