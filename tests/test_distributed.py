"""Data-parallel training: the shard of each rank, the synchronisation, and a real two-process run."""

import multiprocessing as mp
import os
import re
import signal
import socket
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import torch
import torch.distributed as dist

from tests.conftest import TOY_CONFIG
from tests.test_train import PLANTED_THRESHOLD
from w2v_helpers import distributed
from w2v_helpers.cli import main
from w2v_helpers.corpus import toy_corpus
from w2v_helpers.distributed import DataParallel, rounds
from w2v_helpers.errors import W2VError
from w2v_helpers.evaluation import planted_analogy_accuracy
from w2v_helpers.model import SkipGram
from w2v_helpers.train import train
from w2v_helpers.vectors import WordVectors

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def forked_ranks(target, ranks: int, wanted: int | None = None, timeout: float = 60) -> list:
    """Fork `ranks` processes running target(rank, port, results) on one free port; return the first `wanted`
    (default: one per rank) items they put on `results`; every process is joined, or killed, before returning."""
    ctx = mp.get_context("fork")
    results, port = ctx.Queue(), free_port()
    procs = [ctx.Process(target=target, args=(r, port, results), daemon=True) for r in range(ranks)]
    for p in procs:
        p.start()
    try:
        return [results.get(timeout=timeout) for _ in range(ranks if wanted is None else wanted)]
    finally:
        for p in procs:
            p.join(timeout=10)
            if p.is_alive():
                p.kill()


# ----- the schedule's shards, without processes -----------------------------------------------------
@pytest.mark.parametrize("world", [1, 2, 3, 4])
@pytest.mark.parametrize("sync_every", [1, 2, 16])
@pytest.mark.parametrize("n_chunks, position", [(1, 0), (3, 0), (7, 4), (15, 0), (15, 22)])
def test_the_ranks_cover_each_epoch_exactly_once(world, sync_every, n_chunks, position):
    schedule = [(epoch, k) for epoch in range(3) for k in range(n_chunks)]
    per_rank = [list(rounds(schedule, position, n_chunks, 2, DataParallel(r, world, "cpu", sync_every)))
                for r in range(world)]
    assert len({len(plan) for plan in per_rank}) == 1            # every rank synchronises equally often
    trained = []
    for same_round in zip(*per_rank):
        entries = same_round[0][0]
        assert all(e == entries for e, _ in same_round)           # the ranks agree on each round
        assert len({epoch for epoch, _ in entries}) == 1          # a round never crosses an epoch
        assert len(entries) <= world * sync_every
        last = entries[-1][1]
        assert last == n_chunks - 1 or (last + 1) % (world * sync_every) == 0   # rounds end where they should
        assert all(k != n_chunks - 1 for _, k in entries[:-1])                # an epoch's last chunk ends one
        for rank, (_, groups) in enumerate(same_round):
            assert all(0 < len(g) <= 2 for g in groups)
            assert all(k % world == rank for g in groups for _, k in g)
            trained += [e for g in groups for e in g]
    assert sorted(trained) == schedule[position:]                 # each chunk exactly once, none skipped


def test_alone_a_round_is_one_step_of_the_workers():
    schedule = [(e, k) for e in range(2) for k in range(3)]
    assert list(rounds(schedule, 1, 3, 2, None)) == [
        ([(0, 1), (0, 2)], [[(0, 1), (0, 2)]]), ([(1, 0), (1, 1)], [[(1, 0), (1, 1)]]), ([(1, 2)], [[(1, 2)]])]


def test_outside_torchrun_there_is_nothing_to_join(monkeypatch):
    for name in ("WORLD_SIZE", "RANK", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT"):
        monkeypatch.delenv(name, raising=False)
    assert distributed.start("cpu") is None


def test_the_help_names_the_launch_and_the_default(capsys):
    with pytest.raises(SystemExit):
        main(["train", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "torchrun --nproc_per_node N -m w2v_helpers train" in text
    assert f"(default {distributed.DEFAULT_SYNC_EVERY})" in text


# ----- the synchronisation, with two processes joined by gloo ---------------------------------------
def _rank_checks(rank: int, port: int, results) -> None:
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port), WORLD_SIZE="2", RANK=str(rank),
                      LOCAL_RANK=str(rank))
    try:
        parallel = distributed.start("cpu", sync_every=3)
        model = SkipGram(5, 2)
        model.in_embed.weight.data.fill_(rank)                   # rank 0 holds zeros, rank 1 ones
        done = {(0, rank): (0.5 + rank, 10 + rank, 100)}         # each rank trained one chunk
        parallel.sync(model, [(0, 0), (0, 1)], done)
        averaged = model.in_embed.weight.data.unique().tolist()
        same = len(set(parallel.check_identical_tables(model))) == 1
        toy = toy_corpus()
        ids = toy.ids if rank == 0 else toy.ids[::-1].copy()
        try:
            parallel.check_same_input(ids, toy.vocab, TOY_CONFIG)
            message = None
        except W2VError as exc:
            message = str(exc)
        parallel.close()
        results.put((rank, averaged, done, same, message))
    except BaseException as exc:
        results.put((rank, repr(exc), None, None, None))


def test_sync_averages_the_tables_and_shares_the_counts():
    got = sorted(forked_ranks(_rank_checks, 2))
    for rank, averaged, done, same, message in got:
        assert averaged == [0.5], f"rank {rank}: {averaged}"
        assert done == {(0, 0): (0.5, 10, 100), (0, 1): (1.5, 11, 100)}
        assert same
        assert message is not None and "ranks disagree on the corpus" in message


def test_one_rank_trains_exactly_as_one_process(toy):
    ids, cfg = toy.ids[:60_000], replace(TOY_CONFIG, epochs=2, chunk_tokens=20_000, workers=1)
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{free_port()}", rank=0, world_size=1)
    try:
        parallel = DataParallel(0, 1, "cpu", sync_every=2)
        together = train(ids, toy.vocab, cfg, progress=False, parallel=parallel)
    finally:
        dist.destroy_process_group()
    alone = train(ids, toy.vocab, cfg, progress=False)
    assert torch.equal(together.model.in_embed.weight, alone.model.in_embed.weight)
    assert together.chunk_losses == pytest.approx(alone.chunk_losses)
    assert (together.words, together.pairs) == (alone.words, alone.pairs)


# ----- torchrun, two processes on this machine --------------------------------------------------------
def test_torchrun_two_processes_train_the_toy_corpus(tmp_path, toy):
    out = tmp_path / "out"
    out.mkdir()
    cmd = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2", "--nnodes", "1",
           "--node_rank", "0", "--rdzv_backend", "static", "--master_addr", "127.0.0.1",
           "--master_port", str(free_port()), "-m", "w2v_helpers", "train", "--corpus", "toy", "--dim", "50",
           "--epochs", "3", "--out", str(out / "v.vec")]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1", "PYTHONHASHSEED": "0"}
    proc = subprocess.Popen(cmd, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=180)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)   # torchrun and both ranks
        proc.communicate()
        pytest.fail("the two-process run did not finish in 180 s")
    assert proc.returncode == 0, stderr
    assert [p.name for p in out.iterdir()] == ["v.vec"]
    sums = re.search(r"CRC-32 by rank: ([0-9a-f ]+)\)", stderr).group(1).split()
    assert len(sums) == 2 and sums[0] == sums[1]
    assert stdout.count("planted analogies answered correctly") == 1   # rank 0 alone prints
    wv = WordVectors.load(out / "v.vec")
    assert wv.words == toy.vocab.words
    assert planted_analogy_accuracy(wv, toy.analogies) >= PLANTED_THRESHOLD


# ----- launch variables that cannot join: one line at once, not a wait of TIMEOUT ---------------------
@pytest.mark.parametrize("changes, fragment", [
    (dict(RANK="x"), "RANK is 'x', not a whole number"),
    (dict(RANK="-1"), "RANK is '-1', not a whole number"),
    (dict(WORLD_SIZE="2.5"), "WORLD_SIZE is '2.5', not a whole number"),
    (dict(RANK="5"), "RANK 5 is outside the world of WORLD_SIZE 2 processes (ranks 0 to 1)"),
    (dict(MASTER_PORT="99999"), "MASTER_PORT 99999 is not a port number"),
    (dict(MASTER_ADDR="no-such-host.invalid"), "MASTER_ADDR 'no-such-host.invalid' cannot be resolved"),
])
def test_launch_variables_that_cannot_join_are_refused_at_once(monkeypatch, changes, fragment):
    launch = dict(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(free_port()), WORLD_SIZE="2", RANK="0", LOCAL_RANK="0")
    for name, value in {**launch, **changes}.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(W2VError) as info:
        distributed.start("cpu")
    assert fragment in str(info.value) and "\n" not in str(info.value)
    assert not dist.is_initialized()
