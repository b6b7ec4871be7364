"""torch.autograd's names a PyTorch program reaches for: ``gradcheck``/``gradgradcheck`` and ``inference_mode`` from
``torch.autograd``, ``set_detect_anomaly`` as a call and as a context manager, and ``Tensor.retains_grad``, against
PyTorch."""

from __future__ import annotations

import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def test_gradcheck_from_autograd():
    from minigan.autograd import gradcheck, gradgradcheck

    x = minigan.tensor([0.5, -1.5, 2.0], dtype=minigan.float64, requires_grad=True)
    assert gradcheck(lambda a: (a ** 3).sum(), (x,)) and gradgradcheck(lambda a: (a ** 3).sum(), (x,))
    with pytest.raises(minigan.GradcheckError):  # a wrong derivative still fails, reached this way
        gradcheck(_WrongSquare.apply, (x,))
    with minigan.autograd.inference_mode():
        assert not minigan.is_grad_enabled()


class _WrongSquare(minigan.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * x  # (the true derivative is 2x)


def _program(lib):
    """retain_grad on leaves, non-leaves, tensors that need no grad, after an in-place change and a view."""
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y, z = x * 2, x * 3
    y.retain_grad()
    x.retain_grad()
    seen = [x.retains_grad, y.retains_grad, z.retains_grad, lib.tensor(1.0).retains_grad]
    y.add_(1)
    v = z[:1]
    v.retain_grad()
    seen += [y.retains_grad, v.retains_grad, z.retains_grad, y.detach().retains_grad]
    (y.sum() + v.sum()).backward()
    seen += [y.retains_grad, v.retains_grad]  # (after backward freed the graph too)
    return seen + [y.grad is not None, v.grad is not None, x.grad.tolist()]


def test_retains_grad_as_pytorch():
    assert _program(minigan) == _program(torch)


@pytest.mark.parametrize("start", [False, True])
def test_set_detect_anomaly_call_and_context(start):
    def states(lib):
        seen = []
        with lib.autograd.detect_anomaly() if start else _nothing():
            lib.autograd.set_detect_anomaly(False)
            seen.append(lib.is_anomaly_enabled())
            with lib.autograd.set_detect_anomaly(True):
                seen.append(lib.is_anomaly_enabled())
            seen.append(lib.is_anomaly_enabled())
            lib.autograd.set_detect_anomaly(True)
            seen.append(lib.is_anomaly_enabled())
            lib.autograd.set_detect_anomaly(start)
        return seen + [lib.is_anomaly_enabled()]

    with pytest.warns(UserWarning) if start else _nothing():  # (PyTorch warns that detect_anomaly slows it)
        want = states(torch)
    assert states(minigan) == want


class _nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def test_set_detect_anomaly_catches_nan():
    x = minigan.tensor([0.0], requires_grad=True)
    with minigan.autograd.set_detect_anomaly(True), pytest.raises(minigan.AnomalyError):
        (x / x).sum().backward()
    assert not minigan.is_anomaly_enabled()
