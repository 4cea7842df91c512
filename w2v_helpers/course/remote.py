"""A student's function called from the grader: the call runs in the submission's kernel, the verdict does not.

`KernelFunction(kernel, name)` is a callable the exercise checks receive in place of the student's
function. Calling it writes the arguments into a fresh folder under the kernel's private folder
(`wire`), runs `serve(...)` in the kernel (one short cell: look the function up in the notebook's
namespace, call it, write back what it returned or raised), and reads the reply. The checks, their
reference answers and their comparisons stay in the grader's own process, so nothing a notebook
defines or prints can change a verdict; the worst a hostile kernel can do is return a wrong value.
Used by the command line (`python -m w2v_helpers check-submissions`).
"""

from __future__ import annotations

import importlib
import itertools
import os
import shutil
import stat
import time
from pathlib import Path
from typing import Any, Protocol

from .exercises.checking import Hint, Stopped
from .wire import WireError, apply_state, foreign_exception, module_state, read_value, write_value

SERVE_CELL = """\
import w2v_helpers.course.remote as _w2v_remote
_w2v_remote.serve({folder!r}, globals())"""
DEFINED_CELL = """\
import w2v_helpers.course.remote as _w2v_remote
_w2v_remote.report_defined({folder!r}, globals(), {names!r})"""


class Kernel(Protocol):
    """What a KernelFunction needs of the kernel: its private folder and a way to run one cell there."""

    folder: Path
    stopped: str
    deadline: float  # time.monotonic() at which the checks' time runs out
    limit: float

    def run_code(self, code: str) -> str: ...  # "" when it finished, else why not


class _Forbidden(Exception):
    pass


class KernelFunction:
    """The student's function `name`, called in the kernel; raises what it raised, returns what it returned.

    Used by the command line (`python -m w2v_helpers check-submissions`).
    """

    _calls = itertools.count(1)

    def __init__(self, kernel: Kernel, name: str):
        self.kernel, self.__name__ = kernel, name

    def __repr__(self) -> str:
        return f"<the notebook's {self.__name__}()>"

    def __call__(self, *args: Any) -> Any:
        return self.call(args)

    def call(self, args: tuple, forbid: tuple[str, str, str] | None = None) -> Any:
        """Call the function on `args`; `forbid` = (module, attribute, message): that attribute raises while it runs."""
        if self.kernel.stopped:
            raise Stopped(f"not checked: {self.kernel.stopped}")
        if time.monotonic() >= self.kernel.deadline:
            raise Stopped(f"not checked: an earlier call used up the {self.kernel.limit:g} s allowed for the checks")
        folder = self.kernel.folder / "calls" / str(next(self._calls))
        (folder / "in").mkdir(parents=True)
        try:
            write_value({"function": self.__name__, "args": list(args), "forbid": forbid}, folder / "in")
        except WireError as exc:  # the check's own arguments: a bug here, not the student's
            raise RuntimeError(f"cannot pass {exc} to the notebook's kernel") from None
        why = self.kernel.run_code(SERVE_CELL.format(folder=str(folder)))
        if why:
            raise Stopped(f"your function did not return: {why}")  # the kernel answers again, or was killed
        try:
            reply = _read_reply(folder / "out")
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        if "hint" in reply:
            raise Hint(str(reply["hint"]))
        if "raised" in reply:
            raise reply["raised"]
        for index, state in reply.get("after", {}).items():  # models the function changed in place
            if isinstance(index, int) and 0 <= index < len(args) and isinstance(state, dict):
                apply_state(args[index], state)
        return reply.get("returned")


def defined_functions(kernel: Kernel, names: list[str]) -> tuple[set[str], str]:
    """Which of `names` the notebook defines as functions: (names, "") or (set(), why the kernel could not say)."""
    if kernel.stopped:
        return set(), kernel.stopped
    folder = kernel.folder / "calls" / str(next(KernelFunction._calls))
    folder.mkdir(parents=True)
    why = kernel.run_code(DEFINED_CELL.format(folder=str(folder), names=[str(n) for n in names]))
    try:
        found = read_value(folder / "out") if not why else set()
    except WireError as exc:
        found, why = set(), f"the kernel's answer cannot be read ({exc})"
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {n for n in found if n in names} if isinstance(found, list) else set(), why


def _read_reply(out: Path) -> dict:
    """The kernel's reply: a real folder holding one readable value; a Hint saying why otherwise."""
    try:
        is_folder = stat.S_ISDIR(os.lstat(out).st_mode)
    except OSError:
        is_folder = False
    if not is_folder:
        raise Hint("your function left no result (did it end the kernel, or change the w2v_helpers package?)")
    try:
        reply = read_value(out)
    except WireError as exc:
        raise Hint(f"the checker cannot read what your function returned: {exc}") from None
    if not isinstance(reply, dict):
        raise Hint("the checker cannot read what your function returned")
    if "unreadable" in reply:
        raise Hint(f"your function returned something the checker cannot use: {reply['unreadable']}")
    if "raised" in reply and not isinstance(reply["raised"], BaseException):
        raise Hint("the checker cannot read what your function raised")
    return reply


# ----- in the kernel ----------------------------------------------------------------------------------
def serve(folder: str, namespace: dict[str, Any]) -> None:
    """Run in the kernel: read a call from `folder`/in, make it, write the reply to `folder`/out."""
    import torch

    folder_path = Path(folder)
    out = folder_path / "out"
    out.mkdir()
    request = read_value(folder_path / "in", paths=folder_path / "paths")
    args = request["args"]
    try:
        function = namespace.get(request["function"])
        if not callable(function):
            raise NameError(f"name {request['function']!r} is not defined")
        with _forbidden(request["forbid"]):
            returned = function(*args)
        reply = {"returned": returned,
                 "after": {i: module_state(a) for i, a in enumerate(args) if isinstance(a, torch.nn.Module)}}
    except _Forbidden as exc:
        reply = {"hint": str(exc)}
    except Exception as exc:
        reply = {"raised": exc}
    except SystemExit as exc:
        reply = {"raised": foreign_exception("SystemExit", str(exc.code))}
    try:
        write_value(reply, out)
    except WireError as exc:
        for leftover in out.iterdir():
            leftover.unlink()
        write_value({"unreadable": f"{exc} (return numbers, strings, lists, tuples, NumPy arrays or tensors)"}, out)


def report_defined(folder: str, namespace: dict[str, Any], names: list[str]) -> None:
    """Run in the kernel: write to `folder`/out the list of `names` that are callables in the namespace."""
    out = Path(folder) / "out"
    out.mkdir()
    write_value([n for n in names if callable(namespace.get(n))], out)


class _forbidden:
    """While active, module.attribute raises _Forbidden(message); nothing when `spec` is None."""

    def __init__(self, spec: list | tuple | None):
        self.spec = spec

    def __enter__(self) -> None:
        if self.spec:
            module, attribute, message = self.spec
            self.owner = importlib.import_module(module)
            self.saved = getattr(self.owner, attribute)

            def refuse(*args: Any, **kwargs: Any) -> None:
                raise _Forbidden(message)

            setattr(self.owner, attribute, refuse)

    def __exit__(self, *exc: Any) -> None:
        if self.spec:
            setattr(self.owner, self.spec[1], self.saved)
