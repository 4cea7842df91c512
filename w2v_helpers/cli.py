"""Command line: `python -m w2v_helpers SUBCOMMAND ...` (also installed as `w2v`).

Each subcommand is two functions side by side: `_NAME_args` declares its arguments and `_NAME` runs
it. Every user mistake (missing file, empty corpus, unknown word, bad number, offline download)
ends as one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import threading
import time
from pathlib import Path

from .atomic import exit_on_sigterm
from .errors import W2VError

# Probe queries printed after training, for whichever corpus has the words.
PROBE_WORDS = ["king", "france", "cat", "three", "computer", "london"]
PROBE_ANALOGIES = [("man", "king", "woman"), ("france", "paris", "germany"), ("cat", "cats", "dog")]


# ----- argument types: every number is checked for range here, before any work starts ----------------
def number(kind, low: float, high: float, low_ok: bool = True):
    """An argparse type: `kind` (int or float), finite, in [low, high] (or (low, high] if not low_ok)."""
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{text} is not a finite number")
        if value < low or (value == low and not low_ok):
            raise argparse.ArgumentTypeError(f"{text} is too small: must be {'>=' if low_ok else '>'} {low:g}")
        if value > high:
            raise argparse.ArgumentTypeError(f"{text} is too large: must be <= {high:g}")
        return value
    return parse


def count(high: float):
    return number(int, 1, high)


nonneg_float = number(float, 0.0, 1e9)
positive_float = number(float, 0.0, 1e9, low_ok=False)


# ----- train -------------------------------------------------------------------------------------
def default_workers(method: str) -> int:
    """One Hogwild worker per CPU core this process may use (autograd trains with one)."""
    if method == "autograd":
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        cores = os.cpu_count() or 1
    return max(1, min(cores, 16))


def _train_args(t: argparse.ArgumentParser) -> None:
    t.epilog = ("On several processes (data-parallel, each its share of the chunks, tables averaged every "
                "--sync-every chunks): torchrun --nproc_per_node N -m w2v_helpers train --corpus ... --out ...; "
                "add --nnodes, --node_rank, --master_addr and --master_port for several machines.")
    t.add_argument("--corpus", default="auto",
                   help="text8, toy, auto (text8 if it can be had, else toy) or a text file")
    t.add_argument("--encoding", default="utf-8", help="the corpus file's text encoding (default utf-8)")
    t.add_argument("--out", required=True, type=Path, help="where to write the vectors (word2vec text format)")
    t.add_argument("--dim", type=count(10_000), default=100)
    t.add_argument("--window", type=count(1_000), default=5)
    t.add_argument("--negative", type=count(1_000), default=5)
    t.add_argument("--min-count", type=count(2**40), default=5)
    t.add_argument("--sample", type=number(float, 0.0, 1.0), default=1e-3, help="subsampling threshold; 0 turns it off")
    t.add_argument("--epochs", type=count(10_000), default=5)
    t.add_argument("--batch-size", type=count(1 << 20), default=1024)
    t.add_argument("--lr", type=number(float, 0.0, 10.0, low_ok=False), default=0.025)
    t.add_argument("--min-lr", type=number(float, 0.0, 10.0), default=0.0001)
    t.add_argument("--seed", type=number(int, 0, 2**32 - 1), default=0, help="0 to 2**32-1")
    t.add_argument("--method", default="fast",  # checked by TrainConfig.validate, the one list of methods
                   help="fast: shared noise words per batch; manual: hand-derived gradients; autograd: the baseline")
    t.add_argument("--workers", type=count(256), default=None,
                   help="Hogwild workers (default: one per CPU core the run may use; 1 with --method autograd); "
                        "more than 1 is faster but not bit-for-bit reproducible: --workers 1 for identical reruns")
    t.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    t.add_argument("--sync-every", type=count(2**40), default=None,
                   help="with several processes (torchrun): average the tables every N chunks per process and "
                        "at the end of each epoch (default 16)")
    t.add_argument("--checkpoint", type=Path, help="folder for checkpoints (written atomically)")
    t.add_argument("--checkpoint-every", type=nonneg_float, default=5.0, help="minutes between checkpoints")
    t.add_argument("--resume", action="store_true", help="continue from the checkpoint in --checkpoint")
    t.add_argument("--quiet", action="store_true", help="no progress bar, no sample queries")


def _train(args: argparse.Namespace) -> int:
    from . import distributed

    parallel = distributed.start(args.device, args.sync_every or distributed.DEFAULT_SYNC_EVERY)  # under torchrun
    try:
        return _train_here(args, parallel)
    finally:
        if parallel:
            parallel.close()


def _train_here(args: argparse.Namespace, parallel) -> int:
    from .checkpoint import load_checkpoint
    from .corpus import load_corpus
    from .resources import check_writable_file, require_disk
    from .train import TrainConfig, train
    from .vectors import WordVectors

    lead = parallel is None or parallel.rank == 0  # the one process that writes files and prints
    workers = args.workers or (1 if parallel else default_workers(args.method))
    cfg = TrainConfig(dim=args.dim, window=args.window, negative=args.negative, sample=args.sample,
                      epochs=args.epochs, batch_size=args.batch_size, lr=args.lr, min_lr=args.min_lr,
                      seed=args.seed, method=args.method, device=parallel.device if parallel else args.device,
                      workers=workers)
    # Every check that needs no corpus comes before the corpus is read, and the rest before training.
    cfg.validate()
    if lead:
        check_writable_file(args.out, inputs=(args.corpus,))
        if args.resume and not args.checkpoint:
            raise W2VError("--resume needs --checkpoint DIR (the folder holding the checkpoint)")
        if args.checkpoint and args.checkpoint.exists() and not args.checkpoint.is_dir():
            raise W2VError(f"--checkpoint {args.checkpoint} is a file; give a folder for the checkpoints")
        if args.resume:
            load_checkpoint(args.checkpoint)
    say = (lambda *a: None) if args.quiet or not lead else (lambda *a: print(*a, file=sys.stderr))
    t0 = time.perf_counter()
    corpus = load_corpus(args.corpus, min_count=args.min_count, seed=args.seed, encoding=args.encoding)
    if parallel:
        say(f"training on {parallel.world_size} processes with {workers} worker{'s' if workers > 1 else ''} each, "
            f"averaging the tables every {parallel.sync_every} chunks per process and after each epoch")
    elif args.workers is None:
        say(f"training with {cfg.workers} worker{'s' if cfg.workers > 1 else ''} (one per core; "
            "--workers 1 for bit-for-bit reproducible runs)")
    say(f"corpus {corpus.name}: {len(corpus.ids):,} tokens, {len(corpus.vocab):,} words "
        f"(min_count {args.min_count}) in {time.perf_counter() - t0:.1f}s")
    if lead:
        longest = max(map(len, corpus.vocab.words))
        require_disk(args.out, len(corpus.vocab) * (longest + 1 + 11 * args.dim), f"--out {args.out}")
    result = train(corpus.ids, corpus.vocab, cfg, checkpoint_dir=args.checkpoint,
                   checkpoint_every=args.checkpoint_every * 60, resume=args.resume,
                   progress=not args.quiet and lead, parallel=parallel)
    if parallel:
        sums = parallel.check_identical_tables(result.model)
        say(f"all {parallel.world_size} processes ended with the same tables (CRC-32 by rank: "
            + " ".join(f"{s:08x}" for s in sums) + ")")
    wv = WordVectors(corpus.vocab.words, result.model.word_vectors())
    if lead:
        wv.save(args.out)
    if parallel:
        parallel.barrier()  # the others wait until rank 0 has written the vectors
    say(f"trained {result.words:,} words in {result.seconds:.1f}s ({result.words_per_sec:,.0f} words/s, "
        f"{result.pairs_per_sec:,.0f} pairs/s); vectors saved to {args.out}")
    if not args.quiet and lead:
        _show_samples(wv, corpus.analogies)
    return 0


def _show_samples(wv, planted: list | None) -> None:
    """Print a few neighbour lists and analogies so a first run shows what the vectors learned."""
    for w in [w for w in PROBE_WORDS if w in wv][:3]:
        print(f"nearest to {w}: " + ", ".join(f"{n} ({s:.2f})" for n, s in wv.most_similar(w, k=5)))
    for a, b, c in PROBE_ANALOGIES:
        if all(x in wv for x in (a, b, c)):
            print(f"{a} is to {b} as {c} is to {wv.analogy(a, b, c, k=1)[0][0]}")
    if planted:
        from .evaluation import planted_analogy_accuracy

        print(f"planted analogies answered correctly: {planted_analogy_accuracy(wv, planted):.1%} of {len(planted)}")


# ----- neighbors, analogy ------------------------------------------------------------------------
def _neighbors_args(n: argparse.ArgumentParser) -> None:
    n.add_argument("vectors", type=Path)
    n.add_argument("word")
    n.add_argument("-k", type=count(2**40), default=10)


def _neighbors(args: argparse.Namespace) -> int:
    from .vectors import WordVectors

    for word, score in WordVectors.load(args.vectors).most_similar(args.word, k=args.k):
        print(f"{word}\t{score:.4f}")
    return 0


def _analogy_args(a: argparse.ArgumentParser) -> None:
    a.add_argument("vectors", type=Path)
    a.add_argument("a")
    a.add_argument("b")
    a.add_argument("c")
    a.add_argument("-k", type=count(2**40), default=5)


def _analogy(args: argparse.Namespace) -> int:
    from .vectors import WordVectors

    for word, score in WordVectors.load(args.vectors).analogy(args.a, args.b, args.c, k=args.k):
        print(f"{word}\t{score:.4f}")
    return 0


# ----- evaluate, export-projector, download-benchmarks ------------------------------------------
def _evaluate_args(e: argparse.ArgumentParser) -> None:
    e.add_argument("vectors", type=Path)
    e.add_argument("--json", action="store_true", help="print JSON instead of a table")


def _evaluate(args: argparse.Namespace) -> int:
    from .evaluation import evaluate_all, format_results
    from .vectors import WordVectors

    results = evaluate_all(WordVectors.load(args.vectors))
    print(json.dumps(results, indent=2) if args.json else format_results(results))
    return 0


def _export_projector_args(x: argparse.ArgumentParser) -> None:
    x.add_argument("vectors", type=Path, help="a word2vec .vec or .bin file")
    x.add_argument("out_dir", metavar="DIR", type=Path, help="folder for vectors.tsv and metadata.tsv")
    x.add_argument("--limit", type=count(2**40), help="export only the N most frequent words (default: all)")


def _export_projector(args: argparse.Namespace) -> int:
    from .formats import export_projector
    from .vectors import WordVectors

    wv = WordVectors.load(args.vectors)
    vec_path, meta_path = export_projector(wv, args.out_dir, limit=args.limit)
    n = len(wv) if args.limit is None else min(args.limit, len(wv))
    print(f"wrote {n:,} vectors of dimension {wv.dim} to {vec_path} and their words to {meta_path}; "
          "load both at https://projector.tensorflow.org (Load)")
    return 0


def _download_benchmarks_args(d: argparse.ArgumentParser) -> None:
    d.add_argument("--timeout", type=positive_float, default=60.0, help="seconds to wait for the server")


def _download_benchmarks(args: argparse.Namespace) -> int:
    from .evaluation.datasets import download_datasets

    for path, fetched in download_datasets(timeout=args.timeout):
        print(f"{path}: {'downloaded and verified' if fetched else 'already present, checksum verified'}")
    return 0


# ----- benchmark, make-zipf-corpus ---------------------------------------------------------------
def _benchmark_args(b: argparse.ArgumentParser) -> None:
    b.add_argument("--corpus", required=True, type=Path, help="a text file (text8, or one from make-zipf-corpus)")
    b.add_argument("--epochs", type=count(10_000), default=5)
    b.add_argument("--workers", type=count(256), default=2)
    b.add_argument("--dim", type=count(10_000), default=100)
    b.add_argument("--out-dir", type=Path,
                   help="where the vectors and benchmark.{json,md,png} go (default: data/benchmark)")
    b.add_argument("--skip-gensim", action="store_true", help="train and measure ours only")


def _benchmark(args: argparse.Namespace) -> int:
    from .bench.report import format_speed_table
    from .bench.speed import run_benchmark

    report = run_benchmark(args.corpus, args.out_dir, epochs=args.epochs, workers=args.workers,
                           dim=args.dim, skip_gensim=args.skip_gensim)
    print(format_speed_table(report["rows"]))
    for note in report["notes"]:
        print(f"note: {note}")
    print("wrote " + ", ".join(report["files"]))
    return 0


def _make_zipf_corpus_args(z: argparse.ArgumentParser) -> None:
    z.add_argument("path", type=Path)
    z.add_argument("--tokens", type=count(10**11), default=17_000_000)
    z.add_argument("--vocab", type=count(10**8), default=250_000, help="distinct words to draw from")
    z.add_argument("--seed", type=number(int, 0, 2**32 - 1), default=0)


def _make_zipf_corpus(args: argparse.Namespace) -> int:
    from .zipf_corpus import write_zipf_corpus

    path = write_zipf_corpus(args.path, n_tokens=args.tokens, vocab_size=args.vocab, seed=args.seed)
    print(f"wrote {args.tokens:,} tokens drawn from {args.vocab:,} Zipf-distributed words to {path}")
    return 0


# ----- course tooling: make-student, check-submissions --------------------------------------------
def _make_student_args(s: argparse.ArgumentParser) -> None:
    s.add_argument("out_dir", metavar="DIR_OUT", type=Path, help="folder for the student notebooks")
    s.add_argument("--notebooks", type=Path, help="folder of the solved notebooks (default: the checkout's notebooks/)")


def _make_student(args: argparse.Namespace) -> int:
    from .course.student import make_student

    written = make_student(args.out_dir, args.notebooks)
    for path, stubs in written:
        print(f"{path}: {stubs} exercise{'s' if stubs != 1 else ''} stubbed, outputs cleared")
    print(f"wrote {len(written)} student notebooks to {args.out_dir}")
    return 0


def _check_submissions_args(c: argparse.ArgumentParser) -> None:
    c.add_argument("folder", metavar="DIR", type=Path, help="folder holding the notebooks (searched recursively)")
    c.add_argument("--timeout", type=positive_float, default=300.0, help="seconds allowed per notebook")
    c.add_argument("--corpus", default="toy", help="W2V_CORPUS for the runs (default: toy, which takes seconds)")
    c.add_argument("--executed", type=Path, metavar="DIR", help="also save the executed notebooks in DIR")
    c.add_argument("--details", action="store_true", help="print every FAIL, ERROR and MISSING message")


def _check_submissions(args: argparse.Namespace) -> int:
    from .course.grader import check_submissions, details, results_table, summary

    graded = check_submissions(args.folder, timeout=args.timeout, corpus=args.corpus, executed_dir=args.executed)
    print(results_table(graded, args.folder))
    print()
    print(summary(graded))
    if args.details:
        for line in details(graded, args.folder):
            print(line)
    return 0


def _run_course_args(r: argparse.ArgumentParser) -> None:
    r.add_argument("--corpus", required=True, help="toy, text8 or a text file: W2V_CORPUS for every chapter")
    r.add_argument("--out", required=True, type=Path, metavar="DIR",
                   help="folder for the executed notebooks, their figures, report.md and report.json")
    r.add_argument("--chapters", help="comma-separated chapter numbers, e.g. 01,04 (default: all)")
    r.add_argument("--timeout", type=positive_float, default=1800.0, help="seconds allowed per chapter")
    r.add_argument("--page", type=Path, metavar="FILE.md",
                   help="also write a page of the outputs of the cells tagged real-text, figures beside it")
    r.add_argument("--notebooks", type=Path, help="folder of the notebooks (default: the checkout's notebooks/)")


def _run_course(args: argparse.Namespace) -> int:
    from .course.report import run_table, verdict
    from .course.run_course import run_course

    _, runs = run_course(args.corpus, args.out, chapters=None if args.chapters is None else args.chapters.split(","),
                         timeout=args.timeout, notebook_dir=args.notebooks, page=args.page)
    print("\n".join(run_table(runs)))
    print(verdict(runs))
    print(f"wrote {args.out / 'report.md'}" + (f" and {args.page}" if args.page else ""))
    return 0 if all(run.passed for run in runs) else 1


# ----- the parser --------------------------------------------------------------------------------
SUBCOMMANDS = {  # name: (help, declare arguments, run)
    "train": ("train vectors on a corpus and save them", _train_args, _train),
    "neighbors": ("nearest words by cosine similarity", _neighbors_args, _neighbors),
    "analogy": ("a is to b as c is to ?", _analogy_args, _analogy),
    "evaluate": ("analogy and word-similarity benchmarks", _evaluate_args, _evaluate),
    "export-projector": ("write vectors.tsv + metadata.tsv for the TensorBoard Embedding Projector",
                         _export_projector_args, _export_projector),
    "download-benchmarks": ("fetch questions-words, WordSim-353 and SimLex-999 into the data folder",
                            _download_benchmarks_args, _download_benchmarks),
    "benchmark": ("ours vs gensim: words/s, peak memory and quality, one process each", _benchmark_args, _benchmark),
    "make-zipf-corpus": ("write a synthetic text8-sized corpus with Zipf word frequencies",
                         _make_zipf_corpus_args, _make_zipf_corpus),
    "make-student": ("write student notebooks: solutions replaced by stubs, outputs cleared",
                     _make_student_args, _make_student),
    "check-submissions": ("run submitted notebooks and tabulate their exercise checks",
                          _check_submissions_args, _check_submissions),
    "run-course": ("run every chapter on a corpus: times, peak memory, figures, report", _run_course_args, _run_course),
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse prints usage + error on two lines; keep it to one
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m w2v_helpers", description="Train and query skip-gram word2vec vectors.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name, (help_text, declare, _) in SUBCOMMANDS.items():
        declare(sub.add_parser(name, help=help_text))
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if threading.current_thread() is threading.main_thread():
        exit_on_sigterm()  # kill or a scheduler's stop unwinds like Ctrl-C: no temporary file stays behind
    try:
        return SUBCOMMANDS[args.command][2](args)
    except W2VError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
