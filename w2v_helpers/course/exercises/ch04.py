"""Checks for Chapter 4's exercises: fixed-window pairs, the SGNS loss by hand, initialising out_embed."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from .checking import Hint, _array, _call, _close, _diagnose, _exercise


def _pair_list(pairs: Any) -> list[tuple[int, int]]:
    arr = np.asarray(pairs)
    if arr.size == 0:
        return []
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise Hint("return a list of (centre, context) tuples")
    return sorted((int(c), int(o)) for c, o in arr)


@_exercise("04.1", "fixed_window_pairs", "return the list of (centre, context) pairs with b = window for every centre")
def check_04_1(fixed_window_pairs: Callable) -> str | None:
    """fixed_window_pairs(ids, window) -> [(centre, context), ...]: every word within `window` positions, both sides."""
    for ids, window in [(np.arange(100, 112), 3), (np.arange(100, 106), 1), (np.arange(100, 102), 4)]:
        want = sorted((int(ids[i]), int(ids[j])) for i in range(len(ids)) for j in range(len(ids))
                      if i != j and abs(i - j) <= window)
        got = _pair_list(_call(fixed_window_pairs, ids.copy(), window))
        if got == want:
            continue
        known = set(ids.tolist())
        offsets = {o - c for c, o in got}          # ids are distinct and consecutive: id difference = offset
        if any(c not in known or o not in known for c, o in got):
            return "some pairs use ids that are not in the corpus"
        if 0 in offsets:
            return "a word is not its own context: skip offset 0"
        if len(got) != len(set(got)):
            return "some pairs appear twice: each (position, offset) gives one pair"
        if any(abs(d) > window for d in offsets):
            far = max(abs(d) for d in offsets)
            if far >= len(ids) - window:
                return "pairs wrap around the ends: ids[-1] is the last token in Python; keep 0 <= j < len(ids)"
            return f"off by one: a pair at distance {far}, beyond the window of {window}"
        if window > 1 and (window not in offsets or -window not in offsets):
            return ("off by one: no pair at distance `window` on one side or both; "
                    "range(a, b) stops before b")
        if set(got) < set(want):
            return ("pairs are missing near the ends of the corpus: every position is a centre, "
                    "with fewer neighbours at the edges")
        return f"wrong pairs for window = {window} on {len(ids)} tokens"
    return None


@_exercise("04.2", "sgns_loss_by_hand", "return the SGNS loss of every pair, shape (B,)")
def check_04_2(sgns_loss_by_hand: Callable) -> str | None:
    """sgns_loss_by_hand(v (B, d), u_pos (B, d), u_neg (B, K, d)) -> (B,) loss per pair."""
    gen = torch.Generator().manual_seed(4)
    v = torch.randn(5, 6, generator=gen)
    u_pos = torch.randn(5, 6, generator=gen)
    u_neg = torch.randn(5, 4, 6, generator=gen)
    u_neg[0, 0] = 120 * v[0] / (v[0] @ v[0])   # pair 0: a noise word scored 120 (a confident mistake)
    u_pos[1] = -120 * v[1] / (v[1] @ v[1])     # pair 1: its true context scored -120
    pos, neg = (v * u_pos).sum(-1), torch.einsum("bkd,bd->bk", u_neg, v)
    want = -F.logsigmoid(pos) - F.logsigmoid(-neg).sum(-1)
    got = _call(sgns_loss_by_hand, v.clone(), u_pos.clone(), u_neg.clone())
    if _array(got).ndim == 0:
        return "return one loss per pair, shape (B,), not their sum or mean"
    g = _array(got)
    if g.shape == tuple(want.shape) and _close(g[2:], want[2:], rtol=1e-4) and not _close(g[:2], want[:2], rtol=1e-4):
        return ("right except for very confident mistakes, where the loss is capped or infinite: "
                "use F.logsigmoid, not log(sigmoid(.) + eps) or log(sigmoid(.))")
    return _diagnose(got, want, [
        (-want, "the sign is flipped: the loss is minus the log-likelihood, so it is never negative"),
        (-F.logsigmoid(pos) - F.logsigmoid(neg).sum(-1),
         "noise words carry the label 0: their term is -log sigma(-score)"),
        (-F.logsigmoid(pos) - F.logsigmoid(-neg).mean(-1), "sum the K noise terms, don't average them"),
        (-F.logsigmoid(-neg).sum(-1), "the true context's term -log sigma(u_pos . v) is missing"),
    ], "wrong values; compare with the forward pass of Section 3, one pair at a time", rtol=1e-4, atol=1e-5)


@_exercise("04.3", "init_out_embed", "fill model.out_embed.weight in place, as in_embed is filled")
def check_04_3(init_out_embed: Callable) -> str | None:
    """init_out_embed(model, generator): fill out_embed in place with uniform(-0.5/dim, 0.5/dim) numbers."""
    from ...model import SkipGram

    V, dim = 500, 40
    results = []
    for _ in range(2):  # twice with equal generators: the result must be reproducible
        model = SkipGram(V, dim, generator=torch.Generator().manual_seed(0))
        before = model.in_embed.weight.detach().clone()
        _call(init_out_embed, model, torch.Generator().manual_seed(1))
        weight = model.out_embed.weight
        if not isinstance(weight, torch.nn.Parameter) or tuple(weight.shape) != (V, dim):
            return "fill the existing out_embed.weight in place (inside torch.no_grad()), don't replace it"
        if not torch.equal(model.in_embed.weight.detach(), before):
            return "leave in_embed as it is: only out_embed changes"
        results.append(weight.detach().clone())
    w, bound = results[0], 0.5 / dim
    if not w.any():
        return "out_embed is still all zeros"
    if torch.equal(w, model.in_embed.weight.detach()):
        return "draw new numbers: a copy of in_embed would start every word with u_w = v_w"
    if w.abs().max() > bound * (1 + 1e-6):
        return "some values are too large: in_embed's numbers lie within ±0.5/dim"
    if w.min() >= 0:
        return "all values have the same sign: draw from the whole range -0.5/dim .. 0.5/dim"
    if w.abs().max() < 0.8 * bound or abs(w.std().item() - bound / math.sqrt(3)) > 0.1 * bound:
        return "the values do not look uniform over -0.5/dim .. 0.5/dim (too narrow or not uniform)"
    if not torch.equal(results[0], results[1]):
        return "use the generator you are given, so that the same seed gives the same numbers"
    return None
