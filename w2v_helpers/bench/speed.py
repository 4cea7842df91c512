"""Ours versus gensim on one corpus: speed, peak memory and vector quality in one table.

Run by `python -m w2v_helpers benchmark`. Each trainer runs in a fresh child process
(`python -m w2v_helpers.bench.speed --child ours|gensim`)
so that its peak RSS is its own, not the parent's nor the other trainer's, and so that its time
covers the whole job a user waits for: interpreter start, imports, reading and tokenizing the
corpus, training and saving the vectors. Both use the same settings and the same tokenizer;
children run one after the other so they never compete for cores. The parent then scores both
vector files on the evaluation datasets and writes benchmark.json, benchmark.md and benchmark.png
(report.py).

gensim is imported only inside its child: the package never needs it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from ..atomic import atomic_path, exit_on_sigterm
from ..errors import W2VError
from ..paths import PACKAGE_DIR, data_dir

_START = time.time()  # fallback start time when a child is run by hand, without --t0
SETTINGS = {"window": 5, "negative": 5, "sample": 1e-3, "min_count": 5, "seed": 0}
GENSIM_MAX_SENTENCE = 10_000  # gensim silently cuts longer sentences, so we cut them ourselves
ANALOGY_VOCAB = 30_000        # analogies over the 30k most frequent words, as gensim's default
QUALITY = {"analogy": "questions-words.txt", "ws353": "wordsim353.tsv", "simlex": "simlex999.txt"}


# ----- the child: train one way, report time and memory ---------------------------------------
def peak_rss_mb() -> float | None:
    """Peak resident memory of this process so far in MB (ru_maxrss is KiB on Linux, bytes on macOS)."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def train_ours(corpus: Path, out: Path, epochs: int, workers: int, dim: int, arch: str = "sg",
               lr: float | None = None, hs: bool = False) -> tuple[int, int]:
    """Train with our fast Hogwild trainer and save the vectors; returns (in-vocabulary tokens, vocab size)."""
    from ..corpus import corpus_from_file
    from ..train import TrainConfig, train
    from ..vectors import WordVectors

    c = corpus_from_file(corpus, SETTINGS["min_count"])
    cfg = TrainConfig(dim=dim, window=SETTINGS["window"], negative=SETTINGS["negative"], sample=SETTINGS["sample"],
                      epochs=epochs, seed=SETTINGS["seed"], method="fast", workers=workers, arch=arch, lr=lr,
                      hs=hs)
    result = train(c.ids, c.vocab, cfg, progress=False)
    WordVectors(c.vocab.words, result.model.word_vectors()).save(out)
    return len(c.ids), len(c.vocab)


def gensim_sentences(corpus: Path) -> list[list[str]]:
    """The corpus as gensim takes it: our tokenizer's tokens, in sentences of 10,000 tokens.

    Tokenized once and held in memory (interned strings: a sentence is a list of pointers), as
    ours holds its id array; streaming would rerun the Python tokenizer every epoch and time
    the tokenizer rather than gensim.
    """
    from ..corpus import iter_token_blocks

    sentences: list[list[str]] = []
    pending: list[str] = []
    for tokens in iter_token_blocks(corpus):
        pending.extend(map(sys.intern, tokens))
        full = len(pending) - len(pending) % GENSIM_MAX_SENTENCE
        sentences.extend(pending[i:i + GENSIM_MAX_SENTENCE] for i in range(0, full, GENSIM_MAX_SENTENCE))
        pending = pending[full:]
    if pending:
        sentences.append(pending)
    return sentences


def train_gensim(corpus: Path, out: Path, epochs: int, workers: int, dim: int, arch: str = "sg",
                 lr: float | None = None, hs: bool = False) -> tuple[int, int]:
    """Train gensim's skip-gram (sg=1; CBOW: sg=0, cbow_mean=1) with our settings.

    Negative sampling (hs=0, negative 5) or, with `hs`, hierarchical softmax alone (hs=1, negative=0).

    Returns (in-vocabulary tokens, vocab size); `lr` is gensim's alpha (None: gensim's default).
    """
    try:
        from gensim.models import Word2Vec
    except ImportError:
        raise W2VError("gensim not installed") from None
    if not corpus.is_file():
        raise W2VError(f"corpus file {corpus} does not exist")
    rate = {} if lr is None else {"alpha": lr}
    model = Word2Vec(gensim_sentences(corpus), sg=int(arch == "sg"), cbow_mean=1, hs=int(hs), vector_size=dim,
                     window=SETTINGS["window"], negative=0 if hs else SETTINGS["negative"], sample=SETTINGS["sample"],
                     min_count=SETTINGS["min_count"], epochs=epochs, workers=workers, seed=SETTINGS["seed"], **rate)
    with atomic_path(out) as tmp:
        model.wv.save_word2vec_format(str(tmp))
    kv = model.wv
    return int(sum(kv.get_vecattr(w, "count") for w in kv.index_to_key)), len(kv)


def child_main(argv: list[str] | None = None) -> int:
    """Train one way, then print one JSON line: seconds since launch, words/s, peak RSS."""
    p = argparse.ArgumentParser(prog="python -m w2v_helpers.bench.speed", description=child_main.__doc__)
    p.add_argument("--child", choices=("ours", "gensim"), required=True)
    p.add_argument("--corpus", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True, help="where to save the vectors (word2vec text format)")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--dim", type=int, default=100)
    p.add_argument("--arch", default="sg", help="sg or cbow (the parent checks it)")
    p.add_argument("--lr", type=float, help="starting learning rate, the same for both trainers")
    p.add_argument("--hs", action="store_true", help="hierarchical softmax instead of negative sampling")
    p.add_argument("--t0", type=float, help="time.time() when the parent launched this process")
    args = p.parse_args(argv)
    exit_on_sigterm()  # a stopped benchmark stops its child with SIGTERM: unwind, removing the .part file
    trainer: Callable = train_ours if args.child == "ours" else train_gensim
    try:
        tokens, vocab = trainer(args.corpus, args.out, args.epochs, args.workers, args.dim, args.arch, args.lr,
                               args.hs)
    except W2VError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    seconds = time.time() - (args.t0 or _START)
    print(json.dumps({"trainer": args.child, "seconds": seconds, "tokens": tokens, "vocab": vocab,
                      "words_per_sec": args.epochs * tokens / seconds, "peak_rss_mb": peak_rss_mb()}))
    return 0


# ----- the parent: run the children, score, tabulate ------------------------------------------
def run_child(trainer: str, corpus: Path, out: Path, epochs: int, workers: int, dim: int,
              arch: str = "sg", lr: float | None = None, hs: bool = False) -> dict:
    """Run one trainer in a fresh interpreter and return its JSON line as a dict."""
    env = dict(os.environ)  # let the child import this package even when it is not installed
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PACKAGE_DIR.parent), env.get("PYTHONPATH")]))
    cmd = [sys.executable, "-m", "w2v_helpers.bench.speed", "--child", trainer, "--corpus", str(corpus),
           "--out", str(out), "--epochs", str(epochs), "--workers", str(workers), "--dim", str(dim), "--arch", arch]
    cmd += ([] if lr is None else ["--lr", repr(lr)]) + (["--hs"] if hs else [])
    proc = subprocess.Popen(cmd + ["--t0", repr(time.time())], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)
    try:
        stdout, stderr = proc.communicate()
    except BaseException:  # Ctrl-C or SIGTERM: stop the child the same way, so it removes its temporary files
        proc.terminate()
        try:
            proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
        raise
    proc = subprocess.CompletedProcess(cmd, proc.returncode, stdout, stderr)
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines()
        why = lines[-1].removeprefix("error: ") if lines else f"exit code {proc.returncode}"
        raise W2VError(f"the {trainer} training run failed: {why}")
    last = proc.stdout.strip().splitlines()[-1:] or [""]
    try:
        return json.loads(last[0])
    except json.JSONDecodeError:
        raise W2VError(f"the {trainer} training run printed no result line; it ended with {last[0]!r}") from None


def score_vectors(path: Path) -> dict[str, float | None]:
    """Analogy accuracy and WS353 / SimLex Spearman of a vector file; None where unmeasurable.

    None means the benchmark file is missing or none of its words are in the vocabulary (a
    synthetic corpus), which a 0.0 would misreport as a bad score.
    """
    from ..evaluation import analogy_accuracy, dataset_path, similarity_spearman
    from ..vectors import WordVectors

    wv, scores = WordVectors.load(path), {}
    for key, name in QUALITY.items():
        try:
            source = dataset_path(name)
        except W2VError:
            scores[key] = scores[f"{key}_coverage"] = None
            continue
        if key == "analogy":
            r = analogy_accuracy(wv, source, restrict_vocab=ANALOGY_VOCAB)
            scores[key] = r.accuracy if r.total else None
        else:
            r = similarity_spearman(wv, source)
            scores[key] = None if math.isnan(r.spearman) else r.spearman
        scores[f"{key}_coverage"] = r.coverage
    return scores


def run_benchmark(corpus: str | os.PathLike, out_dir: str | os.PathLike | None = None, epochs: int = 5,
                  workers: int = 2, dim: int = 100, skip_gensim: bool = False, arch: str = "sg", hs: bool = False,
                  say: Callable[[str], None] = lambda msg: print(msg, file=sys.stderr)) -> dict:
    """Train ours (and gensim), score both, write benchmark.{json,md,png} into out_dir; returns the report.

    arch "cbow" races CBOW (gensim's sg=0, cbow_mean=1), both starting at word2vec's CBOW rate of 0.05;
    `hs` races hierarchical softmax (gensim's hs=1, negative=0) instead of negative sampling.
    """
    from ..evaluation.datasets import find_gensim
    from ..train import DEFAULT_LR
    from .report import write_report

    if arch not in DEFAULT_LR:
        raise W2VError(f"arch must be one of {', '.join(DEFAULT_LR)}, got {arch!r}")
    # skip-gram: both trainers' own default rate, 0.025; CBOW: word2vec's 0.05, passed to both
    cbow = {} if arch == "sg" else {"arch": arch, "lr": DEFAULT_LR[arch]}

    corpus = Path(corpus)
    if not corpus.is_file():
        raise W2VError(f"corpus file {corpus} does not exist; pass the path of a text file "
                       "(`python -m w2v_helpers make-zipf-corpus PATH` writes a synthetic one)")
    out_dir = Path(out_dir) if out_dir else data_dir() / "benchmark"
    trainers, notes = ["ours"], []
    if skip_gensim:
        notes.append("gensim skipped (--skip-gensim)")
    elif find_gensim() is not None:
        trainers.append("gensim")
    else:
        notes.append("gensim not installed (pip install gensim to compare against it)")
    rows = []
    for trainer in trainers:
        say(f"training {trainer} on {corpus.name} (epochs {epochs}, workers {workers}, dim {dim}) ...")
        vec = out_dir / f"{trainer}.vec"
        row = run_child(trainer, corpus, vec, epochs, workers, dim, hs=hs, **cbow)
        say(f"  {row['seconds']:.1f}s, {row['words_per_sec']:,.0f} words/s; scoring {vec.name} ...")
        rows.append({**row, **score_vectors(vec), "vectors": str(vec)})
    add_ratio(rows, notes)
    notes += coverage_notes(rows)
    settings = {**SETTINGS, "sg": int(arch == "sg"), "hs": int(hs), "dim": dim, "epochs": epochs, "workers": workers}
    if cbow:
        settings.update(cbow_mean=1, alpha=cbow["lr"])
    report = {"corpus": str(corpus), "settings": settings, "rows": rows, "notes": notes}
    report["files"] = [str(p) for p in write_report(report, out_dir)]
    return report


def coverage_notes(rows: list[dict]) -> list[str]:
    """Warnings when a score is missing or rests on few items (a small corpus knows few benchmark words)."""
    labels = {"analogy": "analogy", "ws353": "WS353", "simlex": "SimLex"}
    first = rows[0] if rows else {}
    missing = [QUALITY[k] for k in QUALITY if first.get(f"{k}_coverage", 0) is None]
    partial = [f"{labels[k]} {first[f'{k}_coverage']:.1%}" for k in QUALITY
               if first.get(f"{k}_coverage") is not None and first[f"{k}_coverage"] < 0.5]
    notes = []
    if missing:
        notes.append(f"not scored: {', '.join(missing)} not found (gensim ships them, or copy them into "
                     f"{data_dir()})")
    if partial:
        notes.append(f"the vocabulary covers only part of the benchmarks ({', '.join(partial)} of their items), "
                     "so those scores are noisy")
    return notes


def add_ratio(rows: list[dict], notes: list[str]) -> None:
    """ratio = words/s over gensim's words/s (gensim's row is 1.0); None without gensim."""
    base = next((r for r in rows if r["trainer"] == "gensim"), None)
    for r in rows:
        r["ratio"] = r["words_per_sec"] / base["words_per_sec"] if base else None
    if base and len({r["tokens"] for r in rows}) > 1:
        notes.append("the trainers counted different in-vocabulary tokens: "
                     + ", ".join(f"{r['trainer']} {r['tokens']:,}" for r in rows))


if __name__ == "__main__":
    sys.exit(child_main())
