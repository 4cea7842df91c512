"""JupyterLab in a browser: the client learners and teachers open the chapters in.

JupyterLab serves a temporary copy of notebooks/ on the loopback interface (a free port, a token,
settings and workspaces of its own, kernels on the toy corpus); Debian's chromium, driven by
playwright, opens Chapter 1, runs it from the Run menu and checks that every code cell ran, none
shows an error, and each exercise's check printed its "not done yet" line. It then opens the
chapter's jupytext .py twin the way a reader does (right click > Open With > Jupytext Notebook) and
checks that it shows as a notebook with the chapter's cells. Screenshots of both are kept
under pytest's tmp dir, and copied to $W2V_ARTIFACTS when that is set.

Every wait is bounded by what is left of one budget for the whole test, and the server (with its
kernels) is stopped however the test ends. Without chromium or playwright the test is skipped
(CI installs both: see .ci/run).
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHAPTER = "01_math_derivation"
EXERCISES = ("01.1", "01.2")
BUDGET_S = 300  # the whole test; it takes under a minute on two cores
STEP_S = 90  # at most one wait (page load, kernel start, a menu), within what is left of the budget
ERROR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]'
STDERR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
ALL_RAN = """([node, n]) => {
    const prompts = [...node.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')].map(p => p.textContent);
    return prompts.filter(p => /\\[\\d+\\]/.test(p)).length >= n && !prompts.some(p => p.includes('*'));
}"""


class Clock:
    """What is left of the test's budget, as a playwright timeout (ms)."""

    def __init__(self, seconds: float):
        self.start = time.monotonic()
        self.deadline = self.start + seconds

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def ms(self, cap_s: float = STEP_S) -> float:
        return max(1.0, min(cap_s, self.left()) * 1000)


def skip_without_browser() -> None:
    reason = None
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "the Python package playwright is missing (pip install playwright)"
    if reason:
        print(f"\nskipping the JupyterLab browser test: {reason}")
        pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def copy_notebooks(dest: Path) -> tuple[int, int]:
    """notebooks/ into dest, Chapter 1 without its stored outputs; returns its code cells, all and non-empty.

    Without stored outputs, an `exercise ...: FAIL - not done yet` line on the page can only come from this run. The .py
    files are touched last: jupytext refuses to open a paired notebook whose .ipynb is newer than its text.
    """
    import nbformat

    shutil.copytree(ROOT / "notebooks", dest, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    path = dest / f"{CHAPTER}.ipynb"
    nb = nbformat.read(path, as_version=4)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    for cell in code:
        cell.outputs, cell.execution_count = [], None
    nbformat.write(nb, path)
    for text in dest.glob("*.py"):
        os.utime(text)
    return len(code), sum(1 for cell in code if cell.source.strip())


def start_lab(tmp: Path, root_dir: Path, port: int, token: str) -> subprocess.Popen:
    """JupyterLab on 127.0.0.1:port, its own settings (no news toast, no request to the news feed)."""
    settings = tmp / "settings" / "@jupyterlab/apputils-extension/notification.jupyterlab-settings"
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    env = dict(os.environ, W2V_CORPUS="toy", W2V_DEVICE="cpu", PYTHONHASHSEED="0",
               JUPYTER_CONFIG_DIR=str(tmp / "config"), JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
           "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root_dir}",
           f"--LabApp.user_settings_dir={tmp / 'settings'}", f"--LabApp.workspaces_dir={tmp / 'workspaces'}"]
    with (tmp / "server.log").open("wb") as log:
        return subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def wait_for_server(proc: subprocess.Popen, url: str, clock: Clock, log: Path) -> None:
    while clock.left() > 0:
        if proc.poll() is not None:
            pytest.fail(f"JupyterLab exited with code {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:  # URLError is one; refused until the server listens
            pass
        time.sleep(0.5)
    pytest.fail(f"JupyterLab did not answer at {url.split('?')[0]} in time:\n{log.read_text()[-3000:]}")


def stop(proc: subprocess.Popen) -> None:
    """The server, then any kernel it leaves behind (kernels run in sessions of their own)."""
    try:
        import psutil

        children = psutil.Process(proc.pid).children(recursive=True)
    except Exception:  # psutil missing, or the server already gone
        children = []
    if proc.poll() is None:
        os.killpg(proc.pid, 15)  # the server shuts its kernels down on SIGTERM
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait(timeout=15)
    for child in children:
        try:
            child.kill()
        except Exception:  # gone already, as it should be
            pass


def keep(shot: Path) -> None:
    print(f"\nscreenshot: {shot}")
    if os.environ.get("W2V_ARTIFACTS"):
        artifacts = Path(os.environ["W2V_ARTIFACTS"])
        artifacts.mkdir(parents=True, exist_ok=True)
        print(f"copied to {shutil.copy(shot, artifacts / shot.name)}")


def menu_item(page, selector: str, label: str):
    """The visible menu (bar) item whose label is exactly `label`."""
    exact = re.compile(f"^{re.escape(label)}$")
    return page.locator(f"{selector}:visible").filter(has=page.locator("[class$='-itemLabel']", has_text=exact))


def wait_for_kernel(page, clock: Clock) -> None:
    """The status bar names a started kernel and says it is idle (before that it reads "No Kernel | ...")."""
    from playwright.sync_api import expect

    status = page.locator('.jp-StatusBar-TextItem[title^="Change kernel"]')
    expect(status).to_have_text(re.compile(r"^(?!No Kernel).+ \| Idle$"), timeout=clock.ms())


def run_all(page, panel, cells: tuple[int, int], clock: Clock, tmp: Path) -> None:
    """Run > Run All Cells, then wait until every non-empty code cell has an execution count and the kernel is idle."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect

    expect(panel.locator(".jp-CodeCell")).to_have_count(cells[0], timeout=clock.ms())  # the chapter has loaded
    wait_for_kernel(page, clock)
    menu_item(page, ".lm-MenuBar-item", "Run").click(timeout=clock.ms())
    menu_item(page, ".lm-Menu-item", "Run All Cells").click(timeout=clock.ms())
    try:
        page.wait_for_function(ALL_RAN, arg=[panel.element_handle(timeout=clock.ms()), cells[1]],
                               timeout=clock.ms(cap_s=BUDGET_S), polling=500)
    except PlaywrightTimeout:
        page.screenshot(path=str(tmp / "timed_out.png"))
        prompts = panel.locator(".jp-CodeCell .jp-InputArea-prompt").all_text_contents()
        pytest.fail(f"the chapter did not finish in time; prompts {prompts}; see {tmp / 'timed_out.png'}")
    wait_for_kernel(page, clock)


def check_outputs(panel, clock: Clock) -> None:
    """No error output, no traceback on stderr, and each exercise's check printed its line for an unsolved
    stub, as a learner first sees it (text of all cells, on screen or not)."""
    from playwright.sync_api import expect

    errors = panel.locator(ERROR).all_text_contents()
    tracebacks = [text for text in panel.locator(STDERR).all_text_contents() if "Traceback" in text]
    assert not errors and not tracebacks, f"error output in the chapter:\n{(errors + tracebacks)[0]}"
    outputs = panel.locator(".jp-OutputArea-output")
    for name in EXERCISES:
        expect(outputs.filter(has_text=f"exercise {name}: FAIL - not done yet")).to_have_count(1, timeout=clock.ms())
    outputs.filter(has_text=f"exercise {EXERCISES[0]}: FAIL").evaluate("node => node.scrollIntoView()")


def open_text_notebook(page, name: str, root_dir: Path, clock: Clock) -> None:
    """Right click on the .py in the file browser > Open With > Jupytext Notebook: a notebook tab
    with the chapter's cells, as jupytext reads them from the file."""
    import jupytext
    from playwright.sync_api import expect

    cells = jupytext.read(root_dir / name).cells
    assert len(cells) > 10, f"{name}: jupytext reads {len(cells)} cells"
    page.locator(".jp-DirListing-itemText", has_text=re.compile(f"^{re.escape(name)}$")).click(
        button="right", timeout=clock.ms())
    menu_item(page, ".lm-Menu-item", "Open With").hover(timeout=clock.ms())
    menu_item(page, ".lm-Menu-item", "Jupytext Notebook").click(timeout=clock.ms())
    expect(page.locator(".lm-TabBar-tab.lm-mod-current", has_text=name)).to_be_visible(timeout=clock.ms())
    panel = page.locator(".jp-NotebookPanel:visible", has=page.locator(".jp-Notebook"))
    expect(panel).to_have_count(1, timeout=clock.ms())
    for kind in ("code", "markdown"):
        count = sum(cell.cell_type == kind for cell in cells)
        expect(panel.locator(f".jp-{kind.capitalize()}Cell")).to_have_count(count, timeout=clock.ms())


def test_chapter_runs_in_jupyterlab(tmp_path):
    skip_without_browser()
    from playwright.sync_api import expect, sync_playwright

    clock = Clock(BUDGET_S)
    root_dir = tmp_path / "notebooks"
    cells = copy_notebooks(root_dir)
    port, token = free_port(), os.urandom(16).hex()
    base = f"http://127.0.0.1:{port}"
    proc = start_lab(tmp_path, root_dir, port, token)
    try:
        wait_for_server(proc, f"{base}/api/status?token={token}", clock, tmp_path / "server.log")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), timeout=clock.ms())
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1200})
                page.goto(f"{base}/lab/tree/{CHAPTER}.ipynb?token={token}", timeout=clock.ms())
                panel = page.locator(".jp-NotebookPanel", has=page.locator(".jp-Notebook"))
                expect(panel).to_have_count(1, timeout=clock.ms())
                run_all(page, panel, cells, clock, tmp_path)
                check_outputs(panel, clock)
                page.screenshot(path=str(tmp_path / f"{CHAPTER}_executed.png"), timeout=clock.ms())
                keep(tmp_path / f"{CHAPTER}_executed.png")

                open_text_notebook(page, f"{CHAPTER}.py", root_dir, clock)
                page.screenshot(path=str(tmp_path / f"{CHAPTER}_py_as_notebook.png"), timeout=clock.ms())
                keep(tmp_path / f"{CHAPTER}_py_as_notebook.png")
            finally:
                browser.close()
    finally:
        stop(proc)
    print(f"JupyterLab browser test: {time.monotonic() - clock.start:.0f} s")
