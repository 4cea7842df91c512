"""Every chapter on real English: each one runs from start to end on the development corpus, every assert in it
holding. The stored outputs are not compared (they were made on the toy corpus). Skipped, with the reason, where
the corpus is not next to the checkout."""

from pathlib import Path

import pytest

from w2v_helpers.course.run_course import find_chapters, run_chapter

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpora" / "dev-english.txt"
CHAPTERS = find_chapters(ROOT / "notebooks")
TIMEOUT = 1200  # seconds per chapter; the longest, 07, took about 5 minutes on 2 busy cores


@pytest.mark.slow
@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_runs_on_real_english(notebook):
    if not CORPUS.is_file():
        reason = f"real-English corpus not found at {CORPUS}; the chapters ran on the toy corpus only"
        print(reason)
        pytest.skip(reason)
    run, _ = run_chapter(notebook, str(CORPUS.resolve()), timeout=TIMEOUT)
    print(f"{notebook.stem} on {CORPUS.name}: {run.seconds:.0f} s, peak {run.peak_mb or 0:.0f} MB")
    if not run.passed:
        pytest.fail(f"{notebook.name} failed on {CORPUS.name}: {run.error}", pytrace=False)
