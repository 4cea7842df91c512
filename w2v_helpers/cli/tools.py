"""Operational and course subcommands: benchmark, phrases, make-zipf-corpus, make-student, check-submissions,
run-course."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from .numbers import count, number, positive_float


# ----- benchmark, make-zipf-corpus ---------------------------------------------------------------
def _benchmark_args(b: argparse.ArgumentParser) -> None:
    b.add_argument("--corpus", required=True, type=Path, help="a text file (text8, or one from make-zipf-corpus)")
    b.add_argument("--epochs", type=count(10_000), help="epochs per trainer (default 5; --sizes times one epoch)")
    b.add_argument("--workers", type=count(256), default=2)
    b.add_argument("--dim", type=count(10_000), default=100)
    b.add_argument("--out-dir", type=Path,
                   help="where the vectors and benchmark.{json,md,png} go (default: data/benchmark)")
    b.add_argument("--skip-gensim", action="store_true", help="train and measure ours only")
    b.add_argument("--arch", help="sg (skip-gram, default) or cbow; CBOW starts both at lr 0.05 "
                                  "(--modes runs both, --sizes times skip-gram)")
    b.add_argument("--hs", action="store_true",
                   help="hierarchical softmax instead of negative sampling (gensim: hs=1, negative=0); "
                        "not with --modes or --sizes")
    b.add_argument("--modes", action="store_true",
                   help="all four modes (sg/cbow x negative sampling/hs), ours and gensim; writes modes.{json,md,png}")
    b.add_argument("--sizes", help="how cost grows: repeat the corpus to these sizes (e.g. 1M,4M,16M,64M) and "
                                   "time one epoch of each trainer at each; writes scaling.{json,md,png}")


def _benchmark(args: argparse.Namespace) -> int:
    from ..bench.report import format_speed_table
    from ..bench.speed import run_benchmark
    from ..errors import W2VError

    if args.modes and args.sizes:
        raise W2VError("--modes and --sizes are two different benchmarks; run one at a time")
    which = "--modes" if args.modes else "--sizes" if args.sizes else None
    unused = [flag for flag, given in (("--arch", args.arch is not None), ("--hs", args.hs),
                                       ("--epochs", args.sizes and args.epochs is not None)) if given]
    if which and unused:
        what = "all four modes" if args.modes else "one epoch of skip-gram with negative sampling at each size"
        raise W2VError(f"{which} runs {what}, so {' and '.join(unused)} would be ignored; drop "
                       f"{'it' if len(unused) == 1 else 'them'}, or run without {which}")
    if args.out_dir is not None and os.path.lexists(args.out_dir) and not args.out_dir.is_dir():
        what = "a file" if args.out_dir.exists() else "a symbolic link to no folder"
        raise W2VError(f"--out-dir {args.out_dir} is {what}; give a folder (it is made if missing)")
    epochs = args.epochs or 5
    if args.modes:
        from ..bench.modes import format_modes, run_modes

        report = run_modes(args.corpus, args.out_dir, epochs=epochs, workers=args.workers, dim=args.dim,
                           skip_gensim=args.skip_gensim)
        print(format_modes(report))
        print("wrote " + ", ".join(report["files"]))
        return 0
    if args.sizes:
        from ..bench.scaling import format_scaling, parse_sizes, run_scaling
        from ..paths import data_dir

        out_dir = args.out_dir or data_dir() / "scaling"
        report = run_scaling(args.corpus, parse_sizes(args.sizes), out_dir, workers=args.workers, dim=args.dim,
                             skip_gensim=args.skip_gensim)
        print(format_scaling(report))
        print("wrote " + ", ".join(report["files"]))
        return 0
    report = run_benchmark(args.corpus, args.out_dir, epochs=epochs, workers=args.workers,
                           dim=args.dim, skip_gensim=args.skip_gensim, arch=args.arch or "sg", hs=args.hs)
    print(format_speed_table(report["rows"]))
    for note in report["notes"]:
        print(f"note: {note}")
    print("wrote " + ", ".join(report["files"]))
    return 0


def _phrases_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", required=True,
                   help="english (the shipped corpus), text8, toy or a text file: the tokens both tools read")
    p.add_argument("--min-count", type=count(2**40), default=5, help="the corpus vocabulary's min_count (default 5)")
    p.add_argument("--passes", type=number(int, 1, 10), default=2, help="phrase passes (default 2)")
    p.add_argument("--phrase-threshold", type=number(float, 0.0, 1e12, low_ok=False), default=10.0,
                   help="gensim's score threshold (default 10)")
    p.add_argument("--phrase-min-count", type=count(2**40), default=5, help="the pair count discounted (default 5)")
    p.add_argument("--max-tokens", type=count(10**11), default=None,
                   help="compare on the first N tokens only (gensim reads about 60,000 words a second)")
    p.add_argument("--top", type=number(int, 0, 10_000), default=15, help="phrases to list, highest score first")
    p.add_argument("--skip-gensim", action="store_true", help="find and time our phrases only")


def _phrases(args: argparse.Namespace) -> int:
    import importlib.util

    from ..bench.phrases import compare_with_gensim, format_comparison
    from ..corpus import load_corpus
    from ..errors import W2VError
    from ..phrases import check_phrase_settings, phrase_corpus
    from ..tables import format_table

    check_phrase_settings(args.passes, args.phrase_min_count, args.phrase_threshold)
    if not args.skip_gensim and importlib.util.find_spec("gensim") is None:
        raise W2VError("the comparison needs gensim: pip install gensim, or pass --skip-gensim")
    corpus = load_corpus(args.corpus, min_count=args.min_count)
    ids = corpus.ids[:args.max_tokens]
    if args.skip_gensim:
        phrased = phrase_corpus(ids, corpus.vocab, args.passes, args.phrase_min_count, args.phrase_threshold)
        rows = None
    else:
        phrased, rows = compare_with_gensim(ids, corpus.vocab, args.passes, args.phrase_min_count,
                                            args.phrase_threshold)
    print(f"corpus {corpus.name}: {len(ids):,} tokens -> {len(phrased.ids):,} after {args.passes} "
          f"pass{'es' if args.passes > 1 else ''} (threshold {args.phrase_threshold:g}, "
          f"min_count {args.phrase_min_count})")
    for k, report in enumerate(phrased.passes if args.skip_gensim else [], start=1):
        print(f"pass {k}: {len(report.phrases):,} phrases, {report.joined:,} pairs joined, "
              f"{report.tokens_before / report.seconds:,.0f} words/s")
    if rows is not None:
        print(format_comparison(rows))
    if args.top:
        top = sorted((p for report in phrased.passes for p in report.phrases), key=lambda p: -p[2])[:args.top]
        print(format_table(["phrase", "count", "score"], [[w, f"{c:,}", f"{s:,.1f}"] for w, c, s in top], right=(1, 2)))
    return 0


def _make_zipf_corpus_args(z: argparse.ArgumentParser) -> None:
    z.add_argument("path", type=Path)
    z.add_argument("--tokens", type=count(10**11), default=17_000_000)
    z.add_argument("--vocab", type=count(10**8), default=250_000, help="distinct words to draw from")
    z.add_argument("--seed", type=number(int, 0, 2**32 - 1), default=0)


def _make_zipf_corpus(args: argparse.Namespace) -> int:
    from ..zipf_corpus import write_zipf_corpus

    path = write_zipf_corpus(args.path, n_tokens=args.tokens, vocab_size=args.vocab, seed=args.seed)
    print(f"wrote {args.tokens:,} tokens drawn from {args.vocab:,} Zipf-distributed words to {path}")
    return 0


# ----- course tooling: make-student, check-submissions --------------------------------------------
def _make_student_args(s: argparse.ArgumentParser) -> None:
    s.add_argument("out_dir", metavar="DIR_OUT", type=Path, help="folder for the student notebooks")
    s.add_argument("--notebooks", type=Path, help="the course's notebooks folder (default: the checkout's notebooks/)")
    s.add_argument("--force", action="store_true", help="replace notebooks of the same names already in DIR_OUT")


def _make_student(args: argparse.Namespace) -> int:
    from ..course.student import make_student

    written = make_student(args.out_dir, args.notebooks, force=args.force)
    for path, stubs in written:
        print(f"{path}: {stubs} exercise{'s' if stubs != 1 else ''} to write, outputs cleared")
    print(f"wrote {len(written)} student notebooks to {args.out_dir}")
    return 0


def _check_submissions_args(c: argparse.ArgumentParser) -> None:
    c.add_argument("folder", metavar="DIR", type=Path, help="folder holding the notebooks (searched recursively)")
    c.add_argument("--timeout", type=positive_float, default=300.0,
                   help="seconds allowed per notebook to run its cells, and again to check its functions")
    c.add_argument("--corpus", default="english",
                   help="W2V_CORPUS for the runs: english (default, the corpus the chapters were written on), "
                        "toy (seconds), text8, or a text file")
    c.add_argument("--executed", type=Path, metavar="DIR",
                   help="also save the executed notebooks in DIR (outside the submissions folder)")
    c.add_argument("--memory", type=number(float, 0.25, 1e6), default=8.0, metavar="GB",
                   help="address space allowed to each notebook's kernel (default: 8)")
    c.add_argument("--details", action="store_true", help="print every FAIL, ERROR and MISSING message")


def _check_submissions(args: argparse.Namespace) -> int:
    from ..course.grader import check_submissions, details, results_table, summary

    graded = check_submissions(args.folder, timeout=args.timeout, corpus=args.corpus, executed_dir=args.executed,
                               memory_gb=args.memory)
    print(results_table(graded, args.folder))
    print()
    print(summary(graded))
    if args.details:
        for line in details(graded, args.folder):
            print(line)
    return 0


def _run_course_args(r: argparse.ArgumentParser) -> None:
    r.add_argument("--corpus", required=True, help="english, text8, toy or a text file: W2V_CORPUS for every chapter")
    r.add_argument("--out", required=True, type=Path, metavar="DIR",
                   help="folder for the executed notebooks, their figures, report.md and report.json")
    r.add_argument("--chapters", help="comma-separated chapter numbers, e.g. 01,04 (default: all)")
    r.add_argument("--timeout", type=positive_float, default=1800.0, help="seconds allowed per chapter")
    r.add_argument("--page", type=Path, metavar="FILE.md",
                   help="also write a page of the outputs of the cells tagged real-text, figures beside it")
    r.add_argument("--notebooks", type=Path, help="folder of the notebooks (default: the checkout's notebooks/)")


def _run_course(args: argparse.Namespace) -> int:
    from ..course.report import run_table, verdict
    from ..course.run_course import run_course

    _, runs = run_course(args.corpus, args.out, chapters=None if args.chapters is None else args.chapters.split(","),
                         timeout=args.timeout, notebook_dir=args.notebooks, page=args.page)
    print("\n".join(run_table(runs)))
    print(verdict(runs))
    print(f"wrote {args.out / 'report.md'}" + (f" and {args.page}" if args.page else ""))
    return 0 if all(run.passed for run in runs) else 1


COMMANDS = {  # name: (help, declare arguments, run)
    "benchmark": ("ours vs gensim: words/s, peak memory and quality, one process each", _benchmark_args, _benchmark),
    "phrases": ("find phrases (new_york) in a corpus, ours next to gensim's Phrases: agreement and words/s",
                _phrases_args, _phrases),
    "make-zipf-corpus": ("write a synthetic text8-sized corpus with Zipf word frequencies",
                         _make_zipf_corpus_args, _make_zipf_corpus),
    "make-student": ("write student notebooks: chapters and bonus notebooks, outputs cleared",
                     _make_student_args, _make_student),
    "check-submissions": ("run submitted notebooks and tabulate their exercise checks",
                          _check_submissions_args, _check_submissions),
    "run-course": ("run every chapter on a corpus: times, peak memory, figures, report", _run_course_args, _run_course),
}
