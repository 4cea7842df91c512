"""Analogy accuracy: Mikolov's questions-words file, and analogies planted in a synthetic corpus.

Chapter 7 teaches it (3CosAdd and 3CosMul on questions-words; bonus notebook 07b sets it beside gensim's);
Chapters 5 and 8 and bonus notebook 05c check planted analogies with planted_analogy_accuracy. The
scoring rules mirror gensim's KeyedVectors.evaluate_word_analogies so numbers are comparable with
published gensim results, but the search is batched into matrix products (19k questions in seconds).
"""

from __future__ import annotations

import os
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import W2VError
from ..vectors import ANALOGY_METHODS, WordVectors, analogy_scores, top_k
from .datasets import MAX_LINE_CHARS, read_lines, vocabulary_keys

_TOP = 5  # gensim looks at the top 5 answers and takes the first that is not a query word
_CELLS_PER_BATCH = 2**23  # questions x candidates per batch: 32 MB of scores, at most 3x that of cosines


@dataclass
class AnalogyResult:
    """Analogy accuracy: per section (correct, answered) plus how many questions were skipped.

    Used by the command line (`evaluate`); analogy_accuracy returns it.
    """

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
            "invalid_lines": self.invalid_lines,
            "groups": {k: list(v) for k, v in self.groups().items()},
            "sections": {k: list(v) for k, v in self.sections.items()},
        }


def _parse_questions(label: str, lines: Iterable[str], case_insensitive: bool) -> Iterator[tuple[str, list[str]]]:
    """Yield (section, words) per line with gensim's rules; a header line yields no words, a line too long None."""
    section = None
    for line_no, line in enumerate(lines, start=1):
        if len(line) > MAX_LINE_CHARS:  # no question is that long: count it as malformed without splitting it
            yield section or "", None
            continue
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
    Used in Chapter 7.
    """
    if method not in ANALOGY_METHODS:
        raise W2VError(f"unknown analogy method {method!r}; use one of {', '.join(ANALOGY_METHODS)}")
    label, lines = read_lines(questions_path_or_lines)
    ok, keys = vocabulary_keys(wv, restrict_vocab, case_insensitive)
    sections: dict[str, list[int]] = {}
    asked: list[tuple[str, list[str]]] = []
    skipped = invalid = 0
    for section, words in _parse_questions(label, lines, case_insensitive):
        if words is None:
            invalid += 1
            continue
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
    for (section, words), guess in zip(asked, predicted, strict=True):
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
        for row, (q, top) in enumerate(zip(ids[part], best, strict=True)):
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
    is wrong, which silently skipping would hide. Used in Chapters 5 and 8 and bonus notebook 07b.
    """
    if not questions:
        raise W2VError("no planted questions given; pass a list of (a, b, c, d) tuples")
    ids = np.array([[wv.index(w) for w in q[:3]] for q in questions], dtype=np.int64)
    expected = [wv.index(q[3]) for q in questions]
    guesses = _answer(wv, ids, method, len(wv), range(len(wv)))  # keys are the rows themselves
    return sum(g == e for g, e in zip(guesses, expected, strict=True)) / len(questions)
