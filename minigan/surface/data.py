"""How a tensor's doors read Python data as torch.tensor reads it: nested lists holding tensors and NumPy scalars (and
``host_array``, the other way: a host NumPy array of a tensor, for code that measures or plots).

The engine's ``checks.to_array`` reads an array, or nested lists of numbers by NumPy's kinds (bool, int64, the default
float).  PyTorch's doors also take a list holding tensors (``tensor([t0, t1])``: each one's number, with a warning
where one requires grad) and NumPy scalars, whose dtypes decide the result's ([np.float64(1.5), 2.0] is float64):
``to_array`` here reads those first, then hands the engine numbers.
"""

from __future__ import annotations

import warnings

from minigan.engine import backend, checks


def to_array(data, dtype=None, device=None, infer=False):
    """``checks.to_array`` of ``data`` read as PyTorch reads it (see the module's docstring); ``infer``: the dtype by
    what the data holds, as ``tensor(data)``'s, else the default float, as ``Tensor(data)``'s."""
    if backend.is_array(data) or backend.is_numpy_scalar(data):
        return checks.to_array(data, dtype, device, infer=infer)
    data, list_dtype = read(data)
    return checks.to_array(data, dtype or (list_dtype if infer else None), device, infer=infer)


def read(data):
    """(``data`` with each tensor in its lists replaced by its number, the dtype its NumPy scalars and tensors give, or
    None where they hold none: then NumPy's kind decides)."""
    list_dtype, tensors, needs_grad = _read_list(data)
    if needs_grad:  # the values leave the graph: PyTorch warns (at the line that called the door)
        warnings.warn("Converting a tensor with requires_grad=True to a scalar may lead to unexpected behavior. "
                      "Consider using tensor.detach() first.", UserWarning, stacklevel=4)
    return (_values(data) if tensors else data), list_dtype


def _values(data):
    """Nested lists with each Tensor in them replaced by a host copy of its number: ``tensor([t0, t1])`` reads the
    values as PyTorch's does (its item(): a tensor of shape (1,) or (1, 1) adds no dimension), also of tensors that
    require grad or live on the GPU (which ``np.asarray`` refuses)."""
    if isinstance(data, (list, tuple)):
        return [_values(item) for item in data]
    return backend.asnumpy(data.array).reshape(()) if backend.is_array(getattr(data, "array", None)) else data


def _numbers(data):
    """The numbers of nested lists and tuples, in order."""
    if isinstance(data, (list, tuple)):
        for item in data:
            yield from _numbers(item)
    else:
        yield data


def _read_list(data):
    """One walk over nested lists: ``torch.tensor``'s dtype for them when they hold NumPy scalars or tensors (else
    None: NumPy's kind decides), whether they hold a tensor, and whether one of those requires grad.  The dtype: the
    highest kind present wins (bool < int < float), promoted within that kind only, a Python float counting as the
    default float dtype and a Python int as int64: [np.float32(1), 2.0] is float32, [np.int32(1), 2.0] too."""
    np = backend.np
    by_kind, typed, tensors, needs_grad = {"b": [], "i": [], "f": []}, False, False, False
    for x in _numbers(data):
        tensor = backend.is_array(getattr(x, "array", None))
        if isinstance(x, np.generic) or tensor or not isinstance(x, (bool, int, float)) and backend.is_array(x):
            typed, tensors = True, tensors or tensor  # (np.float64 is a Python float too; an array, its dtype)
            needs_grad = needs_grad or (tensor and x.requires_grad)
            by_kind["b" if x.dtype.kind == "b" else "i" if x.dtype.kind in "iu" else "f"].append(np.dtype(x.dtype))
        elif isinstance(x, bool):  # before int: a bool is an int too
            by_kind["b"].append(np.dtype(np.bool_))
        elif isinstance(x, int):
            by_kind["i"].append(np.dtype(np.int64))
        elif isinstance(x, float):
            by_kind["f"].append(np.dtype(backend.DEFAULT_DTYPE))
    dtype = next(np.result_type(*by_kind[k]) for k in "fib" if by_kind[k]) if typed else None
    return dtype, tensors, needs_grad


def host_array(x, fn: str, name: str, dtype=backend.np.float64):
    """A host NumPy array (of ``dtype``; None keeps it) from a Tensor, a NumPy/CuPy array or a list: the other way,
    for code that measures or plots on the CPU (metrics, viz); ``fn`` and ``name`` go into the error."""
    if not backend.is_array(x) and hasattr(x, "array") and not isinstance(x, (list, tuple)):
        x = x.array  # a minigan Tensor
    try:
        a = backend.asnumpy(x)
    except Exception as e:
        raise TypeError(f"{fn}: got {name} of type {type(x).__name__}, expected an array or a Tensor") from e
    if a.dtype.kind not in "biuf":
        raise TypeError(f"{fn}: got {name} of dtype {a.dtype}, expected real numbers")
    return a.astype(dtype) if dtype is not None else a
