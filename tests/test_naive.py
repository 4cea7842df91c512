"""The teaching versions of `w2v_helpers.naive`: the same code as the chapters, the same results as the package."""

import ast
import inspect
import textwrap
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch

from w2v_helpers import model, naive
from w2v_helpers.model import sgns_loss
from w2v_helpers.naive import (
    PairDataset,
    dynamic_window_pairs,
    iter_pair_chunks,
    reference_loader,
    sgns_grads,
    train_dense_adam,
    train_loop,
    vectorized_batches,
)
from w2v_helpers.negative_sampling import noise_distribution
from w2v_helpers.pairs import chunk_bounds, draw_window_sizes, pairs_vectorized
from w2v_helpers.train import TrainConfig, train

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
WINDOW, K, B = 3, 4, 64


@pytest.fixture
def ids():
    return np.random.default_rng(1).integers(0, 40, size=500).astype(np.int32)


@pytest.fixture
def counts():
    return np.arange(40, 0, -1) * 10


# ----- the chapters write this code ---------------------------------------------------------------
def _without_docs_and_annotations(node: ast.AST) -> str:
    """The code of a function or class, ignoring docstrings, comments and type annotations."""
    for n in ast.walk(node):
        if isinstance(n, (ast.FunctionDef, ast.ClassDef)):
            body = n.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                n.body = body[1:] or [ast.Pass()]
        if isinstance(n, ast.FunctionDef):
            n.returns = None
            for arg in n.args.posonlyargs + n.args.args + n.args.kwonlyargs:
                arg.annotation = None
    return ast.dump(node)


@pytest.mark.parametrize("chapter, obj", [
    ("04_model", naive.dynamic_window_pairs),
    ("04_model", model.sgns_loss),
    ("04_model", model.SkipGram),
    ("05_training", naive.train_loop),
], ids=lambda x: getattr(x, "__name__", x))
def test_the_chapter_writes_the_package_code(chapter, obj):
    tree = ast.parse((NOTEBOOKS / f"{chapter}.py").read_text())
    written = [n for n in tree.body if getattr(n, "name", None) == obj.__name__]
    assert len(written) == 1, f"{chapter} should define {obj.__name__} once"
    package = ast.parse(textwrap.dedent(inspect.getsource(obj))).body[0]
    assert _without_docs_and_annotations(written[0]) == _without_docs_and_annotations(package)


# ----- each teaching version agrees with the package ----------------------------------------------
@pytest.mark.parametrize("window", [1, 2, 5])
def test_vectorized_pairs_equal_the_naive_loop(window):
    rng = np.random.default_rng(window)
    ids = rng.integers(0, 50, size=300).astype(np.int32)
    b = draw_window_sizes(len(ids), window, np.random.default_rng(7))
    centres, contexts = pairs_vectorized(ids, b, window)
    loop = dynamic_window_pairs(ids, window, np.random.default_rng(7))
    assert list(zip(centres.tolist(), contexts.tolist(), strict=True)) == loop


def test_windows_stay_inside_chunks():
    ids = np.arange(10, dtype=np.int32)  # id == position, so pairs reveal positions
    for c, o in iter_pair_chunks(ids, window=3, chunk_tokens=4, rng=np.random.default_rng(0)):
        assert np.all(c // 4 == o // 4)


def _batch(seed=0, B=16, K=5, d=8):
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(B, d, generator=g, dtype=torch.float64),
            torch.randn(B, d, generator=g, dtype=torch.float64),
            torch.randn(B, K, d, generator=g, dtype=torch.float64))


def test_hand_derived_gradients_equal_autograd():
    v, u_pos, u_neg = (t.requires_grad_() for t in _batch())
    sgns_loss(v, u_pos, u_neg).sum().backward()
    loss, g_v, g_pos, g_neg = sgns_grads(v.detach(), u_pos.detach(), u_neg.detach())
    torch.testing.assert_close(loss, sgns_loss(v, u_pos, u_neg).detach())
    torch.testing.assert_close(g_v, v.grad)
    torch.testing.assert_close(g_pos, u_pos.grad)
    torch.testing.assert_close(g_neg, u_neg.grad)


@pytest.mark.parametrize("settings", [dict(), dict(sample=0, seed=3, epochs=1, chunk_tokens=6_000)],
                         ids=["subsampled", "no-subsampling"])
def test_the_chapter_5_loop_trains_the_same_vectors_as_the_package_trainer(toy, settings):
    cfg = replace(TrainConfig(dim=20, epochs=2, chunk_tokens=7_000, seed=0, method="autograd", device="cpu"),
                  **settings)
    ids = toy.ids[:20_000]
    loop_model, loop_losses = train_loop(ids, toy.vocab, cfg)
    package = train(ids, toy.vocab, cfg, progress=False)
    assert torch.equal(loop_model.in_embed.weight, package.model.in_embed.weight)
    assert torch.equal(loop_model.out_embed.weight, package.model.out_embed.weight)
    # the loop adds each batch's loss as a Python float, the trainer sums float32 tensors on the device
    np.testing.assert_allclose(loop_losses, package.chunk_losses, rtol=1e-6)
    assert len(loop_losses) == cfg.epochs * len(chunk_bounds(len(ids), cfg.chunk_tokens))


# ----- the reference design of Chapter 8 ----------------------------------------------------------
def test_pair_list_is_a_list_of_int_tuples(ids):
    pairs = dynamic_window_pairs(ids, WINDOW, np.random.default_rng(0))
    assert all(type(c) is int and type(o) is int for c, o in pairs)


def test_dataset_returns_one_pair_with_its_own_noise_words(ids, counts):
    pairs = dynamic_window_pairs(ids, WINDOW, np.random.default_rng(0))
    ds = PairDataset(pairs, counts, K, seed=0)
    assert len(ds) == len(pairs)
    centre, context, negatives = ds[3]
    assert (centre, context) == pairs[3]
    assert negatives.shape == (K,) and negatives.dtype == torch.int64
    assert 0 <= int(negatives.min()) and int(negatives.max()) < len(counts)


def test_dataset_noise_follows_the_three_quarter_power(counts):
    ds = PairDataset([(0, 1)] * 4000, counts, 5, seed=0)
    draws = np.concatenate([ds[i][2].numpy() for i in range(len(ds))])
    freq = np.bincount(draws, minlength=len(counts)) / len(draws)
    assert np.abs(freq - noise_distribution(counts)).max() < 0.01


def test_loader_batches_cover_every_pair_once(ids, counts):
    pairs = dynamic_window_pairs(ids, WINDOW, np.random.default_rng(0))
    batches = list(reference_loader(pairs, counts, K, B, seed=0))
    assert all(c.shape == o.shape and n.shape == (len(c), K) for c, o, n in batches)
    assert all(len(c) == B for c, _, _ in batches[:-1])
    got = [(int(c), int(o)) for cs, os, _ in batches for c, o in zip(cs, os, strict=True)]
    assert sorted(got) == sorted(pairs) and got != pairs  # every pair once, shuffled


def test_vectorized_batches_hold_the_same_pairs(ids, counts):
    pairs = dynamic_window_pairs(ids, WINDOW, np.random.default_rng(0))
    batches = list(vectorized_batches(ids, counts, WINDOW, K, B, np.random.default_rng(0)))
    got = [(int(c), int(o)) for cs, os, _ in batches for c, o in zip(cs, os, strict=True)]
    assert sorted(got) == sorted(pairs)
    assert all(n.shape == (len(c), K) and n.dtype == torch.int64 for c, _, n in batches)


def test_dense_adam_learns_and_updates_rows_outside_the_batch(ids, counts):
    run = train_dense_adam(vectorized_batches(ids, counts, WINDOW, K, B, np.random.default_rng(0)),
                           len(counts), 8, lr=0.05, seed=0)
    assert run.pairs == sum(1 for _ in dynamic_window_pairs(ids, WINDOW, np.random.default_rng(0)))
    assert run.losses[-1] < run.losses[0] and run.pairs_per_sec > 0
    assert not run.model.in_embed.sparse and run.model.in_embed.weight.grad.layout == torch.strided


def test_dense_adam_stops_at_max_pairs(ids, counts):
    run = train_dense_adam(vectorized_batches(ids, counts, WINDOW, K, B, np.random.default_rng(0)),
                           len(counts), 8, max_pairs=100)
    assert run.pairs == 2 * B and len(run.losses) == 2
