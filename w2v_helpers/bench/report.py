"""The benchmark's report: the plain-text table, benchmark.md, benchmark.png and benchmark.json."""

from __future__ import annotations

import json
from pathlib import Path

from ..atomic import atomic_path
from ..tables import format_table
from .speed import ANALOGY_VOCAB, QUALITY

COLUMNS = [  # (row key, table heading, format)
    ("trainer", "trainer", "{}"), ("words_per_sec", "words/s", "{:,.0f}"), ("ratio", "ratio", "{:.2f}"),
    ("peak_rss_mb", "peak RSS MB", "{:,.0f}"), ("analogy", "analogy", "{:.1%}"),
    ("ws353", "WS353", "{:.3f}"), ("simlex", "SimLex", "{:.3f}"),
]


def _cells(row: dict) -> list[str]:
    return ["n/a" if row.get(key) is None else fmt.format(row[key]) for key, _, fmt in COLUMNS]


def format_speed_table(rows: list[dict]) -> str:
    """The plain-text table printed on the command line: trainer left-aligned, numbers right-aligned."""
    return format_table([heading for _, heading, _ in COLUMNS], [_cells(r) for r in rows],
                        right=range(1, len(COLUMNS)))


def format_markdown(report: dict) -> str:
    """The table as markdown, with the settings and notes needed to reproduce and read it."""
    s = report["settings"]
    model = ("Skip-gram" if s.get("sg", 1) else "CBOW") + (" with hierarchical softmax" if s.get("hs") else
                                                            " with negative sampling")
    lines = [f"# word2vec benchmark: {Path(report['corpus']).name}", "",
             model + ", " + ", ".join(f"{k} {v}" for k, v in s.items()) + ". "
             "words/s = epochs x in-vocabulary tokens / wall seconds of the whole process "
             "(start to saved vectors); ratio = words/s over gensim's; analogy over the "
             f"{ANALOGY_VOCAB:,} most frequent words; WS353 and SimLex are Spearman rho.", "",
             "| " + " | ".join(h for _, h, _ in COLUMNS) + " |",
             "|" + "|".join("---" if k == "trainer" else "---:" for k, _, _ in COLUMNS) + "|"]
    lines += ["| " + " | ".join(_cells(r)) + " |" for r in report["rows"]]
    lines += [""] + [f"- {note}" for note in report["notes"]]
    return "\n".join(lines).rstrip() + "\n"


def plot_report(report: dict, path: Path) -> bool:
    """Bar charts of words/s and of the three quality scores; False if matplotlib is missing."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        return False
    rows, nan = report["rows"], float("nan")
    fig = Figure(figsize=(10, 4), layout="constrained")
    FigureCanvasAgg(fig)  # Agg without touching pyplot's global backend (safe inside notebooks)
    speed, quality = fig.subplots(1, 2)
    names = [r["trainer"] for r in rows]
    speed.bar(names, [r["words_per_sec"] for r in rows], color=[f"C{i}" for i in range(len(rows))])
    speed.set(title="training speed (whole process)", xlabel="trainer", ylabel="words per second")
    width = 0.8 / len(rows)
    for i, r in enumerate(rows):
        values = [nan if r.get(k) is None else r[k] for k in QUALITY]
        quality.bar([j + i * width for j in range(len(QUALITY))], values, width, label=r["trainer"], color=f"C{i}")
    quality.set_xticks([j + width * (len(rows) - 1) / 2 for j in range(len(QUALITY))], ["analogy", "WS353", "SimLex"])
    quality.set(title="vector quality", xlabel="benchmark", ylabel="accuracy / Spearman rho")
    quality.legend()
    save_figure(fig, path, f"word2vec benchmark on {Path(report['corpus']).name}", report["settings"])
    return True


def save_figure(fig, path: Path, title: str, settings: dict) -> None:
    """Title the figure with its epochs and workers, and write it as a PNG atomically."""
    fig.suptitle(f"{title} (epochs {settings['epochs']}, workers {settings['workers']})")
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=100)


def write_report(report: dict, out_dir: Path) -> list[Path]:
    """benchmark.json, benchmark.md and benchmark.png in out_dir, each written atomically."""
    return write_files(report, out_dir, "benchmark", format_markdown(report), plot_report)


def write_files(report: dict, out_dir: Path, stem: str, markdown: str, plot) -> list[Path]:
    """STEM.json, STEM.md and (if plot(report, path) draws it) STEM.png in out_dir, each written atomically."""
    written = []
    files = ((out_dir / f"{stem}.json", json.dumps(report, indent=2) + "\n"), (out_dir / f"{stem}.md", markdown))
    for path, text in files:
        with atomic_path(path) as tmp:
            tmp.write_text(text, encoding="utf-8")
        written.append(path)
    if plot(report, out_dir / f"{stem}.png"):
        written.append(out_dir / f"{stem}.png")
    return written
