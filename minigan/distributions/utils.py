"""Helpers the distributions share: parameters broadcast to one shape, the standard normal noise of rsample, and
the two views of a discrete distribution's parameters (probabilities and logits)."""

from __future__ import annotations

import functools
import numbers

from minigan import toplevel as T
from minigan.engine import backend
from minigan.engine.grad_mode import enable_grad
from minigan.surface import random
from minigan.surface.tensor import Tensor

__all__ = ["broadcast_all", "clamp_probs", "lazy_property", "logits_to_probs", "probs_to_logits"]


def is_number(value) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, Tensor)


def one_kind(a, b) -> bool:
    """Whether ``a`` and ``b`` are tensors of one shape, dtype and kind of array (device): the usual call, with
    nothing to broadcast, promote or move (read from their arrays: a yes or no needs none of PyTorch's rules)."""
    return (isinstance(a, Tensor) and isinstance(b, Tensor) and type(a.array) is type(b.array)
            and a.array.shape == b.array.shape and a.array.dtype == b.array.dtype)


def broadcast_all(*values):
    """The values broadcast to one shape: tensors by broadcasting, a number becomes a tensor of the first tensor's
    dtype and device (the default dtype when all are numbers)."""
    if not all(isinstance(v, Tensor) or is_number(v) for v in values):
        raise ValueError("Input arguments must all be instances of Number, torch.Tensor or objects implementing "
                         "__torch_function__.")
    first = next((v for v in values if isinstance(v, Tensor)), None)
    options = {"dtype": first.dtype, "device": first.device} if first is not None else {"dtype": T.get_default_dtype()}
    return T.broadcast_tensors(*(v if isinstance(v, Tensor) else T.tensor(v, **options) for v in values))


# the mean and the mode of a distribution symmetric about its loc, with its peak there (Normal, Laplace,
# MultivariateNormal)
at_loc = property(lambda self: self.loc)


def standard_normal(shape, like):
    """N(0, 1) noise of ``shape`` in ``like``'s dtype and device, drawn as PyTorch draws it, ``empty().normal_()``:
    the stream's normal kernel for a new (contiguous) array (minigan/surface/random.py), made a tensor (of no
    entries, no words drawn)."""
    return Tensor._make(random.normal(shape, like.array.dtype, xp=backend.get_array_module(like.array)))


def sum_rightmost(value, dim: int):
    """``value`` summed over its ``dim`` rightmost dimensions."""
    if dim == 0:
        return value
    return value.reshape(tuple(value.shape[:-dim]) + (-1,)).sum(-1)


def finfo(dtype):
    return backend.np.finfo(getattr(dtype, "dtype", dtype))


def clamp_probs(probs):
    """Probabilities kept inside (0, 1) by the dtype's eps, so that their logs stay finite."""
    eps = float(finfo(probs.dtype).eps)
    return probs.clamp(min=eps, max=1 - eps)


def logits_to_probs(logits, is_binary: bool = False):
    """sigmoid of log-odds (binary), else softmax of unnormalised log-probabilities over the last dimension."""
    return T.sigmoid(logits) if is_binary else T.softmax(logits, -1)


def probs_to_logits(probs, is_binary: bool = False):
    """log-odds (binary) or log-probabilities, of probabilities clamped inside (0, 1)."""
    clamped = clamp_probs(probs)
    return T.log(clamped) - T.log1p(-clamped) if is_binary else T.log(clamped)


def broadcast_shapes(*shapes):
    """The shape the given shapes broadcast to (as tensors of those shapes would)."""
    return T.Size(backend.np.broadcast_shapes(*(tuple(s) for s in shapes)))


class lazy_property:
    """A parameter made from another the first time it is read, then kept on the instance (Bernoulli's logits from
    its probs): a distribution given one form holds only that one until the other is asked for."""

    def __init__(self, wrapped):
        self.wrapped = wrapped
        functools.update_wrapper(self, wrapped)

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        with enable_grad():  # (made inside no_grad, it would otherwise be kept cut from the graph for good)
            value = self.wrapped(instance)
        instance.__dict__[self.wrapped.__name__] = value  # the instance's own attribute wins from now on
        return value
