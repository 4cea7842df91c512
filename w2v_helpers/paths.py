"""Where downloads and other generated files go."""

import os
from pathlib import Path


def data_dir() -> Path:
    """The folder that holds downloads: $W2V_DATA_DIR, else the checkout's data/, else ~/.cache/w2v_helpers."""
    env = os.environ.get("W2V_DATA_DIR")
    if env:
        path = Path(env).expanduser()
    else:
        checkout = Path(__file__).resolve().parent.parent
        if (checkout / "pyproject.toml").exists():
            path = checkout / "data"
        else:
            path = Path.home() / ".cache" / "w2v_helpers"
    path.mkdir(parents=True, exist_ok=True)
    return path
