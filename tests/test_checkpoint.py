"""Checkpoints: never run code from a file, refuse anything that is not one of ours, one run per folder."""

import pickle

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from w2v_helpers.checkpoint import checkpoint_path, load_checkpoint, locked_checkpoint_dir, save_checkpoint
from w2v_helpers.errors import W2VError


def good_state(vocab=7, dim=3):
    return {"model": {"in_embed.weight": torch.zeros(vocab, dim), "out_embed.weight": torch.ones(vocab, dim)},
            "config": {"dim": dim, "method": "fast"}, "vocab_size": vocab, "n_tokens": 100,
            "epoch": 1, "chunk": 0, "chunk_losses": [4.1, 3.2]}


def test_a_saved_checkpoint_loads_back(tmp_path):
    save_checkpoint(tmp_path, good_state())
    state = load_checkpoint(tmp_path)
    assert state["epoch"] == 1 and torch.equal(state["model"]["out_embed.weight"], torch.ones(7, 3))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["checkpoint.pt"]


class RunsCode:
    def __reduce__(self):
        return (exec, ("open(__import__('os').environ['W2V_MARKER'], 'w').write('ran')",))


def test_a_checkpoint_holding_code_is_refused_without_running_it(tmp_path, monkeypatch):
    marker = tmp_path / "marker"
    monkeypatch.setenv("W2V_MARKER", str(marker))
    with open(checkpoint_path(tmp_path), "wb") as f:
        pickle.dump({"model": RunsCode()}, f)
    with pytest.raises(W2VError, match="not a checkpoint of this trainer .*could run code"):
        load_checkpoint(tmp_path)
    assert not marker.exists()
    torch.save({"epoch": RunsCode()}, checkpoint_path(tmp_path))  # the same inside torch's zip format
    with pytest.raises(W2VError, match="not a checkpoint of this trainer"):
        load_checkpoint(tmp_path)
    assert not marker.exists()


@pytest.mark.parametrize("state, problem", [
    (torch.zeros(3), "holds a Tensor"),
    ({"model": {}}, "missing"),
    ({**good_state(), "epoch": -1}, "counters"),
    ({**good_state(), "model": {"in_embed.weight": torch.zeros(7, 3)}}, "two embedding tables"),
    ({**good_state(), "vocab_size": 8}, "shape"),
    ({**good_state(), "chunk_losses": ["x"]}, "loss history"),
    ({**good_state(), "config": "dim=3"}, "settings"),
])
def test_objects_that_are_not_our_checkpoints_are_refused(tmp_path, state, problem):
    torch.save(state, checkpoint_path(tmp_path))
    with pytest.raises(W2VError, match=problem):
        load_checkpoint(tmp_path)


def test_a_file_named_as_the_checkpoint_folder_is_refused(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(W2VError, match="is a file"):
        load_checkpoint(tmp_path / "f")
    with pytest.raises(W2VError, match="is a file"), locked_checkpoint_dir(tmp_path / "f"):
        pass


def test_a_second_run_on_a_locked_folder_is_refused(tmp_path):
    with locked_checkpoint_dir(tmp_path / "ck"):
        with pytest.raises(W2VError, match="in use by another training run"), locked_checkpoint_dir(tmp_path / "ck"):
            pass
    with locked_checkpoint_dir(tmp_path / "ck"):  # released when the first run ends
        pass


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=0), junk=st.binary(max_size=64))
def test_truncated_or_damaged_checkpoints_give_w2verror_or_the_intact_state(tmp_path, cut, junk):
    save_checkpoint(tmp_path, good_state())
    data = checkpoint_path(tmp_path).read_bytes()
    cut %= len(data)
    checkpoint_path(tmp_path).write_bytes(data[:cut] + junk)
    try:
        state = load_checkpoint(tmp_path)
    except W2VError as exc:
        assert "\n" not in str(exc)
    else:  # damage past the end of what torch reads: then the state must be the saved one, intact
        assert state["chunk_losses"] == [4.1, 3.2]
        assert torch.equal(state["model"]["out_embed.weight"], torch.ones(7, 3))
