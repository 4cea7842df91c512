"""CBOW (continuous bag of words) with negative sampling, word2vec's other architecture, taught in Chapter 9.

Skip-gram turns every (centre, context) pair into one example. CBOW turns every centre position
into one: the mean of the input vectors of the words in its window,

    h = (1/n) sum_j v_{c_j}                 (n context words c_1..c_n, the dynamic window of Chapter 4)

plays the part of skip-gram's v_c, and predicts the centre word o through its output vector:

    L = -log sigma(u_o . h) - sum_k log sigma(-u_{n_k} . h)

With g_0 = sigma(u_o . h) - 1 and g_k = sigma(u_{n_k} . h) (Chapter 1's errors, h in place of v):

    dL/dh = g_0 u_o + sum_k g_k u_{n_k}     dL/du_o = g_0 h     dL/du_{n_k} = g_k h
    dL/dv_{c_j} = dL/dh / n                 (summed when a word occurs twice in the window)

This is the gradient of word2vec's cbow_mean=1 loss. (word2vec's C code and gensim add the whole
dL/dh to every context word, not dL/dh / n: not the gradient of the mean, but of a loss whose
input-vector steps are n times larger.)

A batch holds B centre positions; their context words sit in a (B, 2*window) id matrix, padded
with -1 where a position has fewer than 2*window neighbours (a smaller window drawn, or the
chunk's edge). The trainer (train.py, `arch="cbow"`) makes the batches with `make_cbow_batches`,
with the same subsampling, window sizes, shuffling and noise draws as skip-gram, and steps with
`cbow_step` ("manual"), `cbow_step_shared` ("fast") or the `CBOW` module ("autograd").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import torch
import torch.nn.functional as F

from .gradients import output_grads
from .model import SkipGram, sgns_loss
from .negative_sampling import NegativeSampler

if TYPE_CHECKING:
    from .train import TrainConfig

PAD = -1  # the id of an empty slot in a context matrix


def cbow_examples(ids: np.ndarray, b: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """One CBOW example per centre position: (centres (N,), contexts (N, 2*window) padded with -1).

    Position i's context words are those at most b[i] positions away, in position order, as the
    skip-gram pairs list them; positions with no context word (a chunk of one token) are left
    out. The same words as `pairs.pairs_vectorized`, grouped by centre.
    Chapter 9 checks it against its loop (`naive.dynamic_window_contexts`).
    """
    n = len(ids)
    offsets = np.concatenate([np.arange(-window, 0), np.arange(1, window + 1)])  # (2w,) ascending, no 0
    pos = np.arange(n)[:, None] + offsets[None, :]                                   # (n, 2w)
    valid = (np.abs(offsets)[None, :] <= b[:, None]) & (pos >= 0) & (pos < n)        # (n, 2w)
    contexts = np.where(valid, np.asarray(ids)[np.clip(pos, 0, max(n - 1, 0))], PAD)  # (n, 2w)
    used = valid.any(1)                                                               # (n,)
    return np.asarray(ids)[used].astype(np.int64), contexts[used].astype(np.int64)


def make_cbow_batches(chunk: np.ndarray, keep: np.ndarray | None, sampler: NegativeSampler,
                      cfg: TrainConfig, rng: np.random.Generator):
    """Subsample one chunk, group its windows by centre, shuffle, draw negatives: (centres, contexts, negatives).

    The CBOW twin of `train.make_chunk_batches`, drawing from `rng` in the same order. centres (N,),
    contexts (N, 2*window) padded with -1, negatives (N, K) or, for the "fast" method, (batches, S).
    Chapter 9 trains with it through `train(..., TrainConfig(arch="cbow"))`.
    """
    from .train import make_chunk_batches  # train.py imports this module

    return make_chunk_batches(chunk, keep, sampler, cfg, rng, examples=cbow_examples)


def context_weights(contexts: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """(B, 2w) padded ids -> (B, 2w) weights: 1/n on each of a row's n context words, 0 on padding (Chapter 9)."""
    mask = (contexts != PAD).to(dtype)
    return mask / mask.sum(1, keepdim=True)


def context_mean(in_w: torch.Tensor, contexts: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """h, the mean input vector of each row's context words, and the weights: ((B, d), (B, 2w)) (Chapter 9)."""
    weights = context_weights(contexts, in_w.dtype)                              # (B, 2w)
    vectors = F.embedding(contexts.clamp(min=0), in_w)                           # (B, 2w, d), padding -> row 0
    return torch.bmm(weights.unsqueeze(1), vectors).squeeze(1), weights         # (B, d)


class CBOW(SkipGram):
    """The CBOW model: SkipGram's two tables, word2vec's start, and a forward pass on context windows.

    `in_embed` holds the context words' vectors v (averaged into h), `out_embed` the centre words'
    u; `word_vectors()` returns `in_embed`, as for skip-gram. Chapter 9 builds it; the trainer's
    "autograd" method trains it.
    """

    def forward(self, centre: torch.Tensor, contexts: torch.Tensor, negatives: torch.Tensor) -> torch.Tensor:
        """centre: (B,), contexts: (B, 2w) padded with -1, negatives: (B, K) -> per-example loss (B,)."""
        weights = context_weights(contexts, self.in_embed.weight.dtype)              # (B, 2w)
        v = self.in_embed(contexts.clamp(min=0))                                      # (B, 2w, d)
        h = (weights.unsqueeze(-1) * v).sum(1)                                        # (B, d)
        return sgns_loss(h, self.out_embed(centre), self.out_embed(negatives))       # (B,)


def _spread(in_w: torch.Tensor, contexts: torch.Tensor, weights: torch.Tensor, delta_h: torch.Tensor) -> None:
    """Add weight * delta_h to each context word's row (padding slots skipped)."""
    real = contexts != PAD                                                        # (B, 2w)
    delta = weights.unsqueeze(-1) * delta_h.unsqueeze(1)                          # (B, 2w, d)
    in_w.index_add_(0, contexts[real], delta[real])


@torch.no_grad()
def cbow_step(in_w: torch.Tensor, out_w: torch.Tensor, centre: torch.Tensor, contexts: torch.Tensor,
              negatives: torch.Tensor, lr: float) -> torch.Tensor:
    """One SGD step on the summed CBOW loss of a batch, in place; returns the summed loss.

    centre: (B,) ids; contexts: (B, 2w) padded with -1; negatives: (B, K). `gradients.sgd_step`
    with h in place of v, then dL/dh / n to each context word. The "manual" method (Chapter 9).
    """
    h, weights = context_mean(in_w, contexts)                        # (B, d), (B, 2w)
    loss, grad_h, targets, grad_u = output_grads(h, out_w, centre, negatives)
    _spread(in_w, contexts, weights, grad_h.mul_(-lr))
    out_w.index_add_(0, targets, grad_u, alpha=-lr)
    return loss


@torch.no_grad()
def cbow_step_shared(in_w: torch.Tensor, out_w: torch.Tensor, centre: torch.Tensor, contexts: torch.Tensor,
                     shared: torch.Tensor, lr: float, negative: int) -> torch.Tensor:
    """SGD step where all B examples of the batch share one set of S noise words, weighted K/S.

    centre: (B,) ids; contexts: (B, 2w) padded with -1; shared: (S,) ids. `gradients.sgd_step_shared`
    with h in place of v: the noise scores are one (B, d) x (d, S) product. The "fast" method (Chapter 9).
    """
    B, d = centre.shape[0], in_w.shape[1]
    h, weights = context_mean(in_w, contexts)           # (B, d), (B, 2w)
    u = out_w.index_select(0, centre)                   # (B, d)
    n = out_w.index_select(0, shared)                   # (S, d)
    s_pos = (h * u).sum(1)                              # (B,)
    s_neg = h @ n.T                                     # (B, S)
    weight = negative / len(shared)
    loss = -F.logsigmoid(s_pos).sum() - weight * F.logsigmoid(-s_neg).sum()
    step_pos = (torch.sigmoid(s_pos) - 1.0).mul_(-lr)   # (B,): -lr * dL/ds_pos
    step_neg = torch.sigmoid(s_neg).mul_(-lr * weight)  # (B, S): -lr * dL/ds_neg
    delta_h = torch.addmm(step_pos.unsqueeze(1) * u, step_neg, n)   # (B, d) = -lr * dL/dh
    _spread(in_w, contexts, weights, delta_h)
    out_w.scatter_add_(0, centre.unsqueeze(1).expand(B, d), step_pos.unsqueeze(1) * h)
    out_w.scatter_add_(0, shared.unsqueeze(1).expand(len(shared), d), step_neg.T @ h)
    return loss
