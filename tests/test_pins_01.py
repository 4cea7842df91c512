"""What Chapter 1 states about the package without checking it in the chapter itself."""

import torch

from w2v_helpers.naive import sgns_grads
from w2v_helpers.train import TrainConfig


def test_the_trainer_draws_five_noise_words_per_pair_like_word2vec():
    assert TrainConfig().negative == 5


def test_sgns_grads_of_one_pair_are_the_formulas_of_chapter_1():
    g = torch.Generator().manual_seed(0)
    v, u_o, u_neg = (torch.randn(*shape, generator=g, dtype=torch.float64) for shape in ((6,), (6,), (4, 6)))
    loss, g_v, g_pos, g_neg = sgns_grads(v[None], u_o[None], u_neg[None])
    err_o, err_neg = torch.sigmoid(u_o @ v) - 1, torch.sigmoid(u_neg @ v)
    torch.testing.assert_close(loss[0], -torch.nn.functional.logsigmoid(u_o @ v)
                               - torch.nn.functional.logsigmoid(-(u_neg @ v)).sum())
    torch.testing.assert_close(g_v[0], err_o * u_o + err_neg @ u_neg)
    torch.testing.assert_close(g_pos[0], err_o * v)
    torch.testing.assert_close(g_neg[0], err_neg[:, None] * v[None, :])
