"""(centre, context) pairs with word2vec's dynamic window, taught in Chapter 4.

For each centre position word2vec draws a window size b uniformly from 1..window and pairs the
centre with every word within b positions. Near neighbours are therefore used more often than far
ones (distance 1 always, distance `window` only with probability 1/window): a cheap distance weighting.

`pairs_vectorized` gives the same pairs in the same order as Chapter 4's double loop
(`naive.dynamic_window_pairs`), with numpy; the trainer makes them one chunk at a time (`chunk_bounds`).
"""

from __future__ import annotations

import numpy as np


def draw_window_sizes(n: int, window: int, rng: np.random.Generator) -> np.ndarray:
    """One reduced window size b in 1..window per centre position (Chapter 4)."""
    if window < 1:
        raise ValueError(f"window must be at least 1, got {window}")
    return rng.integers(1, window + 1, size=n)


def pairs_vectorized(ids: np.ndarray, b: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """The pairs of Chapter 4's loop, same order, as two int64 arrays (centres, contexts).

    Build an (n, 2*window) grid of candidate context positions, mask the ones outside each
    centre's window or outside the sequence, and read the grid row by row. Chapter 4 checks it
    against the loop; Chapter 5 and bonus notebook 05c train on its pairs.
    """
    n = len(ids)
    offsets = np.concatenate([np.arange(-window, 0), np.arange(1, window + 1)])  # (2w,) ascending, no 0
    pos = np.arange(n)[:, None] + offsets[None, :]                                   # (n, 2w)
    valid = (np.abs(offsets)[None, :] <= b[:, None]) & (pos >= 0) & (pos < n)        # (n, 2w)
    centres = np.broadcast_to(ids[:, None], pos.shape)[valid]                        # (P,)
    contexts = ids[pos[valid]]                                                       # (P,)
    return centres.astype(np.int64), contexts.astype(np.int64)


def chunk_bounds(n_tokens: int, chunk_tokens: int) -> list[tuple[int, int]]:
    """Split 0..n_tokens into consecutive [start, stop) pieces; windows never cross a piece boundary.

    word2vec does the same with its 1000-word 'sentences' (gensim: 10,000), so the loss at the
    edges is negligible and every chunk can be processed on its own. The chunks of Chapter 5's loop.
    """
    return [(s, min(s + chunk_tokens, n_tokens)) for s in range(0, n_tokens, chunk_tokens)]
