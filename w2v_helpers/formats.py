"""Files of word vectors: the word2vec text and binary formats, and the TensorBoard projector's TSV pair.

Chapter 5 saves trained vectors in the word2vec formats and Chapters 5 and 6 load them back
(through WordVectors.save and WordVectors.load); Chapter 7 exports them for the Embedding Projector.

word2vec text (.vec): a header line 'vocab_size dim', then one line per word: the word and its
numbers, separated by spaces. word2vec binary (.bin): the same header, then per word the word, a
space and dim little-endian float32 values (and a newline, as word2vec writes it).

The TensorBoard Embedding Projector (https://projector.tensorflow.org) loads two tab-separated
files: vectors.tsv, one vector per line (floats separated by tabs, no header), and metadata.tsv,
the label of each line. With a single metadata column the projector expects no header line, so
metadata.tsv is just one word per line, in the same order.

Only numpy is used, so notebooks can read saved vectors without torch, and gensim stays a
test-only dependency (the tests check that gensim reads what we write).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import numpy as np

from .atomic import atomic_path
from .errors import W2VError

if TYPE_CHECKING:
    from .vectors import WordVectors

VECTORS_TSV = "vectors.tsv"
METADATA_TSV = "metadata.tsv"


# ----- word2vec text and binary ---------------------------------------------------------------
def save_word2vec(
    path: str | os.PathLike, words: Sequence[str], vectors: np.ndarray, binary: bool = False
) -> Path:
    """Write words and their vector rows in the word2vec text or binary format, atomically; returns the path.

    Used by the command line, through WordVectors.save.
    """
    for w in words:
        if not w or w.split() != [w]:
            raise W2VError(
                f"word {w!r} is empty or contains whitespace, which the word2vec format cannot "
                "store; join multi-word tokens with '_' before saving"
            )
    path = Path(path)
    with atomic_path(path) as tmp, open(tmp, "wb") as f:
        f.write(f"{len(words)} {vectors.shape[1]}\n".encode())
        (_write_binary if binary else _write_text)(f, list(words), vectors)
    return path


def load_word2vec(path: str | os.PathLike, binary: bool | None = None) -> tuple[list[str], np.ndarray]:
    """(words, vectors) of a word2vec text or binary file; binary=None tells them apart from the content.

    Used by the command line, through WordVectors.load.
    """
    path = Path(path)
    if not path.is_file():
        raise W2VError(f"{path}: no such file; check the path, or train and save vectors first")
    with open(path, "rb") as f:
        n, d = _read_header(f, path)
        if binary is None:
            binary = _looks_binary(f, d)
        return (_read_binary if binary else _read_text)(f, path, n, d)


def _write_text(f: BinaryIO, words: list[str], vectors: np.ndarray) -> None:
    row_fmt = " ".join(["%.6g"] * vectors.shape[1])  # ~6 significant digits, like word2vec's %lf
    for word, row in zip(words, vectors, strict=True):
        f.write(f"{word} {row_fmt % tuple(row.tolist())}\n".encode())


def _write_binary(f: BinaryIO, words: list[str], vectors: np.ndarray) -> None:
    little = vectors.astype("<f4", copy=False)
    for word, row in zip(words, little, strict=True):
        f.write(word.encode("utf-8") + b" " + row.tobytes() + b"\n")


def _read_header(f: BinaryIO, path: Path) -> tuple[int, int]:
    header = f.readline(200)
    parts = header.split()
    try:
        n, d = (int(p) for p in parts)
        if n < 0 or d < 1:
            raise ValueError
    except ValueError:
        raise W2VError(
            f"{path}: line 1: expected a header 'vocab_size dim' such as '3000 100', found "
            f"{header[:60]!r}; is this a word2vec .vec/.bin file?"
        ) from None
    return n, d


def _looks_binary(f: BinaryIO, d: int) -> bool:
    """Peek at the first entry: in the text format it is a word followed by d parseable numbers."""
    start = f.tell()
    line = f.readline(64 * (d + 10))
    f.seek(start)
    if not line:
        return False
    try:
        parts = line.decode("utf-8").rstrip().split(" ")
        np.array(parts[1:], dtype=np.float32)
    except (UnicodeDecodeError, ValueError):
        return True
    return len(parts) != d + 1


def _read_text(f: BinaryIO, path: Path, n: int, d: int) -> tuple[list[str], np.ndarray]:
    words, vectors = [], np.empty((n, d), dtype=np.float32)
    for i in range(n):
        line_no, line = i + 2, f.readline()
        if not line:
            raise W2VError(
                f"{path}: line {line_no}: the file ends after {i} of the {n} words its header promises; "
                "it is truncated, save it again"
            )
        try:
            parts = line.decode("utf-8").rstrip().split(" ")
            if len(parts) != d + 1:
                raise ValueError(f"expected a word and {d} numbers, found {len(parts) - 1} numbers")
            vectors[i] = np.array(parts[1:], dtype=np.float32)
        except (UnicodeDecodeError, ValueError) as e:
            raise W2VError(f"{path}: line {line_no}: {e}; the file is damaged or not a .vec file") from None
        words.append(parts[0])
    if f.read().strip():
        raise W2VError(f"{path}: line {n + 2}: extra data after the {n} words the header promises")
    return words, vectors


def _read_binary(f: BinaryIO, path: Path, n: int, d: int) -> tuple[list[str], np.ndarray]:
    data, size = f.read(), 4 * d
    words, vectors = [], np.empty((n, d), dtype=np.float32)
    pos = 0
    for i in range(n):
        while pos < len(data) and data[pos] in b"\n\r":  # the newline word2vec writes after each vector
            pos += 1
        space = data.find(b" ", pos, pos + 1000)
        where = f"{path}: word {i + 1} of {n} (byte {pos} after the header line)"
        if space <= pos or space + 1 + size > len(data):
            raise W2VError(f"{where}: expected 'word' + space + {d} float32 values; the file is truncated or damaged")
        try:
            words.append(data[pos:space].decode("utf-8"))
        except UnicodeDecodeError:
            raise W2VError(f"{where}: the word is not valid UTF-8; the file is damaged") from None
        vectors[i] = np.frombuffer(data, dtype="<f4", count=d, offset=space + 1)
        pos = space + 1 + size
    if data[pos:].strip(b"\r\n"):
        raise W2VError(f"{path}: extra data after the {n} words the header promises")
    return words, vectors


# ----- TensorBoard Embedding Projector -------------------------------------------------------
def export_projector(
    wv: WordVectors, out_dir: str | os.PathLike, limit: int | None = None
) -> tuple[Path, Path]:
    """Write vectors.tsv and metadata.tsv for the first `limit` words (all if None) into `out_dir`.

    Rows are in the order of `wv` (most frequent first for word2vec files), so `limit` keeps the
    most frequent words. Each file is written to a temporary name and renamed only when both are
    complete, so a failure never leaves a half-written file. Returns (vectors_path, metadata_path).
    Used in Chapter 7 to look at the vectors in the projector.
    """
    if limit is not None and int(limit) < 1:
        raise W2VError(f"limit must be a positive number of words or None; got {limit}")
    n = len(wv) if limit is None else min(int(limit), len(wv))
    if n == 0:
        raise W2VError("there are no word vectors to export")
    words = wv.words[:n]
    for w in words:
        if not w or w.split() != [w]:  # a tab or newline would shift every later row
            raise W2VError(
                f"word {w!r} is empty or contains whitespace, which would break the tab-separated "
                "files; join multi-word tokens with '_' first"
            )
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise W2VError(f"{out_dir} exists and is not a folder; pass a folder for the projector files")
    vec_path, meta_path = out_dir / VECTORS_TSV, out_dir / METADATA_TSV
    row_fmt = "\t".join(["%.6g"] * wv.dim) + "\n"  # ~6 significant digits, like the .vec format
    try:
        with ExitStack() as stack:  # both renames happen only after both files are fully written
            vec_tmp = stack.enter_context(atomic_path(vec_path))
            meta_tmp = stack.enter_context(atomic_path(meta_path))
            with open(vec_tmp, "w", encoding="utf-8", newline="\n") as f:
                for row in wv.vectors[:n].tolist():
                    f.write(row_fmt % tuple(row))
            with open(meta_tmp, "w", encoding="utf-8", newline="\n") as f:
                f.writelines(w + "\n" for w in words)
    except OSError as exc:
        raise W2VError(f"could not write the projector files into {out_dir}: {exc.strerror or exc}") from exc
    return vec_path, meta_path
