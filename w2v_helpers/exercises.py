"""Checks for the end-of-chapter exercises: `check_NN_k(your_function)` prints one line.

    exercise 01.1: PASS
    exercise 01.1: FAIL - <what is wrong, with a hint>

Every exercise asks for one function. Its check calls that function on inputs of its own, compares
the result with a reference it computes itself, and when they differ it looks for the usual
mistakes (a dot product where a cosine belongs, an epsilon inside a log, no 3/4 power, an
off-by-one window, ...) to say which one was made. It never prints the expected values, and it
never raises: an unfinished exercise (the student version's `NotImplementedError`) or a crash in
the function is reported as a FAIL line, so "Run all" goes on to the next cell.

`EXERCISES` lists them all: the function each one asks for and the hint that the student version's
stub raises (`python -m w2v_helpers make-student`, in `w2v_helpers.classroom`). `grade_chapter`
runs a chapter's checks on whatever a notebook defined; the bulk checker uses it.
"""

from __future__ import annotations

import math
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable
from unittest import mock

import numpy as np
import torch
import torch.nn.functional as F


@dataclass(frozen=True)
class Exercise:
    id: str                                   # "01.1": chapter 01, exercise 1
    function: str                             # the name of the function the notebook asks for
    stub: str                                 # what the student version's NotImplementedError says
    verify: Callable[[Callable], str | None]  # None when right, else what is wrong


EXERCISES: dict[str, Exercise] = {}


class Hint(Exception):
    """Raised inside a check to end it with this message as the FAIL hint."""


class _TheirError(Exception):
    """An exception raised by the student's function (not by the check)."""


def result(ex_id: str, function: Callable) -> str:
    """The line a check prints, `exercise NN.k: PASS` or `exercise NN.k: FAIL - hint`."""
    ex = EXERCISES[ex_id]
    try:
        problem = ex.verify(function)
    except NotImplementedError as exc:
        problem = f"not done yet: {exc or ex.stub}"
    except Hint as hint:
        problem = str(hint)
    except _TheirError as exc:
        cause = exc.__cause__
        problem = f"your function raised {type(cause).__name__}: {cause}"
    except Exception as exc:  # the check could not use what the function returned
        problem = f"could not use what your function returned ({type(exc).__name__}: {exc})"
    return f"exercise {ex_id}: PASS" if problem is None else f"exercise {ex_id}: FAIL - {problem}"


def grade_chapter(chapter: str, namespace: dict[str, Any]) -> None:
    """Print one line per exercise of a chapter, looking the functions up in `namespace`."""
    for ex in EXERCISES.values():
        if ex.id.startswith(f"{chapter}."):
            function = namespace.get(ex.function)
            print(result(ex.id, function) if callable(function)
                  else f"exercise {ex.id}: MISSING - the notebook defines no function {ex.function}()")


def _exercise(ex_id: str, function: str, stub: str):
    """Register a check and turn it into the printing `check_NN_k` the notebooks call."""
    def register(verify: Callable[[Callable], str | None]) -> Callable[[Callable], None]:
        EXERCISES[ex_id] = Exercise(ex_id, function, stub, verify)

        def check(fn: Callable) -> None:
            print(result(ex_id, fn))

        check.__name__ = check.__qualname__ = verify.__name__
        check.__doc__ = verify.__doc__
        return check
    return register


# ----- small helpers shared by the checks ---------------------------------------------------------
def _call(fn: Callable, *args: Any) -> Any:
    """Call the student's function; its exceptions are reported as theirs, hints pass through."""
    try:
        return fn(*args)
    except (NotImplementedError, Hint):
        raise
    except Exception as exc:
        raise _TheirError() from exc


def _array(x: Any) -> np.ndarray:
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu().numpy()
    return np.asarray(x, dtype=np.float64)


def _close(got: Any, want: Any, rtol: float = 1e-5, atol: float = 1e-7) -> bool:
    got, want = _array(got), _array(want)
    return got.shape == want.shape and bool(np.allclose(got, want, rtol=rtol, atol=atol))


def _diagnose(got: Any, want: Any, mistakes: list[tuple[Any, str]], otherwise: str, **tol: float) -> str | None:
    """None if got matches want; else the hint of the first known mistake it matches, else `otherwise`."""
    if _array(got).shape != _array(want).shape:
        return f"the result has shape {_array(got).shape}, expected {_array(want).shape}"
    if _close(got, want, **tol):
        return None
    for wrong, hint in mistakes:
        if _close(got, wrong, **tol):
            return hint
    return otherwise


def _zipf_counts(n: int = 3000, seed: int = 2) -> np.ndarray:
    """Word counts that fall roughly as rank^-1.05, with noise, sorted from most to least frequent."""
    rng = np.random.default_rng(seed)
    ranks = np.arange(1, n + 1)
    counts = np.maximum(1.0, np.round(1e6 * ranks ** -1.05 * rng.lognormal(0.0, 0.3, n)))
    return np.sort(counts)[::-1].astype(np.int64)


# ----- Chapter 1: the maths -----------------------------------------------------------------------
@_exercise("01.1", "softmax_grad_centre", "return dL/dv_c of the softmax loss, a vector of shape (d,)")
def check_01_1(softmax_grad_centre: Callable) -> str | None:
    """softmax_grad_centre(out_table (V, d), v_c (d,), o) -> dL_softmax / dv_c, shape (d,)."""
    gen = torch.Generator().manual_seed(1)
    out_table = torch.randn(40, 6, generator=gen, dtype=torch.float64)
    v_c = torch.randn(6, generator=gen, dtype=torch.float64)
    o = 7
    leaf = v_c.clone().requires_grad_()
    F.cross_entropy((out_table @ leaf).unsqueeze(0), torch.tensor([o])).backward()
    want = leaf.grad
    got = _call(softmax_grad_centre, out_table.clone(), v_c.clone(), o)
    p = torch.softmax(out_table @ v_c, 0)
    return _diagnose(got, want, [
        (-want, "the sign is flipped: the loss is minus the log-probability"),
        (p @ out_table, "the observed word's own term is missing: differentiate -u_o . v_c as well"),
        (-out_table[o], "only the observed word's term is there: the log of the normalising sum depends on v_c too"),
        (torch.exp(out_table @ v_c) @ out_table - out_table[o],
         "the weights of the u_w must be probabilities p(w|c): normalise the exponentials"),
    ], "does not match autograd's gradient; differentiate both terms of L_softmax with respect to v_c")


@_exercise("01.2", "grad_repeated_noise", "return dL/du_n for a noise word drawn `times` times, shape (d,)")
def check_01_2(grad_repeated_noise: Callable) -> str | None:
    """grad_repeated_noise(v_c (d,), u_n (d,), times) -> dL/du_n when noise word n is drawn `times` times."""
    gen = torch.Generator().manual_seed(2)
    v_c = torch.randn(5, generator=gen, dtype=torch.float64)
    u_n = torch.randn(5, generator=gen, dtype=torch.float64)
    s = u_n @ v_c
    for times in (2, 1, 3):
        leaf = u_n.clone().requires_grad_()
        loss = sum(-F.logsigmoid(-(leaf @ v_c)) for _ in range(times))  # `times` identical noise terms
        loss.backward()
        got = _call(grad_repeated_noise, v_c.clone(), u_n.clone(), times)
        problem = _diagnose(got, leaf.grad, [
            (torch.sigmoid(s) * v_c, "a word drawn twice appears in two terms of L, and each term adds its own gradient"),
            (times * (torch.sigmoid(s) - 1) * v_c, "a noise word has the label 0, so its error is sigma(s) - 0"),
            (times * torch.sigmoid(-s) * v_c, "check the sign inside sigma: d/ds of -log sigma(-s) is not sigma(-s)"),
            (-leaf.grad, "the sign is flipped: the gradient of the loss, not of the log-likelihood"),
        ], f"does not match autograd's gradient for times={times}; start from the boxed formula for one noise word")
        if problem:
            return problem
    return None


def _no_logsigmoid(*args: Any, **kwargs: Any) -> None:
    raise Hint("this exercise asks you to compute log sigmoid yourself, without F.logsigmoid")


@_exercise("01.3", "my_logsigmoid", "compute log(sigmoid(x)) accurately for every float32 x, without F.logsigmoid")
def check_01_3(my_logsigmoid: Callable) -> str | None:
    """my_logsigmoid(x: float32 tensor) -> log sigmoid(x), accurate from -1e4 to 1e4, without F.logsigmoid."""
    xs = [-1e4, -100.0, -30.0, -20.0, -5.0, -1e-3, 0.0, 1e-3, 5.0, 20.0, 100.0, 1e4]
    x = torch.tensor(xs, dtype=torch.float32)
    want = F.logsigmoid(x.double())
    with mock.patch.object(F, "logsigmoid", _no_logsigmoid):
        got = _array(_call(my_logsigmoid, x.clone()))
    if got.shape != x.shape:
        return f"return one value per input: got shape {got.shape} for an input of shape {tuple(x.shape)}"
    if np.isneginf(got[:2]).any():
        return ("-inf for very negative x: in float32, sigmoid(x) underflows to 0 and exp(-x) overflows there; "
                "rewrite log sigmoid so that exp only ever sees -|x|")
    if np.isnan(got).any() or np.isinf(got).any():
        side = "negative" if (~np.isfinite(got[:6])).any() else "positive"
        return (f"NaN or inf for large {side} x: an exp() overflows (inf - inf, inf / inf); "
                "treat x >= 0 and x < 0 separately so that exp only ever sees -|x|")
    if abs(got[0] - got[1]) < 1.0:
        return ("the value stops changing for very negative x: a small constant inside the log caps it "
                "(the log(sigmoid(x) + eps) mistake); rewrite log sigmoid so nothing underflows")
    bad = ~np.isclose(got, want.numpy(), rtol=1e-5, atol=1e-6)
    if bad.any():
        return f"wrong value at x = {xs[int(np.argmax(bad))]:g}; compare your formula with log(1 / (1 + exp(-x)))"
    return None


# ----- Chapter 2: vocabulary and subsampling -------------------------------------------------------
@_exercise("02.1", "zipf_slope", "fit log(count) against log(rank) over ranks lo..hi and return the slope")
def check_02_1(zipf_slope: Callable) -> str | None:
    """zipf_slope(counts sorted by falling count, lo, hi) -> slope of log(count) vs log(rank), ranks lo..hi inclusive."""
    counts = _zipf_counts()
    ranks = np.arange(1, len(counts) + 1)

    def fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return np.polyfit(np.log(x), np.log(y), 1)

    for lo, hi in [(10, 1000), (1, len(counts)), (5, 60)]:
        want, intercept = fit(ranks[lo - 1:hi], counts[lo - 1:hi])
        got = _call(zipf_slope, counts.copy(), lo, hi)
        if np.ndim(got) != 0:
            return "return the slope alone, one number (np.polyfit returns [slope, intercept])"
        if _close(got, want, rtol=1e-6):
            continue
        off_by_one = "off by one: rank 1 is counts[0], so rank r is counts[r - 1], and both lo and hi are included"
        mistakes = [(-want, "return the slope of the fitted line itself: it is negative, counts fall as rank grows"),
                    (intercept, "that is the intercept: np.polyfit(x, y, 1) returns [slope, intercept]"),
                    (np.polyfit(ranks[lo - 1:hi], counts[lo - 1:hi], 1)[0],
                     "fit log(count) against log(rank): Zipf's law is a straight line on log-log axes")]
        if lo > 1:
            mistakes += [(fit(ranks[lo:hi], counts[lo:hi])[0], off_by_one),
                         (fit(ranks[lo - 1:hi] - 1, counts[lo - 1:hi])[0],
                          "pair each count with its own rank: ranks start at 1, and rank r goes with counts[r - 1]")]
        mistakes += [(fit(ranks[lo - 1:hi - 1], counts[lo - 1:hi - 1])[0], off_by_one),
                     (fit(ranks[lo - 1:hi + 1], counts[lo - 1:hi + 1])[0], off_by_one),
                     (fit(ranks[lo - 1:hi], counts[lo:hi + 1])[0], off_by_one)]
        return _diagnose(got, want, mistakes, f"wrong slope for ranks {lo}..{hi}; fit a line through "
                         "(log rank, log count) for exactly those ranks", rtol=1e-6)
    return None


@_exercise("02.2", "expected_share_kept", "return the expected share of tokens the paper's rule keeps, a number in [0, 1]")
def check_02_2(expected_share_kept: Callable) -> str | None:
    """expected_share_kept(counts, t) -> expected share of tokens kept by the paper's rule min(1, sqrt(t / f))."""
    counts = _zipf_counts()
    f = counts / counts.sum()
    for t in (1e-5, 1e-3):
        keep = np.minimum(1.0, np.sqrt(t / f))
        want = (counts * keep).sum() / counts.sum()
        got = _call(expected_share_kept, counts.copy(), t)
        c_rule = np.minimum(1.0, np.sqrt(t / f) + t / f)
        problem = _diagnose(got, want, [
            (1 - want, "that is the share of tokens discarded, not kept"),
            ((counts * c_rule).sum() / counts.sum(),
             "that is word2vec's C-code rule (sqrt(t/f) + t/f); this exercise uses the paper's, min(1, sqrt(t/f))"),
            ((counts * np.maximum(0.0, 1 - np.sqrt(t / f))).sum() / counts.sum(),
             "1 - sqrt(t/f) is the paper's probability of discarding a token, not of keeping it"),
            ((counts * np.sqrt(t / f)).sum() / counts.sum(),
             "cap the keep probability at 1: a rare word cannot be kept more than always"),
            (keep.mean(), "that is the average over words: weight each word by its count, since frequent words "
                          "have many more tokens"),
            ((counts * np.minimum(1.0, np.sqrt(t / counts))).sum() / counts.sum(),
             "f(w) is a word's share of all tokens: divide the counts by their total first"),
        ], f"wrong share for t = {t:g}; the share of tokens kept is sum_w count(w) keep(w) / sum_w count(w)")
        if problem:
            return problem
    return None


@_exercise("02.3", "seen_at_least_once", "return, per word, the chance that a token is kept in at least one epoch")
def check_02_3(seen_at_least_once: Callable) -> str | None:
    """seen_at_least_once(keep, epochs) -> chance a token survives subsampling in at least one of `epochs` fresh draws."""
    keep = np.array([0.05, 0.3, 0.75, 1.0])
    for epochs in (3, 1, 5):
        want = 1 - (1 - keep) ** epochs
        got = _call(seen_at_least_once, keep.copy(), epochs)
        problem = _diagnose(got, want, [
            (keep, "with a fresh draw every epoch, a token dropped in one epoch can be kept in another: "
                   "the chance should grow with the number of epochs"),
            (np.minimum(1.0, keep * epochs), "chances of different epochs do not add up (a sum can pass 1): "
                                             "work with the chance of being dropped in every epoch"),
            (keep * epochs, "chances of different epochs do not add up (a sum can pass 1): "
                            "work with the chance of being dropped in every epoch"),
            (keep ** epochs, "that is the chance of being kept in every epoch, not in at least one"),
            ((1 - keep) ** epochs, "that is the chance of never being kept"),
        ], f"wrong for epochs = {epochs}; the draws of different epochs are independent")
        if problem:
            return problem
    return None


# ----- Chapter 3: negative sampling ---------------------------------------------------------------
@_exercise("03.1", "noise_probs", "return count**power normalised to sum to 1")
def check_03_1(noise_probs: Callable) -> str | None:
    """noise_probs(counts, power=0.75) -> (V,) probabilities proportional to count ** power."""
    counts = _zipf_counts(500)
    for c, power in [(np.array([100, 1]), 0.75), (counts, 0.75), (counts, 1.0), (counts, 0.0), (counts, 0.5)]:
        want = c ** power / (c ** power).sum()
        got = _call(noise_probs, c.copy(), power)
        problem = _diagnose(got, want, [
            (c / c.sum(), "no power applied: raise the counts to the power before normalising"),
            (c ** power, "the probabilities must sum to 1: divide by their total"),
            ((c / c.sum()) ** power, "the probabilities must sum to 1: after the power, divide by the new total"),
            (c ** 0.75 / (c ** 0.75).sum(), "use the `power` argument rather than a fixed 0.75"),
        ], f"wrong probabilities for power = {power}")
        if problem:
            return problem
    return None


@_exercise("03.2", "build_table", "return an int array in which word w fills round(size * probs[w]) slots")
def check_03_2(build_table: Callable) -> str | None:
    """build_table(probs, size) -> int array of word ids in which word w fills round(size * p_w) slots."""
    zipf = _zipf_counts(3000) ** 0.75
    cases = [(np.array([0.5, 0.25, 0.15, 0.1]), 20), (np.array([0.26, 0.74]), 10),
             (np.array([0.36, 0.34, 0.3]), 10), (zipf / zipf.sum(), 1_000_000)]
    for probs, size in cases:
        table = np.asarray(_call(build_table, probs.copy(), size))
        if table.ndim != 1 or not np.issubdtype(table.dtype, np.integer):
            return "return a 1-D array of word ids (integers), one entry per slot"
        if len(table) and (table.min() < 0 or table.max() >= len(probs)):
            return f"the table holds word ids, 0 to {len(probs) - 1}; found {table.min()} .. {table.max()}"
        slots = np.bincount(table, minlength=len(probs))
        want = np.round(size * probs)
        problem = _diagnose(slots, want, [
            (np.floor(size * probs), "astype(int) and np.floor round down: each word gets round(size * p) slots"),
            (np.ceil(size * probs), "np.ceil rounds up: each word gets round(size * p) slots"),
        ], f"wrong number of slots per word for size = {size:,}")
        if problem:
            return problem
    return None


@_exercise("03.3", "shared_noise_loss", "return each pair's noise term with S shared noise words, shape (B,)")
def check_03_3(shared_noise_loss: Callable) -> str | None:
    """shared_noise_loss(v (B, d), u_shared (S, d), K) -> (B,) noise term -(K/S) sum_s log sigma(-u_s . v)."""
    gen = torch.Generator().manual_seed(3)
    v = torch.randn(6, 8, generator=gen)
    u = torch.randn(4, 8, generator=gen)
    v[:, 0], u[:, 0] = 0.0, 0.0
    v[0, 0], u[0] = 2.0, 0.0
    u[0, 0] = 60.0                        # pair 0 scores noise word 0 at 120 (a confident mistake), the others at 0
    K, S = 5, 4
    s = v @ u.T
    want = -(K / S) * F.logsigmoid(-s).sum(1)
    got = _call(shared_noise_loss, v.clone(), u.clone(), K)
    if _array(got).ndim == 0:
        return "return one loss per pair, shape (B,), not their sum or mean"
    eps = -(K / S) * torch.log(torch.sigmoid(-s.double()) + 1e-10).sum(1)
    if _array(got).shape == tuple(want.shape) and _close(_array(got)[1:], want[1:], rtol=1e-4) \
            and not _close(_array(got)[0], want[0], rtol=1e-4):
        return ("right except for a noise word with a very large score, where the loss is capped or infinite: "
                "use F.logsigmoid, not log(sigmoid(.) + eps) or log(sigmoid(.))")
    return _diagnose(got, want, [
        (-F.logsigmoid(-s).sum(1), "weight the S shared terms by K/S, so that their expectation equals K private negatives"),
        (-(S / K) * F.logsigmoid(-s).sum(1), "the weight is upside down: K/S, not S/K"),
        (-(K / S) * F.logsigmoid(s).sum(1), "noise words carry the label 0: their term is -log sigma(-score)"),
        ((K / S) * F.logsigmoid(-s).sum(1), "the sign is flipped: a loss is minus a log-likelihood, never negative"),
        (eps, "use F.logsigmoid, not log(sigmoid(.) + eps)"),
    ], "wrong values; score every pair's centre vector against all S shared noise vectors", rtol=1e-4, atol=1e-5)


# ----- Chapter 4: pairs and the model -------------------------------------------------------------
def _pair_list(pairs: Any) -> list[tuple[int, int]]:
    arr = np.asarray(pairs)
    if arr.size == 0:
        return []
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise Hint("return a list of (centre, context) tuples")
    return sorted((int(c), int(o)) for c, o in arr)


@_exercise("04.1", "fixed_window_pairs", "return the list of (centre, context) pairs with b = window for every centre")
def check_04_1(fixed_window_pairs: Callable) -> str | None:
    """fixed_window_pairs(ids, window) -> [(centre, context), ...]: every word within `window` positions, both sides."""
    for ids, window in [(np.arange(100, 112), 3), (np.arange(100, 106), 1), (np.arange(100, 102), 4)]:
        want = sorted((int(ids[i]), int(ids[j])) for i in range(len(ids)) for j in range(len(ids))
                      if i != j and abs(i - j) <= window)
        got = _pair_list(_call(fixed_window_pairs, ids.copy(), window))
        if got == want:
            continue
        known = set(ids.tolist())
        offsets = {o - c for c, o in got}          # ids are distinct and consecutive: id difference = offset
        if any(c not in known or o not in known for c, o in got):
            return "some pairs use ids that are not in the corpus"
        if 0 in offsets:
            return "a word is not its own context: skip offset 0"
        if len(got) != len(set(got)):
            return "some pairs appear twice: each (position, offset) gives one pair"
        if any(abs(d) > window for d in offsets):
            far = max(abs(d) for d in offsets)
            if far >= len(ids) - window:
                return "pairs wrap around the ends: ids[-1] is the last token in Python; keep 0 <= j < len(ids)"
            return f"off by one: a pair at distance {far}, beyond the window of {window}"
        if window > 1 and (window not in offsets or -window not in offsets):
            return ("off by one: no pair at distance `window` on one side or both; "
                    "range(a, b) stops before b")
        if set(got) < set(want):
            return "pairs are missing near the ends of the corpus: every position is a centre, with fewer neighbours at the edges"
        return f"wrong pairs for window = {window} on {len(ids)} tokens"
    return None


@_exercise("04.2", "sgns_loss_by_hand", "return the SGNS loss of every pair, shape (B,)")
def check_04_2(sgns_loss_by_hand: Callable) -> str | None:
    """sgns_loss_by_hand(v (B, d), u_pos (B, d), u_neg (B, K, d)) -> (B,) loss per pair."""
    gen = torch.Generator().manual_seed(4)
    v = torch.randn(5, 6, generator=gen)
    u_pos = torch.randn(5, 6, generator=gen)
    u_neg = torch.randn(5, 4, 6, generator=gen)
    u_neg[0, 0] = 120 * v[0] / (v[0] @ v[0])   # pair 0: a noise word scored 120 (a confident mistake)
    u_pos[1] = -120 * v[1] / (v[1] @ v[1])     # pair 1: its true context scored -120
    pos, neg = (v * u_pos).sum(-1), torch.einsum("bkd,bd->bk", u_neg, v)
    want = -F.logsigmoid(pos) - F.logsigmoid(-neg).sum(-1)
    got = _call(sgns_loss_by_hand, v.clone(), u_pos.clone(), u_neg.clone())
    if _array(got).ndim == 0:
        return "return one loss per pair, shape (B,), not their sum or mean"
    g = _array(got)
    if g.shape == tuple(want.shape) and _close(g[2:], want[2:], rtol=1e-4) and not _close(g[:2], want[:2], rtol=1e-4):
        return ("right except for very confident mistakes, where the loss is capped or infinite: "
                "use F.logsigmoid, not log(sigmoid(.) + eps) or log(sigmoid(.))")
    return _diagnose(got, want, [
        (-want, "the sign is flipped: the loss is minus the log-likelihood, so it is never negative"),
        (-F.logsigmoid(pos) - F.logsigmoid(neg).sum(-1), "noise words carry the label 0: their term is -log sigma(-score)"),
        (-F.logsigmoid(pos) - F.logsigmoid(-neg).mean(-1), "sum the K noise terms, don't average them"),
        (-F.logsigmoid(-neg).sum(-1), "the true context's term -log sigma(u_pos . v) is missing"),
    ], "wrong values; compare with the forward pass of Section 3, one pair at a time", rtol=1e-4, atol=1e-5)


@_exercise("04.3", "init_out_embed", "fill model.out_embed.weight in place, as in_embed is filled")
def check_04_3(init_out_embed: Callable) -> str | None:
    """init_out_embed(model, generator): fill out_embed in place with uniform(-0.5/dim, 0.5/dim) numbers."""
    from .model import SkipGram

    V, dim = 500, 40
    results = []
    for _ in range(2):  # twice with equal generators: the result must be reproducible
        model = SkipGram(V, dim, generator=torch.Generator().manual_seed(0))
        before = model.in_embed.weight.detach().clone()
        _call(init_out_embed, model, torch.Generator().manual_seed(1))
        weight = model.out_embed.weight
        if not isinstance(weight, torch.nn.Parameter) or tuple(weight.shape) != (V, dim):
            return "fill the existing out_embed.weight in place (inside torch.no_grad()), don't replace it"
        if not torch.equal(model.in_embed.weight.detach(), before):
            return "leave in_embed as it is: only out_embed changes"
        results.append(weight.detach().clone())
    w, bound = results[0], 0.5 / dim
    if not w.any():
        return "out_embed is still all zeros"
    if torch.equal(w, model.in_embed.weight.detach()):
        return "draw new numbers: a copy of in_embed would start every word with u_w = v_w"
    if w.abs().max() > bound * (1 + 1e-6):
        return "some values are too large: in_embed's numbers lie within ±0.5/dim"
    if w.min() >= 0:
        return "all values have the same sign: draw from the whole range -0.5/dim .. 0.5/dim"
    if w.abs().max() < 0.8 * bound or abs(w.std().item() - bound / math.sqrt(3)) > 0.1 * bound:
        return "the values do not look uniform over -0.5/dim .. 0.5/dim (too narrow or not uniform)"
    if not torch.equal(results[0], results[1]):
        return "use the generator you are given, so that the same seed gives the same numbers"
    return None


# ----- Chapter 5: training and neighbours ---------------------------------------------------------
def _neighbour_data() -> tuple[np.ndarray, np.ndarray]:
    """A tiny example where dot product and cosine disagree, and 300 random vectors of varied lengths."""
    small = np.array([[10.0, 6.0], [1.0, 0.0], [0.95, 0.2], [0.0, 1.0]])
    rng = np.random.default_rng(5)
    big = rng.normal(size=(300, 16)) * rng.lognormal(0.0, 0.7, size=(300, 1))
    return small, big


def _by_cosine(vectors: np.ndarray, query: int, k: int, rows: int | None = None) -> list[int]:
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    scores = unit[:rows] @ unit[query]
    return [int(i) for i in np.argsort(-scores, kind="stable") if i != query][:k]


def _index_list(got: Any) -> list[int]:
    arr = np.asarray(got)
    if arr.ndim != 1 or not (np.issubdtype(arr.dtype, np.integer) or arr.size == 0):
        raise Hint("return a list of row indices (integers), the most similar first")
    return [int(i) for i in arr]


def _neighbour_mistakes(got: list[int], vectors: np.ndarray, query: int, k: int, rows: int | None) -> str | None:
    dot = [int(i) for i in np.argsort(-(vectors[:rows] @ vectors[query]), kind="stable") if i != query][:k]
    if query in got:
        return "leave the query word out: it is always its own nearest neighbour"
    if got == dot:
        return ("ranked by the raw dot product: divide by the vector lengths (cosine), "
                "or long vectors (frequent words) win")
    if len(got) != k:
        return f"return exactly k = {k} indices"
    want = _by_cosine(vectors, query, k, rows)
    if got == want[::-1] or set(got) == set(want):
        return "the right words in the wrong order: the most similar first (decreasing cosine)"
    return None


@_exercise("05.1", "nearest_by_cosine", "return the indices of the k rows most similar to row `query`, best first")
def check_05_1(nearest_by_cosine: Callable) -> str | None:
    """nearest_by_cosine(vectors (V, d), query, k) -> k row indices by decreasing cosine, query left out."""
    small, big = _neighbour_data()
    for vectors, query, k in [(small, 1, 3), (big, 5, 10)]:
        got = _index_list(_call(nearest_by_cosine, vectors.copy(), query, k))
        if got != _by_cosine(vectors, query, k):
            return _neighbour_mistakes(got, vectors, query, k, None) or \
                "wrong neighbours; score every row by its cosine with the query row"
    return None


@_exercise("05.2", "refusal_message", "write a checkpoint with cfg, resume with dim=20, return the trainer's message")
def check_05_2(refusal_message: Callable) -> str | None:
    """refusal_message(ids, vocab, cfg, checkpoint_dir) -> the W2VError message of resuming with dim=20."""
    from .train import TrainConfig
    from .vocab import Vocab

    rng = np.random.default_rng(6)
    tokens = [f"w{i}" for i in rng.integers(0, 30, size=6000)]
    vocab = Vocab.build(tokens, min_count=1)
    cfg = TrainConfig(dim=8, epochs=1, chunk_tokens=2000, seed=0)
    with tempfile.TemporaryDirectory() as tmp:
        message = _call(refusal_message, vocab.encode(tokens), vocab, cfg, Path(tmp) / "checkpoints")
    if isinstance(message, BaseException):
        message = str(message)
    if message is None:
        return ("your function returned None: the second run must resume from the checkpoint (resume=True), "
                "so that the trainer compares the settings and raises")
    if not isinstance(message, str):
        return "return the trainer's message as a string"
    if "no checkpoint" in message:
        return "there is nothing to resume yet: first train once with checkpoint_dir=checkpoint_dir"
    if "dim: 20 -> 8" in message:
        return "the other way round: write the checkpoint with cfg, then resume with dim=20"
    if "dim: 8 -> 20" not in message:
        if "other settings" in message:
            return "change only dim, to 20: replace(cfg, dim=20)"
        return "the message does not come from resuming with dim=20; pass resume=True and catch the W2VError"
    return None


@_exercise("05.3", "nearest_restricted", "return the k nearest rows by cosine among rows 0..restrict-1")
def check_05_3(nearest_restricted: Callable) -> str | None:
    """nearest_restricted(vectors, query, k, restrict) -> k indices by cosine among rows < restrict, query left out."""
    _, vectors = _neighbour_data()
    restrict, k = 100, 10
    vectors = vectors.copy()
    vectors[restrict] = 3 * vectors[5] + 0.01      # row `restrict` points the query's way: it must stay out
    vectors[restrict + 1] = 2 * vectors[250] + 0.01
    for query in (5, 250):
        got = _index_list(_call(nearest_restricted, vectors.copy(), query, k, restrict))
        if got == _by_cosine(vectors, query, k, restrict):
            continue
        if any(i >= restrict for i in got):
            return (f"only rows 0 .. restrict - 1 may be returned (restrict={restrict} means ids 0 to {restrict - 1}); "
                    f"found {max(got)}")
        if len(got) < k:
            return "fewer than k results: restrict the rows first, then take the top k (not the other way round)"
        return _neighbour_mistakes(got, vectors, query, k, restrict) or \
            "wrong neighbours; rank the first `restrict` rows by their cosine with the query row"
    return None


# ----- Chapter 6: geometry ------------------------------------------------------------------------
@_exercise("06.1", "pca_2d", "return the (n, 2) coordinates and the 2 explained variance ratios")
def check_06_1(pca_2d: Callable) -> str | None:
    """pca_2d(X (n, d)) -> (coords (n, 2), ratio (2,)): PCA by SVD of the centred rows."""
    rng = np.random.default_rng(7)
    X = rng.normal(size=(30, 8)) @ rng.normal(size=(8, 8)) + 5.0
    Xc = X - X.mean(axis=0)
    _, S, Vt = np.linalg.svd(Xc, full_matrices=False)
    want_coords, want_ratio = Xc @ Vt[:2].T, S[:2] ** 2 / (S ** 2).sum()
    out = _call(pca_2d, X.copy())
    if not isinstance(out, tuple) or len(out) != 2:
        return "return a pair (coords, ratio)"
    coords, ratio = _array(out[0]), _array(out[1])
    if coords.shape != (30, 2) or ratio.shape != (2,):
        return f"coords should have shape (n, 2) and ratio shape (2,); got {coords.shape} and {ratio.shape}"
    _, S_raw, _ = np.linalg.svd(X, full_matrices=False)
    ratio_problem = _diagnose(ratio, want_ratio, [
        (S[:2] / S.sum(), "the variance along a direction is the square of its singular value"),
        (S[:2] ** 2 / (S[:2] ** 2).sum(), "divide by the total variance over all components, not only the first two"),
        (S_raw[:2] ** 2 / (S_raw ** 2).sum(), "centre the rows first: subtract the mean vector before the SVD"),
    ], "wrong explained variance ratios")
    if ratio_problem:
        return ratio_problem
    signs = np.sign((coords * want_coords).sum(axis=0))  # each component is only defined up to its sign
    return _diagnose(coords * signs, want_coords, [
        ((X @ Vt[:2].T) * np.sign(((X @ Vt[:2].T) * want_coords).sum(axis=0)),
         "project the centred rows, X - mean, not X itself"),
    ], "wrong coordinates: project the centred rows onto the first two principal directions", rtol=1e-6, atol=1e-8)


@_exercise("06.2", "mismatched", "return the pairs (a_i, b_(i+1)), wrapping around at the end")
def check_06_2(mismatched: Callable) -> str | None:
    """mismatched(pairs) -> as many pairs, each a-word with another pair's b-word; every word used once."""
    for n in (5, 3, 2):
        pairs = [(f"a{i}", f"b{i}") for i in range(n)]
        got = _call(mismatched, list(pairs))
        try:
            got = [tuple(p) for p in got]
        except TypeError:
            return "return a list of (a, b) pairs"
        if any(len(p) != 2 for p in got):
            return "return a list of (a, b) pairs"
        if len(got) != n:
            return (f"return one mismatched pair per true pair ({n}, got {len(got)}): "
                    "wrap around, so that the last a-word takes the first b-word")
        if sorted(b for _, b in got) == sorted(a for a, _ in pairs):
            return "keep each pair's order: an a-word (like 'king') first, a b-word (like 'woman') second"
        if sorted(a for a, _ in got) != sorted(a for a, _ in pairs) or sorted(b for _, b in got) != sorted(b for _, b in pairs):
            return "use every a-word once and every b-word once"
        true = sum(p in pairs for p in got)
        if true:
            return f"{true} of your pairs are still true pairs: pair each a-word with another pair's b-word"
    return None


@_exercise("06.3", "offset_cosine", "return the mean cosine between offsets b_i - a_i of different pairs")
def check_06_3(offset_cosine: Callable) -> str | None:
    """offset_cosine(a_vecs (n, d), b_vecs (n, d)) -> mean over i != j of cos(b_i - a_i, b_j - a_j)."""
    rng = np.random.default_rng(8)
    shift = rng.normal(size=10)
    a = rng.normal(size=(6, 10)) * rng.lognormal(0.0, 0.5, size=(6, 1))
    b = (a + shift + 0.8 * rng.normal(size=(6, 10))) * rng.lognormal(0.0, 0.5, size=(6, 1))

    def mean_cos(a: np.ndarray, b: np.ndarray, unit: bool = True, diagonal: bool = False) -> float:
        off = b - a
        if unit:
            off = off / np.linalg.norm(off, axis=1, keepdims=True)
        m = off @ off.T
        n = len(off)
        return m.mean() if diagonal else (m.sum() - np.trace(m)) / (n * n - n)

    want = mean_cos(a, b)
    got = _call(offset_cosine, a.copy(), b.copy())
    if np.ndim(got) != 0:
        return "return one number, the mean cosine"
    normed = [x / np.linalg.norm(x, axis=1, keepdims=True) for x in (a, b)]
    return _diagnose(got, want, [
        (mean_cos(a, b, diagonal=True), "leave out each offset's cosine with itself (always 1): average over i != j"),
        (mean_cos(a, b, unit=False), "a cosine divides by both offsets' lengths; that is a mean dot product"),
        (mean_cos(*normed), "use the vectors as they are given: whether to normalise the words first is "
                            "the caller's choice (the exercise compares both)"),
    ], "wrong value; compute the offsets b_i - a_i, then the mean cosine over all pairs i != j")


# ----- Chapter 7: evaluation ----------------------------------------------------------------------
def _cos_mul(vectors: np.ndarray, a: int, b: int, c: int, shift: bool = True, mask: bool = True,
             roles: tuple[int, int, int] | None = None) -> np.ndarray:
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    ca, cb, cc = (unit @ unit[i] for i in (roles or (a, b, c)))
    if shift:
        ca, cb, cc = (ca + 1) / 2, (cb + 1) / 2, (cc + 1) / 2
    scores = cb * cc / (ca + 1e-3)
    if mask:
        scores[[a, b, c]] = -np.inf
    return scores


@_exercise("07.1", "cos_mul_scores", "return the 3CosMul score of every row for a:b :: c:?, with a, b, c at -inf")
def check_07_1(cos_mul_scores: Callable) -> str | None:
    """cos_mul_scores(vectors (V, d), a, b, c) -> (V,) 3CosMul scores, eps = 1e-3, rows a, b, c set to -inf."""
    rng = np.random.default_rng(9)
    vectors = rng.normal(size=(60, 8)) * rng.lognormal(0.0, 0.7, size=(60, 1))
    for a, b, c in [(3, 7, 11), (40, 2, 25)]:
        want = _cos_mul(vectors, a, b, c)
        got = _array(_call(cos_mul_scores, vectors.copy(), a, b, c))
        if got.shape == want.shape:
            rest = np.ones(len(want), bool)
            rest[[a, b, c]] = False
            if _close(got[rest], want[rest]) and not _close(got, want):
                return "right for the candidates, but the question words a, b and c must score -inf"
        unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        add = unit @ unit[b] - unit @ unit[a] + unit @ unit[c]
        add[[a, b, c]] = -np.inf
        raw = (vectors @ vectors[b] + 1) / 2 * (vectors @ vectors[c] + 1) / 2 / ((vectors @ vectors[a] + 1) / 2 + 1e-3)
        raw[[a, b, c]] = -np.inf
        problem = _diagnose(got, want, [
            (_cos_mul(vectors, a, b, c, shift=False), "shift each cosine from [-1, 1] to [0, 1], (cos + 1) / 2, "
                                                       "before multiplying and dividing"),
            (add, "that is 3CosAdd: 3CosMul multiplies the cosines with b and c and divides by the one with a"),
            (raw, "use cosines, not dot products: normalise the rows to unit length first"),
            (_cos_mul(vectors, a, b, c, roles=(b, a, c)), "a and b are swapped: divide by the cosine with a"),
            (_cos_mul(vectors, a, b, c, roles=(c, b, a)), "a and c are swapped: divide by the cosine with a"),
        ], f"wrong scores for the question ({a}, {b}, {c}); compare with the formula in Section 1")
        if problem:
            return problem
    return None


def _questions() -> tuple[list[tuple[str, str, str, str]], list[str]]:
    rng = np.random.default_rng(10)
    words = [f"w{i}" for i in range(100)]
    ids = rng.integers(0, 130, size=(200, 4)) ** 1.0
    ids = np.floor(ids * rng.uniform(0.2, 1.0, size=(200, 1))).astype(int)   # most questions use frequent words
    return [tuple(f"w{i}" for i in row) for row in ids], words


@_exercise("07.2", "coverage", "return the share of questions whose four words are all among words[:restrict]")
def check_07_2(coverage: Callable) -> str | None:
    """coverage(questions [(a, b, c, d), ...], words by falling frequency, restrict) -> share in [0, 1]."""
    questions, words = _questions()

    def share(rule: Callable[[tuple], bool]) -> float:
        return sum(map(rule, questions)) / len(questions)

    for restrict in (25, 45, 100):
        def within(n: int) -> set[str]:
            return set(words[:max(n, 0)])
        top = within(restrict)
        want = share(lambda q: all(w in top for w in q))
        got = _call(coverage, list(questions), list(words), restrict)
        if np.ndim(got) != 0:
            return "return one number, the share of questions covered"
        problem = _diagnose(got, want, [
            (want * len(questions), "return a share of the questions (between 0 and 1), not a count"),
            (share(lambda q: all(w in top for w in q[:3])), "the answer d must be among the words too: a question "
                                                            "whose answer the model cannot return is not covered"),
            (share(lambda q: any(w in top for w in q)), "all four words of a question must be in the vocabulary, not one"),
            (share(lambda q: all(w in set(words) for w in q)), "only the first `restrict` words count"),
            (share(lambda q: all(w in within(restrict + 1) for w in q)), "off by one: words[:restrict] holds restrict words"),
            (share(lambda q: all(w in within(restrict - 1) for w in q)), "off by one: words[:restrict] holds restrict words"),
        ], f"wrong share for restrict = {restrict}", rtol=1e-9)
        if problem:
            return problem
    return None


# ----- Chapter 8: fast training -------------------------------------------------------------------
@_exercise("08.1", "speedups", "return each step's pairs per second divided by the first step's")
def check_08_1(speedups: Callable) -> str | None:
    """speedups(seconds, pairs) -> per step, its pairs/s divided by the first step's pairs/s."""
    seconds = np.array([12.0, 3.0, 1.5, 0.8, 0.5])
    pairs = np.array([30_000, 200_000, 200_000, 400_000, 400_000])
    rate = pairs / seconds
    want = rate / rate[0]
    got = _array(_call(speedups, list(seconds), list(pairs)))
    return _diagnose(got, want, [
        (seconds[0] / seconds, "the steps ran on different numbers of pairs: compare pairs per second, not seconds"),
        (rate[0] / rate, "upside down: a faster step should have a speedup above 1"),
        (seconds / seconds[0], "compare pairs per second (pairs / seconds), and the speedup of a faster step is above 1"),
        (np.r_[1.0, rate[1:] / rate[:-1]], "compare every step with the first one (the reference), not with the step before"),
        (rate, "divide by the first step's pairs per second, so that the reference has a speedup of 1"),
    ], "wrong speedups; compute pairs per second for every step first")


def _shared_step(v, u, n, K, lr, weight=None, label_bug=False, sequential=False):
    S = len(n)
    w = K / S if weight is None else weight
    g_pos = torch.sigmoid(u @ v) - 1
    g_neg = w * (torch.sigmoid(n @ v) - (1 if label_bug else 0))
    v_new = v - lr * (g_pos * u + g_neg @ n)
    if sequential:
        v = v_new
    return v_new, u - lr * g_pos * v, n - lr * g_neg[:, None] * v


@_exercise("08.2", "shared_step_one_pair", "return (v, u, n) after one SGD step of the shared-noise loss")
def check_08_2(shared_step_one_pair: Callable) -> str | None:
    """shared_step_one_pair(v (d,), u (d,), n (S, d), K, lr) -> updated (v, u, n), all gradients at the old values."""
    gen = torch.Generator().manual_seed(11)
    v, u, n = (torch.randn(*shape, generator=gen, dtype=torch.float64) for shape in [(6,), (6,), (4, 6)])
    K, lr = 5, 0.3

    def flat(out: Any) -> np.ndarray:
        if not isinstance(out, (tuple, list)) or len(out) != 3:
            raise Hint("return the three updated tensors (v, u, n)")
        shapes = [tuple(_array(x).shape) for x in out]
        if shapes != [(6,), (6,), (4, 6)]:
            raise Hint(f"v, u and n keep their shapes (d,), (d,) and (S, d); got {shapes}")
        return np.concatenate([_array(x).ravel() for x in out])

    got = flat(_call(shared_step_one_pair, v.clone(), u.clone(), n.clone(), K, lr))
    return _diagnose(got, flat(_shared_step(v, u, n, K, lr)), [
        (flat(_shared_step(v, u, n, K, lr, weight=1.0)), "weight each of the S shared noise terms by K/S"),
        (flat(_shared_step(v, u, n, K, lr, weight=len(n) / K)), "the weight is upside down: K/S, not S/K"),
        (flat(_shared_step(v, u, n, K, lr, label_bug=True)), "noise words carry the label 0: their error is sigma(score) - 0"),
        (flat(_shared_step(v, u, n, K, -lr)), "step against the gradient: subtract lr times the gradient"),
        (flat(_shared_step(v, u, n, K, lr, sequential=True)),
         "compute every gradient from the old vectors before changing any of them"),
    ], "wrong update; start from the gradients of Chapter 1, with the noise terms weighted K/S")
