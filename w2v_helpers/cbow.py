"""CBOW (continuous bag of words) with negative sampling, word2vec's other architecture, taught in Chapter 9.

Skip-gram turns every (centre, context) pair into one example. CBOW turns every centre position
into one: the mean of the input vectors of the words in its window,

    h = (1/n) sum_j v_{c_j}                 (n context words c_1..c_n, the dynamic window of Chapter 4)

plays the part of skip-gram's v_c, and predicts the centre word o through its output vector:

    L = -log sigma(u_o . h) - sum_k log sigma(-u_{n_k} . h)

With g_0 = sigma(u_o . h) - 1 and g_k = sigma(u_{n_k} . h) (Chapter 1's errors, h in place of v):

    dL/dh = g_0 u_o + sum_k g_k u_{n_k}     dL/du_o = g_0 h     dL/du_{n_k} = g_k h
    dL/dv_{c_j} = dL/dh / n                 (summed when a word occurs twice in the window)

This is the gradient of word2vec's cbow_mean=1 loss, which the "manual" and "autograd" methods
follow. word2vec's C code and gensim add the whole dL/dh to every context word, not dL/dh / n:
not the gradient of the mean, but an n times larger step on the input vectors. The "fast" method
(`cbow_step_shared`) takes word2vec's step: with it the vectors score as well as gensim's after
as many epochs, with the 1/n share clearly worse. Summed over a batch, that larger step needs
smaller batches (512 centre positions by default, train.DEFAULT_BATCH) and noise words shared
by groups of NOISE_ROWS rows rather than by the whole batch, or training diverges.

A batch holds B centre positions; their context words sit in a (B, 2*window) id matrix, padded
with -1 where a position has fewer than 2*window neighbours (a smaller window drawn, or the
chunk's edge). The trainer (train.py, `arch="cbow"`) makes the batches with `make_cbow_batches`,
with the same subsampling, window sizes, shuffling and noise draws as skip-gram, and steps with
`cbow_step` ("manual"), `cbow_step_shared` ("fast") or the `CBOW` module ("autograd").
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import torch
import torch.nn.functional as F
from numpy.lib.stride_tricks import sliding_window_view

from .gradients import output_grads
from .model import SkipGram, sgns_loss
from .negative_sampling import NegativeSampler

if TYPE_CHECKING:
    from .train import TrainConfig

PAD = -1         # the id of an empty slot in a context matrix
NOISE_ROWS = 32  # "fast" method: rows of a batch that share one set of noise words


def cbow_examples(ids: np.ndarray, b: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """One CBOW example per centre position: (centres (N,), contexts (N, 2*window) padded with -1).

    Position i's context words are those at most b[i] positions away, in position order, as the
    skip-gram pairs list them; positions with no context word (a chunk of one token) are left
    out. The same words as `pairs.pairs_vectorized`, grouped by centre: the rows of a sliding
    window over the ids padded with -1, the centre column dropped and the slots beyond b[i] emptied.
    Chapter 9 checks it against its loop (`naive.dynamic_window_contexts`).
    """
    ids = np.asarray(ids).astype(np.int64)
    edge = np.full(window, PAD, dtype=np.int64)
    grid = sliding_window_view(np.concatenate([edge, ids, edge]), 2 * window + 1)   # (n, 2w+1), a view
    contexts = np.delete(grid, window, axis=1)                                       # (n, 2w), centre dropped
    offsets = np.concatenate([np.arange(window, 0, -1), np.arange(1, window + 1)])   # (2w,) distances
    contexts[offsets[None, :] > np.asarray(b)[:, None]] = PAD                        # beyond each drawn window
    used = (contexts != PAD).any(1)                                                  # (n,)
    if not used.all():
        ids, contexts = ids[used], contexts[used]
    return ids, contexts


def noise_groups(batch_size: int) -> int:
    """How many sets of noise words a "fast" CBOW batch draws: one per NOISE_ROWS rows (bonus notebook 09b)."""
    return -(-batch_size // NOISE_ROWS)


def make_cbow_batches(chunk: np.ndarray, keep: np.ndarray | None, sampler: NegativeSampler,
                      cfg: TrainConfig, rng: np.random.Generator):
    """Subsample one chunk, group its windows by centre, shuffle, draw negatives: (centres, contexts, negatives).

    The CBOW twin of `train.make_chunk_batches`, drawing from `rng` in the same order. centres (N,),
    contexts (N, 2*window) padded with -1, negatives (N, K) or, for the "fast" method,
    (batches, groups, S): S = cfg.shared_negatives noise words per group of NOISE_ROWS rows.
    `train(..., TrainConfig(arch="cbow"))` trains with it; bonus notebook 09b shows its batches.
    """
    from .train import make_chunk_batches  # train.py imports this module

    if cfg.method != "fast" or cfg.hs:    # private noise words, or none (hierarchical softmax, Chapter 10)
        return make_chunk_batches(chunk, keep, sampler, cfg, rng, examples=cbow_examples)
    groups, per_group = noise_groups(cfg.batch_size), cfg.shared_negatives
    centres, contexts, negatives = make_chunk_batches(chunk, keep, sampler, replace(cfg, shared_negatives=groups
                                                      * per_group), rng, examples=cbow_examples)
    return centres, contexts, negatives.reshape(len(negatives), groups, per_group)


def context_weights(contexts: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """(B, 2w) padded ids -> (B, 2w) weights: 1/n on each of a row's n context words, 0 on padding (Chapter 9)."""
    mask = (contexts != PAD).to(dtype)
    return mask / mask.sum(1, keepdim=True)


def context_mean(in_w: torch.Tensor, contexts: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """h, the mean input vector of each row's context words, and the weights: ((B, d), (B, 2w)) (bonus notebook 09b)."""
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
    with h in place of v, then dL/dh / n to each context word. The "manual" method (Chapter 9;
    bonus notebook 09b checks it against autograd).
    """
    h, weights = context_mean(in_w, contexts)                        # (B, d), (B, 2w)
    loss, grad_h, targets, grad_u = output_grads(h, out_w, centre, negatives)
    _spread(in_w, contexts, weights, grad_h.mul_(-lr))
    out_w.index_add_(0, targets, grad_u, alpha=-lr)
    return loss


def _rows_per_group(batch: int, groups: int) -> int:
    """Rows of a batch of `batch` examples that share one set of noise words, when there are `groups` sets."""
    return -(-batch // groups)


def cbow_loss_shared(in_w: torch.Tensor, out_w: torch.Tensor, centre: torch.Tensor, contexts: torch.Tensor,
                     shared: torch.Tensor, negative: int) -> torch.Tensor:
    """Per-example loss (B,) whose autograd SGD step is the "fast" step, `cbow_step_shared` (bonus notebook 09b).

    shared: (G, S) noise words, or (S,) for G = 1; consecutive rows in groups of ceil(B/G) score
    the S words of their group, each weighted K/S. h is the mean of the context vectors in value,
    but its gradient reaches every context word whole, word2vec's update:
    h = t - (1 - 1/n) * t.detach() with t the sum of the n context vectors.
    """
    shared = shared.reshape(-1, shared.shape[-1])                              # (G, S)
    real = (contexts != PAD).unsqueeze(-1).to(in_w.dtype)                      # (B, 2w, 1)
    t = (in_w[contexts.clamp(min=0)] * real).sum(1)                            # (B, d)
    h = t - (1 - 1 / real.sum(1)) * t.detach()                                 # (B, d): the mean
    group = torch.arange(len(centre), device=centre.device) // _rows_per_group(len(centre), len(shared))
    neg = torch.bmm(out_w[shared[group]], h.unsqueeze(-1)).squeeze(-1)        # (B, S)
    pos = (h * out_w[centre]).sum(-1)                                          # (B,)
    return -F.logsigmoid(pos) - negative / shared.shape[1] * F.logsigmoid(-neg).sum(-1)


def flat_context_mean(in_w: torch.Tensor, contexts: torch.Tensor):
    """h (B, d) with the context words taken out of the padding: (h, words (M,), their rows (M,)) (bonus notebook 09b).

    One `nonzero` finds the filled slots, row by row, and h is one `embedding_bag`: no work on empty slots.
    """
    real = contexts != PAD                                                 # (B, 2w)
    slots = real.reshape(-1).nonzero().squeeze(1)                          # (M,) the filled slots, row by row
    words = contexts.reshape(-1).index_select(0, slots)                    # (M,) their words
    rows = slots.div(contexts.shape[1], rounding_mode="floor")             # (M,) their rows
    counts = real.sum(1)                                                   # (B,) n of each row
    return F.embedding_bag(words, in_w, torch.cumsum(counts, 0) - counts, mode="mean"), words, rows


@torch.no_grad()
def cbow_step_shared(in_w: torch.Tensor, out_w: torch.Tensor, centre: torch.Tensor, contexts: torch.Tensor,
                     shared: torch.Tensor, lr: float, negative: int) -> torch.Tensor:
    """word2vec's CBOW update on a batch, with noise words shared by groups of rows; returns the summed loss.

    centre: (B,) ids; contexts: (B, 2w) padded with -1; shared: (G, S) ids, or (S,) for G = 1. The
    rows, in consecutive groups of ceil(B/G) (NOISE_ROWS in training), share the S noise words of
    their group, each weighted K/S, so the noise scores are G small matrix products. The output
    vectors take the gradient of that loss, with h the mean of the context vectors; each context
    word takes the whole -lr * dL/dh, as in word2vec's C code and gensim (cbow_mean=1), not the
    gradient's 1/n share: with it our vectors score as well as gensim's after as many epochs, with
    the 1/n share clearly worse. It is the autograd SGD step on `cbow_loss_shared`.
    Why groups: with one set of noise words for the whole batch, hundreds of rows push the same few
    output vectors the same way in one step, and with the whole dL/dh per context word training
    diverges at word2vec's learning rate.
    Each row's context words are taken out of the padding (one flat list, in row order), so h is
    one `embedding_bag` and the input update one `index_add_`: no work on empty slots.
    The "fast" method (bonus notebook 09b).
    """
    B, d = centre.shape[0], in_w.shape[1]
    shared = shared.reshape(-1, shared.shape[-1])                          # (G, S)
    G, S = shared.shape
    g = _rows_per_group(B, G)
    pad = G * g - B                                                        # empty rows that fill the last group
    h, words, rows = flat_context_mean(in_w, contexts)                     # (B, d), (M,), (M,)
    hg = (F.pad(h, (0, 0, 0, pad)) if pad else h).view(G, g, d)           # (G, g, d)
    u = out_w.index_select(0, centre)                                      # (B, d)
    n = out_w.index_select(0, shared.reshape(-1)).view(G, S, d)            # (G, S, d)
    s_pos = (h * u).sum(1)                                                 # (B,)
    s_neg = torch.bmm(hg, n.transpose(1, 2))                               # (G, g, S)
    weight = negative / S
    loss = F.softplus(-s_pos).sum() + weight * F.softplus(s_neg.view(-1, S)[:B]).sum()   # softplus(x) = -log sigma(-x)
    step_pos = torch.sigmoid(s_pos).sub_(1.0).mul_(-lr)                    # (B,): -lr * dL/ds_pos
    step_neg = torch.sigmoid(s_neg).mul_(-lr * weight)                     # (G, g, S): -lr * dL/ds_neg
    if pad:
        step_neg.view(-1, S)[B:] = 0.0
    delta_h = torch.bmm(step_neg, n).view(-1, d)[:B].addcmul_(step_pos.unsqueeze(1), u)  # (B, d) = -lr * dL/dh
    in_w.index_add_(0, words, delta_h.index_select(0, rows))
    out_w.index_add_(0, shared.reshape(-1), torch.bmm(step_neg.transpose(1, 2), hg).view(-1, d))
    out_w.index_add_(0, centre, h.mul_(step_pos.unsqueeze(1)))             # h is not needed any more
    return loss
