"""Download the evaluation benchmarks into the data folder, checked against recorded checksums.

The files are the copies in gensim's repository (gensim/test/test_data), so what lands in the data
folder is byte for byte what `pip install gensim` ships, and scores match published gensim numbers:

* questions-words.txt - Mikolov et al.'s 19,544 analogy questions in 14 sections;
* wordsim353.tsv      - 353 word pairs with human relatedness scores (Finkelstein et al.);
* simlex999.txt       - 999 word pairs with human similarity scores (Hill et al.).

Each download goes through `download.download_file` (a `.part` file renamed when complete) to a
temporary name, and only a file whose sha256 matches the recorded one is renamed to its final
name; a mismatch deletes it and raises W2VError. gensim itself is never imported.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from .download import OFFLINE_HINT, download_file
from .errors import W2VError
from .paths import data_dir as default_data_dir

BASE_URL = "https://raw.githubusercontent.com/piskvorky/gensim/develop/gensim/test/test_data/"
URL_ENV_VAR = "W2V_BENCHMARK_URL"  # a mirror folder holding the same three files


@dataclass(frozen=True)
class BenchmarkFile:
    name: str
    sha256: str
    size: int  # bytes


# Computed from the copies in gensim 4.4's package (gensim.test.utils.datapath(name));
# tests/test_benchmark_files.py checks them against the installed gensim.
FILES: dict[str, BenchmarkFile] = {
    f.name: f
    for f in (
        BenchmarkFile("questions-words.txt", "8c29b3332afc46f3fb8be04cb5297bf96f39aa7131272dff57869b4485b22a36", 603_955),
        BenchmarkFile("wordsim353.tsv", "f92a022fc2537793a15bc3a8c162ebcd74990e033a228bb6388cb71e4c0b1e1d", 7_186),
        BenchmarkFile("simlex999.txt", "d5e0501971478a511430ee880bd0121e94ac701ba86d90544d83e6d2ba3db05d", 18_126),
    )
}


def benchmark_base_url() -> str:
    """Where the files are fetched from: $W2V_BENCHMARK_URL (a mirror folder) when set, else gensim's repository."""
    url = os.environ.get(URL_ENV_VAR) or BASE_URL
    return url if url.endswith("/") else url + "/"


def sha256_of(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _hint(folder: Path) -> str:
    return (
        f"set {URL_ENV_VAR} to a mirror folder and retry, or `pip install gensim` (it ships these files), "
        f"or copy them into {folder}"
    )


def fetch_verified(
    url: str, dest: str | os.PathLike, sha256: str, expected_bytes: int | None = None, timeout: float = 60.0
) -> Path:
    """Download `url` to `dest` only if its sha256 equals `sha256`; otherwise raise W2VError.

    The download lands under a temporary name beside `dest` and is renamed after the check, so
    `dest` only ever holds verified content (an older file there is left alone on failure).
    """
    dest = Path(dest)
    tmp = dest.with_name(dest.name + ".unverified")
    try:
        try:
            download_file(url, tmp, expected_bytes=expected_bytes, timeout=timeout)
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


def download_benchmark(
    name: str, data_dir: str | os.PathLike | None = None, base_url: str | None = None, timeout: float = 60.0
) -> tuple[Path, bool]:
    """Make sure the data folder holds a verified copy of benchmark `name`; returns (path, downloaded).

    A file already there with the right checksum is kept (downloaded=False); a missing or
    different one is (re)downloaded from `base_url` (default: benchmark_base_url()).
    """
    if name not in FILES:
        raise W2VError(f"unknown benchmark file {name!r}; choose from {', '.join(FILES)}")
    spec = FILES[name]
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    dest = folder / name
    if dest.is_file() and sha256_of(dest) == spec.sha256:
        return dest, False
    base = base_url or benchmark_base_url()
    url = (base if base.endswith("/") else base + "/") + name
    return fetch_verified(url, dest, spec.sha256, spec.size, timeout), True


def download_benchmarks(
    data_dir: str | os.PathLike | None = None, base_url: str | None = None, timeout: float = 60.0
) -> list[tuple[Path, bool]]:
    """download_benchmark for every file in FILES, in order; stops at the first failure."""
    return [download_benchmark(name, data_dir, base_url, timeout) for name in FILES]
