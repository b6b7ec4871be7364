"""tensordot over contracted dimensions of size 1 against n, 0 included, against PyTorch.

PyTorch's tensordot lets a contracted dimension of size 1 meet one of any size: where b's is 1 it sums a over its
dimension first (n entries, or none: zeros), else where a's is 1 it sums b's; only then are sizes compared.  So
(3, 0) by (1, 3) over a's dim 1 and b's dim 0 is a (3, 3) product of zeros by b (NaN where b is ±inf), and (1, 3)
by (0, 3) over both dims is 0.  minigan summed only where the other size was over 1, and then refused a size 0
against 1 (NumPy's ValueError).  Over shapes with sizes 0, 1 and 3, dims as an int and as lists, and b finite or
infinite, minigan must give PyTorch's values and gradients, or raise PyTorch's class.
"""

import itertools

import numpy as np
import pytest
from conftest import default_slice

import minigan
from pytorch.exception_oracle import refused_alike

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

SHAPES = [(0, 3), (3, 0), (1, 3), (3, 1), (3,), (0,), (1,), (2, 0, 3), (3, 3), (1, 0)]
DIMS = [0, 1, 2, ([0], [0]), ([1], [0]), ([-1], [-1]), ([0, 1], [0, 1])]


def _run(lib, sa, sb, dims, b_fill):
    a = lib.tensor(np.arange(1.0, 1.0 + np.prod(sa)).reshape(sa), dtype=lib.float64, requires_grad=True)
    b = lib.tensor(np.full(sb, b_fill) if b_fill else np.arange(2.0, 2.0 + np.prod(sb)).reshape(sb),
                   dtype=lib.float64, requires_grad=True)
    try:
        r = lib.tensordot(a, b, dims)
        grads = lib.autograd.grad((r * 1.5).sum(), [a, b], allow_unused=True)
    except Exception as e:  # noqa: BLE001 (the class is compared)
        return "raised", e
    return "ran", [np.asarray(t.tolist()).tolist() if t is not None else None for t in (r, *grads)]


CASES = [(sa, sb, dims, fill) for sa, sb in itertools.product(SHAPES, repeat=2) for dims in DIMS
         for fill in (0, np.inf)]


@pytest.mark.parametrize("sa,sb,dims,b_fill", default_slice(CASES, 23, cover="each"))  # the rest under -m parity
def test_tensordot_sums_a_size_one_against_any_size_as_pytorchs(sa, sb, dims, b_fill):
    expected, got = _run(torch, sa, sb, dims, b_fill), _run(minigan, sa, sb, dims, b_fill)
    where = f"tensordot({sa}, {sb}, dims={dims}) with b {'∞' if b_fill else 'finite'}"
    if refused_alike(got, expected, where):
        return
    assert str(got[1]) == str(expected[1]), f"{where}: value and gradients {got[1]} vs PyTorch's {expected[1]}"
