"""The doors of the scaled sums, ``add``/``sub`` (input ± alpha·other), ``subtract``/``rsub`` and
``addcmul``/``addcdiv`` (input + value·t1·t2, input + value·t1/t2): how PyTorch binds their arguments, overload by
overload, and what it takes as the scale.

PyTorch takes the scale by keyword only, ``x.add(y, alpha=2)``, so ``x.add(y, 2)`` is refused (a TypeError), except
in the overloads it keeps for old code, where the scale comes first: ``x.add(2, y)`` is x + 2·y and
``x.addcmul(2, t1, t2)`` is x + 2·t1·t2.  ``subtract`` and ``rsub`` have instead ``(other, alpha)`` with both numbers
(``torch.subtract(x, 2, 3)`` is x − 6).  A scale is a number (Python's or NumPy's, or a 0-d tensor that does not
require grad).  add's, sub's and addr's refuse a float scale for an integer result and a bool one for a result that
is not bool (checked_alpha); addcmul's and the matrix products' convert it to the result's dtype instead, an integer
result truncating it (in_dtype: ``addcmul`` of int64 with value=2.5 scales by 2).

    other, alpha = scaled.alpha_first("add", other, rest, alpha)
    return x + scaled.checked_alpha("add", alpha, x, other) * other
"""

from __future__ import annotations

import math

from minigan.engine import backend, checks, dtypes
from minigan.engine.backend import np
from minigan.engine.errors import DtypeError
from minigan.engine.tensor import Tensor
from minigan.surface import pointwise
from minigan.surface.no_derivative import no_derivative
from minigan.surface.operands import NUMBERS, fits, in_dtype, is_scalar, number
from minigan.surface.overlap import refuse_overlap


def _refuse(fn, given, takes, how):
    raise TypeError(f"{fn}() takes {takes} positional argument{'s' if takes > 1 else ''} but {given} were given; "
                    f"{how}")


def alpha_first(fn, other, rest, alpha):
    """(other, alpha) of add and sub: ``(other, *, alpha=1)``, or PyTorch's old ``(alpha, other)``, a number first
    (alpha None: not given by keyword, so 1)."""
    if not rest:
        return other, 1 if alpha is None else alpha
    if len(rest) > 1 or not is_scalar(other) or alpha is not None:
        _refuse(fn, 1 + len(rest), 1, f"alpha goes by keyword: {fn}(other, alpha=2)")
    return rest[0], other


def numbers_pair(fn, other, rest, alpha):
    """(other, alpha) of subtract and rsub: ``(other, *, alpha=1)``, or ``(other, alpha)`` where both are numbers."""
    if not rest:
        return other, 1 if alpha is None else alpha
    if len(rest) > 1 or not (is_scalar(other) and is_scalar(rest[0])) or alpha is not None:
        _refuse(fn, 1 + len(rest), 1, f"alpha goes by keyword when other is a tensor: {fn}(other, alpha=2)")
    return number(fn, "other", other), rest[0]  # (a 0-d tensor is the number it holds there, as in PyTorch)


def value_first(fn, tensor1, tensor2, rest, value):
    """(tensor1, tensor2, value) of addcmul and addcdiv: ``(tensor1, tensor2, *, value=1)``, or PyTorch's old
    ``(value, tensor1, tensor2)``, a number first."""
    if not rest:
        return tensor1, tensor2, 1 if value is None else value
    if len(rest) > 1 or not is_scalar(tensor1) or value is not None:
        _refuse(fn, 2 + len(rest), 2, f"value goes by keyword: {fn}(tensor1, tensor2, value=2)")
    return tensor2, rest[0], tensor1


def checked_alpha(fn, value, input, other, name="alpha"):
    """``alpha=`` (addr's ``beta=`` too) as a number, checked against the dtype of ``input`` ± ``other`` as PyTorch
    checks it: a float (NumPy's bool is one there) for an integer or bool result, or a bool for a result that is not
    bool, is refused."""
    value = number(fn, name, value)
    if isinstance(input, Tensor) and input.dtype.kind in "fc" and not isinstance(value, bool):
        return value  # (a floating input makes a floating result, which any number scales: no dtype to work out)
    if not all(isinstance(x, (Tensor, *NUMBERS)) for x in (input, other)):
        return value  # (an operand of another type: the op refuses it, naming it)
    result = dtypes.result_type(*(checks.number(x) for x in (input, other)))
    kind = result.kind
    if type(value) is int and kind != "b":  # an integer scales any result but a bool one, if it fits an integer
        if kind in "iu":  # result's dtype (PyTorch converts it: uint8 takes no 300; sub adds -alpha·other)
            fits(f"{fn}: {name}", -value if fn.lstrip("r").startswith("sub") else value, result)
        return value
    if kind in "biu" and isinstance(value, (float, np.floating)):
        result = "bool" if kind == "b" else "an integer"
        raise DtypeError(f"{fn}: {name}={value!r} is a float, and the result is {result} (PyTorch does not round "
                         f"it); give an integer {name}, or a floating tensor (x.double())")
    if kind != "b" and isinstance(value, bool):
        raise DtypeError(f"{fn}: {name}={value!r} is a bool, which scales only a bool result; give {name} as a "
                         "number")
    return bool(value) if kind == "b" else value  # (bools: x + alpha·y is x or (alpha and y), as PyTorch's)


def widened(input, other, alpha):
    """``other`` in the dtype of ``input ± alpha·other`` where that is wider than its own: PyTorch's kernel scales
    ``other`` in the result's dtype, so a float32 or integer ``other`` added to a float64 ``input`` with alpha=0.1 is
    rounded once, in float64 (the engine's ``other * alpha`` would round it to float32 first).  An ∞ or NaN alpha
    broadcasts other to the result's shape first: PyTorch scales other's gradient, then sums it over the broadcast
    (0 over nothing), where summing first and then scaling gives 0·∞ = NaN."""
    if alpha == 1 or not (isinstance(input, Tensor) and isinstance(other, Tensor)):
        return other
    if not math.isfinite(alpha) and other.shape != input.shape:
        other = other.expand(*backend.broadcast_shapes(input.shape, other.shape, op="input ± alpha·other"))
    if other.dtype == input.dtype:
        return other
    dtype = dtypes.result_type(input, other)
    return other if other.dtype == dtype else other.astype(dtype)


def scaled_operand(fn, input, other, rest, alpha, subtract=False):
    """(the operand, alpha) of add/sub and their in-place forms: bound as PyTorch's (alpha_first), alpha checked
    against the result's dtype, and other widened so that alpha·other is computed in that dtype; a difference of
    bools refused (``subtract``), as x - y refuses it."""
    other, alpha = alpha_first(fn, other, rest, alpha)
    if isinstance(other, (list, tuple)):  # (the operator would leave it to Python's own TypeError, naming no function)
        raise TypeError(f"{fn}(): other must be a Tensor or a number, got a {type(other).__name__}; make it a tensor "
                        "first: minigan.tensor(...)")
    other = checks.number(other)  # (a NumPy scalar is the number it holds: np.True_ is 1.0, as in PyTorch)
    alpha = checked_alpha(fn, alpha, input, other)
    if fn.endswith("_") and isinstance(other, Tensor):  # add_/sub_: other is checked against the memory written
        refuse_overlap(fn, input.array, other.array)  # before alpha scales it into an array of its own
    return widened(input, checks.not_bool(input, other) if subtract else other, alpha), alpha


# ----------------------------------------------------------------------------- the free forms (torch.add, ...)
def add(input, other, *rest, alpha=None):
    """input + alpha·other (``torch.add(x, 2, y)``, the old overload: x + 2·y)."""
    if isinstance(input, Tensor):  # (bound and checked here: the engine's add, not the method's door a second time)
        return Tensor.add(input, *scaled_operand("add", input, other, rest, alpha))
    other, alpha = alpha_first("add", other, rest, alpha)
    return pointwise.add(input, other, alpha=checked_alpha("add", alpha, input, other))


def sub(input, other, *rest, alpha=None):
    """input − alpha·other (``torch.sub(x, 2, y)``, the old overload: x − 2·y)."""
    if isinstance(input, Tensor):  # (bound and checked here: the engine's sub, not the method's door a second time)
        return Tensor.sub(input, *scaled_operand("sub", input, other, rest, alpha, subtract=True))
    other, alpha = alpha_first("sub", other, rest, alpha)
    return pointwise.sub(input, other, alpha=checked_alpha("sub", alpha, input, other))


def subtract(input, other, *rest, alpha=None):
    """input − alpha·other (``torch.subtract(x, 2, 3)``: x − 6)."""
    other, alpha = numbers_pair("subtract", other, rest, alpha)
    alpha = checked_alpha("subtract", alpha, input, other)
    if isinstance(input, Tensor):  # (bound and checked here: the engine's sub, not the method's door a second time)
        return Tensor.sub(input, widened(input, checks.not_bool(input, other), alpha), alpha)
    return pointwise.sub(input, other, alpha=alpha)


def rsub(input, other, *rest, alpha=None):
    """other − alpha·input (``torch.rsub(x, 2, 3)``: 2 − 3·x)."""
    other, alpha = numbers_pair("rsub", other, rest, alpha)
    alpha = checked_alpha("rsub", alpha, input, other)
    if isinstance(input, Tensor) and isinstance(other, (Tensor, *NUMBERS)):
        checks.not_bool(input, other)  # (a difference of bools is refused, as x - y refuses it)
        dtype = dtypes.result_type(input, checks.number(other))
        input = input if input.dtype == dtype else input.astype(dtype)  # (one op over both: alpha does not promote)
    return pointwise.rsub(input, other, alpha=alpha)


def _tensors(fn, input, tensor1, tensor2):
    """addcmul's and addcdiv's operands, which PyTorch takes as tensors only (a number is refused, as it is not for
    add's other)."""
    for name, t in (("input", input), ("tensor1", tensor1), ("tensor2", tensor2)):
        if not isinstance(t, Tensor):
            raise TypeError(f"{fn}(): argument '{name}' must be a Tensor, not {type(t).__name__}; wrap a number "
                            "with minigan.tensor(...)")


def _promoted(*tensors):
    """The tensors in the one dtype PyTorch computes addcmul and addcdiv in, promoting the three at once: the highest
    category (bool < integer < floating) among them, in the dtype of the tensors of that category that have
    dimensions, or else of the 0-d ones (float32 · int64 · a 0-d float64 is float32)."""
    kind = {"b": 0, "i": 1, "u": 1}
    top = max(kind.get(t.dtype.kind, 2) for t in tensors)
    for group in ([t for t in tensors if t.ndim], [t for t in tensors if not t.ndim]):
        same = [t.dtype for t in group if kind.get(t.dtype.kind, 2) == top]
        if same:
            dtype = np.result_type(*same)
            return tuple(t if t.dtype == dtype else t.astype(dtype) for t in tensors)


def addcmul(input, tensor1, tensor2, *rest, value=None):
    """input + value·tensor1·tensor2 (``torch.addcmul(x, 2, t1, t2)``, the old overload)."""
    tensor1, tensor2, value = value_first("addcmul", tensor1, tensor2, rest, value)
    _tensors("addcmul", input, tensor1, tensor2)
    if input.dtype.kind == tensor1.dtype.kind == tensor2.dtype.kind == "b":
        raise DtypeError("addcmul: not provided for bool tensors (nor in PyTorch); convert them first, e.g. x.int()")
    input, tensor1, tensor2 = _promoted(input, tensor1, tensor2)
    return pointwise.addcmul(input, tensor1, tensor2, value=in_dtype("addcmul", "value", value, input.dtype))


def addcdiv(input, tensor1, tensor2, *rest, value=None):
    """input + value·tensor1/tensor2 (``torch.addcdiv(x, 2, t1, t2)``, the old overload)."""
    tensor1, tensor2, value = value_first("addcdiv", tensor1, tensor2, rest, value)
    _tensors("addcdiv", input, tensor1, tensor2)
    if tensor1.dtype.kind in "biu" and tensor2.dtype.kind in "biu":
        raise DtypeError("addcdiv: integer division is no longer provided (nor in PyTorch); give a floating tensor1 "
                         "or tensor2 (tensor1.double()) for true division, or use x + value * (t1 // t2)")
    out = pointwise.addcdiv(*_promoted(input, tensor1, tensor2), value=number("addcdiv", "value", value))
    if tensor1.requires_grad and tensor2.dtype.kind in "biu":  # PyTorch's backward writes t1's gradient in t2's dtype
        return no_derivative(out.detach(), "addcdiv", input, tensor1, tensor2, shown="AddcdivBackward0",
                             why=f"the gradient to tensor1 cannot be written in tensor2's dtype {tensor2.dtype} "
                                 "(PyTorch's backward refuses it too); divide by tensor2.double()")
    return out
