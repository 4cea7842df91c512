"""Hierarchical softmax: the Huffman tree is a prefix code within a bit of the entropy, the probabilities sum to 1,
the gradients and SGD steps equal autograd's, and the trainer with hs=True learns the planted analogies."""

import math
from dataclasses import replace

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from tests.conftest import TOY_CONFIG
from tests.test_cli_bad_input import one_line_error, train_toy
from w2v_helpers.cbow import cbow_examples, context_mean
from w2v_helpers.errors import W2VError
from w2v_helpers.evaluation import planted_analogy_accuracy
from w2v_helpers.hs import (
    build_huffman_tree,
    cbow_hs_step,
    cbow_hs_step_fast,
    flat_path_steps,
    hs_output_grads,
    hs_step,
    sg_hs_step_windows,
    word_probabilities,
)
from w2v_helpers.pairs import draw_window_sizes
from w2v_helpers.train import DEFAULT_LR, TrainConfig, train
from w2v_helpers.vectors import WordVectors
from w2v_helpers.vocab import Vocab

ZIPF = np.maximum(1, (1e5 * np.arange(1, 501) ** -1.1).astype(np.int64))   # 500 words, many tied counts
COUNTS = [ZIPF, np.random.default_rng(3).integers(1, 1000, size=200), np.full(16, 4), np.array([3, 9])]


# ----- the tree ----------------------------------------------------------------------------------------
def test_a_small_tree_checked_by_hand():
    # merges: (1, 2) -> node 5, (3, 3) -> 6, (4, 6) -> 7, (10, 10) -> 8 = the root; rows are node - 5
    tree = build_huffman_tree([10, 4, 3, 2, 1])
    assert [tree.code(w) for w in range(5)] == ["0", "10", "110", "1111", "1110"]
    assert [tree.path(w) for w in range(5)] == [[3], [3, 2], [3, 2, 1], [3, 2, 1, 0], [3, 2, 1, 0]]
    assert tree.lengths.tolist() == [1, 2, 3, 4, 4] and tree.offsets.tolist() == [0, 1, 3, 6, 10]


@pytest.mark.parametrize("counts", COUNTS, ids=["zipf", "random", "equal", "two"])
def test_codes_are_prefix_free_and_fill_the_tree(counts):
    tree = build_huffman_tree(counts)
    V = len(counts)
    codes = sorted(tree.code(w) for w in range(V))
    assert len(set(codes)) == V
    assert not any(b.startswith(a) for a, b in zip(codes, codes[1:]))    # sorted: a prefix sorts just before
    assert sum(2.0 ** -n for n in tree.lengths) == pytest.approx(1.0, abs=1e-12)   # Kraft: a full tree
    points = np.concatenate([tree.path(w) for w in range(V)])
    assert {p[0] for p in (tree.path(w) for w in range(V))} == {V - 2}  # every path starts at the root
    assert set(points.tolist()) == set(range(V - 1))                     # every inner node is on some path
    assert all(len(tree.path(w)) == len(tree.code(w)) == tree.lengths[w] for w in range(V))


@pytest.mark.parametrize("counts", COUNTS, ids=["zipf", "random", "equal", "two"])
def test_mean_code_length_is_within_a_bit_of_the_entropy(counts):
    tree = build_huffman_tree(counts)
    p = counts / counts.sum()
    entropy, mean_length = -(p * np.log2(p)).sum(), (p * tree.lengths).sum()
    assert entropy <= mean_length + 1e-12 < entropy + 1
    if len(set(counts.tolist())) == 1 and math.log2(len(counts)).is_integer():
        assert mean_length == entropy                                       # equal counts, V = 2^k: exact


def test_frequent_words_never_get_longer_codes():
    tree = build_huffman_tree(ZIPF)                                         # counts in decreasing order
    assert np.all(np.diff(tree.lengths) >= 0)
    assert tree.lengths[0] < math.log2(len(ZIPF)) < tree.lengths[-1]


def test_a_vocabulary_of_one_word_is_refused():
    with pytest.raises(W2VError, match="at least 2 leaves"):
        build_huffman_tree([7])
    vocab = Vocab(["only"], np.array([9]))
    with pytest.raises(W2VError, match="at least 2 leaves"):
        train(np.zeros(9, dtype=np.int32), vocab, TrainConfig(dim=4, epochs=1, hs=True), progress=False)


# ----- probabilities and gradients -----------------------------------------------------------------------
def _tables(V, d=5, seed=0, scale=1.0):
    gen = torch.Generator().manual_seed(seed)
    return (torch.randn(V, d, generator=gen, dtype=torch.float64) * scale,
            torch.randn(V - 1, d, generator=gen, dtype=torch.float64) * scale)


@pytest.mark.parametrize("seed", range(4))
def test_probabilities_of_all_words_sum_to_one(seed):
    tree = build_huffman_tree(COUNTS[seed % 3]).to("cpu")
    in_w, out_w = _tables(len(tree.lengths), seed=seed, scale=2.0)
    probs = word_probabilities(in_w[0], out_w, tree)
    assert probs.shape == (len(tree.lengths),) and torch.all(probs > 0)
    assert probs.sum().item() == pytest.approx(1.0, abs=1e-12)


def _loss_by_formula(h, out_w, words, tree):
    """sum over examples and path steps of -log sigma((1 - 2 code) u . h), one step at a time."""
    loss = torch.zeros((), dtype=h.dtype)
    for b, w in enumerate(words.tolist()):
        for node, bit in zip(tree.path(w), tree.code(w), strict=True):
            loss = loss - F.logsigmoid((1 - 2 * int(bit)) * (out_w[node] @ h[b]))
    return loss


def test_flat_path_steps_lay_the_walks_end_to_end():
    tree = build_huffman_tree(ZIPF)
    words = torch.tensor([0, 499, 7, 0])
    rows, nodes, codes = flat_path_steps(words, tree.to("cpu"))
    assert rows.tolist() == [b for b, w in enumerate(words.tolist()) for _ in tree.path(w)]
    assert nodes.tolist() == [n for w in words.tolist() for n in tree.path(w)]
    assert "".join(map(str, codes.tolist())) == "".join(tree.code(w) for w in words.tolist())


def test_output_grads_equal_autograd():
    tree = build_huffman_tree(ZIPF)
    _, out_w = _tables(len(ZIPF))
    h = torch.randn(9, 5, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    words = torch.tensor([0, 1, 499, 250, 0, 3, 3, 100, 42])
    h_a, out_a = h.clone().requires_grad_(), out_w.clone().requires_grad_()
    want = _loss_by_formula(h_a, out_a, words, tree)
    want.backward()
    loss, grad_h, nodes, grad_rows = hs_output_grads(h, out_w, words, tree.to("cpu"))
    torch.testing.assert_close(loss, want.detach(), rtol=1e-12, atol=0)
    torch.testing.assert_close(grad_h, h_a.grad, rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(torch.zeros_like(out_w).index_add_(0, nodes, grad_rows), out_a.grad,
                               rtol=1e-12, atol=1e-12)
    # and the loss is -log of word_probabilities
    log_p = torch.stack([word_probabilities(h[b], out_w, tree.to("cpu"))[w].log() for b, w in enumerate(words)])
    torch.testing.assert_close(-log_p.sum(), loss, rtol=1e-10, atol=0)


def _sgd_by_autograd(in_w, out_w, loss_fn, lr):
    a, b = in_w.clone().requires_grad_(), out_w.clone().requires_grad_()
    loss = loss_fn(a, b)
    loss.backward()
    return loss.detach(), in_w - lr * a.grad, out_w - lr * b.grad


def test_skip_gram_step_is_an_autograd_sgd_step():
    tree, lr = build_huffman_tree(ZIPF), 0.4
    in_w, out_w = _tables(len(ZIPF), scale=0.5)
    rng = np.random.default_rng(0)
    centre, context = (torch.from_numpy(rng.integers(0, len(ZIPF), size=20)) for _ in range(2))
    centre[5] = centre[0]                                                # repeated rows add up
    want = _sgd_by_autograd(in_w, out_w, lambda a, b: _loss_by_formula(a[centre], b, context, tree), lr)
    got_in, got_out = in_w.clone(), out_w.clone()
    loss = hs_step(got_in, got_out, centre, context, tree.to("cpu"), lr)
    for got, expected in zip((loss, got_in, got_out), want, strict=True):
        torch.testing.assert_close(got, expected, rtol=1e-12, atol=1e-12)


def test_cbow_step_is_an_autograd_sgd_step():
    tree, lr = build_huffman_tree(ZIPF), 0.4
    in_w, out_w = _tables(len(ZIPF), scale=0.5)
    rng = np.random.default_rng(1)
    ids = rng.integers(0, len(ZIPF), size=40)
    centres, contexts = cbow_examples(ids, draw_window_sizes(len(ids), 3, rng), 3)
    centre, ctx = torch.from_numpy(centres[:15]), torch.from_numpy(contexts[:15])   # padded with -1
    assert (ctx == -1).any()
    want = _sgd_by_autograd(in_w, out_w, lambda a, b: _loss_by_formula(context_mean(a, ctx)[0], b, centre, tree), lr)
    got_in, got_out = in_w.clone(), out_w.clone()
    loss = cbow_hs_step(got_in, got_out, centre, ctx, tree.to("cpu"), lr)
    for got, expected in zip((loss, got_in, got_out), want, strict=True):
        torch.testing.assert_close(got, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("n_windows", [15, 150])   # one step, and three of WINDOWS_PER_STEP windows
def test_skip_gram_window_step_is_sgd_on_the_windows_pairs(n_windows):
    tree, lr = build_huffman_tree(ZIPF), 0.05
    in_w, out_w = _tables(len(ZIPF), scale=0.5)
    rng = np.random.default_rng(2)
    ids = rng.integers(0, len(ZIPF), size=n_windows + 10)
    centres, contexts = cbow_examples(ids, draw_window_sizes(len(ids), 3, rng), 3)
    centre, ctx = torch.from_numpy(centres[:n_windows]), torch.from_numpy(contexts[:n_windows])
    assert (ctx == -1).any()
    got_in, got_out = in_w.clone(), out_w.clone()
    loss = sg_hs_step_windows(got_in, got_out, centre, ctx, tree.to("cpu"), lr)
    in_ref, out_ref, total = in_w.clone(), out_w.clone(), 0.0
    for part in range(0, n_windows, 64):          # the same steps, as pairs: each context word predicts the centre
        c, x = centre[part:part + 64], ctx[part:part + 64]
        real = x != -1
        inputs, targets = x[real], c.unsqueeze(1).expand_as(x)[real]
        want = _sgd_by_autograd(in_ref, out_ref,
                                lambda a, b, i=inputs, t=targets: _loss_by_formula(a[i], b, t, tree), lr)
        total, in_ref, out_ref = total + want[0], want[1], want[2]
    for got, expected in zip((loss, got_in, got_out), (total, in_ref, out_ref), strict=True):
        torch.testing.assert_close(got, expected, rtol=1e-10, atol=1e-10)


def test_fast_cbow_step_gives_each_context_word_the_whole_step():
    tree, lr = build_huffman_tree(ZIPF), 0.3
    in_w, out_w = _tables(len(ZIPF), scale=0.5)
    rng = np.random.default_rng(4)
    ids = rng.integers(0, len(ZIPF), size=40)
    centres, contexts = cbow_examples(ids, draw_window_sizes(len(ids), 3, rng), 3)
    centre, ctx = torch.from_numpy(centres[:12]), torch.from_numpy(contexts[:12])

    def whole_step_mean(a):   # the mean in value; its gradient reaches every context vector whole
        real = (ctx != -1).unsqueeze(-1).to(a.dtype)
        t = (a[ctx.clamp(min=0)] * real).sum(1)
        return t - (1 - 1 / real.sum(1)) * t.detach()

    want = _sgd_by_autograd(in_w, out_w, lambda a, b: _loss_by_formula(whole_step_mean(a), b, centre, tree), lr)
    got_in, got_out = in_w.clone(), out_w.clone()
    loss = cbow_hs_step_fast(got_in, got_out, centre, ctx, tree.to("cpu"), lr)
    for got, expected in zip((loss, got_in, got_out), want, strict=True):
        torch.testing.assert_close(got, expected, rtol=1e-12, atol=1e-12)


# ----- training ------------------------------------------------------------------------------------------
# dim 20 is enough: on the toy corpus 1 epoch of skip-gram and 2 of CBOW answer all planted questions (seed 0).
@pytest.mark.parametrize("arch, epochs", [("sg", 1), ("cbow", 2)])
def test_training_with_hs_recovers_the_planted_analogies(toy, arch, epochs):
    cfg = replace(TOY_CONFIG, dim=20, epochs=epochs, hs=True, arch=arch, lr=DEFAULT_LR[arch])
    result = train(toy.ids, toy.vocab, cfg, progress=False)
    assert result.chunk_losses[-1] < result.chunk_losses[0]
    wv = WordVectors(toy.vocab.words, result.model.word_vectors())
    assert planted_analogy_accuracy(wv, toy.analogies) >= 0.9


def test_hs_training_is_reproducible_and_differs_from_negative_sampling(toy):
    cfg = replace(TOY_CONFIG, dim=8, epochs=1, hs=True)
    ids = toy.ids[:30_000]
    a, b = (train(ids, toy.vocab, cfg, progress=False).model.word_vectors() for _ in range(2))
    assert np.array_equal(a, b)
    manual = [train(ids, toy.vocab, replace(cfg, method="manual"), progress=False).model.word_vectors()
              for _ in range(2)]
    assert np.array_equal(*manual)
    assert not np.allclose(a, manual[0])   # fast walks whole windows from the context side, manual single pairs
    ns = train(ids, toy.vocab, replace(cfg, hs=False), progress=False).model.word_vectors()
    assert not np.allclose(a, ns)


# ----- the command line ------------------------------------------------------------------------------------
@pytest.mark.parametrize("argv, fragment", [
    (["--hs", "--negative", "5"], "--hs replaces negative sampling"),
    (["--hs", "--method", "autograd"], "hand-derived gradients"),
])
def test_cli_refuses_contradictory_hs_options(capsys, tmp_path, argv, fragment):
    assert fragment in one_line_error(capsys, *train_toy("--out", tmp_path / "v.vec", *argv))
    assert list(tmp_path.iterdir()) == []


def test_cli_refuses_a_one_word_vocabulary_with_hs(capsys, tmp_path):
    corpus = tmp_path / "one.txt"
    corpus.write_text("echo " * 50)
    line = one_line_error(capsys, "train", "--corpus", corpus, "--hs", "--min-count", "1", "--epochs", "1",
                          "--quiet", "--out", tmp_path / "v.vec")
    assert "at least 2 leaves" in line
    assert not (tmp_path / "v.vec").exists()
