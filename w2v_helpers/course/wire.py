"""Values passed to and from a submission's kernel, written as JSON and .npy files: nothing is ever unpickled.

The grader calls a student's function in the kernel that ran the notebook (`remote`); its arguments
and its result cross between the two processes as a folder holding `value.json` and one `N.npy`
per array. Only plain data is understood: None, bools, numbers, strings, lists, tuples, dicts,
NumPy arrays and scalars, torch tensors and generators, paths (re-rooted in the receiver's own
folder), exceptions (as their type name and message), the dataclasses and models listed in
`_classes`. Arrays are read with `allow_pickle=False`, files are opened without following links
and with a size cap, so a hostile kernel can make a value wrong but can never run code in the grader.
Used by the command line (`python -m w2v_helpers check-submissions`).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import stat
from pathlib import Path
from typing import Any

import numpy as np
import torch

MAX_BYTES = 512 * 1024 * 1024   # the most a value may take on disk, all files together
MAX_DEPTH = 20                  # nesting of lists, tuples and dicts
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,79}")


class WireError(Exception):
    """A value that cannot be written or read safely; the message says what it was."""


class ForeignError(Exception):
    """An exception that was raised, or returned, on the other side; its class name is in `type_name`."""

    def __init__(self, type_name: str, message: str):
        super().__init__(message)
        self.type_name = type_name


def foreign_exception(type_name: str, message: str) -> Exception:
    """An exception of a fresh class named like the original, so messages read `ZeroDivisionError: ...`."""
    name = type_name if NAME.fullmatch(type_name) else "Exception"
    if name == "NotImplementedError":
        return NotImplementedError(message)
    return type(name, (ForeignError,), {})(name, message)


def _classes() -> dict[str, type]:
    from ..model import SkipGram
    from ..train import TrainConfig
    from ..vocab import Vocab

    return {"Vocab": Vocab, "TrainConfig": TrainConfig, "SkipGram": SkipGram}


class _Writer:
    def __init__(self, folder: Path):
        self.folder, self.arrays = folder, 0

    def array(self, a: np.ndarray) -> int:
        if a.dtype.hasobject:
            raise WireError("an array of Python objects")
        self.arrays += 1
        np.save(self.folder / f"{self.arrays}.npy", a, allow_pickle=False)
        return self.arrays

    def tensor(self, t: torch.Tensor) -> dict:
        t = t.detach().cpu()
        if t.is_sparse or t.dtype in (torch.bfloat16, torch.complex32):
            t = t.to_dense().float() if t.dtype == torch.bfloat16 else t.to_dense()
        return {"tensor": self.array(t.numpy()), "parameter": isinstance(t, torch.nn.Parameter)}

    def value(self, x: Any, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise WireError(f"a value nested more than {MAX_DEPTH} deep")
        if x is None or isinstance(x, (bool, str)):
            return x
        if isinstance(x, int):
            return x if abs(x) < 2**63 else {"bigint": str(x)}
        if isinstance(x, float):
            return x if np.isfinite(x) else {"float": repr(x)}
        if isinstance(x, (np.ndarray, np.generic)):
            return {"array": self.array(np.asarray(x)), "scalar": isinstance(x, np.generic)}
        if isinstance(x, torch.nn.Parameter):
            return {**self.tensor(x.data), "parameter": True}
        if isinstance(x, torch.Tensor):
            return self.tensor(x)
        if isinstance(x, torch.Generator):
            return {"generator": self.array(x.get_state().numpy())}
        if isinstance(x, os.PathLike):
            return {"path": Path(x).name}
        if isinstance(x, BaseException):
            return {"exception": [type(x).__name__, str(x)]}
        if isinstance(x, (list, tuple)):
            return {type(x).__name__ if type(x) in (list, tuple) else "list": [self.value(v, depth + 1) for v in x]}
        if isinstance(x, dict):
            return {"dict": [[self.value(k, depth + 1), self.value(v, depth + 1)] for k, v in x.items()]}
        kind = type(x).__name__
        if _classes().get(kind) is type(x):
            if isinstance(x, torch.nn.Module):
                return {"module": kind, "state": self.value(module_state(x), depth + 1),
                        "sparse": bool(getattr(getattr(x, "in_embed", None), "sparse", False))}
            fields = {f.name: self.value(getattr(x, f.name), depth + 1) for f in dataclasses.fields(x) if f.init}
            return {"dataclass": kind, "fields": fields}
        raise WireError(f"a value of type {type(x).__module__}.{type(x).__qualname__}")


def module_state(module: torch.nn.Module) -> dict[str, Any]:
    """The module's parameters by dotted name, as they are now (a replaced one as whatever replaced it)."""
    state = {}
    for name, _ in module.named_parameters(remove_duplicate=False):
        owner, _, attr = name.rpartition(".")
        state[name] = getattr(module.get_submodule(owner) if owner else module, attr, None)
    return state


def write_value(x: Any, folder: str | os.PathLike) -> None:
    """Write `x` into an empty `folder` as value.json and its arrays; WireError for what cannot travel."""
    folder = Path(folder)
    writer = _Writer(folder)
    document = json.dumps(writer.value(x), allow_nan=False)
    (folder / "value.json").write_text(document, encoding="utf-8")


class _Reader:
    def __init__(self, folder: Path, paths: Path | None):
        self.folder, self.paths, self.budget = folder, paths, MAX_BYTES

    def _bytes(self, name: str) -> bytes:
        """A regular file of the folder, never through a link, within what is left of the size budget."""
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        try:
            fd = os.open(self.folder / name, flags)
        except OSError as exc:
            raise WireError(f"cannot open {name}: {exc.strerror or exc}") from None
        with os.fdopen(fd, "rb") as f:
            info = os.fstat(f.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise WireError(f"{name} is not a regular file")
            if info.st_size > self.budget:
                raise WireError(f"the value takes more than {MAX_BYTES // 2**20} MB")
            data = f.read(self.budget + 1)
        self.budget -= len(data)
        if self.budget < 0:
            raise WireError(f"the value takes more than {MAX_BYTES // 2**20} MB")
        return data

    def array(self, index: Any) -> np.ndarray:
        if not isinstance(index, int) or isinstance(index, bool) or index < 1:
            raise WireError("a malformed array reference")
        import io

        try:
            return np.load(io.BytesIO(self._bytes(f"{index}.npy")), allow_pickle=False)
        except (ValueError, OSError, EOFError) as exc:
            raise WireError(f"a malformed array file ({exc})") from None

    def tensor(self, doc: dict) -> torch.Tensor:
        t = torch.from_numpy(np.array(self.array(doc["tensor"])))
        return torch.nn.Parameter(t, requires_grad=t.is_floating_point()) if doc.get("parameter") is True else t

    def value(self, doc: Any, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise WireError(f"a value nested more than {MAX_DEPTH} deep")
        if doc is None or isinstance(doc, (bool, int, float, str)):
            return doc
        if not isinstance(doc, dict) or len(doc) == 0:
            raise WireError("a malformed value")
        kind = next(iter(doc))
        body = doc[kind]
        if kind in ("list", "tuple") and isinstance(body, list):
            items = [self.value(v, depth + 1) for v in body]
            return items if kind == "list" else tuple(items)
        if kind == "dict" and isinstance(body, list):
            return {self._key(pair, depth): self.value(pair[1], depth + 1) for pair in body}
        if kind == "bigint" and isinstance(body, str) and re.fullmatch(r"-?\d{1,4000}", body):
            return int(body)
        if kind == "float" and body in ("nan", "inf", "-inf"):
            return float(body)
        if kind == "array":
            a = self.array(body)
            return a[()] if doc.get("scalar") is True and a.ndim == 0 else a
        if kind == "tensor":
            return self.tensor(doc)
        if kind == "generator":
            g = torch.Generator()
            try:
                g.set_state(torch.from_numpy(np.array(self.array(body), dtype=np.uint8)))
            except (RuntimeError, TypeError, ValueError) as exc:
                raise WireError(f"a malformed generator state ({exc})") from None
            return g
        if kind == "path" and isinstance(body, str):
            return self._path(body)
        if kind == "exception" and isinstance(body, list) and len(body) == 2 and all(isinstance(s, str) for s in body):
            return foreign_exception(*body)
        if kind in ("dataclass", "module") and isinstance(body, str) and body in _classes():
            return self._object(doc, depth)
        raise WireError(f"a value of an unknown kind {kind!r}")

    def _key(self, pair: Any, depth: int) -> Any:
        if not isinstance(pair, list) or len(pair) != 2:
            raise WireError("a malformed dict")
        key = self.value(pair[0], depth + 1)
        try:
            hash(key)
        except TypeError:
            raise WireError("a dict with an unhashable key") from None
        return key

    def _path(self, name: str) -> Path:
        if self.paths is None or name in ("", ".", "..") or "/" in name or "\\" in name or "\0" in name:
            raise WireError("a path where none was expected")
        self.paths.mkdir(parents=True, exist_ok=True)
        return self.paths / name

    def _object(self, doc: dict, depth: int) -> Any:
        cls = _classes()[doc.get("dataclass") or doc.get("module")]
        if "module" in doc:
            state = self.value(doc.get("state"), depth + 1)
            if not isinstance(state, dict):
                raise WireError("a malformed model")
            first = next((t for t in state.values() if isinstance(t, torch.Tensor) and t.ndim == 2), None)
            if first is None:
                raise WireError("a model without its tables")
            model = cls(*first.shape, sparse=doc.get("sparse") is True)
            apply_state(model, state)
            return model
        fields = doc.get("fields")
        if not isinstance(fields, dict):
            raise WireError("a malformed dataclass")
        names = {f.name for f in dataclasses.fields(cls) if f.init}
        if not set(fields) <= names:
            raise WireError(f"unknown fields for {cls.__name__}")
        try:
            return cls(**{k: self.value(v, depth + 1) for k, v in fields.items()})
        except Exception as exc:
            raise WireError(f"cannot rebuild {cls.__name__} ({type(exc).__name__}: {exc})") from None


def apply_state(model: torch.nn.Module, state: dict[str, Any]) -> None:
    """Make `model`'s parameters what `state` (from `module_state`) says: the same tensors in place when they fit."""
    for name, value in state.items():
        owner, _, attr = name.rpartition(".")
        try:
            sub = model.get_submodule(owner) if owner else model
        except AttributeError:
            continue
        current = getattr(sub, attr, None)
        if isinstance(value, torch.nn.Parameter) and isinstance(current, torch.nn.Parameter) \
                and current.shape == value.shape and current.dtype == value.dtype:
            with torch.no_grad():
                current.copy_(value)
        elif isinstance(value, torch.nn.Parameter) or value is None:
            sub._parameters[attr] = value
        else:
            sub._parameters.pop(attr, None)
            object.__setattr__(sub, attr, value)


def read_value(folder: str | os.PathLike, paths: str | os.PathLike | None = None) -> Any:
    """Read what `write_value` wrote; WireError if it is malformed, too large or of a kind not listed above.

    A path in the value becomes a fresh name under `paths` (None: paths are refused).
    """
    folder = Path(folder)
    reader = _Reader(folder, Path(paths) if paths is not None else None)
    try:
        document = json.loads(reader._bytes("value.json").decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise WireError(f"value.json is not readable JSON ({type(exc).__name__})") from None
    try:
        return reader.value(document)
    except RecursionError:
        raise WireError(f"a value nested more than {MAX_DEPTH} deep") from None
