"""Runs stopped from outside: Ctrl-C to the whole group, a worker killed with -9: one line, nothing waits forever."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parent.parent


def _start_two_worker_run(tmp_path):
    """A long 2-worker run on the toy corpus, started in its own process group; returns it once its workers train."""
    cmd = [sys.executable, "-m", "w2v_helpers", "train", "--corpus", "toy", "--dim", "20", "--epochs", "200",
           "--workers", "2", "--quiet", "--checkpoint", str(tmp_path / "ck"), "--out", str(tmp_path / "v.vec")]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        workers = psutil.Process(proc.pid).children()
        if len(workers) == 2 and all(w.cpu_times().user > 0.5 for w in workers):   # both are inside chunks
            return proc, workers
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    pytest.fail(f"the run did not start two busy workers: {proc.communicate()[1][-500:]}")


def _finish(proc, within: float):
    try:
        return proc.communicate(timeout=within)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"the run was still going {within:.0f} s after it was stopped")


def test_ctrl_c_to_a_two_worker_run_prints_one_line(tmp_path):
    proc, workers = _start_two_worker_run(tmp_path)
    os.killpg(proc.pid, signal.SIGINT)             # what a terminal sends: the run and its workers alike
    _, err = _finish(proc, within=60)
    assert proc.returncode == 130, err
    assert err.strip().splitlines() == ["interrupted"], err
    assert not any(w.is_running() and w.status() != psutil.STATUS_ZOMBIE for w in workers)
    assert not (tmp_path / "v.vec").exists()
    assert sorted(p.name for p in (tmp_path / "ck").iterdir()) in ([".lock"], [".lock", "checkpoint.pt"])


def test_a_worker_killed_with_9_stops_the_run_with_one_line(tmp_path):
    proc, workers = _start_two_worker_run(tmp_path)
    os.kill(workers[0].pid, signal.SIGKILL)
    _, err = _finish(proc, within=60)
    assert proc.returncode == 2, err
    assert err.strip().splitlines() == [
        f"error: a training worker (process {workers[0].pid}) stopped (signal 9; killed, or out of memory?); "
        "the run stopped with it: run again, with --resume if it had --checkpoint"], err
    assert not workers[1].is_running() or workers[1].status() == psutil.STATUS_ZOMBIE
    assert not (tmp_path / "v.vec").exists()
