"""Checks for Chapter 1's exercises (the maths): the softmax gradient, a repeated noise word, log sigmoid."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
import torch.nn.functional as F

from .checking import _array, _call, _call_without, _diagnose, _exercise


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


@_exercise("01.3", "my_logsigmoid", "compute log(sigmoid(x)) accurately for every float32 x, without F.logsigmoid")
def check_01_3(my_logsigmoid: Callable) -> str | None:
    """my_logsigmoid(x: float32 tensor) -> log sigmoid(x), accurate from -1e4 to 1e4, without F.logsigmoid."""
    xs = [-1e4, -100.0, -30.0, -20.0, -5.0, -1e-3, 0.0, 1e-3, 5.0, 20.0, 100.0, 1e4]
    x = torch.tensor(xs, dtype=torch.float32)
    want = F.logsigmoid(x.double())
    got = _array(_call_without(my_logsigmoid, (x.clone(),), F, "logsigmoid",
                               "this exercise asks you to compute log sigmoid yourself, without F.logsigmoid"))
    if got.shape != x.shape:
        return f"return one value per input: got shape {got.shape} for an input of shape {tuple(x.shape)}"
    if np.isneginf(got[:2]).any():
        return ("-inf for very negative x: in float32, sigmoid(x) underflows to 0 and exp(-x) overflows there; "
                "rewrite log sigmoid so that exp only ever sees -|x|")
    if np.isnan(got).any() or np.isinf(got).any():
        side = "negative" if (~np.isfinite(got[:6])).any() else "positive"
        return (f"NaN or inf for large {side} x: an exp() overflows (inf - inf, inf / inf); "
                "treat x >= 0 and x < 0 separately so that exp only ever sees -|x|")
    if abs(got[0] - got[1]) < 1.0:
        return ("the value stops changing for very negative x: a small constant inside the log caps it "
                "(the log(sigmoid(x) + eps) mistake); rewrite log sigmoid so nothing underflows")
    bad = ~np.isclose(got, want.numpy(), rtol=1e-5, atol=1e-6)
    if bad.any():
        return f"wrong value at x = {xs[int(np.argmax(bad))]:g}; compare your formula with log(1 / (1 + exp(-x)))"
    return None
