import numpy as np
import pytest

from w2v_helpers.corpus import toy_corpus
from w2v_helpers.train import TrainConfig, train


@pytest.fixture(scope="session")
def toy():
    return toy_corpus(seed=0)


@pytest.fixture(scope="session")
def toy_vectors(toy):
    """One shared training run on the toy corpus with the default fast trainer."""
    from w2v_helpers.vectors import WordVectors

    result = train(toy.ids, toy.vocab, TOY_CONFIG, progress=False)
    return WordVectors(toy.vocab.words, result.model.word_vectors()), result


# Small and quick, yet enough for the planted structure: see test_train.py for the accuracy bound.
TOY_CONFIG = TrainConfig(dim=50, epochs=3, seed=0)


@pytest.fixture
def small_text(tmp_path):
    rng = np.random.default_rng(0)
    words = [f"w{chr(97 + i)}" for i in range(20)]
    path = tmp_path / "small.txt"
    path.write_text(" ".join(rng.choice(words, size=2000)))
    return path
