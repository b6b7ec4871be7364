"""The range factories, as PyTorch's RangeFactories: ``arange`` (a step), ``linspace`` (a count of evenly spaced
values) and ``logspace`` (base to the power of linspace's), each with PyTorch's arithmetic, so the values are its
bit for bit (linspace counts half its values up from start and half down from end), and its checks."""

from __future__ import annotations

import builtins
import math

from minigan.engine import backend, checks
from minigan.engine.errors import DomainError, ShapeError
from minigan.engine.tensor import Tensor  # (minigan.Tensor's base: every tensor of the package is one)
from minigan.surface import creation
from minigan.surface.creation import _made, _xp
from minigan.surface.operands import fits
from minigan.surface.out import factory_out


@factory_out
def arange(start=None, end=None, step=1, *, dtype=None, device=None, requires_grad=False, layout=None,
           pin_memory=False) -> Tensor:
    """start, start+step, ... < end; int64 when every argument is an integer (or an integer 0-d tensor), else
    float32 (as PyTorch).  arange(n) and arange(end=n) start at 0."""
    creation.only_defaults("arange", layout, pin_memory)
    creation.no_bool_range("arange", dtype)
    start, end, step = (v.item() if isinstance(v, Tensor) else checks.number(v) for v in (start, end, step))
    if start is None or end is None:
        if start is None and end is None:
            raise TypeError("arange: missing end (arange(end), arange(start, end) or arange(start, end, step))")
        start, end = 0, start if end is None else end
    ints = builtins.all(checks.is_integer(v) or isinstance(v, bool) for v in (start, end, step))  # (True is 1)
    kind = backend.np.dtype(dtype or (backend.np.int64 if ints else backend.DEFAULT_DTYPE))
    # an integer dtype's kernel reads start and step as int64 (int64's its end too): each must fit
    for v in (start, end, step) if kind == backend.np.int64 else (start, step) if kind.kind in "iu" else ():
        if not -2**63 <= v < 2**63 and v == v:  # (NaN is refused below, as PyTorch's)
            raise DomainError(f"arange: {v} does not fit in int64, which an integer dtype's range is counted in; "
                              "use a floating dtype or smaller numbers")
    if not (step > 0 or step < 0):  # (RuntimeError, as PyTorch's)
        raise DomainError(f"arange: step must not be 0 or NaN, got {step}")
    if not (math.isfinite(start) and math.isfinite(end)):  # (an infinite step gives no values, as PyTorch's)
        raise DomainError(f"arange: start and end must be finite, got {start} and {end}")
    if (end - start) * step < 0:
        raise DomainError(f"arange: end {end} lies on the other side of start {start} from the step {step}")
    start, end, step, n = creation.range_length(start, end, step, kind)
    try:
        return _made(creation.range_values(start, end, step, n, kind, _xp(device)), requires_grad)
    except (MemoryError, ValueError):  # (more than memory holds: RuntimeError, as PyTorch's allocator, not NumPy's)
        raise DomainError(f"arange: {n} values do not fit in memory; take a larger step or a shorter range") from None


@factory_out
def linspace(start, end, steps, *, dtype=None, device=None, requires_grad=False, layout=None,
             pin_memory=False) -> Tensor:
    """``steps`` evenly spaced values from start to end, both included (float32).  As PyTorch's: the first half
    counts up from start, the second down from end, by one step (a NaN or infinite step gives NaN everywhere)."""
    creation.only_defaults("linspace", layout, pin_memory)
    steps = creation.integer(steps, "linspace", "steps")
    if steps > 1:  # (no values, or start alone, are made without PyTorch's kernel, so in any dtype)
        creation.no_bool_range("linspace", dtype)
    if steps < 0:  # (RuntimeError, as PyTorch's)
        raise DomainError(f"linspace: steps must be a non-negative int, got {steps!r}")
    for name, v in (("start", start), ("end", end)):
        if isinstance(v, Tensor) and v.ndim:
            raise ShapeError(f"linspace: {name} must be a number or a 0-d tensor, got shape {tuple(v.shape)}")
    start, end = (v.item() if isinstance(v, Tensor) else checks.number(v) for v in (start, end))
    for v in (start, end)[:steps]:  # the values made must fit the dtype (one step makes start only)
        if dtype != backend.np.float16:  # (a float16 linspace rounds what it computes: 65519 is 65504, 1e39 ∞; its
            fits("linspace", v, dtype or backend.DEFAULT_DTYPE)  # kernel's own check for steps > 1 is below)
        if steps > 1 and dtype == backend.np.float16 and 65504 < builtins.abs(v) < math.inf:  # (its kernel's check)
            raise DomainError(f"linspace: {v} cannot be converted to float16 without overflow (its largest is 65504)")
    if backend.np.dtype(dtype or backend.DEFAULT_DTYPE).kind in "iu":  # an integer dtype reads them in it first
        start = creation.cast_number(start, dtype) if steps else start  # (-1 is 255 for uint8)
        end = creation.cast_number(end, dtype) if steps > 1 else end
    start, end, xp = builtins.float(start), builtins.float(end), _xp(device)
    try:
        i = xp.arange(steps, dtype=backend.np.float64)
    except (MemoryError, ValueError):  # (more than memory holds: RuntimeError, as PyTorch's allocator, not NumPy's)
        raise DomainError(f"linspace: {steps} values do not fit in memory; ask for fewer steps") from None
    return _made(creation.linspace_values(start, end, i, backend.np.dtype(dtype or backend.DEFAULT_DTYPE)),
                 requires_grad)


@factory_out
def logspace(start, end, steps, base=10.0, *, dtype=None, device=None, requires_grad=False, layout=None,
             pin_memory=False) -> Tensor:
    """``steps`` values from base**start to base**end whose exponents are evenly spaced, as linspace's (float32).
    As PyTorch's: an integer dtype reads start and end in it first, and the exponents are spaced in float64.  The
    powers are taken in float64 and rounded to ``dtype``: PyTorch's bit for bit in float64 and the integers; its
    float32 kernel rounds in float32 arithmetic, so a float32 value may differ from its in the last place."""
    creation.only_defaults("logspace", layout, pin_memory)
    steps = creation.integer(steps, "logspace", "steps")
    if steps > 1:  # (one step or none is made without PyTorch's kernel, so in any dtype, bool too)
        creation.no_bool_range("logspace", dtype)
    dtype = dtype or backend.DEFAULT_DTYPE
    exponents = linspace(start, end, steps, dtype=backend.np.float64)  # (its checks: steps, 0-d bounds)
    integer = backend.np.dtype(dtype).kind in "iu"
    bounds = [v.item() if isinstance(v, Tensor) else checks.number(v) for v in (start, end)]
    if integer and exponents.numel() > 1:  # PyTorch's kernel reads the bounds in an integer dtype first
        for v in bounds:
            fits("logspace", v, dtype)  # (300 into uint8: PyTorch's RuntimeError; −1 into it is 255)
        bounds = [creation.cast_number(v, dtype) for v in bounds]
    with backend.np.errstate(all="ignore"):  # (10**400 is ∞, (−2)**0.5 NaN, silently, as PyTorch's)
        powers = exponents.array
        if steps > 1:  # its loop's exponents: linspace's, but each product and sum rounded apart (not fused)
            start, end = builtins.float(bounds[0]), builtins.float(bounds[1])
            step, i = (end - start) / (steps - 1), backend.get_array_module(powers).arange(steps, dtype=powers.dtype)
            powers = backend.get_array_module(powers).where(i < steps // 2, start + step * i,
                                                            end - step * (steps - 1 - i))
        values = backend.np.float64(checks.number(base)) ** powers
        if integer and exponents.numel() == 1:  # one step: PyTorch fills base**start, which must fit (end unread)
            fits("logspace", builtins.float(values[0]), dtype)
        return _made(values.astype(dtype), requires_grad)
