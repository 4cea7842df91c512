"""Embedding Projector export: file shapes and contents, atomic writes, and the CLI's error path."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from w2v_helpers import formats
from w2v_helpers.cli import main
from w2v_helpers.errors import W2VError
from w2v_helpers.formats import export_projector
from w2v_helpers.vectors import WordVectors


@pytest.fixture
def wv() -> WordVectors:
    rng = np.random.default_rng(3)
    words = ["the", "of", "king", "queen", "café", "naïve"] + [f"w{i}" for i in range(14)]
    return WordVectors(words, rng.normal(size=(len(words), 7)).astype(np.float32))


def read_tsv(folder: Path) -> tuple[list[list[str]], list[str]]:
    rows = [line.split("\t") for line in (folder / "vectors.tsv").read_text(encoding="utf-8").splitlines()]
    words = (folder / "metadata.tsv").read_text(encoding="utf-8").splitlines()
    return rows, words


def test_export_all_words(wv: WordVectors, tmp_path: Path) -> None:
    vec_path, meta_path = export_projector(wv, tmp_path / "proj")
    assert (vec_path.name, meta_path.name) == ("vectors.tsv", "metadata.tsv")
    rows, words = read_tsv(tmp_path / "proj")
    assert words == wv.words  # one word per line, no header for a single column
    assert len(rows) == len(wv) and all(len(r) == wv.dim for r in rows)
    np.testing.assert_allclose(np.array(rows, dtype=np.float32), wv.vectors, rtol=1e-5, atol=1e-6)
    assert vec_path.read_bytes().endswith(b"\n") and b"\r" not in vec_path.read_bytes()
    assert sorted(p.name for p in (tmp_path / "proj").iterdir()) == ["metadata.tsv", "vectors.tsv"]  # no .part


def test_export_limit_keeps_first_rows(wv: WordVectors, tmp_path: Path) -> None:
    export_projector(wv, tmp_path, limit=4)
    rows, words = read_tsv(tmp_path)
    assert words == ["the", "of", "king", "queen"]
    np.testing.assert_allclose(np.array(rows, dtype=np.float32), wv.vectors[:4], rtol=1e-5, atol=1e-6)
    export_projector(wv, tmp_path, limit=10_000)  # more than there are: all of them, files replaced
    assert len(read_tsv(tmp_path)[1]) == len(wv)


def test_export_rejects_bad_input(wv: WordVectors, tmp_path: Path) -> None:
    with pytest.raises(W2VError, match="positive"):
        export_projector(wv, tmp_path / "a", limit=0)
    spaced = WordVectors(["new york", "paris"], np.ones((2, 3)))
    with pytest.raises(W2VError, match="whitespace"):
        export_projector(spaced, tmp_path / "b")
    assert not (tmp_path / "b").exists() or not any((tmp_path / "b").iterdir())
    (tmp_path / "file").write_text("x")
    with pytest.raises(W2VError, match="not a folder"):
        export_projector(wv, tmp_path / "file")


def test_failed_write_leaves_old_files(wv: WordVectors, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    export_projector(wv, tmp_path, limit=3)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def failing_open(path, *args, **kwargs):  # the vectors file is written, then the disk fills up
        if Path(path).name.startswith("metadata"):
            raise OSError(28, "No space left on device")
        return open(path, *args, **kwargs)

    monkeypatch.setattr(formats, "open", failing_open, raising=False)
    with pytest.raises(W2VError, match="No space left"):
        export_projector(wv, tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # old pair intact, no .part


def test_cli_export(wv: WordVectors, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    for binary in (False, True):
        src = wv.save(tmp_path / ("v.bin" if binary else "v.vec"), binary=binary)
        out = tmp_path / f"proj{int(binary)}"
        assert main(["export-projector", str(src), str(out), "--limit", "5"]) == 0
        assert "wrote 5 vectors of dimension 7" in capsys.readouterr().out
        rows, words = read_tsv(out)
        assert words == wv.words[:5] and np.array(rows, dtype=np.float32).shape == (5, 7)


def test_cli_missing_file_is_one_line_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "w2v_helpers", "export-projector", str(tmp_path / "missing.vec"), str(tmp_path / "out")],
        capture_output=True, text=True,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert "missing.vec" in lines[0] and "no such file" in lines[0]
    assert not (tmp_path / "out").exists()


def test_cli_bad_limit(wv: WordVectors, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    src = wv.save(tmp_path / "v.vec")
    with pytest.raises(SystemExit) as info:
        main(["export-projector", str(src), str(tmp_path / "o"), "--limit", "0"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "--limit" in err


# ----- reading word2vec files that are damaged, mislabelled or hostile -------------------------------
BAD_FILES = [
    # a header that lies about the dimension: text lines, never binary garbage
    (b"1 1\nfoo 1 2\n", "line 2: expected 1 number after the word 'foo'"),
    (b"2 1\nfoo 1 2 3\nbar 4 5 6\n", "line 2: expected 1 number"),
    (b"2 5\nfoo 1 2 3\nbar 4 5 6\n", "line 2: expected 5 numbers"),
    (b"2 3\nfoo 1 x 3\nbar 1 2 3\n", "line 2: 'x' is not a number"),
    (b"2 3\nfoo 1 2 3\nbar 1 2 3 4\n", "line 3: expected 3 numbers"),
    (b"3 four\n", "line 1: expected a header of two whole numbers"),
    (b"3\nfoo 1 2 3\n", "line 1: expected a header"),
    (b"-3 4\n", "line 1: expected a header"),
    (b"2 0\nfoo\nbar\n", "dimension is 0"),
    (b"5 3\nfoo 1 2 3\n", "line 3: the file ends after 1 line"),
    (b"1 3\nfoo 1 2 3\nbar 1 2 3\n", "line 3: extra data after the 1 word"),
    (b"2 3\nfoo 1 2 3\nfoo 4 5 6\n", "line 3: the word 'foo' appears more than once (first on line 2)"),
    (b"", "is empty"),
    (b"1 3\ncaf\xe9 1 2 3\n", "line 2: byte 4 is not valid UTF-8"),
    (b"2 3\nfoo 1 2 3\nbar nan 2 3\n", "line 3 ('bar'): the vector contains NaN or infinity"),
    (b"1 3\nfoo 1 inf 3\n", "line 2 ('foo'): the vector contains NaN or infinity"),
    (b"1 3\nfoo 1e39 2 3\n", "NaN or infinity"),  # too large for float32
    (b"1 3\nfoo\t1\t2\t3\n", "line 2: expected a word, a space and 3 numbers"),
    (b"2 3\nfoo 1 2 3\n\nbar 1 2 3\n", "line 3: expected a word"),
    (b"1 2\nfoo " + b"1" * 100_000 + b"\n", "line 2: longer than"),
    (b"1000000000000 100\nfoo 1 2\n", "the header promises 1,000,000,000,000 words"),
    (b"3 10000000\nfoo 1\nbar 2\nbaz 3\n", "line 2: expected 10,000,000 numbers"),  # lines too short: no allocation
    (b"1 99999999999\nfoo 1\n", "dimension 99,999,999,999 is not plausible"),
]


@pytest.mark.parametrize("content, fragment", BAD_FILES)
def test_bad_file_names_the_problem(tmp_path: Path, content: bytes, fragment: str) -> None:
    path = tmp_path / "bad.vec"
    path.write_bytes(content)
    with pytest.raises(W2VError) as info:
        formats.load_word2vec(path)
    message = str(info.value)
    assert fragment in message and str(path) in message and "\n" not in message


def binary_entry(word: bytes, values) -> bytes:
    return word + b" " + np.asarray(values, dtype="<f4").tobytes() + b"\n"


BAD_BINARY = [
    (b"1 2\n" + binary_entry(b"caf\xe9", [1, 2]), "the word b'caf\\xe9' is not valid UTF-8"),
    (b"1 2\n" + binary_entry(b"foo", [1, np.nan]), "word 1 of 1 ('foo'): the vector contains NaN"),
    (b"2 2\n" + binary_entry(b"foo", [1, 2]) + binary_entry(b"foo", [3, 4]), "appears more than once"),
    (b"1 2\n" + binary_entry(b"foo", [1, 2]) + b"junk", "extra data after the 1 word"),
    (b"2 2\n" + binary_entry(b"foo", [1, 2]) + binary_entry(b"barbaz", [1, 2])[:-4],
     "word 2 of 2 (byte 13 after the header line): the file ends inside this word's vector, 3 bytes short"),
    (b"2 2\n" + binary_entry(b"a\tb", [1, 2]) + binary_entry(b"c", [1, 2]), "expected a word, a space"),
    (b"1000 2\n" + binary_entry(b"foo", [1, 2]), "the header promises 1,000 words"),
]


@pytest.mark.parametrize("content, fragment", BAD_BINARY)
def test_bad_binary_file_names_the_problem(tmp_path: Path, content: bytes, fragment: str) -> None:
    path = tmp_path / "bad.bin"
    path.write_bytes(content)
    with pytest.raises(W2VError) as info:
        formats.load_word2vec(path, binary=True)
    assert fragment in str(info.value) and "\n" not in str(info.value)


def test_text_file_with_lying_dim_is_never_read_as_binary(tmp_path: Path) -> None:
    # "foo 1 2\n" is also 'foo', a space and 4 bytes: a float32 of garbage. Text wins, with the real problem.
    path = tmp_path / "liar.vec"
    path.write_bytes(b"1 1\nfoo 1 2\n")
    with pytest.raises(W2VError, match="expected 1 number after the word 'foo'"):
        formats.load_word2vec(path)
    words, vectors = formats.load_word2vec(path, binary=True)  # asked for explicitly, it is a valid binary file
    assert words == ["foo"] and vectors.shape == (1, 1)


def test_paths_that_are_not_files(tmp_path: Path) -> None:
    with pytest.raises(W2VError, match="is a directory"):
        formats.load_word2vec(tmp_path)
    with pytest.raises(W2VError, match="no such file"):
        formats.load_word2vec(tmp_path / "missing.vec")
    with pytest.raises(W2VError, match="str or Path"):
        formats.load_word2vec(None)  # type: ignore[arg-type]
    with pytest.raises(W2VError, match="binary must be"):
        formats.load_word2vec(tmp_path / "x.vec", binary="yes")  # type: ignore[arg-type]


def test_huge_header_is_refused_before_allocating(wv: WordVectors, tmp_path: Path, monkeypatch) -> None:
    from w2v_helpers import resources, word2vec_reader

    def no_allocation(*args):
        raise AssertionError("allocated")

    monkeypatch.setattr(word2vec_reader, "_allocate", no_allocation)
    path = tmp_path / "huge.bin"
    path.write_bytes(b"1000000000000 300\n" + binary_entry(b"foo", np.ones(300)))
    with pytest.raises(W2VError, match="it is truncated or the header is wrong"):
        formats.load_word2vec(path)
    monkeypatch.setattr(resources, "available_memory", lambda: 500)  # a file that fits its header, no memory
    with pytest.raises(W2VError, match=r"needs 560 bytes of memory but only 500 bytes"):
        formats.load_word2vec(wv.save(tmp_path / "v.vec"))
    monkeypatch.setattr(resources, "available_memory", lambda: 100)
    with pytest.raises(W2VError, match=r"20 vectors of dimension 7 needs 560 bytes of memory"):
        formats.load_word2vec(wv.save(tmp_path / "v.bin", binary=True))


def test_header_only_and_extra_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "v.vec"
    path.write_bytes(b"\xef\xbb\xbf0 5\n")  # a byte-order mark and no words: an empty table
    words, vectors = formats.load_word2vec(path)
    assert words == [] and vectors.shape == (0, 5)
    path.write_bytes(b"2 2\r\nfoo 1 2\r\nbar 3 4 \r\n\n\n")  # CRLF, a trailing space, blank lines at the end
    words, vectors = formats.load_word2vec(path)
    assert words == ["foo", "bar"] and vectors.tolist() == [[1, 2], [3, 4]]


def test_save_rejects_bad_tables(tmp_path: Path) -> None:
    cases = [
        ((["a", "b"], np.ones((3, 2))), "one row per word"),
        ((["a", "a"], np.ones((2, 2))), "more than once"),
        ((["a"], np.array([[np.inf, 1]])), "NaN or infinity"),
        ((["a", 5], np.ones((2, 2))), "non-empty string"),
        (("ab", np.ones((2, 2))), "list of strings"),
    ]
    for (words, vectors), fragment in cases:
        with pytest.raises(W2VError, match=fragment):
            formats.save_word2vec(tmp_path / "v.vec", words, vectors)
    assert not list(tmp_path.iterdir())


def test_save_and_export_into_a_directory(wv: WordVectors, tmp_path: Path) -> None:
    with pytest.raises(W2VError, match="is a directory"):
        wv.save(tmp_path)
    (tmp_path / "proj" / "vectors.tsv").mkdir(parents=True)  # a folder where the projector file goes
    with pytest.raises(W2VError, match="is a directory"):
        export_projector(wv, tmp_path / "proj")
    assert not (tmp_path / "proj" / "metadata.tsv").exists()
    with pytest.raises(W2VError, match="limit must be"):
        export_projector(wv, tmp_path / "other", limit="a")  # type: ignore[arg-type]


@pytest.mark.parametrize("content, fragment", [
    (b"1 1\nking 1 2\n", "line 2: expected 1 number"),
    (b"1000000000000 100\nking 1\n", "the header promises"),
    (b"2 1\nking 1\nking 2\n", "more than once"),
    (b"", "is empty"),
])
def test_cli_bad_vector_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture, content, fragment) -> None:
    path = tmp_path / "bad.vec"
    path.write_bytes(content)
    assert main(["neighbors", str(path), "king"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: ") and fragment in err
