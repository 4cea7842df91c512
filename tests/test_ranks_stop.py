"""Several ranks that cannot all go on: one line from one rank, exit 2 from all, no rank left waiting.

Ranks are started here as torchrun would start them (the five launch variables), or by
`train --nproc-per-node`; every run is bounded, and killed with its whole process group if it is not.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from tests.test_distributed import forked_ranks, free_port
from w2v_helpers import distributed
from w2v_helpers.cli import main
from w2v_helpers.errors import W2VError
from w2v_helpers.launch import LAUNCHED_HERE

ROOT = Path(__file__).resolve().parent.parent
TRAIN = [sys.executable, "-m", "w2v_helpers", "train", "--dim", "10", "--epochs", "1", "--quiet"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}


def _rank_env(rank: int, world: int, port: int) -> dict:
    return {**ENV, "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": str(port), "WORLD_SIZE": str(world),
            "RANK": str(rank), "LOCAL_RANK": str(rank)}


def _finish(procs, within: float) -> list[tuple[int, str, str]]:
    """(exit code, stdout, stderr) of each process; every one killed, and the test failed, past `within` s."""
    deadline, ended = time.monotonic() + within, []
    try:
        for proc in procs:
            out, err = proc.communicate(timeout=max(1.0, deadline - time.monotonic()))
            ended.append((proc.returncode, out, err))
    except subprocess.TimeoutExpired:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
        pytest.fail(f"the ranks were still running after {within:.0f} s")
    return ended


def _start(cmd, env, cwd):
    return subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


# ----- a problem that one rank sees: every rank stops, rank 0 says it once -----------------------------
@pytest.mark.slow
@pytest.mark.parametrize("case", ["out is a folder on rank 0", "checkpoint is a file on rank 0",
                                  "corpus missing on rank 1", "settings that differ"])
def test_a_problem_on_one_rank_stops_every_rank_with_one_line(tmp_path, case):
    (tmp_path / "folder").mkdir()
    (tmp_path / "plain").write_text("not a folder")
    good = ["--corpus", "toy", "--out", str(tmp_path / "v.vec")]
    rank0, rank1, line = {
        "out is a folder on rank 0": (["--corpus", "toy", "--out", str(tmp_path / "folder")], good,
                                      f"error: --out {tmp_path / 'folder'} is a directory; give a file name"),
        "checkpoint is a file on rank 0": (good + ["--checkpoint", str(tmp_path / "plain")], good,
                                           f"error: --checkpoint {tmp_path / 'plain'} is a file; give a folder"),
        "corpus missing on rank 1": (good, ["--corpus", str(tmp_path / "nosuch.txt"), "--out", str(tmp_path / "w")],
                                     f"error: rank 1: corpus file {tmp_path / 'nosuch.txt'} does not exist"),
        "settings that differ": (good, good + ["--window", "4"], "error: ranks disagree on the training settings"),
    }[case]
    port = free_port()
    procs = [_start(TRAIN + args, _rank_env(r, 2, port), tmp_path) for r, args in enumerate([rank0, rank1])]
    (code0, out0, err0), (code1, out1, err1) = _finish(procs, within=120)
    assert (code0, code1) == (2, 2), (err0, err1)
    assert err0.startswith(line) and err0.count("\n") == 1, err0        # one line, no traceback
    assert err1 == "" and out0 == out1 == ""                              # rank 1 stops without a word
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder", "plain"]   # nothing written


# ----- a meeting that cannot happen: bounded, one line, and SIGTERM ends the wait ------------------------
class _SilentListener:
    """A port that accepts connections and never answers: a reachable but wrong MASTER_PORT."""

    def __enter__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        return self

    def wait_for_a_caller(self, within: float):
        self.sock.settimeout(within)
        self.caller = self.sock.accept()[0]

    def __exit__(self, *exc):
        if hasattr(self, "caller"):
            self.caller.close()
        self.sock.close()


@pytest.mark.slow
@pytest.mark.parametrize("case", ["a rank that never comes", "nobody at the port", "a port that never answers"])
def test_a_meeting_that_cannot_happen_ends_in_one_line_after_the_join_timeout(tmp_path, case):
    with _SilentListener() as listener:
        rank, port = {"a rank that never comes": (0, free_port()), "nobody at the port": (1, free_port()),
                      "a port that never answers": (1, listener.port)}[case]
        started = time.monotonic()
        proc = _start(TRAIN + ["--corpus", "toy", "--out", str(tmp_path / "v.vec"), "--join-timeout", "3"],
                      _rank_env(rank, 2, port), tmp_path)
        [(code, out, err)] = _finish([proc], within=90)
    assert code == 2 and out == ""
    assert err.startswith(f"error: rank {rank} ") and err.count("\n") == 1, err
    assert "raise --join-timeout" in err and "127.0.0.1:" in err
    assert time.monotonic() - started < 60       # 3 s of waiting, plus the start of Python and torch
    assert not (tmp_path / "v.vec").exists()


@pytest.mark.slow
def test_sigterm_ends_a_rank_waiting_for_the_others(tmp_path):
    with _SilentListener() as listener:
        proc = _start(TRAIN + ["--corpus", "toy", "--out", str(tmp_path / "v.vec")],   # the default: 120 s
                      _rank_env(1, 2, listener.port), tmp_path)
        try:
            listener.wait_for_a_caller(within=90)    # the rank is in the rendezvous now
        except TimeoutError:
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail(f"the rank never called the port: {proc.communicate()[1][-500:]}")
        time.sleep(1)
        proc.send_signal(signal.SIGTERM)
        stopped = time.monotonic()
        [(code, _, err)] = _finish([proc], within=30)
    assert code == 128 + signal.SIGTERM, err
    assert time.monotonic() - stopped < 15
    assert "Traceback" not in err


# ----- together(): the checks of every rank, compared in one collective ----------------------------------
def _together_rank(rank: int, port: int, results) -> None:
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port), WORLD_SIZE="3", RANK=str(rank),
                      LOCAL_RANK=str(rank))
    try:
        parallel = distributed.start("cpu", join_timeout=60)
        outcomes = []
        for failing in ({}, {1: W2VError("no corpus here"), 2: W2VError("nor here")}, {2: ValueError("bug")}):
            try:
                with parallel.together():
                    if rank in failing:
                        raise failing[rank]
                outcomes.append("went on")
            except distributed.RanksStopped as exc:
                outcomes.append((str(exc), exc.shown))
            except ValueError as exc:
                outcomes.append(f"re-raised {exc}")
        parallel.close()
        results.put((rank, outcomes))
    except BaseException as exc:
        results.put((rank, repr(exc)))


def test_together_stops_every_rank_with_the_first_failing_ranks_message():
    got = dict(forked_ranks(_together_rank, 3, timeout=90))
    bug = "rank 2: stopped on an unexpected ValueError: bug"
    assert got == {
        0: ["went on", ("rank 1: no corpus here", True), (bug, True)],
        1: ["went on", ("rank 1: no corpus here", False), (bug, False)],
        2: ["went on", ("rank 1: no corpus here", False), "re-raised bug"],   # its traceback is its own
    }


def _leaving_rank(rank: int, port: int, results) -> None:
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port), WORLD_SIZE="2", RANK=str(rank),
                      LOCAL_RANK=str(rank))
    try:
        parallel = distributed.start("cpu", join_timeout=60)
        if rank == 1:
            os._exit(3)                      # gone without a word, as a rank killed with -9 would be
        from w2v_helpers.model import SkipGram
        parallel.sync(SkipGram(5, 2), [], {})
        results.put((rank, "synchronised"))
    except W2VError as exc:
        results.put((rank, str(exc)))
    except BaseException as exc:
        results.put((rank, repr(exc)))


def test_a_rank_that_vanishes_leaves_the_others_one_line():
    [(rank, message)] = forked_ranks(_leaving_rank, 2, wanted=1, timeout=90)
    assert rank == 0
    assert message.startswith("rank 0 lost the other ranks while averaging the tables (") and "\n" not in message
    assert message.endswith("another rank stopped, and its own message says why")


# ----- train --nproc-per-node: torch's launcher inside the command -------------------------------------
def test_nproc_per_node_checks_what_needs_no_corpus_before_starting_anything(tmp_path, capsys):
    assert main(["train", "--nproc-per-node", "2", "--corpus", "toy", "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"error: --out {tmp_path} is a directory; give a file name such as " \
                                      f"{tmp_path / 'vectors.vec'}\n"


def test_nproc_per_node_under_torchrun_is_refused(tmp_path, capsys, monkeypatch):
    for name, value in dict(MASTER_ADDR="127.0.0.1", MASTER_PORT="1234", WORLD_SIZE="2", RANK="0",
                            LOCAL_RANK="0").items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv(LAUNCHED_HERE, raising=False)
    assert main(["train", "--nproc-per-node", "2", "--corpus", "toy", "--out", str(tmp_path / "v.vec")]) == 2
    assert capsys.readouterr().err.startswith("error: --nproc-per-node starts the processes itself; under "
                                              "torchrun, drop it")


@pytest.mark.slow
def test_nproc_per_node_trains_and_a_rank_refusal_is_one_line(tmp_path):
    loud = [arg for arg in TRAIN if arg != "--quiet"]
    ok = _start(loud + ["--nproc-per-node", "2", "--corpus", "toy", "--epochs", "2", "--dim", "20",
                         "--out", str(tmp_path / "v.vec")], ENV, tmp_path)
    [(code, out, err)] = _finish([ok], within=240)
    assert code == 0, err
    assert (tmp_path / "v.vec").stat().st_size > 1709 * 20 * 2                  # the toy corpus's 1,709 words
    assert err.count("all 2 processes ended with the same tables") == 1                 # rank 0 alone speaks
    assert out.count("planted analogies answered correctly") == 1
    bad = _start(TRAIN + ["--nproc-per-node", "2", "--corpus", str(tmp_path / "nosuch.txt"),
                          "--out", str(tmp_path / "w.vec")], ENV, tmp_path)
    [(code, out, err)] = _finish([bad], within=120)
    assert code == 2 and out == ""
    assert err == (f"error: corpus file {tmp_path / 'nosuch.txt'} does not exist; "  # no banner, no traceback
                   "pass --corpus english, text8, toy or the path of a text file\n")


@pytest.mark.slow
@pytest.mark.parametrize("stop", ["ctrl-c", "a rank killed with -9"])
def test_nproc_per_node_stopped_from_outside_leaves_nothing_running(tmp_path, stop):
    proc = _start(TRAIN + ["--nproc-per-node", "2", "--corpus", "toy", "--epochs", "300", "--dim", "20",
                           "--checkpoint", str(tmp_path / "ck"), "--out", str(tmp_path / "v.vec")], ENV, tmp_path)
    deadline, ranks = time.monotonic() + 120, []
    while time.monotonic() < deadline and proc.poll() is None:
        ranks = psutil.Process(proc.pid).children()
        if len(ranks) == 2 and all(r.cpu_times().user > 4 for r in ranks):     # both are training
            break
        time.sleep(0.5)
    else:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail(f"the ranks did not start: {proc.communicate()[1][-500:]}")
    if stop == "ctrl-c":
        proc.send_signal(signal.SIGINT)
    else:
        ranks[1].kill()
    [(code, _, err)] = _finish([proc], within=60)
    _, alive = psutil.wait_procs(ranks, timeout=10)
    assert not alive
    if stop == "ctrl-c":
        assert (code, err) == (130, "interrupted\n")
    else:
        # rank 0 may notice first that its partner is gone, and say so; the launcher names the kill
        lines = err.splitlines()
        assert code == 2 and 1 <= len(lines) <= 2 and all(line.startswith("error: rank ") for line in lines), err
        assert "error: rank 1 was killed by SIGKILL; the other ranks were stopped too" in lines \
            or lines[0].startswith("error: rank 0 lost the other ranks while averaging the tables"), err
    assert not list(tmp_path.glob("**/*.part"))


# ----- plain torchrun: the ranks' one line, once; then torchrun's own report ------------------------------
@pytest.mark.parametrize("local_rank, expected", [("0", "error: unrecognized arguments: --dimm 5 (see --help)\n"),
                                                   ("1", "")])
def test_a_bad_flag_under_torchrun_is_said_by_the_first_rank_of_the_machine(monkeypatch, capsys, local_rank,
                                                                            expected):
    for name, value in dict(MASTER_ADDR="127.0.0.1", MASTER_PORT="1234", WORLD_SIZE="2", RANK=local_rank,
                            LOCAL_RANK=local_rank).items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit) as info:
        main(["train", "--out", "v.vec", "--dimm", "5"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.endswith(expected) and err.count("\n") == expected.count("\n")


@pytest.mark.slow
def test_under_torchrun_a_refusal_of_rank_0_is_one_line_and_no_rank_traceback(tmp_path):
    cmd = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2", "--nnodes", "1",
           "--node_rank", "0", "--rdzv_backend", "static", "--master_addr", "127.0.0.1",
           "--master_port", str(free_port()), "-m", "w2v_helpers", "train", "--corpus", "toy", "--out", str(tmp_path)]
    [(code, out, err)] = _finish([_start(cmd, ENV, tmp_path)], within=120)
    assert code != 0
    assert err.count(f"error: --out {tmp_path} is a directory") == 1
    assert "[rank1]" not in err and "gloo" not in err          # the other rank stopped without a traceback
