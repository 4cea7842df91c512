"""word2vec's four modes side by side: skip-gram or CBOW, negative sampling or hierarchical softmax.

Run by `python -m w2v_helpers benchmark --modes`. For each of the four combinations, ours and
gensim train on the same corpus with the same settings, each in its own process (speed.run_child),
one after the other; the vectors are scored as in the speed benchmark. Writes modes.json, modes.md
and modes.png.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from ..errors import W2VError
from ..paths import data_dir
from ..tables import format_table
from .report import save_figure, write_files
from .speed import SETTINGS, run_child, score_vectors

MODES = [("sg", False), ("sg", True), ("cbow", False), ("cbow", True)]  # (arch, hierarchical softmax)


def mode_name(arch: str, hs: bool) -> str:
    return ("skip-gram" if arch == "sg" else "CBOW") + (" + HS" if hs else " + NS")


def run_modes(corpus: str | os.PathLike, out_dir: str | os.PathLike | None = None, epochs: int = 5,
              workers: int = 2, dim: int = 100, skip_gensim: bool = False,
              say: Callable[[str], None] = lambda msg: print(msg, file=sys.stderr)) -> dict:
    """Train all four modes with ours (and gensim), score them, write modes.{json,md,png}; returns the report.

    Both trainers start CBOW at word2vec's rate of 0.05 and skip-gram at 0.025.
    """
    from ..evaluation.datasets import find_gensim
    from ..train import DEFAULT_LR

    corpus = Path(corpus)
    if not corpus.is_file():
        raise W2VError(f"corpus file {corpus} does not exist; pass the path of a text file")
    out_dir = Path(out_dir) if out_dir else data_dir() / "modes"
    trainers = ["ours"] + ([] if skip_gensim or find_gensim() is None else ["gensim"])
    rows = []
    for arch, hs in MODES:
        for trainer in trainers:
            name = mode_name(arch, hs)
            say(f"{name}: training {trainer} on {corpus.name} (epochs {epochs}, workers {workers}) ...")
            vec = out_dir / f"{trainer}-{arch}-{'hs' if hs else 'ns'}.vec"
            row = run_child(trainer, corpus, vec, epochs, workers, dim, arch=arch, lr=DEFAULT_LR[arch], hs=hs)
            say(f"  {row['seconds']:.1f}s, {row['words_per_sec']:,.0f} words/s")
            rows.append({"mode": name, **row, **score_vectors(vec)})
    settings = {k: v for k, v in SETTINGS.items() if k != "negative"}
    settings.update({"negative (NS modes; HS: 0)": SETTINGS["negative"], "dim": dim, "epochs": epochs,
                     "workers": workers, "lr": dict(DEFAULT_LR)})
    report = {"corpus": str(corpus), "settings": settings, "rows": rows}
    report["files"] = [str(p) for p in write_modes(report, out_dir)]
    return report


COLUMNS = [("mode", "mode", "{}"), ("trainer", "trainer", "{}"), ("seconds", "seconds", "{:.1f}"),
           ("words_per_sec", "words/s", "{:,.0f}"), ("analogy", "analogy", "{:.1%}"),
           ("ws353", "WS353", "{:.3f}"), ("simlex", "SimLex", "{:.3f}")]


def _cells(row: dict) -> list[str]:
    return ["n/a" if row.get(k) is None else fmt.format(row[k]) for k, _, fmt in COLUMNS]


def format_modes(report: dict) -> str:
    """The plain-text table printed on the command line."""
    return format_table([h for _, h, _ in COLUMNS], [_cells(r) for r in report["rows"]], right=range(2, len(COLUMNS)))


def modes_markdown(report: dict) -> str:
    """The table as markdown, with the settings."""
    s = report["settings"]
    lines = [f"# word2vec's four modes: {Path(report['corpus']).name}", "",
             ", ".join(f"{k} {v}" for k, v in s.items()) + ". Whole process, start to saved vectors.", "",
             "| " + " | ".join(h for _, h, _ in COLUMNS) + " |",
             "|---|---|" + "---:|" * (len(COLUMNS) - 2)]
    lines += ["| " + " | ".join(_cells(r)) + " |" for r in report["rows"]]
    return "\n".join(lines) + "\n"


def plot_modes(report: dict, path: Path) -> bool:
    """Grouped bars per mode: seconds, analogy, WS353 and SimLex, one colour per trainer."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        return False
    rows = report["rows"]
    modes = list(dict.fromkeys(r["mode"] for r in rows))
    trainers = list(dict.fromkeys(r["trainer"] for r in rows))
    panels = [("seconds", "training time (whole process)", "seconds"), ("analogy", "analogy accuracy", "accuracy"),
              ("ws353", "WordSim-353", "Spearman rho"), ("simlex", "SimLex-999", "Spearman rho")]
    fig = Figure(figsize=(12, 7), layout="constrained")
    FigureCanvasAgg(fig)
    width = 0.8 / len(trainers)
    for ax, (key, title, ylabel) in zip(fig.subplots(2, 2).ravel(), panels):
        for i, trainer in enumerate(trainers):
            by_mode = {r["mode"]: r.get(key) for r in rows if r["trainer"] == trainer}
            values = [float("nan") if by_mode.get(m) is None else by_mode[m] for m in modes]
            ax.bar([j + i * width for j in range(len(modes))], values, width, label=trainer, color=f"C{i}")
        ax.set_xticks([j + width * (len(trainers) - 1) / 2 for j in range(len(modes))], modes)
        ax.set(title=title, xlabel="mode", ylabel=ylabel)
        ax.legend()
    save_figure(fig, path, f"word2vec's four modes on {Path(report['corpus']).name}", report["settings"])
    return True


def write_modes(report: dict, out_dir: Path) -> list[Path]:
    """modes.json, modes.md and modes.png in out_dir, each written atomically."""
    return write_files(report, out_dir, "modes", modes_markdown(report), plot_modes)
