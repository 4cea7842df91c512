"""Subword vectors (Chapter 12): fastText's n-grams and hash as gensim implements them, the step through
the mean of a word's rows against autograd, the trainer, the .npz table bit for bit, and the command line."""

import random

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from w2v_helpers.cli import main
from w2v_helpers.corpus import toy_corpus
from w2v_helpers.errors import W2VError
from w2v_helpers.evaluation import planted_analogy_accuracy
from w2v_helpers.subwords import (
    BUCKETS,
    SubwordIndex,
    SubwordSkipGram,
    SubwordVectors,
    char_ngrams,
    check_ngram_settings,
    fnv1a,
    fnv1a_many,
    mean_rows,
    ngram_buckets,
    subword_step_shared,
)
from w2v_helpers.train import TrainConfig, train
from w2v_helpers.vectors import WordVectors

ENGLISH = ["where", "the", "a", "i", "of", "walking", "walked", "internationalization", "don't", "e-mail", "x"]
NON_ASCII = ["café", "naïve", "Zürich", "façade", "straße", "東京", "😀ok", "ça", "ñ", "Ωmega", "a\u0301"]


def random_words(n=400, seed=0):
    """Words of 1 to 14 characters from ASCII letters, accented Latin, Greek, CJK and an emoji."""
    alphabet = "abcdefghijklmnopqrstuvwxyz" * 3 + "éèüößçñαβγ東京語😀-'"
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14))) for _ in range(n)]


WORDS = ENGLISH + NON_ASCII + random_words()


# ----- n-grams and hashes: fastText's definition, as gensim implements it ------------------------------
@pytest.mark.parametrize("min_n, max_n", [(3, 6), (1, 4), (2, 2), (5, 5), (1, 1)])
def test_ngrams_equal_gensims(min_n, max_n):
    inner = pytest.importorskip("gensim.models.fasttext_inner")
    for w in WORDS:
        assert char_ngrams(w, min_n, max_n) == [g.decode("utf-8") for g in inner.compute_ngrams_bytes(w, min_n, max_n)]
        assert sorted(char_ngrams(w, min_n, max_n)) == sorted(inner.compute_ngrams(w, min_n, max_n)) or min_n == 1


def test_hashes_and_buckets_equal_gensims():
    fasttext = pytest.importorskip("gensim.models.fasttext")
    grams = [g.encode("utf-8") for w in WORDS for g in char_ngrams(w)] + [b"", b"\x80", b"\xff\x00\x7f"]
    assert [fnv1a(g) for g in grams] == [fasttext.ft_hash_bytes(g) for g in grams]
    assert fnv1a_many(grams).tolist() == [fasttext.ft_hash_bytes(g) for g in grams]
    for buckets in (BUCKETS, 1, 1009):
        for w in WORDS:
            assert ngram_buckets(w, 3, 6, buckets).tolist() == fasttext.ft_ngram_hashes(w, 3, 6, buckets)


def test_fastText_hash_differs_from_textbook_fnv1a_only_on_high_bytes():
    def textbook(data):
        h = 2166136261
        for b in data:
            h = ((h ^ b) * 16777619) % 2**32
        return h
    assert fnv1a(b"<wh") == textbook(b"<wh") and fnv1a(b"") == 2166136261
    assert fnv1a("fé>".encode()) != textbook("fé>".encode())


def test_index_rows_follow_the_layout():
    words = ["where", "banana", "café"]
    index = SubwordIndex.build(words, 3, 6, 1009)
    assert index.n_rows == 3 + len(index.used) and list(index.used) == sorted(set(index.used))
    for i, w in enumerate(words):
        rows = index.rows_of(w)
        assert rows[0] == i and len(rows) == 1 + len(char_ngrams(w))
        assert (index.used[rows[1:] - 3] == ngram_buckets(w, 3, 6, 1009)).all()
    assert sorted(index.rows_of("banana")[1:].tolist()).count(index.rows_of("banana")[3]) >= 1   # "ana" twice
    unseen = index.rows_of("wherever")
    assert len(unseen) == len(char_ngrams("wherever")) and (unseen == -1).any() and (unseen >= 3).any()


# ----- the mean, its gradient, and fastText's step ---------------------------------------------------
def small_model(dtype=torch.float64, seed=0):
    words = ["the", "where", "walking", "walked", "café", "a", "internationalization"]
    index = SubwordIndex.build(words, 3, 6, 97)   # few buckets: collisions and shared rows
    gen = torch.Generator().manual_seed(seed)
    in_w = torch.randn(index.n_rows, 6, generator=gen, dtype=dtype)
    out_w = torch.randn(len(words), 6, generator=gen, dtype=dtype)
    return index, in_w, out_w


def test_mean_rows_is_the_mean_of_each_words_rows():
    index, in_w, _ = small_model()
    ids = torch.tensor([1, 1, 0, 6, 4])
    h, flat, bag = mean_rows(in_w, torch.from_numpy(index.offsets), torch.from_numpy(index.rows), ids)
    for i, w in enumerate(ids.tolist()):
        torch.testing.assert_close(h[i], in_w[index.rows_of(index.words[w])].mean(0))
    assert len(flat) == len(bag) == sum(len(index.rows_of(index.words[w])) for w in ids.tolist())


def test_the_step_equals_autograd_with_the_gradient_passed_whole():
    """subword_step_shared is the SGD step of the shared-noise loss whose h is the mean in value and passes
    dL/dh whole to every row: h = t - (1 - 1/n) detach(t), t the sum of the rows (repeats in the batch)."""
    index, in_w, out_w = small_model()
    offsets, rows = torch.from_numpy(index.offsets), torch.from_numpy(index.rows)
    centre, context = torch.tensor([0, 1, 1, 6, 4, 2, 0]), torch.tensor([1, 2, 3, 0, 5, 6, 6])
    shared, lr, K = torch.tensor([0, 3, 3, 5]), 0.2, 5
    Z, U = in_w.clone().requires_grad_(), out_w.clone().requires_grad_()
    _, flat, bag = mean_rows(Z, offsets, rows, centre)
    t = torch.zeros(len(centre), 6, dtype=Z.dtype).index_add(0, bag, Z[flat])
    n = torch.bincount(bag).unsqueeze(1).to(Z.dtype)
    h = t - (1 - 1 / n) * t.detach()
    loss = (-F.logsigmoid((h * U[context]).sum(1)) - K / len(shared) * F.logsigmoid(-h @ U[shared].T).sum(1)).sum()
    loss.backward()
    got = subword_step_shared(in_w, out_w, offsets, rows, centre, context, shared, lr, K)
    torch.testing.assert_close(got, loss.detach(), rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(in_w, Z.detach() - lr * Z.grad, rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(out_w, U.detach() - lr * U.grad, rtol=1e-12, atol=1e-12)


def test_the_gradient_of_the_mean_gives_each_row_one_nth():
    index, in_w, out_w = small_model()
    model = SubwordSkipGram(index, 6).double()
    with torch.no_grad():
        model.in_embed.weight.copy_(in_w)
        model.out_embed.weight.copy_(out_w)
    centre, context, negatives = torch.tensor([6]), torch.tensor([0]), torch.tensor([[1, 2]])
    model(centre, context, negatives).sum().backward()
    rows = index.rows_of(index.words[6])
    h = in_w[rows].mean(0)
    g_pos, g_neg = torch.sigmoid(out_w[0] @ h) - 1, torch.sigmoid(out_w[[1, 2]] @ h)
    grad_h = g_pos * out_w[0] + g_neg @ out_w[[1, 2]]
    want = torch.zeros_like(in_w).index_add(0, torch.from_numpy(rows), grad_h.expand(len(rows), -1) / len(rows))
    torch.testing.assert_close(model.in_embed.weight.grad, want, rtol=1e-12, atol=1e-12)


# ----- the trainer -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def toy_run():
    corpus = toy_corpus(seed=0)
    index = SubwordIndex.build(corpus.vocab.words)
    cfg = TrainConfig(dim=32, epochs=2, seed=0, workers=1)
    return corpus, index, train(corpus.ids, corpus.vocab, cfg, progress=False, subwords=index)


def test_the_trainer_learns_the_planted_analogies_and_lowers_the_loss(toy_run):
    corpus, index, run = toy_run
    assert isinstance(run.model, SubwordSkipGram)
    assert run.chunk_losses[-1] < 0.8 * run.chunk_losses[0]
    wv = run.model.subword_vectors().word_vectors()
    assert planted_analogy_accuracy(wv, corpus.analogies) >= 0.8


def test_an_unseen_misspelling_lands_near_its_word(toy_run):
    corpus, _, run = toy_run
    sv = run.model.subword_vectors()
    hits, tried = 0, 0
    for w in [w for w in corpus.vocab.words if len(w) >= 8][:40]:
        typo = w[:3] + w[4] + w[3] + w[5:]
        if typo in sv or typo == w:
            continue
        tried += 1
        hits += w in [n for n, _ in sv.most_similar(typo, 10)]
    assert tried >= 10 and hits / tried >= 0.5


def test_vocabulary_vectors_are_the_means_and_equal_the_lookup(toy_run):
    _, index, run = toy_run
    sv = run.model.subword_vectors()
    table = np.concatenate([sv.word_rows, sv.ngram_rows])
    for w in index.words[::97]:
        np.testing.assert_allclose(sv.vector(w), table[index.rows_of(w)].mean(0), rtol=1e-5, atol=1e-7)
        np.testing.assert_allclose(sv.word_vectors()[w], sv.vector(w), rtol=1e-5, atol=1e-7)


def test_one_worker_is_bit_for_bit_reproducible():
    corpus = toy_corpus(seed=0)
    ids = corpus.ids[:30_000]
    index = SubwordIndex.build(corpus.vocab.words, 3, 5, 10_007)
    cfg = TrainConfig(dim=16, epochs=1, seed=3, workers=1)
    a, b = (train(ids, corpus.vocab, cfg, progress=False, subwords=index).model.in_embed.weight for _ in range(2))
    assert torch.equal(a, b)


# ----- files --------------------------------------------------------------------------------------------
def test_save_and_load_bit_for_bit_with_vectors_for_unseen_words(toy_run, tmp_path):
    _, _, run = toy_run
    sv = run.model.subword_vectors()
    sv.save(tmp_path / "t.npz")
    loaded = SubwordVectors.load(tmp_path / "t.npz")
    assert loaded.words == sv.words and np.array_equal(loaded.index.used, sv.index.used)
    assert loaded.word_rows.tobytes() == sv.word_rows.tobytes()
    assert loaded.ngram_rows.tobytes() == sv.ngram_rows.tobytes()
    for w in ["zzqqxx", "kingly", "café", sv.words[5]]:
        assert loaded.vector(w).tobytes() == sv.vector(w).tobytes()
    with np.load(tmp_path / "t.npz", allow_pickle=False) as z:
        assert str(z["format"]) == "w2v-subwords 1" and z["settings"].tolist() == [3, 6, BUCKETS]


def test_damaged_or_foreign_files_are_refused_in_one_line(tmp_path, toy_run):
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    np.savez(tmp_path / "other.npz", a=np.zeros(3))
    np.savez(tmp_path / "pickled.npz", format=np.array("w2v-subwords 1"), words=np.array([{"a": 1}], dtype=object),
             settings=np.array([3, 6, 10]), used=np.zeros(0, np.int64), word_rows=np.zeros((1, 2), np.float32),
             ngram_rows=np.zeros((0, 2), np.float32))
    sv = toy_run[2].model.subword_vectors()
    sv.save(tmp_path / "good.npz")
    with np.load(tmp_path / "good.npz") as z:
        arrays = dict(z)
    arrays["used"] = arrays["used"] + 1
    np.savez(tmp_path / "edited.npz", **arrays)
    for name, fragment in [("missing.npz", "does not exist"), ("junk.npz", "not a readable"),
                           ("other.npz", "not a subword table"), ("pickled.npz", "not a readable"),
                           ("edited.npz", "damaged")]:
        with pytest.raises(W2VError, match=fragment) as info:
            SubwordVectors.load(tmp_path / name)
        assert "\n" not in str(info.value)


# ----- bad input to the API ------------------------------------------------------------------------------
@pytest.mark.parametrize("call, fragment", [
    (lambda: check_ngram_settings(4, 3, 10), "min_n <= max_n"),
    (lambda: check_ngram_settings(0, 3, 10), "min_n <= max_n"),
    (lambda: check_ngram_settings(3, 6, 0), "buckets must be"),
    (lambda: check_ngram_settings(3.0, 6, 10), "min_n must be an integer"),
    (lambda: SubwordIndex.build("where"), "list of strings"),
    (lambda: SubwordIndex.build(["a", 3]), "list of strings"),
    (lambda: char_ngrams(b"where"), "must be a str"),
])
def test_the_api_refuses_bad_settings_in_one_line(call, fragment):
    with pytest.raises(W2VError, match=fragment):
        call()


def test_train_refuses_subwords_it_cannot_train():
    corpus = toy_corpus(seed=0)
    ids = corpus.ids[:5000]
    index = SubwordIndex.build(corpus.vocab.words)
    for kwargs, fragment in [({"subwords": "yes"}, "must be a SubwordIndex"),
                             ({"subwords": SubwordIndex.build(["a", "b"])}, "another vocabulary")]:
        with pytest.raises(W2VError, match=fragment):
            train(ids, corpus.vocab, TrainConfig(dim=8, epochs=1), progress=False, **kwargs)
    for cfg in [TrainConfig(dim=8, arch="cbow"), TrainConfig(dim=8, hs=True), TrainConfig(dim=8, method="manual")]:
        with pytest.raises(W2VError, match="skip-gram with negative sampling"):
            train(ids, corpus.vocab, cfg, progress=False, subwords=index)
    with pytest.raises(W2VError, match="without checkpoints"):
        train(ids, corpus.vocab, TrainConfig(dim=8), checkpoint_dir="x", progress=False, subwords=index)


def test_a_word_without_trained_ngrams_has_no_neighbours(toy_run):
    sv = toy_run[2].model.subword_vectors()
    assert not sv.vector("").any()
    with pytest.raises(W2VError, match="no n-gram"):
        sv.most_similar("")


# ----- the command line -----------------------------------------------------------------------------------
def run_main(capsys, *argv):
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def train_toy(*argv):
    return ("train", "--corpus", "toy", "--epochs", "1", "--dim", "8", "--quiet", "--workers", "1", *argv)


def test_cli_subwords_writes_vectors_and_the_table(capsys, tmp_path):
    code, _, err = run_main(capsys, *train_toy("--out", tmp_path / "v.txt", "--subwords", "--min-n", "2",
                                                "--max-n", "4", "--buckets", "50000"))
    assert code == 0, err
    wv = WordVectors.load(tmp_path / "v.txt")
    sv = SubwordVectors.load(tmp_path / "v.npz")
    assert sv.index.min_n == 2 and sv.index.max_n == 4 and sv.index.buckets == 50_000
    assert wv.words == list(sv.words)
    np.testing.assert_allclose(wv.vectors, sv.word_vectors().vectors, rtol=1e-5, atol=1e-6)  # text: 6 digits
    assert sv.vector("unseenword").any()


@pytest.mark.parametrize("argv, fragment", [
    (("--min-n", "2"), "add --subwords"),
    (("--buckets", "10"), "add --subwords"),
    (("--subwords", "--min-n", "5", "--max-n", "3"), "--min-n 5 is above --max-n 3"),
    (("--subwords", "--max-n", "2"), "--min-n 3 is above --max-n 2"),
    (("--subwords", "--buckets", "0"), "too small"),
    (("--subwords", "--buckets", "4294967296"), "too large"),
    (("--subwords", "--min-n", "101"), "too large"),
    (("--subwords", "--arch", "cbow"), "drop --arch cbow"),
    (("--subwords", "--hs"), "drop --hs"),
    (("--subwords", "--method", "manual"), "drop --method manual"),
    (("--subwords", "--checkpoint", "ck"), "drop --checkpoint"),
])
def test_cli_subwords_bad_input_is_one_line_and_exit_2(capsys, tmp_path, argv, fragment):
    code, _, err = run_main(capsys, *train_toy("--out", tmp_path / "v.txt", *argv))
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and fragment in lines[0], err
    assert list(tmp_path.iterdir()) == []


def test_cli_subwords_out_that_is_the_vectors_file_is_refused(capsys, tmp_path):
    code, _, err = run_main(capsys, *train_toy("--out", tmp_path / "v.npz", "--subwords", "--subwords-out",
                                                tmp_path / "v.npz"))
    assert code == 2 and "its own file" in err and len(err.strip().splitlines()) == 1
