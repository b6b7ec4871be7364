"""The doors of the integer draws, ``randint`` and ``randperm``: the dtype of the result must hold every number
that can be drawn, as PyTorch's checks say (a bool holds 0 and 1, uint8 0 to 255, float16 the integers up to 2049
exactly).
"""

from __future__ import annotations

import warnings

from minigan.engine import backend
from minigan.engine.errors import DomainError, DtypeError


def integer_range(fn, low, high, dtype) -> None:
    """Integers drawn from [low, high) into ``dtype``: low < high, and low and high − 1 within the dtype's range
    (RuntimeError, as PyTorch's); a floating dtype past the integers it holds exactly (2²⁴ for float32) warns, as
    PyTorch's, since nearby integers are drawn as one."""
    if not low < high:
        raise DomainError(f"{fn}: expects low < high, got low={low}, high={high}")
    dtype, exact = backend.np.dtype(dtype), None
    if dtype.kind == "b":
        lowest, highest = 0, 1
    elif dtype.kind in "iu":
        lowest, highest = int(backend.np.iinfo(dtype).min), int(backend.np.iinfo(dtype).max)
    else:
        highest, exact = float(backend.np.finfo(dtype).max), 2 ** (backend.np.finfo(dtype).nmant + 1)
        lowest = -highest
    for name, value in (("low", low), ("high - 1", high - 1)):
        if not lowest <= value <= highest:
            raise DomainError(f"{fn}: {name} = {value} is out of bounds for {dtype}; give bounds the dtype holds, "
                              "or a wider dtype")
        if exact is not None and abs(value) > exact:
            warnings.warn(f"{fn}: {name} = {value} is out of bounds [-{exact}, {exact}]: {dtype} holds the integers "
                          "exactly only within it, so nearby integers are drawn as one", UserWarning, stacklevel=3)


def permutation_size(n, dtype) -> None:
    """A permutation of 0 … n − 1 in ``dtype``: n ≥ 0, no bools (PyTorch has no kernel: NotImplementedError), and
    n − 1 within an integer dtype, n within the integers a floating one holds exactly (+1, as PyTorch's)."""
    if n < 0:
        raise DomainError(f"randperm: n must be >= 0, got {n} (a tensor of negative size)")
    dtype = backend.np.dtype(dtype)
    if dtype.kind == "b":
        raise DtypeError("randperm: not implemented for dtype bool; draw an integer permutation and convert it")
    if dtype.kind == "f":
        most = 2 ** (backend.np.finfo(dtype).nmant + 1) + 1
        if n > most:
            raise DomainError(f"randperm: n cannot be greater than {most} for {dtype}, got {n}; use a wider dtype")
    elif n and n - 1 > backend.np.iinfo(dtype).max:
        raise DomainError(f"randperm: n − 1 = {n - 1} cannot be converted to {dtype} without overflow; use a "
                          "wider dtype")
