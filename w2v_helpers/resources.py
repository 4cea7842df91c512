"""What the machine has room for: memory and disk, checked before a big allocation or a long run.

A run that needs more than the machine has should say so in its first second, with the number,
instead of being killed by the kernel after minutes or failing after all the work is done.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .atomic import writable_target
from .errors import W2VError


def available_memory() -> int | None:
    """Bytes of memory the system can still give (MemAvailable on Linux), or None if unknown.

    Used by the command line before it allocates tables or reads a vector file.
    """
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def human(nbytes: float) -> str:
    """1536 -> '1.5 KB': sizes in messages. Used by the command line."""
    for unit in ("bytes", "KB", "MB", "GB", "TB", "PB"):
        if abs(nbytes) < 1024 or unit == "PB":
            return f"{nbytes:.0f} {unit}" if unit == "bytes" else f"{nbytes:.1f} {unit}"
        nbytes /= 1024
    raise AssertionError("unreachable")


def require_memory(nbytes: int, what: str, fix: str) -> None:
    """Raise W2VError if `what` (needing `nbytes`) cannot fit in the memory still available.

    Used by the command line and the API before allocating; `fix` says what to change.
    """
    free = available_memory()
    if free is not None and nbytes > free:
        raise W2VError(f"{what} needs {human(nbytes)} of memory but only {human(free)} is available; {fix}")


def check_writable_file(path: str | os.PathLike, inputs: tuple[str | os.PathLike, ...] = ()) -> Path:
    """Refuse an output path that is a directory, in a folder that cannot be written, or one of the inputs.

    Used by the command line (train --out) before the corpus is read.
    """
    path = Path(path)
    if path.is_dir():
        raise W2VError(f"--out {path} is a directory; give a file name such as {path / 'vectors.vec'}")
    try:
        path = writable_target(path)   # a link is written through; a FIFO or a device is refused
    except W2VError as exc:
        raise W2VError(f"--out {exc}") from None
    for source in inputs:
        if Path(source).exists() and path.exists() and os.path.samefile(source, path):
            raise W2VError(f"--out {path} is also an input of this run; choose another file name")
    folder = path.parent
    blocking = next((p for p in [folder, *folder.parents] if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise W2VError(f"cannot write --out {path}: {blocking} is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=folder, prefix=f"{path.name}.", suffix=".probe")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise W2VError(f"cannot write --out {path}: {exc.strerror or exc}; choose a writable folder") from None
    return path


def require_disk(path: str | os.PathLike, nbytes: int, what: str) -> None:
    """Raise W2VError if the file system holding `path` has less than `nbytes` free.

    Used by the command line before training, once the size of the output is known.
    """
    folder = Path(path).parent
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return
    if nbytes > free:
        raise W2VError(f"{what} needs about {human(nbytes)} but {folder} has {human(free)} free; "
                       "free some space or write elsewhere")
