"""28x28 data: Fashion-MNIST (Debian's ``dataset-fashion-mnist``, real slices), MNIST and IDX folders of any
size (small synthetic folders written with ``write_idx``), and every command that takes ``--data`` on them.

The real-data tests skip, saying why, when the Fashion-MNIST files are not installed.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import minigan
from minigan import classifier as C
from minigan.__main__ import main
from minigan.data import IDXFormatError, fashion, fashion_mnist, load_image_dataset, mnist, write_idx
from minigan.gans.recipes import ALGORITHMS

HAVE_FASHION = (fashion.FASHION_SYSTEM_DIR / "t10k-images-idx3-ubyte.gz").is_file()
needs_fashion = pytest.mark.skipif(
    not HAVE_FASHION, reason="Fashion-MNIST is not installed: apt-get install dataset-fashion-mnist")


def write_folder(folder, n_train=40, n_test=20, size=(12, 12), classes=4, seed=0):
    """A small MNIST-format folder: images whose mean brightness is the class (so they are learnable)."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        labels = np.arange(n) % classes
        images = rng.integers(0, 40, (n, *size)) + (labels * (200 // classes))[:, None, None]
        write_idx(folder / f"{prefix}-images-idx3-ubyte.gz", images.astype(np.uint8))
        write_idx(folder / f"{prefix}-labels-idx1-ubyte.gz", labels.astype(np.uint8))
    return folder


@pytest.fixture
def no_data_env(monkeypatch, tmp_path):
    """No $MINIGAN_DATA and no system Fashion-MNIST: the loaders must explain how to get the files."""
    monkeypatch.delenv("MINIGAN_DATA", raising=False)
    monkeypatch.setattr(fashion, "FASHION_SYSTEM_DIR", tmp_path / "nowhere")


# ----------------------------------------------------------------------------- real Fashion-MNIST
@needs_fashion
def test_fashion_mnist_test_split_is_the_real_data():
    x, y = fashion_mnist("test")
    assert x.shape == (10_000, 1, 28, 28) and x.dtype == np.float32
    assert y.shape == (10_000,) and y.dtype == np.int64
    assert x.min() == 0.0 and x.max() == 1.0
    assert (np.bincount(y, minlength=10) == 1000).all()  # the test split is balanced: 1,000 per class
    assert 0.25 < x.mean() < 0.33  # Fashion-MNIST's mean pixel is about 0.286
    assert not x.flags.writeable  # shared by every call


@needs_fashion
def test_fashion_mnist_scales_and_load_image_dataset_agree():
    x01, y = fashion_mnist("test", scale="01")
    xpm, _ = fashion_mnist("test", scale="pm1")
    np.testing.assert_allclose(xpm[:100], x01[:100] * 2 - 1, atol=1e-6)
    x_train, y_train, x_test, y_test = load_image_dataset("fashion-mnist")
    assert x_train.shape == (60_000, 1, 28, 28) and y_train.shape == (60_000,)
    assert np.array_equal(x_test, x01) and np.array_equal(y_test, y)
    assert not np.array_equal(x_train[:100], x_test[:100])


@needs_fashion
def test_fashion_mnist_from_minigan_data_or_a_path(monkeypatch, tmp_path):
    folder = tmp_path / "data" / "fashion-mnist"
    x, y = fashion_mnist("test")
    folder.mkdir(parents=True)
    write_idx(folder / "t10k-images-idx3-ubyte", (x[:30, 0] * 255).round().astype(np.uint8))
    write_idx(folder / "t10k-labels-idx1-ubyte", y[:30].astype(np.uint8))
    monkeypatch.setenv("MINIGAN_DATA", str(tmp_path / "data"))
    got, labels = fashion_mnist("test")  # $MINIGAN_DATA/fashion-mnist comes before the system folder
    assert got.shape == (30, 1, 28, 28) and np.array_equal(got, x[:30]) and np.array_equal(labels, y[:30])
    got, _ = fashion_mnist("test", folder)  # the design's positional form: (split, path)
    assert got.shape == (30, 1, 28, 28)


# ----------------------------------------------------------------------------- errors and MNIST
def test_missing_fashion_mnist_says_how_to_get_it(no_data_env):
    with pytest.raises(FileNotFoundError, match="apt-get install dataset-fashion-mnist"):
        fashion_mnist("train")
    with pytest.raises(FileNotFoundError, match="train-images-idx3-ubyte.gz"):
        load_image_dataset("fashion-mnist")


def test_missing_mnist_says_where_to_put_it(no_data_env, tmp_path, monkeypatch):
    with pytest.raises(FileNotFoundError, match=r"MINIGAN_DATA is not set.*\$MINIGAN_DATA/mnist"):
        mnist("train")
    monkeypatch.setenv("MINIGAN_DATA", str(tmp_path / "d"))
    with pytest.raises(FileNotFoundError, match=r"mnist: found no mnist test images in '.*d/mnist'"):
        mnist("test")
    with pytest.raises(FileNotFoundError, match="mnist: no such folder"):
        mnist("train", path=tmp_path / "absent")


def test_mnist_from_a_user_folder(no_data_env, tmp_path, monkeypatch):
    write_folder(tmp_path / "d" / "mnist", size=(28, 28), classes=10)
    monkeypatch.setenv("MINIGAN_DATA", str(tmp_path / "d"))
    x, y = mnist("train")
    assert x.shape == (40, 1, 28, 28) and x.dtype == np.float32 and 0 <= x.min() and x.max() <= 1
    assert np.array_equal(y, np.arange(40) % 10)
    x_train, y_train, x_test, y_test = load_image_dataset("mnist", scale="pm1")
    assert x_test.shape == (20, 1, 28, 28) and x_train.min() >= -1 and x_train.max() <= 1 and x_train.min() < 0


def test_bad_specs_and_damaged_files_are_refused(no_data_env, tmp_path):
    for spec in ("", "cifar", "idx:", 3):
        with pytest.raises(ValueError, match="load_image_dataset: got"):
            load_image_dataset(spec)
    with pytest.raises(ValueError, match="scale='255'"):
        load_image_dataset("digits", scale="255")
    folder = write_folder(tmp_path / "bad")
    (folder / "t10k-labels-idx1-ubyte.gz").write_bytes(b"\x1f\x8b not really gzip")
    with pytest.raises(IDXFormatError, match="t10k-labels-idx1-ubyte.gz"):
        load_image_dataset(f"idx:{folder}")


def test_idx_folders_of_any_image_size(tmp_path):
    for size in ((12, 12), (16, 20)):
        x_train, y_train, x_test, y_test = load_image_dataset(f"idx:{write_folder(tmp_path / str(size), size=size)}")
        assert x_train.shape == (40, 1, *size) and x_test.shape == (20, 1, *size)
        assert y_train.dtype == np.int64 and x_train.dtype == np.float32
    x, y, _, _ = load_image_dataset("digits")
    assert x.shape[1:] == (1, 8, 8) and len(x) == len(y) == 1438


# ----------------------------------------------------------------------------- classifiers and metrics
def test_image_cnn_learns_any_size_and_the_metrics_accept_it(tmp_path):
    from minigan.metrics.images import image_metrics

    x, y, xt, yt = load_image_dataset(f"idx:{write_folder(tmp_path / 'f', n_train=64, size=(16, 16))}")
    minigan.manual_seed(0)
    model = C.ImageCNN((1, 16, 16), 4, x)
    history = C.train_classifier(model, x, y, epochs=3, batch_size=16, lr=2e-3, seed=0)
    assert history[-1] < 0.5 * history[0]
    assert C.accuracy(model, xt, yt) == 1.0  # brightness is the class: an easy task
    assert C.features(model, xt).shape == (20, 128)
    with pytest.raises(ValueError, match=r"images must have shape \(N, 1, 16, 16\), got \(20, 1, 8, 8\)"):
        C.accuracy(model, xt[:, :, :8, :8], yt)
    with pytest.raises(ValueError, match="labels must be in 0..3"):
        C.train_classifier(model, x, y + 1, epochs=1)
    out = image_metrics(model, xt, x, intended_labels=yt, num_classes=4)
    assert out["classes_covered"] == 4 and out["conditional_accuracy"] == 1.0
    assert out["frechet_samples"] == 20 and out["frechet_floor"] >= 0


def test_reference_classifier_knows_the_datasets():
    with pytest.raises(ValueError, match="dataset='cifar'"):
        C.reference_classifier("cnn", dataset="cifar")
    assert C.recipe("cnn", "fashion-mnist")["epochs"] == C.RECIPES_28["cnn"]["epochs"]
    assert C.build("mlp", "mnist").image_shape == (1, 28, 28)


@needs_fashion
@pytest.mark.slow
def test_fashion_mnist_reference_classifier_reaches_90_percent(tmp_path):
    model = C.reference_classifier("cnn", cache_dir=tmp_path, dataset="fashion-mnist")
    info = model.reference_info
    _, _, x_test, y_test = load_image_dataset("fashion-mnist")
    assert info["test_accuracy"] >= 0.90 and C.accuracy(model, x_test, y_test) == info["test_accuracy"]
    again = C.reference_classifier("cnn", cache_dir=tmp_path, dataset="fashion-mnist")
    assert again.reference_info["cached"] and C.accuracy(again, x_test[:500], y_test[:500]) == \
        C.accuracy(model, x_test[:500], y_test[:500])


# ----------------------------------------------------------------------------- the commands
def test_fgsm_on_an_idx_folder_of_another_size(tmp_path, monkeypatch):
    monkeypatch.setenv("MINIGAN_CACHE", str(tmp_path / "cache"))
    folder = write_folder(tmp_path / "f", n_train=64, size=(16, 16))
    out = tmp_path / "out"
    assert main(["fgsm", "--data", f"idx:{folder}", "--eps", "0.1", "--epochs", "2", "--adversarial-training",
                 "--adv-epochs", "1", "--out", str(out)]) == 0
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["n_train"] == 64 and metrics["n_test"] == 20
    assert set(metrics["undefended"]) == {"0.1"} and metrics["adversarially_trained"] is not None
    assert (out / "panda.png").read_bytes()[:4] == b"\x89PNG"


@needs_fashion
def test_fgsm_on_fashion_mnist_slices(tmp_path, monkeypatch):
    monkeypatch.setenv("MINIGAN_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "out"
    assert main(["fgsm", "--data", "fashion-mnist", "--limit", "600", "--epochs", "2", "--eps", "0.1", "--out",
                 str(out)]) == 0
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["n_train"] == 600 and metrics["clean_accuracy"] > 0.5  # 2 epochs on 600 images: well above 10%
    assert metrics["undefended"]["0.1"]["error_rate"] > 1 - metrics["clean_accuracy"]  # the attack hurts


@needs_fashion
@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_every_gan_trains_on_fashion_mnist(algorithm):
    from minigan.gans.recipes import build_experiment

    exp = build_experiment(algorithm, "fashion-mnist", seed=0, batch_size=8)
    # BEGAN has its own networks (Berthelot et al. 2017's convolutional auto-encoder); the others DCGAN's
    assert exp.image_shape == (1, 28, 28) and exp.config["arch"] == ("began" if algorithm == "began" else "conv")
    for _ in range(2):
        out = exp.train_step()
    assert all(np.isfinite(v) for v in out.values())
    fake = exp.trainer.sample_grid(1)[0] if algorithm == "cgan" else exp.trainer.sample(4)
    assert tuple(fake.shape[1:]) == (1, 28, 28) and np.abs(fake.detach().numpy()).max() <= 1


@needs_fashion
def test_fashion_mnist_runs_are_judged_by_the_image_metrics(monkeypatch):
    """The evaluation's plumbing end to end; the judge is a small stand-in (the real one trains for minutes)."""
    from minigan.gans.recipes import build_experiment

    x, y, _, _ = load_image_dataset("fashion-mnist")
    minigan.manual_seed(0)
    judge = C.ImageMLP((1, 28, 28), 10, x[:500])
    C.train_classifier(judge, x[:500], y[:500], epochs=1, batch_size=50, seed=0)
    monkeypatch.setattr(C, "reference_classifier", lambda *a, **k: judge)
    exp = build_experiment("cgan", "fashion-mnist", seed=0, batch_size=8)
    exp.train_step()
    final = exp.evaluate(num_samples=100)
    assert {"classes_covered", "conditional_accuracy", "frechet_distance", "frechet_floor"} <= set(final)
    assert final["frechet_samples"] == 100
    assert final["frechet_distance"] > final["frechet_floor"]  # one step of training is far from real images


def test_train_command_accepts_the_28x28_data_names(no_data_env, tmp_path, capsys):
    from minigan.data import parse_data

    assert parse_data("fashion-mnist") == ("images", "fashion-mnist") and parse_data("MNIST") == ("images", "mnist")
    assert main(["train", "gan", "--data", "mnist", "--steps", "1", "--no-progress", "--out", str(tmp_path / "r")]) == 2
    assert "$MINIGAN_DATA/mnist" in capsys.readouterr().err  # one clear line saying where the files go
