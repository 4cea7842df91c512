"""Checks for Chapter 1's exercises (the maths): the softmax gradient, a repeated noise word."""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F

from .checking import _call, _diagnose, _exercise


@_exercise("01.1", "softmax_grad_centre", "return dL/dv_c of the softmax loss, a vector of shape (d,)")
def check_01_1(softmax_grad_centre: Callable) -> str | None:
    """softmax_grad_centre(out_table (V, d), v_c (d,), o) -> dL_softmax / dv_c, shape (d,)."""
    gen = torch.Generator().manual_seed(1)
    out_table = torch.randn(40, 6, generator=gen, dtype=torch.float64)
    v_c = torch.randn(6, generator=gen, dtype=torch.float64)
    o = 7
    leaf = v_c.clone().requires_grad_()
    F.cross_entropy((out_table @ leaf).unsqueeze(0), torch.tensor([o])).backward()
    want = leaf.grad
    got = _call(softmax_grad_centre, out_table.clone(), v_c.clone(), o)
    p = torch.softmax(out_table @ v_c, 0)
    return _diagnose(got, want, [
        (-want, "the sign is flipped: the loss is minus the log-probability"),
        (p @ out_table, "the observed word's own term is missing: differentiate -u_o . v_c as well"),
        (-out_table[o], "only the observed word's term is there: the log of the normalising sum depends on v_c too"),
        (torch.exp(out_table @ v_c) @ out_table - out_table[o],
         "the weights of the u_w must be probabilities p(w|c): normalise the exponentials"),
    ], "does not match autograd's gradient; differentiate both terms of L_softmax with respect to v_c")


@_exercise("01.2", "grad_repeated_noise", "return dL/du_n for a noise word drawn `times` times, shape (d,)")
def check_01_2(grad_repeated_noise: Callable) -> str | None:
    """grad_repeated_noise(v_c (d,), u_n (d,), times) -> dL/du_n when noise word n is drawn `times` times."""
    gen = torch.Generator().manual_seed(2)
    v_c = torch.randn(5, generator=gen, dtype=torch.float64)
    u_n = torch.randn(5, generator=gen, dtype=torch.float64)
    s = u_n @ v_c
    for times in (2, 1, 3):
        leaf = u_n.clone().requires_grad_()
        loss = sum(-F.logsigmoid(-(leaf @ v_c)) for _ in range(times))  # `times` identical noise terms
        loss.backward()
        got = _call(grad_repeated_noise, v_c.clone(), u_n.clone(), times)
        problem = _diagnose(got, leaf.grad, [
            (torch.sigmoid(s) * v_c,
             "a word drawn twice appears in two terms of L, and each term adds its own gradient"),
            (times * (torch.sigmoid(s) - 1) * v_c, "a noise word has the label 0, so its error is sigma(s) - 0"),
            (times * torch.sigmoid(-s) * v_c, "check the sign inside sigma: d/ds of -log sigma(-s) is not sigma(-s)"),
            (-leaf.grad, "the sign is flipped: the gradient of the loss, not of the log-likelihood"),
        ], f"does not match autograd's gradient for times={times}; start from the boxed formula for one noise word")
        if problem:
            return problem
    return None
