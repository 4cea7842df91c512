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
