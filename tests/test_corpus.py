import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from w2v_helpers.corpus import corpus_from_file, iter_token_blocks, regexp_tokenizer, tokenize
from w2v_helpers.errors import W2VError


def test_tokenize_lowercases_and_keeps_words_only():
    assert tokenize("The cat's 3 toys, Émile!") == ["the", "cat's", "toys", "émile"]


def test_text8_style_text_is_split_exactly_as_the_nltk_tokenizer_would():
    text = "anarchism originated as a term of abuse\nfirst used against early working class radicals"
    assert tokenize(text) == regexp_tokenizer().tokenize(text) == text.split()


def test_blocks_never_cut_a_word(tmp_path):
    path = tmp_path / "c.txt"
    words = [f"w{'abcdefgh'[i % 8]}{'xyz'[i % 3]}" for i in range(5000)]
    path.write_text(" ".join(words))
    tokens = [t for block in iter_token_blocks(path, block_chars=97) for t in block]
    assert tokens == words


def test_corpus_from_file_counts_and_encodes(tmp_path):
    path = tmp_path / "c.txt"
    path.write_text("b a b c b a d " * 3)
    corpus = corpus_from_file(path, min_count=4)
    assert corpus.vocab.words == ["b", "a"]
    assert corpus.ids.dtype == np.int32 and corpus.ids.tolist() == [0, 1, 0, 0, 1] * 3


def test_empty_or_missing_file_errors(tmp_path):
    (tmp_path / "e.txt").write_text("123 456 !!!")
    with pytest.raises(W2VError, match="empty"):
        corpus_from_file(tmp_path / "e.txt")
    with pytest.raises(W2VError, match="does not exist"):
        corpus_from_file(tmp_path / "missing.txt")


# ----- what a careless or hostile corpus gets: one W2VError, never a traceback or junk ---------------
def test_a_directory_is_reported_as_a_directory(tmp_path):
    with pytest.raises(W2VError, match="is a directory"):
        corpus_from_file(tmp_path)


def test_random_bytes_are_refused_as_binary(tmp_path):
    path = tmp_path / "r.bin"
    path.write_bytes(np.random.default_rng(0).integers(1, 256, 50_000, dtype=np.uint8).tobytes())
    with pytest.raises(W2VError, match="binary"):
        corpus_from_file(path, min_count=1)
    path.write_bytes(b"some words\0 and a NUL byte")
    with pytest.raises(W2VError, match="NUL"):
        corpus_from_file(path, min_count=1)


def test_latin1_text_is_reported_and_read_with_encoding(tmp_path):
    path = tmp_path / "l.txt"
    path.write_bytes("le café et la crème du café ".encode("latin-1") * 10)
    with pytest.raises(W2VError, match="--encoding latin-1"):
        corpus_from_file(path, min_count=1)
    corpus = corpus_from_file(path, min_count=1, encoding="latin-1")
    assert "café" in corpus.vocab and "crème" in corpus.vocab and "caf" not in corpus.vocab
    with pytest.raises(W2VError, match="unknown encoding"):
        corpus_from_file(path, encoding="no-such-codec")


def test_undecodable_bytes_after_the_checked_head_are_reported(tmp_path):
    path = tmp_path / "late.txt"
    path.write_bytes(b"word " * 300_000 + "caf\xe9".encode("latin-1"))
    with pytest.raises(W2VError, match="is not utf-8 text"):
        corpus_from_file(path, min_count=1)


def test_unicode_forms_of_one_word_become_one_word(tmp_path):
    nfc, nfd = "caf\u00e9", "cafe\u0301"
    assert nfc != nfd and tokenize(f"{nfc} {nfd}") == [nfc, nfc]
    assert tokenize("\ufb01sh ＷＩＤＥ") == ["fish", "wide"]  # ligature and full-width letters (NFKC)
    path = tmp_path / "u.txt"
    path.write_text(f"{nfc} {nfd} " * 5, encoding="utf-8")
    assert corpus_from_file(path, min_count=1).vocab.words == [nfc]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000))
def test_any_bytes_give_a_corpus_or_a_w2verror(tmp_path, data):
    path = tmp_path / "fuzz.txt"
    path.write_bytes(data)
    try:
        corpus = corpus_from_file(path, min_count=1)
    except W2VError as exc:
        assert "\n" not in str(exc)
    else:
        assert len(corpus.ids) > 0 and corpus.ids.max() < len(corpus.vocab)


# ----- the English corpus that ships with the package ------------------------------------------------
def test_the_shipped_english_corpus_loads_offline_as_a_stream():
    from w2v_helpers.corpus import ENGLISH_PATH, load_corpus

    corpus = load_corpus("english")
    assert corpus.name == "english" and ENGLISH_PATH.stat().st_size < 2_300_000
    assert (len(corpus.ids), len(corpus.vocab)) == (1_373_613, 16_109)  # 1,460,479 words before min_count 5
    assert corpus.vocab.words[:4] == ["the", "of", "and", "to"]
    for word in ("happiness", "king", "queen", "france", "paris", "elizabeth", "darcy"):
        assert word in corpus.vocab, word
    head = " ".join(corpus.vocab.words[i] for i in corpus.ids[:6])
    assert head == "sense and jane austen chapter the"  # "sensibilityby", glued in the source, is under min_count


def test_an_xz_file_reads_like_its_plain_text(tmp_path):
    import lzma

    text = " ".join(f"w{'abcdefgh'[i % 8]}{'xyz'[i % 3]}" for i in range(5000))
    (tmp_path / "c.txt").write_text(text)
    with lzma.open(tmp_path / "c.txt.xz", "wt") as f:
        f.write(text)
    plain = [t for b in iter_token_blocks(tmp_path / "c.txt", block_chars=97) for t in b]
    packed = [t for b in iter_token_blocks(tmp_path / "c.txt.xz", block_chars=97) for t in b]
    assert packed == plain == text.split()


def test_the_notebooks_default_to_the_english_corpus(monkeypatch):
    from w2v_helpers.corpus import corpus_from_env

    monkeypatch.delenv("W2V_CORPUS", raising=False)
    assert corpus_from_env().name == "english"
    monkeypatch.setenv("W2V_CORPUS", "toy")
    assert corpus_from_env().name == "toy"


def test_a_missing_shipped_corpus_is_one_line(monkeypatch, tmp_path):
    from w2v_helpers import corpus as corpus_module

    monkeypatch.setattr(corpus_module, "ENGLISH_PATH", tmp_path / "english.txt.xz")
    with pytest.raises(W2VError, match="reinstall w2v_helpers") as info:
        corpus_module.load_corpus("english")
    assert len(str(info.value).splitlines()) == 1


def test_a_built_wheel_carries_the_corpus_and_the_benchmark_files(tmp_path):
    """What `pip install git+...` (Colab) gets: the data files travel inside the wheel."""
    import subprocess
    import sys
    import zipfile
    from pathlib import Path

    pytest.importorskip("setuptools")
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                           "-w", str(tmp_path), str(root)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("data/english.txt.xz", "data/README.md", "evaluation/data/questions-words.txt.xz",
                 "evaluation/data/wordsim353.tsv", "evaluation/data/simlex999.txt", "evaluation/data/README.md"):
        assert f"w2v_helpers/{name}" in names, name
