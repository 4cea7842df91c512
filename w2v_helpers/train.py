"""Training loop for skip-gram (and CBOW) with negative sampling, taught in Chapters 5 and 9.

The corpus (an int32 id array) is cut into chunks. For each chunk: subsample frequent words, make
(centre, context) pairs with the dynamic window, shuffle them, draw K negatives per pair, and take
SGD steps on mini-batches while the learning rate decays linearly from `lr` to `min_lr` over all
of training, as word2vec does. This is the loop Chapter 5 writes (`naive.train_loop`), with the
same random draws in the same order, plus checkpoints, workers and a progress bar. Three update
rules share it:

- "autograd": the SkipGram module, loss.backward() and torch.optim.SGD (the loop of Chapter 5);
- "manual": the hand-derived gradients of `gradients.sgd_step` (no graph, no optimizer state);
- "fast": hand-derived gradients with the noise words shared by all pairs of a batch
  (`gradients.sgd_step_shared`), which turns the noise scores into one matrix product.

`arch="cbow"` trains word2vec's other model (cbow.py, Chapter 9) with the same loop: its own batch
maker, step functions and module, chosen in `_arch_parts`. `hs=True` replaces negative sampling by
hierarchical softmax (hs.py, Chapter 10) for either architecture: "manual" takes exact steps on
pairs (skip-gram) or windows (CBOW); "fast" walks whole windows, skip-gram's pairs of a window
sharing one path, CBOW with word2vec's update. `train(..., subwords=index)` trains fastText's
skip-gram (subwords.py, Chapter 12): a word's input vector is the mean of its own row and its
character n-grams' rows, with the "fast" method's batches and shared noise words.
"""

from __future__ import annotations

import math
import os
import time
from contextlib import ExitStack, nullcontext
from dataclasses import asdict, dataclass, field

import numpy as np
import torch
from tqdm.auto import tqdm

from .arguments import show
from .cbow import CBOW, cbow_step, cbow_step_shared, make_cbow_batches
from .checkpoint import corpus_fingerprint, load_checkpoint, locked_checkpoint_dir, save_checkpoint
from .distributed import DataParallel, resolve_device, rounds
from .errors import W2VError
from .gradients import sgd_step, sgd_step_shared
from .hs import build_huffman_tree, cbow_hs_step, cbow_hs_step_fast, hs_step, sg_hs_step_windows
from .model import SkipGram
from .negative_sampling import NegativeSampler
from .pairs import chunk_bounds, draw_window_sizes, pairs_vectorized
from .resources import require_memory
from .subsampling import keep_prob_word2vec, subsample
from .subwords import SubwordIndex, SubwordSkipGram, subword_step_shared
from .vocab import Vocab
from .workers import intra_op_threads, start_workers

TRAIN_METHODS = ("fast", "manual", "autograd")   # the update rules, fastest first (Chapter 5, bonus 05c)
DEFAULT_LR = {"sg": 0.025, "cbow": 0.05}          # the architectures and word2vec's starting rates (Chapter 9)
DEFAULT_BATCH = {"sg": 1024, "cbow": 512}         # examples per SGD step: pairs (sg) or centre positions (cbow)
# Hierarchical softmax walks ~11 tree nodes per example instead of K+1 = 6 rows, so its batches are
# smaller, to keep each step's (steps, d) blocks in the processor's cache; CBOW's (word2vec's update,
# every example through the root) diverged at 256 on 17.5M tokens with two workers (bonus notebook 10b).
DEFAULT_HS_BATCH = {"sg": 256, "cbow": 128}
# The largest value of each size setting: the command line's limits, so a typo cannot ask for gigabytes.
LIMITS = {"dim": 10_000, "window": 1_000, "negative": 1_000, "epochs": 10_000, "batch_size": 1 << 20,
          "chunk_tokens": 1 << 30, "workers": 256, "shared_negatives": 10_000}


@dataclass
class TrainConfig:
    """Every setting of a training run, with word2vec's defaults (Chapters 5 and 8, bonus notebook 05c)."""

    dim: int = 100
    window: int = 5
    negative: int = 5
    sample: float = 1e-3            # subsampling threshold t; 0 disables subsampling
    epochs: int = 5
    batch_size: int | None = None   # None: DEFAULT_BATCH or DEFAULT_HS_BATCH of the arch, set at creation
    lr: float | None = None         # None: DEFAULT_LR of the arch (0.025 skip-gram, 0.05 CBOW), set at creation
    min_lr: float = 0.0001
    seed: int = 0
    method: str = "fast"            # "fast", "manual" or "autograd"
    device: str = field(default_factory=lambda: os.environ.get("W2V_DEVICE", "cpu"))  # Colab's setup sets it
    chunk_tokens: int = 100_000     # windows never cross a chunk boundary (like word2vec's sentences)
    shared_negatives: int = 16      # "fast" only: noise words shared by all pairs of a batch (CBOW: by 32 rows)
    workers: int = 1                # >1: Hogwild threads (fast, not bit-for-bit reproducible)
    arch: str = "sg"                # "sg" (skip-gram) or "cbow" (Chapter 9)
    hs: bool = False                # hierarchical softmax instead of negative sampling (Chapter 10)

    def __post_init__(self) -> None:
        arch = self.arch if isinstance(self.arch, str) else "sg"  # validate() names a wrong one
        if self.lr is None:
            self.lr = DEFAULT_LR.get(arch, DEFAULT_LR["sg"])
        if self.batch_size is None:
            defaults = DEFAULT_HS_BATCH if self.hs is True else DEFAULT_BATCH
            self.batch_size = defaults.get(arch, defaults["sg"])
        self.validate()  # a setting that cannot train is named where it is made

    def validate(self) -> None:
        """Raise W2VError for settings that cannot train: wrong types, NaN or infinity, out of range."""
        for name in ("dim", "window", "negative", "epochs", "batch_size", "chunk_tokens", "workers",
                     "shared_negatives", "seed"):
            value = getattr(self, name)
            if not isinstance(value, (int, np.integer)) or isinstance(value, bool):
                raise W2VError(f"{name} must be an integer, got {show(value)}")
        for name in ("dim", "window", "negative", "epochs", "batch_size", "chunk_tokens", "workers"):
            if getattr(self, name) < 1:
                raise W2VError(f"{name} must be a positive integer, got {getattr(self, name)}")
        for name, most in LIMITS.items():  # larger ones would allocate gigabytes, or never end
            if getattr(self, name) > most:
                raise W2VError(f"{name} must be at most {most}, got {getattr(self, name)}")
        if not 0 <= self.seed < 2**32:
            raise W2VError(f"seed must be between 0 and 2**32-1, got {self.seed}")
        for name, example in (("arch", "sg"), ("method", "fast"), ("device", "cpu")):
            if not isinstance(getattr(self, name), str):
                raise W2VError(f"{name} must be a string such as {example!r}, got {show(getattr(self, name))}")
        if self.arch not in DEFAULT_LR:
            raise W2VError(f"arch must be one of {', '.join(DEFAULT_LR)}, got {self.arch!r}")
        for name in ("lr", "min_lr", "sample"):
            value = getattr(self, name)
            if not isinstance(value, (int, float, np.integer, np.floating)) or isinstance(value, (bool, np.bool_)) \
                    or not math.isfinite(value):
                raise W2VError(f"{name} must be a finite number, got {show(value)}")
        if not (0 < self.lr <= 10 and 0 <= self.min_lr <= self.lr):
            raise W2VError(f"need 0 <= min_lr <= lr and 0 < lr <= 10, got lr={self.lr}, min_lr={self.min_lr}")
        if not 0 <= self.sample <= 1:
            raise W2VError(f"sample must be between 0 and 1 (0 disables subsampling), got {self.sample}")
        if self.method not in TRAIN_METHODS:
            raise W2VError(f"method must be one of {', '.join(TRAIN_METHODS)}, got {self.method!r}")
        if not isinstance(self.hs, (bool, np.bool_)):
            raise W2VError(f"hs must be True or False, got {self.hs!r}")
        if self.hs and self.method == "autograd":
            raise W2VError("hierarchical softmax trains with its hand-derived gradients; use --method fast or manual "
                           "with --hs (bonus notebook 10b checks them against autograd)")
        if self.method == "autograd" and self.workers > 1:
            raise W2VError("the autograd method trains with one worker; use --method fast or manual for --workers > 1")
        if self.method == "fast" and self.shared_negatives < 1:
            raise W2VError(f"shared_negatives must be a positive integer, got {self.shared_negatives}")


@dataclass
class TrainResult:
    """What `train` returns (Chapter 5): the model, the mean loss of each chunk, counts and seconds."""

    model: SkipGram
    chunk_losses: list[float] = field(default_factory=list)   # mean loss per pair, one per chunk
    pairs: int = 0
    words: int = 0
    seconds: float = 0.0

    @property
    def words_per_sec(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0

    @property
    def pairs_per_sec(self) -> float:
        return self.pairs / self.seconds if self.seconds else 0.0


# The hierarchical-softmax step of each (arch, method): "fast" walks whole windows (bonus notebook 10b).
HS_STEPS = {("sg", "fast"): sg_hs_step_windows, ("sg", "manual"): hs_step,
            ("cbow", "fast"): cbow_hs_step_fast, ("cbow", "manual"): cbow_hs_step}


def chunk_rng(seed: int, epoch: int, chunk: int) -> np.random.Generator:
    """An independent generator per chunk: resuming at a chunk boundary replays the same draws (Chapter 5)."""
    return np.random.default_rng([seed, epoch, chunk])


def make_chunk_batches(chunk: np.ndarray, keep: np.ndarray | None, sampler: NegativeSampler,
                       cfg: TrainConfig, rng: np.random.Generator,
                       examples=pairs_vectorized):
    """Subsample one chunk, pair it, shuffle the pairs, draw negatives: (centres, contexts, negatives).

    The first half of Chapter 5's loop, with the same draws from `rng` in the same order. Negatives
    are (P, K), one row per pair, or for the "fast" method (batches, S), one row per batch.
    """
    if keep is not None:
        chunk = subsample(chunk, keep, rng)                                   # (n,) ids
    b = draw_window_sizes(len(chunk), cfg.window, rng)                        # (n,) window sizes
    centres, contexts = examples(chunk, b, cfg.window)                        # (P,), (P,) or (P, 2w)
    order = rng.permutation(len(centres))                                      # shuffle the pairs
    if cfg.hs:                                                                 # no noise words: the tree
        negatives = np.empty(0, dtype=np.int64)
    elif cfg.method == "fast":
        n_batches = -(-len(centres) // cfg.batch_size)
        negatives = sampler.sample((n_batches, cfg.shared_negatives), rng)    # (batches, S)
    else:
        negatives = sampler.sample((len(centres), cfg.negative), rng)         # (P, K)
    return centres[order], contexts[order], negatives


def learning_rate(cfg: TrainConfig, progress: float) -> float:
    """Linear decay from lr to min_lr as progress (words seen / all words) goes from 0 to 1 (Chapter 5)."""
    return cfg.lr - (cfg.lr - cfg.min_lr) * min(max(progress, 0.0), 1.0)


def _arch_parts(arch: str):
    """(model class, batch maker, manual step, fast step) of skip-gram or CBOW (Chapter 9)."""
    if arch == "cbow":
        return CBOW, make_cbow_batches, cbow_step, cbow_step_shared
    return SkipGram, make_chunk_batches, sgd_step, sgd_step_shared


def train_on_batches(model: SkipGram, optimizer: torch.optim.Optimizer | None, cfg: TrainConfig, batches,
                     words_before: int, chunk_words: int, total_words: int, tree=None) -> tuple[float, int]:
    """SGD over one chunk's pairs, the second half of Chapter 5's loop; returns (summed loss, number of pairs).

    `words_before` corpus words were trained before this chunk of `chunk_words`, out of `total_words`:
    they place each batch on the learning-rate schedule. `tree`: the Huffman tree's tensors when cfg.hs.
    """
    centres, contexts, negatives = batches
    _, _, step, shared_step = _arch_parts(cfg.arch)
    hs_arch_step = HS_STEPS.get((cfg.arch, cfg.method)) if cfg.hs else None
    if isinstance(model, SubwordSkipGram):   # fastText's skip-gram (Chapter 12): the same loop, rows averaged
        offsets, rows = model.offsets, model.rows

        def shared_step(in_w, out_w, centre, context, shared, lr, negative):
            return subword_step_shared(in_w, out_w, offsets, rows, centre, context, shared, lr, negative)
    n, total = len(centres), torch.zeros((), device=centres.device)  # summed on the device: no sync per batch
    in_w, out_w = model.in_embed.weight.data, model.out_embed.weight.data
    for i in range(0, n, cfg.batch_size):
        lr = learning_rate(cfg, (words_before + i / n * chunk_words) / total_words)
        batch = slice(i, i + cfg.batch_size)
        if cfg.hs:                    # hierarchical softmax (Chapter 10)
            loss = hs_arch_step(in_w, out_w, centres[batch], contexts[batch], tree, lr)
        elif cfg.method == "fast":     # one set of noise words per batch (Chapter 3, bonus 05c)
            loss = shared_step(in_w, out_w, centres[batch], contexts[batch], negatives[i // cfg.batch_size],
                               lr, cfg.negative)
        elif cfg.method == "manual":  # the hand-derived gradients of Chapter 1
            loss = step(in_w, out_w, centres[batch], contexts[batch], negatives[batch], lr)
        else:                         # autograd, as Chapter 5 writes it
            for group in optimizer.param_groups:
                group["lr"] = lr
            loss = model(centres[batch], contexts[batch], negatives[batch]).sum()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        total += loss.detach()
    if cfg.hs and cfg.arch == "sg" and cfg.method == "fast":   # an example was a window: count its pairs
        n = int((contexts >= 0).sum())
    return float(total), n


def train(ids: np.ndarray, vocab: Vocab, cfg: TrainConfig, checkpoint_dir: str | None = None,
          checkpoint_every: float = 300.0, resume: bool = False, progress: bool = True,
          parallel: DataParallel | None = None, subwords: SubwordIndex | None = None) -> TrainResult:
    """Train SGNS vectors on an id array; checkpoint every `checkpoint_every` seconds and per epoch.

    Chapter 5 writes the same loop (`naive.train_loop`) and checks both give the same vectors;
    Chapters 5, 6, 7 and 8 train with it.

    With cfg.workers > 1, that many workers train different chunks at once on the same tables,
    without locks (Hogwild, as word2vec and gensim do; see workers.py). Rare lost updates are
    harmless, but the result is no longer bit-for-bit reproducible; with one worker it is.
    With `parallel` (torchrun; see distributed.py) this process trains its share of the chunks and
    averages the tables with the other ranks; rank 0 alone shows progress and saves checkpoints.
    With `subwords` (a SubwordIndex of vocab.words, Chapter 12) it trains fastText's skip-gram instead:
    result.model is a SubwordSkipGram, whose subword_vectors() give a vector for any word.
    """
    if not isinstance(cfg, TrainConfig):
        raise W2VError(f"cfg must be a TrainConfig (TrainConfig(dim=..., epochs=...)); got {show(cfg)}")
    if not isinstance(vocab, Vocab):
        raise W2VError(f"vocab must be the corpus's Vocab (corpus.vocab); got {show(vocab)}")
    cfg.validate()
    if isinstance(checkpoint_every, bool) or not isinstance(checkpoint_every, (int, float)) \
            or not 0 <= checkpoint_every < math.inf:
        raise W2VError(f"checkpoint_every must be a number of seconds, 0 or more; got {show(checkpoint_every)}")
    if resume and not checkpoint_dir:
        raise W2VError("resume=True needs checkpoint_dir, the folder that holds the checkpoint")
    ids = _checked_ids(ids, len(vocab))
    extra_rows = _checked_subwords(subwords, vocab, cfg, checkpoint_dir, parallel)
    device = resolve_device(cfg.device)
    if parallel is not None:
        parallel.check_same_input(ids, vocab, cfg)
        if parallel.rank != 0:
            checkpoint_dir, progress = None, False
    with ExitStack() as stack:
        with parallel.together() if parallel is not None else nullcontext():  # every rank stops if one cannot start
            require_memory((2 * len(vocab) + extra_rows) * cfg.dim * 4,
                           f"two tables of {len(vocab):,} (+{extra_rows:,} n-gram) x {cfg.dim} float32 numbers",
                           "lower --dim, or raise --min-count to keep fewer words")
            if checkpoint_dir:
                stack.enter_context(locked_checkpoint_dir(checkpoint_dir))
            state = load_checkpoint(checkpoint_dir) if resume and checkpoint_dir else None
            if state is not None:
                _check_compatible(state, cfg, vocab, ids, len(chunk_bounds(len(ids), cfg.chunk_tokens)))
        return _train_locked(ids, vocab, cfg, device, checkpoint_dir, checkpoint_every, state, progress, parallel,
                             subwords)


def _checked_subwords(subwords, vocab: Vocab, cfg: TrainConfig, checkpoint_dir, parallel) -> int:
    """The n-gram rows `subwords` adds to the input table (0 without), or W2VError if it cannot train (Chapter 12)."""
    if subwords is None:
        return 0
    if not isinstance(subwords, SubwordIndex):
        raise W2VError(f"subwords must be a SubwordIndex (SubwordIndex.build(vocab.words)); got {show(subwords)}")
    if list(subwords.words) != list(vocab.words):
        raise W2VError("subwords was built for another vocabulary; build it with SubwordIndex.build(vocab.words)")
    if cfg.arch != "sg" or cfg.hs or cfg.method != "fast":
        raise W2VError(f"subwords train skip-gram with negative sampling and the fast method; got arch={cfg.arch!r}, "
                       f"hs={cfg.hs}, method={cfg.method!r}: use arch='sg', hs=False, method='fast'")
    if checkpoint_dir or parallel is not None:
        raise W2VError("subword training runs in one process without checkpoints; drop --checkpoint and "
                       "--nproc-per-node (torchrun) with --subwords")
    return len(subwords.used)


def _checked_ids(ids, vocab_size: int) -> np.ndarray:
    """The corpus as a 1-D integer array of ids in [0, vocab_size), or W2VError."""
    ids = np.asarray(ids)
    if ids.ndim != 1 or (ids.size and not np.issubdtype(ids.dtype, np.integer)):
        raise W2VError(f"ids must be a 1-D array of integer word ids, got shape {ids.shape} and dtype {ids.dtype}")
    if len(ids) < 2:
        raise W2VError("the corpus has fewer than 2 in-vocabulary words; nothing to train on")
    if ids.min() < 0 or ids.max() >= vocab_size:
        raise W2VError(f"word ids must lie in 0..{vocab_size - 1} for this vocabulary, found {ids.min()} to "
                       f"{ids.max()}; encode the corpus with the same Vocab")
    return ids


def _train_locked(ids, vocab, cfg, device, checkpoint_dir, checkpoint_every, state, progress,
                  parallel, subwords=None) -> TrainResult:
    """The body of train(), run while its checkpoint folder (if any) is locked; `state`: the checkpoint to resume."""
    model_class, make_batches, _, _ = _arch_parts(cfg.arch)
    if cfg.hs and cfg.method == "fast":  # both architectures walk whole windows (bonus notebook 10b)
        make_batches = make_cbow_batches
    if subwords is not None:     # fastText's skip-gram (Chapter 12)
        model = SubwordSkipGram(subwords, cfg.dim, generator=torch.Generator().manual_seed(cfg.seed)).to(device)
    else:
        model = model_class(len(vocab), cfg.dim, sparse=True,
                            generator=torch.Generator().manual_seed(cfg.seed)).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=cfg.lr) if cfg.method == "autograd" else None
    keep = keep_prob_word2vec(vocab.frequencies(), cfg.sample) if cfg.sample > 0 else None
    sampler = NegativeSampler(vocab.counts)
    tree = build_huffman_tree(vocab.counts).to(device) if cfg.hs else None
    bounds = chunk_bounds(len(ids), cfg.chunk_tokens)
    schedule = [(epoch, k) for epoch in range(cfg.epochs) for k in range(len(bounds))]
    total_words = cfg.epochs * len(ids)
    result, position = TrainResult(model), 0
    if state is not None:
        model.load_state_dict(state["model"])
        position = schedule.index((state["epoch"], state["chunk"])) if state["epoch"] < cfg.epochs else len(schedule)
        result.chunk_losses = list(state["chunk_losses"])
    if parallel is not None:
        position, result.chunk_losses = parallel.broadcast_start(model, position, result.chunk_losses)

    def run_chunk(epoch_chunk: tuple[int, int]) -> tuple[float, int, int]:
        epoch, k = epoch_chunk
        start, stop = bounds[k]
        batches = [torch.from_numpy(a).to(device)
                   for a in make_batches(ids[start:stop], keep, sampler, cfg, chunk_rng(cfg.seed, epoch, k))]
        words_before = epoch * len(ids) + start
        loss, pairs = train_on_batches(model, optimizer, cfg, batches, words_before, stop - start, total_words,
                                       tree)
        return loss, pairs, stop - start

    done = sum(bounds[k][1] - bounds[k][0] for _, k in schedule[:position])
    bar = tqdm(total=total_words, initial=done, unit="word", unit_scale=True,
               disable=not progress, desc="training", smoothing=0.1)
    t0 = last_save = time.perf_counter()
    with intra_op_threads(1 if device.type == "cpu" else None):
        workers = start_workers(cfg.workers, run_chunk, model, device)
        try:
            for step, groups in rounds(schedule, position, len(bounds), cfg.workers, parallel):
                outcomes = {e: out for group in groups for e, out in zip(group, workers.map(group))}
                if parallel is not None:
                    parallel.sync(model, step, outcomes)
                for (epoch, k), (loss, pairs, words) in ((e, outcomes[e]) for e in step):
                    if not math.isfinite(loss):   # every rank sees it: said once
                        stop = parallel.stop if parallel is not None else W2VError
                        raise stop(f"training diverged at epoch {epoch + 1}, chunk {k + 1} of {len(bounds)} "
                                   f"(the loss became {loss}); nothing was saved; lower --lr (now {cfg.lr})")
                    result.words, result.pairs = result.words + words, result.pairs + pairs
                    result.chunk_losses.append(loss / max(pairs, 1))
                    bar.update(words)
                position += len(step)
                bar.set_postfix(loss=f"{result.chunk_losses[-1]:.3f}")
                epoch_ended = position == len(schedule) or schedule[position][0] != step[0][0]
                if checkpoint_dir and (epoch_ended or time.perf_counter() - last_save >= checkpoint_every):
                    nxt = schedule[position] if position < len(schedule) else (cfg.epochs, 0)
                    _save(checkpoint_dir, model, cfg, vocab, ids, nxt, result.chunk_losses)
                    last_save = time.perf_counter()
        finally:
            workers.close()
    bar.close()
    result.seconds = time.perf_counter() - t0
    return result


def _save(directory, model, cfg, vocab, ids, nxt, losses) -> None:
    save_checkpoint(directory, {
        "model": model.state_dict(), "config": asdict(cfg), "vocab_size": len(vocab),
        "n_tokens": len(ids), "corpus": corpus_fingerprint(ids, vocab.words), "epoch": nxt[0], "chunk": nxt[1],
        "chunk_losses": list(losses),
    })


def _check_compatible(state: dict, cfg: TrainConfig, vocab: Vocab, ids: np.ndarray, n_chunks: int) -> None:
    """Refuse to resume with settings or a corpus that would silently change the run."""
    saved = {"arch": "sg", "hs": False, **state["config"]}  # older checkpoints: skip-gram, negative sampling
    ignore = {"device", "workers"}
    diffs = [f"{k}: {saved.get(k, '(not recorded)')} -> {v}" for k, v in asdict(cfg).items()
             if k not in ignore and saved.get(k) != v]
    if state["vocab_size"] != len(vocab) or state["n_tokens"] != len(ids):
        diffs.append("the corpus or min_count differs")
    elif state.get("corpus") is None:
        diffs.append("the checkpoint does not record its corpus (made by an older version)")
    elif state["corpus"] != corpus_fingerprint(ids, vocab.words):
        diffs.append(f"the corpus differs (same size, {len(ids):,} tokens and {len(vocab):,} words, other text)")
    if diffs:
        raise W2VError("the checkpoint was made with other settings (" + "; ".join(diffs)
                       + "); rerun with the same settings and corpus, or drop --resume")
    if state["epoch"] < cfg.epochs and state["chunk"] >= n_chunks:
        raise W2VError(f"the checkpoint's place (epoch {state['epoch'] + 1}, chunk {state['chunk'] + 1}) is past "
                       f"the {n_chunks} chunks of this corpus, so it is damaged; delete it and train from scratch")
