import numpy as np
import pytest
import torch

from w2v_helpers.negative_sampling import noise_distribution
from w2v_helpers.pairs import draw_window_sizes, pairs_naive
from w2v_helpers.reference import (PairDataset, build_pair_list, reference_loader, train_dense_adam,
                                   vectorized_batches)

WINDOW, K, B = 3, 4, 64


@pytest.fixture
def ids():
    return np.random.default_rng(1).integers(0, 40, size=500).astype(np.int32)


@pytest.fixture
def counts():
    return np.arange(40, 0, -1) * 10


def test_pair_list_is_the_naive_loop_with_the_dynamic_window(ids):
    pairs = build_pair_list(ids, WINDOW, np.random.default_rng(0))
    b = draw_window_sizes(len(ids), WINDOW, np.random.default_rng(0))
    assert pairs == pairs_naive(ids, b)
    assert all(type(c) is int and type(o) is int for c, o in pairs)


def test_dataset_returns_one_pair_with_its_own_noise_words(ids, counts):
    pairs = build_pair_list(ids, WINDOW, np.random.default_rng(0))
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
    pairs = build_pair_list(ids, WINDOW, np.random.default_rng(0))
    batches = list(reference_loader(pairs, counts, K, B, seed=0))
    assert all(c.shape == o.shape and n.shape == (len(c), K) for c, o, n in batches)
    assert all(len(c) == B for c, _, _ in batches[:-1])
    got = [(int(c), int(o)) for cs, os, _ in batches for c, o in zip(cs, os)]
    assert sorted(got) == sorted(pairs) and got != pairs  # every pair once, shuffled


def test_vectorized_batches_hold_the_same_pairs(ids, counts):
    pairs = build_pair_list(ids, WINDOW, np.random.default_rng(0))
    batches = list(vectorized_batches(ids, counts, WINDOW, K, B, np.random.default_rng(0)))
    got = [(int(c), int(o)) for cs, os, _ in batches for c, o in zip(cs, os)]
    assert sorted(got) == sorted(pairs)
    assert all(n.shape == (len(c), K) and n.dtype == torch.int64 for c, _, n in batches)


def test_dense_adam_learns_and_updates_rows_outside_the_batch(ids, counts):
    run = train_dense_adam(vectorized_batches(ids, counts, WINDOW, K, B, np.random.default_rng(0)),
                           len(counts), 8, lr=0.05, seed=0)
    assert run.pairs == sum(1 for _ in build_pair_list(ids, WINDOW, np.random.default_rng(0)))
    assert run.losses[-1] < run.losses[0] and run.pairs_per_sec > 0
    assert not run.model.in_embed.sparse and run.model.in_embed.weight.grad.layout == torch.strided


def test_dense_adam_stops_at_max_pairs(ids, counts):
    run = train_dense_adam(vectorized_batches(ids, counts, WINDOW, K, B, np.random.default_rng(0)),
                           len(counts), 8, max_pairs=100)
    assert run.pairs == 2 * B and len(run.losses) == 2
