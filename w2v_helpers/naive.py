"""Teaching versions: the readable code the chapters write, kept to compare the package against.

Each function here is the plain-Python or plain-torch version of something the package does
faster, written exactly as a chapter writes it, and each is pinned by a test to the production
code it explains:

- `sgns_grads` (Chapter 1): the hand-derived SGNS gradients of a batch; `gradients.sgd_step` applies them;
- `sample_naive` (Chapter 3): one noise word at a time; `negative_sampling.NegativeSampler` draws them in bulk;
- `dynamic_window_pairs` (Chapter 4): word2vec's dynamic window as a double loop; `pairs.pairs_vectorized`;
- `iter_pair_chunks` (bonus notebook 04b): pairs made one chunk of the corpus at a time, as the trainer does;
- `train_loop` (Chapter 5): the training loop with the Chapter 4 model and autograd; `train.train`;
- `dynamic_window_contexts` and `cbow_grads` (Chapter 9): CBOW's windows as a loop, and its gradients;
  `cbow.cbow_examples` and `cbow.cbow_step` are the fast versions.

The second half is the reference design of bonus notebook 05c, the straightforward SGNS pipeline, kept to
be measured. Each choice in it costs speed or memory, and `w2v_helpers.train` replaces every one:

- every (centre, context) pair of the corpus is built up front as a Python list of tuples
  (`dynamic_window_pairs`), about 120 bytes per pair;
- a torch `Dataset` (`PairDataset`) returns one pair at a time, and draws its K noise words in
  `__getitem__`, one example at a time; a `DataLoader` (`reference_loader`) collates 1,024 such
  items into a batch;
- the model is a `SkipGram` with dense embeddings, trained with Adam (lr 1e-3, `train_dense_adam`):
  the gradient of each table is a full (V, d) tensor, and Adam updates all V rows at every step.

`vectorized_batches` is the first improvement: the same pairs made with numpy and the noise words
of a whole chunk drawn in one call, still fed to the dense Adam model.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

from .model import SkipGram
from .negative_sampling import NegativeSampler, noise_distribution
from .pairs import chunk_bounds, draw_window_sizes, pairs_vectorized
from .subsampling import keep_prob_word2vec, subsample


def sgns_grads(v: torch.Tensor, u_pos: torch.Tensor, u_neg: torch.Tensor):
    """Loss and gradients for a batch, from the formulas derived in Chapter 1.

    v, u_pos: (B, d); u_neg: (B, K, d). Returns (loss (B,), dL/dv (B, d), dL/du_pos (B, d),
    dL/du_neg (B, K, d)). `gradients.sgd_step` applies the same formulas to the tables.
    """
    s_pos = (v * u_pos).sum(-1)                               # (B,)
    s_neg = torch.bmm(u_neg, v.unsqueeze(-1)).squeeze(-1)     # (B, K)
    loss = -F.logsigmoid(s_pos) - F.logsigmoid(-s_neg).sum(-1)
    g_pos = torch.sigmoid(s_pos) - 1.0                        # (B,)
    g_neg = torch.sigmoid(s_neg)                              # (B, K)
    grad_v = g_pos.unsqueeze(-1) * u_pos + torch.bmm(g_neg.unsqueeze(1), u_neg).squeeze(1)  # (B, d)
    grad_pos = g_pos.unsqueeze(-1) * v                        # (B, d)
    grad_neg = g_neg.unsqueeze(-1) * v.unsqueeze(1)           # (B, K, d)
    return loss, grad_v, grad_pos, grad_neg


def sample_naive(probs: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """One draw at a time by walking the cumulative distribution: readable, and slow (O(V) per draw).

    Written in Chapter 3, which checks that `NegativeSampler` draws the same words from the same seed.
    """
    out = np.empty(n, dtype=np.int64)
    for k in range(n):
        u, total = rng.random(), 0.0
        out[k] = len(probs) - 1          # in case u lands in the rounding gap just below 1
        for word, p in enumerate(probs):
            total += p
            if u < total:
                out[k] = word
                break
    return out


def dynamic_window_pairs(ids, window: int, rng: np.random.Generator) -> list[tuple[int, int]]:
    """(centre, context) id pairs: for each position draw b in 1..window, pair with words <= b away.

    Written in Chapter 4, which checks that `pairs_vectorized` makes the same pairs in the same order;
    The reference design of bonus notebook 05c builds its list of pairs with it.
    """
    pairs = []
    for i in range(len(ids)):
        b = rng.integers(1, window + 1)              # this centre's window size
        for offset in range(-b, b + 1):
            j = i + offset
            if offset != 0 and 0 <= j < len(ids):    # skip the centre itself and the corpus edges
                pairs.append((int(ids[i]), int(ids[j])))
    return pairs


def iter_pair_chunks(
    ids: np.ndarray, window: int, chunk_tokens: int, rng: np.random.Generator
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield (centres, contexts) for each chunk of the corpus: memory ~ chunk_tokens * 2 * window.

    Shown in bonus notebook 04b: the trainer never holds all pairs at once; windows never cross a chunk boundary.
    """
    for start, stop in chunk_bounds(len(ids), chunk_tokens):
        piece = ids[start:stop]
        yield pairs_vectorized(piece, draw_window_sizes(len(piece), window, rng), window)


def train_loop(ids, vocab, cfg):
    """SGNS training as Chapter 5 writes it: `SkipGram`, autograd and plain SGD.

    Draws its random numbers in the same order as `train.train` with method "autograd", so with one
    worker on the CPU both give the same vectors. Returns (model, mean loss per pair of each chunk).
    """
    model = SkipGram(len(vocab), cfg.dim, generator=torch.Generator().manual_seed(cfg.seed))
    optimizer = torch.optim.SGD(model.parameters(), lr=cfg.lr)
    keep = keep_prob_word2vec(vocab.frequencies(), cfg.sample) if cfg.sample > 0 else None   # Chapter 2
    sampler = NegativeSampler(vocab.counts)                       # Chapter 3
    total_words = cfg.epochs * len(ids)
    chunk_losses = []
    for epoch in range(cfg.epochs):
        for k, (start, stop) in enumerate(chunk_bounds(len(ids), cfg.chunk_tokens)):
            rng = np.random.default_rng([cfg.seed, epoch, k])    # one generator per chunk
            chunk = ids[start:stop]
            if keep is not None:
                chunk = subsample(chunk, keep, rng)                                   # (n,) ids
            b = draw_window_sizes(len(chunk), cfg.window, rng)                       # (n,) window sizes
            centres, contexts = pairs_vectorized(chunk, b, cfg.window)               # (P,), (P,)
            order = rng.permutation(len(centres))                                     # shuffle the pairs
            negatives = sampler.sample((len(centres), cfg.negative), rng)            # (P, K)
            centres, contexts = torch.from_numpy(centres[order]), torch.from_numpy(contexts[order])
            negatives = torch.from_numpy(negatives)
            words_before = epoch * len(ids) + start
            chunk_loss = 0.0
            for i in range(0, len(centres), cfg.batch_size):
                progress = (words_before + i / len(centres) * (stop - start)) / total_words
                lr = cfg.lr - (cfg.lr - cfg.min_lr) * progress               # linear decay to min_lr
                for group in optimizer.param_groups:
                    group["lr"] = lr
                batch = slice(i, i + cfg.batch_size)
                loss = model(centres[batch], contexts[batch], negatives[batch]).sum()   # (B,) -> ()
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                chunk_loss += loss.item()
            chunk_losses.append(chunk_loss / max(len(centres), 1))
    return model, chunk_losses


def dynamic_window_contexts(ids, window: int, rng: np.random.Generator) -> list[tuple[int, list[int]]]:
    """CBOW's examples as a loop: for each position draw b in 1..window, collect the words <= b away.

    Returns (centre, [context ids]) per position with at least one context word, the same draws as
    `dynamic_window_pairs`. Chapter 9 writes this loop and checks `cbow.cbow_examples` against it;
    bonus notebook 09b times the two.
    """
    examples = []
    for i in range(len(ids)):
        b = rng.integers(1, window + 1)              # this centre's window size
        context = [int(ids[j]) for j in range(i - b, i + b + 1) if j != i and 0 <= j < len(ids)]
        if context:
            examples.append((int(ids[i]), context))
    return examples


def cbow_grads(v_ctx: torch.Tensor, weights: torch.Tensor, u_pos: torch.Tensor, u_neg: torch.Tensor):
    """Loss and gradients of a CBOW batch, from the formulas derived in Chapter 9.

    v_ctx: (B, C, d) context vectors, weights: (B, C) (1/n for each of a row's n words, 0 on padding),
    u_pos: (B, d), u_neg: (B, K, d). Returns (loss (B,), dL/dv_ctx (B, C, d), dL/du_pos (B, d),
    dL/du_neg (B, K, d)): skip-gram's `sgns_grads` for h, then dL/dh / n to each context word.
    """
    h = (weights.unsqueeze(-1) * v_ctx).sum(1)               # (B, d): the mean context vector
    loss, grad_h, grad_pos, grad_neg = sgns_grads(h, u_pos, u_neg)
    grad_ctx = weights.unsqueeze(-1) * grad_h.unsqueeze(1)   # (B, C, d)
    return loss, grad_ctx, grad_pos, grad_neg


# ----- the reference design of bonus notebook 05c -------------------------------------------------
class PairDataset(Dataset):
    """One (centre, context, negatives) example per index; noise words drawn per example (bonus notebook 05c)."""

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
    """Shuffled batches of (centres (B,), contexts (B,), negatives (B, K)), collated by torch (bonus notebook 05c)."""
    return DataLoader(PairDataset(pairs, counts, negative, seed), batch_size=batch_size, shuffle=True,
                      generator=torch.Generator().manual_seed(seed))


def vectorized_batches(ids: np.ndarray, counts: np.ndarray, window: int, negative: int, batch_size: int,
                       rng: np.random.Generator) -> Iterator[tuple[torch.Tensor, torch.Tensor, torch.Tensor]]:
    """The same kind of batches from numpy: pairs in one call, all noise words in one call (bonus notebook 05c)."""
    centres, contexts = pairs_vectorized(ids, draw_window_sizes(len(ids), window, rng), window)
    order = rng.permutation(len(centres))
    negatives = NegativeSampler(counts).sample((len(centres), negative), rng)
    centres, contexts, negatives = (torch.from_numpy(a) for a in (centres[order], contexts[order], negatives))
    for s in range(0, len(centres), batch_size):
        yield centres[s:s + batch_size], contexts[s:s + batch_size], negatives[s:s + batch_size]


@dataclass
class DenseRun:
    """What `train_dense_adam` returns (bonus notebook 05c): the model, per-batch losses, pairs and seconds."""

    model: SkipGram
    losses: list[float] = field(default_factory=list)   # mean loss per pair, one per batch
    pairs: int = 0
    seconds: float = 0.0

    @property
    def pairs_per_sec(self) -> float:
        return self.pairs / self.seconds if self.seconds else 0.0


def train_dense_adam(batches: Iterable[tuple[torch.Tensor, torch.Tensor, torch.Tensor]], vocab_size: int,
                     dim: int, lr: float = 1e-3, seed: int = 0, max_pairs: int | None = None) -> DenseRun:
    """One pass of dense-embedding SGNS with autograd and Adam, the reference of bonus notebook 05c.

    `seconds` covers the whole loop, including whatever work the batch iterator does (for the
    reference: the DataLoader's). With `max_pairs`, stop after the first batch that reaches that many pairs.
    """
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
