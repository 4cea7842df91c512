"""One hop from code to chapter: every public name of the package says which chapter builds or uses it,
and that chapter really mentions it. Course tooling (course/, bench/) and the command line are exempt."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "w2v_helpers"
EXEMPT = {"course", "bench", "cli", "__main__.py", "__init__.py"}
CHAPTER_REF = re.compile(r"\bChapters? (\d+(?:(?:,\s*|,?\s+and\s+)\d+)*)")
BONUS_REF = re.compile(r"\bbonus notebooks? (\d\d[a-z](?:(?:,\s*|,?\s+and\s+)\d\d[a-z])*)")
CLI_ONLY = "Used by the command line"  # for a name that no chapter calls


def chapter_source(number: int) -> str | None:
    found = sorted((ROOT / "notebooks").glob(f"{number:02d}_*.py"))
    return found[0].read_text(encoding="utf-8") if found else None


def bonus_source(nid: str) -> str | None:
    found = sorted((ROOT / "notebooks" / "bonus").glob(f"{nid}_*.py"))
    return found[0].read_text(encoding="utf-8") if found else None


def cited_bonus(doc: str) -> list[str]:
    return [n for m in BONUS_REF.finditer(doc) for n in re.findall(r"\d\d[a-z]", m.group(1))]


def public_names():
    for path in sorted(PACKAGE.rglob("*.py")):
        if EXEMPT & set(path.relative_to(PACKAGE).parts):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
                yield path.relative_to(ROOT).as_posix(), node.name, ast.get_docstring(node) or ""


NAMES = list(public_names())


def test_there_is_something_to_check():
    assert len(NAMES) > 40


@pytest.mark.parametrize("module, name, doc", NAMES, ids=[f"{m}:{n}" for m, n, _ in NAMES])
def test_docstring_names_a_chapter_that_mentions_it(module, name, doc):
    assert doc, f"{module}: {name} has no docstring"
    chapters = [int(n) for m in CHAPTER_REF.finditer(doc) for n in re.findall(r"\d+", m.group(1))]
    for nid in cited_bonus(doc):
        source = bonus_source(nid)
        assert source is not None, f"{module}: {name} cites bonus notebook {nid}, which does not exist"
        assert re.search(rf"\b{re.escape(name)}\b", source), \
            f"{module}: {name} cites bonus notebook {nid}, but that notebook never mentions {name}"
    if not chapters and cited_bonus(doc):
        return
    if not chapters:
        assert CLI_ONLY in doc, f"{module}: {name}'s docstring names no chapter (say 'Chapter N' or '{CLI_ONLY}')"
        return
    for number in chapters:
        source = chapter_source(number)
        assert source is not None, f"{module}: {name} cites Chapter {number}, which does not exist"
        assert re.search(rf"\b{re.escape(name)}\b", source), \
            f"{module}: {name} cites Chapter {number}, but that chapter never mentions {name}"


def test_the_reference_pattern_reads_lists():
    text = "Built in Chapter 4; used in Chapters 5 and 8, and Chapters 2, 3 and 7; bonus notebooks 05b and 05c."
    found = [int(n) for m in CHAPTER_REF.finditer(text) for n in re.findall(r"\d+", m.group(1))]
    assert found == [4, 5, 8, 2, 3, 7]
    assert cited_bonus(text) == ["05b", "05c"]
