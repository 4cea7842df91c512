"""The skip-gram model with negative sampling (SGNS), as Chapter 4 writes it.

Two embedding tables: `in_embed` holds the centre ('input') vector v_w of each word, `out_embed`
the context ('output') vector u_w. For a true pair (c, o) and K noise words n_1..n_K the loss is

    L = -log sigma(u_o . v_c) - sum_k log sigma(-u_{n_k} . v_c)

computed with F.logsigmoid, which is exact for large |x|, where log(sigmoid(x) + 1e-10) is not.
Chapter 4 writes `sgns_loss` and `SkipGram` in the notebook and checks that these are the same.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


def sgns_loss(v: torch.Tensor, u_pos: torch.Tensor, u_neg: torch.Tensor) -> torch.Tensor:
    """Per-pair SGNS loss. v: (B, d) centre vectors, u_pos: (B, d), u_neg: (B, K, d) -> (B,).

    Written in Chapter 4; Chapter 1 derives its gradients.
    """
    pos = (v * u_pos).sum(-1)                                # (B,): u_o . v_c, one dot product per pair
    neg = torch.bmm(u_neg, v.unsqueeze(-1)).squeeze(-1)      # (B, K, d) @ (B, d, 1) -> (B, K)
    return -F.logsigmoid(pos) - F.logsigmoid(-neg).sum(-1)   # (B,)


def sgns_loss_shared(v: torch.Tensor, u_pos: torch.Tensor, u_shared: torch.Tensor, negative: int) -> torch.Tensor:
    """Per-pair loss when all B pairs share S noise words, weighted K/S to keep K negatives' expectation.

    v, u_pos: (B, d); u_shared: (S, d) -> (B,). The loss the "fast" method differentiates (bonus notebook 05c).
    """
    pos = (v * u_pos).sum(-1)                     # (B,)
    neg = v @ u_shared.T                          # (B, S)
    return -F.logsigmoid(pos) - negative / u_shared.shape[0] * F.logsigmoid(-neg).sum(-1)


class SkipGram(nn.Module):
    """Input and output embeddings, initialised as word2vec does.

    Input vectors start uniform in [-0.5/d, 0.5/d] and output vectors at zero, so the first updates
    are small and symmetric. `sparse=True` makes autograd produce sparse gradients (only touched rows),
    which plain SGD applies cheaply; the fast trainer bypasses autograd and updates the same tables.
    Written in Chapter 4; trained in Chapter 5; bonus notebook 05c measures it with dense embeddings.
    """

    def __init__(self, vocab_size: int, dim: int, sparse: bool = True, generator: torch.Generator | None = None):
        super().__init__()
        self.in_embed = nn.Embedding(vocab_size, dim, sparse=sparse)    # (V, d): v, the centre vectors
        self.out_embed = nn.Embedding(vocab_size, dim, sparse=sparse)   # (V, d): u, the context vectors
        with torch.no_grad():
            self.in_embed.weight.uniform_(-0.5 / dim, 0.5 / dim, generator=generator)
            self.out_embed.weight.zero_()

    def forward(self, centre: torch.Tensor, context: torch.Tensor, negatives: torch.Tensor) -> torch.Tensor:
        """centre: (B,), context: (B,), negatives: (B, K) word ids -> per-pair loss (B,)."""
        v = self.in_embed(centre)          # (B, d)
        u_pos = self.out_embed(context)    # (B, d)
        u_neg = self.out_embed(negatives)  # (B, K, d)
        return sgns_loss(v, u_pos, u_neg)  # (B,)

    def word_vectors(self) -> np.ndarray:
        """The input embeddings as numpy, the vectors word2vec saves."""
        return self.in_embed.weight.detach().cpu().numpy().copy()
