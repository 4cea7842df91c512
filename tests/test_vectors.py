"""WordVectors: lookup, cosine vs dot product, analogies, and the word2vec file formats."""

from pathlib import Path

import numpy as np
import pytest

from w2v_helpers.errors import UnknownWordError, W2VError
from w2v_helpers.vectors import WordVectors, analogy_scores, top_k


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


# ----- careless arguments: one W2VError each, never a numpy error or NaN -------------------------------
@pytest.mark.parametrize(
    "call, fragment",
    [
        (lambda wv: wv.most_similar(3), "takes a word, a list of words or a numpy vector of 16 numbers; got 3 (int)"),
        (lambda wv: wv.most_similar(None), "got None (NoneType)"),
        (lambda wv: wv.most_similar(b"king"), "got b'king' (bytes)"),
        (lambda wv: wv.most_similar([]), "the list of query words is empty"),
        (lambda wv: wv.most_similar(["king", 5]), "query words must be str, got numbers"),
        (lambda wv: wv.most_similar([0.5] * 16), "pass a numpy array of 16 numbers"),
        (lambda wv: wv.most_similar(["king", None]), "each query word must be a word (str); got None"),
        (lambda wv: wv.most_similar(np.zeros(3)), "query vector has shape (3,)"),
        (lambda wv: wv.most_similar(np.zeros(16)), "all zeros"),
        (lambda wv: wv.most_similar(np.full(16, np.nan)), "NaN or infinity"),
        (lambda wv: wv.most_similar("king", k=0), "k must be a whole number of at least 1"),
        (lambda wv: wv.most_similar("king", k=-1), "got -1 (int)"),
        (lambda wv: wv.most_similar("king", k="a"), "got 'a' (str)"),
        (lambda wv: wv.most_similar("king", k=2.5), "got 2.5 (float)"),
        (lambda wv: wv.most_similar("king", restrict=0), "restrict must be a whole number of at least 1"),
        (lambda wv: wv.most_similar("king", restrict=-5), "got -5 (int)"),
        (lambda wv: wv.dot_product_neighbors("king", k=0), "k must be"),
        (lambda wv: wv.dot_product_neighbors(7), "word must be a word (str); got 7 (int)"),
        (lambda wv: wv.analogy("man", 5, "king"), "analogy word b must be a word (str); got 5 (int)"),
        (lambda wv: wv.analogy("the", "of", "king", k=0), "k must be"),
        (lambda wv: wv.analogy("the", "of", "king", method=None), "unknown analogy method None"),
        (lambda wv: wv.similarity("king", ["queen"]), "similarity's w2 must be a word (str)"),
    ],
)
def test_query_arguments_are_checked(random_wv: WordVectors, call, fragment: str) -> None:
    with pytest.raises(W2VError) as info:
        call(random_wv)
    assert fragment in str(info.value) and "\n" not in str(info.value)


def test_non_string_lookup_is_an_unknown_word(random_wv: WordVectors) -> None:
    with pytest.raises(UnknownWordError, match=r"5 \(int\) is not a word"):
        random_wv[5]  # still a KeyError, so mapping idioms keep working
    assert 5 not in random_wv


def test_valid_variants_keep_working(random_wv: WordVectors) -> None:
    assert random_wv.most_similar("king", k=3.0) == random_wv.most_similar("king", k=3)
    assert random_wv.most_similar(np.array(["king", "queen"]), k=2) == random_wv.most_similar(["king", "queen"], k=2)
    assert random_wv.most_similar(("king",), k=1, restrict=np.int64(5)) == random_wv.most_similar("king", 1, 5)
    assert len(random_wv.most_similar("king", k=np.int32(1000))) == len(random_wv) - 1
    # a query word beyond `restrict` is simply not a candidate
    assert [w for w, _ in random_wv.dot_product_neighbors("w199", k=10, restrict=3)] != []


def test_tiny_vectors_keep_their_direction() -> None:
    wv = WordVectors(["a", "b", "c"], [[1e-30, 1e-30], [1e-30, 0.0], [1.0, 1.0]])  # squares underflow in float32
    assert wv.norms[0] == pytest.approx(np.sqrt(2) * 1e-30, rel=1e-5)
    assert wv.most_similar("a", k=1) == [("c", pytest.approx(1.0, abs=1e-6))]
    for extreme in (1e300, 1e-300):  # a query vector far outside float32: scaled, not inf or 0
        assert wv.most_similar(np.array([extreme, extreme]), k=1) == [("a", pytest.approx(1.0, abs=1e-6))]


@pytest.mark.parametrize(
    "words, vectors, fragment",
    [
        (["a", 3], np.ones((2, 2)), "words must be strings; word 1 is 3 (int)"),
        ("ab", np.ones((2, 2)), "words must be a list of strings"),
        (None, np.ones((2, 2)), "words must be a list of strings"),
        (["a", "b"], [[1, 2], [3]], "vectors must be a 2-D array"),
        (["a"], [["x", "y"]], "vectors must be numbers"),
        (["a"], None, "2-D"),
        (["a"], np.ones((1, 0)), "0 columns"),
        (["a", "b"], [[1, 2], [np.inf, 0]], "the vector of 'b' (row 1) contains NaN, infinity"),
        (["a"], [[1e300, 0]], "beyond 1e+15"),
    ],
)
def test_constructor_rejects_careless_input(words, vectors, fragment: str) -> None:
    with pytest.raises(W2VError) as info:
        WordVectors(words, vectors)
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    "call, fragment",
    [
        (lambda: top_k(np.arange(5.0), 0), "k must be a whole number of at least 1"),
        (lambda: top_k(np.arange(5.0), 2, [5]), "exclude holds the id 5, outside the 5 rows"),
        (lambda: top_k(np.arange(5.0), 2, [-1]), "exclude holds the id -1"),
        (lambda: top_k(np.arange(5.0), 2, [1.5]), "whole-number row ids"),
        (lambda: top_k(np.array([1.0, np.nan]), 1), "the scores contain NaN"),
        (lambda: top_k(np.ones((2, 2)), 1), "scores must be a 1-D array"),
        (lambda: analogy_scores(np.eye(3), [3], [0], [1]), "ia holds the id 3, outside the 3 rows"),
        (lambda: analogy_scores(np.eye(3), [0], [-1], [1]), "ib holds the id -1"),
        (lambda: analogy_scores(np.eye(3), [0], [1], ["x"]), "ic must be a list of whole-number row ids"),
        (lambda: analogy_scores(np.eye(3), [0, 1], [1], [2]), "one id per question"),
        (lambda: analogy_scores(np.eye(3), [0], [1], [2], limit=0), "limit must be a whole number"),
        (lambda: analogy_scores(np.eye(3), [0], [1], [2], method="avg"), "unknown analogy method"),
        (lambda: analogy_scores(np.ones(3), [0], [1], [2]), "unit must be a 2-D array"),
    ],
)
def test_id_arguments_are_checked(call, fragment: str) -> None:
    with pytest.raises(W2VError) as info:
        call()
    assert fragment in str(info.value)


def test_id_functions_keep_working() -> None:
    assert top_k(np.array([3.0, 1.0, 2.0]), 5, exclude=[0]).tolist() == [2, 1]
    assert top_k(np.array([3.0, 1.0]), 2, exclude=np.array([], dtype=np.int64)).tolist() == [0, 1]
    scores = analogy_scores(np.eye(3, dtype=np.float32), np.array([0]), np.array([1]), np.array([2]), limit=10)
    assert scores.shape == (1, 3) and np.isfinite(scores).all()


def test_save_into_a_directory(random_wv: WordVectors, tmp_path: Path) -> None:
    with pytest.raises(W2VError, match="is a directory"):
        random_wv.save(tmp_path)
    with pytest.raises(W2VError, match="is a directory"):
        WordVectors.load(tmp_path)
