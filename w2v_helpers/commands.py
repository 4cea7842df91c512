"""What each command-line subcommand does; argument parsing lives in cli.py."""

from __future__ import annotations

import json
import sys
import time
from argparse import Namespace

from .checkpoint import load_checkpoint
from .errors import W2VError
from .vectors import WordVectors

# Probe queries printed after training, for whichever corpus has the words.
PROBE_WORDS = ["king", "france", "cat", "three", "computer", "london"]
PROBE_ANALOGIES = [("man", "king", "woman"), ("france", "paris", "germany"), ("cat", "cats", "dog")]


def train(args: Namespace) -> int:
    from .corpus import load_corpus
    from .train import TrainConfig, train as run_training

    if args.resume and not args.checkpoint:
        raise W2VError("--resume needs --checkpoint DIR (the folder holding the checkpoint)")
    if args.resume:
        load_checkpoint(args.checkpoint)  # fail before the corpus is loaded, not after
    if args.min_lr > args.lr:
        raise W2VError(f"--min-lr ({args.min_lr}) must not exceed --lr ({args.lr})")
    say = (lambda *a: None) if args.quiet else (lambda *a: print(*a, file=sys.stderr))
    t0 = time.perf_counter()
    corpus = load_corpus(args.corpus, min_count=args.min_count, seed=args.seed)
    say(f"corpus {corpus.name}: {len(corpus.ids):,} tokens, {len(corpus.vocab):,} words "
        f"(min_count {args.min_count}) in {time.perf_counter() - t0:.1f}s")
    cfg = TrainConfig(dim=args.dim, window=args.window, negative=args.negative, sample=args.sample,
                      epochs=args.epochs, batch_size=args.batch_size, lr=args.lr, min_lr=args.min_lr,
                      seed=args.seed, method=args.method, device=args.device, workers=args.workers)
    result = run_training(corpus.ids, corpus.vocab, cfg, checkpoint_dir=args.checkpoint,
                          checkpoint_every=args.checkpoint_every * 60, resume=args.resume,
                          progress=not args.quiet)
    wv = WordVectors(corpus.vocab.words, result.model.word_vectors())
    wv.save(args.out)
    say(f"trained {result.words:,} words in {result.seconds:.1f}s ({result.words_per_sec:,.0f} words/s, "
        f"{result.pairs_per_sec:,.0f} pairs/s); vectors saved to {args.out}")
    if not args.quiet:
        show_samples(wv, corpus.analogies)
    return 0


def show_samples(wv: WordVectors, planted: list | None) -> None:
    """Print a few neighbour lists and analogies so a first run shows what the vectors learned."""
    words = [w for w in PROBE_WORDS if w in wv][:3]
    for w in words:
        print(f"nearest to {w}: " + ", ".join(f"{n} ({s:.2f})" for n, s in wv.most_similar(w, k=5)))
    for a, b, c in PROBE_ANALOGIES:
        if all(x in wv for x in (a, b, c)):
            guess = wv.analogy(a, b, c, k=1)[0][0]
            print(f"{a} is to {b} as {c} is to {guess}")
    if planted:
        from .evaluation import planted_analogy_accuracy

        print(f"planted analogies answered correctly: {planted_analogy_accuracy(wv, planted):.1%} of {len(planted)}")


def neighbors(args: Namespace) -> int:
    wv = WordVectors.load(args.vectors)
    for word, score in wv.most_similar(args.word, k=args.k):
        print(f"{word}\t{score:.4f}")
    return 0


def analogy(args: Namespace) -> int:
    wv = WordVectors.load(args.vectors)
    for word, score in wv.analogy(args.a, args.b, args.c, k=args.k):
        print(f"{word}\t{score:.4f}")
    return 0


def evaluate(args: Namespace) -> int:
    from .evaluation import evaluate_all, format_results

    wv = WordVectors.load(args.vectors)
    results = evaluate_all(wv)
    print(json.dumps(results, indent=2) if args.json else format_results(results))
    return 0


def export_projector(args: Namespace) -> int:
    from .formats import export_projector as export

    wv = WordVectors.load(args.vectors)
    vec_path, meta_path = export(wv, args.out_dir, limit=args.limit)
    n = len(wv) if args.limit is None else min(args.limit, len(wv))
    print(f"wrote {n:,} vectors of dimension {wv.dim} to {vec_path} and their words to {meta_path}; "
          "load both at https://projector.tensorflow.org (Load)")
    return 0


def download_benchmarks(args: Namespace) -> int:
    from .evaluation.datasets import download_datasets as fetch_all

    for path, fetched in fetch_all(timeout=args.timeout):
        print(f"{path}: {'downloaded and verified' if fetched else 'already present, checksum verified'}")
    return 0


def benchmark(args: Namespace) -> int:
    from .bench.report import format_speed_table
    from .bench.speed import run_benchmark

    report = run_benchmark(args.corpus, args.out_dir, epochs=args.epochs, workers=args.workers,
                           dim=args.dim, skip_gensim=args.skip_gensim)
    print(format_speed_table(report["rows"]))
    for note in report["notes"]:
        print(f"note: {note}")
    print("wrote " + ", ".join(report["files"]))
    return 0


def make_zipf_corpus(args: Namespace) -> int:
    from .synthetic import write_zipf_corpus

    path = write_zipf_corpus(args.path, n_tokens=args.tokens, vocab_size=args.vocab, seed=args.seed)
    print(f"wrote {args.tokens:,} tokens drawn from {args.vocab:,} Zipf-distributed words to {path}")
    return 0


def make_student(args: Namespace) -> int:
    from .classroom import make_student as write_students

    written = write_students(args.out_dir, args.notebooks)
    for path, stubs in written:
        print(f"{path}: {stubs} exercise{'s' if stubs != 1 else ''} stubbed, outputs cleared")
    print(f"wrote {len(written)} student notebooks to {args.out_dir}")
    return 0


def check_submissions(args: Namespace) -> int:
    from .classroom import check_submissions as run_all, details, format_table, summary

    graded = run_all(args.folder, timeout=args.timeout, corpus=args.corpus, executed_dir=args.executed)
    print(format_table(graded, args.folder))
    print()
    print(summary(graded))
    if args.details:
        for line in details(graded, args.folder):
            print(line)
    return 0
