"""A submitted notebook's kernel, started in its `Sandbox`, run against a deadline, and killed at the end.

`SandboxedKernel(nb, sandbox)` is a context manager around nbclient: entering starts the kernel
(Unix sockets in the private folder, the sandbox's command, environment and limits); `run_cell`
runs one cell of the notebook and `run_code` one cell of the grader's, both only until `deadline`.
A cell still running at the deadline is interrupted; a kernel that does not answer a few seconds
later (a cell that swallows KeyboardInterrupt, a call into C that never returns) is killed, and
`stopped` says why. Leaving the block kills the kernel's process group and, on Linux, every process
it left behind (`reaper`). Outputs past OUTPUT_CAP characters are dropped, so a cell that prints
forever cannot fill the grader's memory. Used by the command line (`python -m w2v_helpers check-submissions`).
"""

from __future__ import annotations

import math
import time
from typing import Any

from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError
from nbclient.util import run_sync

from .reaper import children, kill_adopted
from .sandbox import Sandbox

GRACE = 5.0              # seconds an interrupted cell has to give the kernel back
OUTPUT_CAP = 20_000_000  # characters of output kept per notebook
WARM_UP = 120.0          # seconds for the kernel to import what the grader's calls need
WARM_UP_CELL = "import w2v_helpers.course.remote"


class _CappedClient(NotebookClient):
    """nbclient's client, keeping at most OUTPUT_CAP characters of output in all."""

    kept = 0

    def output(self, outs: list, msg: dict[str, Any], display_id: str | None, cell_index: int) -> Any:
        content = msg.get("content", {})
        size = len(str(content.get("text", ""))) + sum(len(str(v)) for v in content.get("data", {}).values())
        self.kept += size
        if self.kept > OUTPUT_CAP:
            if self.kept - size <= OUTPUT_CAP:
                outs.append({"output_type": "stream", "name": "stderr",
                             "text": f"[output past {OUTPUT_CAP:,} characters dropped by the grader]\n"})
            return None
        return super().output(outs, msg, display_id, cell_index)


class SandboxedKernel:
    """The notebook `nb`'s kernel inside `sandbox`; `stopped` is "" while it can still run code."""

    def __init__(self, nb: Any, sandbox: Sandbox):
        self.nb, self.sandbox, self.folder = nb, sandbox, sandbox.folder
        self.deadline, self.limit, self.stopped = math.inf, 0.0, ""

    def __enter__(self) -> SandboxedKernel:
        from jupyter_client import AsyncKernelManager
        from jupyter_client.kernelspec import KernelSpecManager

        specs = KernelSpecManager(kernel_dirs=[str(self.folder / "kernels")], ensure_native_kernel=False)
        self.km = AsyncKernelManager(kernel_name="w2v-sandbox", kernel_spec_manager=specs, transport="ipc",
                                     ip=str(self.folder / "zmq"), connection_file=str(self.folder / "kernel.json"))
        self.client = _CappedClient(self.nb, km=self.km, timeout=60, allow_errors=True, interrupt_on_timeout=True,
                                    record_timing=False, startup_timeout=120,
                                    resources={"metadata": {"path": str(self.sandbox.work)}})
        self.client.error_on_timeout = {"ename": "TimeoutError", "evalue": "the cell ran past the time limit",
                                        "traceback": []}
        self.before = children()
        # the kernel's own stdout and stderr go to a log in the private folder, never to the grader's terminal
        self.log = open(self.folder / "kernel.log", "wb")  # noqa: SIM115 - closed in __exit__
        self._setup = self.client.setup_kernel(env=self.sandbox.env(), preexec_fn=self.sandbox.limits(),
                                               stdout=self.log, stderr=self.log)
        try:
            self._setup.__enter__()
            self.set_deadline(WARM_UP)
            why = self.run_code(WARM_UP_CELL)  # the grader's own imports, before the notebook's time starts
            self.client.code_cells_executed = 0
        except BaseException:
            self.__exit__(None, None, None)
            raise
        if why:
            self.__exit__(None, None, None)
            raise RuntimeError(f"the kernel could not import w2v_helpers: {why}")
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stopped = self.stopped or "the kernel was shut down"
        try:
            if getattr(self.client, "kc", None) is not None:
                self.client.kc.stop_channels()
            if self.km.has_kernel:
                run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:
            pass
        finally:
            kill_adopted(self.before)
            self.log.close()

    def set_deadline(self, seconds: float) -> None:
        """From now on, cells may run for `seconds` in all."""
        self.limit, self.deadline = seconds, time.monotonic() + seconds

    def run_cell(self, index: int) -> str:
        """Run the notebook's cell `index`: "" when it finished, else why not (out of time, no kernel)."""
        if self.stopped:
            return self.stopped
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            return f"stopped at the time limit of {self.limit:g} s"
        self.client.timeout = max(1, math.ceil(remaining))
        try:
            self.client.execute_cell(self.nb.cells[index], index,
                                     execution_count=self.client.code_cells_executed + 1)
        except DeadKernelError:
            return self._stop("the kernel died (out of memory or CPU time, or the notebook ended it)")
        except Exception as exc:
            return self._stop(f"the kernel stopped answering ({type(exc).__name__}: {exc})")
        if time.monotonic() >= self.deadline - 0.5:  # nbclient interrupted it at the deadline
            if not self._answers():
                return self._stop(f"stopped at the time limit of {self.limit:g} s; the running cell ignored the "
                                  "interrupt, so the kernel was killed")
            return f"stopped at the time limit of {self.limit:g} s"
        return ""

    def run_code(self, code: str) -> str:
        """Run a cell of the grader's own in the kernel (not kept in the notebook): "" or why it did not finish."""
        self.nb.cells.append(self._new_cell(code))
        try:
            return self.run_cell(len(self.nb.cells) - 1)
        finally:
            self.nb.cells.pop()

    def _answers(self) -> bool:
        """After an interrupt: does the kernel run a trivial cell within GRACE seconds?"""
        self.deadline = time.monotonic() + GRACE
        self.nb.cells.append(self._new_cell("pass"))
        try:
            self.client.timeout = math.ceil(GRACE)
            self.client.execute_cell(self.nb.cells[-1], len(self.nb.cells) - 1)
            return time.monotonic() < self.deadline - 0.5
        except Exception:
            return False
        finally:
            self.nb.cells.pop()
            self.deadline = time.monotonic()

    def _stop(self, why: str) -> str:
        """Kill the kernel now; every later call fails with `why`."""
        self.stopped = why
        try:
            if self.km.has_kernel:
                run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:
            pass
        kill_adopted(self.before)
        return why

    @staticmethod
    def _new_cell(code: str) -> Any:
        import nbformat

        return nbformat.v4.new_code_cell(code)
