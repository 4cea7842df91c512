"""Corpora: text8, the synthetic toy corpus, or any local text file, turned into (Vocab, id array).

Files are read in blocks and never held as one Python list of tokens: a first pass counts words,
a second encodes each block straight into int32 ids. Tokenizing uses NLTK's RegexpTokenizer,
which needs no model download (punkt does, and text8 is already tokenized anyway); text that is
already normalised the text8 way (lowercase a-z words and spaces) is simply split, which gives the
same tokens many times faster.
"""

from __future__ import annotations

import os
import re
import sys
from collections import Counter
from functools import cache
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from .errors import W2VError
from .vocab import Vocab

# Runs of letters (any alphabet), optionally with one apostrophe inside: "don't", "l'homme".
TOKEN_PATTERN = r"[^\W\d_]+(?:'[^\W\d_]+)?"
NORMALISED = re.compile(r"[a-z \n]*")  # text8-style: nothing for a tokenizer to do but split
BLOCK_CHARS = 1 << 22  # 4 M characters per read


@dataclass
class Corpus:
    """A corpus ready for training: its name, its Vocab and the int32 array of word ids (Chapter 2)."""

    name: str
    vocab: Vocab
    ids: np.ndarray                                          # int32 (N,), out-of-vocabulary words removed
    analogies: list[tuple[str, str, str, str]] | None = None  # planted questions (toy corpus only)


@cache
def regexp_tokenizer():
    """NLTK's RegexpTokenizer, imported on first use: importing nltk takes about two seconds.

    Used by the command line and the notebooks through tokenize.
    """
    from nltk.tokenize import RegexpTokenizer

    return RegexpTokenizer(TOKEN_PATTERN)


def tokenize(text: str) -> list[str]:
    """Lowercase, then split into word tokens (Chapter 2)."""
    if NORMALISED.fullmatch(text):
        return text.split()
    return regexp_tokenizer().tokenize(text.lower())


def iter_token_blocks(path: str | os.PathLike, block_chars: int = BLOCK_CHARS) -> Iterator[list[str]]:
    """Tokens of a file, a block at a time; a word cut by a block edge is carried to the next block.

    Used by the command line and the notebooks through load_corpus.
    """
    carry = ""
    with open(path, encoding="utf-8", errors="replace") as f:
        while block := f.read(block_chars):
            text = carry + block
            cut = max(text.rfind(" "), text.rfind("\n"))
            if cut < 0:                      # no separator at all: keep reading
                carry = text
                continue
            carry = text[cut:]
            yield tokenize(text[:cut])
    if carry.strip():
        yield tokenize(carry)


def corpus_from_file(path: str | os.PathLike, min_count: int = 5, name: str | None = None) -> Corpus:
    """Count a text file's words, then encode it block by block. Used by the command line (--corpus PATH)."""
    path = Path(path)
    if not path.is_file():
        raise W2VError(f"corpus file {path} does not exist; pass --corpus toy, text8 or the path of a text file")
    counts: Counter = Counter()
    for tokens in iter_token_blocks(path):
        counts.update(tokens)
    if not counts:
        raise W2VError(f"the corpus {path} is empty (no words found); pass a file with text in it")
    vocab = Vocab.from_counts(counts, min_count)
    ids = np.concatenate([vocab.encode(tokens) for tokens in iter_token_blocks(path)])
    return Corpus(name or path.name, vocab, ids)


def corpus_from_tokens(tokens: list[str], min_count: int = 5, name: str = "tokens") -> Corpus:
    """A Corpus from tokens already in memory. Used by the command line and the tests for small texts."""
    vocab = Vocab.build(tokens, min_count)
    return Corpus(name, vocab, vocab.encode(tokens))


def toy_corpus(seed: int = 0, min_count: int = 5) -> Corpus:
    """The synthetic corpus with planted analogies as a Corpus. Used by the command line (--corpus toy)."""
    from .toy_corpus import make_toy_corpus

    toy = make_toy_corpus(seed=seed)
    corpus = corpus_from_tokens(toy.tokens, min_count, name="toy")
    corpus.analogies = [q for q in toy.analogy_questions() if all(w in corpus.vocab for w in q)]
    return corpus


def load_corpus(spec: str = "auto", min_count: int = 5, seed: int = 0) -> Corpus:
    """'toy', 'text8', 'auto' (text8 if it can be had, else toy with a notice) or a file path (Chapter 2)."""
    if spec == "toy":
        return toy_corpus(seed, min_count)
    if spec in ("text8", "auto"):
        from .download import ensure_text8

        try:
            path = ensure_text8()
        except W2VError as exc:
            if spec == "text8":
                raise
            print(f"notice: text8 is not available ({exc}); using the toy corpus instead", file=sys.stderr)
            return toy_corpus(seed, min_count)
        return corpus_from_file(path, min_count, name="text8")
    return corpus_from_file(spec, min_count)


def corpus_from_env(default: str = "auto", min_count: int = 5, seed: int = 0) -> Corpus:
    """The corpus a notebook should use: $W2V_CORPUS (text8, toy or a path), else `default`.

    Chapters 2, 3, 4, 5, 6, 7 and 8 start from it.
    """
    return load_corpus(os.environ.get("W2V_CORPUS", default), min_count=min_count, seed=seed)
