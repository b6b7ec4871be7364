"""A retained non-leaf gradient sums out of place over backward calls, as PyTorch's retain_grad hook does.

A leaf's ``.grad`` accumulates in place (whoever holds it sees the sum); a non-leaf's, kept by ``retain_grad()``,
is replaced by ``old + new``, so a ``.grad`` a program kept from the first backward still holds the first
gradient (and one it zeroed stays zero). The second pass by ``backward``, ``autograd.grad`` and
``backward(create_graph=True)``, after a gradient the program set, zeroed or cleared, on a plain non-leaf and a
view, against PyTorch.
"""

import itertools

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch")

SECOND = ("backward", "autograd.grad", "create_graph")
BETWEEN = ("nothing", "set before", "zeroed", "cleared")
KEPT = ("product", "view")


def program(lib, second, between, kept):
    w = lib.tensor([1.0, 2.0, -1.0], dtype=lib.float64, requires_grad=True)
    y = w * 3 if kept == "product" else (w * 3)[1:]
    y.retain_grad()
    z = (y * y).sum()
    if between == "set before":
        y.grad = lib.ones(y.shape, dtype=lib.float64)
    z.backward(retain_graph=True)
    first = y.grad
    seen = {"first then": first.detach().clone()}
    if between == "zeroed":
        y.grad.zero_()
    elif between == "cleared":
        y.grad = None
    if second == "backward":
        z.backward(retain_graph=True)
    elif second == "autograd.grad":
        lib.autograd.grad(z, w, retain_graph=True)
    else:
        z.backward(create_graph=True)
    seen.update({"first now": first.detach().clone(), "grad now": y.grad.detach().clone(),
                 "the same object": first is y.grad, "requires grad": y.grad.requires_grad,
                 "leaf's is summed in place": w.grad.detach().clone()})
    return seen


@pytest.mark.parametrize("second,between,kept", list(itertools.product(SECOND, BETWEEN, KEPT)))
def test_retained_gradient_sums_as_pytorch(second, between, kept):
    want, got = program(torch, second, between, kept), program(minigan, second, between, kept)
    for key in want:
        if isinstance(want[key], bool):
            assert got[key] == want[key], key
        else:
            np.testing.assert_array_equal(np.asarray(got[key]), want[key].numpy(), err_msg=key)
