"""How cost grows: sizes parsed, corpora repeated to the token, the log-log fit, a small real run."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from w2v_helpers.bench.scaling import fit_loglog, parse_sizes, run_scaling, write_repeated
from w2v_helpers.cli import main
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


def test_sigterm_during_a_scaling_run_stops_the_child_and_leaves_no_scratch_files(tmp_path, small_text):
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "w2v_helpers", "benchmark", "--corpus", str(small_text), "--sizes", "2M,3M",
           "--skip-gensim", "--workers", "1", "--dim", "8", "--out-dir", str(out)]
    proc = subprocess.Popen(cmd, cwd=Path(__file__).resolve().parent.parent, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline, children = time.monotonic() + 120, []
        while time.monotonic() < deadline and proc.poll() is None and not children:
            children = psutil.Process(proc.pid).children()       # the training child has started
            time.sleep(0.1)
        assert children, f"no training child started: {proc.communicate()[1][-300:]}"
        assert list(out.glob("corpus-*.txt"))                   # the scratch corpus is there
        proc.send_signal(signal.SIGTERM)                         # the parent alone, as `kill PID` does
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    assert proc.returncode == 128 + signal.SIGTERM and "Traceback" not in err, err
    assert not any(c.is_running() and c.status() != psutil.STATUS_ZOMBIE for c in children)
    assert sorted(p.name for p in out.iterdir()) == []             # no .part, no repeated corpus


@pytest.mark.parametrize("flags, fragment", [
    (["--sizes", "1M", "--arch", "cbow"], "--sizes runs one epoch of skip-gram with negative sampling at each size, "
                                          "so --arch would be ignored; drop it, or run without --sizes"),
    (["--sizes", "1M", "--hs", "--epochs", "3"], "so --hs and --epochs would be ignored; drop them"),
    (["--modes", "--hs"], "--modes runs all four modes, so --hs would be ignored"),
    (["--modes", "--arch", "sg"], "--modes runs all four modes, so --arch would be ignored"),
    (["--modes", "--sizes", "1M"], "--modes and --sizes are two different benchmarks"),
])
def test_benchmark_flags_that_a_mode_would_ignore_are_refused(capsys, tmp_path, small_text, flags, fragment):
    code = main(["benchmark", "--corpus", str(small_text), "--out-dir", str(tmp_path / "out"), *flags])
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and lines[0].startswith("error: ") and fragment in lines[0], err
    assert not (tmp_path / "out").exists()
