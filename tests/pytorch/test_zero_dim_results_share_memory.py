"""Views of a 0-d result share its memory, as PyTorch's, whatever op made the result.

NumPy gives a 0-d result of a comparison, a logical or bitwise op, isnan and the like, or a reduction to one element
as a NumPy scalar (np.bool_, np.int64), which has no memory to share: a tensor holding one would make t(), squeeze(),
view(), detach() ... copies, and a write through such a "view" would not reach the tensor it came from.  For every
op of those families on 0-d (and one-element) inputs of each dtype kind, and every view door, the view's ``_base`` is
the result (PyTorch's), and a write through the view changes the result, as in PyTorch.
"""

import pytest
from conftest import default_slice

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

# name -> the op on a 0-d input x (and a second operand where it takes one)
OPS = {
    "gt": lambda lib, x: x > 1, "lt": lambda lib, x: x < 1, "ge": lambda lib, x: x >= x, "le": lambda lib, x: x <= 1,
    "eq": lambda lib, x: x == x, "ne": lambda lib, x: x != 1, "torch.gt": lambda lib, x: lib.gt(x, x),
    "isclose": lambda lib, x: lib.isclose(x, x), "isnan": lambda lib, x: x.isnan(), "isinf": lambda lib, x: x.isinf(),
    "isfinite": lambda lib, x: x.isfinite(), "logical_not": lambda lib, x: x.logical_not(),
    "logical_and": lambda lib, x: x.logical_and(x), "logical_or": lambda lib, x: lib.logical_or(x, x),
    "logical_xor": lambda lib, x: x.logical_xor(x), "min": lambda lib, x: x.min(), "max": lambda lib, x: x.max(),
    "amin": lambda lib, x: x.amin(), "aminmax": lambda lib, x: x.aminmax()[0], "argmax": lambda lib, x: x.argmax(),
    "argmin": lambda lib, x: x.argmin(), "sum": lambda lib, x: x.sum(), "abs": lambda lib, x: x.abs(),
}
INTEGER_OPS = {
    "bitwise_and": lambda lib, x: x & x, "bitwise_or": lambda lib, x: x | 1, "bitwise_xor": lambda lib, x: x ^ x,
    "bitwise_not": lambda lib, x: ~x, "left_shift": lambda lib, x: x.bitwise_left_shift(1),
    "right_shift": lambda lib, x: x.bitwise_right_shift(1),
}
VIEWS = {
    "t": lambda v: v.t(), "transpose": lambda v: v.transpose(0, 0), "squeeze": lambda v: v.squeeze(),
    "unsqueeze": lambda v: v.unsqueeze(0), "view": lambda v: v.view(1, 1), "reshape": lambda v: v.reshape(1),
    "movedim": lambda v: v.unsqueeze(0).movedim(0, -1), "expand": lambda v: v.expand(3) if v.ndim < 2 else v,
    "flatten": lambda v: v.flatten(), "view_as": lambda v: v.view_as(v), "detach": lambda v: v.detach(),
    "[...]": lambda v: v[...],
}
DTYPES = ("float64", "int64", "bool")


def _cases():
    for dtype in DTYPES:
        ops = {**OPS, **(INTEGER_OPS if dtype != "float64" else {})}
        for name in ops:
            if dtype == "bool" and name in ("argmax", "argmin", "left_shift", "right_shift", "abs"):
                continue  # (PyTorch has no such kernel for bool)
            for view in VIEWS:
                yield dtype, name, view


def _run(lib, dtype, name, view):
    value = {"float64": 2.0, "int64": 2, "bool": True}[dtype]
    x = lib.tensor(value, dtype=getattr(lib, dtype))
    r = {**OPS, **INTEGER_OPS}[name](lib, x)
    v = VIEWS[view](r)
    shares = v._base is r or view == "detach"
    before = r.item()
    with lib.no_grad():
        v.zero_()  # a write through the view reaches r only if they share memory
    return shares, before, r.item(), str(r.dtype).split(".")[-1]


# every 7th case by default (every dtype, op and view door among them), the rest under -m parity
@pytest.mark.parametrize("dtype,name,view", default_slice(
    _cases(), 7, cover=(lambda dtype, name, view: dtype, lambda dtype, name, view: name,
                        lambda dtype, name, view: view)))
def test_a_view_of_a_zero_dim_result_shares_its_memory(dtype, name, view):
    expected = _run(torch, dtype, name, view)
    got = _run(minigan, dtype, name, view)
    assert got == expected


@pytest.mark.parametrize("name", ["gt", "isnan", "min", "argmax"])
def test_numpy_of_a_zero_dim_result_shares_its_memory(name):
    """``.numpy()`` of a 0-d result is a 0-d array on the tensor's memory (PyTorch's), not a copy."""
    out = []
    for lib in (torch, minigan):
        r = OPS[name](lib, lib.tensor(3, dtype=lib.int64))
        a = r.numpy()
        a[()] = 0
        out.append((a.shape, r.item()))
    assert out[0] == out[1]
