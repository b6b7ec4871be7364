"""PyTorch's deprecated functions that it still has, kept here with its warnings: older tutorials call them.

Each warns as PyTorch's does (its category and its text, with "minigan" where PyTorch's says "torch", so a program
prints the same after the rename) and then does what PyTorch's does.
"""

from __future__ import annotations

import math
import warnings

from minigan import linalg
from minigan._dtype import TYPE_NAMES
from minigan.engine import backend, checks
from minigan.engine.errors import ShapeError
from minigan.surface import creation, operands
from minigan.surface.creation import _made, _xp
from minigan.surface.out import factory_out
from minigan.surface.tensor import Tensor
from minigan.toplevel import set_default_device, set_default_dtype


@factory_out
def range(start, end, step=1, *, dtype=None, layout=None, device=None, requires_grad=False) -> Tensor:  # noqa: A001
    """start, start+step, ..., up to and *including* end: ⌊(end − start) / step⌋ + 1 values, float32 unless
    ``dtype`` says otherwise (even for integer arguments), as PyTorch's.  ``arange(start, end + step, step)``
    is what to write instead."""
    warnings.warn("minigan.range is deprecated and will be removed in a future release because its behavior is "
                  "inconsistent with Python's range builtin. Instead, use minigan.arange, which produces values in "
                  "[start, end).", UserWarning, stacklevel=3)  # (3: the program's line, past factory_out)
    creation.only_defaults("range", layout)  # (layout=minigan.strided, the default, is taken)
    creation.no_bool_range("range", dtype)
    start, end, step = (checks.number(v.item() if isinstance(v, Tensor) else v) for v in (start, end, step))
    if step == 0 or math.isnan(step):  # (the checks read the numbers in double, as PyTorch's)
        raise RuntimeError(f"range: step must be nonzero, got {step}")
    if not (math.isfinite(start) and math.isfinite(end)):
        raise RuntimeError(f"range: unsupported range {start} -> {end}; start and end must be finite")
    if (float(end) - float(start)) * float(step) < 0:
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    kind = backend.np.dtype(dtype or backend.DEFAULT_DTYPE)
    # then its kernel reads the three in its accumulating type, counts ⌊(end − start) / step + 1⌋ there (the + 1
    # before rounding down: range(0.1, 0.3, 0.1) has 3 values) and makes start + i·step there: int64 for every
    # integer dtype (its values then wrap into the dtype), float32 for float16, double for the others
    acc = backend.np.int64 if kind.kind in "iu" else backend.np.float32 if kind.itemsize == 2 else backend.np.float64
    if acc != backend.np.float64:
        for v in (start, end, step):
            operands.fits("range", v, acc)
    if acc == backend.np.int64:
        start, end, step = int(start), int(end), int(step)
        if step == 0:  # (a fractional step read as 0: PyTorch 2.13's own process dies there)
            raise RuntimeError("range: step must be nonzero, and an integer dtype reads a fractional step as 0")
        count = (end - start) // step + 1  # (exact: the quotient is not negative)
    else:
        start, end, step = acc(start), acc(end), acc(step)
        with backend.np.errstate(all="ignore"):
            count = (end - start) / step + acc(1)
    if not count < 2.0**63 - 1:  # (PyTorch's RuntimeError, before any memory is asked for)
        raise RuntimeError(f"range: from {start} to {end} by {step} is more values than int64 can count; take a "
                           "larger step")
    try:
        with backend.np.errstate(invalid="ignore", over="ignore"):  # (an infinite step: start + 0·∞, NaN, as
            values = start + step * _xp(device).arange(int(count), dtype=acc)  # PyTorch's)
    except (MemoryError, ValueError):  # (more than memory holds: RuntimeError, as PyTorch's allocator, not NumPy's)
        raise RuntimeError(f"range: {int(count)} values do not fit in memory; take a larger step or a shorter range"
                           ) from None
    with backend.np.errstate(over="ignore"):  # (past float16's range: ±inf, as PyTorch's)
        return _made(values.astype(kind), requires_grad)


_warned_once: list = []  # set_default_tensor_type has warned


def set_default_tensor_type(t, /) -> None:
    """``set_default_tensor_type(minigan.DoubleTensor)`` (or its name, ``"minigan.FloatTensor"``; the
    ``cuda.`` ones set the default device too): PyTorch 2.1 deprecated it for set_default_dtype and
    set_default_device, which it calls."""
    if not _warned_once:  # PyTorch's is a C++ warning, given once a process
        _warned_once.append(True)
        warnings.warn("minigan.set_default_tensor_type() is deprecated as of PyTorch 2.1, please use "
                      "minigan.set_default_dtype() and minigan.set_default_device() as alternatives.", UserWarning,
                      stacklevel=2)
    if isinstance(t, str):
        name = t.split(".", 1)[1] if t.startswith(("torch.", "minigan.")) else t
        device = "cuda" if name.startswith("cuda.") else "cpu"
        name = name.removeprefix("cuda.")
    else:  # minigan.FloatTensor, minigan.cuda.DoubleTensor: the typed constructors
        name, device = getattr(t, "name", None), getattr(t, "device", "cpu")
    if name not in TYPE_NAMES:
        raise TypeError(f"invalid type object: {t!r} is not a tensor type (minigan.FloatTensor, minigan.DoubleTensor)")
    if not backend.is_floating(TYPE_NAMES[name]):
        raise TypeError("only floating-point types are supported as the default type")
    set_default_device(device)
    set_default_dtype(TYPE_NAMES[name])


def chain_matmul(*matrices, out=None) -> Tensor:
    """The product of the matrices, left to right: ``linalg.multi_dot`` takes them as one list."""
    warnings.warn("minigan.chain_matmul is deprecated and will be removed in a future PyTorch release. Use "
                  "minigan.linalg.multi_dot instead, which accepts a list of two or more tensors rather than "
                  "multiple parameters.", UserWarning, stacklevel=2)
    if not matrices or not all(isinstance(m, Tensor) for m in matrices):
        raise TypeError(f"chain_matmul: expected tensors, got {', '.join(type(m).__name__ for m in matrices)}")
    flat = next((m for m in matrices if m.ndim != 2), None)
    if flat is not None:  # (every operand a matrix, as PyTorch's: multi_dot takes a vector first or last)
        raise ShapeError(f"chain_matmul: every tensor must be 2-D, got one of shape {tuple(flat.shape)}; for a "
                         "vector first or last use minigan.linalg.multi_dot")
    result = matrices[0].clone() if len(matrices) == 1 else linalg.multi_dot(list(matrices))
    return result if out is None else out.copy_(result)
