"""Standard word-vector benchmarks: Mikolov's analogies, WordSim-353 and SimLex-999.

The scoring rules mirror gensim's KeyedVectors.evaluate_word_analogies / evaluate_word_pairs so
numbers are comparable with published gensim results, but the analogy search is batched into
matrix products (19k questions in seconds) and gensim is never imported: it is only a possible
source of the benchmark files.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Hashable, Iterable, Iterator, Sequence

import numpy as np

from .errors import W2VError
from .paths import data_dir
from .vectors import METHODS, WordVectors, analogy_scores, top_k

BENCHMARKS = ("questions-words.txt", "wordsim353.tsv", "simlex999.txt")
_TOP = 5  # gensim looks at the top 5 answers and takes the first that is not a query word
_CELLS_PER_BATCH = 2**23  # questions x candidates per batch: 32 MB of scores, at most 3x that of cosines


@dataclass
class AnalogyResult:
    """Analogy accuracy: per section (correct, answered) plus how many questions were skipped."""

    sections: dict[str, tuple[int, int]]
    skipped: int  # questions with a word outside the restricted vocabulary (not answered)
    method: str = "add"
    restrict_vocab: int | None = None
    invalid_lines: int = 0  # lines that are neither a section header nor four words

    @property
    def correct(self) -> int:
        return sum(c for c, _ in self.sections.values())

    @property
    def total(self) -> int:
        """Questions actually answered (all four words in the vocabulary)."""
        return sum(t for _, t in self.sections.values())

    @property
    def questions(self) -> int:
        return self.total + self.skipped

    @property
    def accuracy(self) -> float:
        """correct / answered over all sections, as gensim's 'Total accuracy'; 0.0 if none answered."""
        return self.correct / self.total if self.total else 0.0

    @property
    def coverage(self) -> float:
        """Fraction of questions answered; accuracy means little when this is low."""
        return self.total / self.questions if self.questions else 0.0

    def groups(self) -> dict[str, tuple[int, int]]:
        """(correct, answered) for Mikolov's semantic sections and syntactic 'gram*' sections."""
        out = {"semantic": (0, 0), "syntactic": (0, 0)}
        for name, (c, t) in self.sections.items():
            key = "syntactic" if name.startswith("gram") else "semantic"
            out[key] = (out[key][0] + c, out[key][1] + t)
        return out

    def as_dict(self) -> dict:
        """Plain numbers and lists, ready for json.dumps (the CLI's --json)."""
        return {
            "kind": "analogy", "method": self.method, "accuracy": self.accuracy, "coverage": self.coverage,
            "correct": self.correct, "answered": self.total, "skipped": self.skipped,
            "groups": {k: list(v) for k, v in self.groups().items()},
            "sections": {k: list(v) for k, v in self.sections.items()},
        }


@dataclass
class SimilarityResult:
    """Spearman correlation between cosine similarities and human similarity ratings."""

    spearman: float  # nan when no pair had both words in the vocabulary
    pairs_used: int
    pairs_skipped: int  # pairs with a word outside the restricted vocabulary
    pvalue: float = float("nan")
    invalid_lines: int = 0

    @property
    def coverage(self) -> float:
        n = self.pairs_used + self.pairs_skipped
        return self.pairs_used / n if n else 0.0

    def as_dict(self) -> dict:
        """Plain numbers, ready for json.dumps; nan becomes None so the output stays valid JSON."""
        rho = None if np.isnan(self.spearman) else self.spearman
        return {
            "kind": "similarity", "spearman": rho, "coverage": self.coverage,
            "pairs_used": self.pairs_used, "pairs_skipped": self.pairs_skipped,
        }


# ----- vocabulary rules shared with gensim ----------------------------------------------------
def _ok_vocab(wv: WordVectors, restrict_vocab: int | None, case_insensitive: bool) -> tuple[dict[str, int], list[str]]:
    """Keys allowed in questions -> row, and the key of every candidate row.

    As in gensim: only the first `restrict_vocab` words count; with case_insensitive the keys are
    upper-cased and the first (most frequent) of several case variants supplies the vector.
    """
    words = wv.words[:restrict_vocab]
    keys = [w.upper() for w in words] if case_insensitive else list(words)
    ok: dict[str, int] = {}
    for i, key in enumerate(keys):
        ok.setdefault(key, i)
    return ok, keys


def _read_lines(source: str | os.PathLike | Iterable[str]) -> tuple[str, Iterable[str]]:
    """A label for messages, and the lines of a file path or of an iterable of strings."""
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise W2VError(f"{path}: no such file; see benchmark_file() for where benchmark files come from")
        with open(path, encoding="utf-8") as f:
            return str(path), f.readlines()
    return "<lines>", source


# ----- analogies ------------------------------------------------------------------------------
def _parse_questions(label: str, lines: Iterable[str], case_insensitive: bool) -> Iterator[tuple[str, list[str]]]:
    """Yield (section, words) per line with gensim's rules; a header line yields no words."""
    section = None
    for line_no, line in enumerate(lines, start=1):
        if line.startswith(": "):
            section = line.lstrip(": ").strip()
            yield section, []
            continue
        if section is None:
            raise W2VError(f"{label}: line {line_no}: questions must come after a ': section-name' line")
        yield section, line.upper().split() if case_insensitive else line.split()


def analogy_accuracy(
    wv: WordVectors,
    questions_path_or_lines: str | os.PathLike | Iterable[str],
    restrict_vocab: int | None = 30000,
    method: str = "add",
    case_insensitive: bool = True,
) -> AnalogyResult:
    """Top-1 accuracy on a questions-words file (': section' headers, then 'a b c d' lines).

    Matches gensim's evaluate_word_analogies for method="add": questions with a word outside the
    first `restrict_vocab` words are skipped, answers come from those words only, and the query
    words (and, when case-insensitive, their case variants) can never be the answer.
    """
    if method not in METHODS:
        raise W2VError(f"unknown analogy method {method!r}; use one of {', '.join(METHODS)}")
    label, lines = _read_lines(questions_path_or_lines)
    ok, keys = _ok_vocab(wv, restrict_vocab, case_insensitive)
    sections: dict[str, list[int]] = {}
    asked: list[tuple[str, list[str]]] = []
    skipped = invalid = 0
    for section, words in _parse_questions(label, lines, case_insensitive):
        sections.setdefault(section, [0, 0])
        if not words:
            continue
        if len(words) != 4:
            invalid += 1
        elif all(w in ok for w in words):
            asked.append((section, words))
        else:
            skipped += 1
    if not asked and not skipped:
        raise W2VError(f"{label}: no analogy questions found; expected lines of four words after ': section' lines")
    ids = np.array([[ok[w] for w in words[:3]] for _, words in asked], dtype=np.int64).reshape(-1, 3)
    predicted = _answer(wv, ids, method, len(keys), keys)
    for (section, words), guess in zip(asked, predicted):
        sections[section][0] += guess == words[3]
        sections[section][1] += 1
    return AnalogyResult(
        {name: (c, t) for name, (c, t) in sections.items()}, skipped, method, restrict_vocab, invalid
    )


def _batches(n: int, limit: int) -> Iterator[slice]:
    per = max(1, _CELLS_PER_BATCH // max(limit, 1))
    for start in range(0, n, per):
        yield slice(start, min(start + per, n))


def _answer(wv: WordVectors, ids: np.ndarray, method: str, limit: int, keys: Sequence[Hashable]) -> list[Hashable]:
    """The predicted key for each question row (a, b, c) of `ids`, gensim-style.

    The best candidate other than a, b, c wins unless its key equals a query key (a case
    variant); then, like gensim, the next of the top 5 is tried.
    """
    out: list[Hashable] = []
    for part in _batches(len(ids), limit):
        ia, ib, ic = ids[part].T
        scores = analogy_scores(wv.unit, ia, ib, ic, method=method, limit=limit)
        rows = np.arange(len(scores))
        for col in (ia, ib, ic):
            scores[rows, col] = -np.inf
        best = scores.argmax(axis=1)
        for row, (q, top) in enumerate(zip(ids[part], best)):
            ignore = {keys[i] for i in q}
            if keys[top] not in ignore:
                out.append(keys[top])
                continue
            guess = None
            for cand in top_k(scores[row], _TOP, q.tolist()):
                guess = keys[cand]
                if guess not in ignore:
                    break
            out.append(guess)
    return out


def planted_analogy_accuracy(
    wv: WordVectors, questions: Sequence[tuple[str, str, str, str]], method: str = "add"
) -> float:
    """Top-1 accuracy on analogies planted in a synthetic corpus (exact case, whole vocabulary).

    Every word must be in the vocabulary: a missing planted word means the corpus or min_count
    is wrong, which silently skipping would hide.
    """
    if not questions:
        raise W2VError("no planted questions given; pass a list of (a, b, c, d) tuples")
    ids = np.array([[wv.index(w) for w in q[:3]] for q in questions], dtype=np.int64)
    expected = [wv.index(q[3]) for q in questions]
    guesses = _answer(wv, ids, method, len(wv), range(len(wv)))  # keys are the rows themselves
    return sum(g == e for g, e in zip(guesses, expected)) / len(questions)


# ----- word-pair similarity -------------------------------------------------------------------
def similarity_spearman(
    wv: WordVectors,
    pairs_path: str | os.PathLike | Iterable[str],
    delimiter: str = "\t",
    restrict_vocab: int | None = 300000,
    case_insensitive: bool = True,
) -> SimilarityResult:
    """Spearman rho between cosine similarity and human scores ('w1<TAB>w2<TAB>score' lines).

    Mirrors gensim's evaluate_word_pairs: '#' lines are comments, lines that do not split into
    exactly three fields with a numeric score are ignored, and pairs with an unknown word are
    skipped (reported as coverage) rather than scored.
    """
    from scipy.stats import spearmanr  # scipy is slow to import; only this function needs it

    label, lines = _read_lines(pairs_path)
    ok, _ = _ok_vocab(wv, restrict_vocab, case_insensitive)
    gold, left, right = [], [], []
    skipped = invalid = 0
    for line in lines:
        if not line or line.startswith("#"):
            continue
        fields = line.upper().split(delimiter) if case_insensitive else line.split(delimiter)
        try:
            a, b, score = fields
            score = float(score)
        except ValueError:
            invalid += 1
            continue
        if a in ok and b in ok:
            gold.append(score), left.append(ok[a]), right.append(ok[b])
        else:
            skipped += 1
    if not gold and not skipped:
        raise W2VError(f"{label}: no 'word1{delimiter!r}word2{delimiter!r}score' lines found; wrong delimiter?")
    if not gold:
        return SimilarityResult(float("nan"), 0, skipped, invalid_lines=invalid)
    model = np.einsum("ij,ij->i", wv.unit[left], wv.unit[right])
    rho, p = spearmanr(gold, model)
    return SimilarityResult(float(rho), len(gold), skipped, float(p), invalid)


# ----- finding the files and running everything -----------------------------------------------
def _gensim_test_data() -> Path | None:
    """gensim/test/test_data, found without importing gensim (find_spec only locates it)."""
    try:
        spec = importlib.util.find_spec("gensim")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]) / "test" / "test_data"


def benchmark_file(name: str) -> Path:
    """Path of a benchmark file: the data folder first, then the copy that ships with gensim."""
    local = data_dir() / name
    if local.is_file():
        return local
    bundled = _gensim_test_data()
    if bundled is not None and (bundled / name).is_file():
        return bundled / name
    gensim_where = bundled / name if bundled else "gensim's test data (gensim is not installed)"
    raise W2VError(
        f"benchmark file {name!r} not found; looked in {local} and {gensim_where}. "
        f"Run `python -m w2v_helpers download-benchmarks` (it downloads {', '.join(BENCHMARKS)} into "
        f"{data_dir()}), or `pip install gensim` (it ships them), or copy the file there yourself"
    )


def evaluate_all(wv: WordVectors, restrict_vocab: int = 30000) -> dict[str, dict]:
    """Run every benchmark whose file can be found, as JSON-ready dicts; W2VError only if none can."""
    found: dict[str, Path] = {}
    errors = []
    for name in BENCHMARKS:
        try:
            found[name] = benchmark_file(name)
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


def format_table(results: dict[str, dict | AnalogyResult | SimilarityResult]) -> str:
    """A plain-text table of evaluate_all's results for the command line."""
    rows = [("benchmark", "score", "coverage", "detail")]
    for name, r in results.items():
        r = r.as_dict() if isinstance(r, (AnalogyResult, SimilarityResult)) else r
        if r["kind"] == "analogy":
            rows.append((name, f"{r['accuracy']:.1%}", f"{r['coverage']:.1%}",
                         f"{r['correct']:,}/{r['answered']:,} correct, {r['skipped']:,} skipped"))
            for group, (c, t) in r["groups"].items():
                if t:
                    rows.append((f"  {group}", f"{c / t:.1%}", "", f"{c:,}/{t:,} correct"))
        else:
            score = "n/a" if r["spearman"] is None else f"{r['spearman']:.3f}"
            rows.append((name, score, f"{r['coverage']:.1%}", f"Spearman rho over {r['pairs_used']:,} pairs"))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
