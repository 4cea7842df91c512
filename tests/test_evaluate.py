"""Benchmarks: hand-checked scores on tiny files, and agreement with gensim on the real files."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from w2v_helpers.errors import UnknownWordError, W2VError
from w2v_helpers.evaluation import (
    analogy_accuracy,
    dataset_path,
    datasets,
    evaluate_all,
    format_results,
    planted_analogy_accuracy,
    similarity_spearman,
)
from w2v_helpers.vectors import WordVectors

QUESTIONS = """\
: royal
man woman king queen
Man Woman King Queen
: mixed
woman man queen king
man woman king apple
man woman king banana
"""
# With the vectors below: the first three are right, "apple" is wrong (the answer is queen), and
# "banana" is not in the vocabulary -> 3 of 4 answered correctly, 4 of 5 answered.

PAIRS = """\
# word1\tword2\tscore
W0\tw1\t9.0
w0\tw2\t5.0
w0\tw3\t1.0
w1\tw3\t6.0
w0\tunknown\t3.0
w0 w1 5.0
"""
# cosines: cos20=0.94, cos50=0.64, cos90=0, cos70=0.34 -> model ranks 4 3 1 2; gold ranks 4 2 1 3;
# d = 0 1 0 -1, rho = 1 - 6 * 2 / (4 * 15) = 0.8. The unknown pair is skipped, the space-separated
# line is invalid, and "W0" matches "w0" case-insensitively.


@pytest.fixture
def royal() -> WordVectors:
    # dimensions: royal, male, female, fruit
    words = ["man", "woman", "king", "queen", "apple"]
    vectors = [[0, 1, 0, 0], [0, 0, 1, 0], [1, 1, 0, 0], [1, 0, 1, 0], [0, 0, 0, 1]]
    return WordVectors(words, np.array(vectors, dtype=np.float32))


@pytest.fixture
def angles() -> WordVectors:
    r = np.radians([0, 20, 50, 90])
    return WordVectors(["w0", "w1", "w2", "w3"], np.stack([np.cos(r), np.sin(r)], axis=1))


# ----- analogy accuracy on a hand-made file --------------------------------------------------------
@pytest.mark.parametrize("method", ["add", "mul"])
def test_analogy_accuracy_by_hand(royal: WordVectors, tmp_path: Path, method: str) -> None:
    path = tmp_path / "q.txt"
    path.write_text(QUESTIONS, encoding="utf-8")
    result = analogy_accuracy(royal, path, method=method)
    assert result.sections == {"royal": (2, 2), "mixed": (1, 2)}
    assert (result.correct, result.total, result.skipped, result.questions) == (3, 4, 1, 5)
    assert result.accuracy == pytest.approx(0.75)
    assert result.coverage == pytest.approx(0.8)


def test_analogy_accuracy_case_and_restrict(royal: WordVectors) -> None:
    lines = QUESTIONS.splitlines(keepends=True)
    exact = analogy_accuracy(royal, lines, case_insensitive=False)
    assert (exact.correct, exact.total, exact.skipped) == (2, 3, 2)  # "Man Woman ..." is now unknown
    top4 = analogy_accuracy(royal, lines, restrict_vocab=4)  # apple (5th most frequent) drops out
    assert (top4.correct, top4.total, top4.skipped) == (3, 3, 2)
    assert top4.accuracy == 1.0


def test_analogy_case_variant_of_a_query_word_is_not_an_answer() -> None:
    # "Rome" points exactly along france - paris + rome, but upper-cases to the query word "rome",
    # so (like gensim) the case-insensitive evaluation passes over it to "italy".
    words = ["paris", "france", "rome", "italy", "Rome"]
    vectors = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [-0.5, 1, 1], [-1, 1, 1]], dtype=np.float32)
    wv = WordVectors(words, vectors)
    question = [": capitals\n", "paris france rome italy\n"]
    assert analogy_accuracy(wv, question).correct == 1
    assert analogy_accuracy(wv, question, case_insensitive=False).correct == 0  # "Rome" is a different word


def test_analogy_file_errors(royal: WordVectors, tmp_path: Path) -> None:
    with pytest.raises(W2VError, match="line 1"):
        analogy_accuracy(royal, ["man woman king queen\n"])
    with pytest.raises(W2VError, match="no analogy questions"):
        analogy_accuracy(royal, [": empty\n", "not four words\n"])
    with pytest.raises(W2VError, match="no such file"):
        analogy_accuracy(royal, tmp_path / "missing.txt")
    with pytest.raises(W2VError, match="unknown analogy method"):
        analogy_accuracy(royal, [": s\n"], method="cos")


def test_planted_analogy_accuracy(royal: WordVectors) -> None:
    questions = [("man", "woman", "king", "queen"), ("man", "woman", "king", "apple")]
    assert planted_analogy_accuracy(royal, questions) == 0.5
    assert planted_analogy_accuracy(royal, questions[:1], method="mul") == 1.0
    with pytest.raises(UnknownWordError, match="banana"):
        planted_analogy_accuracy(royal, [("man", "woman", "king", "banana")])


# ----- word-pair similarity on a hand-made file ----------------------------------------------------
def test_similarity_spearman_by_hand(angles: WordVectors, tmp_path: Path) -> None:
    path = tmp_path / "pairs.tsv"
    path.write_text(PAIRS, encoding="utf-8")
    result = similarity_spearman(angles, path)
    assert result.spearman == pytest.approx(0.8)
    assert (result.pairs_used, result.pairs_skipped, result.invalid_lines) == (4, 1, 1)
    assert result.coverage == pytest.approx(0.8)


def test_similarity_spearman_nothing_usable(angles: WordVectors) -> None:
    oov = similarity_spearman(angles, ["x\ty\t1.0\n", "y\tz\t2.0\n"])
    assert np.isnan(oov.spearman) and oov.coverage == 0.0
    with pytest.raises(W2VError, match="wrong delimiter"):
        similarity_spearman(angles, ["w0 w1 1.0\n"])


# ----- finding dataset files, evaluate_all, format_results--------------------------------------------
def test_dataset_path_prefers_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("W2V_DATA_DIR", str(tmp_path))
    (tmp_path / "wordsim353.tsv").write_text(PAIRS, encoding="utf-8")
    assert dataset_path("wordsim353.tsv") == tmp_path / "wordsim353.tsv"
    assert dataset_path("simlex999.txt") == datasets.PACKAGED / "simlex999.txt"  # else the package's copy
    monkeypatch.setattr(datasets, "PACKAGED", tmp_path / "not-installed")
    with pytest.raises(W2VError, match="download-benchmarks") as info:
        dataset_path("simlex999.txt")
    assert str(tmp_path) in str(info.value) and len(str(info.value).splitlines()) == 1
    with pytest.raises(W2VError, match="unknown benchmark file"):
        dataset_path("nosuch.txt")


def test_dataset_path_needs_no_gensim(tmp_path: Path) -> None:
    """With gensim hidden (an import of it fails), the package's own copy is found and nothing imports gensim."""
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "gensim.py").write_text("raise ImportError('gensim is not installed here')\n")
    code = (
        "import sys; from w2v_helpers.evaluation import dataset_path; "
        "p = dataset_path('questions-words.txt'); "
        "assert 'gensim' not in sys.modules, 'w2v_helpers imported gensim'; print(p)"
    )
    env = {"W2V_DATA_DIR": str(tmp_path), "PATH": "", "PYTHONPATH": str(blocker)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         cwd=Path(__file__).resolve().parent.parent)
    assert out.returncode == 0, out.stderr
    assert Path(out.stdout.strip()) == tmp_path / "questions-words.txt"  # unpacked from the package's copy


def test_evaluate_all_and_table(royal: WordVectors, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("W2V_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(datasets, "PACKAGED", tmp_path / "not-installed")
    with pytest.raises(W2VError, match="not found"):
        evaluate_all(royal)
    (tmp_path / "questions-words.txt").write_text(QUESTIONS, encoding="utf-8")
    (tmp_path / "wordsim353.tsv").write_text("man\twoman\t3.0\nking\tqueen\t8.0\nman\tking\t5.0\n", encoding="utf-8")
    results = evaluate_all(royal)
    assert list(results) == ["analogy 3CosAdd", "analogy 3CosMul", "wordsim353"]
    assert results["analogy 3CosAdd"]["accuracy"] == pytest.approx(0.75)
    assert results["analogy 3CosAdd"]["sections"] == {"royal": [2, 2], "mixed": [1, 2]}
    assert json.loads(json.dumps(results)) == results  # the CLI prints it with --json
    table = format_results(results)
    assert "analogy 3CosAdd" in table and "75.0%" in table and "wordsim353" in table
    assert "semantic" in table and "80.0%" in table  # coverage 4/5


def test_format_results_lines_up_columns() -> None:
    results = {
        "analogy 3CosAdd": {"kind": "analogy", "accuracy": 0.75, "coverage": 0.8, "correct": 3, "answered": 4,
                            "skipped": 1, "groups": {"semantic": [3, 4], "syntactic": [0, 0]}},
        "wordsim353": {"kind": "similarity", "spearman": 0.5, "coverage": 1.0, "pairs_used": 3, "pairs_skipped": 0},
        "simlex999": {"kind": "similarity", "spearman": None, "coverage": 0.0, "pairs_used": 0, "pairs_skipped": 2},
    }
    assert format_results(results).splitlines() == [
        "benchmark        score  coverage  detail",
        "---------------  -----  --------  -------------------------",
        "analogy 3CosAdd  75.0%  80.0%     3/4 correct, 1 skipped",
        "  semantic       75.0%            3/4 correct",
        "wordsim353       0.500  100.0%    Spearman rho over 3 pairs",
        "simlex999        n/a    0.0%      Spearman rho over 0 pairs",
    ]


# ----- agreement with gensim on the real benchmark files --------------------------------------------
def _benchmark_vectors(datapath) -> WordVectors:
    """Vectors for every benchmark word plus noise; half the analogy pairs share an offset.

    Also case variants ("Paris" besides "paris") and a few dropped words, so gensim's rules on
    case, unknown words and excluded answers all get exercised.
    """
    rng = np.random.default_rng(2024)
    dim = 32
    questions = [line.lower().split() for line in open(datapath("questions-words.txt")) if not line.startswith(":")]
    vocab = dict.fromkeys(w for q in questions for w in q)
    for name in ("wordsim353.tsv", "simlex999.txt"):
        for line in open(datapath(name)):
            if not line.startswith("#"):
                vocab.update(dict.fromkeys(w.lower() for w in line.split("\t")[:2]))
    offset, vec = rng.normal(size=dim), {}
    for a, b, c, d in questions:
        for x, y in ((a, b), (c, d)):
            vec.setdefault(x, rng.normal(size=dim))
            vec.setdefault(y, vec[x] + offset + 0.8 * rng.normal(size=dim))
    words = list(vocab)
    extra = [w.capitalize() for w in words[:300]] + [f"noise{i}" for i in range(500)]
    words = words + extra
    rng.shuffle(words)
    words = words[40:]  # drop a few so some questions and pairs are skipped
    return WordVectors(words, np.array([vec[w] if w in vec else rng.normal(size=dim) for w in words]))


def test_matches_gensim_on_real_benchmarks() -> None:
    pytest.importorskip("gensim")
    from gensim.models import KeyedVectors
    from gensim.test.utils import datapath

    wv = _benchmark_vectors(datapath)
    kv = KeyedVectors(wv.dim)
    kv.add_vectors(wv.words, wv.vectors)
    for restrict in (30000, 1500):
        score, sections = kv.evaluate_word_analogies(datapath("questions-words.txt"), restrict_vocab=restrict)
        ours = analogy_accuracy(wv, datapath("questions-words.txt"), restrict_vocab=restrict)
        assert 0.05 < ours.accuracy < 0.95 and ours.skipped > 0  # a meaningful comparison
        assert ours.accuracy == pytest.approx(score, abs=1e-3)
        theirs = {s["section"]: (len(s["correct"]), len(s["correct"]) + len(s["incorrect"])) for s in sections}
        for name, (correct, total) in ours.sections.items():
            assert total == theirs[name][1]
            assert correct == pytest.approx(theirs[name][0], abs=max(1, total // 1000))
    for name in ("wordsim353.tsv", "simlex999.txt"):
        _, (rho, _), oov_ratio = kv.evaluate_word_pairs(datapath(name))
        ours = similarity_spearman(wv, datapath(name))
        assert ours.pairs_skipped > 0
        assert ours.spearman == pytest.approx(rho, abs=1e-3)
        assert 100 * (1 - ours.coverage) == pytest.approx(oov_ratio, abs=1e-9)


# ----- careless or hostile evaluation files: one W2VError, or a result that says what it ignored -------
@pytest.mark.parametrize("content, fragment", [
    ("man woman king queen\n".encode("utf-16"), "not UTF-8 text"),
    (np.random.default_rng(0).integers(0, 256, 5_000, dtype=np.uint8).tobytes(), "not UTF-8 text"),
    (b": s\nman woman king queen\0\n", "NUL bytes"),
])
def test_evaluation_files_that_are_not_utf8_text(royal: WordVectors, tmp_path: Path, content, fragment) -> None:
    path = tmp_path / "q.txt"
    path.write_bytes(content)
    for evaluate in (analogy_accuracy, similarity_spearman):
        with pytest.raises(W2VError, match=fragment) as info:
            evaluate(royal, path)
        assert "\n" not in str(info.value)


def test_an_evaluation_file_too_large_is_refused_before_it_is_read(royal, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(datasets, "MAX_FILE_BYTES", 1_000)
    path = tmp_path / "q.txt"
    path.write_text(": s\n" + "man woman king queen\n" * 100)
    with pytest.raises(W2VError, match="2,104 bytes, more than the 1,000"):
        analogy_accuracy(royal, path)


def test_a_pipe_as_an_evaluation_file_is_refused(royal, tmp_path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(W2VError, match="not a regular file"):
        similarity_spearman(royal, tmp_path / "fifo")  # opening it would wait for a writer forever


def test_malformed_question_lines_are_counted_and_shown(royal: WordVectors) -> None:
    lines = [": royal\n", "man woman king queen\n"] + ["not a question\n"] * 100 + ["x" * 50_000 + "\n"]
    result = analogy_accuracy(royal, lines)
    assert (result.correct, result.total, result.invalid_lines) == (1, 1, 101)
    table = format_results({"analogy 3CosAdd": result})
    assert "1/1 correct, 0 skipped, 101 malformed lines ignored" in table


@pytest.mark.parametrize("rating", ["nan", "inf", "-inf", "NaN"])
def test_pairs_with_ratings_that_are_not_finite_are_not_scored(angles: WordVectors, rating: str) -> None:
    lines = PAIRS.splitlines(keepends=True) + [f"w1\tw2\t{rating}\n"]
    result = similarity_spearman(angles, lines)
    assert result.spearman == pytest.approx(0.8)                  # the same as without the line
    assert (result.pairs_used, result.invalid_lines) == (4, 2)
    assert "4 pairs, 2 malformed lines ignored" in format_results({"ws": result})


def test_a_constant_rating_column_says_so(angles: WordVectors, recwarn) -> None:
    with pytest.raises(W2VError, match=r"all 4 pairs have the same rating \(5\), so no correlation"):
        similarity_spearman(angles, ["w0\tw1\t5\n", "w0\tw2\t5\n", "w1\tw2\t5.0\n", "x\ty\t5\n"])
    one = similarity_spearman(angles, ["w0\tw1\t5\n", "x\ty\t7\n"])   # one covered pair: n/a, not an error
    assert np.isnan(one.spearman) and one.pairs_used == 1
    zero = WordVectors(["a", "b", "c"], np.zeros((3, 2), dtype=np.float32))   # every cosine the same
    assert np.isnan(similarity_spearman(zero, ["a\tb\t1\n", "a\tc\t2\n", "b\tc\t3\n"]).spearman)
    assert not recwarn.list                                           # no scipy warning with a file path


@pytest.mark.parametrize("call, fragment", [
    (lambda wv: analogy_accuracy(wv, None), "path of an evaluation file or a list of its lines"),
    (lambda wv: analogy_accuracy(wv, 42), "path of an evaluation file"),
    (lambda wv: analogy_accuracy(wv, [": s\n", b"man woman king queen\n"]), "line 2 of the given lines"),
    (lambda wv: analogy_accuracy(None, [": s\n"]), "must be a WordVectors"),
    (lambda wv: analogy_accuracy(wv, [": s\n"], restrict_vocab=0), "restrict_vocab must be a whole number"),
    (lambda wv: analogy_accuracy(wv, [": s\n"], restrict_vocab=True), "restrict_vocab"),
    (lambda wv: analogy_accuracy(wv, [": s\n"], case_insensitive="no"), "case_insensitive must be True or False"),
    (lambda wv: similarity_spearman(wv, None), "path of an evaluation file"),
    (lambda wv: similarity_spearman(wv, ["a\tb\t1\n"], delimiter=None), "delimiter must be a non-empty string"),
    (lambda wv: similarity_spearman(wv, ["a\tb\t1\n"], delimiter=""), "delimiter must be a non-empty string"),
])
def test_evaluation_api_misuse_is_one_w2verror(royal: WordVectors, call, fragment) -> None:
    with pytest.raises(W2VError, match=fragment) as info:
        call(royal)
    assert "\n" not in str(info.value)


def test_evaluate_command_on_bad_files_in_the_data_folder(royal, tmp_path: Path) -> None:
    royal.save(tmp_path / "v.vec")
    (tmp_path / "questions-words.txt").write_bytes(b"\xff\xfe: s\n")
    env = {**os.environ, "W2V_DATA_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-m", "w2v_helpers", "evaluate", str(tmp_path / "v.vec")],
                         capture_output=True, text=True, env=env, cwd=Path(__file__).resolve().parent.parent,
                         timeout=120)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert out.stderr.strip().splitlines() == [f"error: {tmp_path / 'questions-words.txt'} is not UTF-8 text "
                                               "(byte 0 cannot be decoded); save it as UTF-8 (evaluation files are "
                                               "UTF-8, as gensim reads them)"]
