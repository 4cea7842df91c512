"""Subcommands on saved vectors: neighbors, analogy, evaluate, export-projector, download-benchmarks."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..errors import W2VError
from .numbers import count, positive_float


# ----- neighbors, analogy ------------------------------------------------------------------------
def _neighbors_args(n: argparse.ArgumentParser) -> None:
    n.add_argument("vectors", type=Path)
    n.add_argument("word")
    n.add_argument("-k", type=count(2**40), default=10)


def _neighbors(args: argparse.Namespace) -> int:
    from ..vectors import WordVectors

    wv = WordVectors.load(args.vectors)
    found = wv.most_similar(args.word, k=args.k)
    if not found:
        raise W2VError(f"{args.vectors} holds no word besides {args.word!r}, so it has no neighbours to show")
    for word, score in found:
        print(f"{word}\t{score:.4f}")
    return 0


def _analogy_args(a: argparse.ArgumentParser) -> None:
    a.add_argument("vectors", type=Path)
    a.add_argument("a")
    a.add_argument("b")
    a.add_argument("c")
    a.add_argument("-k", type=count(2**40), default=5)


def _analogy(args: argparse.Namespace) -> int:
    from ..vectors import WordVectors

    wv = WordVectors.load(args.vectors)
    found = wv.analogy(args.a, args.b, args.c, k=args.k)
    if not found:
        raise W2VError(f"{args.vectors} holds {len(wv)} words, all of them in the question, so there is no "
                       "other word to answer with")
    for word, score in found:
        print(f"{word}\t{score:.4f}")
    return 0


# ----- evaluate, export-projector, download-benchmarks ------------------------------------------
def _evaluate_args(e: argparse.ArgumentParser) -> None:
    e.add_argument("vectors", type=Path)
    e.add_argument("--json", action="store_true", help="print JSON instead of a table")


def _evaluate(args: argparse.Namespace) -> int:
    from ..evaluation import evaluate_all, format_results
    from ..vectors import WordVectors

    results = evaluate_all(WordVectors.load(args.vectors))
    print(json.dumps(results, indent=2) if args.json else format_results(results))
    return 0


def _export_projector_args(x: argparse.ArgumentParser) -> None:
    x.add_argument("vectors", type=Path, help="a word2vec .vec or .bin file")
    x.add_argument("out_dir", metavar="DIR", type=Path, help="folder for vectors.tsv and metadata.tsv")
    x.add_argument("--limit", type=count(2**40), help="export only the N most frequent words (default: all)")


def _export_projector(args: argparse.Namespace) -> int:
    from ..formats import export_projector
    from ..vectors import WordVectors

    wv = WordVectors.load(args.vectors)
    vec_path, meta_path = export_projector(wv, args.out_dir, limit=args.limit)
    n = len(wv) if args.limit is None else min(args.limit, len(wv))
    print(f"wrote {n:,} vectors of dimension {wv.dim} to {vec_path} and their words to {meta_path}; "
          "load both at https://projector.tensorflow.org (Load)")
    return 0


def _download_benchmarks_args(d: argparse.ArgumentParser) -> None:
    d.add_argument("--timeout", type=positive_float, default=60.0, help="seconds to wait for the server")


def _download_benchmarks(args: argparse.Namespace) -> int:
    from ..evaluation.datasets import download_datasets

    for path, fetched in download_datasets(timeout=args.timeout):
        print(f"{path}: {'downloaded and verified' if fetched else 'already present, checksum verified'}")
    return 0


COMMANDS = {  # name: (help, declare arguments, run)
    "neighbors": ("nearest words by cosine similarity", _neighbors_args, _neighbors),
    "analogy": ("a is to b as c is to ?", _analogy_args, _analogy),
    "evaluate": ("analogy and word-similarity benchmarks", _evaluate_args, _evaluate),
    "export-projector": ("write vectors.tsv + metadata.tsv for the TensorBoard Embedding Projector",
                         _export_projector_args, _export_projector),
    "download-benchmarks": ("fetch questions-words, WordSim-353 and SimLex-999 into the data folder",
                            _download_benchmarks_args, _download_benchmarks),
}
