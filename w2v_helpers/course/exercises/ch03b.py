"""Checks for bonus notebook 03b's exercise: the shared-noise loss."""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F

from .checking import _array, _call, _close, _diagnose, _exercise


@_exercise("03b.1", "shared_noise_loss", "return each pair's noise term with S shared noise words, shape (B,)")
def check_03b_1(shared_noise_loss: Callable) -> str | None:
    """shared_noise_loss(v (B, d), u_shared (S, d), K) -> (B,) noise term -(K/S) sum_s log sigma(-u_s . v)."""
    gen = torch.Generator().manual_seed(3)
    v = torch.randn(6, 8, generator=gen)
    u = torch.randn(4, 8, generator=gen)
    v[:, 0], u[:, 0] = 0.0, 0.0
    v[0, 0], u[0] = 2.0, 0.0
    u[0, 0] = 60.0                        # pair 0 scores noise word 0 at 120 (a confident mistake), the others at 0
    K, S = 5, 4
    s = v @ u.T
    want = -(K / S) * F.logsigmoid(-s).sum(1)
    got = _call(shared_noise_loss, v.clone(), u.clone(), K)
    if _array(got).ndim == 0:
        return "return one loss per pair, shape (B,), not their sum or mean"
    eps = -(K / S) * torch.log(torch.sigmoid(-s.double()) + 1e-10).sum(1)
    if _array(got).shape == tuple(want.shape) and _close(_array(got)[1:], want[1:], rtol=1e-4) \
            and not _close(_array(got)[0], want[0], rtol=1e-4):
        return ("right except for a noise word with a very large score, where the loss is capped or infinite: "
                "use F.logsigmoid, not log(sigmoid(.) + eps) or log(sigmoid(.))")
    return _diagnose(got, want, [
        (-F.logsigmoid(-s).sum(1),
         "weight the S shared terms by K/S, so that their expectation equals K private negatives"),
        (-(S / K) * F.logsigmoid(-s).sum(1), "the weight is upside down: K/S, not S/K"),
        (-(K / S) * F.logsigmoid(s).sum(1), "noise words carry the label 0: their term is -log sigma(-score)"),
        ((K / S) * F.logsigmoid(-s).sum(1), "the sign is flipped: a loss is minus a log-likelihood, never negative"),
        (eps, "use F.logsigmoid, not log(sigmoid(.) + eps)"),
    ], "wrong values; score every pair's centre vector against all S shared noise vectors", rtol=1e-4, atol=1e-5)
