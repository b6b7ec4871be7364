"""Run folders: nothing a user had is lost or written through, and hostile files get one-line errors.

Each test names a way a run could harm what was already there: a user's own pictures, a link planted
under a result's name (pointing at another file, or dangling), ``--force`` before the new run has
anything to put in place of the old, a FIFO under the lock's name; and the data a run is handed: an
IDX header with more dimensions than an array can have, a data folder with no images, a bytes path.
"""

from __future__ import annotations

import json
import math
import os

import pytest

from minigan.__main__ import main
from minigan.data.idx import IDXFormatError, load_idx_folder, read_idx, write_idx
from minigan.engine.backend import np
from minigan.serialization import load, save
from product.helpers_cli import one_line

pytestmark = pytest.mark.skipif(os.name != "posix", reason="links, FIFOs and flock are POSIX")

TINY = ["--data", "ring:4", "--eval-every", "2", "--batch-size", "16", "--no-progress"]


def train(out, *extra, steps=4):
    return main(["train", "gan", *TINY, "--steps", str(steps), *extra, "--out", str(out)])


# ----------------------------------------------------------------------------- a fresh run refuses
@pytest.mark.parametrize("name", ["samples.png", "losses.png", "metrics.json", "checkpoint.npz", "training.gif"])
def test_a_fresh_run_never_overwrites_a_users_file(tmp_path, capsys, name):
    out = tmp_path / "run"
    out.mkdir()
    (out / name).write_bytes(b"the user's own")
    assert train(out) == 2
    err = one_line(capsys)
    assert name in err and "--force" in err
    assert (out / name).read_bytes() == b"the user's own"
    assert not (out / "checkpoint.npz").exists() or name == "checkpoint.npz"


def test_a_fresh_run_refuses_a_planted_link_and_never_writes_through_it(tmp_path, capsys):
    out, victim = tmp_path / "shared", tmp_path / "victim.txt"
    out.mkdir()
    victim.write_text("precious")
    (out / "samples.png").symlink_to(victim)
    assert train(out) == 2
    assert "samples.png (a symbolic link)" in one_line(capsys)
    assert victim.read_text() == "precious"


def test_a_dangling_link_is_refused_and_its_target_never_created(tmp_path, capsys):
    out, elsewhere = tmp_path / "shared", tmp_path / "elsewhere" / "planted.npz"
    out.mkdir()
    elsewhere.parent.mkdir()
    (out / "checkpoint.npz").symlink_to(elsewhere)  # dangling: the run's save would create it
    assert train(out) == 2
    assert "checkpoint.npz (a symbolic link)" in one_line(capsys)
    assert not elsewhere.exists()


def test_force_replaces_the_links_themselves_never_their_targets(tmp_path):
    out, victim, elsewhere = tmp_path / "shared", tmp_path / "victim.txt", tmp_path / "elsewhere.npz"
    out.mkdir()
    victim.write_text("precious")
    (out / "samples.png").symlink_to(victim)
    (out / "checkpoint.npz").symlink_to(elsewhere)
    assert train(out, "--force") == 0
    assert victim.read_text() == "precious" and not elsewhere.exists()
    for name in ("samples.png", "checkpoint.npz", "losses.png", "metrics.json"):
        assert (out / name).is_file() and not (out / name).is_symlink()
    assert load(out / "checkpoint.npz")["step"] == 4
    assert not [e for e in os.listdir(out) if e.startswith(".staging-")]  # no staging folder is left


def test_resume_may_follow_the_users_own_checkpoint_link(tmp_path):
    store, out = tmp_path / "store", tmp_path / "run"
    assert train(store) == 0
    out.mkdir()
    (out / "checkpoint.npz").symlink_to(store / "checkpoint.npz")  # the user keeps checkpoints elsewhere
    assert train(out, "--resume", steps=6) == 0
    assert (out / "checkpoint.npz").is_symlink() and load(store / "checkpoint.npz")["step"] == 6


# ----------------------------------------------------------------------------- --force keeps the old run until
def test_force_keeps_the_old_run_when_the_new_one_diverges_at_step_1(tmp_path, capsys, monkeypatch):
    from minigan.gans.gan import GAN

    out = tmp_path / "run"
    assert train(out) == 0
    before = {name: (out / name).read_bytes() for name in os.listdir(out) if not name.startswith(".")}
    assert {"checkpoint.npz", "metrics.json", "samples.png", "losses.png"} <= set(before)
    monkeypatch.setattr(GAN, "train_step", lambda self, sample_real: {"loss_d": math.nan, "loss_g": 0.0})
    capsys.readouterr()
    assert train(out, "--force") == 2
    err = one_line(capsys)
    assert "diverged at step 1" in err and "kept as it was" in err
    after = {name: (out / name).read_bytes() for name in os.listdir(out) if not name.startswith(".")}
    assert after == before  # every file of the old run, byte for byte


def test_force_replaces_the_old_run_once_the_new_one_has_its_checkpoint(tmp_path):
    out = tmp_path / "run"
    assert train(out) == 0
    (out / "training.gif").write_bytes(b"an old animation")  # a file the new run does not write
    assert train(out, "--force", "--seed", "1") == 0
    assert not (out / "training.gif").exists()  # the old run's files are gone, none mistaken for the new run's
    assert json.loads((out / "metrics.json").read_text())["config"]["seed"] == 1


def test_fgsm_refuses_a_link_at_a_result_name(tmp_path, capsys):
    out, victim = tmp_path / "shared", tmp_path / "victim.txt"
    out.mkdir()
    victim.write_text("precious")
    (out / "panda.png").symlink_to(victim)
    assert main(["fgsm", "--model", "mlp", "--epochs", "1", "--limit", "50", "--eps", "0.1", "--out", str(out)]) == 2
    assert "panda.png (a symbolic link)" in one_line(capsys)
    assert victim.read_text() == "precious"


# ----------------------------------------------------------------------------- hostile files: one line, exit 2
def test_a_fifo_at_the_locks_name_is_a_one_line_error(tmp_path, capsys):
    out = tmp_path / "run"
    out.mkdir()
    os.mkfifo(out / ".minigan.lock")
    assert train(out) == 2
    err = one_line(capsys)
    assert ".minigan.lock" in err and "FIFO" in err and "Errno" not in err


def test_a_link_at_the_locks_name_is_a_one_line_error(tmp_path, capsys):
    out = tmp_path / "run"
    out.mkdir()
    (out / ".minigan.lock").symlink_to(tmp_path / "elsewhere")
    assert train(out) == 2
    assert "symbolic link" in one_line(capsys) and not (tmp_path / "elsewhere").exists()


def test_an_idx_header_with_more_dimensions_than_an_array_can_have(tmp_path):
    path = tmp_path / "deep-idx"
    path.write_bytes(bytes([0, 0, 0x08, 70]) + (1).to_bytes(4, "big") * 70 + b"\x00")
    with pytest.raises(IDXFormatError, match=r"declares 70 dimensions, expected at most 32"):
        read_idx(path)


def _mnist_folder(folder, n):
    folder.mkdir()
    write_idx(folder / "train-images-idx3-ubyte", np.zeros((n, 4, 4), np.uint8))
    write_idx(folder / "train-labels-idx1-ubyte", np.zeros((n,), np.uint8))
    write_idx(folder / "t10k-images-idx3-ubyte", np.zeros((n, 4, 4), np.uint8))
    write_idx(folder / "t10k-labels-idx1-ubyte", np.zeros((n,), np.uint8))
    return folder


def test_a_data_folder_with_no_images(tmp_path, capsys):
    folder = _mnist_folder(tmp_path / "empty", 0)
    with pytest.raises(IDXFormatError, match="holds 0 images of 4x4 pixels, expected at least one"):
        load_idx_folder(folder)
    assert main(["train", "gan", "--data", f"idx:{folder}", "--steps", "2", "--out", str(tmp_path / "r")]) == 2
    assert "holds 0 images" in one_line(capsys)
    assert main(["fgsm", "--data", f"idx:{folder}", "--out", str(tmp_path / "f")]) == 2
    assert "holds 0 images" in one_line(capsys)


def test_save_and_load_take_bytes_paths(tmp_path):
    path = os.fsencode(tmp_path / "ckpt.npz")
    save({"w": np.arange(3.0)}, path)
    assert load(path)["w"].tolist() == [0.0, 1.0, 2.0]
