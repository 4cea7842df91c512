"""Checking submitted notebooks in bulk: run each one, then its chapter's checks, and tabulate the results.

`check_submissions(folder)` executes every notebook under a folder (errors allowed, a time limit per
notebook), then, in the same kernel, appends one grading cell that runs the chapter's checks on the
functions the notebook defined (`exercises.grade_chapter`), and tabulates the results: PASS, FAIL,
ERROR (the notebook could not be run that far) or MISSING (the function is not defined).
Used by the command line (`python -m w2v_helpers check-submissions`).
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import W2VError
from ..tables import format_table
from .exercises import EXERCISES
from .student import require_nbformat

RESULT_LINE = re.compile(r"^exercise (\d\d\.\d+): (PASS|FAIL|MISSING)(?: - (.*))?$")
GRADING_CELL = """\
# added by `python -m w2v_helpers check-submissions`: run this chapter's checks on the functions above
import w2v_helpers.course.exercises as _w2v_exercises
_w2v_exercises.grade_chapter({chapter!r}, globals())"""

EXERCISES_BY_CHAPTER: dict[str, list[str]] = {}
for _id in EXERCISES:
    EXERCISES_BY_CHAPTER.setdefault(_id.split(".")[0], []).append(_id)


@dataclass
class Graded:
    """One submitted notebook's results: exercise id -> (status, message), and a note when it could not run."""

    path: Path
    chapter: str | None
    results: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (status, message)
    note: str = ""
    seconds: float = 0.0


def chapter_of(path: Path, nb) -> str | None:
    """The chapter a submission belongs to: NN_ in its file name, else the check_NN_k calls inside it."""
    chapters = {ex_id.split(".")[0] for ex_id in EXERCISES}
    m = re.search(r"(?<!\d)(\d\d)_", path.name)
    if m and m[1] in chapters:
        return m[1]
    found = re.findall(r"check_(\d\d)_\d+\s*\(", "\n".join(c.source for c in nb.cells if c.cell_type == "code"))
    return found[0] if found and found[0] in chapters else None


def grade_notebook(path: Path, timeout: float, env: dict[str, str]) -> tuple[Graded, object]:
    """Run one notebook (errors allowed, `timeout` seconds in all), then its grading cell.

    Returns (Graded, the executed notebook).
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    nbformat = require_nbformat()
    t0 = time.monotonic()
    nb = nbformat.read(path, as_version=4)
    chapter = chapter_of(path, nb)
    graded = Graded(path, chapter)
    if chapter is None:
        graded.note = "no chapter number (NN_) in the file name and no check_NN_k call inside"
        return graded, nb
    ids = [ex_id for ex_id in EXERCISES if ex_id.startswith(f"{chapter}.")]
    nb.cells.append(nbformat.v4.new_code_cell(GRADING_CELL.format(chapter=chapter)))
    client = NotebookClient(nb, timeout=int(timeout), allow_errors=True, interrupt_on_timeout=True,
                            record_timing=False, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.error_on_timeout = {"ename": "TimeoutError", "evalue": "the cell ran past the time limit", "traceback": []}
    timed_out = False
    try:
        client.reset_execution_trackers()
        with client.setup_kernel(env=env):
            for index, cell in enumerate(nb.cells[:-1]):
                remaining = timeout - (time.monotonic() - t0)
                if remaining <= 0:
                    timed_out = True
                    break
                client.timeout = max(1, int(remaining))
                started = time.monotonic()
                client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
                if time.monotonic() - started >= client.timeout:  # interrupted: the budget is spent
                    timed_out = True
                    break
            client.timeout = 300  # the checks themselves take seconds
            client.execute_cell(nb.cells[-1], len(nb.cells) - 1, execution_count=client.code_cells_executed + 1)
    except DeadKernelError:
        graded.note = "the kernel died (out of memory?)"
    except Exception as exc:
        graded.note = f"could not run the notebook: {type(exc).__name__}: {exc}"
    if timed_out:
        graded.note = f"stopped at the time limit of {timeout:g} s; later cells were not run"
    outputs = nb.cells[-1].get("outputs", [])
    text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    for line in text.splitlines():
        m = RESULT_LINE.match(line.strip())
        if m and m[1] in ids:
            graded.results[m[1]] = (m[2], m[3] or "")
    error = next((o for o in outputs if o.get("output_type") == "error"), None)
    for ex_id in ids:
        status, message = graded.results.get(ex_id, ("ERROR", ""))
        if ex_id not in graded.results:
            message = (f"the grading cell failed: {error['ename']}: {error['evalue']}" if error
                       else graded.note or "no result")
        elif status == "MISSING" and (timed_out or graded.note):
            status, message = "ERROR", f"{graded.note}; {message}"
        graded.results[ex_id] = (status, message)
    graded.seconds = time.monotonic() - t0
    return graded, nb


def results_table(graded: list[Graded], folder: Path) -> str:
    """One row per notebook, one column per exercise of its chapter: PASS, FAIL, ERROR, MISSING, or - for none."""
    width = max([len(EXERCISES_BY_CHAPTER.get(g.chapter, [])) for g in graded] + [1])
    header = ["notebook", "chapter"] + [f"ex {k}" for k in range(1, width + 1)]
    rows = []
    for g in graded:
        ids = EXERCISES_BY_CHAPTER.get(g.chapter, [])
        cells = [g.results[i][0] if i in g.results else "-" for i in ids]
        rows.append([_relative(g.path, folder), g.chapter or "??"] + cells + ["-"] * (width - len(cells)))
    return format_table(header, rows)


def _relative(path: Path, folder: Path) -> str:
    try:
        return str(path.relative_to(folder))
    except ValueError:
        return str(path)


def check_submissions(folder: str | os.PathLike, timeout: float = 300.0, corpus: str = "english",
                      executed_dir: str | os.PathLike | None = None,
                      say: Callable[[str], None] = lambda msg: print(msg, file=sys.stderr)) -> list[Graded]:
    """Execute and grade every notebook under `folder`; returns one Graded per notebook."""
    require_nbformat()
    folder = Path(folder)
    if not folder.is_dir():
        raise W2VError(f"{folder} is not a folder; pass the folder that holds the submitted notebooks")
    paths = sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    if not paths:
        raise W2VError(f"no .ipynb files under {folder}")
    env = {**os.environ, "W2V_CORPUS": corpus, "MPLBACKEND": "agg"}
    graded = []
    for path in paths:
        say(f"running {_relative(path, folder)} ...")
        g, nb = grade_notebook(path, timeout, env)
        graded.append(g)
        say(f"  done in {g.seconds:.0f} s" + (f" ({g.note})" if g.note else ""))
        if executed_dir:
            target = Path(executed_dir) / path.relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            require_nbformat().write(nb, target)
    return graded


def summary(graded: list[Graded]) -> str:
    """One line: how many notebooks, and how many exercises PASS, FAIL, ERROR and MISSING."""
    counts = {s: 0 for s in ("PASS", "FAIL", "ERROR", "MISSING")}
    for g in graded:
        for status, _ in g.results.values():
            counts[status] += 1
    notebooks = f"{len(graded)} notebook{'s' if len(graded) != 1 else ''}"
    return f"{notebooks}: " + ", ".join(f"{n} {s}" for s, n in counts.items())


def details(graded: list[Graded], folder: Path) -> list[str]:
    """One line per note and per exercise that did not PASS."""
    lines = []
    for g in graded:
        if g.note:
            lines.append(f"{_relative(g.path, folder)}: note: {g.note}")
        for ex_id, (status, message) in sorted(g.results.items()):
            if status != "PASS":
                lines.append(f"{_relative(g.path, folder)}: exercise {ex_id}: {status} - {message}")
    return lines
