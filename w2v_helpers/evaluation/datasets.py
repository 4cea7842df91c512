"""The three evaluation datasets: where they come from, how they are found, how they are read.

Chapter 7 evaluates on them:

* questions-words.txt - Mikolov et al.'s 19,544 analogy questions in 14 sections;
* wordsim353.tsv      - 353 word pairs with human relatedness scores (Finkelstein et al.);
* simlex999.txt       - 999 word pairs with human similarity scores (Hill et al.).

The package ships the three files in `evaluation/data/` (with their sources, licences and citations in
`evaluation/data/README.md`; the analogy file xz-compressed, unpacked into the data folder on first use),
byte for byte the copies in gensim's repository (gensim/test/test_data), so
scores match published gensim numbers and evaluation needs neither gensim nor the network.
dataset_path looks in the data folder first (a copy you put or downloaded there wins), then in the package.

Each download goes through `download.download_file` (a `.part` file renamed when complete) to a
temporary name, and only a file whose sha256 matches the recorded one is renamed to its final
name; a mismatch deletes it and raises W2VError. gensim itself is never imported.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..arguments import positive, show
from ..download import OFFLINE_HINT, checked_url, download_file
from ..errors import W2VError
from ..paths import data_dir as default_data_dir

if TYPE_CHECKING:
    from ..vectors import WordVectors

DATASETS_BASE_URL = "https://raw.githubusercontent.com/piskvorky/gensim/develop/gensim/test/test_data/"
DATASETS_URL_ENV = "W2V_BENCHMARK_URL"  # a mirror folder holding the same three files
DATASET_DEADLINE = 120.0  # seconds for one file, all of it (the largest is 604 KB)


@dataclass(frozen=True)
class DatasetFile:
    """An evaluation file's name, sha256 and size in bytes. Used by the command line."""

    name: str
    sha256: str
    size: int  # bytes


# Computed from the copies in gensim 4.4's package (gensim.test.utils.datapath(name));
# tests/test_datasets.py checks them against the installed gensim.
DATASET_FILES: dict[str, DatasetFile] = {
    f.name: f
    for f in (
        DatasetFile("questions-words.txt", "8c29b3332afc46f3fb8be04cb5297bf96f39aa7131272dff57869b4485b22a36", 603_955),
        DatasetFile("wordsim353.tsv", "f92a022fc2537793a15bc3a8c162ebcd74990e033a228bb6388cb71e4c0b1e1d", 7_186),
        DatasetFile("simlex999.txt", "d5e0501971478a511430ee880bd0121e94ac701ba86d90544d83e6d2ba3db05d", 18_126),
    )
}
DATASETS = tuple(DATASET_FILES)  # the file names, analogies first
PACKAGED = Path(__file__).resolve().parent / "data"  # the copies that ship with w2v_helpers
MAX_FILE_BYTES = 64 << 20  # an evaluation file larger than this is refused (the standard ones are under 1 MB)
MAX_LINE_CHARS = 1_000     # a longer line is counted as malformed, whatever it holds


# ----- finding the files ----------------------------------------------------------------------
def find_gensim() -> Path | None:
    """gensim's package folder, located without importing gensim (find_spec only finds it); None if absent.

    Used by the command line: `evaluate` falls back to gensim's test data, `benchmark` races gensim.
    """
    try:
        spec = importlib.util.find_spec("gensim")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def dataset_path(name: str) -> Path:
    """Path of an evaluation file: the data folder first, then the copy that ships with the package.

    A packaged file kept compressed (`questions-words.txt.xz`) is unpacked into the data folder on first
    use, checked against its recorded sha256 and renamed into place, so callers always get a plain file.
    Used in Chapter 7.
    """
    if name not in DATASET_FILES:
        raise W2VError(f"unknown benchmark file {name!r}; choose from {', '.join(DATASETS)}")
    local = default_data_dir() / name
    if local.is_file():
        return local
    packaged = PACKAGED / name
    if packaged.is_file():
        return packaged
    if packaged.with_name(name + ".xz").is_file():
        return _unpack(packaged.with_name(name + ".xz"), local, DATASET_FILES[name])
    raise W2VError(
        f"benchmark file {name!r} not found; looked in {local} and in the package ({packaged}). "
        f"Reinstall w2v_helpers (pip install -e . from the checkout), or run `python -m w2v_helpers "
        f"download-benchmarks` (it downloads {', '.join(DATASETS)} into {default_data_dir()})"
    )


def _unpack(packed: Path, dest: Path, spec: DatasetFile) -> Path:
    """Decompress a packaged .xz copy to `dest` through a unique temporary file, verified before the rename."""
    import lzma
    import tempfile

    try:
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
    except OSError as exc:
        raise W2VError(f"cannot unpack {packed.name} into {dest.parent}: {exc.strerror or exc}; set W2V_DATA_DIR "
                       "to a writable folder") from None
    try:
        with os.fdopen(fd, "wb") as out, lzma.open(packed) as src:
            out.write(src.read(spec.size + 1))
        if sha256_of(tmp) != spec.sha256:
            raise W2VError(f"the packaged {packed.name} is damaged (its sha256 is not the recorded one); reinstall "
                           "w2v_helpers, or run `python -m w2v_helpers download-benchmarks`")
        os.replace(tmp, dest)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return dest


# ----- reading them ---------------------------------------------------------------------------
def read_lines(source: str | os.PathLike | Iterable[str]) -> tuple[str, Iterable[str]]:
    """A label for messages, and the lines of a UTF-8 file path or of an iterable of strings.

    A file that is not a regular file, larger than MAX_FILE_BYTES (the standard files are under 1 MB)
    or not UTF-8 text is refused with W2VError. Used by the command line (`evaluate`) to read
    questions and word pairs.
    """
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            what = "no such file" if not path.exists() else "not a regular file (a folder, a pipe or a device)"
            raise W2VError(f"{path}: {what}; see dataset_path() for where evaluation files come from")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise W2VError(f"{path} holds {size:,} bytes, more than the {MAX_FILE_BYTES:,} an evaluation file "
                           "may have (the standard ones are under 1 MB); check that it is the right file")
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise W2VError(f"{path} is not UTF-8 text (byte {exc.start:,} cannot be decoded); save it as UTF-8 "
                           "(evaluation files are UTF-8, as gensim reads them)") from None
        if "\0" in text:
            raise W2VError(f"{path} holds NUL bytes, so it is not a text file; pass a questions or pairs file")
        return str(path), text.splitlines(keepends=True)
    if source is None or isinstance(source, (bytes, bytearray)) or not isinstance(source, Iterable):
        raise W2VError(f"expected the path of an evaluation file or a list of its lines; got {show(source)}")
    return "<lines>", _checked_lines(source)


def _checked_lines(lines: Iterable) -> Iterator[str]:
    for line_no, line in enumerate(lines, start=1):
        if not isinstance(line, str):
            raise W2VError(f"line {line_no} of the given lines is {show(line)}, not a string")
        yield line


def vocabulary_keys(
    wv: WordVectors, restrict_vocab: int | None, case_insensitive: bool
) -> tuple[dict[str, int], list[str]]:
    """Keys allowed in questions -> row, and the key of every candidate row.

    As in gensim: only the first `restrict_vocab` words count; with case_insensitive the keys are
    upper-cased and the first (most frequent) of several case variants supplies the vector.
    Used by the command line (`evaluate`).
    """
    from ..vectors import WordVectors  # imported here: vectors.py is the heavier module

    if not isinstance(wv, WordVectors):
        raise W2VError(f"the vectors to evaluate must be a WordVectors (WordVectors.load(path)); got {show(wv)}")
    if restrict_vocab is not None:
        restrict_vocab = positive(restrict_vocab, "restrict_vocab", "how many of the most frequent words count")
    if not isinstance(case_insensitive, (bool, np.bool_)):
        raise W2VError(f"case_insensitive must be True or False; got {show(case_insensitive)}")
    words = wv.words[:restrict_vocab]
    keys = [w.upper() for w in words] if case_insensitive else list(words)
    ok: dict[str, int] = {}
    for i, key in enumerate(keys):
        ok.setdefault(key, i)
    return ok, keys


# ----- downloading them -----------------------------------------------------------------------
def datasets_base_url() -> str:
    """Where the files are fetched from: $W2V_BENCHMARK_URL (a mirror folder) when set, else gensim's repository.

    Used by the command line (`download-benchmarks`).
    """
    url = checked_url(os.environ.get(DATASETS_URL_ENV) or DATASETS_BASE_URL, DATASETS_URL_ENV)
    return url if url.endswith("/") else url + "/"


def sha256_of(path: str | os.PathLike) -> str:
    """Hex sha256 of a file, read in 1 MB blocks. Used by the command line (`download-benchmarks`)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _hint(folder: Path) -> str:
    return (
        f"set {DATASETS_URL_ENV} to a mirror folder and retry, or `pip install gensim` (it ships these files), "
        f"or copy them into {folder}"
    )


def fetch_verified(
    url: str, dest: str | os.PathLike, sha256: str, expected_bytes: int | None = None, timeout: float = 60.0
) -> Path:
    """Download `url` to `dest` only if its sha256 equals `sha256`; otherwise raise W2VError.

    The download lands under a temporary name beside `dest` and is renamed after the check, so
    `dest` only ever holds verified content (an older file there is left alone on failure).
    Used by the command line (`download-benchmarks`).
    """
    dest = Path(dest)
    tmp = dest.with_name(dest.name + ".unverified")
    try:
        try:
            download_file(url, tmp, expected_bytes=expected_bytes, timeout=timeout, deadline=DATASET_DEADLINE)
        except W2VError as exc:  # download_file's advice is about text8; give ours instead
            raise W2VError(str(exc).replace(OFFLINE_HINT, _hint(dest.parent))) from exc
        found = sha256_of(tmp)
        if found != sha256.lower():
            raise W2VError(
                f"download of {url} failed verification: sha256 {found[:16]}... instead of "
                f"{sha256[:16]}... (changed upstream or a wrong mirror); nothing was saved"
            )
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    return dest


def download_dataset(
    name: str, data_dir: str | os.PathLike | None = None, base_url: str | None = None, timeout: float = 60.0
) -> tuple[Path, bool]:
    """Make sure the data folder holds a verified copy of dataset `name`; returns (path, downloaded).

    A file already there with the right checksum is kept (downloaded=False); a missing or
    different one is (re)downloaded from `base_url` (default: datasets_base_url()).
    Used by the command line (`download-benchmarks`).
    """
    if name not in DATASET_FILES:
        raise W2VError(f"unknown benchmark file {name!r}; choose from {', '.join(DATASET_FILES)}")
    spec = DATASET_FILES[name]
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    dest = folder / name
    if dest.is_file() and sha256_of(dest) == spec.sha256:
        return dest, False
    base = checked_url(base_url, "base_url") if base_url else datasets_base_url()
    url = (base if base.endswith("/") else base + "/") + name
    return fetch_verified(url, dest, spec.sha256, spec.size, timeout), True


def download_datasets(
    data_dir: str | os.PathLike | None = None, base_url: str | None = None, timeout: float = 60.0
) -> list[tuple[Path, bool]]:
    """download_dataset for every file in DATASET_FILES, in order; stops at the first failure.

    Used by the command line (`download-benchmarks`).
    """
    return [download_dataset(name, data_dir, base_url, timeout) for name in DATASET_FILES]
