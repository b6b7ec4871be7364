"""Reference digit classifiers: training lowers the loss, the cache round-trips, and (slow) the
reference accuracies on the fixed test split: CNN ≥ 98%, MLP ≥ 97%."""

from __future__ import annotations

import time
import warnings

import numpy as np
import pytest

import minigan
from minigan import classifier as C
from minigan.data.digits import load_digits


@pytest.fixture(scope="module")
def digits():
    return load_digits("train", scale="01"), load_digits("test", scale="01")


@pytest.mark.parametrize("kind", ["mlp", "cnn"])
def test_a_few_epochs_reduce_the_loss(kind, digits):
    (x, y), _ = digits
    minigan.manual_seed(0)
    model = C.build(kind)
    history = C.train_classifier(model, x[:256], y[:256], epochs=4, batch_size=32, lr=2e-3, seed=0)
    assert len(history) == 4 and all(np.isfinite(history))
    assert history[0] > 1.5  # about log(10) = 2.3 at the start
    assert history[-1] < 0.7 * history[0]
    assert not model.training  # left in evaluation mode


def test_features_predict_and_accuracy_shapes(digits):
    (x, y), _ = digits
    minigan.manual_seed(0)
    for model in (C.DigitsCNN(), C.DigitsMLP()):
        f = C.features(model, x[:20])
        assert f.shape == (20, 128) and f.dtype == np.float32 and (f >= 0).all()
        assert C.predict_logits(model, x[:20]).shape == (20, 10)
        assert C.predict(model, x[:20].reshape(20, 64)).shape == (20,)
        assert 0.0 <= C.accuracy(model, x[:20], y[:20]) <= 1.0
        assert model.training  # features/accuracy restore the mode they found


def test_same_seed_same_training(digits):
    (x, y), _ = digits
    runs = []
    for _ in range(2):
        minigan.manual_seed(3)
        model = C.build("mlp")
        runs.append(C.train_classifier(model, x[:128], y[:128], epochs=2, batch_size=32, seed=5, augment=True))
    assert runs[0] == runs[1]


def test_shift_images_moves_by_at_most_one_pixel():
    img = np.zeros((50, 1, 8, 8), np.float32)
    img[:, 0, 3, 4] = 1.0
    out = C.shift_images(img, np.random.default_rng(0))
    assert out.shape == img.shape and out.dtype == np.float32
    rows, cols = np.nonzero(out[:, 0].sum(axis=0))
    assert set(rows) <= {2, 3, 4} and set(cols) <= {3, 4, 5}
    assert (out.reshape(50, -1).sum(axis=1) == 1).all()


def test_bad_inputs_raise_clear_errors(digits):
    (x, y), _ = digits
    model = C.build("mlp")
    with pytest.raises(ValueError, match=r"accuracy: images must have shape \(N, 1, 8, 8\)"):
        C.accuracy(model, x[:5, :, :4], y[:5])
    with pytest.raises(ValueError, match=r"labels must have shape \(5,\)"):
        C.accuracy(model, x[:5], y[:4])
    with pytest.raises(ValueError, match="labels must be in 0..9"):
        C.train_classifier(model, x[:5], np.full(5, 10), epochs=1)
    with pytest.raises(ValueError, match="epochs must be a positive int"):
        C.train_classifier(model, x[:5], y[:5], epochs=0)
    with pytest.raises(ValueError, match="kind='resnet'"):
        C.reference_classifier("resnet")


def test_reference_classifier_caches_atomically(tmp_path, monkeypatch):
    monkeypatch.setitem(C.RECIPES, "mlp", dict(epochs=1, batch_size=128, lr=1e-3, seed=0))
    monkeypatch.setenv("MINIGAN_CACHE", str(tmp_path / "env-cache"))
    first = C.reference_classifier("mlp")
    assert first.reference_info["cached"] is False and not first.training
    files = list((tmp_path / "env-cache").iterdir())
    assert [f.name for f in files] == [f"digits_mlp_v{C.CACHE_VERSION}.npz"]

    second = C.reference_classifier("mlp")  # loaded, not retrained
    assert second.reference_info["cached"] is True
    assert second.reference_info["test_accuracy"] == first.reference_info["test_accuracy"]
    x, _ = load_digits("test")
    np.testing.assert_array_equal(C.predict_logits(first, x[:50]), C.predict_logits(second, x[:50]))

    files[0].write_bytes(b"not a checkpoint")  # a damaged cache is retrained, with a warning
    with pytest.warns(UserWarning, match="ignoring the cache file"):
        third = C.reference_classifier("mlp")
    assert third.reference_info["cached"] is False
    np.testing.assert_array_equal(C.predict_logits(first, x[:50]), C.predict_logits(third, x[:50]))

    explicit = C.reference_classifier("mlp", cache_dir=tmp_path / "explicit")
    assert (tmp_path / "explicit" / files[0].name).exists() and not explicit.reference_info["cached"]


@pytest.mark.slow
@pytest.mark.parametrize("kind, target", [("cnn", 0.98), ("mlp", 0.97)])
def test_reference_accuracy_on_the_test_split(kind, target, tmp_path, digits):
    _, (x_test, y_test) = digits
    t0 = time.perf_counter()
    model = C.reference_classifier(kind, cache_dir=tmp_path)
    seconds = time.perf_counter() - t0
    acc = C.accuracy(model, x_test, y_test)
    print(f"{kind}: test accuracy {acc:.4f}, trained in {seconds:.1f} s")
    assert acc >= target
    assert acc == pytest.approx(model.reference_info["test_accuracy"])


def test_any_damage_to_the_cache_is_retrained_never_a_crash(tmp_path, monkeypatch):
    monkeypatch.setitem(C.RECIPES, "mlp", dict(epochs=1, batch_size=128, lr=1e-3, seed=0))
    first = C.reference_classifier("mlp", cache_dir=tmp_path)
    path = next(tmp_path.iterdir())
    good = path.read_bytes()
    x, _ = load_digits("test")
    expected = C.predict_logits(first, x[:20])
    rng = np.random.default_rng(0)
    damages = [good[: len(good) // 2], good[:100], b""]  # truncations, then single-bit flips anywhere
    for i in rng.choice(len(good) * 8, size=12, replace=False):
        flipped = bytearray(good)
        flipped[i // 8] ^= 1 << (i % 8)
        damages.append(bytes(flipped))
    for damaged in damages:
        path.write_bytes(damaged)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "ignoring the cache file ...; retraining"
            model = C.reference_classifier("mlp", cache_dir=tmp_path)
        np.testing.assert_array_equal(C.predict_logits(model, x[:20]), expected)  # the same judge either way
