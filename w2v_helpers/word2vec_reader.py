"""Reading word2vec text (.vec) and binary (.bin) files without trusting them.

formats.load_word2vec calls read_word2vec. Every problem a damaged, truncated or mislabelled
file can have becomes one W2VError naming the file, the line (text) or word (binary), and the fix.

The header 'vocab_size dim' is checked against the file's size before anything is allocated,
and the memory the vectors need (vocab_size x dim x 4 bytes) against what the machine has.
The format is told from the content: the file is text when its first entry reads as a word
followed by numbers, and binary only when the whole file parses as vocab_size binary entries of
dim float32 values with nothing left over. A 1-D file whose float bytes all happen to spell ASCII
digits is ambiguous; pass binary=True for such files.
"""

from __future__ import annotations

import mmap
import os
import re
import stat
from pathlib import Path
from typing import BinaryIO

import numpy as np

from .errors import W2VError
from .resources import human, require_memory

_HEADER = re.compile(rb"[ \t]*(\d+)[ \t]+(\d+)[ \t]*\r?\n?")
_MAX_WORD_BYTES = 1000  # longest binary word searched for its closing space
_CHUNK = 1 << 16


def read_word2vec(path: str | os.PathLike, binary: bool | None = None) -> tuple[list[str], np.ndarray]:
    """(words, vectors) of a word2vec file; binary=None tells text and binary apart from the content.

    Used by the command line, through formats.load_word2vec and WordVectors.load.
    """
    if binary not in (None, True, False):
        raise W2VError(f"binary must be True, False or None (tell from the content); got {binary!r}")
    if not isinstance(path, (str, os.PathLike)):
        raise W2VError(f"the path of a vector file must be a str or Path; got {type(path).__name__}")
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise W2VError(f"{path}: no such file; check the path, or train and save vectors first") from None
    except OSError as exc:
        raise W2VError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise W2VError(f"{path} is a directory; pass a .vec or .bin file inside it")
    if not stat.S_ISREG(info.st_mode):
        raise W2VError(f"{path} is not a regular file; pass a .vec or .bin file")
    if info.st_size == 0:
        raise W2VError(f"{path} is empty; save the vectors again (a word2vec file starts with 'vocab_size dim')")
    try:
        with open(path, "rb") as f:
            return _read(f, path, info.st_size, binary)
    except OSError as exc:
        raise W2VError(f"{path}: cannot read it: {exc.strerror or exc}") from None


def _read(f: BinaryIO, path: Path, size: int, binary: bool | None) -> tuple[list[str], np.ndarray]:
    n, d = _read_header(f, path)
    body = size - f.tell()
    text_min = n * (2 * d + 2) - 1 if n else 0  # 'w 1 2 3' lines: 1 + 2*dim bytes and a newline between
    binary_min = n * (4 * d + 2)  # a word of at least one byte, a space and dim float32 values
    need = binary_min if binary else text_min
    if body < need:
        lines = n if binary else _count_lines(f)
        if binary or lines < n:
            where = "" if binary else f"line {lines + 2}: the file ends after {_plural(lines, 'line')}: "
            raise W2VError(
                f"{path}: {where}the header promises {_plural(n, 'word')} of dimension {d:,}, which take at "
                f"least {human(need)}, but the file has only {human(body)} after the header; it is truncated "
                "or the header is wrong"
            )
        _read_text(f, path, n, d, store=False)  # enough lines, so one is too short: name it, allocating nothing
    require_memory(n * d * 4, f"{path}: {n:,} vectors of dimension {d:,}",
                   "use a smaller vector file or a machine with more memory")
    start = f.tell()
    if binary is False or (binary is None and (body < binary_min or _first_line_is_text(f, d))):
        return _read_text(f, path, n, d)
    try:
        return _read_binary(f, path, n, d)
    except W2VError:
        if binary:
            raise
        f.seek(start)
        if not _first_line_is_utf8(f, d):
            raise
    f.seek(start)
    return _read_text(f, path, n, d)  # neither parses: report it as a text file, whose line 2 is bad


def _count_lines(f: BinaryIO) -> int:
    """Lines from here to the end of the file (a last line without a newline counts), leaving f where it was."""
    start, lines, last = f.tell(), 0, b"\n"
    while chunk := f.read(_CHUNK):
        lines, last = lines + chunk.count(b"\n"), chunk[-1:]
    f.seek(start)
    return lines + (last != b"\n")


def _read_header(f: BinaryIO, path: Path) -> tuple[int, int]:
    header = f.readline(200)
    match = _HEADER.fullmatch(header.removeprefix(b"\xef\xbb\xbf"))  # a UTF-8 byte-order mark is harmless
    if match is None:
        raise W2VError(
            f"{path}: line 1: expected a header of two whole numbers 'vocab_size dim' such as '3000 100', found "
            f"{header[:60]!r}; is this a word2vec .vec/.bin file?"
        )
    n, d = int(match[1]), int(match[2])
    if d < 1:
        raise W2VError(f"{path}: line 1: the header's dimension is 0; it must be at least 1 (the file is damaged)")
    if d > 1 << 24:
        raise W2VError(f"{path}: line 1: the header's dimension {d:,} is not plausible; the file is damaged")
    return n, d


def _max_line(d: int) -> int:
    return 10_000 + 100 * d  # a long word and dim numbers of up to 100 characters each


def _first_line_is_utf8(f: BinaryIO, d: int) -> bool:
    start = f.tell()
    line = f.readline(_max_line(d))
    f.seek(start)
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in line


def _first_line_is_text(f: BinaryIO, d: int) -> bool:
    """Whether the first entry reads as a text line: a word, then only numbers (how many is checked later)."""
    start = f.tell()
    line = f.readline(_max_line(d))
    at_end = not f.read(1)
    f.seek(start)
    if not line or not (line.endswith(b"\n") or at_end):
        return False
    try:
        numbers = line.decode("utf-8").partition(" ")[2].split()
        np.array(numbers, dtype=np.float64)
    except (UnicodeDecodeError, ValueError, OverflowError):
        return False
    return bool(numbers)


def _allocate(path: Path, n: int, d: int) -> np.ndarray:
    try:
        return np.empty((n, d), dtype=np.float32)
    except (MemoryError, ValueError):
        raise W2VError(f"{path}: {n:,} vectors of dimension {d:,} do not fit in memory; use a smaller file") from None


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'s' * (count != 1)}"


def _read_text(f: BinaryIO, path: Path, n: int, d: int, store: bool = True) -> tuple[list[str], np.ndarray]:
    """The n lines after the header; store=False only checks them (for a file too short to be valid)."""
    words: list[str] = []
    seen: dict[str, int] = {}
    vectors, limit = _allocate(path, n if store else 0, d), _max_line(d)
    for i in range(n):
        line_no, line = i + 2, f.readline(limit)
        where = f"{path}: line {line_no}"
        if not line:
            raise W2VError(
                f"{where}: the file ends after {i:,} of the {_plural(n, 'word')} its header promises; it is "
                "truncated, save it again"
            )
        if len(line) == limit and not line.endswith(b"\n"):
            raise W2VError(f"{where}: longer than {human(limit)}, too long for a word and {d} numbers; "
                           "the header's dimension is wrong or this is not a .vec file")
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise W2VError(f"{where}: byte {exc.start + 1} is not valid UTF-8 text; save the file as UTF-8") from None
        word, _, rest = text.rstrip("\r\n").partition(" ")
        numbers = rest.split()
        if not word or word.split() != [word]:
            raise W2VError(f"{where}: expected a word, a space and {d} numbers; found {text[:40]!r} "
                           "(an empty word, or a tab instead of a space?)")
        if len(numbers) != d:
            raise W2VError(f"{where}: expected {_plural(d, 'number')} after the word {word[:40]!r} (the header's "
                           f"dimension), found {_plural(len(numbers), 'value')}; the header or this line is wrong")
        try:
            with np.errstate(over="ignore"):
                row = np.array(numbers, dtype=np.float32)
            if store:
                vectors[i] = row
        except (ValueError, OverflowError):
            bad = next(x for x in numbers if not _is_number(x))
            raise W2VError(f"{where}: {bad[:40]!r} is not a number (in the vector of {word[:40]!r}); "
                           "the file is damaged") from None
        if word in seen:
            raise W2VError(f"{where}: the word {word[:40]!r} appears more than once (first on line {seen[word]}); "
                           "each word needs exactly one vector")
        seen[word] = line_no
        words.append(word)
    if not store:
        raise W2VError(f"{path}: the lines are shorter than {_plural(n, 'word')} of dimension {d:,} need; "
                       "the header is wrong")
    _check_finite(vectors, lambda i: f"{path}: line {i + 2} ({words[i][:40]!r})")
    while chunk := f.read(_CHUNK):
        if chunk.strip():
            raise W2VError(f"{path}: line {n + 2}: extra data after the {n:,} words the header promises; "
                           "the header's vocab_size is too small or two files were joined")
    return words, vectors


def _is_number(token: str) -> bool:
    try:
        np.float32(token)
    except (ValueError, OverflowError):
        return False
    return True


def _check_finite(vectors: np.ndarray, where) -> None:
    finite = np.isfinite(vectors).all(axis=1)
    if not finite.all():
        i = int(np.argmin(finite))
        raise W2VError(f"{where(i)}: the vector contains NaN or infinity (training diverged?); "
                       "retrain with a lower learning rate")


def _read_binary(f: BinaryIO, path: Path, n: int, d: int) -> tuple[list[str], np.ndarray]:
    start, size = f.tell(), 4 * d
    with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
        end, pos = len(data), start
        words: list[str] = []
        seen: dict[str, int] = {}
        vectors = _allocate(path, n, d)
        for i in range(n):
            while pos < end and data[pos] in b"\n\r":  # the newline word2vec writes after each vector
                pos += 1
            where = f"{path}: word {i + 1:,} of {n:,} (byte {pos - start:,} after the header line)"
            space = data.find(b" ", pos, min(end, pos + _MAX_WORD_BYTES + 1))
            if space < 0:
                problem = "the file ends before it" if end - pos <= _MAX_WORD_BYTES else "no word ends here"
                raise W2VError(f"{where}: {problem}; the file is truncated or damaged (binary: word, space, "
                               f"{d} float32 values)")
            raw = data[pos:space]
            if not raw or raw.split() != [raw]:
                raise W2VError(f"{where}: expected a word, a space and {d} float32 values, found {raw[:40]!r}; "
                               "the file is damaged or not a binary .bin file")
            if space + 1 + size > end:
                raise W2VError(f"{where}: the file ends inside this word's vector, {space + 1 + size - end:,} bytes "
                               "short; it is truncated, save it again")
            try:
                word = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise W2VError(f"{where}: the word {raw[:40]!r} is not valid UTF-8; the file is damaged") from None
            if word in seen:
                raise W2VError(f"{where}: the word {word[:40]!r} appears more than once (first as word "
                               f"{seen[word]:,}); each word needs exactly one vector")
            seen[word] = i + 1
            words.append(word)
            vectors[i] = np.frombuffer(data[space + 1:space + 1 + size], dtype="<f4")
            pos = space + 1 + size
        if any(data[at:at + _CHUNK].strip(b"\r\n") for at in range(pos, end, _CHUNK)):
            raise W2VError(f"{path}: extra data after the {n:,} words the header promises (byte {pos - start:,} "
                           "after the header line); the header's vocab_size is too small or the file is damaged")
    _check_finite(vectors, lambda i: f"{path}: word {i + 1:,} of {n:,} ({words[i][:40]!r})")
    return words, vectors
