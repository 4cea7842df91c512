import numpy as np
import pytest

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
