"""The reference design of Chapter 8: the straightforward SGNS pipeline, kept to be measured.

This is how a first version of skip-gram training usually looks, and each choice in it costs speed
or memory; `w2v_helpers.train` replaces every one of them. Use it to measure, not to train:

- every (centre, context) pair of the corpus is built up front as a Python list of tuples
  (`pairs.pairs_naive`), about 120 bytes per pair;
- a torch `Dataset` returns one pair at a time, and draws its K noise words in `__getitem__`,
  one example at a time; a `DataLoader` collates 1,024 such items into a batch;
- the model is a `SkipGram` with dense embeddings, trained with Adam (lr 1e-3): the gradient of
  each table is a full (V, d) tensor, and Adam updates all V rows at every step.

`vectorized_batches` is the first improvement: the same pairs made with numpy and the noise words
of a whole chunk drawn in one call, still fed to the dense Adam model.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Iterable, Iterator

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset

from .model import SkipGram
from .negative_sampling import NegativeSampler, noise_distribution
from .pairs import draw_window_sizes, pairs_naive, pairs_vectorized


def build_pair_list(ids: np.ndarray, window: int, rng: np.random.Generator) -> list[tuple[int, int]]:
    """All (centre, context) pairs of `ids` with the dynamic window, as a list of int tuples."""
    return pairs_naive(ids, draw_window_sizes(len(ids), window, rng))


class PairDataset(Dataset):
    """One (centre, context, negatives) example per index; noise words drawn per example."""

    def __init__(self, pairs: list[tuple[int, int]], counts: np.ndarray, negative: int, seed: int) -> None:
        self.pairs = pairs
        self.noise = noise_distribution(counts)   # unigram ** 0.75, as in Chapter 3
        self.negative = negative
        self.rng = np.random.default_rng(seed)

    def __len__(self) -> int:
        return len(self.pairs)

    def __getitem__(self, i: int):
        centre, context = self.pairs[i]
        negatives = self.rng.choice(len(self.noise), size=self.negative, p=self.noise)
        return centre, context, torch.from_numpy(negatives)


def reference_loader(pairs: list[tuple[int, int]], counts: np.ndarray, negative: int,
                     batch_size: int, seed: int) -> DataLoader:
    """Shuffled batches of (centres (B,), contexts (B,), negatives (B, K)), collated by torch."""
    return DataLoader(PairDataset(pairs, counts, negative, seed), batch_size=batch_size, shuffle=True,
                      generator=torch.Generator().manual_seed(seed))


def vectorized_batches(ids: np.ndarray, counts: np.ndarray, window: int, negative: int, batch_size: int,
                       rng: np.random.Generator) -> Iterator[tuple[torch.Tensor, torch.Tensor, torch.Tensor]]:
    """The same kind of batches from numpy: pairs in one call, all noise words in one call."""
    centres, contexts = pairs_vectorized(ids, draw_window_sizes(len(ids), window, rng), window)
    order = rng.permutation(len(centres))
    negatives = NegativeSampler(counts).sample((len(centres), negative), rng)
    centres, contexts, negatives = (torch.from_numpy(a) for a in (centres[order], contexts[order], negatives))
    for s in range(0, len(centres), batch_size):
        yield centres[s:s + batch_size], contexts[s:s + batch_size], negatives[s:s + batch_size]


@dataclass
class DenseRun:
    model: SkipGram
    losses: list[float] = field(default_factory=list)   # mean loss per pair, one per batch
    pairs: int = 0
    seconds: float = 0.0

    @property
    def pairs_per_sec(self) -> float:
        return self.pairs / self.seconds if self.seconds else 0.0


def train_dense_adam(batches: Iterable[tuple[torch.Tensor, torch.Tensor, torch.Tensor]], vocab_size: int,
                     dim: int, lr: float = 1e-3, seed: int = 0, max_pairs: int | None = None) -> DenseRun:
    """One pass of dense-embedding SGNS with autograd and Adam; `seconds` covers the whole loop,
    including whatever work the batch iterator does (for the reference: the DataLoader's).
    With `max_pairs`, stop after the first batch that reaches that many pairs."""
    model = SkipGram(vocab_size, dim, sparse=False, generator=torch.Generator().manual_seed(seed))
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    run = DenseRun(model)
    t0 = time.perf_counter()
    for centres, contexts, negatives in batches:
        optimizer.zero_grad()
        loss = model(centres, contexts, negatives).mean()
        loss.backward()
        optimizer.step()
        run.losses.append(loss.item())
        run.pairs += len(centres)
        if max_pairs is not None and run.pairs >= max_pairs:
            break
    run.seconds = time.perf_counter() - t0
    return run
