"""Exercises: every check passes its notebook's solution and fails, with a hint, on the stub and on
plausible wrong answers. The student-notebook generator and the bulk checker are in test_student_grader.py."""

import heapq
import math
from dataclasses import replace
from pathlib import Path

import nbformat
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from w2v_helpers.course import exercises, layout
from w2v_helpers.course.exercises import EXERCISES, checking, grade_chapter, result
from w2v_helpers.course.student import BEGIN, END, strip_solutions
from w2v_helpers.errors import W2VError
from w2v_helpers.train import train

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "notebooks"


def tagged_cells(notebooks: list[Path], tag: str) -> dict[str, tuple[Path, int, nbformat.NotebookNode]]:
    """exercise id -> (notebook, index, cell) for every code cell of `notebooks` tagged `tag`."""
    found = {}
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        for i, cell in enumerate(nb.cells):
            if tag in cell.metadata.get("tags", []):
                assert cell.metadata["exercise"] not in found, f"{path.name}: {cell.metadata['exercise']} twice"
                found[cell.metadata["exercise"]] = (path, i, cell)
    return found


SOLUTIONS = tagged_cells(layout.solutions(FOLDER), "solution")  # notebooks/solutions/NN_solutions.ipynb
STUBS = tagged_cells(layout.course(FOLDER), "exercise")          # the chapters and bonus notebooks


def run_cell(source: str) -> dict:
    """Execute a solution cell as the notebook would, with the names its chapter has imported."""
    namespace = {"np": np, "torch": torch, "F": F, "math": math, "replace": replace, "train": train}
    exec(compile(source, "<solution cell>", "exec"), namespace)
    return namespace


def check_output(path: Path, i: int, ex_id: str) -> str:
    """The stored output of the check cell that follows cell i, which must call the exercise's check."""
    check = nbformat.read(path, as_version=4).cells[i + 1]
    name = f"check_{ex_id.replace('.', '_')}"
    assert check.cell_type == "code" and f"{name}({EXERCISES[ex_id].function})" in check.source, ex_id
    return "".join(o.get("text", "") for o in check.outputs)


# ----- the chapters hold the prompt, a stub and the check; the solutions are in their own notebooks ------
def test_every_exercise_has_a_stub_in_its_notebook_and_a_solution_in_the_solutions_notebook():
    assert sorted(STUBS) == sorted(EXERCISES) == sorted(SOLUTIONS)
    for ex_id, (path, i, _) in STUBS.items():
        nid = ex_id.split(".")[0]
        assert layout.notebook_id(path) == nid, f"{ex_id} is in {path.name}"
        assert SOLUTIONS[ex_id][0] == layout.solution_notebook(FOLDER, nid), ex_id
        # the stored output is what a learner sees before solving it
        assert check_output(path, i, ex_id) == f"exercise {ex_id}: FAIL - not done yet: {EXERCISES[ex_id].stub}\n"


@pytest.mark.parametrize("path", layout.course(FOLDER), ids=lambda p: p.stem)
def test_no_solution_is_in_view_under_its_prompt(path):
    text = path.read_text(encoding="utf-8") + path.with_suffix(".py").read_text(encoding="utf-8")
    assert BEGIN not in text and END not in text and '"solution"' not in text


@pytest.mark.parametrize("ex_id", sorted(EXERCISES))
def test_the_stub_is_the_solution_with_the_answer_taken_out(ex_id):
    stub, regions = strip_solutions(SOLUTIONS[ex_id][2].source, EXERCISES[ex_id].stub)
    assert regions == 1
    assert STUBS[ex_id][2].source == stub, f"{STUBS[ex_id][0].name}: the stub of {ex_id} differs from its solution"


@pytest.mark.parametrize("ex_id", sorted(EXERCISES))
def test_the_solutions_notebook_shows_it_passing(ex_id):
    path, i, cell = SOLUTIONS[ex_id]
    assert cell.source.count(BEGIN) == 1 and cell.source.count(END) == 1, ex_id
    assert check_output(path, i, ex_id) == f"exercise {ex_id}: PASS\n", f"{path.name}: commit it executed"


@pytest.mark.parametrize("ex_id", sorted(EXERCISES))
def test_solution_passes(ex_id):
    namespace = run_cell(SOLUTIONS[ex_id][2].source)
    assert result(ex_id, namespace[EXERCISES[ex_id].function]) == f"exercise {ex_id}: PASS"


@pytest.mark.parametrize("ex_id", sorted(EXERCISES))
def test_stub_fails_with_its_hint(ex_id):
    namespace = run_cell(STUBS[ex_id][2].source)  # the chapter's stub defines the function ...
    line = result(ex_id, namespace[EXERCISES[ex_id].function])  # ... which raises NotImplementedError
    assert line == f"exercise {ex_id}: FAIL - not done yet: {EXERCISES[ex_id].stub}"


# ----- plausible wrong answers, and the hint each must get -------------------------------------------
def _logits(v, up, un):
    return (v * up).sum(-1), torch.einsum("bkd,bd->bk", un, v)


def _window_pairs(lo, hi, zero=False, wrap=False):
    """A fixed-window pair maker with offsets range(lo(w), hi(w)), optionally with offset 0 or wrapping."""
    def pairs(ids, w):
        return [(int(ids[i]), int(ids[i + off])) for i in range(len(ids)) for off in range(lo(w), hi(w))
                if (off or zero) and i + off < len(ids) and (wrap or i + off >= 0)]
    return pairs


def _unit(x):
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def _top(scores, k, exclude):
    scores = scores.astype(float).copy()
    if exclude is not None:
        scores[exclude] = -np.inf
    return np.argsort(-scores)[:k].tolist()


def _init_big(model, gen):
    with torch.no_grad():
        model.out_embed.weight.uniform_(-0.5, 0.5, generator=gen)


def _init_copy(model, gen):
    with torch.no_grad():
        model.out_embed.weight.copy_(model.in_embed.weight)


def _init_unseeded(model, gen):
    d = model.out_embed.weight.shape[1]
    with torch.no_grad():
        model.out_embed.weight.uniform_(-0.5 / d, 0.5 / d)


def _resume_without_checkpoint(ids, vocab, cfg, ckpt):
    try:
        train(ids, vocab, replace(cfg, dim=20), checkpoint_dir=ckpt, resume=True, progress=False)
    except W2VError as exc:
        return str(exc)


def _forgot_resume(ids, vocab, cfg, ckpt):
    train(ids, vocab, cfg, checkpoint_dir=ckpt, progress=False)
    train(ids, vocab, replace(cfg, dim=20), checkpoint_dir=ckpt, progress=False)  # starts afresh, no error


def _share(rule):
    def share(counts, t):
        f = counts / counts.sum()
        return rule(f, t, counts)
    return share


def _pca_not_centred(X):
    _, s, vt = np.linalg.svd(X, full_matrices=False)
    return X @ vt[:2].T, s[:2] ** 2 / (s ** 2).sum()


def _pca_singular_values(X):
    c = X - X.mean(0)
    _, s, vt = np.linalg.svd(c, full_matrices=False)
    return c @ vt[:2].T, s[:2] / s.sum()


def _offsets(a, b):
    return _unit(b - a)


def _cos_mul(shift=True, mask=True, dot=False, add=False):
    """A 3CosMul scorer with one of the usual mistakes."""
    def scores(V, a, b, c):
        X = V if dot else _unit(V)
        ca, cb, cc = (X @ X[i] for i in (a, b, c))
        if add:
            out = cb - ca + cc
        else:
            if shift:
                ca, cb, cc = (ca + 1) / 2, (cb + 1) / 2, (cc + 1) / 2
            out = cb * cc / (ca + 1e-3)
        if mask:
            out[[a, b, c]] = -np.inf
        return out
    return scores


def _one_pair_step(weight=None, label_one=False, sequential=False, sign=1.0):
    """An SGD step for one pair with S shared noise words, with one of the usual mistakes."""
    def step(v, u, n, K, lr):
        w = K / len(n) if weight is None else weight(K, len(n))
        g_pos = torch.sigmoid(u @ v) - 1
        g_neg = w * (torch.sigmoid(n @ v) - (1.0 if label_one else 0.0))
        v_new = v - sign * lr * (g_pos * u + g_neg @ n)
        v_old = v_new if sequential else v
        return v_new, u - sign * lr * g_pos * v_old, n - sign * lr * g_neg[:, None] * v_old
    return step


def _window_mean(pad_kept=False, divide_by_slots=False, mean=True):
    """The mean of each padded context window, with one of the usual mistakes."""
    def h(table, contexts):
        real = torch.ones(contexts.shape, dtype=table.dtype) if pad_kept else (contexts >= 0).to(table.dtype)
        total = (real.unsqueeze(-1) * table[contexts]).sum(1)
        if not mean:
            return total
        return total / (contexts.shape[1] if divide_by_slots else (contexts >= 0).sum(1, keepdim=True))
    return h


def _cbow_one_step(divide=True, h_sum=False, label_one=False, sequential=False, sign=1.0):
    """One CBOW SGD step for one example, with one of the usual mistakes."""
    def step(v_ctx, u, noise, lr):
        h = v_ctx.sum(0) if h_sum else v_ctx.mean(0)
        g_pos = torch.sigmoid(u @ h) - 1
        g_neg = torch.sigmoid(noise @ h) - (1.0 if label_one else 0.0)
        grad_h = g_pos * u + g_neg @ noise
        v_new = v_ctx - sign * lr * grad_h / (len(v_ctx) if divide else 1)
        h_used = v_new.mean(0) if sequential else h
        return v_new, u - sign * lr * g_pos * h_used, noise - sign * lr * g_neg[:, None] * h_used
    return step


def _code_lengths(pick_largest=False, tie_break=1):
    """Huffman code lengths from a heap of (count, tie, words below), merging the two rarest or the two largest."""
    def lengths(counts):
        sign = -1 if pick_largest else 1
        heap = [(sign * int(c), tie_break * w, [w]) for w, c in enumerate(counts)]
        heapq.heapify(heap)
        depth, node = np.zeros(len(counts), dtype=int), len(counts)
        while len(heap) > 1:
            (c0, _, a), (c1, _, b) = heapq.heappop(heap), heapq.heappop(heap)
            depth[a + b] += 1
            heapq.heappush(heap, (c0 + c1, tie_break * node, a + b))
            node += 1
        return depth
    return lengths


def _long_codes_to_frequent_words(counts):
    right = _code_lengths()(counts)
    out = np.empty_like(right)
    out[np.argsort(-np.asarray(counts), kind="stable")] = np.sort(right)[::-1]
    return out


def _path_log_p(signs="bits", log_of_product=False, eps=None, as_probability=False, reverse=False):
    """log p(w | h) along a path, with one of the usual mistakes."""
    def log_p(h, out_w, path, code):
        rows = out_w[torch.tensor(path[::-1] if reverse else path)]
        s = rows @ h
        sign = {"bits": torch.tensor([1.0 if b == "0" else -1.0 for b in code]),
                "swapped": torch.tensor([-1.0 if b == "0" else 1.0 for b in code]),
                "int compare": torch.tensor([1.0 if b == 0 else -1.0 for b in code]),
                "none": torch.ones(len(code))}[signs]
        if eps is not None:
            return torch.log(torch.sigmoid(sign * s) + eps).sum()
        if as_probability:
            return torch.sigmoid(sign * s).prod()
        if log_of_product:
            return torch.log(torch.sigmoid(sign * s).prod())
        return F.logsigmoid(sign * s).sum()
    return log_p


def _length_entropy(swap=False, base=2.0, plain_mean=False, total=False, sign=1.0):
    def both(counts, lengths):
        p = counts / counts.sum()
        mean = np.mean(lengths) if plain_mean else ((counts if total else p) * lengths).sum()
        h = -sign * (p * np.log(p)).sum() / math.log(base)
        return (h, mean) if swap else (mean, h)
    return both


def _rates(seconds, pairs):
    return np.asarray(pairs, float) / np.asarray(seconds, float)


def _rank_error(kept=False, squared=True, relative=True, root=True, shift=0):
    """The relative rank-k error with one of the usual mistakes."""
    def error(M, k):
        s = np.linalg.svd(M, compute_uv=False)
        p = s ** 2 if squared else s
        part = p[:k + shift] if kept else p[k + shift:]
        value = part.sum() / p.sum() if relative else part.sum()
        return math.sqrt(value) if root and squared else value
    return error


def _shifted(after_clip=False, by_k=False, clip=True, sign=-1.0):
    """Shifted PPMI with one of the usual mistakes."""
    def sppmi(counts, k):
        with np.errstate(divide="ignore"):
            pmi = np.log(counts * counts.sum() / np.outer(counts.sum(1), counts.sum(0)))
        shift = k if by_k else math.log(k)
        if after_clip:
            return np.maximum(pmi, 0.0) + sign * shift
        shifted = pmi + sign * shift
        return np.maximum(shifted, 0.0) if clip else shifted
    return sppmi


WRONG = [
    ("00.1", "log2", lambda n, a, b, t: math.log2(n * t / (a * b)), "natural logarithm"),
    ("00.1", "counts not divided by the total", lambda n, a, b, t: math.log(n / (a * b)), "divide each count"),
    ("00.1", "ratio upside down", lambda n, a, b, t: math.log(a * b / (n * t)), "upside down"),
    ("00.1", "no log", lambda n, a, b, t: n * t / (a * b), "logarithm of the ratio"),
    ("00.1", "conditional probability", lambda n, a, b, t: math.log(n / a), "log P(c | w)"),
    ("08.1", "clipped before the shift", _shifted(after_clip=True), "shift first, then clip"),
    ("08.1", "shifted by k", _shifted(by_k=True), "the shift is log k"),
    ("08.1", "not clipped", _shifted(clip=False), "NaN or inf"),
    ("08.1", "shifted up", _shifted(sign=1.0), "subtract log k"),
    ("08.1", "no shift", lambda counts, k: _shifted()(counts, 1), "shift log k is missing"),
    ("00.2", "not squared", _rank_error(squared=False), "square the singular values"),
    ("00.2", "the kept part", _rank_error(kept=True), "share the approximation keeps"),
    ("00.2", "absolute", _rank_error(relative=False), "relative"),
    ("00.2", "no square root", _rank_error(root=False), "take the square root"),
    ("00.2", "off by one", _rank_error(shift=1), "off by one"),
    ("01.1", "forgot -u_o", lambda U, v, o: torch.softmax(U @ v, 0) @ U, "own term is missing"),
    ("01.1", "exp not normalised", lambda U, v, o: torch.exp(U @ v) @ U - U[o], "normalise the exponentials"),
    ("01.1", "sign flipped", lambda U, v, o: U[o] - torch.softmax(U @ v, 0) @ U, "sign is flipped"),
    ("01.2", "counted once", lambda v, u, n: torch.sigmoid(u @ v) * v, "two terms"),
    ("01.2", "label 1", lambda v, u, n: n * (torch.sigmoid(u @ v) - 1) * v, "label 0"),
    ("01b.1", "log(sigmoid + eps)", lambda x: torch.log(torch.sigmoid(x) + 1e-10), "log(sigmoid(x) + eps)"),
    ("01b.1", "log(sigmoid)", lambda x: torch.log(torch.sigmoid(x)), "-inf for very negative x"),
    ("01b.1", "-log1p(exp(-x))", lambda x: -torch.log1p(torch.exp(-x)), "-inf for very negative x"),
    ("01b.1", "x - log1p(exp(x))", lambda x: x - torch.log1p(torch.exp(x)), "NaN or inf for large positive x"),
    ("01b.1", "calls F.logsigmoid", lambda x: F.logsigmoid(x), "without F.logsigmoid"),
    ("02.1", "0-based slice", lambda c, lo, hi: np.polyfit(np.log(np.arange(lo + 1, hi + 1)), np.log(c[lo:hi]), 1)[0],
     "off by one"),
    ("02.1", "hi excluded", lambda c, lo, hi: np.polyfit(np.log(np.arange(lo, hi)), np.log(c[lo - 1:hi - 1]), 1)[0],
     "off by one"),
    ("02.1", "counts shifted by one",
     lambda c, lo, hi: np.polyfit(np.log(np.arange(lo, hi + 1)), np.log(c[lo:hi + 1]), 1)[0], "off by one"),
    ("02.1", "no logs", lambda c, lo, hi: np.polyfit(np.arange(lo, hi + 1), c[lo - 1:hi], 1)[0], "log-log"),
    ("02.1", "[slope, intercept]", lambda c, lo, hi: np.polyfit(np.log(np.arange(lo, hi + 1)), np.log(c[lo - 1:hi]), 1),
     "slope alone"),
    ("02.2", "C rule", _share(lambda f, t, c: (c * np.minimum(1, (np.sqrt(f / t) + 1) * t / f)).sum() / c.sum()),
     "C-code rule"),
    ("02.2", "mean over words", _share(lambda f, t, c: np.minimum(1, np.sqrt(t / f)).mean()),
     "weight each word by its count"),
    ("02.2", "no cap at 1", _share(lambda f, t, c: (c * np.sqrt(t / f)).sum() / c.sum()), "cap the keep probability"),
    ("02.2", "discard probability", _share(lambda f, t, c: (c * np.maximum(0, 1 - np.sqrt(t / f))).sum() / c.sum()),
     "discard"),
    ("02.3", "chances added", lambda keep, e: np.minimum(1, keep * e), "do not add up"),
    ("02.3", "epochs ignored", lambda keep, e: keep, "fresh draw"),
    ("02.3", "kept every epoch", lambda keep, e: keep ** e, "kept in every epoch"),
    ("03.1", "no 3/4 power", lambda c, power=0.75: c / c.sum(), "no power applied"),
    ("03.1", "not normalised", lambda c, power=0.75: c ** power, "sum to 1"),
    ("03.1", "power argument ignored", lambda c, power=0.75: c ** 0.75 / (c ** 0.75).sum(), "`power` argument"),
    ("03.2", "astype(int)", lambda p, size: np.repeat(np.arange(len(p)), (size * p).astype(int)), "round down"),
    ("03.2", "probabilities, not ids", lambda p, size: np.repeat(p, 2), "word ids"),
    ("03b.1", "no K/S weight", lambda v, u, K: -F.logsigmoid(-(v @ u.T)).sum(1), "K/S"),
    ("03b.1", "log(sigmoid + eps)", lambda v, u, K: -K / len(u) * torch.log(torch.sigmoid(-(v @ u.T)) + 1e-10).sum(1),
     "use F.logsigmoid"),
    ("03b.1", "noise label 1", lambda v, u, K: -K / len(u) * F.logsigmoid(v @ u.T).sum(1), "label 0"),
    ("03b.1", "summed over the batch", lambda v, u, K: (-K / len(u) * F.logsigmoid(-(v @ u.T)).sum(1)).sum(),
     "one loss per pair"),
    ("04.1", "range(-w, w)", _window_pairs(lambda w: -w, lambda w: w), "off by one"),
    ("04.1", "range(-w - 1, w + 2)", _window_pairs(lambda w: -w - 1, lambda w: w + 2), "off by one"),
    ("04.1", "offset 0 kept", _window_pairs(lambda w: -w, lambda w: w + 1, zero=True), "own context"),
    ("04.1", "negative index wraps", _window_pairs(lambda w: -w, lambda w: w + 1, wrap=True), "wrap around"),
    ("04.2", "log(sigmoid + eps)",
     lambda v, up, un: (lambda p, n: -torch.log(torch.sigmoid(p) + 1e-10)
                        - torch.log(torch.sigmoid(-n) + 1e-10).sum(-1))(*_logits(v, up, un)),
     "use F.logsigmoid"),
    ("04.2", "summed over the batch",
     lambda v, up, un: (lambda p, n: (-F.logsigmoid(p) - F.logsigmoid(-n).sum(-1)).sum())(*_logits(v, up, un)),
     "one loss per pair"),
    ("04.2", "mean over the K noise words",
     lambda v, up, un: (lambda p, n: -F.logsigmoid(p) - F.logsigmoid(-n).mean(-1))(*_logits(v, up, un)),
     "don't average"),
    ("04.3", "left at zero", lambda model, gen: None, "still all zeros"),
    ("04.3", "uniform(-0.5, 0.5)", _init_big, "too large"),
    ("04.3", "copy of in_embed", _init_copy, "copy of in_embed"),
    ("04.3", "generator unused", _init_unseeded, "generator"),
    ("05.1", "dot product", lambda V, q, k: _top(V @ V[q], k, q), "dot product"),
    ("05.1", "query kept", lambda V, q, k: _top(_unit(V) @ _unit(V)[q], k, None), "query word out"),
    ("05.1", "ascending", lambda V, q, k: _top(_unit(V) @ _unit(V)[q], k, q)[::-1], "most similar first"),
    ("05b.1", "no checkpoint written", _resume_without_checkpoint, "nothing to resume"),
    ("05b.1", "resume=True forgotten", _forgot_resume, "resume=True"),
    ("05.2", "filtered after the top k", lambda V, q, k, r: [i for i in _top(_unit(V) @ _unit(V)[q], k, q) if i < r],
     "fewer than k"),
    ("05.2", "restrict + 1 rows", lambda V, q, k, r: _top(_unit(V)[:r + 1] @ _unit(V)[q], k, q if q <= r else None),
     "ids 0 to 99"),
    ("05.2", "dot product", lambda V, q, k, r: _top(V[:r] @ V[q], k, q if q < r else None), "dot product"),
    ("06.1", "rows not centred", _pca_not_centred, "centre the rows"),
    ("06.1", "singular values, not squared", _pca_singular_values, "square"),
    ("06.2", "true pairs returned", lambda pairs: list(pairs), "still true pairs"),
    ("06.2", "no wrap-around", lambda pairs: [(a, b) for (a, _), (_, b) in zip(pairs, pairs[1:], strict=False)],
     "wrap around"),
    ("06.3", "diagonal included", lambda a, b: (_offsets(a, b) @ _offsets(a, b).T).mean(), "with itself"),
    ("06.3", "dot products",
     lambda a, b: (lambda m: (m.sum() - np.trace(m)) / (len(m) ** 2 - len(m)))((b - a) @ (b - a).T), "lengths"),
    ("06.3", "words normalised first", lambda a, b: (lambda o: ((o @ o.T).sum() - len(o)) / (len(o) ** 2 - len(o)))(
        _offsets(_unit(a), _unit(b))), "as they are given"),
    ("07.1", "cosines not shifted", _cos_mul(shift=False), "(cos + 1) / 2"),
    ("07.1", "3CosAdd", _cos_mul(add=True), "that is 3CosAdd"),
    ("07.1", "dot products", _cos_mul(dot=True), "not dot products"),
    ("07.1", "question words kept", _cos_mul(mask=False), "must score -inf"),
    ("07.2", "answer not checked", lambda qs, words, r: np.mean([all(w in set(words[:r]) for w in q[:3]) for q in qs]),
     "the answer d"),
    ("07.2", "any word", lambda qs, words, r: np.mean([any(w in set(words[:r]) for w in q) for q in qs]), "all four"),
    ("07.2", "a count", lambda qs, words, r: sum(all(w in set(words[:r]) for w in q) for q in qs), "not a count"),
    ("07.2", "restrict ignored", lambda qs, words, r: np.mean([all(w in set(words) for w in q) for q in qs]),
     "only the first `restrict`"),
    ("07.2", "restrict + 1 words", lambda qs, words, r: np.mean([all(w in set(words[:r + 1]) for w in q) for q in qs]),
     "off by one"),
    ("05c.1", "seconds only", lambda sec, pairs: sec[0] / np.asarray(sec), "different numbers of pairs"),
    ("05c.1", "upside down", lambda sec, pairs: _rates(sec, pairs)[0] / _rates(sec, pairs), "upside down"),
    ("05c.1", "step before", lambda sec, pairs: np.r_[1.0, _rates(sec, pairs)[1:] / _rates(sec, pairs)[:-1]],
     "not with the step before"),
    ("05c.2", "no K/S weight", _one_pair_step(weight=lambda K, S: 1.0), "by K/S"),
    ("05c.2", "S/K weight", _one_pair_step(weight=lambda K, S: S / K), "upside down"),
    ("05c.2", "noise label 1", _one_pair_step(label_one=True), "label 0"),
    ("05c.2", "new v used", _one_pair_step(sequential=True), "from the old vectors"),
    ("05c.2", "gradient ascent", _one_pair_step(sign=-1.0), "step against the gradient"),
    ("05c.2", "v only", lambda v, u, n, K, lr: v, "three updated tensors"),
    ("09.1", "sum, not mean", _window_mean(mean=False), "that is the sum"),
    ("09.1", "padding counted", _window_mean(divide_by_slots=True), "padding slots were counted"),
    ("09.1", "table[-1] summed, divided by n", lambda t, c: t[c].sum(1) / (c >= 0).sum(1, keepdim=True),
     "table[-1] is the last word's vector"),
    ("09.1", "table[-1] summed, divided by C", _window_mean(pad_kept=True), "table[-1] is the last word's vector"),
    ("09.2", "whole dL/dh to every word", _cbow_one_step(divide=False), "word2vec's C code"),
    ("09.2", "h is the sum", _cbow_one_step(h_sum=True), "not their sum"),
    ("09.2", "noise label 1", _cbow_one_step(label_one=True), "label 0"),
    ("09.2", "new vectors used", _cbow_one_step(sequential=True), "from the old vectors"),
    ("09.2", "gradient ascent", _cbow_one_step(sign=-1.0), "step against the gradient"),
    ("09.2", "v_ctx only", lambda v, u, n, lr: v, "three updated tensors"),
    ("10.1", "balanced tree", lambda c: np.full(len(c), math.ceil(math.log2(len(c)))), "balanced tree"),
    ("10.1", "Shannon lengths", lambda c: np.ceil(-np.log2(c / c.sum())).astype(int), "Shannon's lengths"),
    ("10.1", "two most frequent merged", _code_lengths(pick_largest=True), "two most frequent"),
    ("10.1", "leaf counted", lambda c: _code_lengths()(c) + 1, "off by one"),
    ("10.1", "frequent words long", _long_codes_to_frequent_words, "frequent words got the long codes"),
    ("10.1", "sorted lengths", lambda c: np.sort(_code_lengths()(c)), "follow the order of `counts`"),
    ("10.1", "one length too few", lambda c: _code_lengths()(c)[:-1], "one length per word"),
    ("10.1", "fractional lengths", lambda c: -np.log2(c / c.sum()), "whole number of bits"),
    ("10.2", "log of the product", _path_log_p(log_of_product=True), "underflows"),
    ("10.2", "log(sigmoid + eps)", _path_log_p(eps=1e-10), "caps each term"),
    ("10.2", "left and right swapped", _path_log_p(signs="swapped"), "swapped"),
    ("10.2", "probability, not its log", _path_log_p(as_probability=True), "return its logarithm"),
    ("10.2", "bits compared with 0", _path_log_p(signs="int compare"), "compare each bit with '0'"),
    ("10.2", "no sign", _path_log_p(signs="none"), "scored as a left turn"),
    ("10.2", "path reversed", _path_log_p(reverse=True), "start at the root"),
    ("10.3", "swapped", _length_entropy(swap=True), "the order is"),
    ("10.3", "nats", _length_entropy(base=math.e), "nats"),
    ("10.3", "plain mean", _length_entropy(plain_mean=True), "plain mean over words"),
    ("10.3", "total, not mean", _length_entropy(total=True), "as a total"),
    ("10.3", "negative entropy", _length_entropy(sign=-1.0), "never negative"),
    ("10.3", "one number", lambda c, n: float((c / c.sum() * n).sum()), "two numbers"),
]


@pytest.mark.parametrize("ex_id, mistake, wrong, hint", WRONG, ids=[f"{w[0]}-{w[1]}" for w in WRONG])
def test_plausible_wrong_answer_fails_with_its_hint(ex_id, mistake, wrong, hint):
    line = result(ex_id, wrong)
    assert line.startswith(f"exercise {ex_id}: FAIL - ") and hint in line, line


def test_every_exercise_has_wrong_answers_tested():
    """Here, or in the test file of a later chapter's exercises (tests/test_exercises_chNN.py)."""
    import importlib

    tested = {w[0] for w in WRONG}
    for path in sorted(Path(__file__).parent.glob("test_exercises_ch*.py")):
        tested |= {w[0] for w in importlib.import_module(path.stem).WRONG}
    assert tested == set(EXERCISES)


def test_a_check_prints_one_line_and_never_raises(capsys):
    namespace = run_cell(SOLUTIONS["01b.1"][2].source)
    assert exercises.check_01b_1(namespace["my_logsigmoid"]) is None
    assert capsys.readouterr().out == "exercise 01b.1: PASS\n"

    def crashes(x):
        raise ValueError("bad input")

    exercises.check_01b_1(crashes)
    exercises.check_01b_1(lambda x: "not a tensor")
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["exercise 01b.1: FAIL - your function raised ValueError: bad input", lines[1]] \
        and lines[1].startswith("exercise 01b.1: FAIL - could not use what your function returned")


def test_hints_never_print_the_expected_number():
    counts = checking._zipf_counts()
    want = np.polyfit(np.log(np.arange(10, 1001)), np.log(counts[9:1000]), 1)[0]
    line = result("02.1", lambda c, lo, hi: 0.0)
    assert f"{want:.2f}" not in line and f"{-want:.2f}" not in line


def test_grade_chapter_reports_missing_functions(capsys):
    namespace = run_cell(SOLUTIONS["02.1"][2].source)
    grade_chapter("02", namespace)
    assert capsys.readouterr().out.splitlines() == [
        "exercise 02.1: PASS",
        "exercise 02.2: MISSING - the notebook defines no function expected_share_kept()",
        "exercise 02.3: MISSING - the notebook defines no function seen_at_least_once()",
    ]


@pytest.mark.parametrize("tie_break", [1, -1], ids=["ids-ascending", "ids-descending"])
def test_huffman_lengths_with_other_tie_breaks_pass(tie_break):
    """Equal counts can be merged in another order: any optimal full tree's lengths pass exercise 10.1."""
    assert result("10.1", _code_lengths(tie_break=tie_break)) == "exercise 10.1: PASS"
