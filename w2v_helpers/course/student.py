"""Student versions of the notebooks: outputs cleared, every exercise a stub to fill in.

The chapters and bonus notebooks already show each exercise as a stub: a function whose body is
`raise NotImplementedError("<hint>")`, tagged `exercise`; its solution lives in
notebooks/solutions/ (see `layout`). `make_student(out_dir)` copies every chapter and bonus notebook
with its outputs cleared, so a class starts from clean notebooks. A notebook given with its solutions
inline (cells tagged `solution`, such as a teacher's own) gets each region between
`### BEGIN SOLUTION` and `### END SOLUTION` (markers included) replaced by the stub, the hint being
the exercise's stub text in `w2v_helpers.course.exercises.EXERCISES`: `strip_solutions`, which also
makes the chapters' stubs from the solution notebooks. Solutions sit inside function bodies, so a
student notebook runs from top to bottom: each check cell prints `exercise NN.k: FAIL - not done yet`.
Used by the command line (`python -m w2v_helpers make-student`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..errors import W2VError
from ..paths import repo_root
from . import layout
from .exercises import EXERCISES

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
SOLUTION_TAG = "solution"


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
    """Write the student version of every chapter and bonus notebook into out_dir; (path, stubs) per notebook.

    Notebooks already in out_dir (a student's work, perhaps) are never replaced unless `force`.
    """
    from ..atomic import atomic_path

    nbformat = require_nbformat()
    src = Path(notebook_dir) if notebook_dir else default_notebook_dir()
    notebooks = layout.course(src)
    if not notebooks:
        raise W2VError(f"no numbered notebooks (NN_name.ipynb) in {src}; pass --notebooks DIR")
    out = Path(out_dir)
    if out.resolve() == src.resolve():
        raise W2VError(f"{out} holds the solved notebooks; write the student versions to another folder")
    if out.exists() and not out.is_dir():
        raise W2VError(f"{out} is a file; pass a folder for the student notebooks")
    targets = [out / path.relative_to(src) for path in notebooks]  # bonus notebooks go to out/bonus/
    taken = [target.relative_to(out).as_posix() for target in targets if os.path.lexists(target)]
    if taken and not force:
        more = f" and {len(taken) - 1} more" if len(taken) > 1 else ""
        raise W2VError(f"{out} already holds {taken[0]}{more}; nothing was written. Choose an empty folder, or pass "
                       "--force to replace them")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path, target in zip(notebooks, targets):
        nb = nbformat.read(path, as_version=4)
        try:
            student = student_version(nb)
        except W2VError as exc:
            raise W2VError(f"{path.name}: {exc}") from None
        stubs = sum(bool(c.metadata.get("exercise")) for c in student.cells if c.cell_type == "code")
        target.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(target) as tmp:
            nbformat.write(student, tmp)
        written.append((target, stubs))
    return written



def solved_version(nb, solutions_nb):
    """A copy of a chapter with each exercise stub replaced by its solution cell from `solutions_nb`.

    The teacher's answer key as one notebook; the tests grade it to see every check pass in place.
    """
    import copy

    nb = copy.deepcopy(nb)
    solutions = {c.metadata["exercise"]: c for c in solutions_nb.cells
                 if c.cell_type == "code" and SOLUTION_TAG in c.metadata.get("tags", [])}
    for index, cell in enumerate(nb.cells):
        ex_id = cell.metadata.get("exercise") if cell.cell_type == "code" else None
        if ex_id:
            if ex_id not in solutions:
                raise W2VError(f"cell {index}: exercise {ex_id} has no solution cell in the solutions notebook")
            cell.source = solutions[ex_id].source
    return nb
