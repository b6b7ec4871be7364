"""adaptive_avg_pool's gradient where the upstream gradient holds NaN or ±∞, against PyTorch float64.

PyTorch's kernel adds each window's gradient / (its height · width) into the window's pixels, so a NaN or ∞ gradient
of one window reaches that window's pixels only.  A product with 0/1 membership matrices (the same sums in exact
arithmetic) would make it 0 · NaN = NaN at every other pixel.  Compared: the 1-D and 2-D functions and modules, sizes
that divide, windows that overlap and more windows than pixels, first order and the gradient's derivatives in the
input and in an upstream that is a leaf (a NaN there is what a third-order gradient of logcumsumexp hands on)."""

import warnings

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

NONFINITE = [float("nan"), float("inf"), -float("inf")]
CASES = [  # (name, code over x and the library, input shape)
    ("1d_divides", "F.adaptive_avg_pool1d(x, 2)", (1, 2, 6)),
    ("1d_overlaps", "F.adaptive_avg_pool1d(x, 3)", (2, 1, 5)),
    ("1d_more_windows", "F.adaptive_avg_pool1d(x, 5)", (1, 1, 3)),
    ("1d_unbatched", "F.adaptive_avg_pool1d(x, 2)", (2, 5)),
    ("2d_divides", "F.adaptive_avg_pool2d(x, 2)", (1, 1, 4, 4)),
    ("2d_overlaps", "F.adaptive_avg_pool2d(x, (2, 3))", (1, 2, 5, 4)),
    ("2d_more_windows", "F.adaptive_avg_pool2d(x, (3, 4))", (1, 1, 2, 3)),
    ("2d_unbatched", "F.adaptive_avg_pool2d(x, (2, 2))", (1, 3, 5)),
    ("module_1d", "torch.nn.AdaptiveAvgPool1d(2)(x)", (1, 1, 5)),
    ("module_2d", "torch.nn.AdaptiveAvgPool2d((2, 1))(x)", (1, 1, 3, 3)),
]


def _run(lib, code, shape, special, at):
    x = lib.tensor(np.linspace(-1.0, 1.5, int(np.prod(shape))).reshape(shape), dtype=lib.float64, requires_grad=True)
    y = eval(code, {"torch": lib, "F": lib.nn.functional, "x": x})  # noqa: S307  (the table's own code)
    up = np.linspace(0.5, 1.5, y.numel())
    up[at % up.size] = special
    u = lib.tensor(up.reshape(tuple(y.shape)), dtype=lib.float64, requires_grad=True)
    g, = lib.autograd.grad(y, x, u, create_graph=True)
    second = lib.autograd.grad(g, [x, u], lib.ones_like(g), allow_unused=True)
    return [None if t is None else (t.detach().numpy() + 0.0).tolist() for t in (g, *second)]


@pytest.mark.parametrize("at", [0, -1])
@pytest.mark.parametrize("special", NONFINITE)
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_adaptive_avg_pool_keeps_a_nonfinite_gradient_in_its_window(case, special, at):
    _, code, shape = case
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mine, theirs = _run(minigan, code, shape, special, at), _run(torch, code, shape, special, at)
    assert str(mine) == str(theirs)  # (str: NaN equal to NaN)
