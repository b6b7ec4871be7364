"""softshrink's zero inside the band [−λ, λ] (docs/pytorch.md, Special values): PyTorch's CPU kernel gives +0.0 in
its vector loop (whole blocks of 8 float64 or 16 float32 values) and x·0 element by element (a short tensor, the
last entries of a long one), so −0.0 for a negative x or −0.0; minigan gives +0.0 everywhere, the vector form.
Both checked against PyTorch, with the gradient (the same in both forms) and hardshrink's and threshold's zeros,
which have one form."""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

BAND = [-0.0, 0.0, -0.3, 0.3, -0.5, 0.5, -1e-300, 1e-300, 0.7, -0.7, 2.0, -2.0, 0.25, -0.25, 0.1, -0.1]


def _run(lib, name, values, dtype, *args):
    x = lib.tensor(values, dtype=getattr(lib, dtype), requires_grad=True)
    y = getattr(lib.nn.functional, name)(x, *args)
    (g,) = lib.autograd.grad(y.sum(), x)
    return y.detach().numpy(), g.numpy()


@pytest.mark.parametrize("dtype,block", [("float64", 8), ("float32", 16)])
@pytest.mark.parametrize("name,args", [("softshrink", (0.5,)), ("softshrink", (0.0,)), ("hardshrink", (0.5,)),
                                       ("hardshrink", (0.0,)), ("threshold", (0.5, 0.0)), ("threshold", (0.0, -0.0))])
def test_zeros_signs(name, args, dtype, block):
    blocks = np.resize(np.array(BAND), 2 * block)
    (want, want_grad), (got, got_grad) = (_run(lib, name, blocks, dtype, *args) for lib in (torch, minigan))
    bits = f"i{got.itemsize}"
    np.testing.assert_array_equal(got.view(bits), want.view(bits))  # (the vector loop: one form in both)
    np.testing.assert_array_equal(got_grad, want_grad)
    short = np.array(BAND[:5])  # (element by element in PyTorch: x·0 for softshrink)
    (want, want_grad), (got, got_grad) = (_run(lib, name, short, dtype, *args) for lib in (torch, minigan))
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(got_grad, want_grad)
    signs = np.signbit(want) != np.signbit(got)
    if name == "softshrink":  # PyTorch's −0.0 where x ≤ 0 in the band; minigan's +0.0
        band = args[0] == 0.5  # (−0.3 and −0.5 lie in the band only for λ = 0.5)
        assert signs.tolist() == [True, False, band, False, band]
    else:
        assert not signs.any()
