"""`run-course` runs the chapters on a corpus, keeps going past a failing one, and reports times and memory."""

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from w2v_helpers.cli import main
from w2v_helpers.course import layout, student
from w2v_helpers.course.run_course import first_error_line, peak_rss_mb

ROOT = Path(__file__).resolve().parent.parent
CHAPTER_01 = ROOT / "notebooks" / "01_math_derivation.ipynb"
FIGURE = ("import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.title('a line')\nplt.show()")


def run_main(capsys, *argv):
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:  # argparse exits on bad arguments
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def write_notebook(path, *cells):
    """A notebook of code cells; a cell given as (source, tags) carries those tags."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(f"# {path.stem} title")])
    for cell in cells:
        source, tags = cell if isinstance(cell, tuple) else (cell, [])
        nb.cells.append(nbformat.v4.new_code_cell(source, metadata={"tags": tags}))
    nbformat.write(nb, path)


@pytest.fixture
def notebooks(tmp_path):
    """Three short chapters; the second fails on purpose, the first has a figure and a cell tagged real-text."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    write_notebook(folder / "01_prints.ipynb", ("import os\nprint('corpus', os.environ['W2V_CORPUS'])", ["real-text"]),
                   (FIGURE, ["real-text"]), "print('not on the page')")
    write_notebook(folder / "02_fails.ipynb", "x = 1",
                   "raise ValueError('broken on purpose\\nsecond line')", "print('never reached')")
    write_notebook(folder / "03_after.ipynb", ("assert 1 + 1 == 2\nprint('still ran')", ["real-text"]))
    return folder


def test_a_failing_chapter_is_reported_and_the_rest_still_run(notebooks, tmp_path):
    out, page = tmp_path / "out", tmp_path / "docs" / "real-text.md"
    proc = subprocess.run([sys.executable, "-m", "w2v_helpers", "run-course", "--corpus", "toy", "--out", out,
                           "--notebooks", notebooks, "--page", page, "--timeout", "120"],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 1, proc.stderr
    assert "| 02_fails | failed: `ValueError: broken on purpose` |" in proc.stdout
    assert "1 of 3 chapters failed (02)" in proc.stdout
    report = json.loads((out / "report.json").read_text())
    assert report["passed"] is False
    assert [(c["chapter"], c["passed"], c["error"]) for c in report["chapters"]] == [
        ("01", True, ""), ("02", False, "ValueError: broken on purpose"), ("03", True, "")]
    assert report["corpus"] == {"spec": "toy", "name": "toy", "tokens": 300_000, "vocab_size": 1709}
    assert all(c["seconds"] > 0 and c["peak_mb"] > 10 for c in report["chapters"])
    assert report["chapters"][0]["figures"] == ["figures/01_prints_1.png"]
    assert (out / "figures" / "01_prints_1.png").read_bytes().startswith(b"\x89PNG")
    executed = nbformat.read(out / "01_prints.ipynb", as_version=4)
    assert executed.cells[1].outputs[0]["text"] == "corpus toy\n"
    assert nbformat.read(out / "02_fails.ipynb", as_version=4).cells[3].outputs == []  # stopped at the error
    md = (out / "report.md").read_text()
    assert "# The course on toy" in md and "300,000 tokens, 1,709 words" in md and "Python 3." in md
    assert "![01 figure 1](figures/01_prints_1.png)" in md

    text = page.read_text()
    assert "```text\ncorpus toy\n```" in text and "not on the page" not in text
    assert "![figure](real-text/01_prints_1.png)" in text and (page.parent / "real-text" / "01_prints_1.png").is_file()
    assert text.index("## 01_prints title") < text.index("## 03_after title") and "## 02_fails" not in text
    assert "| 02_fails | failed: `ValueError: broken on purpose` |" in text


def test_a_real_chapter_on_the_toy_corpus_with_tagged_cells(capsys, tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nb = nbformat.read(CHAPTER_01, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    printing = next(c for c in code if "print(" in c.source and "plt." not in c.source)
    plotting = next(c for c in code if "plt." in c.source)
    for cell in (printing, plotting):
        cell.metadata["tags"] = [*cell.metadata.get("tags", []), "real-text"]
    nbformat.write(nb, folder / CHAPTER_01.name)
    page = tmp_path / "real-text.md"
    code, out, err = run_main(capsys, "run-course", "--corpus", "toy", "--out", tmp_path / "out",
                              "--notebooks", folder, "--chapters", "1", "--page", page)
    assert code == 0, err
    assert out.startswith("| chapter | result | seconds | peak MB |\n|---|---|---:|---:|\n"
                          "| 01_math_derivation | passed |")
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["chapters"][0]["peak_mb"] > 50
    text = page.read_text()
    assert "Chapter 1" in text and "```text\n" in text
    assert "![figure](real-text/01_math_derivation_1.png)" in text


def test_peak_memory_is_read_from_proc():
    if not Path("/proc/self/status").exists():
        pytest.skip("no /proc on this system: peak memory is reported as n/a")
    assert peak_rss_mb(os.getpid()) > 10
    assert peak_rss_mb(None) is None


@pytest.mark.parametrize("argv, fragment", [
    (["--corpus", "no-such-file.txt"], "does not exist"),
    (["--corpus", "toy", "--chapters", "01,99"], "unknown chapter 99"),
    (["--corpus", "toy", "--chapters", ""], "unknown chapter"),
    (["--corpus", "toy", "--timeout", "0"], "--timeout"),
])
def test_bad_input_exits_2_before_any_chapter_runs(capsys, tmp_path, notebooks, argv, fragment):
    code, _, err = run_main(capsys, "run-course", "--out", tmp_path / "out", "--notebooks", notebooks, *argv)
    assert code == 2 and fragment in err and len(err.strip().splitlines()) == 1, err
    assert not (tmp_path / "out" / "report.md").exists()


def test_an_output_folder_that_cannot_be_written_exits_2(capsys, tmp_path, notebooks):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    for out in (blocker, blocker / "sub"):
        code, _, err = run_main(capsys, "run-course", "--corpus", "toy", "--out", out, "--notebooks", notebooks)
        assert code == 2 and ("give a folder" in err or "cannot write" in err), err


def test_outside_a_checkout_without_notebooks_exits_2(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(student, "repo_root", lambda: None)
    code, _, err = run_main(capsys, "run-course", "--corpus", "toy", "--out", tmp_path / "out")
    assert code == 2 and "no checkout" in err, err


def test_the_course_notebooks_are_found_in_the_checkout():
    from w2v_helpers.course.run_course import find_chapters

    names = [p.name for p in find_chapters()]
    assert names == [p.name for p in layout.course(ROOT / "notebooks")]
    assert names[:2] == ["00_why_dense_vectors.ipynb", "01_math_derivation.ipynb"]
    by_number = {layout.notebook_id(name): name for name in names}
    assert [p.name for p in find_chapters(chapters=["4", "01", "5c"])] == \
        [by_number["04"], by_number["01"], by_number["05c"]]


def test_a_bare_assert_is_reported_with_the_line_that_failed():
    esc = "\x1b"
    traceback = (f"{esc}[31mAssertionError{esc}[39m   Traceback (most recent call last)\n"
                 f"{esc}[32m---> {esc}[39m{esc}[32m19{esc}[39m     {esc}[38;5;28;01massert{esc}[39;00m x > y\n"
                 f"{esc}[32m     20{esc}[39m     if TOY:\n")
    assert first_error_line("AssertionError", "", traceback) == "AssertionError at line 19: assert x > y"
    assert first_error_line("AssertionError", "", "") == "AssertionError"
    assert first_error_line("KeyError", "'king'\nmore", traceback) == "KeyError: 'king'"
