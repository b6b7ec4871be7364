"""lerp with a number weight is one node, PyTorch's LerpBackward0: its gradients are grad·(1 − weight) and grad·weight,
so an infinite or NaN upstream gradient passes as PyTorch's does (a composite input + weight·(end − input) gave the
input grad − weight·grad, NaN for an infinite grad)."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")
import minigan  # noqa: E402

WEIGHTS = [0.3, 0.7, 0.5, 0.0, 1.0, -0.25, 1.5, np.float64(0.2), np.float32(0.8)]
UPSTREAM = [np.inf, -np.inf, np.nan, 1.0]


def _run(L, dtype, weight, up, create_graph):
    s = L.tensor(np.array([1.0, -2.0, 0.5]), dtype=dtype, requires_grad=True)
    e = L.tensor(np.array([3.0, 4.0, -1.5]), dtype=dtype, requires_grad=True)
    out = L.lerp(s, e, weight)
    grad = L.tensor(np.array([up, 1.0, -2.0]), dtype=dtype, requires_grad=create_graph)
    gs, ge = L.autograd.grad(out, [s, e], grad, create_graph=create_graph)
    seen = [out.detach().numpy(), gs.detach().numpy(), ge.detach().numpy(), out.grad_fn.name()]
    if create_graph:  # second order: in the upstream gradient (its derivative is (1 − weight) and weight)
        with np.errstate(invalid="ignore"):  # (∞ − ∞ in this line's own sum; minigan's forward warns: open)
            (gg,) = L.autograd.grad((gs * 2 + ge).sum(), [grad])
        seen.append(gg.numpy())
    return seen


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("create_graph", [False, True])
@pytest.mark.parametrize("up", UPSTREAM)
@pytest.mark.parametrize("weight", WEIGHTS, ids=repr)
def test_a_number_weights_gradients_are_pytorchs_lerp_backward(weight, up, create_graph, dtype):
    theirs = _run(torch, getattr(torch, dtype), weight, up, create_graph)
    ours = _run(minigan, getattr(minigan, dtype), weight, up, create_graph)
    assert ours[3] == theirs[3]
    assert ours[0].dtype == theirs[0].dtype  # (the value to rounding: PyTorch's kernel rounds once, a fused a·b + c)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=0, atol=8 * np.finfo(ours[0].dtype).eps)  # (|ends| ≤ 4)
    for got, want in zip(ours[1:3] + ours[4:], theirs[1:3] + theirs[4:]):
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)
