"""Student versions of the notebooks: the solutions replaced by stubs, the outputs cleared.

`make_student(out_dir)` copies every numbered notebook with its outputs cleared and, in each cell
tagged `solution`, every region between `### BEGIN SOLUTION` and `### END SOLUTION` (markers
included) replaced by `raise NotImplementedError("<hint>")`, the hint being the exercise's stub
text in `w2v_helpers.course.exercises.EXERCISES`. Solutions sit inside function bodies, so a student
notebook still runs from top to bottom: each check cell prints `exercise NN.k: FAIL - not done yet`.
Used by the command line (`python -m w2v_helpers make-student`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..errors import W2VError
from ..paths import repo_root
from .exercises import EXERCISES

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
SOLUTION_TAG = "solution"
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"


def require_nbformat():
    """The nbformat module, or a W2VError saying how to install what the classroom commands need."""
    try:
        import nbformat
    except ImportError:
        raise W2VError("this command needs nbformat and nbclient: pip install nbclient") from None
    return nbformat


def strip_solutions(source: str, hint: str) -> tuple[str, int]:
    """Replace each BEGIN/END SOLUTION region by a stub raising NotImplementedError(hint); returns (source, regions)."""
    out: list[str] = []
    inside, regions = False, 0
    for number, line in enumerate(source.splitlines(), 1):
        marker = line.strip()
        if marker.startswith(BEGIN):
            if inside:
                raise W2VError(f"line {number}: {BEGIN} inside another solution region")
            inside, regions = True, regions + 1
            indent = line[: len(line) - len(line.lstrip())]
            stub = json.dumps(hint, ensure_ascii=False)
            out += [f"{indent}# YOUR CODE HERE", f"{indent}raise NotImplementedError({stub})"]
        elif marker.startswith(END):
            if not inside:
                raise W2VError(f"line {number}: {END} without a {BEGIN} before it")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise W2VError(f"a {BEGIN} region is never closed by {END}")
    return "\n".join(out), regions


def student_version(nb):
    """A copy of a notebook with solutions replaced by stubs and all outputs cleared."""
    import copy

    nb = copy.deepcopy(nb)
    nb.metadata.pop("jupytext", None)  # a student's Jupyter should not write a paired .py next to it
    for index, cell in enumerate(nb.cells):
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        cell.outputs, cell.execution_count = [], None
        if SOLUTION_TAG in cell.metadata.get("tags", []):
            ex_id = cell.metadata.get("exercise")
            hint = EXERCISES[ex_id].stub if ex_id in EXERCISES else "write your solution here"
            try:
                cell.source, regions = strip_solutions(cell.source, hint)
            except W2VError as exc:
                raise W2VError(f"cell {index}: {exc}") from None
            if not regions:
                raise W2VError(f"cell {index} is tagged {SOLUTION_TAG!r} but has no {BEGIN} ... {END} region")
    return nb


def default_notebook_dir() -> Path:
    """The checkout's notebooks/ folder, where the solved notebooks are."""
    root = repo_root()
    if root is None:
        raise W2VError("no checkout of the repository to take the notebooks from; pass --notebooks DIR")
    return root / "notebooks"


def make_student(out_dir: str | os.PathLike, notebook_dir: str | os.PathLike | None = None,
                 force: bool = False) -> list[tuple[Path, int]]:
    """Write the student version of every numbered notebook into out_dir; returns (path, stubs) per notebook.

    Notebooks already in out_dir (a student's work, perhaps) are never replaced unless `force`.
    """
    from ..atomic import atomic_path

    nbformat = require_nbformat()
    src = Path(notebook_dir) if notebook_dir else default_notebook_dir()
    notebooks = sorted(src.glob(NOTEBOOK_GLOB))
    if not notebooks:
        raise W2VError(f"no numbered notebooks (NN_name.ipynb) in {src}; pass --notebooks DIR")
    out = Path(out_dir)
    if out.resolve() == src.resolve():
        raise W2VError(f"{out} holds the solved notebooks; write the student versions to another folder")
    if out.exists() and not out.is_dir():
        raise W2VError(f"{out} is a file; pass a folder for the student notebooks")
    taken = [path.name for path in notebooks if os.path.lexists(out / path.name)]
    if taken and not force:
        more = f" and {len(taken) - 1} more" if len(taken) > 1 else ""
        raise W2VError(f"{out} already holds {taken[0]}{more}; nothing was written. Choose an empty folder, or pass "
                       "--force to replace them")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        try:
            student = student_version(nb)
        except W2VError as exc:
            raise W2VError(f"{path.name}: {exc}") from None
        stubs = sum(SOLUTION_TAG in c.metadata.get("tags", []) for c in student.cells)
        with atomic_path(out / path.name) as tmp:
            nbformat.write(student, tmp)
        written.append((out / path.name, stubs))
    return written

