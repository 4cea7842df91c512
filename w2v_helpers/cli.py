"""Command line: `python -m w2v_helpers {train,neighbors,analogy,evaluate,benchmark,make-zipf-corpus,
make-student,check-submissions} ...`.

Every user mistake (missing file, empty corpus, unknown word, bad number, offline download) ends
as one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import W2VError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse prints usage + error on two lines; keep it to one
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _number(kind, minimum, name_ok: str):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{text} is too small: must be {name_ok}")
        return value
    return parse


positive_int = _number(int, 1, "a positive integer")
nonneg_float = _number(float, 0.0, ">= 0")


def _positive_float(text: str) -> float:
    value = nonneg_float(text)
    if value == 0:
        raise argparse.ArgumentTypeError(f"{text} must be greater than 0")
    return value


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m w2v_helpers", description="Train and query skip-gram word2vec vectors.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    t = sub.add_parser("train", help="train vectors on a corpus and save them")
    t.add_argument("--corpus", default="auto", help="text8, toy, auto (text8 if it can be had, else toy) or a text file")
    t.add_argument("--out", required=True, type=Path, help="where to write the vectors (word2vec text format)")
    t.add_argument("--dim", type=positive_int, default=100)
    t.add_argument("--window", type=positive_int, default=5)
    t.add_argument("--negative", type=positive_int, default=5)
    t.add_argument("--min-count", type=positive_int, default=5)
    t.add_argument("--sample", type=nonneg_float, default=1e-3, help="subsampling threshold; 0 turns it off")
    t.add_argument("--epochs", type=positive_int, default=5)
    t.add_argument("--batch-size", type=positive_int, default=1024)
    t.add_argument("--lr", type=_positive_float, default=0.025)
    t.add_argument("--min-lr", type=nonneg_float, default=0.0001)
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--method", choices=["fast", "manual", "autograd"], default="fast",
                   help="fast: shared noise words per batch; manual: hand-derived gradients; autograd: the baseline")
    t.add_argument("--workers", type=positive_int, default=1,
                   help="Hogwild threads; 2 on 2 cores is about twice as fast but not bit-for-bit reproducible")
    t.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    t.add_argument("--checkpoint", type=Path, help="folder for checkpoints (written atomically)")
    t.add_argument("--checkpoint-every", type=nonneg_float, default=5.0, help="minutes between checkpoints")
    t.add_argument("--resume", action="store_true", help="continue from the checkpoint in --checkpoint")
    t.add_argument("--quiet", action="store_true", help="no progress bar, no sample queries")

    n = sub.add_parser("neighbors", help="nearest words by cosine similarity")
    n.add_argument("vectors", type=Path)
    n.add_argument("word")
    n.add_argument("-k", type=positive_int, default=10)

    a = sub.add_parser("analogy", help="a is to b as c is to ?")
    a.add_argument("vectors", type=Path)
    a.add_argument("a"); a.add_argument("b"); a.add_argument("c")
    a.add_argument("-k", type=positive_int, default=5)

    e = sub.add_parser("evaluate", help="analogy and word-similarity benchmarks")
    e.add_argument("vectors", type=Path)
    e.add_argument("--json", action="store_true", help="print JSON instead of a table")

    x = sub.add_parser("export-projector", help="write vectors.tsv + metadata.tsv for the TensorBoard Embedding Projector")
    x.add_argument("vectors", type=Path, help="a word2vec .vec or .bin file")
    x.add_argument("out_dir", metavar="DIR", type=Path, help="folder for vectors.tsv and metadata.tsv")
    x.add_argument("--limit", type=positive_int, help="export only the N most frequent words (default: all)")

    d = sub.add_parser("download-benchmarks", help="fetch questions-words, WordSim-353 and SimLex-999 into the data folder")
    d.add_argument("--timeout", type=_positive_float, default=60.0, help="seconds to wait for the server")

    b = sub.add_parser("benchmark", help="ours vs gensim: words/s, peak memory and quality, one process each")
    b.add_argument("--corpus", required=True, type=Path, help="a text file (text8, or one from make-zipf-corpus)")
    b.add_argument("--epochs", type=positive_int, default=5)
    b.add_argument("--workers", type=positive_int, default=2)
    b.add_argument("--dim", type=positive_int, default=100)
    b.add_argument("--out-dir", type=Path, help="where the vectors and benchmark.{json,md,png} go (default: data/benchmark)")
    b.add_argument("--skip-gensim", action="store_true", help="train and measure ours only")

    z = sub.add_parser("make-zipf-corpus", help="write a synthetic text8-sized corpus with Zipf word frequencies")
    z.add_argument("path", type=Path)
    z.add_argument("--tokens", type=positive_int, default=17_000_000)
    z.add_argument("--vocab", type=positive_int, default=250_000, help="distinct words to draw from")
    z.add_argument("--seed", type=int, default=0)

    s = sub.add_parser("make-student", help="write student notebooks: solutions replaced by stubs, outputs cleared")
    s.add_argument("out_dir", metavar="DIR_OUT", type=Path, help="folder for the student notebooks")
    s.add_argument("--notebooks", type=Path, help="folder of the solved notebooks (default: the checkout's notebooks/)")

    c = sub.add_parser("check-submissions", help="run submitted notebooks and tabulate their exercise checks")
    c.add_argument("folder", metavar="DIR", type=Path, help="folder holding the notebooks (searched recursively)")
    c.add_argument("--timeout", type=_positive_float, default=300.0, help="seconds allowed per notebook")
    c.add_argument("--corpus", default="toy", help="W2V_CORPUS for the runs (default: toy, which takes seconds)")
    c.add_argument("--executed", type=Path, metavar="DIR", help="also save the executed notebooks in DIR")
    c.add_argument("--details", action="store_true", help="print every FAIL, ERROR and MISSING message")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        from . import commands

        return getattr(commands, args.command.replace("-", "_"))(args)
    except W2VError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
