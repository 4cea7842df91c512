"""The walls around a submission's kernel: a private folder, a plain environment, limits, and bubblewrap.

Every submission runs in a fresh private folder (`Sandbox`): the notebook copy and the kernel's
working folder, home, temporary files and data folder all live there, and the folder is deleted
afterwards. The kernel gets a small environment (no tokens or credentials of the teacher's),
resource limits set in the child before it starts (address space, CPU seconds, file size, no core
files), and on Linux with bubblewrap (`bwrap`) a sandbox of its own: the system and Python read-only,
nothing of the teacher's files but the package and the corpus, the private folder the only
writable place (the rest of the file tree is remounted read-only), no network, its own process
tree that dies with the grader. The kernel talks to the grader over Unix sockets in the private
folder, so it needs no network at all.
Used by the command line (`python -m w2v_helpers check-submissions`).
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import site
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..paths import PACKAGE_DIR

SYSTEM = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/etc/alternatives", "/etc/ld.so.cache",
          "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime", "/etc/passwd", "/etc/group",
          "/etc/nsswitch.conf", "/etc/fonts", "/etc/mime.types"]
FILE_BYTES = 4 * 2**30  # the largest file a notebook may write
KEPT_ENV = ("PATH", "LANG", "LANGUAGE", "TZ", "PYTHONPATH", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


@functools.cache
def bubblewrap() -> tuple[str | None, str]:
    """(path of a working bwrap, "") or (None, why there is none); tried once per process."""
    if not sys.platform.startswith("linux"):
        return None, "bubblewrap is Linux-only"
    path = shutil.which("bwrap")
    if path is None:
        return None, "bubblewrap (bwrap) is not installed; on Debian or Ubuntu: apt-get install bubblewrap"
    probe = [path, *_bwrap_walls(), "--remount-ro", "/", "--", sys.executable, "-c", "import numpy, zmq"]
    try:
        done = subprocess.run(probe, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"bwrap cannot start ({exc})"
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["no message"])[-1]
        return None, f"bwrap cannot make a sandbox here ({reason}; user namespaces may be disabled)"
    return path, ""


def _bwrap_walls() -> list[str]:
    """Own processes, no network, no IPC, no host name, dies with the grader; the system and Python read-only."""
    args = ["--unshare-all", "--die-with-parent", "--new-session"]
    for path in SYSTEM:
        args += ["--ro-bind-try", path, path]
    args += ["--proc", "/proc", "--dev", "/dev"]
    for path in python_paths():
        args += ["--ro-bind", str(path), str(path)]
    return args


def python_paths() -> list[Path]:
    """The folders the kernel's Python needs to read: interpreter, standard library, site-packages, this package."""
    found = [sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix, *site.getsitepackages(),
             site.getusersitepackages(), str(PACKAGE_DIR), *os.environ.get("PYTHONPATH", "").split(os.pathsep),
             os.path.dirname(os.path.realpath(sys.executable))]
    paths: list[Path] = []
    for p in found:
        if p and os.path.isdir(p):  # as Python names it, and where it really is when links lead there
            paths += [q for q in dict.fromkeys((Path(os.path.abspath(p)), Path(p).resolve())) if q not in paths]
    return sorted(paths, key=lambda p: len(p.parts))


class Sandbox:
    """One submission's private folder, the environment and limits of its kernel, and the command that starts it.

    `corpus` is what W2V_CORPUS becomes (english, toy or the absolute path of a text file, made
    readable inside); `bwrap` the path of a working bubblewrap, or None to run without one.
    """

    def __init__(self, corpus: str, memory_bytes: int, cpu_seconds: int, bwrap: str | None):
        self.corpus, self.memory_bytes, self.cpu_seconds, self.bwrap = corpus, memory_bytes, cpu_seconds, bwrap
        self.folder = Path(tempfile.mkdtemp(prefix="w2v-grade-")).resolve()
        for sub in ("work", "home", "tmp", "data", "kernels/w2v-sandbox"):
            (self.folder / sub).mkdir(parents=True)
        spec = {"argv": self.argv(), "display_name": "w2v sandbox", "language": "python",
                "interrupt_mode": "message"}  # SIGINT cannot cross bwrap's session; ipykernel interrupts itself
        (self.folder / "kernels" / "w2v-sandbox" / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")

    @property
    def work(self) -> Path:
        """The kernel's working folder, where the notebook copy is."""
        return self.folder / "work"

    def env(self) -> dict[str, str]:
        """A plain environment: the locale, PATH and PYTHONPATH, everything else pointing into the private folder."""
        home = self.folder / "home"
        env = {k: os.environ[k] for k in KEPT_ENV if k in os.environ}
        env.update({k: v for k, v in os.environ.items() if k.startswith("LC_") or k == "W2V_DEVICE"})
        env.update(HOME=str(home), TMPDIR=str(self.folder / "tmp"), W2V_DATA_DIR=str(self.folder / "data"),
                   W2V_CORPUS=self.corpus, MPLBACKEND="agg", MPLCONFIGDIR=str(home / ".matplotlib"),
                   IPYTHONDIR=str(home / ".ipython"), JUPYTER_RUNTIME_DIR=str(home / "runtime"),
                   PYTHONDONTWRITEBYTECODE="1")
        return env

    def argv(self) -> list[str]:
        """The kernel's command line (a kernelspec argv, with {connection_file}), inside bwrap when there is one."""
        kernel = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
        if self.bwrap is None:
            return kernel
        # the kernel's parent is the namespace's pid 1 inside: ipykernel would take the grader's pid for gone
        args = [self.bwrap, *_bwrap_walls(), "--unsetenv", "JPY_PARENT_PID"]
        if os.path.isabs(self.corpus):
            args += ["--ro-bind", self.corpus, self.corpus]
        args += ["--bind", str(self.folder), str(self.folder), "--chdir", str(self.work)]
        args += ["--remount-ro", "/"]  # the folders made above for the mounts are read-only too
        return [*args, "--", *kernel]

    def limits(self) -> Callable[[], None]:
        """What the kernel's process does before it starts: set its limits, and die when the grader does."""
        memory, cpu = self.memory_bytes, self.cpu_seconds

        def limit() -> None:
            import resource

            for kind, value in ((resource.RLIMIT_AS, memory), (resource.RLIMIT_CPU, cpu),
                                (resource.RLIMIT_FSIZE, FILE_BYTES), (resource.RLIMIT_CORE, 0)):
                soft, hard = resource.getrlimit(kind)
                value = value if hard == resource.RLIM_INFINITY else min(value, hard)
                if kind == resource.RLIMIT_CPU:  # SIGXCPU at the soft limit, SIGKILL ten seconds later
                    resource.setrlimit(kind, (value, value + 10 if hard == resource.RLIM_INFINITY else hard))
                else:
                    resource.setrlimit(kind, (value, value))
            if sys.platform.startswith("linux"):
                import ctypes
                import signal

                ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: killed if the grader dies

        return limit

    def log_tail(self) -> str:
        """The last line the kernel process wrote to its stdout or stderr (kernel.log), say why it could not start."""
        try:
            fd = os.open(self.folder / "kernel.log", os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
            with os.fdopen(fd, "rb") as f:
                if not stat.S_ISREG(os.fstat(fd).st_mode):
                    return ""
                f.seek(max(0, os.fstat(fd).st_size - 4096))
                lines = f.read(4096).decode("utf-8", "replace").splitlines()
        except OSError:
            return ""
        return next((" ".join(line.split())[:200] for line in reversed(lines) if line.strip()), "")

    def close(self) -> None:
        """Delete the private folder, whatever the notebook did to its permissions."""
        def unlock(function, path, info) -> None:
            try:
                os.chmod(os.path.dirname(path), stat.S_IRWXU)
                os.chmod(path, stat.S_IRWXU) if not os.path.islink(path) else None
                function(path)
            except OSError:
                pass

        shutil.rmtree(self.folder, onerror=unlock)
