"""Subword vectors (fastText, Bojanowski et al. 2017), taught in Chapter 12.

A word is written with boundary symbols, "<where>", and cut into its character n-grams, n from
`min_n` to `max_n` (3 to 6 by default): "<wh", "whe", "her", "ere", "re>", "<whe", ... Each n-gram
is hashed with fastText's FNV-1a into one of `buckets` rows of an n-gram table; a vocabulary word
also keeps a row of its own. The input vector of a word is the **mean** of its rows (its own row
and those of its n-grams), as fastText and gensim compute it in training and at lookup, so a word
never seen in training still gets a vector: the mean of its n-grams' rows.

Layout of the input table: rows 0..V-1 are the words' own rows, rows V..V+R-1 the n-gram buckets
that some vocabulary word reaches (`SubwordIndex.used`, sorted). fastText allocates all `buckets`
rows (2M x 100 float32 = 800 MB); the others never train, so we keep none of them: an n-gram of an
unseen word that falls into an unused bucket counts as a zero row. That is why the default of 2M
buckets costs a few tens of MB here (about 100k rows used on the shipped English corpus).

The trainer (train.py, `train(..., subwords=index)`) runs the course's loop with `SubwordSkipGram`:
skip-gram pairs, shared noise words, and `subword_step_shared`, which gives every row of a centre
word the whole step -lr dL/dh, as fastText and gensim do (the gradient of the mean would give each
of the n rows 1/n of it; Chapter 12 checks both against autograd).

Files: `SubwordVectors.save` writes one .npz (numpy's zip of .npy arrays, read with
allow_pickle=False): `format` ("w2v-subwords 1"), `words` (V,) unicode, `settings` int64 [min_n,
max_n, buckets], `used` (R,) int64 bucket ids, `word_rows` (V, d) and `ngram_rows` (R, d) float32.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .arguments import show
from .atomic import atomic_path
from .errors import W2VError
from .model import sgns_loss
from .vectors import WordVectors

BOW, EOW = "<", ">"                        # fastText's boundary symbols
MIN_N, MAX_N = 3, 6                        # fastText's default n-gram lengths
BUCKETS = 2_000_000                        # fastText's and gensim's default number of buckets
FNV_OFFSET, FNV_PRIME = 2166136261, 16777619
MAX_BUCKETS = 1 << 31                      # fastText stores bucket ids as int32
FORMAT = "w2v-subwords 1"


def check_ngram_settings(min_n: object, max_n: object, buckets: object) -> None:
    """W2VError unless 1 <= min_n <= max_n <= 100 and 1 <= buckets <= 2**31 (Chapter 12)."""
    for name, value in (("min_n", min_n), ("max_n", max_n), ("buckets", buckets)):
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool):
            raise W2VError(f"{name} must be an integer, got {show(value)}")
    if not 1 <= min_n <= max_n <= 100:
        raise W2VError(f"need 1 <= min_n <= max_n <= 100 (fastText's default: 3 and 6), got min_n={min_n}, "
                       f"max_n={max_n}")
    if not 1 <= buckets <= MAX_BUCKETS:
        raise W2VError(f"buckets must be between 1 and 2**31 (fastText's default: 2,000,000), got {buckets}")


def char_ngrams(word: str, min_n: int = MIN_N, max_n: int = MAX_N) -> list[str]:
    """The character n-grams of "<word>", in fastText's order: by start position, then by length.

    Built in Chapter 12. Characters are Unicode code points, as fastText counts them in UTF-8 (a
    continuation byte never starts an n-gram); like fastText, a single boundary symbol is not an
    n-gram when min_n is 1. With n up to the word's length, "<word>" itself is one of its n-grams.
    """
    if not isinstance(word, str):
        raise W2VError(f"word must be a str, got {show(word)}")
    w = BOW + word + EOW
    grams = []
    for i in range(len(w)):
        for n in range(min_n, min(max_n, len(w) - i) + 1):
            if n == 1 and (i == 0 or i == len(w) - 1):
                continue
            grams.append(w[i:i + n])
    return grams


def fnv1a(data: bytes) -> int:
    """fastText's 32-bit FNV-1a hash of a byte string (Chapter 12).

    Each byte is XORed in as a *signed* char widened to 32 bits, so a byte from 0x80 up (every byte
    of a non-ASCII UTF-8 character) enters as 0xFFFFFF80 and above: fastText's hash, which gensim's
    `ft_hash_bytes` reproduces, differs there from the textbook FNV-1a.
    """
    h = FNV_OFFSET
    for b in data:
        h ^= b | 0xFFFFFF00 if b >= 0x80 else b
        h = (h * FNV_PRIME) & 0xFFFFFFFF
    return h


def fnv1a_many(items: Sequence[bytes]) -> np.ndarray:
    """`fnv1a` of many byte strings at once, as uint32 (Chapter 12): the same loop, strings of one length together."""
    lengths = np.fromiter(map(len, items), dtype=np.int64, count=len(items))
    out = np.empty(len(items), dtype=np.uint32)
    for length in np.unique(lengths):
        which = np.flatnonzero(lengths == length)
        grid = np.frombuffer(b"".join([items[i] for i in which]), dtype=np.uint8).reshape(len(which), length)
        grid = grid.astype(np.uint64)
        grid = np.where(grid >= 0x80, grid | 0xFFFFFF00, grid)               # signed chars, widened to 32 bits
        h = np.full(len(which), FNV_OFFSET, dtype=np.uint64)
        for j in range(length):
            h = ((h ^ grid[:, j]) * FNV_PRIME) & 0xFFFFFFFF                   # below 2**57: exact in uint64
        out[which] = h
    return out


def ngram_buckets(word: str, min_n: int = MIN_N, max_n: int = MAX_N, buckets: int = BUCKETS) -> np.ndarray:
    """The bucket of each n-gram of `word` (fastText's order, repeats kept): fnv1a(UTF-8) mod buckets (Chapter 12)."""
    check_ngram_settings(min_n, max_n, buckets)
    grams = [g.encode("utf-8", "surrogatepass") for g in char_ngrams(word, min_n, max_n)]
    return (fnv1a_many(grams) % buckets).astype(np.int64)


@dataclass(frozen=True)
class SubwordIndex:
    """Which rows of the input table make up each vocabulary word (Chapter 12).

    `used`: the sorted bucket ids that some word reaches, the n-gram rows V..V+R-1 of the table.
    `offsets` (V+1,) and `rows` (offsets[-1],): word w's rows are rows[offsets[w]:offsets[w+1]],
    its own row w first, then one row per n-gram in fastText's order (a repeated n-gram twice).
    """

    words: tuple[str, ...]
    min_n: int
    max_n: int
    buckets: int
    used: np.ndarray
    offsets: np.ndarray
    rows: np.ndarray

    @classmethod
    def build(cls, words: Sequence[str], min_n: int = MIN_N, max_n: int = MAX_N,
              buckets: int = BUCKETS) -> SubwordIndex:
        """Hash every word's n-grams once; keep only the buckets the words reach."""
        check_ngram_settings(min_n, max_n, buckets)
        if isinstance(words, (str, bytes)) or not all(isinstance(w, str) for w in words):
            raise W2VError(f"words must be a list of strings, got {show(words)}")
        words = tuple(words)
        grams = [char_ngrams(w, min_n, max_n) for w in words]
        counts = np.fromiter(map(len, grams), dtype=np.int64, count=len(words))
        hashed = fnv1a_many([g.encode("utf-8", "surrogatepass") for gs in grams for g in gs])
        bucket = (hashed % buckets).astype(np.int64)                              # (all n-grams,)
        used, compact = np.unique(bucket, return_inverse=True)
        V = len(words)
        offsets = np.zeros(V + 1, dtype=np.int64)
        np.cumsum(counts + 1, out=offsets[1:])
        rows = np.empty(offsets[-1], dtype=np.int64)
        own = offsets[:-1]
        rows[own] = np.arange(V)                                                  # each word's own row first
        is_gram = np.ones(len(rows), dtype=bool)
        is_gram[own] = False
        rows[is_gram] = V + compact.reshape(-1)
        return cls(words, int(min_n), int(max_n), int(buckets), used, offsets, rows)

    @property
    def n_rows(self) -> int:
        """Rows of the input table: V words and R used buckets."""
        return len(self.words) + len(self.used)

    def rows_of(self, word: str) -> np.ndarray:
        """Rows of any word: a vocabulary word's own row and n-gram rows; for another word its n-grams'
        rows, -1 for an n-gram whose bucket no vocabulary word reaches (a zero row)."""
        i = self._id.get(word) if isinstance(word, str) else None
        if i is not None:
            return self.rows[self.offsets[i]:self.offsets[i + 1]]
        b = ngram_buckets(word, self.min_n, self.max_n, self.buckets)
        at = np.minimum(np.searchsorted(self.used, b), max(len(self.used) - 1, 0))
        hit = self.used[at] == b if len(self.used) else np.zeros(len(b), dtype=bool)
        return np.where(hit, len(self.words) + at, -1)

    @property
    def _id(self) -> dict[str, int]:
        cached = self.__dict__.get("_id_cache")
        if cached is None:
            cached = {w: i for i, w in enumerate(self.words)}
            object.__setattr__(self, "_id_cache", cached)
        return cached


def mean_rows(table: torch.Tensor, offsets: torch.Tensor, rows: torch.Tensor, ids: torch.Tensor) -> tuple:
    """Input vectors of words `ids` (B,): the mean of each one's rows. Returns (h (B, d), flat rows (T,), bag (T,)).

    `flat` lists the rows of the B words one after the other and `bag` says whose each one is: what
    the step needs to send the gradient back. The mean itself is F.embedding_bag's (Chapter 12).
    """
    start, count = offsets[ids], offsets[ids + 1] - offsets[ids]                 # (B,), (B,)
    first = torch.cumsum(count, 0) - count                                       # (B,): where each bag begins
    bag = torch.repeat_interleave(torch.arange(len(ids), device=ids.device), count)  # (T,)
    flat = rows[start[bag] + torch.arange(len(bag), device=ids.device) - first[bag]]  # (T,)
    h = F.embedding_bag(flat, table, first, mode="mean")                         # (B, d)
    return h, flat, bag


class SubwordSkipGram(nn.Module):
    """Skip-gram whose input vector of a word is the mean of its rows (fastText's model, Chapter 12).

    `in_embed` has V + R rows (words, then used buckets), started like SkipGram's input table;
    `out_embed` (V, d) starts at zero. The trainer updates them with `subword_step_shared`.
    """

    def __init__(self, index: SubwordIndex, dim: int, generator: torch.Generator | None = None):
        super().__init__()
        self.index = index
        self.in_embed = nn.Embedding(index.n_rows, dim)                  # (V + R, d)
        self.out_embed = nn.Embedding(len(index.words), dim)             # (V, d)
        with torch.no_grad():
            self.in_embed.weight.uniform_(-0.5 / dim, 0.5 / dim, generator=generator)
            self.out_embed.weight.zero_()
        self.register_buffer("offsets", torch.from_numpy(index.offsets))
        self.register_buffer("rows", torch.from_numpy(index.rows))

    def forward(self, centre: torch.Tensor, context: torch.Tensor, negatives: torch.Tensor) -> torch.Tensor:
        """centre, context: (B,), negatives: (B, K) word ids -> per-pair loss (B,), h the mean of the centre's rows."""
        h, _, _ = mean_rows(self.in_embed.weight, self.offsets, self.rows, centre)
        return sgns_loss(h, self.out_embed(context), self.out_embed(negatives))

    def word_vectors(self) -> np.ndarray:
        """(V, d): each vocabulary word's vector, the mean of its rows, as fastText and gensim report it."""
        return self.subword_vectors().vocab_vectors()

    def subword_vectors(self) -> SubwordVectors:
        """The trained tables as SubwordVectors (vectors for any word, saved as .npz)."""
        table = self.in_embed.weight.detach().cpu().numpy()
        V = len(self.index.words)
        return SubwordVectors(self.index, table[:V].copy(), table[V:].copy())


@torch.no_grad()
def subword_step_shared(in_w: torch.Tensor, out_w: torch.Tensor, offsets: torch.Tensor, rows: torch.Tensor,
                        centre: torch.Tensor, context: torch.Tensor, shared: torch.Tensor, lr: float,
                        negative: int) -> torch.Tensor:
    """The "fast" skip-gram step with subwords, in place; returns the summed loss (Chapter 12).

    As gradients.sgd_step_shared (all B pairs share S noise words, weighted K/S), with the centre's
    input vector h the mean of its rows; each of those rows then receives the whole step
    -lr dL/dh, as in fastText and gensim, not the 1/n share that the gradient of the mean gives.
    """
    words, which = torch.unique(centre, return_inverse=True)   # a word's rows are read and written once
    h_words, flat, bag = mean_rows(in_w, offsets, rows, words)  # (W, d), (T,), (T,)
    h = h_words.index_select(0, which)                      # (B, d)
    B, d = h.shape
    u = out_w.index_select(0, context)                      # (B, d)
    n = out_w.index_select(0, shared)                       # (S, d)
    s_pos = (h * u).sum(1)                                  # (B,)
    s_neg = h @ n.T                                         # (B, S)
    weight = negative / len(shared)
    loss = -F.logsigmoid(s_pos).sum() - weight * F.logsigmoid(-s_neg).sum()
    step_pos = (torch.sigmoid(s_pos) - 1.0).mul_(-lr)       # (B,): -lr dL/ds_pos
    step_neg = torch.sigmoid(s_neg).mul_(-lr * weight)      # (B, S)
    delta_h = torch.addmm(step_pos.unsqueeze(1) * u, step_neg, n)   # (B, d) = -lr dL/dh
    delta_words = torch.zeros_like(h_words).index_add_(0, which, delta_h)   # (W, d): summed per word
    # every row of the word gets the whole step (scatter_add_ is faster than index_add_ here, as in gradients.py)
    in_w.scatter_add_(0, flat.unsqueeze(1).expand(len(flat), d), delta_words.index_select(0, bag))
    out_w.scatter_add_(0, context.unsqueeze(1).expand(B, d), step_pos.unsqueeze(1) * h)
    out_w.scatter_add_(0, shared.unsqueeze(1).expand(len(shared), d), step_neg.T @ h)
    return loss


class SubwordVectors:
    """Trained subword vectors: a vector for every word, seen in training or not (Chapter 12).

    `word_rows` (V, d) are the words' own rows, `ngram_rows` (R, d) the used buckets' rows. A
    vocabulary word's vector is the mean of its own row and its n-grams' rows; another word's, the
    mean of its n-grams' rows (an unused bucket counting as zero); a word without n-grams gets zeros.
    """

    def __init__(self, index: SubwordIndex, word_rows: np.ndarray, ngram_rows: np.ndarray) -> None:
        word_rows, ngram_rows = np.asarray(word_rows), np.asarray(ngram_rows)
        V, R = len(index.words), len(index.used)
        if word_rows.ndim != 2 or ngram_rows.ndim != 2 or word_rows.shape[0] != V or ngram_rows.shape[0] != R \
                or word_rows.shape[1] != ngram_rows.shape[1]:
            raise W2VError(f"need {V} word rows and {R} n-gram rows of one width, got {word_rows.shape} and "
                           f"{ngram_rows.shape}; build them with the same SubwordIndex")
        self.index = index
        self.word_rows = word_rows.astype(np.float32, copy=False)
        self.ngram_rows = ngram_rows.astype(np.float32, copy=False)
        self._vocab: WordVectors | None = None

    @property
    def words(self) -> tuple[str, ...]:
        return self.index.words

    @property
    def dim(self) -> int:
        return self.word_rows.shape[1]

    def __contains__(self, word: object) -> bool:
        """True for a vocabulary word (every word has a vector; only these have rows of their own)."""
        return isinstance(word, str) and word in self.index._id

    def __repr__(self) -> str:
        return (f"SubwordVectors({len(self.words):,} words, {len(self.index.used):,} of {self.index.buckets:,} "
                f"buckets used, n={self.index.min_n}..{self.index.max_n}, dim={self.dim})")

    def _table(self) -> np.ndarray:
        return np.concatenate([self.word_rows, self.ngram_rows, np.zeros((1, self.dim), np.float32)])

    def vocab_vectors(self) -> np.ndarray:
        """(V, d): every vocabulary word's vector, the mean of its rows."""
        table = torch.from_numpy(self._table())
        ix = self.index
        bags = torch.from_numpy(ix.offsets[:-1])
        return F.embedding_bag(torch.from_numpy(ix.rows), table, bags, mode="mean").numpy()

    def vector(self, word: str) -> np.ndarray:
        """The vector of any word (d,), float32: the mean of its rows."""
        if not isinstance(word, str):
            raise W2VError(f"word must be a str, got {show(word)}")
        rows = self.index.rows_of(word)
        if len(rows) == 0:
            return np.zeros(self.dim, dtype=np.float32)
        table = self._table()                                  # row -1: the zero row of an unused bucket
        return table[rows].mean(0, dtype=np.float64).astype(np.float32)

    def __getitem__(self, word: str) -> np.ndarray:
        return self.vector(word)

    def word_vectors(self) -> WordVectors:
        """The vocabulary's vectors as WordVectors: saved in word2vec's formats, scored by Chapter 7's benchmarks."""
        if self._vocab is None:
            self._vocab = WordVectors(self.words, self.vocab_vectors())
        return self._vocab

    def most_similar(self, word: str, k: int = 10) -> list[tuple[str, float]]:
        """The k vocabulary words closest in cosine to any word's vector (the word itself left out)."""
        if word in self:
            return self.word_vectors().most_similar(word, k=k)
        v = self.vector(word)
        if not v.any():
            raise W2VError(f"no n-gram of {word!r} was seen in training, so its vector is zero and has no "
                           "neighbours; try a longer word or lower --min-n")
        return self.word_vectors().most_similar(v, k=k)

    # ----- files ----------------------------------------------------------------------------
    def save(self, path: str | os.PathLike) -> Path:
        """Write the tables and settings to one .npz file, atomically (format in the module docstring)."""
        ix = self.index
        with atomic_path(path) as tmp:
            with open(tmp, "wb") as f:
                np.savez(f, format=np.array(FORMAT), words=np.array(ix.words, dtype=str),
                         settings=np.array([ix.min_n, ix.max_n, ix.buckets], dtype=np.int64),
                         used=ix.used, word_rows=self.word_rows, ngram_rows=self.ngram_rows)
        return Path(path)

    @classmethod
    def load(cls, path: str | os.PathLike) -> SubwordVectors:
        """Read a file written by `save`; nothing is unpickled (allow_pickle=False)."""
        keys = {"format", "words", "settings", "used", "word_rows", "ngram_rows"}
        try:
            with np.load(path, allow_pickle=False) as z:
                missing = keys - set(z.files)
                if missing:
                    raise W2VError(f"{path} is not a subword table (no {', '.join(sorted(missing))}); "
                                   "give the .npz written by train --subwords")
                arrays = {k: z[k] for k in keys}
        except FileNotFoundError:
            raise W2VError(f"{path} does not exist; give the .npz written by train --subwords") from None
        except (OSError, ValueError, zipfile.BadZipFile) as exc:
            raise W2VError(f"{path} is not a readable .npz subword table ({exc}); give the file written by "
                           "train --subwords") from None
        if str(arrays["format"]) != FORMAT:
            raise W2VError(f"{path}: unknown format {str(arrays['format'])!r}, expected {FORMAT!r}")
        settings = arrays["settings"]
        if settings.shape != (3,) or settings.dtype.kind not in "iu":
            raise W2VError(f"{path}: settings must be three integers (min_n, max_n, buckets)")
        words = arrays["words"]
        if words.ndim != 1 or words.dtype.kind != "U":
            raise W2VError(f"{path}: words must be a 1-D array of strings")
        index = SubwordIndex.build(words.tolist(), *(int(x) for x in settings))
        if not np.array_equal(index.used, arrays["used"]):
            raise W2VError(f"{path}: the stored buckets are not those of its words and settings; the file is "
                           "damaged or was edited")
        for name in ("word_rows", "ngram_rows"):
            if arrays[name].dtype != np.float32:
                raise W2VError(f"{path}: {name} must be float32, got {arrays[name].dtype}")
        return cls(index, arrays["word_rows"], arrays["ngram_rows"])
