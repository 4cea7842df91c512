"""What a run of the course writes: report.md and report.json, and the page of real-text results.

The page collects, in chapter order under each chapter's heading, the outputs of the cells tagged
`real-text` (text as code blocks, figures saved in a folder named after the page and linked), with
the corpus that made them and the run table. Used by the command line through run_course.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from .run_course import MIN_COUNT, ChapterRun, CorpusInfo, save_figures

PAGE_TAG = "real-text"


def corpus_line(info: CorpusInfo) -> str:
    return (f"Corpus: `{info.name}`, {info.tokens:,} tokens, {info.vocab_size:,} words seen at least "
            f"{MIN_COUNT} times.")


def machine_line(machine: dict[str, str]) -> str:
    return (f"Machine: {machine['cpus']} CPUs, {machine['system']}, Python {machine['python']}, "
            f"torch {machine['torch']}.")


def run_table(runs: list[ChapterRun]) -> list[str]:
    """The Markdown table: chapter, result, seconds, peak MB."""
    lines = ["| chapter | result | seconds | peak MB |", "|---|---|---:|---:|"]
    for run in runs:
        result = "passed" if run.passed else f"failed: `{run.error}`".replace("|", "\\|")
        peak = "n/a" if run.peak_mb is None else f"{run.peak_mb:,.0f}"
        lines.append(f"| {run.notebook[:-6]} | {result} | {run.seconds:.1f} | {peak} |")
    return lines


def verdict(runs: list[ChapterRun]) -> str:
    failed = [run.chapter for run in runs if not run.passed]
    total = sum(run.seconds for run in runs)
    if not failed:
        return f"All {len(runs)} chapters passed in {total:.0f} s."
    return f"{len(failed)} of {len(runs)} chapters failed ({', '.join(failed)}); {total:.0f} s in all."


def write_report(out: Path, info: CorpusInfo, runs: list[ChapterRun], machine: dict[str, str]) -> None:
    """report.md (the table, the corpus, the machine, the figures) and report.json (the same, as data)."""
    lines = [f"# The course on {info.name}", "", corpus_line(info), machine_line(machine), "",
             verdict(runs), "", *run_table(runs), "",
             "Seconds include starting the kernel. Peak MB is the kernel's peak resident memory (VmHWM); "
             "worker processes a chapter starts are not counted.", ""]
    if any(run.figures for run in runs):
        lines += ["## Figures", ""]
    for run in runs:
        if run.figures:
            lines += [f"### {run.title}", ""]
            lines += [f"![{run.chapter} figure {k}]({name})" for k, name in enumerate(run.figures, 1)]
            lines.append("")
    (out / "report.md").write_text("\n".join(lines), encoding="utf-8")
    data = {"corpus": asdict(info), "machine": machine, "passed": all(run.passed for run in runs),
            "chapters": [asdict(run) for run in runs]}
    (out / "report.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def cell_outputs(cell, images: list[str]) -> list[str]:
    """Markdown for one cell's outputs: text in code blocks, an image link per entry of `images` in turn."""
    lines, text = [], []

    def flush() -> None:
        if text:
            lines.extend(["```text", "".join(text).rstrip("\n"), "```", ""])
            text.clear()

    for output in cell.get("outputs", []):
        kind, data = output.get("output_type"), output.get("data", {})
        if kind == "stream" and output.get("name") == "stdout":
            text.append(output.get("text", ""))
        elif kind == "error":
            text.append(f"{output.get('ename')}: {output.get('evalue')}\n")
        elif "image/png" in data:
            flush()
            lines.extend([f"![figure]({images.pop(0)})", ""])
        elif "text/plain" in data:
            text.append(data["text/plain"] + "\n")
    flush()
    return lines


def write_page(page: Path, info: CorpusInfo, runs: list[ChapterRun], notebooks: list,
               machine: dict[str, str]) -> None:
    """The page of real-text results: each chapter's tagged cells' outputs, the corpus and the run table."""
    import copy

    folder = page.parent / page.stem
    lines = ["# The course on real text", "",
             f"Made by `python -m w2v_helpers run-course --corpus {info.name} --page {page.name}` "
             f"from the outputs of the cells tagged `{PAGE_TAG}`.", "",
             corpus_line(info), machine_line(machine), "", verdict(runs), "", *run_table(runs), ""]
    for run, nb in zip(runs, notebooks):
        tagged = copy.deepcopy(nb)
        tagged.cells = [c for c in nb.cells if c.cell_type == "code" and PAGE_TAG in c.metadata.get("tags", [])]
        if not tagged.cells:
            continue
        lines += [f"## {run.title}", ""]
        if not run.passed:
            lines += [f"This chapter failed (`{run.error}`); what follows is what ran before that.", ""]
        images = save_figures(tagged, run.notebook[:-6], folder, prefix=f"{page.stem}/")
        for cell in tagged.cells:
            lines += cell_outputs(cell, images) if cell.get("outputs") else ["(not run)", ""]
    page.write_text("\n".join(lines), encoding="utf-8")
