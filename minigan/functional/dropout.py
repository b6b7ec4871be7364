"""Dropout: elementwise, and whole channels (``dropout1d``, ``dropout2d``).
"""

from __future__ import annotations

import warnings

from minigan.engine import backend, checks
from minigan.engine.errors import DomainError, ShapeError
from minigan.engine.ops import elementwise as E
from minigan.functional._common import _float, _into, _tensor
from minigan.surface import random
from minigan.surface.random_doors import laid_out
from minigan.surface.tensor import Tensor


def dropout(input, p=0.5, training=True, inplace=False):
    """Inverted dropout: zero each element with probability p and scale the rest by 1/(1−p),
    so the expected activation is unchanged and evaluation needs no rescaling."""
    if not checks.is_number(p) or not 0 <= p <= 1:
        raise DomainError(f"dropout: p must be a probability in [0, 1], got {p!r}")
    # (a NumPy scalar p is a number, as in PyTorch: a float64 one must not promote a float32 input)
    return _written(input, p, training, inplace, "dropout", lambda t: _drop(t, float(p), training, "dropout"))


def _written(input, p, training, inplace, op, drop):
    """``drop(input)``, or with ``inplace`` its result written into input.  As PyTorch's kernel, which hands back the
    input itself where nothing is drawn (not training, p = 0, no entries), an in-place dropout there writes nothing:
    no version moves, and a leaf that requires grad or an expanded tensor is no refusal."""
    x = _tensor(input, op)
    if inplace and training and p != 0 and x.numel():
        return _into(x, op, drop)
    return drop(x)


def _drop(input, p, training, op, feature=False):
    """PyTorch's dropout kernel, which each dropout here shares: nothing drawn where not training, where p = 0 or where
    the input is empty (the input itself, any dtype); p = 1: x·0 in x's own dtype (integers and bools too; ∞·0 = NaN,
    as there); else a keep-mask, one draw per element or, for ``feature`` dropout, per (sample, channel) of an
    (N, C, ...) input, scaled by 1/(1 − p), which needs a floating input."""
    if not training or p == 0 or input.numel() == 0:
        return input
    xp = backend.get_array_module(input.array)
    if p == 1:
        return E.Mul.apply(input, Tensor._make(xp.zeros((), dtype=input.dtype)))
    if feature and input.ndim < 2:
        raise ShapeError(f"{op}: feature dropout needs an input (N, C, ...) of at least 2 dimensions, got shape "
                         f"{tuple(input.shape)}; use dropout for element-wise dropout")
    input = _float(input, op)
    draw = lambda shape: random.bernoulli(1 - p, shape, input.dtype, xp)  # PyTorch's noise.bernoulli_(1 − p): a
    if feature:  # double uniform per entry (per (sample, channel) here), in the input's memory order
        keep = draw(input.shape[:2] + (1,) * (input.ndim - 2))
    else:
        keep = laid_out(input.array, draw, activations=True)
    return E.Mul.apply(input, Tensor._make(keep / input.dtype.type(1 - p)))


def dropout2d(input, p=0.5, training=True, inplace=False):
    """Channel dropout of x (N, C, H, W): zero whole channels with probability p, scale the rest by 1/(1−p).

    As PyTorch's, it takes any input of 2 or more dimensions as (N, C, ...) and drops whole (sample, channel)
    slices, with PyTorch's warnings: a (N, C) input is dropped element by element, and a 3-D one is read as
    (N, C, L), not as an unbatched (C, H, W); a 0- or 1-D one, where nothing is drawn (p = 0 or 1, not training)."""
    input = _tensor(input, "dropout2d")  # (any dtype when not training: returned as it is, as PyTorch's)
    if not checks.is_number(p) or not 0 <= p <= 1:
        raise ValueError(f"dropout2d: p must be a probability in [0, 1], got {p!r}")
    if input.ndim not in (3, 4):
        warnings.warn(f"dropout2d: Received a {input.ndim}-D input to dropout2d, which is deprecated and will result "
                      "in an error in a future release. To retain the behavior and silence this warning, please use "
                      "dropout instead. Note that dropout2d exists to provide channel-wise dropout on inputs with 2 "
                      "spatial dimensions, a channel dimension, and an optional batch dimension (i.e. 3D or 4D "
                      "inputs).", stacklevel=2)
    if input.ndim == 3:
        warnings.warn("dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout behavior "
                      "is desired - input is interpreted as shape (N, C, L), where C is the channel dim. This behavior "
                      "will change in a future release to interpret the input as one without a batch dimension, i.e. "
                      "shape (C, H, W). To maintain the 1D channel-wise dropout behavior, please switch to using "
                      "dropout1d instead.", stacklevel=2)
    return _written(input, p, training, inplace, "dropout2d", lambda t: _drop(t, float(p), training, "dropout2d",
                                                                              feature=True))


def dropout1d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of (N, C, L) (or (C, L)) with probability p, scaling the rest by 1/(1 − p)."""
    input = _tensor(input, "dropout1d")  # (any dtype when not training: returned as it is, as PyTorch's)
    if not checks.is_number(p) or not 0 <= p <= 1:
        raise ValueError(f"dropout1d: p must be a probability in [0, 1], got {p!r}")
    if input.ndim not in (2, 3):
        raise ShapeError(f"dropout1d: expected input (N, C, L) or (C, L), got shape {tuple(input.shape)}")
    return _written(input, p, training, inplace, "dropout1d", lambda t: _channels_1d(t, float(p), training))


def _channels_1d(input, p, training):
    batched = input if input.ndim == 3 else input.unsqueeze(0)  # (unbatched: batched and unbatched, as PyTorch's,
    out = _drop(batched, p, training, "dropout1d", feature=True)  # so a view of it where nothing is drawn)
    return out if input.ndim == 3 else out.squeeze(0)
