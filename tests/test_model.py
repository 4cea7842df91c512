import math

import torch

from w2v_helpers.gradients import sgd_step
from w2v_helpers.model import SkipGram, sgns_loss


def test_loss_of_a_known_pair():
    # one pair, one negative, scores 0 and 0: loss = 2 log 2
    v, u = torch.zeros(1, 3), torch.zeros(1, 3)
    assert math.isclose(sgns_loss(v, u, torch.zeros(1, 1, 3)).item(), 2 * math.log(2), rel_tol=1e-6)


def test_logsigmoid_loss_stays_exact_where_log_sigmoid_plus_eps_saturates():
    v = torch.full((1, 1), 40.0)
    u_pos = torch.full((1, 1), -1.0)          # score -40: true loss is about 40
    loss = sgns_loss(v, u_pos, torch.zeros(1, 1, 1)) - math.log(2)
    naive = -torch.log(torch.sigmoid(torch.tensor(-40.0)) + 1e-10)
    assert abs(loss.item() - 40.0) < 1e-4
    assert naive.item() < 23.1                 # capped at -log(1e-10) = 23.03


def test_fast_sgd_step_equals_autograd_sgd_step_with_repeated_rows():
    V, d, lr = 20, 6, 0.1
    g = torch.Generator().manual_seed(1)
    centre = torch.tensor([0, 3, 3, 7, 0, 1])                 # repeated rows on purpose
    context = torch.tensor([1, 2, 2, 0, 5, 3])
    negatives = torch.randint(0, V, (6, 4), generator=g)
    negatives[0, 0] = 1                                          # a negative equal to a context word

    auto = SkipGram(V, d, sparse=True, generator=torch.Generator().manual_seed(0)).double()
    with torch.no_grad():
        auto.out_embed.weight.normal_(generator=g)
    fast_in = auto.in_embed.weight.detach().clone()
    fast_out = auto.out_embed.weight.detach().clone()

    opt = torch.optim.SGD(auto.parameters(), lr=lr)
    loss_auto = auto(centre, context, negatives).sum()
    loss_auto.backward()
    opt.step()
    loss_fast = sgd_step(fast_in, fast_out, centre, context, negatives, lr)

    torch.testing.assert_close(loss_fast, loss_auto.detach())
    torch.testing.assert_close(fast_in, auto.in_embed.weight.detach())
    torch.testing.assert_close(fast_out, auto.out_embed.weight.detach())


def test_initialisation_matches_word2vec():
    m = SkipGram(50, 10, generator=torch.Generator().manual_seed(0))
    assert m.in_embed.weight.abs().max() <= 0.05 and m.in_embed.weight.std() > 0
    assert torch.count_nonzero(m.out_embed.weight) == 0


def test_shared_negative_step_equals_autograd_on_the_shared_loss():
    from w2v_helpers.gradients import sgd_step_shared
    from w2v_helpers.model import sgns_loss_shared

    V, d, lr, K = 15, 4, 0.05, 5
    g = torch.Generator().manual_seed(2)
    in_w = torch.randn(V, d, generator=g, dtype=torch.float64)
    out_w = torch.randn(V, d, generator=g, dtype=torch.float64)
    centre, context = torch.tensor([1, 1, 4, 9]), torch.tensor([2, 3, 3, 1])
    shared = torch.tensor([3, 7, 7, 0, 11, 2])                  # repeats and overlaps on purpose

    a_in, a_out = in_w.clone().requires_grad_(), out_w.clone().requires_grad_()
    loss = sgns_loss_shared(a_in[centre], a_out[context], a_out[shared], K).sum()
    loss.backward()
    fast_loss = sgd_step_shared(in_w, out_w, centre, context, shared, lr, K)
    torch.testing.assert_close(fast_loss, loss.detach())
    torch.testing.assert_close(in_w, (a_in - lr * a_in.grad).detach())
    torch.testing.assert_close(out_w, (a_out - lr * a_out.grad).detach())


def test_shared_loss_has_the_expectation_of_k_private_negatives():
    # With S shared noise words weighted K/S, the noise term averages to K times one draw's term.
    g = torch.Generator().manual_seed(0)
    v, u_pos = torch.randn(1, 3, generator=g), torch.randn(1, 3, generator=g)
    pool = torch.randn(10, 3, generator=g)                      # all noise words, drawn uniformly
    exact = -torch.nn.functional.logsigmoid(-(pool @ v.T)).mean() * 5
    from w2v_helpers.model import sgns_loss_shared

    total = sgns_loss_shared(v, u_pos, pool, negative=5) + torch.nn.functional.logsigmoid((v * u_pos).sum(-1))
    torch.testing.assert_close(total, exact.reshape(1))
