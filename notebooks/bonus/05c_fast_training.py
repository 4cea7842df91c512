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
# # Bonus 05c: making training fast
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/word2vec-from-scratch/word2vec-from-scratch/blob/main/notebooks/bonus/05c_fast_training.ipynb) [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/word2vec-from-scratch/word2vec-from-scratch/main?labpath=notebooks%2Fbonus%2F05c_fast_training.ipynb)
#
# **On real text:** [what the course shows on real English](../../docs/real-text.md). Running time
# on 2 CPU cores: one to four minutes, depending on what else the machine is running; most of it is
# the reference design. The stored outputs come from the English corpus that ships with the
# package (Jane Austen's novels and the opening paragraphs of Wikipedia articles); `W2V_CORPUS=text8`
# gives a 12 times larger corpus with a larger vocabulary, which changes little here, since the
# speed measurements use only the corpus's first tokens.
#
# The trainer used since Chapter 5 gets through text8 in minutes. A first, straightforward
# version of the same algorithm would need hours, and more memory than most laptops have. This
# notebook starts from that straightforward version, the *reference design*, measures it, and
# then changes one thing at a time, measuring the speed after every change. You will see:
#
# 1. what the reference design costs: memory per pair, pairs per second, and where the time goes;
# 2. five changes that speed it up: vectorized pairs and noise words, sparse updates with plain
#    SGD, hand-derived gradients, noise words shared by a batch, and threads used the right way;
# 3. a chart of the speed after each change;
# 4. checks that the fast update computes what the slow one does, and that the vectors are as good;
# 5. where a GPU fits in, and how to run the full comparison with gensim.
#
# **What you need from earlier chapters.** The SGNS loss and its gradients (Chapter 1), the
# dynamic window and negative sampling with its shared noise words (Chapters 2 and 3), the
# `SkipGram` model (Chapter 4), the trainer (Chapter 5) and the evaluation of Chapter 7: read it
# after Chapter 7. It trains with Chapter 5's `train`, scores vectors by the planted analogies of
# the toy corpus (Chapter 5), answered by 3CosAdd (Chapter 7), and ends with the gensim benchmark.
# [Bonus 05b](05b_checkpoints_and_update_methods.ipynb) compares the trainer's three update methods
# on quality; this notebook measures their speed.
#
# Timings depend on the machine and on whatever else it is running, so the cells that print them
# are not checked by the notebook tests. What is checked are facts that hold on any machine, such
# as "the fast trainer is at least five times faster than the reference".

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
import inspect
import time
import tracemalloc
from dataclasses import replace

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch.testing import assert_close

from w2v_helpers.corpus import corpus_from_env, load_corpus
from w2v_helpers.evaluation import planted_analogy_accuracy
from w2v_helpers.gradients import sgd_step, sgd_step_shared
from w2v_helpers.model import SkipGram, sgns_loss_shared
from w2v_helpers.naive import PairDataset, dynamic_window_pairs, reference_loader, train_dense_adam, vectorized_batches
from w2v_helpers.negative_sampling import NegativeSampler
from w2v_helpers.subsampling import keep_prob_word2vec
from w2v_helpers.train import TrainConfig, chunk_rng, make_chunk_batches, train, train_on_batches
from w2v_helpers.vectors import WordVectors

SEED = 0  # the one seed behind every random number in this notebook
DEFAULT_THREADS = torch.get_num_threads()  # torch's intra-op thread pool, before we change it
# Every measurement runs on one intra-op thread, as the trainer does; section 2(e) shows why.
torch.set_num_threads(1)

corpus = corpus_from_env(seed=SEED)
counts, V = corpus.vocab.counts, len(corpus.vocab)
SLICE = corpus.ids[:20_000]  # small enough for the reference design to finish in seconds
DIM, WINDOW, NEGATIVE, BATCH = 100, 5, 5, 1024  # word2vec's defaults, batches as in the trainer
print(f"corpus {corpus.name!r}: {len(corpus.ids):,} tokens, {V:,} words; we measure on the first {len(SLICE):,} tokens")

# %% [markdown]
# ## 1. The reference design
#
# ### Every pair as a Python list of tuples
#
# The most direct way to prepare the training data is a double loop that collects every
# (centre, context) pair of the corpus into a list, before training starts. Chapter 4 wrote that
# loop: `dynamic_window_pairs`. Each pair is a tuple of two Python ints, and Python objects are big: a
# 2-tuple takes 56 bytes, each int 28 bytes (except 0 to 256, which Python keeps once and shares),
# plus an 8-byte slot in the list. `tracemalloc` counts the bytes Python allocates, so we can
# measure the cost per pair directly.

# %%
tracemalloc.start()
pair_list = dynamic_window_pairs(SLICE, WINDOW, np.random.default_rng(SEED))
list_bytes, _ = tracemalloc.get_traced_memory()
tracemalloc.stop()

per_pair = list_bytes / len(pair_list)
pairs_per_token = len(pair_list) / len(SLICE)
small = np.mean(np.array(pair_list) <= 256)         # share of ids Python stores only once
expected = 8 + 56 + 2 * 28 * (1 - small)             # list slot + tuple + the ints of their own
print(f"{len(pair_list):,} pairs from {len(SLICE):,} tokens: {pairs_per_token:.2f} pairs per token")
print(f"measured {per_pair:.0f} bytes per pair; from object sizes (with {small:.0%} shared small ints): {expected:.0f}")
assert abs(per_pair - expected) / expected < 0.15
assert 5.5 < pairs_per_token < 6.0  # 2 * mean window of 3, a little less at the slice edges

# %% [markdown]
# With a window of 5, the dynamic window averages 3 words on each side, so each token makes
# about 6 pairs. Now scale up to text8, with its 17 million tokens:

# %%
TEXT8_TOKENS = 17_005_207  # the length of text8
text8_pairs = pairs_per_token * TEXT8_TOKENS
low, high = text8_pairs * per_pair, text8_pairs * (8 + 56 + 2 * 28)  # measured mix; no shared ints
print(f"text8: about {text8_pairs / 1e6:.0f} million pairs")
print(f"as a list of tuples: {low / 1e9:.1f} GB at this corpus's mix of ids, up to {high / 1e9:.1f} GB")
print(f"as two int64 numpy arrays: {text8_pairs * 16 / 1e9:.1f} GB; one 100,000-token chunk at a time: "
      f"{pairs_per_token * 100_000 * 16 / 1e6:.0f} MB")
assert low > 5e9 and high > 10e9

# %% [markdown]
# Roughly 9 to 12 GB before a single update has been made, and that is only the list: the
# shuffled order a `DataLoader` keeps for it comes on top. Two numpy arrays would hold the same
# pairs in 16 bytes each, and the trainer of Chapter 5 never holds more than one chunk's pairs.
#
# ### One example at a time
#
# The reference wraps the list in a torch `Dataset`. Its `__getitem__` returns a single pair and
# draws that pair's K noise words right there, with `numpy`'s `choice`:

# %%
print(inspect.getsource(PairDataset.__getitem__))

# %% [markdown]
# A `DataLoader` calls it 1,024 times per batch, in Python, and then its `collate` function turns
# 1,024 small results into three tensors. Every one of those steps is cheap; it is doing them
# per pair, millions of times, that is expensive. (`choice` with a probability vector also
# rebuilds the cumulative distribution, V numbers, for every call.)
#
# ### A dense model trained with Adam
#
# The model is Chapter 4's `SkipGram` with ordinary (dense) embeddings, and the optimizer is
# Adam with its usual learning rate of 0.001. A dense embedding's gradient is a full (V, d)
# tensor, mostly zeros, and Adam keeps two running averages per weight. Once a row has received
# a gradient, its averages are non-zero, and Adam moves it at *every* later step, whether or not
# the row's word is in the batch. Let us count on a few real batches:

# %%
dense = SkipGram(V, DIM, sparse=False, generator=torch.Generator().manual_seed(SEED))
adam = torch.optim.Adam(dense.parameters(), lr=1e-3)
seen = torch.zeros(V, dtype=torch.bool)  # rows that have had a gradient so far
for step, (c, o, neg) in enumerate(vectorized_batches(SLICE, counts, WINDOW, NEGATIVE, BATCH,
                                                      np.random.default_rng(SEED)), start=1):
    before = dense.in_embed.weight.detach().clone()
    adam.zero_grad()
    dense(c, o, neg).mean().backward()
    adam.step()
    seen |= dense.in_embed.weight.grad.any(1)
    if step == 20:
        break
grad = dense.in_embed.weight.grad
in_batch = len(torch.unique(c))
moved = int((dense.in_embed.weight.detach() != before).any(1).sum())
print(f"gradient of the input table: shape {tuple(grad.shape)}, non-zero in {int(grad.any(1).sum())} rows")
print(f"step {step}: {in_batch} distinct centre words in the batch, {moved} of {V:,} rows moved by Adam")
assert int(grad.any(1).sum()) == in_batch
assert moved == int(seen.sum()) > in_batch

# %% [markdown]
# The gradient has a non-zero row only for the centre words of the batch, yet Adam moves every
# row that has ever had one: after only 20 steps, 2,147 rows against the batch's 447, and the
# number keeps growing as rarer words turn up. And whichever rows move, each step reads and writes,
# for each of the two tables, the weights, the gradient and Adam's two averages: eight (V, d)
# tensors. With this corpus's 16,109 words that is already 51.5 MB per step, for a batch whose rows
# take 2.9 MB; text8's vocabulary, 71,290 words at `min_count=5`, makes it four times as much:

# %%
TEXT8_VOCAB = 71_290  # words of text8 with min_count 5
for name, vocab in [(corpus.name, V), ("text8", TEXT8_VOCAB)]:
    print(f"{name:>6}: {8 * vocab * DIM * 4 / 1e6:6.1f} MB touched per Adam step, "
          f"for a batch that needs {BATCH * (2 + NEGATIVE) * DIM * 4 / 1e6:.1f} MB of rows")

# %% [markdown]
# ### Measuring the reference
#
# One pass over the slice: build the pair list, then train on the `DataLoader`'s batches with
# `train_dense_adam`, which returns a `DenseRun` (the model, the loss of every batch, the number
# of pairs and the seconds). The clock runs through both. To see how much of the time goes into
# just preparing data, the `DataLoader` is wrapped in a generator that times each request for the
# next batch; the rest of the training loop is the model's forward and backward pass and Adam's
# step. The three parts add up to the whole run.

# %%
# NBVAL_IGNORE_OUTPUT
def timed(batches, clock):
    """Yield the batches, adding the seconds spent waiting for each to clock["seconds"]."""
    iterator = iter(batches)
    while True:
        t0 = time.perf_counter()
        try:
            batch = next(iterator)
        except StopIteration:
            return
        finally:
            clock["seconds"] += time.perf_counter() - t0
        yield batch


t0 = time.perf_counter()
pair_list = dynamic_window_pairs(SLICE, WINDOW, np.random.default_rng(SEED))
build_seconds = time.perf_counter() - t0
loader_clock = {"seconds": 0.0}
ref = train_dense_adam(timed(reference_loader(pair_list, counts, NEGATIVE, BATCH, SEED), loader_clock),
                       V, DIM, lr=1e-3, seed=SEED)
ref_seconds = build_seconds + ref.seconds
shares = {"building the list": build_seconds / ref_seconds,
          "the DataLoader": loader_clock["seconds"] / ref_seconds,
          "the model and Adam": (ref.seconds - loader_clock["seconds"]) / ref_seconds}

rates = {"reference": ref.pairs / ref_seconds}
print(f"reference: {ref.pairs:,} pairs in {ref_seconds:.1f} s = {rates['reference']:,.0f} pairs/s")
print("share of the time: " + ", ".join(f"{part} {share:.1%}" for part, share in shares.items()))
print(f"one epoch of text8 ({text8_pairs / 1e6:.0f} million pairs) at this rate: {text8_pairs / rates['reference'] / 3600:.1f} hours")
assert abs(sum(shares.values()) - 1) < 1e-9 and min(shares.values()) >= 0

# %% [markdown]
# The reference loss falls (it started at $6 \log 2 = 4.16$, Chapter 4), so it does learn:

# %%
print(f"mean loss of the first batch {ref.losses[0]:.2f}, of the last {ref.losses[-1]:.2f}")
assert ref.losses[-1] < ref.losses[0]

# %% [markdown]
# The last line converts the rate into the time one epoch of text8 would take; word2vec's default
# is five epochs.
#
# ## 2. Five steps to a fast trainer
#
# ### (a) Vectorized pairs, noise words drawn in bulk
#
# `pairs_vectorized` (Chapter 4) makes the same pairs as the double loop with a few numpy
# operations, as two int64 arrays. `NegativeSampler.sample` (Chapter 3) draws the noise words
# for all pairs in one call, by binary search in the cumulative distribution. Batches are then
# slices of tensors: no `Dataset`, no `collate`. The model and the optimizer stay as they were:
# dense embeddings, autograd and Adam.

# %%
# NBVAL_IGNORE_OUTPUT
step_a = train_dense_adam(vectorized_batches(SLICE, counts, WINDOW, NEGATIVE, BATCH, np.random.default_rng(SEED)),
                          V, DIM, lr=1e-3, seed=SEED)
rates["(a) vectorized data"] = step_a.pairs_per_sec
print(f"(a) {step_a.pairs:,} pairs in {step_a.seconds:.1f} s = {step_a.pairs_per_sec:,.0f} pairs/s, "
      f"{step_a.pairs_per_sec / rates['reference']:.1f}x the reference")

# %% [markdown]
# ### (b) Sparse embeddings and plain SGD
#
# The rest of the steps use the trainer of Chapter 5, `w2v_helpers.train.train`, on the same
# slice. Its `method="autograd"` still uses autograd, but with `nn.Embedding(sparse=True)`: the
# gradient of a table is a sparse tensor holding only the rows the batch used. `torch.optim.SGD`
# adds it to just those rows. Plain SGD has no running averages, so rows outside the batch are
# never touched. Instead of Adam's adaptive steps, word2vec's recipe of a learning rate that
# starts at 0.025 and falls linearly to nearly zero does the job (Chapter 5).
#
# To keep the pairs comparable with the reference, we turn subsampling off (`sample=0`), and we
# make three passes over the slice so the faster runs last long enough to time.

# %%
# NBVAL_IGNORE_OUTPUT
BENCH = TrainConfig(dim=DIM, window=WINDOW, negative=NEGATIVE, batch_size=BATCH, sample=0, epochs=3,
                    chunk_tokens=5_000, seed=SEED)
runs = {}


def measure(label: str, cfg: TrainConfig) -> None:
    runs[label] = result = train(SLICE, corpus.vocab, cfg, progress=False)
    rates[label] = result.pairs_per_sec
    print(f"{label}: {result.pairs:,} pairs in {result.seconds:.1f} s = {result.pairs_per_sec:,.0f} pairs/s "
          f"({result.words_per_sec:,.0f} words/s), {result.pairs_per_sec / rates['reference']:.0f}x the reference")


measure("(b) sparse + SGD", replace(BENCH, method="autograd"))

# %% [markdown]
# How much the dense update costs grows with the vocabulary. Here is one dense Adam step against
# one sparse SGD step on the same batch, for this corpus's vocabulary and for text8's:

# %%
# NBVAL_IGNORE_OUTPUT
def ms_per_step(vocab: int, sparse: bool, repeats: int = 5) -> float:
    gen = torch.Generator().manual_seed(SEED)
    model = SkipGram(vocab, DIM, sparse=sparse, generator=gen)
    opt = torch.optim.SGD(model.parameters(), lr=0.025) if sparse else torch.optim.Adam(model.parameters(), lr=1e-3)
    c, o, neg = (torch.randint(0, vocab, shape, generator=gen) for shape in [(BATCH,), (BATCH,), (BATCH, NEGATIVE)])
    t0 = time.perf_counter()
    for _ in range(repeats):
        opt.zero_grad()
        model(c, o, neg).sum().backward()
        opt.step()
    return (time.perf_counter() - t0) / repeats * 1000


step_ms = {}
for name, vocab in [(corpus.name, V), ("text8", TEXT8_VOCAB)]:
    step_ms[name] = ms_per_step(vocab, False), ms_per_step(vocab, True)
    print(f"{name:>6} vocabulary: dense + Adam {step_ms[name][0]:.0f} ms, sparse + SGD {step_ms[name][1]:.0f} ms per step")
assert step_ms["text8"][0] > 3 * step_ms["text8"][1]

# %% [markdown]
# Already with this corpus's vocabulary the dense step costs several times the sparse one, which
# is much of what step (b) gains over step (a). With text8's vocabulary the dense step costs more
# again, while the sparse step hardly changes: its work depends on the batch, not on V.
#
# ### (c) Hand-derived gradients
#
# Chapter 1 derived the gradients of the SGNS loss on paper. `method="manual"` applies them
# directly (`gradients.sgd_step`): gather the rows, a few batched products, and two `index_add_`
# calls that add the updates into the tables. No autograd graph is recorded, no sparse gradient
# tensors are built and merged, and there is no optimizer.

# %%
# NBVAL_IGNORE_OUTPUT
measure("(c) manual gradients", replace(BENCH, method="manual"))

# %% [markdown]
# ### (d) Noise words shared by the batch
#
# With private noise words, each pair scores its own K = 5 rows: $5 \times 1024$ noise rows
# gathered, multiplied and scattered back per batch of 1,024 pairs. `method="fast"`
# (`gradients.sgd_step_shared`) draws one set of S = 16 noise words for the whole batch
# instead. All noise scores are then a single (B, d) x (d, S) matrix product, and only 16 noise
# rows are written back. Each pair's noise term is weighted K/S, so its expected value equals that of K private
# noise words.

# %%
# NBVAL_IGNORE_OUTPUT
measure("(d) shared negatives", replace(BENCH, method="fast"))

# %% [markdown]
# ### (e) Threads: one per operation, several workers
#
# torch splits a large operation over a pool of *intra-op* threads, by default one per core.
# Whether that pays depends on the size of the operation. Splitting means waking the pool's
# threads and waiting until all of them are done, for every operation, dozens per step. For an
# operation on a batch of 1,024 pairs, a few hundred thousand numbers and tens of microseconds of
# work, that fixed cost is comparable to the work itself; and when another program is using one
# of the cores, the operation may wait for a thread the operating system has not run yet, up to a
# scheduler time slice, milliseconds. The cell below times three steps with one thread and with
# torch's default pool (at least two threads): the dense reference step, whose Adam update sweeps
# the whole (V, d) tables; the fast step on the trainer's batch of 1,024 pairs; and the fast step
# on a batch 16 times larger. It alternates the two settings five times and reports medians, so
# that a burst of other work on the machine hits both alike.

# %%
# NBVAL_IGNORE_OUTPUT
def timed_steps(step, repeats: int, budget: float = 0.2) -> float:
    """Milliseconds per call of step(), over `repeats` calls or `budget` seconds, whichever ends first."""
    t0, done = time.perf_counter(), 0
    while done < repeats:
        step()
        done += 1
        if time.perf_counter() - t0 > budget:
            break
    return (time.perf_counter() - t0) / done * 1000


gen = torch.Generator().manual_seed(SEED)
c, o = torch.randint(0, V, (BATCH,), generator=gen), torch.randint(0, V, (BATCH,), generator=gen)
c_big, o_big = torch.randint(0, V, (16 * BATCH,), generator=gen), torch.randint(0, V, (16 * BATCH,), generator=gen)
neg, shared = torch.randint(0, V, (BATCH, NEGATIVE), generator=gen), torch.randint(0, V, (16,), generator=gen)
dense = SkipGram(V, DIM, sparse=False, generator=gen)
adam = torch.optim.Adam(dense.parameters(), lr=1e-3)
in_w, out_w = torch.rand(V, DIM, generator=gen) - 0.5, torch.zeros(V, DIM)


def dense_step():
    adam.zero_grad()
    dense(c, o, neg).mean().backward()
    adam.step()


steps = {"dense + Adam, 1,024 pairs": (dense_step, 5),
         "fast, 1,024 pairs": (lambda: sgd_step_shared(in_w, out_w, c, o, shared, 0.01, NEGATIVE), 50),
         "fast, 16,384 pairs": (lambda: sgd_step_shared(in_w, out_w, c_big, o_big, shared, 0.01, NEGATIVE), 5)}
POOL = max(DEFAULT_THREADS, 2)
step_times = {name: {1: [], POOL: []} for name in steps}
for _ in range(5):
    for threads in (1, POOL):
        torch.set_num_threads(threads)
        for name, (step, repeats) in steps.items():
            step_times[name][threads].append(timed_steps(step, repeats))
torch.set_num_threads(1)
pool_speedup = {name: np.median(t[1]) / np.median(t[POOL]) for name, t in step_times.items()}
print(f"{'step':<26}{'1 thread':>10}{f'{POOL} threads':>12}{'speed-up from the pool':>24}")
for name, t in step_times.items():
    print(f"{name:<26}{np.median(t[1]):>8.2f} ms{np.median(t[POOL]):>9.2f} ms{pool_speedup[name]:>23.2f}x")
gain = pool_speedup["fast, 1,024 pairs"]
verdict = "faster" if gain > 1.1 else "slower" if gain < 0.9 else "about as fast"
print(f"on this machine, now, the pool made the trainer's step {verdict} ({gain:.2f}x)")

# %% [markdown]
# The last column is what the pool did on the machine that ran the cell, at that moment, and the
# line under the table says it in words for the trainer's step; your numbers will differ, and so
# will two runs on one machine. The stored output comes from a 2-core machine shared with other
# work, and there the pool made every step slower. Both outcomes happen. On an idle machine with a free core for each
# thread, the pool makes the steps faster, the large ones most: the fast step on 16,384 pairs and
# the dense step, whose Adam update sweeps whole tables, have the most work to share out. When
# other programs keep the cores busy, the pool makes every step slower, often many times slower:
# each operation waits for its slowest thread, and a thread that the operating system has not
# scheduled yet can take milliseconds to come.
#
# So for the trainer's small steps the pool is a bet on the machine's load: a moderate gain when
# the cores are free, a large loss when they are not. The trainer does not take the bet. It keeps
# one intra-op thread per worker (as this notebook did at the top) and puts the cores to work on
# whole chunks of data instead: each core gets its own share of the *data*.
#
# With `workers=2`, two threads train two different chunks at once, on the same two tables,
# without any locks: the "Hogwild" scheme that word2vec and gensim use. torch releases Python's
# global interpreter lock inside each operation, so both threads really compute at the same time.
# When both update the same row at the same moment, one update can be lost; with sparse updates
# that is rare and harmless. How much this gains depends on free cores: on a machine whose cores
# are busy with other work, it may gain nothing.

# %%
# NBVAL_IGNORE_OUTPUT
measure("(e) 2 Hogwild workers", replace(BENCH, method="fast", workers=2))

# %% [markdown]
# The price is reproducibility. With one worker, the same seed gives the same vectors bit for
# bit. With two, the order in which the threads' updates reach the tables depends on how the
# operating system schedules them, so two runs with the same seed almost always differ. The
# differences do not stay in the last digits: every later update starts from slightly different
# vectors, so they grow through training. The cell compares the largest difference with the
# typical size of an entry.

# %%
one = [train(SLICE, corpus.vocab, replace(BENCH, epochs=1), progress=False).model.word_vectors() for _ in range(2)]
print("one worker, same seed, same vectors bit for bit:", np.array_equal(*one))
assert np.array_equal(*one)

# %%
# NBVAL_IGNORE_OUTPUT
two = [train(SLICE, corpus.vocab, replace(BENCH, epochs=1, workers=2), progress=False).model.word_vectors()
       for _ in range(2)]
print("two workers, same seed, same vectors bit for bit:", np.array_equal(*two))
print(f"largest difference between the two runs: {np.abs(two[0] - two[1]).max():.1e} "
      f"(the vectors' entries are around {np.abs(two[0]).mean():.1e})")

# %% [markdown]
# ### (f) Where the time goes now, and what did not help
#
# Before changing anything else, measure. The cell below takes one chunk through the two halves
# of the trainer's loop separately: preparing it (subsampling, windows, pairs, shuffling, noise
# words: `make_chunk_batches`, numpy) and training on it (`train_on_batches`, the fast step on
# every batch of 1,024 pairs).

# %%
# NBVAL_IGNORE_OUTPUT
profile_cfg = replace(BENCH, method="fast", sample=1e-3)
profile_model = SkipGram(V, DIM, generator=torch.Generator().manual_seed(SEED))
keep = keep_prob_word2vec(corpus.vocab.frequencies(), profile_cfg.sample)
t0 = time.perf_counter()
chunk_batches = [torch.from_numpy(a) for a in make_chunk_batches(SLICE, keep, NegativeSampler(counts), profile_cfg,
                                                                    chunk_rng(SEED, 0, 0))]
prep_s = time.perf_counter() - t0
t0 = time.perf_counter()
_, chunk_pairs = train_on_batches(profile_model, None, profile_cfg, chunk_batches, 0, len(SLICE), len(SLICE))
step_s = time.perf_counter() - t0
n_batches = -(-chunk_pairs // BATCH)
print(f"preparing the chunk: {prep_s * 1000:.0f} ms ({prep_s / (prep_s + step_s):.0%} of the time)")
print(f"training on it: {step_s * 1000:.0f} ms ({step_s / (prep_s + step_s):.0%}), "
      f"{n_batches} batches of up to {BATCH:,} pairs, {step_s / n_batches * 1000:.2f} ms each")

# %% [markdown]
# Almost all of the time is in the steps. The next cell splits one fast step (the batch of section
# (e)) into its four kinds of work and times each on its own:

# %%
# NBVAL_IGNORE_OUTPUT
v_rows, u_rows, n_rows = in_w.index_select(0, c), out_w.index_select(0, o), out_w.index_select(0, shared)
s_neg = v_rows @ n_rows.T                                                    # (B, S)
zeros_b, zeros_s = torch.zeros(BATCH, DIM), torch.zeros(len(shared), DIM)   # write-backs that change nothing
c_idx, o_idx = c.unsqueeze(1).expand(BATCH, DIM), o.unsqueeze(1).expand(BATCH, DIM)
s_idx = shared.unsqueeze(1).expand(len(shared), DIM)
parts = {
    "gather the rows (index_select)": lambda: (in_w.index_select(0, c), out_w.index_select(0, o),
                                               out_w.index_select(0, shared)),
    "scores (dot products, v @ n.T)": lambda: ((v_rows * u_rows).sum(1), v_rows @ n_rows.T),
    "gradients (products, two matmuls)": lambda: (torch.addmm(u_rows, s_neg, n_rows), s_neg.T @ v_rows,
                                                  u_rows * v_rows),
    "write the rows back (scatter_add_)": lambda: (in_w.scatter_add_(0, c_idx, zeros_b),
                                                   out_w.scatter_add_(0, o_idx, zeros_b),
                                                   out_w.scatter_add_(0, s_idx, zeros_s)),
}
part_ms = {name: timed_steps(fn, 200) for name, fn in parts.items()}
whole_ms = timed_steps(lambda: sgd_step_shared(in_w, out_w, c, o, shared, 0.01, NEGATIVE), 200)
for name, t in part_ms.items():
    print(f"{name:<38}{t:6.3f} ms  {t / sum(part_ms.values()):4.0%}")
print(f"{'the whole step':<38}{whole_ms:6.3f} ms")

# %% [markdown]
# No single kind of work dominates: gathering, scoring, the gradients and the write-backs each
# take a share. Almost every operation reads or writes a block of 1,024 x 100 numbers, so a step
# passes over the batch's rows about a dozen times, and the small matrix products with the 16
# shared noise words are not free either. What limits the step is moving memory, not Python. Ideas
# that looked promising, each measured once with the whole trainer on this English corpus (one
# worker, one epoch, words per second of the training loop; these runs are not repeated here):
#
# * **Larger batches**: twice the trainer's 1,024 pairs ran at the same speed (396k against 393k
#   words/s), four times as many slower (313k): the blocks no longer fit the processor's cache.
# * **`torch.compile` of the step**: 19 s to compile, then 4.6 ms per batch against 0.46 ms
#   without it. The compiler turns the in-place `scatter_add_` on the whole tables into copies.
# * **Fewer shared noise words**: S = 8 instead of 16 gained 18% (465k words/s) with the same
#   WordSim-353 after one epoch; a small gain, not a new kind of speed.
# * **Preparing the next chunk in another process**: preparation is about a tenth of the time,
#   so hiding it completely could gain at most that much.
#
# What is left is the dozen passes over memory per step. word2vec's C code and gensim's Cython
# make one pass per pair: a loop that keeps the pair's rows in the processor's cache from the dot
# product to the update. Matching that means a fused kernel written below PyTorch's operations
# (C++ or a compiler such as numba), which is where this course stops: the step stays a dozen
# readable tensor operations that a learner can check against autograd. With Hogwild workers on
# all cores (the command line's default), the whole job is still faster than gensim on two
# cores, and the gap grows with the corpus: the README's benchmark gives the measured figures.

# %% [markdown]
# ## 3. The whole journey in one chart

# %%
# NBVAL_IGNORE_OUTPUT
fig, ax = plt.subplots(figsize=(9, 4.5))
labels = list(rates)
bars = ax.bar(range(len(labels)), [rates[k] for k in labels], color="tab:blue")
bars[0].set_color("tab:gray")
ax.bar_label(bars, labels=[f"{rates[k]:,.0f}" for k in labels], fontsize=8)
ax.set_yscale("log")
ax.set_ylim(bottom=10 ** np.floor(np.log10(min(rates.values()) / 2)))  # a round floor well below the lowest bar
ax.set_xticks(range(len(labels)), labels, rotation=20, ha="right")
ax.set_xlabel("optimization step (each includes the ones before it)")
ax.set_ylabel("training pairs per second (log scale)")
ax.set_title(f"SGNS throughput on {len(SLICE):,} tokens of {corpus.name}, d={DIM}, one CPU thread per worker")
fig.tight_layout()
plt.show()

# %% [markdown]
# The log scale matters: the bars span more than an order of magnitude. The exact numbers change from run
# to run and machine to machine; the order of magnitude between the first and the last
# bars does not. This is what we check:

# %%
print("the fast trainer is at least 5x faster than the reference:", rates["(d) shared negatives"] >= 5 * rates["reference"])
print("vectorizing the data pipeline alone is faster than the reference:", rates["(a) vectorized data"] > rates["reference"])
assert rates["(d) shared negatives"] >= 5 * rates["reference"]
assert rates["(a) vectorized data"] > rates["reference"]

# %% [markdown]
# ## 4. Faster, but the same algorithm?
#
# Speed is worthless if the update changed. First, `sgd_step` must do exactly what autograd
# followed by one plain SGD step does, on the same batch. The batch below repeats some words,
# so it also checks that a row used twice receives the sum of both gradients. We compute in
# float64 so that only real differences, not rounding, could fail the comparison.

# %%
gen = torch.Generator().manual_seed(SEED)
small_v, small_d, B, K, S, LR = 30, 8, 64, NEGATIVE, 16, 0.05
start_in = torch.randn(small_v, small_d, generator=gen, dtype=torch.float64) * 0.3
start_out = torch.randn(small_v, small_d, generator=gen, dtype=torch.float64) * 0.3
c, o = torch.randint(0, small_v, (B,), generator=gen), torch.randint(0, small_v, (B,), generator=gen)
neg, shared = torch.randint(0, small_v, (B, K), generator=gen), torch.randint(0, small_v, (S,), generator=gen)

# autograd + SGD on the SkipGram module
model = SkipGram(small_v, small_d, sparse=True).double()
with torch.no_grad():
    model.in_embed.weight.copy_(start_in)
    model.out_embed.weight.copy_(start_out)
opt = torch.optim.SGD(model.parameters(), lr=LR)
auto_loss = model(c, o, neg).sum()
auto_loss.backward()
opt.step()

# the hand-derived step on copies of the same tables
in_w, out_w = start_in.clone(), start_out.clone()
manual_loss = sgd_step(in_w, out_w, c, o, neg, LR)
assert_close(manual_loss, auto_loss.detach())
assert_close(in_w, model.in_embed.weight.detach())
assert_close(out_w, model.out_embed.weight.detach())
print(f"repeated centre words in the batch: {B - len(torch.unique(c))}")
print("sgd_step == autograd + SGD: same loss, same input table, same output table")

# %% [markdown]
# Second, `sgd_step_shared` must be the exact gradient step of the *shared-noise* loss,
# `model.sgns_loss_shared`. Here autograd differentiates that loss directly, through plain
# tensors standing in for the tables.

# %%
tables = [start_in.clone().requires_grad_(), start_out.clone().requires_grad_()]
shared_loss = sgns_loss_shared(tables[0][c], tables[1][o], tables[1][shared], negative=K).sum()
shared_loss.backward()
expected_in, expected_out = (t.detach() - LR * t.grad for t in tables)

in_w, out_w = start_in.clone(), start_out.clone()
fast_loss = sgd_step_shared(in_w, out_w, c, o, shared, LR, K)
assert_close(fast_loss, shared_loss.detach())
assert_close(in_w, expected_in)
assert_close(out_w, expected_out)
print("sgd_step_shared == autograd on sgns_loss_shared + SGD: same loss, same tables")

# %% [markdown]
# So `manual` is the same algorithm as `autograd`, and `fast` is the exact gradient of a slightly
# different loss: an estimate of the same expected noise term that uses fewer random draws per
# batch. Whether that costs quality is an empirical question, and a synthetic corpus answers it
# most sharply: the toy corpus of Chapter 5 (`load_corpus("toy")`, not English) plants analogies
# whose answers we know. We train on it with each method, same settings and seed, and ask all
# planted questions.

# %%
toy = load_corpus("toy", seed=SEED)                    # the synthetic corpus with planted analogies
QUALITY = TrainConfig(dim=50, epochs=3, seed=SEED)     # the settings of Chapter 5 on the toy corpus
accuracy = {}
for method in ("manual", "fast"):
    result = train(toy.ids, toy.vocab, replace(QUALITY, method=method), progress=False)
    wv = WordVectors(toy.vocab.words, result.model.word_vectors())
    accuracy[method] = planted_analogy_accuracy(wv, toy.analogies)
    print(f"{method:>6}: planted analogies answered correctly {accuracy[method]:.2f} of {len(toy.analogies)} questions")
assert min(accuracy.values()) >= 0.9
assert abs(accuracy["fast"] - accuracy["manual"]) <= 0.05

# %% [markdown]
# Both answer nearly every planted question: the shared noise words cost no measurable quality
# here, while they buy a large part of the speed. ([Bonus 03b](03b_shared_negatives.ipynb) makes the
# same comparison on real English, on WordSim-353.) Hogwild runs are not reproducible, but they should be just as good.
# This run's accuracy can vary a little from run to run, so only a lower bound is checked:

# %%
# NBVAL_IGNORE_OUTPUT
result = train(toy.ids, toy.vocab, replace(QUALITY, method="fast", workers=2), progress=False)
hogwild = planted_analogy_accuracy(WordVectors(toy.vocab.words, result.model.word_vectors()), toy.analogies)
print(f"fast with 2 Hogwild workers: planted analogies answered correctly {hogwild:.2f}")
assert hogwild >= 0.9

# %% [markdown]
# ## 5. On a GPU, and against gensim
#
# The same trainer runs on a GPU with `TrainConfig(device="cuda")` (or `--device cuda` on the
# command line). The thread questions of step (e) do not arise there. A training step is a
# couple of dozen small operations, and each one launched on a GPU has a fixed cost of its own,
# which a batch of 1,024 pairs hardly uses the GPU enough to hide; larger batches usually pay off
# better. The trainer also keeps the running loss on the GPU, so that the CPU never has to wait
# for the GPU inside the loop. This cell runs only where torch finds a CUDA GPU, and then times
# two batch sizes:

# %%
# NBVAL_IGNORE_OUTPUT
if torch.cuda.is_available():
    for batch in (BATCH, 16 * BATCH):
        gpu = train(SLICE, corpus.vocab, replace(BENCH, device="cuda", batch_size=batch), progress=False)
        print(f"GPU, batches of {batch:,}: {gpu.pairs_per_sec:,.0f} pairs/s")
else:
    print("no CUDA GPU is present here; on a machine with one, this cell times the trainer on it")

# %% [markdown]
# Pairs per second on a slice are good for comparing the steps above, but what a user waits for
# is the whole job: reading the corpus, training five epochs, saving the vectors. The command
#
# ```bash
# python -m w2v_helpers benchmark --corpus data/text8 --workers 2
# ```
#
# runs our trainer and gensim's (the C-speed reference implementation for Python) on the same
# corpus with the same settings, each in its own process, and writes a table of words per
# second, peak memory and the quality of the vectors on standard benchmarks. Without text8,
# `python -m w2v_helpers make-zipf-corpus zipf.txt` writes a synthetic corpus of the same size
# to benchmark on.
#
# ## Summary
#
# * The reference design stores every pair as Python objects (gigabytes for text8), prepares
#   data one example at a time, and updates every row of dense tables at every step.
# * Vectorizing the data pipeline, sparse updates with plain SGD, hand-derived gradients and
#   noise words shared by a batch each remove work per pair; together they are orders of
#   magnitude faster on the same slice.
# * torch's intra-op thread pool speeds the steps up on an idle machine and slows them down many
#   times on a busy one; the trainer keeps one thread per worker and gives the cores Hogwild
#   workers, whose price is that two runs with the same seed end with different vectors.
# * What is left is memory traffic: a dozen passes over each batch's rows per step. Larger
#   batches and `torch.compile` do not remove them; a fused kernel below PyTorch would.
# * `sgd_step` equals autograd + SGD exactly; `sgd_step_shared` is the exact gradient of the
#   shared-noise loss; and both methods answer the toy corpus's planted analogies equally well.
#
# ## Exercises
#
# Each exercise asks for one function: replace the `raise NotImplementedError` line of its stub with
# your code and run the check cell under it. The check tries your function on inputs of its own and
# prints `exercise NN.k: PASS`, or `FAIL` with a hint about what is wrong; it never prints the answer.
# Worked solutions, each passing its check, are in
# [solutions/05c_solutions.ipynb](../solutions/05c_solutions.ipynb); open them after trying.
#
# **Exercise 1.** Write `speedups(seconds, pairs)`: given, for each step of the journey, the seconds
# it took and the number of pairs it trained on (the steps need not use the same number of pairs),
# return each step's speedup over the first one, its pairs per second divided by the first step's.
# Apply it to the timings measured in this notebook: does it agree with the chart of section 3?

# %% exercise="05c.1" tags=["exercise"]
def speedups(seconds, pairs):
    """Each step's pairs per second divided by the first step's (the first gets 1.0)."""
    # YOUR CODE HERE
    raise NotImplementedError("return each step's pairs per second divided by the first step's")


# %%
from w2v_helpers.course.exercises import check_05c_1

check_05c_1(speedups)

# %% [markdown]
# **Exercise 2.** Write `shared_step_one_pair(v, u, n, K, lr)`: one SGD step of step (d)'s loss for a
# single pair, $-\log\sigma(u \cdot v) - \frac{K}{S}\sum_{s=1}^{S}\log\sigma(-n_s \cdot v)$, where
# `v` is the centre word's input vector, `u` the context word's output vector and `n` the `(S, d)`
# output vectors of the shared noise words. Return the updated `(v, u, n)`, every gradient taken at
# the old values. Compare your result with `sgd_step_shared` on a batch of one pair.

# %% exercise="05c.2" tags=["exercise"]
def shared_step_one_pair(v, u, n, K, lr):
    """(v, u, n) after one SGD step of the shared-noise SGNS loss for one pair."""
    # YOUR CODE HERE
    raise NotImplementedError("return (v, u, n) after one SGD step of the shared-noise loss")


# %%
from w2v_helpers.course.exercises import check_05c_2

check_05c_2(shared_step_one_pair)

# %% [markdown]
# Three more to explore, without a check:
#
# 3. Run step (d) with `shared_negatives` of 4, 16, 64 and 256. How do pairs per second and the
#    planted analogy accuracy change? Where would you set it?
# 4. The reference's `PairDataset` draws noise words with `rng.choice(V, size=K, p=...)`. Replace
#    it with a `NegativeSampler` built once in `__init__` and time the reference again. How much
#    of the gap to step (a) does this close, and why not all of it?
# 5. Measure step (d) with batch sizes 256, 1,024 and 16,384, with one intra-op thread and with
#    torch's default pool. At which batch size, if any, do several threads start to help?
