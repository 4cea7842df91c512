"""Notebooks as code: each is paired with a jupytext .py, committed executed, free of machine paths."""

import json
import re
from pathlib import Path

import jupytext
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))
MACHINE_PATH = re.compile(r"(/(work|tmp|root|home|Users)/[A-Za-z]|[A-Z]:\\\\)")
TIMESTAMP = re.compile(r"\b20\d\d-\d\d-\d\d[ T]\d\d:\d\d")


def test_the_numbered_chapters_exist():
    names = [p.stem[:2] for p in NOTEBOOKS]
    assert names[:7] == ["00", "01", "02", "03", "04", "05", "06"]


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_paired_py_file_is_in_sync(nb_path):
    py_path = nb_path.with_suffix(".py")
    assert py_path.exists(), f"{py_path.name} missing: run jupytext --sync {nb_path.name}"
    from_py = jupytext.read(py_path)
    from_nb = jupytext.read(nb_path)

    def cells(nb):
        return [(c.cell_type, c.source.strip()) for c in nb.cells]

    assert cells(from_py) == cells(from_nb), f"{nb_path.name} and {py_path.name} differ: run jupytext --sync"


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_executed_without_errors_paths_or_timestamps(nb_path):
    nb = json.loads(nb_path.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    assert code and all(c.get("execution_count") for c in code), "commit the notebook executed"
    for cell in code:
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", "".join(cell["source"])[:80]
            text = json.dumps({k: v for k, v in out.get("data", {}).items() if not k.startswith("image/")}) + \
                "".join(out.get("text", ""))
            assert not MACHINE_PATH.search(text), f"machine path in output of: {''.join(cell['source'])[:60]}"
            assert not TIMESTAMP.search(text), f"timestamp in output of: {''.join(cell['source'])[:60]}"


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_has_intro_and_exercises(nb_path):
    nb = json.loads(nb_path.read_text())
    md = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
    assert md and md[0].lstrip().startswith("#"), "the notebook opens with a titled introduction"
    assert any("exercise" in m.lower() for m in md[-3:]), "the notebook ends with exercises"
