"""How cost grows with the corpus: ours and gensim at several corpus sizes, time and peak memory.

Run by `python -m w2v_helpers benchmark --corpus FILE --sizes 1M,4M,16M,64M`. The corpus is
repeated (or cut) to each size, written once into the output folder, and each trainer runs in its
own process as in speed.py, one epoch, so the time is the whole job a user waits for. The report
fits time = a * tokens^b on log-log axes: b near 1 means time grows linearly with the corpus. Our
trainer keeps the corpus as 4 bytes of id per token and makes pairs a chunk at a time, so its peak
memory is a fixed part (the tables, the vocabulary, the interpreter) plus 4 bytes per token.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from ..atomic import atomic_path
from ..errors import W2VError
from ..tables import format_table
from .speed import run_child

BLOCK_WORDS = 1_000_000


def parse_sizes(text: str) -> list[int]:
    """'1M,4M,16M' -> [1000000, 4000000, 16000000]; plain numbers and a K suffix work too."""
    sizes = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        m = re.fullmatch(r"(\d+(?:\.\d+)?)([kKmMgG]?)", part)
        if not m:
            raise W2VError(f"--sizes: {part!r} is not a size such as 4M, 500K or 1000000")
        value = int(float(m[1]) * {"": 1, "k": 10**3, "m": 10**6, "g": 10**9}[m[2].lower()])
        if not 1_000 <= value <= 10**10:
            raise W2VError(f"--sizes: {part} is outside 1K..10G tokens")
        sizes.append(value)
    if len(sizes) < 2:
        raise W2VError("--sizes needs at least two sizes, e.g. 1M,4M,16M")
    return sorted(set(sizes))


def write_repeated(source: Path, tokens: int, dest: Path) -> int:
    """Write the first `tokens` tokens of `source` repeated as often as needed; returns tokens written."""
    written = 0
    with atomic_path(dest) as tmp, open(tmp, "w", encoding="utf-8") as out:
        while written < tokens:
            before = written
            with open(source, encoding="utf-8", errors="replace") as f:
                while written < tokens and (block := f.read(1 << 22)):
                    words = block.split()  # a word cut by the block edge becomes two: harmless here
                    words = words[:tokens - written]
                    out.write(" ".join(words) + "\n")
                    written += len(words)
            if written == before:
                raise W2VError(f"{source} holds no words to repeat")
    return written


def run_scaling(corpus: str | Path, sizes: Sequence[int], out_dir: Path, workers: int = 2, dim: int = 100,
                skip_gensim: bool = False, say: Callable[[str], None] = lambda m: print(m, file=sys.stderr)) -> dict:
    """Train ours (and gensim) for one epoch at each size; write scaling.{json,md,png}; returns the report."""
    from ..evaluation.datasets import find_gensim

    corpus = Path(corpus)
    if not corpus.is_file():
        raise W2VError(f"corpus file {corpus} does not exist; pass the path of a text file")
    trainers = ["ours"] + ([] if skip_gensim or find_gensim() is None else ["gensim"])
    rows = []
    for size in sizes:
        text = out_dir / f"corpus-{size}.txt"
        try:  # the repeated corpus is scratch: removed however the run ends (Ctrl-C and SIGTERM included)
            write_repeated(corpus, size, text)
            for trainer in trainers:
                say(f"{trainer} on {size:,} tokens ...")
                row = run_child(trainer, text, out_dir / f"{trainer}-{size}.vec", 1, workers, dim)
                rows.append({"size": size, **row})
                say(f"  {row['seconds']:.1f}s, peak {row['peak_rss_mb']:.0f} MB")
        finally:
            text.unlink(missing_ok=True)
    report = {"corpus": corpus.name, "workers": workers, "dim": dim, "rows": rows,
              "fits": {t: fit_loglog([r for r in rows if r["trainer"] == t]) for t in trainers}}
    report["files"] = [str(p) for p in write_scaling_report(report, out_dir)]
    return report


def fit_loglog(rows: list[dict]) -> dict:
    """Least-squares slope of log(seconds) on log(tokens), and peak memory's bytes per extra token."""
    xs = [math.log(r["size"]) for r in rows]
    ys = [math.log(r["seconds"]) for r in rows]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    first, last = rows[0], rows[-1]
    per_token = (last["peak_rss_mb"] - first["peak_rss_mb"]) * 2**20 / (last["size"] - first["size"])
    return {"time_exponent": slope, "memory_bytes_per_token": per_token}


def format_scaling(report: dict) -> str:
    """The plain-text table: one row per trainer and size, then the fitted exponents."""
    rows = [(r["trainer"], f"{r['size']:,}", f"{r['seconds']:.1f}", f"{r['words_per_sec']:,.0f}",
             f"{r['peak_rss_mb']:.0f}") for r in report["rows"]]
    table = format_table(["trainer", "tokens", "seconds", "words/s", "peak MB"], rows, right=(1, 2, 3, 4))
    fits = [f"{t}: time ~ tokens^{f['time_exponent']:.2f}, memory +{f['memory_bytes_per_token']:.1f} bytes/token"
            for t, f in report["fits"].items()]
    return table + "\n" + "\n".join(fits)


def write_scaling_report(report: dict, out_dir: Path) -> list[Path]:
    """scaling.json, scaling.md and (with matplotlib) scaling.png: time and memory against tokens, log-log."""
    written = []
    for name, text in [("scaling.json", json.dumps(report, indent=2)),
                       ("scaling.md", "```\n" + format_scaling(report) + "\n```\n")]:
        with atomic_path(out_dir / name) as tmp:
            tmp.write_text(text, encoding="utf-8")
        written.append(out_dir / name)
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        return written
    fig, (ax_t, ax_m) = plt.subplots(1, 2, figsize=(10, 4))
    for trainer in report["fits"]:
        rows = [r for r in report["rows"] if r["trainer"] == trainer]
        ax_t.loglog([r["size"] for r in rows], [r["seconds"] for r in rows], marker="o", label=trainer)
        ax_m.loglog([r["size"] for r in rows], [r["peak_rss_mb"] for r in rows], marker="o", label=trainer)
    for ax, title, ylabel in [(ax_t, "Time grows linearly with the corpus", "seconds, whole process"),
                              (ax_m, "Peak memory against corpus size", "peak RSS, MB")]:
        ax.set_title(title)
        ax.set_xlabel("tokens in the corpus (one epoch)")
        ax.set_ylabel(ylabel)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
    fig.tight_layout()
    with atomic_path(out_dir / "scaling.png") as tmp:
        fig.savefig(tmp, format="png", dpi=120)
    plt.close(fig)
    return written + [out_dir / "scaling.png"]
