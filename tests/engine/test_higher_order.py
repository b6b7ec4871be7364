"""Gradients of gradients on their own terms: a mixed second derivative of pow at a zero exponent, the fourth derivative
of x⁴, Hessian-vector products, and what ``minigan.autograd.grad`` promises (.grad left alone, allow_unused,
intermediates, several outputs, freeing the graph, create_graph's accumulation and in-place rules, no tensor built
by a first-order backward, a detached alias as a constant).

(Its comparisons with PyTorch: tests/pytorch/test_higher_order.py.)"""

import contextlib

import numpy as np
import pytest

import minigan
import minigan.engine.ops
import minigan.engine.tensor
import minigan.functional as F
from engine.helpers_higher_order import _leaves, the_engines_pow
from minigan import autograd
from minigan.engine.errors import GraphError
from minigan.engine.graph import Node
from minigan.surface.tensor import Tensor


def test_pow_mixed_derivative_at_a_zero_exponent(xp_backend):
    """∂²(aᵇ)/∂a∂b = a^(b−1)(1 + b·log a), which is 1/a at b = 0.  The engine's Pow gives it; minigan's ``**`` is
    PyTorch's, whose pow_backward masks the gradient with respect to the base where the exponent is exactly 0
    (where(b = 0, 0, b·a^(b−1)·grad): 0 there, even for an infinite grad), so its ∂/∂b of ∂f/∂a is 0 (Pow's row's
    kernels widen the engine's ``zero_da``), and ∂/∂a of ∂f/∂b (no mask at a > 0) is 1/a in both.
    """
    a = minigan.Tensor([0.5, 1.0, 2.0], dtype="float64", requires_grad=True)
    b = minigan.Tensor([0.0, 0.0, 0.0], dtype="float64", requires_grad=True)
    inverse = 1 / a.detach().cpu().numpy()
    for computed_by, mixed in ((contextlib.nullcontext, 0.0), (the_engines_pow, inverse)):
        with computed_by():
            ga, gb = autograd.grad((a**b).sum(), [a, b], create_graph=True)
            (dab,) = autograd.grad(ga.sum(), b, retain_graph=True)
            (dba,) = autograd.grad(gb.sum(), a)
        np.testing.assert_allclose(ga.detach().cpu().numpy(), 0.0)
        np.testing.assert_allclose(gb.detach().cpu().numpy(), np.log(a.detach().cpu().numpy()), rtol=1e-15)
        np.testing.assert_allclose(dab.detach().cpu().numpy(), mixed, rtol=1e-15)
        np.testing.assert_allclose(dba.detach().cpu().numpy(), inverse, rtol=1e-15)


def test_pow_at_zero_base_and_exponent_is_the_textbooks_limit(xp_backend):
    """Where a formula is 0·∞ the engine's Pow gives the limit, 0: d(a^b)/da at a = b = 0 (a^0 = 1 is flat in a),
    d(a^b)/db at a = 0 < b (0^b = 0 is flat in b); at a = 0 = b, d/db is the formula's 1·log 0 = −∞, where PyTorch's
    (and minigan's ``**``) gives 0.  An ∞ upstream at b = 0, a ≠ 0 is ∞·0 = NaN in the engine, 0 in PyTorch's."""
    a = minigan.Tensor([0.0, 0.0, 0.0, 2.0], dtype="float64", requires_grad=True)
    b = minigan.Tensor([0.0, 1.5, -1.0, 0.0], dtype="float64", requires_grad=True)
    with np.errstate(all="ignore"):
        surface = autograd.grad((a**b).sum(), [a, b])
        with the_engines_pow():
            engine = autograd.grad((a**b).sum(), [a, b])
            infinite = autograd.grad(a**b, [a], minigan.Tensor([1.0, 1.0, 1.0, np.inf], dtype="float64"))[0]
    np.testing.assert_array_equal(engine[0].numpy(force=True), [0.0, 0.0, -np.inf, 0.0])
    np.testing.assert_allclose(engine[1].numpy(force=True), [-np.inf, 0.0, -np.inf, np.log(2.0)], rtol=1e-15)
    np.testing.assert_array_equal(surface[0].numpy(force=True), [0.0, 0.0, -np.inf, 0.0])
    np.testing.assert_allclose(surface[1].numpy(force=True), [0.0, 0.0, -np.inf, np.log(2.0)], rtol=1e-15)
    assert np.isnan(infinite.numpy(force=True)[3])


def test_fourth_derivative_of_x_to_the_fourth(xp_backend):
    xs = np.array([-1.5, -0.5, 0.0, 0.7, 2.0])
    x = minigan.tensor(xs, requires_grad=True)
    expected = [4 * xs**3, 12 * xs**2, 24 * xs, np.full_like(xs, 24.0)]
    y = (x**4).sum()
    for k, want in enumerate(expected):
        (y,) = autograd.grad(y.sum(), x, create_graph=k < 3)
        np.testing.assert_allclose(y.detach().cpu().numpy(), want, rtol=1e-13, atol=1e-13)
    assert not y.requires_grad


def test_hvp_of_a_function_linear_in_one_input(xp_backend):
    x = minigan.Tensor([1.0, -2.0], dtype="float64", requires_grad=True)
    y = minigan.Tensor([3.0, 4.0], dtype="float64", requires_grad=True)
    v = [minigan.Tensor([0.5, 2.0], dtype="float64"), minigan.Tensor([1.0, 1.0], dtype="float64")]
    hx, hy = autograd.hvp(lambda a, b: (a**3).sum() + (b * 2).sum(), [x, y], v)
    np.testing.assert_allclose(hx.numpy(force=True),
                               6 * x.numpy(force=True) * v[0].numpy(force=True))  # H = diag(6x) for x, 0 for y
    np.testing.assert_allclose(hy.detach().cpu().numpy(), 0.0)
    (h,) = autograd.hvp(lambda b: (b * 2).sum(), [y], v[1:])  # f linear: H = 0
    np.testing.assert_allclose(h.detach().cpu().numpy(), 0.0)


def test_hvp_of_a_function_that_ignores_an_input(xp_backend):
    x = minigan.Tensor([1.0, -2.0], dtype="float64", requires_grad=True)
    y = minigan.Tensor([3.0, 4.0], dtype="float64", requires_grad=True)
    v = [minigan.Tensor([0.5, 2.0], dtype="float64"), minigan.Tensor([1.0, 1.0], dtype="float64")]
    hx, hy = autograd.hvp(lambda a, b: (a**3).sum(), [x, y], v)  # torch.autograd.functional.hvp: zeros for b
    np.testing.assert_allclose(hx.detach().cpu().numpy(), 6 * x.detach().cpu().numpy() * v[0].detach().cpu().numpy())
    np.testing.assert_allclose(hy.detach().cpu().numpy(), 0.0)


# ----------------------------------------------------------------------------- autograd.grad semantics
def test_grad_leaves_dot_grad_alone(xp_backend):
    x = minigan.Tensor([1.0, 2.0], dtype="float64", requires_grad=True)
    w = minigan.Tensor([3.0, -1.0], dtype="float64", requires_grad=True)
    before = minigan.Tensor([7.0, 7.0], dtype="float64")
    x.grad = before
    (g,) = autograd.grad((x * x * w).sum(), x)
    np.testing.assert_allclose(g.detach().cpu().numpy(), [6.0, -4.0])
    assert x.grad is before and np.array_equal(x.grad.detach().cpu().numpy(), [7.0, 7.0]) and w.grad is None
    (g,) = autograd.grad((x * x * w).sum(), x, create_graph=True)
    assert x.grad is before and w.grad is None


def test_grad_allow_unused(xp_backend):
    x = minigan.Tensor([1.0, 2.0], dtype="float64", requires_grad=True)
    unused = minigan.Tensor([3.0], dtype="float64", requires_grad=True)
    y = (x * 2).sum()
    with pytest.raises(GraphError, match="allow_unused"):
        autograd.grad(y, [x, unused], retain_graph=True)
    gx, gu = autograd.grad(y, [x, unused], allow_unused=True)
    np.testing.assert_allclose(gx.detach().cpu().numpy(), [2.0, 2.0])
    assert gu is None


def test_grad_with_respect_to_an_intermediate(xp_backend):
    x = minigan.Tensor([0.5, -1.0, 2.0], dtype="float64", requires_grad=True)
    h = x.tanh()
    z = (h * h * x).sum()
    gh, gx = autograd.grad(z, [h, x])
    t = np.tanh(x.detach().cpu().numpy())
    np.testing.assert_allclose(gh.detach().cpu().numpy(), 2 * t * x.detach().cpu().numpy(), rtol=1e-14)
    np.testing.assert_allclose(gx.numpy(force=True), t * t + 2 * t * x.numpy(force=True) * (1 - t * t), rtol=1e-14)
    # and to second order: d/dx of (dz/dh · u) through the intermediate
    h = x.tanh()
    (gh,) = autograd.grad((h * h * x).sum(), h, create_graph=True)  # 2 h x, a graph in x
    (hx,) = autograd.grad(gh.sum(), x)
    np.testing.assert_allclose(hx.numpy(force=True), 2 * (1 - t * t) * x.numpy(force=True) + 2 * t, rtol=1e-14)


def test_grad_of_several_outputs_with_grad_outputs(xp_backend):
    x = minigan.Tensor([0.5, -1.0, 2.0], dtype="float64", requires_grad=True)
    squares, total = x * x, x.exp().sum()
    w_squares = minigan.Tensor([1.0, 2.0, 3.0], dtype="float64")
    w_total = minigan.Tensor(0.5, dtype="float64")
    (g,) = autograd.grad([squares, total], x, grad_outputs=[w_squares, w_total], create_graph=True)
    xs, ws = x.detach().cpu().numpy(), w_squares.detach().cpu().numpy()
    np.testing.assert_allclose(g.detach().cpu().numpy(), 2 * xs * ws + 0.5 * np.exp(xs), rtol=1e-14)  # the sum of both
    (h,) = autograd.grad(g.sum(), x)
    np.testing.assert_allclose(h.detach().cpu().numpy(), 2 * ws + 0.5 * np.exp(xs), rtol=1e-14)
    with pytest.raises(ValueError, match="grad_outputs"):
        autograd.grad([x * x, x * 3], x, grad_outputs=[w_squares])


def test_grad_frees_the_graph_unless_retained(xp_backend):
    x = minigan.Tensor([0.5, -1.0], dtype="float64", requires_grad=True)
    y = (x.tanh() * x).sum()
    first = autograd.grad(y, x, retain_graph=True)[0].detach().cpu().numpy()
    second = autograd.grad(y, x)[0].detach().cpu().numpy()  # retain_graph defaults to create_graph (False): frees
    np.testing.assert_array_equal(first, second)
    with pytest.raises(GraphError, match="second time"):
        autograd.grad(y, x)
    y = (x * x).sum()
    autograd.grad(y, x, create_graph=True, retain_graph=False)
    with pytest.raises(GraphError, match="second time"):
        autograd.grad(y, x)


def test_backward_of_a_create_graph_gradient_accumulates_into_leaves(xp_backend):
    x = minigan.Tensor([0.5, -1.0, 2.0], dtype="float64", requires_grad=True)
    w = minigan.Tensor([2.0, 3.0, -1.0], dtype="float64", requires_grad=True)
    (g,) = autograd.grad((x**3 * w).sum(), x, create_graph=True)  # 3x² w
    assert x.grad is None and w.grad is None
    g.sum().backward(retain_graph=True)
    np.testing.assert_allclose(x.grad.numpy(force=True), 6 * x.numpy(force=True) * w.numpy(force=True), rtol=1e-14)
    np.testing.assert_allclose(w.grad.detach().cpu().numpy(), 3 * x.detach().cpu().numpy() ** 2, rtol=1e-14)
    g.sum().backward()  # accumulates
    np.testing.assert_allclose(x.grad.numpy(force=True), 12 * x.numpy(force=True) * w.numpy(force=True), rtol=1e-14)
    np.testing.assert_allclose(w.grad.detach().cpu().numpy(), 6 * x.detach().cpu().numpy() ** 2, rtol=1e-14)


def test_create_graph_grads_of_two_leaves_are_separate(xp_backend):
    a = minigan.Tensor([1.0, 2.0], dtype="float64", requires_grad=True)
    b = minigan.Tensor([3.0, 4.0], dtype="float64", requires_grad=True)
    ((a + b) * 2).sum().backward(create_graph=True)  # Add hands one gradient to both
    with minigan.no_grad():
        a.grad.mul_(3)  # as in PyTorch, b.grad must not change
    np.testing.assert_allclose(b.grad.detach().cpu().numpy(), [2.0, 2.0])
    assert a.grad is not b.grad


def test_create_graph_grad_can_be_changed_in_place(xp_backend):
    x = minigan.Tensor([1.0, 2.0], dtype="float64", requires_grad=True)
    x.sum().backward(create_graph=True)  # sum's gradient is broadcast_to(1, x.shape)
    with minigan.no_grad():
        x.grad.mul_(0.5)  # gradient clipping does this; PyTorch allows it
    np.testing.assert_allclose(x.grad.detach().cpu().numpy(), [0.5, 0.5])


def test_in_place_change_of_a_pow_output_the_exponent_gradient_needs(xp_backend):
    x, w = _leaves([np.array([0.5, 2.0]), np.array([1.5, -0.5])])
    y = x**w
    y.add_(1.0)
    with pytest.raises(GraphError, match="Pow saved its output"):  # PyTorch raises too
        y.sum().backward()


# ----------------------------------------------------------------------------- first order stays plain arrays
def _all_functions(cls=Node):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_functions(sub)


def _big_graph(x, w, b, constant):
    """Many ops at once: linear, activations, arithmetic, reductions, shape ops, losses, a constant beside."""
    h = F.linear(x, w, b).tanh()                                      # (4, 3)
    h = h.sigmoid() * F.leaky_relu(h, 0.1) + h.relu() - F.softplus(h) / (h.abs() + 1)
    h = h + (h * h + 0.5).sqrt().log() + 2.0**h + (h.exp() ** 0.5) * constant
    h = (h.clamp(-3.0, 3.0) ** 2).astype(np.float32).astype(np.float64)
    g = F.cat([h[[0, 0, 2]], h[1:2].flip(1)], axis=0).T.reshape(4, 3)  # repeated rows, a reversed row
    g = F.pad(g, ((0, 0), (1, 1))) @ w.T.pad(((1, 1), (0, 0)))        # (4, 5) @ (5, 3)
    parts = [g.max(axis=1).sum(), g.logsumexp(axis=0).mean(), F.softmax(g, -1)[:, 0].sum(),
             F.log_softmax(g, 0).min(), F.stack([g, h]).mean(axis=(1, 2)).sum(),
             F.cross_entropy(g, np.array([0, 2, 2, 1])), F.binary_cross_entropy_with_logits(g, h.sigmoid()),
             F.binary_cross_entropy(g.sigmoid(), constant.sigmoid() * minigan.ones(4, 3, dtype="float64")),
             F.mse_loss(g, h, reduction="sum"), (g.unsqueeze(0).squeeze(0) @ b).sum(), g[g.array > 0].sum()]
    loss = parts[0]
    for p in parts[1:]:
        loss = loss + p
    return loss


def _big_graph_inputs(requires_grad=True):
    rng = np.random.default_rng(5)
    x = minigan.tensor(rng.standard_normal((4, 3)), requires_grad=True)
    w = minigan.tensor(rng.standard_normal((3, 3)) * 0.5, requires_grad=requires_grad)
    b = minigan.tensor(rng.standard_normal(3) * 0.1, requires_grad=requires_grad)
    constant = minigan.Tensor(0.3, dtype="float64")
    return x, w, b, constant


def test_first_order_backward_builds_no_tensor(xp_backend, monkeypatch):
    inside = {"depth": 0, "tensors": 0, "tensor_grads": []}
    engine_tensor = minigan.engine.tensor.Tensor  # (every tensor the engine makes is made by its _make)
    make = vars(engine_tensor)["_make"].__func__

    def counting_make(cls, *args, **kwargs):
        inside["tensors"] += inside["depth"] > 0
        return make(cls, *args, **kwargs)

    def watched(backward):
        def run(self, grad):
            if isinstance(grad, Tensor):
                inside["tensor_grads"].append(type(self).__name__)
            inside["depth"] += 1
            try:
                out = backward(self, grad)
            finally:
                inside["depth"] -= 1
            inside["tensor_grads"] += [type(self).__name__ for gi in out if isinstance(gi, Tensor)]
            return out

        return run

    monkeypatch.setattr(engine_tensor, "_make", classmethod(counting_make))
    for cls in _all_functions():
        if "backward" in vars(cls):
            monkeypatch.setattr(cls, "backward", watched(vars(cls)["backward"]))

    x, w, b, constant = _big_graph_inputs()
    _big_graph(x, w, b, constant).backward()
    assert inside["tensors"] == 0 and inside["tensor_grads"] == []
    for p in (x, w, b):
        assert p.grad is not None and p.grad.grad_fn is None and not p.grad.requires_grad
    found = autograd.grad(_big_graph(x, w, b, constant), [x, w, b])
    assert inside["tensors"] == 0 and inside["tensor_grads"] == []
    for g, p in zip(found, (x, w, b)):
        assert g.grad_fn is None and not g.requires_grad
        np.testing.assert_allclose(g.detach().cpu().numpy(), p.grad.detach().cpu().numpy(), rtol=1e-14)


def test_create_graph_with_inputs_that_need_no_grad(xp_backend):
    x, w, b, constant = _big_graph_inputs(requires_grad=False)  # only x requires grad
    _big_graph(x, w, b, constant).backward()
    first = x.grad.detach().cpu().numpy()
    x.grad = None
    _big_graph(x, w, b, constant).backward(create_graph=True)
    assert x.grad.requires_grad and w.grad is None and b.grad is None
    np.testing.assert_allclose(x.grad.detach().cpu().numpy(), first, rtol=1e-13, atol=1e-14)
    (h,) = autograd.grad(x.grad.sum(), x)
    assert h.shape == x.shape and np.isfinite(h.detach().cpu().numpy()).all()
    # a gradient that does not depend on anything requiring grad is a constant, as in PyTorch
    y = (x * minigan.Tensor([1.0, 2.0, 3.0], dtype="float64")).sum()
    (g,) = autograd.grad(y, x, create_graph=True)
    np.testing.assert_allclose(g.detach().cpu().numpy(), np.broadcast_to([1.0, 2.0, 3.0], (4, 3)))
    assert not g.requires_grad


def test_an_op_given_a_tensor_and_its_detached_alias_saves_each_as_itself():
    """x * x.detach(): the detached operand is a constant, so d/dx = x.detach() has no graph (PyTorch's
    requires_grad=False) and there is no second-order gradient through it."""
    for alias in (lambda x: x.detach(), lambda x: x.data):
        x = minigan.tensor([1.0, 2.0, 3.0], requires_grad=True)
        (g,) = minigan.autograd.grad((x * alias(x)).sum(), x, create_graph=True)
        assert not g.requires_grad and g.grad_fn is None
        assert g.tolist() == [1.0, 2.0, 3.0]
        y = (x * alias(x)) ** 2  # a saved alias also reads as itself at second order: d²/dx² (x·c)² = 2c²
        (g,) = minigan.autograd.grad(y.sum(), x, create_graph=True)
        (h,) = minigan.autograd.grad(g.sum(), x)
        assert h.tolist() == [2.0, 8.0, 18.0]
