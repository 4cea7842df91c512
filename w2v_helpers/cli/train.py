"""`train`: the subcommand's arguments, its checks before any work, the run, and sample queries after it."""

from __future__ import annotations

import argparse
import os
import sys
import time
from contextlib import nullcontext
from pathlib import Path

from ..errors import W2VError
from .numbers import count, nonneg_float, number

# Probe queries printed after training, for whichever corpus has the words.
PROBE_WORDS = ["king", "france", "cat", "three", "computer", "london"]
PROBE_ANALOGIES = [("man", "king", "woman"), ("france", "paris", "germany"), ("cat", "cats", "dog")]


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
                "--sync-every chunks): --nproc-per-node N on this machine, or "
                "torchrun --nproc_per_node N -m w2v_helpers train --corpus ... --out ... (the same, with torchrun's "
                "own failure report after a rank's error); add --nnodes, --node_rank, --master_addr and "
                "--master_port for several machines.")
    t.add_argument("--corpus", default="auto",
                   help="english (the 1.46M-word corpus that ships with the package), text8, toy (synthetic, planted "
                        "analogies), auto (text8 if it can be had, else english) or a text file")
    t.add_argument("--encoding", default="utf-8", help="the corpus file's text encoding (default utf-8)")
    t.add_argument("--out", required=True, type=Path,
                   help="where to write the vectors (word2vec text format); a symbolic link is written through, "
                        "so the file it points to gets the vectors and the link stays")
    t.add_argument("--dim", type=count(10_000), default=100)
    t.add_argument("--window", type=count(1_000), default=5)
    t.add_argument("--negative", type=count(1_000), default=None, help="noise words per pair (default 5)")
    t.add_argument("--hs", action="store_true",
                   help="hierarchical softmax (a Huffman tree over the vocabulary) instead of negative sampling")
    t.add_argument("--min-count", type=count(2**40), default=5)
    t.add_argument("--sample", type=number(float, 0.0, 1.0), default=1e-3, help="subsampling threshold; 0 turns it off")
    t.add_argument("--epochs", type=count(10_000), default=5)
    t.add_argument("--batch-size", type=count(1 << 20), default=None,
                   help="examples per SGD step (default: 1024 pairs with --arch sg, 512 centre positions with "
                        "--arch cbow, whose fast step diverges more easily with larger batches; with --hs 256 and 128)")
    t.add_argument("--lr", type=number(float, 0.0, 10.0, low_ok=False), default=None,
                   help="starting learning rate (default, as word2vec: 0.025 with --arch sg, 0.05 with --arch cbow)")
    t.add_argument("--min-lr", type=number(float, 0.0, 10.0), default=0.0001)
    t.add_argument("--seed", type=number(int, 0, 2**32 - 1), default=0, help="0 to 2**32-1")
    t.add_argument("--method", default="fast",  # checked by TrainConfig.validate, the one list of methods
                   help="fast: shared noise words per batch; manual: hand-derived gradients; autograd: the baseline")
    t.add_argument("--arch", default="sg",  # checked by TrainConfig.validate, like --method
                   help="sg: skip-gram, each word predicts its neighbours (default); cbow: the mean of the "
                        "neighbours' vectors predicts the word (faster)")
    t.add_argument("--workers", type=count(256), default=None,
                   help="Hogwild workers (default: one per CPU core the run may use; 1 with --method autograd); "
                        "more than 1 is faster but not bit-for-bit reproducible: --workers 1 for identical reruns")
    t.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    t.add_argument("--sync-every", type=count(2**40), default=None,
                   help="with several processes (torchrun): average the tables every N chunks per process and "
                        "at the end of each epoch (default 16)")
    t.add_argument("--nproc-per-node", type=count(256), default=None, metavar="N",
                   help="train on N processes of this machine, started by torch's launcher as torchrun would")
    t.add_argument("--join-timeout", type=number(float, 1.0, 86_400.0), default=None, metavar="SECONDS",
                   help="with several processes: how long each waits for the others at the start before it gives "
                        "up with a message (default 120)")
    t.add_argument("--subwords", action="store_true",
                   help="fastText's skip-gram: a word's vector is the mean of its own row and its character "
                        "n-grams' rows, so unseen words get vectors too (Chapter 12); also writes the n-gram table")
    t.add_argument("--min-n", type=count(100), default=None, help="with --subwords: shortest n-gram (default 3)")
    t.add_argument("--max-n", type=count(100), default=None, help="with --subwords: longest n-gram (default 6)")
    t.add_argument("--buckets", type=count(2**31), default=None,
                   help="with --subwords: hash buckets for the n-grams (default 2,000,000 as fastText; only the "
                        "buckets the vocabulary reaches are kept in memory and on disk)")
    t.add_argument("--subwords-out", type=Path, default=None,
                   help="with --subwords: where to write the n-gram table (.npz; default: --out with the suffix .npz)")
    t.add_argument("--checkpoint", type=Path, help="folder for checkpoints (written atomically)")
    t.add_argument("--checkpoint-every", type=nonneg_float, default=5.0, help="minutes between checkpoints")
    t.add_argument("--resume", action="store_true", help="continue from the checkpoint in --checkpoint")
    t.add_argument("--phrases", type=number(int, 0, 10), default=0, metavar="N",
                   help="join word pairs that score above --phrase-threshold into one token (new_york), N passes: "
                        "pass 2 joins longer phrases (Chapter 11; default 0, no phrases)")
    t.add_argument("--phrase-threshold", type=number(float, 0.0, 1e12, low_ok=False), default=None,
                   help="with --phrases: gensim's score threshold (default 10, as gensim's Phrases)")
    t.add_argument("--phrase-min-count", type=count(2**40), default=None,
                   help="with --phrases: the count discounted from every pair, and below which no pair is a "
                        "phrase (default 5, as gensim and word2phrase)")
    t.add_argument("--quiet", action="store_true", help="no progress bar, no sample queries")


def _train(args: argparse.Namespace) -> int:
    from .. import distributed
    from ..launch import LAUNCHED_HERE
    from ..rendezvous import JOIN_TIMEOUT, launched

    if args.nproc_per_node and not launched():
        return _launch(args)
    if args.nproc_per_node and not os.environ.get(LAUNCHED_HERE):
        raise W2VError("--nproc-per-node starts the processes itself; under torchrun, drop it (torchrun's own "
                       "--nproc_per_node says how many)")
    parallel = None
    try:
        parallel = distributed.start(args.device, args.sync_every or distributed.DEFAULT_SYNC_EVERY,
                                     args.join_timeout or JOIN_TIMEOUT)   # under torchrun
        return _train_here(args, parallel)
    except distributed.RanksStopped as exc:
        if not exc.shown:  # another rank of this machine prints the line
            return 2
        raise
    except KeyboardInterrupt:
        if launched() and (os.environ.get(LAUNCHED_HERE) or os.environ["LOCAL_RANK"] != "0"):
            return 130     # the launcher, or local rank 0, says "interrupted" once
        raise
    finally:
        if parallel:
            parallel.close()


def _launch(args: argparse.Namespace) -> int:
    """Check what needs no corpus here, once, then start the ranks (launch.py)."""
    from ..distributed import resolve_device
    from ..launch import run_ranks

    _settings(args, parallel=None)
    _check_files(args)
    if resolve_device(args.device).type == "cuda":
        resolve_device(args.device, args.nproc_per_node - 1)  # one GPU per process
    return run_ranks(args.command_line, args.nproc_per_node)


def _settings(args: argparse.Namespace, parallel):
    """The run's TrainConfig from the flags, checked; W2VError names a flag that cannot train."""
    from ..train import TrainConfig

    workers = args.workers or (1 if parallel else default_workers(args.method))
    if args.hs and args.negative is not None:
        raise W2VError(f"--hs replaces negative sampling, so --negative {args.negative} contradicts it; "
                       "drop --negative (or drop --hs to train with noise words)")
    cfg = TrainConfig(dim=args.dim, window=args.window, negative=5 if args.negative is None else args.negative,
                      sample=args.sample, hs=args.hs,
                      epochs=args.epochs, batch_size=args.batch_size, lr=args.lr, min_lr=args.min_lr,
                      seed=args.seed, method=args.method, device=parallel.device if parallel else args.device,
                      workers=workers, arch=args.arch)
    cfg.validate()
    _check_phrase_flags(args)
    _check_subwords(args, parallel)
    return cfg


def _check_subwords(args: argparse.Namespace, parallel) -> None:
    """--subwords and its options, checked before any work (Chapter 12)."""
    from ..subwords import BUCKETS, MAX_N, MIN_N, check_ngram_settings

    options = [f"--{name.replace('_', '-')}" for name in ("min_n", "max_n", "buckets", "subwords_out")
               if getattr(args, name, None) is not None]
    if not args.subwords:
        if options:
            raise W2VError(f"{options[0]} sets up subword training; add --subwords (or drop {options[0]})")
        return
    clashes = [flag for flag, on in (("--arch cbow", args.arch != "sg"), ("--hs", args.hs),
                                     (f"--method {args.method}", args.method != "fast"),
                                     ("--checkpoint", args.checkpoint is not None), ("--resume", args.resume),
                                     ("--nproc-per-node", bool(args.nproc_per_node)),
                                     ("torchrun", parallel is not None)) if on]
    if clashes:
        raise W2VError("--subwords trains skip-gram with negative sampling and the fast method in one process, "
                       f"without checkpoints; drop {clashes[0]}")
    min_n = MIN_N if args.min_n is None else args.min_n
    max_n = MAX_N if args.max_n is None else args.max_n
    if min_n > max_n:
        raise W2VError(f"--min-n {min_n} is above --max-n {max_n}; the n-grams run from --min-n to --max-n "
                       f"characters (fastText's default: {MIN_N} to {MAX_N})")
    args.min_n, args.max_n = min_n, max_n
    args.buckets = BUCKETS if args.buckets is None else args.buckets
    check_ngram_settings(args.min_n, args.max_n, args.buckets)
    if args.subwords_out is None:
        args.subwords_out = args.out.with_name(args.out.name + ".npz") if args.out.suffix == ".npz" \
            else args.out.with_suffix(".npz")


def _check_phrase_flags(args: argparse.Namespace) -> None:
    """--phrase-threshold and --phrase-min-count only mean something with --phrases N (Chapter 11)."""
    given = [flag for flag, value in (("--phrase-threshold", args.phrase_threshold),
                                      ("--phrase-min-count", args.phrase_min_count)) if value is not None]
    if given and not args.phrases:
        raise W2VError(f"{' and '.join(given)} only {'applies' if len(given) == 1 else 'apply'} with --phrases N; "
                       "add --phrases 1 (or 2 for longer phrases), or drop "
                       f"{'it' if len(given) == 1 else 'them'}")


def _check_files(args: argparse.Namespace) -> None:
    """--out, --checkpoint and --resume, checked before the corpus is read (by the one process that writes)."""
    from ..checkpoint import load_checkpoint
    from ..resources import check_writable_file

    check_writable_file(args.out, inputs=(args.corpus,))
    if args.subwords:
        check_writable_file(args.subwords_out, inputs=(args.corpus,))
        if args.subwords_out.resolve() == args.out.resolve():
            raise W2VError(f"--subwords-out {args.subwords_out} is also --out; give the n-gram table its own file")
    if args.resume and not args.checkpoint:
        raise W2VError("--resume needs --checkpoint DIR (the folder holding the checkpoint)")
    if args.checkpoint and args.checkpoint.exists() and not args.checkpoint.is_dir():
        raise W2VError(f"--checkpoint {args.checkpoint} is a file; give a folder for the checkpoints")
    if args.resume:
        load_checkpoint(args.checkpoint)


def _train_here(args: argparse.Namespace, parallel) -> int:
    from ..corpus import load_corpus
    from ..resources import require_disk
    from ..train import train
    from ..vectors import WordVectors

    lead = parallel is None or parallel.rank == 0  # the one process that writes files and prints
    say = (lambda *a: None) if args.quiet or not lead else (lambda *a: print(*a, file=sys.stderr))
    # Every check that needs no corpus comes before the corpus is read, and the rest before training;
    # with several ranks, all of them stop if any of them finds a problem.
    with parallel.together() if parallel else nullcontext():
        cfg = _settings(args, parallel)
        if lead:
            _check_files(args)
        t0 = time.perf_counter()
        corpus = load_corpus(args.corpus, min_count=args.min_count, seed=args.seed, encoding=args.encoding)
        if args.phrases:
            corpus = _with_phrases(args, corpus, say)
        if lead:
            longest = max(map(len, corpus.vocab.words))
            require_disk(args.out, len(corpus.vocab) * (longest + 1 + 11 * args.dim), f"--out {args.out}")
    if parallel:
        say(f"training on {parallel.world_size} processes with {cfg.workers} worker{'s' if cfg.workers > 1 else ''} "
            f"each, averaging the tables every {parallel.sync_every} chunks per process and after each epoch")
    elif args.workers is None:
        say(f"training with {cfg.workers} worker{'s' if cfg.workers > 1 else ''} (one per core; "
            "--workers 1 for bit-for-bit reproducible runs)")
    say(f"corpus {corpus.name}: {len(corpus.ids):,} tokens, {len(corpus.vocab):,} words "
        f"(min_count {args.min_count}) in {time.perf_counter() - t0:.1f}s")
    index = None
    if args.subwords:
        from ..subwords import SubwordIndex

        index = SubwordIndex.build(corpus.vocab.words, args.min_n, args.max_n, args.buckets)
        say(f"subwords: n-grams of {args.min_n} to {args.max_n} characters reach {len(index.used):,} of "
            f"{args.buckets:,} buckets")
    result = train(corpus.ids, corpus.vocab, cfg, checkpoint_dir=args.checkpoint,
                   checkpoint_every=args.checkpoint_every * 60, resume=args.resume,
                   progress=not args.quiet and lead, parallel=parallel, subwords=index)
    if parallel:
        sums = parallel.check_identical_tables(result.model)
        say(f"all {parallel.world_size} processes ended with the same tables (CRC-32 by rank: "
            + " ".join(f"{s:08x}" for s in sums) + ")")
    wv = WordVectors(corpus.vocab.words, result.model.word_vectors())
    with parallel.together() if parallel else nullcontext():  # the others wait until rank 0 has written them
        if lead:
            wv.save(args.out)
            if index is not None:
                result.model.subword_vectors().save(args.subwords_out)
                say(f"n-gram table saved to {args.subwords_out}")
    say(f"trained {result.words:,} words in {result.seconds:.1f}s ({result.words_per_sec:,.0f} words/s, "
        f"{result.pairs_per_sec:,.0f} pairs/s); vectors saved to {args.out}")
    if not args.quiet and lead:
        _show_samples(wv, corpus.analogies)
    return 0


def _with_phrases(args: argparse.Namespace, corpus, say):
    """The corpus after --phrases N passes, its vocabulary cut again at --min-count (Chapter 11)."""
    from ..phrases import DEFAULT_MIN_COUNT, phrase_corpus

    t0 = time.perf_counter()
    phrased = phrase_corpus(corpus.ids, corpus.vocab, args.phrases, args.phrase_min_count or DEFAULT_MIN_COUNT,
                            args.phrase_threshold)
    out = phrased.corpus(corpus.name, args.min_count)
    if corpus.analogies is not None:
        out.analogies = [q for q in corpus.analogies if all(w in out.vocab for w in q)]
    found = sum(len(p.applied) for p in phrased.passes)
    say(f"phrases: {args.phrases} pass{'es' if args.phrases > 1 else ''} joined {found:,} phrase types, "
        f"{len(corpus.ids):,} -> {len(out.ids):,} tokens in {time.perf_counter() - t0:.1f}s")
    return out


def _show_samples(wv, planted: list | None) -> None:
    """Print a few neighbour lists and analogies so a first run shows what the vectors learned."""
    for w in [w for w in PROBE_WORDS if w in wv][:3]:
        print(f"nearest to {w}: " + ", ".join(f"{n} ({s:.2f})" for n, s in wv.most_similar(w, k=5)))
    for a, b, c in PROBE_ANALOGIES:
        if all(x in wv for x in (a, b, c)):
            print(f"{a} is to {b} as {c} is to {wv.analogy(a, b, c, k=1)[0][0]}")
    if planted:
        from ..evaluation import planted_analogy_accuracy

        print(f"planted analogies answered correctly: {planted_analogy_accuracy(wv, planted):.1%} of {len(planted)}")


COMMANDS = {  # name: (help, declare arguments, run)
    "train": ("train vectors on a corpus and save them", _train_args, _train),
}
