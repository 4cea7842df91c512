"""Fetch the text8 corpus and make sure what we keep on disk is complete and intact.

Design:

* Atomic writes. Both the download and the extracted corpus are written to a `.part`
  file beside the final name and renamed only when complete (see `atomic.atomic_path`).
  An interrupted run therefore never leaves a half file that a later run would trust.
* Verification before use. The zip's size, its single member, the member's size and the
  CRC of its data (zipfile's testzip) are all checked; a zip that fails is deleted so the
  next run starts clean instead of failing the same way forever.
* Friendly failures. Network problems, short transfers and corrupt archives become a
  `W2VError` whose one-line message says what went wrong and how to go on offline.
* Testable. The URL, data folder and every expected size are parameters, so the tests
  can serve a tiny zip from a local HTTP server.
* Bounded in time. Each read has a timeout (a silent server), and the whole download a
  deadline (a server that trickles a byte now and then); SIGTERM unwinds like Ctrl-C, so the
  temporary file is removed either way.

Why not pooch: pooch would download and hash-check the zip for us, but it checks a hash only
after the whole file has arrived, has no overall deadline, and needs `requests`; the checks
above (the server's Content-Length against the known size before a byte is written, the zip's
member and CRC) and the one-line messages would still be ours. For one file, the standard
library does the job with nothing added.
"""

import http.client
import os
import shutil
import time
import zipfile
import zlib
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import urlopen

from tqdm.auto import tqdm

from .atomic import atomic_path
from .errors import W2VError
from .paths import data_dir as default_data_dir

TEXT8_URL = "http://mattmahoney.net/dc/text8.zip"
TEXT8_ZIP_BYTES = 31_344_016
TEXT8_MEMBER = "text8"
TEXT8_MEMBER_BYTES = 100_000_000

TEXT8_URL_ENV = "W2V_TEXT8_URL"
BLOCK_BYTES = 1 << 20
MIN_RATE = 20_000  # bytes/s: a download slower than this on average (after DEADLINE_BASE s) is given up
DEADLINE_BASE = 60.0
SPEED_LIMIT, SPEED_TIME = 1_000, 30.0  # as curl's --speed-limit/--speed-time: under 1 kB/s for 30 s, give up
OFFLINE_HINT = (
    f"set {TEXT8_URL_ENV} to a mirror and retry, "
    "or run offline with --corpus english (the shipped corpus), or pass a local text file with --corpus PATH"
)


def text8_url() -> str:
    """The text8 address: $W2V_TEXT8_URL when set (for mirrors), else the original site.

    Used by the command line and by load_corpus('text8'), like every function here.
    """
    return checked_url(os.environ.get(TEXT8_URL_ENV) or TEXT8_URL, TEXT8_URL_ENV)


def checked_url(url: str, source: str) -> str:
    """`url` if it is an http, https or file address, else W2VError naming `source` (where it came from).

    Used by the command line (W2V_TEXT8_URL, W2V_BENCHMARK_URL) before anything is fetched.
    """
    parts = urlsplit(url.strip()) if isinstance(url, str) else None
    if parts is None or parts.scheme not in ("http", "https", "file") or (parts.scheme != "file" and not parts.netloc):
        raise W2VError(f"{source} is {url!r}, which is not a web address; set it to an http://, https:// or "
                       "file:// address, or unset it to use the original site")
    return url.strip()


def _one_line(text: str) -> str:
    """Collapse whitespace so the CLI can print the error as a single line."""
    return " ".join(str(text).split())


def _failure_reason(exc: BaseException) -> str:
    """A short human-readable cause for a network exception."""
    if isinstance(exc, HTTPError):
        return f"HTTP {exc.code} {exc.reason}"
    if isinstance(exc, URLError):
        return _one_line(exc.reason) or type(exc.reason).__name__
    return _one_line(exc) or type(exc).__name__


class _TransferFailed(Exception):
    """The body stopped coming (timeout, reset, too slow): raised from the cause, which names it.

    Not an OSError, so atomic_path does not mistake it for a problem writing the file.
    """


def _expected_total(response: http.client.HTTPResponse, url: str, expected_bytes: int | None) -> int | None:
    """The size we insist on: expected_bytes, cross-checked against the server's Content-Length."""
    header = response.headers.get("Content-Length")
    declared = int(header) if header and header.isdigit() else None
    if expected_bytes is not None and declared is not None and declared != expected_bytes:
        raise W2VError(
            f"download of {url} failed: the server offers {declared:,} bytes but {expected_bytes:,} "
            f"were expected (wrong file or mirror?); {OFFLINE_HINT}"
        )
    return expected_bytes if expected_bytes is not None else declared


def _stream_to(response: http.client.HTTPResponse, target: Path, total: int | None, label: str,
               deadline: float) -> int:
    """Copy the body to `target` with a progress bar; return the bytes written.

    read1 returns after one receive, however little it brought, so a server that trickles a byte
    now and then cannot keep the loop waiting past `deadline` (a time.monotonic() value), nor
    below SPEED_LIMIT bytes/s for more than SPEED_TIME seconds. A body longer than `total`, the
    size expected, is cut off at once (a server that sends no Content-Length cannot fill the disk).
    """
    received = 0
    window_start, window_bytes = time.monotonic(), 0
    with open(target, "wb") as out, tqdm(total=total, unit="B", unit_scale=True, desc=label) as bar:
        while block := response.read1(BLOCK_BYTES):
            received += len(block)
            if total is not None and received > total:
                raise W2VError(f"download of {label} failed: the server sent more than the {total:,} bytes "
                               "expected (wrong file or mirror?); nothing was saved")
            out.write(block)
            bar.update(len(block))
            now, window_bytes = time.monotonic(), window_bytes + len(block)
            if now > deadline:
                raise TimeoutError(f"too slow: {received:,} bytes arrived before the deadline")
            if now - window_start >= SPEED_TIME:
                if window_bytes < SPEED_LIMIT * SPEED_TIME:
                    raise TimeoutError(f"too slow: {window_bytes:,} bytes in {now - window_start:.0f} s, under "
                                       f"{SPEED_LIMIT:,} bytes/s")
                window_start, window_bytes = now, 0
    return received


def download_file(
    url: str, dest: str | os.PathLike, expected_bytes: int | None = None, timeout: float = 60.0,
    deadline: float | None = None,
) -> Path:
    """Download `url` to `dest`; on any failure raise W2VError and leave neither `dest` nor `dest.part`.

    Used by the command line (text8 and the evaluation datasets).

    `timeout` (seconds) applies to connecting and to each read, so a stalled server fails instead
    of hanging the notebook; `deadline` (seconds) bounds the whole download, so a server that
    trickles bytes fails too. By default it allows DEADLINE_BASE seconds plus MIN_RATE bytes/s.
    """
    dest = Path(dest)
    started = time.monotonic()
    try:
        with urlopen(url, timeout=timeout) as response, atomic_path(dest) as tmp:
            total = _expected_total(response, url, expected_bytes)
            if deadline is None:
                deadline = DEADLINE_BASE + (total or 0) / MIN_RATE
            try:
                received = _stream_to(response, tmp, total, dest.name, started + deadline)
            except (OSError, http.client.HTTPException) as exc:  # the network's fault, not the disk's
                raise _TransferFailed() from exc
            if total is not None and received != total:
                raise W2VError(
                    f"download of {url} failed: received {received:,} of {total:,} bytes "
                    f"(connection dropped or wrong file); nothing was saved; retry, or {OFFLINE_HINT}"
                )
    except W2VError:
        raise
    except _TransferFailed as exc:
        raise W2VError(f"download of {url} failed: {_failure_reason(exc.__cause__)}; {OFFLINE_HINT}") from exc
    except (OSError, http.client.HTTPException, ValueError) as exc:  # refused, timeout, reset, not a URL
        raise W2VError(f"download of {url} failed: {_failure_reason(exc)}; {OFFLINE_HINT}") from exc
    return dest


def verify_text8_zip(
    path: str | os.PathLike,
    expected_zip_bytes: int | None = TEXT8_ZIP_BYTES,
    member: str = TEXT8_MEMBER,
    member_bytes: int | None = TEXT8_MEMBER_BYTES,
) -> None:
    """Raise W2VError unless `path` is the expected zip holding exactly `member`, intact (CRC checked).

    Used by the command line through ensure_text8.

    Pass None for a size to skip that check (e.g. for a mirror with a repacked zip).
    """
    path = Path(path)
    if not path.is_file():
        raise W2VError(f"{path} does not exist; download it again (ensure_text8 does this)")
    size = path.stat().st_size
    if expected_zip_bytes is not None and size != expected_zip_bytes:
        raise W2VError(
            f"{path} has {size:,} bytes, expected {expected_zip_bytes:,} (truncated or wrong file)"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if names != [member]:
                raise W2VError(f"{path} should contain exactly one file named {member!r}, found {names}")
            found = archive.getinfo(member).file_size
            if member_bytes is not None and found != member_bytes:
                raise W2VError(f"{member!r} in {path} is {found:,} bytes, expected {member_bytes:,}")
            bad = archive.testzip()
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise W2VError(f"{path} is not a readable zip file ({_one_line(exc)})") from exc
    if bad is not None:
        raise W2VError(f"{path} is corrupt: the CRC check of {bad!r} failed")


def _extract_member(zip_path: Path, member: str, target: Path) -> None:
    """Stream `member` out of the zip into `target` atomically, without holding it in memory."""
    with atomic_path(target) as tmp:
        with zipfile.ZipFile(zip_path) as archive, archive.open(member) as src, open(tmp, "wb") as dst:
            shutil.copyfileobj(src, dst, BLOCK_BYTES)


def ensure_text8(
    data_dir: str | os.PathLike | None = None,
    url: str | None = None,
    *,
    zip_bytes: int | None = TEXT8_ZIP_BYTES,
    member: str = TEXT8_MEMBER,
    member_bytes: int | None = TEXT8_MEMBER_BYTES,
    timeout: float = 60.0,
) -> Path:
    """Return the path of the extracted text8 file, downloading and verifying it only when needed.

    The zip is kept beside the extracted file so a lost `text8` can be re-extracted offline.
    Used by the command line and by load_corpus('text8') in every chapter.
    """
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    target, zip_path = folder / member, folder / (member + ".zip")
    if target.is_file() and (member_bytes is None or target.stat().st_size == member_bytes):
        return target
    expected = dict(expected_zip_bytes=zip_bytes, member=member, member_bytes=member_bytes)
    if zip_path.exists():
        try:
            verify_text8_zip(zip_path, **expected)
        except W2VError:
            zip_path.unlink()  # stale or damaged leftover: fetch a fresh copy below
    if not zip_path.exists():
        download_file(url or text8_url(), zip_path, expected_bytes=zip_bytes, timeout=timeout)
        try:
            verify_text8_zip(zip_path, **expected)
        except W2VError as exc:
            zip_path.unlink(missing_ok=True)
            message = f"the download failed verification: {exc}; it was removed, run again to retry"
            raise W2VError(message) from exc
    try:
        _extract_member(zip_path, member, target)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        zip_path.unlink(missing_ok=True)
        raise W2VError(f"extracting {member!r} from {zip_path} failed ({_one_line(exc)}); "
                       "the zip was removed, so run again to retry") from exc
    return target
