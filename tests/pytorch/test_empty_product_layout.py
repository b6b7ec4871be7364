"""addmm, baddbmm and addbmm where no product is computed (an inner size of 0, or addbmm's and baddbmm's batches
empty) against PyTorch: its kernel allocates the result row-major and copies beta·input into it, so the result's
strides are row-major whatever the input's layout (transposed, a broadcast row or column, expanded, sliced), and
its values and the input's gradient are PyTorch's.  Drawn: 3 ops x input layouts x which size is empty x beta x
dtype, function and method forms."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import default_slice

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _input(lib, how, shape, dtype):
    """The input, laid out as ``how`` says, of ``shape`` (the product's, or a shape broadcast to it)."""
    n = int(np.prod(shape))
    base = lib.arange(1, 3 * int(np.prod([max(s, 1) for s in shape])) + 1, dtype=dtype)
    if how == "row-major":
        return base[:n].reshape(*shape)
    if how == "transposed":
        return base[:n].reshape(*shape[:-2], shape[-1], shape[-2]).transpose(-1, -2)
    if how == "sliced":
        return base[: 2 * n].reshape(*shape[:-1], 2 * shape[-1])[..., ::2]
    if how == "row":
        return base[: shape[-1]].reshape(1, shape[-1]).expand(*shape)
    if how == "column":
        return base[: shape[-2]].reshape(shape[-2], 1)
    if how == "vector":
        return base[: shape[-1]]
    raise AssertionError(how)


CASES = []
for op, (m, k, n, b) in [("addmm", s) for s in [(3, 0, 4, None), (2, 0, 2, None)]] + \
        [("addbmm", s) for s in [(3, 0, 4, 2), (3, 4, 4, 0), (3, 0, 3, 0), (2, 5, 3, 0)]] + \
        [("baddbmm", s) for s in [(3, 0, 4, 2), (3, 4, 4, 0), (2, 0, 3, 3)]]:
    for how in ("row-major", "transposed", "sliced", "row", "column", "vector"):
        for beta in (1, 0, 2):
            for dtype in ("float64", "float32", "int64"):
                for form in ("function", "method"):
                    CASES.append((op, (m, k, n, b), how, beta, dtype, form))


def _run(lib, op, sizes, how, beta, dtype, form):
    m, k, n, b = sizes
    dt = getattr(lib, dtype)
    out_shape = (m, n) if op != "baddbmm" else (b, m, n)
    x = _input(lib, how, out_shape, dt)
    floating = dtype != "int64"
    if floating:
        x = x.detach().requires_grad_()
    if op == "addmm":
        a1, a2 = lib.ones(m, k, dtype=dt), lib.ones(k, n, dtype=dt)
    else:
        a1, a2 = lib.ones(b, m, k, dtype=dt), lib.ones(b, k, n, dtype=dt)
    r = getattr(lib, op)(x, a1, a2, beta=beta) if form == "function" else getattr(x, op)(a1, a2, beta=beta)
    record = [tuple(r.shape), r.stride(), r.is_contiguous(), r.tolist()]
    if floating:
        (r * lib.arange(r.numel(), dtype=dt).reshape(r.shape)).sum().backward()
        record.append(x.grad.tolist())
    return record


# Every 17th case by default (and each op with each of its sizes, layouts, betas, dtypes and forms); -m parity: the rest
@pytest.mark.parametrize("op,sizes,how,beta,dtype,form", default_slice(CASES, 17, cover=(
    "each", lambda op, sizes, how, beta, dtype, form: (op, sizes), lambda op, sizes, how, beta, dtype, form: (op, how),
    lambda op, sizes, how, beta, dtype, form: (op, beta, dtype, form))), ids=str)
def test_a_product_of_an_empty_sum_is_row_major_as_pytorch(op, sizes, how, beta, dtype, form):
    assert _run(minigan, op, sizes, how, beta, dtype, form) == _run(torch, op, sizes, how, beta, dtype, form)
