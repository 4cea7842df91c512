"""The ours-vs-gensim speed benchmark (child processes, table files)."""

import json
import subprocess
import sys

import pytest

from w2v_helpers.bench.report import COLUMNS, format_speed_table
from w2v_helpers.cli import main
from w2v_helpers.errors import W2VError
from w2v_helpers.toy_corpus import make_toy_corpus

ROW_KEYS = {key for key, _, _ in COLUMNS} | {"seconds", "tokens", "vocab"}


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

    def fake_child(trainer, corpus, out, epochs, workers, dim, **options):
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
    code = "import sys, w2v_helpers.bench.speed, w2v_helpers.zipf_corpus; print('gensim' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
