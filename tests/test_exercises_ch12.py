"""Chapter 12's exercises: the checks pass a right answer and fail plausible wrong ones, each with its hint."""

import pytest
import torch

from w2v_helpers.course.exercises import result
from w2v_helpers.subwords import char_ngrams, fnv1a


def _rows(bounds=True, signed=True, offset=True, own=True, own_for_all=False, encoding="utf-8", drop_last=False):
    def textbook(data):
        h = 2166136261
        for b in data:
            h = ((h ^ b) * 16777619) % 2**32
        return h

    def subword_rows(word, vocab_index, buckets, min_n, max_n):
        grams = char_ngrams(word, min_n, max_n) if bounds else [
            word[i:i + n] for i in range(len(word)) for n in range(min_n, max_n + 1) if i + n <= len(word)]
        if drop_last:
            grams = grams[:-1]
        hash_ = fnv1a if signed else textbook
        rows = [(len(vocab_index) if offset else 0) + hash_(g.encode(encoding, "replace")) % buckets for g in grams]
        if own and word in vocab_index:
            rows.insert(0, vocab_index[word])
        elif own_for_all:
            rows.insert(0, vocab_index.get(word, -1))
        return rows
    return subword_rows


def _step(spread="whole", h_sum=False, label_one=False, sequential=False, sign=1.0, returns=3):
    def fasttext_step(z, u, noise, lr):
        h = z.sum(0) if h_sum else z.mean(0)
        g_pos = torch.sigmoid(u @ h) - 1
        g_neg = torch.sigmoid(noise @ h) - (1.0 if label_one else 0.0)
        grad_h = g_pos * u + g_neg @ noise
        z_new = z - sign * lr * grad_h / (len(z) if spread == "mean" else 1)
        if sequential:
            h = z_new.mean(0)
        out = (z_new, u - sign * lr * g_pos * h, noise - sign * lr * g_neg[:, None] * h)
        return out[:returns]
    return fasttext_step


def test_right_answers_pass():
    assert result("12.1", _rows()) == "exercise 12.1: PASS"
    assert result("12.1", lambda *a: list(reversed(_rows()(*a)))) == "exercise 12.1: PASS"   # any order
    assert result("12.2", _step()) == "exercise 12.2: PASS"


WRONG = [
    ("12.1", "no boundary symbols", _rows(bounds=False), "boundary symbols"),
    ("12.1", "textbook FNV-1a", _rows(signed=False), "signed char"),
    ("12.1", "no offset V", _rows(offset=False), "add len(vocab_index)"),
    ("12.1", "no own row", _rows(own=False), "its own row"),
    ("12.1", "own row for unseen words", _rows(own_for_all=True), "no row of its own"),
    ("12.1", "latin-1 bytes", _rows(encoding="latin-1"), "UTF-8 bytes"),
    ("12.1", "an n-gram missing", _rows(drop_last=True), "wrong number of rows"),
    ("12.1", "crashes", lambda *a: 1 / 0, "raised ZeroDivisionError"),
    ("12.2", "gradient of the mean", _step(spread="mean"), "whole step"),
    ("12.2", "sum for h", _step(h_sum=True), "not their sum"),
    ("12.2", "label one for noise", _step(label_one=True), "label 0"),
    ("12.2", "sequential updates", _step(sequential=True), "old vectors"),
    ("12.2", "wrong sign", _step(sign=-1.0), "against the gradient"),
    ("12.2", "two tensors", _step(returns=2), "three updated tensors"),
]


@pytest.mark.parametrize("ex_id, mistake, wrong, hint", WRONG, ids=[f"{w[0]}-{w[1]}" for w in WRONG])
def test_plausible_wrong_answer_fails_with_its_hint(ex_id, mistake, wrong, hint):
    line = result(ex_id, wrong)
    assert line.startswith(f"exercise {ex_id}: FAIL - ") and hint in line, line
