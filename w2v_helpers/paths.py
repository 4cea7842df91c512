"""Where things are: the checkout the package runs from, and the folder for downloads."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import W2VError

PACKAGE_DIR = Path(__file__).resolve().parent


def repo_root() -> Path | None:
    """The checkout holding this package (the folder with pyproject.toml), or None for an installed copy.

    Used by the command line and the course tools to find the notebooks and pyproject.toml.
    """
    root = PACKAGE_DIR.parent
    return root if (root / "pyproject.toml").exists() else None


def data_dir() -> Path:
    """The folder that holds downloads: $W2V_DATA_DIR, else the checkout's data/, else ~/.cache/w2v_helpers.

    Chapters 5 and 6 write their files there.
    """
    env = os.environ.get("W2V_DATA_DIR")
    if env:
        try:
            path = Path(env).expanduser()
        except RuntimeError:  # ~name of a user this system does not have
            raise W2VError(f"W2V_DATA_DIR is {env!r}, but {env.split('/')[0]} names no user here; set it to a "
                           "folder path") from None
    else:
        root = repo_root()
        path = root / "data" if root else Path.home() / ".cache" / "w2v_helpers"
    if path.exists() and not path.is_dir():
        raise W2VError(f"the data folder {path} is a file; point W2V_DATA_DIR at a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise W2VError(f"cannot create the data folder {path}: {exc.strerror or exc}; set W2V_DATA_DIR "
                       "to a writable folder") from None
    return path
