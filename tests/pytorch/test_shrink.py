"""softshrink's, hardshrink's and threshold's zeros against PyTorch (tests/pytorch/sweep.py; docs/pytorch.md, Special
values).  Inside the band [−λ, λ] PyTorch's CPU softshrink kernel gives +0.0 in its vector loop (whole blocks of 8
float64 or 16 float32 values) and x·0 element by element (a short tensor, the last entries of a long one), so −0.0
for a negative x or −0.0; minigan gives +0.0 everywhere, the vector form: whole blocks bit for bit, a short tensor's
values, and the signs that differ exactly those.  The gradient (the same in both forms) and hardshrink's and
threshold's zeros, which have one form, as PyTorch's."""

import numpy as np
import pytest

import minigan
from pytorch.sweep import bits, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

BAND = [-0.0, 0.0, -0.3, 0.3, -0.5, 0.5, -1e-300, 1e-300, 0.7, -0.7, 2.0, -2.0, 0.25, -0.25, 0.1, -0.1]
CALLS = [("softshrink", (0.5,)), ("softshrink", (0.0,)), ("hardshrink", (0.5,)), ("hardshrink", (0.0,)),
         ("threshold", (0.5, 0.0)), ("threshold", (0.0, -0.0))]
DTYPES = [("float64", 8), ("float32", 16)]


def _run(L, name, args, dtype, values):
    x = L.tensor(values, dtype=getattr(L, dtype), requires_grad=True)
    y = getattr(L.nn.functional, name)(x, *args)
    (g,) = L.autograd.grad(y.sum(), x)
    return y.detach(), g


def _blocks(L, name, args, dtype, block):  # (the vector loop: one form in both)
    y, g = _run(L, name, args, dtype, np.resize(np.array(BAND), 2 * block))
    return bits(y), g


def _short(L, name, args, dtype, block):  # (element by element in PyTorch: x·0 for softshrink)
    return _run(L, name, args, dtype, np.array(BAND[:5]))


test_zeros_of_whole_blocks = sweep(_blocks, [(*c, *d) for c in CALLS for d in DTYPES])
test_zeros_of_a_short_tensor = sweep(_short, [(*c, *d) for c in CALLS for d in DTYPES])


@pytest.mark.parametrize("name, args", CALLS)
def test_only_softshrinks_short_zeros_differ_in_sign(name, args):
    (want, _), (got, _) = (_run(lib, name, args, "float64", np.array(BAND[:5])) for lib in (torch, minigan))
    signs = np.signbit(want.numpy()) != np.signbit(got.numpy())
    band = args[0] == 0.5  # (−0.3 and −0.5 lie in the band only for λ = 0.5)
    assert signs.tolist() == ([True, False, band, False, band] if name == "softshrink" else [False] * 5)
