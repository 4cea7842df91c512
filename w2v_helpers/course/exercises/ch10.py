"""Checks for Chapter 10's exercises: Huffman code lengths, a path's log-probability, mean code length and entropy."""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from ...hs import build_huffman_tree
from .checking import Hint, _array, _call, _close, _diagnose, _exercise, _zipf_counts


def _merge_lengths(counts: np.ndarray, rarest: bool = True) -> np.ndarray:
    """Code lengths when each merge takes the two rarest subtrees (Huffman) or the two most frequent."""
    sign = 1 if rarest else -1
    heap = [(sign * int(c), w, [w]) for w, c in enumerate(counts)]
    heapq.heapify(heap)
    depth, node = np.zeros(len(counts), dtype=np.int64), len(counts)
    while len(heap) > 1:
        (c0, _, a), (c1, _, b) = heapq.heappop(heap), heapq.heappop(heap)
        depth[a + b] += 1
        heapq.heappush(heap, (c0 + c1, node, a + b))
        node += 1
    return depth


def _is_optimal_tree(lengths: np.ndarray, counts: np.ndarray) -> bool:
    """Lengths of a full binary tree (Kraft sum exactly 1) with Huffman's smallest total count * length."""
    if lengths.min() < 1 or lengths.max() > 64:
        return False
    top = int(lengths.max())
    kraft = sum(2 ** (top - int(n)) for n in lengths)
    best = int((counts * build_huffman_tree(counts).lengths).sum())
    return kraft == 2 ** top and int((counts * lengths).sum()) == best


@_exercise("10.1", "huffman_code_lengths", "return each word's code length in a Huffman tree, shape (V,)")
def check_10_1(huffman_code_lengths: Callable) -> str | None:
    """huffman_code_lengths(counts (V,)) -> (V,) integer code lengths of a Huffman tree."""
    zipf = np.random.default_rng(10).permutation(_zipf_counts(300))    # word ids in no particular order
    cases = [np.array([1, 100, 3, 40, 2, 2, 9]), np.array([10, 4, 3, 2, 1]), np.array([5, 5]), np.full(8, 7),
             zipf]
    for counts in cases:
        got = _array(_call(huffman_code_lengths, counts.copy()))
        if got.shape != counts.shape:
            raise Hint(f"return one length per word, shape ({len(counts)},); got shape {got.shape}")
        if not np.all(np.isfinite(got)) or not np.array_equal(got, np.round(got)):
            raise Hint("a code length is a whole number of bits (the inner nodes on the word's path)")
        if _is_optimal_tree(got.astype(np.int64), counts):
            continue
        want = build_huffman_tree(counts).lengths
        p = counts / counts.sum()
        by_count = np.argsort(-counts, kind="stable")
        flipped = np.empty_like(want)
        flipped[by_count] = np.sort(want)[::-1]           # the longest codes to the most frequent words
        return _diagnose(got, want, [
            (np.full(len(counts), math.ceil(math.log2(len(counts)))),
             "every word got the same length, as in a balanced tree; Huffman merges the two rarest subtrees, "
             "so frequent words end up near the root"),
            (np.ceil(-np.log2(p)), "that is ceil(-log2 p(w)), Shannon's lengths, not those of a tree: build the "
                                   "tree by merging the two rarest subtrees until one is left"),
            (_merge_lengths(counts, rarest=False),
             "you merged the two most frequent subtrees; Huffman merges the two rarest (heapq pops the smallest)"),
            (want + 1, "off by one: count the merges above each word (the inner nodes on its path), not its leaf"),
            (want - 1, "off by one: a word's length is the number of merges above it; the root's children have 1"),
            (flipped, "the frequent words got the long codes: a word merged early is deep in the tree"),
            (np.sort(want), "the lengths must follow the order of `counts`: lengths[w] belongs to word w"),
        ], "not the lengths of a Huffman tree: merge the two rarest subtrees (count, id) each time, and add 1 "
           "to the length of every word below the two")
    return None


def _log_p(h, out_w, path, code, signs=None, prob=False, eps=None):
    s = out_w[torch.as_tensor(path)] @ h
    sign = torch.tensor([1.0 if b == "0" else -1.0 for b in code], dtype=h.dtype) if signs is None else signs
    if eps is not None:
        return torch.log(torch.sigmoid(sign * s) + eps).sum()
    if prob:
        return torch.sigmoid(sign * s).prod()
    return F.logsigmoid(sign * s).sum()


@_exercise("10.2", "path_log_probability", "return log p(w | h), the sum of log-sigmoids along the path")
def check_10_2(path_log_probability: Callable) -> str | None:
    """path_log_probability(h (d,), out_w (V-1, d), path [rows], code "0110") -> log p(w | h), a 0-dim tensor."""
    counts = _zipf_counts(60)
    tree = build_huffman_tree(counts)
    gen = torch.Generator().manual_seed(10)
    h = torch.randn(6, generator=gen)
    out_w = torch.randn(len(counts) - 1, 6, generator=gen)
    deep = int(np.argmax(tree.lengths))
    unlikely = out_w.clone()             # every turn on `deep`'s path goes the wrong way with a score of 60
    for node, bit in zip(tree.path(deep), tree.code(deep), strict=True):
        unlikely[node] = (-60.0 if bit == "0" else 60.0) * h / (h @ h)
    cases = [(out_w, w) for w in (31, 7, 0, deep)] + [(unlikely, deep)]
    for table, w in cases:
        path, code = tree.path(w), tree.code(w)
        got = _array(_call(path_log_probability, h.clone(), table.clone(), list(path), code))
        if got.size == 1:
            got = got.reshape(())
        want = _log_p(h.double(), table.double(), path, code).numpy()
        if table is unlikely and got.shape == () and not np.isfinite(got):
            raise Hint("-inf for a very unlikely word: the product of the sigmoids underflows to 0 in float32; "
                       "add the log-sigmoids (F.logsigmoid) instead of taking the log of the product")
        if table is unlikely and got.shape == () and got > want + 1:
            raise Hint("too large for a very unlikely word: a small constant inside the log caps each term "
                       "(the log(sigmoid + eps) mistake); add F.logsigmoid terms")
        n = len(code)
        problem = _diagnose(got, want, [
            (_log_p(h, table, path, code, signs=-torch.tensor([1.0 if b == "0" else -1.0 for b in code])),
             "left and right are swapped: a 0 bit goes left with probability sigma(u . h), a 1 bit right with "
             "sigma(-u . h)"),
            (_log_p(h, table, path, code, prob=True), "that is p(w | h); return its logarithm"),
            (_log_p(h, table, path, code, signs=torch.ones(n)),
             "every turn was scored as a left turn: a 1 bit goes right, with probability sigma(-u . h)"),
            (_log_p(h, table, path, code, signs=-torch.ones(n)),
             "every turn was scored as a right turn: the code is a string, so compare each bit with '0', not 0"),
            (_log_p(h, table, path[::-1], code),
             "the path and the code both start at the root: pair path[j] with code[j]"),
        ], "wrong log-probability: add log sigma(+u.h) for each 0 bit and log sigma(-u.h) for each 1 bit",
            rtol=1e-4, atol=1e-4)
        if problem:
            return problem
    return None


def _length_entropy(counts, lengths, base=2.0, normalise=True, mean_over_words=False, swap=False, sign=1.0):
    p = counts / counts.sum()
    mean = float(np.mean(lengths)) if mean_over_words else float(((p if normalise else counts) * lengths).sum())
    entropy = sign * float(-(p * np.log(p)).sum() / np.log(base))
    return np.array([entropy, mean] if swap else [mean, entropy])


@_exercise("10.3", "expected_length_and_entropy", "return (E[L], H): the count-weighted mean length and the "
                                                   "entropy, both in bits")
def check_10_3(expected_length_and_entropy: Callable) -> str | None:
    """expected_length_and_entropy(counts (V,), lengths (V,)) -> (E[L], H) in bits."""
    zipf = _zipf_counts(500)
    cases = [np.array([10, 4, 3, 2, 1]), np.array([1, 1, 1, 1]), np.array([8, 4, 2, 1, 1]), zipf]

    def pair(out: Any) -> np.ndarray:
        values = _array(out).ravel() if not isinstance(out, (tuple, list)) else np.array([float(x) for x in out])
        if values.shape != (2,):
            raise Hint("return two numbers, (E[L], H)")
        return values

    for counts in cases:
        lengths = build_huffman_tree(counts).lengths
        got = pair(_call(expected_length_and_entropy, counts.copy(), lengths.copy()))
        want = _length_entropy(counts, lengths)
        if _close(got, want):
            continue
        return _diagnose(got, want, [
            (_length_entropy(counts, lengths, swap=True), "the order is (E[L], H): the mean length first"),
            (_length_entropy(counts, lengths, base=math.e),
             "the entropy came out in nats: use log base 2 (np.log2), bits like the code lengths"),
            (_length_entropy(counts, lengths, mean_over_words=True),
             "that is the plain mean over words: weight each word's length by its probability count / total"),
            (_length_entropy(counts, lengths, normalise=False),
             "E[L] came out as a total: divide the counts by their sum to get probabilities"),
            (_length_entropy(counts, lengths, sign=-1.0), "the entropy is -sum p log2 p, never negative"),
        ], "wrong values: E[L] = sum p(w) L_w and H = -sum p(w) log2 p(w), with p(w) = count / total")
    return None
