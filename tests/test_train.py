import os
import signal
import subprocess
import sys
import time
from dataclasses import replace

import numpy as np
import pytest

from tests.conftest import TOY_CONFIG
from w2v_helpers.checkpoint import checkpoint_path, load_checkpoint, save_checkpoint
from w2v_helpers.errors import W2VError
from w2v_helpers.evaluation import planted_analogy_accuracy
from w2v_helpers.train import TrainConfig, learning_rate, train
from w2v_helpers.vectors import WordVectors

# The toy corpus plants 270 analogies (gender, capital, plural). Gensim's skip-gram with the
# same settings answers all of them; a working trainer should too, so we allow a 5% margin
# for seeds and batching, far above chance (1 in ~1,700 words).
PLANTED_THRESHOLD = 0.95


def test_fast_trainer_recovers_planted_analogies(toy, toy_vectors):
    wv, result = toy_vectors
    assert len(toy.analogies) == 270
    assert planted_analogy_accuracy(wv, toy.analogies) >= PLANTED_THRESHOLD
    assert result.chunk_losses[-1] < result.chunk_losses[0]  # loss went down


def test_autograd_trainer_recovers_planted_analogies(toy):
    cfg = replace(TOY_CONFIG, method="autograd", epochs=2)
    result = train(toy.ids, toy.vocab, cfg, progress=False)
    wv = WordVectors(toy.vocab.words, result.model.word_vectors())
    assert planted_analogy_accuracy(wv, toy.analogies) >= PLANTED_THRESHOLD


def test_same_seed_same_vectors_bit_for_bit(toy):
    ids = toy.ids[:60_000]
    cfg = replace(TOY_CONFIG, epochs=1)
    a = train(ids, toy.vocab, cfg, progress=False).model.word_vectors()
    b = train(ids, toy.vocab, cfg, progress=False).model.word_vectors()
    c = train(ids, toy.vocab, replace(cfg, seed=1), progress=False).model.word_vectors()
    assert np.array_equal(a, b)
    assert not np.allclose(a, c)


def test_learning_rate_decays_linearly_to_min_lr():
    cfg = TrainConfig(lr=0.025, min_lr=0.0001)
    assert learning_rate(cfg, 0.0) == 0.025
    assert learning_rate(cfg, 1.0) == pytest.approx(0.0001)
    assert learning_rate(cfg, 0.5) == pytest.approx((0.025 + 0.0001) / 2)


def test_bad_settings_are_rejected(toy):
    with pytest.raises(W2VError, match="dim"):
        train(toy.ids, toy.vocab, replace(TOY_CONFIG, dim=0), progress=False)
    with pytest.raises(W2VError, match="min_lr"):
        train(toy.ids, toy.vocab, replace(TOY_CONFIG, min_lr=1.0), progress=False)


def test_resume_refuses_other_settings(toy, tmp_path):
    ids = toy.ids[:30_000]
    cfg = replace(TOY_CONFIG, epochs=1)
    train(ids, toy.vocab, cfg, checkpoint_dir=tmp_path, progress=False)
    with pytest.raises(W2VError, match="dim: 50 -> 20"):
        train(ids, toy.vocab, replace(cfg, dim=20), checkpoint_dir=tmp_path, resume=True, progress=False)


def _cli(*args):
    return [sys.executable, "-m", "w2v_helpers", "train", "--corpus", "toy", "--dim", "20",
            "--epochs", "3", "--workers", "1", "--quiet", *args]  # one worker: bit for bit


def test_killed_run_resumes_from_its_checkpoint_and_matches_an_uninterrupted_run(tmp_path):
    ckpt = tmp_path / "ckpt"
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    full = subprocess.run(_cli("--out", str(tmp_path / "full.vec")), env=env, capture_output=True, text=True)
    assert full.returncode == 0, full.stderr

    proc = subprocess.Popen(_cli("--out", str(tmp_path / "resumed.vec"), "--checkpoint", str(ckpt),
                                 "--checkpoint-every", "0"), env=env)
    deadline = time.time() + 120
    while not checkpoint_path(ckpt).exists() and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    state = load_checkpoint(ckpt)
    assert not (tmp_path / "resumed.vec").exists(), "the run finished before it was killed"
    assert (state["epoch"], state["chunk"]) > (0, 0)
    assert not list(ckpt.glob("*.part"))

    resumed = subprocess.run(_cli("--out", str(tmp_path / "resumed.vec"), "--checkpoint", str(ckpt), "--resume"),
                             env=env, capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    a = WordVectors.load(tmp_path / "full.vec")
    b = WordVectors.load(tmp_path / "resumed.vec")
    assert a.words == b.words
    np.testing.assert_array_equal(a.vectors, b.vectors)


def test_two_hogwild_workers_recover_planted_analogies(toy):
    result = train(toy.ids, toy.vocab, replace(TOY_CONFIG, workers=2), progress=False)
    wv = WordVectors(toy.vocab.words, result.model.word_vectors())
    assert result.words == TOY_CONFIG.epochs * len(toy.ids)
    assert planted_analogy_accuracy(wv, toy.analogies) >= PLANTED_THRESHOLD


def test_a_failing_worker_reports_its_error():
    from w2v_helpers.workers import ForkedWorkers

    def fail(task):
        raise ValueError(f"bad task {task}")

    workers = ForkedWorkers(2, fail)
    try:
        with pytest.raises(RuntimeError, match="bad task 1"):
            workers.map([1])
    finally:
        workers.close()


# ----- settings and inputs that cannot train: one W2VError, before any work -------------------------
@pytest.mark.parametrize("change, fragment", [
    (dict(lr=float("inf")), "lr must be a finite number"),
    (dict(lr=float("nan")), "lr must be a finite number"),
    (dict(sample=float("nan")), "sample must be a finite number"),
    (dict(sample=2.0), "sample must be between 0 and 1"),
    (dict(seed=-1), "seed must be between"),
    (dict(dim=2.5), "dim must be an integer"),
    (dict(dim=10**9), "dim must be at most"),
    (dict(method="sgd"), "method must be one of"),
    (dict(arch="skipgram"), "arch must be one of"),
    (dict(hs=1), "hs must be True or False"),
    (dict(hs=True, method="autograd"), "hierarchical softmax trains with its hand-derived gradients"),
    (dict(device="tpu"), "device"),
    (dict(device="not a device"), "unknown device"),
])
def test_settings_that_cannot_train_are_refused(toy, change, fragment):
    with pytest.raises(W2VError, match=fragment):
        train(toy.ids, toy.vocab, replace(TOY_CONFIG, **change), progress=False)


def test_batch_size_defaults_to_the_output_layer():
    assert TrainConfig().batch_size == 1024
    assert TrainConfig(hs=True).batch_size == 256 and TrainConfig(hs=True, arch="cbow").batch_size == 128
    assert TrainConfig(hs=True, batch_size=32).batch_size == 32


def test_ids_that_do_not_fit_the_vocabulary_are_refused(toy):
    for ids, fragment in [(np.array([0, len(toy.vocab)]), "must lie in"), (np.array([-1, 2]), "must lie in"),
                          (np.zeros((3, 3), dtype=int), "1-D"), (np.array([0.5, 1.5]), "integer")]:
        with pytest.raises(W2VError, match=fragment):
            train(ids, toy.vocab, TOY_CONFIG, progress=False)


def test_tables_larger_than_memory_are_refused_before_allocating(toy, monkeypatch):
    from w2v_helpers import resources

    monkeypatch.setattr(resources, "available_memory", lambda: 100_000)
    with pytest.raises(W2VError, match=r"needs .* of memory but only 97\.7 KB is available; lower --dim"):
        train(toy.ids, toy.vocab, TOY_CONFIG, progress=False)


def test_a_diverging_run_stops_and_says_so(toy, tmp_path):
    cfg = replace(TOY_CONFIG, lr=10.0, min_lr=10.0, epochs=1, method="manual")
    with pytest.raises(W2VError, match=r"diverged at epoch 1, chunk \d+ .*lower --lr"):
        train(toy.ids, toy.vocab, cfg, checkpoint_dir=tmp_path, progress=False)
    result = subprocess.run(_cli("--lr", "10", "--min-lr", "10", "--method", "manual", "--out",
                                 str(tmp_path / "v.vec")), capture_output=True, text=True)
    assert result.returncode == 2 and "diverged" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "v.vec").exists()


def test_two_runs_cannot_share_a_checkpoint_folder(tmp_path):
    ckpt = tmp_path / "ck"
    first = subprocess.Popen(_cli("--epochs", "40", "--out", str(tmp_path / "a.vec"), "--checkpoint", str(ckpt)),
                             stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 60
        while not (ckpt / ".lock").exists() and time.time() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
        second = subprocess.run(_cli("--out", str(tmp_path / "b.vec"), "--checkpoint", str(ckpt)),
                                capture_output=True, text=True)
        assert first.poll() is None, "the first run ended too soon for this test"
        assert second.returncode == 2 and "in use by another training run" in second.stderr
        assert not (tmp_path / "b.vec").exists()
    finally:
        first.kill()
        first.wait()


# ----- resumes that would mix runs or corpora: refused in one line ------------------------------------
def _first_epoch_checkpoint(toy, tmp_path, ids):
    cfg = replace(TOY_CONFIG, epochs=2, chunk_tokens=10_000)
    train(ids, toy.vocab, replace(cfg, epochs=1), checkpoint_dir=tmp_path, progress=False)
    state = load_checkpoint(tmp_path)
    state["config"]["epochs"] = 2  # as if a 2-epoch run had stopped after its first epoch
    save_checkpoint(tmp_path, state)
    return cfg, state


def test_resume_on_another_corpus_of_the_same_size_is_refused(toy, tmp_path):
    ids = toy.ids[:30_000]
    cfg, _ = _first_epoch_checkpoint(toy, tmp_path, ids)
    other = toy.ids[30_000:60_000]                      # the same length and vocabulary, other text
    with pytest.raises(W2VError, match=r"the corpus differs \(same size, 30,000 tokens"):
        train(other, toy.vocab, cfg, checkpoint_dir=tmp_path, resume=True, progress=False)
    resumed = train(ids, toy.vocab, cfg, checkpoint_dir=tmp_path, resume=True, progress=False)
    assert resumed.words == len(ids)                    # the same corpus resumes: one epoch left


@pytest.mark.parametrize("damage, fragment", [
    (lambda s: s["config"].pop("chunk_tokens"), r"chunk_tokens: \(not recorded\) -> 10000"),
    (lambda s: s.pop("corpus"), "does not record its corpus"),
    (lambda s: s.update(chunk=99), r"place \(epoch 2, chunk 100\) is past the 3 chunks"),
])
def test_checkpoints_of_an_older_layout_or_out_of_range_are_refused(toy, tmp_path, damage, fragment):
    ids = toy.ids[:30_000]
    cfg, state = _first_epoch_checkpoint(toy, tmp_path, ids)
    damage(state)
    save_checkpoint(tmp_path, state)
    with pytest.raises(W2VError, match=fragment) as info:
        train(ids, toy.vocab, cfg, checkpoint_dir=tmp_path, resume=True, progress=False)
    assert "\n" not in str(info.value)
