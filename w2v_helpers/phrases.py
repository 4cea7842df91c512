"""Phrases: word pairs that occur together far more often than chance become one token, taught in Chapter 11.

Mikolov et al.'s second word2vec paper (2013) scores each bigram "a b" of the corpus,

    score(a, b) = (count(a b) - min_count) / (count(a) * count(b)) * scale,

and joins the pairs scoring above a threshold into tokens `a_b`; a second pass over the joined
text finds longer phrases (`new_york_times`). The scale is what the two well-known tools multiply by:
word2phrase (the C tool that came with word2vec) the number of tokens in the corpus, threshold 100;
gensim's `Phrases` (scoring="default") the size of its vocabulary, every distinct word and every
distinct bigram, threshold 10. Both use min_count 5 and join the pairs of a text left to right: once
"a b" is joined, "b c" cannot be.

Chapter 11 writes these steps as loops over the id array; this module does the same with numpy,
a chunk of the array at a time: the bigram counts are `np.unique` of the keys `a * V + b`, a pair is
looked up among the phrases by `np.searchsorted`, and the left-to-right rule becomes "take every
other candidate of a run of overlapping candidates, starting with the first".
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from tqdm.auto import tqdm

from .arguments import positive, show
from .corpus import Corpus
from .errors import W2VError
from .vocab import Vocab

DELIMITER = "_"
DEFAULT_MIN_COUNT = 5                                       # word2phrase's and gensim's
DEFAULT_THRESHOLD = {"gensim": 10.0, "word2phrase": 100.0}  # the scorers and their tools' default thresholds
CHUNK_TOKENS = 1 << 22                                      # 4M tokens of the id array at a time
MAX_PASSES = 10


@dataclass
class PhraseTable:
    """The pairs (a, b) of one pass that score above the threshold, sorted by key a * V + b (Chapter 11)."""

    first: np.ndarray      # int64 (P,): id of a
    second: np.ndarray     # int64 (P,): id of b
    counts: np.ndarray     # int64 (P,): count(a b)
    scores: np.ndarray     # float64 (P,)
    keys: np.ndarray       # int64 (P,), sorted: first * vocab_size + second
    vocab_size: int

    def __len__(self) -> int:
        return len(self.keys)

    def lookup(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Index into the table of each pair (a[i], b[i]), or -1 where the pair is not a phrase."""
        keys = a.astype(np.int64) * self.vocab_size + b
        pos = np.minimum(np.searchsorted(self.keys, keys), max(len(self.keys) - 1, 0))
        found = (self.keys[pos] == keys) if len(self.keys) else np.zeros(len(keys), bool)
        return np.where(found, pos, -1)


@dataclass
class PhrasePass:
    """What one pass found and joined (Chapter 11): its phrases as strings, and the token counts."""

    phrases: list[tuple[str, int, float]]   # (phrase, count(a b), score), highest score first
    joined: int                              # occurrences joined into one token
    applied: dict[str, int]                  # phrase -> times joined, for the phrases joined at least once
    tokens_before: int
    tokens_after: int
    seconds: float


@dataclass
class Phrased:
    """A corpus after phrase passes (Chapter 11): every token kept, phrase tokens added to the vocabulary."""

    vocab: Vocab
    ids: np.ndarray                                    # int32 (N',)
    passes: list[PhrasePass] = field(default_factory=list)

    def corpus(self, name: str, min_count: int = DEFAULT_MIN_COUNT) -> Corpus:
        """A Corpus for training: words (and phrases) seen fewer than `min_count` times are dropped."""
        min_count = positive(min_count, "min_count", "words seen fewer times are dropped")
        kept = Vocab.from_counts(dict(zip(self.vocab.words, self.vocab.counts.tolist())), min_count)
        remap = np.full(len(self.vocab), -1, dtype=np.int64)
        remap[[self.vocab.word2id[w] for w in kept.words]] = np.arange(len(kept))
        new = remap[self.ids]
        return Corpus(name, kept, new[new >= 0].astype(np.int32))


def check_phrase_settings(passes: int = 1, min_count: int = DEFAULT_MIN_COUNT, threshold: float | None = None,
                          scorer: str = "gensim") -> float:
    """Refuse settings that cannot find phrases, in one W2VError line; returns the threshold to use.

    Used by the command line (`train --phrases`, `phrases`) before the corpus is read.
    """
    if scorer not in DEFAULT_THRESHOLD:
        raise W2VError(f"the phrase scorer must be one of {', '.join(DEFAULT_THRESHOLD)}; got {show(scorer)}")
    if isinstance(passes, bool) or not isinstance(passes, (int, np.integer)) or not 1 <= passes <= MAX_PASSES:
        raise W2VError(f"phrase passes must be a whole number from 1 to {MAX_PASSES}; got {show(passes)}")
    positive(min_count, "the phrase min_count", "pairs seen fewer times are never phrases")
    if threshold is None:
        return DEFAULT_THRESHOLD[scorer]
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float, np.integer, np.floating)) \
            or not np.isfinite(threshold) or threshold <= 0:
        raise W2VError(f"the phrase threshold must be a positive finite number (gensim's default is 10, "
                       f"word2phrase's 100); got {show(threshold)}")
    return float(threshold)


def bigram_counts(ids: np.ndarray, vocab_size: int,
                  chunk_tokens: int = CHUNK_TOKENS) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every distinct pair of neighbouring ids and its count: (first, second, counts), sorted by (first, second).

    Built in Chapter 11 (the learner's loop is a Counter over zip(ids, ids[1:])); a chunk at a time.
    """
    keys, counts = [], []
    for start in range(0, max(len(ids) - 1, 0), chunk_tokens):
        a = ids[start:start + chunk_tokens].astype(np.int64)
        b = ids[start + 1:start + chunk_tokens + 1]
        k, c = np.unique(a[:len(b)] * vocab_size + b, return_counts=True)
        keys.append(k)
        counts.append(c)
    if not keys:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    if len(keys) == 1:
        k, c = keys[0], counts[0]
    else:
        k, inverse = np.unique(np.concatenate(keys), return_inverse=True)
        c = np.bincount(inverse, weights=np.concatenate(counts)).astype(np.int64)
    return k // vocab_size, k % vocab_size, c.astype(np.int64)


def phrase_scores(pair_counts: np.ndarray, count_a: np.ndarray, count_b: np.ndarray, min_count: int,
                  scale: float) -> np.ndarray:
    """(count(a b) - min_count) / (count(a) * count(b)) * scale, in the order gensim computes it (Chapter 11)."""
    denominator = (np.asarray(count_a, dtype=np.int64) * np.asarray(count_b, dtype=np.int64)).astype(np.float64)
    return (np.asarray(pair_counts, dtype=np.int64) - min_count) / denominator * scale


def find_phrases(ids: np.ndarray, word_counts: np.ndarray, min_count: int = DEFAULT_MIN_COUNT,
                 threshold: float | None = None, scorer: str = "gensim",
                 chunk_tokens: int = CHUNK_TOKENS) -> PhraseTable:
    """The pairs of neighbours in `ids` that score above `threshold` (Chapter 11).

    `word_counts[i]` is the count of id i in `ids`. The scale is the number of tokens (word2phrase) or
    the number of distinct words plus distinct bigrams (gensim's vocabulary size).
    """
    threshold = check_phrase_settings(1, min_count, threshold, scorer)
    vocab_size = len(word_counts)
    first, second, counts = bigram_counts(ids, vocab_size, chunk_tokens)
    scale = len(ids) if scorer == "word2phrase" else int(np.count_nonzero(word_counts)) + len(counts)
    scores = phrase_scores(counts, word_counts[first], word_counts[second], min_count, scale)
    keep = scores > threshold
    return PhraseTable(first[keep], second[keep], counts[keep], scores[keep],
                       first[keep] * vocab_size + second[keep], vocab_size)


def join_phrases(ids: np.ndarray, table: PhraseTable, chunk_tokens: int = CHUNK_TOKENS) -> tuple[np.ndarray, int]:
    """Join the table's pairs left to right, as gensim and word2phrase do (Chapter 11).

    Returns the new int64 ids, where the phrase at row k of the table has id `table.vocab_size + k`,
    and how many pairs were joined. A pair is joined unless its first word was just joined to the
    word before it: in a run of overlapping candidates, the 1st, 3rd, 5th, ... are joined.
    """
    n = len(ids)
    index = np.int32 if n < 2**31 - 1 and len(table) < 2**31 - 1 else np.int64   # 4 bytes a token when it can
    row = np.full(max(n - 1, 0), -1, dtype=index)
    for start in range(0, n - 1, chunk_tokens):
        stop = min(start + chunk_tokens, n - 1)
        row[start:stop] = table.lookup(ids[start:stop], ids[start + 1:stop + 1])
    candidate = row >= 0
    position = np.arange(len(candidate), dtype=index)
    # The start of each candidate's run of consecutive candidates: the last non-candidate before it, plus one.
    run_start = np.maximum.accumulate(np.where(candidate, 0, position + 1)) if len(candidate) else position
    take = candidate & ((position - run_start) % 2 == 0)
    out = ids.astype(np.int64)
    where = np.flatnonzero(take)
    out[where] = table.vocab_size + row[where]
    keep = np.ones(n, dtype=bool)
    keep[where + 1] = False
    return out[keep], len(where)


def phrase_pass(ids: np.ndarray, vocab: Vocab, min_count: int = DEFAULT_MIN_COUNT, threshold: float | None = None,
                scorer: str = "gensim", delimiter: str = DELIMITER,
                chunk_tokens: int = CHUNK_TOKENS) -> tuple[np.ndarray, Vocab, PhrasePass]:
    """One pass: find the phrases, join them, and renumber (Chapter 11). Every token is kept.

    The new vocabulary holds every word and phrase left in the text, most frequent first; two
    phrases that read the same (a_b + c and a + b_c) become one word, as they would in gensim.
    """
    t0 = time.perf_counter()
    word_counts = np.bincount(ids, minlength=len(vocab)).astype(np.int64)
    table = find_phrases(ids, word_counts, min_count, threshold, scorer, chunk_tokens)
    joined, n_joined = join_phrases(ids, table, chunk_tokens)
    names = list(vocab.words) + [vocab.words[a] + delimiter + vocab.words[b]
                                 for a, b in zip(table.first.tolist(), table.second.tolist())]
    counts = np.bincount(joined, minlength=len(names))
    merged: dict[str, int] = {}
    for name, c in zip(names, counts.tolist()):
        if c:
            merged[name] = merged.get(name, 0) + c
    new_vocab = Vocab.from_counts(merged, 1)
    remap = np.array([new_vocab.word2id.get(name, -1) for name in names], dtype=np.int64)
    new_ids = remap[joined].astype(np.int32)
    order = np.argsort(-table.scores, kind="stable")
    found = [(names[len(vocab) + k], int(table.counts[k]), float(table.scores[k])) for k in order.tolist()]
    applied: dict[str, int] = {}
    for k in np.flatnonzero(counts[len(vocab):]).tolist():
        applied[names[len(vocab) + k]] = applied.get(names[len(vocab) + k], 0) + int(counts[len(vocab) + k])
    report = PhrasePass(found, n_joined, applied, len(ids), len(new_ids), time.perf_counter() - t0)
    return new_ids, new_vocab, report


def phrase_corpus(ids: np.ndarray, vocab: Vocab, passes: int = 1, min_count: int = DEFAULT_MIN_COUNT,
                  threshold: float | None = None, scorer: str = "gensim", delimiter: str = DELIMITER,
                  progress: bool = False) -> Phrased:
    """`passes` phrase passes over an id array (Chapter 11): pass 2 can join a phrase of pass 1 to a word.

    Used by the command line (`train --phrases N`, `phrases`).
    """
    check_phrase_settings(passes, min_count, threshold, scorer)
    if not isinstance(vocab, Vocab):
        raise W2VError(f"vocab must be a Vocab (corpus.vocab); got {show(vocab)}")
    ids = np.asarray(ids)
    if ids.ndim != 1 or ids.dtype.kind not in "iu" or (len(ids) and not 0 <= ids.min() <= ids.max() < len(vocab)):
        raise W2VError(f"ids must be a 1-D array of word ids below {len(vocab):,} (corpus.ids); got {show(ids)}")
    reports = []
    for _ in tqdm(range(passes), desc="phrase passes", disable=not progress):
        ids, vocab, report = phrase_pass(ids, vocab, min_count, threshold, scorer, delimiter)
        reports.append(report)
    return Phrased(vocab, ids, reports)
