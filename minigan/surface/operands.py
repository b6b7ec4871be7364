"""What the bodies share: an operand read as a tensor, and the checks of several doors (a floating input, two
inputs of one dtype, a value that is one number).
"""

from __future__ import annotations

import builtins

from minigan.engine import backend, checks
from minigan.engine.errors import DomainError, DtypeError, MiniganError
from minigan.engine.tensor import Tensor
from minigan.surface import parity


class NotATensor(MiniganError, TypeError, AttributeError):
    """A tensor argument that is not one (None, a string): a TypeError, as PyTorch's C++ doors raise, and an
    AttributeError, as its Python functions raise (F.mse_loss, tensordot and normalize read the argument's size or
    dim before anything checks its type), so ``except`` catches it where it catches PyTorch's."""


def _operand(x, op, name="input") -> Tensor:
    """A tensor, or an array or a number made one (as minigan.tensor does); a list or tuple is refused, as PyTorch's
    functions refuse it (only tensor and as_tensor read one as data)."""
    if isinstance(x, Tensor):
        return x
    if backend.is_array(x) or isinstance(x, (int, float)) or backend.is_numpy_scalar(x):
        return Tensor._make(checks.to_array(x, None, None, infer=True))
    raise NotATensor(f"{op}: {name} must be a Tensor or an array, got {type(x).__name__} (make a list or tuple a "
                     "tensor first: minigan.tensor(...))")


def _t(x, fn) -> Tensor:
    if isinstance(x, Tensor):
        return x
    raise NotATensor(f"{fn}: expected a Tensor, got {type(x).__name__} (wrap it with minigan.tensor(...))")


def floating(x, fn) -> Tensor:
    """A tensor a kernel of real numbers only takes (frac, lerp, hypot, vecdot): PyTorch refuses an integer or bool
    one ("not implemented for 'Long'"), where other functions compute it in float32."""
    return _t(x, fn)._floating(fn)


def same_dtype(fn, x, other, name="other") -> None:
    """Operands a kernel takes only in one dtype (isclose, scatter's src, index_copy's source, inner, cross, prelu):
    PyTorch refuses two dtypes rather than promote them."""
    if isinstance(other, Tensor) and other.dtype != x.dtype:
        raise DtypeError(f"{fn}: {name} must have the input's dtype {x.dtype}, got {other.dtype} (PyTorch does not "
                         "promote here); convert it with .to(input.dtype)")


def one_value(fn, value) -> None:
    """The value of a fill (masked_fill, index_fill, fill_): a number, or a 0-d tensor, as PyTorch takes it; a
    tensor of more dimensions is refused there rather than broadcast, and a list or tuple (TypeError, PyTorch's)."""
    if isinstance(value, (list, tuple)):
        raise TypeError(f"{fn}: value must be a number or a 0-d tensor, got a {type(value).__name__}; use "
                        "minigan.where(mask, minigan.tensor(value), x) to fill from several values")
    if isinstance(value, Tensor) and value.ndim:
        raise DomainError(f"{fn}: value must be a number or a 0-d tensor, got a tensor of shape {tuple(value.shape)}; "
                          "use minigan.where(mask, value, x) to fill from a tensor")


def fits(fn, value, dtype) -> None:
    """A number written into a tensor of ``dtype`` (a fill) must fit it, as PyTorch's checked conversion: no ∞, NaN
    or number beyond the range into an integer dtype (an unsigned one takes a negative integer down to −max, which
    wraps), no finite number beyond the largest float32 (float16) into a float32 (float16) one; a bool dtype takes
    any number.  A Python int beyond 64 bits is refused first, whatever the dtype (PyTorch's OverflowError)."""
    dtype = backend.np.dtype(dtype)
    if type(value) is builtins.int and not -2**63 <= value < 2**64:  # (PyTorch reads it as a C integer first)
        raise OverflowError(f"{fn}: the integer {value} does not fit in 64 bits; give a float (float(value))")
    if isinstance(value, Tensor) or not isinstance(value, NUMBERS) or dtype.kind in "bc":
        return
    if dtype.kind in "iu":
        info = backend.np.iinfo(dtype)
        low = -info.max if dtype.kind == "u" and isinstance(value, (builtins.int, backend.np.integer)) else info.min
        ok = builtins.bool(low <= value <= info.max)  # (False for NaN)
    else:  # (float64's range is every finite float's)
        ok = dtype.itemsize == 8 or not builtins.float(backend.np.finfo(dtype).max) < abs(value) < float("inf")
    if not ok:
        raise DomainError(f"{fn}: the value {value!r} cannot be converted to {dtype} without overflow; give a value "
                          "within the dtype's range, or a tensor of a wider dtype")


def _fresh(t):
    """A result that PyTorch gives as a new tensor: a view of a temporary made on the way becomes a tensor of its own
    (a copy), so that it is not a view (detach_ takes it, an in-place change is its own)."""
    return t.clone() if t._base is not None else t


NUMBERS = (builtins.bool, builtins.int, builtins.float, backend.np.bool_, backend.np.integer, backend.np.floating)


def wrapped_number(input, other, fn="input"):
    """A number ``input`` beside a number ``other``: the 0-d tensor PyTorch wraps it in (bool, int64 or the default
    float dtype; a NumPy integer or float as the Python number it holds, a NumPy bool as a float, as PyTorch's), so
    ``add(2, 3)`` is tensor(5), ``div(1, 2)`` tensor(0.5) in the default dtype.  A list or tuple is refused (the
    operator the door goes on to would leave it to Python's TypeError, naming no function); anything else is left as
    it is (to be refused where a Tensor is asked for)."""
    if not (isinstance(input, NUMBERS) and isinstance(other, NUMBERS)):
        if isinstance(input, (list, tuple)):
            raise TypeError(f"{fn}(): input must be a Tensor or a number, got a {type(input).__name__}; make it a "
                            "tensor first: minigan.tensor(...)")
        return input
    kind = builtins.bool if isinstance(input, builtins.bool) else \
        builtins.int if isinstance(input, (builtins.int, backend.np.integer)) else builtins.float
    return _operand(kind(input), "input")  # (as minigan.tensor(n))


def laid_out(out, *operands):
    """``out``, an elementwise result computed in several steps (lerp, an unreduced loss), laid out as PyTorch's one
    kernel lays out the result of ``operands`` (backend.pointwise_layout): where the two differ, its array becomes a
    copy in PyTorch's layout (``out`` is new: nothing has viewed it yet, and the values are the same)."""
    out.array = parity.pointwise_layout(out.array, *(t.array if isinstance(t, Tensor) else t for t in operands))
    return out


def is_scalar(value) -> bool:
    """PyTorch's Number: a bool, an int or a float (Python's or NumPy's), or a 0-d tensor that does not require grad
    (its value is taken; one that requires grad would leave the graph, so PyTorch refuses it)."""
    if isinstance(value, Tensor):
        return value.ndim == 0 and not value.requires_grad
    return isinstance(value, NUMBERS)


def number(fn, name, value):
    """A scale (``alpha=``, ``value=``) as the number it is, refused (TypeError) where it is none."""
    if not is_scalar(value):
        raise TypeError(f"{fn}(): argument '{name}' must be a number, got {type(value).__name__}"
                        + (" that requires grad or has dimensions; pass a number" if isinstance(value, Tensor) else ""))
    return value.item() if isinstance(value, Tensor) else checks.number(value)  # (np.float64(2.5): the number
    # 2.5, which does not promote a float32 result; np.True_: 1.0)


def in_dtype(fn, name, value, dtype):
    """A scale as the kernels of addcmul and the matrix products (addmm, addmv, addbmm, baddbmm) read it: converted
    to the result's ``dtype``, so a bool result takes its truth, an integer one the number truncated toward zero
    (beta=2.5 scales by 2), which must fit the dtype (NaN, ±∞ or a number out of its range: RuntimeError, as
    PyTorch's "cannot be converted ... without overflow")."""
    value = number(fn, name, value)
    if dtype.kind == "b":
        return bool(value)
    if dtype.kind in "iu":
        fits(f"{fn}: {name}", value, dtype)
        return int(value)
    return value
