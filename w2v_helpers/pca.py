"""Principal component analysis of word vectors: the flat picture of Chapter 6.

PCA finds the directions along which the chosen vectors vary most; keeping the first two gives
the flat picture that loses the least of their spread, and the explained-variance ratio says how
much of it the picture keeps. If an analogy holds, the offsets b - a of its pairs point the same
way, so their arrows come out roughly parallel (as far as two dimensions can show it).

scikit-learn is imported inside pca_project: the rest of the package does not need it. The pictures
themselves are drawn by plots.plot_projection.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import UnknownWordError, W2VError


@dataclass(frozen=True)
class Projection:
    """The 2-D (or n-D) PCA coordinates of some words, and how much of their variance they keep.

    Returned by pca_project in Chapter 6.
    """

    words: list[str]
    coords: np.ndarray                    # (n_words, n_components)
    explained_variance_ratio: np.ndarray  # (n_components,), each in [0, 1], summing to <= 1
    components: np.ndarray                # (n_components, dim): the principal directions
    mean: np.ndarray                      # (dim,): subtracted before projecting

    def __getitem__(self, word: str) -> np.ndarray:
        try:
            return self.coords[self.words.index(word)]
        except ValueError:
            raise W2VError(f"{word!r} is not among the {len(self.words)} projected words") from None


def _matrix(vectors: Any, words: Sequence[str]) -> np.ndarray:
    """Stack the vectors of `words` from anything indexable by word (WordVectors, a dict, ...)."""
    rows = []
    for w in words:
        try:
            rows.append(np.asarray(vectors[w], dtype=np.float64))
        except UnknownWordError:  # WordVectors' own message already suggests spellings
            raise
        except KeyError:
            raise W2VError(f"{w!r} has no vector; choose words that are in the vocabulary") from None
    matrix = np.stack(rows)
    if matrix.ndim != 2:
        raise W2VError(f"each vector must be 1-D; got an array of shape {matrix.shape[1:]}")
    return matrix


def pca_project(vectors: Any, words: Sequence[str], n_components: int = 2, normalize: bool = True) -> Projection:
    """Fit scikit-learn's PCA on the vectors of `words` and return their coordinates (Chapter 6).

    normalize=True scales every vector to length 1 first, so the picture reflects directions
    (what cosine similarity compares) rather than lengths, which mostly track word frequency.
    """
    from sklearn.decomposition import PCA

    words = list(words)
    if len(set(words)) != len(words):
        dup = next(w for w in words if words.count(w) > 1)
        raise W2VError(f"word {dup!r} is listed twice; list each word once")
    if len(words) < n_components:
        raise W2VError(f"{n_components} components need at least {n_components} words; got {len(words)}")
    x = _matrix(vectors, words)
    if n_components > x.shape[1]:
        raise W2VError(f"cannot keep {n_components} components of {x.shape[1]}-dimensional vectors")
    if normalize:
        norms = np.linalg.norm(x, axis=1, keepdims=True)
        x = x / np.where(norms > 0, norms, 1.0)
    pca = PCA(n_components=n_components, svd_solver="full")
    coords = pca.fit_transform(x)
    return Projection(words, coords, pca.explained_variance_ratio_.copy(), pca.components_.copy(), pca.mean_.copy())
