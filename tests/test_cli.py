"""Every user mistake ends as one line on stderr and exit code 2, never a traceback."""

import socket
import subprocess
import sys

import pytest

from w2v_helpers.cli import main
from w2v_helpers.vectors import WordVectors


def run_main(capsys, *argv):
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse exits on bad arguments
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code, err, *fragments):
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.fixture(scope="module")
def vec_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("vec") / "v.vec"
    WordVectors(["king", "queen", "man", "woman", "kind"],
                [[1, 0, 0], [1, 1, 0], [0, 0, 1], [0, 1, 1], [0.9, 0.1, 0.2]]).save(path)
    return path


@pytest.fixture
def offline(monkeypatch, tmp_path):
    """A data folder without text8 and a mirror URL on a port where nothing listens."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    monkeypatch.setenv("W2V_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("W2V_TEXT8_URL", f"http://127.0.0.1:{port}/text8.zip")


@pytest.mark.parametrize("argv, fragment", [
    (["--dim", "0"], "--dim"),
    (["--window", "-1"], "--window"),
    (["--epochs", "two"], "not a number"),
    (["--lr", "0"], "--lr"),
    (["--sample", "-1e-3"], "--sample"),
])
def test_bad_numbers(capsys, tmp_path, argv, fragment):
    code, _, err = run_main(capsys, "train", "--corpus", "toy", "--out", str(tmp_path / "v.vec"), *argv)
    assert_one_line_error(code, err, fragment)


def test_missing_corpus_file(capsys, tmp_path):
    code, _, err = run_main(capsys, "train", "--corpus", str(tmp_path / "nope.txt"), "--out", str(tmp_path / "v.vec"))
    assert_one_line_error(code, err, "does not exist", "--corpus english")


def test_empty_corpus(capsys, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("  12 34 \n")
    code, _, err = run_main(capsys, "train", "--corpus", str(empty), "--out", str(tmp_path / "v.vec"))
    assert_one_line_error(code, err, "empty")


def test_min_count_that_empties_the_vocabulary(capsys, tmp_path, small_text):
    code, _, err = run_main(capsys, "train", "--corpus", str(small_text), "--min-count", "100000",
                            "--out", str(tmp_path / "v.vec"))
    assert_one_line_error(code, err, "min_count=100000 removed every word", "lower --min-count")
    assert not (tmp_path / "v.vec").exists()


def test_offline_download(capsys, tmp_path, offline):
    code, _, err = run_main(capsys, "train", "--corpus", "text8", "--out", str(tmp_path / "v.vec"))
    assert_one_line_error(code, err, "download", "--corpus english")


def test_corrupt_zip_is_reported_and_removed(capsys, tmp_path, offline):
    data = tmp_path / "data"
    data.mkdir()
    (data / "text8.zip").write_bytes(b"PK\x03\x04 this is not a zip")
    code, _, err = run_main(capsys, "train", "--corpus", "text8", "--out", str(tmp_path / "v.vec"))
    assert_one_line_error(code, err)
    assert not (data / "text8.zip").exists() and not (data / "text8").exists()


def test_auto_corpus_falls_back_to_the_shipped_english_with_a_notice(capsys, tmp_path, offline):
    code, out, err = run_main(capsys, "train", "--epochs", "1", "--dim", "10", "--out", str(tmp_path / "v.vec"))
    assert code == 0
    assert "using the shipped English corpus (english, 1.46M words) instead" in err
    assert "corpus english: 1,373,613 tokens, 16,109 words" in err
    assert "man is to king as woman is to" in out
    assert len(WordVectors.load(tmp_path / "v.vec")) == 16_109


def test_missing_vectors_file(capsys, tmp_path):
    code, _, err = run_main(capsys, "neighbors", str(tmp_path / "none.vec"), "king")
    assert_one_line_error(code, err, "none.vec")


def test_unknown_word_suggests_spellings(capsys, vec_file):
    code, _, err = run_main(capsys, "neighbors", str(vec_file), "kign")
    assert_one_line_error(code, err, "'kign' is not in the vocabulary", "king")
    code, _, err = run_main(capsys, "analogy", str(vec_file), "man", "king", "wman")
    assert_one_line_error(code, err, "'wman'")


def test_neighbors_and_analogy_print_cosine_results(capsys, vec_file):
    code, out, _ = run_main(capsys, "neighbors", str(vec_file), "king", "-k", "2")
    assert code == 0 and out.splitlines()[0].split("\t")[0] == "kind"
    code, out, _ = run_main(capsys, "analogy", str(vec_file), "man", "king", "woman", "-k", "1")
    assert code == 0 and out.split("\t")[0] == "queen"


def test_resume_without_checkpoint_folder(capsys, tmp_path):
    code, _, err = run_main(capsys, "train", "--corpus", "toy", "--resume", "--out", str(tmp_path / "v.vec"))
    assert_one_line_error(code, err, "--checkpoint")
    code, _, err = run_main(capsys, "train", "--corpus", "toy", "--resume", "--checkpoint", str(tmp_path / "c"),
                            "--out", str(tmp_path / "v.vec"))
    assert_one_line_error(code, err, "no checkpoint")


def test_help_for_each_command():
    for command in ("train", "neighbors", "analogy", "evaluate"):
        result = subprocess.run([sys.executable, "-m", "w2v_helpers", command, "--help"],
                                capture_output=True, text=True)
        assert result.returncode == 0 and "usage:" in result.stdout


def test_train_toy_writes_vectors_gensim_loads(tmp_path):
    gensim_models = pytest.importorskip("gensim.models")
    out = tmp_path / "v.vec"
    result = subprocess.run([sys.executable, "-m", "w2v_helpers", "train", "--corpus", "toy", "--epochs", "2",
                             "--out", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "planted analogies answered correctly" in result.stdout
    kv = gensim_models.KeyedVectors.load_word2vec_format(str(out))
    ours = WordVectors.load(out)
    assert kv.index_to_key == ours.words
    assert kv.most_similar("king", topn=3)[0][0] == ours.most_similar("king", k=3)[0][0]


def test_train_uses_every_core_by_default_and_says_so(capsys, tmp_path, monkeypatch):
    from w2v_helpers.cli import train as cli

    monkeypatch.setattr(cli.os, "sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)
    assert cli.default_workers("fast") == 3 and cli.default_workers("autograd") == 1
    code, _, err = run_main(capsys, "train", "--corpus", "toy", "--epochs", "1", "--dim", "8",
                            "--out", str(tmp_path / "v.vec"))
    assert code == 0 and "training with 3 workers" in err and "--workers 1" in err
    code, _, err = run_main(capsys, "train", "--corpus", "toy", "--epochs", "1", "--dim", "8", "--workers", "1",
                            "--out", str(tmp_path / "w.vec"))
    assert code == 0 and "training with" not in err
