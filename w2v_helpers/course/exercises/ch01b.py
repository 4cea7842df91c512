"""Checks for bonus notebook 01b's exercise: log sigmoid without losing precision."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
import torch.nn.functional as F

from .checking import _array, _call_without, _exercise


@_exercise("01b.1", "my_logsigmoid", "compute log(sigmoid(x)) accurately for every float32 x, without F.logsigmoid")
def check_01b_1(my_logsigmoid: Callable) -> str | None:
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
