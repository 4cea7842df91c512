"""The synthetic Zipf corpus and the ours-vs-gensim benchmark (child processes, table files)."""

import json
import re
import subprocess
import sys
from collections import Counter

import numpy as np
import pytest

from w2v_helpers.bench.report import COLUMNS, format_speed_table
from w2v_helpers.cli import main
from w2v_helpers.corpus import iter_token_blocks
from w2v_helpers.errors import W2VError
from w2v_helpers.synthetic import rank_word, write_zipf_corpus
from w2v_helpers.toy_corpus import make_toy_corpus

ROW_KEYS = {key for key, _, _ in COLUMNS} | {"seconds", "tokens", "vocab"}


# ----- synthetic corpus -------------------------------------------------------------------------
def test_rank_words_are_distinct_lowercase():
    words = [rank_word(r) for r in range(30_000)]
    assert len(set(words)) == len(words)
    assert all(re.fullmatch("[a-z]+", w) for w in words)
    assert words[:3] == ["a", "b", "c"] and words[26] == "aa"


def test_zipf_corpus_counts_follow_one_over_rank(tmp_path):
    path = write_zipf_corpus(tmp_path / "z.txt", n_tokens=200_003, vocab_size=5_000, seed=0)
    tokens = [t for block in iter_token_blocks(path) for t in block]
    assert len(tokens) == 200_003  # exact, even when not a multiple of the block size
    counts = np.array(sorted(Counter(tokens).values(), reverse=True)[:200], dtype=float)
    slope = np.polyfit(np.log(np.arange(1, len(counts) + 1)), np.log(counts), 1)[0]
    assert -1.2 <= slope <= -0.8, slope
    assert len(set(tokens)) <= 5_000 and all(re.fullmatch("[a-z]+", w) for w in set(tokens))
    assert not list(tmp_path.glob("*.part"))  # written atomically: no temporary file left


def test_zipf_corpus_is_deterministic_by_seed(tmp_path):
    a = write_zipf_corpus(tmp_path / "a.txt", n_tokens=5_000, vocab_size=500, seed=1).read_bytes()
    b = write_zipf_corpus(tmp_path / "b.txt", n_tokens=5_000, vocab_size=500, seed=1).read_bytes()
    c = write_zipf_corpus(tmp_path / "c.txt", n_tokens=5_000, vocab_size=500, seed=2).read_bytes()
    assert a == b and a != c


def test_zipf_corpus_rejects_bad_sizes(tmp_path):
    with pytest.raises(W2VError):
        write_zipf_corpus(tmp_path / "z.txt", n_tokens=0)


def test_make_zipf_corpus_command(tmp_path, capsys):
    assert main(["make-zipf-corpus", str(tmp_path / "z.txt"), "--tokens", "1000", "--vocab", "50"]) == 0
    assert sum(len(b) for b in iter_token_blocks(tmp_path / "z.txt")) == 1000
    assert "1,000 tokens" in capsys.readouterr().out


# ----- benchmark --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def toy_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("corpus") / "toy.txt"
    path.write_text(make_toy_corpus(seed=0, n_tokens=60_000).text())
    return path


def run_benchmark_cli(capsys, out_dir, corpus, *extra) -> dict:
    argv = ["benchmark", "--corpus", str(corpus), "--epochs", "1", "--dim", "10", "--out-dir", str(out_dir)]
    assert main(argv + list(extra)) == 0
    assert "words/s" in capsys.readouterr().out
    for name in ("benchmark.json", "benchmark.md", "benchmark.png"):
        assert (out_dir / name).stat().st_size > 0
    return json.loads((out_dir / "benchmark.json").read_text())


def check_row(row: dict) -> None:
    assert ROW_KEYS <= set(row)
    for key in ("words_per_sec", "peak_rss_mb", "seconds", "tokens", "vocab"):
        assert row[key] > 0, key
    assert row["words_per_sec"] == pytest.approx(row["tokens"] / row["seconds"])  # 1 epoch
    assert 0 <= row["analogy"] <= 1  # the toy corpus plants king/queen-style questions


def test_benchmark_ours_only(tmp_path, capsys, toy_file):
    report = run_benchmark_cli(capsys, tmp_path, toy_file, "--skip-gensim")
    assert [r["trainer"] for r in report["rows"]] == ["ours"]
    check_row(report["rows"][0])
    assert report["rows"][0]["ratio"] is None
    assert report["settings"]["dim"] == 10 and report["settings"]["epochs"] == 1
    assert "| ours |" in (tmp_path / "benchmark.md").read_text()


def test_benchmark_against_gensim(tmp_path, capsys, toy_file):
    pytest.importorskip("gensim")
    report = run_benchmark_cli(capsys, tmp_path, toy_file)
    ours, gensim = report["rows"]
    assert (ours["trainer"], gensim["trainer"]) == ("ours", "gensim")
    for row in (ours, gensim):
        check_row(row)
    assert ours["tokens"] == gensim["tokens"]  # same tokenizer, same min_count
    assert ours["ratio"] == pytest.approx(ours["words_per_sec"] / gensim["words_per_sec"])
    assert gensim["ratio"] == 1.0


def test_speed_table_right_aligns_numbers():
    rows = [{"trainer": "ours", "words_per_sec": 123456.7, "ratio": None, "peak_rss_mb": 321.0, "analogy": 0.5,
             "ws353": 0.61, "simlex": None},
            {"trainer": "gensim", "words_per_sec": 99999.0, "ratio": 1.0, "peak_rss_mb": 1234.0, "analogy": 0.25,
             "ws353": 0.6, "simlex": 0.2}]
    assert format_speed_table(rows).splitlines() == [
        "trainer  words/s  ratio  peak RSS MB  analogy  WS353  SimLex",
        "-------  -------  -----  -----------  -------  -----  ------",
        "ours     123,457    n/a          321    50.0%  0.610     n/a",
        "gensim    99,999   1.00        1,234    25.0%  0.600   0.200",
    ]


def test_benchmark_missing_corpus_is_one_line_error(tmp_path, capsys):
    code = main(["benchmark", "--corpus", str(tmp_path / "nope.txt"), "--out-dir", str(tmp_path)])
    assert code == 2 and "does not exist" in capsys.readouterr().err


def test_gensim_missing_is_reported_not_fatal(tmp_path, monkeypatch):
    from w2v_helpers.bench import speed
    from w2v_helpers.evaluation import datasets
    from w2v_helpers.vectors import WordVectors

    def fake_child(trainer, corpus, out, epochs, workers, dim):
        WordVectors(["king", "queen"], [[1.0, 0.0], [0.5, 0.5]]).save(out)
        return {"trainer": trainer, "seconds": 1.0, "tokens": 10, "vocab": 2, "words_per_sec": 10.0,
                "peak_rss_mb": 1.0}

    monkeypatch.setattr(datasets, "find_gensim", lambda: None)
    monkeypatch.setattr(speed, "run_child", fake_child)
    corpus = tmp_path / "c.txt"
    corpus.write_text("king queen")
    report = speed.run_benchmark(corpus, tmp_path / "out", say=lambda msg: None)
    assert [r["trainer"] for r in report["rows"]] == ["ours"]
    assert any("gensim not installed" in note for note in report["notes"])
    assert "gensim not installed" in (tmp_path / "out" / "benchmark.md").read_text()


def test_gensim_child_says_gensim_not_installed(tmp_path, monkeypatch):
    from w2v_helpers.bench.speed import train_gensim

    monkeypatch.setitem(sys.modules, "gensim", None)  # makes `import gensim...` raise ImportError
    monkeypatch.setitem(sys.modules, "gensim.models", None)
    with pytest.raises(W2VError, match="gensim not installed"):
        train_gensim(tmp_path / "c.txt", tmp_path / "v.vec", 1, 1, 10)


def test_package_never_imports_gensim_at_module_level():
    code = "import sys, w2v_helpers.bench.speed, w2v_helpers.synthetic; print('gensim' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
