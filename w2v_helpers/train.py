"""Training loop for skip-gram with negative sampling.

The corpus (an int32 id array) is cut into chunks. For each chunk: subsample frequent words, make
(centre, context) pairs with the dynamic window, shuffle them, draw K negatives per pair, and take
SGD steps on mini-batches while the learning rate decays linearly from `lr` to `min_lr` over all
of training, as word2vec does. Two update rules share this loop:

- "autograd": the SkipGram module, loss.backward() and torch.optim.SGD (the readable baseline);
- "manual": the hand-derived gradients of `gradients.sgd_step` (no graph, no optimizer state);
- "fast": hand-derived gradients with the noise words shared by all pairs of a batch
  (`gradients.sgd_step_shared`), which turns the noise scores into one matrix product.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

import numpy as np
import torch
from tqdm.auto import tqdm

from .checkpoint import load_checkpoint, save_checkpoint
from .errors import W2VError
from .gradients import sgd_step, sgd_step_shared
from .model import SkipGram
from .negative_sampling import NegativeSampler
from .pairs import chunk_bounds, draw_window_sizes, pairs_vectorized
from .subsampling import keep_prob_word2vec, subsample
from .vocab import Vocab


METHODS = ("fast", "manual", "autograd")


@dataclass
class TrainConfig:
    dim: int = 100
    window: int = 5
    negative: int = 5
    sample: float = 1e-3            # subsampling threshold t; 0 disables subsampling
    epochs: int = 5
    batch_size: int = 1024
    lr: float = 0.025
    min_lr: float = 0.0001
    seed: int = 0
    method: str = "fast"            # "fast", "manual" or "autograd"
    device: str = "cpu"
    chunk_tokens: int = 100_000     # windows never cross a chunk boundary (like word2vec's sentences)
    shared_negatives: int = 16      # "fast" only: noise words shared by all pairs of a batch

    def validate(self) -> None:
        for name in ("dim", "window", "negative", "epochs", "batch_size", "chunk_tokens"):
            if getattr(self, name) < 1:
                raise W2VError(f"{name} must be a positive integer, got {getattr(self, name)}")
        if not (self.lr > 0 and 0 <= self.min_lr <= self.lr):
            raise W2VError(f"need 0 <= min_lr <= lr and lr > 0, got lr={self.lr}, min_lr={self.min_lr}")
        if self.sample < 0:
            raise W2VError(f"sample must be >= 0 (0 disables subsampling), got {self.sample}")
        if self.method not in METHODS:
            raise W2VError(f"method must be one of {', '.join(METHODS)}, got {self.method!r}")
        if self.method == "fast" and self.shared_negatives < 1:
            raise W2VError(f"shared_negatives must be a positive integer, got {self.shared_negatives}")


@dataclass
class TrainResult:
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


def resolve_device(device: str) -> torch.device:
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise W2VError("--device cuda was asked for but no CUDA GPU is available; use --device cpu or auto")
    return torch.device(device)


def chunk_rng(seed: int, epoch: int, chunk: int) -> np.random.Generator:
    """An independent generator per chunk: resuming at a chunk boundary replays the same draws."""
    return np.random.default_rng([seed, epoch, chunk])


def make_chunk_batches(ids: np.ndarray, keep: np.ndarray | None, sampler: NegativeSampler,
                       cfg: TrainConfig, rng: np.random.Generator):
    """Subsample one chunk, pair it, shuffle the pairs, draw negatives: (centres, contexts, negatives)."""
    if keep is not None:
        ids = subsample(ids, keep, rng)
    centres, contexts = pairs_vectorized(ids, draw_window_sizes(len(ids), cfg.window, rng), cfg.window)
    order = rng.permutation(len(centres))
    if cfg.method == "fast":
        n_batches = -(-len(centres) // cfg.batch_size)
        negatives = sampler.sample((n_batches, cfg.shared_negatives), rng)   # (batches, S)
    else:
        negatives = sampler.sample((len(centres), cfg.negative), rng)         # (P, K)
    return centres[order], contexts[order], negatives


def learning_rate(cfg: TrainConfig, progress: float) -> float:
    """Linear decay from lr to min_lr as progress goes from 0 to 1."""
    return cfg.lr - (cfg.lr - cfg.min_lr) * min(max(progress, 0.0), 1.0)


def train_on_batches(model: SkipGram, optimizer: torch.optim.Optimizer | None, cfg: TrainConfig,
                     batches, lr_at) -> tuple[float, int]:
    """SGD over one chunk's pairs; lr_at(fraction_of_chunk_done) gives each batch's learning rate.

    Returns (summed loss, number of pairs).
    """
    centres, contexts, negatives = batches
    n, total = len(centres), torch.zeros(())
    in_w, out_w = model.in_embed.weight, model.out_embed.weight
    for start in range(0, n, cfg.batch_size):
        c = centres[start:start + cfg.batch_size]
        o = contexts[start:start + cfg.batch_size]
        lr = lr_at(start / n)
        if cfg.method == "fast":
            loss = sgd_step_shared(in_w.data, out_w.data, c, o, negatives[start // cfg.batch_size], lr, cfg.negative)
        elif optimizer is None:
            neg = negatives[start:start + cfg.batch_size]
            loss = sgd_step(in_w.data, out_w.data, c, o, neg, lr)
        else:
            for group in optimizer.param_groups:
                group["lr"] = lr
            optimizer.zero_grad()
            loss = model(c, o, negatives[start:start + cfg.batch_size]).sum()
            loss.backward()
            optimizer.step()
        total += loss.detach().cpu() if loss.is_cuda else loss.detach()
    return float(total), n


def train(ids: np.ndarray, vocab: Vocab, cfg: TrainConfig, checkpoint_dir: str | None = None,
          checkpoint_every: float = 300.0, resume: bool = False, progress: bool = True) -> TrainResult:
    """Train SGNS vectors on an id array; checkpoint every `checkpoint_every` seconds and per epoch."""
    cfg.validate()
    if len(ids) < 2:
        raise W2VError("the corpus has fewer than 2 in-vocabulary words; nothing to train on")
    device = resolve_device(cfg.device)
    torch.manual_seed(cfg.seed)
    model = SkipGram(len(vocab), cfg.dim, sparse=True,
                     generator=torch.Generator().manual_seed(cfg.seed)).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=cfg.lr) if cfg.method == "autograd" else None
    keep = keep_prob_word2vec(vocab.frequencies(), cfg.sample) if cfg.sample > 0 else None
    sampler = NegativeSampler(vocab.counts)
    bounds = chunk_bounds(len(ids), cfg.chunk_tokens)
    total_words = cfg.epochs * len(ids)
    result = TrainResult(model)
    start_epoch, start_chunk, done_words = 0, 0, 0
    if resume and checkpoint_dir:
        state = load_checkpoint(checkpoint_dir)
        _check_compatible(state, cfg, vocab, len(ids))
        model.load_state_dict(state["model"])
        start_epoch, start_chunk, done_words = state["epoch"], state["chunk"], state["done_words"]
        result.chunk_losses = list(state["chunk_losses"])

    bar = tqdm(total=total_words, initial=done_words, unit="word", unit_scale=True,
               disable=not progress, desc="training", smoothing=0.1)
    t0 = last_save = time.perf_counter()
    for epoch in range(start_epoch, cfg.epochs):
        for k, (s, e) in enumerate(bounds):
            if epoch == start_epoch and k < start_chunk:
                continue
            rng = chunk_rng(cfg.seed, epoch, k)
            batch = [torch.from_numpy(a).to(device) for a in make_chunk_batches(ids[s:e], keep, sampler, cfg, rng)]
            lr_at = lambda frac, w=done_words, n=e - s: learning_rate(cfg, (w + frac * n) / total_words)
            loss, pairs = train_on_batches(model, optimizer, cfg, batch, lr_at)
            done_words += e - s
            result.words += e - s
            result.pairs += pairs
            result.chunk_losses.append(loss / max(pairs, 1))
            bar.update(e - s)
            bar.set_postfix(loss=f"{result.chunk_losses[-1]:.3f}", lr=f"{lr_at(1.0):.5f}")
            last_chunk = k == len(bounds) - 1
            if checkpoint_dir and (last_chunk or time.perf_counter() - last_save >= checkpoint_every):
                nxt = (epoch + 1, 0) if last_chunk else (epoch, k + 1)
                _save(checkpoint_dir, model, cfg, vocab, len(ids), nxt, done_words, result.chunk_losses)
                last_save = time.perf_counter()
    bar.close()
    result.seconds = time.perf_counter() - t0
    return result


def _save(directory, model, cfg, vocab, n_tokens, nxt, done_words, losses) -> None:
    save_checkpoint(directory, {
        "model": model.state_dict(), "config": asdict(cfg), "vocab_size": len(vocab),
        "n_tokens": n_tokens, "epoch": nxt[0], "chunk": nxt[1], "done_words": done_words,
        "chunk_losses": list(losses),
    })


def _check_compatible(state: dict, cfg: TrainConfig, vocab: Vocab, n_tokens: int) -> None:
    """Refuse to resume with settings that would silently change the run."""
    saved = state["config"]
    ignore = {"device"}
    diffs = [f"{k}: {saved[k]} -> {v}" for k, v in asdict(cfg).items() if k not in ignore and saved.get(k) != v]
    if state["vocab_size"] != len(vocab) or state["n_tokens"] != n_tokens:
        diffs.append("the corpus or min_count differs")
    if diffs:
        raise W2VError("the checkpoint was made with other settings (" + "; ".join(diffs)
                       + "); rerun with the same settings or drop --resume")
