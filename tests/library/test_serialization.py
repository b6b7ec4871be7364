"""minigan.save / minigan.load: nested round trip, atomic writes, clear errors for other files."""

from __future__ import annotations

import errno
import math
import os
import stat
import tempfile
import zipfile

import numpy as np
import pytest

import minigan
from minigan.serialization import META_KEY, atomic_write, load, save


def nested_state():
    rng = np.random.default_rng(0)
    return {
        "generator": {"fc1.weight": rng.standard_normal((4, 3)).astype(np.float32),
                      "fc1.bias": minigan.tensor([1.0, 2.0, 3.0, 4.0])},
        "opt_g": {"optimizer": "Adam", "hyperparameters": {"lr": 2e-4, "betas": [0.5, 0.999]},
                  "state": [{"step": 7, "m": rng.standard_normal(3)}, {}]},
        "step": 100,
        "loss": float("nan"),
        "best": float("inf"),
        "done": False,
        "note": None,
        "name": "ring:8 / seed 3",
        "betas": (0.5, 0.999),
        "labels": np.arange(10, dtype=np.int64),
        "mask": np.array([True, False]),
        7: "int keys survive",
    }


def assert_same(a, b):
    if isinstance(a, minigan.Tensor):  # a saved Tensor loads as a Tensor (as torch.load gives one back)
        assert isinstance(b, minigan.Tensor) and b.requires_grad == a.requires_grad
        a, b = a.detach().numpy(), b.detach().numpy()
    if isinstance(a, np.ndarray):
        assert isinstance(b, np.ndarray) and b.dtype == a.dtype and b.shape == a.shape
        np.testing.assert_array_equal(a, b)
    elif isinstance(a, dict):
        assert isinstance(b, dict) and list(a) == list(b)
        for k in a:
            assert_same(a[k], b[k])
    elif isinstance(a, (list, tuple)):
        assert type(a) is type(b) and len(a) == len(b)
        for x, y in zip(a, b):
            assert_same(x, y)
    elif isinstance(a, float) and math.isnan(a):
        assert isinstance(b, float) and math.isnan(b)
    else:
        assert a == b and type(a) is type(b)


def test_round_trip_of_nested_state(tmp_path):
    state = nested_state()
    path = tmp_path / "ckpt.npz"
    save(state, path)
    assert_same(state, load(path))
    assert_same(state, load(str(path)))


def test_file_is_a_readable_npz_with_slash_keys(tmp_path):
    path = tmp_path / "ckpt.npz"
    save(nested_state(), path)
    with np.load(path, allow_pickle=False) as npz:
        assert "generator/fc1.weight" in npz.files and "opt_g/state/0/m" in npz.files
        assert META_KEY in npz.files


def test_no_temporary_files_left_behind(tmp_path):
    save({"a": np.ones(3)}, tmp_path / "c.npz")
    save({"a": np.zeros(3)}, tmp_path / "c.npz")  # overwrite
    assert os.listdir(tmp_path) == ["c.npz"]
    np.testing.assert_array_equal(load(tmp_path / "c.npz")["a"], np.zeros(3))


def test_interrupted_save_keeps_the_old_checkpoint(tmp_path, monkeypatch):
    path = tmp_path / "ckpt.npz"
    save({"step": 1, "w": np.ones(5)}, path)

    def broken_replace(src, dst):
        raise OSError("simulated crash during rename")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="simulated crash"):
        save({"step": 2, "w": np.zeros(5)}, path)
    monkeypatch.undo()
    old = load(path)
    assert old["step"] == 1
    np.testing.assert_array_equal(old["w"], np.ones(5))
    assert os.listdir(tmp_path) == ["ckpt.npz"]  # the temporary file was removed


def test_interrupted_while_writing_keeps_the_old_checkpoint(tmp_path, monkeypatch):
    path = tmp_path / "ckpt.npz"
    save({"step": 1}, path)

    def broken_savez(f, **arrays):
        f.write(b"PK\x03\x04 half a file")
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez", broken_savez)
    with pytest.raises(KeyboardInterrupt):
        save({"step": 2}, path)
    monkeypatch.undo()
    assert load(path)["step"] == 1


def test_missing_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.npz"):
        load(tmp_path / "nope.npz")


def test_random_bytes_are_not_a_checkpoint(tmp_path):
    path = tmp_path / "random.npz"
    path.write_bytes(np.random.default_rng(0).bytes(2000))
    with pytest.raises(ValueError, match=r"random\.npz.*not a minigan checkpoint"):
        load(path)


def test_plain_npz_and_npy_are_not_checkpoints(tmp_path):
    np.savez(tmp_path / "plain.npz", a=np.ones(3))
    with pytest.raises(ValueError, match=r"plain\.npz.*not a minigan checkpoint.*__minigan__"):
        load(tmp_path / "plain.npz")
    np.save(tmp_path / "one.npy", np.ones(3))
    with pytest.raises(ValueError, match=r"one\.npy.*not a minigan checkpoint"):
        load(tmp_path / "one.npy")


def test_truncated_checkpoint_raises_value_error(tmp_path):
    path = tmp_path / "ckpt.npz"
    save(nested_state(), path)
    data = path.read_bytes()
    for cut in (len(data) // 2, len(data) - 30, 10):
        bad = tmp_path / f"cut{cut}.npz"
        bad.write_bytes(data[:cut])
        with pytest.raises(ValueError, match=f"cut{cut}.npz"):
            load(bad)


def test_forged_marker_with_missing_array_raises_value_error(tmp_path):
    path = tmp_path / "forged.npz"
    save({"w": np.ones(3)}, path)
    with zipfile.ZipFile(path) as z:  # rewrite without the array entry
        meta = z.read(META_KEY + ".npy")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(META_KEY + ".npy", meta)
    with pytest.raises(ValueError, match="forged.npz"):
        load(path)


def test_unsupported_values_raise_type_error(tmp_path):
    with pytest.raises(TypeError, match="save: cannot store a set at 'a/b'"):
        save({"a": {"b": {1, 2}}}, tmp_path / "x.npz")
    with pytest.raises(TypeError, match="dict keys"):
        save({(1, 2): 3}, tmp_path / "x.npz")
    assert not (tmp_path / "x.npz").exists()


def test_a_whole_model_loads_only_when_trusted_and_the_refusal_names_state_dict(tmp_path):
    """A tutorial's ``save(model, path)`` pickles it, as torch.save (tests/pytorch/test_save_whole_module.py): a plain
    load
    refuses it, as PyTorch's since 2.6, and the message says what to do."""
    import pickle

    import minigan

    model = minigan.nn.Sequential(minigan.nn.Linear(2, 3))
    for obj in (model, minigan.optim.SGD(model.parameters(), lr=0.1), {"net": model}):
        save(obj, tmp_path / "m.pt")
        with pytest.raises(pickle.UnpicklingError,
                           match=r"whole (Sequential|SGD) .*weights_only=False.*state_dict\(\)"):
            load(tmp_path / "m.pt")
    save(model.state_dict(), tmp_path / "m.pt")  # what the message says works
    fresh = minigan.nn.Sequential(minigan.nn.Linear(2, 3))
    fresh.load_state_dict(minigan.load(tmp_path / "m.pt"))
    assert all((a == b).all() for a, b in zip(fresh.state_dict().values(), model.state_dict().values()))


def test_exported_from_package_when_available():
    if hasattr(minigan, "save"):
        assert minigan.save is save and minigan.load is load


# ----------------------------------------------------------------------------- atomic_write
def test_atomic_write_never_follows_a_symlink_at_a_temporary_name(tmp_path, monkeypatch):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    target = tmp_path / "metrics.json"
    for planted in ("metrics.json.tmp", ".metrics.json.tmp", "planted"):  # the old fixed names, and one
        (tmp_path / planted).symlink_to(victim)                            # the name generator will offer
    names = iter(["planted", "fresh", "fresh2"])
    monkeypatch.setattr(tempfile, "_get_candidate_names", lambda: names)
    with atomic_write(target, "w") as f:
        f.write("{}")
    assert victim.read_text() == "keep me"
    assert target.read_text() == "{}" and not target.is_symlink()


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_atomic_write_gives_the_mode_open_would_give(tmp_path, umask):
    old = os.umask(umask)
    try:
        save({"a": np.ones(2)}, tmp_path / "new.npz")
        with open(tmp_path / "plain", "w"):
            pass
    finally:
        os.umask(old)
    mode = stat.S_IMODE(os.stat(tmp_path / "new.npz").st_mode)
    assert mode == stat.S_IMODE(os.stat(tmp_path / "plain").st_mode) == 0o666 & ~umask


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_atomic_write_keeps_an_existing_files_mode(tmp_path):
    path = tmp_path / "c.npz"
    save({"a": np.ones(2)}, path)
    os.chmod(path, 0o640)
    save({"a": np.zeros(2)}, path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_save_through_a_symlink_keeps_the_link_and_replaces_its_target(tmp_path):
    (tmp_path / "runs").mkdir()
    real = tmp_path / "runs" / "real.npz"
    save({"step": 1}, real)
    link = tmp_path / "latest.npz"
    link.symlink_to(real)
    save({"step": 2}, link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert load(real)["step"] == 2 and load(link)["step"] == 2
    assert sorted(os.listdir(tmp_path)) == ["latest.npz", "runs"]  # no temporary file beside the link


def test_a_full_disk_error_names_the_file_and_keeps_the_old_one(tmp_path, monkeypatch):
    path = tmp_path / "ckpt.npz"
    save({"step": 1}, path)

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match=r"No space left on device.*ckpt\.npz") as e:
        save({"step": 2}, path)
    monkeypatch.undo()
    assert e.value.errno == errno.ENOSPC and e.value.filename == str(path)
    assert load(path)["step"] == 1 and os.listdir(tmp_path) == ["ckpt.npz"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX modes and a non-root user")
def test_an_unwritable_folder_error_names_the_file(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(PermissionError, match=r"ro/c\.npz"):
            save({"a": 1}, folder / "c.npz")
    finally:
        folder.chmod(0o700)


def test_an_unwritable_folder_error_names_the_file_simulated(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(tmp_path / f".c.npz.{os.getpid()}.x.tmp"))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(PermissionError, match=r"Permission denied: '.*/c\.npz'"):
        save({"a": 1}, tmp_path / "c.npz")
