"""Every chapter on English it was not written against: the two halves of the shipped corpus, run apart.

nbval already runs every chapter on the shipped English corpus and compares the stored outputs. Here
each chapter runs again, from start to end with every assert holding, on Jane Austen's novels alone
(684,026 words, 6,428 kept at min_count 5) and on the Wikipedia lead extracts alone (776,453 words,
11,843 kept): two kinds of English with different vocabularies and statistics, so an assertion tuned to
the whole corpus fails here. Outputs are not compared.
"""

import lzma
from pathlib import Path

import pytest

from w2v_helpers.corpus import ENGLISH_PATH
from w2v_helpers.course.run_course import find_chapters, run_chapter

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = find_chapters(ROOT / "notebooks")
TIMEOUT = 1200  # seconds per chapter
AUSTEN_END = "national importance finis "  # the last words of Persuasion, the last novel in the file


@pytest.fixture(scope="module")
def halves(tmp_path_factory) -> dict[str, Path]:
    with lzma.open(ENGLISH_PATH, "rt", encoding="utf-8") as f:
        text = f.read()
    cut = text.index(AUSTEN_END) + len(AUSTEN_END)
    folder = tmp_path_factory.mktemp("english-halves")
    paths = {"austen": folder / "austen.txt", "wikipedia": folder / "wikipedia.txt"}
    paths["austen"].write_text(text[:cut], encoding="utf-8")
    paths["wikipedia"].write_text(text[cut:], encoding="utf-8")
    return paths


def test_the_halves_are_the_two_sources(halves):
    austen = halves["austen"].read_text(encoding="utf-8").split()
    wikipedia = halves["wikipedia"].read_text(encoding="utf-8").split()
    assert (len(austen), len(wikipedia)) == (684_026, 776_453)
    assert austen[:4] == ["sense", "and", "sensibilityby", "jane"] and wikipedia[:2] == ["th", "century"]


@pytest.mark.slow
@pytest.mark.parametrize("half", ["austen", "wikipedia"])
@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_runs_on_other_english(notebook, half, halves):
    run, _ = run_chapter(notebook, str(halves[half]), timeout=TIMEOUT)
    print(f"{notebook.stem} on the {half} half: {run.seconds:.0f} s, peak {run.peak_mb or 0:.0f} MB")
    if not run.passed:
        pytest.fail(f"{notebook.name} failed on the {half} half of the English corpus: {run.error}", pytrace=False)
