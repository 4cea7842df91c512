"""Trained word vectors and the questions asked of them: lookup, cosine neighbours, analogies.

Chapter 5 builds WordVectors from a trained model and asks for neighbours and analogies;
Chapter 6 projects the vectors, Chapter 7 scores them on the evaluation datasets, Chapter 8
compares SGNS with count-based vectors through them and bonus notebook 05c compares trainers.
Reading and writing files is in formats.py.

Only numpy is used here, so notebooks can explore saved vectors without torch.
"""

from __future__ import annotations

import difflib
import numbers
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from . import formats
from .arguments import float_rows, number_array, positive, row_ids, show
from .errors import UnknownWordError, W2VError

ANALOGY_METHODS = ("add", "mul")
_MUL_EPS = 1e-3  # Levy & Goldberg (2014): keeps 3CosMul finite when cos(d, a) is near -1
_SUGGEST_FROM = 100_000  # difflib over the most frequent words only, so the error stays instant
_MAX_ABS = 1e15  # larger values overflow float32 dot products and norms (dim * x**2 > 3.4e38)
_TINY_NORM = 1e-15  # below this a float32 norm loses its precision to underflow: recompute in float64


class WordVectors:
    """An immutable table of word vectors, row i belonging to words[i].

    Rows are expected in descending frequency (as word2vec writes them), which is what makes
    `restrict=N` ("only the N most frequent words") meaningful.
    Built in Chapter 5; used in Chapters 6, 7 and 8.
    """

    def __init__(self, words: Sequence[str], vectors: np.ndarray) -> None:
        if isinstance(words, (str, bytes)) or not isinstance(words, Iterable):
            raise W2VError(f"words must be a list of strings, one per vector row; got {show(words)}")
        words = list(words)
        bad = next((i for i, w in enumerate(words) if not isinstance(w, str)), None)
        if bad is not None:
            raise W2VError(f"words must be strings; word {bad} is {show(words[bad])}")
        words = [str(w) for w in words]  # numpy's str_ becomes a plain str
        vectors = float_rows(vectors)  # a private float32 snapshot
        if len(words) != vectors.shape[0]:
            raise W2VError(
                f"{len(words)} words but {vectors.shape[0]} vector rows; pass exactly one row per word"
            )
        self._index = {w: i for i, w in enumerate(words)}
        if len(self._index) != len(words):
            dup = next(w for i, w in enumerate(words) if self._index[w] != i)
            raise W2VError(f"word {dup!r} appears more than once; each word needs exactly one vector")
        finite = np.isfinite(vectors).all(axis=1) & (np.abs(vectors) <= _MAX_ABS).all(axis=1)
        if not finite.all():
            i = int(np.argmin(finite))
            raise W2VError(
                f"the vector of {words[i]!r} (row {i}) contains NaN, infinity or a value beyond {_MAX_ABS:g} "
                "(training diverged?); lower the learning rate and retrain"
            )
        vectors.flags.writeable = False
        self.words: list[str] = words
        self.vectors: np.ndarray = vectors
        self._norms: np.ndarray | None = None
        self._unit: np.ndarray | None = None

    # ----- lookup -------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and word in self._index

    def __getitem__(self, word: str) -> np.ndarray:
        return self.vectors[self.index(word)]

    def __repr__(self) -> str:
        return f"WordVectors({len(self):,} words, dim={self.dim})"

    @property
    def dim(self) -> int:
        return self.vectors.shape[1]

    def index(self, word: str) -> int:
        """Row of `word`; an unknown word raises UnknownWordError with spelling suggestions."""
        try:
            return self._index[word]
        except (KeyError, TypeError):
            raise self._unknown(word) from None

    def _id(self, word: object, role: str) -> int:
        """Row of a query word; anything but a str is a W2VError naming the argument."""
        if not isinstance(word, str):
            raise W2VError(f"{role} must be a word (str); got {show(word)}")
        return self.index(word)

    def _unknown(self, word: object) -> UnknownWordError:
        if not isinstance(word, str):
            return UnknownWordError(f"{show(word)} is not a word; words are looked up by str")
        where = f"{word!r} is not in the vocabulary ({len(self):,} words)"
        candidates = self.words[:_SUGGEST_FROM]
        close = difflib.get_close_matches(word, candidates, n=3, cutoff=0.6)
        for variant in (word.lower(), word.capitalize()):  # case is the commonest miss
            if variant in self._index and variant not in close:
                close.insert(0, variant)
        if close:
            return UnknownWordError(f"{where}; did you mean: {', '.join(close[:3])}?")
        return UnknownWordError(
            f"{where} and nothing is spelled similarly; check the spelling, or lower min_count "
            "when training if the word is rare in the corpus"
        )

    # ----- norms and cosine ---------------------------------------------------------------
    @property
    def norms(self) -> np.ndarray:
        """Euclidean length of each row (cached): frequent words tend to have longer vectors."""
        if self._norms is None:
            norms = np.linalg.norm(self.vectors, axis=1)
            tiny = np.flatnonzero(norms < _TINY_NORM)  # squares underflow float32: redo those rows exactly
            norms[tiny] = np.linalg.norm(self.vectors[tiny].astype(np.float64), axis=1)
            norms.flags.writeable = False
            self._norms = norms
        return self._norms

    @property
    def unit(self) -> np.ndarray:
        """Rows scaled to length 1, computed once, so cosine similarity is a single matrix product."""
        if self._unit is None:
            safe = np.where(self.norms > 0, self.norms, 1.0).astype(np.float32)
            unit = self.vectors / safe[:, None]
            unit.flags.writeable = False
            self._unit = unit
        return self._unit

    def _limit(self, restrict: int | None) -> int:
        """How many leading (most frequent) rows a search may return."""
        if restrict is None:
            return len(self)
        return min(positive(restrict, "restrict", "the number of most frequent words to search, or None"), len(self))

    def similarity(self, w1: str, w2: str) -> float:
        """Cosine similarity of two words."""
        return float(self.unit[self._id(w1, "similarity's w1")] @ self.unit[self._id(w2, "similarity's w2")])

    def most_similar(
        self, word_or_vector: str | Sequence[str] | np.ndarray, k: int = 10, restrict: int | None = None
    ) -> list[tuple[str, float]]:
        """The k nearest words by cosine; the query word(s) themselves are left out.

        A list of words queries with the mean of their unit vectors; a vector is used as is.
        """
        k, limit = positive(k, "k", "the number of neighbours to return"), self._limit(restrict)
        query, exclude = self._query(word_or_vector)
        query = query.astype(np.float64)
        query /= max(float(np.abs(query).max()), np.finfo(np.float64).tiny)  # no overflow in the norm
        length = float(np.linalg.norm(query))
        if length == 0.0:
            raise W2VError("the query vector is all zeros (or its words cancel out), so cosine similarity "
                           "is undefined; query with other words")
        scores = self.unit[:limit] @ (query / length).astype(np.float32)
        return self._ranked(scores, k, exclude)

    def _query(self, query: object) -> tuple[np.ndarray, list[int]]:
        """(query vector, rows to leave out) of a word, a list of words or a vector."""
        if isinstance(query, str):
            query = [query]
        elif hasattr(query, "__array__") and not isinstance(query, (list, tuple)):
            try:
                vector = np.asarray(query)
            except (TypeError, ValueError, RuntimeError):
                vector = np.asarray(None)
            if vector.dtype.kind in "US":  # an array of words
                query = vector.tolist()
            elif vector.dtype.kind not in "biuf" or vector.shape != (self.dim,):
                raise W2VError(f"query vector has shape {vector.shape} and dtype {vector.dtype}; "
                               f"expected {self.dim} numbers")
            elif not np.isfinite(vector).all():
                raise W2VError("the query vector contains NaN or infinity; pass finite numbers")
            else:
                return vector, []
        if isinstance(query, (bytes, bytearray)) or not isinstance(query, Iterable):
            raise W2VError(f"most_similar takes a word, a list of words or a numpy vector of {self.dim} numbers; "
                           f"got {show(query)}")
        words = list(query)
        if not words:
            raise W2VError("the list of query words is empty; pass at least one word")
        if any(isinstance(w, (numbers.Number, np.number)) for w in words):
            raise W2VError(f"query words must be str, got numbers {show(words)}; to query with a vector "
                           f"pass a numpy array of {self.dim} numbers")
        exclude = [self._id(w, "each query word") for w in words]
        return self.unit[exclude].mean(axis=0), exclude

    def dot_product_neighbors(self, word: str, k: int = 10, restrict: int | None = None) -> list[tuple[str, float]]:
        """The k words with the largest raw dot product with `word`.

        Shown next to most_similar to explain why cosine is used: under the raw dot product
        frequent words with long vectors crowd the top of every list.
        """
        k, limit = positive(k, "k", "the number of neighbours to return"), self._limit(restrict)
        i = self._id(word, "word")
        scores = self.vectors[:limit] @ self.vectors[i]
        return self._ranked(scores, k, [i])

    def _ranked(self, scores: np.ndarray, k: int, exclude: Sequence[int]) -> list[tuple[str, float]]:
        exclude = [i for i in exclude if i < len(scores)]  # a query word beyond `restrict` is not a candidate
        return [(self.words[i], float(scores[i])) for i in top_k(scores, k, exclude)]

    # ----- analogies ----------------------------------------------------------------------
    def analogy(
        self, a: str, b: str, c: str, k: int = 1, method: str = "add", restrict: int | None = None
    ) -> list[tuple[str, float]]:
        """a is to b as c is to ?  Returns the k best answers, never a, b or c themselves.

        method="add" is 3CosAdd (cosine with b - a + c); "mul" is 3CosMul (Levy & Goldberg 2014),
        which stops one large similarity from dominating the other two.
        """
        k, limit = positive(k, "k", "the number of answers to return"), self._limit(restrict)
        if method not in ANALOGY_METHODS:
            raise W2VError(f"unknown analogy method {show(method)}; use one of {', '.join(ANALOGY_METHODS)}")
        named = (("a", a), ("b", b), ("c", c))
        for name, w in named:  # every argument's type before any lookup
            if not isinstance(w, str):
                raise W2VError(f"analogy word {name} must be a word (str); got {show(w)}")
        ids = np.array([[self.index(w)] for _, w in named])
        scores = analogy_scores(self.unit, *ids, method=method, limit=limit)[0]
        return self._ranked(scores, k, ids.ravel().tolist())

    # ----- files --------------------------------------------------------------------------
    def save(self, path: str | os.PathLike, binary: bool = False) -> Path:
        """Write the word2vec text (.vec) or binary (.bin) format, atomically; returns the path."""
        if not isinstance(binary, (bool, np.bool_)):
            raise W2VError(f"binary must be True (the .bin format) or False (text); got {show(binary)}")
        return formats.save_word2vec(path, self.words, self.vectors, bool(binary))

    @classmethod
    def load(cls, path: str | os.PathLike, binary: bool | None = None) -> WordVectors:
        """Read the word2vec text or binary format; binary=None tells them apart from the content."""
        if binary is not None and not isinstance(binary, (bool, np.bool_)):
            raise W2VError(f"binary must be True, False or None (tell from the content); got {show(binary)}")
        words, vectors = formats.load_word2vec(path, binary)
        try:
            return cls(words, vectors)
        except W2VError as e:
            raise W2VError(f"{Path(path)}: {e}") from None


def top_k(scores: np.ndarray, k: int, exclude: Sequence[int] = ()) -> np.ndarray:
    """Indices of the k largest scores, best first, skipping `exclude` (ties: lower index first).

    Used by the command line, through WordVectors' searches and the analogy evaluation.
    """
    scores = number_array(scores, "scores", 1)
    if np.isnan(scores).any():
        raise W2VError("the scores contain NaN; check the vectors they were computed from")
    exclude = np.unique(row_ids(exclude, len(scores), "exclude"))
    k = min(positive(k, "k", "the number of results"), len(scores) - len(exclude))
    if k == 0:
        return np.zeros(0, dtype=np.int64)
    scores = np.array(scores, dtype=np.float64)
    scores[exclude] = -np.inf
    if k < len(scores):
        cand = np.argpartition(-scores, k - 1)[:k]
    else:
        cand = np.arange(len(scores))
    order = np.lexsort((cand, -scores[cand]))  # by score descending, then index ascending
    return cand[order][:k]


def analogy_scores(
    unit: np.ndarray, ia: np.ndarray, ib: np.ndarray, ic: np.ndarray, method: str = "add", limit: int | None = None
) -> np.ndarray:
    """Score every candidate row unit[:limit] for a batch of questions a:b :: c:? -> (batch, limit).

    One definition shared by WordVectors.analogy and the batched evaluation code, so both agree.
    Query words are not masked here; callers decide what to exclude. Used in bonus notebook 07b.
    """
    if method not in ANALOGY_METHODS:
        raise W2VError(f"unknown analogy method {show(method)}; use one of {', '.join(ANALOGY_METHODS)}")
    unit = number_array(unit, "unit", 2)
    ia, ib, ic = (row_ids(ids, len(unit), name) for ids, name in ((ia, "ia"), (ib, "ib"), (ic, "ic")))
    if not len(ia) == len(ib) == len(ic):
        raise W2VError(f"ia, ib and ic must hold one id per question each; got {len(ia)}, {len(ib)} and {len(ic)}")
    limit = len(unit) if limit is None else min(positive(limit, "limit", "the number of candidate rows"), len(unit))
    # Questions share words, so take cosines of each distinct query word once and combine rows:
    # cos(x, b - a + c) = (cos(x, b) - cos(x, a) + cos(x, c)) / |b - a + c| for unit a, b, c.
    distinct, where = np.unique(np.concatenate([ia, ib, ic]), return_inverse=True)
    cos = unit[distinct] @ unit[:limit].T
    wa, wb, wc = np.split(where.ravel(), 3)
    if method == "add":
        length = np.linalg.norm(unit[ib] - unit[ia] + unit[ic], axis=1)
        scores = cos[wb]
        scores -= cos[wa]
        scores += cos[wc]
        scores /= np.where(length > 0, length, 1.0)[:, None]
        return scores
    # 3CosMul: cosines shifted from [-1, 1] to [0, 1] so that the product and ratio behave
    cos += 1.0
    cos *= 0.5
    scores = cos[wb]
    scores *= cos[wc]
    scores /= cos[wa] + _MUL_EPS
    return scores

