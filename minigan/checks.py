"""The checks the upper floors make at their doors: counts, sizes, fractions and class labels.

Each check takes the name of the door (``who``, e.g. "train_classifier" or "train --steps"), the
argument's name and its value, and either returns the value in the form the code uses or raises a
one-line ValueError/TypeError that names the door, the argument, what it got and what it expects.
The library checks an argument once, where a user hands it in; code below the door trusts it.

    steps = checks.positive_int("GAN", "batch_size", batch_size)
    labels = checks.labels("train_classifier", labels, n=len(images), num_classes=10)
"""

from __future__ import annotations

import math

from minigan import backend
from minigan.backend import np


def positive_int(who: str, name: str, value) -> int:
    """``value`` as an int >= 1 (a bool is no count)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{who}: {name} must be a positive integer, got {value!r}")
    return int(value)


def positive_float(who: str, name: str, value) -> float:
    """``value`` as a finite float > 0."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{who}: {name} must be a positive number, got {value!r}") from None
    if not (math.isfinite(v) and v > 0):
        raise ValueError(f"{who}: {name} must be a positive finite number, got {value!r}")
    return v


def fraction(who: str, name: str, value) -> float:
    """``value`` as a float in [0, 1]."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = math.nan
    if isinstance(value, bool) or not 0.0 <= v <= 1.0:  # NaN fails both comparisons
        raise ValueError(f"{who}: {name} must be a fraction in [0, 1], got {value!r}")
    return v


def labels(who: str, labels, n: int, num_classes: int):
    """Class labels as a host int64 array of shape (n,), each in 0..num_classes-1."""
    if hasattr(labels, "array") and backend.is_array(labels.array):  # a Tensor
        labels = labels.array
    host = backend.asnumpy(labels) if backend.is_array(labels) else np.asarray(labels)
    if host.shape != (n,):
        raise ValueError(f"{who}: labels must have shape ({n},) to match the inputs, got {host.shape}")
    if not backend.is_integer(host.dtype):
        raise TypeError(f"{who}: labels must be integers, got dtype {host.dtype}")
    if n and (host.min() < 0 or host.max() >= num_classes):
        raise ValueError(f"{who}: labels must be in 0..{num_classes - 1}, got {int(host.min())}..{int(host.max())}")
    return host.astype(np.int64)


__all__ = ["positive_int", "positive_float", "fraction", "labels"]
