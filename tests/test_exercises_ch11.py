"""Chapter 11's exercises: the solutions pass, and plausible wrong answers fail with their hint."""

import numpy as np
import pytest

from w2v_helpers.course.exercises import EXERCISES, result


def npmi(count_ab, count_a, count_b, n_words):
    p_ab, p_a, p_b = count_ab / n_words, count_a / n_words, count_b / n_words
    return np.log(p_ab / (p_a * p_b)) / -np.log(p_ab)


def left_to_right(candidate):
    take = np.zeros(len(candidate), dtype=bool)
    for i, c in enumerate(candidate):
        take[i] = c and not (i > 0 and take[i - 1])
    return take


def left_to_right_vectorized(candidate):
    candidate = np.asarray(candidate, dtype=bool)
    position = np.arange(len(candidate))
    run_start = np.maximum.accumulate(np.where(candidate, 0, position + 1)) if len(candidate) else position
    return candidate & ((position - run_start) % 2 == 0)


def right_to_left(candidate):
    return left_to_right(np.asarray(candidate)[::-1])[::-1]


def every_other_from_second(candidate):
    take = np.zeros(len(candidate), dtype=bool)
    for i, c in enumerate(candidate):
        take[i] = c and i > 0 and candidate[i - 1] and not take[i - 1]
    return take


def by_position_parity(candidate):
    return np.asarray(candidate, dtype=bool) & (np.arange(len(candidate)) % 2 == 0)


@pytest.mark.parametrize("ex_id, fn", [("11.1", npmi), ("11.2", left_to_right), ("11.2", left_to_right_vectorized)])
def test_solutions_pass(ex_id, fn):
    assert result(ex_id, fn) == f"exercise {ex_id}: PASS"


WRONG = [
    ("11.1", "PMI only", lambda ab, a, b, n: np.log(ab * n / (a * b)), "that is the PMI"),
    ("11.1", "sign flipped", lambda ab, a, b, n: -npmi(ab, a, b, n), "sign is flipped"),
    ("11.1", "counts, not probs", lambda ab, a, b, n: np.log(ab / (a * b)) / -np.log(ab), "probabilities first"),
    ("11.1", "wrong norm", lambda ab, a, b, n: np.log(ab * n / (a * b)) / -np.log(a * b / n / n), "not -log p(a)"),
    ("11.1", "log2 above", lambda ab, a, b, n: np.log2(ab * n / (a * b)) / -np.log(ab / n), "same logarithm"),
    ("11.1", "one number", lambda ab, a, b, n: float(npmi(ab, a, b, n).mean()), "one score per pair"),
    ("11.2", "every candidate", lambda c: np.asarray(c, dtype=bool), "pair i + 1 cannot be joined"),
    ("11.2", "right to left", right_to_left, "read from the left"),
    ("11.2", "second of each run", every_other_from_second, "the first one is joined"),
    ("11.2", "position parity", by_position_parity, "the 1st, 3rd, 5th"),
    ("11.2", "joined tokens, not pairs", lambda c: np.append(left_to_right(c), False), "one True/False per"),
]


@pytest.mark.parametrize("ex_id, mistake, wrong, hint", WRONG, ids=[f"{w[0]}-{w[1]}" for w in WRONG])
def test_plausible_wrong_answer_fails_with_its_hint(ex_id, mistake, wrong, hint):
    line = result(ex_id, wrong)
    assert line.startswith(f"exercise {ex_id}: FAIL - ") and hint in line, line


def test_every_chapter_11_exercise_has_wrong_answers_tested():
    assert {w[0] for w in WRONG} == {ex for ex in EXERCISES if ex.startswith("11.")}
