"""WordVectors: lookup, cosine vs dot product, analogies, and the word2vec file formats."""

from pathlib import Path

import numpy as np
import pytest

from w2v_helpers.errors import UnknownWordError, W2VError
from w2v_helpers.vectors import WordVectors


def unit_at(degrees: float) -> list[float]:
    """A 2-D unit vector at an angle, so cosines are cosines of angle differences."""
    r = np.radians(degrees)
    return [float(np.cos(r)), float(np.sin(r))]


@pytest.fixture
def random_wv() -> WordVectors:
    rng = np.random.default_rng(7)
    words = ["the", "of", "king", "queen", "kind", "kingdom", "café", "naïve"] + [f"w{i}" for i in range(200)]
    return WordVectors(words, rng.normal(size=(len(words), 16)).astype(np.float32))


# ----- construction and lookup ------------------------------------------------------------------
def test_lookup_and_shape(random_wv: WordVectors) -> None:
    assert len(random_wv) == 208 and random_wv.dim == 16
    assert "queen" in random_wv and "nope" not in random_wv
    assert random_wv.index("queen") == 3
    np.testing.assert_array_equal(random_wv["queen"], random_wv.vectors[3])
    assert random_wv.vectors.dtype == np.float32


def test_unit_copy_is_cached_and_normalised(random_wv: WordVectors) -> None:
    assert random_wv.unit is random_wv.unit
    np.testing.assert_allclose(np.linalg.norm(random_wv.unit, axis=1), 1.0, rtol=1e-5)


def test_vectors_are_a_private_snapshot() -> None:
    raw = np.eye(2, dtype=np.float32)
    wv = WordVectors(["a", "b"], raw)
    raw[0, 0] = 99.0  # the caller keeps training; our cached unit vectors must not go stale
    assert wv["a"][0] == 1.0
    with pytest.raises(ValueError):
        wv.vectors[0, 0] = 5.0


@pytest.mark.parametrize(
    "words, vectors, fragment",
    [
        (["a", "b"], np.zeros((3, 2)), "2 words but 3"),
        (["a", "a"], np.zeros((2, 2)), "more than once"),
        (["a"], np.zeros(2), "2-D"),
        (["a", "b"], np.array([[0.0, np.nan], [1.0, 0.0]]), "NaN"),
    ],
)
def test_constructor_rejects_bad_input(words, vectors, fragment) -> None:
    with pytest.raises(W2VError, match=fragment):
        WordVectors(words, vectors)


def test_unknown_word_suggests_spellings(random_wv: WordVectors) -> None:
    with pytest.raises(UnknownWordError) as info:
        random_wv["kign"]
    message = str(info.value)
    assert isinstance(info.value, KeyError)
    assert "'kign'" in message and "208 words" in message
    assert "did you mean" in message and "king" in message
    with pytest.raises(KeyError, match="did you mean: queen"):
        random_wv.most_similar("Queen")  # a case variant is the first suggestion
    with pytest.raises(UnknownWordError, match="check the spelling") as none_close:
        random_wv.index("zzzzzzzz")
    assert "did you mean" not in str(none_close.value)


# ----- cosine vs raw dot product ------------------------------------------------------------------
def test_most_similar_uses_cosine_not_dot_product() -> None:
    # "the" is long (frequent) and points 31 degrees from "cat"; "dog" is short but only 12 degrees away.
    words = ["the", "cat", "dog", "car"]
    vectors = np.array([[10.0, 6.0], [1.0, 0.0], [0.95, 0.2], [0.0, 1.0]])
    wv = WordVectors(words, vectors)
    by_dot = wv.dot_product_neighbors("cat", k=3)
    assert [w for w, _ in by_dot] == ["the", "dog", "car"]
    assert by_dot[0][1] == pytest.approx(10.0)
    by_cos = wv.most_similar("cat", k=3)
    assert [w for w, _ in by_cos] == ["dog", "the", "car"]
    assert by_cos[0][1] == pytest.approx(0.95 / np.hypot(0.95, 0.2), rel=1e-6)
    assert by_cos[1][1] == pytest.approx(10.0 / np.hypot(10.0, 6.0), rel=1e-6)


def test_most_similar_excludes_query_and_respects_restrict(random_wv: WordVectors) -> None:
    result = random_wv.most_similar("king", k=300)
    assert len(result) == len(random_wv) - 1 and "king" not in dict(result)
    scores = [s for _, s in result]
    assert scores == sorted(scores, reverse=True)
    assert {w for w, _ in random_wv.most_similar("w150", k=10, restrict=5)} == {"the", "of", "king", "queen", "kind"}
    by_vector = random_wv.most_similar(random_wv["king"], k=1)
    assert by_vector[0][0] == "king" and by_vector[0][1] == pytest.approx(1.0, abs=1e-5)


# ----- analogies --------------------------------------------------------------------------------
@pytest.fixture
def royal() -> WordVectors:
    # dimensions: royal, male, female, fruit
    words = ["man", "woman", "king", "queen", "apple"]
    vectors = [[0, 1, 0, 0], [0, 0, 1, 0], [1, 1, 0, 0], [1, 0, 1, 0], [0, 0, 0, 1]]
    return WordVectors(words, np.array(vectors, dtype=np.float32))


def test_analogy_known_answer(royal: WordVectors) -> None:
    (word, score), = royal.analogy("man", "woman", "king")
    assert word == "queen"
    # by hand: q = woman - man + king/sqrt2 = (0.707, -0.293, 1, 0), |q| = sqrt(1.5 + 0.0858 + 0.5 - 0.0858) = 1.2752...
    q = np.array([1 / np.sqrt(2), 1 / np.sqrt(2) - 1, 1, 0])
    expected = q @ np.array([1, 0, 1, 0]) / np.sqrt(2) / np.linalg.norm(q)
    assert score == pytest.approx(expected, rel=1e-6)
    answers = royal.analogy("man", "woman", "king", k=10)
    assert [w for w, _ in answers] == ["queen", "apple"]  # a, b and c are never answers


def test_3cosmul_and_3cosadd_differ() -> None:
    # unit vectors at 0, 30, 60, 90 and 150 degrees; question a:b :: c:?
    wv = WordVectors(["a", "b", "c", "x", "y"], np.array([unit_at(t) for t in (0, 30, 60, 90, 150)]))
    # 3CosAdd: b - a + c points at 75 degrees, so x (15 degrees off) beats y (75 degrees off):
    # scores cos 15 = 0.9659 and cos 75 = 0.2588.
    add = wv.analogy("a", "b", "c", k=2, method="add")
    assert [w for w, _ in add] == ["x", "y"]
    assert [s for _, s in add] == pytest.approx([np.cos(np.radians(15)), np.cos(np.radians(75))], rel=1e-5)
    # 3CosMul: x: (cos60+1)/2 * (cos30+1)/2 / ((cos90+1)/2 + 0.001) = 0.75 * 0.9330 / 0.501 = 1.3967
    #          y: (cos120+1)/2 * (cos90+1)/2 / ((cos150+1)/2 + 0.001) = 0.25 * 0.5 / 0.0680 = 1.8386
    # y is far from a, and 3CosMul rewards that through the small denominator.
    mul = wv.analogy("a", "b", "c", k=2, method="mul")
    assert [w for w, _ in mul] == ["y", "x"]
    assert [s for _, s in mul] == pytest.approx([1.8385787, 1.3967256], rel=1e-5)
    with pytest.raises(W2VError, match="unknown analogy method"):
        wv.analogy("a", "b", "c", method="avg")


def test_analogy_unknown_word(royal: WordVectors) -> None:
    with pytest.raises(UnknownWordError, match="did you mean: queen"):
        royal.analogy("man", "woman", "quen")


# ----- file formats -------------------------------------------------------------------------------
def test_text_round_trip(random_wv: WordVectors, tmp_path: Path) -> None:
    path = random_wv.save(tmp_path / "v.vec")
    assert path.read_text(encoding="utf-8").splitlines()[0] == "208 16"
    assert not list(tmp_path.glob("*.part"))
    back = WordVectors.load(path)
    assert back.words == random_wv.words
    np.testing.assert_allclose(back.vectors, random_wv.vectors, rtol=1e-5, atol=1e-6)


def test_binary_round_trip_is_exact(random_wv: WordVectors, tmp_path: Path) -> None:
    path = random_wv.save(tmp_path / "v.bin", binary=True)
    assert path.read_bytes().startswith(b"208 16\nthe ")
    for binary in (None, True):  # None: detected from the content
        back = WordVectors.load(path, binary=binary)
        assert back.words == random_wv.words
        np.testing.assert_array_equal(back.vectors, random_wv.vectors)


def test_save_rejects_words_with_spaces(tmp_path: Path) -> None:
    wv = WordVectors(["new york"], np.ones((1, 2)))
    with pytest.raises(W2VError, match="whitespace"):
        wv.save(tmp_path / "v.vec")
    assert not (tmp_path / "v.vec").exists()


@pytest.mark.parametrize(
    "content, fragment",
    [
        (b"hello world\n", "line 1"),
        (b"2 3\nfoo 1 2 3\nbar 1 2\n", "line 3"),
        (b"2 3\nfoo 1 2 3\nbar 1 x 3\n", "line 3"),
        (b"3 3\nfoo 1 2 3\nbar 1 2 3\n", "line 4"),
        (b"1 3\nfoo 1 2 3\nbar 1 2 3\n", "extra data"),
        (b"2 3\nfoo 1 2 3\nfoo 1 2 3\n", "more than once"),
    ],
)
def test_malformed_text_file(tmp_path: Path, content: bytes, fragment: str) -> None:
    path = tmp_path / "bad.vec"
    path.write_bytes(content)
    with pytest.raises(W2VError, match=fragment) as info:
        WordVectors.load(path, binary=False)
    assert str(path) in str(info.value)


def test_malformed_binary_file(random_wv: WordVectors, tmp_path: Path) -> None:
    path = random_wv.save(tmp_path / "v.bin", binary=True)
    path.write_bytes(path.read_bytes()[:-30])  # cut into the last vector
    with pytest.raises(W2VError, match="word 208 of 208"):
        WordVectors.load(path)
    with pytest.raises(W2VError, match="no such file"):
        WordVectors.load(tmp_path / "missing.vec")


# ----- gensim interoperability --------------------------------------------------------------------
@pytest.mark.parametrize("binary", [False, True])
def test_gensim_reads_our_files(random_wv: WordVectors, tmp_path: Path, binary: bool) -> None:
    gensim_models = pytest.importorskip("gensim.models")
    path = random_wv.save(tmp_path / ("v.bin" if binary else "v.vec"), binary=binary)
    kv = gensim_models.KeyedVectors.load_word2vec_format(str(path), binary=binary)
    assert kv.index_to_key == random_wv.words
    for word in ("king", "café", "w7"):
        theirs = kv.most_similar(word, topn=5)
        ours = random_wv.most_similar(word, k=5)
        assert [w for w, _ in theirs] == [w for w, _ in ours]
        np.testing.assert_allclose([s for _, s in theirs], [s for _, s in ours], atol=1e-5)


@pytest.mark.parametrize("binary", [False, True])
def test_we_read_gensim_files(random_wv: WordVectors, tmp_path: Path, binary: bool) -> None:
    gensim_models = pytest.importorskip("gensim.models")
    kv = gensim_models.KeyedVectors(random_wv.dim)
    kv.add_vectors(random_wv.words, random_wv.vectors)
    path = tmp_path / "g.bin"
    kv.save_word2vec_format(str(path), binary=binary)  # gensim's binary has no newline after vectors
    back = WordVectors.load(path)
    assert back.words == random_wv.words
    np.testing.assert_allclose(back.vectors, random_wv.vectors, rtol=1e-6)
