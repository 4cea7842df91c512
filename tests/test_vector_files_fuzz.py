"""Property-based fuzzing of the word2vec reader: any bytes give a table consistent with the header, or W2VError.

Random bytes, random truncations and corruptions of valid text and binary files, and random header
lines are fed to formats.load_word2vec. It must either return (words, vectors) that match the
header's vocab_size and dim (unique non-empty words, finite float32 rows) or raise W2VError;
anything else (TypeError, IndexError, MemoryError, a hang) fails the test.
"""

import re
import tempfile
from pathlib import Path

import numpy as np
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from w2v_helpers import formats
from w2v_helpers.errors import W2VError
from w2v_helpers.vectors import WordVectors

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_HEADER = re.compile(rb"\s*(\d+)\s+(\d+)")

# Words the word2vec formats can hold: non-empty, no whitespace of any kind.
words_st = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=6).filter(
    lambda w: w.split() == [w]
)
# Binary float32 bytes that spell ASCII digits (values of 2**-31 to 2**-12, or 2048 to 8192) could read as
# a text line; real vectors are never made of them, and the module documents binary=True for that case.
values_st = st.floats(-100, 100, width=32).filter(lambda x: x == 0 or 1e-3 <= abs(x) <= 100)


@st.composite
def tables(draw):
    words = draw(st.lists(words_st, min_size=1, max_size=6, unique=True))
    dim = draw(st.integers(1, 5))
    rows = draw(st.lists(st.lists(values_st, min_size=dim, max_size=dim), min_size=len(words), max_size=len(words)))
    return words, np.array(rows, dtype=np.float32)


def load_bytes(content: bytes, binary=None):
    """load_word2vec on a fresh file holding `content`; checks the invariant on whatever comes back."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.vec"
        path.write_bytes(content)
        try:
            words, vectors = formats.load_word2vec(path, binary=binary)
        except W2VError as exc:
            assert str(exc) and "\n" not in str(exc)
            return None
    header = _HEADER.match(content.removeprefix(b"\xef\xbb\xbf"))
    assert header is not None, "a table came back from a file without a header"
    n, dim = int(header[1]), int(header[2])
    assert isinstance(vectors, np.ndarray) and vectors.dtype == np.float32 and vectors.shape == (n, dim)
    assert len(words) == n and len(set(words)) == n
    assert all(isinstance(w, str) and w and w.split() == [w] for w in words)
    assert np.isfinite(vectors).all()
    return words, vectors


def saved(words, vectors, binary: bool) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        return WordVectors(words, vectors).save(Path(folder) / "v", binary=binary).read_bytes()


@FUZZ
@given(st.binary(max_size=300))
def test_random_bytes(content: bytes) -> None:
    load_bytes(content)


@FUZZ
@given(st.integers(0, 6), st.integers(1, 6), st.binary(max_size=200), st.sampled_from([None, True, False]))
def test_header_then_random_bytes(n: int, dim: int, body: bytes, binary) -> None:
    load_bytes(f"{n} {dim}\n".encode() + body, binary)


@FUZZ
@given(tables(), st.booleans(), st.data())
def test_round_trip_and_truncation(table, binary: bool, data) -> None:
    words, vectors = table
    content = saved(words, vectors, binary)
    back = load_bytes(content)  # the format is told from the content
    assert back is not None and back[0] == words
    np.testing.assert_allclose(back[1], vectors, rtol=1e-5, atol=1e-6)
    cut = data.draw(st.integers(0, len(content)), label="cut")
    load_bytes(content[:cut])
    load_bytes(content[:cut], binary=binary)


@FUZZ
@given(tables(), st.booleans(), st.data())
def test_corrupted_bytes(table, binary: bool, data) -> None:
    content = bytearray(saved(*table, binary))
    for _ in range(data.draw(st.integers(1, 4), label="flips")):
        at = data.draw(st.integers(0, len(content) - 1), label="at")
        content[at] = data.draw(st.integers(0, 255), label="byte")
    load_bytes(bytes(content))
    load_bytes(bytes(content), binary=binary)


@FUZZ
@given(tables(), st.booleans(), st.one_of(
    st.binary(max_size=40),
    st.text(max_size=30).map(lambda t: t.encode("utf-8")),
    st.tuples(st.integers(-3, 10**15), st.integers(-3, 10**15)).map(lambda p: f"{p[0]} {p[1]}".encode()),
))
def test_random_header_line(table, binary: bool, header: bytes) -> None:
    body = saved(*table, binary).split(b"\n", 1)[1]
    load_bytes(header + b"\n" + body)
    load_bytes(header + b"\n" + body, binary=binary)
