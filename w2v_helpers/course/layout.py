"""Where the course's notebooks are, and in what order a learner meets them.

    notebooks/NN_name.ipynb            the main track: chapters 00, 01, ... in reading order
    notebooks/bonus/NNx_name.ipynb     bonus notebooks: 05b and 05c deepen Chapter 5, read after it
    notebooks/solutions/ID_solutions.ipynb   the exercises' solutions, one notebook per chapter or bonus

A notebook's id is the part of its name before the first underscore ("05", "05c"); an exercise's id is
the notebook's id, a dot and its number ("05c.1"). Used by the classroom commands (make-student,
check-submissions, run-course) and by the tests.
"""

from __future__ import annotations

import re
from pathlib import Path

CHAPTER_GLOB = "[0-9][0-9]_*.ipynb"
BONUS_DIR, BONUS_GLOB = "bonus", "[0-9][0-9][a-z]_*.ipynb"
SOLUTIONS_DIR, SOLUTIONS_GLOB = "solutions", "[0-9][0-9]*_solutions.ipynb"
NOTEBOOK_ID = re.compile(r"(?<![0-9a-z])(\d\d[a-z]?)_")  # "05_training", "05c_fast_training", "sub-05c_x"


def notebook_id(path: str | Path) -> str | None:
    """"05" for 05_training.ipynb, "05c" for 05c_fast_training.ipynb; None for a name without one."""
    m = NOTEBOOK_ID.match(Path(path).name)
    return m[1] if m else None


def _order(path: Path) -> tuple[int, str]:
    nid = notebook_id(path) or "99"
    return int(nid[:2]), nid[2:]


def chapters(notebook_dir: str | Path) -> list[Path]:
    """The main track's notebooks, in reading order."""
    return sorted(Path(notebook_dir).glob(CHAPTER_GLOB), key=_order)


def bonus(notebook_dir: str | Path) -> list[Path]:
    """The bonus notebooks, each in the order of the chapter it deepens."""
    return sorted((Path(notebook_dir) / BONUS_DIR).glob(BONUS_GLOB), key=_order)


def course(notebook_dir: str | Path) -> list[Path]:
    """Chapters and bonus notebooks together, in reading order: 05, 05b, 05c, 06, ..."""
    return sorted(chapters(notebook_dir) + bonus(notebook_dir), key=_order)


def solutions(notebook_dir: str | Path) -> list[Path]:
    """The solution notebooks, in reading order."""
    return sorted((Path(notebook_dir) / SOLUTIONS_DIR).glob(SOLUTIONS_GLOB), key=_order)


def solution_notebook(notebook_dir: str | Path, nid: str) -> Path:
    """Where the solutions of notebook `nid` live: notebooks/solutions/<nid>_solutions.ipynb."""
    return Path(notebook_dir) / SOLUTIONS_DIR / f"{nid}_solutions.ipynb"
