"""Chapter 9's CBOW, pinned to the package: the padded mean, its two implementations, and the module's loss."""

import numpy as np
import torch

from w2v_helpers.cbow import CBOW, cbow_examples, context_mean, context_weights, flat_context_mean
from w2v_helpers.model import sgns_loss
from w2v_helpers.pairs import draw_window_sizes


def _batch(V=30, d=5, B=10, window=3, K=4, seed=2):
    rng = np.random.default_rng(seed)
    ids = rng.integers(0, V, size=40)
    centres, contexts = cbow_examples(ids, draw_window_sizes(len(ids), window, rng), window)
    gen = torch.Generator().manual_seed(seed)
    in_w = torch.randn(V, d, generator=gen, dtype=torch.float64)
    out_w = torch.randn(V, d, generator=gen, dtype=torch.float64)
    negatives = torch.from_numpy(rng.integers(0, V, size=(B, K)))
    return in_w, out_w, torch.from_numpy(centres[:B]), torch.from_numpy(contexts[:B]), negatives


def _chapter_loss(in_w, out_w, centre, ctx, negatives):
    """Chapter 9's `cbow_loss`: the weighted mean of the context vectors scores centre and noise words."""
    weights = (ctx >= 0).to(in_w.dtype)
    weights = weights / weights.sum(1, keepdim=True)
    h = (weights.unsqueeze(-1) * in_w[ctx.clamp(min=0)]).sum(1)
    return sgns_loss(h, out_w[centre], out_w[negatives])


def test_the_package_means_are_the_chapters_weighted_mean():
    in_w, _, _, contexts, _ = _batch()
    assert (contexts == -1).any()
    h, weights = context_mean(in_w, contexts)
    assert torch.equal(weights, context_weights(contexts, torch.float64))
    real = (contexts >= 0).to(torch.float64)
    want = (real.unsqueeze(-1) * in_w[contexts.clamp(min=0)]).sum(1) / real.sum(1, keepdim=True)
    torch.testing.assert_close(h, want, rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(flat_context_mean(in_w, contexts)[0], h, rtol=1e-12, atol=1e-12)


def test_the_cbow_module_computes_the_chapters_loss():
    in_w, out_w, centre, contexts, negatives = _batch()
    model = CBOW(*in_w.shape, sparse=False).double()
    with torch.no_grad():
        model.in_embed.weight.copy_(in_w)
        model.out_embed.weight.copy_(out_w)
    want = _chapter_loss(in_w, out_w, centre, contexts, negatives)
    torch.testing.assert_close(model(centre, contexts, negatives), want, rtol=1e-12, atol=1e-12)
