"""Binder: binder/ holds what repo2docker needs, and the environment it describes runs a notebook.

The build test follows repo2docker's steps as far as they go offline: a copy of the repository's
files (those git would commit), a fresh virtual environment, binder/requirements.txt checked
against it with pip (dry run, no index: everything must already be satisfied; the CPU torch wheel
itself cannot be fetched offline), binder/postBuild run from the repository root, then a notebook
executed through binder/start with nbclient inside that environment. The venv sees the packages of
the interpreter running the tests (a .pth file naming its site-packages), so torch is not installed
again; `--system-site-packages` would not do, since it shows the base interpreter's packages, not
those of the virtual environment the tests may run in.
"""

import os
import re
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"
NOTEBOOK = "01_math_derivation.ipynb"


def requirement_names(path: Path) -> dict[str, str]:
    """name -> full requirement line, for every requirement (not option) line of a requirements file."""
    names = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            names[re.split(r"[<>=!~\[; ]", line, maxsplit=1)[0].lower()] = line
    return names


def test_binder_files_are_what_repo2docker_reads():
    assert os.access(BINDER / "postBuild", os.X_OK) and os.access(BINDER / "start", os.X_OK)
    assert (BINDER / "postBuild").read_text().startswith("#!/bin/bash\n")
    assert "pip install --no-cache-dir -e ." in (BINDER / "postBuild").read_text()
    assert (BINDER / "start").read_text().rstrip().endswith('exec "$@"')
    assert re.fullmatch(r"python-3\.\d+\n", (BINDER / "runtime.txt").read_text())


def test_binder_requirements_pin_the_cpu_build_of_the_tested_torch():
    binder, root = requirement_names(BINDER / "requirements.txt"), requirement_names(ROOT / "requirements.txt")
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in (BINDER / "requirements.txt").read_text()
    assert binder["torch"] == root["torch"] + "+cpu"
    runtime = set(root) - {"jupyter", "ipykernel", "nbval", "pytest"}  # Binder's image brings Jupyter itself
    assert runtime <= set(binder), f"missing from binder/requirements.txt: {sorted(runtime - set(binder))}"


def copy_repository(dest: Path) -> None:
    """The files a clone would have: tracked and untracked-but-not-ignored (the uncommitted work too)."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                                cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: cannot tell which files a clone would have")
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dest / name)


RUN_NOTEBOOK = """
import sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
nb.cells.append(nbformat.v4.new_code_cell(
    "import os, sys, w2v_helpers\\nprint(sys.prefix)\\nprint(w2v_helpers.__file__)\\nprint(os.environ['W2V_CORPUS'])"))
NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": sys.argv[3]}}).execute()
nbformat.write(nb, sys.argv[2])
"""


@pytest.mark.slow
def test_binder_environment_builds_and_runs_a_notebook(tmp_path):
    repo, venv = tmp_path / "repo", tmp_path / "venv"
    copy_repository(repo)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    inner = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                           capture_output=True, text=True, check=True).stdout.strip()
    # Plain path lines: the outer site-packages' own .pth files (an editable install of this package
    # among them) are not processed, so the venv's editable install below is the one imported.
    Path(inner, "_outer_site_packages.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("W2V_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", VIRTUAL_ENV=str(venv),
               PIP_NO_INDEX="1",              # offline: everything must come from what is installed
               PIP_NO_BUILD_ISOLATION="0",    # (sic) turns build isolation off: no setuptools download
               PIP_REQUIRE_VIRTUALENV="1")    # never touch the interpreter running the tests

    # 1. binder/requirements.txt: the dependencies are there; torch==X+cpu is checked above, since the
    #    CPU wheel cannot be fetched offline and this machine's torch may be another build of X.
    reqs = tmp_path / "requirements-without-torch.txt"
    reqs.write_text("\n".join(line for line in (repo / "binder" / "requirements.txt").read_text().splitlines()
                              if not line.startswith(("torch", "--extra-index-url"))))
    dry = subprocess.run([str(python), "-m", "pip", "install", "--dry-run", "-r", str(reqs)],
                         env=env, capture_output=True, text=True)
    assert dry.returncode == 0 and "Would install" not in dry.stdout, dry.stdout + dry.stderr

    # 2. postBuild, run as repo2docker runs it: executable, from the repository root.
    build = subprocess.run(["./binder/postBuild"], cwd=repo, env=env, capture_output=True, text=True)
    assert build.returncode == 0, build.stdout + build.stderr
    where = subprocess.run([str(python), "-c", "import w2v_helpers; print(w2v_helpers.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert Path(where) == repo / "w2v_helpers" / "__init__.py"  # the copy, installed editable in the venv

    # 3. a notebook, through binder/start (which picks the shipped English corpus), with a kernel from the venv.
    script = tmp_path / "run_notebook.py"
    script.write_text(RUN_NOTEBOOK)
    out = tmp_path / "executed.ipynb"
    run = subprocess.run([str(repo / "binder" / "start"), str(python), str(script),
                          str(repo / "notebooks" / NOTEBOOK), str(out), str(repo / "notebooks")],
                         cwd=repo, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr[-3000:]

    import nbformat
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for o in outputs)
    assert all(f"exercise 01.{k}: FAIL - not done yet" in text for k in (1, 2))  # the stubs, as a learner meets them
    assert nb.cells[-1].outputs[0].text.split() == [str(venv), str(repo / "w2v_helpers" / "__init__.py"), "english"]
