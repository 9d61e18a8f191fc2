import pytest
import torch

from rnnlesson.checkpoints import load_checkpoint, save_checkpoint
from rnnlesson.model import SineRNN


def test_round_trip_keeps_weights_and_extras(tmp_path):
    torch.manual_seed(0)
    model = SineRNN(hidden_size=6, num_layers=2)
    hidden = torch.randn(2, 1, 6)
    path = save_checkpoint(tmp_path / "sub" / "m.pt", model, hidden=hidden)
    loaded, extra = load_checkpoint(path)
    assert (loaded.hidden_size, loaded.num_layers) == (6, 2)
    for (k, a), (_, b) in zip(model.state_dict().items(), loaded.state_dict().items()):
        assert torch.equal(a, b), k
    assert torch.equal(extra["hidden"], hidden)
    assert not loaded.training
    assert [p.name for p in path.parent.iterdir()] == ["m.pt"]  # no temporary file left behind


def test_save_replaces_atomically(tmp_path, monkeypatch):
    path = tmp_path / "m.pt"
    save_checkpoint(path, SineRNN())
    before = path.read_bytes()

    def broken_save(obj, f):
        f.write(b"half a checkpoint")
        raise OSError("disk full")

    monkeypatch.setattr(torch, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        save_checkpoint(path, SineRNN(hidden_size=3))
    assert path.read_bytes() == before  # the old file is intact
    assert [p.name for p in tmp_path.iterdir()] == ["m.pt"]


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="checkpoint not found"):
        load_checkpoint(tmp_path / "nope.pt")


def test_truncated_file(tmp_path):
    path = save_checkpoint(tmp_path / "m.pt", SineRNN())
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(ValueError, match="not a readable checkpoint"):
        load_checkpoint(path)


def test_foreign_file(tmp_path):
    path = tmp_path / "other.pt"
    torch.save({"weights": torch.zeros(3)}, path)
    with pytest.raises(ValueError, match="not an rnnlesson checkpoint"):
        load_checkpoint(path)


def test_mismatched_weights(tmp_path):
    path = save_checkpoint(tmp_path / "m.pt", SineRNN())
    payload = torch.load(path, weights_only=True)
    payload["hidden_size"] = 12
    torch.save(payload, path)
    with pytest.raises(ValueError, match=r"does not match SineRNN\(hidden_size=12"):
        load_checkpoint(path)


def test_bad_save_arguments(tmp_path):
    with pytest.raises(TypeError, match="model must be a rnnlesson.model.SineRNN"):
        save_checkpoint(tmp_path / "m.pt", torch.nn.Linear(1, 1))
    with pytest.raises(TypeError, match="extra value 'losses' must be a torch.Tensor"):
        save_checkpoint(tmp_path / "m.pt", SineRNN(), losses=[1.0])


def test_bad_device_is_named(tmp_path):
    path = save_checkpoint(tmp_path / "m.pt", SineRNN())
    with pytest.raises(ValueError, match="device must be"):
        load_checkpoint(path, device="banana")
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="torch.cuda.is_available"):
            load_checkpoint(path, device="cuda")


def test_load_leaves_the_global_random_numbers_alone(tmp_path):
    path = save_checkpoint(tmp_path / "m.pt", SineRNN())
    torch.manual_seed(3)
    expected = torch.rand(4)
    torch.manual_seed(3)
    load_checkpoint(path)
    assert torch.equal(torch.rand(4), expected)
