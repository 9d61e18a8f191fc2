import os
import re
import subprocess
import sys

import pytest
import torch

from rnnlesson.checkpoints import (
    PARTIAL,
    CheckpointError,
    digest,
    load_checkpoint,
    save_checkpoint,
)
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
    # no temporary file left behind
    assert [p.name for p in path.parent.iterdir()] == ["m.pt"]


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
    with pytest.raises(
        ValueError,
        match=r"expected torch.float32 shaped \[12, 1\] for SineRNN\(hidden_size=12",
    ):
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


# ---- a digest, a checked header, the file named in every error -------------------------


def small_checkpoint(tmp_path, name="m.pt"):
    """A ~3.4 KB checkpoint: SineRNN(hidden_size=2) and three losses."""
    torch.manual_seed(1)
    model = SineRNN(hidden_size=2)
    losses = torch.tensor([1.0, 0.5, 0.25])
    return save_checkpoint(tmp_path / name, model, losses=losses), model, losses


def resave(path, **changes):
    """Rewrite the payload with ``changes``, keeping (not recomputing) its stored
    digest."""
    payload = torch.load(path, weights_only=True)
    payload.update(changes)
    torch.save(payload, path)
    return payload


@pytest.mark.parametrize("dtype", [torch.float64, torch.float16, torch.bfloat16])
def test_the_dtype_is_kept(tmp_path, dtype):
    torch.manual_seed(0)
    model = SineRNN(hidden_size=3).to(dtype)
    loaded, _ = load_checkpoint(save_checkpoint(tmp_path / "m.pt", model))
    assert all(p.dtype == dtype for p in loaded.parameters())
    assert all(
        torch.equal(a, b)
        for a, b in zip(model.state_dict().values(), loaded.state_dict().values())
    )


def test_mixed_dtypes_are_refused(tmp_path):
    model = SineRNN()
    model.linear.double()
    with pytest.raises(TypeError, match="share one float dtype"):
        save_checkpoint(tmp_path / "m.pt", model)


def test_nan_weights_are_refused_on_save_and_on_load(tmp_path):
    model = SineRNN()
    with torch.no_grad():
        model.rnn.weight_hh_l0[0, 0] = float("nan")
    with pytest.raises(ValueError, match="NaN or infinite weights in rnn.weight_hh_l0"):
        save_checkpoint(tmp_path / "m.pt", model)
    path, _, _ = small_checkpoint(tmp_path)
    payload = torch.load(path, weights_only=True)
    # a file with NaN weights and a matching digest
    payload["state_dict"]["linear.bias"][0] = float("inf")
    payload["sha256"] = digest(2, 1, "float32", payload["state_dict"], payload["extra"])
    torch.save(payload, path)
    with pytest.raises(
        CheckpointError, match=re.escape(str(path)) + ".*linear.bias hold NaN or infinite"
    ):
        load_checkpoint(path)


@pytest.mark.parametrize(
    "changes, match",
    [
        (
            {"hidden_size": 10**7},
            r"hidden_size must be an int in \[1, 4096\], got 10000000",
        ),
        ({"num_layers": 10**6}, r"num_layers must be an int in \[1, 64\], got 1000000"),
        ({"hidden_size": True}, "hidden_size must be an int"),
        ({"num_layers": "1"}, "num_layers must be an int"),
        ({"dtype": "int64"}, "dtype must be one of"),
        ({"extra": torch.zeros(3)}, "extra must map names to tensors"),
        ({"state_dict": {"w": 1.0}}, "state_dict must map names to tensors"),
        ({"sha256": "0" * 64}, "do not match the digest"),
        ({"sha256": None}, "do not match the digest"),
        ({"format": "rnnlesson-checkpoint/1"}, "older format"),
        ({"format": "rnnlesson-checkpoint/9"}, "is not 'rnnlesson-checkpoint/2'"),
        ({"format": "something else"}, "not an rnnlesson checkpoint"),
        ({"surprise": 1}, "unexpected \\['surprise'\\]"),
    ],
)
def test_a_bad_header_is_refused_before_a_model_is_built(
    tmp_path, monkeypatch, changes, match
):
    path, _, _ = small_checkpoint(tmp_path)
    resave(path, **changes)
    built = []
    monkeypatch.setattr(
        SineRNN,
        "__init__",
        lambda self, *a, **k: built.append(a) or torch.nn.Module.__init__(self),
    )
    with pytest.raises(CheckpointError, match=re.escape(str(path))) as error:
        load_checkpoint(path)
    assert re.search(match, str(error.value)), str(error.value)
    assert built == []


@pytest.mark.parametrize("key", ["hidden_size", "extra", "sha256", "state_dict", "dtype"])
def test_a_missing_key_is_named(tmp_path, key):
    path, _, _ = small_checkpoint(tmp_path)
    payload = torch.load(path, weights_only=True)
    del payload[key]
    torch.save(payload, path)
    with pytest.raises(
        CheckpointError, match=re.escape(str(path)) + f".*missing \\['{key}'\\]"
    ):
        load_checkpoint(path)


def test_changed_weights_or_extras_fail_the_digest(tmp_path):
    path, _, _ = small_checkpoint(tmp_path)
    payload = torch.load(path, weights_only=True)
    payload["state_dict"]["rnn.weight_hh_l0"][0, 0] += 46.5
    torch.save(payload, path)
    with pytest.raises(CheckpointError, match="damaged"):
        load_checkpoint(path)
    path, _, _ = small_checkpoint(tmp_path)
    payload = torch.load(path, weights_only=True)
    payload["extra"]["losses"][1] = 8e35
    torch.save(payload, path)
    with pytest.raises(CheckpointError, match="damaged"):
        load_checkpoint(path)


@pytest.mark.parametrize(
    "content",
    [b"x", b"h\x18", b"", b"PK\x03\x04" + b"\x00" * 10, b"not a checkpoint at all"],
)
def test_garbage_files_are_named(tmp_path, content):
    path = tmp_path / "garbage.pt"
    path.write_bytes(content)
    with pytest.raises(
        CheckpointError, match=re.escape(str(path)) + " is not a readable checkpoint"
    ):
        load_checkpoint(path)


def test_a_truncated_zip_header_is_named(tmp_path):
    path, _, _ = small_checkpoint(tmp_path)
    data = path.read_bytes()
    for cut in (30, 64, len(data) // 2, len(data) - 22, len(data) - 1):
        path.write_bytes(data[:cut])
        with pytest.raises(CheckpointError, match=re.escape(str(path))):
            load_checkpoint(path)


@pytest.mark.parametrize(
    "bad, error",
    [
        (None, TypeError),
        (123, TypeError),
        (b"m.pt", TypeError),
        ("", ValueError),
        (".", ValueError),
    ],
)
def test_path_arguments(tmp_path, bad, error):
    with pytest.raises(error, match="path must"):
        save_checkpoint(bad, SineRNN())
    with pytest.raises(error, match="path must"):
        load_checkpoint(bad)


def test_a_folder_is_not_a_checkpoint_path(tmp_path):
    with pytest.raises(
        ValueError,
        match=f"path must name a file, but {re.escape(str(tmp_path))} is a folder",
    ):
        save_checkpoint(tmp_path, SineRNN())


def test_a_stale_partial_file_is_recognisable_and_removed_by_the_next_save(tmp_path):
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
    )
    # what a killed save leaves
    stale = tmp_path / f".m.pt.{dead.stdout.strip()}.abc123{PARTIAL}"
    stale.write_bytes(b"half a checkpoint")
    # a save in progress in a live process
    alive = tmp_path / f".m.pt.{os.getppid()}.def456{PARTIAL}"
    alive.write_bytes(b"being written")
    # another checkpoint's
    other = tmp_path / f".other.pt.{dead.stdout.strip()}.abc123{PARTIAL}"
    other.write_bytes(b"not ours")
    save_checkpoint(tmp_path / "m.pt", SineRNN())
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["m.pt", alive.name, other.name]
    )


def test_the_partial_file_of_a_failing_save_is_named_recognisably(tmp_path, monkeypatch):
    seen = []

    def broken_save(obj, f):
        seen.extend(p.name for p in tmp_path.iterdir())
        raise OSError("disk full")

    monkeypatch.setattr(torch, "save", broken_save)
    with pytest.raises(OSError):
        save_checkpoint(tmp_path / "m.pt", SineRNN())
    assert len(seen) == 1 and re.fullmatch(
        rf"\.m\.pt\.{os.getpid()}\.\w+{re.escape(PARTIAL)}", seen[0]
    ), seen
    assert list(tmp_path.iterdir()) == []


def flip_every(tmp_path, stride):
    """Flip every ``stride``-th byte of a small checkpoint (about 3.4 KB) in turn, all 8
    bits: each load must either fail with a CheckpointError naming the file, or give back
    exactly the saved
    weights, extras and dtype. About half the bytes are zip headers and alignment padding
    that torch's reader does not read (on torch 2.13, all 3409 flips: 1628 errors, 1781
    unchanged loads). Returns (flips, errors, unchanged loads)."""
    path, model, losses = small_checkpoint(tmp_path)
    data = path.read_bytes()
    damaged = tmp_path / "damaged.pt"
    errors = same = 0
    for i in range(0, len(data), stride):
        damaged.write_bytes(data[:i] + bytes([data[i] ^ 0xFF]) + data[i + 1 :])
        try:
            loaded, extra = load_checkpoint(damaged)
        except CheckpointError as error:
            assert str(damaged) in str(error)
            errors += 1
            continue
        assert all(
            torch.equal(a, b) and a.dtype == b.dtype
            for a, b in zip(model.state_dict().values(), loaded.state_dict().values())
        ), f"byte {i}"
        assert extra.keys() == {"losses"} and torch.equal(extra["losses"], losses), (
            f"byte {i}"
        )
        same += 1
    flips = len(range(0, len(data), stride))
    assert errors + same == flips
    # every byte the reader uses is covered by the digest
    assert errors > flips / 3, (errors, same)
    print(
        f"{flips} byte flips: {errors} errors, {same} loads with unchanged weights and "
        "extras, 0 silent changes"
    )
    return flips, errors, same


def test_no_byte_flip_loads_with_changed_weights_or_extras(tmp_path):
    """Every 7th byte, a systematic sample of about 490 flips that keeps the test to a few
    seconds. Every byte of this file, and of the shipped trained_seed0.pt (4497) and
    original_seed0.pt
    (28045), was flipped once by hand: 0 silent changes."""
    flips, _, _ = flip_every(tmp_path, stride=7)
    assert flips > 400


def test_the_shipped_checkpoints_carry_a_digest_that_matches():
    from rnnlesson.pretrained import CHECKPOINTS

    files = sorted(CHECKPOINTS.glob("*.pt"))
    assert len(files) == 6
    for path in files:
        payload = torch.load(path, weights_only=True)
        assert (
            payload["format"] == "rnnlesson-checkpoint/2"
            and payload["dtype"] == "float32"
        )
        assert payload["sha256"] == digest(
            payload["hidden_size"],
            payload["num_layers"],
            payload["dtype"],
            payload["state_dict"],
            payload["extra"],
        )
        load_checkpoint(path)


@pytest.mark.parametrize("bad", [None, 123, b"x.pt", ""])
def test_regenerating_checks_the_path_before_training(bad, monkeypatch):
    from rnnlesson import pretrained

    monkeypatch.setattr(
        pretrained,
        "fit_original",
        lambda *a, **k: pytest.fail("trained before checking the path"),
    )
    monkeypatch.setattr(
        pretrained,
        "fit",
        lambda *a, **k: pytest.fail("trained before checking the folder"),
    )
    with pytest.raises((TypeError, ValueError), match="path must"):
        pretrained.regenerate_original_checkpoint(path=bad)
    if bad != "":
        with pytest.raises(TypeError, match="folder must"):
            pretrained.regenerate_trained_checkpoints(folder=bad)


KILLED_MID_SAVE = """
import os, signal, sys, torch
from rnnlesson.checkpoints import save_checkpoint
from rnnlesson.model import SineRNN

def dying_save(obj, f):
    f.write(b"half a checkpoint")
    f.flush()
    os.kill(os.getpid(), signal.SIGKILL)

torch.save = dying_save
save_checkpoint(sys.argv[1], SineRNN())
"""


def test_a_save_killed_midway_leaves_the_old_file_and_a_partial_the_next_save_removes(
    tmp_path,
):
    path = save_checkpoint(tmp_path / "m.pt", SineRNN())
    before = path.read_bytes()
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_MID_SAVE, str(path)], capture_output=True
    )
    assert killed.returncode == -9
    partials = [p.name for p in tmp_path.iterdir() if p.name != "m.pt"]
    assert (
        len(partials) == 1
        and partials[0].startswith(".m.pt.")
        and partials[0].endswith(PARTIAL)
    ), partials
    assert path.read_bytes() == before  # the target was never touched
    load_checkpoint(path)
    save_checkpoint(path, SineRNN())
    assert [p.name for p in tmp_path.iterdir()] == ["m.pt"]
