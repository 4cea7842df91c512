"""Our phrase passes next to gensim's `Phrases` on the same tokens: which phrases, how fast.

Run by `python -m w2v_helpers phrases --corpus ...` and by Chapter 11. Both read the same token
stream (the corpus's id array, as words) as one sentence, with the same min_count, threshold and
delimiter and gensim's default scorer. For every pass they are compared three ways: the phrases
each scores above the threshold (gensim's `export_phrases`, first pass only: it splits phrase tokens
of earlier passes back into words), the phrases each joined at least once, and the joined text
itself, token for token.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from ..errors import W2VError
from ..phrases import DEFAULT_MIN_COUNT, DELIMITER, Phrased, check_phrase_settings, phrase_corpus
from ..tables import format_table
from ..vocab import Vocab


@dataclass
class PassComparison:
    """One pass of ours against one of gensim's (Chapter 11)."""

    scored_same: int | None        # phrases above the threshold in both (first pass only, else None)
    scored_ours_only: int | None
    scored_gensim_only: int | None
    joined_same: int               # phrase types joined at least once by both
    joined_ours_only: int
    joined_gensim_only: int
    tokens_ours: int
    tokens_gensim: int
    tokens_differing: int          # positions where the two joined texts differ (len difference included)
    words_per_sec_ours: float
    words_per_sec_gensim: float


def gensim_passes(tokens: list[str], passes: int, min_count: int = DEFAULT_MIN_COUNT,
                  threshold: float = 10.0) -> list[tuple[dict[str, float] | None, list[str], float]]:
    """gensim's Phrases, pass after pass: (export_phrases() of pass 1 else None, joined tokens, seconds) each."""
    try:
        from gensim.models.phrases import Phrases
    except ImportError:
        raise W2VError("the comparison needs gensim: pip install gensim (or pass --skip-gensim)") from None
    out = []
    for k in range(passes):
        t0 = time.perf_counter()
        model = Phrases([tokens], min_count=min_count, threshold=threshold, delimiter=DELIMITER, scoring="default")
        tokens = model[tokens]
        seconds = time.perf_counter() - t0
        out.append((model.export_phrases() if k == 0 else None, tokens, seconds))
    return out


def _differing(a: np.ndarray, b: np.ndarray) -> int:
    n = min(len(a), len(b))
    return int(np.count_nonzero(a[:n] != b[:n])) + abs(len(a) - len(b))


def compare_with_gensim(ids: np.ndarray, vocab: Vocab, passes: int = 1, min_count: int = DEFAULT_MIN_COUNT,
                        threshold: float | None = None) -> tuple[Phrased, list[PassComparison]]:
    """Run our passes and gensim's on the same tokens; one PassComparison per pass (Chapter 11)."""
    threshold = check_phrase_settings(passes, min_count, threshold, "gensim")
    ours = phrase_corpus(ids, vocab, 1, min_count, threshold)
    layers = [ours]
    for _ in range(passes - 1):
        layers.append(phrase_corpus(layers[-1].ids, layers[-1].vocab, 1, min_count, threshold))
    theirs = gensim_passes([vocab.words[i] for i in ids.tolist()], passes, min_count, threshold)
    rows = []
    before_ours, before_theirs = set(vocab.words), set(vocab.words)
    for layer, (exported, tokens, seconds) in zip(layers, theirs):
        report = layer.passes[0]
        scored = {p for p, _, _ in report.phrases}
        after_ours, after_theirs = set(layer.vocab.words), set(tokens)
        new_ours, new_theirs = after_ours - before_ours, after_theirs - before_theirs   # phrase types joined
        index = layer.vocab.word2id
        theirs_ids = np.array([index.get(t, -1) for t in tokens], dtype=np.int64)
        rows.append(PassComparison(
            len(scored & exported.keys()) if exported is not None else None,
            len(scored - exported.keys()) if exported is not None else None,
            len(exported.keys() - scored) if exported is not None else None,
            len(new_ours & new_theirs), len(new_ours - new_theirs), len(new_theirs - new_ours),
            report.tokens_after, len(tokens), _differing(layer.ids.astype(np.int64), theirs_ids),
            report.tokens_before / report.seconds, report.tokens_before / seconds))
        before_ours, before_theirs = after_ours, after_theirs
    return layers[-1], rows


def format_comparison(rows: list[PassComparison]) -> str:
    """The comparison as a table, one row per pass."""
    def trio(a, b, c):
        return "-" if a is None else f"{a:,} / {b:,} / {c:,}"
    return format_table(
        ["pass", "above threshold: both / ours / gensim", "joined: both / ours / gensim", "tokens ours",
         "tokens gensim", "tokens differing", "words/s ours", "words/s gensim"],
        [[k + 1, trio(r.scored_same, r.scored_ours_only, r.scored_gensim_only),
          trio(r.joined_same, r.joined_ours_only, r.joined_gensim_only), f"{r.tokens_ours:,}", f"{r.tokens_gensim:,}",
          f"{r.tokens_differing:,}", f"{r.words_per_sec_ours:,.0f}", f"{r.words_per_sec_gensim:,.0f}"]
         for k, r in enumerate(rows)])
