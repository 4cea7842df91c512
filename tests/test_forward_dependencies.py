"""The main track reads front to back: no main chapter uses a package name that a later chapter builds.

For every name a main chapter imports from the package, the chapter that builds it is read from the
name's docstring (the backlinks that tests/test_backlinks.py keeps true): the chapter or bonus notebook
after "Built in" / "Written in" / "Taught in" / "Defined in" when the docstring says so, else the first
one it cites. A name built later in the main order, or built in a bonus notebook, is a forward dependency:
a learner would meet it before its idea. Names every chapter uses as plumbing (loading the corpus, the
data folder, the figure helpers) say "Used by every chapter" and are exempt.
"""

import ast
import re
from pathlib import Path

import pytest

from w2v_helpers.course import layout

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "w2v_helpers"
EXEMPT_MODULES = ("w2v_helpers.course", "w2v_helpers.bench", "w2v_helpers.cli")
PLUMBING = "Used by every chapter"
REF = re.compile(r"\b(?:Chapters? (\d+)|bonus notebooks? (\d\d[a-z]))")
BUILT = re.compile(r"\b(?:[Bb]uilt|[Ww]ritten|[Tt]aught|[Dd]efined) in (?:Chapter (\d+)|bonus notebook (\d\d[a-z]))")
CHAPTERS = layout.chapters(ROOT / "notebooks")
ORDER = {layout.notebook_id(p): i for i, p in enumerate(CHAPTERS)}


def docstrings() -> dict[tuple[str, str], str]:
    """(module, name) -> docstring of every top-level function and class of the package."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                found[module, node.name] = ast.get_docstring(node) or ""
    return found


DOCS = docstrings()


def builder(doc: str) -> str | None:
    """The id of the notebook that builds a name ("05", "05c"), or None for plumbing."""
    if PLUMBING in doc:
        return None
    m = BUILT.search(doc) or REF.search(doc)
    if m is None:
        return None
    return f"{int(m[1]):02d}" if m[1] else m[2]


def package_imports(path: Path) -> list[tuple[str, str]]:
    """(module, name) for every `from w2v_helpers... import name` in a chapter's .py."""
    tree = ast.parse(path.with_suffix(".py").read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("w2v_helpers") \
                and not node.module.startswith(EXEMPT_MODULES):
            found += [(node.module, alias.name) for alias in node.names]
    return found


def test_the_builder_is_read_from_the_docstring():
    assert builder("Huffman codes (Chapter 10). Built in Chapter 3; used in Chapter 5.") == "03"
    assert builder("The fast step (bonus notebook 05c); Chapter 9 reads it.") == "05c"
    assert builder("Load the corpus. Used by every chapter (Chapter 2 explains it).") is None


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_a_main_chapter_uses_nothing_built_later(chapter):
    here = layout.notebook_id(chapter)
    late = []
    for module, name in package_imports(chapter):
        doc = DOCS.get((module, name))
        if doc is None:  # re-exported by a package: the definition in one of its modules
            doc = next((d for (m, n), d in DOCS.items() if n == name and m.startswith(module + ".")), None)
        if doc is None:  # a constant: no docstring to read
            continue
        built = builder(doc)
        if built is None or built == here:
            continue
        if built not in ORDER:
            late.append(f"{name} ({module}) is built in bonus notebook {built}")
        elif ORDER[built] > ORDER[here]:
            late.append(f"{name} ({module}) is built in Chapter {int(built)}")
    assert not late, f"{chapter.stem} uses names from later in the course: " + "; ".join(late)
