"""Evaluating word vectors on the standard datasets: analogies, and word-pair similarity.

Chapter 7 teaches it: analogy.py (3CosAdd / 3CosMul accuracy on Mikolov's questions), similarity.py
(Spearman correlation on WordSim-353 and SimLex-999) and datasets.py (finding and downloading the
three files). This module runs them all for the command line's `evaluate`. gensim is never
imported: it is only a possible source of the dataset files.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import W2VError
from ..tables import format_table
from ..vectors import WordVectors
from .analogy import AnalogyResult, analogy_accuracy, planted_analogy_accuracy
from .datasets import DATASETS, dataset_path, download_datasets
from .similarity import SimilarityResult, similarity_spearman

__all__ = [
    "DATASETS", "AnalogyResult", "SimilarityResult", "analogy_accuracy", "dataset_path", "download_datasets",
    "evaluate_all", "format_results", "headline_scores", "planted_analogy_accuracy", "similarity_spearman",
]


def headline_scores(wv: WordVectors, planted: list | None = None) -> dict[str, float]:
    """Name -> score: the planted analogies when given (the toy corpus); otherwise the analogy questions
    among the 30,000 most frequent words and WordSim-353 (Chapters 9 and 10 compare models with it).
    """
    if planted is not None:
        return {"planted analogies": planted_analogy_accuracy(wv, planted)}
    analogy = analogy_accuracy(wv, dataset_path("questions-words.txt"), restrict_vocab=30_000)
    return {"analogy accuracy": analogy.accuracy,
            "WordSim-353 rho": similarity_spearman(wv, dataset_path("wordsim353.tsv")).spearman}


def evaluate_all(wv: WordVectors, restrict_vocab: int = 30000) -> dict[str, dict]:
    """Run every dataset whose file can be found, as JSON-ready dicts; W2VError only if none can.

    Used by the command line (`evaluate`).
    """
    found: dict[str, Path] = {}
    errors = []
    for name in DATASETS:
        try:
            found[name] = dataset_path(name)
        except W2VError as e:
            errors.append(str(e))
    if not found:
        raise W2VError(errors[0])
    results: dict[str, dict] = {}
    if "questions-words.txt" in found:
        for method, label in (("add", "analogy 3CosAdd"), ("mul", "analogy 3CosMul")):
            results[label] = analogy_accuracy(wv, found["questions-words.txt"], restrict_vocab, method).as_dict()
    for name in ("wordsim353.tsv", "simlex999.txt"):
        if name in found:
            results[name.split(".")[0]] = similarity_spearman(wv, found[name]).as_dict()
    return results


def format_results(results: dict[str, dict | AnalogyResult | SimilarityResult]) -> str:
    """A plain-text table of evaluate_all's results. Used by the command line (`evaluate`)."""
    rows = []
    for name, r in results.items():
        r = r.as_dict() if isinstance(r, (AnalogyResult, SimilarityResult)) else r
        if r["kind"] == "analogy":
            rows.append((name, f"{r['accuracy']:.1%}", f"{r['coverage']:.1%}",
                         f"{r['correct']:,}/{r['answered']:,} correct, {r['skipped']:,} skipped" + _malformed(r)))
            for group, (c, t) in r["groups"].items():
                if t:
                    rows.append((f"  {group}", f"{c / t:.1%}", "", f"{c:,}/{t:,} correct"))
        else:
            score = "n/a" if r["spearman"] is None else f"{r['spearman']:.3f}"
            rows.append((name, score, f"{r['coverage']:.1%}",
                         f"Spearman rho over {r['pairs_used']:,} pairs" + _malformed(r)))
    return format_table(("benchmark", "score", "coverage", "detail"), rows)


def _malformed(result: dict) -> str:
    """', 3 malformed lines ignored' when a file had lines that are neither questions nor pairs, else ''."""
    n = result.get("invalid_lines", 0)
    return f", {n:,} malformed line{'s' if n != 1 else ''} ignored" if n else ""
