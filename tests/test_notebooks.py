"""Notebooks as code: each is paired with a jupytext .py, committed executed, free of machine paths."""

import json
import re
from pathlib import Path

import jupytext
import pytest

from w2v_helpers.course import layout

FOLDER = Path(__file__).resolve().parent.parent / "notebooks"
CHAPTERS, BONUS, SOLUTIONS = layout.chapters(FOLDER), layout.bonus(FOLDER), layout.solutions(FOLDER)
NOTEBOOKS = CHAPTERS + BONUS + SOLUTIONS
MAIN_LINES = 450  # a main chapter reads in an evening: at most this many lines of .py, exercises included
MACHINE_PATH = re.compile(r"(/(work|tmp|root|home|Users)/[A-Za-z]|[A-Z]:\\\\)")
TIMESTAMP = re.compile(r"\b20\d\d-\d\d-\d\d[ T]\d\d:\d\d")


def test_the_two_tracks_exist():
    ids = [layout.notebook_id(p) for p in CHAPTERS]
    assert len(ids) >= 11 and ids == [f"{n:02d}" for n in range(len(ids))], "chapters numbered 00, 01, ... in order"
    assert len(BONUS) >= 6 and all(layout.notebook_id(p)[:2] in ids for p in BONUS), "each bonus beside a chapter"


@pytest.mark.parametrize("nb_path", CHAPTERS, ids=lambda p: p.stem)
def test_a_main_chapter_fits_an_evening(nb_path):
    lines = len(nb_path.with_suffix(".py").read_text(encoding="utf-8").splitlines())
    assert lines <= MAIN_LINES, f"{nb_path.stem} has {lines} lines; move engineering or deep dives to a bonus notebook"


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


@pytest.mark.parametrize("nb_path", CHAPTERS + [p for p in BONUS if '"exercise": ' in p.read_text()],
                         ids=lambda p: p.stem)
def test_has_intro_and_exercises(nb_path):
    nb = json.loads(nb_path.read_text())
    md = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
    assert md and md[0].lstrip().startswith("#"), "the notebook opens with a titled introduction"
    assert any("exercise" in m.lower() for m in md[-3:]), "the notebook ends with exercises"
