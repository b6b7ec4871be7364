"""torch.diff and Tensor.diff give PyTorch's result, the tensor itself included.

PyTorch takes n differences along dim, but at most as many as dim has entries: with no entries along dim and no
prepend or append, it takes none and returns the input itself (``diff(x) is x``, no node); with n=0 it returns a
new copy of the input, leaving out prepend and append (they are still checked).  Compared here over shapes with 0,
1, 2 and 3 entries along dim, n from 0 to 3, both doors, prepend and append (empty or not), three dtypes: which tensor
comes back, its shape, dtype, values, requires_grad, and the gradient, or the exception's class.
"""

import itertools

import numpy as np
import pytest
from conftest import default_slice

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

SHAPES = [(0, 3), (1, 3), (2, 3), (3, 0), (4,), (0,), ()]
EXTRA = {
    "none": (None, None),
    "prepend": ("p", None),
    "append": (None, "a"),
    "both": ("p", "a"),
    "empty prepend": ("e", None),
    "mismatched append": (None, "bad"),
}


def _extra(lib, kind, shape, dim, dtype):
    if kind is None:
        return None
    if kind == "bad":  # another size along a dim that is not differenced
        wrong = [n + 1 for n in shape]
        return lib.ones(wrong, dtype=dtype)
    along = list(shape)
    if along:
        along[dim] = 0 if kind == "e" else 1
    return lib.ones(along, dtype=dtype) * (2 if kind == "p" else 3) if kind != "e" else lib.ones(along, dtype=dtype)


def _run(lib, shape, n, dim, extra, dtype_name, door):
    dtype = getattr(lib, dtype_name)
    values = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape) ** 2
    floating = dtype_name.startswith("float")
    x = lib.tensor(values if dtype_name != "bool" else values % 3 == 1, dtype=dtype, requires_grad=floating)
    pre, app = (_extra(lib, k, shape, dim, dtype) for k in EXTRA[extra])
    try:
        r = x.diff(n, dim, pre, app) if door == "method" else lib.diff(x, n=n, dim=dim, prepend=pre, append=app)
    except Exception as e:  # noqa: BLE001 - the class is compared
        return e
    out = (r is x, tuple(r.shape), str(r.dtype).split(".")[-1], r.requires_grad, r.grad_fn is None,
           r.detach().numpy().tolist())
    if floating and r.requires_grad and r.numel():
        (g,) = lib.autograd.grad((r * lib.arange(r.numel(), dtype=dtype).reshape(r.shape)).sum(), x)
        out += (g.numpy().tolist(),)
    return out


# 1,260 cases: every 7th by default (every shape, n, prepend/append, dtype and door among them); -m parity: the rest
@pytest.mark.parametrize("shape, n, extra, dtype, door", default_slice(
    itertools.product(SHAPES, [-1, 0, 1, 2, 3], EXTRA, ["float64", "int64", "bool"], ["function", "method"]), 23,
    cover=[lambda *case, i=i: str(case[i]) for i in range(5)]))
def test_diff_gives_pytorchs_result(shape, n, extra, dtype, door):
    for dim in ([0, -1] if shape else [0]):
        ours, theirs = _run(minigan, shape, n, dim, extra, dtype, door), _run(torch, shape, n, dim, extra, dtype, door)
        if isinstance(theirs, Exception):  # PyTorch's class (minigan's own classes subclass it)
            builtin = next(c for c in type(theirs).__mro__ if c.__module__ == "builtins")
            assert isinstance(ours, builtin), (dim, ours, theirs)
        else:
            assert ours == theirs, dim
