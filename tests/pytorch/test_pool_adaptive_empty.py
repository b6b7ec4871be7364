"""The adaptive pools of empty inputs and to empty sizes, forward and backward, against PyTorch (dev surface programs
11892814, 11887723).

PyTorch's adaptive pools check their input (only a batch, or for the average pools' forward any non-pooled axis, may
be empty) and take an output size of 0, computing an empty result; their backward kernels check the upstream
gradient again, refusing one empty anywhere but the batch (adaptive_avg_pool2d_backward: "Expected grad_output to
have non-zero size for non-batch dimensions"), so an empty channel axis or an output size of 0 runs forward and
refuses at backward.  Over adaptive_avg_pool1d/2d and adaptive_max_pool1d/2d, batched and one-sample inputs with
each axis empty or not, output sizes with 0, 1 and others, requiring grad or not: minigan must run where PyTorch
runs (the result's shape, dtype and values, and the gradient's), and raise its class at the same stage; float64,
float32, int64 and bool inputs (an empty result takes any dtype in the average pools), negative sizes too.
"""

import itertools

import numpy as np
import pytest
from conftest import default_slice

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

SHAPES = {1: [(2, 3, 5), (0, 3, 5), (2, 0, 5), (2, 3, 0), (0, 0, 4), (3, 5), (0, 5), (3, 0)],
          2: [(2, 3, 4, 5), (0, 3, 4, 5), (2, 0, 4, 5), (2, 3, 0, 5), (2, 3, 4, 0), (0, 0, 2, 2), (3, 4, 5),
              (0, 4, 5), (3, 0, 5)]}
SIZES = {1: [0, 1, 3, -1], 2: [0, 1, 3, (0, 2), (2, 0), (1, 1), (3, 2), (-1, 2)]}
CASES = [(op, shape, size, dtype, rg) for op in ("adaptive_avg_pool1d", "adaptive_max_pool1d", "adaptive_avg_pool2d",
                                                 "adaptive_max_pool2d")
         for shape, size, (dtype, rg) in itertools.product(SHAPES[int(op[-2])], SIZES[int(op[-2])], [
             ("float64", True), ("float64", False), ("float32", False), ("int64", False), ("bool", False)])]


def _run(lib, op, shape, size, dtype, rg):
    rng = np.random.default_rng(sum(shape) + 3)
    x = lib.tensor(rng.normal(size=shape) * 3, requires_grad=rg).to(getattr(lib, dtype))
    stage = "call"
    try:
        out = getattr(lib.nn.functional, op)(x, size)
        result = (tuple(out.shape), str(out.dtype).split(".")[-1], out.detach().numpy().copy())
        if not rg:
            return "ok", result, None
        stage = "backward"
        up = lib.tensor(rng.normal(size=tuple(out.shape)), dtype=lib.float64)
        (g,) = lib.autograd.grad((out * up).sum(), [x])
    except Exception as e:  # noqa: BLE001 (the class is compared)
        return "raised", stage, e
    return "ok", result, g.numpy()


# Every 17th case by default (and each op with each of its shapes, sizes and dtypes), the rest under -m parity
@pytest.mark.parametrize("op,shape,size,dtype,rg", default_slice(CASES, 17, cover=(
    "each", lambda op, shape, size, dtype, rg: (op, shape), lambda op, shape, size, dtype, rg: (op, repr(size)),
    lambda op, shape, size, dtype, rg: (op, dtype, rg))))
def test_adaptive_pool_of_empty_against_pytorch(op, shape, size, dtype, rg):
    expected, got = _run(torch, op, shape, size, dtype, rg), _run(minigan, op, shape, size, dtype, rg)
    where = f"{op}({dtype} {shape}, {size}), requires grad {rg}"
    if expected[0] == "raised":
        builtin = next(c for c in type(expected[2]).__mro__ if c.__module__ == "builtins")
        assert got[0] == "raised" and got[1] == expected[1] and isinstance(got[2], builtin), \
            f"{where}: PyTorch raises {expected[2]!r} at {expected[1]}; minigan {got}"
        return
    assert got[0] == "ok", f"{where}: PyTorch runs; minigan {got}"
    assert got[1][:2] == expected[1][:2], f"{where}: {got[1][:2]} vs PyTorch's {expected[1][:2]}"
    np.testing.assert_allclose(got[1][2], expected[1][2], rtol=1e-6 if dtype == "float32" else 1e-12, atol=0,
                               err_msg=where)
    if expected[2] is not None:
        np.testing.assert_allclose(got[2], expected[2], rtol=1e-12, atol=0, err_msg=where)
