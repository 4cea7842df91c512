"""Colab and Binder: the setup cell each notebook opens with, and the badges that launch them.

The repository's address is kept in one place, `[project.urls] Repository` in pyproject.toml.
`tools/make_badges.py` writes it into the README's badge table, each notebook's badge line and
each notebook's setup cell; tests/test_colab.py checks that they all agree with pyproject.toml.

The setup cell cannot import this module on Colab (the package is not installed yet), so it is
self-contained: only when `google.colab` is loaded does it pip-install the package from the
repository and then call `setup()`. Anywhere else it does nothing and prints nothing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote

from ..errors import W2VError
from ..paths import repo_root

BRANCH = "main"  # the branch the badges open
COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"
BINDER_BADGE = "https://mybinder.org/badge_logo.svg"
SETUP_FIRST_LINE = "# Colab setup: on Google Colab this installs the course package and reports the GPU;"

SETUP_CELL = '''\
{first_line}
# anywhere else (Jupyter, Binder, the tests) it does nothing.
import sys

IN_COLAB = "google.colab" in sys.modules
if IN_COLAB:
    import subprocess

    REPOSITORY = "{url}"  # from pyproject.toml
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", f"git+{{REPOSITORY}}"], check=True)
    from w2v_helpers.course.colab import setup

    setup()'''


def repository_url(pyproject: str | os.PathLike | None = None) -> str:
    """The GitHub address in pyproject.toml's [project.urls] Repository, without a trailing / or .git."""
    if pyproject:
        path = Path(pyproject)
    else:
        root = repo_root()
        if root is None:
            raise W2VError("this w2v_helpers is an installed copy, not a checkout of the repository: "
                           "badges are made from a checkout's pyproject.toml")
        path = root / "pyproject.toml"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise W2VError(f"{path} not found: badges are made from a checkout of the repository") from None
    try:
        import tomllib  # Python 3.11+
    except ModuleNotFoundError:  # Python 3.10: the one line we need
        m = re.search(r"^\[project\.urls\][^\[]*?^Repository\s*=\s*\"([^\"]*)\"", text, re.M | re.S)
        url = m[1] if m else None
    else:
        url = tomllib.loads(text).get("project", {}).get("urls", {}).get("Repository")
    if not url:
        raise W2VError(f"{path} has no [project.urls] Repository entry")
    url = url.rstrip("/").removesuffix(".git")
    github_repo(url)  # validate
    return url


def github_repo(url: str) -> str:
    """'owner/name' from https://github.com/owner/name."""
    m = re.fullmatch(r"https://github\.com/([\w.-]+)/([\w.-]+)", url)
    if not m:
        raise W2VError(f"{url!r} is not a https://github.com/OWNER/NAME address; Colab and Binder need one")
    return f"{m[1]}/{m[2]}"


def colab_url(url: str, notebook: str) -> str:
    """Opens notebooks/<notebook> of the repository in Colab."""
    return f"https://colab.research.google.com/github/{github_repo(url)}/blob/{BRANCH}/notebooks/{notebook}"


def binder_url(url: str, notebook: str | None = None) -> str:
    """Builds the repository on mybinder.org and opens notebooks/<notebook> in JupyterLab (or the file list)."""
    base = f"https://mybinder.org/v2/gh/{github_repo(url)}/{BRANCH}"
    return f"{base}?labpath={quote(f'notebooks/{notebook}', safe='')}" if notebook else base


def badge_line(url: str, notebook: str) -> str:
    """The markdown line under each notebook's title: an Open in Colab and a Binder badge."""
    return (f"[![Open In Colab]({COLAB_BADGE})]({colab_url(url, notebook)}) "
            f"[![Binder]({BINDER_BADGE})]({binder_url(url, notebook)})")


def setup_cell_source(url: str) -> str:
    """The first code cell of every notebook."""
    return SETUP_CELL.format(first_line=SETUP_FIRST_LINE, url=url)


def setup() -> str:
    """Run by the setup cell on Colab, after the install: report the device and put it in W2V_DEVICE.

    Returns "cuda" when the runtime has a GPU, else "cpu". TrainConfig's default device reads
    W2V_DEVICE, so the notebooks then train on the GPU without further changes.
    """
    import torch

    from .. import __version__

    if torch.cuda.is_available():
        device, what = "cuda", f"GPU found: {torch.cuda.get_device_name(0)}"
    else:
        device, what = "cpu", "no GPU in this runtime (Runtime > Change runtime type picks one)"
    os.environ["W2V_DEVICE"] = device
    print(f"w2v_helpers {__version__} is installed; {what}; W2V_DEVICE={device}")
    print(f"corpus: W2V_CORPUS={os.environ.get('W2V_CORPUS') or 'english'} (the English corpus that ships with "
          "the package); run %env W2V_CORPUS=text8 before the corpus is loaded to train on text8")
    return device
