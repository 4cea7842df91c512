"""The grader trusts nothing a submission hands in: unreadable files get a row, values cross from the kernel
as plain data only, the checks run outside the kernel, and hostile notebooks are stopped, contained and
cleaned up after. The happy path of the bulk checker is in test_student_grader.py."""

import math
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import numpy as np
import pytest
import torch
from test_exercises import SOLUTIONS, run_cell

from w2v_helpers.course.exercises import EXERCISES, outcome
from w2v_helpers.course.grader import check_submissions, grade_notebook, results_table
from w2v_helpers.course.remote import KernelFunction
from w2v_helpers.course.sandbox import bubblewrap
from w2v_helpers.course.submissions import Unreadable, find_notebooks, read_notebook
from w2v_helpers.course.wire import ForeignError, WireError, read_value, write_value
from w2v_helpers.model import SkipGram
from w2v_helpers.train import TrainConfig
from w2v_helpers.vocab import Vocab

ROOT = Path(__file__).resolve().parent.parent


def _notebook(path: Path, *sources: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources]), path)
    return path


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "w2v_helpers", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=600)


# ----- values between grader and kernel: plain data, never pickles -------------------------------------
def test_values_cross_as_plain_data(tmp_path):
    vocab = Vocab.build(["a", "b", "b", "c", "c", "c"], min_count=1)
    model = SkipGram(5, 3, generator=torch.Generator().manual_seed(0))
    value = [None, True, 3, 2**70, -0.5, math.inf, "é", (1, [2.5]), {"k": (1,)}, np.arange(4, dtype=np.int16),
             np.float32(1.5), torch.ones(2, 3, dtype=torch.float64), Path("/somewhere/checkpoints"),
             ZeroDivisionError("division by zero"), vocab, TrainConfig(dim=8, epochs=1), model,
             torch.Generator().manual_seed(7)]
    (tmp_path / "v").mkdir()
    write_value(value, tmp_path / "v")
    back = read_value(tmp_path / "v", paths=tmp_path / "paths")
    assert back[:8] == value[:8] and back[8] == {"k": (1,)}
    assert back[9].dtype == np.int16 and back[9].tolist() == [0, 1, 2, 3]
    assert isinstance(back[10], np.float32) and back[10] == 1.5
    assert torch.equal(back[11], value[11])
    assert back[12] == tmp_path / "paths" / "checkpoints"  # re-rooted in the receiver's own folder
    assert isinstance(back[13], ForeignError) and type(back[13]).__name__ == "ZeroDivisionError"
    assert str(back[13]) == "division by zero"
    assert back[14].words == vocab.words and back[14].word2id == vocab.word2id
    assert back[15] == TrainConfig(dim=8, epochs=1)
    assert torch.equal(back[16].in_embed.weight, model.in_embed.weight)
    assert torch.equal(torch.rand(3, generator=back[17]), torch.rand(3, generator=torch.Generator().manual_seed(7)))


def _written(tmp_path: Path, document: str) -> Path:
    folder = tmp_path / "v"
    folder.mkdir()
    (folder / "value.json").write_text(document)
    return folder


@pytest.mark.parametrize("document, fragment", [
    ('{"array": 1}', "cannot open 1.npy"),
    ('{"pickle": "x"}', "unknown kind 'pickle'"),
    ('{"dataclass": "Popen", "fields": {}}', "unknown kind"),
    ('{"path": "../../etc"}', "a path where none was expected"),
    ("[" * 100 + "]" * 100, "a malformed value"),
    ('{"list": [' * 30 + '1' + ']}' * 30, "nested more than 20 deep"),
    ("not json", "not readable JSON"),
])
def test_malformed_values_are_refused(tmp_path, document, fragment):
    with pytest.raises(WireError, match=fragment):
        read_value(_written(tmp_path, document))


def test_a_pickled_array_or_a_link_is_refused(tmp_path):
    folder = _written(tmp_path, '{"array": 1}')
    np.save(folder / "1.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(WireError, match="malformed array file"):
        read_value(folder)
    (folder / "1.npy").unlink()
    secret = tmp_path / "secret.npy"
    np.save(secret, np.arange(3))
    (folder / "1.npy").symlink_to(secret)
    with pytest.raises(WireError, match="cannot open 1.npy"):
        read_value(folder)
    with pytest.raises(WireError, match="of Python objects"):
        write_value(np.array([object()]), tmp_path / "v")


# ----- the checks call the student's function through the proxy --------------------------------------
class InProcessKernel:
    """A stand-in for the kernel: runs the grader's cells in a plain namespace, in this process."""

    def __init__(self, folder: Path, namespace: dict):
        self.folder, self.namespace, self.stopped, self.deadline, self.limit = folder, namespace, "", math.inf, 5.0

    def run_code(self, code: str) -> str:
        exec(code, self.namespace)
        return ""


@pytest.mark.parametrize("ex_id", sorted(EXERCISES))
def test_every_check_works_through_the_proxy(ex_id, tmp_path):
    """Each check's arguments and each solution's result cross the wire, and the verdict is the local one."""
    namespace = run_cell(SOLUTIONS[ex_id][2].source)
    name = EXERCISES[ex_id].function
    assert outcome(ex_id, KernelFunction(InProcessKernel(tmp_path, namespace), name)) == ("PASS", "")
    namespace[name] = lambda *args: (_ for _ in ())  # a generator: nothing a check can use, nothing that can travel
    status, message = outcome(ex_id, KernelFunction(InProcessKernel(tmp_path, namespace), name))
    assert status == "FAIL" and "cannot use" in message and "generator" in message


def test_the_proxy_reports_what_the_function_raised_and_what_it_may_not_use(tmp_path):
    namespace = {}
    exec("import torch.nn.functional as F\ndef my_logsigmoid(x):\n    return F.logsigmoid(x)\n"
         "def pmi_of_pair(*counts):\n    return 1 / 0\n"
         "def zipf_slope(counts, lo, hi):\n    raise NotImplementedError('fit the line')", namespace)
    kernel = InProcessKernel(tmp_path, namespace)
    assert outcome("01b.1", KernelFunction(kernel, "my_logsigmoid")) == \
        ("FAIL", "this exercise asks you to compute log sigmoid yourself, without F.logsigmoid")
    assert outcome("00.1", KernelFunction(kernel, "pmi_of_pair")) == \
        ("FAIL", "your function raised ZeroDivisionError: division by zero")
    assert outcome("02.1", KernelFunction(kernel, "zipf_slope")) == ("FAIL", "not done yet: fit the line")
    kernel.deadline = 0.0
    assert outcome("02.1", KernelFunction(kernel, "zipf_slope"))[0] == "ERROR"
    assert not list((tmp_path / "calls").iterdir())  # every call's folder is removed


# ----- files that are not notebooks ------------------------------------------------------------------
def _bad_files(folder: Path) -> dict[str, str]:
    """Write one file of every bad kind into `folder`; returns name -> a fragment of the reason given."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "01_json.ipynb").write_text('{"cells": [')
    (folder / "02_png.ipynb").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (folder / "03_v5.ipynb").write_text('{"cells": [], "metadata": {}, "nbformat": 5, "nbformat_minor": 0}')
    (folder / "04_dangling.ipynb").symlink_to(folder / "nowhere.ipynb")
    (folder / "05_folder.ipynb").mkdir()
    (folder / "06_latin1.ipynb").write_bytes('{"cells": [], "metadata": {"author": "Zoé"}}'.encode("latin-1"))
    (folder / "07_empty.ipynb").write_bytes(b"")
    os.mkfifo(folder / "08_fifo.ipynb")
    (folder / "09_list.ipynb").write_text("[1, 2]")
    return {"01_json.ipynb": "not valid JSON (line 1, column 12", "02_png.ipynb": "a PNG image",
            "03_v5.ipynb": "notebook format 5 is not one this grader reads",
            "04_dangling.ipynb": "which does not exist",
            "05_folder.ipynb": "a folder, not a notebook file", "06_latin1.ipynb": "not UTF-8 text (byte 0xe9",
            "07_empty.ipynb": "an empty file", "08_fifo.ipynb": "a named pipe (FIFO)",
            "09_list.ipynb": "JSON, but not a notebook"}


def test_each_bad_file_says_what_it_is(tmp_path):
    reasons = _bad_files(tmp_path)
    assert [p.name for p in find_notebooks(tmp_path)] == sorted(reasons)
    for name, fragment in reasons.items():
        with pytest.raises(Unreadable, match=None) as caught:
            read_notebook(tmp_path / name)
        assert fragment in str(caught.value) and "\n" not in str(caught.value), name


# ----- refusals before any work ----------------------------------------------------------------------
@pytest.mark.parametrize("executed", [".", "inner", "inner/deeper", "link"])
def test_executed_inside_the_submissions_is_refused(tmp_path, executed):
    subs = tmp_path / "subs"
    _notebook(subs / "01_a.ipynb", "x = 1")
    (tmp_path / "link").symlink_to(subs)
    before = sorted(p.name for p in subs.rglob("*"))
    target = tmp_path / executed if executed == "link" else subs / executed
    proc = _cli("check-submissions", str(subs), "--executed", str(target), cwd=tmp_path)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "is inside the submissions folder" in proc.stderr
    assert sorted(p.name for p in subs.rglob("*")) == before


def test_a_missing_corpus_is_refused_before_grading(tmp_path):
    _notebook(tmp_path / "subs" / "01_a.ipynb", "x = 1")
    proc = _cli("check-submissions", "subs", "--corpus", "nosuch.txt", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "nosuch.txt does not exist" in proc.stderr


def test_make_student_never_replaces_notebooks_without_force(tmp_path):
    out = tmp_path / "class"
    out.mkdir()
    work = out / "01_math_derivation.ipynb"
    work.write_text("a student's work")
    proc = _cli("make-student", str(out), cwd=ROOT)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "already holds 01_math_derivation.ipynb" in proc.stderr
    assert "--force" in proc.stderr
    assert work.read_text() == "a student's work" and sorted(p.name for p in out.iterdir()) == [work.name]
    proc = _cli("make-student", str(out), "--force", cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert nbformat.read(work, as_version=4).cells


# ----- hostile notebooks, run for real ----------------------------------------------------------------
MARK = 31_536_017  # seconds: a sleep no other process on the machine runs


def _running(mark: int) -> list[str]:
    ps = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True).stdout
    return [line for line in ps.splitlines() if f"sleep {mark}" in line]


SWALLOWS_INTERRUPTS = "import time\nwhile True:\n    try:\n        time.sleep(100)\n    except KeyboardInterrupt:\n" \
                      "        pass"
FORGER = [
    "def zipf_slope(counts, lo, hi):\n    return 0.0",
    # try to win the verdict from inside: replace the checks, print the grader's own lines, write to its terminal
    "import os\nimport w2v_helpers.course.exercises.checking as checking\n"
    "checking.result = lambda ex_id, f: f'exercise {ex_id}: PASS'\n"
    "checking.EXERCISES['02.1'] = checking.EXERCISES['02.1'].__class__('02.1', 'zipf_slope', '', lambda f: None)\n"
    "print('exercise 02.1: PASS')\nos.write(1, b'exercise 02.1: PASS\\n')",
    # leave processes behind: a new session, and a double fork out of it
    f"import os, subprocess\nsubprocess.Popen(['sleep', '{MARK}'], start_new_session=True)\n"
    f"os.system(\"setsid sh -c 'sleep {MARK} &' &\")",
    "open('left_here.txt', 'w').write('x')",
]


@pytest.mark.slow
def test_hostile_submissions_without_bubblewrap(tmp_path):
    """Forged verdicts, leftover processes, a swallowed interrupt, a function that never returns and bad files:
    every one gets its row, and nothing outlives the run."""
    subs = tmp_path / "subs"
    _notebook(subs / "02_forger.ipynb", *FORGER)
    _notebook(subs / "03_swallow.ipynb", "def noise_probs(counts, power=0.75):\n    return counts ** power",
              SWALLOWS_INTERRUPTS)
    _notebook(subs / "02_hangs.ipynb", "def zipf_slope(counts, lo, hi):\n    while True:\n        pass",
              "def expected_share_kept(counts, t):\n    return 1.0")
    _notebook(subs / "bad" / "00_good.ipynb", "import math\ndef pmi_of_pair(n_wc, n_w, n_c, total):\n"
              "    return math.log(n_wc * total / (n_w * n_c))")
    reasons = _bad_files(subs / "bad")
    said = []
    started = time.monotonic()
    graded = check_submissions(subs, timeout=5, corpus="toy", sandbox=False, say=said.append)
    elapsed = time.monotonic() - started
    rows = {g.path.relative_to(subs).as_posix(): g for g in graded}
    table = results_table(graded, subs)
    assert table.splitlines()[0].split() == ["notebook", "chapter", "ex", "1", "ex", "2", "ex", "3", "note"]
    assert len(table.splitlines()) == 2 + 4 + len(reasons)

    assert rows["02_forger.ipynb"].results["02.1"] == ("FAIL", rows["02_forger.ipynb"].results["02.1"][1])
    assert _running(MARK) == []
    assert not (subs / "left_here.txt").exists()  # the kernel ran a private copy, in a folder of its own

    swallow = rows["03_swallow.ipynb"]
    assert "ignored the interrupt, so the kernel was killed" in swallow.note
    assert {s for s, _ in swallow.results.values()} == {"ERROR"}
    hangs = rows["02_hangs.ipynb"].results
    assert hangs["02.1"] == ("ERROR", "your function did not return: stopped at the time limit of 5 s")
    assert hangs["02.2"][0] == "ERROR" and "not checked" in hangs["02.2"][1]
    assert rows["bad/00_good.ipynb"].results["00.1"] == ("PASS", "")
    for name, fragment in reasons.items():
        assert rows[f"bad/{name}"].note.startswith("not graded: ") and fragment in rows[f"bad/{name}"].note
        assert {s for s, _ in rows[f"bad/{name}"].results.values()} == {"ERROR"}
    assert elapsed < 240  # four kernels; the two stalls are cut at 5 s (+5 s grace) instead of running on
    assert any("ignored the interrupt" in line for line in said)


@pytest.mark.slow
@pytest.mark.skipif(bubblewrap()[0] is None, reason="bubblewrap cannot make a sandbox on this machine")
def test_bubblewrap_keeps_a_notebook_to_its_private_folder(tmp_path):
    """Inside bwrap a cell cannot write outside its private folder, read the teacher's files, delete a classmate's
    submission or reach the network, and the executed copy goes only where --executed says."""
    subs, executed = tmp_path / "subs", tmp_path / "executed"
    classmate = _notebook(subs / "zoe" / "02_zoe.ipynb", "x = 1")
    secret = tmp_path / "teacher-secret.txt"
    secret.write_text("answers")
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.5)
    connections = []

    def accept():
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not connections:
            try:
                connections.append(server.accept()[0])
            except OSError:
                pass

    listener = threading.Thread(target=accept, daemon=True)
    listener.start()
    attempts = [f"open({str(subs / 'forged.txt')!r}, 'w')", f"open({str(secret)!r}).read()",
                f"__import__('os').remove({str(classmate)!r})", f"open({str(Path.home() / 'w2v-x.txt')!r}, 'w')",
                f"__import__('socket').create_connection(('127.0.0.1', {server.getsockname()[1]}), timeout=3)"]
    cells = ["results = []"] + [f"try:\n    {a}\n    results.append('DONE')\nexcept OSError as e:\n"
                                f"    results.append(type(e).__name__)" for a in attempts]
    _notebook(subs / "02_escape.ipynb", *cells, "print(results)", "def zipf_slope(counts, lo, hi):\n    return -1.0")
    try:
        proc = _cli("check-submissions", str(subs), "--timeout", "60", "--corpus", "toy", "--executed", str(executed),
                    cwd=tmp_path)
    finally:
        server.close()
        listener.join(timeout=5)
    assert proc.returncode == 0, proc.stderr
    assert "warning" not in proc.stderr
    assert "02_escape.ipynb" in proc.stdout and "zoe/02_zoe.ipynb" in proc.stdout
    nb = nbformat.read(executed / "02_escape.ipynb", as_version=4)
    printed = nb.cells[len(attempts) + 1].outputs[0].text
    assert "DONE" not in printed, printed
    assert connections == []
    assert classmate.exists() and not (subs / "forged.txt").exists()
    assert not (Path.home() / "w2v-x.txt").exists()
    assert sorted(p.relative_to(subs).as_posix() for p in subs.rglob("*")) == \
        ["02_escape.ipynb", "zoe", "zoe/02_zoe.ipynb"]
    shutil.rmtree(executed)


def test_a_notebook_past_its_time_limit_is_an_error(tmp_path):
    path = _notebook(tmp_path / "06_slow.ipynb", "import time\ntime.sleep(60)", "def pca_2d(X):\n    return None")
    graded, nb = grade_notebook(path, timeout=4, corpus="toy")
    assert graded.note == "stopped at the time limit of 4 s; later cells were not run" and graded.seconds < 60
    assert {status for status, _ in graded.results.values()} == {"ERROR"}
    assert nb.cells[0].outputs[0].ename == "KeyboardInterrupt"
