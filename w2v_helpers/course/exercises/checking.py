"""The checking core shared by every chapter's checks: the registry, the printed line, the helpers.

A chapter module registers each check with `@_exercise(id, function, stub)`: the decorated function
returns None when the student's function is right, else the hint, and becomes the printing
`check_NN_k` the notebooks call. `result` turns a check into its line and never raises;
`grade_chapter` runs a chapter's checks on whatever a notebook defined.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from unittest import mock

import numpy as np
import torch


@dataclass(frozen=True)
class Exercise:
    id: str                                   # "01.1": chapter 01, exercise 1
    function: str                             # the name of the function the notebook asks for
    stub: str                                 # what the student version's NotImplementedError says
    verify: Callable[[Callable], str | None]  # None when right, else what is wrong


EXERCISES: dict[str, Exercise] = {}


class Hint(Exception):
    """Raised inside a check to end it with this message as the FAIL hint."""


class Stopped(Exception):
    """The student's function could not be run to its end (the grader stopped its kernel); the message says why."""


class _TheirError(Exception):
    """An exception raised by the student's function (not by the check)."""


def outcome(ex_id: str, function: Callable) -> tuple[str, str]:
    """(status, message) of a check: ("PASS", ""), ("FAIL", hint), or ("ERROR", why) when the grader stopped it."""
    ex = EXERCISES[ex_id]
    try:
        problem = ex.verify(function)
    except Stopped as exc:
        return "ERROR", str(exc)
    except NotImplementedError as exc:
        problem = f"not done yet: {exc or ex.stub}"
    except Hint as hint:
        problem = str(hint)
    except _TheirError as exc:
        cause = exc.__cause__
        problem = f"your function raised {type(cause).__name__}: {cause}"
    except Exception as exc:  # the check could not use what the function returned
        problem = f"could not use what your function returned ({type(exc).__name__}: {exc})"
    return ("PASS", "") if problem is None else ("FAIL", problem)


def result(ex_id: str, function: Callable) -> str:
    """The line a check prints, `exercise NN.k: PASS` or `exercise NN.k: FAIL - hint`."""
    status, message = outcome(ex_id, function)
    return f"exercise {ex_id}: {status}" + (f" - {message}" if message else "")


def grade_chapter(chapter: str, namespace: dict[str, Any]) -> None:
    """Print one line per exercise of a chapter, looking the functions up in `namespace`."""
    for ex in EXERCISES.values():
        if ex.id.startswith(f"{chapter}."):
            function = namespace.get(ex.function)
            print(result(ex.id, function) if callable(function)
                  else f"exercise {ex.id}: MISSING - the notebook defines no function {ex.function}()")


def _exercise(ex_id: str, function: str, stub: str):
    """Register a check and turn it into the printing `check_NN_k` the notebooks call."""
    def register(verify: Callable[[Callable], str | None]) -> Callable[[Callable], None]:
        EXERCISES[ex_id] = Exercise(ex_id, function, stub, verify)

        def check(fn: Callable) -> None:
            print(result(ex_id, fn))

        check.__name__ = check.__qualname__ = verify.__name__
        check.__doc__ = verify.__doc__
        return check
    return register


# ----- small helpers shared by the checks ---------------------------------------------------------
def _call(fn: Callable, *args: Any) -> Any:
    """Call the student's function; its exceptions are reported as theirs, hints pass through."""
    try:
        return fn(*args)
    except (NotImplementedError, Hint, Stopped):
        raise
    except Exception as exc:
        raise _TheirError() from exc


def _call_without(fn: Callable, args: tuple, module: Any, attribute: str, message: str) -> Any:
    """`_call(fn, *args)` while `module.attribute` raises Hint(message): in the kernel when fn runs there."""
    from ..remote import KernelFunction

    if isinstance(fn, KernelFunction):
        return _call(lambda *a: fn.call(a, forbid=(module.__name__, attribute, message)), *args)

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise Hint(message)

    with mock.patch.object(module, attribute, refuse):
        return _call(fn, *args)


def _array(x: Any) -> np.ndarray:
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu().numpy()
    return np.asarray(x, dtype=np.float64)


def _close(got: Any, want: Any, rtol: float = 1e-5, atol: float = 1e-7) -> bool:
    got, want = _array(got), _array(want)
    return got.shape == want.shape and bool(np.allclose(got, want, rtol=rtol, atol=atol))


def _diagnose(got: Any, want: Any, mistakes: list[tuple[Any, str]], otherwise: str, **tol: float) -> str | None:
    """None if got matches want; else the hint of the first known mistake it matches, else `otherwise`."""
    if _array(got).shape != _array(want).shape:
        return f"the result has shape {_array(got).shape}, expected {_array(want).shape}"
    if _close(got, want, **tol):
        return None
    for wrong, hint in mistakes:
        if _close(got, wrong, **tol):
            return hint
    return otherwise


def _zipf_counts(n: int = 3000, seed: int = 2) -> np.ndarray:
    """Word counts that fall roughly as rank^-1.05, with noise, sorted from most to least frequent."""
    rng = np.random.default_rng(seed)
    ranks = np.arange(1, n + 1)
    counts = np.maximum(1.0, np.round(1e6 * ranks ** -1.05 * rng.lognormal(0.0, 0.3, n)))
    return np.sort(counts)[::-1].astype(np.int64)
