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
# # Chapter 0: why dense vectors: counts, PMI and SVD
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/word2vec-from-scratch/word2vec-from-scratch/blob/main/notebooks/00_why_dense_vectors.ipynb) [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/word2vec-from-scratch/word2vec-from-scratch/main?labpath=notebooks%2F00_why_dense_vectors.ipynb)
#
# **On real text:** [what this chapter shows on real English](../docs/real-text.md). The stored
# outputs come from the course's English corpus (Jane Austen's novels and the opening paragraphs of
# about 10,000 Wikipedia articles, 1.4M tokens). Running time on 2 CPU cores: about a minute on
# it. On a text8-sized corpus (17.5M tokens) the counts are restricted to the 20,000 most frequent
# words.
#
# Before we train anything, this chapter asks what a word vector should be, and builds one without
# a neural network. The recipe is older than word2vec: count which words occur near which, weigh
# the counts by how surprising they are, and compress the table. The rest of the course builds
# word2vec's skip-gram with negative sampling (SGNS), and Chapter 8 comes back to these counts to
# show that SGNS is a clever way of doing the same thing. By the end of this chapter you will:
#
# 1. see why one-hot vectors carry no notion of similarity: every two words are equally far apart;
# 2. build the window co-occurrence counts of a corpus as a sparse matrix, with numpy and no loop
#    over tokens, and know how much memory they take;
# 3. turn the counts into positive pointwise mutual information (PPMI), with and without the 3/4
#    power on the context distribution, and see what that power does;
# 4. compress PPMI into dense vectors with a truncated SVD, and look at their nearest words.
#
# **What you need.** numpy, logarithms, and the idea of the singular value decomposition
# ($M = U S V^\top$); scipy.sparse is introduced as we go. Nothing from later chapters.

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
import scipy.sparse as sp
from scipy.sparse.linalg import svds

from w2v_helpers import cooccurrence
from w2v_helpers.corpus import corpus_from_env
from w2v_helpers.errors import W2VError
from w2v_helpers.plots import line_plot

SEED = 0          # the one seed behind every random number in this notebook
WINDOW = 5        # word2vec's window: up to 5 words on each side
DIM = 100         # length of the dense vectors of Section 4, word2vec's default
MAX_WORDS = 20_000  # rows and columns of the counts on a large corpus: the most frequent words only

corpus = corpus_from_env(seed=SEED)
V = len(corpus.vocab)
print(f"corpus {corpus.name!r}: {len(corpus.ids):,} tokens, {V:,} words")

# %% [markdown]
# ## 1. One-hot vectors: every word is a stranger
#
# The simplest way to give each of $V$ words a vector is to give word $i$ the $i$-th unit vector
# $e_i \in \mathbb{R}^V$: a 1 in position $i$, zeros elsewhere. It identifies the word and nothing
# more. For two different words, $e_i^\top e_j = 0$, so their cosine similarity is 0, and
# $\lVert e_i - e_j \rVert = \sqrt{1 + 1} = \sqrt{2}$. *king* is exactly as far from *queen* as from
# *dog*. The cell below checks it for a few words, with the vectors as rows of a (sparse) identity
# matrix of the corpus's vocabulary size.

# %%
words = [w for w in ["king", "queen", "man", "paris", "dog", "cats"] if w in corpus.vocab]
one_hot = sp.identity(V, format="csr")[[corpus.vocab.id(w) for w in words]].toarray()  # (n, V)
dist = np.linalg.norm(one_hot[:, None, :] - one_hot[None, :, :], axis=-1)
cosine = one_hot @ one_hot.T / np.outer(np.linalg.norm(one_hot, axis=1), np.linalg.norm(one_hot, axis=1))
off_diagonal = ~np.eye(len(words), dtype=bool)
print(f"{len(words)} words as one-hot vectors of length {V:,}: {', '.join(words)}")
print(f"Euclidean distances between distinct words: {sorted({round(float(x), 6) for x in dist[off_diagonal]})}")
print(f"cosines between distinct words: {sorted({round(float(x), 6) for x in cosine[off_diagonal]})}")
assert np.allclose(dist[off_diagonal], math.sqrt(2)) and np.allclose(cosine[off_diagonal], 0.0)

# %% [markdown]
# One-hot vectors are also as long as the vocabulary (tens of thousands of numbers per word on real
# text). What we want instead are short, dense vectors in which words used alike lie close together.
#
# ## 2. The distributional hypothesis: window counts
#
# "You shall know a word by the company it keeps" (Firth, 1957): words that occur in similar
# contexts tend to mean similar things. To put that into numbers, describe each word by *its
# contexts*: count, for every pair of words $(w, c)$, how often $c$ occurs within `WINDOW`
# positions of $w$.
#
# The counts form a $V \times V$ matrix $N$, with $N_{wc}$ the number of times $c$ is seen near $w$.
# It is symmetric (if $c$ is near $w$, then $w$ is near $c$) and mostly zeros: most pairs of words
# never meet. We use word2vec's window (Chapter 4 builds it): for each token, it draws a window size
# $b$ uniformly from $1..5$ and pairs the token with the words up to $b$ positions away. A word at
# distance $d$ is therefore inside the window with probability $(5 - d + 1)/5$: always at distance 1,
# one time in five at distance 5. Counting each pair with that weight gives the number of times SGNS
# expects to see it.
#
# Building the matrix needs no loop over tokens: for each offset $d = 1..5$, the words at positions
# $i$ and $i + d$ are the two arrays `ids[:-d]` and `ids[d:]`, and scipy's `coo_matrix` adds up
# duplicate (row, column) entries when it is converted to CSR (compressed sparse rows).

# %%
def cooccurrence_counts(ids, vocab_size, window):
    """Symmetric window counts: a pair at distance d in 1..window adds (window - d + 1) / window."""
    rows, cols, weights = [], [], []
    for d in range(1, window + 1):
        left, right = ids[:-d], ids[d:]                 # every pair of tokens d positions apart
        rows.append(left)
        cols.append(right)
        weights.append(np.full(len(left), (window - d + 1) / window))
    rows, cols, weights = np.concatenate(rows), np.concatenate(cols), np.concatenate(weights)
    one_way = sp.coo_matrix((weights, (rows, cols)), shape=(vocab_size, vocab_size)).tocsr()  # sums duplicates
    return (one_way + one_way.T).tocsr()               # c after w, and c before w


# %% [markdown]
# A brute-force loop over the first 300 tokens, one pair at a time, is a slow but obvious check:

# %%
head = corpus.ids[:300]
brute = {}
for i in range(len(head)):
    for j in range(max(0, i - WINDOW), min(len(head), i + WINDOW + 1)):
        if j != i:
            key = (head[i], head[j])
            brute[key] = brute.get(key, 0.0) + (WINDOW - abs(i - j) + 1) / WINDOW
small = cooccurrence_counts(head, V, WINDOW)
assert small.nnz == len(brute) and all(math.isclose(small[w, c], n) for (w, c), n in brute.items())
print(f"first 300 tokens: {small.nnz:,} distinct (w, c) entries, total weight {small.sum():.1f}; "
      "the same as the loop")

# %% [markdown]
# How big is the matrix for the whole corpus? Stored densely, $V^2$ float64 numbers; stored as CSR,
# about 12 bytes per non-zero entry (an 8-byte value and a 4-byte column index). The package's
# `estimate_counts_bytes` counts the distinct pairs in the first million tokens and scales that up
# to the corpus length; new pairs turn up more and more slowly as text grows, so the estimate errs
# on the high side. It also allows for the copies made while the matrix is built and for the PPMI
# matrix of Section 3. On a large corpus we keep only the `MAX_WORDS` most frequent words as rows
# and columns (the ids below `MAX_WORDS`, since ids are sorted by count); their tokens keep their
# positions, so the windows are unchanged.

# %%
n_words = min(V, MAX_WORDS)
pairs_est, bytes_est = cooccurrence.estimate_counts_bytes(corpus.ids, V, WINDOW, max_words=n_words)
print(f"dense {n_words:,} x {n_words:,} float64 matrix: {n_words ** 2 * 8 / 2 ** 30:.2f} GiB")
print(f"estimated distinct pairs: {pairs_est:,}; estimated memory to build counts and PPMI: "
      f"{bytes_est / 2 ** 20:,.0f} MiB")
assert pairs_est <= n_words ** 2

# %% [markdown]
# `cooccurrence.cooccurrence_counts` is the function above made safe for a big corpus: it adds the
# pairs up one slice of the corpus at a time (the temporary arrays of a text8-sized corpus would not
# fit otherwise), takes `max_words`, and refuses, before building anything, a matrix whose estimated
# size exceeds the memory available (or `max_bytes`). Asked to stay within half its estimate:

# %%
try:
    cooccurrence.cooccurrence_counts(corpus.ids, V, WINDOW, max_words=n_words, max_bytes=bytes_est // 2)
except W2VError as exc:
    refusal = str(exc)
print(refusal)
assert "max_words" in refusal

# %% [markdown]
# The package's counts of the whole corpus, and a check that our function gives the same matrix on
# the first 1,500,000 tokens (the whole corpus when it is smaller):

# %%
counts = cooccurrence.cooccurrence_counts(corpus.ids, V, WINDOW, max_words=n_words)
check_ids = corpus.ids[:1_500_000]
ours, package = cooccurrence_counts(check_ids, V, WINDOW), cooccurrence.cooccurrence_counts(check_ids, V, WINDOW)
tolerance = 1e-12 * ours.max()   # the two add the same numbers in a different order
assert ours.nnz == package.nnz and abs(ours - package).max() <= tolerance
if n_words == V and len(check_ids) == len(corpus.ids):
    assert abs(ours - counts).max() <= tolerance
print(f"counts: {counts.shape[0]:,} x {counts.shape[1]:,}, {counts.nnz:,} non-zero entries "
      f"({counts.nnz / counts.shape[0] ** 2:.4f} of all), {(counts.data.nbytes + counts.indices.nbytes) / 2 ** 20:,.1f} "
      f"MiB as CSR; the estimate was {pairs_est:,} pairs")
assert counts.nnz <= pairs_est and abs(counts - counts.T).max() < 1e-9   # symmetric

# %% [markdown]
# What does a row look like? The cell prints the eight largest counts of a few rows and how many of
# those eight contexts are among the 50 most frequent words of the corpus.

# %%
probes = [w for w in ["king", "paris", "dog"] if w in corpus.vocab and corpus.vocab.id(w) < n_words]
COMMON = 50   # "frequent": among the 50 most frequent words (ids are sorted by count)


def top_contexts(matrix, word, k=8):
    row = matrix[corpus.vocab.id(word)].toarray().ravel()
    return [corpus.vocab.words[i] for i in np.argsort(-row, kind="stable")[:k]]


n_common = 0
for w in probes:
    contexts = top_contexts(counts, w)
    common = sum(corpus.vocab.id(c) < COMMON for c in contexts)
    n_common += common
    print(f"{w:>6}: {', '.join(contexts)}  ({common} of {len(contexts)} among the {COMMON} most frequent words)")
assert n_common >= 0.5 * 8 * len(probes)   # most of the largest counts belong to the most frequent words

# %% [markdown]
# The largest counts of a row are mostly the corpus's most frequent words, the grammatical words
# (*the*, *of*, *and*), whatever the row. Raw counts say more about how common a context is than
# about the word.

# %% [markdown]
# ## 3. PPMI: how much more often than chance
#
# Pointwise mutual information compares how often $w$ and $c$ meet with how often they would meet if
# they were independent:
#
# $$
# \text{PMI}(w, c) = \log \frac{P(w, c)}{P(w)\, P(c)}
#   = \log \frac{N_{wc} \cdot |N|}{N_{w\cdot}\, N_{\cdot c}},
# $$
#
# with $N_{w\cdot}$ the row sum, $N_{\cdot c}$ the column sum and $|N|$ the total of the matrix.
# PMI is 0 for a pair that meets as often as chance predicts, positive for one that meets more often,
# and $-\infty$ for one that never meets. Positive PMI, $\text{PPMI} = \max(\text{PMI}, 0)$, keeps
# the informative part and keeps the matrix sparse: an entry that was 0 stays 0.
#
# PMI has a known weakness: a rare context has a tiny $P(c)$ in the denominator, so a few chance
# meetings give it a large PMI. Levy, Goldberg and Dagan (2015) borrowed a remedy from word2vec,
# *context distribution smoothing*: raise the context counts to the power $\alpha = 0.75$ before
# normalising, $P_\alpha(c) = N_{\cdot c}^{\alpha} / \sum_{c'} N_{\cdot c'}^{\alpha}$. This raises
# the probability of rare contexts (and lowers that of frequent ones), which lowers the PMI of every
# pair with a rare context. On their corpora it improved PPMI's vectors on most of the word
# similarity tasks they tried. Whether it helps on a given corpus is a matter for measurement, and
# Chapter 8 measures it on this one. It is the same power as the noise distribution of negative
# sampling (Chapter 3), and Chapter 8 shows that this is no coincidence.

# %%
def ppmi(counts, alpha=1.0):
    """max(0, PMI) of the non-zero entries of a sparse counts matrix; contexts smoothed by ** alpha."""
    counts = counts.tocoo()
    total = counts.sum()
    p_w = np.asarray(counts.sum(axis=1)).ravel() / total              # row sums / total
    context = np.asarray(counts.sum(axis=0)).ravel() ** alpha         # column sums, smoothed
    p_c = context / context.sum()
    pmi = np.log(counts.data / total / (p_w[counts.row] * p_c[counts.col]))
    keep = pmi > 0
    return sp.csr_matrix((pmi[keep], (counts.row[keep], counts.col[keep])), shape=counts.shape)


ALPHA = 0.75
ppmi_plain, ppmi_smooth = ppmi(counts, 1.0), ppmi(counts, ALPHA)
assert ppmi_plain.data.min() > 0 and ppmi_smooth.data.min() > 0   # only positive entries are stored
print(f"PPMI keeps {ppmi_plain.nnz:,} of {counts.nnz:,} entries with alpha = 1, "
      f"{ppmi_smooth.nnz:,} with alpha = {ALPHA}")

# %% [markdown]
# The strongest contexts by PPMI, without and with the smoothing. The grammatical words are gone:
# the top of each row is now specific, and often rare, words. The smoothing moves a few more common
# words into the lists:

# %%
for w in probes:
    print(f"{w:>6}, alpha=1   : {', '.join(top_contexts(ppmi_plain, w))}")
    print(f"{w:>6}, alpha={ALPHA}: {', '.join(top_contexts(ppmi_smooth, w))}")

# %% [markdown]
# How far does the smoothing move a row's strongest context? In PMI only $P(c)$ changes, so
#
# $$
# \text{PMI}_\alpha(w, c) - \text{PMI}(w, c) = \log \frac{P(c)}{P_\alpha(c)}
#   = (1 - \alpha) \log N_{\cdot c} + \text{a constant}.
# $$
#
# Every entry of column $c$ gains the same amount, and the amount grows with the context's count.
# So within a row, the strongest context can stay or move to a *more frequent* context, never to a
# rarer one. The cell checks that for the 1,000 most frequent words and counts how many rows move.

# %%
def strongest_contexts(matrix, n=1000):
    """Column of the largest entry of each of the first n rows; -1 for a row with no entry."""
    rows = matrix[:n].tocsr()
    return np.array([rows.indices[a:b][np.argmax(rows.data[a:b])] if b > a else -1
                     for a, b in zip(rows.indptr[:-1], rows.indptr[1:], strict=True)])


best_plain, best_smooth = strongest_contexts(ppmi_plain), strongest_contexts(ppmi_smooth)
both = (best_plain >= 0) & (best_smooth >= 0)                     # rows with a positive entry either way
best_plain, best_smooth = best_plain[both], best_smooth[both]
context_totals = np.asarray(counts.sum(axis=0)).ravel()          # N_.c, the counts PMI uses
assert np.all(context_totals[best_smooth] >= context_totals[best_plain] * (1 - 1e-9))   # never a rarer context
moved = best_smooth != best_plain
print(f"rows whose strongest context changes: {moved.sum():,} of {len(moved):,}")
print(f"median corpus count of the strongest context: {np.median(corpus.vocab.counts[best_plain]):,.0f} "
      f"with alpha = 1, {np.median(corpus.vocab.counts[best_smooth]):,.0f} with alpha = {ALPHA}")

# %% [markdown]
# ## 4. Truncated SVD: from long sparse rows to short dense vectors
#
# Each row of PPMI describes a word, but it has $V$ entries, mostly zero, and two words with
# related but distinct contexts (*cat* meets *purr*, *kitten* meets *purrs*) share few of them. The
# singular value decomposition $M = U S V^\top$ writes the matrix as a sum of rank-one pieces,
# largest first; keeping the top $d$ gives $M_d = U_d S_d V_d^\top$, the best rank-$d$ approximation
# of $M$ in the least-squares sense (Eckart-Young). The rows of $U_d S_d$ reproduce the rows of
# $M$'s dot products: $M M^\top \approx (U_d S_d)(U_d S_d)^\top$. Levy et al. found that a smaller
# power of $S$ works better for similarity tasks; we use the symmetric choice $U_d S_d^{1/2}$.
#
# `scipy.sparse.linalg.svds` computes only the top $d$ singular triplets of a sparse matrix (it never
# forms a dense $V \times V$ array). It returns them smallest first, and each column of $U$ is
# defined up to its sign, so we sort them and fix each sign (the largest entry positive) to make the
# vectors reproducible.

# %%
def svd_vectors(matrix, dim, power=0.5, seed=SEED):
    """Rows of U_d S_d^power from the top `dim` singular triplets of a sparse matrix."""
    u, s, _ = svds(matrix, k=dim, random_state=seed)
    order = np.argsort(-s)                                     # largest singular value first
    u, s = u[:, order], s[order]
    signs = np.sign(u[np.abs(u).argmax(axis=0), np.arange(dim)])
    return (u * signs) * s ** power


svd_smooth = svd_vectors(ppmi_smooth, DIM)
print(f"SVD vectors: {svd_smooth.shape[0]:,} words x {svd_smooth.shape[1]} dimensions, dense")

# %% [markdown]
# The columns of $U$ have length 1, so each column of the vectors has length $s_i^{1/2}$: squaring
# the column lengths gives back the singular values. They fall quickly and then flatten: a few
# directions carry much of the matrix, and the long tail is where the chance meetings live.

# %%
s_all = np.linalg.norm(svd_smooth, axis=0) ** 2
ax = line_plot(np.arange(1, DIM + 1), {f"PPMI, alpha = {ALPHA}": s_all},
               f"Top {DIM} singular values of PPMI ({corpus.name} corpus)", "rank", "singular value")
plt.show()
assert np.all(np.diff(s_all) <= 1e-9)

# %% [markdown]
# Do the dense vectors group words used alike? Similarity between two vectors is their cosine: scale
# every row to length 1, and the dot products of the rows are the cosines. The cell prints the six
# nearest words of each probe word.

# %%
unit = svd_smooth / np.maximum(np.linalg.norm(svd_smooth, axis=1, keepdims=True), 1e-12)
for w in probes:
    cosines = unit @ unit[corpus.vocab.id(w)]
    nearest = [corpus.vocab.words[i] for i in np.argsort(-cosines, kind="stable")[:7] if i != corpus.vocab.id(w)]
    print(f"{w:>6}: {', '.join(nearest[:6])}")

# %% [markdown]
# With no training at all, the nearest words are mostly words used in the same way. Chapter 8 puts
# these vectors next to the ones SGNS learns from the same text, scores both against human
# judgements of similarity, and shows what SGNS's training converges to: a shifted PMI, the quantity
# of Section 3.
#
# The package keeps this chapter's code in `w2v_helpers/cooccurrence.py`: `cooccurrence_counts`,
# `ppmi` and `svd_vectors` compute what the functions above compute (the counts in slices of the
# corpus, limited to `max_words`), with `estimate_counts_bytes` and `offset_weights` (the weight of
# each distance, flat or dynamic). Chapter 8 uses them.

# %% [markdown]
# ## Summary
#
# * One-hot vectors make every two words equally distant ($\sqrt 2$) and orthogonal: no similarity.
# * Window co-occurrence counts are a sparse matrix built with a few numpy operations per window
#   offset; its size is estimated first, and on a large corpus its rows are limited to the most
#   frequent words.
# * PPMI turns counts into "more often than chance"; smoothing the context distribution with the
#   3/4 power damps PMI's preference for rare contexts and moves a row's strongest context, if at
#   all, to a more frequent one.
# * A truncated SVD of PPMI gives dense vectors whose neighbours make sense, without training.
#   Chapter 8 compares them with SGNS and shows that SGNS's optimum is a shifted PMI.

# %% [markdown]
# ## Exercises
#
# Each exercise asks for one function: replace the `raise NotImplementedError` line of its stub with
# your code and run the check cell under it. The check tries your function on inputs of its own and
# prints `exercise NN.k: PASS`, or `FAIL` with a hint about what is wrong; it never prints the answer.
# Worked solutions, each passing its check, are in
# [solutions/00_solutions.ipynb](solutions/00_solutions.ipynb); open them after trying.
#
# **Exercise 1.** Write `pmi_of_pair(n_wc, n_w, n_c, total)`: the PMI of one pair, with natural
# logarithms, from the number of times the pair was counted, the row sum of $w$, the column sum of
# $c$ and the total of the matrix. Then compute it for a pair of the probe words from `counts`.
# What is the PMI of a pair that meets exactly as often as chance predicts?

# %% exercise="00.1" tags=["exercise"]
def pmi_of_pair(n_wc, n_w, n_c, total):
    """log(P(w, c) / (P(w) P(c))) from the counts: n_wc of the pair, n_w and n_c of each word, total."""
    # YOUR CODE HERE
    raise NotImplementedError("return log(P(w, c) / (P(w) P(c))) from the four counts, one number")


# %%
from w2v_helpers.course.exercises import check_00_1

check_00_1(pmi_of_pair)

# %% [markdown]
# **Exercise 2.** Write `rank_k_error(M, k)`: the relative error $\lVert M - M_k \rVert_F /
# \lVert M \rVert_F$ of the best rank-$k$ approximation of a dense matrix $M$ (hint: it can be read
# off the singular values, `np.linalg.svd(M, compute_uv=False)`). Then evaluate it on a small
# PPMI block, for example `ppmi_smooth[:500, :500].toarray()`, for $k \in \{10, 50, 200\}$. How fast
# does the error fall, and what does that say about the dimension of word vectors?

# %% exercise="00.2" tags=["exercise"]
def rank_k_error(M, k):
    """||M - M_k||_F / ||M||_F for the best rank-k approximation M_k of M (Eckart-Young)."""
    # YOUR CODE HERE
    raise NotImplementedError("return ||M - M_k|| / ||M|| (Frobenius) for the best rank-k M_k, one number")


# %%
from w2v_helpers.course.exercises import check_00_2

check_00_2(rank_k_error)
