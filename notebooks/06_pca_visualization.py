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
# # Chapter 6: seeing the vectors with PCA
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/word2vec-from-scratch/word2vec-from-scratch/blob/main/notebooks/06_pca_visualization.ipynb) [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/word2vec-from-scratch/word2vec-from-scratch/main?labpath=notebooks%2F06_pca_visualization.ipynb)
#
# **On real text:** [what this chapter shows on a 12 times larger corpus](../docs/real-text.md). Running
# time on 2 CPU cores: about 15 s on the English corpus the course ships, about half a minute on
# text8-sized text (with the vectors Chapter 5 saved; without them, add Chapter 5's training time).
#
# Chapter 5 trained vectors and used them for analogy questions such as "man is to king as woman is
# to ?". This chapter looks at the geometry behind the analogy rule. You will:
#
# 1. project chosen words from 50 or 100 dimensions down to 2 with principal component analysis
#    (PCA), and read how much of their spread the picture keeps;
# 2. draw each analogy pair as an arrow and see the arrows of one relation run parallel;
# 3. measure that parallelism in the full space, where no information is lost, and compare it
#    with random word pairs.
#
# **What you need from earlier chapters.** Trained vectors from Chapter 5 (this notebook loads
# the ones Chapter 5 saved, or trains the same ones again if they are missing, which takes about
# a minute on the English corpus), cosine similarity, and the analogy rule: the answer to
# "a is to b as c is to ?" is the word closest to $b - a + c$.

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
from dataclasses import asdict

import matplotlib.pyplot as plt
import numpy as np
import torch

from w2v_helpers.corpus import corpus_from_env
from w2v_helpers.paths import data_dir
from w2v_helpers.pca import pca_project
from w2v_helpers.plots import label_points, plot_projection
from w2v_helpers.toy_corpus import CAPITALS, GENDER_PAIRS, PLURALS
from w2v_helpers.train import TrainConfig, train
from w2v_helpers.vectors import WordVectors

SEED = 0  # the one seed behind every random number in this notebook
torch.set_num_threads(1)  # as in Chapter 5: small batches, same bits on every machine

corpus = corpus_from_env(seed=SEED)
TOY = corpus.name == "toy"
# The same settings as Chapter 5, so its saved vectors can be reused.
if TOY:
    cfg = TrainConfig(dim=50, epochs=3, chunk_tokens=25_000, seed=SEED)
else:
    # at most 5 epochs, and no more than it takes to train on about 5M tokens: 4 on the English corpus
    cfg = TrainConfig(dim=100, epochs=min(5, max(1, round(5_000_000 / len(corpus.ids)))), seed=SEED)
print(f"corpus {corpus.name!r}: {len(corpus.ids):,} tokens, {len(corpus.vocab):,} words")

# %% [markdown]
# Chapter 5 saved its vectors in the data folder under a name made from the corpus and the
# settings. If that file is there and matches this corpus, we load it; otherwise we train. Either
# way the vectors are the same, bit for bit, so everything below comes out the same. (Only this
# cell's message depends on which happened, so the notebook tests skip its output.)

# %%
# NBVAL_IGNORE_OUTPUT
settings = hashlib.sha1(repr(sorted(asdict(cfg).items())).encode()).hexdigest()[:10]
vectors_file = data_dir() / f"ch05-{corpus.name}-{settings}.bin"
wv = None
if vectors_file.is_file():
    saved = WordVectors.load(vectors_file)
    if saved.words == corpus.vocab.words and saved.dim == cfg.dim:
        wv = saved
        print("loaded the vectors saved by Chapter 5")
if wv is None:
    print("no saved vectors for these settings: training them now")
    wv = WordVectors(corpus.vocab.words, train(corpus.ids, corpus.vocab, cfg).model.word_vectors())
    wv.save(vectors_file, binary=True)

# %%
print(wv)

# %% [markdown]
# ## 1. The words to look at
#
# Three relations, each a list of (a, b) pairs where b relates to a the same way: male to female,
# country to capital, singular to plural. On real English (the corpus the course ships, or text8
# with `W2V_CORPUS=text8`) we use the classic examples; on the synthetic toy corpus
# (`W2V_CORPUS=toy`) the pairs planted in it (`w2v_helpers.toy_corpus`). Pairs with a word missing
# from the vocabulary are left out, and a relation with fewer than three pairs left is dropped.

# %%
if TOY:
    RELATIONS = {"male -> female": GENDER_PAIRS, "country -> capital": CAPITALS, "singular -> plural": PLURALS}
else:
    RELATIONS = {
        "male -> female": [("king", "queen"), ("man", "woman"), ("boy", "girl"), ("father", "mother"),
                           ("brother", "sister"), ("prince", "princess"), ("uncle", "aunt"),
                           ("son", "daughter"), ("husband", "wife"), ("actor", "actress")],
        "country -> capital": [("france", "paris"), ("germany", "berlin"), ("italy", "rome"),
                               ("spain", "madrid"), ("japan", "tokyo"), ("russia", "moscow"),
                               ("egypt", "cairo"), ("greece", "athens"), ("england", "london"),
                               ("china", "beijing")],
        "singular -> plural": [("cat", "cats"), ("dog", "dogs"), ("car", "cars"), ("tree", "trees"),
                               ("house", "houses"), ("bird", "birds"), ("book", "books"),
                               ("river", "rivers"), ("horse", "horses"), ("apple", "apples")],
    }
RELATIONS = {name: [(a, b) for a, b in pairs if a in wv and b in wv] for name, pairs in RELATIONS.items()}
RELATIONS = {name: pairs for name, pairs in RELATIONS.items() if len(pairs) >= 3}  # too few to compare
for name, pairs in RELATIONS.items():
    print(f"{name}: {len(pairs)} pairs, e.g. {', '.join(f'{a}/{b}' for a, b in pairs[:4])}")
assert len(RELATIONS) >= 2, "this corpus lacks these words: edit RELATIONS to pairs from its vocabulary"

# %% [markdown]
# ## 2. PCA in two dimensions
#
# PCA centres the chosen vectors and finds the directions along which they vary most: the first
# principal component is the direction of largest spread, the second the largest spread at a right
# angle to the first, and so on. Projecting onto the first two gives the flat picture that keeps
# as much of the spread as any flat picture can. The *explained variance ratio* of a component is
# its share of the total spread; the two ratios together say how faithful the picture is.
#
# `w2v_helpers.pca.pca_project` does this with scikit-learn's `PCA`. It first scales every
# vector to length 1, because cosine (direction) is what we compare words by, and lengths mostly
# reflect frequency (Chapter 5). We fit one PCA per relation, on that relation's words only: a
# projection chosen for a few words shows them better than one fitted to the whole vocabulary.
# It returns a `Projection`: the words, their `coords`, the `explained_variance_ratio` and the
# principal directions. `w2v_helpers.plots.plot_projection` then draws an arrow from a to b for every pair, with equal scales on both axes
# so that angles in the picture are true angles of the projection, and `label_points` writes the
# words next to their points, moving labels apart where points crowd together (a thin grey line
# then leads from a moved label to its point).

# %%
projections = {name: pca_project(wv, [w for pair in pairs for w in pair]) for name, pairs in RELATIONS.items()}
for name, proj in projections.items():
    r = proj.explained_variance_ratio
    print(f"{name:>20}: PC1 {r[0]:.2f}, PC2 {r[1]:.2f}, together {r.sum():.2f} of the variance")
    assert 0 < r[1] <= r[0] and r.sum() <= 1

# %% tags=["real-text"]
fig, axes = plt.subplots(1, len(RELATIONS), figsize=(6 * len(RELATIONS), 6))
for ax, (name, pairs) in zip(axes, RELATIONS.items()):
    plot_projection(projections[name], pairs, ax=ax, title=f"{name} ({corpus.name}, PCA of these words)",
                    label_words=False)
fig.suptitle("Each arrow goes from a word to its partner; parallel arrows mean a shared offset")
fig.tight_layout()
for ax, name in zip(axes, RELATIONS):  # once the layout is final, so labels can be moved apart
    label_points(ax, projections[name].words, projections[name].coords[:, :2])
plt.show()

# %% [markdown]
# If a relation were one fixed offset, the arrows of a panel would all point the same way and have
# the same length: moving from a word to its partner would be adding one fixed vector. That is
# exactly why $b - a + c$ would land near $d$: if $b - a \approx d - c$, then $b - a + c \approx d$.
#
# Read the picture with care, though. The two components keep only part of the spread (the ratios
# above), so two arrows can look parallel in 2-D while differing in the dimensions we dropped,
# or look crooked only because of the projection.
#
# On real English the pictures differ from one relation to the next. The country -> capital
# arrows all run the same general way, from the countries on the left to the capitals on the right,
# with lengths and angles that vary a good deal. Most plural arrows point downwards, along PC2,
# from the singulars at the top to the plurals at the bottom. In the male -> female panel the
# largest differences are between *concepts*, not the attribute: the family words, the royal
# titles, man/woman and actor/actress sit in separate clumps, and each arrow is a short step inside
# its clump, most of them upwards. A relation shows up along PC1 when PC1 puts the two words of each
# pair on opposite sides; the cell below counts how often it does. On the synthetic toy corpus
# (`W2V_CORPUS=toy`), where every planted word is built from a concept (royalty, France, cat) and
# an attribute (male/female, country/capital, singular/plural), PC1 is the attribute and splits
# every pair.

# %%
for name, pairs in RELATIONS.items():
    proj = projections[name]
    split = np.mean([np.sign(proj[a][0]) != np.sign(proj[b][0]) for a, b in pairs])
    print(f"{name:>20}: PC1 puts the two words on opposite sides in {split:.0%} of the pairs")
    if TOY:
        assert split == 1.0

# %% [markdown]
# On the English corpus PC1 splits every country -> capital pair, a few plural pairs and no male ->
# female pair. The two components keep less than half of the variance (the ratios above), and a
# picture that drops so much can mislead either way, so the claim needs checking without the
# projection.
#
# ## 3. Measuring parallel offsets in the full space
#
# For every pair take its offset $b - a$ (of the length-1 vectors, as the analogy search uses
# them). If the relation is one shared direction, the offsets of different pairs should have a
# high cosine with each other. We average the cosine over all pairs of offsets of a relation.
#
# What would chance give? For each relation, draw 300 sets of as many random word pairs from the
# whole vocabulary (their offsets have no reason to agree), compute the same mean for each set, and
# see how high it gets. The set size matters: a mean over fewer pairs scatters more widely.

# %%
def mean_offset_cosine(pairs):
    """Mean cosine between the offsets b - a of different pairs (unit vectors, full dimension)."""
    offsets = np.stack([wv.unit[wv.index(b)] - wv.unit[wv.index(a)] for a, b in pairs])
    offsets /= np.linalg.norm(offsets, axis=1, keepdims=True)
    cos = offsets @ offsets.T
    n = len(pairs)
    return (cos.sum() - np.trace(cos)) / (n * n - n)   # off-diagonal mean


def random_sets(n_pairs, n_sets=300):
    """mean_offset_cosine of n_sets sets of n_pairs random word pairs: what chance gives."""
    return np.array([mean_offset_cosine([tuple(rng.choice(wv.words, size=2, replace=False))
                                         for _ in range(n_pairs)]) for _ in range(n_sets)])


rng = np.random.default_rng(SEED)
chance = {n: random_sets(n) for n in sorted({len(pairs) for pairs in RELATIONS.values()}, reverse=True)}
for n, sets in chance.items():
    print(f"300 sets of {n} random pairs: mean cosine between offsets {sets.mean():+.3f} on average, "
          f"{np.percentile(sets, 95):+.2f} at the 95th percentile, {sets.max():+.2f} at most")
    # Swapping a and b flips an offset's sign, and a random pair is as likely one way as the other,
    # so chance is symmetric around 0; over 300 sets its average is within a few hundredths of it.
    assert abs(sets.mean()) < 0.05
parallel = {name: mean_offset_cosine(pairs) for name, pairs in RELATIONS.items()}
for name, value in parallel.items():
    sets = chance[len(RELATIONS[name])]
    print(f"{name:>20}: mean cosine between offsets {value:+.2f}, above {np.sum(sets < value)} of the 300 "
          f"random sets of {len(RELATIONS[name])} pairs")
    if TOY:
        assert value > sets.max() and value > 0.5

# %% [markdown]
# Random offsets are close to perpendicular (a mean cosine near 0), as independent directions in
# many dimensions tend to be, but a mean over ten pairs still scatters: the luckiest of 300 random
# sets reaches +0.15.
#
# Against that yardstick the relations differ. On the English corpus country -> capital is clearly
# a shared offset (+0.39) and singular -> plural too (+0.24), both above every random set, while
# male -> female, whose pairs mix titles (king, prince), family words and professions (actor) that
# occur in quite different company, barely stands out from chance (+0.07, above the 95th percentile
# but below the best random sets). Even the clearest relation is far from one fixed offset; the
# planted relations of the toy corpus, by contrast, agree almost perfectly. A shared offset is a
# tendency that a relation shows more or less clearly, depending on how consistently its pairs are
# used in the text and how well the vectors are trained: after a single pass over Jane Austen's
# novels alone (about half this corpus), every relation stays at the level of chance. Chapter 7 measures the same thing
# through analogy accuracy, per section.
#
# A related question is whether the *relations* differ from each other: is "male -> female" the
# same direction as "singular -> plural"? Compare the mean offset of each relation:

# %%
def mean_offset(pairs):
    offsets = np.stack([wv.unit[wv.index(b)] - wv.unit[wv.index(a)] for a, b in pairs])
    m = offsets.mean(axis=0)
    return m / np.linalg.norm(m)


names = list(RELATIONS)
directions = np.stack([mean_offset(RELATIONS[n]) for n in names])
between = directions @ directions.T
for i in range(len(names)):
    for j in range(i + 1, len(names)):
        print(f"cosine between the '{names[i]}' and '{names[j]}' directions: {between[i, j]:+.2f}")
clear = [i for i, n in enumerate(names) if parallel[n] > chance[len(RELATIONS[n])].max()]  # beats every random set
print("relations whose offsets clearly share a direction:", ", ".join(names[i] for i in clear) or "none")
for i in clear:
    for j in clear:
        if i < j:
            assert abs(between[i, j]) < 0.5   # clear relations are different moves
if TOY:
    assert np.abs(between[np.triu_indices(len(names), 1)]).max() < 0.1

# %% [markdown]
# When two relations both clearly share an offset, their directions are far apart (the cell checks
# every such pair of relations), so "make it a capital" and "make it plural" are different moves in
# the space. On the English corpus the two clear relations, country -> capital and singular ->
# plural, have directions at cosine -0.06, close to perpendicular (on the 12 times larger text,
# +0.07); on the toy corpus all three planted relations are clear, with directions at cosines near
# zero. A relation whose offsets barely agree has a mean offset made mostly of whatever else its
# pairs have in common, and that can line up with another relation: male -> female's mean offset
# has a cosine of +0.26 with singular -> plural's, more than either clear relation has with the
# other. An average direction means something only when the offsets it averages agree.
#
# ## Summary
#
# * PCA projects chosen vectors to 2-D; the explained variance ratio tells how much of their
#   spread the picture keeps, and equal axis scales keep its angles honest.
# * Where a relation is close to a fixed offset, its arrows run roughly parallel, which is what
#   makes $b - a + c$ a good guess for $d$. On real English the pictures are dominated by
#   differences between concepts, and the arrows agree only loosely.
# * Measured in the full space, random offsets have a mean cosine of about zero, with a spread that
#   depends on how many pairs are averaged. On the English corpus country -> capital and
#   singular -> plural clearly share an offset, male -> female barely does. Relations that clearly
#   share an offset point in different directions.

# %% [markdown]
# ## Exercises
#
# Each exercise asks for one function: replace the `raise NotImplementedError` line of its stub with
# your code and run the check cell under it. The check tries your function on inputs of its own and
# prints `exercise NN.k: PASS`, or `FAIL` with a hint about what is wrong; it never prints the answer.
# Worked solutions, each passing its check, are in
# [solutions/06_solutions.ipynb](solutions/06_solutions.ipynb); open them after trying.
#
# **Exercise 1.** Write `pca_2d(X)` with numpy's SVD: centre the rows of `X`, and return their
# coordinates on the first two principal directions, shape $(n, 2)$, and those two directions'
# explained variance ratios. Then fit it on the unit vectors of the words of all three relations
# together and draw all arrows in one panel: how much variance do two components keep now, and
# are the arrows still parallel?

# %% exercise="06.1" tags=["exercise"]
def pca_2d(X):
    """(coords (n, 2), explained variance ratio (2,)) of the rows of X, by SVD."""
    # YOUR CODE HERE
    raise NotImplementedError("return the (n, 2) coordinates and the 2 explained variance ratios")


# %%
from w2v_helpers.course.exercises import check_06_1

check_06_1(pca_2d)

# %% [markdown]
# **Exercise 2.** Write `mismatched(pairs)`: from pairs $(a_i, b_i)$ of one relation, the pairs
# $(a_i, b_{i+1})$, wrapping around at the end, such as (king, woman) and (man, girl). Then
# compare `mean_offset_cosine(mismatched(pairs))` with the true pairs and with random pairs.
# Where does it fall, and why?

# %% exercise="06.2" tags=["exercise"]
def mismatched(pairs):
    """Each a-word with the next pair's b-word; the last a-word takes the first b-word."""
    # YOUR CODE HERE
    raise NotImplementedError("return the pairs (a_i, b_(i+1)), wrapping around at the end")


# %%
from w2v_helpers.course.exercises import check_06_2

check_06_2(mismatched)

# %% [markdown]
# **Exercise 3.** Write `offset_cosine(a_vecs, b_vecs)`: the mean cosine between the offsets
# $b_i - a_i$ of different pairs $i \ne j$, for the vectors exactly as given (rows of two
# $n \times d$ arrays). Then compare it on unit vectors (`wv.unit`) and on raw vectors
# (`wv.vectors`), and redraw a panel with `pca_project(..., normalize=False)`. Which numbers
# change, and which do not?

# %% exercise="06.3" tags=["exercise"]
def offset_cosine(a_vecs, b_vecs):
    """Mean cosine between the offsets b_i - a_i of different pairs (i != j)."""
    # YOUR CODE HERE
    raise NotImplementedError("return the mean cosine between offsets b_i - a_i of different pairs")


# %%
from w2v_helpers.course.exercises import check_06_3

check_06_3(offset_cosine)
