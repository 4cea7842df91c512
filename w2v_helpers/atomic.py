"""Write files so that a crash, a signal or a second run never leaves a half-written file under the final name.

Every write goes to a temporary file of its own, made by tempfile.mkstemp in the target's folder
(so two runs writing the same target never share one), and is renamed over the target with
os.replace only when complete. os.replace is atomic on POSIX and Windows when both names are on
one file system, which is why the temporary file lives in the same folder.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import W2VError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_path(final: str | os.PathLike) -> Iterator[Path]:
    """Yield a fresh temporary path beside `final`; rename it to `final` only if the block succeeds.

    On any exception (and on SIGTERM once `exit_on_sigterm` is installed) the temporary file is
    removed and `final` keeps its old content. WordVectors.save and the trainer's checkpoints write
    through it; bonus notebook 05b shows a checkpoint surviving a crash in mid-write.

    A symbolic link is written through: the file it points to gets the new content, and the link stays.
    """
    final = writable_target(final)
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=final.parent, prefix=f"{final.name}.", suffix=".part")
    except OSError as exc:
        raise W2VError(f"cannot write {final}: {exc.strerror or exc}; choose a writable folder") from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; give it the usual permissions
        os.replace(tmp, final)
    except OSError as exc:
        raise W2VError(f"cannot write {final}: {exc.strerror or exc}; check the folder and the free space") from exc
    finally:
        tmp.unlink(missing_ok=True)


def writable_target(path: str | os.PathLike) -> Path:
    """The file that writing `path` replaces: `path`, or where its symbolic link points; W2VError if none can be.

    A folder, a link that loops, and something that is not a file (a FIFO, a device such as /dev/null, a
    socket) are refused: renaming a new file over them would remove them. Used by the command line.
    """
    path = Path(path)
    if path.is_symlink():
        try:
            os.stat(path)
        except FileNotFoundError:   # a link to a file yet to be written: write it there
            pass
        except OSError as exc:
            raise W2VError(f"{path} is a symbolic link that cannot be followed ({exc.strerror or exc}); "
                           "give another file name") from None
        path = Path(os.path.realpath(path))
    if path.is_dir():
        raise W2VError(f"{path} is a directory; give a file name to write to")
    if path.exists() and not path.is_file():
        kind = "a FIFO" if path.is_fifo() else "a device" if path.is_char_device() or path.is_block_device() \
            else "a socket" if path.is_socket() else "not a regular file"
        raise W2VError(f"{path} is {kind}, not a file; writing it would replace it, so give the name of a file")
    return path


def exit_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit in the main thread, so `finally` blocks remove temporary files.

    Used by the command line, whose runs are the ones stopped with kill or a job scheduler.
    """
    def stop(signum, frame):
        sys.exit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
