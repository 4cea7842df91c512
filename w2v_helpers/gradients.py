"""Hand-derived SGNS gradients and the plain-SGD update they allow, without autograd (Chapter 1).

With s = u . v and sigma' = sigma (1 - sigma), the loss terms differentiate to

    d/ds [-log sigma(s)]  = sigma(s) - 1     (true context: label 1)
    d/ds [-log sigma(-s)] = sigma(s)         (noise word:   label 0)

so with g_j = sigma(s_j) - label_j for the K+1 output words of a pair:

    dL/dv   = sum_j g_j u_j        dL/du_j = g_j v

Skipping autograd saves the graph, the sparse gradient tensors and the optimizer: one gather,
two small batched products and two index_add_ calls per batch. Chapter 1 derives the formulas
(its batch version, `naive.sgns_grads`, returns the gradients instead of applying them);
Bonus notebook 05c measures what applying them directly gains.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


@torch.no_grad()
def sgd_step(
    in_w: torch.Tensor, out_w: torch.Tensor,
    centre: torch.Tensor, context: torch.Tensor, negatives: torch.Tensor, lr: float,
) -> torch.Tensor:
    """One SGD step on the summed loss of a batch, in place; returns the summed loss.

    centre, context: (B,) ids; negatives: (B, K) ids. The true context and the noise words are
    handled as one (B, K+1) block of output words with labels 1, 0, ..., 0, so a single batched
    product scores them all. Rows that occur several times in the batch get the sum of their
    gradients, exactly what autograd + SGD would apply. The "manual" method of Chapter 5 and bonus notebook 05c.
    """
    v = in_w.index_select(0, centre)                                # (B, d)
    loss, grad_v, targets, grad_u = output_grads(v, out_w, context, negatives)
    in_w.index_add_(0, centre, grad_v, alpha=-lr)
    out_w.index_add_(0, targets, grad_u, alpha=-lr)
    return loss


def output_grads(v: torch.Tensor, out_w: torch.Tensor, positive: torch.Tensor, negatives: torch.Tensor):
    """Loss and gradients of a batch whose input vectors `v` (B, d) are already gathered.

    The true output word `positive` (B,) and the noise words `negatives` (B, K) are handled as one
    (B, K+1) block with labels 1, 0, ..., 0, so a single batched product scores them all. Returns
    (summed loss, dL/dv (B, d), the output ids (B*(K+1),), dL/du (B*(K+1), d)).
    Used by the command line through train(): sgd_step passes centre vectors, cbow_step context means.
    """
    B, d = v.shape
    targets = torch.cat([positive.unsqueeze(1), negatives], dim=1).reshape(-1)  # (B*(K+1),)
    u = out_w.index_select(0, targets).view(B, -1, d)               # (B, K+1, d)
    s = (u * v.unsqueeze(1)).sum(-1)                                # (B, K+1)
    sign = torch.full_like(s, -1.0)
    sign[:, 0] = 1.0
    loss = -F.logsigmoid(sign * s).sum()
    g = torch.sigmoid(s)
    g[:, 0] -= 1.0                                                  # (B, K+1): sigma(s) - label
    grad_v = (g.unsqueeze(-1) * u).sum(1)                           # (B, d)
    grad_u = g.unsqueeze(-1) * v.unsqueeze(1)                       # (B, K+1, d)
    return loss, grad_v, targets, grad_u.view(-1, d)


@torch.no_grad()
def sgd_step_shared(
    in_w: torch.Tensor, out_w: torch.Tensor,
    centre: torch.Tensor, context: torch.Tensor, shared: torch.Tensor, lr: float, negative: int,
) -> torch.Tensor:
    """SGD step where all B pairs of the batch share one set of S noise words.

    centre, context: (B,) ids; shared: (S,) ids. Each pair's negative term is weighted K/S, so its
    expected value equals that of K private negatives; the noise scores become one (B, d) x (d, S)
    matrix product instead of B small ones, and only S + 2B rows are read and written.
    The learning rate is folded into the small score-gradient tensors, and rows are added back
    with scatter_add_, which on CPU is about twice as fast as index_add_ for this shape.
    The "fast" method: bonus notebook 03b explains the shared noise words, bonus notebook 05c measures
    and checks the step.
    """
    B, d = centre.shape[0], in_w.shape[1]
    v = in_w.index_select(0, centre)                    # (B, d)
    u = out_w.index_select(0, context)                  # (B, d)
    n = out_w.index_select(0, shared)                   # (S, d)
    s_pos = (v * u).sum(1)                              # (B,)
    s_neg = v @ n.T                                     # (B, S)
    weight = negative / len(shared)
    loss = -F.logsigmoid(s_pos).sum() - weight * F.logsigmoid(-s_neg).sum()
    step_pos = (torch.sigmoid(s_pos) - 1.0).mul_(-lr)   # (B,): -lr * dL/ds_pos
    step_neg = torch.sigmoid(s_neg).mul_(-lr * weight)  # (B, S): -lr * dL/ds_neg
    delta_v = torch.addmm(step_pos.unsqueeze(1) * u, step_neg, n)   # (B, d) = -lr * dL/dv
    in_w.scatter_add_(0, centre.unsqueeze(1).expand(B, d), delta_v)
    out_w.scatter_add_(0, context.unsqueeze(1).expand(B, d), step_pos.unsqueeze(1) * v)
    out_w.scatter_add_(0, shared.unsqueeze(1).expand(len(shared), d), step_neg.T @ v)
    return loss
