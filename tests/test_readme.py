"""The README's chapter table is true: its files exist, and what it says a chapter writes, the chapter defines."""

import re
from pathlib import Path

from w2v_helpers.course import layout

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def chapter_rows():
    section = README.split("## Chapters", 1)[1].split("\n## ", 1)[0]
    for line in section.splitlines():
        m = re.match(r"\| \[\d\d [^]]+\]\((notebooks/[^)]+\.ipynb)\) \|(.*)", line)
        if m:
            cells = [c.strip() for c in m.group(2).rstrip().removesuffix("|").split("|")]
            yield m.group(1), cells


def test_every_chapter_has_a_row():
    chapters = [p.relative_to(ROOT).as_posix() for p in layout.chapters(ROOT / "notebooks")]
    assert [nb for nb, _ in chapter_rows()] == chapters


def test_every_bonus_notebook_is_in_the_row_of_its_chapter():
    listed = {}
    for notebook, cells in chapter_rows():
        for path in re.findall(r"\]\((notebooks/bonus/[^)]+\.ipynb)\)", cells[-1]):
            listed[path] = layout.notebook_id(notebook.split("/")[-1])
    bonus = {p.relative_to(ROOT).as_posix(): layout.notebook_id(p)[:2] for p in layout.bonus(ROOT / "notebooks")}
    assert listed == bonus


def test_named_files_exist_and_written_names_are_defined_in_the_chapter():
    for notebook, (_teaches, writes, keeps, tests, *_) in chapter_rows():
        source = (ROOT / notebook).with_suffix(".py").read_text(encoding="utf-8")
        for name in re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)`", writes):
            assert re.search(rf"^(def|class) {name}\b", source, re.M), f"{notebook} does not define {name}"
        for path in re.findall(r"`(tests/[\w/]+\.py)`", tests):
            assert (ROOT / path).is_file(), path
        for module in re.findall(r"`(\w+(?:/|\.py))", keeps):
            assert list((ROOT / "w2v_helpers").rglob(module.rstrip("/"))), module
        for dotted in re.findall(r"`(\w+)\.(?!py`)(\w+)", keeps):
            module, name = dotted
            path = ROOT / "w2v_helpers" / f"{module}.py"
            if path.exists():
                assert re.search(rf"^(def|class) {name}\b", path.read_text(encoding="utf-8"), re.M), dotted


def test_the_package_table_names_every_module():
    section = README.split("## The package", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`(\w+\.py|\w+/)`", section))
    for path in (ROOT / "w2v_helpers").iterdir():
        if path.name.startswith("_") or path.name == "__pycache__":
            continue
        label = path.name + "/" if path.is_dir() else path.name
        assert label in named, f"README's package table does not mention {label}"
