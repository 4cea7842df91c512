"""Chapter 0 writes `cooccurrence_counts`, `ppmi` and `svd_vectors`; the package's versions (which Chapter 8
uses) compute the same matrices and vectors."""

import ast
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.sparse.linalg import svds

from w2v_helpers import cooccurrence
from w2v_helpers.corpus import toy_corpus

CHAPTER = Path(__file__).resolve().parent.parent / "notebooks" / "00_why_dense_vectors.py"
NAMES = ("cooccurrence_counts", "ppmi", "svd_vectors")
WINDOW = 5


@pytest.fixture(scope="module")
def chapter():
    """The chapter's three functions, defined from its source."""
    tree = ast.parse(CHAPTER.read_text(encoding="utf-8"))
    defs = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name in NAMES]
    assert sorted(n.name for n in defs) == sorted(NAMES), "Chapter 0 should define each function once"
    namespace = {"np": np, "sp": sp, "svds": svds, "SEED": 0}
    exec(compile(ast.Module(body=defs, type_ignores=[]), str(CHAPTER), "exec"), namespace)
    return namespace


@pytest.fixture(scope="module")
def toy():
    return toy_corpus(seed=0)


@pytest.fixture(scope="module")
def counts(toy):
    return cooccurrence.cooccurrence_counts(toy.ids, len(toy.vocab), WINDOW)


def test_counts_equal_the_chapter(chapter, toy, counts):
    ours = chapter["cooccurrence_counts"](toy.ids, len(toy.vocab), WINDOW)
    assert ours.nnz == counts.nnz and abs(ours - counts).max() <= 1e-12 * ours.max()


@pytest.mark.parametrize("alpha", [1.0, 0.75])
def test_ppmi_equals_the_chapter(chapter, counts, alpha):
    mine, theirs = chapter["ppmi"](counts, alpha), cooccurrence.ppmi(counts, alpha)
    assert mine.nnz == theirs.nnz and abs(mine - theirs).max() < 1e-9


def test_svd_vectors_equal_the_chapter(chapter, counts):
    matrix = cooccurrence.ppmi(counts, 0.75)
    np.testing.assert_allclose(chapter["svd_vectors"](matrix, 20), cooccurrence.svd_vectors(matrix, 20, seed=0),
                               atol=1e-8)
