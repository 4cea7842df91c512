"""The student-notebook generator removes every solution and clears the outputs; the bulk checker runs a
folder of submissions and prints the table."""

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from w2v_helpers.course import layout
from w2v_helpers.course.exercises import EXERCISES
from w2v_helpers.course.student import BEGIN, END, make_student, solved_version, strip_solutions, student_version
from w2v_helpers.errors import W2VError

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "notebooks"
NOTEBOOKS = layout.course(FOLDER)  # chapters and bonus notebooks; the solutions stay with the teacher


# ----- the student-notebook generator ---------------------------------------------------------------
def test_strip_solutions_keeps_the_function_and_replaces_the_region():
    source = 'def f(x):\n    """doc"""\n    ### BEGIN SOLUTION\n    return x + 1\n    ### END SOLUTION\n\nprint(f)'
    stub, regions = strip_solutions(source, 'say "hi"')
    assert regions == 1
    assert stub == ('def f(x):\n    """doc"""\n    # YOUR CODE HERE\n'
                    '    raise NotImplementedError("say \\"hi\\"")\n\nprint(f)')
    namespace = {}
    exec(stub.replace("print(f)", ""), namespace)
    with pytest.raises(NotImplementedError, match='say "hi"'):
        namespace["f"](1)


@pytest.mark.parametrize("source, fragment", [
    ("### BEGIN SOLUTION\nx = 1", "never closed"),
    ("x = 1\n### END SOLUTION", "without a"),
    ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION", "inside another"),
])
def test_strip_solutions_rejects_broken_markers(source, fragment):
    with pytest.raises(W2VError, match=fragment):
        strip_solutions(source, "hint")


def test_a_solution_cell_without_markers_is_an_error():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["solution"]})])
    with pytest.raises(W2VError, match="no ### BEGIN SOLUTION"):
        student_version(nb)


@pytest.fixture(scope="module")
def student_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("students")
    proc = subprocess.run([sys.executable, "-m", "w2v_helpers", "make-student", str(out)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == f"wrote {len(NOTEBOOKS)} student notebooks to {out}"
    return out


def test_make_student_copies_every_notebook_with_its_stubs_and_no_outputs(student_dir):
    names = sorted(p.relative_to(student_dir).as_posix() for p in student_dir.rglob("*.ipynb"))
    assert names == sorted(p.relative_to(FOLDER).as_posix() for p in NOTEBOOKS)
    stubs = 0
    for path in NOTEBOOKS:
        chapter = nbformat.read(path, as_version=4)
        student = nbformat.read(student_dir / path.relative_to(FOLDER), as_version=4)
        nbformat.validate(student)
        assert "jupytext" not in student.metadata
        assert [c.source for c in student.cells] == [c.source for c in chapter.cells]
        for cell in student.cells:
            if cell.cell_type == "code":
                assert BEGIN not in cell.source and END not in cell.source
                assert cell.outputs == [] and cell.execution_count is None
                if cell.metadata.get("exercise"):
                    ex = EXERCISES[cell.metadata["exercise"]]
                    assert f"raise NotImplementedError({json.dumps(ex.stub)})" in cell.source
                    stubs += 1
    assert stubs == len(EXERCISES)


def test_a_notebook_with_its_solutions_inline_gets_them_stubbed():
    chapter = FOLDER / "06_pca_visualization.ipynb"
    solved = solved_version(nbformat.read(chapter, as_version=4),
                            nbformat.read(layout.solution_notebook(FOLDER, "06"), as_version=4))
    for a in solved.cells:  # the teacher's answer key, tagged as solution cells
        if a.cell_type == "code" and a.metadata.get("exercise"):
            a.metadata["tags"] = ["solution"]
    student = student_version(solved)
    regions = 0
    for a, b in zip(solved.cells, student.cells, strict=True):
        if "solution" not in a.metadata.get("tags", []):
            assert a.source == b.source
            continue
        regions += 1
        ex = EXERCISES[a.metadata["exercise"]]
        region = a.source.split(BEGIN, 1)[1].split(END, 1)[0]
        for line in region.splitlines():
            if line.strip():
                assert line.strip() not in b.source, f"solution line survived: {line.strip()}"
        assert f"raise NotImplementedError({json.dumps(ex.stub)})" in b.source
        assert f"def {ex.function}(" in b.source
    assert regions == 3


def test_make_student_refuses_to_overwrite_the_solutions():
    with pytest.raises(W2VError, match="holds the solved notebooks"):
        make_student(ROOT / "notebooks")


# ----- the bulk checker -----------------------------------------------------------------------------
def _tiny_notebook(path: Path, *sources: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources]), path)


@pytest.mark.slow
def test_check_submissions_prints_the_table(student_dir, tmp_path):
    subs, executed = tmp_path / "submissions", tmp_path / "executed"
    chapter1 = "01_math_derivation.ipynb"
    (subs / "solved").mkdir(parents=True)
    nbformat.write(solved_version(nbformat.read(FOLDER / chapter1, as_version=4),
                                  nbformat.read(layout.solution_notebook(FOLDER, "01"), as_version=4)),
                   subs / "solved" / chapter1)
    (subs / "student").mkdir()
    (subs / "student" / chapter1).write_bytes((student_dir / chapter1).read_bytes())
    _tiny_notebook(subs / "zoe" / "02_partial.ipynb",
                   "def zipf_slope(counts, lo, hi):\n    return 0.0", "1 / 0", "print('still running')")
    proc = subprocess.run([sys.executable, "-m", "w2v_helpers", "check-submissions", str(subs),
                           "--executed", str(executed), "--details"], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    table = proc.stdout.split("\n\n")[0]
    assert table == "\n".join([
        "notebook                          chapter  ex 1  ex 2     ex 3",
        "--------------------------------  -------  ----  -------  -------",
        "solved/01_math_derivation.ipynb   01       PASS  PASS     -",
        "student/01_math_derivation.ipynb  01       FAIL  FAIL     -",
        "zoe/02_partial.ipynb              02       FAIL  MISSING  MISSING",
    ])
    assert "3 notebooks: 2 PASS, 3 FAIL, 0 ERROR, 2 MISSING" in proc.stdout
    assert f"student/{chapter1}: exercise 01.1: FAIL - not done yet: {EXERCISES['01.1'].stub}" in proc.stdout

    # The student notebook ran to the end: every check cell printed a FAIL line and raised nothing.
    nb = nbformat.read(executed / "student" / chapter1, as_version=4)
    checks = [c for c in nb.cells if c.cell_type == "code" and "check_01_" in c.source]
    assert len(checks) == 2
    for cell in checks:
        assert [o.output_type for o in cell.outputs] == ["stream"]
        assert cell.outputs[0].text.startswith("exercise 01.") and ": FAIL - not done yet: " in cell.outputs[0].text
    assert len(nb.cells) == len(nbformat.read(subs / "student" / chapter1, as_version=4).cells)  # nothing added
    assert not any(o.output_type == "error" for c in nb.cells for o in c.get("outputs", []))
