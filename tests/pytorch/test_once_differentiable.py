"""``torch.autograd.function.once_differentiable``, the decorator for a Function's backward that is not to be
differentiated again, as PyTorch's: the backward runs under no_grad and gives PyTorch's gradients; under
``create_graph=True`` with an incoming gradient that requires grad, the gradients it returns require grad and a
backward through them raises RuntimeError; with a constant incoming gradient they are plain.  minigan had no such
name (an AttributeError without advice)."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

import minigan  # noqa: E402


def _functions(lib):
    seen = []

    class Square(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 2

        @staticmethod
        @lib.autograd.function.once_differentiable
        def backward(ctx, g):
            """d(x²)/dx = 2x"""
            (x,) = ctx.saved_tensors
            seen.append(lib.is_grad_enabled())
            return 2 * g * x

    class MulAdd(lib.autograd.Function):  # two inputs and a number, two outputs
        @staticmethod
        def forward(ctx, a, b, k):
            ctx.save_for_backward(a, b)
            ctx.k = k
            return a * b * k, a + b

        @staticmethod
        @lib.autograd.function.once_differentiable
        def backward(ctx, g1, g2):
            a, b = ctx.saved_tensors
            return g1 * b * ctx.k + g2, g1 * a * ctx.k + g2, None

    return Square, MulAdd, seen


def _program(lib, which):
    rng = np.random.default_rng(which)
    Square, MulAdd, seen = _functions(lib)
    x = lib.tensor(rng.normal(size=3), requires_grad=True)
    b = lib.tensor(rng.normal(size=3), requires_grad=True)
    out = {}
    if which == 0:  # first order
        (Square.apply(x) * lib.arange(3.0, dtype=lib.float64)).sum().backward()
        p, q = MulAdd.apply(x, b, 1.5)
        (p.sum() + 3 * q.sum()).backward()
        out.update(x=x.grad.tolist(), b=b.grad.tolist())
    elif which == 1:  # create_graph with a constant incoming gradient: plain gradients
        (g,) = lib.autograd.grad(Square.apply(x).sum(), x, create_graph=True)
        out.update(g=g.tolist(), rg=g.requires_grad, fn=g.grad_fn is None)
    elif which == 2:  # an incoming gradient that requires grad: the result requires grad, its backward refuses
        (g,) = lib.autograd.grad((Square.apply(x) * x).sum(), x, create_graph=True)
        out.update(g=g.detach().tolist(), rg=g.requires_grad)
        try:
            g.sum().backward()
            out["second"] = "ran"
        except RuntimeError:
            out["second"] = "RuntimeError"
    elif which == 3:  # several outputs under create_graph
        p, q = MulAdd.apply(x, b, 2.0)
        ga, gb = lib.autograd.grad((p * x).sum() + q.sum(), (x, b), create_graph=True)
        out.update(ga=ga.detach().tolist(), gb=gb.detach().tolist(), rg=(ga.requires_grad, gb.requires_grad))
        try:
            lib.autograd.grad(gb.sum(), x)
            out["second"] = "ran"
        except RuntimeError:
            out["second"] = "RuntimeError"
    elif which == 4:  # under no_grad at the outer level too, and the decorated function keeps its name and doc
        with lib.no_grad():
            y = Square.apply(x)
        out.update(y_rg=y.requires_grad, name=Square.backward.__name__, doc=Square.backward.__doc__)
    out["grad_enabled_inside"] = seen
    return out


@pytest.mark.parametrize("which", range(5))
def test_once_differentiable_as_pytorch(which):
    theirs, ours = _program(torch, which), _program(minigan, which)
    assert ours.keys() == theirs.keys()
    for k in theirs:
        if isinstance(theirs[k], list) and theirs[k] and isinstance(theirs[k][0], float):
            np.testing.assert_allclose(ours[k], theirs[k], rtol=1e-12, err_msg=k)
        else:
            assert ours[k] == theirs[k], k
