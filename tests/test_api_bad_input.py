"""Careless and hostile arguments to the Python API: one W2VError naming the argument, before any work.

The command line checks its flags with argparse; these are the same mistakes made from a notebook,
where a raw TypeError, an IndexError, a NaN result or a gigabyte allocation would be the alternative.
"""

import numpy as np
import pytest

from w2v_helpers.corpus import corpus_from_file, corpus_from_tokens, load_corpus
from w2v_helpers.errors import W2VError
from w2v_helpers.evaluation import analogy_accuracy
from w2v_helpers.negative_sampling import NegativeSampler, noise_distribution
from w2v_helpers.subsampling import keep_prob_paper, keep_prob_word2vec
from w2v_helpers.train import TrainConfig, train
from w2v_helpers.vectors import WordVectors

WV = WordVectors(["a", "b", "c"], np.eye(3, dtype=np.float32))


@pytest.mark.parametrize("settings, fragment", [
    (dict(arch=["sg"]), "arch must be a string such as 'sg', got ['sg'] (list)"),
    (dict(method=None), "method must be a string"),
    (dict(device=0), "device must be a string"),
    (dict(lr=True), "lr must be a finite number, got True (bool)"),
    (dict(sample=False), "sample must be a finite number"),
    (dict(min_lr="0.01"), "min_lr must be a finite number"),
    (dict(dim=True), "dim must be an integer, got True (bool)"),
    (dict(epochs=10**12), "epochs must be at most 10000"),
    (dict(window=10**9), "window must be at most 1000"),
    (dict(negative=10**6), "negative must be at most 1000"),
    (dict(batch_size=10**9), "batch_size must be at most"),
    (dict(workers=10**4), "workers must be at most 256"),
    (dict(chunk_tokens=0), "chunk_tokens must be a positive integer"),
    (dict(hs="yes"), "hs must be True or False"),
])
def test_train_config_refuses_settings_where_they_are_made(settings, fragment):
    with pytest.raises(W2VError) as info:
        TrainConfig(**settings)
    assert fragment in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize("call, fragment", [
    (lambda toy: train(toy.ids, toy.vocab, {"dim": 10}), "cfg must be a TrainConfig"),
    (lambda toy: train(toy.ids, toy.vocab.words, TrainConfig()), "vocab must be the corpus's Vocab"),
    (lambda toy: train(toy.ids, toy.vocab, TrainConfig(), checkpoint_every=-1), "checkpoint_every must be"),
    (lambda toy: train(toy.ids, toy.vocab, TrainConfig(), checkpoint_every=float("nan")), "checkpoint_every"),
    (lambda toy: train(toy.ids, toy.vocab, TrainConfig(), resume=True), "resume=True needs checkpoint_dir"),
    (lambda toy: train(None, toy.vocab, TrainConfig()), "ids must be a 1-D array"),
])
def test_train_refuses_arguments_of_the_wrong_kind(toy, call, fragment):
    with pytest.raises(W2VError, match=fragment):
        call(toy)


@pytest.mark.parametrize("call, fragment", [
    (lambda: load_corpus(None), "the corpus must be english, text8, toy, auto or a file path; got None"),
    (lambda: load_corpus(["toy"]), "got ['toy'] (list)"),
    (lambda: load_corpus("toy", min_count=0), "min_count must be a whole number of at least 1"),
    (lambda: load_corpus("toy", min_count="5"), "min_count must be a whole number"),
    (lambda: load_corpus("toy", seed=-1), "seed must be a whole number from 0 to 2**32-1"),
    (lambda: load_corpus("toy", seed=1.5), "seed must be a whole number"),
    (lambda: load_corpus("toy", encoding="rot13"), "'rot13' is not a text encoding"),
    (lambda: load_corpus("toy", encoding=8), "encoding must be a codec name"),
    (lambda: corpus_from_file(None), "the corpus file must be a path"),
    (lambda: corpus_from_tokens("a string"), "tokens must be a list of words (tokenize(text) makes one"),
    (lambda: corpus_from_tokens(b"bytes"), "tokens must be a list of words"),
    (lambda: corpus_from_tokens(None), "tokens must be a list of words"),
    (lambda: corpus_from_tokens(["a", 3, "b"]), "tokens must be strings; found 3 (int)"),
    (lambda: corpus_from_tokens(["a", "b"], min_count=-2), "min_count must be a whole number"),
])
def test_corpus_functions_refuse_arguments_of_the_wrong_kind(call, fragment):
    with pytest.raises(W2VError) as info:
        call()
    assert fragment in str(info.value)


def test_tokens_from_a_generator_are_counted_and_encoded():
    corpus = corpus_from_tokens((w for w in "a b a b a".split()), min_count=1)
    assert corpus.vocab.words == ["a", "b"] and corpus.ids.tolist() == [0, 1, 0, 1, 0]


@pytest.mark.parametrize("call, fragment", [
    (lambda: NegativeSampler([]), "counts must be a non-empty list of word counts"),
    (lambda: NegativeSampler([0, 0]), "not all 0"),
    (lambda: NegativeSampler([3, -1]), "none negative"),
    (lambda: NegativeSampler([1.0, float("nan")]), "counts must be"),
    (lambda: NegativeSampler(["a", "b"]), "counts must be a 1-D array of numbers"),
    (lambda: NegativeSampler([[1, 2]]), "counts must be a 1-D array of numbers"),
    (lambda: noise_distribution([1, 2], power=float("nan")), "power must be a finite number >= 0"),
    (lambda: noise_distribution([1, 2], power=True), "power must be"),
    (lambda: keep_prob_word2vec(np.array([0.1]), t=-1), "t (the subsampling threshold, such as 1e-3) must be"),
    (lambda: keep_prob_word2vec(np.array([0.1]), t=0), "must be a number above 0"),
    (lambda: keep_prob_paper(np.array([0.1]), t=float("inf")), "must be a number above 0"),
    (lambda: keep_prob_word2vec(np.array([0.0, 0.1])), "freq must hold word frequencies between 0 and 1"),
    (lambda: keep_prob_word2vec(np.array([2.0])), "freq must hold word frequencies"),
    (lambda: keep_prob_paper(["x"]), "freq must be word frequencies"),
])
def test_samplers_refuse_inputs_that_would_give_nan(call, fragment):
    with pytest.raises(W2VError) as info:
        call()
    assert fragment in str(info.value)


def test_the_samplers_still_give_their_numbers():
    assert noise_distribution([16, 1]).tolist() == pytest.approx([8 / 9, 1 / 9])
    assert keep_prob_word2vec(4e-3, 1e-3) == pytest.approx(0.75) and keep_prob_paper(4e-3, 1e-3) == pytest.approx(0.5)


@pytest.mark.parametrize("call, fragment", [
    (lambda tmp: WV.save(tmp / "v.bin", binary="no"), "binary must be True (the .bin format) or False"),
    (lambda tmp: WV.save(tmp / "v.bin", binary=1), "binary must be True"),
    (lambda tmp: WordVectors.load(tmp / "v.vec", binary="yes"), "binary must be True, False or None"),
    (lambda tmp: analogy_accuracy(WV, None), "the path of an evaluation file or a list of its lines; got None"),
])
def test_vector_files_refuse_flags_that_are_not_booleans(tmp_path, call, fragment):
    WV.save(tmp_path / "v.vec")
    with pytest.raises(W2VError) as info:
        call(tmp_path)
    assert fragment in str(info.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v.vec"]   # nothing written
