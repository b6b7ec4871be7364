"""What the functions of ``minigan.functional`` share: reading an argument as a tensor, its dtype, the label and
weight checks of several losses.
"""

from __future__ import annotations

from minigan._dtype import common_dtype
from minigan.engine import backend, checks
from minigan.engine.errors import DomainError, DtypeError
from minigan.surface import pointwise
from minigan.surface.layout import laid_out
from minigan.surface.operands import NotATensor
from minigan.surface.tensor import Tensor, tensor


def _tensor(x, op, name="input") -> Tensor:
    if isinstance(x, Tensor):
        return x
    if backend.is_array(x) or isinstance(x, (int, float, list, tuple)) or backend.is_numpy_scalar(x):
        return tensor(x)
    raise NotATensor(f"{op}: {name} must be a Tensor or an array, got {type(x).__name__}")  # (PyTorch's classes)


def _float(x, op, name="input") -> Tensor:
    x = _tensor(x, op, name)
    if x.array.dtype.kind != "f":  # (NumPy's dtype, read with no Python call: 42 times an mlp-ring iteration)
        raise DtypeError(f"{op}: {name} must be a floating-point tensor, got dtype {x.dtype}")
    return x


def _floats(op, *named, integers=False, bools=False) -> list:
    """The tensors a loss is composed of, (value, name) pairs, as PyTorch's ops take them: in their common dtype
    where it is floating (an integer target beside a float input); where all are integers, the default float dtype
    if PyTorch's ops turn them into one (``integers``; ``bools`` too), else refused as ``_float`` refuses."""
    tensors = [_tensor(x, op, name) for x, name in named]
    common = common_dtype(tensors)
    if not backend.is_floating(common):
        if not (integers and (bools or common.kind != "b")):
            for t, (_, name) in zip(tensors, named):
                _float(t, op, name)
        common = backend.np.dtype(backend.DEFAULT_DTYPE)
    return [t if t.dtype == common else t.to(common) for t in tensors]


def _single(op, value):
    """A 1-d window's size, stride, padding or dilation: an int, or PyTorch's list of one int (a list of another
    length is refused there with a RuntimeError, as PyTorch's)."""
    if isinstance(value, (tuple, list)):
        if len(value) != 1:
            raise DomainError(f"{op}: expected an int or a list of one int for a 1-d window, got {value!r}")
        return value[0]
    return value


def _into(x, op, fn):
    """PyTorch's ``inplace=True``: fn's result written into x itself, as any in-place op (recorded on x's history,
    its version moved on, refused on a leaf that requires grad), and x returned."""
    return _tensor(x, op)._in_place(f"{op}(inplace=True)", fn)


def _same_dtype(op, x, weight):
    """A layer computes in its parameters' dtype; a float64 input to float32 weights is a mistake (usually
    NumPy noise or data), caught here at the layer instead of later at optimizer.step(), as PyTorch does."""
    if x.array.dtype != weight.array.dtype:  # (NumPy's dtypes compared with no Python call, as in _float)
        # (a dtype prints as its full name, minigan.float64: the advice pastes it as it prints)
        raise DtypeError(f"{op}: input is {x.dtype} but the weight is {weight.dtype}; expected the same dtype "
                        f"(convert the input with x.to({weight.dtype}), or the layer with .to({x.dtype}))")


# ----------------------------------------------------------------------------- convolution, normalization
def _one_sample(fn, x, *args, new=False):
    """fn of one sample without its batch axis, as PyTorch allows ((C, H, W) for an image layer): fn of a batch
    of one, the batch axis taken off again: a view of that batch's result, as PyTorch's convolutions and 1-D pools
    give, or (``new``) a row-major copy, new memory, as its kernels that take an unbatched input give."""
    out = fn(x.unsqueeze(0), *args)
    if new:
        return tuple(laid_out(o.squeeze(0), x, False) for o in out) if isinstance(out, tuple) else \
            laid_out(out.squeeze(0), x, False)
    return tuple(o.squeeze(0) for o in out) if isinstance(out, tuple) else out.squeeze(0)


# ----------------------------------------------------------------------------- composed from the ops above
# Each of these is a few lines of minigan ops, so its gradient (of any order) is the composition's: nothing
# new to differentiate by hand.  The formula in each docstring is PyTorch's documented one.
where = pointwise.choose  # (the math of minigan.where: minigan/surface/pointwise.py)


def _number(op, name, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) and not backend.is_numpy_scalar(value):
        raise TypeError(f"{op}: {name} must be a number, got {type(value).__name__} {value!r}")
    return float(value)


def pair(value, name: str, op: str, minimum: int) -> tuple:
    """An int or an (h, w) pair of ints (or a list of one, for both), each at least ``minimum``, as (h, w)."""
    many = isinstance(value, (tuple, list)) and len(value) in (1, 2)
    pair_ = tuple(value) * (3 - len(value)) if many else (value, value)  # ([2]: (2, 2))
    for v in pair_:
        if not checks.is_integer(v):
            raise TypeError(f"{op}: {name} must be an int or an (h, w) pair of ints, got {value!r}")
        if v < minimum:
            raise DomainError(f"{op}: {name} must be >= {minimum}, got {value!r}")
    return (int(pair_[0]), int(pair_[1]))
