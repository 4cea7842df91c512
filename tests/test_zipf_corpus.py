"""The text8-sized synthetic corpus with Zipf word frequencies (make-zipf-corpus)."""

import re
from collections import Counter

import numpy as np
import pytest

from w2v_helpers.cli import main
from w2v_helpers.corpus import iter_token_blocks
from w2v_helpers.errors import W2VError
from w2v_helpers.toy_corpus import make_toy_corpus, reserved_words
from w2v_helpers.zipf_corpus import rank_word, write_zipf_corpus, zipf_probs


def test_rank_words_are_distinct_lowercase():
    words = [rank_word(r) for r in range(30_000)]
    assert len(set(words)) == len(words)
    assert all(re.fullmatch("[a-z]+", w) for w in words)
    assert words[:3] == ["a", "b", "c"] and words[26] == "aa"


def test_zipf_corpus_counts_follow_one_over_rank(tmp_path):
    path = write_zipf_corpus(tmp_path / "z.txt", n_tokens=200_003, vocab_size=5_000, seed=0)
    tokens = [t for block in iter_token_blocks(path) for t in block]
    assert len(tokens) == 200_003  # exact, even when not a multiple of the block size
    counts = np.array(sorted(Counter(tokens).values(), reverse=True)[:200], dtype=float)
    slope = np.polyfit(np.log(np.arange(1, len(counts) + 1)), np.log(counts), 1)[0]
    assert -1.2 <= slope <= -0.8, slope
    assert len(set(tokens)) <= 5_000 and all(re.fullmatch("[a-z]+", w) for w in set(tokens))
    assert not list(tmp_path.glob("*.part"))  # written atomically: no temporary file left


def test_zipf_corpus_is_deterministic_by_seed(tmp_path):
    a = write_zipf_corpus(tmp_path / "a.txt", n_tokens=5_000, vocab_size=500, seed=1).read_bytes()
    b = write_zipf_corpus(tmp_path / "b.txt", n_tokens=5_000, vocab_size=500, seed=1).read_bytes()
    c = write_zipf_corpus(tmp_path / "c.txt", n_tokens=5_000, vocab_size=500, seed=2).read_bytes()
    assert a == b and a != c


def test_zipf_corpus_rejects_bad_sizes(tmp_path):
    with pytest.raises(W2VError):
        write_zipf_corpus(tmp_path / "z.txt", n_tokens=0)


def test_make_zipf_corpus_command(tmp_path, capsys):
    assert main(["make-zipf-corpus", str(tmp_path / "z.txt"), "--tokens", "1000", "--vocab", "50"]) == 0
    assert sum(len(b) for b in iter_token_blocks(tmp_path / "z.txt")) == 1000
    assert "1,000 tokens" in capsys.readouterr().out


def test_the_toy_corpus_filler_follows_the_same_zipf_law():
    p = zipf_probs(3)
    assert np.isclose(p.sum(), 1.0) and np.isclose(p[0] / p[2], 3.0)
    reserved = reserved_words()
    filler = Counter(t for t in make_toy_corpus(seed=0).tokens if t not in reserved)
    top = np.array(sorted(filler.values(), reverse=True)[:50], dtype=float)
    slope = np.polyfit(np.log(np.arange(1, len(top) + 1)), np.log(top), 1)[0]
    assert -1.1 <= slope <= -0.9, slope
