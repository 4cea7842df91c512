"""Checks for Chapter 12's exercises: a word's rows in fastText's input table, and one fastText SGD step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from ...subwords import char_ngrams, fnv1a
from .checking import Hint, _array, _call, _diagnose, _exercise

_WORDS = ["where", "the", "café", "naïve", "walking", "banana", "ab"]   # the check's vocabulary
_QUERIES = ["where", "café", "wherever", "naïvety", "b", "bananas"]     # in it, and not (non-ASCII included)


def _textbook_fnv1a(data: bytes) -> int:
    h = 2166136261
    for b in data:
        h = ((h ^ b) * 16777619) % 2**32
    return h


def _rows(word, vocab_index, buckets, min_n, max_n, bounds=True, signed=True, offset=True, own=True,
          encoding="utf-8", own_for_all=False):
    V = len(vocab_index) if offset else 0
    grams = char_ngrams(word, min_n, max_n) if bounds else [
        word[i:i + n] for i in range(len(word)) for n in range(min_n, max_n + 1) if i + n <= len(word)]
    hash_ = fnv1a if signed else _textbook_fnv1a
    rows = [V + hash_(g.encode(encoding, "replace")) % buckets for g in grams]
    if own and word in vocab_index:
        rows = [vocab_index[word]] + rows
    elif own_for_all:
        rows = [vocab_index.get(word, -1)] + rows
    return rows


def _all_rows(fn: Callable, vocab_index: dict, buckets: int, min_n: int, max_n: int) -> list:
    out = []
    for word in _QUERIES:
        got = fn(word, dict(vocab_index), buckets, min_n, max_n)
        if isinstance(got, torch.Tensor):
            got = got.tolist()
        got = np.asarray(got).ravel().tolist()
        out.append(sorted(int(x) for x in got))
    return out


@_exercise("12.1", "subword_rows",
           "return the rows of `word` in fastText's input table: its own row if it has one, then V + bucket "
           "of each n-gram")
def check_12_1(subword_rows: Callable) -> str | None:
    """subword_rows(word, vocab_index {word: id}, buckets, min_n, max_n) -> list of row ids (any order)."""
    vocab_index = {w: i for i, w in enumerate(_WORDS)}
    buckets, min_n, max_n = 1009, 3, 5
    got = _all_rows(lambda *a: _call(subword_rows, *a), vocab_index, buckets, min_n, max_n)

    def want(**kw):
        return [sorted(_rows(w, vocab_index, buckets, min_n, max_n, **kw)) for w in _QUERIES]

    if got == want():
        return None
    mistakes = [
        (want(bounds=False), "write the word between the boundary symbols, '<' + word + '>', before cutting it"),
        (want(signed=False), "fastText reads each byte as a signed char: a byte from 0x80 up enters the XOR as "
                             "byte | 0xFFFFFF00 (the non-ASCII words differ)"),
        (want(offset=False), "the n-gram rows come after the V word rows: add len(vocab_index) to each bucket"),
        (want(own=False), "a vocabulary word also keeps its own row, vocab_index[word], besides its n-grams"),
        (want(own_for_all=True), "a word outside the vocabulary has no row of its own, only its n-grams' rows"),
        (want(encoding="latin-1"), "hash the n-gram's UTF-8 bytes, ngram.encode('utf-8')"),
    ]
    for wrong, hint in mistakes:
        if got == wrong:
            return hint
    if [len(g) for g in got] != [len(w) for w in want()]:
        return ("wrong number of rows; every n-gram of '<word>' with min_n <= n <= max_n counts, a repeated one "
                "twice, plus the word's own row when it is in the vocabulary")
    return "wrong rows; hash each n-gram with fastText's FNV-1a, take it modulo buckets and add V"


def _ft_step(z, u, noise, lr, spread="whole", h_sum=False, label_one=False, sequential=False, sign=1.0):
    h = z.sum(0) if h_sum else z.mean(0)
    g_pos = torch.sigmoid(u @ h) - 1
    g_neg = torch.sigmoid(noise @ h) - (1.0 if label_one else 0.0)
    grad_h = g_pos * u + g_neg @ noise
    z_new = z - sign * lr * grad_h / (len(z) if spread == "mean" else 1)
    if sequential:
        h = z_new.mean(0)
    return z_new, u - sign * lr * g_pos * h, noise - sign * lr * g_neg[:, None] * h


@_exercise("12.2", "fasttext_step", "return (z, u, noise) after fastText's SGD step on one pair")
def check_12_2(fasttext_step: Callable) -> str | None:
    """fasttext_step(z (n, d), u (d,), noise (K, d), lr) -> updated (z, u, noise)."""
    gen = torch.Generator().manual_seed(12)
    z, u, noise = (torch.randn(*shape, generator=gen, dtype=torch.float64) for shape in [(6, 5), (5,), (3, 5)])
    lr = 0.3

    def flat(out: Any) -> np.ndarray:
        if not isinstance(out, (tuple, list)) or len(out) != 3:
            raise Hint("return the three updated tensors (z, u, noise)")
        shapes = [tuple(_array(x).shape) for x in out]
        if shapes != [(6, 5), (5,), (3, 5)]:
            raise Hint(f"z, u and noise keep their shapes (n, d), (d,) and (K, d); got {shapes}")
        return np.concatenate([_array(x).ravel() for x in out])

    got = flat(_call(fasttext_step, z.clone(), u.clone(), noise.clone(), lr))
    return _diagnose(got, flat(_ft_step(z, u, noise, lr)), [
        (flat(_ft_step(z, u, noise, lr, spread="mean")),
         "that is the gradient of the mean, dL/dh / n per row; fastText gives every row the whole step -lr dL/dh"),
        (flat(_ft_step(z, u, noise, lr, h_sum=True)), "h is the mean of the word's rows, not their sum"),
        (flat(_ft_step(z, u, noise, lr, label_one=True)),
         "noise words carry the label 0: their error is sigma(score) - 0"),
        (flat(_ft_step(z, u, noise, lr, sequential=True)),
         "compute every gradient from the old vectors before changing any of them"),
        (flat(_ft_step(z, u, noise, -lr)), "step against the gradient: subtract lr times the gradient"),
    ], "wrong update; take Chapter 1's gradients with h, the mean of the rows, in place of v, and add -lr dL/dh "
       "to every row")
