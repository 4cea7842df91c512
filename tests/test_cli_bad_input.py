"""Careless and hostile input to the command line: one line on stderr, exit code 2, nothing lost.

Each case is checked before any long work starts (the runs here take a second or two at most).
"""

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
