"""How cost grows: sizes parsed, corpora repeated to the token, the log-log fit, a small real run."""

import json

import pytest

from w2v_helpers.bench.scaling import fit_loglog, parse_sizes, run_scaling, write_repeated
from w2v_helpers.errors import W2VError


def test_sizes_parse_with_suffixes_and_sort():
    assert parse_sizes("4M, 1M,500K,2000") == [2000, 500_000, 1_000_000, 4_000_000]
    for bad in ("1M", "x,2M", "10,1M", "1M,99G"):
        with pytest.raises(W2VError):
            parse_sizes(bad)


def test_a_corpus_is_repeated_to_exactly_the_size(tmp_path):
    src = tmp_path / "s.txt"
    src.write_text("one two three\nfour five")
    assert write_repeated(src, 12, tmp_path / "r.txt") == 12
    words = (tmp_path / "r.txt").read_text().split()
    assert words == ("one two three four five".split() * 3)[:12]
    (tmp_path / "empty.txt").write_text("  \n")
    with pytest.raises(W2VError, match="no words"):
        write_repeated(tmp_path / "empty.txt", 5, tmp_path / "e.txt")


def test_the_fit_recovers_a_known_exponent_and_memory_slope():
    rows = [{"size": n, "seconds": 3e-6 * n ** 1.0, "peak_rss_mb": 200 + 4 * n / 2**20} for n in (1e6, 4e6, 16e6)]
    fit = fit_loglog(rows)
    assert fit["time_exponent"] == pytest.approx(1.0) and fit["memory_bytes_per_token"] == pytest.approx(4.0)


def test_a_small_scaling_run_writes_its_report(tmp_path, small_text):
    report = run_scaling(small_text, [1_000, 4_000], tmp_path, workers=1, dim=8, skip_gensim=True, say=lambda m: None)
    assert [r["size"] for r in report["rows"]] == [1_000, 4_000]
    assert all(r["tokens"] > 0 and r["peak_rss_mb"] > 0 for r in report["rows"])
    saved = json.loads((tmp_path / "scaling.json").read_text())
    assert saved["fits"]["ours"]["time_exponent"] == pytest.approx(report["fits"]["ours"]["time_exponent"])
    assert not list(tmp_path.glob("corpus-*.txt"))  # the repeated corpora are removed after use
