"""Finding the submitted notebooks in a folder, and reading each one without trusting it.

`find_notebooks(folder)` lists every entry named *.ipynb below `folder` (links are not followed
into folders, .ipynb_checkpoints is skipped); `read_notebook(path)` returns the parsed notebook or
raises `Unreadable` with one line saying what the file is instead: a folder, a pipe, a dangling
link, empty, too large, not UTF-8, not JSON, a notebook format other than 4 (or 3, upgraded), not
a valid notebook. It never blocks on a pipe and never reads more than MAX_BYTES.
Used by the command line (`python -m w2v_helpers check-submissions`).
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

MAX_BYTES = 100 * 2**20


class Unreadable(Exception):
    """A file named like a notebook that cannot be graded; the message says why, in one line."""


def find_notebooks(folder: Path) -> list[Path]:
    """Every entry named *.ipynb under `folder`, sorted; folders reached through links are not entered."""
    found = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d != ".ipynb_checkpoints")
        found += [Path(root) / name for name in dirs + files if name.endswith(".ipynb")]
    return sorted(found)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder, not a notebook file"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO), not a notebook file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a notebook file"
    return "a device or other special file, not a notebook file"


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or Unreadable if it is not a regular file (no blocking on a pipe), is empty or too large."""
    try:
        info = os.lstat(path)
    except OSError as exc:
        raise Unreadable(f"cannot be read: {exc.strerror or exc}") from None
    if stat.S_ISLNK(info.st_mode):
        try:
            info = os.stat(path)
        except OSError:
            raise Unreadable(f"a link to {os.readlink(path)}, which does not exist") from None
    if not stat.S_ISREG(info.st_mode):
        raise Unreadable(_kind(info.st_mode))
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise Unreadable(f"cannot be read: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as f:
        mode = os.fstat(f.fileno()).st_mode
        if not stat.S_ISREG(mode):  # replaced between the two looks
            raise Unreadable(_kind(mode))
        data = f.read(MAX_BYTES + 1)
    if not data:
        raise Unreadable("an empty file, not a notebook")
    if len(data) > MAX_BYTES:
        raise Unreadable(f"larger than {MAX_BYTES // 2**20} MB; a notebook this size is not graded")
    return data


def parse_notebook(data: bytes) -> Any:
    """A notebook (nbformat 4) from the bytes of a .ipynb file, or Unreadable saying what they are instead."""
    import nbformat

    if data.startswith(b"\x89PNG"):
        raise Unreadable("a PNG image, not a notebook")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Unreadable(f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                         "Jupyter saves notebooks as UTF-8 JSON") from None
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError) as exc:
        where = f" (line {exc.lineno}, column {exc.colno}: {exc.msg})" if isinstance(exc, json.JSONDecodeError) else ""
        raise Unreadable(f"not valid JSON{where}; the file is damaged or not a notebook") from None
    if not isinstance(doc, dict) or "cells" not in doc and "worksheets" not in doc:
        raise Unreadable("JSON, but not a notebook (no cells)")
    version = doc.get("nbformat")
    if version not in (3, 4) or isinstance(version, bool):
        raise Unreadable(f"notebook format {version!r} is not one this grader reads (4, or 3 which it upgrades); "
                         "save it again from Jupyter")
    try:
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
    except Exception as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise Unreadable(f"not a valid notebook ({first[:200]}); save it again from Jupyter") from None
    return nb


def read_notebook(path: Path) -> Any:
    """The notebook at `path`, or Unreadable with one line saying why it cannot be graded."""
    return parse_notebook(read_bytes(path))
