"""Phrases (Chapter 11): scores equal a hand count, the joined text equals gensim's, passes, the command line."""

import subprocess
import sys
from collections import Counter

import numpy as np
import pytest

from w2v_helpers.bench.phrases import compare_with_gensim, format_comparison
from w2v_helpers.cli import main
from w2v_helpers.corpus import corpus_from_tokens
from w2v_helpers.errors import W2VError
from w2v_helpers.phrases import (
    PhraseTable,
    bigram_counts,
    check_phrase_settings,
    find_phrases,
    join_phrases,
    phrase_corpus,
    phrase_scores,
)
from w2v_helpers.vectors import WordVectors


def _text(seed: int = 0, n: int = 60_000) -> list[str]:
    """Zipf-ish filler words with planted pairs and triples, some overlapping ("new york city", "york city")."""
    rng = np.random.default_rng(seed)
    filler = ["q" + chr(97 + i // 26) + chr(97 + i % 26) for i in range(400)]  # letters only: a file is tokenized
    p = 1 / np.arange(1, 401) ** 1.1
    tokens = list(rng.choice(filler, size=n, p=p / p.sum()))
    planted = [["new", "york"], ["new", "york", "city"], ["york", "city"], ["prime", "minister"],
               ["such", "as"], ["a", "b", "c"], ["b", "c"], ["united", "states", "army"]]
    for at in sorted(rng.choice(n, size=n // 25, replace=False), reverse=True):
        tokens[at:at] = planted[rng.integers(len(planted))]
    return tokens


@pytest.fixture(scope="module")
def corpus():
    return corpus_from_tokens(_text(), min_count=5, name="planted")


def test_counts_and_scores_equal_a_hand_count():
    tokens = "a b a b c a b d a b c x a b".split()
    c = corpus_from_tokens(tokens, min_count=1)
    first, second, counts = bigram_counts(c.ids, len(c.vocab), chunk_tokens=3)   # chunks that cut pairs
    got = {(c.vocab.words[a], c.vocab.words[b]): n for a, b, n in zip(first, second, counts)}
    assert got == Counter(zip(tokens, tokens[1:]))
    # a b: 5 times; a: 5, b: 5; vocabulary 5 words + 8 distinct pairs -> (5 - 1) / 25 * 13
    word_counts = np.bincount(c.ids)
    table = find_phrases(c.ids, word_counts, min_count=1, threshold=1.0)
    scores = {(c.vocab.words[a], c.vocab.words[b]): s for a, b, s in zip(table.first, table.second, table.scores)}
    assert scores[("a", "b")] == pytest.approx(4 / 25 * 13)
    assert phrase_scores(np.array([5]), np.array([5]), np.array([5]), 1, 13)[0] == pytest.approx(4 / 25 * 13)
    w2p = find_phrases(c.ids, word_counts, min_count=1, threshold=1.0, scorer="word2phrase")
    assert w2p.scores[list(zip(w2p.first, w2p.second)).index((c.vocab.id("a"), c.vocab.id("b")))] == \
        pytest.approx(4 / 25 * len(tokens))


@pytest.mark.parametrize("candidate, joined", [
    ("1 1 1 0 1 1", "1 0 1 0 1 0"),
    ("0 1 1 1 1", "0 1 0 1 0"),
    ("1", "1"),
])
def test_left_to_right(candidate, joined):
    cand = np.array(candidate.split(), dtype=int).astype(bool)
    ids = np.arange(len(cand) + 1)
    rows = np.flatnonzero(cand)
    table = PhraseTable(rows, rows + 1, np.ones(len(rows), np.int64), np.ones(len(rows)),
                        rows * len(ids) + rows + 1, len(ids))
    out, n = join_phrases(ids, table, chunk_tokens=2)
    take = np.array(joined.split(), dtype=int).astype(bool)
    assert n == take.sum() and len(out) == len(ids) - n
    assert rows[out[out >= len(ids)] - len(ids)].tolist() == np.flatnonzero(take).tolist()


def test_agrees_with_gensim_on_two_passes(corpus):
    pytest.importorskip("gensim")
    phrased, rows = compare_with_gensim(corpus.ids, corpus.vocab, passes=2, min_count=5, threshold=10.0)
    for row in rows:
        assert row.joined_ours_only == row.joined_gensim_only == row.tokens_differing == 0
        assert row.tokens_ours == row.tokens_gensim
    assert rows[0].scored_ours_only == rows[0].scored_gensim_only == 0 and rows[0].scored_same > 0
    assert "new_york_city" in phrased.vocab and "prime_minister" in phrased.vocab
    assert "words/s gensim" in format_comparison(rows)


def test_passes_build_longer_phrases_and_keep_every_token(corpus):
    one = phrase_corpus(corpus.ids, corpus.vocab, passes=1)
    two = phrase_corpus(corpus.ids, corpus.vocab, passes=2)
    assert one.passes[0].tokens_after == len(corpus.ids) - one.passes[0].joined == len(one.ids)
    assert two.passes[0].phrases == one.passes[0].phrases
    assert any(w.count("_") == 2 for w in two.passes[1].applied)            # united_states_army
    assert two.vocab.counts.sum() == len(two.ids)
    text = [two.vocab.words[i] for i in two.ids]
    assert "".join(t.replace("_", "") for t in text) == "".join(corpus.vocab.words[i] for i in corpus.ids)
    trained = two.corpus("planted+phrases", min_count=5)
    assert trained.vocab.counts.min() >= 5 and len(trained.ids) == trained.vocab.counts.sum()


def test_same_text_for_any_chunk_size(corpus):
    table = find_phrases(corpus.ids, np.bincount(corpus.ids), 5, 10.0)
    assert np.array_equal(join_phrases(corpus.ids, table)[0], join_phrases(corpus.ids, table, chunk_tokens=7)[0])
    small = find_phrases(corpus.ids, np.bincount(corpus.ids), 5, 10.0, chunk_tokens=1000)
    assert np.array_equal(small.keys, table.keys) and np.array_equal(small.scores, table.scores)


@pytest.mark.parametrize("kwargs, fragment", [
    ({"passes": 0}, "from 1 to 10"),
    ({"passes": 2.0}, "from 1 to 10"),
    ({"min_count": 0}, "min_count"),
    ({"threshold": -1.0}, "positive finite"),
    ({"threshold": float("nan")}, "positive finite"),
    ({"scorer": "npmi"}, "gensim, word2phrase"),
])
def test_bad_settings_are_refused(kwargs, fragment):
    with pytest.raises(W2VError, match=fragment):
        check_phrase_settings(**kwargs)


def test_bad_ids_are_refused(corpus):
    with pytest.raises(W2VError, match="word ids below"):
        phrase_corpus(np.array([0, 1, len(corpus.vocab)]), corpus.vocab)
    with pytest.raises(W2VError, match="must be a Vocab"):
        phrase_corpus(corpus.ids, corpus.vocab.words)


def test_vector_files_with_phrase_tokens_round_trip(tmp_path):
    words = ["new_york", "new_york_city", "the", "prime_minister"]
    vectors = np.random.default_rng(0).normal(size=(4, 6)).astype(np.float32)
    wv = WordVectors(words, vectors)
    for binary, name in ((False, "v.vec"), (True, "v.bin")):
        path = wv.save(tmp_path / name, binary=binary)
        back = WordVectors.load(path)
        assert back.words == words and np.allclose(back.vectors, vectors, atol=1e-5)
        gensim = pytest.importorskip("gensim")
        kv = gensim.models.KeyedVectors.load_word2vec_format(str(path), binary=binary)
        assert list(kv.index_to_key) == words


def _cli(capsys, *argv):
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def test_train_with_phrases(capsys, tmp_path):
    path = tmp_path / "text.txt"
    path.write_text(" ".join(_text(n=20_000)))
    out = tmp_path / "v.vec"
    code, _, err = _cli(capsys, "train", "--corpus", path, "--out", out, "--epochs", "1", "--dim", "8",
                        "--workers", "1", "--phrases", "2", "--phrase-threshold", "10")
    assert code == 0, err
    assert "phrases: 2 passes joined" in err
    wv = WordVectors.load(out)
    assert "new_york_city" in wv and "prime_minister" in wv


@pytest.mark.parametrize("argv, fragment", [
    (["--phrases", "11"], "too large"),
    (["--phrases", "-1"], "too small"),
    (["--phrases", "1", "--phrase-threshold", "0"], "too small"),
    (["--phrases", "1", "--phrase-threshold", "nan"], "not a finite number"),
    (["--phrases", "1", "--phrase-min-count", "0"], "too small"),
    (["--phrase-threshold", "5"], "only applies with --phrases N"),
    (["--phrase-min-count", "3"], "only applies with --phrases N"),
])
def test_train_refuses_bad_phrase_flags(capsys, tmp_path, argv, fragment):
    code, _, err = _cli(capsys, "train", "--corpus", "toy", "--out", tmp_path / "v.vec", "--quiet", *argv)
    assert code == 2 and len(err.strip().splitlines()) == 1 and fragment in err, err
    assert not (tmp_path / "v.vec").exists()


def test_phrases_command(tmp_path):
    pytest.importorskip("gensim")
    path = tmp_path / "text.txt"
    path.write_text(" ".join(_text(n=20_000)))
    done = subprocess.run([sys.executable, "-m", "w2v_helpers", "phrases", "--corpus", str(path), "--top", "5"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "above threshold: both / ours / gensim" in done.stdout and "phrase" in done.stdout
    bad = subprocess.run([sys.executable, "-m", "w2v_helpers", "phrases", "--corpus", str(path), "--passes", "0"],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
