"""Corpora: the course's English corpus, text8, the synthetic toy corpus, or any local text file, turned
into (Vocab, id array).

The English corpus ships inside the package (`data/english.txt.xz`, 2.2 MB: Jane Austen's six novels and
the lead extracts of about 10,000 Wikipedia articles, 1.46M words; see `data/README.md` for sources and
licences). It is read as an xz stream, so it works offline, on Colab and in a fresh install alike.

Files are read in blocks and never held as one Python list of tokens: a first pass counts words,
a second encodes each block straight into int32 ids. Tokenizing uses NLTK's RegexpTokenizer,
which needs no model download (punkt does, and text8 is already tokenized anyway); text that is
already normalised the text8 way (lowercase a-z words and spaces) is simply split, which gives the
same tokens many times faster.

Other text is put in Unicode normal form NFKC before it is lowercased and split: "café" typed with
a combining accent and "café" typed with a precomposed é become one word, and so do presentation
variants such as the ligature "ﬁ" and "fi" or full-width letters, which a reader takes for the same
word. (NFC alone would merge the first kind only.) A file is checked before the long read starts:
a directory, a binary file (NUL bytes, or mostly undecodable bytes) or text in another encoding
than the one given is refused in one line that says what to do.
"""

from __future__ import annotations

import codecs
import io
import lzma
import os
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from .arguments import positive, show
from .errors import W2VError
from .vocab import Vocab

# Runs of letters (any alphabet), optionally with one apostrophe inside: "don't", "l'homme".
TOKEN_PATTERN = r"[^\W\d_]+(?:'[^\W\d_]+)?"
NORMALISED = re.compile(r"[a-z \n]*")  # text8-style: nothing for a tokenizer to do but split
BLOCK_CHARS = 1 << 22  # 4 M characters per read
SNIFF_BYTES = 1 << 20  # the head of a file checked before the long read
BINARY_SHARE = 0.30    # more undecodable or control characters than this in the head: not text
ENGLISH = "english"    # the name of the shipped corpus on the command line and in W2V_CORPUS
ENGLISH_PATH = Path(__file__).resolve().parent / "data" / "english.txt.xz"
CORPUS_NAMES = (ENGLISH, "text8", "toy")  # what --corpus and W2V_CORPUS take besides a file path


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
    return regexp_tokenizer().tokenize(unicodedata.normalize("NFKC", text).lower())


def check_text_file(path: str | os.PathLike, encoding: str = "utf-8") -> Path:
    """Refuse, in one line, a path that is not a readable text file in `encoding`; returns the Path.

    Used by the command line (--corpus PATH, --encoding) before any long work starts.
    """
    path = Path(path)
    if path.is_dir():
        raise W2VError(f"corpus {path} is a directory; pass a text file, or --corpus english (the shipped corpus) "
                       "or text8")
    if not path.exists():
        raise W2VError(f"corpus file {path} does not exist; pass --corpus english, text8, toy or the path of a "
                       "text file")
    if not path.is_file():  # a FIFO or a device would block the read, or never end
        raise W2VError(f"corpus {path} is not a regular file (a pipe or a device); save the text to a file first")
    check_text_encoding(encoding)
    try:
        with open(path, "rb") as f:
            head = f.read(SNIFF_BYTES)
    except OSError as exc:
        raise W2VError(f"cannot read corpus {path}: {exc.strerror or exc}") from None
    wide = _wide_unicode(head)
    if wide and not _reads_wide(encoding, wide):
        raise W2VError(f"{path} is {wide[:6].upper()} text, not {encoding}; pass --encoding {wide}")
    try:
        text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(head, final=False)
    except (UnicodeError, ValueError) as exc:  # a codec that refuses this text outright (idna, utf-16 with no BOM)
        raise W2VError(f"{path} cannot be read as {encoding} ({' '.join(str(exc).split())}); pass --encoding "
                       "with the file's encoding (for example utf-8 or latin-1)") from None
    binary = f"{path} looks like a binary file, not text ({{}}); pass a plain text file"
    if "\0" in text:
        raise W2VError(binary.format("it contains NUL bytes"))
    odd = text.count("\ufffd") + sum(1 for ch in text if ch < " " and ch not in "\t\n\r\f\v")
    if text and odd / len(text) > BINARY_SHARE:
        raise W2VError(binary.format(f"{odd / len(text):.0%} of its first characters are not text"))
    try:
        codecs.getincrementaldecoder(encoding)().decode(head, final=False)
    except UnicodeDecodeError as exc:
        raise W2VError(_not_encoded(path, encoding, f"byte {exc.start}")) from None
    return path


def check_text_encoding(encoding: object) -> str:
    """`encoding` if it names a codec that turns bytes into text, else W2VError.

    Used by the command line (--encoding): rot13, hex, base64 or zlib are codecs too, but not of text.
    """
    if not isinstance(encoding, str):
        raise W2VError(f"encoding must be a codec name such as utf-8 or latin-1; got {encoding!r}")
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise W2VError(f"unknown encoding {encoding!r}; pass a Python codec name such as utf-8 or latin-1") from None
    if not getattr(info, "_is_text_encoding", True):  # how str.encode itself tells them apart
        raise W2VError(f"{encoding!r} is not a text encoding (it does not turn bytes into text); pass a text "
                       "encoding such as utf-8 or latin-1")
    return encoding


def _wide_unicode(head: bytes) -> str | None:
    """The codec of UTF-16 or UTF-32 text (from its byte-order mark, or the NUL bytes of ASCII text), else None."""
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if head.startswith(bom):
            return codec
    sample = head[:4096]
    if len(sample) < 16:
        return None
    nul4 = [sample[i::4].count(0) / len(sample[i::4]) for i in range(4)]
    if sorted(nul4)[1] > 0.9 and min(nul4) < 0.1:  # three NULs in four bytes: ASCII in UTF-32
        return "utf-32-le" if nul4[0] < 0.1 else "utf-32-be"
    nul2 = [sample[i::2].count(0) / len(sample[i::2]) for i in range(2)]
    if max(nul2) > 0.9 and min(nul2) < 0.1:        # every other byte NUL: ASCII in UTF-16
        return "utf-16-le" if nul2[0] < 0.1 else "utf-16-be"
    return None


def _reads_wide(encoding: str, wide: str) -> bool:
    """Whether `encoding` reads text that _wide_unicode found to be `wide` (with a mark, either byte order does)."""
    name = codecs.lookup(encoding).name
    return name == wide or (wide in ("utf-16", "utf-32") and name.startswith(wide))


def _not_encoded(path: Path, encoding: str, where: str) -> str:
    other = "latin-1" if codecs.lookup(encoding).name == "utf-8" else "utf-8"
    return (f"{path} is not {encoding} text ({where} cannot be decoded); pass --encoding with the file's "
            f"encoding (for example --encoding {other})")


def _open_text(path: str | os.PathLike, encoding: str) -> AbstractContextManager[io.TextIOBase]:
    """A text stream of a file; an .xz file is decompressed on the fly."""
    if str(path).endswith(".xz"):
        return lzma.open(path, "rt", encoding=encoding)
    return open(path, encoding=encoding)


def iter_token_blocks(path: str | os.PathLike, block_chars: int = BLOCK_CHARS,
                      encoding: str = "utf-8") -> Iterator[list[str]]:
    """Tokens of a file (plain or .xz), a block at a time; a word cut by a block edge is carried to the next block.

    Used by the command line and the notebooks through load_corpus.
    """
    carry = ""
    with _open_text(path, encoding) as f:
        while True:
            try:
                block = f.read(block_chars)
            except UnicodeDecodeError:
                raise W2VError(_not_encoded(Path(path), encoding, "a byte after the first megabyte")) from None
            except UnicodeError as exc:
                raise W2VError(f"{path} cannot be read as {encoding} after the first megabyte "
                               f"({' '.join(str(exc).split())}); pass --encoding with the file's encoding") from None
            if not block:
                break
            text = carry + block
            cut = max(text.rfind(" "), text.rfind("\n"))
            if cut < 0:                      # no separator at all: keep reading
                carry = text
                continue
            carry = text[cut:]
            yield tokenize(text[:cut])
    if carry.strip():
        yield tokenize(carry)


def _encode_blocks(path: str | os.PathLike, encoding: str, name: str, min_count: int) -> Corpus:
    """Count the words of a file, then encode it block by block into one preallocated id array."""
    counts: Counter = Counter()
    for tokens in iter_token_blocks(path, encoding=encoding):
        counts.update(tokens)
    if not counts:
        raise W2VError(f"the corpus {path} is empty (no words found); pass a file with text in it")
    vocab = Vocab.from_counts(counts, min_count)
    # The kept words' counts say how many ids there will be: fill one array block by block, so the
    # peak is 4 bytes a token (np.concatenate of the blocks would briefly need twice that).
    ids = np.empty(int(vocab.counts.sum()), dtype=np.int32)
    filled = 0
    for tokens in iter_token_blocks(path, encoding=encoding):
        block = vocab.encode(tokens)
        ids[filled:filled + len(block)] = block
        filled += len(block)
    if filled != len(ids):  # the file changed between the two passes
        raise W2VError(f"{path} changed while it was being read; run again")
    return Corpus(name, vocab, ids)


def corpus_from_file(path: str | os.PathLike, min_count: int = 5, name: str | None = None,
                     encoding: str = "utf-8") -> Corpus:
    """Count a text file's words, then encode it block by block. Used by the command line (--corpus PATH)."""
    if not isinstance(path, (str, os.PathLike)):
        raise W2VError(f"the corpus file must be a path (str or Path); got {show(path)}")
    min_count = _min_count(min_count)
    path = check_text_file(path, encoding)
    return _encode_blocks(path, encoding, name or path.name, min_count)


def english_corpus(min_count: int = 5) -> Corpus:
    """The English corpus that ships with the package, 1.46M words, read from its xz file.

    Used by the command line and the notebooks through load_corpus('english').
    """
    if not ENGLISH_PATH.is_file():
        raise W2VError(f"the shipped English corpus is missing ({ENGLISH_PATH.name}); reinstall w2v_helpers "
                       "(pip install -e . from the checkout), or pass --corpus text8 or a text file")
    return _encode_blocks(ENGLISH_PATH, "utf-8", ENGLISH, min_count)


def corpus_from_tokens(tokens: list[str], min_count: int = 5, name: str = "tokens") -> Corpus:
    """A Corpus from tokens already in memory. Used by the command line and the tests for small texts."""
    if isinstance(tokens, (str, bytes)) or not isinstance(tokens, Iterable):
        raise W2VError(f"tokens must be a list of words (tokenize(text) makes one from a string); got {show(tokens)}")
    tokens = list(tokens)  # counted, then encoded: a generator would be empty the second time
    bad = next((t for t in tokens if not isinstance(t, str)), None)
    if bad is not None:
        raise W2VError(f"tokens must be strings; found {show(bad)}")
    vocab = Vocab.build(tokens, _min_count(min_count))
    return Corpus(name, vocab, vocab.encode(tokens))


def toy_corpus(seed: int = 0, min_count: int = 5) -> Corpus:
    """The synthetic corpus with planted analogies as a Corpus. Used by the command line (--corpus toy)."""
    from .toy_corpus import make_toy_corpus

    toy = make_toy_corpus(seed=seed)
    corpus = corpus_from_tokens(toy.tokens, min_count, name="toy")
    corpus.analogies = [q for q in toy.analogy_questions() if all(w in corpus.vocab for w in q)]
    return corpus


def load_corpus(spec: str = "auto", min_count: int = 5, seed: int = 0, encoding: str = "utf-8") -> Corpus:
    """'english' (the shipped corpus), 'text8', 'toy', 'auto' or a file path (Chapter 2).

    'auto' is text8 when it is in the data folder or can be downloaded, else the English corpus, with a notice.
    """
    if not isinstance(spec, (str, os.PathLike)):
        raise W2VError(f"the corpus must be english, text8, toy, auto or a file path; got {show(spec)}")
    min_count = _min_count(min_count)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**32:
        raise W2VError(f"seed must be a whole number from 0 to 2**32-1; got {show(seed)}")
    check_text_encoding(encoding)
    if spec == ENGLISH:
        return english_corpus(min_count)
    if spec == "toy":
        return toy_corpus(seed, min_count)
    if spec in ("text8", "auto"):
        from .download import ensure_text8

        try:
            path = ensure_text8()
        except W2VError as exc:
            if spec == "text8":
                raise
            print(f"notice: text8 is not available ({exc}); using the shipped English corpus "
                  f"({ENGLISH}, 1.46M words) instead", file=sys.stderr)
            return english_corpus(min_count)
        return corpus_from_file(path, min_count, name="text8")
    return corpus_from_file(spec, min_count, encoding=encoding)


def _min_count(value: object) -> int:
    return positive(value, "min_count", "words seen fewer times are dropped")


def corpus_from_env(default: str = ENGLISH, min_count: int = 5, seed: int = 0) -> Corpus:
    """The corpus a notebook should use: $W2V_CORPUS (english, text8, toy or a path), else `default`.

    Used by every chapter that needs text (Chapter 2 introduces it); by default the shipped English corpus.
    """
    return load_corpus(os.environ.get("W2V_CORPUS") or default, min_count=min_count, seed=seed)
