# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Bonus 05b: checkpoints and update methods
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/word2vec-from-scratch/word2vec-from-scratch/blob/main/notebooks/bonus/05b_checkpoints_and_update_methods.ipynb) [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/word2vec-from-scratch/word2vec-from-scratch/main?labpath=notebooks%2Fbonus%2F05b_checkpoints_and_update_methods.ipynb)
#
# Running time on 2 CPU cores: about 15 s on the shipped English corpus; it trains only on
# slices of 50,000 and 60,000 tokens.
#
# Chapter 5 wrote the training loop and trained with the package's `train`. This notebook looks at
# two pieces of engineering in that trainer. You will:
#
# 1. interrupt a run with a simulated power cut in the middle of writing a checkpoint, resume it,
#    and get exactly the vectors of a run that was never interrupted;
# 2. see why a checkpoint is written to a temporary file and renamed, and what the `.lock` file in
#    the checkpoint folder is for;
# 3. compare the trainer's three update methods, `autograd`, `manual` and `fast`, for speed and loss.
#
# **What you need from earlier chapters.** Chapter 5: the training loop, `train` and `TrainConfig`,
# and the per-chunk random generators seeded with (seed, epoch, chunk). The `manual` method applies
# the gradients derived by hand in Chapter 1; the noise words come from Chapter 3.

# %%
# Colab setup: on Google Colab this installs the course package and reports the GPU;
# anywhere else (Jupyter, Binder, the tests) it does nothing.
import sys

IN_COLAB = "google.colab" in sys.modules
if IN_COLAB:
    import subprocess

    REPOSITORY = "https://github.com/word2vec-from-scratch/word2vec-from-scratch"  # from pyproject.toml
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", f"git+{REPOSITORY}"], check=True)
    from w2v_helpers.course.colab import setup

    setup()

# %%
import io
import tempfile
from dataclasses import replace
from pathlib import Path
from unittest import mock

import numpy as np
import torch

from w2v_helpers.checkpoint import load_checkpoint
from w2v_helpers.corpus import corpus_from_env
from w2v_helpers.train import TrainConfig, train

SEED = 0  # the one seed behind every random number in this notebook
torch.set_num_threads(1)  # as in Chapter 5: small batches, same bits on every machine

corpus = corpus_from_env(seed=SEED)
TOY = corpus.name == "toy"
# Chapter 5's settings; this notebook trains only on slices of the corpus.
if TOY:
    cfg = TrainConfig(dim=50, epochs=3, chunk_tokens=25_000, seed=SEED)
else:
    cfg = TrainConfig(dim=100, epochs=min(5, max(1, round(5_000_000 / len(corpus.ids)))), seed=SEED)
print(f"corpus {corpus.name!r}: {len(corpus.ids):,} tokens, {len(corpus.vocab):,} words; "
      f"dim={cfg.dim}, method={cfg.method!r}")

# %% [markdown]
# ## 1. Checkpoints: surviving an interruption
#
# A long run (hours on a large corpus) should survive a crash, a closed laptop lid or a Colab
# session that times out. With `checkpoint_dir` the trainer saves a *checkpoint*: both weight
# tables, the settings, the chunk losses so far, and the position (epoch, chunk) to continue
# from. Since every chunk's random numbers come from its own (seed, epoch, chunk) generator, that
# position is all the random state there is. `resume=True` loads the checkpoint and skips
# what is done; the result should be exactly what an uninterrupted run produces.
#
# A checkpoint is written *atomically*: first to a temporary file of its own beside it
# (`checkpoint.pt.<random>.part`), then renamed over `checkpoint.pt` with `os.replace`
# (`w2v_helpers.atomic.atomic_path`; `WordVectors.save` writes vector files the same way). A rename
# within one folder happens entirely or not at all, so at every instant `checkpoint.pt` is either
# the complete old checkpoint or the complete new one. Had we written straight into
# `checkpoint.pt`, a crash in mid-write would leave a damaged file and no older one to fall back on.
#
# Let us test it on a slice of the corpus, two epochs of six chunks. First the reference run,
# never interrupted:

# %%
SLICE = corpus.ids[:60_000]
demo_cfg = replace(cfg, epochs=2, chunk_tokens=10_000)
reference = train(SLICE, corpus.vocab, demo_cfg, progress=False)
print(f"reference run: {len(reference.chunk_losses)} chunks")

# %% [markdown]
# Now the same run with a checkpoint after every chunk (`checkpoint_every=0` seconds), and a
# simulated power cut: we replace `torch.save`, which writes the checkpoint, by a version that
# works three times and on the fourth call writes a few bytes and then fails, as if the machine
# died in the middle of writing. `unittest.mock.patch` makes the replacement only inside the
# `with` block.

# %%
class PowerCut(Exception):
    """Stands in for the machine dying."""


real_save = torch.save
calls = 0


def save_then_die_on_fourth_call(obj, file, *args, **kwargs):
    global calls
    calls += 1
    if calls == 4:
        Path(file).write_bytes(b"half a checkp")  # the write has begun ...
        raise PowerCut("power lost while writing checkpoint 4")  # ... and never finishes
    real_save(obj, file, *args, **kwargs)


workdir = tempfile.TemporaryDirectory()   # removed again after the resumed run
ckpt_dir = Path(workdir.name) / "checkpoints"
with mock.patch("torch.save", save_then_die_on_fourth_call):
    try:
        train(SLICE, corpus.vocab, demo_cfg, checkpoint_dir=ckpt_dir, checkpoint_every=0, progress=False)
    except PowerCut as crash:
        print("training stopped:", crash)

files = sorted(p.name for p in ckpt_dir.iterdir())
state = load_checkpoint(ckpt_dir)
print("files in the checkpoint folder:", files)
print(f"the checkpoint says: continue at epoch {state['epoch']}, chunk {state['chunk']}, "
      f"with {len(state['chunk_losses'])} chunks done")
assert files == [".lock", "checkpoint.pt"] and (state["epoch"], state["chunk"]) == (0, 3)

# %% [markdown]
# The damaged bytes went to a temporary file of their own and never replaced the good checkpoint
# written after the third chunk (chunks count from 0, so "continue at chunk 3" is the fourth). Here the temporary file is gone because the exception let `atomic_path`
# clean up; after a real power cut it would stay behind, and nothing ever reads it. The empty
# `.lock` file is how a run claims the folder: while one trains, a second run pointed at the same
# folder is refused instead of overwriting its checkpoints. Those damaged bytes are indeed
# unreadable, which is what a direct write would have left us with:

# %%
try:
    torch.load(io.BytesIO(b"half a checkp"), weights_only=True)
    readable = True
except Exception:
    readable = False
print("can torch.load read the half-written bytes?", readable)
assert not readable

# %% [markdown]
# Resume from the checkpoint and compare with the uninterrupted reference run:

# %%
resumed = train(SLICE, corpus.vocab, demo_cfg, checkpoint_dir=ckpt_dir, resume=True, progress=False)
same_vectors = np.array_equal(resumed.model.word_vectors(), reference.model.word_vectors())
same_losses = resumed.chunk_losses == reference.chunk_losses
print(f"resumed run trained {resumed.words:,} words; the reference trained {reference.words:,}")
print(f"same vectors bit for bit: {same_vectors}; same chunk losses: {same_losses}")
assert same_vectors and same_losses
assert resumed.words == reference.words - 3 * 10_000
workdir.cleanup()

# %% [markdown]
# The resumed run only trained the 9 chunks that were left, yet it ends with exactly the
# reference vectors. Resuming refuses different settings (another `dim`, a different corpus),
# since those would silently produce a different run; try it in the exercise.
#
# One setting decides whether a run can be repeated bit for bit at all: `TrainConfig.workers`.
# With one worker (the default of `TrainConfig`, used in the chapters) every run with the same seed
# gives the same vectors. The command line, `python -m w2v_helpers train`, uses one worker per CPU
# core by default, which is about twice as fast on two cores; several workers update the same
# tables without locks ([bonus 05c](05c_fast_training.ipynb)), so such runs differ in their last
# digits. Pass `--workers 1` for runs that repeat exactly.
#
# ## 2. Three ways to take an SGD step
#
# The trainer offers three update methods (`TrainConfig.method`, one of `TRAIN_METHODS`), all
# computing the same SGNS loss:
#
# * `"autograd"`: the `SkipGram` module, `loss.backward()` and `torch.optim.SGD`, as in the loop
#   Chapter 5 writes;
# * `"manual"`: the gradients derived by hand in Chapter 1, applied directly to the tables with
#   no graph and no optimizer (`w2v_helpers.gradients.sgd_step`);
# * `"fast"` (the default): hand-derived gradients where all pairs of a batch share 16 noise words,
#   weighted so the expected loss equals that of 5 private noise words per pair; the noise scores
#   become one matrix product ([bonus 03b](03b_shared_negatives.ipynb) analyses this trick).
#
# Same slice, same seed, one epoch each. First the timings, which vary from run to run:

# %%
COMPARE = corpus.ids[:50_000]
runs = {}
for method in ("autograd", "manual", "fast"):
    runs[method] = train(COMPARE, corpus.vocab, replace(cfg, method=method, epochs=1, chunk_tokens=10_000),
                         progress=False)
    print(f"{method:>8}: {runs[method].seconds:.2f} s, {runs[method].pairs_per_sec:,.0f} pairs/s")
assert runs["fast"].seconds < runs["autograd"].seconds

# %% [markdown]
# And the losses, which are deterministic:

# %%
for method, run in runs.items():
    print(f"{method:>8}: loss per chunk", " ".join(f"{x:.3f}" for x in run.chunk_losses))
auto, manual, fast = (np.array(runs[m].chunk_losses) for m in ("autograd", "manual", "fast"))
assert np.allclose(auto, manual, rtol=1e-4)            # the same updates, computed two ways
assert abs(fast[-1] - manual[-1]) / manual[-1] < 0.15  # a different estimate of the same loss
print(f"last chunk: fast is {fast[-1] / manual[-1] - 1:+.0%} from manual")

# %% [markdown]
# `autograd` and `manual` apply the same updates, so their losses agree to the printed digits:
# the hand-derived gradients are correct. `fast` draws different noise words and weights them
# differently, so its numbers differ somewhat, and its loss is a little higher this early in
# training. It pays for that with far less work per pair. The tests of `w2v_helpers` check that
# both `fast` and `autograd` recover the planted analogies of the toy corpus. Where the speed of
# `fast` comes from is measured in [bonus 05c](05c_fast_training.ipynb).

# %% [markdown]
# ## Summary
#
# * A checkpoint holds both weight tables, the settings, the chunk losses and the position
#   (epoch, chunk). Since each chunk draws from its own (seed, epoch, chunk) generator, that is all
#   the state there is, and a resumed run reproduces an uninterrupted one bit for bit.
# * Checkpoints are written to a temporary file and renamed over the old one, so a crash in
#   mid-write leaves the previous checkpoint intact; a `.lock` file keeps a second run out of the
#   folder; resuming with other settings is refused.
# * `manual` reproduces `autograd`'s losses at a fraction of the time; `fast` is faster still, with
#   a slightly different estimate of the same loss.

# %% [markdown]
# ## Exercises
#
# Each exercise asks for one function: replace the `raise NotImplementedError` line of its stub with
# your code and run the check cell under it. The check tries your function on inputs of its own and
# prints `exercise NN.k: PASS`, or `FAIL` with a hint about what is wrong; it never prints the answer.
# Worked solutions, each passing its check, are in
# [solutions/05b_solutions.ipynb](../solutions/05b_solutions.ipynb); open them after trying.
#
# **Exercise 1.** Write `refusal_message(ids, vocab, cfg, checkpoint_dir)`: train with `cfg` and a
# checkpoint in `checkpoint_dir`, then try to resume from it with `replace(cfg, dim=20)`, and
# return the message of the `W2VError` the trainer raises. Call it on `SLICE` and `demo_cfg`: what
# does the trainer say, and why is refusing better than continuing?

# %% exercise="05b.1" tags=["exercise"]
from w2v_helpers.errors import W2VError  # noqa: F401 (the error your code catches)


def refusal_message(ids, vocab, cfg, checkpoint_dir):
    """The trainer's message when a checkpoint written with cfg is resumed with dim=20."""
    # YOUR CODE HERE
    raise NotImplementedError("write a checkpoint with cfg, resume with dim=20, return the trainer's message")


# %%
from w2v_helpers.course.exercises import check_05b_1

check_05b_1(refusal_message)
