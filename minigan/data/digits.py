"""The 8x8 handwritten digits bundled with minigan (UCI "Optical Recognition of Handwritten Digits").

1,797 grey images of 8x8 pixels with integer values 0..16, labels 0..9; the same file scikit-learn
ships as ``digits.csv.gz`` (one row per image: 64 pixels row by row, then the label). Attribution and
licence (CC BY 4.0): ``DIGITS_LICENSE.txt`` next to this file.

The train/test split is FIXED: stratified by class, 20% of each class (rounded) goes to the test set,
chosen by a permutation with a constant seed that never depends on ``minigan.manual_seed``. So every
run, every seed and every machine sees the same 1,438 training and 359 test images:

    class   0   1   2   3   4   5   6   7   8   9   total
    train 142 146 142 146 145 146 145 143 139 144   1438
    test   36  36  35  37  36  36  36  36  35  36    359
"""

from __future__ import annotations

import functools
import gzip
from pathlib import Path

from minigan.engine.backend import np

DATA_FILE = Path(__file__).with_name("digits.csv.gz")
NUM_IMAGES = 1797
TEST_FRACTION = 0.2
_SPLIT_SEED = 8_8_1797  # a constant: the split must never move when the user changes the seed

SPLITS = ("train", "test", "all")
SCALES = ("01", "pm1")


@functools.lru_cache(maxsize=1)
def _load_raw():
    """(pixels uint8 (1797, 64), labels int64 (1797,)), parsed once per process."""
    try:
        with gzip.open(DATA_FILE, "rt") as f:
            table = np.loadtxt(f, delimiter=",", dtype=np.int64)
    except FileNotFoundError:
        raise FileNotFoundError(
            f"load_digits: the bundled data file {str(DATA_FILE)!r} is missing; reinstall minigan"
        ) from None
    except (OSError, EOFError, ValueError) as e:
        raise RuntimeError(
            f"load_digits: the bundled data file {str(DATA_FILE)!r} is unreadable ({e})"
        ) from e
    pixels, labels = table[:, :64], table[:, 64]
    if (
        table.shape != (NUM_IMAGES, 65)
        or pixels.min() < 0
        or pixels.max() > 16
        or set(labels) != set(range(10))
    ):
        raise RuntimeError(
            f"load_digits: the bundled data file {str(DATA_FILE)!r} is corrupt: got a table of shape "
            f"{table.shape}, expected ({NUM_IMAGES}, 65) with pixels in 0..16 and labels 0..9"
        )
    pixels, labels = pixels.astype(np.uint8), labels.copy()
    pixels.setflags(write=False)  # the cached copy is shared by every call: keep it read-only
    labels.setflags(write=False)
    return pixels, labels


@functools.lru_cache(maxsize=1)
def split_indices():
    """(train_idx, test_idx): the fixed, stratified, disjoint split, each in increasing order."""
    _, labels = _load_raw()
    rng = np.random.default_rng(_SPLIT_SEED)  # its own generator, not minigan.engine.backend's
    test = []
    for c in range(10):  # ten classes, not a loop over samples
        members = np.flatnonzero(labels == c)
        n_test = int(round(TEST_FRACTION * members.size))
        test.append(rng.permutation(members)[:n_test])
    test_idx = np.sort(np.concatenate(test))
    train_idx = np.setdiff1d(np.arange(labels.size), test_idx)
    return train_idx, test_idx


def load_digits(split: str = "train", scale: str = "01"):
    """The digits as ``(images float32 (N, 1, 8, 8), labels int64 (N,))`` on the host.

    split: "train" (1,438 images), "test" (359) or "all" (1,797, file order).
    scale: "01" maps the pixel values 0..16 to [0, 1]; "pm1" to [-1, 1] (for a tanh generator).
    """
    if split not in SPLITS:
        raise ValueError(f"load_digits: got split={split!r}, expected one of {SPLITS}")
    if scale not in SCALES:
        raise ValueError(f"load_digits: got scale={scale!r}, expected one of {SCALES}")
    pixels, labels = _load_raw()
    if split != "all":
        train_idx, test_idx = split_indices()
        idx = train_idx if split == "train" else test_idx
        pixels, labels = pixels[idx], labels[idx]
    images = pixels.reshape(-1, 1, 8, 8).astype(np.float32) / np.float32(16.0)
    if scale == "pm1":
        images = images * np.float32(2.0) - np.float32(1.0)
    return images, labels.astype(np.int64)  # fresh copies: the caller may modify them
