"""addmv, addmm, baddbmm, addbmm and addr with an infinite, NaN or zero alpha (or beta), against PyTorch float64.

PyTorch's backward of these products contracts first and scales by alpha after (``maybe_multiply(grad.mm(mat2ᵀ),
alpha)``): with alpha = ±∞ an empty contraction (0 terms), or one whose terms sum to 0, gives NaN; scaling the
upstream first and then contracting gives 0 for the empty sum, and NaN where a zero upstream entry meets ∞.  Its
forward is BLAS's where the kernel is (addmv, addmm: alpha = 0 or an inner size of 0 ignores the product, so an ∞
in a matrix does not reach the result).  Found by the surface programs (seed 12178394: Tensor.addmv with
alpha=-inf and an empty matrix, the vector's gradient 0 where PyTorch's is NaN)."""

import numpy as np
import pytest
from conftest import default_slice

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402

INF, NAN = float("inf"), float("nan")
SHAPES = {"addmv": [((2,), (2, 3), (3,)), ((2,), (2, 0), (0,)), ((0,), (0, 2), (2,))],
          "addmm": [((2, 2), (2, 3), (3, 2)), ((2, 2), (2, 0), (0, 2)), ((2,), (2, 3), (3, 2))],
          "baddbmm": [((2, 2, 2), (2, 2, 3), (2, 3, 2)), ((2, 2, 2), (2, 2, 0), (2, 0, 2))],
          "addbmm": [((2, 2), (2, 2, 3), (2, 3, 2)), ((2, 2), (0, 2, 3), (0, 3, 2)), ((2, 2), (2, 2, 0), (2, 0, 2))],
          "addr": [((2, 3), (2,), (3,)), ((0, 3), (0,), (3,)), ((2, 0), (2,), (0,))]}
SCALES = [{"alpha": INF}, {"alpha": -INF}, {"alpha": NAN}, {"alpha": 0}, {"beta": 0}, {"beta": INF},
          {"alpha": 2.5, "beta": 0}]
FILLS = ["ones", "zeros", "an inf", "mixed"]  # what the operands hold (the upstream always has a 0 and a 1)


def _values(shape, fill, k):
    n = int(np.prod(shape))
    if fill == "ones":
        v = np.ones(n)
    elif fill == "zeros":
        v = np.zeros(n)
    elif fill == "an inf":
        v = np.arange(n, dtype=np.float64) % 3 - 1
        v[: min(n, 1)] = INF
    else:
        v = np.array([0.0, 1.0, -2.0, 0.5])[(np.arange(n) + k) % 4]
    return v.reshape(shape)


PAIRS = [("ones", "ones"), ("zeros", "ones"), ("ones", "zeros"), ("an inf", "ones"), ("ones", "an inf"),
         ("mixed", "mixed"), ("zeros", "an inf")]
CASES = [(name, shapes, kw, fills) for name in SHAPES for shapes in SHAPES[name] for kw in SCALES for fills in PAIRS]


def _run(lib, name, shapes, kw, fills):
    leaves = [lib.tensor(_values(s, f, k), dtype=lib.float64, requires_grad=True)
              for k, (s, f) in enumerate(zip(shapes, ("mixed", *fills)))]
    out = getattr(lib, name)(*leaves, **kw)
    up = lib.tensor(np.array([0.0, 1.0, -1.5])[np.arange(out.numel()) % 3].reshape(tuple(out.shape)))
    grads = lib.autograd.grad(out, leaves, up, allow_unused=True)
    return [out.detach().numpy()] + [np.zeros(s) if g is None else g.numpy() for g, s in zip(grads, shapes)]


# Every 5th case by default (and each value of each argument, each op with each of its shapes), the rest under -m parity
@pytest.mark.parametrize("name, shapes, kw, fills", default_slice(
    CASES, 5, cover=["each", lambda name, shapes, kw, fills: (name, shapes)]))
def test_scales_in_pytorchs_order(name, shapes, kw, fills):
    theirs = _run(torch, name, shapes, kw, fills)
    with np.errstate(all="ignore"):  # (∞·0 in NumPy's kernels warns; the values are what is compared)
        ours = _run(minigan, name, shapes, kw, fills)
    for what, a, b in zip(("result", "input's grad", "first operand's grad", "second operand's grad"), ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=0, equal_nan=True, err_msg=what)
