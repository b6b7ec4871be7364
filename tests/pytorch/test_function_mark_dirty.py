"""An autograd.Function whose forward changes an input in place and says so (``ctx.mark_dirty``), against PyTorch
float64: on a view, the change reaches the view's base through the Function's backward (PyTorch's CopySlices), so
the base's gradient is the Function's where the view lies; on a leaf that requires grad, or a view of one, it is
refused with a RuntimeError, as any in-place change of a leaf while gradients are recorded."""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _doubling(lib):
    class DoubleInPlace(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            x.mul_(2)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 2

    return DoubleInPlace


VIEWS = {"row": lambda b: b[1], "column": lambda b: b[:, 2], "transposed": lambda b: b.t(), "all": lambda b: b[:],
         "reshaped": lambda b: b.view(3, 2), "diagonal slice": lambda b: b[:, ::2]}
USES = {"the base": lambda base, out: base, "the output": lambda base, out: out,
        "both": lambda base, out: base.sum() + out.sum() * 3}


def _run(lib, view, use):
    x = lib.arange(1.0, 7.0, dtype=lib.float64).reshape(2, 3).requires_grad_()
    base = x * 1
    out = _doubling(lib).apply(VIEWS[view](base))
    y = USES[use](base, out)
    weights = lib.cos(lib.arange(float(y.numel()), dtype=lib.float64)).reshape(y.shape)
    (y * weights).sum().backward()
    return base.detach().numpy(), x.grad.numpy()


@pytest.mark.parametrize("use", list(USES))
@pytest.mark.parametrize("view", list(VIEWS))
def test_a_view_marked_dirty_sends_its_base_gradient_through_the_function(view, use):
    got, expected = _run(minigan, view, use), _run(torch, view, use)
    for g, t in zip(got, expected):  # (the base's values, then x's gradient)
        np.testing.assert_allclose(g, t, rtol=1e-12)


@pytest.mark.parametrize("of_view", [False, True], ids=["leaf", "view of a leaf"])
def test_a_leaf_marked_dirty_is_refused(of_view):
    for lib in (torch, minigan):
        x = lib.ones(2, 3, dtype=lib.float64, requires_grad=True)
        with pytest.raises(RuntimeError, match="leaf"):
            _doubling(lib).apply(x[0] if of_view else x)
