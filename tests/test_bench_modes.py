"""word2vec's four modes (sg/cbow x negative sampling/hierarchical softmax), ours and gensim."""

import json

import pytest

from w2v_helpers.bench.modes import MODES, format_modes, mode_name
from w2v_helpers.cli import main
from w2v_helpers.toy_corpus import make_toy_corpus


@pytest.fixture(scope="module")
def toy_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("corpus") / "toy.txt"
    path.write_text(make_toy_corpus(seed=0, n_tokens=60_000).text())
    return path


def test_all_four_modes_train_and_are_scored(tmp_path, capsys, toy_file):
    gensim = pytest.importorskip("gensim")
    assert gensim
    argv = ["benchmark", "--modes", "--corpus", str(toy_file), "--epochs", "2", "--dim", "20", "--out-dir",
            str(tmp_path)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    for arch, hs in MODES:
        assert mode_name(arch, hs) in out
    report = json.loads((tmp_path / "modes.json").read_text())
    rows = report["rows"]
    assert [(r["mode"], r["trainer"]) for r in rows] == [(mode_name(a, h), t) for a, h in MODES
                                                         for t in ("ours", "gensim")]
    for r in rows:
        assert r["words_per_sec"] > 0 and r["seconds"] > 0
        assert 0 <= r["analogy"] <= 1
    ours = {r["mode"]: r for r in rows if r["trainer"] == "ours"}
    # the toy corpus' planted analogies are among questions-words' sections: every mode learns some
    assert all(r["analogy"] > 0 for r in ours.values()), ours
    assert (tmp_path / "modes.png").stat().st_size > 0
    assert "| CBOW + HS | ours |" in (tmp_path / "modes.md").read_text()


def test_modes_table_has_a_row_per_mode_and_trainer():
    rows = [{"mode": "skip-gram + HS", "trainer": "ours", "seconds": 12.34, "words_per_sec": 123456.0,
             "analogy": 0.5, "ws353": 0.6, "simlex": None}]
    text = format_modes({"rows": rows})
    assert "skip-gram + HS" in text and "123,456" in text and "50.0%" in text and "n/a" in text
