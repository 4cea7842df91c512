"""Files of word vectors: the word2vec text and binary formats, and the TensorBoard projector's TSV pair.

Chapter 5 saves trained vectors in the word2vec formats and Chapters 5 and 6 load them back
(through WordVectors.save and WordVectors.load); bonus notebook 07b exports them for the Embedding Projector.

word2vec text (.vec): a header line 'vocab_size dim', then one line per word: the word and its
numbers, separated by spaces. word2vec binary (.bin): the same header, then per word the word, a
space and dim little-endian float32 values (and a newline, as word2vec writes it). Reading them,
with every check a damaged or mislabelled file needs, is in word2vec_reader.py.

The TensorBoard Embedding Projector (https://projector.tensorflow.org) loads two tab-separated
files: vectors.tsv, one vector per line (floats separated by tabs, no header), and metadata.tsv,
the label of each line. With a single metadata column the projector expects no header line, so
metadata.tsv is just one word per line, in the same order.

Only numpy is used, so notebooks can read saved vectors without torch, and gensim stays a
test-only dependency (the tests check that gensim reads what we write).
"""

from __future__ import annotations

import numbers
import os
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import numpy as np

from .atomic import atomic_path
from .errors import W2VError
from .word2vec_reader import read_word2vec

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
    words, vectors = _checked_table(words, vectors)
    if not isinstance(path, (str, os.PathLike)):
        raise W2VError(f"the path to save to must be a str or Path; got {type(path).__name__}")
    path = Path(path)
    with atomic_path(path) as tmp, open(tmp, "wb") as f:
        f.write(f"{len(words)} {vectors.shape[1]}\n".encode())
        (_write_binary if binary else _write_text)(f, words, vectors)
    return path


def load_word2vec(path: str | os.PathLike, binary: bool | None = None) -> tuple[list[str], np.ndarray]:
    """(words, vectors) of a word2vec text or binary file; binary=None tells them apart from the content.

    A damaged or mislabelled file raises one W2VError (see word2vec_reader.py).
    Used by the command line, through WordVectors.load.
    """
    return read_word2vec(path, binary)


def _checked_table(words: Sequence[str], vectors: np.ndarray) -> tuple[list[str], np.ndarray]:
    """The words and a 2-D finite float array with one row per word, or a W2VError saying what is wrong."""
    if isinstance(words, (str, bytes)) or not isinstance(words, Sequence):
        raise W2VError(f"words must be a list of strings; got {type(words).__name__}")
    words = list(words)
    vectors = np.asarray(vectors)
    if vectors.ndim != 2 or vectors.dtype.kind not in "biuf" or len(words) != len(vectors) or not vectors.shape[1]:
        raise W2VError(f"vectors must be a 2-D array of numbers with one row per word ({len(words)} words); "
                       f"got {vectors.dtype} of shape {vectors.shape}")
    if not np.isfinite(vectors).all():
        raise W2VError("vectors contain NaN or infinity, which a word2vec file cannot hold; retrain or fix them")
    seen = set()
    for w in words:
        if not isinstance(w, str) or not w or w.split() != [w]:
            raise W2VError(
                f"word {w!r} is not a non-empty string without whitespace, which the word2vec format needs; "
                "join multi-word tokens with '_' before saving"
            )
        if w in seen:
            raise W2VError(f"word {w!r} appears more than once; a word2vec file holds one vector per word")
        seen.add(w)
    return words, vectors

def _write_text(f: BinaryIO, words: list[str], vectors: np.ndarray) -> None:
    row_fmt = " ".join(["%.6g"] * vectors.shape[1])  # ~6 significant digits, like word2vec's %lf
    for word, row in zip(words, vectors, strict=True):
        f.write(f"{word} {row_fmt % tuple(row.tolist())}\n".encode())


def _write_binary(f: BinaryIO, words: list[str], vectors: np.ndarray) -> None:
    little = vectors.astype("<f4", copy=False)
    for word, row in zip(words, little, strict=True):
        f.write(word.encode("utf-8") + b" " + row.tobytes() + b"\n")


# ----- TensorBoard Embedding Projector -------------------------------------------------------
def export_projector(
    wv: WordVectors, out_dir: str | os.PathLike, limit: int | None = None
) -> tuple[Path, Path]:
    """Write vectors.tsv and metadata.tsv for the first `limit` words (all if None) into `out_dir`.

    Rows are in the order of `wv` (most frequent first for word2vec files), so `limit` keeps the
    most frequent words. Each file is written to a temporary name and renamed only when both are
    complete, so a failure never leaves a half-written file. Returns (vectors_path, metadata_path).
    Used in bonus notebook 07b to look at the vectors in the projector.
    """
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, numbers.Integral) or limit < 1):
        raise W2VError(f"limit must be a positive number of words or None; got {limit!r}")
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
