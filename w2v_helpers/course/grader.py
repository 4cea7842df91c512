"""Checking submitted notebooks in bulk: run each one in a sandbox, check its functions from outside, tabulate.

`check_submissions(folder)` grades every notebook under a folder. Each one is read without trust
(`submissions`: a file that is not a notebook gets a row saying why), copied into a private folder
and run there by a kernel of its own (`sandbox`, `kernel`: its own folder, environment, limits and,
where bubblewrap works, a read-only system without network), errors allowed, for `timeout` seconds.
The chapter's checks then run here, in the grader, calling each function the notebook defined
through a `remote.KernelFunction`: the call runs in the kernel, the comparison with the reference
does not, so no cell can print or compute its own PASS. Results: PASS, FAIL, ERROR (the notebook or
the function could not be run that far) or MISSING (the function is not defined). The kernel and
everything it started are killed after each notebook. Used by the command line
(`python -m w2v_helpers check-submissions`).
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
from .exercises.checking import outcome
from .student import require_nbformat
from .submissions import Unreadable, find_notebooks, read_notebook

EXERCISES_BY_CHAPTER: dict[str, list[str]] = {}
for _id in EXERCISES:
    EXERCISES_BY_CHAPTER.setdefault(_id.split(".")[0], []).append(_id)
MEMORY_GB = 8.0  # default address-space limit of a kernel


@dataclass
class Graded:
    """One submitted notebook's results: exercise id -> (status, message), and a note when it could not run."""

    path: Path
    chapter: str | None
    results: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (status, message)
    note: str = ""
    seconds: float = 0.0


def chapter_of(path: Path, nb) -> str | None:
    """The notebook a submission belongs to: NN_ or NNx_ in its file name, else the check_NN_k calls inside it."""
    chapters = {ex_id.split(".")[0] for ex_id in EXERCISES}
    m = re.search(r"(?<![0-9a-z])(\d\d[a-z]?)_", path.name)
    if m and m[1] in chapters:
        return m[1]
    if nb is None:
        return None
    found = re.findall(r"check_(\d\d[a-z]?)_\d+\s*\(", "\n".join(c.source for c in nb.cells if c.cell_type == "code"))
    return found[0] if found and found[0] in chapters else None


def resolve_corpus(spec: str) -> str:
    """What W2V_CORPUS becomes for the kernels: english or toy, else the absolute path of a readable text file.

    text8 is looked up (or downloaded) here, once, since the kernels have no network.
    """
    from ..corpus import CORPUS_NAMES, check_text_file

    if spec in CORPUS_NAMES and spec != "text8":
        return spec
    if spec == "text8":
        from ..download import ensure_text8

        return str(ensure_text8().resolve())
    if not spec:
        raise W2VError("--corpus is empty; pass english, toy, text8 or the path of a text file")
    return str(check_text_file(spec).resolve())


def grade_notebook(path: Path, timeout: float, corpus: str = "english", memory_gb: float = MEMORY_GB,
                   bwrap: str | None = None) -> tuple[Graded, object]:
    """Grade one notebook: run a private copy for `timeout` s, then check its functions for `timeout` s more.

    `corpus` as from `resolve_corpus`; `bwrap` the path of a working bubblewrap, or None.
    Returns (Graded, the executed notebook, or None when the file could not be read).
    """
    from .kernel import SandboxedKernel
    from .reaper import subreaper
    from .remote import KernelFunction, defined_functions
    from .sandbox import Sandbox

    nbformat = require_nbformat()
    t0 = time.monotonic()
    try:
        nb = read_notebook(path)
    except Unreadable as exc:
        graded = Graded(path, chapter_of(path, None), note=f"not graded: {exc}", seconds=time.monotonic() - t0)
        graded.results = {ex_id: ("ERROR", graded.note) for ex_id in EXERCISES_BY_CHAPTER.get(graded.chapter, [])}
        return graded, None
    graded = Graded(path, chapter_of(path, nb))
    if graded.chapter is None:
        graded.note = "no chapter number (NN_) in the file name and no check_NN_k call inside"
        return graded, nb
    ids = EXERCISES_BY_CHAPTER[graded.chapter]
    cpu_seconds = int(2 * timeout * (os.cpu_count() or 1)) + 60
    sandbox = Sandbox(corpus, int(memory_gb * 2**30), cpu_seconds, bwrap)
    try:
        nbformat.write(nb, sandbox.work / path.name)  # the kernel sees this copy, never the submission
        with subreaper(), SandboxedKernel(nb, sandbox) as kernel:
            kernel.set_deadline(timeout)
            for index in range(len(nb.cells)):
                why = kernel.run_cell(index)
                if why:
                    graded.note = why + ("" if kernel.stopped else "; later cells were not run")
                    break
            kernel.set_deadline(timeout)  # the checks get the same time again
            present, why = defined_functions(kernel, [EXERCISES[i].function for i in ids])
            for ex_id in ids:
                name = EXERCISES[ex_id].function
                if why or kernel.stopped:
                    graded.results[ex_id] = ("ERROR", f"not checked: {kernel.stopped or why}")
                elif name not in present:
                    missing = f"the notebook defines no function {name}()"
                    graded.results[ex_id] = ("ERROR", f"{graded.note}; {missing}") if graded.note \
                        else ("MISSING", missing)
                else:
                    graded.results[ex_id] = outcome(ex_id, KernelFunction(kernel, name))
    except W2VError:
        raise
    except Exception as exc:
        tail = sandbox.log_tail()
        graded.note = (f"could not be run: {type(exc).__name__}: {' '.join(str(exc).split())[:300]}"
                       + (f" (the kernel's last words: {tail})" if tail else ""))
        graded.results = {ex_id: ("ERROR", graded.note) for ex_id in ids}
    finally:
        sandbox.close()
    graded.seconds = time.monotonic() - t0
    return graded, nb


def results_table(graded: list[Graded], folder: Path) -> str:
    """One row per notebook, one column per exercise of its chapter (PASS, FAIL, ERROR, MISSING, - for none),
    and a note column when some notebook could not be run or read."""
    width = max([len(EXERCISES_BY_CHAPTER.get(g.chapter, [])) for g in graded] + [1])
    notes = any(g.note for g in graded)
    header = ["notebook", "chapter"] + [f"ex {k}" for k in range(1, width + 1)] + (["note"] if notes else [])
    rows = []
    for g in graded:
        ids = EXERCISES_BY_CHAPTER.get(g.chapter, [])
        cells = [g.results[i][0] if i in g.results else "-" for i in ids]
        row = [_relative(g.path, folder), g.chapter or "??"] + cells + ["-"] * (width - len(cells))
        rows.append(row + ([g.note] if notes else []))
    return format_table(header, rows)


def _relative(path: Path, folder: Path) -> str:
    try:
        name = str(path.relative_to(folder))
    except ValueError:
        name = str(path)
    return name.encode("utf-8", "backslashreplace").decode("utf-8")  # a file name in another encoding stays printable


def check_paths(folder: str | os.PathLike, executed_dir: str | os.PathLike | None) -> Path:
    """The submissions folder, after refusing a missing one and an --executed folder inside it."""
    folder = Path(folder)
    if not folder.is_dir():
        raise W2VError(f"{folder} is not a folder; pass the folder that holds the submitted notebooks")
    if executed_dir is not None:
        executed = Path(executed_dir).resolve()
        if executed == folder.resolve() or folder.resolve() in executed.parents:
            raise W2VError(f"--executed {executed_dir} is inside the submissions folder {folder}; the executed "
                           "copies would mix with the handed-in files: pass a folder outside it")
        if executed.exists() and not executed.is_dir():
            raise W2VError(f"--executed {executed_dir} is a file; pass a folder")
    return folder


def check_submissions(folder: str | os.PathLike, timeout: float = 300.0, corpus: str = "english",
                      executed_dir: str | os.PathLike | None = None, memory_gb: float = MEMORY_GB,
                      sandbox: bool = True,
                      say: Callable[[str], None] = lambda msg: print(msg, file=sys.stderr)) -> list[Graded]:
    """Grade every notebook under `folder`; returns one Graded per file named *.ipynb, readable or not.

    `sandbox=False` runs the kernels without bubblewrap even where it works (the other walls stay).
    """
    from .sandbox import bubblewrap

    require_nbformat()
    folder = check_paths(folder, executed_dir)
    if not (timeout > 0 and memory_gb > 0):
        raise W2VError("the time and memory limits must be positive numbers")
    paths = find_notebooks(folder)
    if not paths:
        raise W2VError(f"no .ipynb files under {folder}")
    corpus = resolve_corpus(corpus)
    bwrap, why = bubblewrap() if sandbox else (None, "")
    if sandbox and bwrap is None:
        say(f"warning: {why}; grading without a file-system and network sandbox (each notebook still runs "
            "in a private folder, with limits, and is killed afterwards)")
    graded = []
    for path in paths:
        say(f"running {_relative(path, folder)} ...")
        g, nb = grade_notebook(path, timeout, corpus, memory_gb, bwrap)
        graded.append(g)
        say(f"  done in {g.seconds:.0f} s" + (f" ({g.note})" if g.note else ""))
        if executed_dir is not None and nb is not None:
            _save_executed(nb, Path(executed_dir) / path.relative_to(folder))
    return graded


def _save_executed(nb, target: Path) -> None:
    from ..atomic import atomic_path

    with atomic_path(target) as tmp:
        require_nbformat().write(nb, tmp)


def summary(graded: list[Graded]) -> str:
    """One line: how many notebooks, and how many exercises PASS, FAIL, ERROR and MISSING."""
    counts = {s: 0 for s in ("PASS", "FAIL", "ERROR", "MISSING")}
    for g in graded:
        for status, _ in g.results.values():
            counts[status] += 1
    notebooks = f"{len(graded)} notebook{'s' if len(graded) != 1 else ''}"
    unread = sum(g.note.startswith("not graded:") for g in graded)
    notebooks += f" ({unread} not readable)" if unread else ""
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
