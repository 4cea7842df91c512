"""Colab: badges and setup cells agree with pyproject.toml's repository URL, and the setup cell does
nothing off Colab."""

import contextlib
import io
import os
import re
import subprocess
import sys
import types
from pathlib import Path
from unittest import mock

import nbformat
import pytest

from w2v_helpers.course import colab, layout
from w2v_helpers.errors import W2VError

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = layout.course(ROOT / "notebooks") + layout.solutions(ROOT / "notebooks")  # chapters, bonus, solutions
URL = colab.repository_url(ROOT / "pyproject.toml")
OWNER_REPO = colab.github_repo(URL)
COLAB_LINK = re.compile(r"\]\((https://colab\.research\.google\.com/github/([^/]+/[^/]+)/blob/([^/]+)/notebooks/([^)\s]+))\)")
BINDER_LINK = re.compile(r"\]\((https://mybinder\.org/v2/gh/([^/]+/[^/]+)/([^?)\s]+)\?labpath=notebooks%2F([^)\s]+))\)")


def test_pyproject_holds_the_repository_url():
    assert URL == "https://github.com/word2vec-from-scratch/word2vec-from-scratch"
    assert OWNER_REPO == "word2vec-from-scratch/word2vec-from-scratch"


def test_a_url_that_is_not_github_is_refused(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project.urls]\nRepository = "https://gitlab.com/a/b"\n')
    with pytest.raises(W2VError, match="github.com"):
        colab.repository_url(tmp_path / "pyproject.toml")


def _notebook(path: Path):
    return nbformat.read(path, as_version=4)


def _name(path: Path) -> str:
    """The notebook's path inside notebooks/, as its badges name it."""
    return path.relative_to(ROOT / "notebooks").as_posix()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_badges_point_at_this_notebook_in_the_pyproject_repository(path):
    first = _notebook(path).cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# ")
    colab_links, binder_links = COLAB_LINK.findall(first.source), BINDER_LINK.findall(first.source)
    assert len(colab_links) == 1 and len(binder_links) == 1, "one Colab and one Binder badge under the title"
    (_, repo, branch, name), = colab_links
    assert (repo, branch, name) == (OWNER_REPO, colab.BRANCH, _name(path))
    (_, repo, branch, name), = binder_links
    assert (repo, branch, name.replace("%2F", "/")) == (OWNER_REPO, colab.BRANCH, _name(path))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_first_code_cell_is_the_setup_cell_with_the_pyproject_url(path):
    setup = next(c for c in _notebook(path).cells if c.cell_type == "code")
    assert setup.source == colab.setup_cell_source(URL)
    assert f'REPOSITORY = "{URL}"' in setup.source
    assert setup.get("outputs") == []  # off Colab it prints nothing


def test_readme_and_notebooks_are_up_to_date_with_pyproject():
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "make_badges.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    readme = (ROOT / "README.md").read_text()
    for path in layout.course(ROOT / "notebooks"):
        assert colab.colab_url(URL, _name(path)) in readme and colab.binder_url(URL, _name(path)) in readme


@contextlib.contextmanager
def no_colab():
    saved = sys.modules.pop("google.colab", None)
    try:
        yield
    finally:
        if saved is not None:
            sys.modules["google.colab"] = saved


def _forbidden(*args, **kwargs):
    raise AssertionError(f"the setup cell ran a command off Colab: {args}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_setup_cell_is_a_no_op_off_colab(path):
    source = next(c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code").source
    out, err, namespace = io.StringIO(), io.StringIO(), {}
    with no_colab(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
            mock.patch("subprocess.run", _forbidden), mock.patch("subprocess.check_call", _forbidden), \
            mock.patch("subprocess.Popen", _forbidden), mock.patch("os.system", _forbidden), \
            mock.patch.object(colab, "setup", _forbidden):
        exec(compile(source, path.name, "exec"), namespace)
    assert namespace["IN_COLAB"] is False
    assert out.getvalue() == "" and err.getvalue() == ""


def test_setup_cell_on_colab_installs_from_the_pyproject_url_then_calls_setup():
    calls = []
    fake_google = types.ModuleType("google")
    fake_colab = types.ModuleType("google.colab")
    with mock.patch.dict(sys.modules, {"google": fake_google, "google.colab": fake_colab}), \
            mock.patch("subprocess.run", lambda cmd, check: calls.append(cmd)), \
            mock.patch.object(colab, "setup", lambda: calls.append("setup()")):
        exec(compile(colab.setup_cell_source(URL), "setup", "exec"), {})
    assert calls == [[sys.executable, "-m", "pip", "install", "--quiet", f"git+{URL}"], "setup()"]


@pytest.mark.parametrize("gpu", [True, False])
def test_setup_reports_the_device(gpu, monkeypatch, capsys):
    monkeypatch.setenv("W2V_DEVICE", "")    # recorded first, so the value setup() writes is undone afterwards
    monkeypatch.delenv("W2V_DEVICE")
    monkeypatch.setattr("torch.cuda.is_available", lambda: gpu)
    monkeypatch.setattr("torch.cuda.get_device_name", lambda i=0: "Tesla T4")
    device = colab.setup()
    line = capsys.readouterr().out
    assert device == ("cuda" if gpu else "cpu")
    assert ("GPU found: Tesla T4" in line) == gpu and f"W2V_DEVICE={device}" in line
    assert "W2V_CORPUS=english" in line and "%env W2V_CORPUS=text8" in line
    assert os.environ["W2V_DEVICE"] == device


def test_badge_urls():
    assert colab.colab_url(URL, "01_x.ipynb") == (
        "https://colab.research.google.com/github/word2vec-from-scratch/word2vec-from-scratch/blob/main/notebooks/01_x.ipynb")
    assert colab.binder_url(URL, "01_x.ipynb") == (
        "https://mybinder.org/v2/gh/word2vec-from-scratch/word2vec-from-scratch/main?labpath=notebooks%2F01_x.ipynb")
