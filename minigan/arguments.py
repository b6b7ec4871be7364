"""The door checks of minigan's own doors: the trainers, GANs, attacks, data sets, figures and commands.

PyTorch has no such functions (its names get their checks where the engine's ops do: minigan/engine/checks.py);
these are for what only minigan has: a run's steps and batch size, a rate, a GAN's class labels.  Each raises a
one-line error naming the door and the argument, and returns the argument in the form the code takes:

    steps = arguments.positive_int("GAN", "batch_size", batch_size)
    labels = arguments.labels("train_classifier", labels, n=len(images), num_classes=10)
"""

from __future__ import annotations

import math

from minigan.engine import backend
from minigan.engine.backend import np
from minigan.engine.checks import is_integer
from minigan.engine.errors import DtypeError
from minigan.engine.tensor import Tensor


def positive_int(who: str, name: str, value) -> int:
    """``value`` as an int >= 1 (a bool is no count)."""
    if not is_integer(value) or int(value) < 1:
        raise ValueError(f"{who}: {name} must be a positive integer, got {value!r}")
    return int(value)


def _float(value) -> float:
    """``value`` as a float; NaN where it is none, so that the range check after it refuses it."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def positive_float(who: str, name: str, value) -> float:
    """``value`` as a finite float > 0."""
    v = _float(value)
    if not (math.isfinite(v) and v > 0):
        raise ValueError(f"{who}: {name} must be a positive finite number, got {value!r}")
    return v


def non_negative_float(who: str, name: str, value) -> float:
    """``value`` as a finite float >= 0; a number, not a bool or a string."""
    number = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
    if not (number and math.isfinite(value) and value >= 0):
        raise ValueError(f"{who}: {name} must be a finite number >= 0, got {value!r}")
    return float(value)


def fraction(who: str, name: str, value) -> float:
    """``value`` as a float in [0, 1) (a share, or the weight of a moving average)."""
    v = _float(value)
    if not 0.0 <= v < 1.0:  # also False for NaN
        raise ValueError(f"{who}: got {name}={value!r}, expected a number in [0, 1)")
    return v


def value_range(who: str, value) -> tuple:
    """An image's ``value_range``, (low, high) with finite low < high, as two floats."""
    try:
        low, high = value
    except (TypeError, ValueError):
        low = high = math.nan
    low, high = _float(low), _float(high)
    if not (math.isfinite(low) and math.isfinite(high) and high > low):
        raise ValueError(f"{who}: got value_range={value!r}, expected (low, high) with finite low < high, "
                         "such as (0, 1) or (-1, 1)")
    return low, high


def tensor_array(who: str, name: str, value):
    """The array of ``value``, a Tensor or an array (a frozen Parameter's data)."""
    array = value.array if isinstance(value, Tensor) else value
    if not backend.is_array(array):
        raise TypeError(f"{who}: {name} must be a Tensor or an array, got {type(value).__name__}")
    return array


def floating_array(who: str, name: str, value):
    """The array of ``value``, a Tensor or an array, of a floating dtype (a Parameter's data, an attack's inputs);
    another dtype raises a DtypeError, a TypeError and PyTorch's RuntimeError (only floats can require grad)."""
    array = tensor_array(who, name, value)
    if not backend.is_floating(array.dtype):
        raise DtypeError(f"{who}: {name} must be floating-point, got dtype {array.dtype}")
    return array


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
