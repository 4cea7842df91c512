"""Export word vectors for the TensorBoard Embedding Projector (https://projector.tensorflow.org).

The projector loads two tab-separated files: vectors.tsv, one vector per line (floats separated
by tabs, no header), and metadata.tsv, the label of each line. With a single metadata column the
projector expects no header line, so metadata.tsv is just one word per line, in the same order.
Only numpy is used, like vectors.py.
"""

from __future__ import annotations

import os
from contextlib import ExitStack
from pathlib import Path

from .atomic import atomic_path
from .errors import W2VError
from .vectors import WordVectors

VECTORS_TSV = "vectors.tsv"
METADATA_TSV = "metadata.tsv"


def export_projector(
    wv: WordVectors, out_dir: str | os.PathLike, limit: int | None = None
) -> tuple[Path, Path]:
    """Write vectors.tsv and metadata.tsv for the first `limit` words (all if None) into `out_dir`.

    Rows are in the order of `wv` (most frequent first for word2vec files), so `limit` keeps the
    most frequent words. Each file is written to a temporary name and renamed only when both are
    complete, so a failure never leaves a half-written file. Returns (vectors_path, metadata_path).
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
