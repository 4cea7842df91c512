"""Running the whole course on one corpus: every chapter in a fresh kernel, timed, its peak memory read.

`run_course(corpus, out_dir)` executes each numbered notebook with nbclient, `W2V_CORPUS` set to the
corpus (`english`, `text8`, `toy` or a text file), one kernel per chapter, and records for each chapter the
seconds it took, the kernel's peak resident memory (VmHWM, read just before the kernel shuts down;
Linux only) and, when it failed, the first line of the error. A failing chapter does not stop the
run. It writes the executed notebooks, their figures, report.md and report.json into `out_dir`, and,
with `page=`, a Markdown page of the outputs of the cells tagged `real-text` (see report.py).
Used by the command line (`python -m w2v_helpers run-course`) and by tests/test_real_text.py.
"""

from __future__ import annotations

import os
import platform
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from ..errors import W2VError
from ..paths import repo_root
from . import layout
from .student import default_notebook_dir, require_nbformat

DEFAULT_TIMEOUT = 1800.0  # seconds per chapter
ANSI = re.compile(r"\x1b\[[0-9;]*m")  # colour codes in IPython tracebacks
MIN_COUNT = 5             # the chapters' min_count, for the vocabulary size in the report


@dataclass
class ChapterRun:
    """One chapter's run: passed or not, the first line of its error, seconds, peak memory, figure files."""

    chapter: str                  # "05"
    notebook: str                 # "05_training.ipynb"
    title: str                    # the notebook's first heading
    passed: bool = False
    error: str = ""               # "ename: evalue", first line only
    seconds: float = 0.0
    peak_mb: float | None = None  # None where it cannot be read (not Linux, or the kernel died)
    figures: list[str] = field(default_factory=list)  # PNG files, relative to the output folder


@dataclass
class CorpusInfo:
    """The corpus the chapters ran on: what W2V_CORPUS was set to, its name, tokens and vocabulary size."""

    spec: str
    name: str
    tokens: int
    vocab_size: int  # words seen at least MIN_COUNT times


# ----- input checks: everything is refused before the first kernel starts ----------------------------
def find_chapters(notebook_dir: str | os.PathLike | None = None, chapters: list[str] | None = None) -> list[Path]:
    """The chapters and bonus notebooks in `notebook_dir` (default: the checkout's notebooks/), in reading
    order, or those of `chapters` (ids such as "5", "05" or "05c")."""
    src = Path(notebook_dir) if notebook_dir else default_notebook_dir()
    found = layout.course(src)
    if not found:
        raise W2VError(f"no numbered notebooks (NN_name.ipynb) in {src}; pass --notebooks DIR")
    if not chapters:
        return found
    by_number = {layout.notebook_id(p): p for p in found}
    wanted = [c.strip().lower() for c in chapters if c.strip()]
    wanted = ["0" + c if c[:1].isdigit() and not c[1:2].isdigit() else c for c in wanted]  # 5 -> 05, 5c -> 05c
    unknown = [c for c in wanted if c not in by_number]
    if unknown or not wanted:
        raise W2VError(f"unknown chapter {', '.join(unknown) or '(none given)'}; the chapters are "
                       f"{', '.join(by_number)}")
    return [by_number[c] for c in dict.fromkeys(wanted)]


def check_output_folder(folder: str | os.PathLike, what: str) -> Path:
    """Create `folder` if needed and make sure a file can be written in it."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise W2VError(f"{what} {folder} is a file; give a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise W2VError(f"cannot write into {what} {folder}: {exc.strerror or exc}; choose another folder") from None
    return folder


def describe_corpus(spec: str) -> CorpusInfo:
    """Check the corpus and count its tokens and words: 'english', 'toy', 'text8' (downloaded if need be) or a file."""
    from ..corpus import ENGLISH, ENGLISH_PATH, check_text_file, iter_token_blocks

    if spec == ENGLISH:
        name, blocks = ENGLISH, iter_token_blocks(ENGLISH_PATH)
    elif spec == "toy":
        from ..toy_corpus import make_toy_corpus

        name, blocks = "toy", [make_toy_corpus(seed=0).tokens]
    elif spec == "text8":
        from ..download import ensure_text8

        name, blocks = "text8", iter_token_blocks(ensure_text8())
    else:
        path = check_text_file(spec)
        spec, name, blocks = str(path.resolve()), path.name, iter_token_blocks(path)
    counts: Counter = Counter()
    for tokens in blocks:
        counts.update(tokens)
    if not counts:
        raise W2VError(f"the corpus {spec} is empty (no words found); pass a file with text in it")
    return CorpusInfo(spec, name, sum(counts.values()), sum(1 for n in counts.values() if n >= MIN_COUNT))


def machine() -> dict[str, str]:
    """CPU count, Python and torch versions, operating system: the machine line of the report."""
    try:
        torch_version = metadata.version("torch")
    except metadata.PackageNotFoundError:
        torch_version = "not installed"
    return {"cpus": str(os.cpu_count() or "?"), "python": platform.python_version(), "torch": torch_version,
            "system": f"{platform.system()} {platform.machine()}"}


# ----- one chapter ----------------------------------------------------------------------------------
def kernel_pid(client) -> int | None:
    """The kernel process's id from nbclient's kernel manager (jupyter_client 7 and 8 keep it differently)."""
    km = client.km
    process = getattr(getattr(km, "provisioner", None), "process", None) or getattr(km, "kernel", None)
    return getattr(process, "pid", None)


def peak_rss_mb(pid: int | None) -> float | None:
    """The process's peak resident memory in MB (VmHWM in /proc/PID/status), or None where unreadable."""
    if pid is None:
        return None
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def kernel_env(spec: str) -> dict[str, str]:
    """The environment of a chapter's kernel: this one, with W2V_CORPUS set and this checkout importable."""
    env = {**os.environ, "W2V_CORPUS": spec}
    env.pop("MPLBACKEND", None)  # a non-interactive backend would keep the figures out of the outputs
    env.setdefault("PYTHONHASHSEED", "0")
    root = repo_root()
    if root is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH", "")]))
    return env


def notebook_title(nb, fallback: str) -> str:
    """The first Markdown heading of a notebook, without its #s."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return fallback


def first_error_line(ename: str, evalue: str, traceback: str) -> str:
    """'ename: evalue', first line; a bare `assert` has no evalue, so the line that failed is named instead."""
    evalue = (str(evalue).strip().splitlines() or [""])[0]
    if evalue:
        return f"{ename}: {evalue}"
    marked = [line for line in ANSI.sub("", traceback).splitlines() if line.lstrip().startswith("--->")]
    where = re.match(r"\s*-+>\s*(\d+)\s*(.*)", marked[-1]) if marked else None
    return f"{ename} at line {where[1]}: {where[2].strip()}" if where else str(ename)


def run_chapter(path: str | os.PathLike, spec: str, timeout: float = DEFAULT_TIMEOUT) -> tuple[ChapterRun, object]:
    """Execute one notebook in a fresh kernel on corpus `spec`, stopping at the first error.

    `timeout` is for the whole chapter: a cell still running when it is spent is interrupted.
    Returns (ChapterRun, the executed notebook).
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, DeadKernelError

    path = Path(path)
    nb = require_nbformat().read(path, as_version=4)
    run = ChapterRun(layout.notebook_id(path) or path.stem, path.name, notebook_title(nb, path.stem))
    client = NotebookClient(nb, timeout=int(timeout), kernel_name="python3", interrupt_on_timeout=True,
                            resources={"metadata": {"path": str(path.parent)}})
    client.error_on_timeout = {"ename": "TimeoutError", "evalue": f"the chapter ran past {timeout:g} s",
                               "traceback": []}
    t0 = time.monotonic()
    try:
        client.reset_execution_trackers()
        with client.setup_kernel(env=kernel_env(spec)):
            try:
                for index, cell in enumerate(nb.cells):
                    remaining = timeout - (time.monotonic() - t0)
                    if remaining <= 0:
                        raise TimeoutError(f"the chapter ran past {timeout:g} s")
                    client.timeout = max(1, int(remaining))
                    client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
                run.passed = True
            finally:
                run.peak_mb = peak_rss_mb(kernel_pid(client))
    except CellExecutionError as exc:
        run.error = first_error_line(exc.ename, exc.evalue, str(getattr(exc, "traceback", "")))
    except DeadKernelError:
        run.error = "DeadKernelError: the kernel died (out of memory?)"
    except Exception as exc:
        run.error = f"{type(exc).__name__}: {exc}"
    run.seconds = time.monotonic() - t0
    run.error = (run.error.strip().splitlines() or [""])[0]
    return run, nb


def save_figures(nb, chapter_stem: str, folder: Path, prefix: str = "") -> list[str]:
    """Write every PNG output of a notebook into `folder`; returns their names (with `prefix`) in order."""
    import base64

    names = []
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            png = output.get("data", {}).get("image/png")
            if png:
                name = f"{chapter_stem}_{len(names) + 1}.png"
                folder.mkdir(parents=True, exist_ok=True)
                (folder / name).write_bytes(base64.b64decode(png))
                names.append(prefix + name)
    return names


# ----- the whole course -----------------------------------------------------------------------------
def run_course(corpus: str, out_dir: str | os.PathLike, chapters: list[str] | None = None,
               timeout: float = DEFAULT_TIMEOUT, notebook_dir: str | os.PathLike | None = None,
               page: str | os.PathLike | None = None,
               say: Callable[[str], None] = lambda msg: print(msg, file=sys.stderr)) -> tuple[CorpusInfo, list]:
    """Run the chapters on `corpus`, write the executed notebooks, figures, report.md and report.json.

    Returns (CorpusInfo, [ChapterRun, ...]); every mistake in the input raises W2VError before any chapter runs.
    """
    from .report import write_page, write_report

    nbformat = require_nbformat()
    paths = find_chapters(notebook_dir, chapters)
    out = check_output_folder(out_dir, "the output folder")
    if page is not None:
        check_output_folder(Path(page).parent, "the folder of the page")
    info = describe_corpus(corpus)
    say(f"corpus {info.name}: {info.tokens:,} tokens, {info.vocab_size:,} words seen at least {MIN_COUNT} times")
    runs, executed = [], []
    for path in paths:
        say(f"running {path.name} ...")
        run, nb = run_chapter(path, info.spec, timeout)
        nbformat.write(nb, out / path.name)
        run.figures = save_figures(nb, path.stem, out / "figures", prefix="figures/")
        peak = "n/a" if run.peak_mb is None else f"{run.peak_mb:,.0f} MB"
        say(f"  {'passed' if run.passed else 'FAILED: ' + run.error} in {run.seconds:.0f} s, peak {peak}")
        runs.append(run)
        executed.append(nb)
    write_report(out, info, runs, machine())
    if page is not None:
        write_page(Path(page), info, runs, executed, machine())
    return info, runs
