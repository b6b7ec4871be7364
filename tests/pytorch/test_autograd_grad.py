"""autograd.grad's batches and what retain_grad keeps, against PyTorch (tests/pytorch/sweep.py):

* ``autograd.grad(..., is_grads_batched=True)``: grad_outputs carry a batch dimension first and the result stacks
  one vector-Jacobian product per slice (PyTorch vmaps over it; a loop gives the same numbers), so the rows of a
  Jacobian come in one call: one and two inputs, one and two outputs, an unused input, create_graph with a second
  derivative, and the refusals;
* ``retains_grad`` on leaves, non-leaves, tensors that need no grad, after an in-place change and a view; a retained
  non-leaf gradient sums out of place over backward calls, as PyTorch's retain_grad hook does (a leaf's ``.grad``
  accumulates in place, so whoever holds it sees the sum; a non-leaf's is replaced by ``old + new``, so a ``.grad``
  a program kept from the first backward still holds the first gradient, and one it zeroed stays zero): the second
  pass by ``backward``, ``autograd.grad`` and ``backward(create_graph=True)``, after a gradient the program set,
  zeroed or cleared, on a plain non-leaf and a view.
"""

import itertools

import numpy as np
import pytest

from pytorch.sweep import close, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _batched(L, case):
    rng = np.random.default_rng(0)
    x = L.tensor(rng.standard_normal(3), requires_grad=True)
    w = L.tensor(rng.standard_normal((2, 3)), requires_grad=True)
    z = L.tensor(rng.standard_normal(2), requires_grad=True)
    g = L.autograd.grad
    eye = L.eye(2, dtype=L.float64)
    got = {
        "jacobian_rows": lambda: g(L.tanh(w @ x), x, grad_outputs=eye, is_grads_batched=True),
        "two_inputs": lambda: g(L.tanh(w @ x), (x, w), grad_outputs=eye, is_grads_batched=True),
        "two_outputs": lambda: g((w @ x, (x * x).sum()), x, grad_outputs=(eye, L.tensor([1.0, -2.0],
                                                                                         dtype=L.float64)),
                                 is_grads_batched=True),
        "unused": lambda: g(w @ x, (x, z), grad_outputs=eye, is_grads_batched=True, allow_unused=True),
        "materialized": lambda: g(w @ x, (x, z), grad_outputs=eye, is_grads_batched=True, materialize_grads=True),
        "materialized_not_unused": lambda: g(w @ x, (x, z), grad_outputs=eye, is_grads_batched=True,
                                             materialize_grads=True, allow_unused=False),
        "create_graph": lambda: (lambda rows: rows + g(rows[0].sum(), (x, w)))(
            g(L.sin(w @ x), x, grad_outputs=eye, is_grads_batched=True, create_graph=True)),
        "batch_of_three": lambda: g(x.exp(), x, grad_outputs=L.tensor(rng.standard_normal((3, 3))),
                                    is_grads_batched=True),
        "no_grad_outputs": lambda: g((x * x).sum(), x, is_grads_batched=True),
        "wrong_batch_shape": lambda: g(w @ x, x, grad_outputs=L.ones(2, 3, dtype=L.float64), is_grads_batched=True),
    }[case]()
    return [None if t is None else close(t.detach(), 1e-12, 1e-14) for t in got]


test_batched_grad_as_pytorchs = sweep(_batched, [
    "jacobian_rows", "two_inputs", "two_outputs", "unused", "materialized", "materialized_not_unused",
    "create_graph", "batch_of_three", "no_grad_outputs", "wrong_batch_shape"])


def _retains_grad(L):
    """retain_grad on leaves, non-leaves, tensors that need no grad, after an in-place change and a view."""
    x = L.tensor([1.0, 2.0], requires_grad=True)
    y, z = x * 2, x * 3
    y.retain_grad()
    x.retain_grad()
    seen = [x.retains_grad, y.retains_grad, z.retains_grad, L.tensor(1.0).retains_grad]
    y.add_(1)
    v = z[:1]
    v.retain_grad()
    seen += [y.retains_grad, v.retains_grad, z.retains_grad, y.detach().retains_grad]
    (y.sum() + v.sum()).backward()
    seen += [y.retains_grad, v.retains_grad]  # (after backward freed the graph too)
    return seen + [y.grad is not None, v.grad is not None, x.grad]


def _retained_sum(L, second, between, kept):
    """The first backward's .grad then and now, the .grad now, whether they are one object, whether it requires
    grad, and the leaf's (summed in place)."""
    w = L.tensor([1.0, 2.0, -1.0], dtype=L.float64, requires_grad=True)
    y = w * 3 if kept == "product" else (w * 3)[1:]
    y.retain_grad()
    z = (y * y).sum()
    if between == "set before":
        y.grad = L.ones(y.shape, dtype=L.float64)
    z.backward(retain_graph=True)
    first = y.grad
    seen = [first.detach().clone()]
    if between == "zeroed":
        y.grad.zero_()
    elif between == "cleared":
        y.grad = None
    if second == "backward":
        z.backward(retain_graph=True)
    elif second == "autograd.grad":
        L.autograd.grad(z, w, retain_graph=True)
    else:
        z.backward(create_graph=True)
    return seen + [first.detach().clone(), y.grad.detach().clone(), first is y.grad, y.grad.requires_grad,
                   w.grad.detach().clone()]


test_retains_grad_as_pytorch = sweep(_retains_grad, [()], ids=lambda: "retains_grad")
test_retained_gradient_sums_as_pytorch = sweep(_retained_sum, itertools.product(
    ("backward", "autograd.grad", "create_graph"), ("nothing", "set before", "zeroed", "cleared"),
    ("product", "view")))
