"""autograd.grad(..., is_grads_batched=True): grad_outputs carry a batch dimension first and the result stacks one
vector-Jacobian product per slice (PyTorch vmaps over it; a loop gives the same numbers), so the rows of a Jacobian
come in one call.  Against PyTorch: one and two inputs, one and two outputs, an unused input, create_graph with a
second derivative, and the refusals."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import minigan  # noqa: E402


def _run(lib, case):
    rng = np.random.default_rng(0)
    x = lib.tensor(rng.standard_normal(3), requires_grad=True)
    w = lib.tensor(rng.standard_normal((2, 3)), requires_grad=True)
    z = lib.tensor(rng.standard_normal(2), requires_grad=True)
    g = lib.autograd.grad
    eye = lib.eye(2, dtype=lib.float64)
    if case == "jacobian_rows":
        return g(lib.tanh(w @ x), x, grad_outputs=eye, is_grads_batched=True)
    if case == "two_inputs":
        return g(lib.tanh(w @ x), (x, w), grad_outputs=eye, is_grads_batched=True)
    if case == "two_outputs":
        return g((w @ x, (x * x).sum()), x, grad_outputs=(eye, lib.tensor([1.0, -2.0], dtype=lib.float64)),
                 is_grads_batched=True)
    if case == "unused":
        return g(w @ x, (x, z), grad_outputs=eye, is_grads_batched=True, allow_unused=True)
    if case == "materialized":
        return g(w @ x, (x, z), grad_outputs=eye, is_grads_batched=True, materialize_grads=True)
    if case == "create_graph":
        (rows,) = g(lib.sin(w @ x), x, grad_outputs=eye, is_grads_batched=True, create_graph=True)
        return (rows,) + g(rows.sum(), (x, w))
    if case == "batch_of_three":
        return g(x.exp(), x, grad_outputs=lib.tensor(rng.standard_normal((3, 3))), is_grads_batched=True)
    if case == "materialized_not_unused":
        return g(w @ x, (x, z), grad_outputs=eye, is_grads_batched=True, materialize_grads=True, allow_unused=False)
    if case == "no_grad_outputs":
        return g((x * x).sum(), x, is_grads_batched=True)
    if case == "wrong_batch_shape":
        return g(w @ x, x, grad_outputs=lib.ones(2, 3, dtype=lib.float64), is_grads_batched=True)
    raise AssertionError(case)


CASES = ["jacobian_rows", "two_inputs", "two_outputs", "unused", "materialized", "materialized_not_unused",
         "create_graph", "batch_of_three", "no_grad_outputs", "wrong_batch_shape"]


def _outcome(lib, case):
    try:
        return [None if t is None else t.detach().numpy() for t in _run(lib, case)]
    except Exception as e:  # noqa: BLE001 - the exception is the outcome
        return type(e)


@pytest.mark.parametrize("case", CASES)
def test_batched_grad_as_pytorchs(case):
    theirs, ours = _outcome(torch, case), _outcome(minigan, case)
    if isinstance(theirs, type):
        assert isinstance(ours, type) and issubclass(ours, theirs), f"PyTorch raised {theirs.__name__}, minigan {ours}"
        return
    assert not isinstance(ours, type), f"PyTorch runs; minigan raised {ours.__name__}"
    assert len(ours) == len(theirs)
    for a, b in zip(theirs, ours):
        assert (a is None) == (b is None)
        if a is not None:
            assert a.shape == b.shape
            np.testing.assert_allclose(b, a, rtol=1e-12, atol=1e-14)
