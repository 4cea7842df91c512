"""Careless and hostile input to the command line: one line on stderr, exit code 2, nothing lost.

Each case is checked before any long work starts (the runs here take a second or two at most).
"""

import os
import shutil
import subprocess
import sys
from collections import namedtuple

import numpy as np
import pytest

from w2v_helpers.cli import main
from w2v_helpers.vectors import WordVectors

Usage = namedtuple("Usage", "total used free")


def run_main(capsys, *argv):
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:  # argparse's own errors
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(capsys, *argv):
    code, _, err = run_main(capsys, *argv)
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def train_toy(*argv):
    return ("train", "--corpus", "toy", "--epochs", "1", "--dim", "8", "--quiet", *argv)


@pytest.mark.parametrize("flag, value, fragment", [
    ("--dim", "1000000000", "too large"),
    ("--dim", "0", "too small"),
    ("--seed", "-1", "too small"),
    ("--seed", "1e3", "not a number"),
    ("--sample", "nan", "not a finite number"),
    ("--sample", "2", "too large"),
    ("--lr", "inf", "not a finite number"),
    ("--lr", "-0.1", "too small"),
    ("--min-lr", "nan", "not a finite number"),
    ("--workers", "100000", "too large"),
    ("--batch-size", "1e9", "not a number"),
    ("--method", "sgd", "method must be one of"),
])
def test_numbers_out_of_range(capsys, tmp_path, flag, value, fragment):
    assert fragment in one_line_error(capsys, *train_toy("--out", tmp_path / "v.vec", flag, value))
    assert list(tmp_path.iterdir()) == []


def test_min_lr_above_lr(capsys, tmp_path):
    line = one_line_error(capsys, *train_toy("--out", tmp_path / "v.vec", "--lr", "0.01", "--min-lr", "0.1"))
    assert "min_lr" in line


def test_out_that_is_a_directory_or_under_a_file(capsys, tmp_path):
    assert "is a directory" in one_line_error(capsys, *train_toy("--out", tmp_path))
    (tmp_path / "f").write_text("x")
    assert "is a file, not a folder" in one_line_error(capsys, *train_toy("--out", tmp_path / "f" / "v.vec"))


def test_out_that_is_the_corpus_is_refused_and_the_corpus_kept(capsys, tmp_path, small_text):
    before = small_text.read_bytes()
    line = one_line_error(capsys, "train", "--corpus", small_text, "--out", small_text, "--min-count", "1")
    assert "also an input" in line and small_text.read_bytes() == before


def test_not_enough_disk_for_the_vectors(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "disk_usage", lambda path: Usage(10**9, 10**9 - 1000, 1000))
    line = one_line_error(capsys, *train_toy("--out", tmp_path / "v.vec"))
    assert "free some space" in line and not (tmp_path / "v.vec").exists()


def test_checkpoint_that_is_a_file(capsys, tmp_path):
    (tmp_path / "ck").write_text("x")
    line = one_line_error(capsys, *train_toy("--out", tmp_path / "v.vec", "--checkpoint", tmp_path / "ck"))
    assert "is a file" in line


@pytest.mark.parametrize("content, fragment", [
    (np.random.default_rng(0).integers(1, 256, 20_000, dtype=np.uint8).tobytes(), "binary"),
    ("café crème ".encode("latin-1") * 50, "--encoding latin-1"),
])
def test_corpora_that_are_not_utf8_text(capsys, tmp_path, content, fragment):
    path = tmp_path / "c.txt"
    path.write_bytes(content)
    assert fragment in one_line_error(capsys, "train", "--corpus", path, "--out", tmp_path / "v.vec")


def test_corpus_in_latin1_with_encoding_trains(capsys, tmp_path):
    path = tmp_path / "c.txt"
    path.write_bytes(" ".join(["café", "crème", "thé", "lait"] * 200).encode("latin-1"))
    code, _, err = run_main(capsys, "train", "--corpus", path, "--encoding", "latin-1", "--min-count", "1",
                            "--epochs", "1", "--dim", "8", "--quiet", "--out", tmp_path / "v.vec")
    assert code == 0, err
    assert "café" in WordVectors.load(tmp_path / "v.vec")


def test_a_directory_as_the_corpus(capsys, tmp_path):
    assert "is a directory" in one_line_error(capsys, "train", "--corpus", tmp_path, "--out", tmp_path / "v.vec")


def test_zipf_corpus_into_a_directory(capsys, tmp_path):
    assert "is a directory" in one_line_error(capsys, "make-zipf-corpus", tmp_path, "--tokens", "10")


def test_data_dir_that_is_a_file(capsys, tmp_path, monkeypatch):
    (tmp_path / "f").write_text("x")
    monkeypatch.setenv("W2V_DATA_DIR", str(tmp_path / "f"))
    assert "W2V_DATA_DIR" in one_line_error(capsys, "train", "--corpus", "text8", "--out", tmp_path / "v.vec")


def test_two_runs_writing_the_same_out_both_leave_a_whole_file(tmp_path):
    out = tmp_path / "v.vec"
    cmd = [sys.executable, "-m", "w2v_helpers", *train_toy("--out", str(out))]
    runs = [subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
    assert len(WordVectors.load(out)) > 1000
    assert [p.name for p in tmp_path.iterdir()] == ["v.vec"]  # no temporary file left behind


# ----- encodings, wide Unicode, pipes: one line before the corpus is read -----------------------------
TEXT = "the cat sat on the mat and the dog sat on the log\n" * 40


@pytest.mark.parametrize("encoding, fragment", [
    ("rot13", "'rot13' is not a text encoding"),
    ("hex", "'hex' is not a text encoding"),
    ("base64", "'base64' is not a text encoding"),
    ("zlib", "'zlib' is not a text encoding"),
    ("idna", "cannot be read as idna"),
    ("utf-16", "cannot be read as utf-16 (UTF-16 stream does not start with BOM)"),
    ("utf-32", "cannot be read as utf-32"),
    ("no-such-codec", "unknown encoding 'no-such-codec'"),
])
def test_encodings_that_cannot_read_the_corpus(capsys, tmp_path, encoding, fragment):
    path = tmp_path / "c.txt"
    path.write_text(TEXT)
    line = one_line_error(capsys, *train_toy("--corpus", path, "--encoding", encoding, "--out", tmp_path / "v.vec"))
    assert fragment in line
    assert [p.name for p in tmp_path.iterdir()] == ["c.txt"]


@pytest.mark.parametrize("codec, named, suggested", [
    ("utf-16", "UTF-16", "utf-16"), ("utf-16-le", "UTF-16", "utf-16-le"), ("utf-16-be", "UTF-16", "utf-16-be"),
    ("utf-32", "UTF-32", "utf-32"), ("utf-32-le", "UTF-32", "utf-32-le"), ("utf-32-be", "UTF-32", "utf-32-be"),
])
def test_wide_unicode_is_named_and_then_reads(capsys, tmp_path, codec, named, suggested):
    path = tmp_path / "c.txt"
    path.write_bytes(TEXT.encode(codec))
    line = one_line_error(capsys, "train", "--corpus", path, "--out", tmp_path / "v.vec")
    assert line == f"error: {path} is {named} text, not utf-8; pass --encoding {suggested}"
    code, _, err = run_main(capsys, *train_toy("--corpus", path, "--encoding", suggested, "--min-count", "1",
                                               "--out", tmp_path / "v.vec"))
    assert code == 0, err
    assert set(WordVectors.load(tmp_path / "v.vec").words) == set(TEXT.split())


def test_a_named_pipe_as_the_corpus_is_refused_without_waiting(capsys, tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    os.mkfifo(tmp_path / "fifo")   # opening it for reading would wait for a writer forever
    line = one_line_error(capsys, "train", "--corpus", tmp_path / "fifo", "--out", tmp_path / "v.vec")
    assert "is not a regular file (a pipe or a device)" in line


# ----- environment variables that are not what they should be -------------------------------------------
@pytest.mark.parametrize("variable, value, argv", [
    ("W2V_BENCHMARK_URL", "garbage", ("download-benchmarks",)),
    ("W2V_BENCHMARK_URL", " ", ("download-benchmarks",)),
    ("W2V_BENCHMARK_URL", "ftp//mirror", ("download-benchmarks",)),
    ("W2V_BENCHMARK_URL", "http://", ("download-benchmarks",)),
    ("W2V_TEXT8_URL", "garbage", ("train", "--corpus", "text8", "--out", "v.vec")),
])
def test_a_download_address_that_is_not_one(capsys, tmp_path, monkeypatch, variable, value, argv):
    monkeypatch.setenv("W2V_DATA_DIR", str(tmp_path))
    monkeypatch.setenv(variable, value)
    monkeypatch.chdir(tmp_path)
    line = one_line_error(capsys, *argv)
    assert line == (f"error: {variable} is {value!r}, which is not a web address; set it to an http://, https:// "
                    "or file:// address, or unset it to use the original site")
    assert list(tmp_path.iterdir()) == []


def test_a_data_dir_under_a_user_that_does_not_exist(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("W2V_DATA_DIR", "~nosuchuser-w2v/data")
    line = one_line_error(capsys, "download-benchmarks")
    assert line == "error: W2V_DATA_DIR is '~nosuchuser-w2v/data', but ~nosuchuser-w2v names no user here; " \
                   "set it to a folder path"


# ----- queries with nothing to answer, outputs that are links ------------------------------------------
def test_analogy_and_neighbors_with_no_other_word_say_so(capsys, tmp_path):
    WordVectors(["a", "b", "c"], np.eye(3, dtype=np.float32)).save(tmp_path / "abc.vec")
    WordVectors(["a"], np.ones((1, 3), dtype=np.float32)).save(tmp_path / "a.vec")
    line = one_line_error(capsys, "analogy", tmp_path / "abc.vec", "a", "b", "c")
    assert line == f"error: {tmp_path / 'abc.vec'} holds 3 words, all of them in the question, so there is no " \
                   "other word to answer with"
    line = one_line_error(capsys, "neighbors", tmp_path / "a.vec", "a")
    assert line == f"error: {tmp_path / 'a.vec'} holds no word besides 'a', so it has no neighbours to show"


@pytest.mark.parametrize("target_exists", [True, False])
def test_out_that_is_a_symlink_is_written_through(capsys, tmp_path, target_exists):
    target, link = tmp_path / "real" / "v.vec", tmp_path / "link.vec"
    target.parent.mkdir()
    if target_exists:
        target.write_text("old\n")
    link.symlink_to(target)
    code, _, err = run_main(capsys, *train_toy("--out", link))
    assert code == 0, err
    assert link.is_symlink() and os.readlink(link) == str(target)      # the link stays a link ...
    assert len(WordVectors.load(target)) > 1000                        # ... and its target holds the vectors
    assert sorted(p.name for p in target.parent.iterdir()) == ["v.vec"]   # no temporary file left


def test_the_help_of_out_says_what_a_symlink_gets(capsys):
    with pytest.raises(SystemExit):
        main(["train", "--help"])
    assert "a symbolic link is written through" in " ".join(capsys.readouterr().out.split())


# ----- outputs that are not files: refused, and left as they were ------------------------------------
def _odd_outputs(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    loop = tmp_path / "loop"
    loop.symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(loop)
    return {"a FIFO": (fifo, "is a FIFO, not a file; writing it would replace it"),
            "a device": ("/dev/null", "is a device, not a file; writing it would replace it"),
            "a looping link": (loop, "is a symbolic link that cannot be followed (Too many levels")}


@pytest.mark.parametrize("kind", ["a FIFO", "a device", "a looping link"])
def test_train_out_that_is_not_a_file_is_refused_and_kept(capsys, tmp_path, kind):
    out, fragment = _odd_outputs(tmp_path)[kind]
    before = os.lstat(out)
    assert one_line_error(capsys, *train_toy("--out", out)).startswith(f"error: --out {out} {fragment}")
    after = os.lstat(out)
    assert (after.st_ino, after.st_mode, after.st_rdev) == (before.st_ino, before.st_mode, before.st_rdev)
    assert not list(tmp_path.glob("*.part"))


@pytest.mark.parametrize("kind", ["a FIFO", "a looping link"])
def test_a_zipf_corpus_into_something_not_a_file_is_refused_and_kept(capsys, tmp_path, kind):
    out, fragment = _odd_outputs(tmp_path)[kind]
    before = os.lstat(out)
    line = one_line_error(capsys, "make-zipf-corpus", out, "--tokens", "100")
    assert line.startswith(f"error: {out} {fragment}")
    assert os.lstat(out).st_mode == before.st_mode and not list(tmp_path.glob("*.part"))


def test_a_link_to_a_file_yet_to_be_written_is_written_through(capsys, tmp_path):
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "new" / "corpus.txt")
    assert run_main(capsys, "make-zipf-corpus", link, "--tokens", "100")[0] == 0
    assert link.is_symlink() and len((tmp_path / "new" / "corpus.txt").read_text().split()) == 100


@pytest.mark.parametrize("kind", ["file", "looping link"])
def test_benchmark_out_dir_that_is_not_a_folder_is_refused_before_training(capsys, tmp_path, small_text, kind):
    out_dir = tmp_path / "o"
    if kind == "file":
        out_dir.write_text("keep me")
    else:
        out_dir.symlink_to(tmp_path / "o2")
        (tmp_path / "o2").symlink_to(out_dir)
    for mode in ([], ["--modes"], ["--sizes", "1K"]):
        line = one_line_error(capsys, "benchmark", "--corpus", small_text, "--out-dir", out_dir, "--skip-gensim",
                              *mode)
        what = "a file" if kind == "file" else "a symbolic link to no folder"
        assert line == f"error: --out-dir {out_dir} is {what}; give a folder (it is made if missing)"
    assert kind != "file" or out_dir.read_text() == "keep me"
