"""Reference image classifiers: the judges behind the image GAN metrics and the FGSM lessons.

The design's metrics need "a classifier trained on the real digits (with minigan)" that scores
generated images: conditional accuracy for the cGAN (is a generated "7" classified as 7?), class
coverage, and a Fréchet distance in the classifier's feature space. FGSM (CS/DS 541; IT3320E;
Goodfellow, Shlens & Szegedy 2015) attacks the same kind of network.

    model = reference_classifier("cnn")          # trains once (seconds), then loads from the cache
    accuracy(model, images, labels)              # images: float32 (N, 1, 8, 8) in [0, 1]
    features(model, images)                      # (N, 128) penultimate activations, for FID-style distances

Images are the bundled 8x8 digits with ``scale="01"`` (``minigan.data.digits.load_digits``):
a generator that outputs [-1, 1] (tanh) must be mapped with ``(x + 1) / 2`` first.

28x28 data sets have their own reference, ``reference_classifier("cnn", dataset="fashion-mnist")``
(or "mnist"): an ``ImageCNN`` with batch norm, trained for 3 epochs (about 91% test accuracy on
Fashion-MNIST, a few CPU-minutes), judged on the data set's test split.

The cache lives in ``$MINIGAN_CACHE`` or ``~/.cache/minigan/`` and is written atomically with
``minigan.serialization.save``; a damaged or stale cache file is retrained and overwritten.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import minigan.arguments as arguments
import minigan.functional as F
from minigan import nn
from minigan.engine import backend
from minigan.engine.backend import np
from minigan.engine.grad_mode import no_grad
from minigan.nn.module import evaluating, module_device
from minigan.optim import Adam
from minigan.progress import Report, check_stop
from minigan.serialization import load, save
from minigan.surface import random
from minigan.surface.tensor import Tensor, from_numpy
from minigan.utils.data import DataLoader, TensorDataset

KINDS = ("cnn", "mlp")
NUM_CLASSES = 10
# Bump when the architecture or the training recipe changes: old cache files are then ignored.
CACHE_VERSION = 1
# The data sets that have a cached reference classifier (``reference_classifier(dataset=...)``).
DATASETS = ("digits", "fashion-mnist", "mnist")
# The recipe reference_classifier trains with (fixed, so every machine gets the same judge).
# Shifting the images (augment=True) hurts on these centred 8x8 digits; a decaying lr helps.
RECIPES = {
    "cnn": dict(epochs=20, batch_size=32, lr=1e-3, lr_decay=True, seed=0),
    "mlp": dict(epochs=40, batch_size=32, lr=1e-3, lr_decay=True, weight_decay=1e-3, seed=0),
}
# 28x28 (Fashion-MNIST, MNIST): 60,000 training images, so a few epochs suffice. Batch norm lets the CNN
# take lr 2e-3; 3 epochs with a linear decay reach ~91% on Fashion-MNIST (2 epochs: ~89-90%).
RECIPES_28 = {
    "cnn": dict(epochs=3, batch_size=64, lr=2e-3, lr_decay=True, seed=0),
    "mlp": dict(epochs=10, batch_size=64, lr=1e-3, lr_decay=True, weight_decay=0.0, seed=0),
}


# How long the reference CNN's first training takes on a 2-core CPU (one BLAS thread): the wait that
# ``python -m minigan prepare`` moves ahead of a class. Measured: digits 11 s of CPU (demos/lesson_times.json,
# tests/product/test_stated_numbers.py keeps it), Fashion-MNIST 1:55 wall, 112 s of CPU (`prepare --only
# fashion-mnist-cnn` in a fresh clone and cache, 2026-11-29, at a load of 1.7-3 on 2 cores: 91.8% on the test set);
# MNIST has the same size and recipe.  On a machine shared by more it took 5:39: so a first training says these as
# an idle machine's, and its Report says the time from the pace it measures here (minigan.progress).
FIRST_TRAINING = {"digits": "about 6 s", "fashion-mnist": "about 2 minutes", "mnist": "about 2 minutes"}


def recipe(kind: str = "cnn", dataset: str = "digits") -> dict:
    """The training recipe of the reference classifier ``kind`` for ``dataset`` (a copy)."""
    _check_kind_dataset(kind, dataset, "recipe")
    return dict(RECIPES[kind] if dataset == "digits" else RECIPES_28[kind])


def _check_kind_dataset(kind, dataset, who):
    if kind not in KINDS:
        raise ValueError(f"{who}: got kind={kind!r}, expected one of {KINDS}")
    if dataset not in DATASETS:
        raise ValueError(f"{who}: got dataset={dataset!r}, expected one of {DATASETS}")


# ----------------------------------------------------------------------------- the two networks
class Standardize(nn.Module):
    """x ↦ (x − μ) / (σ + 0.1), per pixel, with μ and σ of a *training* split (fixed buffers).

    Part of the model (and of its state_dict), so callers always pass plain [0, 1] images. The
    + 0.1 keeps the always-blank border pixels (σ = 0) finite. ``images``: the training images
    (N, C, H, W) whose statistics to use; the default is the digits' training split; a shape
    (C, H, W) instead gives placeholder buffers (μ = 0, σ + 0.1 = 1) that ``load_state_dict`` fills.
    """

    def __init__(self, images=None, shape=None):
        super().__init__()
        xp = backend.active_module()
        if images is None and shape is not None:
            mean, scale = np.zeros((1, *shape), np.float32), np.ones((1, *shape), np.float32)
        else:
            if images is None:
                from minigan.data.digits import load_digits

                images, _ = load_digits("train", scale="01")
            mean = images.mean(axis=0, keepdims=True, dtype=np.float64).astype(np.float32)
            scale = (images.std(axis=0, keepdims=True, dtype=np.float64) + 0.1).astype(np.float32)
        self.register_buffer("mean", Tensor(xp.asarray(mean)))
        self.register_buffer("scale", Tensor(xp.asarray(scale)))

    def forward(self, x):
        return (x - self.mean) / self.scale


class ImageMLP(nn.Module):
    """Standardize → Dropout(input_dropout) → C·H·W → 256 → 128 → Dropout(0.3) → classes, ReLU, for any
    image size; ``features`` is the 128-d layer."""

    def __init__(self, image_shape=(1, 28, 28), num_classes=NUM_CLASSES, images=None, hidden=(256, 128),
                 dropout=0.3, input_dropout=0.2):
        super().__init__()
        self.image_shape, self.num_classes = tuple(int(s) for s in image_shape), int(num_classes)
        c, h, w = self.image_shape
        h1, h2 = hidden
        self.standardize = Standardize(images, shape=self.image_shape)
        self.flatten = nn.Flatten()
        self.drop_input = nn.Dropout(input_dropout)
        self.fc1 = nn.Linear(c * h * w, h1)
        self.fc2 = nn.Linear(h1, h2)
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(h2, self.num_classes)
        self.relu = nn.ReLU()

    def features(self, x):
        h = self.relu(self.fc1(self.drop_input(self.flatten(self.standardize(x)))))
        return self.relu(self.fc2(h))

    def forward(self, x):
        return self.out(self.drop(self.features(x)))


class DigitsMLP(ImageMLP):
    """Standardize → Dropout(0.3) → 64 → 256 → 128 → Dropout(0.3) → 10 with ReLU; ``features`` is the
    128-d layer before the logits: ``ImageMLP`` on the 8×8 digits, standardised by their training split.

    Dropping input pixels (CS/DS 541: input dropout against neuron co-adaptation) is what lifts
    this MLP above 97% on the test split; without it, it memorises the 1,438 training images.
    """

    def __init__(self, hidden=(256, 128), dropout=0.3, input_dropout=0.3):
        from minigan.data.digits import load_digits

        images, _ = load_digits("train", scale="01")
        super().__init__((1, 8, 8), NUM_CLASSES, images, hidden, dropout, input_dropout)


class DigitsCNN(nn.Module):
    """Standardize → Conv(1→32, 3×3, pad 1) → ReLU → Conv(32→64, 3×3, pad 1) → ReLU → Linear(64·8·8 → 128)
    → ReLU → Dropout → Linear(128 → 10).

    On 1×8×8 inputs: (32, 8, 8) → (64, 8, 8) → 4096 → 128 (``features``) → 10 logits. No stride:
    an 8×8 digit has no pixels to spare (a stride-2 version tops out near 97% on the test split).
    """

    image_shape, num_classes = (1, 8, 8), NUM_CLASSES

    def __init__(self, channels=(32, 64), hidden=128, dropout=0.5):
        super().__init__()
        c1, c2 = channels
        self.standardize = Standardize()
        self.conv1 = nn.Conv2d(1, c1, 3, stride=1, padding=1)
        self.conv2 = nn.Conv2d(c1, c2, 3, stride=1, padding=1)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(c2 * 8 * 8, hidden)
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(hidden, NUM_CLASSES)
        self.relu = nn.ReLU()

    def features(self, x):
        h = self.relu(self.conv1(self.standardize(x)))
        h = self.relu(self.conv2(h))
        return self.relu(self.fc(self.flatten(h)))

    def forward(self, x):
        return self.out(self.drop(self.features(x)))


class ImageCNN(nn.Module):
    """For larger images (28×28): Standardize → [Conv 3×3 → BatchNorm → ReLU] ×3 with strides 1, 2, 2
    (channels 32, 64, 64) → Linear(64·H/4·W/4 → 128) → ReLU → Dropout → Linear(128 → classes).

    On 1×28×28: (32, 28, 28) → (64, 14, 14) → (64, 7, 7) → 3136 → 128 (``features``) → 10 logits.
    The strides halve the pixels twice where 8×8 digits had none to spare; batch norm (Ioffe &
    Szegedy 2015) lets a few epochs at lr 2e-3 reach the accuracy many more would without it.
    ``images``: training images for the Standardize statistics (None: placeholders a checkpoint fills).
    """

    def __init__(self, image_shape=(1, 28, 28), num_classes=NUM_CLASSES, images=None, channels=(32, 64, 64),
                 hidden=128, dropout=0.3):
        super().__init__()
        self.image_shape, self.num_classes = tuple(int(s) for s in image_shape), int(num_classes)
        c, h, w = self.image_shape
        c1, c2, c3 = channels
        self.standardize = Standardize(images, shape=self.image_shape)
        self.conv1 = nn.Conv2d(c, c1, 3, stride=1, padding=1)
        self.bn1 = nn.BatchNorm2d(c1)
        self.conv2 = nn.Conv2d(c1, c2, 3, stride=2, padding=1)
        self.bn2 = nn.BatchNorm2d(c2)
        self.conv3 = nn.Conv2d(c2, c3, 3, stride=2, padding=1)
        self.bn3 = nn.BatchNorm2d(c3)
        h4, w4 = (((h + 1) // 2) + 1) // 2, (((w + 1) // 2) + 1) // 2  # two stride-2 convolutions, padding 1
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(c3 * h4 * w4, hidden)
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(hidden, self.num_classes)
        self.relu = nn.ReLU()

    def features(self, x):
        h = self.relu(self.bn1(self.conv1(self.standardize(x))))
        h = self.relu(self.bn2(self.conv2(h)))
        h = self.relu(self.bn3(self.conv3(h)))
        return self.relu(self.fc(self.flatten(h)))

    def forward(self, x):
        return self.out(self.drop(self.features(x)))


def build(kind: str = "cnn", dataset: str = "digits", images=None) -> nn.Module:
    """A fresh, untrained classifier: ``DigitsCNN``/``DigitsMLP`` for "digits", ``ImageCNN``/``ImageMLP``
    (1×28×28, 10 classes) for "fashion-mnist" and "mnist", standardised with ``images`` (their
    training images; None: placeholders, to load a checkpoint into)."""
    _check_kind_dataset(kind, dataset, "classifier")
    if dataset == "digits":
        return DigitsCNN() if kind == "cnn" else DigitsMLP()
    return (ImageCNN if kind == "cnn" else ImageMLP)((1, 28, 28), NUM_CLASSES, images)


# ----------------------------------------------------------------------------- helpers
def _images(images, who, model=None):
    """Host float32 (N, C, H, W) images from an array or Tensor; a model with an ``image_shape`` (the
    reference classifiers) fixes (C, H, W), and for 8×8 digits (N, 64) rows are accepted too."""
    if isinstance(images, Tensor):
        images = images.array
    if not backend.is_array(images):
        raise TypeError(f"{who}: images must be an array or Tensor, got {type(images).__name__}")
    shape = getattr(model, "image_shape", None)
    if shape == (1, 8, 8) and images.ndim == 2 and images.shape[1] == 64:
        images = images.reshape(-1, 1, 8, 8)
    if images.ndim != 4 or (shape is not None and tuple(images.shape[1:]) != shape):
        expected = "(N, C, H, W)" if shape is None else f"(N, {', '.join(map(str, shape))})"
        also = " or (N, 64)" if shape == (1, 8, 8) else ""
        raise ValueError(f"{who}: images must have shape {expected}{also}, got {tuple(images.shape)}")
    if not backend.is_floating(images.dtype):
        raise TypeError(f"{who}: images must be floating point in [0, 1], got dtype {images.dtype}")
    return images.astype(backend.DEFAULT_DTYPE, copy=False)


def _num_classes(model) -> int:
    """The model's class count when it declares one (the reference classifiers), else the largest allowed."""
    from minigan.data import MAX_CLASSES

    return int(getattr(model, "num_classes", MAX_CLASSES))


def _batches(model, images, batch_size):
    """Evaluation-mode forward passes in batches: yields (start, batch Tensor on the model's device). A batch of a
    read-only array (a data set read from a file, shared by every call) is copied, as ``attacks.fgsm._as_input``
    does: a tensor that shares it would warn about writes nobody makes."""
    device = module_device(model)
    for start in range(0, len(images), batch_size):
        check_stop()  # a stop request (minigan.progress) ends an evaluation here
        batch = backend.to_device(images[start:start + batch_size], device)
        yield start, Tensor(batch if getattr(batch.flags, "writeable", True) else batch.copy())


# ----------------------------------------------------------------------------- training and scoring
def shift_images(images, rng, max_shift=1):
    """Data augmentation: move each image by a random (dy, dx) in [−max_shift, max_shift]², filling with 0.

    A digit moved by one pixel is still the same digit; seeing such copies teaches the network
    that, so it generalises better from only 1,438 training images.
    """
    n, c, h, w = images.shape
    padded = np.pad(images, ((0, 0), (0, 0), (max_shift, max_shift), (max_shift, max_shift)))
    dy = rng.integers(0, 2 * max_shift + 1, size=n)
    dx = rng.integers(0, 2 * max_shift + 1, size=n)
    rows = dy[:, None] + np.arange(h)[None, :]              # (n, h): which padded rows each image keeps
    cols = dx[:, None] + np.arange(w)[None, :]              # (n, w)
    return padded[np.arange(n)[:, None, None, None], np.arange(c)[None, :, None, None],
                  rows[:, None, :, None], cols[:, None, None, :]]


def train_classifier(model, images, labels, epochs=30, batch_size=64, lr=1e-3, seed=0,
                     augment=False, lr_decay=False, weight_decay=0.0, verbose=False, progress=None):
    """Minimise the cross-entropy with Adam over ``epochs`` passes of shuffled minibatches.

    The order of the minibatches comes from a permutation seeded by ``seed`` (every epoch draws a
    new one from the same generator), so two runs with the same seed and the same initial weights
    see the same batches. ``augment`` shifts each batch by up to one pixel (``shift_images``);
    ``lr_decay`` lowers the learning rate linearly to 0 over the run. Returns the mean training
    loss of every epoch. ``progress``: called as ``progress(batches done, batches in all)`` after every
    batch (a ``minigan.progress.Report`` says how far it got and how long is left).
    """
    who = "train_classifier"
    images = _images(images, who, model)
    labels = arguments.labels(who, labels, len(images), _num_classes(model))
    device = module_device(model)

    def batch_loss(x, y, rng):
        x = shift_images(x, rng) if augment else x
        return F.cross_entropy(model(from_numpy(backend.to_device(x, device))), y)

    return fit(model, images, labels, batch_loss, epochs=epochs, batch_size=batch_size, lr=lr, seed=seed,
               lr_decay=lr_decay, weight_decay=weight_decay, say="epoch" if verbose else None, who=who,
               progress=progress)


def fit(model, images, labels, batch_loss, epochs, batch_size, lr, seed=0, lr_decay=False, weight_decay=0.0,
        say=None, who="fit", progress=None):
    """The training loop: Adam on ``batch_loss(x, y, rng)`` over ``epochs`` passes of shuffled minibatches.

    ``images`` and ``labels`` are host arrays; ``batch_loss`` gets each minibatch as host arrays and
    ``rng``, the one seeded generator that draws the batch order (a ``DataLoader`` with ``generator=rng``)
    and whatever else the loss draws (an augmentation, a random ε), so the same seed and the same starting
    weights give the same run. ``lr_decay`` lowers the learning rate linearly towards 0 over the run.
    Returns the mean loss of every epoch; the model is left in evaluation mode. ``progress(done, total)``, when
    given, is called after every minibatch with the batches done and the batches in all.
    Used by ``train_classifier`` (J = cross-entropy) and by adversarial training (J̃, PGD's loss).
    """
    epochs = arguments.positive_int(who, "epochs", epochs)
    batch_size = arguments.positive_int(who, "batch_size", batch_size)
    rng = np.random.default_rng(seed)
    loader = DataLoader(TensorDataset(images, labels), batch_size=batch_size, shuffle=True, generator=rng)
    opt = Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    history, done, total = [], 0, epochs * len(loader)
    for epoch in range(epochs):
        if lr_decay:
            opt.lr = lr * (1 - epoch / epochs)
        model.train()
        running = 0.0
        for x, y in loader:
            check_stop()  # a stop request (minigan.progress) ends the training here, within a batch
            loss = batch_loss(x.array, y.array, rng)  # a fresh batch (images[idx]) on the host
            opt.zero_grad()
            loss.backward()
            opt.step()
            running += loss.item() * len(y)
            done += 1
            if progress is not None:
                progress(done, total)
        history.append(running / len(images))
        if say:
            (getattr(progress, "write", None) or print)(f"  {say} {epoch + 1:3d}/{epochs}  loss {history[-1]:.4f}",
                                                        flush=True)  # (beside a Report: not run on from its line)
    model.eval()
    return history


def predict_logits(model, images, batch_size=512):
    """Host float32 logits (N, 10), computed in evaluation mode without building a graph."""
    images = _images(images, "predict_logits", model)
    out = []
    with evaluating(model), no_grad():
        for _, x in _batches(model, images, batch_size):
            out.append(backend.asnumpy(model(x).array))
    return np.concatenate(out) if out else np.zeros((0, _num_classes(model)), np.float32)


def predict(model, images, batch_size=512):
    """Predicted classes (N,) int64."""
    return predict_logits(model, images, batch_size).argmax(axis=1).astype(np.int64)


def accuracy(model, images, labels, batch_size=512) -> float:
    """Fraction of images whose predicted class equals the label."""
    images = _images(images, "accuracy", model)
    labels = arguments.labels("accuracy", labels, len(images), _num_classes(model))
    if len(images) == 0:
        raise ValueError("accuracy: got 0 images, expected at least one")
    return float((predict(model, images, batch_size) == labels).mean())


def features(model, images, batch_size=512):
    """Penultimate-layer activations (N, 128) as host float32: the space of the Fréchet distance."""
    images = _images(images, "features", model)
    if not hasattr(model, "features"):
        raise TypeError(f"features: {type(model).__name__} has no .features(x) method; "
                        "expected one of minigan.classifier's networks (DigitsCNN, ImageCNN, ...)")
    out = []
    with evaluating(model), no_grad():
        for _, x in _batches(model, images, batch_size):
            out.append(backend.asnumpy(model.features(x).array))
    return np.concatenate(out)


# ----------------------------------------------------------------------------- the cached reference
def cache_dir(path=None) -> Path:
    """``path``, else ``$MINIGAN_CACHE``, else ``~/.cache/minigan``."""
    if path is None:
        path = os.environ.get("MINIGAN_CACHE") or Path.home() / ".cache" / "minigan"
    return Path(path)


def reference_classifier(kind: str = "cnn", cache_dir=None, retrain=False, verbose=False, dataset: str = "digits",
                         data_path=None):
    """The reference classifier of ``kind`` ("cnn" or "mlp") for ``dataset`` ("digits", "fashion-mnist" or
    "mnist"), trained on its training split.

    Trained once with a fixed seed and recipe (``recipe(kind, dataset)``) and cached as
    ``<cache>/<dataset>_<kind>_v<CACHE_VERSION>.npz``; later calls load the weights. The returned
    model is in evaluation mode and has ``.reference_info`` (test accuracy, training time).
    ``data_path``: the folder of the data set's IDX files, when it is not where
    ``minigan.data.fashion_mnist`` / ``mnist`` look by themselves.
    """
    from minigan.data.spec import load_image_dataset

    _check_kind_dataset(kind, dataset, "reference_classifier")
    folder = _cache_dir(cache_dir)
    path = reference_path(kind, dataset, folder)
    settings = recipe(kind, dataset)
    model = build(kind, dataset)

    if path.exists() and not retrain:
        try:
            ckpt = load(path)
            if ckpt.get("kind") != kind or ckpt.get("version") != CACHE_VERSION:
                raise ValueError(f"it holds kind={ckpt.get('kind')!r} version={ckpt.get('version')!r}")
            if ckpt["info"].get("dataset", "digits") != dataset:
                raise ValueError(f"it was trained on {ckpt['info'].get('dataset')!r}")
            stale = {k: v for k, v in settings.items() if ckpt["info"].get(k) != v}
            if stale:  # trained with another recipe: a judge must be the same on every machine
                raise ValueError(f"it was trained with another recipe (differs in {sorted(stale)})")
            model.load_state_dict(ckpt["model"])
            model.reference_info = dict(ckpt["info"], path=str(path), cached=True)
            return model.eval()
        except (ValueError, TypeError, KeyError, AttributeError) as e:
            warnings.warn(f"reference_classifier: ignoring the cache file {str(path)!r} ({e}); retraining",
                          stacklevel=2)

    if dataset == "mnist" and data_path is not None:
        from minigan.data.fashion import mnist

        x_train, y_train, x_test, y_test = (*mnist("train", path=data_path), *mnist("test", path=data_path))
    elif dataset == "fashion-mnist" and data_path is not None:
        from minigan.data.fashion import fashion_mnist

        x_train, y_train = fashion_mnist("train", path=data_path)
        x_test, y_test = fashion_mnist("test", path=data_path)
    else:
        x_train, y_train, x_test, y_test = load_image_dataset(dataset)
    folder.mkdir(parents=True, exist_ok=True)  # before the training: a cache that cannot be made loses none of it
    rng_state = random.get_rng_state()
    random.manual_seed(settings["seed"])  # the same initial weights and dropout masks on every machine
    model = build(kind, dataset, x_train)
    batches = settings["epochs"] * -(-len(x_train) // settings["batch_size"])
    ahead = (f"; `python -m minigan prepare --only {dataset}-cnn` does this ahead of a class and saves this wait, "
             f"{FIRST_TRAINING[dataset]} on an idle 2-core CPU; the time it takes here is said below, from the pace "
             "measured on its first batches" if kind == "cnn" else "")
    report = Report(f"training the {dataset} reference {kind} once ({settings['epochs']} epochs on "
                    f"{len(x_train):,} images; later runs load it{ahead})", batches, unit="batches", where=path)
    train_classifier(model, x_train, y_train, verbose=verbose, progress=report, **settings)
    seconds = report.close()
    random.set_rng_state(rng_state)
    info = {"kind": kind, "dataset": dataset, "test_accuracy": accuracy(model, x_test, y_test),
            "train_accuracy": accuracy(model, x_train[:10_000], y_train[:10_000]), "train_seconds": seconds,
            **settings}
    save({"kind": kind, "version": CACHE_VERSION, "model": model.state_dict(), "info": info}, path)
    model.reference_info = dict(info, path=str(path), cached=False)
    return model.eval()


_cache_dir = cache_dir  # reference_classifier's argument shadows the function's name


def reference_path(kind: str = "cnn", dataset: str = "digits", cache_dir=None) -> Path:
    """Where the reference classifier of ``kind`` for ``dataset`` is cached (there once it was trained)."""
    return _cache_dir(cache_dir) / f"{dataset}_{kind}_v{CACHE_VERSION}.npz"
