import numpy as np
import pytest

from w2v_helpers.errors import UnknownWordError, W2VError
from w2v_helpers.vocab import Vocab


def test_ids_follow_descending_count_and_min_count_drops_rare_words():
    tokens = "b a b c b a d".split()
    vocab = Vocab.build(tokens, min_count=2)
    assert vocab.words == ["b", "a"]
    assert vocab.counts.tolist() == [3, 2]
    ids = vocab.encode(tokens)
    assert ids.dtype == np.int32
    assert ids.tolist() == [0, 1, 0, 0, 1]  # c and d are dropped, not mapped to a placeholder


def test_ties_are_broken_alphabetically_so_ids_are_deterministic():
    assert Vocab.build("z y x z y x".split(), min_count=1).words == ["x", "y", "z"]


def test_frequencies_sum_to_one():
    vocab = Vocab.build("a a a b".split(), min_count=1)
    assert vocab.frequencies().tolist() == [0.75, 0.25]


def test_empty_corpus_and_emptied_vocabulary_give_clear_errors():
    with pytest.raises(W2VError, match="empty"):
        Vocab.build([], min_count=1)
    with pytest.raises(W2VError, match=r"min_count=10 removed every word.*at most 3"):
        Vocab.build("a a a b".split(), min_count=10)


def test_unknown_word_is_a_keyerror_with_a_message():
    vocab = Vocab.build("a a b b".split(), min_count=1)
    with pytest.raises(KeyError):
        vocab.id("c")
    with pytest.raises(UnknownWordError, match="'c' is not in the vocabulary"):
        vocab.id("c")
