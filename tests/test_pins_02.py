"""What Chapter 2 states about the package without checking it in the chapter itself."""

import math

from w2v_helpers.subsampling import keep_prob_word2vec
from w2v_helpers.train import TrainConfig


def test_the_trainer_subsamples_with_the_c_rule_at_word2vecs_threshold():
    t = TrainConfig().sample
    assert t == 1e-3
    assert math.isclose(keep_prob_word2vec(4 * t, t), 0.75)   # (sqrt(4) + 1) / 4, the C rule


def test_the_c_rule_starts_discarding_at_phi_squared_times_t():
    t, phi = 1e-3, (1 + math.sqrt(5)) / 2
    assert keep_prob_word2vec(phi ** 2 * t * 0.999, t) == 1.0 and keep_prob_word2vec(phi ** 2 * t * 1.001, t) < 1.0
