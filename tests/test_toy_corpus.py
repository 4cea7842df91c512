"""The toy corpus is what CI trains on, so its promises are pinned here.

Determinism, planted words present often enough, valid analogies, exact size, Zipf-like filler.
"""

import re
from collections import Counter

import numpy as np
import pytest

from w2v_helpers.errors import W2VError
from w2v_helpers.toy_corpus import (
    CAPITALS,
    GENDER_PAIRS,
    PLURALS,
    SECTIONS,
    ToyCorpus,
    make_toy_corpus,
    planted_words,
    reserved_words,
)

MIN_COUNT = 5


@pytest.fixture(scope="module")
def corpus() -> ToyCorpus:
    return make_toy_corpus(seed=0)


def test_same_seed_gives_identical_tokens(corpus: ToyCorpus) -> None:
    assert make_toy_corpus(seed=0).tokens == corpus.tokens


def test_different_seed_gives_different_tokens(corpus: ToyCorpus) -> None:
    assert make_toy_corpus(seed=1).tokens != corpus.tokens


def test_tokens_are_lowercase_ascii_words(corpus: ToyCorpus) -> None:
    word = re.compile(r"[a-z]+")
    assert all(isinstance(t, str) and word.fullmatch(t) for t in corpus.tokens)


def test_text_joins_tokens_with_spaces(corpus: ToyCorpus) -> None:
    assert corpus.text().split(" ") == corpus.tokens


def test_every_planted_topic_and_attribute_word_reaches_min_count(corpus: ToyCorpus) -> None:
    counts = Counter(corpus.tokens)
    rare = {w: counts[w] for w in reserved_words() if counts[w] < MIN_COUNT}
    assert not rare


def test_sections_present_and_groups_exported(corpus: ToyCorpus) -> None:
    assert set(corpus.analogies) == {"gender", "capital", "plural"}
    assert SECTIONS == {"gender": GENDER_PAIRS, "capital": CAPITALS, "plural": PLURALS}
    assert ("king", "queen") in GENDER_PAIRS
    assert ("france", "paris") in CAPITALS
    assert ("cat", "cats") in PLURALS


def test_analogies_are_all_ordered_pairs_of_pairs(corpus: ToyCorpus) -> None:
    vocab = set(corpus.tokens)
    for name, questions in corpus.analogies.items():
        pairs = SECTIONS[name]
        assert len(questions) == len(set(questions)) == len(pairs) * (len(pairs) - 1)
        for a, b, c, d in questions:
            assert (a, b) in pairs and (c, d) in pairs and a != c
            assert {a, b, c, d} <= vocab
    assert corpus.analogy_questions() == [q for qs in corpus.analogies.values() for q in qs]


def test_planted_words_are_distinct() -> None:
    words = planted_words()
    assert len(words) == len(set(words))


@pytest.mark.parametrize("n_tokens", [0, 1, 11, 12_345, 50_000])
def test_n_tokens_respected(n_tokens: int) -> None:
    assert len(make_toy_corpus(seed=3, n_tokens=n_tokens).tokens) == n_tokens


def test_negative_size_is_a_user_error() -> None:
    with pytest.raises(W2VError):
        make_toy_corpus(n_tokens=-1)


def test_filler_frequencies_are_zipf_like(corpus: ToyCorpus) -> None:
    reserved = reserved_words()
    counts = Counter(t for t in corpus.tokens if t not in reserved)
    freq = np.array(sorted(counts.values(), reverse=True), dtype=float)
    ranks = np.arange(1, len(freq) + 1)
    slope = np.polyfit(np.log(ranks), np.log(freq), 1)[0]
    assert len(freq) > 500
    assert -1.5 < slope < -0.5
